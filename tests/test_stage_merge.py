"""Merge, 比较 and 汇总表 carry the stage data (#20, item 5): two offices' self-evaluations
merged, stage fields compared with their labels, each unit's 阶段 and 执行率 summed up."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models import BudgetProject, Declaration, Indicator
from desktop.models.execution import execution_amounts, project_execution_rate, unit_execution_rate
from desktop.review import RuleId, review
from desktop.services import documents, editing, stages
from desktop.services.merging import (
    compare_files,
    decision_key,
    merge_files,
    preview_merge,
    summarize,
)
from desktop.storage.document import Document, open_document
from desktop.storage.merge import Choice, Status


def _declaration(document: Document) -> Declaration:
    with document.session() as session:
        return documents.load_declaration(session)


def _set(document: Document, row: object, field: str, value: str) -> None:
    editing.set_field(
        document, row_type=type(row), row_uuid=row.uuid, field=field, value=value  # type: ignore[attr-defined]  # a row of the sample
    )  # fmt: skip


def _fill_actuals(document: Document, project: int, actual: str) -> None:
    """Project ``project`` (0-based) of the sample gets its 全年执行数 and every indicator
    the same 实际完成值 (as an office types its part of the 自评)."""
    target = _declaration(document).budget_projects[project]
    _set(document, target, "annual_executed", "8")
    for indicator in target.indicators:
        _set(document, indicator, "actual_value", actual)


@pytest.fixture
def two_offices(sample_path: Path, tmp_path: Path) -> Iterator[tuple[Document, Path]]:
    """The sample moved to 自评 and handed out as two byte copies: office A fills project 1
    and adjusts its 数量指标, office B fills project 2 and adjusts its 数量指标; both fill
    project 3, differently, and B also adjusts project 3's 数量指标."""
    a = open_document(sample_path)
    stages.move_to_stage(a, declaration_uuid=_declaration(a).uuid, stage="自评")
    a.close()
    b_path = tmp_path / "office-b.jxdb"
    shutil.copyfile(sample_path, b_path)
    a, b = open_document(sample_path), open_document(b_path)
    for office, project, actual in (
        (a, 0, "甲填写"),
        (b, 1, "乙填写"),
        (a, 2, "甲说"),
        (b, 2, "乙说"),
    ):
        _fill_actuals(office, project, actual)
    for office, project, value in ((a, 0, "320辆"), (b, 1, "85批"), (b, 2, "200批")):
        quantity = _declaration(office).budget_projects[project].indicators[0]
        stages.adjust_target(
            office, row_type=Indicator, row_uuid=quantity.uuid, field="target_value",
            value=value, reason="年中调整", adjusted_on="2022-07-15",
        )  # fmt: skip
    b.close()
    yield a, b_path
    a.close()


def test_two_offices_self_evaluations_merge_keeping_both(two_offices) -> None:
    """B's file merged into A's: the project only A filled stays A's, the one only B
    filled is taken from B (its 实际完成值 and 目标调整), the one both filled is 双方都改
    with the 实际完成值 side by side (labelled as on the form); the 目标调整 records of both
    files are kept; kept mine for project 3, B's record of it no longer matches the
    target, which the review says."""
    a, b_path = two_offices
    projects = [p.uuid for p in _declaration(a).budget_projects]
    items = {item.unit_uuid: item for item in preview_merge(a, [b_path]).items}
    assert items[projects[0]].status is Status.CHANGED_HERE
    assert items[projects[1]].status is Status.CHANGED_THERE
    assert items[projects[2]].status is Status.CHANGED_BOTH
    both = {(d.label, d.mine, d.theirs) for d in items[projects[2]].differences}
    assert ("实际完成值", "甲说", "乙说") in both
    assert ("指标值", "208批", "200批") in both
    decisions = {decision_key(items[projects[2]]): Choice.MINE}
    merge_files(a, [b_path], decisions=decisions)
    merged = _declaration(a)
    assert merged.stage == "自评"
    first, second, third = merged.budget_projects
    assert {i.actual_value for i in first.indicators} == {"甲填写"}
    assert {i.actual_value for i in second.indicators} == {"乙填写"}
    assert {i.actual_value for i in third.indicators} == {"甲说"}
    assert (first.indicators[0].target_value, second.indicators[0].target_value) == (
        "320辆",
        "85批",
    )
    assert second.annual_executed == Decimal("8")
    records = [(r.row_uuid, r.new_text) for r in merged.target_adjustments]
    assert sorted(records) == sorted(
        [
            (first.indicators[0].uuid, "320辆"),
            (second.indicators[0].uuid, "85批"),
            (third.indicators[0].uuid, "200批"),
        ]
    )
    with a.session() as session:
        findings = review(documents.load_declaration(session))
    unrecorded = [f for f in findings if f.rule is RuleId.ADJUSTMENT]
    assert [(f.location.row_uuid, f.severity.value) for f in unrecorded] == [
        (third.indicators[0].uuid, "错误")
    ]
    assert "指标值现为“208批”，与最后一次目标调整（2022-07-15）后的“200批”不同" in (
        unrecorded[0].message
    )


