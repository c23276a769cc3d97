"""The one check of a file's contents, run by ``document.check_file`` for every entry point
(opening in the window, check, print, export, merge sources, diff, summary): the schema's
columns, the bounds of a file, and every stored value within its column's domain
(desktop/models/domains.py). Must not import Qt.

It reads with plain sqlite3 on the read-only connection of ``check_file``: the ORM's types
would raise (decimal, time, text conversions) on exactly the values it is there to find.
Cost: a few counting queries, then one pass of SQLite over every row of the file; only
rows SQLite cannot prove valid are checked in Python (``_table_values_problem``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from desktop.models import Base
from desktop.models.domains import (
    MAX_DECLARATIONS,
    MAX_FILE_ROWS,
    MAX_LIST_ROWS,
    MAX_TEXT_CHARS,
    Domain,
    table_domains,
)
from desktop.models.values import MAX_AMOUNT_DECIMALS, MAX_INTEGER_DIGITS
from desktop.storage.reasons import (
    ContentProblem,
    DamagedPart,
    RowStep,
    StepKind,
    ValuePlace,
)

#: Each table's columns and their domains (``domains.table_domains``).
_Domains = dict[str, tuple[tuple[str, str, Domain], ...]]
#: The tables of records that are not rows of a unit (``StepKind.RECORD``).
_RECORDS = ("edit_lock", "content_history", "alembic_version")
_PARENT = {
    "key_task": ("declaration_id", "declaration"),
    "item_target": ("declaration_id", "declaration"),
    "budget_project": ("declaration_id", "declaration"),
    "finding_explanation": ("declaration_id", "declaration"),
    "print_record": ("declaration_id", "declaration"),
    "target_adjustment": ("declaration_id", "declaration"),
    "item_target_statement": ("item_target_id", "item_target"),
    "disbursement_checkpoint": ("budget_project_id", "budget_project"),
    "indicator": ("budget_project_id", "budget_project"),
}
_UNDECODABLE = re.compile(r"column '?(\w+)'?")
#: Read whole to open a file and list its units: checked whole by ``first_unit_only``.
_HEAD_TABLES = ("alembic_version", "declaration", "edit_lock")
#: The rows of one unit (``{unit}``: its declaration id) in each table below the declaration:
#: what the window reads to show that unit (``services.documents.load_declaration``).
_UNIT_ROWS = {
    "key_task": "declaration_id = {unit}",
    "item_target": "declaration_id = {unit}",
    "budget_project": "declaration_id = {unit}",
    "finding_explanation": "declaration_id = {unit}",
    "print_record": "declaration_id = {unit}",
    "pending_input": "declaration_id = {unit}",
    "target_adjustment": "declaration_id = {unit}",
    "item_target_statement": (
        "item_target_id IN (SELECT id FROM item_target WHERE declaration_id = {unit})"
    ),
    "disbursement_checkpoint": (
        "budget_project_id IN (SELECT id FROM budget_project WHERE declaration_id = {unit})"
    ),
    "indicator": (
        "budget_project_id IN (SELECT id FROM budget_project WHERE declaration_id = {unit})"
    ),
}
#: The order of a file's units (``services.documents._FILE_ORDER``: tests/test_check_later.py).
_FILE_ORDER = "fiscal_year, unit_code, id"
#: The file's first unit: the one the window shows on opening.
FIRST_UNIT = f"SELECT id FROM declaration ORDER BY {_FILE_ORDER} LIMIT 1"
#: The UUID of that unit.
FIRST_UNIT_UUID = f"SELECT uuid FROM declaration ORDER BY {_FILE_ORDER} LIMIT 1"
#: How much of a full check's progress the links (foreign keys, UUIDs) stand for, in rows.
_LINKS_SHARE = 4


class Progress:
    """How far a full ``content_problem`` has come: ``done`` of ``total`` rows (the links
    count as a quarter of the rows). ``report(done, total)`` is called after each step; it
    may raise to stop the check (the exception propagates)."""

    def __init__(self, report: Callable[[int, int], None]) -> None:
        self.report = report
        self.done = 0
        self.total = 1

    def step(self, rows: int) -> None:
        """``rows`` more rows checked."""
        self.done += rows
        self.report(min(self.done, self.total), self.total)


def content_problem(
    connection: sqlite3.Connection,
    in_file: set[str],
    *,
    first_unit_only: bool = False,
    progress: Progress | None = None,
    version: int | None = None,
) -> DamagedPart | None:
    """What is wrong with a file whose tables are ours (None when nothing): the first
    ``DamagedPart`` found, a value named by its place (the rows from its unit down, then
    table, column and row id; words: desktop/content_words.py).

    ``in_file``: the file's tables (an older schema lacks whole tables). Checks, in order:
    every table has exactly our columns (none dropped, renamed or added); the bounds
    (``MAX_FILE_ROWS``, ``MAX_DECLARATIONS``, ``MAX_LIST_ROWS`` rows of one list) before
    any row is read; foreign keys; a UUID names one row of the whole file (the merge
    matches rows by it); then every value within its column's domain (amounts finite
    decimals to 6 places, times ISO UTC text, texts valid UTF-8 within
    ``MAX_TEXT_CHARS``, required values present, integers in range, lock row well-formed).

    ``first_unit_only``: the columns, the bounds, the values of the tables read whole to
    open the file and list its units (``_HEAD_TABLES``) and of the rows of its first unit
    (``FIRST_UNIT``, ``_UNIT_ROWS``) — no links, no other unit: what the window needs to
    show the file; the rest must be checked (the whole again) before anything is written.
    ``progress`` follows a full check. ``version``: the file's schema version (None: the
    newest), whose columns it must have (``domains.table_domains``).
    """
    domains = table_domains(version)
    try:
        if first_unit_only:
            return (
                _columns_problem(connection, in_file, domains)
                or _bounds_problem(connection, in_file)
                or _first_unit_problem(connection, in_file, domains)
            )
        problem = _columns_problem(connection, in_file, domains) or _bounds_problem(
            connection, in_file
        )
        if problem:
            return problem
        if progress is not None:
            rows = sum(_count(connection, t) for t in table_domains() if t in in_file)
            progress.total = rows + rows // _LINKS_SHARE
        problem = _links_problem(connection, in_file)
        if problem:
            return problem
        if progress is not None:
            progress.step(progress.total - rows)
        return _values_problem(connection, in_file, domains, progress=progress)
    except MemoryError:  # a file built to exhaust memory
        return DamagedPart(ContentProblem.TOO_LARGE)


def _count(connection: sqlite3.Connection, table: str) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _first_unit_problem(
    connection: sqlite3.Connection, in_file: set[str], domains: _Domains
) -> DamagedPart | None:
    first = connection.execute(FIRST_UNIT).fetchone()
    unit = None if first is None else int(first[0])
    return _unit_rows_problem(connection, in_file, unit, domains)


def unit_problem(
    connection: sqlite3.Connection,
    in_file: set[str],
    declaration_uuid: str,
    *,
    version: int | None = None,
) -> DamagedPart | None:
    """What is wrong (None when nothing) with the values of one unit's rows (the declaration
    whose UUID is ``declaration_uuid``) and of the tables read whole to list the units:
    the check of ``content_problem(first_unit_only=True)`` for another unit, before the
    window shows it while the rest of the file is checked. ``version``: the file's schema
    version (None: the newest)."""
    found = connection.execute(
        "SELECT id FROM declaration WHERE uuid = ?", (declaration_uuid,)
    ).fetchone()
    unit = None if found is None else int(found[0])
    return _unit_rows_problem(connection, in_file, unit, table_domains(version))


def _unit_rows_problem(
    connection: sqlite3.Connection, in_file: set[str], unit: int | None, domains: _Domains
) -> DamagedPart | None:
    rows = {table: "1" for table in _HEAD_TABLES}
    if unit is not None:
        rows |= {table: where.format(unit=unit) for table, where in _UNIT_ROWS.items()}
    return _values_problem(connection, in_file & set(rows), domains, rows=rows)


def _columns_problem(
    connection: sqlite3.Connection, in_file: set[str], domains: _Domains
) -> DamagedPart | None:
    for table, columns in domains.items():
        if table not in in_file:
            continue
        found = {
            (row[1], row[2].upper()) for row in connection.execute(f"PRAGMA table_info({table})")
        }
        expected = {(name, kind) for name, kind, _ in columns}
        if found != expected:
            return DamagedPart(
                ContentProblem.COLUMNS,
                table=table,
                missing=tuple(sorted(name for name, _ in expected - found)),
                extra=tuple(sorted(name for name, _ in found - expected)),
            )
    return None


def _bounds_problem(connection: sqlite3.Connection, in_file: set[str]) -> DamagedPart | None:
    total = sum(_count(connection, table) for table in table_domains() if table in in_file)
    if total > MAX_FILE_ROWS:
        return DamagedPart(ContentProblem.FILE_ROWS, count=total, limit=MAX_FILE_ROWS)
    declarations = connection.execute("SELECT count(*) FROM declaration").fetchone()[0]
    if declarations > MAX_DECLARATIONS:
        return DamagedPart(
            ContentProblem.DECLARATIONS, count=int(declarations), limit=MAX_DECLARATIONS
        )
    for table, (parent_key, parent) in _PARENT.items():
        if table not in in_file:
            continue
        crowded = connection.execute(
            f"SELECT {parent_key}, count(*) FROM {table} GROUP BY {parent_key} "
            f"HAVING count(*) > {MAX_LIST_ROWS} LIMIT 1"
        ).fetchone()
        if crowded is not None:
            return DamagedPart(
                ContentProblem.LIST_ROWS,
                table=table,
                count=int(crowded[1]),
                limit=MAX_LIST_ROWS,
                place=_place(connection, parent, crowded[0]),
            )
    return None


def _links_problem(connection: sqlite3.Connection, in_file: set[str]) -> DamagedPart | None:
    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
        return DamagedPart(ContentProblem.LOST_LINK)
    tables = [t for t in Base.metadata.sorted_tables if "uuid" in t.c and t.name in in_file]
    # one query over the rows themselves (NOT INDEXED: quick_check does not prove an index
    # holds what its table holds); SQLite sorts the UUIDs in its own bounded cache, where a
    # Python set of a county's 383,700 UUIDs took 53 MB (docs/benchmarks.md)
    rows = " UNION ALL ".join(f"SELECT uuid FROM {table.name} NOT INDEXED" for table in tables)
    duplicate = f"SELECT uuid FROM ({rows}) GROUP BY uuid HAVING count(*) > 1 LIMIT 1"
    if connection.execute(duplicate).fetchone() is not None:
        return DamagedPart(ContentProblem.DUPLICATE_UUID)
    return None


def _values_problem(
    connection: sqlite3.Connection,
    in_file: set[str],
    domains: _Domains,
    *,
    rows: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> DamagedPart | None:
    """The first value outside its domain in the tables ``in_file`` (``rows``: only the
    rows of each table where this SQL condition holds; default all)."""
    for table, columns in domains.items():
        if table not in in_file:
            continue
        where = f"({rows[table]})" if rows is not None else "1"
        texts = [name for name, _, domain in columns if domain.kind == "text"]
        # long texts are found by SQLite, without bringing 100 MB into Python
        long = " OR ".join(f"length({name}) > {MAX_TEXT_CHARS}" for name in texts)
        row = connection.execute(
            f"SELECT rowid, {', '.join(texts)} FROM {table} WHERE ({long}) AND {where} LIMIT 1"
        ).fetchone()
        if row is not None:
            name = next(n for n, value in zip(texts, row[1:], strict=True) if _too_long(value))
            return DamagedPart(
                ContentProblem.TEXT_TOO_LONG,
                limit=MAX_TEXT_CHARS,
                value=_value_place(connection, table, row[0], name),
            )
        problem = _table_values_problem(connection, table, columns, where, progress)
        if problem:
            return problem
    return None


#: Rows whose texts are joined by one query of ``_table_values_problem``.
_CHUNK_ROWS = 20_000


def _table_values_problem(
    connection: sqlite3.Connection,
    table: str,
    columns: tuple[tuple[str, str, Domain], ...],
    where: str = "1",
    progress: Progress | None = None,
) -> DamagedPart | None:
    """The first value of ``table`` outside its domain; None when none.

    SQLite screens the rows: one query finds those whose values it cannot prove to be
    within their domains (``_surely_valid``, never true of a value ``Domain.problem``
    refuses), and only those are checked by ``Domain.problem``, in rowid order, so the
    message is the one of the value-by-value check. Then the texts of each column,
    ``_CHUNK_ROWS`` rows at a time, are joined by SQLite with line feeds into one text
    that Python decodes: it decodes exactly when every text is valid UTF-8 (an invalid
    sequence stays invalid next to an ASCII byte); the first text that does not is then
    found row by row. Why: the check of every value in Python took 5 s for a county's
    汇总 file (4 million values) before the window could show it. Only the rows for which
    the SQL condition ``where`` holds are checked; ``progress`` is told each chunk's rows.
    """
    names = [name for name, _, _ in columns]
    domains = [domain for _, _, domain in columns]
    proven = " AND ".join(_surely_valid(name, domain) for name, _, domain in columns)
    suspects = (
        f"SELECT rowid, {', '.join(names)} FROM {table} "
        f"WHERE NOT coalesce({proven}, 0) AND {where} ORDER BY rowid"
    )
    texts = [name for name, _, domain in columns if domain.kind != "integer"]
    joined = "".join(f", group_concat({name}, char(10)) AS {name}" for name in texts)
    chunk = (
        f"SELECT max(rowid), count(*){joined} FROM ("
        f"SELECT rowid, {', '.join(texts)} FROM {table} WHERE rowid > ? AND {where} "
        f"ORDER BY rowid LIMIT {_CHUNK_ROWS})"
    )
    try:
        for row in connection.execute(suspects):
            for name, domain, value in zip(names, domains, row[1:], strict=True):
                detail = domain.problem(value)
                if detail is not None:
                    return DamagedPart(
                        ContentProblem.BAD_VALUE,
                        value=_value_place(connection, table, row[0], name),
                        detail=detail,
                    )
        after = -(2**63)
        while after is not None:
            after, count = connection.execute(chunk, (after,)).fetchone()[:2]
            if progress is not None:
                progress.step(count)
    except sqlite3.OperationalError as exc:  # "Could not decode to UTF-8 column 'x'"
        return _undecodable(connection, table, names, str(exc))
    return None


def _surely_valid(name: str, domain: Domain) -> str:
    """An SQL condition on column ``name`` that holds only for values ``domain`` accepts
    (it may fail for some valid ones: those are checked in Python). Lengths are in bytes
    (never fewer than characters, and counted past a NUL, where ``length`` stops)."""
    if domain.kind == "integer":
        bounds = "".join(
            f" AND {name} {op} {limit}"
            for op, limit in ((">=", domain.minimum), ("<=", domain.maximum))
            if limit is not None
        )
        value = f"(typeof({name}) = 'integer'{bounds})"
    else:
        size = f"length(CAST({name} AS BLOB))"
        rule = {
            "text": f"{size} <= {domain.max_chars}",
            "uuid": f"{size} = 36 AND length({name}) = 36",
            "time": _surely_time(name, size),
            "amount": _surely_amount(name),
        }[domain.kind]
        value = f"(typeof({name}) = 'text' AND {rule})"
        if domain.allowed is not None:
            words = ", ".join(f"'{word}'" for word in sorted(domain.allowed) if "'" not in word)
            value = f"({value} AND {name} IN ({words}))"
    return value if domain.required else f"({name} IS NULL OR {value})"


_DIGITS = "[0-9][0-9]"
_TIME = f"{_DIGITS}{_DIGITS}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
_LONG_MONTHS = "('01', '03', '05', '07', '08', '10', '12')"


def _surely_time(name: str, size: str) -> str:
    """SQL that holds only for times ``domains._stored_time`` accepts: 19 characters, or
    26 with six decimals; year from 0001, month 01–12, a day the month has (29 February
    is left to Python), hour up to 23."""
    month, day = f"substr({name}, 6, 2)", f"substr({name}, 9, 2)"
    return (
        f"({size} = 19 OR ({size} = 26 AND substr({name}, 20) GLOB '.{'[0-9]' * 6}'))"
        f" AND {name} GLOB '{_TIME}*' AND substr({name}, 1, 4) <> '0000'"
        f" AND {month} BETWEEN '01' AND '12' AND substr({name}, 12, 2) <= '23'"
        f" AND ({day} BETWEEN '01' AND '28' OR ({day} BETWEEN '01' AND '30' AND {month} <> '02')"
        f" OR ({day} = '31' AND {month} IN {_LONG_MONTHS}))"
    )


def _surely_amount(name: str) -> str:
    """SQL that holds exactly for the texts ``canonical_decimal`` accepts (an optional
    minus, 1–12 digits, optionally a point and 1–6 digits)."""
    number = f"(CASE WHEN {name} GLOB '-*' THEN substr({name}, 2) ELSE {name} END)"
    point = f"instr({number}, '.')"
    return (
        f"{number} GLOB '[0-9]*' AND {number} NOT GLOB '*[^0-9.]*'"
        f" AND {number} NOT GLOB '*.*.*' AND {number} NOT GLOB '*.'"
        f" AND (CASE {point} WHEN 0 THEN length({number}) ELSE {point} - 1 END)"
        f" <= {MAX_INTEGER_DIGITS}"
        f" AND (CASE {point} WHEN 0 THEN 0 ELSE length({number}) - {point} END)"
        f" <= {MAX_AMOUNT_DECIMALS}"
    )


def _too_long(value: object) -> bool:
    return isinstance(value, (str, bytes)) and len(value) > MAX_TEXT_CHARS


def _undecodable(
    connection: sqlite3.Connection, table: str, names: list[str], error: str
) -> DamagedPart:
    """The place of the first text of ``table`` that is not UTF-8 (found row by row)."""
    match = _UNDECODABLE.search(error)
    name = match.group(1) if match and match.group(1) in names else ""
    if name:
        for (rowid,) in connection.execute(f"SELECT rowid FROM {table}").fetchall():
            try:
                connection.execute(
                    f"SELECT {name} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.OperationalError:
                value = _value_place(connection, table, rowid, name)
                return DamagedPart(ContentProblem.NOT_UTF8, value=value)
    return DamagedPart(ContentProblem.NOT_UTF8_TABLE, table=table)


def _value_place(connection: sqlite3.Connection, table: str, rowid: int, column: str) -> ValuePlace:
    """Where the value of ``column`` in the row ``rowid`` of ``table`` is."""
    return ValuePlace(_place(connection, table, rowid), table, column, rowid)


def _place(connection: sqlite3.Connection, table: str, rowid: object) -> tuple[RowStep, ...]:
    """A row's place: the rows from its unit down to it (words: ``content_words.place_words``,
    第2个预算项目的第3行指标). Counts rows among their siblings (by position, then id), so it
    holds even when a position is broken."""
    if table in _RECORDS:
        return (RowStep(table, StepKind.RECORD),)
    try:
        if table == "declaration":
            ids = [i for (i,) in connection.execute(
                f"SELECT id FROM declaration ORDER BY {_FILE_ORDER}"
            )]  # fmt: skip
            if len(ids) == 1:
                return (RowStep(table, StepKind.SOLE_UNIT),)
            return (_counted(table, rowid, ids),)
        parent_key, parent = _PARENT[table]
        found = connection.execute(
            f"SELECT {parent_key} FROM {table} WHERE rowid = ?", (rowid,)
        ).fetchone()
        if found is None:
            return (RowStep(table, StepKind.ORPHAN),)
        siblings = [i for (i,) in connection.execute(
            f"SELECT rowid FROM {table} WHERE {parent_key} = ? ORDER BY position, rowid"
            if table not in ("finding_explanation", "print_record")
            else f"SELECT rowid FROM {table} WHERE {parent_key} = ? ORDER BY rowid",
            (found[0],),
        )]  # fmt: skip
        own = _counted(table, rowid, siblings)
        return (*_place(connection, parent, found[0]), own)
    except (sqlite3.Error, KeyError):
        return (RowStep(table, StepKind.UNREADABLE),)


def _counted(table: str, rowid: object, siblings: list[object]) -> RowStep:
    """The row ``rowid`` of ``table`` counted among its ``siblings`` (in their order)."""
    if rowid not in siblings:
        return RowStep(table, StepKind.UNCOUNTED)
    return RowStep(table, StepKind.COUNTED, siblings.index(rowid) + 1)
