"""The domain of every stored column, and the bounds of a file: declared once, read by the
check of a file's contents (storage/validation.py), the JSON import (storage/interchange.py)
and the editing services, so that what one accepts the others accept too.

Must not import Qt, sessions or anything from storage/services.

Decision: domains are derived from the column types (amounts, times, integers, texts) and
nullability of the models, with the few closed vocabularies and ranges named here. Why: a
column added to a model gets its check without anyone remembering to add it. The lock
row (``edit_lock``) and the migration stamp are no models; their columns are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.dialects import sqlite

from desktop.models.base import Base, ExactDecimal, UtcDateTime
from desktop.models.indicator_fields import COMPARISONS, DIRECTIONS, NATURES, STRUCTURED_FIELDS
from desktop.models.stages import (
    ACHIEVEMENT_GRADES,
    ADDED_IN_SCHEMA_6,
    COMPLETION_LIKELIHOODS,
    DEVIATION_CAUSES,
    STAGES,
)
from desktop.models.values import MAX_AMOUNT_DECIMALS, MAX_INTEGER_DIGITS, canonical_decimal
from desktop.models.vocabulary import PROFILES

#: Longest text accepted in one field, in characters: far above any real form (a whole
#: 总体绩效目标 is a few thousand), low enough that no widget or printout chokes on it.
MAX_TEXT_CHARS = 100_000
#: Most rows in one list of a declaration: indicators of a project, statements of an item
#: target, key tasks, item targets, budget projects, checkpoints (real tables: tens).
MAX_LIST_ROWS = 5_000
#: Most declarations (unit × year) in one file: a county's 汇总 holds a few hundred.
MAX_DECLARATIONS = 5_000
#: Most rows in one file, all tables together: a 汇总 of 1,000 units × 20 projects × 20
#: indicators. Checking a file costs time in proportion to its rows.
MAX_FILE_ROWS = 500_000
#: The fiscal years a declaration may have (``values.parse_year``).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Largest process id a lock row may name (a C ``int``: what ``os.kill`` and Windows take).
MAX_PID = 2**31 - 1

#: The stored form of a time: UTC without zone, as SQLAlchemy and ``lock.write_holder``
#: write it (``2026-11-29 08:30:00`` or with ``.123456``).
_STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The characters no text may hold, in one place: the C0 controls but tab, line feed and
#: carriage return, and the non-characters U+FFFE and U+FFFF. XML 1.0 forbids them, so no
#: .docx or .xlsx can hold them (python-docx and openpyxl raise), and no font prints them.
#: Typed, pasted or imported text is refused with them (``input_text``); a file already
#: holding them opens, and the review lists each as an 错误 (rule values.control).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Word's manual line break (U+000B) and page break (U+000C), common in text copied from
#: Word: a line break when typed, pasted or imported.
_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def control_problem(text: str) -> str | None:
    """The control characters of ``text`` (``CONTROL_CHARACTERS``) as a Chinese problem
    (含有无法打印和导出的控制字符 U+0001，请删除), or None."""
    found = sorted(set(CONTROL_CHARACTERS.findall(text)))
    if not found:
        return None
    codes = "、".join(f"U+{ord(character):04X}" for character in found)
    return f"含有无法打印和导出的控制字符 {codes}，请删除"


def input_text(text: str) -> str:
    """Text typed, pasted or imported as it is stored: Word's line and page breaks
    (U+000B, U+000C) become line breaks. Raises ``ValueError`` with ``control_problem``'s
    Chinese message when another control character remains (the caller names the field)."""
    text = text.translate(_WORD_BREAKS)
    problem = control_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


@dataclass(frozen=True)
class Domain:
    """What a stored value of one column may be.

    ``kind``: ``text`` (a str of at most ``max_chars`` characters, valid UTF-8: no lone
    surrogates; one of ``allowed`` when given), ``amount`` (decimal text as
    ``canonical_decimal`` writes it: no exponent, NaN or Infinity, at most 12 integer
    digits and 6 decimals, i.e. 万元 to the fen), ``integer`` (an int within
    ``minimum``–``maximum``), ``time`` (UTC text ``YYYY-MM-DD HH:MM:SS[.ffffff]``) or
    ``uuid`` (text of 36 characters). ``required``: None is not allowed.
    """

    kind: str
    required: bool = True
    max_chars: int = MAX_TEXT_CHARS
    allowed: frozenset[str] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` as stored (Chinese, e.g. 不是有效的金额), or None.

        ``value`` is what SQLite or JSON gives: None, str, int, float or bytes.
        """
        if value is None:
            return "缺失（为空）" if self.required else None
        if isinstance(value, bytes):
            return "存成了二进制数据，不是文字"
        if self.kind == "integer":
            return self._integer_problem(value)
        if not isinstance(value, str):
            return f"应为文字，现为“{_shown(value)}”"
        if _SURROGATE.search(value):
            return "含有无效的字符（不成对的代理码）"
        return self._text_problem(value)

    def _integer_problem(self, value: object) -> str | None:
        """``problem`` of a value present in an integer domain: not an integer (a bool is
        none), or outside ``minimum``…``maximum``; else None."""
        if not isinstance(value, int) or isinstance(value, bool):
            return f"应为整数，现为“{_shown(value)}”"
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            return f"应在 {self.minimum}～{self.maximum} 之间，现为 {_shown(value)}"
        return None

    def _text_problem(self, value: str) -> str | None:
        """``problem`` of a text of valid characters in any domain but an integer one: an
        amount not ``canonical_decimal``, a time not as stored, a UUID not 36 characters,
        a text over ``max_chars`` or not among ``allowed``; else None."""
        if self.kind == "amount":
            if canonical_decimal(value) is None:
                return (
                    f"不是有效的金额或百分比“{_shown(value)}”：应为最多 {MAX_INTEGER_DIGITS} "
                    f"位整数、{MAX_AMOUNT_DECIMALS} 位小数的十进制数，如 184.00"
                )
            return None
        if self.kind == "time":
            return None if _stored_time(value) else f"不是有效的时间：“{_shown(value)}”"
        if self.kind == "uuid":
            return None if len(value) == 36 else f"不是有效的标识：“{_shown(value)}”"
        if len(value) > self.max_chars:
            return f"有 {len(value)} 字，超过了 {self.max_chars} 字的上限"
        if self.allowed is not None and value not in self.allowed:
            return f"是不认识的值“{_shown(value)}”"
        return None


