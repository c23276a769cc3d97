"""Scoring of the 绩效自评 (year-end self-evaluation): per budget project the 预算执行率's
score, each indicator's 得分 with how it was computed (a short Chinese explanation for the
grid's tooltip and ``jixiao score``), the total and the grade (优/良/中/差); what is
missing for a score is returned as data (``Missing``) naming the row, never raised.

Must not import Qt, sessions or anything from storage/services. The rules are plain
functions of plain values (``execution_score``, ``indicator_score``, ``quantitative_score``,
``qualitative_score``, ``deadline_score``, ``respread_weights``, ``grade_of``);
``project_scores`` reads them off a ``BudgetProject`` (for the grid's tooltip and the CLI).

The rules and where they come from (the stored public corpora were searched; what was
not found there is said):

- 分值: 执行率 10, 产出指标 50, 效益指标 30, 满意度指标 10, the indicators' default
  分值 spread over each 一级指标 (``indicator_fields.effective_weights``, its sources there).
- 预算执行率 = 全年执行数 ÷ 全年预算数 (全年预算数 empty: the declared 预算数), its score
  执行率 × 分值 10: published 自评表 print “得分（20分*执行率）” beside 执行率(B/A)
  (区商务局 2020年市级服务贸易发展资金项目自评表, kunmingchi.com) and 执行率 with 分值 10
  (池州市贵池区棠溪镇 2022 项目支出绩效自评表). An 执行率 over 100% scores the full 分值
  (“按完成比例计算得分，满分为止”, a published 部门整体支出 考评表, wanglu.net); the
  wording of 财预〔2020〕10号 on 执行率 was not found in the corpora.
- 定量, 正向 (指标值 ≥, or no sign): 实际完成值 ÷ 指标值 × 分值; 反向 (≤): 指标值 ÷
  实际完成值 × 分值; never above 分值 (a met target earns the full 分值). Source: a
  published 项目支出绩效自评表's notes (“正常指标（即指标值为≥*）…全年实际值÷年度指标值×
  该指标分值；…反向指标（即指标值≤*）…年度指标值÷全年实际值×该指标分值”,
  biz.doczj.com/doc/174893555.html); the cap, 财预〔2020〕10号 第十五条 as quoted by the
  provinces (“完成指标值的，记该指标所赋全部分值；…未完成指标值的，按照完成值与指标值的
  比例记分”): that wording itself was not found in the corpora. Its further clause (a
  target exceeded by much because it was set too low may be marked down by the 偏离度) is
  a judgement, left to the clerk's 得分.
- 定性: by the 达成度 the clerk chose. The three bands (达成年度指标 100–80%（含）,
  部分达成年度指标并具有一定效果 80–60%（含）, 未达成年度指标且效果较差 60–0% of 分值)
  are 财预〔2020〕10号 第十五条 as widely quoted; not found in the stored corpora. The
  place within a band is the evaluator's (“合理确定分值”), so the program computes 达成
  as the full 分值 (a met target, as 定量; published tables give 达成预期指标 its full
  分值: 池州 2022, 8 of 8) and 部分达成 and 未达成 as their band's lowest inclusive bound
  (60% and 0%): no more than the grade ensures; the clerk who judges more types the 得分.
- 时效 (a date or period as 指标值, read as 定性 by ``indicator_fields``): scored by the
  达成度 when one is chosen; otherwise the 实际完成值 is read as a date and compared: on
  or before the 指标值's last day (a month's last day, a quarter's, the fiscal year's,
  a period's end) is the full 分值 (“在计划时间内完成的，得满分”: 财政部《中央级行政经费
  项目支出绩效考评管理办法（试行）》附2 考评计分办法, 项目完成进度, lygzb.net), later 0.
  That older scheme deducts for lateness in proportion (每相差4%扣1分); no rule of the
  current 自评 was found, so lateness is 0 here and a milder judgement is the clerk's 得分.
- 不适用: the indicator is not scored and its 分值 goes to the other indicators of its
  一级指标 in proportion to their 分值, so each 一级指标 keeps its share; where none of
  its 一级指标 is left, to every scored indicator of the project. Source: the same
  published notes, “对于不适用部分评价对象的评价指标，不考核该指标，用适用指标得分汇总
  后按百分制对该项目折算计分” (the whole project re-scaled to 100); kept within the
  一级指标 first because 财预〔2020〕10号 fixes the 一级指标 shares.
- The clerk's 得分 replaces the computed one; one above its 分值 is used but flagged
  (``IndicatorScore.above_weight``).
- Grade: 优 90–100, 良 80–89, 中 60–79, 差 0–59 (90（含）, 80（含）, 60（含）): 财政部预算司's
  bands for 绩效评价结果 (dz-gczx.com, “优(90-100分)、良(80-89分)、中(60-79分)、差(0-59分)”).
- Scores are kept to the hundredth (half up), as published 自评表 write them; the total
  is the sum of the rounded scores, as a reviewer adds the printed column.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect

from desktop.models.declaration import BudgetProject, Declaration, Indicator
from desktop.models.indicator_fields import (
    BUDGET_EXECUTION_WEIGHT,
    WeightedRow,
    default_direction,
    effective_weights,
    read_structured,
    scheme_level1,
    weight_text,
)
from desktop.models.labels import place_of, row_place
from desktop.models.stages import ACHIEVEMENT_GRADES, NOT_APPLICABLE
from desktop.models.values import MONEY_UNITS, TargetValue, parse_target_value

#: 达成度 of a 定性 indicator (``Indicator.achievement_grade``, ``stages.ACHIEVEMENT_GRADES``).
ACHIEVED, PARTLY_ACHIEVED, NOT_ACHIEVED = ACHIEVEMENT_GRADES[:3]
#: The share of 分值 a 达成度 gives (module docstring: the band's top for 达成, the
#: lowest inclusive bound for the others) and its band (low, high) in the rule's words.
GRADE_SHARES = {ACHIEVED: Decimal(1), PARTLY_ACHIEVED: Decimal("0.6"), NOT_ACHIEVED: Decimal(0)}
GRADE_BANDS = {
    ACHIEVED: (Decimal("0.8"), Decimal(1)),
    PARTLY_ACHIEVED: (Decimal("0.6"), Decimal("0.8")),
    NOT_ACHIEVED: (Decimal(0), Decimal("0.6")),
}
#: The grades of a total (优/良/中/差) and the lowest total of each, highest first.
GRADE_BOUNDS = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class MissingKind(Enum):
    """What a score lacks; the value is the clerk's words for it."""

    ACTUAL_VALUE = "未填实际完成值"
    ACTUAL_UNREADABLE = "实际完成值读不出数值"
    UNIT_MISMATCH = "实际完成值的计量单位与指标值不同"
    ACHIEVEMENT_GRADE = "未选达成度"
    TARGET_UNREADABLE = "指标值读不出一个数值"
    WEIGHT = "没有分值"
    ANNUAL_EXECUTED = "未填全年执行数"
    ANNUAL_BUDGET = "没有全年预算数"


