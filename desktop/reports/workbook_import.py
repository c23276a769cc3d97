"""Reading Excel workbooks (.xlsx): our own export, and the plain indicator lists clerks keep.

``read_workbook`` recognises the workbook ``desktop.reports.workbook`` writes and gives
back its declaration exactly; any other workbook is searched for an indicator list (a
header row naming 三级指标/指标值… in any order, one indicator per row below it). Sheets
are streamed (bounded memory whatever their size), merged cells read as their top-left
value, the stored sheet dimension (often wrong in files saved by WPS) is ignored. XML is
parsed by openpyxl through defusedxml. Nothing here writes anything. Must not import Qt.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import (  # read-only mode's streaming parser
    FORMULA_TAG,
    WorkSheetParser,
)

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.values import (
    comparison_sign,
    parse_amount,
    parse_percent,
    parse_target_value,
    with_unit,
)
from desktop.models.vocabulary import PROFILES, standard_name
from desktop.reports import workbook as layout
from desktop.reports.errors import WorkbookError

#: Largest uncompressed part of a workbook we read (an XML or zip bomb is refused before).
MAX_PART_BYTES = 200 * 1024 * 1024
#: Cells with a value we keep per sheet; a real indicator list has a few thousand.
MAX_CELLS = 200_000
#: Empty rows after the last value at which reading a sheet stops (sheets formatted down to
#: row 1,048,576 are common and would take many seconds to walk).
MAX_EMPTY_RUN = 5_000
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"')
#: Rows scanned for the header of an indicator list.
HEADER_SEARCH_ROWS = 30

INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "target_value", "basis")
#: Header texts of indicator lists, normalised (no spaces/line breaks), and the field each
#: names. Seen in county and provincial templates; 绩效标准 and 指标值设定依据 are common.
HEADER_NAMES = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "指标名称": "level3",
    "绩效指标": "level3",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标解释": "description",
    "指标说明": "description",
    "指标内容": "description",
    "指标值": "target_value",
    "年度指标值": "target_value",
    "目标值": "target_value",
    "绩效标准": "target_value",
    "指标值（绩效标准）": "target_value",
    "指标值确定依据": "basis",
    "指标值设定依据": "basis",
    "指标值确定依据及说明": "basis",
    "设定依据": "basis",
    "确定依据": "basis",
    # columns joined into the 指标值 (as the review reads it): 符号 + 指标值 + 计量单位
    "计量单位": "unit",
    "度量单位": "unit",
    "指标值单位": "unit",
    "符号": "comparator",
    "运算符号": "comparator",
    "指标性质": "comparator",
}


@dataclass(frozen=True)
class SkippedRow:
    """A sheet row left out of an import, and why (1-based row number as Excel shows it)."""

    sheet: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行：{self.reason}"


@dataclass
class ExportedWorkbook:
    """Our own export read back: an unsaved declaration with all its rows."""

    declaration: Declaration
    skipped: list[SkippedRow] = field(default_factory=list)


@dataclass
class IndicatorList:
    """A plain indicator list: ``indicators`` are dicts field -> text (keys of
    ``INDICATOR_FIELDS``), read from the sheet rows ``rows`` (1-based)."""

    sheet: str
    columns: dict[str, str]  # field -> the header text found for it
    #: header texts of the other columns (their cells are not imported), left to right
    ignored: list[str] = field(default_factory=list)
    indicators: list[dict[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


@dataclass
class _Sheet:
    """The cells of one sheet that hold a value, merged ranges filled from their top-left."""

    title: str
    values: dict[tuple[int, int], Any]
    formats: dict[tuple[int, int], str]
    merged: list[tuple[int, int, int, int]]  # min_col, min_row, max_col, max_row
    #: (row, column) of formula cells the file holds no computed value for
    uncalculated: list[tuple[int, int]] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.values), default=0)

    def value(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    def text(self, row: int, column: int) -> str:
        return cell_text(self.value(row, column), self.formats.get((row, column), "General"))

    def merged_into(self, row: int, column: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range holding (row, column), if another cell."""
        for min_col, min_row, max_col, max_row in self.merged:
            if min_row <= row <= max_row and min_col <= column <= max_col:
                return None if (row, column) == (min_row, min_col) else (min_row, min_col)
        return None


