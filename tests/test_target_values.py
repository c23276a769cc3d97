"""Reading 指标值 as clerks write them: a table of real-looking values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.values import parse_target_value

D = Decimal
CASES = [
    # text, kind, comparator, number, unit
    ("325辆", "quantity", "", D(325), "辆"),
    ("90批", "quantity", "", D(90), "批"),
    ("208批次", "quantity", "", D(208), "批次"),
    ("100%", "percent", "", D(100), ""),
    ("≥8%", "percent", "≥", D(8), ""),
    ("≥95%", "percent", "≥", D(95), ""),
    ("＞＝９５％", "percent", "≥", D(95), ""),
    (">=90%", "percent", "≥", D(90), ""),
    ("≧90%", "percent", "≥", D(90), ""),
    ("不低于95%", "percent", "≥", D(95), ""),
    ("不少于12次", "quantity", "≥", D(12), "次"),
    ("大于等于3个", "quantity", "≥", D(3), "个"),
    ("至少2人", "quantity", "≥", D(2), "人"),
    ("≤5%", "percent", "≤", D(5), ""),
    ("≦10万元", "money", "≤", D(10), "万元"),
    ("不高于8.87万元", "money", "≤", D("8.87"), "万元"),
    ("不超过300万元", "money", "≤", D(300), "万元"),
    ("小于等于15天", "quantity", "≤", D(15), "天"),
    ("<1%", "percent", "<", D(1), ""),
    ("＜２次", "quantity", "<", D(2), "次"),
    (">0", "quantity", ">", D(0), ""),
    ("大于10%", "percent", ">", D(10), ""),
    ("高于90%", "percent", ">", D(90), ""),
    ("低于3%", "percent", "<", D(3), ""),
    ("=100%", "percent", "=", D(100), ""),
    ("达到100%", "percent", "=", D(100), ""),
    ("等于1项", "quantity", "=", D(1), "项"),
    ("12个月", "quantity", "", D(12), "个月"),
    ("1年", "quantity", "", D(1), "年"),
    ("3.5公里", "quantity", "", D("3.5"), "公里"),
    ("１２０００平方米", "quantity", "", D(12000), "平方米"),
    ("5000元/人", "quantity", "", D(5000), "元/人"),
    ("98.5%", "percent", "", D("98.5"), ""),
    ("  95 %  ", "percent", "", D(95), ""),
    ("3", "quantity", "", D(3), ""),
    ("推动经济社会快速发展", "qualitative", "", None, ""),
    ("明显提升", "qualitative", "", None, ""),
    ("有效提供后勤保障", "qualitative", "", None, ""),
    ("良好", "qualitative", "", None, ""),
    ("按期完成", "qualitative", "", None, ""),
    ("", "empty", "", None, ""),
    ("95%以上", "percent", "≥", D(95), ""),
    ("3天以内", "quantity", "≤", D(3), "天"),
    ("10人及以下", "quantity", "≤", D(10), "人"),
]
DATES = [
    ("2022年12月底", "date", 2022, 12, None, None),
    ("2023年6月", "date", 2023, 6, None, None),
    ("2023年", "date", 2023, None, None, None),
    ("2023年底", "date", 2023, 12, None, None),
    ("2024年3月前", "date", 2024, 3, None, None),
    ("２０２２年１２月底", "date", 2022, 12, None, None),
    ("2023.07-2024.01", "period", 2023, 7, 2024, 1),
    ("2023年7月至2024年1月", "period", 2023, 7, 2024, 1),
    ("2023/03~2023/12", "period", 2023, 3, 2023, 12),
]


@pytest.mark.parametrize(("text", "kind", "comparator", "number", "unit"), CASES)
def test_values_read_as_clerks_mean_them(
    text: str, kind: str, comparator: str, number: Decimal | None, unit: str
) -> None:
    """Comparison, number and unit of quantities and percentages; words stay qualitative."""
    value = parse_target_value(text)
    assert (value.kind, value.comparator, value.number, value.unit) == (
        kind,
        comparator,
        number,
        unit,
    )


@pytest.mark.parametrize(("text", "kind", "year", "month", "end_year", "end_month"), DATES)
def test_dates_and_periods(
    text: str, kind: str, year: int, month: int | None, end_year: int | None, end_month: int | None
) -> None:
    """Dates (2022年12月底) and periods (2023.07-2024.01) are read with their months."""
    value = parse_target_value(text)
    assert (value.kind, value.year, value.month, value.end_year, value.end_month) == (
        kind,
        year,
        month,
        end_year,
        end_month,
    )


def test_there_are_forty_real_looking_values() -> None:
    """The table above is the documented behaviour: at least 40 values."""
    assert len(CASES) + len(DATES) >= 40


def test_description_in_words() -> None:
    """The grid's tooltip explains the reading."""
    assert parse_target_value("≥95%").describe() == "百分比：不低于95%"
    assert parse_target_value("325辆").describe() == "数值：325，单位“辆”"
    assert parse_target_value("2023.07-2024.01").describe() == "期间：2023年7月至2024年1月"
