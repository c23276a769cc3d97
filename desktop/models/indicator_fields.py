"""The structured fields of an indicator (三级指标 row) beside its 指标值 text, for the
year's later stages (监控, 自评): 指标性质, 计算符号, 数值, 计量单位, 指标方向 and 分值.

Must not import Qt, sessions or anything from storage/services.

Decision — the 指标值 text is the source, the fields follow it:
- 指标性质, 计算符号, 数值 and 计量单位 (``DERIVED_FIELDS``) are always the reading of the
  text by the one value reader (``values.parse_target_value``): ``read_structured``.
  Editing the text re-reads them; editing one of them rewrites the text as the form shows
  it (``composed_text``: ``≥95%``) and re-reads that, so what the screen shows is what is
  stored and printed. A text the reader cannot read as one value (a range ``90%-95%``,
  two units ``28.8万元%``, ``完成值95%``) leaves them empty, and the review says so
  (rule ``values.structured``); a date or period (时效指标) and words are 定性.
- 指标方向 and 分值 (``CHOSEN_FIELDS``) are the clerk's, not in the text. Empty means the
  default: 方向 from the 计算符号 (``default_direction``), 分值 spread from the 一级指标's
  share (``effective_weights``). Why empty rather than the default stored: a row added to
  a 一级指标 re-spreads the defaults of its siblings without touching them, and a file's
  content (fingerprint, merge history) does not change when it is migrated.
Alternatives rejected: fields independent of the text (the printed 指标值 and the
scored number could disagree); only the text, read when needed (the brief and later
stages want the fields held and queryable).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from desktop.models.values import (
    canonical_decimal,
    comparison_sign,
    numbers_in,
    parse_target_value,
)
from desktop.models.vocabulary import standard_name

#: 指标性质: 定量 (a number to reach), 定性 (words, a date or a period).
NATURES = ("定量", "定性")
#: 计算符号 as the forms print them (Sichuan's 指标性质 column: ≥ ≤ = ＞ ＜), or none.
COMPARISONS = ("≥", "≤", "=", "＞", "＜")
#: 指标方向: 正向 (more is better), 反向 (less is better: a cost, a complaint rate).
DIRECTIONS = ("正向", "反向")
#: The fields read from the 指标值 text (never set on their own).
DERIVED_FIELDS = ("indicator_nature", "comparison", "target_number", "unit_of_measure")
#: The fields the clerk chooses; empty is the default.
CHOSEN_FIELDS = ("direction", "weight")
STRUCTURED_FIELDS = DERIVED_FIELDS + CHOSEN_FIELDS

#: The reader's comparator (``TargetValue.comparator``) → the form's sign.
_FORM_SIGN = {"≥": "≥", "≤": "≤", "=": "=", ">": "＞", "<": "＜", "": ""}

#: 分值 of the 自评 scheme: 执行率 10, 产出指标 50, 效益指标 30, 满意度指标 10 (total 100).
#: Source: 《项目支出绩效评价管理办法》(财预〔2020〕10号) sets these level-1 weights "原则上"
#: (the wording itself was not found in the stored corpora); confirmed from a published
#: 项目支出绩效自评表 (池州市贵池区棠溪镇 2022: 执行率 分值 10, 产出指标(50分) — its 成本指标
#: under it —, 效益指标(30分), 满意度指标(10分)). A 成本指标 of its own level-1 (the 2021
#: central template) shares 产出指标's 50, as it did when it was a level-2 of 产出.
BUDGET_EXECUTION_WEIGHT = Decimal(10)
LEVEL1_WEIGHTS = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
_SHARE_OF = {"成本指标": "产出指标"}
#: 分值 are written to the hundredth of a point (16.67), as the published tables do.
_CENT = Decimal("0.01")
MAX_WEIGHT = Decimal(100)


@dataclass(frozen=True)
class StructuredValue:
    """The fields a 指标值 text reads as (``DERIVED_FIELDS``), and whether it could be read.

    ``readable`` is False for a text with a number that is not one value (a range, two
    units, words around it): the fields are then empty for the clerk to fill.
    """

    indicator_nature: str = ""
    comparison: str = ""
    target_number: Decimal | None = None
    unit_of_measure: str = ""
    readable: bool = True

    def fields(self) -> dict[str, object]:
        """The values of ``DERIVED_FIELDS`` (field name → value)."""
        return {name: getattr(self, name) for name in DERIVED_FIELDS}


def read_structured(text: str) -> StructuredValue:
    """The structured fields of a 指标值 ``text`` (see the module's decision).

    ``≥95%`` → 定量, ≥, 95, %; ``100人次`` → 定量, (none), 100, 人次; ``≤10万元`` → 定量, ≤,
    10, 万元; ``不低于９５％`` → 定量, ≥, 95, %; ``按时完成``, ``2022年12月底前`` → 定性;
    empty → all empty; ``90%-95%``, ``28.8万元%``, ``完成值95%`` → empty, not readable.
    A number that is no stored decimal (over 12 integer digits or 6 decimals) is not
    readable either. Never raises.
    """
    reading = parse_target_value(text)
    if reading.kind == "empty":
        return StructuredValue()
    if reading.kind in ("quantity", "money", "percent"):
        number = reading.number
        if reading.extra_unit or number is None or canonical_decimal(str(number)) is None:
            return StructuredValue(readable=False)
        unit = "%" if reading.kind == "percent" else reading.unit
        return StructuredValue("定量", _FORM_SIGN[reading.comparator], number, unit)
    if reading.kind == "qualitative" and (reading.extra_unit or numbers_in(text)):
        return StructuredValue(readable=False)
    return StructuredValue("定性")


def composed_text(comparison: str, number: Decimal, unit: str) -> str:
    """The 指标值 text the form shows for structured fields: ``≥95%``, ``100人次``."""
    return f"{comparison}{number}{unit}"


def parse_comparison(text: str) -> str:
    """A 计算符号 from what the clerk typed: one of ``COMPARISONS`` or ``""`` (none).

    Accepts the signs (also ``>=``, full-width, ``＞``/``>``) and the words the reader
    knows (不低于 → ≥, 不超过 → ≤). Raises ``ValueError`` (Chinese) for anything else.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned or cleaned in ("无", "-"):
        return ""
    sign = comparison_sign(cleaned)
    if not sign:
        raise ValueError(
            f"“{text.strip()}”不是计算符号：请填写 ≥、≤、=、＞、＜ 之一"
            "（也可写“不低于”“不超过”），没有符号请留空。"
        )
    return _FORM_SIGN[sign]


def parse_target_number(text: str) -> Decimal | None:
    """A 数值 from what the clerk typed (``95``, ``９５``, ``1,000``, ``2.5``); None when
    empty. Raises ``ValueError`` (Chinese) for a negative number, letters, an exponent, or
    more than 12 integer digits or 6 decimals."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    number = canonical_decimal(cleaned)
    if number is None or number < 0:
        raise ValueError(
            f"“{text.strip()}”不是有效的数值：请只填写数字，例如 95 或 2.5"
            "（符号和单位填在“计算符号”“计量单位”栏）。"
        )
    return number


def parse_unit(text: str) -> str:
    """A 计量单位 from what the clerk typed (``%``, ``人次``, ``万元``); full-width made
    half-width. Raises ``ValueError`` for a unit with digits or longer than 8 characters
    (no unit of the forms is)."""
    unit = unicodedata.normalize("NFKC", text).strip()
    if unit == "百分比":
        unit = "%"
    if len(unit) > 8 or numbers_in(unit):
        raise ValueError(f"“{text.strip()}”不是计量单位：请填写如 %、人次、辆、万元 的单位。")
    return unit


def parse_direction(text: str) -> str:
    """A 指标方向 from what the clerk typed: 正向, 反向 (also 正, 反), or "" for the
    default. Raises ``ValueError`` (Chinese) for anything else."""
    cleaned = text.strip().removesuffix("指标")
    if not cleaned:
        return ""
    for direction in DIRECTIONS:
        if cleaned in (direction, direction[0]):
            return direction
    raise ValueError(
        f"“{text.strip()}”不是指标方向：请填写“正向”（越大越好）或“反向”（越小越好），"
        "留空则按计算符号推定。"
    )


def parse_weight(text: str) -> Decimal | None:
    """A 分值 from what the clerk typed (``20``, ``16.67``, ``２０分``); None when empty
    (the default). Raises ``ValueError`` (Chinese) outside 0–100 or not a number."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not cleaned:
        return None
    number = canonical_decimal(cleaned)
    if number is None or not 0 <= number <= MAX_WEIGHT:
        raise ValueError(
            f"“{text.strip()}”不是有效的分值：请填写 0～100 之间的数，例如 20 或 16.67；"
            "留空则按一级指标的分值平均分配。"
        )
    return number


def default_direction(comparison: str) -> str:
    """The 指标方向 a 计算符号 implies: ≤ and ＜ 反向 (less is better), else 正向."""
    return "反向" if comparison in ("≤", "＜") else "正向"


def scheme_level1(level1: str) -> str:
    """The 一级指标 of ``LEVEL1_WEIGHTS`` whose share ``level1`` has, or ""."""
    name = standard_name(level1)
    name = _SHARE_OF.get(name, name)
    return name if name in LEVEL1_WEIGHTS else ""


def level1_share(level1: str) -> Decimal | None:
    """The 分值 of a 一级指标 in the 自评 scheme (``LEVEL1_WEIGHTS``), None for another."""
    name = scheme_level1(level1)
    return LEVEL1_WEIGHTS[name] if name else None


@dataclass(frozen=True)
class WeightedRow:
    """What the 分值 of one indicator row depends on: its 一级指标, whether it is filled
    (a 三级指标 or a 指标值: the blank rows of the template get none) and its chosen
    ``weight`` (None: the default)."""

    level1: str
    filled: bool
    weight: Decimal | None


def effective_weights(rows: Sequence[WeightedRow]) -> list[Decimal | None]:
    """The 分值 of each indicator row of one project, in order: its chosen weight, else
    its default — the share of its 一级指标 (``level1_share``) less the weights chosen in
    it, spread evenly over its filled rows without a chosen weight, to the hundredth, the
    cents left over going one each to the first rows (50 over 3 rows: 16.67, 16.67,
    16.66), never below 0. None for a blank row or a 一级指标 outside the scheme.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        name = scheme_level1(row.level1)
        if name and row.filled:
            groups.setdefault(name, []).append(index)
    out: list[Decimal | None] = [row.weight for row in rows]
    for name, indexes in groups.items():
        share = LEVEL1_WEIGHTS[name]
        chosen = sum((rows[i].weight or Decimal(0)) for i in indexes)
        open_rows = [i for i in indexes if rows[i].weight is None]
        if not open_rows:
            continue
        left = max(share - chosen, Decimal(0))
        each = (left / len(open_rows)).quantize(_CENT, rounding=ROUND_DOWN)
        cents = int(((left - each * len(open_rows)) / _CENT).to_integral_value())
        for n, index in enumerate(open_rows):
            out[index] = each + (_CENT if n < cents else 0)
    return out


def weight_text(weight: Decimal | None) -> str:
    """A 分值 as shown: ``16.67``, ``50`` (no trailing zeros), "" for None."""
    if weight is None:
        return ""
    text = format(weight, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


#: The fields that change together: the 指标值 text and what is read from it.
TEXT_AND_DERIVED = ("target_value", *DERIVED_FIELDS)
_LABELS = {"comparison": "计算符号", "target_number": "目标数值", "unit_of_measure": "计量单位"}


def edited_values(current: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    """The 指标值 and its derived fields (``TEXT_AND_DERIVED`` → value) after the clerk
    set ``field`` (one of them) to the parsed ``value``, from the ``current`` ones.

    The text is the source (module docstring): a new text is read again; a new 计算符号,
    数值 or 计量单位 rewrites the text as ``composed_text`` from the current three with
    the one changed, and that text must read back as exactly those three. Raises
    ``ValueError`` (Chinese, saying what to do) for 指标性质 (it follows the text), for a
    sign or unit on a row without a number, for clearing the number, and for fields that
    would read back otherwise (a unit 年 makes ``2022年`` a date).
    """
    if field == "target_value":
        text = value
    elif field == "indicator_nature":
        raise ValueError(
            "“指标性质”由指标值推定（写出数值的为定量，文字、日期为定性），"
            "请修改“指标值”或“目标数值”。"
        )
    else:
        parts: dict[str, Any] = {name: current.get(name) for name in _LABELS}
        parts[field] = value
        comparison, number = str(parts["comparison"] or ""), parts["target_number"]
        unit = str(parts["unit_of_measure"] or "")
        if number is None:
            if field == "target_number":
                raise ValueError("“目标数值”不能清空：如要改为定性指标，请直接在“指标值”中写文字。")
            raise ValueError(
                f"这一行没有目标数值，“{_LABELS[field]}”无从填写：请先填写“目标数值”，"
                "或直接修改“指标值”。"
            )
        text = composed_text(comparison, number, unit)
        found = read_structured(text)
        if (found.comparison, str(found.target_number), found.unit_of_measure) != (
            comparison,
            str(number),
            unit,
        ):
            raise ValueError(
                f"指标值将成为“{text}”，却会被读成{parse_target_value(text).describe()}，"
                "与所填不符：请直接修改“指标值”。"
            )
    return {"target_value": text, **read_structured(text).fields()}
