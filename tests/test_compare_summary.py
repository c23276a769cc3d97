"""比较 (field-by-field differences) and 汇总 (summary table to .xlsx and PDF)."""

from __future__ import annotations

import copy
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models import BudgetProject, Indicator
from desktop.services.documents import load_declarations
from desktop.services.editing import link_budget_project, set_field
from desktop.services.excel import create_from_workbook, export_workbook, read_workbook
from desktop.services.merging import (
    compare_declarations,
    compare_files,
    merge_files,
    read_incoming,
    summarize,
)
from desktop.storage.compare import ABSENT
from desktop.storage.document import open_document
from tests.conftest import file_fingerprint, first_declaration


def test_compare_lists_each_differing_field_in_the_clerks_words(sample_path, tmp_path) -> None:
    """Two versions of a file: each changed field with its place and Chinese label."""
    other = tmp_path / "other.jxdb"
    shutil.copyfile(sample_path, other)
    assert compare_files(sample_path, other) == []
    document = open_document(other)
    with document.session() as session:
        project = load_declarations(session)[0].budget_projects[1]
        indicator = project.indicators[2]
    set_field(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value", value="≥99%"
    )
    set_field(
        document, row_type=BudgetProject, row_uuid=project.uuid, field="fiscal_funds", value="180"
    )
    document.close()
    found = [(d.place, d.label, d.mine, d.theirs) for d in compare_files(sample_path, other)]
    assert found == [
        ("项目“接待管理经费”", "财政资金", "184.00", "180"),
        ("项目“接待管理经费”第3行指标", "指标值", indicator.target_value, "≥99%"),
    ]


def test_summary_of_collected_units(sample_path, tmp_path) -> None:
    """After collecting unit files, the summary has one row per unit with its budget,
    projects, review counts, fingerprint; the .xlsx reads back with a sum that adds up."""
    from openpyxl import load_workbook

    from benchmarks.generate import write_synthetic
    from desktop.exchange.summary_workbook import write_summary_xlsx
    from desktop.reports.summary import write_summary_pdf

    sources = [write_synthetic(tmp_path / f"u{n}.jxdb", 2, 3, unit=n) for n in (1, 2)]
    target = open_document(sample_path)
    try:
        merge_files(target, sources)
        rows = summarize(target)
        seen: list[tuple[int, int]] = []
        assert summarize(target, progress=lambda done, total: seen.append((done, total))) == rows
        assert seen == [(1, 3), (2, 3), (3, 3)]
        assert summarize(target, progress=lambda done, total: done < 2) is None  # 取消
    finally:
        target.close()
    assert rows is not None
    assert [(r.unit_name, r.fiscal_year, r.total_budget, r.projects) for r in rows] == [
        ("乐亭县机关事务中心", 2022, Decimal("492.87"), 3),
        ("乐亭县第1单位", 2023, Decimal("25.00"), 2),
        ("乐亭县第2单位", 2023, Decimal("25.00"), 2),
    ]
    assert rows[0].errors == 0 and rows[0].warnings >= 1
    assert all(len(r.fingerprint) == 9 for r in rows)
    write_summary_xlsx(rows, tmp_path / "汇总.xlsx", "绩效目标汇总表")
    sheet = load_workbook(tmp_path / "汇总.xlsx").active
    assert [c.value for c in sheet[2]][:5] == [
        "序号",
        "单位编码",
        "单位名称",
        "预算年度",
        "申请预算资金\n（万元）",
    ]
    assert sheet["C4"].value == "乐亭县第1单位"
    assert sheet.cell(row=6, column=5).value == 542.87
    assert sheet.cell(row=6, column=1).value == "合计"
    pages = write_summary_pdf(rows, tmp_path / "汇总.pdf", "绩效目标汇总表")
    assert pages == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "汇总.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "乐亭县第2单位" in text and "542.87" in text and "审核错误" in text


