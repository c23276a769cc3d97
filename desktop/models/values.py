"""Parsing what clerks type into amounts, percentages and years. No Qt, no sessions.

Every error is a ``ValueError`` whose message is Chinese and says what to type instead.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

#: Amounts on the forms are in 万元 to the fen: at most 6 decimals (DESIGN.md).
MAX_AMOUNT_DECIMALS = 6


def _normalise_number(text: str) -> str:
    """Full-width digits and signs to ASCII, spaces and thousands separators removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace(",", "").replace(" ", "").replace("\u3000", "")


def parse_amount(text: str) -> Decimal | None:
    """An amount in 万元 from what the clerk typed; ``None`` for an empty field.

    Accepts ``184``, ``184.00``, ``1,234.5``, full-width ``１８４．００``; keeps the decimals
    typed (``184.00`` stays ``Decimal("184.00")``). Raises ``ValueError`` for anything that
    is not a plain decimal number or has more than 6 decimals.
    """
    cleaned = _normalise_number(text)
    if not cleaned:
        return None
    cleaned = cleaned.removesuffix("万元")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            f"“{text}”不是有效的金额，请输入以万元为单位的数字，例如 184.00。"
        ) from None
    if not value.is_finite() or "e" in cleaned.lower():
        raise ValueError(f"“{text}”不是有效的金额，请输入以万元为单位的数字，例如 184.00。")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_AMOUNT_DECIMALS:
        raise ValueError(
            f"“{text}”的小数超过 {MAX_AMOUNT_DECIMALS} 位：金额以万元为单位，最多精确到分。"
        )
    return value


def parse_percent(text: str) -> Decimal | None:
    """A percentage from ``30``, ``30%`` or ``３０％``; ``None`` for an empty field.

    Returns the number of percent (``Decimal("30")``). Raises ``ValueError`` when it is not
    a number.
    """
    cleaned = _normalise_number(text).removesuffix("%")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效的百分比，请输入数字，例如 30 或 30%。") from None
    if not value.is_finite() or "e" in cleaned.lower():
        raise ValueError(f"“{text}”不是有效的百分比，请输入数字，例如 30 或 30%。")
    return value


def parse_year(text: str) -> int:
    """A fiscal year (预算年度) such as 2022. Raises ``ValueError`` outside 2000–2100."""
    cleaned = _normalise_number(text).removesuffix("年")
    if not cleaned.isdigit() or not 2000 <= int(cleaned) <= 2100:
        raise ValueError(f"“{text}”不是有效的预算年度，请输入四位年份，例如 2022。")
    return int(cleaned)
