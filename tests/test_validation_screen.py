"""The SQL screen of the value check (storage/validation.py ``_surely_valid``): it proves
valid only values the domains accept, and proves the values the program writes."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.models.domains import Domain, table_domains
from desktop.storage.validation import _surely_valid

TIMES = [
    "2026-11-29 08:30:00", "2026-11-29 08:30:00.123456", "2024-02-29 00:00:00",
    "2023-02-29 00:00:00", "2026-02-30 00:00:00", "2026-04-31 00:00:00", "2026-01-31 23:59:59",
    "2026-13-01 00:00:00", "2026-00-10 00:00:00", "2026-01-00 00:00:00", "2026-01-01 24:00:00",
    "2026-01-01 23:60:00", "2026-01-01 23:00:60", "0000-01-01 00:00:00", "0001-01-01 00:00:00",
    "2026-01-01T00:00:00", "2026-01-01 00:00:00.1", "2026-01-01 00:00:00.1234567",
    "2026-01-01 00:00:00.12345a", "２０２６-01-01 00:00:00", "2026-01-01 00:00:00 ", "",
]  # fmt: skip
AMOUNTS = [
    "0", "184.00", "-5", "-0.000001", "123456789012", "1234567890123", "1.1234567", "1.",
    ".5", "-", "--1", "1.2.3", "1e5", "NaN", "Infinity", " 1", "1,000", "１８４", "+1", "",
    "123456789012.123456",
]  # fmt: skip
TEXTS = ["", "乐亭县", "county", "a\x00b", "x" * 36, "中" * 12, "\U0001f600", "a'b", "x" * 101]
UUIDS = ["0" * 36, "中" * 36, "0" * 35, "0" * 37, "a\x00" + "0" * 34, "", "0" * 12]
OTHERS: list[object] = [None, 0, 1, -1, 5000, 5001, 2**62, 1.5, b"abc", b"", 2000, 2100, 2101]

DOMAINS = [
    Domain("text"),
    Domain("text", required=False),
    Domain("text", max_chars=100),
    Domain("text", allowed=frozenset({"county", "a'b"})),
    Domain("uuid"),
    Domain("time"),
    Domain("amount", required=False),
    Domain("amount"),
    Domain("integer", minimum=0, maximum=5000),
    Domain("integer", minimum=1),
    Domain("integer", required=False, minimum=2000, maximum=2100),
]


@pytest.mark.parametrize("domain", DOMAINS, ids=repr)
def test_screen_proves_only_what_the_domain_accepts(domain: Domain) -> None:
    """For every value, SQLite proving it valid implies ``Domain.problem`` finds none; the
    valid values of each kind are proven (else every row would go to Python)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (v)")
    values = [*TIMES, *AMOUNTS, *TEXTS, *UUIDS, *OTHERS]
    connection.executemany("INSERT INTO t VALUES (?)", [(value,) for value in values])
    proven = {
        rowid: bool(ok)
        for rowid, ok in connection.execute(
            f"SELECT rowid, coalesce({_surely_valid('v', domain)}, 0) FROM t"
        )
    }
    for rowid, value in enumerate(values, start=1):
        if proven[rowid]:
            assert domain.problem(value) is None, (domain, value)
    written = [v for v in WRITTEN[domain.kind] if domain.problem(v) is None]
    assert written
    assert all(proven[values.index(v) + 1] for v in written), domain


#: values as the program writes them: the screen proves them (else every row would go to
#: Python); what it leaves to Python is rare (29 February, an odd fraction, long texts)
WRITTEN: dict[str, list[object]] = {
    "text": ["", "乐亭县", "county", "中" * 12],
    "uuid": ["0" * 36],
    "time": ["2026-11-29 08:30:00", "2026-11-29 08:30:00.123456", "2026-01-31 23:59:59"],
    "amount": ["0", "184.00", "-5", "123456789012.123456"],
    "integer": [1, 5000, 2000, 2100],
}


def test_screen_of_every_column_is_valid_sql() -> None:
    """Every column of every table has a screen SQLite accepts."""
    connection = sqlite3.connect(":memory:")
    for table, columns in table_domains().items():
        names = ", ".join(f'"{name}"' for name, _, _ in columns)
        connection.execute(f"CREATE TABLE {table} ({names})")
        proven = " AND ".join(_surely_valid(name, domain) for name, _, domain in columns)
        assert connection.execute(f"SELECT count(*) FROM {table} WHERE {proven}").fetchone()
