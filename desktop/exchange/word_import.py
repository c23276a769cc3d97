"""Reading a 部门预算绩效文本 from Word (.docx): last year's text as a new declaration.

What is read (DESIGN.md, the reference document): Part 1 sections found by their heading
text (一、总体绩效目标 / 二、分项绩效目标 / 三、工作保障措施, whatever the style or numbering),
the budget sentence, the key tasks, the 分项目标 lines and the safeguard paragraphs; Part 2
tables found by their 项目编码 label: code, name, amounts (exact, as written), 资金用途,
资金支出计划, 绩效目标 and the indicator grid. Labels are compared without spaces of any
width (项 目 编 码). Merged cells are read from the table XML (``w:gridSpan``,
``w:vMerge``): a vertical continuation takes the text of the cell above it, so merged
一级/二级 cells are filled down; python-docx's ``cell()`` repeats merged cells and cannot
tell. A table continued in a second table (split over pages, with or without the header
row again) joins the project before it, its blank 一级/二级 cells carried down as a paste's
are (``fill_merged_labels``: Word keeps the merge in both parts, a table cut by hand does
not); a table nested in a cell is read after its table; a table with neither 项目编码 nor
an indicator header is a layout table, its cells read as paragraphs. A unit line typed as
one paragraph is parted at tabs and full-width or double spaces (单位：万元 read apart).
What is not understood is listed with its reason, never dropped silently.

Safety: the zip is checked before python-docx opens it (member count and sizes bounded,
no DTD in any XML part: OOXML has none, so one is hostile); python-docx parses with lxml
without resolving entities or allowing huge trees (``docx.oxml.parser``). Nothing here
writes anything. Must not import Qt.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.exchange.errors import WordError
from desktop.exchange.headers import INDICATOR_FIELDS, header_field, joined_target_value
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
from desktop.models.base import new_uuid
from desktop.models.declaration import PendingInput
from desktop.models.labels import (
    FIELD_LABELS,
    ITEM_TARGETS_INTRO,
    PART1_TITLE,
    PART2_TITLE,
    ROW_KINDS,
    SECTION_ITEMS,
    SECTION_OVERALL,
    SECTION_SAFEGUARDS,
    TARGET_VALUE_PARTS,
    section_title,
)
from desktop.models.values import (
    fill_merged_labels,
    normal_code,
    parse_amount,
    parse_percent,
)

#: Largest uncompressed member of a .docx we read (pictures included).
MAX_PART_BYTES = 100 * 1024 * 1024
#: Largest uncompressed XML part: lxml holds a parsed tree in several times its size, and
#: the document.xml of a real 绩效文本 is a few MB (the sample's: 0.1 MB).
MAX_XML_BYTES = 50 * 1024 * 1024
#: Most members in the zip (Word writes about 15; images add one each).
MAX_MEMBERS = 5_000
#: Largest total uncompressed size.
MAX_TOTAL_BYTES = 300 * 1024 * 1024

#: words of a signature block (填报人 …) laid out as a table after the last project table
SIGNATURE_WORDS = ("填报人", "负责人", "联系电话", "填报日期", "盖章")
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标")
#: Part 1's section titles (models/labels.py) -> the section read under each
SECTIONS = {
    section_title(SECTION_OVERALL): "overall",
    section_title(SECTION_ITEMS): "items",
    section_title(SECTION_SAFEGUARDS): "safeguards",
}

_NUMBERING = r"(?:第?[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])"
_SECTION = re.compile(rf"^{_NUMBERING}?({'|'.join(SECTIONS)})[:：。]?$")
_AMOUNT = r"[0-9０-９][0-9０-９,，.．]*"
_BUDGET_SENTENCE = re.compile(
    rf"^本(?:部门|单位)\s*([0-9０-９]{{4}})\s*年度?\s*申请预算资金\s*(?:为|共计|合计)?\s*"
    rf"({_AMOUNT}|_+)\s*万元\s*(?:[，,；;]\s*(.*?))?\s*[。.]?$"
)
_ITEM_HEADING = re.compile(
    rf"^(?!{_NUMBERING})(.+?)\s*[，,、；;]?\s*预算(?:资金|数)\s*[为:：]?\s*({_AMOUNT})\s*万元\s*[。.]?$"
)
_LEVEL1_LINE = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.．、]\s*(.+?)\s*[。.]?$")
_STATEMENT_NUMBER = re.compile(r"^\s*[（(]\s*\d+\s*[)）]\s*")
_LEVEL2_LEAD = re.compile(r"^([\u4e00-\u9fff]{1,12}指标)\s*[。.:：]\s*(.*)$", re.S)
#: a budget project's field name -> its term on the form (models/labels.py)
_PROJECT_LABELS = FIELD_LABELS[BudgetProject]
#: the names of the 预算数 cell: the form's term and other templates' (models/labels.py)
_BUDGET_AMOUNT_LABELS = (
    ROW_KINDS[BudgetProject].field("budget_amount").label,
    *ROW_KINDS[BudgetProject].field("budget_amount").synonyms,
)
#: labels of the amount row: 预算数 (and its other names), 其他资金, 财政资金 (read by its 财政)
_AMOUNT_LABELS = (
    *_BUDGET_AMOUNT_LABELS,
    _PROJECT_LABELS["other_funds"],
    _PROJECT_LABELS["fiscal_funds"],
)
#: the title above a project table; its number may come from Word's list numbering
_TABLE_TITLE = re.compile(r"^(?:\d+\s*[.．、]?\s*)?(.+?)\s*绩效目标表$")
_UNIT_OF_AMOUNTS = re.compile(r"^单位\s*[:：]\s*(\S+)$")
#: the gap between the unit line's parts when it is one paragraph ("507002乐亭县机关事务中心",
#: tabs or spaces, "单位：万元"): a tab, a full-width space or two ASCII spaces, with any around
_GAP = re.compile(r"\s*(?:\t|\u3000| {2})\s*")
_UNIT_LINE = re.compile(r"^([0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{3,20})\s*([\u4e00-\u9fff（）()].*)$")
#: the unit line typed with a label and no code: 单位名称：… 填报单位：…
_UNIT_NAME = re.compile(r"^(?:单位名称|(?:填报|编制|预算|申报)单位)\s*[:：]\s*(\S.*)$")


@dataclass(frozen=True)
class Notice:
    """Something of the document not imported, or imported with a doubt: where and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass
