"""Word export and import (issue 24: Word in and out), without the GUI.

Documents are built here with python-docx the way Word and WPS lay a 绩效文本 out: the
reference document's text (tests/data, Word exported as text: tabs separate cells) turned
back into paragraphs and tables with merged cells, split tables, layout tables, nested
tables and full-width spaces. LibreOffice, where it has Writer, prints the export.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from desktop.exchange.errors import WordError
from desktop.exchange.word_import import describe, read_docx
from desktop.reports.pdf import statement_lines
from desktop.reports.wording import item_target_heading, printed_budget_sentence
from desktop.services import word
from desktop.storage import interchange
from desktop.storage.document import open_document
from tests.conftest import file_digest, first_declaration
from tests.test_cli import jixiao

SEED = Path(__file__).parent / "data" / "000_5920c77ceb642a59.txt"
SOFFICE = shutil.which("soffice")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _writer_installed() -> bool:
    """LibreOffice converts .docx only with its Writer module (Debian: libreoffice-writer)."""
    if SOFFICE is None:
        return False
    program = Path(SOFFICE).resolve().parent
    return any(program.glob("libswlo.so")) or any(program.glob("swlo.dll"))


needs_writer = pytest.mark.skipif(
    not _writer_installed(), reason="LibreOffice Writer is not installed on this machine"
)


def _export(source: Path, out: Path) -> Path:
    document = open_document(source, read_only=True)
    try:
        word.export_docx(document, out)
    finally:
        document.close()
    return out


@pytest.fixture
def sample_docx(sample_path: Path, tmp_path: Path) -> Path:
    return _export(sample_path, tmp_path / "sample.docx")


# --- the reference document rebuilt, as Word and WPS lay it out ----------------------------


def _seed_blocks() -> list[tuple[str, Any]]:
    """The seed text as ("p", text) paragraphs and ("table", rows of cell texts) tables.

    A line starting with a tab is a table cell; cells of a row are consecutive lines, rows
    are separated by one blank line, a table ends at two blank lines or a paragraph.
    """
    blocks: list[tuple[str, Any]] = []
    rows: list[list[str]] = []
    row: list[str] = []
    blank = 0

    def end_table() -> None:
        nonlocal rows, row
        if row:
            rows.append(row)
        if rows:
            blocks.append(("table", rows))
        rows, row = [], []

    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\[bookmark: [^\]]*\]", "", raw)
        if line.startswith("\t"):
            if blank >= 2:
                end_table()
            elif blank == 1 and row:
                rows.append(row)
                row = []
            row.append(line[1:])
            blank = 0
        elif not line.strip():
            blank += 1
        else:
            end_table()
            blocks.append(("p", line.strip()))
            blank = 0
    end_table()
    return blocks


def _merge_down(table: Any, column_of: Callable[[int], int | None]) -> None:
    """Merge each empty cell of a label column into the cell above it, as Word stores a
    merged 一级指标 (the continuation is an empty w:tc with w:vMerge)."""
    for r in range(1, len(table.rows)):
        column = column_of(r)
        if column is None:
            continue
        cell = table.cell(r, column)
        if not cell.text:
            table.cell(r - 1, column).merge(cell)


def _add_rows(
    document: Any, rows: list[list[str]], spread: bool, container: Any = None, merged: bool = True
) -> Any:
    """A ruled table of ``rows``: a header-block table on a 13-column grid (label + 12,
    the other cells spread over the 12), or an indicator table with one column per cell;
    ``merged``: empty label cells merged into the cell above (else left blank)."""
    parent = container if container is not None else document
    columns = 13 if spread else max(len(r) for r in rows)
    table = parent.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        if spread:
            table.cell(r, 0).text = cells[0]
            count = max(1, len(cells) - 1)
            widths = [12 // count + (1 if i < 12 % count else 0) for i in range(count)]
            at = 1
            for text, width in zip(cells[1:] or [""], widths, strict=True):
                cell = table.cell(r, at)
                if width > 1:
                    cell = cell.merge(table.cell(r, at + width - 1))
                cell.text = text
                at += width
        else:
            for c, text in enumerate(cells):
                table.cell(r, c).text = text
    if not merged:
        return table
    header = not spread and rows[0][0] == "一级指标"  # nothing merges into the header row
    _merge_down(table, lambda r: None if header and r == 1 else 0)
    if not spread:
        _merge_down(
            table,
            lambda r: (
                1
                if not (header and r == 1) and table.cell(r, 0).text == table.cell(r - 1, 0).text
                else None
            ),
        )
    return table


def _repeat_header(table: Any) -> None:
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def seed_docx(
    out: Path,
    *,
    split: str = "",
    full_width_labels: bool = False,
    nested: bool = False,
    heading_styles: bool = True,
    list_numbers: bool = False,
    unit_gap: str = "",
) -> Path:
    """The reference document as a .docx built from its text.

    ``split``: "" one indicator table per project; "bare" the indicator table split in two
    after its fourth row, the second part without a header (a merged 效益指标 cut in two);
    "header" the same with the header row repeated in the second part. ``full_width_labels``
    writes 项　目　编　码 (U+3000) as WPS users space labels; ``nested`` puts each indicator
    table inside a one-cell layout table; ``heading_styles`` styles the section headings as
    Word's 标题 2 (else plain bold paragraphs, as many units type them); ``list_numbers``
    leaves 一、 and 1. out of the heading texts, as Word's automatic list numbering does
    (the number is drawn, not stored in the text). ``split`` "unmerged" is "bare" with the
    second part's blank label cells left unmerged. ``unit_gap``: the unit line above each
    table as one paragraph, 507002乐亭县机关事务中心 and 单位：万元 parted by this text (else
    the first row of the project table, as in the reference).
    """
    document = docx.Document()
    tables = 0
    for kind, value in _seed_blocks():
        if kind == "p":
            is_heading = bool(re.match(r"^[一二三]、|^\d+\..*绩效目标表$", value))
            if is_heading and list_numbers:
                value = re.sub(r"^(?:[一二三]、|\d+\.)", "", value)
            if is_heading and heading_styles:
                document.add_heading(value, level=2)
            else:
                document.add_paragraph().add_run(value).bold = is_heading
            continue
        rows = value
        if len(rows) == 1 and len(rows[0]) == 2:  # the unit line: a borderless layout table
            layout = document.add_table(rows=1, cols=2)
            layout.cell(0, 0).text, layout.cell(0, 1).text = rows[0]
            continue
        if rows[0][0] == "一级指标":
            tables += 1
            container = None
            if nested:
                holder = document.add_table(rows=1, cols=1)
                container = holder.cell(0, 0)
            if split:
                first = _add_rows(document, rows[:5], False, container)
                _repeat_header(first)
                document.add_paragraph()
                second = [rows[0], *rows[5:]] if split == "header" else rows[5:]
                part = _add_rows(document, second, False, container, split != "unmerged")
                if split == "header":
                    _repeat_header(part)
            else:
                _repeat_header(_add_rows(document, rows, False, container))
            continue
        if unit_gap and rows[0][-1].startswith("单位："):  # the unit line, the table's 1st row
            document.add_paragraph(unit_gap.join(rows[0]))
            rows = rows[1:]
        if full_width_labels:
            rows = [[_spaced(cell) for cell in row] for row in rows]
        _add_rows(document, rows, True)
    document.save(str(out))
    return out


def _spaced(label: str) -> str:
    return (
        "\u3000".join(label) if label in ("项目编码", "项目名称", "绩效目标", "预算数") else label
    )


# --- export --------------------------------------------------------------------------------


def test_sample_round_trip_is_exact(sample_path: Path, sample_docx: Path) -> None:
    """Export to .docx then import: the same fingerprint, nothing left not understood."""
    original = first_declaration(sample_path)
    content = read_docx(sample_docx)
    assert content.not_understood == []
    assert content.unplaced == []
    assert interchange.fingerprint(content.declaration) == interchange.fingerprint(original)


def test_sample_round_trip_through_the_cli(sample_path: Path, tmp_path: Path) -> None:
    """jixiao export-docx, then import-docx -o: the new file has the same fingerprint."""
    exported = jixiao("export-docx", str(sample_path), "-o", "s.docx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "3 个项目表" in exported.stdout
    dry = jixiao("import-docx", "s.docx", "-o", "back.jxdb", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "预算项目 3 个" in dry.stdout
    assert not (tmp_path / "back.jxdb").exists()
    imported = jixiao("import-docx", "s.docx", "-o", "back.jxdb", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert interchange.fingerprint(first_declaration(tmp_path / "back.jxdb")) == (
        interchange.fingerprint(first_declaration(sample_path))
    )


def test_export_layout_is_word_native(sample_docx: Path) -> None:
    """Headings in Word heading styles, A4, 宋体/仿宋 for East Asian text, the two-row labels
    and equal 一级/二级 cells merged vertically, the indicator header row repeated."""
    document = docx.Document(str(sample_docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "第一部分\n部门整体绩效目标") in headings
    assert ("Heading 2", "二、分项绩效目标") in headings
    assert ("Heading 2", "1.公务用车北斗定位服务费及平台软件运维费用绩效目标表") in headings
    fonts = {
        name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
        for name in ("Normal", "Heading 2", "表格文字")
    }
    assert fonts == {"Normal": "仿宋", "Heading 2": "宋体", "表格文字": "宋体"}
    # per project: unit line (layout), header block, indicator grid
    assert len(document.tables) == 9
    head, grid = document.tables[1]._tbl, document.tables[2]._tbl
    label_cells = [tr.findall(f"{W}tc")[0] for tr in head.findall(f"{W}tr")]
    merges = [
        (
            tc.find(f"{W}tcPr/{W}vMerge").get(qn("w:val"))
            if tc.find(f"{W}tcPr/{W}vMerge") is not None
            else None
        )
        for tc in label_cells
    ]
    assert merges == [None, "restart", None, "restart", None, None]  # None on 2/4: continue
    assert head.findall(f"{W}tr")[2].findall(f"{W}tc")[0].find(f"{W}tcPr/{W}vMerge") is not None
    rows = grid.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in rows[1:])
    level1 = [tr.findall(f"{W}tc")[0] for tr in rows[1:]]
    texts = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in level1]
    assert texts == ["产出指标", "", "", "效益指标", "", "", "满意度指标"]


def test_export_replaces_a_file_only_when_complete(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while saving leaves the .docx already there as it was, and no temp file."""
    target = tmp_path / "out.docx"
    target.write_bytes(b"PK old")
    before = file_digest(target)

    def fail(self: Any, stream: Any) -> None:
        stream.write(b"half")
        raise OSError(28, "No space left on device")

    from desktop.files import WriteFailure, WriteFault, write_failure_message
    from desktop.storage.errors import FileWriteError

    monkeypatch.setattr(docx.document.Document, "save", fail)
    document = open_document(sample_path, read_only=True)
    try:
        with pytest.raises(FileWriteError) as info:
            word.export_docx(document, target)
        assert info.value.failure == WriteFailure(target, WriteFault.DISK_FULL, existed=True)
        assert "空间已满" in write_failure_message(info.value.failure)
    finally:
        document.close()
    assert file_digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.docx", "sample.jxdb"])


