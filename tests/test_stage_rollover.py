"""从上年复制 after a year with stages (#20, item 7): the new year starts at 申报 with last
year's 实际完成值 as its 上年实际, and nothing else of last year's monitoring and
self-evaluation."""

from __future__ import annotations

from pathlib import Path

from desktop.models import Declaration, Indicator
from desktop.models.stages import ADDED_IN_SCHEMA_6, EMPTY_VALUES
from desktop.services import documents, editing, stages
from desktop.services.documents import roll_over
from desktop.storage.document import Document, open_document


def _declaration(document: Document) -> Declaration:
    with document.session() as session:
        return documents.load_declaration(session)


def _set(document: Document, row: object, field: str, value: str) -> None:
    editing.set_field(
        document, row_type=type(row), row_uuid=row.uuid, field=field, value=value  # type: ignore[attr-defined]  # a row of the sample
    )  # fmt: skip


def _year_with_stages(path: Path, stage: str) -> Document:
    """The sample moved to ``stage`` with its monitoring data and, at 自评, a 实际完成值 on
    each indicator of the first project (a date on the 时效指标), a 全年执行数, a 得分 and
    a 目标调整."""
    document = open_document(path)
    declaration = _declaration(document)
    stages.move_to_stage(document, declaration_uuid=declaration.uuid, stage=stage)
    _set(document, declaration, "monitoring_month", "6")
    project = declaration.budget_projects[0]
    _set(document, project, "executed_to_date", "4")
    for indicator in project.indicators:
        _set(document, indicator, "current_value", "过半")
        _set(document, indicator, "completion_likelihood", "有可能")
        _set(document, indicator, "deviation_cause", "经费保障")
    if stage == "自评":
        _set(document, project, "annual_executed", "8.5")
        for indicator in project.indicators:
            actual = (
                "2022年11月底" if indicator.level2 == "时效指标" else f"实际{indicator.position}"
            )
            _set(document, indicator, "actual_value", actual)
        _set(document, project.indicators[0], "score", "10")
        stages.adjust_target(
            document, row_type=Indicator, row_uuid=project.indicators[0].uuid,
            field="target_value", value="320辆", reason="车辆报废", adjusted_on="2022-07-15",
        )  # fmt: skip
    return document


def _stage_values(declaration: Declaration) -> set[tuple[str, object]]:
    """Every stage field of the declaration, its projects and indicators but 上年实际,
    with its value."""
    rows: list[tuple[str, object]] = [(declaration.__tablename__, declaration)]
    for project in declaration.budget_projects:
        rows.append((project.__tablename__, project))
        rows += [(i.__tablename__, i) for i in project.indicators]
    return {
        (name, getattr(row, name))
        for table, row in rows
        for name in ADDED_IN_SCHEMA_6[table]
        if name != "previous_actual"
    }


def test_the_new_year_gets_last_years_actuals_as_its_previous_actual(
    sample_path: Path, tmp_path: Path
) -> None:
    """Last year at 自评: each indicator's 上年实际 is its 实际完成值 as typed (the date
    stays 2022年11月底 while the 指标值's moves to 2023); the new year is at 申报 with every
    monitoring and self-evaluation field empty and no 目标调整; the adjusted target is the
    one copied."""
    document = _year_with_stages(sample_path, "自评")
    old = _declaration(document)
    rolled = roll_over(
        document, tmp_path / "2023.jxdb", declaration_uuid=old.uuid, keep_amounts=True
    )
    document.close()
    new = _declaration(rolled)
    rolled.close()
    first = new.budget_projects[0]
    assert [i.previous_actual for i in first.indicators] == [
        i.actual_value for i in old.budget_projects[0].indicators
    ]
    timed = next(i for i in first.indicators if i.level2 == "时效指标")
    assert (timed.previous_actual, timed.target_value) == ("2022年11月底", "2023年12月底")
    assert first.indicators[0].target_value == "320辆"
    assert {i.previous_actual for i in new.budget_projects[1].indicators} == {""}
    assert new.stage == "申报" and new.target_adjustments == []
    assert ("actual_value", "实际1") in _stage_values(old)
    assert _stage_values(new) == {(name, EMPTY_VALUES[name]) for name, _ in _stage_values(old)}


def test_a_year_left_at_monitoring_gives_no_previous_actual(
    sample_path: Path, tmp_path: Path
) -> None:
    """Last year only reached 监控: its 当前完成值 are no year's result, so 上年实际 stays
    empty; the monitoring fields are not carried over either."""
    document = _year_with_stages(sample_path, "监控")
    old = _declaration(document)
    rolled = roll_over(
        document, tmp_path / "2023.jxdb", declaration_uuid=old.uuid, keep_amounts=False
    )
    document.close()
    new = _declaration(rolled)
    rolled.close()
    previous = {i.previous_actual for p in new.budget_projects for i in p.indicators}
    assert previous == {""}
    assert (new.stage, new.monitoring_month) == ("申报", None)
    assert {p.executed_to_date for p in new.budget_projects} == {None}
    assert {i.current_value for i in new.budget_projects[0].indicators} == {""}
