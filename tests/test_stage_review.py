"""Review rules of the later stages (监控, 自评, 目标调整; #20 item 4): for each, a declaration
at its stage that passes and one that fails it; a stage's rules run only once reached."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from desktop.models import BudgetProject, Declaration, Indicator, TargetAdjustment
from desktop.review import RULE_STAGES, RULES, RuleId, Severity, review
from desktop.review.stage_rules import expected_progress
from tests.test_review import good

Breaker = Callable[[Declaration], object]
_ACTUALS = {  # level2 -> (当前完成值 at 6月底, 实际完成值 at 自评)
    "数量指标": ("200辆", "330辆"),
    "质量指标": ("100%", "100%"),
    "时效指标": ("进行中", "2023年11月底"),
    "成本指标": ("4万元", "9.5万元"),
    "社会效益指标": ("违规用车减少", "违规用车明显减少"),
    "服务对象满意度指标": ("95%", "96%"),
}


def _project(d: Declaration) -> BudgetProject:
    return d.budget_projects[0]


def _indicator(d: Declaration, level2: str) -> Indicator:
    return next(i for i in _project(d).indicators if i.level2 == level2)


def monitored() -> Declaration:
    """``good()`` at 监控, 截至6月底, every monitoring field filled, spent as planned (60%)."""
    declaration = good()
    declaration.stage, declaration.monitoring_month = "监控", 6
    _project(declaration).executed_to_date = Decimal("6.00")
    for indicator in _project(declaration).indicators:
        indicator.current_value = _ACTUALS[indicator.level2][0]
        indicator.completion_likelihood = "确定能"
    return declaration


def evaluated() -> Declaration:
    """``good()`` at 自评: every target met, the 定性 one 达成, the budget spent."""
    declaration = good()
    declaration.stage = "自评"
    _project(declaration).annual_executed = Decimal("9.80")
    for indicator in _project(declaration).indicators:
        indicator.actual_value = _ACTUALS[indicator.level2][1]
    _indicator(declaration, "社会效益指标").achievement_grade = "达成"
    return declaration


def _adjusted(d: Declaration, *records: tuple[str, str], value: str) -> None:
    """The 数量指标's 指标值 set to ``value`` with 目标调整 records (old, new) of it."""
    indicator = _indicator(d, "数量指标")
    indicator.uuid = "a0000000-0000-4000-8000-000000000001"
    indicator.target_value = value
    d.target_adjustments = [
        TargetAdjustment(
            row_uuid=indicator.uuid, field="target_value", old_text=old, new_text=new,
            reason="车辆报废", adjusted_on=f"2023-0{n + 7}-01",
        )
        for n, (old, new) in enumerate(records)
    ]  # fmt: skip


def _set(getter: Callable[[Declaration], object], field: str, value: object) -> Breaker:
    return lambda d: setattr(getter(d), field, value)


def _of(level2: str) -> Callable[[Declaration], Indicator]:
    return lambda d: _indicator(d, level2)


