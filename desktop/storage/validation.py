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
from desktop.models.labels import FIELD_LABELS
from desktop.models.values import MAX_AMOUNT_DECIMALS, MAX_INTEGER_DIGITS

#: Each table's columns and their domains (``domains.table_domains``).
_Domains = dict[str, tuple[tuple[str, str, Domain], ...]]
_LABELS = {cls.__tablename__: labels for cls, labels in FIELD_LABELS.items()}  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
_OTHER_LABELS = {
    "id": "编号",
    "uuid": "标识",
    "modified_at": "修改时间",
    "position": "顺序",
    "declaration_id": "所属单位",
    "budget_project_id": "所属预算项目",
    "item_target_id": "所属分项目标",
    "rule": "审核规则",
    "row_uuid": "说明对象",
    "field": "说明栏目",
    "text": "说明内容",
    "printed_at": "打印时间",
    "fingerprint": "内容指纹",
    "parts": "打印内容",
    "token": "锁定标记",
    "computer": "计算机名",
    "user": "用户名",
    "pid": "进程号",
    "since": "锁定时间",
    "unit_uuid": "合并记录的标识",
    "content_hash": "合并记录的指纹",
    "version_num": "版本号",
}
#: How a row of each table is named to the clerk: 第{n}{word} among its siblings.
_ROW_WORDS = {
    "declaration": "个单位",
    "key_task": "项年度主要任务",
    "item_target": "个分项目标",
    "item_target_statement": "条指标表述",
    "budget_project": "个预算项目",
    "disbursement_checkpoint": "个支出节点",
    "indicator": "行指标",
    "finding_explanation": "条审核说明",
    "print_record": "条打印记录",
}
_OTHER_ROWS = {
    "edit_lock": "编辑锁定记录",
    "content_history": "合并记录",
    "alembic_version": "版本记录",
}
_PARENT = {
    "key_task": ("declaration_id", "declaration"),
    "item_target": ("declaration_id", "declaration"),
    "budget_project": ("declaration_id", "declaration"),
    "finding_explanation": ("declaration_id", "declaration"),
    "print_record": ("declaration_id", "declaration"),
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
) -> str:
    """What is wrong with a file whose tables are ours ("" when nothing), in Chinese,
    naming the row in the clerk's words (第2个预算项目的“预算数”), then table, column
    and row id for whoever helps.

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
        return "内容过大"


def _count(connection: sqlite3.Connection, table: str) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _first_unit_problem(
    connection: sqlite3.Connection, in_file: set[str], domains: _Domains
) -> str:
    first = connection.execute(FIRST_UNIT).fetchone()
    unit = None if first is None else int(first[0])
    return _unit_rows_problem(connection, in_file, unit, domains)


def unit_problem(
    connection: sqlite3.Connection,
    in_file: set[str],
    declaration_uuid: str,
    *,
    version: int | None = None,
) -> str:
    """What is wrong ("" when nothing) with the values of one unit's rows (the declaration
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
) -> str:
    rows = {table: "1" for table in _HEAD_TABLES}
    if unit is not None:
        rows |= {table: where.format(unit=unit) for table, where in _UNIT_ROWS.items()}
    return _values_problem(connection, in_file & set(rows), domains, rows=rows)


def _columns_problem(connection: sqlite3.Connection, in_file: set[str], domains: _Domains) -> str:
    for table, columns in domains.items():
        if table not in in_file:
            continue
        found = {
            (row[1], row[2].upper()) for row in connection.execute(f"PRAGMA table_info({table})")
        }
        expected = {(name, kind) for name, kind, _ in columns}
        if found != expected:
            missing = sorted(name for name, _ in expected - found)
            extra = sorted(name for name, _ in found - expected)
            detail = "；".join(
                part
                for part in (
                    f"缺少或改动了 {'、'.join(missing)}" if missing else "",
                    f"多出 {'、'.join(extra)}" if extra else "",
                )
                if part
            )
            return f"表 {table} 的栏目与本程序的不同（{detail}）"
    return ""


def _bounds_problem(connection: sqlite3.Connection, in_file: set[str]) -> str:
    total = sum(_count(connection, table) for table in table_domains() if table in in_file)
    if total > MAX_FILE_ROWS:
        return f"共有 {total} 行内容，超过了一个文件 {MAX_FILE_ROWS} 行的上限"
    declarations = connection.execute("SELECT count(*) FROM declaration").fetchone()[0]
    if declarations > MAX_DECLARATIONS:
        return f"有 {declarations} 个单位的绩效目标，超过了一个文件 {MAX_DECLARATIONS} 个的上限"
    for table, (parent_key, parent) in _PARENT.items():
        if table not in in_file:
            continue
        crowded = connection.execute(
            f"SELECT {parent_key}, count(*) FROM {table} GROUP BY {parent_key} "
            f"HAVING count(*) > {MAX_LIST_ROWS} LIMIT 1"
        ).fetchone()
        if crowded is not None:
            where = _place(connection, parent, crowded[0])
            return f"{where}有 {crowded[1]} {_ROW_WORDS[table]}，超过了 {MAX_LIST_ROWS} 的上限"
    return ""


