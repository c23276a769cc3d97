"""The declaration as a Word document (.docx), laid out like the reference document.

Part 1: the part title and the three section headings in Word's heading styles (标题 1/2/3,
so that a finance bureau compiling many units' texts can renumber them or build a table
of contents), the paragraphs as the print words them (``wording``, ``pdf.statement_lines``).
Part 2: per budget project a heading, the unit line in a borderless two-cell layout table
(as in the reference document), then two ruled tables on the print's 13-column grid: the
header block (预算规模及资金用途 and 资金支出计划（%） spanning two rows) and the indicator grid,
whose header row repeats on every page (``w:tblHeader`` works only on a table's first rows)
and whose equal consecutive 一级/二级 cells are merged vertically (``merged_label_runs``).
East Asian text is set in 宋体 (headings, tables) and 仿宋 (body) through ``w:eastAsia``;
A4 portrait. ``desktop.exchange.word_import`` reads such a document back. Must not import Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from desktop.files import write_package
from desktop.models import BudgetProject, Declaration, DisbursementCheckpoint, Indicator
from desktop.models.labels import (
    BUDGET_SIZE_LABEL,
    DISBURSEMENT_PLAN_LABEL,
    ITEM_TARGETS_INTRO,
    PART1_TITLE,
    PART2_TITLE,
    PRINTED_LABELS,
    ROW_KINDS,
    SECTION_ITEMS,
    SECTION_OVERALL,
    SECTION_SAFEGUARDS,
)
from desktop.models.vocabulary import merged_label_runs
from desktop.reports.pdf import (
    INDICATOR_HEADERS,
    INDICATOR_WIDTHS,
    LABEL_WIDTH,
    PAGE_MARGIN,
    SUB_COLUMNS,
    format_percent,
    project_table_title,
    spread_sub_columns,
    statement_lines,
)
from desktop.reports.wording import format_amount, item_target_heading, printed_budget_sentence

BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
#: the style of the table cells (a paragraph style of our own, 宋体 9.5 pt)
CELL_STYLE = "表格文字"
_POINTS_PER_MM = 72 / 25.4


def write_docx(declaration: Declaration, out_path: Path) -> None:
    """Write ``declaration`` to the .docx ``out_path`` (Part 1, then one table per project).

    The file is written under a temporary name in the target folder and renamed into
    place (a file already there is replaced only by a complete one). Raises ``OSError``
    when the folder cannot be written.
    """
    document = new_docx()
    _page_and_styles(document)
    properties = document.core_properties
    properties.title = f"{declaration.unit_name}{declaration.fiscal_year}年度预算绩效目标"
    properties.subject = f"{declaration.unit_code}{declaration.unit_name}"
    properties.author = declaration.unit_name
    properties.comments = ""
    properties.keywords = "预算绩效目标"
    _part1(document, declaration)
    _part2(document, declaration)
    write_package(out_path, document.save)


def _set_fonts(
    rpr_owner: Any, east_asia: str, size: float | None = None, bold: bool = False
) -> None:
    """Set a style's fonts: ``east_asia`` for Chinese (``w:eastAsia``), Times New Roman for
    Latin and digits; theme fonts removed (they override explicit names)."""
    font = rpr_owner.font
    font.name = "Times New Roman"
    if size is not None:
        font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    fonts = rpr_owner.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asia)


def _page_and_styles(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    margin = Mm(PAGE_MARGIN / _POINTS_PER_MM)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    styles = document.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT, 12)
    normal.paragraph_format.first_line_indent = Pt(24)  # two characters, as in the document
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        style = styles[name]
        _set_fonts(style, TABLE_FONT if name != "Heading 1" else "黑体", size, bold=True)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(0) if name == "Heading 1" else Pt(24)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    assert cell.style_id == CELL_STYLE  # _fill sets the id directly
    cell.base_style = normal
    _set_fonts(cell, TABLE_FONT, 9.5)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.line_spacing = 1.0


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _two_line_heading(document: Any, lines: tuple[str, str]) -> None:
    """第一部分 / 部门整体绩效目标 as one 标题 1 with a line break (one entry in a contents)."""
    heading = document.add_heading(level=1)
    heading.add_run(lines[0]).add_break()
    heading.add_run(lines[1])


def _part1(document: Any, declaration: Declaration) -> None:
    _two_line_heading(document, PART1_TITLE)
    document.add_heading(SECTION_OVERALL, level=2)
    for line in _lines(printed_budget_sentence(declaration)) + _lines(declaration.overall_target):
        document.add_paragraph(line)
    for task in declaration.key_tasks:
        paragraph = document.add_paragraph()
        title = task.title.strip().rstrip("。")
        if title:
            paragraph.add_run(f"{title}。").bold = True
        paragraph.add_run(task.body)
    document.add_heading(SECTION_ITEMS, level=2)
    document.add_paragraph().add_run(ITEM_TARGETS_INTRO).bold = True
    for item_target in declaration.item_targets:
        document.add_heading(item_target_heading(item_target, declaration.amount_unit), level=3)
        for is_heading, text in statement_lines(item_target):
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = is_heading
    document.add_heading(SECTION_SAFEGUARDS, level=2)
    for line in _lines(declaration.safeguard_measures):
        document.add_paragraph(line)


def _part2(document: Any, declaration: Declaration) -> None:
    if not declaration.budget_projects:
        return
    document.add_page_break()
    _two_line_heading(document, PART2_TITLE)
    for position, project in enumerate(declaration.budget_projects, start=1):
        document.add_heading(project_table_title(position, project), level=2)
        _unit_line(document, declaration)
        _header_block(document, project)
        _indicator_grid(document, project)
        document.add_paragraph()


def _content_width() -> float:
    """The text width in points (A4 less the margins)."""
    return 210 * _POINTS_PER_MM - 2 * PAGE_MARGIN


def _fill(cell: Any, text: str, *, center: bool = False, bold: bool = False) -> None:
    """``text`` in ``cell``, one paragraph per line, in the cell style."""
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for number, line in enumerate(lines):
        if number:
            paragraph = cell.add_paragraph()
        paragraph._p.get_or_add_pPr().style = CELL_STYLE  # by id: by name costs 8 ms
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            paragraph.add_run(line).bold = bold
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _unit_line(document: Any, declaration: Declaration) -> None:
    """Unit code and name on the left, 单位：万元 on the right: a borderless layout table."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    width = _content_width()
    for cell, text, share in (
        (table.cell(0, 0), f"{declaration.unit_code}{declaration.unit_name}", 0.7),
        (table.cell(0, 1), f"单位：{declaration.amount_unit}", 0.3),
    ):
        cell.width = Pt(width * share)
        _fill(cell, text)
    table.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _ruled_table(document: Any, rows: int, widths: list[float]) -> Any:
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
    for index, cell in enumerate(table._cells):  # once: table.cell() walks the whole grid
        cell.width = Pt(widths[index % len(widths)])
    return table


