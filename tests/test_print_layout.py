"""Print options, page furniture, continuation labels and the content fingerprint."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop import paths
from desktop.models import BudgetProject, Declaration, Indicator
from desktop.reports.pdf import (
    CONTINUED,
    INDICATOR_HEADERS,
    PrintOptions,
    SignaturePlacement,
    Stamp,
    write_pdf,
)
from desktop.services import documents
from desktop.services.documents import export_json_text, write_sample
from desktop.services.editing import set_field
from desktop.services.printing import print_document
from desktop.storage.document import open_document, save_copy
from desktop.storage.interchange import fingerprint, load_declarations, short_fingerprint
from tests.test_pdf import page_texts, squeeze

PRINTED_AT = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def _sample() -> Declaration:
    (declaration,) = load_declarations(json.loads(paths.sample_json().read_text("utf-8")))
    return declaration


def _raw_pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _long_project(indicators: int) -> Declaration:
    rows = [
        Indicator(
            level1="产出指标" if i < indicators - 1 else "效益指标",
            level2=("数量指标" if i < indicators // 2 else "质量指标")
            if i < indicators - 1
            else "社会效益指标",
            level3=f"指标{i}",
            description="按年初工作计划逐项考核完成情况" * 2,
            target_value=f"{i}个",
            basis="年初工作计划",
        )
        for i in range(indicators)
    ]  # fmt: skip
    project = BudgetProject(code="P1", name="长表项目", budget_amount=Decimal(1), indicators=rows)
    return Declaration(
        unit_code="1", unit_name="测试单位", fiscal_year=2023, budget_projects=[project]
    )


def test_footer_has_page_of_total_fingerprint_and_time(tmp_path: Path) -> None:
    """Every page: 第 X 页 共 Y 页, the short fingerprint and the print time."""
    out = tmp_path / "s.pdf"
    stamp = Stamp(fingerprint="00A2-4E21", printed_at=PRINTED_AT)
    pages = write_pdf([_sample()], out, stamps=[stamp], invariant=True)
    texts = _raw_pages(out)
    assert len(texts) == pages == 5
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共5页" in squeeze(text)
        assert "指纹 00A2-4E21" in text and "打印于 2026-11-29 09:30" in text
        assert "审核未通过" not in text


def test_outline_has_parts_and_each_table_on_its_page(tmp_path: Path) -> None:
    """Bookmarks: the two parts, and each project table pointing at the page it starts on."""
    out = tmp_path / "s.pdf"
    write_pdf([_sample()], out, invariant=True)
    reader = PdfReader(out)
    entries: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    assert [title for title, _ in entries] == [
        "第一部分 部门整体绩效目标",
        "第二部分 预算项目绩效目标",
        "1.公务用车北斗定位服务费及平台软件运维费用绩效目标表",
        "2.接待管理经费绩效目标表",
        "3.综合服务管理经费绩效目标表",
    ]
    texts = page_texts(out)
    for title, page in entries[2:]:
        assert title in texts[page - 1]


def test_part_and_project_options(tmp_path: Path) -> None:
    """Part 1 only, Part 2 only, one project (keeping its number), each on a new page."""
    declaration = _sample()
    part1 = tmp_path / "p1.pdf"
    write_pdf([declaration], part1, options=PrintOptions(part2=False), invariant=True)
    text1 = squeeze("".join(page_texts(part1)))
    assert "工作保障措施" in text1 and "绩效目标表" not in text1
    part2 = tmp_path / "p2.pdf"
    each_on_its_page = PrintOptions(part1=False, new_page_per_project=True)
    write_pdf([declaration], part2, options=each_on_its_page, invariant=True)
    texts2 = page_texts(part2)
    assert "部门整体绩效目标" not in "".join(texts2)
    assert [i for i, t in enumerate(texts2) if "绩效目标表" in t] == [0, 1, 2]
    one = tmp_path / "one.pdf"
    only = PrintOptions(part1=False, projects=(declaration.budget_projects[1].uuid,))
    write_pdf([declaration], one, options=only, invariant=True)
    text = squeeze("".join(page_texts(one)))
    assert "2.接待管理经费绩效目标表" in text
    assert "综合服务管理经费" not in text and "北斗" not in text


@pytest.mark.parametrize(
    ("where", "count"), [(SignaturePlacement.EACH, 3), (SignaturePlacement.END, 1)]
)
def test_signature_block(tmp_path: Path, where: SignaturePlacement, count: int) -> None:
    """The signature block closes each table, or the document once."""
    out = tmp_path / "sig.pdf"
    write_pdf([_sample()], out, options=PrintOptions(signature=where), invariant=True)
    text = "".join(page_texts(out))
    assert text.count("单位负责人") == count
    for label in ("填报人", "联系电话", "填报日期", "单位（盖章）"):
        assert text.count(label) == count
    assert text.count("________年______月______日") == count  # room for a handwritten date


def test_signature_block_is_on_by_default(tmp_path: Path) -> None:
    """Without options chosen (and with none remembered) each project table ends with the
    signature block: the papers are signed and sealed."""
    assert PrintOptions().signature is SignaturePlacement.EACH
    out = tmp_path / "default.pdf"
    write_pdf([_sample()], out, invariant=True)
    texts = page_texts(out)
    assert "".join(texts).count("单位（盖章）") == len(_sample().budget_projects)
    for text in texts:  # each block right after a table's last row, on the same page
        if "单位（盖章）" in text:
            assert text.index("绩效目标表") < text.index("填报人")


def test_nothing_selected_is_refused(tmp_path: Path) -> None:
    """Choosing neither part is refused in Chinese."""
    from desktop.reports.pdf import PrintError

    with pytest.raises(PrintError, match="没有选择要打印的部分"):
        write_pdf([_sample()], tmp_path / "x.pdf", options=PrintOptions(part1=False, part2=False))


def test_labels_repeat_on_continuation_pages(tmp_path: Path) -> None:
    """60 indicators under one 一级指标: every grid page names its 一级指标 and 二级指标."""
    out = tmp_path / "long.pdf"
    pages = write_pdf([_long_project(60)], out, options=PrintOptions(part1=False), invariant=True)
    assert 3 <= pages <= 6
    texts = page_texts(out)
    for text in texts:
        assert "产出指标" in text
        assert "数量指标" in text or "质量指标" in text
    everything = squeeze("".join(texts))
    assert all(f"指标{i}" in everything for i in range(60))


def _numbered_text(length: int) -> str:
    """``length`` characters of numbered clauses (车辆轨迹核查001号；…), each findable."""
    return "".join(f"车辆轨迹核查{n:03d}号；" for n in range(length // 10 + 1))[:length]


_CLAUSE = re.compile(r"核查(\d{3})号")


@pytest.mark.parametrize("field", ["description", "basis"])
def test_row_longer_than_a_page_keeps_its_labels_on_every_part(tmp_path: Path, field: str) -> None:
    """A 4,000-character 绩效指标描述 (or 依据) spans many pages; each page with part of
    the row shows the header, its 一级/二级/三级指标 (续 after the first part) and 指标值.

    The text is printed whole, in order.
    """
    document = write_sample(tmp_path / "s.jxdb")
    with document.session() as session:
        row = documents.load_declarations(session)[0].budget_projects[0].indicators[0]
    labels = (row.level1, row.level2, row.level3, row.target_value)
    assert labels == ("产出指标", "数量指标", "维护监控公车数量", "325辆")
    text = _numbered_text(4000)
    set_field(document, row_type=Indicator, row_uuid=row.uuid, field=field, value=text)
    out = tmp_path / "long.pdf"
    pages = print_document(document, out, invariant=True, record=False)
    document.close()
    texts = [squeeze(t) for t in page_texts(out)]
    assert len(texts) == pages
    holding = [n for n, t in enumerate(texts) if _CLAUSE.search(t) or "轨迹" in t]
    assert len(holding) >= 5 and holding == list(range(holding[0], holding[-1] + 1))
    header = squeeze("".join(INDICATOR_HEADERS))
    for number in holding:
        page = texts[number]
        assert header in page, number + 1
        assert all(label in page for label in labels), number + 1
        continued = f"{row.level3}{CONTINUED}" in page
        assert continued == (number != holding[0]), number + 1
    # no page of empty header rows (ReportLab's in-row split left five of them)
    assert all(t.count(header) <= 1 or "绩效目标表" in t for t in texts)
    found = [int(n) for t in texts for n in _CLAUSE.findall(t)]
    expected = len(_CLAUSE.findall(text))
    assert found == sorted(set(found))  # in order, none twice
    assert expected - len(found) < len(holding)  # at most one clause cut per page break


def test_rows_that_fit_on_a_page_are_never_cut(tmp_path: Path) -> None:
    """A long grid breaks between rows: each row's description is on its 三级指标's page."""
    out = tmp_path / "long.pdf"
    write_pdf([_long_project(60)], out, options=PrintOptions(part1=False), invariant=True)
    description = "按年初工作计划逐项考核完成情况" * 2
    for text in map(squeeze, page_texts(out)):
        names = re.findall(r"指标\d+", text)
        assert names and text.count(description) == len(names)


def test_unbroken_latin_string_is_printed_whole(tmp_path: Path) -> None:
    """A 400-character string without spaces wraps inside its cell and is printed whole."""
    declaration = _long_project(3)
    code = ("ABC123xyz-" * 40)[:400]
    declaration.budget_projects[0].indicators[0].description = code
    out = tmp_path / "latin.pdf"
    write_pdf([declaration], out, options=PrintOptions(part1=False), invariant=True)
    assert code in squeeze("".join(page_texts(out)))


def test_two_hundred_projects(tmp_path: Path) -> None:
    """200 small projects print, each table found with its number."""
    declaration = _long_project(3)
    project = declaration.budget_projects[0]
    declaration.budget_projects = [
        BudgetProject(code=f"P{n}", name=f"项目{n}", budget_amount=Decimal(1), indicators=[
            Indicator(level1=i.level1, level2=i.level2, level3=i.level3, description="d",
                      target_value=i.target_value, basis=i.basis) for i in project.indicators
        ]) for n in range(200)
    ]  # fmt: skip
    out = tmp_path / "many.pdf"
    options = PrintOptions(part1=False, signature=SignaturePlacement.NONE)
    pages = write_pdf([declaration], out, options=options, invariant=True)
    assert 50 <= pages <= 120
    text = squeeze("".join(page_texts(out)))
    assert all(f"{n + 1}.项目{n}绩效目标表" in text for n in range(200))


def test_fingerprint_stable_for_same_content(tmp_path: Path) -> None:
    """The same content gives the same fingerprint through save, reopen, copy and JSON."""
    document = write_sample(tmp_path / "a.jxdb")
    from desktop.services.documents import load_declarations

    with document.session() as session:
        first = fingerprint(load_declarations(session)[0])
    save_copy(document, tmp_path / "b.jxdb")
    (tmp_path / "a.json").write_text(export_json_text(document), encoding="utf-8")
    document.close()
    assert fingerprint(_sample()) == first
    copy = open_document(tmp_path / "b.jxdb")
    with copy.session() as session:
        assert fingerprint(load_declarations(session)[0]) == first
        indicator = session.scalars(__import__("sqlalchemy").select(Indicator)).first()
    # touching a row without changing content keeps it; one character changes it
    set_field(
        copy, row_type=Indicator, row_uuid=indicator.uuid, field="basis", value=indicator.basis
    )
    with copy.session() as session:
        assert fingerprint(load_declarations(session)[0]) == first
    set_field(
        copy,
        row_type=Indicator,
        row_uuid=indicator.uuid,
        field="basis",
        value=indicator.basis + "。",
    )
    with copy.session() as session:
        changed = fingerprint(load_declarations(session)[0])
    copy.close()
    assert changed != first
    assert len(short_fingerprint(first)) == 9 and short_fingerprint(first)[4] == "-"


def test_a_chosen_truetype_face_is_embedded_and_used(tmp_path: Path) -> None:
    """A face the clerk picks (here a copy of the bundled bold, standing in for 宋体) is
    embedded and prints every character; a file that is no usable face is refused."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from desktop.reports.pdf import PrintError

    # a small face of its own name, with the sample's characters and the form's labels
    font = TTFont(paths.font_file(bold=True))
    subsetter = subset.Subsetter()
    import desktop.reports.pdf as layout

    labels = Path(layout.__file__).read_text("utf-8")  # every fixed label of the form
    subsetter.populate(text=paths.sample_json().read_text("utf-8") + labels)
    subsetter.subset(font)
    font["name"].setName("TestSongti", 6, 3, 1, 0x409)
    face = tmp_path / "simsun.ttf"
    font.save(face)
    out = tmp_path / "face.pdf"
    write_pdf([_sample()], out, options=PrintOptions(face=str(face)), invariant=True)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(out).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("TestSongti" in name for name in fonts)
    assert "服务对象满意度" in "".join(page_texts(out))
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    with pytest.raises(PrintError, match="无法使用字体文件"):
        write_pdf([_sample()], tmp_path / "x.pdf", options=PrintOptions(face=str(broken)))
    assert not (tmp_path / "x.pdf").exists()