@dataclass(frozen=True)
class Missing:
    """Data a score needs and lacks: its ``kind``, the ``field`` of the row to fill (model
    attribute name), the row (``row_uuid``; ``place`` in the clerk's words,
    ``labels.row_place``: 项目“接待管理经费”第3行指标) and ``detail`` (what to do, Chinese)."""

    kind: MissingKind
    field: str
    detail: str = ""
    row_uuid: str = ""
    place: str = ""

    def words(self) -> str:
        """The whole of it in Chinese: 项目“…”第3行指标：未填实际完成值（…）."""
        detail = f"（{self.detail}）" if self.detail else ""
        return f"{self.place}：{self.kind.value}{detail}" if self.place else self.kind.value

    def as_dict(self) -> dict[str, str]:
        """The JSON shape (``jixiao score --json``)."""
        return {
            "kind": self.kind.name.lower(),
            "field": self.field,
            "place": self.place,
            "row_uuid": self.row_uuid,
            "message": self.words(),
        }


@dataclass(frozen=True)
class IndicatorScore:
    """The 得分 of one indicator: ``score`` (points, to the hundredth; None when data is
    missing or it is not scored), ``weight`` (its 分值 after 不适用 re-spreading; None: no
    分值), ``explanation`` (how, in Chinese), ``missing`` (what it lacks). ``excluded``: 不适用
    (or a blank row), not counted. ``overridden``: the clerk's 得分, ``computed`` then the
    rule's own result (None if it could not be computed); ``above_weight``: that 得分 is
    more than the 分值 (flagged, still used)."""

    score: Decimal | None
    weight: Decimal | None
    explanation: str
    missing: tuple[Missing, ...] = ()
    excluded: bool = False
    overridden: bool = False
    above_weight: bool = False
    computed: Decimal | None = None
    #: the row (set by ``project_scores``): its UUID, place (第3行指标) and 三级指标
    row_uuid: str = ""
    place: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: numbers as text (exact decimals)."""
        return {
            "row_uuid": self.row_uuid,
            "place": self.place,
            "name": self.name,
            "score": _text(self.score),
            "weight": _text(self.weight),
            "explanation": self.explanation,
            "excluded": self.excluded,
            "overridden": self.overridden,
            "above_weight": self.above_weight,
            "missing": [m.as_dict() for m in self.missing],
        }


@dataclass(frozen=True)
class ExecutionScore:
    """The 预算执行率 and its score: ``rate`` in percent (to the hundredth; None when it
    cannot be computed), ``score`` of ``weight`` (10), ``explanation``, ``missing``."""

    rate: Decimal | None
    score: Decimal | None
    weight: Decimal
    explanation: str
    missing: tuple[Missing, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: numbers as text."""
        return {
            "rate_percent": _text(self.rate),
            "score": _text(self.score),
            "weight": _text(self.weight),
            "explanation": self.explanation,
            "missing": [m.as_dict() for m in self.missing],
        }