def test_a_merge_again_adds_no_record_twice(two_offices) -> None:
    """Merging the same file twice keeps each 目标调整 once."""
    a, b_path = two_offices
    merge_files(a, [b_path])
    count = len(_declaration(a).target_adjustments)
    merge_files(a, [b_path])
    assert len(_declaration(a).target_adjustments) == count == 3


def test_compare_lists_stage_fields_with_their_labels(sample_path: Path, tmp_path: Path) -> None:
    """比较 of a file at 申报 and its copy at 监控 with data: the 阶段, the 截至月份, a
    project's 预算执行数 and an indicator's 当前完成值 and 完成可能性, each by its term."""
    other = tmp_path / "monitored.jxdb"
    shutil.copyfile(sample_path, other)
    document = open_document(other)
    try:
        declaration = _declaration(document)
        stages.move_to_stage(document, declaration_uuid=declaration.uuid, stage="监控")
        _set(document, declaration, "monitoring_month", "6")
        project = declaration.budget_projects[1]
        _set(document, project, "executed_to_date", "90")
        _set(document, project.indicators[0], "current_value", "40批")
        _set(document, project.indicators[0], "completion_likelihood", "有可能")
    finally:
        document.close()
    found = [(d.place, d.label, d.mine, d.theirs) for d in compare_files(sample_path, other)]
    assert found == [
        ("部门整体", "阶段", "申报", "监控"),
        ("部门整体", "监控截至月份", "（空）", "6"),
        ("项目“接待管理经费”", "预算执行数", "（空）", "90"),
        ("项目“接待管理经费”第1行指标", "当前完成值", "（空）", "40批"),
        ("项目“接待管理经费”第1行指标", "完成可能性", "（空）", "有可能"),
    ]


def test_execution_amounts_follow_the_stage() -> None:
    """监控: 预算数 and 预算执行数; 自评: 全年预算数 (else 预算数) and 全年执行数; 申报: none.
    A unit's 执行率 weighs its projects by their money and waits for every amount."""
    first = BudgetProject(
        budget_amount=Decimal("10"), executed_to_date=Decimal("4"), annual_executed=Decimal("9")
    )
    second = BudgetProject(
        budget_amount=Decimal("30"),
        executed_to_date=Decimal("20"),
        annual_budget=Decimal("40"),
        annual_executed=Decimal("39"),
    )
    assert execution_amounts(first, "申报") == (None, None)
    assert execution_amounts(first, "监控") == (Decimal("10"), Decimal("4"))
    assert execution_amounts(first, "自评") == (Decimal("10"), Decimal("9"))
    assert execution_amounts(second, "自评") == (Decimal("40"), Decimal("39"))
    assert project_execution_rate(first, "监控") == Decimal("40.00")
    unit = Declaration(stage="监控", budget_projects=[first, second])
    assert unit_execution_rate(unit) == Decimal("60.00")  # 24 of 40
    unit.stage = "自评"
    assert unit_execution_rate(unit) == Decimal("96.00")  # 48 of 50
    unit.stage = "申报"
    assert unit_execution_rate(unit) is None
    unit.stage, second.annual_executed = "自评", None
    assert unit_execution_rate(unit) is None


