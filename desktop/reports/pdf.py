"""The printed declaration: Part 1 and the Part 2 tables in the fixed layout of DESIGN.md, A4.

Layout decisions:
- Part 2 uses a 13-column grid: the label column and 12 equal sub-columns to its right,
  so that the amount row (6 cells), the disbursement plan (4 checkpoints) and the
  indicator grid (5 columns right of 一级指标) all fall on the same lines.
- Each project table is two ReportLab tables stacked without a gap: the header block and
  the indicator grid, so that only the indicator header row repeats on a new page.
- The header block uses ``splitInRow=1`` (a long 资金用途 or 绩效目标 continues on the next
  page); the indicator grid splits by its own rules (``_IndicatorTable``), so that each
  part of a row split over pages keeps its labels.
Must not import Qt.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph

from desktop.files import replaced_atomically
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    SyncedRow,
)
from desktop.models.labels import (
    BUDGET_SIZE_LABEL,
    DISBURSEMENT_PLAN_LABEL,
    FIELD_LABELS,
    ITEM_TARGETS_INTRO,
    PART1_TITLE,
    PART2_TITLE,
    PRINTED_LABELS,
    ROW_KINDS,
    SECTION_ITEMS,
    SECTION_OVERALL,
    SECTION_SAFEGUARDS,
    row_place,
)
from desktop.models.stages import DECLARE, STAGE_FORMS
from desktop.models.vocabulary import merged_label_runs
from desktop.reports.fonts import (
    FONT,
    FONT_BOLD,
    missing_characters,
    register_face,
    register_fonts,
)
from desktop.reports.wording import (
    format_amount,
    item_target_heading,
    one_line,
    printed_budget_sentence,
    states_label,
)

#: Punctuation that may not begin a line (GB/T 15834-2011《标点符号用法》: 句号、问号、叹号、
#: 逗号、顿号、分号、冒号, 引号和括号的后一半, 省略号 do not stand at the start of a line).
#: ReportLab's list has the Japanese set, without the full-width ，；：！？ and closing
#: quotes Chinese uses; its two CJK line breakers (one-style paragraphs in textsplit.py,
#: mixed styles in paragraph.py) each read their own copy of the list.
NOT_AT_LINE_START = "，；：！？”’》〉…"
for _module in (_textsplit, _paragraph):
    _module.ALL_CANNOT_START += "".join(
        c for c in NOT_AT_LINE_START if c not in _module.ALL_CANNOT_START
    )

PAGE_MARGIN = 20 * mm
LABEL_WIDTH = 24 * mm
SUB_COLUMNS = 12
BODY_SIZE = 10.5  # 五号
TABLE_SIZE = 9.5


class PrintError(ValueError):
    """The declarations cannot be printed; the message (Chinese) says why and what to do."""


class MissingGlyphError(PrintError):
    """Text to be printed has characters the embedded font lacks (they would print as boxes).

    ``places`` maps a Chinese field description to the missing characters.
    """

    def __init__(self, places: dict[str, set[str]]) -> None:
        self.places = places
        details = "；".join(
            f"{where}：" + "、".join(_describe_character(c) for c in sorted(chars))
            for where, chars in places.items()
        )
        super().__init__(
            f"打印字体中没有以下字符，无法打印（未生成 PDF）。请把它们改为常用字或删去：{details}"
        )


def _describe_character(char: str) -> str:
    """A character as the clerk can find it: itself and its code (U+20000), or only the code."""
    code = f"U+{ord(char):04X}"
    return code if not char.isprintable() else f"“{char}”（{code}）"


@dataclass(frozen=True)
class _Styles:
    font: str  # the regular face every table cell uses (empty cells included)
    part_title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    table_title: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_label: ParagraphStyle
    above_left: ParagraphStyle
    above_right: ParagraphStyle


def _styles(font: str = FONT, bold: str = FONT_BOLD) -> _Styles:
    base = ParagraphStyle(
        "base", fontName=font, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.6, wordWrap="CJK"
    )
    cell = ParagraphStyle(
        "cell", parent=base, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.35, alignment=TA_LEFT
    )
    return _Styles(
        font=font,
        part_title=ParagraphStyle(
            "part", parent=base, fontName=bold, fontSize=18, leading=30, alignment=TA_CENTER
        ),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontName=bold,
            fontSize=12,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,  # never alone at the foot of a page
        ),
        subheading=ParagraphStyle("subheading", parent=base, fontName=bold, keepWithNext=1),
        body=ParagraphStyle(
            "body", parent=base, firstLineIndent=2 * BODY_SIZE, alignment=TA_JUSTIFY
        ),
        table_title=ParagraphStyle(
            "table_title",
            parent=base,
            fontName=bold,
            fontSize=14,
            leading=20,
            alignment=TA_CENTER,
            spaceAfter=6,
        ),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_label=ParagraphStyle("cell_label", parent=cell, alignment=TA_CENTER),
        above_left=ParagraphStyle("above_left", parent=cell),
        above_right=ParagraphStyle("above_right", parent=cell, alignment=TA_RIGHT),
    )


def _p(text: str, style: ParagraphStyle, lead: str = "") -> Flowable:
    """A paragraph of user text: markup characters escaped, line breaks kept; ``lead`` is
    markup put before it (a key task's bold title).

    Empty text still takes one line (a no-break space), so an empty cell of a blank form
    is a row one can write in by hand. A text longer than ``CHUNK_CHARS`` is a
    ``_LongText`` of consecutive paragraphs.
    """
    kind = _JustifiedParagraph if style.alignment == TA_JUSTIFY else _Paragraph
    if len(text) <= CHUNK_CHARS:
        return kind(lead + _markup(text or ("" if lead else "\u00a0")), style)
    pieces = _chunks(text)
    return _LongText(
        [kind(lead + _markup(pieces[0]), style)]
        + [kind(_markup(piece), _continued(style)) for piece in pieces[1:]]
    )


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


#: A text longer than this (characters) prints as consecutive paragraphs of at most this
#: many, so that its cost grows with its length, not with its square.
#: Decision: ReportLab breaks the lines of the whole remaining paragraph again at every
#: page it continues on (and our grid wraps a cell several times per page), so one
#: 99,999-character cell took 52 s and 45 of them never finished. Why pieces: each wrap
#: and split then touches one piece; the heights of pieces are remembered per width. The
#: price: where a piece ends (after a line break or 。 when one is near), its line may
#: end early — only in texts far longer than any real form's (a 总体绩效目标 is a few
#: thousand characters with line breaks). Alternatives: caching ReportLab's character
#: widths (a constant factor, still quadratic); a cap on what is printed (loses text).
CHUNK_CHARS = 2_000


def _chunks(text: str) -> list[str]:
    """``text`` cut into pieces of at most ``CHUNK_CHARS`` characters, after a line break
    (dropped: the next piece starts a line) or a 。 in the second half of a piece where
    there is one; a piece never starts with punctuation that may not begin a line."""
    pieces, start = [], 0
    while len(text) - start > CHUNK_CHARS:
        end = start + CHUNK_CHARS
        half = start + CHUNK_CHARS // 2
        newline, stop = text.rfind("\n", half, end), text.rfind("。", half, end)
        if newline >= 0 and newline >= stop:
            pieces.append(text[start:newline])
            start = newline + 1
            continue
        if stop >= 0:
            end = stop + 1
        while end < len(text) and text[end] in NOT_AT_LINE_START + "。":
            end += 1
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _continued(style: ParagraphStyle) -> ParagraphStyle:
    """The style of the pieces after the first: no first-line indent, no space between."""
    return ParagraphStyle(f"{style.name}-continued", parent=style, firstLineIndent=0, spaceBefore=0)


class _LongText(Flowable):
    """A long user text as consecutive paragraphs (``CHUNK_CHARS``), wrapped and split like
    one paragraph, at a cost in proportion to a piece: heights are kept per width."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self.keepWithNext = getattr(paragraphs[0].style, "keepWithNext", 0)

    def _heights(self, width: float) -> list[float]:
        heights = []
        for paragraph in self.paragraphs:
            known = paragraph.__dict__.setdefault("_heights_by_width", {})
            if width not in known:
                known[width] = paragraph.wrap(width, 1e9)[1]
            heights.append(known[width])
        return heights

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, sum(self._heights(availWidth))
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.paragraphs[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.paragraphs[-1].getSpaceAfter())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The pieces that fit in ``availHeight`` and the rest; ``[]`` if no line fits."""
        used = 0.0
        for index, height in enumerate(self._heights(availWidth)):
            if used + height > availHeight:
                paragraph = self.paragraphs[index]
                paragraph.wrap(availWidth, availHeight - used)
                parts = paragraph.split(availWidth, availHeight - used)
                head, tail = self.paragraphs[:index], self.paragraphs[index:]
                if len(parts) == 2:
                    head, tail = [*head, parts[0]], [parts[1], *tail[1:]]
                if not head:
                    return []
                return [_LongText(head), _LongText(tail)]
            used += height
        return [self]

    def draw(self) -> None:
        top = self.height
        for paragraph in self.paragraphs:
            top -= paragraph.wrap(self.width, 1e9)[1]
            paragraph.drawOn(self.canv, 0, top)


class _Paragraph(Paragraph):
    """A paragraph of Chinese text broken into lines by ``line_ends`` (ReportLab's CJK line
    breaking, and a number kept with the character after it)."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        frags = self.frags
        if (
            not frags
            or (hasattr(self, "blPara") and getattr(self, "_splitpara", False))  # already broken
            or self.bulletText
            or self.style.endDots
            or any(hasattr(frag, "cbDefn") for frag in frags)
        ):
            return super().breakLinesCJK(widths)
        if len(frags) == 1:  # one face: lines of plain text, as ReportLab's ``wordSplit``
            frag = frags[0]
            text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
            sizes = [stringWidth(c, frag.fontName, frag.fontSize) for c in text]
            ends = line_ends(text, sizes, widths)
            lines = []
            for number, (start, end) in enumerate(ends):
                room = widths[min(number, len(widths) - 1)] - sum(sizes[start:end])
                piece = text[start:end] if number == len(ends) - 1 else text[start:end].strip()
                lines.append((room, [piece]))
            descent = -0.2 * frag.fontSize
            return frag.clone(kind=0, lines=lines, ascent=frag.fontSize, descent=descent)
        units = [  # as ReportLab's ``cjkFragSplit``: a unit per character, per empty frag
            _paragraph.cjkU(c, frag, "utf8")
            for frag in frags
            for c in (frag.text if isinstance(frag.text, str) else frag.text.decode()) or [""]
        ]
        forced = [hasattr(unit.frag, "lineBreak") for unit in units]
        sizes = [unit.width for unit in units]
        bounds = getattr(self, "autoLeading", getattr(self.style, "autoLeading", "")) not in (
            "",
            "off",
        )
        frag_lines = []
        ends = line_ends("".join(u or "\u200b" for u in units), sizes, widths, forced)
        for number, (start, end) in enumerate(ends):
            limit = widths[min(number, len(widths) - 1)]
            used = sum(sizes[start:end])
            frag_lines.append(
                _paragraph.makeCJKParaLine(
                    units[start:end], limit, used, limit - used, forced[end - 1], bounds
                )
            )
        return _paragraph.ParaLines(kind=1, lines=frag_lines)


def line_ends(
    text: str,
    widths: Sequence[float],
    max_widths: Sequence[float],
    forced: Sequence[bool] = (),
) -> list[tuple[int, int]]:
    """Where the lines of ``text`` start and end: ``(start, end)`` indexes, end exclusive.

    ``widths``: each character's width; ``max_widths``: the first lines' widths, the last
    repeated (points); ``forced``: characters that end their line (a typed line break).
    ReportLab's CJK rules (its ``dumbSplit``): a line is cut after the last character that
    fits; a run of Latin letters and digits (a word, code or number) is not cut when it is
    shorter than half the line (it moves to the next line whole); a closing mark that may
    not begin a line (``NOT_AT_LINE_START``) hangs at the end of the line instead. Added
    here (GB/T 15834 keeps a number with its unit): a number is not parted from the
    character after it (its unit, or 年/月/日 of a date), however far back it starts, so
    2022年12月31日 in a narrow cell breaks before 31日, not before 日 alone.
    """
    lines: list[tuple[int, int]] = []
    start = index = 0
    used = 0.0
    while index < len(text):
        used += widths[index]
        index += 1
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        if index <= len(forced) and forced[index - 1]:
            end = index
        elif used > limit + _paragraph._FUZZ and used > 0:
            end = _line_end(text, start, index)
        else:
            continue
        lines.append((start, end))
        start = index = end
        used = 0.0
    if used > 0:
        lines.append((start, len(text)))
    return lines


def _line_end(text: str, start: int, index: int) -> int:
    """The end of a line from ``start`` whose character ``index - 1`` does not fit."""
    cannot_start = _paragraph.ALL_CANNOT_START
    overflow = text[index - 1]
    latin = ord(overflow) < 0x3000
    number = (
        not latin
        and overflow not in cannot_start
        and index - 2 > start
        and text[index - 2].isdigit()
    )
    if latin or number:  # back to the space or Chinese character before the word or number
        # ReportLab looks back half a line for a word; a number goes whole (a narrow cell)
        stop = (start + index) >> 1 if latin else start - 1
        for before in range(index - (1 if latin else 2), stop, -1):
            char = text[before]
            if (unicodedata.category(char) == "Zs" or ord(char) >= 0x3000) and before + 1 < index:
                after = before + 1
                return after if text[after] not in cannot_start and after > start else after + 1
    if overflow not in cannot_start and index > start + 1:
        return index - 1  # the character goes on the next line
    return index  # it hangs at the end of this one


def _is_word_character(char: str) -> bool:
    """A letter, digit or sign of Latin text (a word, code or number: 2022, GB/T, 10%):
    the gap between two of them is never stretched."""
    return ord(char) < 0x2E80 and not char.isspace()  # 0x2E80: the first CJK block


class _JustifiedParagraph(_Paragraph):
    """A paragraph set 两端对齐: every line but the last flush at both margins.

    Decision: ReportLab's ``TA_JUSTIFY`` stretches only spaces (PDF word spacing), and a
    line of Chinese has none, so a line mixing Chinese with Latin words, codes or long
    numbers ended anywhere up to half a line short (its CJK line breaker does not cut a
    Latin run). Here each line, as ``line_ends`` cut it, is drawn with its slack
    spread evenly over the gaps between characters (PDF character spacing, ``Tc``, per run
    of characters), except gaps inside a run of Latin characters (``_is_word_character``),
    so a word, code or number keeps its letter spacing; only a line that is one such run
    spreads over all its gaps. A closing mark ReportLab hangs into the margin (a line start
    forbidden to it) makes the slack negative: that line is squeezed the same way. The
    paragraph's last line and a line ended by a typed line break stay as set.
    Alternatives: one character spacing for the whole line (pulls Latin words apart
    letter by letter); drawing every character at its own position (a run per character
    in the PDF: bigger files, text extraction in pieces).
    Only what our Part 1 paragraphs use is drawn: text runs of one or more faces and
    colours, a first-line indent; no bullets, links, underlines, backgrounds.
    """

    def drawPara(self, debug: int = 0) -> None:
        lines = self.blPara.lines
        if not lines:
            return
        style = self.style
        simple = self.blPara.kind == 0  # one run: lines are (slack, [text])
        first_size = self.blPara.fontSize if simple else lines[0].fontSize
        top = self.height - (first_size if rl_config.paraFontSizeHeightOffset else lines[0].ascent)
        justify_last = getattr(self, "_JustifyLast", False)  # the first part of a split
        canvas = self.canv
        canvas.saveState()
        text = canvas.beginText(0, 0)
        current: tuple[Any, ...] = ()
        for number, line in enumerate(lines):
            if simple:
                runs = [(self.blPara, " ".join(line[1]))]
                typed_break = False
            else:
                runs = [(frag, frag.text) for frag in line.words]
                typed_break = bool(getattr(line, "lineBreak", False))
            indent = style.firstLineIndent if number == 0 else 0
            width = self._wrapWidths[min(number, len(self._wrapWidths) - 1)]
            last = number == len(lines) - 1 and not justify_last
            text.setTextOrigin(style.leftIndent + indent, top - number * style.leading)
            for frag, piece, spacing in _spaced_runs(runs, width, last or typed_break):
                state = (frag.fontName, frag.fontSize, frag.textColor, spacing)
                if state[:2] != current[:2]:
                    text.setFont(frag.fontName, frag.fontSize, style.leading)
                if not current or state[2] != current[2]:
                    text.setFillColor(frag.textColor)
                if not current or spacing != current[3]:
                    text.setCharSpace(spacing)
                current = state
                text.textOut(piece)
        text.setCharSpace(0)
        canvas.drawText(text)
        canvas.restoreState()


def _spaced_runs(
    runs: Sequence[tuple[Any, str]], width: float, ragged: bool
) -> list[tuple[Any, str, float]]:
    """A line's runs ``(frag, text)`` as ``(frag, text, character spacing)`` pieces that
    fill ``width`` points (spacing 0 when ``ragged``); trailing spaces dropped."""
    runs = [(frag, piece) for frag, piece in runs if piece]
    while runs and not runs[-1][1].rstrip():
        runs.pop()
    if not runs:
        return []
    runs[-1] = (runs[-1][0], runs[-1][1].rstrip())
    chars = "".join(piece for _, piece in runs)
    gaps = [not (_is_word_character(a) and _is_word_character(b)) for a, b in pairwise(chars)]
    if not any(gaps):  # one word, code or number: its letters move apart
        gaps = [True] * len(gaps)
    used = sum(stringWidth(piece, frag.fontName, frag.fontSize) for frag, piece in runs)
    stretch = 0.0 if ragged or not gaps else (width - used) / sum(gaps)
    pieces: list[tuple[Any, str, float]] = []
    index = 0
    for frag, piece in runs:
        for char in piece:
            spacing = stretch if index < len(gaps) and gaps[index] else 0.0
            if pieces and pieces[-1][0] is frag and pieces[-1][2] == spacing:
                pieces[-1] = (frag, pieces[-1][1] + char, spacing)
            else:
                pieces.append((frag, char, spacing))
            index += 1
    return pieces


def format_percent(value: Decimal | None) -> str:
    """A percentage as printed (``Decimal("30")`` -> ``30%``), empty when there is none."""
    return "" if value is None else f"{value}%"


def statement_lines(item_target: ItemTarget) -> list[tuple[bool, str]]:
    """The printed lines of an item target's statements: ``(is_heading, text)`` in order.

    Level-1 groups are numbered 1., 2., … in order of appearance; within a group, the
    statements of one level-2 indicator make one paragraph, led by （1）, （2）, … (when
    the group has more than one level-2) and the level-2 name once, as in the reference
    document (（2）质量指标。较强的时间观念…按时按质完成率：年度指标值100%。) — unless a
    text already begins with them (（1）数量指标。… pasted from the document): nothing is
    printed twice. A statement is one sentence: a line break typed in it is taken out
    (``one_line``).
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for statement in item_target.statements:
        groups.setdefault(statement.level1, []).append((statement.level2, one_line(statement.text)))
    lines: list[tuple[bool, str]] = []
    for number, (level1, statements) in enumerate(groups.items(), start=1):
        if level1:
            lines.append((True, f"{number}.{level1}"))
        level2_names = list(dict.fromkeys(level2 for level2, _ in statements if level2))
        led: dict[str, int] = {}  # level-2 -> index of its paragraph in ``lines``
        for level2, text in statements:
            if not level2 or states_label(text, level2):
                lines.append((False, text))  # the clerk's text already names its level-2
            elif level2 in led:  # the same level-2 again: its paragraph goes on
                before = lines[led[level2]][1]
                stop = "" if before.endswith(("。", "！", "？", "；")) else "。"
                lines[led[level2]] = (False, before + stop + text)
            else:
                n = f"（{level2_names.index(level2) + 1}）" if len(level2_names) > 1 else ""
                led[level2] = len(lines)
                lines.append((False, f"{n}{level2}。{text}"))
    return lines


def _part1(declaration: Declaration, s: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        *(_p(line, s.part_title) for line in PART1_TITLE),
        Spacer(1, 4 * mm),
        _p(SECTION_OVERALL, s.heading),
        *(_p(line, s.body) for line in _lines(printed_budget_sentence(declaration))),
        *(_p(line, s.body) for line in _lines(declaration.overall_target)),
    ]
    for task in declaration.key_tasks:
        title = escape(task.title.strip().rstrip("。"))
        lead = f"<b>{title}。</b>" if title else ""
        story.append(_p(task.body, s.body, lead) if lead or task.body else Paragraph("", s.body))
    story += [_p(SECTION_ITEMS, s.heading), _p(ITEM_TARGETS_INTRO, s.subheading)]
    for item_target in declaration.item_targets:
        story.append(_p(item_target_heading(item_target, declaration.amount_unit), s.subheading))
        story += [
            _p(text, s.subheading if is_heading else s.body)
            for is_heading, text in statement_lines(item_target)
        ]
    story.append(_p(SECTION_SAFEGUARDS, s.heading))
    story += [_p(line, s.body) for line in _lines(declaration.safeguard_measures)]
    return story


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def spread_sub_columns(count: int) -> list[int]:
    """Split the 12 sub-columns into ``count`` nearly equal, contiguous widths."""
    count = max(1, min(count, SUB_COLUMNS))
    return [SUB_COLUMNS // count + (1 if i < SUB_COLUMNS % count else 0) for i in range(count)]


def _grid_style(font: str) -> list[tuple[Any, ...]]:
    """Ruled cells in ``font`` with the form's padding."""
    return [("FONTNAME", (0, 0), (-1, -1), font), *_GRID_LINES]


_CELL_PADDING = 3  # points, each side of a ruled cell

_GRID_LINES = [
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), _CELL_PADDING),
    ("BOTTOMPADDING", (0, 0), (-1, -1), _CELL_PADDING),
]

