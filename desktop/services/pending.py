"""Refused input (未被接受的输入) kept in the file until the clerk corrects it. No Qt.

Decision: an input that does not parse (120 in 10月底, 12.3.4 as 预算数) is stored in the
file as pending input (table ``pending_input``, keyed by the row's UUID and the field),
beside the value it did not replace. The window shows it red in its cell again after
switching rows, closing and reopening; the 审核 lists it as an 错误 at its cell; print,
preview and export name it before producing output, because what prints is the stored
value. It goes away when a value that parses is stored in that field (``editing.set_field``
forgets it in the same transaction) or when its row is gone. The 审核 rule and the
sentences that name it live in desktop/review/pending_input.py.
Why: never drop what the clerk typed, never let the paper differ from the screen silently.
Alternatives: making the clerk decide before leaving the cell traps the keyboard (a
clerk copying from paper wants to go on and come back) and still loses the input on a
crash; keeping it in memory loses it on closing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PendingInput,
)
from desktop.models.base import SyncedRow, utc_now
from desktop.review.pending_input import pending_notes
from desktop.storage.collection import Collection
from desktop.storage.document import Document
from desktop.storage.history import conflict_insert


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
    Nothing is kept for a row that is gone. Raises ``DocumentWriteError`` when the file
    cannot be written.
    """
    with document.session() as session:
        row = session.scalars(select(row_type).where(row_type.uuid == row_uuid)).one_or_none()
        if row is None:
            return
        now = utc_now()
        statement = conflict_insert(session, PendingInput).values(
            declaration_id=_declaration_of(row).id,
            row_table=row_type.__tablename__,  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
            row_uuid=row_uuid,
            field=field,
            text=text,
            reason=reason,
            typed_at=now,
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["row_uuid", "field"],
                set_={"text": text, "reason": reason, "typed_at": now},
            )
        )


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


def document_notes(document: Document | Collection, output: str = "打印") -> list[str]:
    """What to say before printing or exporting (``output``: 打印, 导出) ``document``: one
    sentence per pending input of every declaration (prefixed with the unit when the file
    holds several); empty when there is none."""
    from desktop.services.documents import declaration_label, load_declarations

    with document.session() as session:
        if session.scalar(select(PendingInput.id).limit(1)) is None:
            return []  # the usual case: a collection's thousands of units are not read
        declarations = load_declarations(session)
        lines = []
        for declaration in declarations:
            prefix = f"{declaration_label(declaration)}：" if len(declarations) > 1 else ""
            lines += [prefix + note.sentence(output) for note in pending_notes(declaration)]
        return lines


def _declaration_of(row: SyncedRow) -> Declaration:
    """The declaration a row belongs to (through its parents)."""
    if isinstance(row, Declaration):
        return row
    if isinstance(row, KeyTask | ItemTarget | BudgetProject):
        return row.declaration
    if isinstance(row, ItemTargetStatement):
        return row.item_target.declaration
    if isinstance(row, DisbursementCheckpoint | Indicator):
        return row.budget_project.declaration
    raise TypeError(type(row).__name__)