@dataclass(frozen=True)
class ProjectScore:
    """A budget project's 自评 score: its ``execution`` (执行率), ``indicators`` (one per
    indicator row in grid order, None for a blank row), ``total`` (the sum of the scores
    there are, points), ``grade`` (优/良/中/差; "" while anything is missing) and
    ``missing`` (everything missing, in form order)."""

    project_uuid: str
    name: str
    place: str
    execution: ExecutionScore
    indicators: tuple[IndicatorScore | None, ...]
    total: Decimal
    grade: str
    missing: tuple[Missing, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Every score could be computed (nothing missing)."""
        return not self.missing

    def explanation(self) -> str:
        """How the total and grade came about, in Chinese."""
        counted = sum(1 for s in self.indicators if s is not None and not s.excluded)
        head = f"执行率得分 {_text(self.execution.score) or '—'} + {counted} 项指标得分"
        if not self.complete:
            return f"{head}，已计 {_text(self.total)} 分；缺 {len(self.missing)} 项数据，不评等级"
        return f"{head} = {_text(self.total)} 分，{grade_band_words(self.grade)}"


def _text(number: Decimal | None) -> str:
    """A number as shown: ``16.67``, ``10`` (no trailing zeros); "" for None."""
    return weight_text(number) if number is not None else ""


def points(number: Decimal) -> Decimal:
    """Points to the hundredth, half up (16.9265 → 16.93)."""
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def grade_of(total: Decimal) -> str:
    """The grade of a total score (points of 100): 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差
    (财政部预算司's bands, module docstring)."""
    return next(grade for bound, grade in GRADE_BOUNDS if total >= bound)


def grade_band_words(grade: str) -> str:
    """The band of a grade in words: 优 → “90 分（含）以上为优”."""
    words = {
        "优": "90 分（含）以上为优",
        "良": "80 分（含）至 90 分为良",
        "中": "60 分（含）至 80 分为中",
        "差": "60 分以下为差",
    }
    return words[grade]


# -- 预算执行率 -----------------------------------------------------------------------------


def execution_score(
    budget: Decimal | None,
    executed: Decimal | None,
    weight: Decimal = BUDGET_EXECUTION_WEIGHT,
) -> ExecutionScore:
    """The 预算执行率 (``executed`` ÷ ``budget``, both 万元: 全年执行数 and 全年预算数)
    and its score, 执行率 × ``weight``, the full ``weight`` from 100% up, 0 for a
    negative 执行数. Missing: ``executed`` None (ANNUAL_EXECUTED), ``budget`` None or not
    above 0 (ANNUAL_BUDGET). Source: module docstring."""
    missing: list[Missing] = []
    if executed is None:
        missing.append(Missing(MissingKind.ANNUAL_EXECUTED, "annual_executed", "请填写全年执行数"))
    if budget is None or budget <= 0:
        missing.append(
            Missing(
                MissingKind.ANNUAL_BUDGET,
                "annual_budget",
                "请填写全年预算数（或预算数），须大于 0",
            )
        )
    if missing or executed is None or budget is None:
        return ExecutionScore(None, None, weight, "缺少数据，无法计算执行率", tuple(missing))
    ratio = executed / budget
    rate = points(ratio * _HUNDRED)
    head = f"全年执行数 {_text(executed)} ÷ 全年预算数 {_text(budget)} = {_text(rate)}%"
    if ratio >= 1:
        return ExecutionScore(
            rate, points(weight), weight, f"{head}，达到 100%，得满分 {_text(weight)}"
        )
    score = points(max(ratio, Decimal(0)) * weight)
    return ExecutionScore(rate, score, weight, f"{head}，× 分值 {_text(weight)} = {_text(score)}")


# -- 定量 ------------------------------------------------------------------------------


def quantitative_score(
    actual: Decimal, target: Decimal, weight: Decimal, direction: str, unit: str = ""
) -> tuple[Decimal, str]:
    """The score of a 定量 indicator and how: 正向 ``actual`` ÷ ``target`` × ``weight``,
    反向 ``target`` ÷ ``actual`` × ``weight`` (``direction`` 正向/反向), never above
    ``weight`` nor below 0. Where the ratio means nothing: 正向 with a target of 0 or less
    scores the full weight when ``actual`` reaches it, else 0; 反向 scores the full weight
    when ``actual`` is at most the target (0 complaints for ≤ 3), else 0 where either is 0
    or less. ``unit`` is written after the numbers. Returns (points, explanation)."""
    a, t, w = f"{_text(actual)}{unit}", f"{_text(target)}{unit}", _text(weight)
    if direction == "反向":
        if actual <= target:
            return points(weight), f"实际完成值 {a} 不高于指标值 {t}（反向指标），得满分 {w}"
        if target <= 0:
            return Decimal(0), f"实际完成值 {a} 高于指标值 {t}（反向指标，无法按比例），得 0"
        raw = target / actual * weight
        return points(raw), f"指标值 {t} ÷ 实际完成值 {a} × 分值 {w} = {_text(points(raw))}"
    if target <= 0:
        if actual >= target:
            return points(weight), f"实际完成值 {a} 达到指标值 {t}，得满分 {w}"
        return Decimal(0), f"实际完成值 {a} 低于指标值 {t}（无法按比例），得 0"
    raw = actual / target * weight
    head = f"实际完成值 {a} ÷ 指标值 {t} × 分值 {w} = {_text(points(raw))}"
    if raw > weight:
        return points(weight), f"{head}，封顶 {w}"
    if raw < 0:
        return Decimal(0), f"{head}，不低于 0，得 0"
    return points(raw), head


def qualitative_score(grade: str, weight: Decimal) -> tuple[Decimal, str]:
    """The score of a 达成度 ``grade`` (达成, 部分达成, 未达成): ``GRADE_SHARES`` of
    ``weight``, and how (naming the band). Raises ``KeyError`` for another grade."""
    share = GRADE_SHARES[grade]
    low, high = GRADE_BANDS[grade]
    score = points(share * weight)
    band = f"{_text(low * _HUNDRED)}%～{_text(high * _HUNDRED)}%"
    if grade == ACHIEVED:
        return score, f"达成年度指标（{band} 分值），得满分 {_text(weight)}"
    return score, (
        f"{grade}年度指标（{band} 分值），按 {_text(share * _HUNDRED)}% × 分值 "
        f"{_text(weight)} = {_text(score)}；如评价更高，请在该区间内填写得分"
    )


# -- 时效 (dates) ----------------------------------------------------------------------


def last_day(value: TargetValue, fiscal_year: int | None) -> date | None:
    """The last day a date or period reading names: 2022年12月底 → 2022-12-31, 2022年第三
    季度 → 2022-09-30, 2022年 → 2022-12-31, 2023.07-2024.01 → 2024-01-31; a missing year
    is ``fiscal_year``. None for another kind or no year at all."""
    if value.kind == "period":
        year, month, day = value.end_year, value.end_month, None
    elif value.kind == "date":
        year, day = value.year or fiscal_year, value.day
        month = value.quarter * 3 if value.quarter else value.month or 12
    else:
        return None
    if year is None or month is None:
        return None
    end = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or end, end))


