"""The indicator library (指标库): the built-in entries pass the review, library files are
read safely, search by words and 拼音 initials, the personal library."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.library import personal
from desktop.library.errors import LibraryFileError
from desktop.library.model import (
    FORMAT,
    MAX_FILE_BYTES,
    PROJECT_TYPES,
    Library,
    LibraryEntry,
    builtin_library,
    builtin_library_file,
    entry_levels,
    parse_library,
    read_library,
)
from desktop.library.search import guess_project_type, initials, search
from desktop.models import BudgetProject, Declaration, DisbursementCheckpoint, Indicator
from desktop.models.values import parse_target_value
from desktop.models.vocabulary import PROFILES
from desktop.review import RuleId, Severity, review

FISCAL_YEAR = 2026
#: The project types the issue names (#21), as the library files them.
REQUIRED_TYPES = (
    "机关运转", "会议", "培训", "设备购置", "信息化建设与运维", "公务接待", "公务用车",
    "基础设施建设与维修", "补助补贴发放", "宣传", "课题调研", "物业服务", "政府购买服务",
)  # fmt: skip


def _project(
    number: int, name: str, entries: list[LibraryEntry], profile: str = "county"
) -> BudgetProject:
    """A budget project whose indicator grid is ``entries`` filled with their examples."""
    indicators = []
    for entry in entries:
        level1, level2 = entry_levels(entry, profile)
        indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=entry.level3,
                description=entry.filled_description(FISCAL_YEAR),
                target_value=entry.value(FISCAL_YEAR),
                basis=entry.basis,
            )
        )
    return BudgetProject(
        code=f"130225{FISCAL_YEAR % 100}P{number:03d}",
        name=name,
        budget_amount=Decimal("500"),
        fiscal_funds=Decimal("500"),
        other_funds=Decimal("0"),
        use_of_funds="用于项目实施",
        performance_target="完成年度任务",
        disbursement_plan=[
            DisbursementCheckpoint(label=label, cumulative_percent=Decimal(p))
            for label, p in (("3月底", "25"), ("6月底", "50"), ("10月底", "80"), ("12月底", "100"))
        ],
        indicators=indicators,
    )


def _findings_on_indicators(declaration: Declaration) -> list[str]:
    """Every 错误 or 警告 of the review that is about an indicator row or a project."""
    return [
        f"{f.severity.value} {f.rule} {f.location.place}: {f.message}"
        for f in review(declaration)
        if f.severity in (Severity.ERROR, Severity.WARNING)
        and f.location.table in ("indicator", "budget_project")
        and f.rule != RuleId.ITEM_MISSING
    ]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_builtin_library_every_entry_passes_the_review(profile: str) -> None:
    """Each project type's entries, filled with their example values into one budget
    project, raise no 错误 and no 警告 in the program's own review (in every profile)."""
    entries = builtin_library().entries
    projects = []
    for number, project_type in enumerate(PROJECT_TYPES):
        chosen = [e for e in entries if project_type in e.project_types]
        if project_type != "通用":  # a type's grid as a clerk builds it: its own and 通用
            chosen += [e for e in entries if "通用" in e.project_types]
        projects.append(_project(number, f"{project_type}项目", chosen, profile))
    declaration = Declaration(
        unit_code="507002",
        unit_name="乐亭县机关事务中心",
        fiscal_year=FISCAL_YEAR,
        profile=profile,
        total_budget=Decimal(500 * len(projects)),
        budget_projects=projects,
    )
    assert _findings_on_indicators(declaration) == []


def test_builtin_library_covers_every_project_type() -> None:
    """At least 200 entries, every project type of the issue with at least 12, each type
    with entries under 产出, 效益 and 满意度; the file has no bad entry."""
    library = read_library(builtin_library_file())
    assert library.problems == ()
    assert len(library.entries) >= 200
    counts = Counter(t for e in library.entries for t in e.project_types)
    for project_type in REQUIRED_TYPES:
        assert counts[project_type] >= 12, project_type
        level1s = {e.level1 for e in library.entries if project_type in e.project_types}
        assert {"产出指标", "效益指标", "满意度指标"} <= level1s, project_type


