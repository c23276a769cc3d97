"""Merge units, their content hashes, and the content history every file keeps of them.

Decision: the baseline of merging ("changed since they last met") is a content history,
not a single agreed hash. Every file records content hashes its merge units have had: at
each commit of ORM-tracked changes (new, moved, removed rows; creating a file; merging),
for field edits (the typing hot path) the unit's content before the first edit of a row
after opening — the content the file had when it was opened, so also when it was copied —
and at a merge, the other file's history of the units merged. Two copies of one file then
share the history up to the moment they were copied, without the program ever seeing the
copying, and typing adds at most one hash per edited row and opening. A copy taken while
the program is editing the file may miss its last state: that unit then shows as changed
on both sides, for the clerk to decide. Then, for a unit in both files with different content:
the other side's content is in my history → changed here; mine is in theirs → changed
there; neither (or both, or no history: files of schema 1) → changed on both sides.
Why: a single "last agreed" hash recorded at the first change after creation misclassifies
a file filled in for weeks and then copied; a history needs no knowledge of the copy.
Alternatives: version vectors per office (need an office identity that byte copies share),
modification times (clocks of office PCs differ; a merge must not compare them blindly).
Must not import Qt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.base import SyncedRow
from desktop.models.history import ContentHistory
from desktop.storage.interchange import dump_row, is_content

#: The owned lists of a declaration that belong to its header unit (the rest of Part 1).
HEADER_LISTS = ("key_tasks", "item_targets")
_TOUCHED = "jixiao_touched_units"
#: ``session.info`` key: the units ``record_unit_of`` recorded in this session
_RECORDED = "jixiao_recorded_units"


def unit_data(unit: Declaration | BudgetProject) -> dict[str, Any]:
    """The JSON form of a merge unit: a declaration's header (its fields, key tasks and item
    targets, no projects, explanations or print records) or a whole budget project."""
    if isinstance(unit, Declaration):
        return dump_row(unit, HEADER_LISTS)
    return dump_row(unit)


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 hex of JSON-form unit data without row identities and modification times.

    Links (``budget_project_uuid``) are kept: pointing an item target at another project
    is a change. Equal content gives an equal hash however the rows were created; an
    indicator's structured fields count as ``interchange.is_content`` says.
    """

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if k not in ("uuid", "modified_at") and is_content(k, v)
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    text = json.dumps(strip(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unit_of(row: SyncedRow) -> Declaration | BudgetProject | None:
    """The merge unit a row belongs to (None for a row cut off from its parent)."""
    if isinstance(row, Declaration | BudgetProject):
        return row
    if isinstance(row, KeyTask | ItemTarget):
        return row.declaration
    if isinstance(row, ItemTargetStatement):
        return row.item_target.declaration if row.item_target is not None else None
    if isinstance(row, DisbursementCheckpoint | Indicator):
        return row.budget_project
    return None  # review explanations and print records are not merged content


def record(session: Session, hashes: dict[str, set[str]]) -> None:
    """Add ``{unit_uuid: {content_hash, …}}`` to the file's history (known ones are skipped)."""
    rows = [{"unit_uuid": u, "content_hash": h} for u, found in hashes.items() for h in found]
    if rows:  # parameters apart from the statement: compiled once, however many rows
        session.execute(conflict_insert(session, ContentHistory).on_conflict_do_nothing(), rows)


def forget(session: Session, rows: Sequence[tuple[str, str]]) -> None:
    """Take the rows ``(unit_uuid, content_hash)`` out of the file's history (the undo of
    a merge: ``Changes.history_removed``)."""
    for unit_uuid, digest in rows:
        session.execute(
            delete(ContentHistory).where(
                ContentHistory.unit_uuid == unit_uuid, ContentHistory.content_hash == digest
            )
        )


def record_touched(session: Session) -> None:
    """Record now, not at commit, the content of the merge units the session's changes
    touched (as ``track_history`` does at commit): what a merge adds to the history is
    then known before it commits."""
    session.flush()
    _record_units(session)


def conflict_insert(session: Session, table: Any) -> Any:
    """An INSERT into ``table`` (a model or table) that takes ``on_conflict_do_nothing`` /
    ``on_conflict_do_update``, for the session's database: SQLite (a .jxdb file) or
    PostgreSQL (a collection, storage/collection.py)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def record_unit_of(session: Session, row_type: type[SyncedRow], row_uuid: str) -> None:
    """Record the current content of the unit holding the row ``row_uuid`` (if it exists),
    once per unit and session: called before a session's first write to the unit, so that
    what is recorded is its content before the session's edit, never a state half-way
    through an edit of several fields or rows (a 指标值 and the fields read from it)."""
    row = session.scalars(select(row_type).where(row_type.uuid == row_uuid)).one_or_none()
    unit = unit_of(row) if row is not None else None
    recorded = session.info.setdefault(_RECORDED, set())
    if unit is not None and unit.uuid not in recorded:
        recorded.add(unit.uuid)
        record(session, {unit.uuid: {content_hash(unit_data(unit))}})


def history(session: Session, unit_uuids: set[str] | None = None) -> dict[str, set[str]]:
    """The file's content history, ``{unit_uuid: {content_hash, …}}`` (only those units
    when ``unit_uuids`` is given)."""
    statement = select(ContentHistory.unit_uuid, ContentHistory.content_hash)
    if unit_uuids is not None:
        statement = statement.where(ContentHistory.unit_uuid.in_(unit_uuids))
    found: dict[str, set[str]] = {}
    for unit_uuid, digest in session.execute(statement):
        found.setdefault(unit_uuid, set()).add(digest)
    return found


def track_history(sessions: sessionmaker[Session]) -> None:
    """Make every session of ``sessions`` record, at commit, the content of each merge unit
    whose rows it added, changed or removed."""
    event.listen(sessions, "before_flush", _collect_units)
    event.listen(sessions, "before_commit", _record_units)


def _collect_units(session: Session, _context: Any, _instances: Any) -> None:
    touched = session.info.setdefault(_TOUCHED, [])
    with session.no_autoflush:
        for row in (*session.new, *session.dirty, *session.deleted):
            if isinstance(row, SyncedRow):
                unit = unit_of(row)
                if unit is not None:
                    touched.append(unit)


def _record_units(session: Session) -> None:
    session.flush()
    units = session.info.pop(_TOUCHED, [])
    alive = {id(u): u for u in units if inspect(u).persistent}
    with session.no_autoflush:
        record(session, _hashes(alive.values()))


def _hashes(units: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for unit in units:
        found.setdefault(unit.uuid, set()).add(content_hash(unit_data(unit)))
    return found
