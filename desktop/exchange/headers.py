"""Which indicator field a table's header cell names, for the Excel and Word readers: the
field's term, its other names (``models/labels.py``: ``Field.synonyms``,
``TARGET_VALUE_PARTS``), else a key word of it; and the 指标值 such a table splits into
columns, joined again (``joined_target_value``). Must not import Qt.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.models import Indicator
from desktop.models.labels import ROW_KINDS, TARGET_VALUE_PARTS
from desktop.models.values import comparison_sign, parse_target_value, with_unit

#: The indicator fields a table of indicators can fill, in form order.
INDICATOR_FIELDS = tuple(field.name for field in ROW_KINDS[Indicator].fields)


def normal_header(text: str) -> str:
    """A header text as compared: NFKC, no blanks or line breaks, brackets full-width."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text


#: Header texts of indicator tables, normalised, and the field each names: a printed
#: field, or one of ``TARGET_VALUE_PARTS`` (the columns joined into the 指标值).
HEADER_NAMES: dict[str, str] = {
    normal_header(name): field.name
    for field in (
        *ROW_KINDS[Indicator].fields,
        *(ROW_KINDS[Indicator].field(part) for part in TARGET_VALUE_PARTS),
    )
    for name in (field.label, *field.synonyms)
}


def header_field(text: str) -> str | None:
    """The indicator field (printed, or a part of a split 指标值) a header cell names:
    exactly (its term or another name, ``HEADER_NAMES``), else by its key word (…依据 the
    basis, 一级/二级/三级, 描述, 指标值; 指标值类型, 定量/定性, names none). None when it
    names none."""
    name = normal_header(text)
    if name in HEADER_NAMES:
        return HEADER_NAMES[name]
    if "依据" in name:
        return "basis"
    if "类型" in name:  # 指标值类型 (定量/定性) is not the 指标值
        return None
    for word, target in (
        ("一级", "level1"),
        ("二级", "level2"),
        ("三级", "level3"),
        ("描述", "description"),
        ("指标值", "target_value"),
    ):
        if word in name:
            return target
    return None


def joined_target_value(value: str, parts: dict[str, str]) -> str:
    """The 指标值 ``value`` of a table that keeps its sign and unit in columns of their own
    (``parts``: the texts of its ``TARGET_VALUE_PARTS`` columns, by field), as one 指标值:
    sign + value + unit (``95``, ``≥``, ``%`` → ``≥95%``). A sign is joined only where the
    cell holds one (≥, >=, 不低于; not 定量 or 定性) and the value has none; a unit as
    ``models.values.with_unit`` joins it."""
    sign = comparison_sign(parts.get("comparison", ""))
    if sign and value and not parse_target_value(value).comparator:
        value = sign + value
    return with_unit(value, parts.get("unit_of_measure", ""))