def read_workbook(path: Path) -> ExportedWorkbook | IndicatorList:
    """Read ``path``: our own export (exactly), else the first sheet holding an indicator list.

    Raises ``WorkbookError`` (Chinese message) for a file that is not an .xlsx workbook (an
    old .xls, a password-protected or damaged file, an XML or zip bomb), for a workbook with
    no recognisable table, and for a value of our export that is not a valid amount.
    """
    sheets, properties = _read_book(path)
    if sheets and sheets[0].title == layout.PART1_SHEET and _is_part1(sheets[0]):
        for sheet in sheets:
            _check_calculated(sheet)
        return _exported(sheets, properties)
    for sheet in sheets:
        found = _indicator_list(sheet)
        if found is not None:
            _check_calculated(sheet)
            return found
    raise WorkbookError(
        f"在“{path.name}”中没有找到可导入的表格。可导入的是本程序导出的工作簿，或带表头的"
        "指标清单（表头含“三级指标”或“绩效指标描述”，以及“指标值”）。请检查表头后重试。"
    )


def _check_calculated(sheet: _Sheet) -> None:
    """Refuse a sheet with formulas whose results the file does not hold: read, they would be
    empty cells. Excel, WPS and LibreOffice store the results; programs writing .xlsx
    files with formulas (openpyxl, many report generators) often do not."""
    if not sheet.uncalculated:
        return
    cells = [f"{get_column_letter(c)}{r}" for r, c in sorted(sheet.uncalculated)]
    named = "、".join(cells[:3]) + (f" 等 {len(cells)} 个单元格" if len(cells) > 3 else "")
    raise WorkbookError(
        f"工作表“{sheet.title}”的 {named} 是公式，但文件里没有保存公式的计算结果（多见于"
        "其他软件生成的文件），导入会漏掉这些内容。请用 Excel 或 WPS 打开这个文件、"
        "保存后再导入。"
    )


class _Parser(WorkSheetParser):
    """openpyxl's streaming sheet parser, also noting formula cells without a stored result
    (``data_only`` parsing gives them as empty)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        cell["uncalculated"] = cell["value"] is None and element.find(FORMULA_TAG) is not None
        return cell


def _read_book(path: Path) -> tuple[list[_Sheet], dict[str, str]]:
    """The sheets of a workbook, and its custom document properties (name -> text)."""
    _check_container(path)
    if not openpyxl.DEFUSEDXML:
        raise WorkbookError("缺少安全解析 XML 的组件（defusedxml），为安全起见不读取 Excel 文件。")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(path, exc) from exc
    try:
        properties = {p.name: str(p.value) for p in book.custom_doc_props.props}
        return [_stream(book, sheet) for sheet in book.worksheets], properties
    except WorkbookError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    finally:
        book.close()


def _unreadable(path: Path, exc: BaseException) -> WorkbookError:
    """The message for a workbook openpyxl could not read (defusedxml's refusals named)."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return WorkbookError(
            f"“{path.name}”含有不安全的 XML 内容（可能是恶意构造的文件），已拒绝读取。"
        )
    return WorkbookError(
        f"“{path.name}”已损坏或不是有效的 Excel 工作簿，无法读取。"
        "请在 Excel 或 WPS 中打开它并另存为 .xlsx 后再导入。"
    )