def test_builtin_library_entries_are_consistent() -> None:
    """Names are unique (the review's misplaced hint relies on it); codes unique; a 定量
    entry's example fills a value of the sign it declares; every entry explains itself."""
    entries = builtin_library().entries
    assert len({e.level3 for e in entries}) == len(entries)
    assert len({e.code for e in entries}) == len(entries)
    for entry in entries:
        assert entry.explanation.startswith("反映"), entry.level3
        assert entry.description and entry.description != entry.level3, entry.level3
        value = parse_target_value(entry.value(FISCAL_YEAR))
        if entry.nature == "定性":
            assert value.kind == "qualitative", entry.level3
        else:
            assert value.kind != "qualitative", entry.level3
            assert value.comparator == entry.sign or value.is_time, entry.level3


def _library_text(entries: list[object], **top: object) -> str:
    data = {"format": FORMAT, "version": 1, "name": "某县财政局指标库", "entries": entries}
    return json.dumps(data | top, ensure_ascii=False)


GOOD = {
    "code": "CZJ-001",
    "level1": "产出指标",
    "level2": "数量指标",
    "level3": "培训班期数",
    "pattern": "≥{n}期",
    "example": "4",
    "project_types": ["培训"],
}


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ({**GOOD, "level1": "产出"}, "一级指标", "不是一级指标"),
        ({**GOOD, "level2": "社会效益指标"}, "二级指标", "不属于“产出指标”"),
        ({**GOOD, "level3": ""}, "三级指标", "未填写"),
        ({**GOOD, "level3": 12}, "三级指标", "应为文字"),
        ({**GOOD, "pattern": "≥{m}期"}, "指标值模式", "占位符“{m}”无效"),
        ({**GOOD, "example": ""}, "示例数值", "请填写一个示例数值"),
        ({**GOOD, "nature": "定性"}, "指标值模式", "不应有数值占位符"),
        ({**GOOD, "sign": "≈"}, "计算符号", "无效"),
        ({**GOOD, "project_types": "培训"}, "适用项目类型", "文字的列表"),
        ({**GOOD, "project_types": ["培训", "教育"]}, "适用项目类型", "“教育”不是本程序的项目类型"),
        ({k: v for k, v in GOOD.items() if k != "level3"}, "三级指标", "未填写"),
        ({k: v for k, v in GOOD.items() if k != "level1"}, "一级指标", "未填写"),
        ({**GOOD, "level2": None}, "二级指标", "未填写"),
        ({**GOOD, "explanation": "反映" * 600}, "指标解释", "过长"),
        ({**GOOD, "description": "参训\x07人数"}, "绩效指标描述", "U+0007"),
        ("培训班期数", "", "不是一条指标"),
    ],
)
def test_parse_library_names_the_entry_and_field_of_a_bad_entry(
    entry: object, field: str, words: str
) -> None:
    """A bad entry is left out and named by its number, name and field, in Chinese; the
    good entries of the same file are read."""
    library = parse_library(_library_text([GOOD | {"code": "A"}, entry]), "财政局.json")
    assert [e.code for e in library.entries] == ["A"]
    (problem,) = library.problems
    text = str(problem)
    assert text.startswith("第 2 条"), text
    assert f"“{field}”" in text if field else True
    assert words in text


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "JSON 格式有误"),
        (b"\xff\xfe\x00{", "不是 UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON 格式有误"),
        (b'{"format": "other"}', "不是指标库文件"),
        (json.dumps({"format": FORMAT, "version": 9, "entries": []}).encode(), "较新版本"),
        (json.dumps({"format": FORMAT, "version": "1", "entries": []}).encode(), "版本号"),
        (json.dumps({"format": FORMAT, "version": 1, "entries": {}}).encode(), "没有指标列表"),
        (json.dumps({"format": FORMAT, "version": 1, "entries": [1] * 6000}).encode(), "上限"),
    ],
)
def test_read_library_refuses_what_is_not_a_library(
    tmp_path: Path, content: bytes, words: str
) -> None:
    """A file from anywhere (empty, binary, deeply nested, another format, a newer version)
    raises ``LibraryFileError`` with a Chinese message, never another exception."""
    path = tmp_path / "别处的.json"
    path.write_bytes(content)
    with pytest.raises(LibraryFileError) as caught:
        read_library(path)
    assert words in caught.value.message


