"""Parsing of typed amounts, percentages and years."""

from decimal import Decimal

import pytest

from desktop.models.values import parse_amount, parse_percent, parse_year


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("184", "184"),
        ("184.00", "184.00"),
        (" 8.87 ", "8.87"),
        ("1,234.5", "1234.5"),
        ("１８４．００", "184.00"),
        ("0.000001", "0.000001"),
        ("-3", "-3"),
        ("300万元", "300"),
        ("250万", "250"),
    ],
)
def test_parse_amount_keeps_typed_decimals(typed: str, expected: str) -> None:
    """Amounts parse exactly and keep the decimals the clerk typed."""
    value = parse_amount(typed)
    assert isinstance(value, Decimal)
    assert str(value) == expected


def test_parse_amount_empty_is_none() -> None:
    """An empty amount field means no amount."""
    assert parse_amount("") is None
    assert parse_amount("  ") is None


@pytest.mark.parametrize(
    "typed", ["abc", "1.2.3", "1e5", "NaN", "Infinity", "0.0000001", "12元5", "1" * 13, "+5"]
)
def test_parse_amount_refuses_with_chinese_message(typed: str) -> None:
    """Malformed amounts and more than 6 decimals are refused with a Chinese message."""
    with pytest.raises(ValueError, match=r"万元|小数|太大"):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1亿", "“1亿”即 10000 万元：本栏以万元为单位，请输入 10000。"),
        ("1.5亿元", "“1.5亿元”即 15000 万元：本栏以万元为单位，请输入 15000。"),
        ("5000元", "“5000元”即 0.5 万元：本栏以万元为单位，请输入 0.5。"),
        ("１，２００元", "“１，２００元”即 0.12 万元：本栏以万元为单位，请输入 0.12。"),
        ("300千元", "“300千元”即 30 万元：本栏以万元为单位，请输入 30。"),
    ],
)
def test_money_in_another_unit_is_refused_with_the_figure_in_wan_yuan(
    typed: str, said: str
) -> None:
    """1亿 in 预算数 was refused as "不是有效的金额": the message now gives the exact
    figure in 万元 to type; nothing is converted behind the clerk's back."""
    with pytest.raises(ValueError) as refused:
        parse_amount(typed)
    assert str(refused.value) == said


def test_parse_percent() -> None:
    """Percentages accept a % sign (half or full width) and store the number of percent."""
    assert parse_percent("30%") == Decimal("30")
    assert parse_percent("３０％") == Decimal("30")
    assert parse_percent("") is None
    with pytest.raises(ValueError, match="百分比"):
        parse_percent("三十")


def test_parse_year() -> None:
    """A fiscal year is a four-digit year, optionally followed by 年."""
    assert parse_year("2022") == 2022
    assert parse_year("２０２２年") == 2022
    for bad in ("22", "二〇二二", "3000", ""):
        with pytest.raises(ValueError, match="预算年度"):
            parse_year(bad)


def test_canonical_decimal_is_the_file_form() -> None:
    """Only plain decimals are accepted as stored amounts (no exponent, separators, signs)."""
    from desktop.models.values import canonical_decimal

    assert str(canonical_decimal("184.00")) == "184.00"
    assert str(canonical_decimal("-3")) == "-3"
    for text in ("1e5", "1E+5", "1,234", " 1", "１", "+1", "1.", ".5", "1" * 13, "0.1234567"):
        assert canonical_decimal(text) is None, text