def _check_container(path: Path) -> None:
    """Refuse what is not an .xlsx zip (old .xls, encrypted file, .ods) or is a zip bomb."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            ole = head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
            directory = stream.read(4 * 1024 * 1024) if ole else b""
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path}”，请确认文件存在、U盘已插好且有读取权限。") from exc
    if ole and "EncryptedPackage".encode("utf-16-le") in directory:
        raise WorkbookError(
            f"“{path.name}”设有打开密码，无法读取。请在 Excel 或 WPS 中打开它，"
            "取消密码（文件→信息→保护工作簿）后另存，再导入。"
        )
    if ole:
        raise WorkbookError(
            f"“{path.name}”是旧版 Excel 格式（.xls），本程序只读取 .xlsx。"
            "请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”后再导入。"
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(
            f"“{path.name}”不是 Excel 工作簿（.xlsx）。"
            "请选择 Excel 或 WPS 保存的 .xlsx 文件；其他格式请先另存为 .xlsx。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            too_big = [i for i in archive.infolist() if i.file_size > MAX_PART_BYTES]
            names = set(archive.namelist())
            kind = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(path, exc) from exc
    if kind.startswith(b"application/vnd.oasis.opendocument"):
        raise WorkbookError(
            f"“{path.name}”是 OpenDocument 表格（.ods，WPS 或 LibreOffice 的格式），"
            "本程序只读取 .xlsx。请在 WPS 或 LibreOffice 中打开它，另存为“Excel 工作簿（*.xlsx）”"
            "后再导入。"
        )
    if too_big:
        raise WorkbookError(
            f"“{path.name}”中的“{too_big[0].filename}”解压后超过 "
            f"{MAX_PART_BYTES // 1024 // 1024} MB，不像是绩效目标表格（也可能是恶意构造的文件），"
            "已拒绝读取。"
        )


def _stream(book: Any, sheet: Any) -> _Sheet:
    """All non-empty cells of a read-only sheet, without trusting its stored dimension.

    Reading stops ``MAX_EMPTY_RUN`` rows after the last value; merged ranges come from a
    separate fast scan of the sheet XML (they are stored after all rows).
    """
    values: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    uncalculated: list[tuple[int, int]] = []
    last_value_row = 0
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for index, row in parser.parse():
            if index - last_value_row > MAX_EMPTY_RUN:
                break
            for cell in row:
                if cell.pop("uncalculated"):
                    uncalculated.append((cell["row"], cell["column"]))
                if cell["value"] is None:
                    continue
                if len(values) >= MAX_CELLS:
                    raise WorkbookError(
                        f"工作表“{sheet.title}”有超过 {MAX_CELLS} 个有内容的单元格，"
                        "不像是绩效目标表格。请只复制需要的表格到新工作簿后再导入。"
                    )
                key = (cell["row"], cell["column"])
                values[key] = cell["value"]
                formats[key] = ReadOnlyCell(sheet, **cell).number_format
                last_value_row = index
    filled = _Sheet(sheet.title, values, formats, _merged_ranges(sheet), uncalculated)
    for min_col, min_row, max_col, max_row in filled.merged:
        if (min_row, min_col) in values:
            for r in range(min_row, min(max_row, last_value_row + MAX_EMPTY_RUN) + 1):
                for c in range(min_col, max_col + 1):
                    values.setdefault((r, c), values[(min_row, min_col)])
                    formats.setdefault((r, c), formats[(min_row, min_col)])
    return filled


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each ``<mergeCell ref="A1:B2"/>`` of the sheet
    XML, found by a byte scan of the stream in chunks (bounded memory, C speed)."""
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            data = tail + chunk
            last_end = 0
            for match in _MERGE_REF.finditer(data):
                found.append(range_boundaries(match.group(1).decode("ascii")))
                last_end = match.end()
            tail = data[max(last_end, len(data) - 80) :]
    return found


_FULL_WIDTH_NUMBERS = str.maketrans(
    {chr(0xFF10 + d): str(d) for d in range(10)}
    | {"．": ".", "％": "%", "＋": "+", "－": "-", "＜": "<", "＞": ">", "＝": "=", "，": ","}
)


def half_width_numbers(text: str) -> str:
    """Full-width digits and number signs (０-９ ． ％ ＋ － ＜ ＞ ＝ and a ，between digits)
    as ASCII; Chinese punctuation elsewhere is left alone."""
    out = []
    for index, char in enumerate(text):
        if char == "，":
            before = text[index - 1 : index].translate(_FULL_WIDTH_NUMBERS)
            after = text[index + 1 : index + 2].translate(_FULL_WIDTH_NUMBERS)
            out.append("," if before.isdigit() and after.isdigit() else char)
        else:
            out.append(char.translate(_FULL_WIDTH_NUMBERS))
    return "".join(out)


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell as the text a clerk sees: numbers without float noise (0.95 under a percent
    format is ``95%``), dates as 2022年12月31日, text stripped of surrounding blanks."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        number = _exact(value)
        if "%" in number_format:
            return f"{_plain(number * 100)}%"
        return _plain(number)
    return str(value).strip()