def test_read_library_refuses_a_huge_file_and_a_folder(tmp_path: Path) -> None:
    """A file over the size bound is refused unread; a folder and a missing file are said so."""
    huge = tmp_path / "大.json"
    huge.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(LibraryFileError, match="超过"):
        read_library(huge)
    with pytest.raises(LibraryFileError, match="文件夹"):
        read_library(tmp_path)
    with pytest.raises(LibraryFileError, match="找不到"):
        read_library(tmp_path / "无.json")


def test_library_round_trips_through_its_file(tmp_path: Path) -> None:
    """A library written and read back has the same entries (a BOM, as Notepad writes
    UTF-8, is accepted)."""
    library = builtin_library()
    path = tmp_path / "库.json"
    path.write_bytes(b"\xef\xbb\xbf" + library.to_json().encode())
    assert read_library(path).entries == library.entries


def test_search_by_words_and_pinyin_initials() -> None:
    """Words find by name, keyword or 指标解释; Latin letters find by 拼音 initials;
    filters keep a type (and 通用) and a level; names used before come first."""
    entries = builtin_library().entries
    assert initials("参训人数") == "cxrs"
    names = [e.level3 for e in search(entries, query="cxrs")]
    assert "参训人数" in names
    assert "参训人数" in [e.level3 for e in search(entries, query="参训")]
    assert all("满意" in e.level3 for e in search(entries, query="myd", level1="满意度指标"))
    training = search(entries, project_type="培训")
    assert {t for e in training for t in e.project_types} == {"培训", "通用"}
    quality = search(entries, project_type="培训", level2="质量指标")
    assert quality and all(e.level2 == "质量指标" for e in quality)
    assert search(entries, project_type="培训", used={"预算执行率"})[0].level3 == "预算执行率"
    assert search(entries, query="参训 合格")[0].level3 == "培训合格率"
    assert search(entries, query="zzzzqqq") == []


@pytest.mark.parametrize("query", ["培训人次", "pxrc", "培训人数", "pxrs", "参训人次"])
def test_common_names_find_the_library_name(query: str) -> None:
    """The names clerks use (培训人次, its 拼音 initials) find 参训人数 through its keywords."""
    found = search(builtin_library().entries, query=query, project_type="培训")
    assert "参训人数" in [entry.level3 for entry in found]


def test_entry_levels_moves_cost_for_the_central_template() -> None:
    """A county 产出指标/成本指标 entry is 成本指标/经济成本指标 in the 2021 central template."""
    cost = next(e for e in builtin_library().entries if e.level2 == "成本指标")
    assert entry_levels(cost, "central2021") == ("成本指标", "经济成本指标")
    assert entry_levels(cost, "county") == ("产出指标", "成本指标")


def test_personal_library_import_export_and_saved_rows(tmp_path: Path) -> None:
    """Importing a bureau's file adds its good entries (the bad named), importing it again
    replaces them by code; a saved row becomes a pattern; export writes them back; the
    personal entries come first and hide built-in ones of the same levels."""
    source = tmp_path / "财政局指标库.json"
    source.write_text(_library_text([GOOD, {**GOOD, "code": "X", "level1": "产出"}]), "utf-8")
    result = personal.import_library(source)
    assert (result.added, result.replaced) == (1, 0)
    assert "第 2 条" in result.skipped[0]
    again = personal.import_library(source)
    assert (again.added, again.replaced) == (0, 1)
    row = personal.entry_from_row(
        level1="效益指标", level2="社会效益指标", level3="参训人员业务能力",
        description="本单位口径", target_value="≥85%", basis="历史标准",
    )  # fmt: skip
    assert (row.pattern, row.example, row.sign) == ("≥{n}%", "85", "≥")
    assert personal.save_row(row) == (True, "")
    entries = personal.all_entries()
    assert [e.code for e in entries[:2]] == ["CZJ-001", row.code]
    assert [e.level3 for e in entries].count("参训人员业务能力") == 1
    out = tmp_path / "导出.json"
    assert personal.export_library(out) == 2
    assert [e.code for e in read_library(out).entries] == ["CZJ-001", row.code]
    assert personal.export_library(out, with_builtin=True, replace=True) == len(entries)


def test_personal_library_refuses_empty_import_and_export(tmp_path: Path) -> None:
    """A file with no usable entry changes nothing; an empty personal library exports
    nothing."""
    source = tmp_path / "坏.json"
    source.write_text(_library_text([{"code": "1"}]), "utf-8")
    with pytest.raises(LibraryFileError, match="没有可用的指标"):
        personal.import_library(source)
    assert not personal.personal_file().exists()
    with pytest.raises(LibraryFileError, match="还没有指标"):
        personal.export_library(tmp_path / "x.json")