def test_compare_two_years_of_one_unit(sample_path, tmp_path) -> None:
    """This year's file against last year's (new UUIDs, next year): the two declarations
    are compared with each other, projects paired by their code."""
    from desktop.services.documents import roll_over

    document = open_document(sample_path)
    try:
        uuid = first_declaration(sample_path).uuid
        roll_over(
            document, tmp_path / "2023.jxdb", declaration_uuid=uuid, keep_amounts=True
        ).close()
    finally:
        document.close()
    found = compare_files(sample_path, tmp_path / "2023.jxdb")
    assert ("部门整体", "预算年度", "2022", "2023") in [
        (d.place, d.label, d.mine, d.theirs) for d in found
    ]
    assert not any(d.mine == "（无此行）" or d.theirs == "（无此行）" for d in found)


def _rebuilt_from_excel(path: Path, tmp_path: Path) -> Path:
    """The file at ``path`` exported to Excel and imported as a new file (new UUIDs)."""
    document = open_document(path, read_only=True)
    try:
        export_workbook(document, tmp_path / "a.xlsx")
    finally:
        document.close()
    create_from_workbook(read_workbook(tmp_path / "a.xlsx"), tmp_path / "b.jxdb").close()
    return tmp_path / "b.jxdb"


def test_compare_after_an_excel_round_trip_finds_nothing(sample_path, tmp_path) -> None:
    """A file rebuilt from its Excel export has other UUIDs but the same fingerprint: no
    difference, item targets' links included; a link moved to another project is one."""
    rebuilt = _rebuilt_from_excel(sample_path, tmp_path)
    assert file_fingerprint(rebuilt) == file_fingerprint(sample_path)
    assert compare_files(sample_path, rebuilt) == []
    declaration = first_declaration(rebuilt)
    item = declaration.item_targets[0]
    document = open_document(rebuilt)
    try:
        link_budget_project(
            document,
            item_target_uuid=item.uuid,
            budget_project_uuid=declaration.budget_projects[2].uuid,
        )
    finally:
        document.close()
    found = [(d.place, d.label, d.mine, d.theirs) for d in compare_files(sample_path, rebuilt)]
    assert found == [
        (
            "分项目标“接待活动管理经费项目”",
            "对应预算项目",
            "“2.接待管理经费”",
            "“3.综合服务管理经费”",
        )
    ]


@pytest.mark.parametrize("rebuilt", [False, True], ids=["copy", "new-uuids"])
def test_compare_an_inserted_row_is_one_line_at_its_place(sample_path, tmp_path, rebuilt) -> None:
    """An indicator inserted as row 2 (in a copy, or in a file with other UUIDs) is one
    line: 第2行指标 · 整行, absent on one side, its 三级指标 and 指标值 on the other; a
    removed row likewise the other way round."""
    other = _rebuilt_from_excel(sample_path, tmp_path) if rebuilt else sample_path
    mine = read_incoming(sample_path).declarations
    theirs = copy.deepcopy(read_incoming(other).declarations)
    indicators = theirs[0]["budget_projects"][1]["indicators"]
    new = {**indicators[0], "uuid": "新行", "level3": "接待满意度", "target_value": "≥95%"}
    indicators.insert(1, new)
    added = ("项目“接待管理经费”第2行指标", "整行", ABSENT, "三级指标：接待满意度；指标值：≥95%")
    found = [(d.place, d.label, d.mine, d.theirs) for d in compare_declarations(mine, theirs)]
    assert found == [added]
    found = [(d.place, d.label, d.mine, d.theirs) for d in compare_declarations(theirs, mine)]
    assert found == [(added[0], added[1], added[3], added[2])]


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_summary_with_a_control_character_in_a_unit_name_writes_nothing(
    sample_path, tmp_path, suffix
) -> None:
    """A unit name holding U+0007 (a file from elsewhere, written by another program):
    neither the .xlsx nor the printed PDF can show it, so `summary -o` refuses both the
    same way, names the unit and the character, and leaves no file."""
    import sqlite3

    from tests.test_cli import jixiao

    source = tmp_path / "收到.jxdb"
    shutil.copyfile(sample_path, source)
    with sqlite3.connect(source) as connection:
        connection.execute("update declaration set unit_name = '乐亭县' || char(7) || '机关'")
    connection.close()
    out = tmp_path / f"汇总{suffix}"
    result = jixiao("summary", str(source), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "第1个单位“乐亭县机关”的单位编码或单位名称含有无法打印和导出的控制字符 U+0007" in (
        result.stderr
    )
    assert "请在本程序中打开“收到.jxdb”改正后再汇总" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
