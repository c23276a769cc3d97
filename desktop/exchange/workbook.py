"""The declaration as an Excel workbook (.xlsx) in the fixed layout, for printing and exchange.

One sheet 第一部分 (Part 1 as a form: the fields of the printed prose, under the printed
section headings) and one sheet per budget project laid out cell for cell like the PDF
table: the label column and 12 sub-columns, merged cells, borders, wrapped text, A4
portrait fitted to one page wide with the indicator header repeated on every page.
``desktop.exchange.workbook_import`` reads it back exactly; custom document properties
record the UUIDs of the declaration and of each project sheet, so that a workbook sent
back merges with the file it came from. Must not import Qt.

Cell values: amounts are numbers whose number format shows the decimals the clerk typed
(``184.00`` -> 184 shown as ``184.00``; beyond 15 significant digits, which a spreadsheet
number cannot hold, the amount is written as text); disbursement percentages are fractions
formatted as percent (30% -> 0.3, ``0%``); every other field is text, written so that it
can never run as a formula (text starting with = + - @ gets the quote prefix and string
type).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from desktop.files import write_package
from desktop.models import (
    BudgetProject,
    Declaration,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.execution import project_execution_rate
from desktop.models.indicator_fields import weight_text
from desktop.models.labels import (
    BUDGET_SIZE_LABEL,
    DISBURSEMENT_PLAN_LABEL,
    FIELD_LABELS,
    PART1_TITLE,
    PRINTED_LABELS,
    PROJECT_LINK_LABEL,
    ROW_KINDS,
    SECTION_ITEMS,
    SECTION_OVERALL,
    SECTION_SAFEGUARDS,
    STAGE_FORM_LABELS,
    Field,
)
from desktop.models.stages import DECLARE, MONITOR, STAGE_FORMS, stage_fields
from desktop.models.vocabulary import PROFILES, merged_label_runs
from desktop.reports.pdf import (
    INDICATOR_HEADERS,
    INDICATOR_WIDTHS,
    SUB_COLUMNS,
    project_table_title,
    spread_sub_columns,
)
from desktop.reports.wording import printed_budget_sentence

PART1_SHEET = "第一部分"
#: 序号, then 年度主要任务, 任务内容 (models/labels.py)
KEY_TASK_HEADERS = ("序号", *ROW_KINDS[KeyTask].printed_headers())
#: 第一部分's form labels: 单位编码, 预算年度, 申请预算资金 … (models/labels.py)
PART1_LABELS = FIELD_LABELS[Declaration]
#: 分项名称, 预算资金, 对应预算项目, 一级指标, 二级指标, 指标表述 (models/labels.py)
ITEM_TARGET_HEADERS = (
    *FIELD_LABELS[ItemTarget].values(),
    PROJECT_LINK_LABEL,
    *FIELD_LABELS[ItemTargetStatement].values(),
)
#: Part 1 column widths (Excel character units), A to F.
PART1_WIDTHS = (14, 24, 14, 12, 12, 40)

#: Part 2: the label column A and the PDF's 12 sub-columns B..M (Excel character units).
LABEL_WIDTH = 14
SUB_WIDTH = 7.8
#: Rows of a project sheet, 1-based: title, unit line, then the header block and the grid.
ROW_TITLE, ROW_UNIT, ROW_CODE, ROW_AMOUNTS, ROW_USE, ROW_PLAN, ROW_PERCENT, ROW_TARGET = range(1, 9)
ROW_INDICATOR_HEADER = 9
#: 预算数, 其中：财政资金, 其他资金 (models/labels.py, as the PDF prints them)
AMOUNT_LABELS = tuple(
    PRINTED_LABELS[BudgetProject][name] for name in ("budget_amount", "fiscal_funds", "other_funds")
)
HEADER_LABELS = {
    ROW_CODE: PRINTED_LABELS[BudgetProject]["code"],
    ROW_AMOUNTS: BUDGET_SIZE_LABEL,
    ROW_PLAN: DISBURSEMENT_PLAN_LABEL,
    ROW_TARGET: PRINTED_LABELS[BudgetProject]["performance_target"],
}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_WRAP_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
#: The ruled cell styles, by (bold, centred). Named styles: assigning one copies four style
#: ids, where setting font, border and alignment one by one hashes each object (a 100-project
#: export set 77,000 of them in 5 s).
_CELL_STYLES = {
    (bold, center): NamedStyle(
        name=f"jixiao-{'bold' if bold else 'plain'}-{'center' if center else 'left'}",
        font=_BOLD if bold else _FONT,
        border=_BORDER,
        alignment=_WRAP_CENTER if center else _WRAP_LEFT,
    )
    for bold in (False, True)
    for center in (False, True)
}
_FORMULA_STARTS = ("=", "+", "-", "@")
#: Significant digits a spreadsheet number (an IEEE double) keeps exactly.
EXACT_DIGITS = 15
#: Characters Excel forbids in sheet titles (and the 31-character limit).
_FORBIDDEN_IN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})
MAX_TITLE = 31
#: Custom document properties naming the rows the workbook came from (their UUIDs), read
#: back by the import so that a workbook sent back merges with the file it came from.
DECLARATION_PROPERTY = "jixiao.declaration"
PROJECT_PROPERTY = "jixiao.project."  # + the project's sheet title


def write_workbook(declaration: Declaration, path: Path) -> None:
    """Write ``declaration`` to the .xlsx file ``path`` (replaced atomically).

    Raises ``OSError`` when the file cannot be written; a file already at ``path`` is then
    left as it was.
    """
    workbook = Workbook()
    for style in _CELL_STYLES.values():
        workbook.add_named_style(style)
    part1 = workbook.active
    assert part1 is not None
    part1.title = PART1_SHEET
    _write_part1(part1, declaration)
    titles = {PART1_SHEET}
    identities = [StringProperty(name=DECLARATION_PROPERTY, value=declaration.uuid)]
    for position, project in enumerate(declaration.budget_projects, start=1):
        title = sheet_title(f"{position}.{project.name}", titles)
        titles.add(title)
        sheet = workbook.create_sheet(title)
        _write_project(sheet, position, project, declaration)
        if declaration.stage != DECLARE:
            _write_stage(sheet, project, declaration)
        identities.append(StringProperty(name=PROJECT_PROPERTY + title, value=project.uuid))
    for identity in identities:
        workbook.custom_doc_props.append(identity)
    workbook.properties.title = f"{declaration.unit_name}{declaration.fiscal_year}年度绩效目标"
    workbook.properties.creator = "jixiao"
    write_package(path, workbook.save)


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet title for ``wanted``: forbidden characters replaced by ``_``,
    at most 31 characters (Excel's limits), made unique with （2）, （3）… (case-insensitive,
    as Excel compares titles)."""
    base = wanted.translate(_FORBIDDEN_IN_TITLE).strip("'").strip() or "预算项目"
    lowered = {title.casefold() for title in taken}
    title, number = base[:MAX_TITLE], 1
    while title.casefold() in lowered:
        number += 1
        suffix = f"（{number}）"
        title = base[: MAX_TITLE - len(suffix)] + suffix
    return title