class WordContent:
    """A 绩效文本 read from Word: an unsaved declaration (with refused values as pending
    input, as typing them would leave them), what was not understood, and the paragraphs
    that fitted nowhere (text, in document order)."""

    declaration: Declaration
    not_understood: list[Notice] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def normal_label(text: str) -> str:
    """A label as compared: full-width forms folded, every space (also 　) and line break
    dropped, brackets full-width (项 目 编 码 -> 项目编码, 资金支出计划(%) -> 资金支出计划（%）)."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).replace("(", "（").replace(")", "）")


# --- the container --------------------------------------------------------------------


def _check_container(path: Path) -> None:
    """Refuse what is not a .docx zip (old .doc, .wps, encrypted file, .odt) or is hostile."""
    try:
        container = container_of(path)
    except OSError as exc:
        raise WordError(f"无法读取“{path}”，请确认文件存在、U盘已插好且有读取权限。") from exc
    _refuse_kind(path, container)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(path, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _damaged(path) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted zip
        raise _damaged(path) from exc


def _refuse_kind(path: Path, container: Container) -> None:
    """Refuse a file whose ``container`` (``container_of``) is not a zip: an encrypted
    file, an old .wps or .doc (OLE), anything else; each with what to do in Word or WPS.

    Raises ``WordError``."""
    if container is Container.ENCRYPTED:
        raise WordError(
            f"“{path.name}”设有打开密码，无法读取。请在 Word 或 WPS 中打开它，取消密码"
            "（Word：文件→信息→保护文档→用密码进行加密，清空密码；WPS：文件→文档加密）后保存，"
            "再导入。"
        )
    if container is Container.OLE and path.suffix.lower() == ".wps":
        raise WordError(
            f"“{path.name}”是 WPS 文字的旧格式（.wps），本程序只读取 .docx。请在 WPS 中打开它，"
            "另存为“Word 文件（*.docx）”后再导入。"
        )
    if container is Container.OLE:
        raise WordError(
            f"“{path.name}”是旧版 Word 格式（.doc），本程序只读取 .docx。请在 Word 或 WPS 中"
            "打开它，另存为“Word 文档（*.docx）”后再导入。"
        )
    if container is not Container.ZIP:
        raise WordError(
            f"“{path.name}”不是 Word 文档（.docx）。请选择 Word 或 WPS 保存的 .docx 文件；"
            "其他格式（.doc、.wps、.pdf）请先在 Word 或 WPS 中另存为 .docx。"
        )


def _check_members(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse the zip ``archive`` of ``path`` unless it is a bounded .docx: at most
    ``MAX_MEMBERS`` parts, none over ``MAX_PART_BYTES`` (XML over ``MAX_XML_BYTES``), all
    together at most ``MAX_TOTAL_BYTES``; not an OpenDocument file; a ``word/document.xml``;
    no XML part with a DTD.

    Raises ``WordError``; the zip's own errors (``zipfile.BadZipFile``, ``OSError`` …)
    pass to the caller."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _hostile(path, f"含有 {len(members)} 个部件")
    too_big = [
        m
        for m in members
        if m.file_size > MAX_PART_BYTES
        or (m.filename.endswith((".xml", ".rels")) and m.file_size > MAX_XML_BYTES)
    ]
    if too_big or sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        name = too_big[0].filename if too_big else "全部内容"
        raise _hostile(path, f"“{name}”解压后过大")
    names = {m.filename for m in members}
    kind = archive.read("mimetype")[:100] if "mimetype" in names else b""
    if kind.startswith(b"application/vnd.oasis.opendocument"):
        raise WordError(
            f"“{path.name}”是 OpenDocument 文档（.odt），本程序只读取 .docx。"
            "请在 WPS 或 LibreOffice 中打开它，另存为“Word 文档（*.docx）”后再导入。"
        )
    if "word/document.xml" not in names:
        raise WordError(
            f"“{path.name}”不是 Word 文档（.docx）：其中没有正文部分。"
            "请选择 Word 或 WPS 保存的绩效文本 .docx 文件。"
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")) and _has_dtd(archive, member):
            raise WordError(
                f"“{path.name}”含有不安全的 XML 内容（文档类型定义，可能是恶意构造的"
                "文件），已拒绝读取。"
            )


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the XML member declares a DTD (where entities are defined), read in chunks."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                return True
            tail = data[-16:]
    return False


def _hostile(path: Path, what: str) -> WordError:
    return WordError(f"“{path.name}”{what}，不像是绩效文本（也可能是恶意构造的文件），已拒绝读取。")


def _damaged(path: Path) -> WordError:
    return WordError(
        f"“{path.name}”已损坏或不是有效的 Word 文档，无法读取。请在 Word 或 WPS 中打开它"
        "并另存为 .docx 后再导入。"
    )


# --- the document as blocks --------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class _Cell:
    column: int  # first grid column, 0-based
    span: int
    text: str
    continued: bool  # a vertical merge continuation (w:vMerge without restart)


@dataclass
class _Table:
    rows: list[list[_Cell]]
    index: int  # 1-based, in document order, for messages


@dataclass
class _Paragraph:
    text: str
    style: str
    bold_lead: str  # the text of the leading bold runs ("" when the paragraph starts plain)


#: what holds runs of a paragraph that are not its text as the clerk sees it when changes
#: are accepted: deleted and moved-away text (tracked changes) and text boxes' own paragraphs
_NOT_THE_PARAGRAPHS_TEXT = frozenset(f"{_W}{tag}" for tag in ("del", "moveFrom", "txbxContent"))


def _runs(element: Any) -> Iterator[Any]:
    """The w:r of a paragraph as Word shows it with tracked changes accepted: runs inside
    insertions (w:ins, w:moveTo), smart tags, fields and hyperlinks included, deleted and
    moved-away runs left out (python-docx reads only the w:r directly below w:p)."""
    for run in element.iter(f"{_W}r"):
        outer = run.getparent()
        while outer is not element and outer.tag not in _NOT_THE_PARAGRAPHS_TEXT:
            outer = outer.getparent()
        if outer is element:
            yield run


def _paragraph(element: Any) -> _Paragraph:
    from docx.text.run import Run

    style_id = element.find(f"{_W}pPr/{_W}pStyle")
    style = style_id.get(f"{_W}val", "") if style_id is not None else ""
    runs = [Run(r, None) for r in _runs(element)]  # type: ignore[arg-type]  # no part: text only
    lead = []
    for run in runs:
        if not run.text:
            continue
        if not run.bold:
            break
        lead.append(run.text)
    return _Paragraph("".join(run.text for run in runs), style, "".join(lead))


def _children(element: Any) -> Iterator[Any]:
    """Paragraphs and tables under ``element``, content controls (w:sdt) opened."""
    for child in element.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _blocks(body: Any, counter: list[int]) -> Iterator[_Paragraph | _Table]:
    """The body as paragraphs and tables in reading order; a nested table follows its table."""
    for child in _children(body):
        if child.tag == f"{_W}p":
            yield _paragraph(child)
            continue
        counter[0] += 1
        nested: list[Any] = []
        yield _Table(_rows(child, nested), counter[0])
        for inner in nested:
            yield from _blocks_of_table(inner, counter)


def _blocks_of_table(table: Any, counter: list[int]) -> Iterator[_Paragraph | _Table]:
    counter[0] += 1
    nested: list[Any] = []
    yield _Table(_rows(table, nested), counter[0])
    for inner in nested:
        yield from _blocks_of_table(inner, counter)


def _rows(table: Any, nested: list[Any]) -> list[list[_Cell]]:
    """The rows of a w:tbl as cells on the grid; nested tables are added to ``nested``."""
    rows = []
    for tr in _children_tagged(table, "tr"):
        column = 0
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        if before is not None:
            column = _int(before.get(f"{_W}val"), 0)
        cells = []
        for tc in _children_tagged(tr, "tc"):
            properties = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid_span = properties.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = max(1, _int(grid_span.get(f"{_W}val"), 1))
                merge = properties.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
            lines = []
            for child in _children(tc):
                if child.tag == f"{_W}tbl":
                    nested.append(child)
                else:
                    lines.append(_paragraph(child).text)
            cells.append(_Cell(column, span, "\n".join(lines).strip("\n"), continued))
            column += span
        rows.append(cells)
    return rows


def _children_tagged(element: Any, tag: str) -> Iterator[Any]:
    """w:tr of a table or w:tc of a row, also inside content controls."""
    for child in element.iterchildren():
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children_tagged(content, tag)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


# --- reading ----------------------------------------------------------------------------


def read_docx(path: Path) -> WordContent:
    """Read the 绩效文本 ``path`` (.docx) into an unsaved declaration, with a report.

    Amounts are exact ``Decimal`` in 万元 as written (184.00 keeps its decimals); a value
    that does not parse is kept as pending input of its field (shown red, an 错误 in the
    审核), as typing it would. Raises ``WordError`` (Chinese message) for a file that is
    not a readable .docx (old .doc or .wps, password, damaged, hostile XML), for a .docx
    that is not a 绩效文本 (neither the Part 1 headings nor a table with 项目编码), and
    when no 预算年度 can be found.
    """
    path = Path(path)
    _check_container(path)
    try:
        import docx

        document = docx.Document(str(path))
        reader = _Reader()
        for block in _blocks(document.element.body, [0]):
            reader.take(block)
        title = document.core_properties.title or ""
        subject = document.core_properties.subject or ""
    except WordError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged file
        if "entit" in str(exc).lower():
            raise WordError(f"“{path.name}”含有不安全的 XML 内容，已拒绝读取。") from exc
        raise _damaged(path) from exc
    return reader.finish(path, title, subject)


class _Reader:
    """Takes the blocks in order and builds the declaration (one pass, state: the part,
    the section, the current item target and project)."""

    def __init__(self) -> None:
        self.declaration = Declaration(fiscal_year=0)
        self.declaration.uuid = new_uuid()
        self.content = WordContent(self.declaration)
        self.section = ""  # overall / items / safeguards / part2
        self.seen_part1 = False
        self.overall: list[str] = []
        self.safeguards: list[str] = []
        self.item: ItemTarget | None = None
        self.level1 = ""
        self.project: BudgetProject | None = None
        self.project_title = ""
        #: indicator columns of the current project: grid column -> field
        self.columns: dict[int, str] = {}
        #: the last text of each grid column of the current project's indicator grid
        self.above: dict[int, str] = {}

    # blocks

    def take(self, block: _Paragraph | _Table) -> None:
        if isinstance(block, _Table):
            self._table(block)
            return
        lines = block.text.split("\n")
        for number, line in enumerate(lines):
            lead = block.bold_lead if number == 0 else ""
            self._line(line, lead, block.style if len(lines) == 1 else "")

    def _line(self, text: str, bold_lead: str, style: str) -> None:
        label = normal_label(text)
        if not label:
            return
        if label in (*PART1_TITLE, "".join(PART1_TITLE)):
            self.seen_part1 = True
            return
        if label in (*PART2_TITLE, "".join(PART2_TITLE)):
            self.section = "part2"
            return
        section = _SECTION.match(label)
        if section:
            self.section = SECTIONS[section.group(1)]
            self.seen_part1 = True
            return
        text = text.strip()
        if self.section == "overall":
            self._overall(text, bold_lead)
        elif self.section == "items":
            self._item_line(text, style)
        elif self.section == "safeguards":
            self.safeguards.append(text)
        elif self.section == "part2":
            self._part2_line(text)
        else:
            self.content.unplaced.append(text)

    def _overall(self, text: str, bold_lead: str) -> None:
        d = self.declaration
        sentence = _BUDGET_SENTENCE.match(text)
        if sentence and not d.fiscal_year and not self.overall and not d.key_tasks:
            d.fiscal_year = int(unicodedata.normalize("NFKC", sentence.group(1)))
            if not sentence.group(2).startswith("_"):
                self._amount(d, "total_budget", sentence.group(2), "申请预算资金")
            d.special_projects_note = (sentence.group(3) or "").strip().rstrip("。")
            return
        title = bold_lead.strip()
        if title.endswith("。") and 1 < len(title) <= 40 and text.startswith(title):
            d.key_tasks.append(KeyTask(title=title[:-1], body=text[len(title) :]))
            return
        first, stop, rest = text.partition("。")
        if (
            stop
            and not bold_lead
            and 1 < len(first) <= 16
            and not re.search(r"[，,：:；;、]", first)
            and (self.overall or d.key_tasks)  # the first paragraph is the overall target
        ):
            d.key_tasks.append(KeyTask(title=first, body=rest))
            return
        if d.key_tasks:
            task = d.key_tasks[-1]
            task.body = f"{task.body}\n{text}" if task.body else text
        else:
            self.overall.append(text)

    def _item_line(self, text: str, style: str) -> None:
        label = normal_label(text)
        if label == ITEM_TARGETS_INTRO:
            return
        heading = _ITEM_HEADING.match(text)
        is_heading_style = style.startswith(("Heading", "heading", "标题")) or style.isdigit()
        if heading or (is_heading_style and not _LEVEL1_LINE.match(text)):
            item = ItemTarget(title=heading.group(1) if heading else text)
            item.uuid = new_uuid()
            if heading:
                self._amount(
                    item, "budget", heading.group(2), f"分项绩效目标“{item.title}”的预算资金"
                )
            self.declaration.item_targets.append(item)
            self.item, self.level1 = item, ""
            return
        if self.item is None:
            self.content.unplaced.append(text)
            return
        level1 = _LEVEL1_LINE.match(text)
        if level1 and not _STATEMENT_NUMBER.match(text):
            name = level1.group(1)
            known = next((n for n in LEVEL1_NAMES if name == n), None) or next(
                (n for n in LEVEL1_NAMES if n[:2] in name and "指标" in name), None
            )  # 1.产出指标情况分析; not 1.项目成本控制在预算内, a statement
            if known is not None:
                self.level1 = known
                return
        rest = _STATEMENT_NUMBER.sub("", text, count=1)
        lead = _LEVEL2_LEAD.match(rest)
        level2, sentence = (lead.group(1), lead.group(2).strip()) if lead else ("", rest.strip())
        if level2 in LEVEL1_NAMES:  # 满意度指标。… names the group, not a level-2 indicator
            self.level1, level2 = level2, ""
        self.item.statements.append(
            ItemTargetStatement(level1=self.level1, level2=level2, text=sentence)
        )

    def _part2_line(self, text: str, unit_line: bool = False) -> None:
        """One paragraph of the second part outside the tables (``unit_line``: a part of
        the line above a table that also holds 单位：万元)."""
        title = _TABLE_TITLE.match(text)
        if title:
            self.project_title = title.group(1)
            return
        pieces = _GAP.split(text.strip())
        if len(pieces) > 1 and any(_UNIT_OF_AMOUNTS.match(normal_label(p)) for p in pieces):
            for piece in pieces:  # the unit line and 单位：万元 in one paragraph
                self._part2_line(piece, unit_line=True)
            return
        named = _UNIT_NAME.match(text.strip())
        if named:
            text = named.group(1).strip()
        if (named or unit_line) and self._unit_name_only(text):
            return
        self._unit_of_amounts_or_unit_line(text)

    def _unit_name_only(self, text: str) -> bool:
        """Whether ``text`` (a line named as the unit's, or a part of the line above a
        table) is the unit's name alone, with no code and not 单位：万元; the first such
        name becomes the declaration's unit name when it has none."""
        if _UNIT_OF_AMOUNTS.match(normal_label(text)) or _UNIT_LINE.match(text):
            return False
        d = self.declaration
        if not d.unit_name:
            d.unit_name = text.strip()
        return text.strip() == d.unit_name

    def _unit_of_amounts_or_unit_line(self, text: str) -> None:
        """One paragraph of the second part that is not a table's title or the unit's name
        alone: 单位：万元 (another unit of amounts is noted), the unit line (code and name:
        the declaration's when it has none, else left when the same code), or else kept as
        unplaced."""
        d = self.declaration
        unit = _UNIT_OF_AMOUNTS.match(normal_label(text))
        if unit:
            if unit.group(1) != "万元":
                self.content.not_understood.append(
                    Notice(
                        f"“{text}”", "金额单位不是万元：本程序的金额一律以万元计，请导入后核对金额"
                    )
                )
            return
        line = _UNIT_LINE.match(text)
        if line and not d.unit_code:
            d.unit_code = normal_code(line.group(1))
            d.unit_name = line.group(2).strip()
            return
        if line and normal_code(line.group(1)) == d.unit_code:
            return  # the unit line above every table
        self.content.unplaced.append(text)

    # tables

    def _table(self, table: _Table) -> None:
        rows = [row for row in table.rows if row]
        labels = [[normal_label(cell.text) for cell in row] for row in rows]
        code_row = next((n for n, row in enumerate(labels) if "项目编码" in row), None)
        header_row = next((n for n, row in enumerate(rows) if _indicator_header(row)), None)
        if code_row is not None:
            self._project_table(rows, code_row, header_row, table)
            return
        if header_row is not None and all(not any(r) for r in labels[:header_row]):
            if self.project is None:
                self.content.not_understood.append(
                    Notice(
                        f"第 {table.index} 个表格",
                        "是指标表，但前面没有含“项目编码”的项目表头，未导入",
                    )
                )
                return
            self._indicators(rows[header_row:], table, with_header=True)
            return
        if self.project is not None and self.columns and self._looks_continued(rows):
            self._indicators(rows, table, with_header=False)
            return
        for row in rows:  # a layout table: its cells are paragraphs
            for cell in row:
                if not cell.continued:
                    for line in cell.text.split("\n"):
                        self._line(line, "", "")

    def _project_table(
        self, rows: list[list[_Cell]], code_row: int, header_row: int | None, table: _Table
    ) -> None:
        """A table of the second part holding a project's header block (its ``code_row``
        holds 项目编码) and, from ``header_row`` below it, its indicator grid: a new project.
        The first such table starts the second part when no heading did (a title kept as
        the last 工作保障措施 paragraph becomes the project's title); rows above
        ``code_row`` are read as lines (the unit line, 单位：万元)."""
        if self.section != "part2":  # no 第二部分 heading: the first table starts it
            if self.safeguards and (title := _TABLE_TITLE.match(self.safeguards[-1])):
                self.safeguards.pop()
                self.project_title = title.group(1)
            self.section = "part2"
        for row in rows[:code_row]:  # unit line and 单位：万元 as the table's first row
            for cell in row:
                self._line(cell.text, "", "")
        self._new_project(table)
        end = header_row if header_row is not None and header_row > code_row else len(rows)
        self._header_block(rows[code_row:end], table)
        if end < len(rows):
            self._indicators(rows[end:], table, with_header=True)

    def _looks_continued(self, rows: list[list[_Cell]]) -> bool:
        """A table continuing the indicator grid: every row's cells on its columns."""
        starts = set(self.columns)
        words = "".join(normal_label(cell.text) for row in rows for cell in row)
        if any(word in words for word in SIGNATURE_WORDS):
            return False  # the signature block under the last table
        return bool(rows) and all(
            {cell.column for cell in row} <= starts and len(row) >= len(starts) - 1 for row in rows
        )

    def _new_project(self, table: _Table) -> None:
        project = BudgetProject()
        project.uuid = new_uuid()
        self.declaration.budget_projects.append(project)
        self.project, self.columns, self.above = project, {}, {}
        self.where = (
            f"第 {len(self.declaration.budget_projects)} 个项目表（第 {table.index} 个表格）"
        )

    def _header_block(self, rows: list[list[_Cell]], table: _Table) -> None:
        project = self.project
        assert project is not None
        block, plan_labels = "", None
        for row in rows:
            first = row[0]
            if first.column == 0 and normal_label(first.text) and not first.continued:
                block = normal_label(first.text)
            cells = row[1:] if first.column == 0 else row
            texts = [cell.text.strip() for cell in row]
            labels = [normal_label(text) for text in texts]
            if {_PROJECT_LABELS["code"], _PROJECT_LABELS["name"]} & set(labels) or any(
                label in _AMOUNT_LABELS or label.startswith("其中") for label in labels
            ):
                self._pairs(labels, texts, project)
            elif block.startswith("预算规模"):
                project.use_of_funds = "\n".join(c.text for c in cells if c.text)
            elif block.startswith("资金支出计划"):
                plan_labels = self._plan_row(plan_labels, cells, project)
            elif block.endswith("绩效目标"):
                project.performance_target = "\n".join(c.text for c in cells if c.text)
            elif any(texts):
                self.content.not_understood.append(
                    Notice(self.where, f"未识别的一行“{' | '.join(t for t in texts if t)}”，未导入")
                )
        if plan_labels is not None:  # labels without a row of percents below them
            self._plan(plan_labels, [], project)
        if not project.name and self.project_title:
            project.name = self.project_title
        self.project_title = ""

    def _pairs(self, labels: list[str], texts: list[str], project: BudgetProject) -> None:
        """Label cell, value cell: 项目编码/项目名称/预算数/财政资金/其他资金."""
        for index, label in enumerate(labels):
            value = texts[index + 1] if index + 1 < len(texts) else ""
            if label == _PROJECT_LABELS["code"] and index + 1 < len(texts):
                project.code = normal_code(value)
            elif label == _PROJECT_LABELS["name"]:
                project.name = value
            elif label in _BUDGET_AMOUNT_LABELS:
                self._amount(project, "budget_amount", value, f"{self.where}的预算数")
            elif "财政" in label and label.startswith(("其中", "财政")):
                self._amount(project, "fiscal_funds", value, f"{self.where}的财政资金")
            elif label == _PROJECT_LABELS["other_funds"]:
                self._amount(project, "other_funds", value, f"{self.where}的其他资金")

    def _plan_row(
        self,
        plan_labels: list[tuple[int, str]] | None,
        cells: list[_Cell],
        project: BudgetProject,
    ) -> list[tuple[int, str]] | None:
        """One row of 资金支出计划: without ``plan_labels`` (column, text) it is the
        checkpoints' labels, returned; else the percents under them, read into ``project``
        (``_plan``), and None is returned."""
        if plan_labels is None:
            return [(cell.column, cell.text.strip()) for cell in cells]
        self._plan(plan_labels, cells, project)
        return None

    def _plan(
        self, labels: list[tuple[int, str]], cells: list[_Cell], project: BudgetProject
    ) -> None:
        percents = {cell.column: cell.text.strip() for cell in cells}
        for column, label in labels:
            text = percents.get(column, "")
            if not label and not text:
                continue
            checkpoint = DisbursementCheckpoint(label=label)
            checkpoint.uuid = new_uuid()
            project.disbursement_plan.append(checkpoint)
            try:
                checkpoint.cumulative_percent = parse_percent(text)
            except ValueError as exc:
                self._pending(checkpoint, "cumulative_percent", text, str(exc))

    def _indicators(self, rows: list[list[_Cell]], table: _Table, *, with_header: bool) -> None:
        project = self.project
        assert project is not None
        continuing = bool(self.columns)  # the grid goes on from a table before this one
        if with_header:
            header, rows = rows[0], rows[1:]
            same_columns = self._grid_columns(header)
            continuing = continuing and same_columns
        for row in rows:
            values = self._indicator_values(row, table)
            if values is None:
                continue
            parts = {name: values.pop(name) for name in TARGET_VALUE_PARTS if name in values}
            if continuing and project.indicators:
                # a continued table (split over pages) often lacks the merges of the part
                # before it: its blank 一级/二级 carry down as a paste's do
                last = project.indicators[-1]
                [filled], _ = fill_merged_labels(
                    [list(values.values())],
                    list(values),
                    {"level1": last.level1, "level2": last.level2},
                )
                values = dict(zip(values, filled, strict=True))
            for column, name in self.columns.items():
                self.above[column] = values[name] if name in values else parts[name]
            values["target_value"] = joined_target_value(values["target_value"], parts)
            indicator = Indicator(**values)
            indicator.uuid = new_uuid()
            project.indicators.append(indicator)
        if not self.columns:
            self.content.not_understood.append(Notice(self.where, "指标表没有可识别的表头"))

    def _grid_columns(self, header: list[_Cell]) -> bool:
        """Take the indicator grid's columns (column → field, or a part of a split 指标值)
        from its ``header`` row: the first heading of each field counts. Returns False
        when they differ from the columns read before (then the cells above, for continued
        cells, start afresh)."""
        columns: dict[int, str] = {}
        for heading in header:
            name = header_field(heading.text)
            known = name in INDICATOR_FIELDS or name in TARGET_VALUE_PARTS
            if name is not None and known and name not in columns.values():
                columns[heading.column] = name
        same = True
        if self.columns and columns != self.columns:
            self.above, same = {}, False
        self.columns = columns
        return same

    def _indicator_values(self, row: list[_Cell], table: _Table) -> dict[str, str] | None:
        """The fields of one row of the indicator grid, and the texts of its columns that
        hold a part of the 指标值 (``TARGET_VALUE_PARTS``: the sign, the unit), by field (a
        cell continuing a vertical merge takes the text above it), or None for a row that
        is no indicator: a repeated header or an empty row (each noted as skipped; a row of
        continued cells only, or no cells, silently)."""
        own = {self.columns[c.column]: c for c in row if c.column in self.columns}
        texts = {name: cell.text for name, cell in own.items()}
        if _indicator_header(row):
            self.content.not_understood.append(
                Notice(self.where, f"第 {table.index} 个表格中重复的表头（分页的表格常有），已跳过")
            )
            return None
        if not any(text for name, text in texts.items() if not own[name].continued):
            if not (any(texts.values()) or not row):
                self.content.not_understood.append(Notice(self.where, "空行，已跳过"))
            return None
        values = {}
        parts = [part for part in TARGET_VALUE_PARTS if part in self.columns.values()]
        for name in (*INDICATOR_FIELDS, *parts):
            cell = own.get(name)
            column = next((c for c, n in self.columns.items() if n == name), None)
            if cell is not None and cell.continued:
                values[name] = self.above.get(column, "") if column is not None else ""
            else:
                values[name] = cell.text if cell is not None else ""
        return values

    # values

    def _amount(self, row: Any, name: str, text: str, where: str) -> None:
        try:
            setattr(row, name, parse_amount(text))
        except ValueError as exc:
            self._pending(row, name, text, str(exc))
            self.content.not_understood.append(Notice(where, f"{exc}（已保留原文，导入后请改正）"))

    def _pending(self, row: Any, name: str, text: str, reason: str) -> None:
        self.declaration.pending_inputs.append(
            PendingInput(
                row_table=row.__tablename__, row_uuid=row.uuid, field=name, text=text, reason=reason
            )
        )

    # the end

    def finish(self, path: Path, title: str, subject: str) -> WordContent:
        d = self.declaration
        if not self.seen_part1 and not d.budget_projects:
            raise WordError(
                f"“{path.name}”不像是部门预算绩效文本：没有找到“一、总体绩效目标”等标题，也没有"
                "含“项目编码”的项目表格。请确认选择的是绩效文本的 Word 文件（第一部分部门整体"
                "绩效目标、第二部分预算项目绩效目标）。"
            )
        d.overall_target = "\n".join(self.overall)
        d.safeguard_measures = "\n".join(self.safeguards)
        if not d.fiscal_year:
            year = re.search(r"(20\d\d)\s*年", title) or re.search(r"(20\d\d)", path.stem)
            if year is None:
                raise WordError(
                    f"在“{path.name}”中没有找到预算年度。请在“一、总体绩效目标”下的第一句写明"
                    "“本部门XXXX年度申请预算资金……万元”，或把文件名改为含年份"
                    "（如 2022年绩效文本.docx）后再导入。"
                )
            d.fiscal_year = int(year.group(1))
            self.content.not_understood.append(
                Notice(
                    "预算年度",
                    f"第一部分没有“本部门……年度申请预算资金”一句，按{d.fiscal_year}年导入",
                )
            )
        if not d.unit_code and subject:
            line = _UNIT_LINE.match(subject.strip())
            if line:
                d.unit_code, d.unit_name = normal_code(line.group(1)), line.group(2)
        if not d.unit_code and d.unit_name:
            self.content.not_understood.append(
                Notice("单位编码", "文中单位名称前没有单位编码，请导入后在“单位”中填写")
            )
        self._link_items()
        return self.content

    def _link_items(self) -> None:
        """Each item target to the project with the same budget (184 = 184.00), when just one
        project has it; else to the one whose name shares the item's name."""
        projects = list(self.declaration.budget_projects)
        taken: set[int] = set()
        for item in self.declaration.item_targets:
            same = [
                n
                for n, p in enumerate(projects)
                if item.budget is not None
                and p.budget_amount is not None
                and Decimal(p.budget_amount) == Decimal(item.budget)
                and n not in taken
            ]
            if len(same) != 1:
                stem = re.sub(r"(经费)?(项目)?$", "", item.title)
                same = [
                    n
                    for n, p in enumerate(projects)
                    if n not in taken and stem and (stem in p.name or p.name in item.title)
                ]
            if len(same) == 1:
                item.budget_project = projects[same[0]]
                taken.add(same[0])


