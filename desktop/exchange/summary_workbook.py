"""The summary table (汇总表) as a one-sheet .xlsx; its rows and the PDF are
``desktop.reports.summary``. Never queries or commits. Must not import Qt."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from desktop.exchange.workbook import number_format
from desktop.files import write_package
from desktop.reports.summary import (
    BUDGET_COLUMN,
    HEADERS,
    RATE_COLUMN,
    SCORE_COLUMN,
    SummaryRow,
    refuse_control_characters,
    total_budget,
)


def write_summary_xlsx(rows: Sequence[SummaryRow], out_path: Path | str, title: str) -> None:
    """Write the summary as a one-sheet .xlsx (title row, headers, rows, a 合计 row).

    Amounts are written as numbers showing the decimals as stored, so that the sheet can
    add them up; text that would start a formula stays text.
    Written to a temporary file and renamed; raises ``OSError`` on a failed write and
    ``ValueError`` (``refuse_control_characters``) before writing anything.
    """
    refuse_control_characters(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(name="宋体", size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([header.replace("（", "\n（") for header in HEADERS])
    for number, row in enumerate(rows, start=1):
        cells: list[str | int | Decimal | None] = [*row.cells(number)]
        cells[BUDGET_COLUMN] = row.total_budget  # a number the sheet can sum (exact Decimal)
        cells[RATE_COLUMN] = row.execution_rate  # numbers the sheet can compare
        cells[SCORE_COLUMN] = row.score
        sheet.append(cells)
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, str) and written.value.startswith(("=", "+", "-", "@")):
                written.data_type = "s"  # text, never a formula (as in workbook.py)
                written.quotePrefix = True
    sheet.append(["合计", "", f"{len(rows)} 个单位", "", total_budget(rows)])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body, bold = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
    for line in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in line:
            header = cell.row == 2
            cell.border = border
            cell.font = bold if header else body
            cell.alignment = Alignment(
                vertical="center", wrap_text=True, horizontal="center" if header else None
            )
    sheet.row_dimensions[2].height = 30  # two lines: 申请预算资金 / （万元）
    for column in (BUDGET_COLUMN + 1, RATE_COLUMN + 1, SCORE_COLUMN + 1):
        for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
            if isinstance(cell.value, Decimal):
                cell.number_format = number_format(cell.value)  # the decimals as typed
    for index, width in enumerate((6, 12, 30, 9, 14, 10, 7, 9, 9, 9, 9, 11, 17), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out_path = Path(out_path)
    write_package(out_path, book.save)
