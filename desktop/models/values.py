"""Parsing what clerks type into amounts, percentages and years. No Qt, no sessions.

Every error is a ``ValueError`` whose message is Chinese and says what to type instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

#: Amounts on the forms are in 万元 to the fen: at most 6 decimals (DESIGN.md).
MAX_AMOUNT_DECIMALS = 6
#: 12 integer digits of 万元 is far beyond any county budget; more is a typing accident.
MAX_INTEGER_DIGITS = 12
_CANONICAL = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")


def canonical_decimal(text: str) -> Decimal | None:
    """The decimal written exactly as ``-123.45`` (no exponent, separators or spaces), else None.

    At most 12 integer digits and 6 decimals. This is the form amounts take in files;
    ``parse_amount`` brings typed input to it first.
    """
    match = _CANONICAL.fullmatch(text)
    if match is None or len(match.group(1)) > MAX_INTEGER_DIGITS:
        return None
    if match.group(2) is not None and len(match.group(2)) > MAX_AMOUNT_DECIMALS:
        return None
    return Decimal(text)


def _normalise_number(text: str) -> str:
    """Full-width digits and signs to ASCII, spaces and thousands separators removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace(",", "").replace(" ", "").replace("\u3000", "")


def parse_amount(text: str) -> Decimal | None:
    """An amount in 万元 from what the clerk typed; ``None`` for an empty field.

    Accepts ``184``, ``184.00``, ``1,234.5``, full-width ``１８４．００`` and a trailing 万元;
    keeps the decimals typed (``184.00`` stays ``Decimal("184.00")``). Raises
    ``ValueError`` for anything else: letters, exponents, more than 6 decimals (the fen),
    more than 12 integer digits.
    """
    cleaned = _normalise_number(text).removesuffix("万元")
    if not cleaned:
        return None
    value = canonical_decimal(cleaned)
    if value is not None:
        return value
    decimals = cleaned.partition(".")[2]
    if _CANONICAL.fullmatch(cleaned) and len(decimals) > MAX_AMOUNT_DECIMALS:
        raise ValueError(
            f"“{text}”的小数超过 {MAX_AMOUNT_DECIMALS} 位：金额以万元为单位，最多精确到分。"
        )
    if _CANONICAL.fullmatch(cleaned):
        raise ValueError(f"“{text}”太大了：金额以万元为单位，请检查是否多输了数字。")
    raise ValueError(f"“{text}”不是有效的金额，请输入以万元为单位的数字，例如 184.00。")


def parse_percent(text: str) -> Decimal | None:
    """A percentage from ``30``, ``30%`` or ``３０％``; ``None`` for an empty field.

    Returns the number of percent (``Decimal("30")``). Raises ``ValueError`` when it is not
    a plain number (letters, exponents, more than 6 decimals).
    """
    cleaned = _normalise_number(text).removesuffix("%")
    if not cleaned:
        return None
    value = canonical_decimal(cleaned)
    if value is None:
        raise ValueError(f"“{text}”不是有效的百分比，请输入数字，例如 30 或 30%。")
    return value


def parse_year(text: str) -> int:
    """A fiscal year (预算年度) such as 2022. Raises ``ValueError`` outside 2000–2100."""
    cleaned = _normalise_number(text).removesuffix("年")
    if not cleaned.isdigit() or not 2000 <= int(cleaned) <= 2100:
        raise ValueError(f"“{text}”不是有效的预算年度，请输入四位年份，例如 2022。")
    return int(cleaned)


def normal_code(text: str) -> str:
    """A 单位编码 or 项目编码 as stored: full-width digits and letters made half-width
    (``５０７００２`` is ``507002``: the same unit in merges and the 汇总表), outer spaces
    dropped. Any other characters stay; the review judges them."""
    return unicodedata.normalize("NFKC", text).strip()