def _grid_widths() -> list[float]:
    """The 13 columns of the print (points): the label column and 12 sub-columns."""
    sub = (_content_width() - LABEL_WIDTH) / SUB_COLUMNS
    return [LABEL_WIDTH] + [sub] * SUB_COLUMNS


def _layout(table: Any, spans: list[list[int]]) -> list[list[Any]]:
    """Give row ``r`` of ``table`` cells of ``spans[r]`` grid columns each (``w:gridSpan``,
    widths summed); returns the cells per row. Done on the XML: python-docx's
    ``cell().merge()`` walks the whole grid on every call (seconds for 100 tables)."""
    from docx.table import _Cell

    widths = _grid_widths()
    rows = []
    for tr, row_spans in zip(table._tbl.tr_lst, spans, strict=True):
        tcs, kept, at = list(tr.tc_lst), [], 0
        for span in row_spans:
            tc = tcs[at]
            for extra in tcs[at + 1 : at + span]:
                tr.remove(extra)
            if span > 1:
                tc.get_or_add_tcPr().grid_span = span
            tc.width = Pt(sum(widths[at : at + span]))
            kept.append(_Cell(tc, table))
            at += span
        rows.append(kept)
    return rows


def _one_line(label: str) -> str:
    """A printed label without the line break the PDF and Excel give it (Word wraps)."""
    return label.replace("\n", "")