def deadline_score(
    target: TargetValue, actual: TargetValue, weight: Decimal, fiscal_year: int | None = None
) -> tuple[Decimal, str] | None:
    """A 时效 indicator scored by dates: ``actual`` on or before ``target``'s last day
    (``last_day``) is the full ``weight``, later 0 (module docstring: our decision). None
    when either is no date."""
    due, done = last_day(target, fiscal_year), last_day(actual, fiscal_year)
    if due is None or done is None:
        return None
    when = f"实际完成 {_day(done)}"
    if done <= due:
        return points(weight), f"{when} 不晚于指标值 {_day(due)}，得满分 {_text(weight)}"
    return Decimal(0), f"{when} 晚于指标值 {_day(due)}，得 0"


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- one indicator ---------------------------------------------------------------------


def _in_target_unit(target: TargetValue, actual: TargetValue) -> Decimal | MissingKind:
    """The number of ``actual`` in the unit of ``target`` (money in 万元 both; a bare
    number is taken in the target's unit), or why it cannot be compared."""
    if actual.kind not in ("quantity", "money", "percent") or actual.number is None:
        return MissingKind.ACTUAL_UNREADABLE
    if actual.extra_unit:
        return MissingKind.ACTUAL_UNREADABLE
    if target.kind == "money":
        factor = MONEY_UNITS[target.unit]
        if actual.kind == "money":
            return actual.number * MONEY_UNITS[actual.unit] / factor
        return (
            actual.number
            if actual.kind == "quantity" and not actual.unit
            else MissingKind.UNIT_MISMATCH
        )
    if target.kind == "percent":
        if actual.kind == "percent" or (actual.kind == "quantity" and not actual.unit):
            return actual.number
        return MissingKind.UNIT_MISMATCH
    if actual.kind == "quantity" and actual.unit in ("", target.unit):
        return actual.number
    return MissingKind.UNIT_MISMATCH