def test_damaged_personal_library_is_reported_and_kept_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A personal library that cannot be read is named (where, what is wrong) by export
    and list, and an import or a saved row renames it aside before writing a new one."""
    from desktop import cli

    damaged = personal.personal_file()
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_text("{broken", "utf-8")
    with pytest.raises(LibraryFileError, match=r"个人指标库文件“.*指标库\.json”无法读取：.*JSON"):
        personal.export_library(tmp_path / "y.json")
    assert cli.main(["library", "list", "--search", "参训人数"]) == 0
    assert "个人指标库文件" in capsys.readouterr().err
    source = tmp_path / "财政局指标库.json"
    source.write_text(_library_text([GOOD]), "utf-8")
    assert cli.main(["library", "import", str(source)]) == 0
    err = capsys.readouterr().err
    [aside] = damaged.parent.glob("指标库.损坏-*.json")
    assert aside.read_text("utf-8") == "{broken"
    assert aside.name in err and "无法读取" in err
    assert "本程序导出" not in err
    assert [e.code for e in personal.load_personal().entries] == ["CZJ-001"]
    damaged.write_text("{broken again", "utf-8")
    row = personal.entry_from_row(
        level1="效益指标", level2="社会效益指标", level3="参训人员业务能力",
        description="", target_value="≥85%", basis="",
    )  # fmt: skip
    new, note = personal.save_row(row)
    assert new and "另存为" in note
    assert sorted(p.read_text("utf-8") for p in damaged.parent.glob("指标库.损坏-*.json")) == [
        "{broken",
        "{broken again",
    ]
    assert [e.level3 for e in personal.load_personal().entries] == ["参训人员业务能力"]


def test_personal_library_with_a_bad_entry_is_copied_aside_before_a_write() -> None:
    """An entry of the personal library that cannot be read (edited by hand, a newer
    program) is not silently dropped by the next save: the file is copied aside first."""
    damaged = personal.personal_file()
    damaged.parent.mkdir(parents=True, exist_ok=True)
    text = _library_text([GOOD, {**GOOD, "code": "X", "level1": "产出"}])
    damaged.write_text(text, "utf-8")
    row = personal.entry_from_row(
        level1="效益指标", level2="社会效益指标", level3="参训人员业务能力",
        description="", target_value="明显提升", basis="",
    )  # fmt: skip
    _new, note = personal.save_row(row)
    assert "1 条指标无法读取" in note and "第 2 条" in note and "其余 1 条" in note
    [aside] = damaged.parent.glob("指标库.损坏-*.json")
    assert aside.read_text("utf-8") == text
    assert [e.code for e in personal.load_personal().entries] == ["CZJ-001", row.code]


def test_a_saved_row_of_a_builtin_entry_keeps_its_explanation_and_types(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A row picked from the library and saved back keeps the built-in entry's 指标解释,
    unit, project types and keywords: it is still found under its type (also by keyword)
    and the type's list does not shrink; the central template's cost levels match too."""
    from desktop import cli

    def listed() -> list[str]:
        assert cli.main(["library", "list", "--type", "设备购置"]) == 0
        return capsys.readouterr().out.splitlines()

    before = len(listed())
    row = personal.entry_from_row(
        level1="产出指标", level2="数量指标", level3="购置办公电脑数量",
        description="更新配备办公计算机", target_value="20台", basis="年初工作计划",
    )  # fmt: skip
    assert (row.explanation, row.unit, row.project_types) == (
        "反映购置并配发使用的办公计算机台数。",
        "台",
        ("设备购置",),
    )
    personal.save_row(row)
    assert len(listed()) == before
    found = search(personal.all_entries(), query="计算机", project_type="设备购置")
    assert row in found
    assert [e.level3 for e in personal.all_entries()].count("购置办公电脑数量") == 1
    cost = personal.entry_from_row(
        level1="成本指标", level2="经济成本指标", level3="办公电脑单价",
        description="", target_value="≤0.5万元/台", basis="",
    )  # fmt: skip
    assert (cost.level1, cost.level2, cost.unit) == ("产出指标", "成本指标", "万元/台")


