"""Reading Excel workbooks (.xlsx): our own export, and the plain indicator lists clerks keep.

``read_workbook`` recognises the workbook ``desktop.exchange.workbook`` writes and gives
back its declaration exactly; any other workbook is searched for an indicator list (a
header row naming 三级指标/指标值… in any order, one indicator per row below it). Sheets
are streamed (bounded memory whatever their size), merged cells read as their top-left
value, the stored sheet dimension (often wrong in files saved by WPS) is ignored. XML is
parsed by openpyxl through defusedxml. Nothing here writes anything. Must not import Qt.

Decision: a number is what the cell holds (its stored text, to Excel's 15 digits), not
what its format shows; whether it is a date is decided here from the format code, with
zh-CN Excel's built-in ids that openpyxl's table lacks (``EAST_ASIAN_FORMATS``). Why: the
display rounds (6923.3552 shown as 6923.36 made the review report a false sum error) and
openpyxl gave dates under ids 27–36, 50–58 as serial numbers. Every value written in
another form than its cell shows is named in the preview (``ValueChange``).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    STRIP_RE,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel
from openpyxl.worksheet._reader import (  # read-only mode's streaming parser
    FORMULA_TAG,
    VALUE_TAG,
    WorkSheetParser,
)

from desktop.exchange import workbook as layout
from desktop.exchange.errors import WorkbookError
from desktop.exchange.headers import (
    HEADER_NAMES,
    INDICATOR_FIELDS,
    header_field,
    joined_target_value,
    normal_header,
)
from desktop.exchange.office_files import Container, container_of
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.labels import PART1_TITLE, SECTION_ITEMS, SECTION_OVERALL, SECTION_SAFEGUARDS
from desktop.models.values import (
    comparison_sign,
    parse_amount,
    parse_percent,
)
from desktop.models.vocabulary import LEVEL2_BY_LEVEL1, PROFILES, standard_name

#: Largest uncompressed part of a workbook we read (an XML or zip bomb is refused before).
MAX_PART_BYTES = 200 * 1024 * 1024
#: Cells with a value we keep per sheet (merged ranges filled in count too); a real
#: indicator list has a few thousand.
MAX_CELLS = 200_000
#: Cells with a value in the whole workbook: an export of 200 projects has about 100,000;
#: reading costs time in proportion (40 sheets × 200,000 cells once ran for minutes).
MAX_BOOK_CELLS = 300_000
#: Sheets in a workbook (an export has one per budget project, and 第一部分).
MAX_SHEETS = 1_000
#: Uncompressed sheet XML of the whole workbook, checked before any sheet is parsed.
MAX_SHEETS_BYTES = 100 * 1024 * 1024
#: Merged ranges of one sheet (a real one has tens to hundreds).
MAX_MERGED_RANGES = 10_000
#: Empty rows after the last value at which reading a sheet stops (sheets formatted down to
#: row 1,048,576 are common and would take many seconds to walk).
MAX_EMPTY_RUN = 5_000
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"')
#: Rows one header may take (绩效指标 / 一级…三级指标, 指标值 / 指标性质, 指标值, 度量单位).
MAX_HEADER_ROWS = 4
#: Rows scanned for the header of an indicator list.
HEADER_SEARCH_ROWS = 30


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
    #: amounts whose cells show them rounded (imported as stored), in sheet order
    changes: list[ValueChange] = field(default_factory=list)


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
    #: values written in another form than their cells show, in sheet order
    changes: list[ValueChange] = field(default_factory=list)
    #: signs that the header was misread (a --replace is refused while there are any)
    doubts: list[str] = field(default_factory=list)
    #: (row, column) of formulas without a stored result in the columns imported
    uncalculated: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Sheet:
    """The cells of one sheet that hold a value, merged ranges filled from their top-left."""

    title: str
    values: dict[tuple[int, int], Any]
    formats: dict[tuple[int, int], str]
    merged: list[tuple[int, int, int, int]]  # min_col, min_row, max_col, max_row
    #: (row, column) of formula cells the file holds no computed value for
    uncalculated: list[tuple[int, int]] = field(default_factory=list)
    epoch: datetime = WINDOWS_EPOCH  # day 0 of the workbook's date serial numbers
    #: amounts read that the cell shows in another form (rounded by its format)
    changes: list[ValueChange] = field(default_factory=list)
    #: ``<c>`` elements read, empty ones too: each costs reading time (the bounds count them)
    cells: int = 0

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.values), default=0)

    def value(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    def text(self, row: int, column: int) -> str:
        return cell_text(self.value(row, column), self.format(row, column), self.epoch)

    def format(self, row: int, column: int) -> str:
        """The number format code of a cell (``General`` when it has none)."""
        return self.formats.get((row, column), "General")

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
            _check_calculated(sheet.title, sheet.uncalculated)
        return _exported(sheets, properties)
    for sheet in sheets:
        found = _indicator_list(sheet)
        if found is not None:
            _check_calculated(sheet.title, found.uncalculated)
            return found
    raise WorkbookError(
        f"在“{path.name}”中没有找到可导入的表格。可导入的是本程序导出的工作簿，或带表头的"
        "指标清单（表头含“三级指标”或“绩效指标描述”，以及“指标值”）。请检查表头后重试。"
    )


def _check_calculated(title: str, uncalculated: list[tuple[int, int]]) -> None:
    """Refuse formulas (``uncalculated``: row, column) of the sheet ``title`` whose results
    the file does not hold, in what is imported: read, they would be empty cells. Excel,
    WPS and LibreOffice store the results; programs writing .xlsx files with formulas
    (openpyxl, many report generators) often do not. A formula in a column not imported
    (a 序号 =ROW()-1) is no matter."""
    if not uncalculated:
        return
    cells = [f"{get_column_letter(c)}{r}" for r, c in sorted(uncalculated)]
    named = "、".join(cells[:3]) + (f" 等 {len(cells)} 个单元格" if len(cells) > 3 else "")
    raise WorkbookError(
        f"工作表“{title}”的 {named} 是公式，但文件里没有保存公式的计算结果（多见于"
        "其他软件生成的文件），导入会漏掉这些内容。请用 Excel 或 WPS 打开这个文件、"
        "保存后再导入。"
    )


class _Parser(WorkSheetParser):
    """openpyxl's streaming sheet parser, giving a number cell the decimal its stored text
    holds (``stored_number``) rather than a float or a date guessed from an incomplete
    table of formats, and noting formula cells without a stored result (``data_only``
    parsing gives them as empty)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        cell["uncalculated"] = cell["value"] is None and element.find(FORMULA_TAG) is not None
        if element.get("t", "n") == "n" and cell["value"] is not None:
            number = stored_number(element.findtext(VALUE_TAG) or "")
            if number is not None:
                cell["value"], cell["data_type"] = number, "n"
        return cell


