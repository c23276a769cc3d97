"""Refused input (未被接受的输入) kept in the file until the clerk corrects it. No Qt.

Decision: an input that does not parse (120 in 10月底, 12.3.4 as 预算数) is stored in the
file as pending input (table ``pending_input``, keyed by the row's UUID and the field),
beside the value it did not replace. The window shows it red in its cell again after
switching rows, closing and reopening; the 审核 lists it as an 错误 at its cell; print,
preview and export name it before producing output, because what prints is the stored
value. It goes away when a value that parses is stored in that field (``editing.set_field``
forgets it in the same transaction) or when its row is gone.
Why: never drop what the clerk typed, never let the paper differ from the screen silently.
Alternatives: making the clerk decide before leaving the cell traps the keyboard (a
clerk copying from paper wants to go on and come back) and still loses the input on a
crash; keeping it in memory loses it on closing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from desktop.models import Declaration, DisbursementCheckpoint, PendingInput
from desktop.models.base import SyncedRow, utc_now
from desktop.models.labels import FIELD_LABELS, row_place
from desktop.review import Finding, Location, Severity
from desktop.storage.document import Document

#: the rule id of the 审核 finding a pending input gives
RULE = "input.pending"


@dataclass(frozen=True)
class Pending:
    """One pending input: the field of the row it was typed in, as typed, and why refused."""

    row_uuid: str
    field: str
    text: str
    reason: str


def keep_input(
    document: Document,
    *,
    row_type: type[SyncedRow],
    row_uuid: str,
    field: str,
    text: str,
    reason: str,
) -> None:
    """Store (or replace) the refused ``text`` typed into ``field`` of the row ``row_uuid``.

    ``reason`` is the refusal in Chinese. The stored value of the field is not touched.
    Raises ``DocumentWriteError`` when the file cannot be written.
    """
    values = {
        "row_table": row_type.__tablename__,  # type: ignore[attr-defined]
        "row_uuid": row_uuid,
        "field": field,
        "text": text,
        "reason": reason,
        "typed_at": utc_now(),
    }
    statement = insert(PendingInput).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["row_uuid", "field"],
        set_={"text": text, "reason": reason, "typed_at": values["typed_at"]},
    )
    with document.session() as session:
        session.execute(statement)


def forget_input(session: Session, *, row_uuid: str, field: str) -> None:
    """Drop the pending input of one field, inside an open session (a value was stored)."""
    session.execute(
        delete(PendingInput).where(PendingInput.row_uuid == row_uuid, PendingInput.field == field)
    )


def forget(document: Document, *, row_uuid: str, field: str) -> None:
    """Drop the pending input of one field (the clerk typed the stored value again).

    Nothing is written when there is none."""
    with document.session() as session:
        forget_input(session, row_uuid=row_uuid, field=field)


def pending_inputs(document: Document, row_uuids: Iterable[str]) -> dict[tuple[str, str], Pending]:
    """The pending inputs of the rows ``row_uuids``: (row UUID, field) -> ``Pending``."""
    uuids = list(row_uuids)
    with document.session() as session:
        rows = session.scalars(select(PendingInput).where(PendingInput.row_uuid.in_(uuids)))
        return {
            (row.row_uuid, row.field): Pending(row.row_uuid, row.field, row.text, row.reason)
            for row in rows
        }


@dataclass(frozen=True)
class PendingNote:
    """A pending input of a declaration with where it is and what prints instead."""

    location: Location
    text: str
    reason: str
    #: the stored value as printed (空白 when there is none)
    printed: str

    def sentence(self, output: str = "打印") -> str:
        """E.g. 项目“接待管理经费”资金支出计划 10月底 的输入“120”未被接受，打印的是 80%
        (``output`` names what is made: 打印, 导出)."""
        place, text = self.location.place, self.text
        return f"{place} 的输入“{text}”未被接受，{output}的是 {self.printed}"


def pending_notes(session: Session, declaration: Declaration) -> list[PendingNote]:
    """The pending inputs of ``declaration`` in reading order (Part 1, then each project).

    Call inside the session the declaration was loaded in. Input for rows that are gone
    is not listed.
    """
    rows = {row.uuid: row for row in _rows_in_order(declaration)}
    kept = session.scalars(select(PendingInput).where(PendingInput.row_uuid.in_(list(rows))))
    by_key = {(p.row_uuid, p.field): p for p in kept}
    notes = []
    for uuid, row in rows.items():
        for field in FIELD_LABELS[type(row)]:
            pending = by_key.get((uuid, field))
            if pending is not None:
                notes.append(
                    PendingNote(
                        _location(row, field),
                        pending.text,
                        pending.reason,
                        _printed(row, field),
                    )
                )
    return notes


def pending_findings(session: Session, declaration: Declaration) -> list[Finding]:
    """Each pending input of ``declaration`` as an 错误 at its cell (rule ``input.pending``).

    Source: DESIGN.md (what prints is the stored value; the clerk must see that it differs
    from what was typed)."""
    return [
        Finding(
            RULE,
            Severity.ERROR,
            note.location,
            f"输入“{note.text}”未被接受，文件中和打印的是 {note.printed}。{note.reason}"
            "请改正此处的输入。",
        )
        for note in pending_notes(session, declaration)
    ]


def document_notes(document: Document, output: str = "打印") -> list[str]:
    """What to say before printing or exporting (``output``: 打印, 导出) ``document``: one
    sentence per pending input of every declaration (prefixed with the unit when the file
    holds several); empty when there is none."""
    from desktop.services.documents import declaration_label, load_declarations

    with document.session() as session:
        declarations = load_declarations(session)
        lines = []
        for declaration in declarations:
            prefix = f"{declaration_label(declaration)}：" if len(declarations) > 1 else ""
            lines += [
                prefix + note.sentence(output) for note in pending_notes(session, declaration)
            ]
        return lines


def _rows_in_order(declaration: Declaration) -> Iterator[SyncedRow]:
    yield declaration
    yield from declaration.key_tasks
    for item in declaration.item_targets:
        yield item
        yield from item.statements
    for project in declaration.budget_projects:
        yield project
        yield from project.disbursement_plan
        yield from project.indicators


def _location(row: SyncedRow, field: str) -> Location:
    """Where the input is: a checkpoint by its label (资金支出计划 10月底), else the field."""
    if isinstance(row, DisbursementCheckpoint) and field == "cumulative_percent":
        place = f"{row_place(row)} {row.label or f'第{row.position + 1}个节点'}"
        return Location(row.__tablename__, row.uuid, field, place)
    return Location.of(row, field)


def _printed(row: SyncedRow, field: str) -> str:
    """The stored value of ``field`` as the print shows it (空白 when there is none)."""
    value: Any = getattr(row, field)
    if value is None or value == "":
        return "空白"
    if isinstance(row, DisbursementCheckpoint) and isinstance(value, Decimal):
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value} 万元"
    return str(value)