def test_a_personal_entry_without_types_takes_them_from_the_builtin_one() -> None:
    """An entry saved or imported without 指标解释 and project types (an earlier version,
    another office) over a built-in one is still listed under the built-in one's type."""
    personal.save_personal(
        Library(
            "个人指标库",
            (
                LibraryEntry(
                    code="ZD-1", level1="产出指标", level2="数量指标",
                    level3="购置办公电脑数量", pattern="{n}台", example="20",
                ),
            ),
        )
    )  # fmt: skip
    found = search(personal.all_entries(), query="电脑", project_type="设备购置")
    [entry] = [e for e in found if e.level3 == "购置办公电脑数量"]
    assert (entry.code, entry.pattern, entry.project_types) == ("ZD-1", "{n}台", ("设备购置",))
    assert entry.explanation == "反映购置并配发使用的办公计算机台数。"


def test_used_names_are_remembered_newest_first() -> None:
    """Names of a file opened are put first, without repeats; a damaged file reads empty."""
    personal.remember_used(["参训人数", "培训期数"])
    personal.remember_used(["会议召开次数", "参训人数", " "])
    assert personal.used_names() == ["会议召开次数", "参训人数", "培训期数"]
    personal._used_file().write_text("[[[", "utf-8")
    assert personal.used_names() == []