#: Significant digits Excel, WPS and LibreOffice keep and show of a number (IEEE doubles
#: written with up to 17 digits: 2.3 is stored as 2.2999999999999998).
EXCEL_DIGITS = 15


def stored_number(text: str) -> Decimal | None:
    """The number a cell holds, from its stored text (the ``<v>`` of the sheet XML): exact,
    never through a binary float, to Excel's 15 significant digits (what its formula bar
    shows: ``6923.3552`` stays 6923.3552 whatever the cell's format shows; ``2.2999999999999998``
    is 2.3). None for text that is not a number."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if number and len(number.as_tuple().digits) > EXCEL_DIGITS:
        number = number.quantize(Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1))
    return number


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
        read: list[_Sheet] = []
        for sheet in book.worksheets:
            room = MAX_BOOK_CELLS - sum(each.cells for each in read)
            read.append(_stream(book, sheet, room))
        return read, properties
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
        container = container_of(path)
    except OSError as exc:
        raise WorkbookError(f"无法读取“{path}”，请确认文件存在、U盘已插好且有读取权限。") from exc
    if container is Container.ENCRYPTED:
        raise WorkbookError(
            f"“{path.name}”设有打开密码，无法读取。请在 Excel 或 WPS 中打开它，"
            "取消密码（文件→信息→保护工作簿）后另存，再导入。"
        )
    if container is Container.OLE:
        raise WorkbookError(
            f"“{path.name}”是旧版 Excel 格式（.xls），本程序只读取 .xlsx。"
            "请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”后再导入。"
        )
    if container is not Container.ZIP:
        raise WorkbookError(
            f"“{path.name}”不是 Excel 工作簿（.xlsx）。"
            "请选择 Excel 或 WPS 保存的 .xlsx 文件；其他格式请先另存为 .xlsx。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            too_big = [i for i in archive.infolist() if i.file_size > MAX_PART_BYTES]
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
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
    sheet_xml = sum(i.file_size for i in sheets if i.filename.endswith(".xml"))
    listed = _listed_sheets(path)
    if len(set(listed)) < len(listed):
        raise WorkbookError(
            f"“{path.name}”中有几张工作表指向同一份内容，Excel 和 WPS 不会这样保存，"
            "不像是绩效目标表格（也可能是恶意构造的文件），已拒绝读取。"
            "请在 Excel 或 WPS 中打开它并另存为 .xlsx 后再导入。"
        )
    count = max(len(sheets), len(listed))
    if count > MAX_SHEETS or sheet_xml > MAX_SHEETS_BYTES:
        raise WorkbookError(
            f"“{path.name}”有 {count} 张工作表、解压后 {sheet_xml // 1024 // 1024} MB，"
            f"超过了可导入的上限（{MAX_SHEETS} 张、{MAX_SHEETS_BYTES // 1024 // 1024} MB），"
            "不像是绩效目标表格。请只把需要的表格复制到新工作簿后再导入。"
        )


def _listed_sheets(path: Path) -> list[str]:
    """The part each ``<sheet>`` the workbook lists is read from, in order: what openpyxl
    reads one by one (the zip's members do not say how many there are). A sheet's
    relationship id (``r:id``) is resolved through xl/_rels/workbook.xml.rels to its
    target, so that two ids naming one part are seen as one part; an id the relationships
    do not name stays as itself."""
    from defusedxml import ElementTree

    relationship = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = "xl/_rels/workbook.xml.rels"
            links = ElementTree.fromstring(archive.read(rels)) if rels in archive.namelist() else []
    except Exception as exc:  # a missing or damaged part: named like any unreadable file
        raise _unreadable(path, exc) from exc
    targets = {  # a target is relative to xl/, or absolute in the package ("/xl/…")
        link.get("Id", ""): posixpath.normpath(posixpath.join("/xl", link.get("Target", "")))
        for link in links
        if link.tag.endswith("}Relationship")
    }
    ids = [sheet.get(relationship, "") for sheet in root.iter() if sheet.tag.endswith("}sheet")]
    return [targets.get(each, each) for each in ids]


def _stream(book: Any, sheet: Any, room: int = MAX_BOOK_CELLS) -> _Sheet:
    """All non-empty cells of a read-only sheet, without trusting its stored dimension;
    ``room``: cells the workbook may still have (``MAX_BOOK_CELLS`` less earlier sheets').
    Every ``<c>`` element counts against ``MAX_CELLS`` and ``room``, empty or not (400,000
    empty cells on 990 sheets once took two minutes).

    Reading stops ``MAX_EMPTY_RUN`` rows after the last value; merged ranges come from a
    separate fast scan of the sheet XML (they are stored after all rows).
    """
    values: dict[tuple[int, int], Any] = {}
    formats: dict[tuple[int, int], str] = {}
    uncalculated: list[tuple[int, int]] = []
    last_value_row = cells = 0
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=set(),  # numbers stay numbers: cell_text reads dates by their format
            timedelta_formats=set(),
        )
        for index, row in parser.parse():
            if index - last_value_row > MAX_EMPTY_RUN:
                break
            for cell in row:
                cells += 1
                _check_cell_count(sheet.title, cells, room)
                if cell.pop("uncalculated"):
                    uncalculated.append((cell["row"], cell["column"]))
                if cell["value"] is None:
                    continue
                key = (cell["row"], cell["column"])
                values[key] = cell["value"]
                formats[key] = _format_code(book, cell["style_id"])
                last_value_row = index
    filled = _Sheet(
        sheet.title,
        values,
        formats,
        _merged_ranges(sheet),
        uncalculated,
        epoch=book.epoch,
        cells=cells,
    )
    _fill_merged(filled, last_value_row)
    return filled


def _check_cell_count(title: str, cells: int, room: int) -> None:
    """Refuse a sheet (``title``) once its ``cells``-th cell is read: more than
    ``MAX_CELLS`` in the sheet, or more than ``room`` left in the workbook
    (``MAX_BOOK_CELLS``).

    Raises ``WorkbookError`` naming the sheet or the workbook and the limit."""
    if cells > min(MAX_CELLS, room):
        where, limit = (
            (f"工作表“{title}”", MAX_CELLS)
            if cells > MAX_CELLS
            else (f"这个工作簿（读到工作表“{title}”时）", MAX_BOOK_CELLS)
        )
        raise WorkbookError(
            f"{where}有超过 {limit} 个单元格（含空的），"
            "不像是绩效目标表格。请只复制需要的表格到新工作簿后再导入。"
        )


def _fill_merged(filled: _Sheet, last_value_row: int) -> None:
    """Give every cell of a merged range of ``filled`` whose first cell holds a value that
    value and its format (cells holding their own keep them), within the columns that hold
    values and ``MAX_EMPTY_RUN`` rows past ``last_value_row`` (A1:XFD1048576 is 17 billion
    cells).

    Raises ``WorkbookError`` naming a range that would fill the sheet past ``MAX_CELLS``."""
    values, formats = filled.values, filled.formats
    last_column = max((c for _, c in values), default=0)
    for min_col, min_row, max_col, max_row in filled.merged:
        if (min_row, min_col) in values:
            # only within the columns that hold values: A1:XFD1048576 is 17 billion cells
            rows = range(min_row, min(max_row, last_value_row + MAX_EMPTY_RUN) + 1)
            columns = range(min_col, min(max_col, last_column) + 1)
            if len(values) + len(rows) * len(columns) > MAX_CELLS:
                raise WorkbookError(
                    f"工作表“{filled.title}”的合并单元格 {get_column_letter(min_col)}{min_row}:"
                    f"{get_column_letter(max_col)}{max_row} 太大（填满后超过 {MAX_CELLS} 个"
                    "单元格），不像是绩效目标表格。请取消这个合并后再导入。"
                )
            for r in rows:
                for c in columns:
                    values.setdefault((r, c), values[(min_row, min_col)])
                    formats.setdefault((r, c), formats[(min_row, min_col)])


#: The built-in number formats (numFmtId) of zh-CN Excel and WPS that openpyxl does not know:
#: a file stores only the id for them (ECMA-376 Part 1, 18.8.30, zh-cn). 27–36 and 50–58
#: are dates and times; 15–21 are in openpyxl's table, 14 and 22 (the system's short
#: date) are given as a zh-CN screen shows them.
EAST_ASIAN_FORMATS = {
    14: "yyyy/m/d",  # the short date: on a zh-CN screen 2022/12/31
    22: "yyyy/m/d h:mm",
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}


def _format_code(book: Any, style_id: int) -> str:
    """The number format code of a cell style of ``book``: custom, built-in, or one of
    ``EAST_ASIAN_FORMATS``; ``General`` when unknown."""
    styles = book._cell_styles
    number_format = styles[style_id].numFmtId if 0 <= style_id < len(styles) else 0
    if number_format >= BUILTIN_FORMATS_MAX_SIZE:
        custom = book._number_formats
        index = number_format - BUILTIN_FORMATS_MAX_SIZE
        return str(custom[index]) if index < len(custom) else "General"
    return EAST_ASIAN_FORMATS.get(number_format) or BUILTIN_FORMATS.get(number_format) or "General"


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
            if len(found) > MAX_MERGED_RANGES:  # each cell is looked up among them
                raise WorkbookError(
                    f"工作表“{sheet.title}”有超过 {MAX_MERGED_RANGES} 个合并单元格，"
                    "不像是绩效目标表格。请只复制需要的表格到新工作簿后再导入。"
                )
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


def cell_text(value: Any, number_format: str = "General", epoch: datetime = WINDOWS_EPOCH) -> str:
    """A cell as the clerk means it: the number it holds without float noise and without
    the rounding its format shows (0.95 under a percent format is ``95%``, 6923.3552 under
    ``#,##0.00`` stays 6923.3552), a date (any built-in or custom date format, ``epoch``
    the workbook's day 0) as 2022年12月31日 with the parts its format shows (2022年12月,
    12月31日), text stripped of surrounding blanks."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date | time):
        return _date_text(value, number_format)
    if isinstance(value, int | float | Decimal):
        number = value if isinstance(value, Decimal) else _exact(value)
        if is_date_format(number_format) and not is_timedelta_format(number_format):
            try:
                return _date_text(from_excel(float(number), epoch), number_format)
            except (OverflowError, ValueError, TypeError):
                return _plain(number)
        if _is_percent(number_format):
            return f"{_plain(number * 100)}%"
        return _plain(number)
    return str(value).strip()


def _section(number_format: str) -> str:
    """The positive-number section of a format, without quoted text and [..] groups."""
    return STRIP_RE.sub("", number_format.split(";")[0])


def _is_percent(number_format: str) -> bool:
    return "%" in _section(number_format).replace("\\%", "")


#: A minute field: m/mm right after an hour or right before a second (else m is a month).
_MINUTES = re.compile(r"(h+[^a-z]*)m+|m+([^a-z]*s)")


def _date_parts(number_format: str) -> set[str]:
    """Which of year, month, day, time a date format shows (all three date parts for a
    format that names none, such as the system long date [$-F800])."""
    code = re.sub(r"\\.", "", _section(number_format).lower())
    dateless = _MINUTES.sub(r"\1\2", code)
    parts = {
        name
        for name, letters, text in (
            ("year", "ye", code),
            ("month", "m", dateless),
            ("day", "d", code),
            ("time", "hs", code),
        )
        if any(letter in text for letter in letters)
    }
    return parts if parts - {"time"} or "time" in parts else {"year", "month", "day"}


def _date_text(moment: datetime | date | time, number_format: str) -> str:
    """A date or time in the form the forms write it: 2022年12月31日, 2022年12月, 12月31日,
    9:30 (the parts the cell's format shows)."""
    parts = _date_parts(number_format)
    text = ""
    if isinstance(moment, date):
        if "year" in parts:
            text += f"{moment.year}年"
        if "month" in parts:
            text += f"{moment.month}月"
        if "day" in parts:
            text += f"{moment.day}日"
    if isinstance(moment, datetime) and text and moment.time() == time(0):
        parts.discard("time")  # a date with a time format, at midnight: the date
    if "time" in parts and isinstance(moment, datetime | time):
        text += (" " if text else "") + f"{moment.hour}:{moment.minute:02d}"
    return text or f"{moment}"


#: Tokens of a date format as a cell shows it (what ``displayed_text`` can render).
_DATE_TOKENS = re.compile(
    r'"[^"]*"|\\.|\[\$-[0-9a-f]+\]|\[[^\]]*\]'
    r"|mmmm+|mmm|dddd+|ddd|am/pm|a/p|yyyy|yy|e|mm|m|dd|d|hh|h|ss|s|.",
    re.I,
)


def displayed_text(value: Any, number_format: str, epoch: datetime = WINDOWS_EPOCH) -> str | None:
    """What Excel or WPS shows in a cell holding the number ``value`` (Decimal) under
    ``number_format``, where this module can tell: fixed decimals, thousands separators,
    percent, numeric dates (2022/12/31, 2022-12-31, 2022年12月31日). None otherwise
    (text, General, and formats it does not render), so a caller compares only what it
    knows."""
    if not isinstance(value, Decimal):
        return None
    if is_date_format(number_format) and not is_timedelta_format(number_format):
        return _displayed_date(value, number_format, epoch)
    section = re.sub(r"\[\$-[0-9A-Fa-f]+\]", "", number_format.split(";")[0])
    if not re.fullmatch(r"[#,0]*0(\.0+)?%?|#,##0(\.0+)?%?", section):
        return None
    decimals = len(section.partition(".")[2].rstrip("%"))
    number = value * 100 if section.endswith("%") else value
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = f"{rounded:,.{decimals}f}" if "," in section else f"{rounded:.{decimals}f}"
    return shown + ("%" if section.endswith("%") else "")


def _displayed_date(value: Decimal, number_format: str, epoch: datetime) -> str | None:
    try:
        moment = from_excel(float(value), epoch)
    except (OverflowError, ValueError, TypeError):
        return None
    if not isinstance(moment, datetime):
        return None
    tokens = _DATE_TOKENS.findall(number_format.split(";")[0])
    out = []
    for index in range(len(tokens)):
        shown = _date_token_text(tokens, index, moment)
        if shown is None:
            return None
        out.append(shown)
    return "".join(out)


def _date_token_text(tokens: list[str], index: int, moment: datetime) -> str | None:
    """What the date format's token ``tokens[index]`` shows of ``moment``: a quoted or
    escaped literal, a date or time field (``_date_field_text``), nothing for a locale
    (``[$-804]``) or ``@``, the token itself for other characters; None when this module
    does not render it (``[DBNum1]`` Chinese numerals, colours, conditions; month and day
    names, AM/PM)."""
    token = tokens[index]
    low = token.lower()
    if low.startswith('"'):
        return token[1:-1]
    if low.startswith("\\"):
        return token[1:]
    if low.startswith("[$-") or low == "@":
        return ""
    if low.startswith("["):
        return None  # [DBNum1] Chinese numerals, colours, conditions: not rendered here
    field = _date_field_text(tokens, index, moment)
    if field is not None:
        return field
    if low in ("am/pm", "a/p") or (low.isalpha() and low.isascii()):
        return None  # mmm, dddd, AM/PM…: names this module does not render
    return token


def _date_field_text(tokens: list[str], index: int, moment: datetime) -> str | None:
    """The year, month, day, hour, minute or second of ``moment`` as the token
    ``tokens[index]`` (yyyy, e, yy, m, mm, d, dd, h, hh, s, ss) shows it, or None for
    another token. ``m``/``mm`` is the minute after an hour or before a second (as in
    Excel), else the month."""
    low = tokens[index].lower()
    if low in ("yyyy", "e"):
        return f"{moment.year}"
    if low == "yy":
        return f"{moment.year % 100:02d}"
    if low in ("m", "mm"):
        before = "".join(tokens[:index]).lower().rstrip(" :")
        after = "".join(tokens[index + 1 :]).lower().lstrip(" :")
        minute = before.endswith(("h", "hh")) or after.startswith("s")
        number = moment.minute if minute else moment.month
        return f"{number:02d}" if low == "mm" else f"{number}"
    if low in ("d", "dd"):
        return f"{moment.day:02d}" if low == "dd" else f"{moment.day}"
    if low in ("h", "hh"):
        return f"{moment.hour:02d}" if low == "hh" else f"{moment.hour}"
    if low in ("s", "ss"):
        return f"{moment.second:02d}" if low == "ss" else f"{moment.second}"
    return None


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
    """An amount (万元) or a number of percent from a cell: the number it holds, exactly
    (never rounded to the decimals its format shows: 6923.3552 under ``0.00`` is
    6923.3552), with the trailing zeros its format shows (184 under ``0.00`` is 184.00,
    as the clerk typed it in our export)."""
    value, number_format = sheet.value(row, column), sheet.format(row, column)
    where = f"工作表“{sheet.title}”{get_column_letter(column)}{row} 单元格"
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = value if isinstance(value, Decimal) else _exact(value)
        number = Decimal(_plain(number * (100 if percent and _is_percent(number_format) else 1)))
        decimals = _format_decimals(_section(number_format))
        if decimals is not None and -number.as_tuple().exponent < decimals:  # type: ignore[operator]  # a finite Decimal's exponent is an int
            try:
                number = number.quantize(Decimal(1).scaleb(-decimals))
            except InvalidOperation as exc:
                raise WorkbookError(f"{where}的数字太大：{value}。") from exc
        text = format(number, "f")
        shown = displayed_text(value if isinstance(value, Decimal) else number, number_format)
        if shown is not None and shown.replace(",", "").rstrip("%") != text:
            why = "单元格按格式只显示几位小数，导入的是单元格里存的数"
            cell = f"{get_column_letter(column)}{row}"
            sheet.changes.append(
                ValueChange(row, cell, shown, text + ("%" if percent else ""), why, sheet.title)
            )
    else:
        text = str(value)
    try:
        parsed = parse_percent(text) if percent else parse_amount(text)
    except ValueError as exc:
        raise WorkbookError(f"{where}：{exc}") from exc
    return parsed


def _is_part1(sheet: _Sheet) -> bool:
    texts = [sheet.text(row, 1) for row in range(1, 4)]
    return texts == [*PART1_TITLE, layout.PART1_LABELS["unit_code"]]


def _exported(sheets: list[_Sheet], properties: dict[str, str]) -> ExportedWorkbook:
    """Our export: 第一部分 then one sheet per budget project (found by its 项目编码 label).

    The declaration and each project sheet whose title is unchanged keep the UUIDs the
    export recorded (``workbook.identity_properties``), so that a workbook sent back can be
    merged with the file it came from; every other row is new.
    """
    part1 = sheets[0]
    skipped: list[SkippedRow] = []
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
    declaration.budget_projects.extend(projects)
    _read_part1(part1, declaration, projects, skipped)
    changes = [change for sheet in sheets for change in sheet.changes]
    return ExportedWorkbook(declaration, skipped, changes)


def _read_part1(
    sheet: _Sheet,
    declaration: Declaration,
    projects: list[BudgetProject],
    skipped: list[SkippedRow],
) -> None:
    section, sentence_row, key_task_rows = "", 0, False
    for row in range(3, sheet.last_row + 1):
        label = sheet.text(row, 1)
        if label in (SECTION_OVERALL, SECTION_ITEMS, SECTION_SAFEGUARDS):
            section, key_task_rows = label, False
            sentence_row = row + 1 if label == SECTION_OVERALL else 0
            continue
        if row == sentence_row:
            continue  # the budget sentence is generated from the fields below it
        if section == SECTION_ITEMS:  # whatever an item target's title says
            if label != layout.ITEM_TARGET_HEADERS[0]:
                _item_target_row(sheet, row, declaration, projects, skipped)
        elif label == layout.KEY_TASK_HEADERS[0]:  # 序号: no field's label
            key_task_rows = True
        else:
            key_task = key_task_rows and section == SECTION_OVERALL
            _part1_row(sheet, row, label, declaration, key_task=key_task)
    if not declaration.fiscal_year:
        raise WorkbookError(f"工作表“{sheet.title}”缺少预算年度，无法导入。请填写后重试。")


#: 第一部分's labels in column A -> the field each row starts with (``workbook.PART1_LABELS``)
_PART1_FIELDS = {label: name for name, label in layout.PART1_LABELS.items()}


def _part1_row(
    sheet: _Sheet, row: int, label: str, declaration: Declaration, *, key_task: bool
) -> None:
    """Read one row of 第一部分 outside 分项绩效目标 into ``declaration`` by its ``label``
    (column A): 单位编码, 预算年度, 申请预算资金 and 总体绩效目标 each set their fields; a
    row under the 年度主要任务 header of § 一 (``key_task``) is a key task; 工作保障措施 sets
    the safeguard measures; any other row is left.

    Raises ``WorkbookError`` (from ``_year``, ``_amount``) for a year or an amount that
    cannot be read."""
    field = _PART1_FIELDS.get(label)
    if field == "unit_code":
        declaration.unit_code = _raw_text(sheet, row, 2)
        declaration.unit_name = _raw_text(sheet, row, 4)
    elif field == "fiscal_year":
        declaration.fiscal_year = _year(sheet, row)
        declaration.amount_unit = sheet.text(row, 4) or "万元"
        declaration.profile = _profile(sheet.text(row, 6))
    elif field == "total_budget":
        declaration.total_budget = _amount(sheet, row, 2)
        declaration.special_projects_note = _raw_text(sheet, row, 4)
    elif field == "overall_target":
        declaration.overall_target = _raw_text(sheet, row, 2)
    elif key_task:
        declaration.key_tasks.append(
            KeyTask(title=_raw_text(sheet, row, 2), body=_raw_text(sheet, row, 3))
        )
    elif field == "safeguard_measures":
        declaration.safeguard_measures = _raw_text(sheet, row, 2)


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


def _indicator_list(sheet: _Sheet) -> IndicatorList | None:
    """The indicator list of ``sheet``: its header (one row, or up to ``MAX_HEADER_ROWS``:
    a merged group such as 绩效指标 above 一级/二级/三级指标, 指标值 above 指标性质/指标值/
    度量单位) within the first rows, then data."""
    filled: dict[int, set[int]] = {}  # row -> its columns with a value, for the rows searched
    for r, c in sheet.values:
        if r <= HEADER_SEARCH_ROWS + 1:
            filled.setdefault(r, set()).add(c)
    for header_row in range(1, min(sheet.last_row, HEADER_SEARCH_ROWS) + 1):
        depth = 1  # each row that forms one header with the row below adds it
        while depth < MAX_HEADER_ROWS and _is_two_row_header(
            sheet, header_row + depth - 1, filled.get(header_row + depth, set())
        ):
            depth += 1
        band = set().union(*(filled.get(r, set()) for r in range(header_row, header_row + depth)))
        headers = _header_texts(sheet, header_row, depth, band)
        columns: dict[str, int] = {}
        for column, text in headers.items():
            found = header_field(text)
            if found is not None and found not in columns:
                columns[found] = column
        if "target_value" in columns and ({"level3", "description"} & columns.keys()):
            return _indicator_rows(sheet, (header_row, depth), columns, headers)
    return None


def _own_text(sheet: _Sheet, row: int, column: int) -> str:
    """The text of a cell that is not the continuation of a merged cell ("" otherwise)."""
    value = sheet.value(row, column)
    if sheet.merged_into(row, column) is not None or not isinstance(value, str):
        return ""
    return value.strip()


def _is_two_row_header(sheet: _Sheet, row: int, below: set[int]) -> bool:
    """True when ``row`` and the row below form one header: the row below names at least
    two indicator columns exactly, and ``row`` holds a group above them (a cell merged
    across columns whose name speaks of 指标, such as 绩效指标) or a header cell merged
    down into the row below (指标值 over both rows). ``below``: the columns of the row
    below that hold a value."""
    named = {
        HEADER_NAMES[normal_header(text)]
        for column in below
        if (text := _own_text(sheet, row + 1, column)) and normal_header(text) in HEADER_NAMES
    }
    if len(named) < 2:
        return False
    for min_col, min_row, max_col, max_row in sheet.merged:
        if min_row != row:
            continue
        text = normal_header(_own_text(sheet, row, min_col))
        group = max_row == row and max_col > min_col and "指标" in text and len(text) <= 12
        if group or (max_row > row and header_field(text) is not None):
            return True
    return False


def _header_texts(sheet: _Sheet, row: int, depth: int, columns: set[int]) -> dict[int, str]:
    """Column (of ``columns``, those with a value in the header rows) -> its header text:
    the lowest of the ``depth`` header rows that has one (a merged cell's text counts in
    every row it covers; a group above sub-headers gives way to them), line breaks and
    runs of blanks as one space."""
    headers: dict[int, str] = {}
    for column in sorted(columns):
        for r in range(row + depth - 1, row - 1, -1):
            value = sheet.value(r, column)
            top = sheet.merged_into(r, column)
            if top is not None and top[1] != column:
                break  # covered by a merge from the left: not a column of its own
            if isinstance(value, str) and value.strip():
                headers[column] = " ".join(value.split())
                break
    return headers


@dataclass(frozen=True)
class ValueChange:
    """A value the import writes in another form than the cell shows (1-based sheet row)."""

    row: int
    column: str  # the header text (the cell, e.g. D4, for our export's fixed layout)
    shown: str  # what the cell (or cells) show
    imported: str
    why: str
    sheet: str = ""  # named for our export (several sheets), not for an indicator list

    def __str__(self) -> str:
        if self.sheet:
            place = f"工作表“{self.sheet}”{self.column}"
        else:
            place = f"第 {self.row} 行“{self.column}”"
        return f"{place}：{self.shown} → {self.imported}（{self.why}）"


def _indicator_rows(
    sheet: _Sheet, band: tuple[int, int], columns: dict[str, int], headers: dict[int, str]
) -> IndicatorList:
    """The rows below the header ``band`` (first row, number of rows) as indicators;
    ``columns`` maps fields (printed, and the ``TARGET_VALUE_PARTS``) to their column,
    ``headers`` every column to its header."""
    first, depth = band
    header_row = first + depth - 1
    header_words = {
        normal_header(str(value))
        for (r, _), value in sheet.values.items()
        if first <= r <= header_row and isinstance(value, str)
    }
    found = IndicatorList(sheet.title, {name: headers[column] for name, column in columns.items()})
    fields = [name for name in columns if name in INDICATOR_FIELDS]
    signs_used = False
    for row in range(header_row + 1, sheet.last_row + 1):
        texts = {name: sheet.text(row, column) for name, column in columns.items()}
        if not any(texts.values()):
            continue
        own_field = all(header_field(text) == name for name, text in texts.items() if text)
        if own_field or all(normal_header(t) in header_words for t in texts.values() if t):
            found.skipped.append(SkippedRow(sheet.title, row, "重复的表头（分页打印的表格常有）"))
            continue
        if not (texts.get("level3") or texts.get("description") or texts.get("target_value")):
            found.skipped.append(
                SkippedRow(sheet.title, row, "没有三级指标、绩效指标描述和指标值，不是一条指标")
            )
            continue
        indicator = {name: texts.get(name, "") for name in INDICATOR_FIELDS}
        changes = _displayed_changes(sheet, row, fields, columns, headers, indicator)
        changes += _standard_levels(row, columns, headers, indicator)
        original = indicator["target_value"]
        value = original
        signs_used = signs_used or bool(comparison_sign(texts.get("comparison", "")))
        value = joined_target_value(half_width_numbers(value), texts)
        if value != original:
            shown, why = original, "全角数字改为半角"
            if value != half_width_numbers(original):  # a sign or a unit joined it
                shown = "、".join(
                    f"{headers[columns[name]]}“{texts.get(name, '')}”"
                    for name in ("comparison", "target_value", "unit_of_measure")
                    if name in columns
                )
                why = "合并为一个指标值"
            changes.append(ValueChange(row, headers[columns["target_value"]], shown, value, why))
        indicator["target_value"] = value
        found.indicators.append(indicator)
        found.rows.append(row)
        found.changes += changes
    if "comparison" in columns and not signs_used:  # 指标性质 as 定量/定性: not imported
        del columns["comparison"], found.columns["comparison"]
    used = set(columns.values())
    found.ignored = [text for column, text in sorted(headers.items()) if column not in used]
    found.ignored += [
        f"{get_column_letter(column)}列（无表头）"
        for column in sorted({c for r, c in sheet.values if r > header_row} - used - set(headers))
        if any(sheet.text(r, column) for r in found.rows)
    ]
    found.doubts = _doubts(found)
    found.uncalculated = [(r, c) for r, c in sheet.uncalculated if r > header_row and c in used]
    return found


def _displayed_changes(
    sheet: _Sheet,
    row: int,
    fields: list[str],
    columns: dict[str, int],
    headers: dict[int, str],
    indicator: dict[str, str],
) -> list[ValueChange]:
    """The ``fields`` of ``row`` (an indicator, its texts as imported in ``indicator``)
    whose cells show another text than is imported: a date (imported as 年月日) or a number
    the cell's format rounds (imported as stored), each a ``ValueChange`` under its
    column's header."""
    changes = []
    for name in fields:
        column = columns[name]
        shown = displayed_text(sheet.value(row, column), sheet.format(row, column), sheet.epoch)
        if shown is not None and shown != indicator[name]:
            why = (
                "日期按“年月日”的写法导入"
                if is_date_format(sheet.format(row, column))
                else "单元格按格式只显示几位小数，导入的是单元格里存的数"
            )
            changes.append(ValueChange(row, headers[column], shown, indicator[name], why))
    return changes


def _standard_levels(
    row: int, columns: dict[str, int], headers: dict[int, str], indicator: dict[str, str]
) -> list[ValueChange]:
    """Write the level-1 and level-2 indicator of ``indicator`` (``row``'s texts) by their
    standard names (``standard_name``); returns a ``ValueChange`` for each one renamed."""
    changes = []
    for level in ("level1", "level2"):
        name = standard_name(indicator[level])
        if name != indicator[level]:
            changes.append(
                ValueChange(row, headers[columns[level]], indicator[level], name, "统一为标准名称")
            )
            indicator[level] = name
    return changes


def _doubts(found: IndicatorList) -> list[str]:
    """Signs that the header was misread: a 三级指标 that is the name of a 一级/二级指标, a
    一级指标 that is none of the form's (a column taken for another)."""
    level2_names = {name for names in LEVEL2_BY_LEVEL1.values() for name in names}
    doubts = []
    for row, indicator in zip(found.rows, found.indicators, strict=True):
        level3 = indicator["level3"]
        if level3 and (level3 in LEVEL2_BY_LEVEL1 or level3 in level2_names):
            doubts.append(f"第 {row} 行的三级指标“{level3}”是一级或二级指标的名称")
        level1 = indicator["level1"]
        if level1 and level1 not in LEVEL2_BY_LEVEL1:
            doubts.append(f"第 {row} 行的一级指标“{level1}”不是表中的一级指标")
    return doubts
