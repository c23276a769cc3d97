"""Field edits: the one way the GUI changes a row. Each edit is its own short transaction.

Must not import Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.base import SyncedRow, content_fields, utc_now
from desktop.models.domains import field_domain
from desktop.models.values import normal_code, parse_amount, parse_percent, parse_year
from desktop.services import pending
from desktop.storage import history
from desktop.storage.document import Document

EDITABLE_TYPES: tuple[type[SyncedRow], ...] = (
    Declaration,
    KeyTask,
    ItemTarget,
    ItemTargetStatement,
    BudgetProject,
    DisbursementCheckpoint,
    Indicator,
)


@dataclass(frozen=True)
class FieldChange:
    """One field of one row that now holds ``value`` (already parsed: str, int or Decimal)."""

    row_type: type[SyncedRow]
    row_uuid: str
    field: str
    value: Any


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that views can redraw just that."""

    fields: tuple[FieldChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields)


class RowNotFoundError(LookupError):
    """The row to edit is gone (e.g. removed meanwhile); the message is Chinese."""

    def __init__(
        self, message: str = "要修改的内容已不存在（可能已被删除），请刷新后重试。"
    ) -> None:
        super().__init__(message)


#: the codes stored half-width (``normal_code``)
CODE_FIELDS = frozenset({(Declaration, "unit_code"), (BudgetProject, "code")})


def parse_field(row_type: type[SyncedRow], field: str, text_or_value: Any) -> Any:
    """The stored value for ``field`` of ``row_type`` from what the clerk typed.

    Text fields take text as is; amounts go through ``parse_amount`` (万元), the
    disbursement plan's ``cumulative_percent`` through ``parse_percent``, the fiscal year
    through ``parse_year`` and the unit and project codes through ``normal_code``. Raises
    ``KeyError`` for a field that is not editable and ``ValueError`` (Chinese message) for
    a value that does not parse, or a text outside its domain (longer than
    ``domains.MAX_TEXT_CHARS``, an unknown vocabulary value): the file check would refuse it.
    """
    kind = content_fields(row_type)[field]
    if not isinstance(text_or_value, str):
        return text_or_value
    if kind is Decimal:
        if row_type is DisbursementCheckpoint:
            percent = parse_percent(text_or_value)
            if percent is not None and not 0 <= percent <= 100:
                raise ValueError(
                    f"“{text_or_value}”：累计支出比例应在 0～100% 之间"
                    "（到该节点为止已支出的比例）。"
                )
            return percent
        return parse_amount(text_or_value)
    if kind is int:
        return parse_year(text_or_value)
    text = normal_code(text_or_value) if (row_type, field) in CODE_FIELDS else text_or_value
    problem = field_domain(row_type.__tablename__, field).problem(text)  # type: ignore[attr-defined]
    if problem is not None:  # what the file check would refuse is never written
        raise ValueError(f"这段文字{problem}，请缩短或分成几处填写。")
    return text


def set_field(
    document: Document, *, row_type: type[SyncedRow], row_uuid: str, field: str, value: Any
) -> Changes:
    """Set one field of one row, committed at once; returns what changed (nothing if equal).

    ``value`` may be what the clerk typed (parsed by ``parse_field``) or a parsed value.
    The row's ``modified_at`` is renewed when the value changes; input typed and refused
    in the field before (services/pending.py) is forgotten, even when the value is equal.
    The first edit of a row after the file was opened first records its merge unit's
    content as it was then (the content any copy of the file has: storage/history.py).
    Raises ``ValueError`` for a value that does not parse, ``KeyError`` for a field that
    is not editable and ``RowNotFoundError`` when no such row exists.
    """
    if row_type not in EDITABLE_TYPES:
        raise KeyError(row_type.__name__)
    parsed = parse_field(row_type, field, value)
    column = getattr(row_type, field)
    # One UPDATE that changes the row only if the stored value differs (as stored: TEXT
    # for amounts, so 184 and 184.00 differ): an edit is on the autosave hot path.
    first = row_uuid not in document.remembered_rows
    with document.session() as session:
        if first:
            history.record_unit_of(session, row_type, row_uuid)
        pending.forget_input(session, row_uuid=row_uuid, field=field)
        result = session.execute(
            update(row_type)
            .where(row_type.uuid == row_uuid, column.is_distinct_from(parsed))
            .values({field: parsed, "modified_at": utc_now()})
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            exists = session.execute(select(row_type.id).where(row_type.uuid == row_uuid))
            if exists.first() is None:
                raise RowNotFoundError
            return Changes()
    document.remembered_rows.add(row_uuid)
    return Changes((FieldChange(row_type, row_uuid, field, parsed),))


def link_budget_project(
    document: Document, *, item_target_uuid: str, budget_project_uuid: str | None
) -> Changes:
    """Link an item target (Part 1 § 二) to the budget project of Part 2 it describes, or unlink.

    Raises ``RowNotFoundError`` when either row does not exist.
    """
    with document.session() as session:
        item = session.scalars(
            select(ItemTarget).where(ItemTarget.uuid == item_target_uuid)
        ).one_or_none()
        project = None
        if budget_project_uuid is not None:
            project = session.scalars(
                select(BudgetProject).where(BudgetProject.uuid == budget_project_uuid)
            ).one_or_none()
        if item is None or (budget_project_uuid is not None and project is None):
            raise RowNotFoundError("要关联的内容已不存在（可能已被删除），请刷新后重试。")
        if item.budget_project is project:
            return Changes()
        item.budget_project = project
        item.modified_at = utc_now()
    return Changes(
        (FieldChange(ItemTarget, item_target_uuid, "budget_project_uuid", budget_project_uuid),)
    )


def read_field(document: Document, *, row_type: type[SyncedRow], row_uuid: str, field: str) -> Any:
    """The stored value of one field (e.g. to undo an edit). Raises ``RowNotFoundError``."""
    if field not in content_fields(row_type):
        raise KeyError(field)
    with document.session() as session:
        stored = session.execute(
            select(getattr(row_type, field)).where(row_type.uuid == row_uuid)
        ).one_or_none()
    if stored is None:
        raise RowNotFoundError
    return stored[0]


def linked_budget_project(document: Document, *, item_target_uuid: str) -> str | None:
    """The UUID of the budget project an item target is linked to (None: unlinked)."""
    with document.session() as session:
        item = session.scalars(
            select(ItemTarget).where(ItemTarget.uuid == item_target_uuid)
        ).one_or_none()
        if item is None:
            raise RowNotFoundError
        return item.budget_project.uuid if item.budget_project else None