def test_cli_library_list_filters_and_finds_by_initials(capsys: pytest.CaptureFixture[str]) -> None:
    """``jixiao library list`` lists by type and by words or 拼音 initials; an unknown type
    and no match are said in Chinese with exit code 1."""
    from desktop import cli

    assert cli.main(["library", "list", "--type", "设备购置"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("设备验收合格率" in line for line in lines)
    assert not any("参训人数" in line for line in lines)
    assert cli.main(["library", "list", "--search", "sbyshgl"]) == 0
    assert "设备验收合格率" in capsys.readouterr().out
    assert cli.main(["library", "list", "--type", "教育"]) == 1
    assert "没有项目类型“教育”，可选：通用、机关运转" in capsys.readouterr().err
    assert cli.main(["library", "list", "--search", "不存在的指标"]) == 1
    assert "没有符合条件的指标" in capsys.readouterr().err


def test_cli_library_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bureau's file imports (bad entries named, exit 3), exports back, and a file that
    is not a library is refused on import and never overwritten on export (exit 1, no
    traceback)."""
    from desktop import cli

    source = tmp_path / "财政局指标库.json"
    source.write_text(
        _library_text([GOOD, {**GOOD, "code": "X", "level2": "社会效益指标"}]), "utf-8"
    )
    assert cli.main(["library", "import", str(source)]) == 3
    captured = capsys.readouterr()
    assert "新增 1 条" in captured.out
    assert "未导入：第 2 条（培训班期数）“二级指标”" in captured.err
    out = tmp_path / "导出.json"
    assert cli.main(["library", "export", "-o", str(out)]) == 0
    assert [e.code for e in read_library(out).entries] == ["CZJ-001"]
    workbook = tmp_path / "表.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not a library")
    assert cli.main(["library", "import", str(workbook)]) == 1
    assert cli.main(["library", "export", "-o", str(workbook), "--force"]) == 1
    err = capsys.readouterr().err
    assert "不是有效的指标库文件" in err and "为免覆盖其中的数据" in err
    assert "Traceback" not in err
    assert workbook.read_bytes() == b"PK\x03\x04 not a library"
    assert cli.main(["library", "import", str(tmp_path / "无.json")]) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_cli_library_export_needs_force_and_says_why_a_write_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An existing library file is replaced only with --force, like the other commands;
    a folder that does not exist is said in Chinese, without the system's English."""
    from desktop import cli

    source = tmp_path / "财政局指标库.json"
    source.write_text(_library_text([GOOD]), "utf-8")
    assert cli.main(["library", "import", str(source)]) == 0
    out = tmp_path / "本单位指标库.json"
    out.write_text(_library_text([{**GOOD, "code": "OLD-1"}]), "utf-8")
    capsys.readouterr()
    assert cli.main(["library", "export", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "已存在，未作改动" in err and "--force" in err
    assert [e.code for e in read_library(out).entries] == ["OLD-1"]
    assert cli.main(["library", "export", "-o", str(out), "--force"]) == 0
    assert [e.code for e in read_library(out).entries] == ["CZJ-001"]
    capsys.readouterr()
    assert cli.main(["library", "export", "-o", str(tmp_path / "无此目录" / "x.json")]) == 1
    err = capsys.readouterr().err
    assert "文件夹“" in err and "不存在" in err
    assert "No such file" not in err and "没有写出文件" in err


def _content(text: str) -> object:
    """The JSON export without modification times (an undo renews a parent's time)."""
    return re.sub(r'"modified_at": "[^"]*"', "", text)


def _training_project(document: object) -> tuple[str, Declaration]:
    """A new budget project (with the blank template rows) added to ``document``."""
    from desktop.services import structure
    from desktop.services.documents import load_declarations

    with document.session() as session:  # type: ignore[attr-defined]
        declaration = load_declarations(session)[0]
    changes = structure.insert_row(
        document,
        row_type=BudgetProject,
        parent_uuid=declaration.uuid,
        index=0,  # type: ignore[arg-type]
    )
    return changes.inserted[0].row_uuid, declaration


def test_add_from_library_fills_template_rows_then_inserts_in_the_level1_block(
    sample_path: Path,
) -> None:
    """Entries fill the blank template rows of their level-1/level-2 first, the rest go
    after the last row of their level-1; the value stays empty; the Changes undo it all."""
    from desktop.services.documents import export_json_text, load_declarations
    from desktop.services.library import add_from_library
    from desktop.services.structure import apply_changes
    from desktop.storage.document import open_document

    document = open_document(sample_path)
    try:
        project_uuid, _ = _training_project(document)
        before = export_json_text(document)
        names = ["参训人数", "培训期数", "培训合格率", "参训人员满意度"]
        by_name = {e.level3: e for e in builtin_library().entries}
        changes = add_from_library(
            document, budget_project_uuid=project_uuid, entries=[by_name[n] for n in names]
        )
        with document.session() as session:
            project = next(
                p for p in load_declarations(session)[0].budget_projects if p.uuid == project_uuid
            )
            grid = [(i.level1, i.level2, i.level3, i.target_value) for i in project.indicators]
        assert grid == [
            ("产出指标", "数量指标", "参训人数", ""),
            ("产出指标", "质量指标", "培训合格率", ""),
            ("产出指标", "时效指标", "", ""),
            ("产出指标", "数量指标", "培训期数", ""),
            ("效益指标", "经济效益指标", "", ""),
            ("效益指标", "社会效益指标", "", ""),
            ("效益指标", "生态效益指标", "", ""),
            ("满意度指标", "服务对象满意度指标", "参训人员满意度", ""),
        ]
        assert len(changes.inserted) == 1 and len(changes.fields) == 9
        apply_changes(document, changes.inverse())
        assert _content(export_json_text(document)) == _content(before)
    finally:
        document.close()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("2026年干部教育培训经费", "培训"),
        ("办公设备购置", "设备购置"),
        ("公务用车运行维护费", "公务用车"),
        ("接待管理经费", "公务接待"),
        ("机关办公楼物业管理费", "物业服务"),
        ("城乡居民最低生活保障补助", "补助补贴发放"),
        ("招商综合服务", ""),
    ],
)
def test_guess_project_type_from_the_project_name(name: str, kind: str) -> None:
    """The picker starts on the project type its name suggests (none when none does)."""
    assert guess_project_type(name) == kind


def test_indicator_names_of_one_unit(two_units_path: Path) -> None:
    """The names remembered when a file is opened are those of the unit shown, each once."""
    from desktop.services import editing
    from desktop.services.documents import load_declarations
    from desktop.services.library import indicator_names
    from desktop.storage.document import open_document

    document = open_document(two_units_path)
    try:
        with document.session() as session:
            first, second = load_declarations(session)[:2]
        own = second.budget_projects[0].indicators[0]
        editing.set_field(
            document, row_type=Indicator, row_uuid=own.uuid, field="level3", value="档案馆独有指标"
        )
        names = indicator_names(document, declaration_uuid=first.uuid)
        other = indicator_names(document, declaration_uuid=second.uuid)
        assert "档案馆独有指标" in other and "档案馆独有指标" not in names
        assert len(names) == len(set(names)) and own.level3 in names
        assert len(indicator_names(document, declaration_uuid=first.uuid, limit=3)) == 3
    finally:
        document.close()
