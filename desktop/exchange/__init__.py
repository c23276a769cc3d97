"""The declaration in other programs' files, out and in: Excel (workbook.py writes,
workbook_import.py reads, summary_workbook.py the 汇总表 sheet) and Word (word.py,
word_import.py). The only package that imports openpyxl or python-docx. Takes and gives
plain or unsaved models; never queries or commits. No Qt."""