def _links_problem(connection: sqlite3.Connection, in_file: set[str]) -> str:
    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
        return "有内容失去了所属的项目或单位"
    tables = [t for t in Base.metadata.sorted_tables if "uuid" in t.c and t.name in in_file]
    # one query over the rows themselves (NOT INDEXED: quick_check does not prove an index
    # holds what its table holds); SQLite sorts the UUIDs in its own bounded cache, where a
    # Python set of a county's 383,700 UUIDs took 53 MB (docs/benchmarks.md)
    rows = " UNION ALL ".join(f"SELECT uuid FROM {table.name} NOT INDEXED" for table in tables)
    duplicate = f"SELECT uuid FROM ({rows}) GROUP BY uuid HAVING count(*) > 1 LIMIT 1"
    if connection.execute(duplicate).fetchone() is not None:
        return "同一个标识（UUID）出现在多行中"
    return ""


def _values_problem(
    connection: sqlite3.Connection,
    in_file: set[str],
    domains: _Domains,
    *,
    rows: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> str:
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
            return _describe(connection, table, row[0], name, f"超过了 {MAX_TEXT_CHARS} 字的上限")
        problem = _table_values_problem(connection, table, columns, where, progress)
        if problem:
            return problem
    return ""


#: Rows whose texts are joined by one query of ``_table_values_problem``.
_CHUNK_ROWS = 20_000


def _table_values_problem(
    connection: sqlite3.Connection,
    table: str,
    columns: tuple[tuple[str, str, Domain], ...],
    where: str = "1",
    progress: Progress | None = None,
) -> str:
    """The first value of ``table`` outside its domain, described; "" when none.

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
                problem = domain.problem(value)
                if problem is not None:
                    return _describe(connection, table, row[0], name, problem)
        after = -(2**63)
        while after is not None:
            after, count = connection.execute(chunk, (after,)).fetchone()[:2]
            if progress is not None:
                progress.step(count)
    except sqlite3.OperationalError as exc:  # "Could not decode to UTF-8 column 'x'"
        return _undecodable(connection, table, names, str(exc))
    return ""


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


def _undecodable(connection: sqlite3.Connection, table: str, names: list[str], error: str) -> str:
    """The place of the first text of ``table`` that is not UTF-8 (found row by row)."""
    match = _UNDECODABLE.search(error)
    name = match.group(1) if match and match.group(1) in names else ""
    problem = "不是有效的 UTF-8 编码的文字"
    if name:
        for (rowid,) in connection.execute(f"SELECT rowid FROM {table}").fetchall():
            try:
                connection.execute(
                    f"SELECT {name} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.OperationalError:
                return _describe(connection, table, rowid, name, problem)
    return f"表 {table} 中有文字{problem}"


def _describe(
    connection: sqlite3.Connection, table: str, rowid: int, column: str, problem: str
) -> str:
    """第2个预算项目的“预算数”不是有效的金额…（budget_project.budget_amount，id 2）"""
    label = _LABELS.get(table, {}).get(column) or _OTHER_LABELS.get(column, column)
    place = _place(connection, table, rowid)
    return f"{place}的“{label}”{problem}（{table}.{column}，id {rowid}）"


def _place(connection: sqlite3.Connection, table: str, rowid: object) -> str:
    """A row in the clerk's words: 第2个预算项目的第3行指标; a file of one declaration
    leaves out 第1个单位. Counts rows among their siblings (by position, then id), so it
    holds even when a position is broken."""
    if table in _OTHER_ROWS:
        return _OTHER_ROWS[table]
    try:
        if table == "declaration":
            ids = [i for (i,) in connection.execute(
                f"SELECT id FROM declaration ORDER BY {_FILE_ORDER}"
            )]  # fmt: skip
            if len(ids) == 1:
                return "部门整体"
            return f"第{ids.index(rowid) + 1}个单位" if rowid in ids else "某个单位"
        parent_key, parent = _PARENT[table]
        found = connection.execute(
            f"SELECT {parent_key} FROM {table} WHERE rowid = ?", (rowid,)
        ).fetchone()
        if found is None:
            return f"某{_ROW_WORDS[table][1:]}"
        siblings = [i for (i,) in connection.execute(
            f"SELECT rowid FROM {table} WHERE {parent_key} = ? ORDER BY position, rowid"
            if table not in ("finding_explanation", "print_record")
            else f"SELECT rowid FROM {table} WHERE {parent_key} = ? ORDER BY rowid",
            (found[0],),
        )]  # fmt: skip
        own = f"第{siblings.index(rowid) + 1}{_ROW_WORDS[table]}" if rowid in siblings else ""
        above = _place(connection, parent, found[0])
        if above == "部门整体":
            return own
        return f"{above}的{own}"
    except (sqlite3.Error, KeyError):
        return f"表 {table} 中的一行"
