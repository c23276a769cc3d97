"""The summary table (汇总表) of a file holding many units' declarations: its rows and the PDF
(the .xlsx is ``desktop.exchange.summary_workbook``).

Takes plain rows (``SummaryRow``) built by the services; never queries or commits. The PDF
is A4 landscape with the bundled face embedded (the header row repeats on every page).
Must not import Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from desktop.files import replaced_atomically
from desktop.models import Declaration
from desktop.models.indicator_fields import weight_text
from desktop.models.labels import FIELD_LABELS
from desktop.models.stages import DECLARE
from desktop.reports.fonts import FONT, FONT_BOLD, register_fonts

_UNIT = FIELD_LABELS[Declaration]  # 单位编码 … 申请预算资金 (models/labels.py)
#: Column titles, as on the sheet and the printout; amounts in 万元.
HEADERS = (
    "序号",
    _UNIT["unit_code"],
    _UNIT["unit_name"],
    _UNIT["fiscal_year"],
    f"{_UNIT['total_budget']}（万元）",
    "预算项目数",
    _UNIT["stage"],
    "执行率（%）",
    "自评得分",
    "审核错误",
    "审核警告",
    "内容指纹",
    "最后修改",
)


#: The columns (0-based, in ``HEADERS``) that hold a number a sheet can add up or compare.
BUDGET_COLUMN, RATE_COLUMN, SCORE_COLUMN = 4, 7, 8


@dataclass(frozen=True)
class SummaryRow:
    """One declaration of the summary: unit, year, 申请预算资金 (万元, ``None`` when empty),
    number of budget projects, open review 错误 and 警告 (explained warnings not counted),
    short content fingerprint, the latest modification (local time), its 阶段 (申报, 监控,
    自评) and the unit's 执行率 at that stage (percent) and 自评得分 (points of 100; both
    ``models/execution.py``: None before their stage or while data is missing)."""

    unit_code: str
    unit_name: str
    fiscal_year: int
    total_budget: Decimal | None
    projects: int
    errors: int
    warnings: int
    fingerprint: str
    last_modified: datetime
    stage: str = DECLARE
    execution_rate: Decimal | None = None
    score: Decimal | None = None

    def cells(self, number: int) -> tuple[str | int, ...]:
        """The row as the printout shows it (``number`` is the 1-based 序号)."""
        return (
            number,
            self.unit_code,
            self.unit_name,
            self.fiscal_year,
            "" if self.total_budget is None else str(self.total_budget),
            self.projects,
            self.stage,
            "" if self.execution_rate is None else weight_text(self.execution_rate),
            "" if self.score is None else weight_text(self.score),
            self.errors,
            self.warnings,
            self.fingerprint,
            self.last_modified.strftime("%Y-%m-%d %H:%M"),
        )


def total_budget(rows: Sequence[SummaryRow]) -> Decimal:
    """The sum of 申请预算资金 over ``rows`` (万元; empty cells count as nothing)."""
    return sum((row.total_budget for row in rows if row.total_budget is not None), Decimal(0))


class UnitTextError(ValueError):
    """A unit's code or name holds a control character: ``number`` (1-based, in the
    summary's order), ``unit_name`` (without the control characters) and ``problem``
    (which characters, ``domains.control_problem``). ``situation`` states it; ``str()``
    adds to correct it in this program (the command line names the file instead)."""

    def __init__(self, number: int, unit_name: str, problem: str) -> None:
        self.number, self.unit_name, self.problem = number, unit_name, problem
        super().__init__(f"{self.situation}请在本程序中改正后再汇总。没有写出文件。")

    @property
    def situation(self) -> str:
        """Which unit and which characters, one sentence."""
        return f"第{self.number}个单位“{self.unit_name}”的单位编码或单位名称{self.problem}。"


def refuse_control_characters(rows: Sequence[SummaryRow]) -> None:
    """Raise ``UnitTextError`` (a ``ValueError``: which unit, which characters) when a
    unit's code or name holds a control character (``domains.CONTROL_CHARACTERS``): no
    .xlsx can hold one and the print font has no glyph for it. The review lists each as
    an 错误 (rule values.control)."""
    from desktop.models.domains import CONTROL_CHARACTERS, control_problem

    for number, row in enumerate(rows, start=1):
        problem = control_problem(row.unit_code + row.unit_name)
        if problem is not None:
            raise UnitTextError(number, CONTROL_CHARACTERS.sub("", row.unit_name), problem)


def write_summary_pdf(rows: Sequence[SummaryRow], out_path: Path | str, title: str) -> int:
    """Print the summary to a PDF (A4 landscape, header row repeated); returns page count.

    Raises ``OSError`` on a failed write (nothing is left at ``out_path`` then) and
    ``ValueError`` (``refuse_control_characters``) before writing anything.
    """
    refuse_control_characters(rows)
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    register_fonts()
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD, alignment=1)
    heading = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=15, leading=22, alignment=1)
    number_cell = ParagraphStyle("number", parent=cell, alignment=2)
    numeric = (BUDGET_COLUMN, 5, RATE_COLUMN, SCORE_COLUMN, 9, 10)  # right-aligned numbers
    data = [[Paragraph(_escape(text).replace("（", "<br/>（"), head) for text in HEADERS]]
    for number, row in enumerate(rows, start=1):
        data.append(
            [
                Paragraph(_escape(str(value)), number_cell if i in numeric else cell)
                for i, value in enumerate(row.cells(number))
            ]
        )
    data.append(
        [Paragraph(text, cell) for text in ("合计", "", f"{len(rows)} 个单位", "")]
        + [Paragraph(str(total_budget(rows)), number_cell)]
        + [""] * (len(HEADERS) - BUDGET_COLUMN - 1)
    )
    widths = [11, 21, 36, 18, 26, 17, 11, 15, 17, 17, 17, 22, 30]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    pages: list[int] = []

    def footer(canvas: object, document: object) -> None:
        canvas.setFont(FONT, 8)  # type: ignore[attr-defined]  # ReportLab has no type hints; the canvas is typed object
        number = canvas.getPageNumber()  # type: ignore[attr-defined]  # ReportLab has no type hints; the canvas is typed object
        canvas.drawCentredString(landscape(A4)[0] / 2, 10 * mm, f"第 {number} 页")  # type: ignore[attr-defined]  # ReportLab has no type hints; the canvas is typed object
        pages.append(number)

    out_path = Path(out_path)
    with replaced_atomically(out_path) as temp:
        document = SimpleDocTemplate(
            str(temp),
            pagesize=landscape(A4),
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
            title=title,
            initialFontName=FONT,
        )
        document.build(
            [Paragraph(_escape(title), heading), table], onFirstPage=footer, onLaterPages=footer
        )
    return len(pages)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)