def _indicator_header(row: list[_Cell]) -> bool:
    """Whether a row names the indicator columns (一级指标 … 指标值)."""
    names = {header_field(cell.text) for cell in row if cell.text}
    return "target_value" in names and bool({"level1", "level3", "description"} & names)


def describe(content: WordContent) -> list[str]:
    """The import preview as lines (the same text in the dialog and the CLI): what was
    found, per project; what was not understood and why; paragraphs that went nowhere."""
    d = content.declaration
    lines = [
        f"绩效文本：{d.unit_code}{d.unit_name} {d.fiscal_year}年度，"
        f"申请预算资金 {d.total_budget if d.total_budget is not None else '（未写）'} 万元",
        f"第一部分：总体绩效目标 {len(d.overall_target)} 字，年度主要任务 {len(d.key_tasks)} 项，"
        f"分项绩效目标 {len(d.item_targets)} 项"
        f"（{sum(len(i.statements) for i in d.item_targets)} 条指标说明），"
        f"工作保障措施 {len(d.safeguard_measures)} 字",
        f"第二部分：预算项目 {len(d.budget_projects)} 个",
    ]
    for n, p in enumerate(d.budget_projects, start=1):
        counts: dict[str, int] = {}
        for indicator in p.indicators:
            counts[indicator.level1 or "（无一级指标）"] = (
                counts.get(indicator.level1 or "（无一级指标）", 0) + 1
            )
        grouped = "、".join(f"{name} {count}" for name, count in counts.items())
        lines.append(
            f"  {n}.{p.name or '（未命名项目）'}（{p.code or '无项目编码'}）："
            f"预算数 {p.budget_amount if p.budget_amount is not None else '（空）'} 万元，"
            f"资金支出计划 {len(p.disbursement_plan)} 个时点，绩效指标 {len(p.indicators)} 条"
            + (f"（{grouped}）" if grouped else "")
        )
    for item in d.item_targets:
        if item.budget_project is None:
            lines.append(
                f"提醒：分项绩效目标“{item.title}”没有找到对应的预算项目，导入后可在表格中选择。"
            )
    if content.not_understood:
        lines.append(f"未能识别 {len(content.not_understood)} 处：")
        lines += [f"  {notice}" for notice in content.not_understood]
    if content.unplaced:
        lines.append(f"没有归入任何部分的段落 {len(content.unplaced)} 段（不会导入）：")
        lines += [f"  {text[:60]}{'…' if len(text) > 60 else ''}" for text in content.unplaced]
    return lines