def _unit_words(value: TargetValue) -> str:
    if value.kind == "percent":
        return "%"
    return "万元" if value.unit == "万" else value.unit


def indicator_score(
    *,
    target_value: str,
    actual_value: str,
    weight: Decimal | None,
    direction: str = "",
    achievement_grade: str = "",
    score: Decimal | None = None,
    fiscal_year: int | None = None,
) -> IndicatorScore:
    """The 得分 of one indicator from plain values: its 指标值 and 实际完成值 texts (read by
    the one value reader, ``values.parse_target_value``), its 分值 (``weight``; after
    不适用 re-spreading), 指标方向 (``direction``; "" = by the sign), 达成度
    (``achievement_grade``) and the clerk's ``score`` (None: computed). Never raises:
    what is missing is in ``IndicatorScore.missing`` (without the row's place; see
    ``project_scores``). Rules and sources: the module docstring.

    Order: 不适用 → excluded; a 定量 指标值 with a readable 实际完成值 → the ratio rule;
    a 达成度 → its band (also for a 定量 indicator without a readable number); a date →
    the dates compared; else what is missing.
    """
    if achievement_grade == NOT_APPLICABLE:
        note = "；已填的得分不计入" if score is not None else ""
        return IndicatorScore(
            None, weight, f"不适用，不计分，分值并入同级指标{note}", excluded=True
        )
    if weight is None:
        gap = Missing(MissingKind.WEIGHT, "weight", "一级指标不在自评分值方案中，请填写分值")
        return _with_override(IndicatorScore(None, None, "没有分值，无法计分", (gap,)), score)
    computed = _computed(
        target_value, actual_value, weight, direction, achievement_grade, fiscal_year
    )
    return _with_override(computed, score)