def test_the_summary_gives_each_units_stage_and_rate(two_units_path: Path, tmp_path: Path) -> None:
    """汇总表: a unit at 申报 has no 执行率; one at 监控 has its projects' 预算执行数 over
    their 预算数; both written to the .xlsx as the sheet's numbers and printed to the PDF."""
    import subprocess

    from openpyxl import load_workbook

    from desktop.exchange.summary_workbook import write_summary_xlsx
    from desktop.reports.summary import HEADERS, write_summary_pdf

    document = open_document(two_units_path)
    try:
        with document.session() as session:
            second = documents.load_declarations(session)[1]
        stages.move_to_stage(document, declaration_uuid=second.uuid, stage="监控")
        for project, executed in zip(second.budget_projects, ("4.435", "92", "150"), strict=True):
            _set(document, project, "executed_to_date", executed)
        rows = summarize(document)
    finally:
        document.close()
    assert rows is not None
    assert [(r.stage, r.execution_rate) for r in rows] == [
        ("申报", None),
        ("监控", Decimal("50.00")),
    ]
    assert HEADERS[6:9] == ("阶段", "执行率（%）", "自评得分")
    assert rows[1].cells(2)[6:9] == ("监控", "50", "")
    write_summary_xlsx(rows, tmp_path / "汇总.xlsx", "绩效汇总表")
    sheet = load_workbook(tmp_path / "汇总.xlsx").active
    assert [c.value for c in sheet[2]][6:9] == ["阶段", "执行率\n（%）", "自评得分"]
    assert [c.value for c in sheet[4]][6:9] == ["监控", 50, None]
    assert sheet.cell(row=3, column=8).value is None
    write_summary_pdf(rows, tmp_path / "汇总.pdf", "绩效汇总表")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "汇总.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "执行率" in text and "监控" in text


def test_the_summary_gives_an_evaluated_units_score(two_units_path: Path, tmp_path: Path) -> None:
    """A unit at 自评 whose every indicator is 达成: each project scores 90 for its
    indicators plus its 执行率's share of 10 (接待管理经费 spent half: 95); the unit's
    自评得分 is the projects' totals weighted by their 全年预算数, (8.87 × 100 + 184 × 95 +
    300 × 100) ÷ 492.87 = 98.13; while one indicator lacks its 达成度 there is no score."""
    from openpyxl import load_workbook

    from desktop.exchange.summary_workbook import write_summary_xlsx

    document = open_document(two_units_path)
    try:
        with document.session() as session:
            first = documents.load_declarations(session)[0]
        stages.move_to_stage(document, declaration_uuid=first.uuid, stage="自评")
        for project, executed in zip(first.budget_projects, ("8.87", "92", "300"), strict=True):
            _set(document, project, "annual_executed", executed)
            for indicator in project.indicators:
                _set(document, indicator, "achievement_grade", "达成")
        rows = summarize(document)
        assert rows is not None
        assert [(r.stage, r.execution_rate, r.score) for r in rows] == [
            ("自评", Decimal("81.33"), Decimal("98.13")),
            ("申报", None, None),
        ]
        write_summary_xlsx(rows, tmp_path / "汇总.xlsx", "绩效汇总表")
        assert [c.value for c in load_workbook(tmp_path / "汇总.xlsx").active[3]][6:9] == [
            "自评",
            81.33,
            98.13,
        ]
        _set(document, first.budget_projects[2].indicators[4], "achievement_grade", "")
        rows = summarize(document)
    finally:
        document.close()
    assert rows is not None and rows[0].score is None