def test_an_empty_total_budget_prints_a_line_to_write_on() -> None:
    """申请预算资金 not filled in (e.g. 从上年复制 without amounts) prints as a blank to fill,
    never as “申请预算资金万元”."""
    from desktop.models import Declaration
    from desktop.reports.wording import budget_sentence

    declaration = Declaration(fiscal_year=2023, total_budget=None, special_projects_note="")
    assert budget_sentence(declaration) == "本部门2023年度申请预算资金________万元。"


#: the seed's 总体绩效目标 as a clerk types it: the budget sentence first, in their words
SEED_OVERALL = (
    "本部门2022年度申请预算资金492.87万元，无专项项目。\n"
    "本部门年初设定的部门整体绩效指标是：深入学习贯彻习近平总书记系列重要讲话精神。"
)


def test_budget_sentence_typed_by_the_clerk_prints_once(tmp_path: Path) -> None:
    """The seed has 本部门2022年度申请预算资金492.87万元… typed in 总体绩效目标: the PDF and
    the workbook print it once (the clerk's), not the generated copy before it."""
    from openpyxl import load_workbook

    from desktop.exchange.workbook import write_workbook

    declaration = _sample()
    declaration.overall_target = SEED_OVERALL
    out = tmp_path / "once.pdf"
    write_pdf([declaration], out)
    assert squeeze(page_texts(out)[0]).count("申请预算资金") == 1
    book = tmp_path / "once.xlsx"
    write_workbook(declaration, book)
    cells = [
        str(c.value) for row in load_workbook(book)["第一部分"].iter_rows() for c in row if c.value
    ]
    assert sum("本部门2022年度申请预算资金" in c for c in cells) == 1


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("本部门2022年度申请预算资金492.87万元，无专项项目。", False),  # the sentence itself
        ("我单位2022年申请预算资金共计 492.870 万元。", False),  # its amount + 申请预算资金
        ("本部门２０２２年度申请预算资金４９２．８７万元，无专项项目", False),  # full-width
        ("本部门2022年度申请预算资金500万元。", True),  # another amount: not the same fact
        ("接待活动预算资金492.87万元。", True),  # not 申请预算资金
        ("做好项目设定工作。", True),
    ],
)
def test_says_the_budget_sentence(typed: str, printed: bool) -> None:
    """“Says it”: 总体绩效目标 holds the sentence, or 申请预算资金 followed by its amount."""
    from desktop.reports.wording import budget_sentence, printed_budget_sentence

    declaration = _sample()
    declaration.overall_target = typed
    expected = budget_sentence(declaration) if printed else ""
    assert printed_budget_sentence(declaration) == expected