def _computed(
    target_value: str,
    actual_value: str,
    weight: Decimal,
    direction: str,
    grade: str,
    fiscal_year: int | None,
) -> IndicatorScore:
    """``indicator_score`` without the 不适用 and override cases."""
    structured = read_structured(target_value)
    target = parse_target_value(target_value)
    actual = parse_target_value(actual_value)
    graded = grade in GRADE_SHARES
    if structured.indicator_nature == "定量" and structured.target_number is not None:
        if actual.kind == "empty" and not graded:
            gap = Missing(MissingKind.ACTUAL_VALUE, "actual_value", "请填写实际完成值")
            return IndicatorScore(None, weight, "未填实际完成值，无法计分", (gap,))
        number = _in_target_unit(target, actual) if actual.kind != "empty" else None
        if isinstance(number, Decimal):
            target_number = target.number if target.number is not None else structured.target_number
            chosen = direction or default_direction(structured.comparison)
            got, how = quantitative_score(
                number, target_number, weight, chosen, _unit_words(target)
            )
            return IndicatorScore(got, weight, how)
        if graded:
            got, how = qualitative_score(grade, weight)
            return IndicatorScore(got, weight, f"实际完成值无可比的数值，按达成度：{how}")
        kind = number if isinstance(number, MissingKind) else MissingKind.ACTUAL_UNREADABLE
        detail = (
            f"指标值为“{target_value.strip()}”，实际完成值为“{actual_value.strip()}”："
            "请写成同一计量单位的数值，或选择达成度"
        )
        return IndicatorScore(
            None, weight, f"{kind.value}，无法计分", (Missing(kind, "actual_value", detail),)
        )
    if graded:
        got, how = qualitative_score(grade, weight)
        return IndicatorScore(got, weight, how)
    if target.is_time:
        if actual.kind == "empty":
            detail = "时效指标：请填写完成日期（如 2022年11月底）或选择达成度"
            gap = Missing(MissingKind.ACTUAL_VALUE, "actual_value", detail)
            return IndicatorScore(None, weight, "未填实际完成值，无法计分", (gap,))
        found = deadline_score(target, actual, weight, fiscal_year)
        if found is not None:
            return IndicatorScore(found[0], weight, found[1])
    if not structured.readable:
        gap = Missing(
            MissingKind.TARGET_UNREADABLE,
            "achievement_grade",
            f"指标值“{target_value.strip()}”不是一个数值，请选择达成度或填写得分",
        )
        return IndicatorScore(None, weight, "指标值读不出一个数值，无法按比例计分", (gap,))
    what = (
        "时效指标：实际完成值不是日期，请写成日期（如 2022年11月底）或选择达成度"
        if target.is_time
        else "定性指标：请选择达成、部分达成或未达成"
    )
    gap = Missing(MissingKind.ACHIEVEMENT_GRADE, "achievement_grade", what)
    return IndicatorScore(None, weight, "未选达成度，无法计分", (gap,))