M, S = monitored, evaluated
#: (rule, the stage's good declaration, breaker, severity, words in the message)
STAGE_CASES: list[tuple[RuleId, Callable[[], Declaration], Breaker, Severity, str]] = [
    (RuleId.MONITOR_MONTH, M, _set(lambda d: d, "monitoring_month", None), Severity.ERROR, "监控截至月份未填"),
    (RuleId.MONITOR_VALUES, M, _set(_project, "executed_to_date", None), Severity.ERROR, "预算执行数未填"),
    (RuleId.MONITOR_VALUES, M, _set(_of("数量指标"), "current_value", " "), Severity.ERROR, "当前完成值未填"),
    (RuleId.MONITOR_VALUES, M, _set(_of("数量指标"), "completion_likelihood", ""), Severity.ERROR, "完成可能性未选"),
    (RuleId.MONITOR_DEVIATION, M, lambda d: (_set(_of("数量指标"), "completion_likelihood", "有可能")(d), _set(_of("数量指标"), "improvement_measures", "加快安装")(d)), Severity.ERROR, "完成可能性为“有可能”，偏差原因未选"),
    (RuleId.MONITOR_DEVIATION, M, lambda d: (_set(_of("数量指标"), "completion_likelihood", "完全不可能")(d), _set(_of("数量指标"), "deviation_cause", "经费保障")(d)), Severity.ERROR, "改进措施未填"),
    (RuleId.MONITOR_PACE, M, _set(_project, "executed_to_date", Decimal("4")), Severity.WARNING, "截至6月底执行率 40%（预算执行数 4 万元 ÷ 预算数 10 万元），比资金支出计划的进度 60% 落后 20 个百分点"),
    (RuleId.EVALUATE_ACTUAL, S, _set(_of("质量指标"), "actual_value", ""), Severity.ERROR, "实际完成值未填"),
    (RuleId.EVALUATE_ACTUAL, S, _set(_of("数量指标"), "actual_value", "330人"), Severity.WARNING, "实际完成值的计量单位与指标值不同"),
    (RuleId.EVALUATE_DEVIATION, S, _set(_of("数量指标"), "actual_value", "300辆"), Severity.ERROR, "未完成年度指标值（指标值“325辆”，实际完成值“300辆”）"),
    (RuleId.EVALUATE_DEVIATION, S, _set(_of("成本指标"), "actual_value", "12万元"), Severity.ERROR, "指标值“≤10万元”"),
    (RuleId.EVALUATE_DEVIATION, S, _set(_of("时效指标"), "actual_value", "2024年2月"), Severity.ERROR, "未完成年度指标值"),
    (RuleId.EVALUATE_DEVIATION, S, _set(_of("社会效益指标"), "achievement_grade", "部分达成"), Severity.ERROR, "达成度为“部分达成”"),
    (RuleId.EVALUATE_GRADE, S, _set(_of("社会效益指标"), "achievement_grade", ""), Severity.ERROR, "未选达成度"),
    (RuleId.EVALUATE_SCORE, S, _set(_of("数量指标"), "score", Decimal("13")), Severity.ERROR, "得分 13 超过了该指标的分值 12.5"),
    (RuleId.EVALUATE_EXECUTION, S, _set(_project, "annual_executed", None), Severity.ERROR, "全年执行数未填"),
    (RuleId.EVALUATE_EXECUTION, S, _set(_project, "annual_executed", Decimal("10.5")), Severity.ERROR, "全年执行数 10.5 万元超过了预算数 10 万元"),
    (RuleId.ADJUSTMENT, M, lambda d: _adjusted(d, ("325辆", "300辆"), value="310辆"), Severity.ERROR, "指标值现为“310辆”，与最后一次目标调整（2023-07-01）后的“300辆”不同"),
    (RuleId.ADJUSTMENT, S, lambda d: _adjusted(d, ("325辆", "300辆"), ("310辆", "320辆"), value="320辆"), Severity.WARNING, "2023-07-01调整后为“300辆”，2023-08-01的调整却从“310辆”开始"),
]  # fmt: skip


def test_the_stages_good_declarations_pass_every_rule() -> None:
    """The baselines at 监控 and 自评 have no finding at all."""
    assert review(monitored()) == []
    assert review(evaluated()) == []


@pytest.mark.parametrize(
    ("rule_id", "start", "breaker", "severity", "words"),
    STAGE_CASES,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(STAGE_CASES)],
)
def test_stage_rule_reports_the_broken_declaration(
    rule_id: RuleId,
    start: Callable[[], Declaration],
    breaker: Breaker,
    severity: Severity,
    words: str,
) -> None:
    """Breaking one thing at its stage makes its rule report it (severity, Chinese words),
    pointing at a field of the row; the same declaration back at 申报 has no such finding."""
    declaration = start()
    breaker(declaration)
    found = list(RULES[rule_id](declaration))
    assert any(f.severity is severity and words in f.message for f in found), found
    assert all(f.location.field for f in found)
    declaration.stage = "申报"
    assert list(RULES[rule_id](declaration)) == []