_COMPARATORS = (
    (">=", "≥"), ("≥", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("大于等于", "≥"), ("至少", "≥"),
    ("<=", "≤"), ("≤", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("小于等于", "≤"),
    (">", ">"), ("大于", ">"), ("高于", ">"), ("<", "<"), ("小于", "<"), ("低于", "<"),
    ("≧", "≥"), ("≦", "≤"), ("=", "="), ("达到", "="), ("等于", "="), ("约", "="),
)  # fmt: skip
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_PERIOD = re.compile(
    r"([0-9]{4})[.年/-]([0-9]{1,2})月?(?:[-~～至到]|—)([0-9]{4})[.年/-]([0-9]{1,2})月?(?:底|末)?"
)
_DATE = re.compile(r"([0-9]{4})年(?:([0-9]{1,2})月)?(?:底|末|前|以前|之前)?")
_PERCENT = re.compile(_NUMBER + r"%")
_QUANTITY = re.compile(_NUMBER + r"([^0-9%]{0,8})")
_ANY_NUMBER = re.compile(_NUMBER)


@dataclass(frozen=True)
class TargetValue:
    """The parsed form of a 指标值 (target value), which is kept as typed beside it.

    ``kind`` is ``quantity`` (``325辆``: number 325, unit 辆), ``percent`` (``≥95%``: number
    95), ``date`` (``2022年12月底``: year 2022, month 12), ``period`` (``2023.07-2024.01``:
    from year/month to end_year/end_month), ``qualitative`` (words only) or ``empty``.
    ``comparator`` is ``≥ ≤ > < =`` or empty (``不低于`` reads as ``≥``, ``达到`` as ``=``).
    """

    kind: str
    comparator: str = ""
    number: Decimal | None = None
    unit: str = ""
    year: int | None = None
    month: int | None = None
    end_year: int | None = None
    end_month: int | None = None

    def describe(self) -> str:
        """The reading in words, for the grid's tooltip (e.g. 百分比 ≥ 95%)."""
        words = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于", "=": "等于"}
        prefix = words.get(self.comparator, "")
        if self.kind == "percent":
            return f"百分比：{prefix}{self.number}%"
        if self.kind == "quantity":
            unit = f"，单位“{self.unit}”" if self.unit else "（无计量单位）"
            return f"数值：{prefix}{self.number}{unit}"
        if self.kind == "date":
            return f"时间：{self.year}年" + (f"{self.month}月" if self.month else "")
        if self.kind == "period":
            return f"期间：{self.year}年{self.month}月至{self.end_year}年{self.end_month}月"
        return "定性（文字描述）" if self.kind == "qualitative" else "未填"


def parse_target_value(text: str) -> TargetValue:
    """Read a 指标值 as clerks write it (``325辆``, ``≥8%``, ``不低于95%``, ``2022年12月底``).

    Full-width characters are accepted. Anything that is not one number with an optional
    comparator and unit, a percentage or a date is ``qualitative``. Never raises.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not cleaned:
        return TargetValue("empty")
    comparator = ""
    for prefix, symbol in _COMPARATORS:
        if cleaned.startswith(prefix):
            comparator, cleaned = symbol, cleaned[len(prefix) :]
            break
    for suffix, symbol in (
        ("及以上", "≥"),
        ("以上", "≥"),
        ("及以下", "≤"),
        ("以下", "≤"),
        ("以内", "≤"),
    ):
        if not comparator and cleaned.endswith(suffix):
            comparator, cleaned = symbol, cleaned[: -len(suffix)]
            break
    if match := _PERIOD.fullmatch(cleaned):
        start_year, start_month, end_year, end_month = map(int, match.groups())
        return TargetValue(
            "period", comparator, year=start_year, month=start_month,
            end_year=end_year, end_month=end_month,
        )  # fmt: skip
    if match := _DATE.fullmatch(cleaned):
        month = int(match.group(2)) if match.group(2) else None
        return TargetValue("date", comparator, year=int(match.group(1)), month=month)
    if match := _PERCENT.fullmatch(cleaned):
        return TargetValue("percent", comparator, Decimal(match.group(1)))
    if match := _QUANTITY.fullmatch(cleaned):
        return TargetValue("quantity", comparator, Decimal(match.group(1)), match.group(2))
    return TargetValue("qualitative")


def numbers_in(text: str) -> list[Decimal]:
    """Every number written in ``text`` (full-width digits included), in order."""
    cleaned = unicodedata.normalize("NFKC", text)
    return [Decimal(number) for number in _ANY_NUMBER.findall(cleaned)]