def _with_override(computed: IndicatorScore, score: Decimal | None) -> IndicatorScore:
    """``computed``, or the clerk's ``score`` in its place (missing data then does not
    matter), flagged when above the 分值."""
    if score is None:
        return computed
    weight = computed.weight
    above = weight is not None and score > weight
    rule = f"按规则为 {_text(computed.score)}" if computed.score is not None else "按规则无法计算"
    flag = f"；超过分值 {_text(weight)}，请核对" if above else ""
    return IndicatorScore(
        score,
        weight,
        f"得分由填报人填写：{_text(score)}（{rule}）{flag}",
        overridden=True,
        above_weight=above,
        computed=computed.score,
    )


# -- 不适用: re-spreading 分值 ----------------------------------------------------------------


def respread_weights(
    weights: Sequence[Decimal | None], groups: Sequence[str], excluded: Sequence[bool]
) -> list[Decimal | None]:
    """The 分值 of each row after the 不适用 rows' (``excluded``) went to the others: each
    excluded row's weight to the scored rows of the same ``groups`` entry (its scheme
    一级指标, ``indicator_fields.scheme_level1``) in proportion to their weights, or where
    none is left to every scored row. To the hundredth; the cents left over go one each to
    the first rows, so a group keeps its sum exactly. Excluded rows keep their weight;
    None stays None. Source: module docstring (不适用)."""
    out = list(weights)
    scored = [i for i, w in enumerate(weights) if w is not None and not excluded[i]]
    to_spread: dict[str, Decimal] = {}
    for i, w in enumerate(weights):
        if excluded[i] and w:
            to_spread[groups[i]] = to_spread.get(groups[i], Decimal(0)) + w
    everyone = Decimal(0)
    for group, amount in to_spread.items():
        members = [i for i in scored if groups[i] == group and weights[i]]
        if members:
            _add_in_proportion(out, members, amount)
        else:
            everyone += amount
    members = [i for i in scored if weights[i]]
    if everyone and members:
        _add_in_proportion(out, members, everyone)
    return out


def _add_in_proportion(out: list[Decimal | None], members: list[int], amount: Decimal) -> None:
    """Add ``amount`` to ``out``'s ``members`` in proportion to their values, to the cent;
    the cents rounding left over go to the largest remainders (ties: the first rows)."""
    base = {i: out[i] or Decimal(0) for i in members}
    total = sum(base.values(), Decimal(0))
    new_total = total + amount
    exact = {i: base[i] * new_total / total for i in members}
    shares = {i: exact[i].quantize(_CENT, rounding=ROUND_DOWN) for i in members}
    cents = int(((new_total - sum(shares.values(), Decimal(0))) / _CENT).to_integral_value())
    by_remainder = sorted(members, key=lambda i: (-(exact[i] - shares[i]), members.index(i)))
    for i in members:
        out[i] = shares[i] + (_CENT if i in by_remainder[:cents] else 0)


# -- a project ---------------------------------------------------------------------------


def is_filled(indicator: Indicator) -> bool:
    """A row the clerk filled (a 三级指标 or a 指标值); the template's blank rows are not
    scored (nor judged by the 自评 review)."""
    return bool(indicator.level3.strip() or indicator.target_value.strip())


def indicator_weights(project: BudgetProject) -> tuple[list[Decimal | None], list[Decimal | None]]:
    """The 分值 of each indicator row of ``project`` as the 自评 scores it, in grid order:
    (declared, scored) — declared: the chosen or default 分值
    (``indicator_fields.effective_weights``); scored: with the 不适用 rows' spread over
    the others (``respread_weights``). None for a blank row."""
    rows = list(project.indicators)
    base = effective_weights([WeightedRow(i.level1, is_filled(i), i.weight) for i in rows])
    excluded = [is_filled(i) and i.achievement_grade == NOT_APPLICABLE for i in rows]
    return base, respread_weights(base, [scheme_level1(i.level1) for i in rows], excluded)