def test_each_stage_runs_only_its_own_rules() -> None:
    """监控's rules do not run at 自评 (nor 自评's at 监控): the monitoring fields left
    empty at 自评 and the actuals left empty at 监控 are no findings; 目标调整 runs at both."""
    assert RULE_STAGES[RuleId.MONITOR_VALUES] == ("监控",)
    assert RULE_STAGES[RuleId.EVALUATE_ACTUAL] == ("自评",)
    assert RULE_STAGES[RuleId.ADJUSTMENT] == ("监控", "自评")
    assert RULE_STAGES[RuleId.FUNDS_SUM] == ("申报", "监控", "自评")
    at_evaluation = evaluated()  # no monitoring field filled
    assert at_evaluation.monitoring_month is None
    assert review(at_evaluation) == []
    at_monitoring = monitored()
    at_monitoring.stage = "自评"  # no 实际完成值 yet
    rules = {f.rule for f in review(at_monitoring)}
    assert RuleId.EVALUATE_ACTUAL in rules
    assert not any(str(r).startswith("monitor.") for r in rules)


def test_monitoring_deviation_is_asked_only_when_the_target_may_be_missed() -> None:
    """确定能 asks no 偏差原因; 有可能 with both given is no finding."""
    declaration = monitored()
    indicator = _indicator(declaration, "数量指标")
    indicator.improvement_measures = ""
    assert list(RULES[RuleId.MONITOR_DEVIATION](declaration)) == []
    indicator.completion_likelihood = "有可能"
    indicator.deviation_cause, indicator.improvement_measures = "硬件条件保障", "下半年集中安装"
    assert list(RULES[RuleId.MONITOR_DEVIATION](declaration)) == []


def test_the_pace_is_judged_by_the_plan_else_by_the_calendar() -> None:
    """Between checkpoints the plan is read on a straight line (8月: 60% → 80% gives 70%);
    a plan with an empty checkpoint gives way to the 序时进度 (month ÷ 12); 9 points behind
    is no finding, 10 is."""
    declaration = monitored()
    project = _project(declaration)
    assert expected_progress(project, 8) == (Decimal("70.00"), "资金支出计划的进度")
    assert expected_progress(project, 2) == (Decimal("20.00"), "资金支出计划的进度")
    assert expected_progress(project, 12) == (Decimal("100.00"), "资金支出计划的进度")
    project.executed_to_date = Decimal("5.1")  # 51% against 60%
    assert list(RULES[RuleId.MONITOR_PACE](declaration)) == []
    project.executed_to_date = Decimal("5.0")
    assert len(list(RULES[RuleId.MONITOR_PACE](declaration))) == 1
    project.disbursement_plan[1].cumulative_percent = None
    assert expected_progress(project, 6) == (Decimal("50.00"), "序时进度")
    assert list(RULES[RuleId.MONITOR_PACE](declaration)) == []  # 50% against 50%
    project.executed_to_date = Decimal("3.5")
    (finding,) = RULES[RuleId.MONITOR_PACE](declaration)
    assert "比序时进度 50% 落后 15 个百分点" in finding.message
    declaration.monitoring_month = None  # monitor.month says so; no pace without it
    assert list(RULES[RuleId.MONITOR_PACE](declaration)) == []