def test_item_heading_not_repeating_the_typed_budget() -> None:
    """An item target named as the seed heads it (…项目,预算资金184万元) prints its name alone."""
    from desktop.models import ItemTarget
    from desktop.reports.wording import item_target_heading

    typed = ItemTarget(title="接待活动管理经费项目,预算资金184万元", budget=Decimal("184.00"))
    plain = ItemTarget(title="接待活动管理经费项目", budget=Decimal("184.00"))
    assert item_target_heading(typed, "万元") == "接待活动管理经费项目,预算资金184万元"
    assert item_target_heading(plain, "万元") == "接待活动管理经费项目，预算资金184.00万元"


def test_statements_of_one_level2_make_one_paragraph_on_one_line() -> None:
    """Two statements under 社会效益指标 print as the seed's § 二 does, one paragraph per
    level-2 with its label once (not "（2）社会效益指标。" twice); a line break pasted into
    a statement does not break the paragraph (the PDF's text has it on one line)."""
    from desktop.models import ItemTarget, ItemTargetStatement
    from desktop.reports.pdf import statement_lines

    item = ItemTarget(
        title="测试服务经费",
        statements=[
            ItemTargetStatement(level1="效益指标", level2="经济效益指标", text="节约成本：5%。"),
            ItemTargetStatement(
                level1="效益指标",
                level2="社会效益指标",
                text="扩大服务覆盖面\n覆盖全县各乡镇：有所提高。",
            ),
            ItemTargetStatement(
                level1="效益指标", level2="社会效益指标", text="群众办事时间：缩短"
            ),
            ItemTargetStatement(level1="效益指标", level2="社会效益指标", text="受益人数：500人"),
        ],
    )
    assert statement_lines(item) == [
        (True, "1.效益指标"),
        (False, "（1）经济效益指标。节约成本：5%。"),
        (
            False,
            "（2）社会效益指标。扩大服务覆盖面覆盖全县各乡镇：有所提高。"
            "群众办事时间：缩短。受益人数：500人",
        ),
    ]


def test_statement_typed_with_its_level2_is_not_prefixed_again() -> None:
    """A statement pasted from the seed (（1）数量指标。完成接待批次…) prints as typed; one
    without its level-2 gets the （n）数量指标。 prefix, as before."""
    from desktop.models import ItemTarget, ItemTargetStatement
    from desktop.reports.pdf import statement_lines

    item = ItemTarget(
        title="接待",
        statements=[
            ItemTargetStatement(
                level1="产出指标",
                level2="数量指标",
                text="（1）数量指标。完成接待批次：年度指标值90批次",
            ),
            ItemTargetStatement(
                level1="产出指标",
                level2="质量指标",
                text="接待工作按时按质完成率：年度指标值100%。",
            ),
        ],
    )
    assert statement_lines(item) == [
        (True, "1.产出指标"),
        (False, "（1）数量指标。完成接待批次：年度指标值90批次"),
        (False, "（2）质量指标。接待工作按时按质完成率：年度指标值100%。"),
    ]