@needs_writer
def test_libreoffice_prints_every_line(
    sample_path: Path, sample_docx: Path, tmp_path: Path
) -> None:
    """LibreOffice converts the export to PDF, which has every line of the sample's Part 1
    and every indicator's text (a third program reads the file as Word would)."""
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(sample_docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "sample.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    d = first_declaration(sample_path)
    expected = [printed_budget_sentence(d), d.overall_target, *d.safeguard_measures.split("\n")]
    expected += [f"{t.title}。{t.body}" for t in d.key_tasks]
    for item in d.item_targets:
        expected.append(item_target_heading(item, d.amount_unit))
        expected += [text for _, text in statement_lines(item)]
    for p in d.budget_projects:
        expected += [p.code, p.name, p.use_of_funds, p.performance_target]
        for i in p.indicators:
            expected += [i.level3, i.description, i.target_value, i.basis]
    missing = [line for line in expected if re.sub(r"\s+", "", line) not in flat]
    assert missing == []


# --- import of documents made by Word and WPS ---------------------------------------------


def _assert_like_sample(content: Any, sample_path: Path) -> None:
    """Every project, amount (as written), plan and indicator of the reference is in place."""
    got = content.declaration
    want = first_declaration(sample_path)
    assert (got.unit_code, got.unit_name, got.fiscal_year) == ("507002", "乐亭县机关事务中心", 2022)
    assert str(got.total_budget) == "492.87"
    assert [(p.code, p.name) for p in got.budget_projects] == [
        (p.code, p.name) for p in want.budget_projects
    ]
    for mine, theirs in zip(got.budget_projects, want.budget_projects, strict=True):
        assert [str(mine.budget_amount), str(mine.fiscal_funds), mine.other_funds] == [
            str(theirs.budget_amount),
            str(theirs.fiscal_funds),
            theirs.other_funds,
        ]
        assert mine.use_of_funds == theirs.use_of_funds
        assert mine.performance_target == theirs.performance_target
        assert [(c.label, c.cumulative_percent) for c in mine.disbursement_plan] == [
            (c.label, c.cumulative_percent) for c in theirs.disbursement_plan
        ]
        fields = ("level1", "level2", "level3", "description", "target_value", "basis")
        assert [tuple(getattr(i, f) for f in fields) for i in mine.indicators] == [
            tuple(getattr(i, f) for f in fields) for i in theirs.indicators
        ]


def test_reference_document_imports_everything(sample_path: Path, tmp_path: Path) -> None:
    """The reference document rebuilt from its text imports with every project, amount and
    indicator in place, and its Part 1 as the sample holds it (same fingerprint)."""
    content = read_docx(seed_docx(tmp_path / "2022.docx"))
    _assert_like_sample(content, sample_path)
    assert str(content.declaration.budget_projects[1].budget_amount) == "184.00"
    assert content.not_understood == []
    assert interchange.fingerprint(content.declaration) == interchange.fingerprint(
        first_declaration(sample_path)
    )


@pytest.mark.parametrize("split", ["bare", "header", "unmerged"])
def test_tables_split_across_pages_join(split: str, sample_path: Path, tmp_path: Path) -> None:
    """An indicator grid split into two tables (the second without a header, or with the
    header again, or with its label cells blank and unmerged) joins its project; the cut
    效益指标 cell continues in the second part, blank labels carried down as a paste's are."""
    content = read_docx(seed_docx(tmp_path / "split.docx", split=split))
    _assert_like_sample(content, sample_path)
    assert content.not_understood == []
    assert "无一级指标" not in "\n".join(describe(content))


def test_a_split_table_continued_in_unmerged_rows(tmp_path: Path) -> None:
    """The newcomer's case: the second part of a split grid starts with rows whose 一级/二级
    are blank (not merged), then a 二级指标 of its own, then a new 一级指标: the leading
    blanks take the last row above the break, the later blank 二级 stays in its group."""
    document = docx.Document()
    document.add_heading("一、总体绩效目标", level=2)
    document.add_paragraph("本部门2023年度申请预算资金10万元。")
    head = document.add_table(rows=1, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    _add_rows(document, [header, ["产出指标", "数量指标", "甲", "", "1个", ""]], False)
    document.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    rest = [["", "", "乙", "", "2个", ""], ["", "质量指标", "丙", "", "100%", ""]]
    rest += [["效益指标", "社会效益指标", "丁", "", "明显", ""], ["", "", "戊", "", "提高", ""]]
    _add_rows(document, rest, False, merged=False)
    path = tmp_path / "split.docx"
    document.save(str(path))
    content = read_docx(path)
    indicators = content.declaration.budget_projects[0].indicators
    assert [(i.level1, i.level2, i.level3) for i in indicators] == [
        ("产出指标", "数量指标", "甲"),
        ("产出指标", "数量指标", "乙"),
        ("产出指标", "质量指标", "丙"),
        ("效益指标", "社会效益指标", "丁"),
        ("效益指标", "社会效益指标", "戊"),
    ]
    assert content.not_understood == []


def test_sign_and_unit_columns_join_the_target_value(tmp_path: Path) -> None:
    """An indicator table that keeps 指标性质 (the sign), 指标值 and 计量单位 in columns of
    their own, as Excel lists of other templates do: one 指标值, sign + value + unit, as
    the Excel reader joins them (they were dropped: ≥90批 came in as 90); a merged unit
    cell carries down; 定性 in the sign column is no sign."""
    document = docx.Document()
    document.add_heading("一、总体绩效目标", level=2)
    document.add_paragraph("本部门2023年度申请预算资金10万元。")
    head = document.add_table(rows=1, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    header = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"]
    rows = [
        header,
        ["产出指标", "数量指标", "接待批次", "≥", "90", "批"],
        ["", "", "培训场次", "=", "12", ""],
        ["", "质量指标", "验收合格率", ">=", "95", "%"],
        ["效益指标", "社会效益指标", "保障正常运转", "定性", "有效保障", ""],
    ]
    table = _add_rows(document, rows, False)
    table.cell(1, 5).merge(table.cell(2, 5))  # 批 for both rows
    path = tmp_path / "units.docx"
    document.save(str(path))
    content = read_docx(path)
    indicators = content.declaration.budget_projects[0].indicators
    assert [(i.level3, i.target_value) for i in indicators] == [
        ("接待批次", "≥90批"),
        ("培训场次", "=12批"),
        ("验收合格率", "≥95%"),
        ("保障正常运转", "有效保障"),
    ]
    assert content.not_understood == []


@pytest.mark.parametrize("gap", ["\t\t\t\t", "\u3000" * 10, "      ", "\u3000"])
def test_unit_line_as_one_paragraph(gap: str, sample_path: Path, tmp_path: Path) -> None:
    """The unit line above each table typed as one paragraph, 单位：万元 after tabs or
    spaces (full-width or ASCII): 单位名称 is the name alone, nothing left over."""
    content = read_docx(seed_docx(tmp_path / "unit.docx", unit_gap=gap))
    _assert_like_sample(content, sample_path)
    assert content.not_understood == [] and content.unplaced == []
    assert "绩效文本：507002乐亭县机关事务中心 2022年度" in describe(content)[0]


def test_unit_line_paragraph_with_another_amount_unit(tmp_path: Path) -> None:
    """单位：元 after the unit name in one paragraph: the name is read, the unit named."""
    document = docx.Document()
    document.add_heading("第二部分", level=1)
    document.add_paragraph("507002乐亭县机关事务中心\t\t单位：元")
    head = document.add_table(rows=1, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    path = tmp_path / "2023年绩效文本.docx"
    document.save(str(path))
    content = read_docx(path)
    assert content.declaration.unit_name == "乐亭县机关事务中心"
    assert any("金额单位不是万元" in notice.reason for notice in content.not_understood)


def test_full_width_spaces_nested_tables_and_plain_headings(
    sample_path: Path, tmp_path: Path
) -> None:
    """项　目　编　码 with U+3000, indicator tables nested in a layout cell, section headings
    typed as bold paragraphs and numbered by Word's list numbering: all read as the
    reference, nothing left over."""
    path = seed_docx(
        tmp_path / "wps.docx",
        full_width_labels=True,
        nested=True,
        heading_styles=False,
        list_numbers=True,
    )
    content = read_docx(path)
    _assert_like_sample(content, sample_path)
    assert len(content.declaration.item_targets) == 3
    assert content.not_understood == [] and content.unplaced == []


def test_empty_merged_continuations_are_filled_down(tmp_path: Path) -> None:
    """A vMerge continuation cell holding an empty paragraph takes the text above it; an
    empty cell that is not merged stays empty (not guessed from the text)."""
    document = docx.Document()
    document.add_heading("一、总体绩效目标", level=2)
    document.add_paragraph("本部门2023年度申请预算资金10万元。")
    head = document.add_table(rows=1, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    grid = document.add_table(rows=4, cols=6)
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    rows = [header, ["产出指标", "数量指标", "甲", "", "1个", ""], ["", "", "乙", "", "2个", ""]]
    rows.append(["", "质量指标", "丙", "", "100%", ""])
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            grid.cell(r, c).text = text
    grid.cell(1, 0).merge(grid.cell(3, 0))  # 产出指标 over three rows
    path = tmp_path / "merged.docx"
    document.save(str(path))
    content = read_docx(path)
    indicators = content.declaration.budget_projects[0].indicators
    assert [(i.level1, i.level2, i.level3) for i in indicators] == [
        ("产出指标", "数量指标", "甲"),
        ("产出指标", "", "乙"),
        ("产出指标", "质量指标", "丙"),
    ]
    assert str(content.declaration.total_budget) == "10"


def test_preview_names_what_was_not_understood(tmp_path: Path) -> None:
    """A bad amount is kept as pending input (as typed input is) and named; a paragraph
    before Part 1 is listed as going nowhere; nothing is written by reading."""
    document = docx.Document()
    document.add_paragraph("乐亭县机关事务中心2023年部门预算绩效文本")
    document.add_heading("一、总体绩效目标", level=2)
    document.add_paragraph("本部门2023年度申请预算资金10万元。")
    head = document.add_table(rows=2, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    for n, text in enumerate(["预算数", "一百万", "其他资金", ""]):
        head.cell(1, n).text = text
    path = tmp_path / "bad.docx"
    document.save(str(path))
    before = sorted(tmp_path.iterdir())
    content = read_docx(path)
    lines = "\n".join(describe(content))
    assert "一百万" in lines and "请输入 100" in lines  # the amount reader says what to type
    assert "乐亭县机关事务中心2023年部门预算绩效文本" in lines
    pending = content.declaration.pending_inputs
    assert [(p.field, p.text) for p in pending] == [("budget_amount", "一百万")]
    assert sorted(tmp_path.iterdir()) == before
    created = tmp_path / "new.jxdb"
    word.create_from_docx(content, created).close()
    from desktop.services.documents import load_declarations

    document_file = open_document(created, read_only=True)
    try:
        with document_file.session() as session:
            loaded = load_declarations(session)[0]
            assert [(p.field, p.text) for p in loaded.pending_inputs] == [
                ("budget_amount", "一百万")
            ]
    finally:
        document_file.close()


# --- bad input ----------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", OLE + b"\0" * 1024, "旧版 Word 格式（.doc）"),
        ("old.wps", OLE + b"\0" * 1024, "WPS 文字的旧格式"),
        ("locked.docx", OLE + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"), "设有打开密码"),
        ("broken.docx", b"PK\x03\x04" + b"\0" * 100, "已损坏"),
        ("text.docx", "第一部分".encode(), "不是 Word 文档"),
    ],
)
def test_bad_files_are_refused_in_chinese(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    """A legacy .doc, a .wps, a password-protected file, a damaged zip, a text file: each a
    Chinese message saying what to do; through the CLI exit 1 and nothing written."""
    path = _bad(tmp_path, name, data)
    with pytest.raises(WordError, match=re.escape(message)):
        read_docx(path)
    result = jixiao("import-docx", name, "-o", "new.jxdb", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "new.jxdb").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    """import-docx without -o (and without --dry-run) is a usage error (exit 2), explained in
    Chinese."""
    result = jixiao("import-docx", "x.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert "缺少参数：-o/--output" in result.stderr and "--dry-run" in result.stderr


def test_dry_run_needs_no_output_and_never_checks_it(sample_docx: Path, tmp_path: Path) -> None:
    """import-docx --dry-run lists what was found without -o; an existing -o file is neither
    refused nor touched (newcomer's report)."""
    alone = jixiao("import-docx", str(sample_docx), "--dry-run", cwd=tmp_path)
    assert alone.returncode == 0, alone.stderr
    assert "预算项目 3 个" in alone.stdout and "没有建立文件" in alone.stdout
    existing = tmp_path / "old.jxdb"
    existing.write_bytes(b"not touched")
    before = sorted(p.name for p in tmp_path.iterdir())
    dry = jixiao("import-docx", str(sample_docx), "-o", "old.jxdb", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "已存在" not in dry.stderr
    assert existing.read_bytes() == b"not touched"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_docx_that_is_not_a_performance_text_is_refused(tmp_path: Path) -> None:
    """A letter written in Word is no 绩效文本: refused, saying what a 绩效文本 has."""
    document = docx.Document()
    document.add_paragraph("关于召开年度工作会议的通知")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "姓名"
    path = tmp_path / "letter.docx"
    document.save(str(path))
    with pytest.raises(WordError, match="不像是部门预算绩效文本"):
        read_docx(path)


def _rezip(source: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return out


def test_entity_expansion_is_refused(sample_docx: Path, tmp_path: Path) -> None:
    """A document.xml with a DTD of nested entities (billion laughs) is refused before
    parsing; no entity is expanded."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lol">'
        + b"".join(
            f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(8)
        )
        + b"]>"
    )

    def hostile(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return laughs + data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&i;", 1)
        return data

    path = _rezip(sample_docx, tmp_path / "laughs.docx", hostile)
    with pytest.raises(WordError, match="不安全的 XML"):
        read_docx(path)


def test_zip_bomb_is_refused(
    sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member larger than the bound once unpacked is refused before it is read."""
    from desktop.exchange import word_import

    monkeypatch.setattr(word_import, "MAX_PART_BYTES", 1000)
    with pytest.raises(WordError, match="解压后过大"):
        read_docx(sample_docx)


def test_deeply_nested_xml_is_refused(sample_docx: Path, tmp_path: Path) -> None:
    """A document.xml nested deeper than lxml allows without huge_tree is refused as damaged
    (a Chinese message), not parsed into memory."""

    def deep(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return data.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 5000 + b"</w:sdt>" * 5000)
        return data

    with pytest.raises(WordError, match="已损坏"):
        read_docx(_rezip(sample_docx, tmp_path / "deep.docx", deep))


def test_import_to_an_existing_file_needs_force(sample_docx: Path, tmp_path: Path) -> None:
    """-o naming an existing file is refused without --force and leaves it untouched."""
    target = tmp_path / "there.jxdb"
    target.write_bytes(b"keep")
    result = jixiao("import-docx", str(sample_docx), "-o", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert "--force" in result.stderr
    assert target.read_bytes() == b"keep"


def test_last_years_text_starts_this_years_declaration(sample_path: Path, tmp_path: Path) -> None:
    """The newcomer's path: last year's Word text → new file → 从上年复制 → a 2023
    declaration with every project and indicator, 2022年12月底 moved to 2023年12月底; the
    imported file is reviewed like typed input (the same findings as the sample)."""
    from desktop.services.documents import load_declarations, roll_over
    from desktop.services.reviewing import review_document

    content = read_docx(seed_docx(tmp_path / "2022年绩效文本.docx"))
    imported = word.create_from_docx(content, tmp_path / "2022.jxdb")
    try:
        with imported.session() as session:
            uuid = load_declarations(session)[0].uuid
        findings = [(f.rule, f.message) for f in review_document(imported)]
        rolled = roll_over(
            imported, tmp_path / "2023.jxdb", declaration_uuid=uuid, keep_amounts=True
        )
    finally:
        imported.close()
    rolled.close()
    sample = open_document(sample_path, read_only=True)
    try:
        assert findings == [(f.rule, f.message) for f in review_document(sample)]
    finally:
        sample.close()
    new = first_declaration(tmp_path / "2023.jxdb")
    assert new.fiscal_year == 2023
    assert [len(p.indicators) for p in new.budget_projects] == [7, 7, 7]
    assert "2023年12月底" in [i.target_value for i in new.budget_projects[0].indicators]


def test_wps_style_merge_continuations(sample_path: Path, tmp_path: Path) -> None:
    """WPS writes a merge continuation as w:vMerge w:val="continue" (Word leaves the value
    out): both are continuations, filled from the cell above."""
    word_file = seed_docx(tmp_path / "word.docx")
    assert b"<w:vMerge/>" in zipfile.ZipFile(word_file).read("word/document.xml")

    def wps(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return data.replace(b"<w:vMerge/>", b'<w:vMerge w:val="continue"/>')
        return data

    content = read_docx(_rezip(word_file, tmp_path / "wps.docx", wps))
    _assert_like_sample(content, sample_path)


def test_signature_table_after_the_last_project_is_no_indicator(
    sample_docx: Path, tmp_path: Path
) -> None:
    """A six-cell signature table (填报人 … 单位盖章) under the last project table, as units
    add before printing, is not read as more indicator rows."""
    document = docx.Document(str(sample_docx))
    table = document.add_table(rows=1, cols=6)
    for n, text in enumerate(["填报人：", "张三", "单位负责人：", "李四", "联系电话：", "1234"]):
        table.cell(0, n).text = text
    path = tmp_path / "signed.docx"
    document.save(str(path))
    content = read_docx(path)
    assert [len(p.indicators) for p in content.declaration.budget_projects] == [7, 7, 7]
    assert "填报人：" in content.unplaced


def test_excel_reading_stays_on_defusedxml_with_lxml_installed(tmp_path: Path) -> None:
    """python-docx brings lxml, which openpyxl would switch to (parsing workbook parts with
    lxml instead of defusedxml); the program keeps openpyxl as designed."""
    code = "import desktop.services.excel, openpyxl; print(openpyxl.LXML, openpyxl.DEFUSEDXML)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
        env={k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"},
    )
    assert result.stdout.split() == ["False", "True"]


def test_part2_without_its_heading_and_a_numbered_statement(tmp_path: Path) -> None:
    """A text without the 第二部分 heading: the first project table starts Part 2 (its title
    is not taken as a 保障措施 paragraph); a statement "1.项目成本控制在预算内" stays a
    statement (only a line naming an indicator group, 1.产出指标…, is a group heading)."""
    document = docx.Document()
    document.add_paragraph("一、总体绩效目标")
    document.add_paragraph("本部门2023年度申请预算资金10.5万元，无专项项目。")
    document.add_paragraph("二、分项绩效目标")
    document.add_paragraph("甲经费项目，预算资金10.5万元")
    document.add_paragraph("1.产出指标情况分析")
    document.add_paragraph("1.项目成本控制在预算内")
    document.add_paragraph("三、工作保障措施")
    document.add_paragraph("加强管理。")
    document.add_paragraph("1.甲经费绩效目标表")
    head = document.add_table(rows=2, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", ""]):
        head.cell(0, n).text = text
    for n, text in enumerate(["预算数", "10.50", "其他资金", ""]):
        head.cell(1, n).text = text
    path = tmp_path / "no-part2.docx"
    document.save(str(path))
    content = read_docx(path)
    d = content.declaration
    assert d.safeguard_measures == "加强管理。"
    assert [(p.name, str(p.budget_amount)) for p in d.budget_projects] == [("甲经费", "10.50")]
    statements = d.item_targets[0].statements
    assert [(s.level1, s.text) for s in statements] == [("产出指标", "1.项目成本控制在预算内")]
    assert d.item_targets[0].budget_project is d.budget_projects[0]


def _tracked(paragraph: Any, kind: str, text: str) -> None:
    """Append ``text`` to ``paragraph`` as Word records a tracked change: a run inside
    w:ins (inserted, w:t) or w:del (deleted, w:delText), with author and date."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), str(len(paragraph._p)))
    change.set(qn("w:author"), "张三")
    change.set(qn("w:date"), "2023-03-01T09:00:00Z")
    run = OxmlElement("w:r")
    body = OxmlElement("w:t" if kind == "ins" else "w:delText")
    body.text = text
    run.append(body)
    change.append(run)
    paragraph._p.append(change)


def test_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    """Last year's text often arrives with 修订 still on: inserted text is read (python-docx
    alone skips runs inside w:ins), deleted text is not — in Part 1 and in table cells."""
    document = docx.Document()
    document.add_heading("一、总体绩效目标", level=2)
    part1 = document.add_paragraph("本部门2023年度")
    _tracked(part1, "del", "申请资金9万元，")
    _tracked(part1, "ins", "申请预算资金10万元。")
    target = document.add_paragraph("保障机关")
    _tracked(target, "ins", "正常")
    target.add_run("运转。")
    head = document.add_table(rows=1, cols=4)
    for n, text in enumerate(["项目编码", "P1", "项目名称", "甲"]):
        head.cell(0, n).text = text
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    table = _add_rows(document, [header, ["产出指标", "数量指标", "培训人次", "", "", ""]], False)
    value = table.cell(1, 4).paragraphs[0]
    _tracked(value, "del", "≥80人次")
    _tracked(value, "ins", "≥100人次")
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    content = read_docx(path)
    declaration = content.declaration
    assert (declaration.fiscal_year, declaration.total_budget) == (2023, 10)
    assert declaration.overall_target == "保障机关正常运转。"
    indicator = content.declaration.budget_projects[0].indicators[0]
    assert (indicator.level3, indicator.target_value) == ("培训人次", "≥100人次")


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("乐亭县机关事务中心\t\t单位：万元", ""),
        ("单位名称：乐亭县机关事务中心\u3000单位：万元", ""),
        ("填报单位：507002乐亭县机关事务中心\u3000单位：万元", "507002"),
    ],
)
def test_unit_line_without_a_code(line: str, code: str, tmp_path: Path) -> None:
    """Many units type the line above each table without the unit code (only the name, or
    单位名称：…): the name is read as the unit's, nothing is left unplaced, and the
    preview says the code is missing so the clerk fills it in (a labelled line with the
    code gives both)."""
    path = seed_docx(tmp_path / "nocode.docx", unit_gap="\t\t")
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("507002"):
            paragraph.text = line
    document.save(str(path))
    content = read_docx(path)
    assert content.unplaced == []
    assert (content.declaration.unit_code, content.declaration.unit_name) == (
        code,
        "乐亭县机关事务中心",
    )
    assert any("单位编码" in str(notice) for notice in content.not_understood) == (not code)