def test_met_targets_and_explained_misses_need_nothing_more() -> None:
    """A 反向 actual under its ceiling, a date before the deadline and a 正向 actual above
    its target are met; a miss with its 偏差原因分析 is no finding; 不适用 needs no actual."""
    declaration = evaluated()
    _indicator(declaration, "成本指标").actual_value = "9万元"
    _indicator(declaration, "时效指标").actual_value = "2023年10月"
    _indicator(declaration, "数量指标").actual_value = "400辆"
    assert list(RULES[RuleId.EVALUATE_DEVIATION](declaration)) == []
    _indicator(declaration, "数量指标").actual_value = "300辆"
    _indicator(declaration, "数量指标").deviation_analysis = "5辆车报废，明年补足。"
    assert list(RULES[RuleId.EVALUATE_DEVIATION](declaration)) == []
    quality = _indicator(declaration, "质量指标")
    quality.actual_value, quality.achievement_grade = "", "不适用"
    assert review(declaration) == []


def test_a_date_target_needs_no_grade_when_its_actual_is_a_date() -> None:
    """A 时效指标 with a date as 实际完成值 is scored by the dates: no 达成度 asked; with
    words as 实际完成值 it is."""
    declaration = evaluated()
    assert list(RULES[RuleId.EVALUATE_GRADE](declaration)) == []
    _indicator(declaration, "时效指标").actual_value = "按时完成"
    (finding,) = RULES[RuleId.EVALUATE_GRADE](declaration)
    assert finding.location.field == "achievement_grade"
    assert "时效指标：实际完成值不是日期" in finding.message


def test_a_score_is_judged_against_its_respread_weight() -> None:
    """产出指标's 50 over four rows is 12.5 each; with one of them 不适用 the other three get
    16.67, so 16 is within its 分值; a 得分 on the 不适用 row is not counted, not flagged."""
    declaration = evaluated()
    _indicator(declaration, "数量指标").score = Decimal("16")
    assert len(list(RULES[RuleId.EVALUATE_SCORE](declaration))) == 1
    quality = _indicator(declaration, "质量指标")
    quality.achievement_grade, quality.score = "不适用", Decimal("40")
    assert list(RULES[RuleId.EVALUATE_SCORE](declaration)) == []


def test_a_raised_budget_allows_the_spending() -> None:
    """全年执行数 above the declared 预算数 but within the 全年预算数 is no finding."""
    declaration = evaluated()
    _project(declaration).annual_executed = Decimal("11")
    (finding,) = RULES[RuleId.EVALUATE_EXECUTION](declaration)
    assert finding.location.field == "annual_executed"
    _project(declaration).annual_budget = Decimal("12")
    assert list(RULES[RuleId.EVALUATE_EXECUTION](declaration)) == []


def test_recorded_adjustments_pass() -> None:
    """A target adjusted twice, each record starting where the last ended and the value now
    the last 调整后, is no finding; a record naming a removed row is ignored."""
    declaration = monitored()
    _adjusted(declaration, ("325辆", "300辆"), ("300辆", "320辆"), value="320辆")
    declaration.target_adjustments.append(
        TargetAdjustment(row_uuid="b0000000-0000-4000-8000-000000000002", field="target_value",
                         old_text="1", new_text="2", reason="", adjusted_on="2023-09-01")
    )  # fmt: skip
    assert list(RULES[RuleId.ADJUSTMENT](declaration)) == []
    assert RuleId.ADJUSTMENT not in {f.rule for f in review(declaration)}


def test_an_adjusted_amount_compares_as_a_number() -> None:
    """A 预算数 recorded as 12 and stored as 12.00 is the same value."""
    declaration = monitored()
    project = _project(declaration)
    project.uuid = "a0000000-0000-4000-8000-000000000003"
    project.budget_amount = Decimal("12.00")
    declaration.target_adjustments = [
        TargetAdjustment(row_uuid=project.uuid, field="budget_amount", old_text="10",
                         new_text="12", reason="追加预算", adjusted_on="2023-07-01")
    ]  # fmt: skip
    assert list(RULES[RuleId.ADJUSTMENT](declaration)) == []
    project.budget_amount = Decimal("13")
    (finding,) = RULES[RuleId.ADJUSTMENT](declaration)
    assert "预算数现为“13”" in finding.message