def evaluation_amounts(project: BudgetProject) -> tuple[Decimal | None, Decimal | None]:
    """(全年预算数, 全年执行数) of ``project`` in 万元, the 自评's 执行率 amounts: the
    全年预算数 empty is the declared 预算数 (STAGES.md; the 项目支出绩效自评表's 全年预算数 A
    and 全年执行数 B, 财预〔2020〕10号 附件)."""
    budget = project.annual_budget
    return (project.budget_amount if budget is None else budget), project.annual_executed


def declaration_scores(declaration: Declaration) -> list[ProjectScore]:
    """``project_scores`` of each budget project of ``declaration``, in form order."""
    return [project_scores(p, declaration.fiscal_year) for p in declaration.budget_projects]


def project_scores(project: BudgetProject, fiscal_year: int | None = None) -> ProjectScore:
    """The 自评 score of ``project`` (its rows loaded): the 执行率 from ``annual_executed``
    and ``annual_budget`` (None: ``budget_amount``), each filled indicator's by
    ``indicator_score`` with its 分值 from ``indicator_weights`` (the explanation says so
    where 不适用 rows' 分值 were spread to it), the total and grade. For the grid's
    tooltip, the 绩效自评表 and ``jixiao score``.

    ``fiscal_year`` dates a 时效 value without a year (default: the declaration's when
    it is loaded — never a query here; else such a date is not compared). Each
    ``Missing`` names its row (``labels.place_of``, as ``row_place`` words it)."""
    if fiscal_year is None and "declaration" not in inspect(project).unloaded:
        fiscal_year = project.declaration.fiscal_year
    place = row_place(project)
    execution = execution_score(*evaluation_amounts(project))
    execution = replace(
        execution,
        missing=tuple(replace(m, row_uuid=project.uuid, place=place) for m in execution.missing),
    )
    declared, weights = indicator_weights(project)
    scores: list[IndicatorScore | None] = []
    for indicator, was, weight in zip(project.indicators, declared, weights, strict=True):
        scores.append(_row_score(indicator, was, weight, place, fiscal_year))
    counted = [s.score for s in scores if s is not None and not s.excluded and s.score is not None]
    total = sum(counted, execution.score or Decimal(0))
    missing = execution.missing + tuple(m for s in scores if s is not None for m in s.missing)
    return ProjectScore(
        project_uuid=project.uuid,
        name=project.name,
        place=place,
        execution=execution,
        indicators=tuple(scores),
        total=total,
        grade="" if missing else grade_of(total),
        missing=missing,
    )


def _row_score(
    indicator: Indicator,
    declared: Decimal | None,
    weight: Decimal | None,
    project_place: str,
    fiscal_year: int | None,
) -> IndicatorScore | None:
    """``indicator_score`` of one row of a project, with its place; None for a blank row."""
    if not is_filled(indicator):
        return None
    found = indicator_score(
        target_value=indicator.target_value,
        actual_value=indicator.actual_value,
        weight=weight,
        direction=indicator.direction,
        achievement_grade=indicator.achievement_grade,
        score=indicator.score,
        fiscal_year=fiscal_year,
    )
    where = place_of(Indicator, indicator.position, inside=project_place)  # no lazy load
    how = found.explanation
    if weight != declared and not found.excluded:
        how += f"（分值 {_text(weight)} 含不适用指标并入的分值，原为 {_text(declared)}）"
    return replace(
        found,
        explanation=how,
        missing=tuple(replace(m, row_uuid=indicator.uuid, place=where) for m in found.missing),
        row_uuid=indicator.uuid,
        place=where,
        name=indicator.level3,
    )