def number_format(value: Decimal, *, percent: bool = False) -> str:
    """The Excel number format showing ``value`` with the decimals it has (``0.00``, ``0%``)."""
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if percent:
        decimals = max(0, decimals)
    pattern = "0" + ("." + "0" * decimals if decimals else "")
    return pattern + ("%" if percent else "")


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    to_column: int | None = None,
    to_row: int | None = None,
    bold: bool = False,
    center: bool = False,
    percent: bool = False,
) -> Cell:
    """Write one (possibly merged) ruled cell and return its top-left cell."""
    last_column, last_row = to_column or column, to_row or row
    style = _CELL_STYLES[(bold, center)].name
    for r in range(row, last_row + 1):
        for c in range(column, last_column + 1):
            sheet.cell(r, c).style = style
    if last_column > column or last_row > row:
        _merge(sheet, row, column, last_row, last_column)
    cell = sheet.cell(row, column)
    _set_value(cell, value, percent=percent)
    return cell


def _merge(sheet: Worksheet, row: int, column: int, last_row: int, last_column: int) -> None:
    """Merge a block whose cells already carry their borders.

    ``Worksheet.merge_cells`` would also rebuild the border of every edge cell (~1.5 ms a
    merge; a 100-project export has 13,000) and check the range against every earlier one;
    our ranges never overlap and the cells covered keep no value, so recording the range
    (which is all the file stores of a merge) is enough.
    """
    reference = f"{_letter(column)}{row}:{_letter(last_column)}{last_row}"
    sheet.merged_cells.ranges.add(CellRange(reference))


