"""jixiao — 绩效目标填报: fill in, review, print and exchange budget performance targets."""

import os

__version__ = "0.1.0"

# openpyxl switches to lxml when lxml is installed (it is, for python-docx): it would then
# parse workbook parts with lxml instead of defusedxml and write different XML. Keep the
# Excel path as designed and tested (defusedxml, et_xmlfile); read by openpyxl at import.
os.environ.setdefault("OPENPYXL_LXML", "False")