#: Indicator grid columns right of 一级指标, in sub-columns: 二级, 三级, 描述, 指标值, 依据.
INDICATOR_WIDTHS = (2, 3, 3, 2, 2)
INDICATOR_HEADERS = ROW_KINDS[Indicator].printed_headers()  # also Word's and Excel's


def project_table_title(position: int, project: BudgetProject) -> str:
    """The title above a Part 2 table (1.接待管理经费绩效目标表); ``position`` is 1-based."""
    return f"{position}.{project.name}绩效目标表"


def _cells(cells: Sequence[tuple[Paragraph, int]], sub: float, font: str) -> Table:
    """A one-row table of cells ``(paragraph, width in sub-columns)`` for the content column.

    Used for the header block's multi-cell rows, so that the outer table has two plain
    columns: ReportLab wraps a column-spanning cell at the first column's width when it
    splits the row across pages.
    """
    table = Table([[cell for cell, _ in cells]], colWidths=[w * sub for _, w in cells])
    table.setStyle(TableStyle(_grid_style(font)))
    return table


def _header_block(project: BudgetProject, s: _Styles, width: float) -> Table:
    """项目编码 … 绩效目标: two columns, label and content; long texts are plain cells."""
    label, cell, center = s.cell_label, s.cell, s.cell_center
    sub = (width - LABEL_WIDTH) / SUB_COLUMNS
    printed = PRINTED_LABELS[BudgetProject]
    plan: list[DisbursementCheckpoint | None] = [*project.disbursement_plan] or [None]
    spread = spread_sub_columns(len(plan))
    rows: list[list[Flowable | str]] = [
        [
            _p(printed["code"], label),
            _cells(
                [
                    (_p(project.code, center), 5),
                    (_p(printed["name"], label), 2),
                    (_p(project.name, center), 5),
                ],
                sub,
                s.font,
            ),
        ],
        [
            _p(BUDGET_SIZE_LABEL, label),
            _cells(
                [
                    (_p(printed["budget_amount"], label), 2),
                    (_p(format_amount(project.budget_amount), center), 2),
                    (_p(printed["fiscal_funds"], label), 2),
                    (_p(format_amount(project.fiscal_funds), center), 2),
                    (_p(printed["other_funds"], label), 2),
                    (_p(format_amount(project.other_funds), center), 2),
                ],
                sub,
                s.font,
            ),
        ],
        ["", _p(project.use_of_funds, cell)],
        [
            _p(DISBURSEMENT_PLAN_LABEL, label),
            _cells(
                [(_p(p.label if p else "", label), w) for p, w in zip(plan, spread, strict=True)],
                sub,
                s.font,
            ),
        ],
        [
            "",
            _cells(
                [
                    (_p(format_percent(p.cumulative_percent) if p else "", center), w)
                    for p, w in zip(plan, spread, strict=True)
                ],
                sub,
                s.font,
            ),
        ],
        [_p(printed["performance_target"], label), _p(project.performance_target, cell)],
    ]
    table = Table(rows, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], splitInRow=1)
    nested = [(1, 0), (1, 1), (1, 3), (1, 4)]
    table.setStyle(
        TableStyle(
            _grid_style(s.font)
            + [("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (0, 4))]
            + [
                (side, at, at, 0)
                for at in nested
                for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
            ]
        )
    )
    return table


class _KeepTogetherIfFits(KeepTogether):
    """KeepTogether that does not push content taller than a whole page to the next page."""

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._height < self._H:
            return list(self._content)
        return super().split(aW, aH)


#: Columns a row split over pages prints on every part (一级指标, 二级指标, 三级指标, 指标值);
#: the others (绩效指标描述, 指标值确定依据) flow from one part into the next.
REPEATED_COLUMNS = (0, 1, 2, 4)
#: Added to the 三级指标 of each continuation of a row split over pages.
CONTINUED = "（续）"
_LEVEL3_COLUMN = 2
_MIN_SPLIT_LINES = 3  # a row is split only where its first part gets this many lines


@dataclass(frozen=True)
class _GridRow:
    """One printed row of the indicator grid: an indicator, or a part of one split over pages.

    ``texts``: the indicator's cells as typed, in the order of the grid's headers
    (``INDICATOR_HEADERS`` on the 申报 form).
    ``cells``: what this row prints in each column: the texts, or in a part of a split row
    the piece of a long text that falls on this part. ``pieces``: columns holding such a
    piece (never repeated). ``split``: a part of a row split over pages (its cells start
    at the top).
    """

    texts: tuple[str, ...]
    cells: tuple[Flowable, ...]
    pieces: frozenset[int] = frozenset()
    split: bool = False


class _IndicatorTable(Table):
    """The indicator grid; split over pages by our own rules, not ReportLab's in-row split.

    Decision: ReportLab (``splitInRow``) draws a split span's text, and each cell of a row
    split in two, in one part only, so a row longer than a page printed its labels once,
    and a page of only header rows could follow (DESIGN.md, "ReportLab tables"). Here a
    split rebuilds both parts from their rows (``build``), so the header row repeats, equal
    labels merge again within each part, and a row split inside repeats its 一级/二级/三级
    指标 and 指标值 on each part (the 三级指标 marked ``CONTINUED``), at the top of the part.
    Rows that fit on a page are never split inside: the table breaks between rows, as on
    paper; only a row taller than a page (or one that would leave the page blank) is cut.
    A table that is not split is built exactly as before (the golden pages).
    """

    rows: Sequence[_GridRow] = ()
    column_styles: Sequence[ParagraphStyle] = ()
    header_style: ParagraphStyle | None = None
    font: str = FONT
    headers: Sequence[str] = INDICATOR_HEADERS
    repeated: Sequence[int] = REPEATED_COLUMNS

    @classmethod
    def build(
        cls,
        rows: Sequence[_GridRow],
        column_styles: Sequence[ParagraphStyle],
        header_style: ParagraphStyle,
        font: str,
        widths: Sequence[float],
        headers: Sequence[str] = INDICATOR_HEADERS,
        repeated: Sequence[int] = REPEATED_COLUMNS,
    ) -> _IndicatorTable:
        """The grid of ``rows`` under the header row ``headers`` (one per column; the 申报
        form's six by default); ``widths`` in points, one per column; ``repeated``: the
        columns a row split over pages prints on every part. Column 0 is the 一级指标,
        1 the 二级指标 (merged when equal), 2 the 三级指标 (marked ``CONTINUED``)."""
        data: list[list[Flowable]] = [[_p(text, header_style) for text in headers]]
        data += [list(row.cells) for row in rows]
        table = cls(data, colWidths=list(widths), repeatRows=1)
        runs = merged_label_runs([(row.texts[0], row.texts[1]) for row in rows])
        table.setStyle(
            TableStyle(
                _grid_style(font)
                + [("SPAN", (column, a + 1), (column, b + 1)) for column, a, b in runs]
                + [
                    ("VALIGN", (0, number), (-1, number), "TOP")
                    for number, row in enumerate(rows, start=1)
                    if row.split
                ]
            )
        )
        table.rows, table.column_styles = list(rows), list(column_styles)
        table.header_style, table.font = header_style, font
        table.headers, table.repeated = tuple(headers), tuple(repeated)
        return table

    def _part(self, rows: Sequence[_GridRow]) -> _IndicatorTable:
        assert self.header_style is not None
        return self.build(
            rows,
            self.column_styles,
            self.header_style,
            self.font,
            self._colWidths,
            self.headers,
            self.repeated,
        )

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The part that fits in ``availHeight`` (points) and the rest, each with the header
        row; ``[]`` when nothing sensible fits here (the frame then moves on a page)."""
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        used, fitting = heights[0], 0
        for height in heights[1:]:
            if used + height > availHeight:
                break
            used, fitting = used + height, fitting + 1
        if fitting == len(self.rows):
            return [self]
        frame = getattr(self, "_frame", None)
        page = frame._aH if frame is not None else availHeight  # a whole frame's height
        at_top = bool(frame._atTop) if frame is not None else False
        if heights[0] + heights[fitting + 1] <= page and not at_top:
            # the row fits on a page: it goes there whole (with the rest of the grid)
            return self._split_between(fitting, availWidth, availHeight) if fitting else []
        parts = self._split_inside(fitting, availHeight - used, availWidth, availHeight, at_top)
        if parts or not fitting:
            return parts
        return self._split_between(fitting, availWidth, availHeight)

    def _split_between(self, count: int, width: float, height: float) -> list[Flowable]:
        """Split before data row ``count`` (or earlier, if a merged label needs the room)."""
        for first in range(count, 0, -1):
            head = self._part(self.rows[:first])
            if head.wrap(width, height)[1] <= height:
                return [head, self._part(self.rows[first:])]
        return []

    def _split_inside(
        self, number: int, room: float, width: float, height: float, at_top: bool
    ) -> list[Flowable]:
        """Split data row ``number`` (0-based) so that its first part takes ``room`` points."""
        if (
            not at_top
            and room - 2 * _CELL_PADDING < _MIN_SPLIT_LINES * self.column_styles[3].leading
        ):
            return []
        for _ in range(3):  # shrink the room if a merged label makes the first part too tall
            pieces = self._cut_row(self.rows[number], room - 2 * _CELL_PADDING)
            if pieces is None:
                return []
            first, rest = pieces
            head = self._part([*self.rows[:number], first])
            over = head.wrap(width, height)[1] - height
            if over <= 0:
                return [head, self._part([rest, *self.rows[number + 1 :]])]
            room -= over
        return []

    def _column_width(self, column: int) -> float:
        return float(self._colWidths[column]) - 2 * _CELL_PADDING

    def _cut_row(self, row: _GridRow, room: float) -> tuple[_GridRow, _GridRow] | None:
        """``row`` cut into a first part of at most ``room`` points of content and the rest;
        None when nothing would move on (the first part would be empty or whole)."""
        first: list[Flowable] = []
        rest: list[Flowable] = []
        pieces = set(row.pieces)
        for column, cell in enumerate(row.cells):
            style = self.column_styles[column]
            width = self._column_width(column)
            cell_height = cell.wrap(width, 1e6)[1]
            if column in self.repeated and column not in row.pieces and cell_height <= room:
                text = row.texts[column]
                if column == _LEVEL3_COLUMN and text:
                    text += CONTINUED
                first.append(cell)
                rest.append(_p(text, style))
                continue
            parts = cell.split(width, room) if cell_height > room else [cell]
            if len(parts) == 2:
                first.append(parts[0])
                rest.append(parts[1])
            elif parts:
                first.append(cell)
                rest.append(_p("", style))
            else:  # not even one line fits: all of it goes on
                first.append(_p("", style))
                rest.append(cell)
            pieces.add(column)
        flowing = [c for c in range(len(row.cells)) if c in pieces]
        if all(row.cells[c] is first[c] for c in flowing) or all(
            row.cells[c] is rest[c] for c in flowing
        ):
            return None
        return (
            _GridRow(row.texts, tuple(first), row.pieces, split=True),
            _GridRow(row.texts, tuple(rest), frozenset(pieces), split=True),
        )


def _indicator_grid(project: BudgetProject, s: _Styles, width: float) -> Table:
    """The indicator grid: header row repeated on every page, equal labels merged."""
    sub = (width - LABEL_WIDTH) / SUB_COLUMNS
    styles = (s.cell_center, s.cell_center, s.cell, s.cell, s.cell_center, s.cell_center)
    rows = []
    for indicator in project.indicators:
        texts = (indicator.level1, *_indicator_cells(indicator))
        cells = tuple(_p(text, style) for text, style in zip(texts, styles, strict=True))
        rows.append(_GridRow(texts, cells))
    return _IndicatorTable.build(
        rows, styles, s.cell_label, s.font, [LABEL_WIDTH] + [w * sub for w in INDICATOR_WIDTHS]
    )


def _unit_line(declaration: Declaration, s: _Styles, width: float) -> Table:
    """The line above a project table: the unit (code and name) left, 单位：万元 right."""
    unit_line = Table(
        [
            [
                _p(f"{declaration.unit_code}{declaration.unit_name}", s.above_left),
                _p(f"单位：{declaration.amount_unit}", s.above_right),
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
    )
    unit_line.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.font),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return unit_line


def _project_table(
    position: int, project: BudgetProject, declaration: Declaration, s: _Styles, width: float
) -> list[Flowable]:
    head_table = _header_block(project, s, width)
    grid_table = _indicator_grid(project, s, width)
    unit_line = _unit_line(declaration, s, width)
    # Moved whole to the next page when it fits there; a table taller than a page starts
    # where it is and splits (moving it would only leave an empty page behind).
    return [
        _KeepTogetherIfFits(
            [
                _Bookmark(project_table_title(position, project), 1),
                _p(project_table_title(position, project), s.table_title),
                unit_line,
                head_table,
                grid_table,
            ]
        )
    ]


def _indicator_cells(indicator: Indicator) -> tuple[str, str, str, str, str]:
    return (
        indicator.level2,
        indicator.level3,
        indicator.description,
        indicator.target_value,
        indicator.basis,
    )


def check_printable(
    declarations: Iterable[Declaration], font: str = FONT, extra_rows: Iterable[SyncedRow] = ()
) -> None:
    """Raise ``MissingGlyphError`` if any text to be printed has a character ``font`` lacks
    (the rows of each declaration's form, and ``extra_rows``)."""
    places: dict[str, set[str]] = {}
    rows = [*(r for d in declarations for r in d.form_rows()), *extra_rows]
    for row in rows:
        for field, name in FIELD_LABELS[type(row)].items():
            value = getattr(row, field)
            missing = missing_characters(value, font) if isinstance(value, str) else set()
            if missing:
                places.setdefault(f"{row_place(row)}的“{name}”", set()).update(missing)
    if places:
        raise MissingGlyphError(places)


class SignaturePlacement(enum.StrEnum):
    """Where the signature block (填报人, 单位负责人, 联系电话, 填报日期, 单位盖章) is printed.
    The values are remembered in the settings file: never change one."""

    NONE = "none"
    EACH = "each"  # after each project table
    END = "end"  # after each declaration


@dataclass(frozen=True)
class PrintOptions:
    """What to print and how (文件 → 打印 options; remembered by the UI).

    ``projects``: UUIDs of the budget projects to print (None: all); tables keep the
    numbers they have in the whole document. ``signature``: where the signature block
    goes (after each project table by default, as the papers are signed and sealed).
    ``form``: the stage whose form is printed (``stages.STAGES``: 申报 the 绩效目标申报表
    of ``part1``/``part2``; 监控 the 绩效运行监控表 and 自评 the 绩效自评表, one table per
    budget project, laid out by ``reports/stage_forms.py``; ``part1``/``part2`` are
    then not read).
    """

    part1: bool = True
    part2: bool = True
    projects: tuple[str, ...] | None = None
    new_page_per_project: bool = False
    signature: SignaturePlacement = SignaturePlacement.EACH  # signed and sealed paper
    #: a TrueType face file to print with (e.g. 宋体 on Windows); empty: the bundled face
    face: str = ""
    form: str = DECLARE

    def parts_label(self) -> str:
        """The parts printed, in words (recorded with each print): 第一部分、第二部分, or
        the stage's form (绩效运行监控表), with the number of projects when some are chosen."""
        if self.form != DECLARE:
            label = STAGE_FORMS[self.form]
            if self.projects is not None:
                label += f"（{len(self.projects)} 个项目）"
            return label
        parts = [
            name for name, on in ((PART1_TITLE[0], self.part1), (PART2_TITLE[0], self.part2)) if on
        ]
        label = "、".join(parts) or "无"
        if self.projects is not None:
            label += f"（{len(self.projects)} 个项目）"
        return label


@dataclass(frozen=True)
class Stamp:
    """What the footer of a declaration's pages says besides the page number."""

    fingerprint: str = ""  # short form, e.g. 00A2-4E21
    printed_at: datetime | None = None
    review_errors: int = 0


class _StampMark(Flowable):
    """Zero-size marker: the pages from here on carry this declaration's stamp."""

    def __init__(self, stamp: Stamp) -> None:
        super().__init__()
        self.stamp = stamp

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv.jixiao_stamp = self.stamp


class _Bookmark(Flowable):
    """Zero-size marker adding a PDF outline entry for the place it lands on."""

    def __init__(self, title: str, level: int) -> None:
        super().__init__()
        self.title, self.level = title, level

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        key = f"outline{id(self)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.title, key, level=self.level, closed=False)


_TOTAL_PAGES_FORM = "jixiaoTotalPages"
_FOOTER_SIZE = 8.5


class _Document(SimpleDocTemplate):
    """A4 (portrait, or landscape for a wide form) with our margins and a footer drawn when
    each page is complete:
    第 X 页 共 Y 页, the declaration's fingerprint and print time, and 审核未通过 with open
    errors.

    Decision: the page count Y is a PDF form defined after the last page and referenced
    from every footer, so the document is laid out once (a second pass to count pages
    doubled the time of a 200-page print). The form holds "Y 页"; the footer is centred
    on an estimate of its width (the last page's number), a point or two off on others.
    """

    def __init__(self, target: Any, pagesize: tuple[float, float] = A4, **kwargs: Any) -> None:
        super().__init__(
            target,
            pagesize=pagesize,
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN,
            bottomMargin=PAGE_MARGIN,
            creator="jixiao 绩效目标填报",
            initialFontName=FONT,  # else every page declares an unembedded Helvetica
            **kwargs,
        )

    def afterPage(self) -> None:
        canvas = self.canv
        stamp: Stamp = getattr(canvas, "jixiao_stamp", Stamp())
        y = PAGE_MARGIN / 2
        canvas.saveState()
        canvas.setFont(FONT, _FOOTER_SIZE)
        prefix = f"第 {self.page} 页 共 "
        width = stringWidth(prefix + f"{self.page} 页", FONT, _FOOTER_SIZE)
        x = (self.pagesize[0] - width) / 2
        canvas.drawString(x, y, prefix)
        canvas.translate(x + stringWidth(prefix, FONT, _FOOTER_SIZE), y)
        canvas.doForm(_TOTAL_PAGES_FORM)
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(FONT, _FOOTER_SIZE)
        left = f"指纹 {stamp.fingerprint}" if stamp.fingerprint else ""
        if stamp.printed_at is not None:
            left += f"　打印于 {stamp.printed_at:%Y-%m-%d %H:%M}"
        canvas.drawString(PAGE_MARGIN, y, left.strip())
        if stamp.review_errors:
            canvas.setFont(FONT_BOLD, _FOOTER_SIZE)
            canvas.drawRightString(
                self.pagesize[0] - PAGE_MARGIN, y, f"审核未通过（{stamp.review_errors} 个错误）"
            )
        canvas.restoreState()

    def _endBuild(self) -> None:
        canvas, total = self.canv, self.page
        canvas.beginForm(_TOTAL_PAGES_FORM)
        canvas.setFont(FONT, _FOOTER_SIZE)
        canvas.drawString(0, 0, f"{total} 页")
        canvas.endForm()
        super()._endBuild()


SIGNATURE_DATE = "________年______月______日"


def _signature_block(s: _Styles, width: float) -> Table:
    """填报人 / 联系电话 / 单位负责人 / 填报日期 / 单位（盖章）, with lines to sign on."""
    label = s.above_left
    rows = [
        [_p("填报人：", label), "", _p("联系电话：", label), ""],
        # underscores, not spaces: a paragraph drops its leading spaces, and a date needs
        # room for 2023 年 12 月 31 日 written by hand
        [_p("单位负责人：", label), "", _p("填报日期：", label), _p(SIGNATURE_DATE, label)],
        ["", "", _p("单位（盖章）", label), ""],
    ]
    table = Table(rows, colWidths=[width * 0.16, width * 0.34, width * 0.16, width * 0.34])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.font),
                ("LINEBELOW", (1, 0), (1, 1), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),  # the date has its own
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 2), (-1, 2), 40),  # room for the seal
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def build_story(
    declarations: Sequence[Declaration],
    frame_width: float,
    options: PrintOptions = PrintOptions(),
    stamps: Sequence[Stamp] = (),
) -> list[Flowable]:
    """The flowables of the printout: per declaration Part 1, then Part 2, as ``options`` say.

    ``stamps`` (one per declaration) feed the page footers.
    """
    s = _styles(*register_face(options.face))
    story: list[Flowable] = []
    several = len(declarations) > 1
    for index, declaration in enumerate(declarations):
        if story:
            story.append(PageBreak())
        story.append(_StampMark(stamps[index] if index < len(stamps) else Stamp()))
        prefix = f"{declaration.unit_name}{declaration.fiscal_year}年 " if several else ""
        if options.part1:
            story.append(_Bookmark(prefix + " ".join(PART1_TITLE), 0))
            story += _part1(declaration, s)
        projects = [
            (position, project)
            for position, project in enumerate(declaration.budget_projects, start=1)
            if options.projects is None or project.uuid in options.projects
        ]
        if options.part2 and projects:
            if options.part1:
                story.append(PageBreak())
            story += [
                _Bookmark(prefix + " ".join(PART2_TITLE), 0),
                *(_p(line, s.part_title) for line in PART2_TITLE),
                Spacer(1, 4 * mm),
            ]
            for number, (position, project) in enumerate(projects):
                if number:
                    story.append(PageBreak() if options.new_page_per_project else Spacer(1, 8 * mm))
                story += _project_table(position, project, declaration, s, frame_width)
                # the block whole, on the table's page or the next
                if options.signature is SignaturePlacement.EACH:
                    story.append(
                        KeepTogether([Spacer(1, 4 * mm), _signature_block(s, frame_width)])
                    )
        if options.signature is SignaturePlacement.END:
            story.append(KeepTogether([Spacer(1, 8 * mm), _signature_block(s, frame_width)]))
    return story


