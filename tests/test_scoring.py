"""The 自评 scoring rules (desktop/models/scoring.py), each on plain values: 执行率, 定量
正向/反向 with the cap, zero and negative values, 定性 by 达成度, dates, 不适用 re-spreading,
the clerk's 得分 above its 分值, grades, and what is reported missing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring import (
    MissingKind,
    execution_score,
    grade_of,
    indicator_score,
    qualitative_score,
    quantitative_score,
    respread_weights,
)

D = Decimal


def test_execution_score_is_rate_times_weight() -> None:
    """执行率 = 执行数 ÷ 预算数; its score 执行率 × 10, to the hundredth."""
    found = execution_score(D("184"), D("180"))
    # 180 / 184 = 0.97826…: 97.83%, 9.7826… → 9.78
    assert (found.rate, found.score, found.weight) == (D("97.83"), D("9.78"), D(10))
    assert found.explanation == "全年执行数 180 ÷ 全年预算数 184 = 97.83%，× 分值 10 = 9.78"
    assert not found.missing


def test_execution_score_capped_at_weight() -> None:
    """An 执行率 over 100% earns the full 10, not more."""
    found = execution_score(D("190"), D("195"))
    assert (found.rate, found.score) == (D("102.63"), D(10))
    assert "得满分 10" in found.explanation


def test_execution_score_negative_and_missing() -> None:
    """A negative 执行数 scores 0; a missing 执行数 or a 预算数 of 0 is reported, not raised."""
    assert execution_score(D("100"), D("-5")).score == D(0)
    missing = execution_score(D("0"), None)
    assert missing.score is None and missing.rate is None
    assert [m.kind for m in missing.missing] == [
        MissingKind.ANNUAL_EXECUTED,
        MissingKind.ANNUAL_BUDGET,
    ]
    assert [m.field for m in missing.missing] == ["annual_executed", "annual_budget"]


def test_positive_ratio_and_cap() -> None:
    """正向: actual ÷ target × 分值, capped at 分值; the explanation shows the arithmetic."""
    assert quantitative_score(D(80), D(90), D("16.67"), "正向") == (
        D("14.82"),  # 80 / 90 × 16.67 = 14.817…
        "实际完成值 80 ÷ 指标值 90 × 分值 16.67 = 14.82",
    )
    assert quantitative_score(D(330), D(325), D("16.67"), "正向", "辆") == (
        D("16.67"),  # 330 / 325 × 16.67 = 16.926… → 封顶 16.67
        "实际完成值 330辆 ÷ 指标值 325辆 × 分值 16.67 = 16.93，封顶 16.67",
    )


def test_reverse_ratio() -> None:
    """反向: target ÷ actual × 分值; at or below the target the full 分值."""
    assert quantitative_score(D(10), D(8), D(10), "反向", "万元") == (
        D("8.00"),  # 8 / 10 × 10
        "指标值 8万元 ÷ 实际完成值 10万元 × 分值 10 = 8",
    )
    assert quantitative_score(D(6), D(8), D(10), "反向")[0] == D(10)
    assert quantitative_score(D(0), D(3), D(10), "反向")[0] == D(10)  # 0 complaints for ≤3


def test_zero_and_negative_values() -> None:
    """Where the ratio means nothing (a target of 0, negative values) the rule says met or
    not: full 分值 or 0, never a division by zero or a negative score."""
    assert quantitative_score(D(0), D(0), D(10), "正向")[0] == D(10)
    assert quantitative_score(D(-1), D(0), D(10), "正向")[0] == D(0)
    assert quantitative_score(D(-5), D(10), D(10), "正向")[0] == D(0)
    assert quantitative_score(D(3), D(0), D(10), "反向")[0] == D(0)  # 0 allowed, 3 happened
    assert quantitative_score(D(-2), D(5), D(10), "反向")[0] == D(10)


def test_indicator_reads_texts_with_the_value_reader() -> None:
    """指标值 and 实际完成值 are read as typed (full-width, money units, % ), 方向 by the sign."""
    found = indicator_score(target_value="≥９５％", actual_value="９０%", weight=D(10))
    assert found.score == D("9.47")  # 90 / 95 × 10 = 9.473…
    money = indicator_score(target_value="≤8万元", actual_value="100000元", weight=D(10))
    assert money.score == D("8.00")  # 反向 by ≤: 8 / 10 × 10
    bare = indicator_score(target_value="90批", actual_value="72", weight=D("16.67"))
    assert bare.score == D("13.34")  # 72 / 90 × 16.67 = 13.336
    chosen = indicator_score(target_value="10%", actual_value="12%", weight=D(10), direction="反向")
    assert chosen.score == D("8.33")  # the clerk's 反向: 10 / 12 × 10 = 8.333…


def test_quantitative_missing_or_unreadable_actual() -> None:
    """No 实际完成值, one that is words, or one in another unit is reported, naming the field."""
    empty = indicator_score(target_value="325辆", actual_value="", weight=D(10))
    assert empty.score is None
    assert [(m.kind, m.field) for m in empty.missing] == [
        (MissingKind.ACTUAL_VALUE, "actual_value")
    ]
    words = indicator_score(target_value="325辆", actual_value="基本完成", weight=D(10))
    assert [m.kind for m in words.missing] == [MissingKind.ACTUAL_UNREADABLE]
    other = indicator_score(target_value="325辆", actual_value="330台", weight=D(10))
    assert [m.kind for m in other.missing] == [MissingKind.UNIT_MISMATCH]
    assert "330台" in other.missing[0].detail


def test_quantitative_without_number_falls_back_to_grade() -> None:
    """A 定量 indicator whose 实际完成值 is no number is scored by its 达成度 when one is chosen."""
    found = indicator_score(
        target_value="325辆", actual_value="基本完成", weight=D(10), achievement_grade="部分达成"
    )
    assert found.score == D("6.00")
    assert found.explanation.startswith("实际完成值无可比的数值，按达成度")


@pytest.mark.parametrize(
    ("grade", "expected"),
    [("达成", D("16.67")), ("部分达成", D("10.00")), ("未达成", D("0.00"))],
)
def test_qualitative_by_grade(grade: str, expected: Decimal) -> None:
    """定性: 达成 the full 分值, 部分达成 60% (its band's lowest), 未达成 0."""
    # 16.67 × 0.6 = 10.002 → 10.00
    found = indicator_score(
        target_value="推动经济社会快速发展",
        actual_value="",
        weight=D("16.67"),
        achievement_grade=grade,
    )
    assert found.score == expected
    assert not found.missing


def test_qualitative_explanation_names_the_band() -> None:
    """The explanation of a graded score names its band (the rule's 60–80%)."""
    assert qualitative_score("部分达成", D(10))[1].startswith("部分达成年度指标（60%～80% 分值）")


def test_qualitative_without_grade_is_missing() -> None:
    """A 定性 indicator without 达成度 is reported as missing its grade."""
    found = indicator_score(target_value="推动生态文明建设", actual_value="效果明显", weight=D(10))
    assert found.score is None
    assert [(m.kind, m.field) for m in found.missing] == [
        (MissingKind.ACHIEVEMENT_GRADE, "achievement_grade")
    ]


def test_unreadable_target_needs_grade() -> None:
    """A 指标值 that is no one value (a range) cannot be scored by ratio: grade or 得分."""
    found = indicator_score(target_value="90%-95%", actual_value="93%", weight=D(10))
    assert [m.kind for m in found.missing] == [MissingKind.TARGET_UNREADABLE]
    graded = indicator_score(
        target_value="90%-95%", actual_value="93%", weight=D(10), achievement_grade="达成"
    )
    assert graded.score == D(10)


def test_dates_on_time_and_late() -> None:
    """时效: a 实际完成值 date on or before the 指标值's last day is the full 分值, later 0;
    a date without a year is of the fiscal year."""
    on_time = indicator_score(
        target_value="2022年12月底", actual_value="2022年11月底", weight=D("16.66")
    )
    assert on_time.score == D("16.66")
    assert on_time.explanation == (
        "实际完成 2022年11月30日 不晚于指标值 2022年12月31日，得满分 16.66"
    )
    same_month = indicator_score(
        target_value="12月底前", actual_value="2022年12月31日", weight=D(10), fiscal_year=2022
    )
    assert same_month.score == D(10)
    late = indicator_score(
        target_value="2022年第三季度", actual_value="2022年10月8日", weight=D(10)
    )
    assert late.score == D(0)
    words = indicator_score(target_value="2022年12月底", actual_value="按时完成", weight=D(10))
    assert [m.kind for m in words.missing] == [MissingKind.ACHIEVEMENT_GRADE]
    assert words.missing[0].detail.startswith("时效指标：实际完成值不是日期")
    empty = indicator_score(target_value="2022年12月底", actual_value="", weight=D(10))
    assert [(m.kind, m.field) for m in empty.missing] == [
        (MissingKind.ACTUAL_VALUE, "actual_value")
    ]
    graded = indicator_score(
        target_value="2022年12月底", actual_value="按时完成", weight=D(10), achievement_grade="达成"
    )
    assert graded.score == D(10)


def test_not_applicable_is_excluded() -> None:
    """不适用 is not scored, whatever else is filled."""
    found = indicator_score(
        target_value="≥10%", actual_value="", weight=D(10), achievement_grade="不适用"
    )
    assert (found.score, found.excluded, found.missing) == (None, True, ())


def test_respread_within_level1() -> None:
    """A 不适用 row's 分值 goes to the other rows of its 一级指标 in proportion; the sum of
    the 一级指标 stays exact; other 一级指标 keep theirs."""
    weights = [D(10), D(10), D(10), D(10)]
    groups = ["效益指标", "效益指标", "效益指标", "满意度指标"]
    assert respread_weights(weights, groups, [True, False, False, False]) == [
        D(10),
        D(15),
        D(15),
        D(10),
    ]
    # 产出 16.67, 16.67, 16.66 with the second 不适用: 50 over 33.33 in proportion,
    # 25.0075… and 24.9925… → 25.00 and 24.99, the cent left to the larger remainder
    found = respread_weights(
        [D("16.67"), D("16.67"), D("16.66")], ["产出指标"] * 3, [False, True, False]
    )
    assert found == [D("25.01"), D("16.67"), D("24.99")]


def test_respread_whole_level1_goes_to_the_project() -> None:
    """When every row of a 一级指标 is 不适用, its 分值 goes to every scored row (按百分制折算)."""
    found = respread_weights(
        [D(30), D(10), D(50)], ["效益指标", "满意度指标", "产出指标"], [True, False, False]
    )
    assert found[1:] == [D("15.00"), D("75.00")]  # 60 × 10/60, 60 × 50/60 … of 90


def test_override_used_and_flagged_above_weight() -> None:
    """The clerk's 得分 replaces the computed one (even where data is missing); one above
    its 分值 is used and flagged."""
    above = indicator_score(
        target_value="2022年12月底", actual_value="", weight=D("16.66"), score=D(18)
    )
    assert (above.score, above.overridden, above.above_weight, above.missing) == (
        D(18),
        True,
        True,
        (),
    )
    assert above.explanation == "得分由填报人填写：18（按规则无法计算）；超过分值 16.66，请核对"
    within = indicator_score(target_value="325辆", actual_value="300辆", weight=D(10), score=D(9))
    assert (within.score, within.above_weight, within.computed) == (D(9), False, D("9.23"))


def test_weight_missing() -> None:
    """A row of a 一级指标 outside the scheme with no 分值 is reported (分值 missing)."""
    found = indicator_score(target_value="325辆", actual_value="330辆", weight=None)
    assert [(m.kind, m.field) for m in found.missing] == [(MissingKind.WEIGHT, "weight")]


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D(100), "优"),
        (D(90), "优"),
        (D("89.99"), "良"),
        (D(80), "良"),
        (D("79.99"), "中"),
        (D(60), "中"),
        (D("59.99"), "差"),
        (D(0), "差"),
    ],
)
def test_grade_bands(total: Decimal, grade: str) -> None:
    """优 90（含）以上, 良 80（含）–90, 中 60（含）–80, 差 below 60."""
    assert grade_of(total) == grade