def _exact(value: int | float) -> Decimal:
    """The decimal a clerk typed for a stored binary float: its shortest repr (0.1, not 0.1000…)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _plain(number: Decimal) -> str:
    """``95.0`` -> ``95``, ``0.3050`` -> ``0.305``: no exponent, no trailing zeros."""
    return format(number.normalize(), "f")


def _format_decimals(number_format: str) -> int | None:
    """Decimals a number format shows (``0.00`` -> 2, ``0%`` -> 0); None for General."""
    match = re.search(r"0(?:\.(0+))?", number_format)
    if match is None:
        return None
    return len(match.group(1) or "")


def _amount(sheet: _Sheet, row: int, column: int, *, percent: bool = False) -> Decimal | None:
    """An amount (万元) or a number of percent from a cell, with the decimals shown."""
    value, number_format = sheet.value(row, column), sheet.formats.get((row, column), "General")
    where = f"工作表“{sheet.title}”{get_column_letter(column)}{row} 单元格"
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _exact(value) * (100 if percent and "%" in number_format else 1)
        decimals = _format_decimals(number_format)
        if decimals is not None:
            try:
                number = number.quantize(Decimal(1).scaleb(-decimals))
            except InvalidOperation as exc:
                raise WorkbookError(f"{where}的数字太大：{value}。") from exc
        else:
            number = Decimal(_plain(number))
        text = _plain(number) if decimals is None else format(number, "f")
    else:
        text = str(value)
    try:
        parsed = parse_percent(text) if percent else parse_amount(text)
    except ValueError as exc:
        raise WorkbookError(f"{where}：{exc}") from exc
    return parsed


def _is_part1(sheet: _Sheet) -> bool:
    texts = [sheet.text(row, 1) for row in range(1, 4)]
    return texts == [*layout.PART1_TITLE, "单位编码"]


def _exported(sheets: list[_Sheet], properties: dict[str, str]) -> ExportedWorkbook:
    """Our export: 第一部分 then one sheet per budget project (found by its 项目编码 label).

    The declaration and each project sheet whose title is unchanged keep the UUIDs the
    export recorded (``workbook.identity_properties``), so that a workbook sent back can be
    merged with the file it came from; every other row is new.
    """
    part1, skipped = sheets[0], []
    declaration = Declaration(fiscal_year=0)
    used: set[str] = set()

    def identity(row: Any, name: str) -> None:
        uuid = properties.get(name, "")
        if len(uuid) == 36 and uuid not in used:
            row.uuid = uuid
            used.add(uuid)

    identity(declaration, layout.DECLARATION_PROPERTY)
    projects = []
    for sheet in sheets[1:]:
        if sheet.text(layout.ROW_CODE, 1) == layout.HEADER_LABELS[layout.ROW_CODE]:
            projects.append(_project(sheet, skipped))
            identity(projects[-1], layout.PROJECT_PROPERTY + sheet.title)
    declaration.budget_projects = projects
    _read_part1(part1, declaration, projects, skipped)
    return ExportedWorkbook(declaration, skipped)


def _read_part1(
    sheet: _Sheet,
    declaration: Declaration,
    projects: list[BudgetProject],
    skipped: list[SkippedRow],
) -> None:
    section, sentence_row, key_task_rows = "", 0, False
    for row in range(3, sheet.last_row + 1):
        label = sheet.text(row, 1)
        if label in (layout.SECTION_OVERALL, layout.SECTION_ITEMS, layout.SECTION_SAFEGUARDS):
            section, key_task_rows = label, False
            sentence_row = row + 1 if label == layout.SECTION_OVERALL else 0
            continue
        if row == sentence_row:
            continue  # the budget sentence is generated from the fields below it
        if section == layout.SECTION_ITEMS:  # whatever an item target's title says
            if label != layout.ITEM_TARGET_HEADERS[0]:
                _item_target_row(sheet, row, declaration, projects, skipped)
        elif label == "单位编码":
            declaration.unit_code = _raw_text(sheet, row, 2)
            declaration.unit_name = _raw_text(sheet, row, 4)
        elif label == "预算年度":
            declaration.fiscal_year = _year(sheet, row)
            declaration.amount_unit = sheet.text(row, 4) or "万元"
            declaration.profile = _profile(sheet.text(row, 6))
        elif label == "申请预算资金":
            declaration.total_budget = _amount(sheet, row, 2)
            declaration.special_projects_note = _raw_text(sheet, row, 4)
        elif label == "总体绩效目标":
            declaration.overall_target = _raw_text(sheet, row, 2)
        elif label == layout.KEY_TASK_HEADERS[0]:
            key_task_rows = True
        elif key_task_rows and section == layout.SECTION_OVERALL:
            declaration.key_tasks.append(
                KeyTask(title=_raw_text(sheet, row, 2), body=_raw_text(sheet, row, 3))
            )
        elif label == "工作保障措施":
            declaration.safeguard_measures = _raw_text(sheet, row, 2)
    if not declaration.fiscal_year:
        raise WorkbookError(f"工作表“{sheet.title}”缺少预算年度，无法导入。请填写后重试。")


def _item_target_row(
    sheet: _Sheet,
    row: int,
    declaration: Declaration,
    projects: list[BudgetProject],
    skipped: list[SkippedRow],
) -> None:
    """One row of the 分项绩效目标 table: a new item target where its title cell starts."""
    if sheet.merged_into(row, 1) is None:
        item = ItemTarget(title=_raw_text(sheet, row, 1), budget=_amount(sheet, row, 2))
        link = sheet.text(row, 3)
        if link:
            number = link.partition(".")[0]
            if number.isdigit() and 1 <= int(number) <= len(projects):
                item.budget_project = projects[int(number) - 1]
            else:
                skipped.append(
                    SkippedRow(sheet.title, row, f"对应预算项目“{link}”不存在，未建立对应关系")
                )
        declaration.item_targets.append(item)
    if not declaration.item_targets:
        return
    values = [_raw_text(sheet, row, column) for column in (4, 5, 6)]
    if any(values) or sheet.merged_into(row, 1) is not None:
        level1, level2, text = values
        declaration.item_targets[-1].statements.append(
            ItemTargetStatement(level1=level1, level2=level2, text=text)
        )


def _raw_text(sheet: _Sheet, row: int, column: int) -> str:
    """Text exactly as stored (line breaks and inner spaces kept; a number as typed)."""
    value = sheet.value(row, column)
    if isinstance(value, str):
        return value
    return sheet.text(row, column)


def _year(sheet: _Sheet, row: int) -> int:
    text = half_width_numbers(sheet.text(row, 2)).removesuffix("年")
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise WorkbookError(f"工作表“{sheet.title}”的预算年度“{text}”无效，应为如 2022 的年份。")
    return int(text)


def _profile(label: str) -> str:
    for key, (name, _) in PROFILES.items():
        if label in (key, name):
            return key
    return "county"


def _project(sheet: _Sheet, skipped: list[SkippedRow]) -> BudgetProject:
    """A budget project sheet of our export, read by the layout of ``workbook``."""
    project = BudgetProject(
        code=_raw_text(sheet, layout.ROW_CODE, 2),
        name=_raw_text(sheet, layout.ROW_CODE, 9),
        budget_amount=_amount(sheet, layout.ROW_AMOUNTS, 4),
        fiscal_funds=_amount(sheet, layout.ROW_AMOUNTS, 8),
        other_funds=_amount(sheet, layout.ROW_AMOUNTS, 12),
        use_of_funds=_raw_text(sheet, layout.ROW_USE, 2),
        performance_target=_raw_text(sheet, layout.ROW_TARGET, 2),
    )
    for column in range(2, 2 + layout.SUB_COLUMNS):
        if sheet.merged_into(layout.ROW_PLAN, column) is not None:
            continue
        label = _raw_text(sheet, layout.ROW_PLAN, column)
        percent = _amount(sheet, layout.ROW_PERCENT, column, percent=True)
        if label or percent is not None:
            project.disbursement_plan.append(
                DisbursementCheckpoint(label=label, cumulative_percent=percent)
            )
    columns = layout.indicator_columns()
    for row in range(layout.ROW_INDICATOR_HEADER + 1, sheet.last_row + 1):
        values = [_raw_text(sheet, row, first) for first, _ in columns]
        if (row, 1) in sheet.values or any(
            (row, c) in sheet.values for c in range(2, 2 + layout.SUB_COLUMNS)
        ):
            project.indicators.append(Indicator(**dict(zip(INDICATOR_FIELDS, values, strict=True))))
        else:
            skipped.append(SkippedRow(sheet.title, row, "空行"))
    return project


def _normal_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text


def _header_field(text: str) -> str | None:
    """The indicator field a header cell names, exactly or by its key word."""
    name = _normal_header(text)
    if name in HEADER_NAMES:
        return HEADER_NAMES[name]
    if "依据" in name:
        return "basis"
    if "类型" in name:  # 指标值类型 (定量/定性) is not the 指标值
        return None
    for word, target in (
        ("一级", "level1"),
        ("二级", "level2"),
        ("三级", "level3"),
        ("描述", "description"),
        ("指标值", "target_value"),
    ):
        if word in name:
            return target
    return None


def _indicator_list(sheet: _Sheet) -> IndicatorList | None:
    """The indicator list of ``sheet``: its header row within the first rows, then data."""
    top = sorted(
        (row, column, value)
        for (row, column), value in sheet.values.items()
        if row <= HEADER_SEARCH_ROWS and isinstance(value, str)
    )
    for header_row in range(1, min(sheet.last_row, HEADER_SEARCH_ROWS) + 1):
        columns: dict[str, int] = {}
        for row, column, value in top:
            if row != header_row or sheet.merged_into(row, column) is not None:
                continue
            found = _header_field(value)
            if found is not None and found not in columns:
                columns[found] = column
        if "target_value" in columns and ({"level3", "description"} & columns.keys()):
            found = _indicator_rows(sheet, header_row, columns)
            used = set(columns.values())
            found.ignored = [
                " ".join(str(value).split())
                for row, column, value in top
                if row == header_row and column not in used and str(value).strip()
                and sheet.merged_into(row, column) is None
            ]  # fmt: skip
            return found
    return None


def _indicator_rows(sheet: _Sheet, header_row: int, columns: dict[str, int]) -> IndicatorList:
    found = IndicatorList(
        sheet.title, {name: sheet.text(header_row, column) for name, column in columns.items()}
    )
    for row in range(header_row + 1, sheet.last_row + 1):
        texts = {name: sheet.text(row, column) for name, column in columns.items()}
        if not any(texts.values()):
            continue
        if all(_header_field(text) == name for name, text in texts.items() if text):
            found.skipped.append(SkippedRow(sheet.title, row, "重复的表头（分页打印的表格常有）"))
            continue
        if not (texts.get("level3") or texts.get("description") or texts.get("target_value")):
            found.skipped.append(
                SkippedRow(sheet.title, row, "没有三级指标、绩效指标描述和指标值，不是一条指标")
            )
            continue
        indicator = {name: texts.get(name, "") for name in INDICATOR_FIELDS}
        for level in ("level1", "level2"):
            indicator[level] = standard_name(indicator[level])
        value = indicator["target_value"]
        sign = comparison_sign(texts.get("comparator", ""))
        if sign and value and not parse_target_value(value).comparator:
            value = sign + value
        indicator["target_value"] = with_unit(half_width_numbers(value), texts.get("unit", ""))
        found.indicators.append(indicator)
        found.rows.append(row)
    return found