def _stored_time(text: str) -> bool:
    if not _STORED_TIME.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:  # e.g. month 13
        return False
    return True


def _shown(value: object) -> str:
    """A value as quoted in a message: at most 20 characters."""
    text = str(value) if not isinstance(value, int) or abs(value) < 10**30 else "（极大的整数）"
    return text if len(text) <= 20 else text[:20] + "…"


TEXT = Domain("text")
YEAR = Domain("integer", minimum=FIRST_YEAR, maximum=LAST_YEAR)
#: the named exceptions to what the column type says
_DECLARED: dict[tuple[str, str], Domain] = {
    ("declaration", "fiscal_year"): YEAR,
    ("declaration", "profile"): Domain("text", allowed=frozenset(PROFILES)),
    ("declaration", "amount_unit"): Domain("text", allowed=frozenset({"万元"})),
    ("content_history", "unit_uuid"): Domain("uuid"),
    ("indicator", "indicator_nature"): Domain("text", allowed=frozenset({"", *NATURES})),
    ("indicator", "comparison"): Domain("text", allowed=frozenset({"", *COMPARISONS})),
    ("indicator", "unit_of_measure"): Domain("text", max_chars=8),
    ("indicator", "direction"): Domain("text", allowed=frozenset({"", *DIRECTIONS})),
    ("declaration", "stage"): Domain("text", allowed=frozenset(STAGES)),
    ("declaration", "monitoring_month"): Domain("integer", required=False, minimum=1, maximum=12),
    ("indicator", "completion_likelihood"): Domain(
        "text", allowed=frozenset({"", *COMPLETION_LIKELIHOODS})
    ),
    ("indicator", "deviation_cause"): Domain("text", allowed=frozenset({"", *DEVIATION_CAUSES})),
    ("indicator", "achievement_grade"): Domain(
        "text", allowed=frozenset({"", *ACHIEVEMENT_GRADES})
    ),
    ("target_adjustment", "row_uuid"): Domain("uuid"),
    ("target_adjustment", "adjusted_on"): Domain("text", max_chars=10),
}
#: Columns of the tables that are no models: (name, declared type, domain).
OTHER_TABLES: dict[str, tuple[tuple[str, str, Domain], ...]] = {
    "edit_lock": (  # desktop/storage/lock.py
        ("id", "INTEGER", Domain("integer", minimum=1, maximum=1)),
        ("token", "VARCHAR(36)", Domain("text", max_chars=100)),
        ("computer", "TEXT", Domain("text", max_chars=1_000)),
        ("user", "TEXT", Domain("text", max_chars=1_000)),
        ("pid", "INTEGER", Domain("integer", minimum=0, maximum=MAX_PID)),
        ("since", "DATETIME", Domain("time")),
    ),
    "alembic_version": (("version_num", "VARCHAR(32)", Domain("text", max_chars=32)),),
}


def column_domain(column: Column[object]) -> Domain:
    """The domain of a model's column: named in ``_DECLARED``, else from its type."""
    declared = _DECLARED.get((column.table.name, column.name))
    if declared is not None:
        return declared
    required = not column.nullable
    if isinstance(column.type, ExactDecimal):
        return Domain("amount", required=required)
    if isinstance(column.type, (DateTime, UtcDateTime)):
        return Domain("time", required=required)
    if isinstance(column.type, Integer):
        if column.name == "position":
            return Domain("integer", required=required, minimum=0, maximum=MAX_LIST_ROWS)
        return Domain("integer", required=required, minimum=1)
    if column.name == "uuid":
        return Domain("uuid", required=required)
    if isinstance(column.type, (String, Text)):
        return Domain("text", required=required)
    raise TypeError(f"no domain for {column}")  # a new column type needs one here


#: Columns a schema version added to a table that older versions already had (by its
#: migration): an older file's table lacks them. Otherwise older schemas lack whole tables.
ADDED_COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    5: {"indicator": STRUCTURED_FIELDS},
    6: ADDED_IN_SCHEMA_6,
}


@cache
def table_domains(version: int | None = None) -> dict[str, tuple[tuple[str, str, Domain], ...]]:
    """Every table of a .jxdb file of the newest schema (``version`` None) or of schema
    ``version``: its columns as (name, declared SQL type as SQLite reports it, domain),
    without the ``ADDED_COLUMNS`` of later versions. Older schemas also lack whole tables
    (the caller knows which are in the file)."""
    dialect = sqlite.dialect()
    later = {
        (table, name)
        for added_in, tables in ADDED_COLUMNS.items()
        if version is not None and added_in > version
        for table, names in tables.items()
        for name in names
    }
    tables = {
        table.name: tuple(
            (column.name, str(column.type.compile(dialect=dialect)), column_domain(column))
            for column in table.c
            if (table.name, column.name) not in later
        )
        for table in Base.metadata.sorted_tables
    }
    return {**tables, **OTHER_TABLES}


@cache
def field_domain(table: str, name: str) -> Domain:
    """The domain of column ``name`` of ``table`` (KeyError for an unknown one)."""
    return {column: domain for column, _, domain in table_domains()[table]}[name]
