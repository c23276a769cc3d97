"""The review rules of the year's later stages (#20, item 4): 绩效运行监控 (监控) and 绩效自评
(自评), and the 目标调整 that every stage after 申报 needs for a changed target.

A stage's rules run only once the declaration is at that stage (``rules.rule(stages=…)``):
the 监控 rules while it is at 监控 (at 自评 the year's actuals are judged instead of the
mid-year ones), the 自评 rules at 自评, the 目标调整 rule at both. Registered in the same
``RULES`` as the 申报 rules (``review/__init__.py`` imports this module).
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from desktop.models import BudgetProject, Declaration, Indicator, TargetAdjustment
from desktop.models.base import SyncedRow
from desktop.models.execution import execution_amounts, project_execution_rate
from desktop.models.indicator_fields import weight_text
from desktop.models.labels import FIELD_LABELS
from desktop.models.scoring import (
    IndicatorScore,
    MissingKind,
    indicator_score,
    indicator_weights,
    is_filled,
)
from desktop.models.stages import EVALUATE, MONITOR, NOT_APPLICABLE
from desktop.models.values import parse_target_value
from desktop.review.findings import Finding, RuleId, Severity
from desktop.review.rules import _finding, _unfilled, rule

E, W = Severity.ERROR, Severity.WARNING
#: 执行率 this many percentage points or more below the progress expected at the
#: 截至 month is “far behind” (``MONITOR_PACE``). Our choice: no regulation found fixes
#: the gap (see ``execution_pace``'s docstring for what was found).
PACE_TOLERANCE = Decimal(10)
#: The weight an indicator is scored against to tell whether its target was met (a met
#: target earns the whole of it; any weight would do, 100 reads as percent).
_WHOLE = Decimal(100)
_MONTH = re.compile(r"([0-9]{1,2})月")


def _indicators(declaration: Declaration) -> Iterator[Indicator]:
    for project in declaration.budget_projects:
        yield from (i for i in project.indicators if is_filled(i))


def _applicable(declaration: Declaration) -> Iterator[Indicator]:
    """The filled indicators not marked 不适用 this year (达成度)."""
    yield from (i for i in _indicators(declaration) if i.achievement_grade != NOT_APPLICABLE)


def _text(value: str) -> str:
    return value.strip()


# -- 监控 --------------------------------------------------------------------------------------
@rule(RuleId.MONITOR_MONTH, stages=(MONITOR,))
def monitoring_month_given(declaration: Declaration) -> Iterator[Finding]:
    """监控: the 截至月份 is given (待填写, an 错误 at print).

    Source: form (the 绩效运行监控表 reports the data 截至X月底, 财预〔2019〕136号 附件;
    without the month the 执行率 cannot be set against the 序时进度, ``monitor.pace``).
    """
    if declaration.monitoring_month is None:
        yield _unfilled(
            RuleId.MONITOR_MONTH, E, declaration, "monitoring_month",
            "监控截至月份未填：请填写监控数据截至几月底（1～12，如截至6月底填 6）。",
        )  # fmt: skip


@rule(RuleId.MONITOR_VALUES, stages=(MONITOR,))
def monitoring_values_given(declaration: Declaration) -> Iterator[Finding]:
    """监控: each project's 预算执行数 and each filled indicator's 当前完成值 and 完成可能性
    are given (待填写, an 错误 at print).

    Source: form (the 绩效运行监控表's columns: 预算执行数 per project; 当前完成值 (截至
    the month) and 完成目标可能性 per indicator, 财预〔2019〕136号 附件).
    """
    for project in declaration.budget_projects:
        if project.executed_to_date is None:
            yield _unfilled(
                RuleId.MONITOR_VALUES, E, project, "executed_to_date",
                "预算执行数未填：请填写截至监控月底该项目已支出的金额（万元），没有支出填 0。",
            )  # fmt: skip
    for indicator in _indicators(declaration):
        if not _text(indicator.current_value):
            yield _unfilled(
                RuleId.MONITOR_VALUES, E, indicator, "current_value",
                "当前完成值未填：请填写截至监控月底该指标完成了多少（如 120辆、45%），"
                "尚未开展的写“尚未开展”。",
            )  # fmt: skip
        if not indicator.completion_likelihood:
            yield _unfilled(
                RuleId.MONITOR_VALUES, E, indicator, "completion_likelihood",
                "完成可能性未选：请选择全年能否完成指标值（确定能、有可能或完全不可能）。",
            )  # fmt: skip


@rule(RuleId.MONITOR_DEVIATION, stages=(MONITOR,))
def deviation_explained(declaration: Declaration) -> Iterator[Finding]:
    """监控: an indicator whose 完成可能性 is 有可能 or 完全不可能 has its 偏差原因 and
    改进措施 (待填写, an 错误 at print).

    Source: form (the 绩效运行监控表 asks, beside 完成目标可能性, the 偏差原因 — 经费保障,
    制度保障, 人员保障, 硬件条件保障, 其他 — and the 改进措施, 财预〔2019〕136号 附件; the
    办法 asks units to analyse a deviation from the targets and correct it, 及时纠偏).
    Filled for a target that will be met (确定能), they are not asked.
    """
    for indicator in _indicators(declaration):
        likelihood = indicator.completion_likelihood
        if likelihood not in ("有可能", "完全不可能"):
            continue
        if not indicator.deviation_cause:
            yield _unfilled(
                RuleId.MONITOR_DEVIATION, E, indicator, "deviation_cause",
                f"完成可能性为“{likelihood}”，偏差原因未选：请选择经费保障、制度保障、"
                "人员保障、硬件条件保障或其他。",
            )  # fmt: skip
        if not _text(indicator.improvement_measures):
            yield _unfilled(
                RuleId.MONITOR_DEVIATION, E, indicator, "improvement_measures",
                f"完成可能性为“{likelihood}”，改进措施未填：请写明为完成指标值将采取的措施。",
            )  # fmt: skip


def _checkpoint_month(label: str) -> int | None:
    """The month of a 资金支出计划 checkpoint label (``6月底`` → 6), None if it names none."""
    found = _MONTH.search(label)
    month = int(found.group(1)) if found else 0
    return month if 1 <= month <= 12 else None


def expected_progress(project: BudgetProject, month: int) -> tuple[Decimal, str]:
    """The share of its 预算数 (percent) ``project`` should have spent by the end of
    ``month`` (1–12), and what that share is, in words.

    From the project's own 资金支出计划 when every checkpoint has a month and a percent:
    the cumulative percent at that month, read between two checkpoints on a straight line
    from the one before (0% at the start of the year) — ``计划支出进度``. Otherwise the
    序时进度, the month's share of the year (month ÷ 12 × 100, as budget execution reports
    write it: 截至7月底 … 低于序时进度 … 个百分点). Percent to the hundredth.
    """
    points: list[tuple[int, Decimal]] = [(0, Decimal(0))]
    for checkpoint in project.disbursement_plan:
        at = _checkpoint_month(checkpoint.label)
        if at is None or checkpoint.cumulative_percent is None:
            points = []
            break
        points.append((at, checkpoint.cumulative_percent))
    points.sort()
    for (start, low), (end, high) in pairwise(points):
        if start < month <= end:
            share = low + (high - low) * (month - start) / (end - start)
            return share.quantize(Decimal("0.01")), "资金支出计划的进度"
    return (Decimal(month) * 100 / 12).quantize(Decimal("0.01")), "序时进度"


@rule(RuleId.MONITOR_PACE, stages=(MONITOR,))
def execution_pace(declaration: Declaration) -> Iterator[Finding]:
    """监控: a project's 执行率 (预算执行数 ÷ 预算数) is not ``PACE_TOLERANCE`` (10)
    percentage points or more behind the progress expected at the 截至 month
    (``expected_progress``: the project's own 资金支出计划, else the 序时进度), 警告.

    Source: 财预〔2019〕136号 (monitoring compares the 预算执行 with its plan and the
    targets, and a deviation is explained and corrected); the 序时进度 as the month's share
    of the year is how budget execution is reported (a published 通报: “截至7月底…完成预算
    的56.47%，支出进度低于序时进度1.53个百分点”, bdt.semi.ac.cn; a unit's rule: 6月30日
    at least 50%, 9月30日 75%, dxmuju.com). The gap that counts as far behind is our
    choice: no regulation fixing it was found (one city summoned the units at or below
    60% at the end of the third quarter, 15 points behind, czj.shuozhou.gov.cn); 10 points
    flags a project a reviewer would ask about, and the clerk may explain it in writing
    (a purchase paid on delivery).
    """
    month = declaration.monitoring_month
    if month is None:
        return
    for project in declaration.budget_projects:
        rate = project_execution_rate(project, MONITOR)
        if rate is None:
            continue  # the 预算执行数 or the 预算数 is missing: other rules say so
        expected, basis = expected_progress(project, month)
        if rate <= expected - PACE_TOLERANCE:
            yield _finding(
                RuleId.MONITOR_PACE, W, project, "executed_to_date",
                f"截至{month}月底执行率 {weight_text(rate)}%（预算执行数 "
                f"{weight_text(project.executed_to_date)} 万元 ÷ 预算数 "
                f"{weight_text(project.budget_amount)} 万元），比{basis} "
                f"{weight_text(expected)}% 落后 {weight_text(expected - rate)} 个百分点：请核对"
                "预算执行数；确实滞后的，请写明说明（原因和加快支出的措施）。",
            )  # fmt: skip


# -- 自评 --------------------------------------------------------------------------------------
def _judged(indicator: Indicator, fiscal_year: int | None) -> IndicatorScore:
    """``indicator`` scored by the 自评 rules (``scoring.indicator_score``) against a whole
    of ``_WHOLE``, without the clerk's 得分: less than the whole is a missed target."""
    return indicator_score(
        target_value=indicator.target_value,
        actual_value=indicator.actual_value,
        weight=_WHOLE,
        direction=indicator.direction,
        achievement_grade=indicator.achievement_grade,
        fiscal_year=fiscal_year,
    )


@rule(RuleId.EVALUATE_ACTUAL, stages=(EVALUATE,))
def actual_values_given(declaration: Declaration) -> Iterator[Finding]:
    """自评: each filled indicator (not 不适用) has its 实际完成值 (待填写, an 错误 at print);
    a 定量 one's reads as a number in the 指标值's unit (警告 otherwise: it cannot be scored
    by the ratio rule).

    Source: form (the 项目支出绩效自评表 has 实际完成值 beside each 年度指标值,
    财预〔2020〕10号 附件; the 定量 score is 实际完成值 ÷ 指标值 × 分值, ``models/scoring``).
    """
    for indicator in _applicable(declaration):
        if not _text(indicator.actual_value):
            yield _unfilled(
                RuleId.EVALUATE_ACTUAL, E, indicator, "actual_value",
                "实际完成值未填：请填写全年实际完成的值（如 330辆、98%、2022年11月底）；"
                "本年度不适用的指标，请在“达成度”中选“不适用”。",
            )  # fmt: skip
            continue
        for missing in _judged(indicator, declaration.fiscal_year).missing:
            if missing.kind in (MissingKind.ACTUAL_UNREADABLE, MissingKind.UNIT_MISMATCH):
                yield _finding(
                    RuleId.EVALUATE_ACTUAL, W, indicator, "actual_value",
                    f"{missing.kind.value}：{missing.detail}，否则无法按比例计分。",
                )  # fmt: skip


@rule(RuleId.EVALUATE_DEVIATION, stages=(EVALUATE,))
def missed_targets_explained(declaration: Declaration) -> Iterator[Finding]:
    """自评: an indicator whose target was missed has its 偏差原因分析及改进措施 (待填写,
    an 错误 at print). Missed: scored by the 自评 rules below its whole 分值 — a 正向
    实际完成值 below the 指标值, a 反向 one above it, a date later than the deadline, a
    达成度 of 部分达成 or 未达成 (``models/scoring``, read by ``values.parse_target_value``).

    Source: form (the 项目支出绩效自评表's column 偏差原因分析及改进措施, 财预〔2020〕10号
    附件: filled for the indicators not met).
    """
    for indicator in _applicable(declaration):
        judged = _judged(indicator, declaration.fiscal_year)
        if judged.score is None or judged.score >= _WHOLE:
            continue
        if _text(indicator.deviation_analysis):
            continue
        if indicator.achievement_grade in ("部分达成", "未达成"):
            what = f"达成度为“{indicator.achievement_grade}”"
        else:
            what = (
                f"未完成年度指标值（指标值“{_text(indicator.target_value)}”，"
                f"实际完成值“{_text(indicator.actual_value)}”）"
            )
        yield _unfilled(
            RuleId.EVALUATE_DEVIATION, E, indicator, "deviation_analysis",
            f"{what}：请在“偏差原因分析及改进措施”中写明未完成的原因和改进措施。",
        )  # fmt: skip


@rule(RuleId.EVALUATE_GRADE, stages=(EVALUATE,))
def qualitative_graded(declaration: Declaration) -> Iterator[Finding]:
    """自评: a 定性 indicator (words as 指标值, or a date whose 实际完成值 is no date) and
    one whose 指标值 reads as no single number have a 达成度 (待填写, an 错误 at print).

    Source: the 自评 scoring (财预〔2020〕10号 第十五条 as the provinces quote it: a
    定性 indicator is scored by its grade — 达成, 部分达成, 未达成; ``models/scoring``).
    A date target with a date as 实际完成值 is scored by the dates and needs none; one
    with no 实际完成值 yet is ``evaluate.actual``'s.
    """
    for indicator in _applicable(declaration):
        if not _text(indicator.actual_value) and parse_target_value(indicator.target_value).is_time:
            continue
        for missing in _judged(indicator, declaration.fiscal_year).missing:
            if missing.kind in (MissingKind.ACHIEVEMENT_GRADE, MissingKind.TARGET_UNREADABLE):
                yield _unfilled(
                    RuleId.EVALUATE_GRADE, E, indicator, "achievement_grade",
                    f"{missing.kind.value}：{missing.detail}。",
                )  # fmt: skip


@rule(RuleId.EVALUATE_SCORE, stages=(EVALUATE,))
def scores_within_weights(declaration: Declaration) -> Iterator[Finding]:
    """自评: a 得分 the clerk typed is not above the indicator's 分值
    (``scoring.indicator_weights``), 错误.

    Source: the 自评 scoring (财预〔2020〕10号 第十五条 as quoted: a met target earns the
    indicator's whole 分值, never more; ``models/scoring`` caps every computed score).
    """
    for project in declaration.budget_projects:
        weights = indicator_weights(project)[1]
        for indicator, weight in zip(project.indicators, weights, strict=True):
            score = indicator.score
            if score is None or weight is None or score <= weight:
                continue
            if indicator.achievement_grade == NOT_APPLICABLE:
                continue  # not scored at all: its 得分 is not counted
            yield _finding(
                RuleId.EVALUATE_SCORE, E, indicator, "score",
                f"得分 {weight_text(score)} 超过了该指标的分值 {weight_text(weight)}："
                "得分不能高于分值，请改正（清空则按规则计算）。",
            )  # fmt: skip


@rule(RuleId.EVALUATE_EXECUTION, stages=(EVALUATE,))
def annual_execution_given(declaration: Declaration) -> Iterator[Finding]:
    """自评: each project's 全年执行数 is given (待填写, an 错误 at print) and not above its
    全年预算数 (empty: the declared 预算数), 错误.

    Source: form (the 项目支出绩效自评表: 全年预算数 (A), 全年执行数 (B), 执行率 (B/A),
    财预〔2020〕10号 附件) and the budget law (no spending beyond the budget: a budget
    raised during the year is the 全年预算数).
    """
    for project in declaration.budget_projects:
        budget, executed = execution_amounts(project, EVALUATE)
        if executed is None:
            yield _unfilled(
                RuleId.EVALUATE_EXECUTION, E, project, "annual_executed",
                "全年执行数未填：请填写该项目全年实际支出的金额（万元）。",
            )  # fmt: skip
            continue
        if budget is not None and executed > budget:
            field = "annual_budget" if project.annual_budget is not None else "budget_amount"
            yield _finding(
                RuleId.EVALUATE_EXECUTION, E, project, "annual_executed",
                f"全年执行数 {weight_text(executed)} 万元超过了"
                f"{FIELD_LABELS[BudgetProject][field]} {weight_text(budget)} 万元：年中追加了"
                "预算的，请在“全年预算数”中填写调整后的预算数；否则请核对全年执行数。",
            )  # fmt: skip


# -- 目标调整 ----------------------------------------------------------------------------------
def _shown(value: object) -> str:
    """A field's value as a 目标调整 records it: text stripped, a number without trailing
    zeros (``10.50`` → ``10.5``), "" for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return weight_text(value)
    return str(value).strip()


def _same(now: str, recorded: str) -> bool:
    """Whether a value now and a recorded text say the same: equal text, or equal numbers."""
    if now == recorded.strip():
        return True
    try:
        return Decimal(now) == Decimal(recorded.strip())
    except (InvalidOperation, ValueError):
        return False


@rule(RuleId.ADJUSTMENT, stages=(MONITOR, EVALUATE))
def changes_recorded(declaration: Declaration) -> Iterator[Finding]:
    """From 监控 on, a declared target changed only by a 目标调整: for each row and field
    that has 目标调整 records (in their order), each record starts from the text the one
    before left (警告 otherwise), and the value now is the last record's 调整后 (错误
    otherwise: changed again without a record).

    Source: the frozen targets of #20 (财预〔2019〕136号: a target is adjusted during the
    year only by the procedure, with its reason). Decision — the records' own chain is
    the evidence, not the content history (``storage/history.py``): the review sees the
    declaration only (no storage), and the history holds whole-project hashes in which the
    stage fields the clerk fills all year change too, so it cannot tell a changed target
    from a filled 实际完成值. Limit: a target changed with no record at all leaves no
    trace in the file (``services/freezing.py`` refuses such an edit from 监控 on; a file
    made by another program is not caught), and a row never adjusted is not checked.
    """
    rows: dict[str, SyncedRow] = {}
    for project in declaration.budget_projects:
        rows[project.uuid] = project
        rows.update((i.uuid, i) for i in project.indicators)
    chains: dict[tuple[str, str], list[TargetAdjustment]] = {}
    for adjustment in declaration.target_adjustments:
        chains.setdefault((adjustment.row_uuid, adjustment.field), []).append(adjustment)
    for (row_uuid, field), records in chains.items():
        row = rows.get(row_uuid)
        if row is None or field not in FIELD_LABELS[type(row)]:
            continue  # the row was removed since: nothing to compare
        yield from _chain_findings(row, field, records)


def _chain_findings(
    row: SyncedRow, field: str, records: list[TargetAdjustment]
) -> Iterator[Finding]:
    label = FIELD_LABELS[type(row)][field]
    for before, after in pairwise(records):
        if not _same(_text(before.new_text), after.old_text):
            yield _finding(
                RuleId.ADJUSTMENT, W, row, field,
                f"{label}的目标调整记录前后不接：{before.adjusted_on}调整后为"
                f"“{_text(before.new_text)}”，{after.adjusted_on}的调整却从"
                f"“{_text(after.old_text)}”开始，其间的改动没有记录。请补记这次改动的目标调整"
                "（调整原因、日期）。",
            )  # fmt: skip
    last = records[-1]
    now = _shown(getattr(row, field))
    if not _same(now, last.new_text):
        yield _finding(
            RuleId.ADJUSTMENT, E, row, field,
            f"{label}现为“{now}”，与最后一次目标调整（{last.adjusted_on}）后的"
            f"“{_text(last.new_text)}”不同：申报后改动目标须登记目标调整（调整原因、日期）。"
            f"请为这次改动登记目标调整，或改回“{_text(last.new_text)}”。",
        )  # fmt: skip
