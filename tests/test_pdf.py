"""The printed declaration: golden test against the seed, embedded fonts, layout that holds."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from desktop import paths
from desktop.models import BudgetProject, Declaration, Indicator, KeyTask
from desktop.reports.fonts import FONT
from desktop.reports.pdf import (
    BODY_SIZE,
    INDICATOR_HEADERS,
    PAGE_MARGIN,
    MissingGlyphError,
    PrintOptions,
    build_story,
    write_pdf,
)
from desktop.services.printing import print_document
from desktop.storage.document import open_document
from tests.conftest import SEED

#: footer lines: "第 1 页 共" + the page count (a form, extracted on its own line) and the
#: fingerprint with the print time
_FOOTER = re.compile(r"^(第 \d+ 页 共.*|\d+ 页|指纹 .*|审核未通过.*)$")
_GROUP_HEADING = re.compile(r"^(\d)\.(产出|效益|满意度)指标.*分析。?$")


def page_texts(pdf: Path) -> list[str]:
    """Each page's extracted text without the page footer."""
    texts = []
    for page in PdfReader(pdf).pages:
        lines = page.extract_text().splitlines()
        texts.append("\n".join(line for line in lines if not _FOOTER.match(line.strip())))
    return texts


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_items() -> list[str]:
    """Every content line and non-empty table cell of the seed, in order.

    Bookmark anchors are dropped. Headings the program generates in one consistent wording
    are mapped to it: the § 二 group headings (1.产出指标情况分析 / 2.效益指标完成情况分析。
    → 1.产出指标 / 2.效益指标) and the item heading's comma (ASCII in the first item).
    """
    items = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\[bookmark: [^\]]*\]", "", line)
        for cell in line.split("\t"):
            cell = squeeze(cell)
            if not cell:
                continue
            heading = _GROUP_HEADING.match(cell)
            if heading:
                cell = f"{heading.group(1)}.{heading.group(2)}指标"
            elif "预算资金" in cell and cell.endswith("万元"):
                cell = cell.replace(",", "，")
            items.append(cell)
    return items


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.services.documents import write_sample

    folder = tmp_path_factory.mktemp("print")
    document = write_sample(folder / "sample.jxdb")
    out = folder / "sample.pdf"
    print_document(document, out, invariant=True)
    document.close()
    return out


def test_golden_every_seed_line_and_cell_printed_in_order(sample_pdf: Path) -> None:
    """Every content line and table cell of the reference document is printed, in its order."""
    printed = squeeze("".join(page_texts(sample_pdf)))
    items = seed_items()
    assert len(items) == 246  # what the seed yields: a change means the seed or the parser changed
    position = 0
    for item in items:
        found = printed.find(item, position)
        assert found != -1, f"not printed (or out of order) after position {position}: {item}"
        position = found + len(item)