def _label(name: str) -> str:
    """The printed label of a budget project's field ``name`` (models/labels.py), one line."""
    return _one_line(PRINTED_LABELS[BudgetProject][name])


def _header_block(document: Any, project: BudgetProject) -> None:
    """项目编码 … 绩效目标: six rows on the 13-column grid, labels spanning two rows merged."""
    plan: list[DisbursementCheckpoint | None] = [*project.disbursement_plan] or [None]
    spread = spread_sub_columns(len(plan))
    amounts = [
        (_label("budget_amount"), True),
        (format_amount(project.budget_amount), False),
        (_label("fiscal_funds"), True),
        (format_amount(project.fiscal_funds), False),
        (_label("other_funds"), True),
        (format_amount(project.other_funds), False),
    ]
    rows: list[list[tuple[str, int, bool]]] = [
        [
            (_label("code"), 1, True),
            (project.code, 5, False),
            (_label("name"), 2, True),
            (project.name, 5, False),
        ],
        [(_one_line(BUDGET_SIZE_LABEL), 1, True)] + [(text, 2, label) for text, label in amounts],
        [("", 1, True), (project.use_of_funds, SUB_COLUMNS, False)],
        [(DISBURSEMENT_PLAN_LABEL, 1, True)]
        + [(p.label if p else "", w, True) for p, w in zip(plan, spread, strict=True)],
        [("", 1, True)]
        + [
            (format_percent(p.cumulative_percent) if p else "", w, False)
            for p, w in zip(plan, spread, strict=True)
        ],
        [(_label("performance_target"), 1, True), (project.performance_target, SUB_COLUMNS, False)],
    ]
    table = _ruled_table(document, len(rows), _grid_widths())
    cells = _layout(table, [[span for _, span, _ in row] for row in rows])
    for number, (row, row_cells) in enumerate(zip(rows, cells, strict=True)):
        for (text, _, label), cell in zip(row, row_cells, strict=True):
            _fill(cell, text, center=label or number not in (2, 5), bold=label)
    # the two-row labels (w:vMerge: restart above, continue below)
    for top in (1, 3):
        cells[top][0]._tc.vMerge = "restart"
        cells[top + 1][0]._tc.vMerge = "continue"


def _indicator_grid(document: Any, project: BudgetProject) -> None:
    """The indicator grid: its header row repeated on each page, equal labels merged."""
    sub = (_content_width() - LABEL_WIDTH) / SUB_COLUMNS
    indicators = list(project.indicators)
    table = _ruled_table(
        document, 1 + len(indicators), [LABEL_WIDTH] + [w * sub for w in INDICATOR_WIDTHS]
    )
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    # table.cell() walks the whole grid on each call: take the cells once, before merging
    cells = table._cells
    width = len(INDICATOR_HEADERS)
    for column, text in enumerate(INDICATOR_HEADERS):
        _fill(cells[column], text.replace("\n", ""), center=True, bold=True)
    runs = merged_label_runs([(i.level1, i.level2) for i in indicators])
    continued = {
        (column, row) for column, first, last in runs for row in range(first + 1, last + 1)
    }
    for row, indicator in enumerate(indicators, start=1):
        texts = ROW_KINDS[Indicator].printed_values(indicator)
        for column, text in enumerate(texts):
            if (column, row - 1) not in continued:
                _fill(cells[row * width + column], text, center=column in (0, 1, 4, 5))
    for column, first, last in runs:
        cells[(first + 1) * width + column]._tc.vMerge = "restart"
        for row in range(first + 2, last + 2):
            cells[row * width + column]._tc.vMerge = "continue"