#: What lays out a printout: (declarations, frame width in points, options, stamps) ->
#: the story (``build_story`` for the 申报 form).
StoryBuilder = Callable[
    [Sequence[Declaration], float, "PrintOptions", Sequence[Stamp]], list[Flowable]
]


def write_pdf(
    declarations: Sequence[Declaration],
    out_path: Path | str,
    *,
    options: PrintOptions = PrintOptions(),
    stamps: Sequence[Stamp] = (),
    invariant: bool = False,
    story: StoryBuilder = build_story,
    pagesize: tuple[float, float] = A4,
    extra_rows: Iterable[SyncedRow] = (),
) -> int:
    """Print ``declarations`` to the PDF ``out_path`` (A4 portrait); returns the page count.

    ``story`` lays the pages out (the 申报 form by default; the later stages' forms pass
    theirs, ``reports/stage_forms.py``) on pages of ``pagesize`` (points); ``extra_rows``
    are rows the story prints besides each declaration's ``form_rows`` (the 目标调整),
    checked for characters the font lacks as those are.

    ``stamps`` give each declaration's fingerprint, print time and open review errors for
    the footers (with errors, every page says 审核未通过（N 个错误）). The file is written
    under a temporary name in the target folder and renamed into place, so an existing PDF
    is replaced only by a complete one. ``invariant`` makes the output byte-stable (golden
    tests). Raises ``PrintError`` before writing anything when there is nothing to print or
    text has characters the embedded font lacks (``MissingGlyphError``), and ``OSError``
    when the folder cannot be written.
    """
    register_fonts()
    if not declarations or (options.form == DECLARE and not (options.part1 or options.part2)):
        raise PrintError("没有可打印的内容：文件中没有绩效目标，或没有选择要打印的部分。")
    try:
        regular, _ = register_face(options.face)
    except ValueError as exc:
        raise PrintError(str(exc)) from exc
    check_printable(declarations, regular, extra_rows)
    first = declarations[0]
    what = "预算绩效目标" if options.form == DECLARE else STAGE_FORMS[options.form]
    meta = {
        "title": f"{first.unit_name}{first.fiscal_year}年度{what}",
        "author": first.unit_name,
        "invariant": 1 if invariant else 0,
    }
    with replaced_atomically(Path(out_path)) as temp_path:
        document = _Document(str(temp_path), pagesize, **meta)
        document.build(story(declarations, document.width, options, stamps))
        pages = document.page
    return pages