def _set_value(cell: Cell, value: Any, *, percent: bool = False) -> None:
    """Amounts as numbers with their decimals shown, percentages as fractions, text as text."""
    if isinstance(value, Decimal) and len(value.as_tuple().digits) > EXACT_DIGITS:
        cell.value = str(value)  # more digits than a spreadsheet number keeps: text, exact
    elif isinstance(value, Decimal):
        shown = value / 100 if percent else value
        cell.value = shown
        cell.number_format = number_format(value, percent=percent)
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "0"
    elif value:
        text = str(value)
        cell.value = text
        if text.startswith(_FORMULA_STARTS):
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cell.quotePrefix = True  # Excel keeps it text even when the clerk edits it


def _write_part1(sheet: Worksheet, declaration: Declaration) -> None:
    last = len(PART1_WIDTHS)
    for index, width in enumerate(PART1_WIDTHS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    row = 1
    for title in PART1_TITLE:
        _title(sheet, row, last, title, size=16)
        row += 1
    profile = PROFILES.get(declaration.profile, (declaration.profile, {}))[0]
    label = PART1_LABELS
    rows: list[list[tuple[str | Decimal | int | None, int]]] = [
        [
            (label["unit_code"], 1),
            (declaration.unit_code, 1),
            (label["unit_name"], 1),
            (declaration.unit_name, 3),
        ],
        [
            (label["fiscal_year"], 1),
            (declaration.fiscal_year, 1),
            (label["amount_unit"], 1),
            (declaration.amount_unit, 1),
            (label["profile"], 1),
            (profile, 1),
        ],
    ]
    row = _form_rows(sheet, row, rows)
    row = _section(sheet, row, last, SECTION_OVERALL)
    sentence = printed_budget_sentence(declaration)  # "" when 总体绩效目标 says it
    sheet.cell(row, 1).value = sentence or None
    _merge(sheet, row, 1, row, last)
    sheet.cell(row, 1).alignment = _WRAP_LEFT
    sheet.cell(row, 1).font = _FONT
    _fit_height(sheet, row, sentence, sum(PART1_WIDTHS))
    row += 1
    row = _form_rows(
        sheet,
        row,
        [
            [
                (label["total_budget"], 1),
                (declaration.total_budget, 1),
                (label["special_projects_note"], 1),
                (declaration.special_projects_note, 3),
            ],
            [(label["overall_target"], 1), (declaration.overall_target, 5)],
        ],
    )
    for column, text in zip((1, 2, 3), KEY_TASK_HEADERS, strict=True):
        _put(sheet, row, column, text, to_column=last if column == 3 else None, bold=True)
    row += 1
    for number, task in enumerate(declaration.key_tasks, start=1):
        _put(sheet, row, 1, number, center=True)
        _put(sheet, row, 2, task.title, bold=True)
        _put(sheet, row, 3, task.body, to_column=last)
        _fit_height(sheet, row, task.title, PART1_WIDTHS[1])
        _fit_height(sheet, row, task.body, sum(PART1_WIDTHS[2:]))
        row += 1
    row = _section(sheet, row, last, SECTION_ITEMS)
    for column, text in enumerate(ITEM_TARGET_HEADERS, start=1):
        _put(sheet, row, column, text, bold=True, center=True)
    row += 1
    projects = {p.uuid: n for n, p in enumerate(declaration.budget_projects, start=1)}
    for item in declaration.item_targets:
        statements: list[ItemTargetStatement | None] = [*item.statements] or [None]
        last_row = row + len(statements) - 1
        link = item.budget_project
        linked = f"{projects[link.uuid]}.{link.name}" if link is not None else ""
        for column, value in ((1, item.title), (2, item.budget), (3, linked)):
            _put(sheet, row, column, value, to_row=last_row, center=column == 2)
        for offset, statement in enumerate(statements):
            values = (
                (statement.level1, statement.level2, statement.text) if statement else ("",) * 3
            )
            for column, value in enumerate(values, start=4):
                _put(sheet, row + offset, column, value, center=column < 6)
            _fit_height(sheet, row + offset, values[2], PART1_WIDTHS[5])
        row = last_row + 1
    row = _section(sheet, row, last, SECTION_SAFEGUARDS)
    safeguards = [(label["safeguard_measures"], 1), (declaration.safeguard_measures, 5)]
    row = _form_rows(sheet, row, [safeguards])
    _page_setup(sheet, last, row - 1, repeat_row=None)


def _form_rows(sheet: Worksheet, row: int, rows: Sequence[Sequence[tuple[Any, int]]]) -> int:
    """Rows of (value, width in columns) cells, label and value in turn (labels bold).
    Returns the next free row."""
    for cells in rows:
        column, tallest = 1, 1.0
        for index, (value, span) in enumerate(cells):
            _put(sheet, row, column, value, to_column=column + span - 1, bold=index % 2 == 0)
            width = sum(PART1_WIDTHS[column - 1 : column - 1 + span])
            tallest = max(tallest, _lines(value, width))
            column += span
        sheet.row_dimensions[row].height = 15 * tallest
        row += 1
    return row


def _title(sheet: Worksheet, row: int, last: int, text: str, *, size: int) -> None:
    cell = sheet.cell(row, 1)
    cell.value = text
    cell.font = Font(name="宋体", size=size, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    _merge(sheet, row, 1, row, last)
    sheet.row_dimensions[row].height = size * 1.8


def _section(sheet: Worksheet, row: int, last: int, text: str) -> int:
    cell = sheet.cell(row, 1)
    cell.value = text
    cell.font = Font(name="宋体", size=12, bold=True)
    _merge(sheet, row, 1, row, last)
    sheet.row_dimensions[row].height = 22
    return row + 1


def _lines(value: Any, width: float) -> float:
    """Estimated printed lines of ``value`` in a cell ``width`` characters wide (CJK = 2),
    erring on the tall side: a row too low hides text on paper, one too high does not."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(1.0, width * 0.85 - 1)
    return sum(
        max(1, -(-sum(2 if ord(c) > 0x2E80 else 1 for c in line) // per_line))
        for line in value.split("\n")
    )


def _fit_height(sheet: Worksheet, row: int, value: Any, width: float) -> None:
    """Give a row the height its wrapped text needs: Excel does not grow merged rows itself."""
    height = 15 * _lines(value, width)
    current = sheet.row_dimensions[row].height or 15
    sheet.row_dimensions[row].height = max(current, height)


def _write_project(
    sheet: Worksheet, position: int, project: BudgetProject, declaration: Declaration
) -> None:
    last = 1 + SUB_COLUMNS
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    for column in range(2, last + 1):
        sheet.column_dimensions[_letter(column)].width = SUB_WIDTH
    _title(sheet, ROW_TITLE, last, project_table_title(position, project), size=14)
    unit = sheet.cell(ROW_UNIT, 1)
    unit.value = f"{declaration.unit_code}{declaration.unit_name}"
    unit.font = _FONT
    _merge(sheet, ROW_UNIT, 1, ROW_UNIT, 9)
    amount_unit = sheet.cell(ROW_UNIT, 10)
    amount_unit.value = f"单位：{declaration.amount_unit}"
    amount_unit.font = _FONT
    amount_unit.alignment = Alignment(horizontal="right")
    _merge(sheet, ROW_UNIT, 10, ROW_UNIT, last)
    for row, label in HEADER_LABELS.items():
        spans_two = row in (ROW_AMOUNTS, ROW_PLAN)
        _put(sheet, row, 1, label, to_row=row + 1 if spans_two else None, center=True)
    name_label = PRINTED_LABELS[BudgetProject]["name"]
    _sub_cells(sheet, ROW_CODE, [(project.code, 5), (name_label, 2), (project.name, 5)])
    amounts = (project.budget_amount, project.fiscal_funds, project.other_funds)
    amount_cells: list[tuple[Any, int]] = []
    for label, amount in zip(AMOUNT_LABELS, amounts, strict=True):
        amount_cells += [(label, 2), (amount, 2)]
    _sub_cells(sheet, ROW_AMOUNTS, amount_cells)
    _put(sheet, ROW_USE, 2, project.use_of_funds, to_column=last)
    _fit_height(sheet, ROW_USE, project.use_of_funds, SUB_WIDTH * SUB_COLUMNS)
    plan = list(project.disbursement_plan)
    spread = spread_sub_columns(len(plan))
    labels = [(p.label, w) for p, w in zip(plan, spread, strict=False)] or [("", SUB_COLUMNS)]
    percents = [(p.cumulative_percent, w) for p, w in zip(plan, spread, strict=False)]
    _sub_cells(sheet, ROW_PLAN, labels)
    _sub_cells(sheet, ROW_PERCENT, percents or [("", SUB_COLUMNS)], percent=True)
    _put(sheet, ROW_TARGET, 2, project.performance_target, to_column=last)
    _fit_height(sheet, ROW_TARGET, project.performance_target, SUB_WIDTH * SUB_COLUMNS)
    _indicator_grid(sheet, project)
    _page_setup(sheet, last, ROW_INDICATOR_HEADER + len(project.indicators), ROW_INDICATOR_HEADER)


#: The first column of a later stage's fields on a project sheet (N, right of the 申报
#: table's 13 columns, which the import reads; it never reads these) and their width.
STAGE_COLUMN = 2 + SUB_COLUMNS
STAGE_WIDTH = 14


def stage_indicator_fields(stage: str) -> list[Field]:
    """The indicator fields a project sheet of a declaration at ``stage`` carries right of
    its 申报 table, in the registry's order (``RowKind.stage_fields``): 监控's, and at 自评
    also 自评's; not 上年实际 (the roll-over's, shown beside the declared targets)."""
    declared = set(stage_fields(DECLARE, "indicator"))
    return [f for f in ROW_KINDS[Indicator].stage_fields(stage) if f.name not in declared]


def _write_stage(sheet: Worksheet, project: BudgetProject, declaration: Declaration) -> None:
    """A later stage's data right of the 申报 table (from column ``STAGE_COLUMN``): the
    form's name (at 监控 with its 截至 month) above, the project's stage fields (label,
    value) with its 执行率 beside the header block, each indicator's stage fields beside
    its row under their labels (``models/labels.py``). Amounts and 得分 are numbers, the
    rest text; the page turns landscape, still one page wide."""
    stage = declaration.stage
    fields = stage_indicator_fields(stage)
    first, last = STAGE_COLUMN, STAGE_COLUMN + len(fields) - 1
    for column in range(first, last + 1):
        sheet.column_dimensions[_letter(column)].width = STAGE_WIDTH
    heading = STAGE_FORMS[stage]
    if stage == MONITOR and declaration.monitoring_month:
        heading += f"（截至{declaration.monitoring_month}月底）"
    cell = sheet.cell(ROW_UNIT, first)
    cell.value, cell.font = heading, _BOLD
    _merge(sheet, ROW_UNIT, first, ROW_UNIT, last)
    project_fields = [
        (f.label, getattr(project, f.name)) for f in ROW_KINDS[BudgetProject].stage_fields(stage)
    ]
    rate = project_execution_rate(project, stage)
    project_fields.append(
        (STAGE_FORM_LABELS["rate"], "" if rate is None else f"{weight_text(rate)}%")
    )
    for row, (label, value) in enumerate(project_fields, start=ROW_CODE):
        _put(sheet, row, first, label, bold=True, center=True)
        _put(sheet, row, first + 1, value, to_column=max(last, first + 1))
        _fit_height(sheet, row, value, _width(first + 1, max(last, first + 1)))
    for column, field in enumerate(fields, start=first):
        _put(sheet, ROW_INDICATOR_HEADER, column, field.label, bold=True, center=True)
    for index, indicator in enumerate(project.indicators):
        row = ROW_INDICATOR_HEADER + 1 + index
        for column, field in enumerate(fields, start=first):
            value = getattr(indicator, field.name)
            _put(sheet, row, column, value, center=field.name != "improvement_measures")
            height = 15 * _lines(value, STAGE_WIDTH)
            sheet.row_dimensions[row].height = max(sheet.row_dimensions[row].height or 15, height)
    last_row = max(
        ROW_INDICATOR_HEADER + len(project.indicators), ROW_CODE + len(project_fields) - 1
    )
    _page_setup(sheet, last, last_row, ROW_INDICATOR_HEADER, landscape=True)


def _sub_cells(
    sheet: Worksheet,
    row: int,
    cells: Sequence[tuple[Any, int]],
    *,
    percent: bool = False,
) -> None:
    """Centred cells ``(value, width in sub-columns)`` across the 12 sub-columns of ``row``."""
    column, tallest = 2, 1.0
    for value, span in cells:
        _put(sheet, row, column, value, to_column=column + span - 1, center=True, percent=percent)
        tallest = max(tallest, _lines(value, SUB_WIDTH * span))
        column += span
    sheet.row_dimensions[row].height = max(15 * tallest, 30 if row == ROW_AMOUNTS else 15)


def _indicator_grid(sheet: Worksheet, project: BudgetProject) -> None:
    """The header row and one row per indicator; equal consecutive 一级/二级 labels merged
    down (``merged_label_runs``, as in the PDF and the on-screen grid)."""
    columns = indicator_columns()
    for (first, last), text in zip(columns, INDICATOR_HEADERS, strict=True):
        _put(sheet, ROW_INDICATOR_HEADER, first, text, to_column=last, bold=True, center=True)
    sheet.row_dimensions[ROW_INDICATOR_HEADER].height = 30
    runs: dict[tuple[int, int], int] = {}  # (grid column, first data row) -> last data row
    covered: set[tuple[int, int]] = set()  # (grid column, data row) inside a run, not first
    labels = [(i.level1, i.level2) for i in project.indicators]
    for column, first, last in merged_label_runs(labels):
        runs[(column, first)] = last
        covered.update((column, row) for row in range(first + 1, last + 1))
    for index, indicator in enumerate(project.indicators):
        row = ROW_INDICATOR_HEADER + 1 + index
        values = ROW_KINDS[Indicator].printed_values(indicator)
        tallest = 1.0
        for column, ((first, last), value) in enumerate(zip(columns, values, strict=True)):
            if (column, index) in covered:
                for c in range(first, last + 1):
                    sheet.cell(row, c).style = _CELL_STYLES[(False, True)].name
                continue
            to_row = ROW_INDICATOR_HEADER + 1 + runs.get((column, index), index)
            cell = _put(
                sheet,
                row,
                first,
                value,
                to_column=last,
                to_row=to_row,
                center=column in (0, 1, 4, 5),
            )
            if cell.value is None:
                cell.value = ""  # an empty string keeps a blank indicator row
            tallest = max(tallest, _lines(value, _width(first, last)))
        sheet.row_dimensions[row].height = 15 * tallest


def indicator_columns() -> list[tuple[int, int]]:
    """(first, last) 1-based column of each indicator grid column: A, then the sub-columns."""
    columns, column = [(1, 1)], 2
    for span in INDICATOR_WIDTHS:
        columns.append((column, column + span - 1))
        column += span
    return columns


def _width(first: int, last: int) -> float:
    return sum(LABEL_WIDTH if c == 1 else SUB_WIDTH for c in range(first, last + 1))


def _page_setup(
    sheet: Worksheet,
    last_column: int,
    last_row: int,
    repeat_row: int | None,
    *,
    landscape: bool = False,
) -> None:
    """A4 portrait (or ``landscape``), one page wide, 2 cm margins, horizontally centred;
    ``repeat_row`` on top of every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = (
        sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    )
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.79
    sheet.page_margins.top = sheet.page_margins.bottom = 0.79
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:{_letter(last_column)}{max(last_row, 1)}"
    if repeat_row is not None:
        sheet.print_title_rows = f"{repeat_row}:{repeat_row}"


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
