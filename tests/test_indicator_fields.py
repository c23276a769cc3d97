"""An indicator's structured fields: read from its 指标值, written back as the form shows
it, typed by the clerk (bad input refused in Chinese), and the default 分值."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models import Indicator
from desktop.models.indicator_fields import (
    WeightedRow,
    default_direction,
    edited_values,
    effective_weights,
    parse_comparison,
    parse_direction,
    parse_target_number,
    parse_unit,
    parse_weight,
    read_structured,
)
from desktop.models.labels import ROW_KINDS


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("≥95%", ("定量", "≥", "95", "%")),
        ("100人次", ("定量", "", "100", "人次")),
        ("≤10万元", ("定量", "≤", "10", "万元")),
        ("不低于95%", ("定量", "≥", "95", "%")),
        ("≥ 95 %", ("定量", "≥", "95", "%")),
        ("≥９５％", ("定量", "≥", "95", "%")),
        ("＞90%", ("定量", "＞", "90", "%")),
        ("<3次", ("定量", "＜", "3", "次")),
        ("=100%", ("定量", "=", "100", "%")),
        ("100%以上", ("定量", "≥", "100", "%")),
        ("≥100百分比", ("定量", "≥", "100", "%")),
        ("1,000人", ("定量", "", "1000", "人")),
        ("三个", ("定量", "", "3", "个")),
        ("250万", ("定量", "", "250", "万")),
        ("按时完成", ("定性", "", "None", "")),
        ("2022年12月底前", ("定性", "", "None", "")),
        ("2023.07-2024.01", ("定性", "", "None", "")),
        ("", ("", "", "None", "")),
    ],
)
def test_read_structured_reads_the_target_value_text(text: str, fields: tuple[str, ...]) -> None:
    """Signs, words (不低于), full-width characters and blanks read as the form's fields."""
    value = read_structured(text)
    assert value.readable
    shown = (value.indicator_nature, value.comparison, str(value.target_number))
    assert (*shown, value.unit_of_measure) == fields


@pytest.mark.parametrize(
    "text", ["90%-95%", "90-95%", "90%~95%", "完成值95%", "28.8万元%", "1e5", "第1至3名"]
)
def test_read_structured_leaves_what_it_cannot_read_empty(text: str) -> None:
    """A range, two units, a number inside words: nothing is guessed; flagged as unreadable."""
    value = read_structured(text)
    assert not value.readable
    assert value.fields() == {
        "indicator_nature": "",
        "comparison": "",
        "target_number": None,
        "unit_of_measure": "",
    }


def test_indicator_fields_follow_the_text_whenever_it_is_set() -> None:
    """A new indicator and a changed 指标值 carry the reading of the text (the source)."""
    indicator = Indicator(target_value="≤10万元", comparison="≥", target_number=Decimal(3))
    assert (indicator.comparison, indicator.target_number) == ("≤", Decimal(10))
    indicator.target_value = "按时完成"
    assert (indicator.indicator_nature, indicator.comparison, indicator.target_number) == (
        "定性",
        "",
        None,
    )


def _current(text: str) -> dict[str, object]:
    return {"target_value": text, **read_structured(text).fields()}


def test_edited_values_rewrite_the_text_as_the_form_shows_it() -> None:
    """A changed sign, number or unit gives the text ≥95% … and its reading."""
    assert edited_values(_current("不低于95%"), "comparison", "≤")["target_value"] == "≤95%"
    assert edited_values(_current("≥95%"), "target_number", Decimal(90))["target_value"] == "≥90%"
    changed = edited_values(_current("100"), "unit_of_measure", "人次")
    assert (changed["target_value"], changed["unit_of_measure"]) == ("100人次", "人次")
    assert edited_values(_current("≥95%"), "comparison", "")["target_value"] == "95%"
    typed = edited_values(_current("90%-95%"), "target_number", Decimal(95))
    assert (typed["target_value"], typed["indicator_nature"]) == ("95", "定量")