def test_every_font_embedded(sample_pdf: Path) -> None:
    """Every font the PDF lists is embedded (TrueType subset); none is a bare base-14 font."""
    fonts = []
    for page in PdfReader(sample_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, f"font without descriptor: {font['/BaseFont']}"
            descriptor = descriptor.get_object()
            assert "/FontFile2" in descriptor, f"not embedded: {font['/BaseFont']}"
            fonts.append(str(font["/BaseFont"]))
    assert fonts
    assert all("NotoSerifSC" in name for name in fonts)


def test_every_sample_character_is_in_the_font() -> None:
    """The bundled faces have a glyph for every character of the reference document."""
    text = SEED.read_text(encoding="utf-8")
    for bold in (False, True):
        cmap = TTFont(paths.font_file(bold=bold), lazy=True).getBestCmap()
        missing = {c for c in text if c not in "\n\t" and ord(c) not in cmap}
        assert not missing, f"missing in {'bold' if bold else 'regular'} face: {missing}"


def test_every_printed_character_is_in_the_font(sample_pdf: Path) -> None:
    """Every character extracted from the printed pages exists in the embedded face."""
    cmap = TTFont(paths.font_file(), lazy=True).getBestCmap()
    printed = "".join(page_texts(sample_pdf))
    missing = {c for c in printed if not c.isspace() and ord(c) not in cmap}
    assert not missing


def test_print_job_title_names_what_unit_and_year(sample_path: Path) -> None:
    """A print job is titled by what is printed, the unit and the year, the unit's "/" and
    line break replaced (the title names a PDF printer's file), so that different prints
    differ."""
    from desktop.models import Declaration
    from desktop.reports.pdf import PrintOptions
    from desktop.services import backups
    from desktop.services.documents import load_declarations
    from desktop.services.editing import set_field
    from desktop.services.printing import print_job_title

    document = backups.open_file(sample_path)
    try:
        with document.session() as session:
            declaration = load_declarations(session)[0]
            unit, projects = declaration.uuid, [p.uuid for p in declaration.budget_projects]
        set_field(document, row_type=Declaration, row_uuid=unit, field="unit_name",
                  value="乐亭县/机关\n事务中心")  # fmt: skip
        titles = [
            print_job_title(document, options)
            for options in (
                PrintOptions(),
                PrintOptions(part2=False),
                PrintOptions(part1=False),
                PrintOptions(part1=False, projects=(projects[1],)),
                PrintOptions(projects=tuple(projects[:2])),
            )
        ]
    finally:
        document.close()
    assert titles == [
        "绩效目标申报表-乐亭县_机关_事务中心-2022年",
        "部门整体绩效目标-乐亭县_机关_事务中心-2022年",
        "预算项目绩效目标-乐亭县_机关_事务中心-2022年",
        "接待管理经费-项目绩效目标表-乐亭县_机关_事务中心-2022年",
        "部门整体及预算项目绩效目标（2个项目）-乐亭县_机关_事务中心-2022年",
    ]


def test_pdf_metadata_and_page_size(sample_pdf: Path) -> None:
    """A4 portrait pages; title and author name the unit."""
    reader = PdfReader(sample_pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata.author == "乐亭县机关事务中心"
    assert "2022" in reader.metadata.title


def _declaration(indicators: int, long_text: str = "") -> Declaration:
    project = BudgetProject(
        code="P1",
        name="长表测试项目",
        use_of_funds=long_text or "用途",
        performance_target="目标",
        indicators=[
            Indicator(
                level1="产出指标" if i < indicators // 2 else "效益指标",
                level2="数量指标",
                level3=f"指标{i}",
                description="描述" * 5,
                target_value=f"{i}个",
                basis="年初工作计划",
            )
            for i in range(indicators)
        ],
    )
    return Declaration(
        unit_code="1",
        unit_name="测试单位",
        fiscal_year=2023,
        special_projects_note="",
        overall_target="",
        safeguard_measures="",
        amount_unit="万元",
        budget_projects=[project],
    )


def test_long_indicator_table_repeats_header_on_each_page(tmp_path: Path) -> None:
    """An indicator grid longer than a page continues with the header row repeated."""
    out = tmp_path / "long.pdf"
    pages = write_pdf([_declaration(120)], out, invariant=True)
    texts = page_texts(out)
    assert pages == len(texts) >= 4
    grid_pages = [t for t in texts if "指标0" in t or "指标119" in t or "个" in t]
    assert len(grid_pages) >= 3
    for text in grid_pages:
        assert squeeze("".join(INDICATOR_HEADERS)) in squeeze(text)
    everything = squeeze("".join(texts))
    for i in range(120):
        assert f"指标{i}" in everything


def test_long_text_wraps_inside_its_cell(tmp_path: Path) -> None:
    """A long use-of-funds sentence wraps on several lines and is printed whole."""
    sentence = "主要用于全县机关事业单位公务用车北斗设备服务费用和平台维护" * 12
    out = tmp_path / "wrap.pdf"
    write_pdf([_declaration(3, long_text=sentence)], out, invariant=True)
    text = "".join(page_texts(out))
    assert sentence in squeeze(text)
    assert text.count("主要用于") == 12


def test_missing_glyph_is_reported_not_printed(tmp_path: Path) -> None:
    """A character the font lacks is reported with its field; no PDF is written."""
    declaration = _declaration(2)
    declaration.budget_projects[0].name = "含有𠀀字的项目"
    out = tmp_path / "x.pdf"
    with pytest.raises(MissingGlyphError) as info:
        write_pdf([declaration], out)
    assert "𠀀" in str(info.value) and "项目" in str(info.value)
    assert not out.exists()


def test_markup_characters_print_literally(tmp_path: Path) -> None:
    """Text with < > & prints as typed, not as markup."""
    declaration = _declaration(2)
    declaration.budget_projects[0].indicators[0].target_value = "<b>≥95%</b> & 更多"
    out = tmp_path / "m.pdf"
    write_pdf([declaration], out, invariant=True)
    assert "<b>≥95%</b>&更多" in squeeze("".join(page_texts(out)))


def test_print_to_unwritable_place_leaves_old_pdf(sample_path: Path, tmp_path: Path) -> None:
    """A failed print reports in Chinese and keeps the PDF that was there."""
    from desktop.files import WriteFault, write_failure_message
    from desktop.storage.errors import FileWriteError

    document = open_document(sample_path)
    with pytest.raises(FileWriteError) as info:
        print_document(document, tmp_path / "missing-folder" / "x.pdf")
    assert info.value.failure.fault is WriteFault.NO_FOLDER
    assert re.search(r"文件夹.*不存在", write_failure_message(info.value.failure))
    document.close()


@pytest.mark.parametrize("field", ["use_of_funds", "description"])
def test_text_longer_than_a_page_splits_at_full_cell_width(tmp_path: Path, field: str) -> None:
    """A cell taller than a page continues on the next page at its own width, whole.

    (With column spans ReportLab re-wraps a split cell at one narrow column: 2–3
    characters a line drawn over the rest of the page.)
    """
    text = "主要用于全县机关事业单位公务用车北斗设备服务费用，" * 120
    declaration = _declaration(3)
    if field == "use_of_funds":
        declaration.budget_projects[0].use_of_funds = text
    else:
        declaration.budget_projects[0].indicators[1].description = text
    out = tmp_path / "long.pdf"
    pages = write_pdf([declaration], out, invariant=True)
    assert pages >= 2
    texts = page_texts(out)
    assert squeeze("".join(texts)).count("主要用于") == 120
    lines = [
        line.strip()
        for page in texts
        for line in page.splitlines()
        if line.strip() and set(line.strip()) <= set(text)
    ]
    narrow = [line for line in lines[:-1] if len(line) < 6]
    assert not narrow, narrow[:5]


def test_nothing_to_print_is_refused(tmp_path: Path) -> None:
    """A file without declarations is refused in Chinese; no empty PDF is written."""
    from desktop.reports.pdf import PrintError

    with pytest.raises(PrintError, match="没有可打印的内容"):
        write_pdf([], tmp_path / "empty.pdf")
    assert not (tmp_path / "empty.pdf").exists()


def test_missing_glyph_message_names_field_and_code(tmp_path: Path) -> None:
    """The refusal names the row, the field and the character's code (it may show as a box)."""
    declaration = _declaration(2)
    declaration.budget_projects[0].indicators[1].target_value = "≥\u0007𪚥"
    with pytest.raises(MissingGlyphError) as info:
        write_pdf([declaration], tmp_path / "x.pdf")
    message = str(info.value)
    assert "第2行指标的“指标值”" in message
    assert "U+0007" in message and "U+2A6A5" in message


def test_pdf_gets_ordinary_file_permissions(tmp_path: Path) -> None:
    """The PDF is readable by others like any file the user saves (not 0600 like a temp file)."""
    import os
    import stat

    out = tmp_path / "p.pdf"
    write_pdf([_declaration(2)], out, invariant=True)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_no_line_starts_with_closing_punctuation(sample_pdf: Path) -> None:
    """，；：！？、。 and closing quotes never begin a printed line (GB/T 15834-2011); the
    sample has a line that ended exactly before a “，”."""
    starts = [
        line
        for page in PdfReader(sample_pdf).pages
        for line in page.extract_text().splitlines()
        if line[:1] in "，；：！？、。”’》〉）…"
    ]
    assert starts == []


@pytest.mark.parametrize("field", ["description", "level3", "use_of_funds", "overall_target"])
def test_long_text_costs_time_in_proportion_to_its_length(
    tmp_path: Path, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printing a cell four times as long measures about four times the characters (it
    was 15 times for a 40,000-character 绩效指标描述: every page broke the lines of the
    whole rest again; 99,999 characters took 52 s). Counted, not timed: the characters
    whose width the font is asked for. The text still prints whole."""
    from reportlab.pdfbase import ttfonts

    measured = [0]
    width_of = ttfonts.TTFont.stringWidth

    def counting(self: ttfonts.TTFont, text: str, size: float, encoding: str = "utf8") -> float:
        measured[0] += len(text)
        return width_of(self, text, size, encoding)

    monkeypatch.setattr(ttfonts.TTFont, "stringWidth", counting)
    per_character = []
    for length in (10_000, 40_000):
        text = ("主要用于全县公务用车北斗设备服务费用，" * (length // 19 + 1))[:length]
        declaration = _declaration(3)
        if field == "use_of_funds":
            declaration.budget_projects[0].use_of_funds = text
        elif field == "overall_target":
            declaration.overall_target = text
        else:
            setattr(declaration.budget_projects[0].indicators[1], field, text)
        measured[0] = 0
        out = tmp_path / f"{length}.pdf"
        write_pdf([declaration], out, invariant=True)
        per_character.append(measured[0] / length)
    assert per_character[1] < 1.3 * per_character[0] and per_character[1] < 20, per_character
    assert "".join(page_texts(out)).count("斗") == text.count("斗")  # a word may cross a page


def test_long_text_pieces_keep_every_character_and_the_line_start_rule() -> None:
    """A long text is cut into pieces of at most CHUNK_CHARS that together are the text
    (line breaks at a cut dropped: the next piece starts a line), cut after 。 or a line
    break where one is near, and no piece starts with closing punctuation."""
    from desktop.reports.pdf import CHUNK_CHARS, NOT_AT_LINE_START, _chunks

    text = ("一句话，说完了。”" * 300 + "\n" + "无标点" * 2_000) * 3
    pieces = _chunks(text)
    assert all(len(piece) <= CHUNK_CHARS + 2 for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert not [p for p in pieces if p[:1] in NOT_AT_LINE_START + "。"]
    assert sum(piece.endswith("。”") for piece in pieces) >= 3


#: Part 1 as clerks write it: Chinese mixed with Latin words, codes, long numbers and a web
#: address — the lines ReportLab's own justification (spaces only) left up to half a line
#: short of the right margin.
MIXED_OVERALL_TARGET = (
    "本部门2023年度围绕“数字乐亭”建设，完成 OA 协同办公系统 V3.2 升级和政务外网 IPv6 改造，"
    "项目编码130225-2023-000123456，预算资金1,234,567.89元，依据财预〔2020〕10号文件和"
    "GB/T 33190-2016《电子文件存储与交换格式 版式文档》执行。全年处理公文不少于12000件，"
    "系统可用率达到99.9%，数据备份采用 PostgreSQL 主从复制和 rsync 异地同步，"
    "确保RPO≤15分钟、RTO≤4小时。\n"
    "按照《河北省数字政府建设总体规划（2020—2025年）》要求，推进 https://www.laoting.gov.cn "
    "门户网站与“冀时办”APP 对接，统一身份认证接入率100%，电子证照调用量年增长不低于20%，"
    "全年发布政务信息3,600条以上，网站年度访问量达到1,500,000人次。"
)
MIXED_KEY_TASK = (
    "公务用车平台建设",
    "承担全县325辆公务用车北斗定位终端（型号BD-TX3000）的接入，按冀财行〔2022〕45号文件要求，"
    "车辆定位数据每30秒上传一次，年度运维费用86,700.00元，平台接口采用 HTTPS 和 JSON 格式，"
    "与省级平台 gwyc.hebei.gov.cn 互联互通。",
)
MIXED_SAFEGUARDS = (
    "严格执行《中华人民共和国预算法》和 GB/T 22239-2019 网络安全等级保护要求，"
    "每季度开展一次 ISO/IEC 27001 内部审核，"
    "资金支付全部通过国库集中支付系统（编号HB-GK-2023-0017）办理。"
)


def mixed_part1() -> Declaration:
    """A declaration whose Part 1 mixes Chinese with Latin words, codes and numbers."""
    return Declaration(
        unit_code="507002",
        unit_name="乐亭县机关事务中心",
        fiscal_year=2023,
        amount_unit="万元",
        total_budget=Decimal("123.46"),
        special_projects_note="",
        overall_target=MIXED_OVERALL_TARGET,
        key_tasks=[KeyTask(title=MIXED_KEY_TASK[0], body=MIXED_KEY_TASK[1])],
        safeguard_measures=MIXED_SAFEGUARDS,
    )


def text_lines(pdf: Path) -> list[tuple[str, float, float, list[tuple[str, float]]]]:
    """Each printed line as poppler lays it out: ``(text, left, right, [(word, width)])``,
    edges in points from the page's left, footers left out."""
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    lines = []
    for line in ElementTree.fromstring(layout).iter(f"{xhtml}line"):
        if float(line.get("yMin", 0)) > 842 - PAGE_MARGIN:
            continue  # the footer
        words = [
            (word.text or "", float(word.get("xMax", 0)) - float(word.get("xMin", 0)))
            for word in line.iter(f"{xhtml}word")
        ]
        text = "".join(word for word, _ in words)
        lines.append((text, float(line.get("xMin", 0)), float(line.get("xMax", 0)), words))
    return lines


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) missing")
def test_part1_lines_flush_at_both_margins(tmp_path: Path) -> None:
    """Part 1 is set 两端对齐: every line of a paragraph but its last ends at the right
    margin, lines mixing Chinese with Latin words, codes and numbers included; a Latin
    word keeps its letter spacing (the slack goes between the characters around it)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    declaration = mixed_part1()
    options = PrintOptions(part2=False)
    out = tmp_path / "justified.pdf"
    write_pdf([declaration], out, options=options, invariant=True)
    frame = 595.2756 - 2 * PAGE_MARGIN
    paragraphs = [
        squeeze(flowable.getPlainText())
        for flowable in build_story([declaration], frame, options)
        if isinstance(flowable, Paragraph)
    ]
    right = 595.2756 - PAGE_MARGIN - 6  # ReportLab's frame keeps 6 points of padding
    inner = []
    for text, _, edge, _ in text_lines(out):
        if not any(paragraph.endswith(squeeze(text)) for paragraph in paragraphs):
            inner.append((text, edge))
    mixed = [text for text, _ in inner if re.search(r"[A-Za-z0-9]{2}", text)]
    assert len(inner) >= 9 and len(mixed) >= 8, inner
    short = [(text, round(right - edge, 1)) for text, edge in inner if abs(edge - right) > 0.3]
    assert not short, short
    widths = {
        word: width for *_, words in text_lines(out) for word, width in words if word.isascii()
    }
    checked = [word for word in ("PostgreSQL", "rsync", "HTTPS", "JSON", "27001") if word in widths]
    assert len(checked) >= 3, widths
    for word in checked:
        assert widths[word] == pytest.approx(stringWidth(word, FONT, BODY_SIZE), abs=0.05), word


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) missing")
def test_date_in_a_narrow_cell_keeps_each_number_with_its_unit(tmp_path: Path) -> None:
    """A date too wide for the 指标值 column breaks before a number, never between a number
    and its 年/月/日 (it printed 2022年12月31 / 日, and 完成时限2023 / 年6月30日前)."""
    declaration = _declaration(2)
    grid = declaration.budget_projects[0].indicators
    grid[0].target_value = "2022年12月31日"
    grid[1].target_value = "完成时限2023年6月30日前"
    out = tmp_path / "dates.pdf"
    write_pdf([declaration], out, invariant=True)
    lines = [text for text, *_ in text_lines(out)]
    assert "2022年12月" in lines and "31日" in lines
    assert "完成时限" in lines and "2023年6月" in lines and "30日前" in lines
    parted = {"2022年12月31", "日", "完成时限2023", "年6月30日前"} & set(lines)
    assert not parted, parted