@pytest.mark.parametrize(
    ("text", "field", "value", "words"),
    [
        ("按时完成", "comparison", "≥", "请先填写“目标数值”"),
        ("按时完成", "unit_of_measure", "%", "请先填写“目标数值”"),
        ("≥95%", "target_number", None, "不能清空"),
        ("≥95%", "indicator_nature", "定性", "由指标值推定"),
        ("2022", "unit_of_measure", "年", "会被读成时间"),
    ],
)
def test_edited_values_refuse_in_chinese(text: str, field: str, value: object, words: str) -> None:
    """An edit that would leave the text and its fields apart is refused, saying what to do."""
    with pytest.raises(ValueError, match=words):
        edited_values(_current(text), field, value)


def test_typed_fields_parse_or_are_refused_in_chinese() -> None:
    """Signs and words, full-width digits, units, 正向/反向 and 分值 as the clerk types them."""
    assert [parse_comparison(t) for t in (">=", "≥", "不超过", "＞", ">", "", "无")] == [
        "≥",
        "≥",
        "≤",
        "＞",
        "＞",
        "",
        "",
    ]
    assert parse_target_number("９５") == Decimal(95)
    assert parse_target_number("1,000.5") == Decimal("1000.5")
    assert parse_target_number(" ") is None
    assert parse_unit("％") == "%" and parse_unit("百分比") == "%" and parse_unit("人次") == "人次"
    assert parse_direction("反") == "反向" and parse_direction("正向指标") == "正向"
    assert parse_weight("２０分") == Decimal(20) and parse_weight("") is None
    for parser, text, words in (
        (parse_comparison, "大约", "不是计算符号"),
        (parse_target_number, "九十五", "不是有效的数值"),
        (parse_target_number, "-5", "不是有效的数值"),
        (parse_target_number, "1e5", "不是有效的数值"),
        (parse_unit, "2个", "不是计量单位"),
        (parse_direction, "向上", "不是指标方向"),
        (parse_weight, "120", "0～100"),
        (parse_weight, "十分", "不是有效的分值"),
    ):
        with pytest.raises(ValueError, match=words):
            parser(text)


def test_default_direction_follows_the_sign() -> None:
    """≤ and ＜ are 反向 (less is better), everything else 正向."""
    assert [default_direction(s) for s in ("≤", "＜", "≥", "", "=")] == [
        "反向",
        "反向",
        "正向",
        "正向",
        "正向",
    ]


def test_effective_weights_spread_each_level1_share() -> None:
    """产出 50, 效益 30, 满意度 10 spread over filled rows to the cent; blank rows get none;
    a chosen 分值 stays and the rest of its share is spread over the others."""
    rows = [
        WeightedRow("产出指标", True, None),
        WeightedRow("产出指标", True, None),
        WeightedRow("产出指标", True, None),
        WeightedRow("产出指标", False, None),
        WeightedRow("效益指标", True, None),
        WeightedRow("满意度指标", True, None),
        WeightedRow("成本指标", True, None),
        WeightedRow("其他", True, None),
    ]
    got = [str(w) if w is not None else None for w in effective_weights(rows)]
    assert got == ["12.50", "12.50", "12.50", None, "30.00", "10.00", "12.50", None]
    three = [WeightedRow("产出指标", True, None)] * 3
    assert [str(w) for w in effective_weights(three)] == ["16.67", "16.67", "16.66"]
    chosen = [WeightedRow("效益指标", True, Decimal(20)), WeightedRow("效益指标", True, None)]
    assert effective_weights(chosen) == [Decimal(20), Decimal(10)]
    over = [WeightedRow("满意度指标", True, Decimal(15)), WeightedRow("满意度指标", True, None)]
    assert effective_weights(over) == [Decimal(15), Decimal(0)]


def test_registry_names_the_structured_fields_once() -> None:
    """The row kind lists the fields with the form's terms, after the printed ones, and the
    printed header is unchanged."""
    kind = ROW_KINDS[Indicator]
    assert [name for name, _ in kind.columns()][6:] == [
        "indicator_nature",
        "comparison",
        "target_number",
        "unit_of_measure",
        "direction",
        "weight",
    ]
    assert kind.labels()["comparison"] == "计算符号"
    assert len(kind.printed_headers()) == 6
