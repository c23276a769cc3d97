"""Field edits: the one way the GUI changes a row. Each edit is its own short transaction.

Must not import Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

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
from desktop.models.domains import field_domain, input_text
from desktop.models.indicator_fields import TEXT_AND_DERIVED, edited_values
from desktop.models.labels import FIELD_LABELS, ROW_KINDS
from desktop.models.values import normal_code, parse_amount, parse_percent, parse_year
from desktop.services import pending
from desktop.services.errors import RowNotFoundError as RowNotFoundError  # its callers' name
from desktop.services.freezing import refuse_frozen_field
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
    """One field of one row that now holds ``value`` and held ``old`` before (parsed values:
    str, int, Decimal or None; for ``ItemTarget.budget_project_uuid`` a project's UUID)."""

    row_type: type[SyncedRow]
    row_uuid: str
    field: str
    value: Any
    old: Any = None

    def inverse(self) -> FieldChange:
        """The change that puts ``old`` back."""
        return FieldChange(self.row_type, self.row_uuid, self.field, self.old, self.value)


@dataclass(frozen=True)
class RowChange:
    """A row inserted into or removed from its parent's list, with everything it owns.

    ``index``: its 0-based place in the list (after an insertion, before a removal, as the
    list is when this step is applied); ``data``: the row in the JSON form
    (``interchange.dump_row``), enough to put it back with the same UUIDs; ``linked``: for
    a budget project, the item targets linked to it (a removal unlinks them, an insertion
    links them again).
    """

    row_type: type[SyncedRow]
    row_uuid: str
    parent_uuid: str
    index: int
    data: dict[str, Any]
    linked: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowMove:
    """A row moved within its parent's list from ``old_index`` to ``new_index`` (0-based)."""

    row_type: type[SyncedRow]
    row_uuid: str
    parent_uuid: str
    old_index: int
    new_index: int

    def inverse(self) -> RowMove:
        """The move back."""
        return RowMove(
            self.row_type, self.row_uuid, self.parent_uuid, self.new_index, self.old_index
        )


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that views redraw just that and undo reverts it.

    Applied (``structure.apply_changes``) and told to views in this order: ``removed``
    (each in turn), ``inserted`` (each in turn), ``moved``, ``fields``. ``inverse()``
    gives the Changes that reverts this one, in the same order. ``history`` and
    ``history_removed``: rows of the file's content history (``(unit UUID, content
    hash)``, storage/history.py) an operation added (a merge: the other file's history and
    the merged contents) and its undo takes out again — else a file whose merge was undone
    would count the other file's states as its own past, and a second merge of the same
    file would keep this side's content as the newer one. Views ignore them.
    """

    fields: tuple[FieldChange, ...] = ()
    inserted: tuple[RowChange, ...] = ()
    removed: tuple[RowChange, ...] = ()
    moved: tuple[RowMove, ...] = ()
    history: tuple[tuple[str, str], ...] = ()
    history_removed: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.fields
            or self.inserted
            or self.removed
            or self.moved
            or self.history
            or self.history_removed
        )

    @property
    def rows_changed(self) -> bool:
        """Whether rows were inserted, removed or moved (not only fields changed)."""
        return bool(self.inserted or self.removed or self.moved)

    def inverse(self) -> Changes:
        """The Changes that puts back what this one changed."""
        return Changes(
            fields=tuple(change.inverse() for change in reversed(self.fields)),
            inserted=tuple(reversed(self.removed)),
            removed=tuple(reversed(self.inserted)),
            moved=tuple(move.inverse() for move in reversed(self.moved)),
            history=self.history_removed,
            history_removed=self.history,
        )

    def __add__(self, other: Changes) -> Changes:
        """Both, when ``other`` touches no row of this one (e.g. a paste: cells of
        existing rows, then new rows)."""
        return Changes(
            self.fields + other.fields,
            self.inserted + other.inserted,
            self.removed + other.removed,
            self.moved + other.moved,
            self.history + other.history,
            self.history_removed + other.history_removed,
        )


#: the codes stored half-width (``normal_code``)
CODE_FIELDS: frozenset[tuple[type, str]] = frozenset(
    {(Declaration, "unit_code"), (BudgetProject, "code")}
)


def parse_field(row_type: type[SyncedRow], field: str, text_or_value: Any) -> Any:
    """The stored value for ``field`` of ``row_type`` from what the clerk typed.

    Text fields take text as is; amounts go through ``parse_amount`` (万元), the
    disbursement plan's ``cumulative_percent`` through ``parse_percent``, the fiscal year
    through ``parse_year`` and the unit and project codes through ``normal_code``; a field
    the registry gives a parser (``labels.Field.parser``: an indicator's 计算符号, 数值,
    计量单位, 方向, 分值) through that. Raises
    ``KeyError`` for a field that is not editable and ``ValueError`` (Chinese message) for
    a value that does not parse, or a text outside its domain (longer than
    ``domains.MAX_TEXT_CHARS``, an unknown vocabulary value): the file check would refuse it.
    """
    kind = content_fields(row_type)[field]
    if not isinstance(text_or_value, str):
        return text_or_value
    parser = ROW_KINDS[row_type].field(field).parser if row_type in ROW_KINDS else None
    if parser is not None:
        return parser(text_or_value)
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
    try:
        text_or_value = input_text(text_or_value)
    except ValueError as exc:
        label = FIELD_LABELS[row_type][field]
        raise ValueError(f"“{label}”{exc}（可能是从其他程序复制来的不可见字符）。") from exc
    text = normal_code(text_or_value) if (row_type, field) in CODE_FIELDS else text_or_value
    problem = field_domain(row_type.__tablename__, field).problem(text)  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
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
    Raises ``ValueError`` for a value that does not parse, ``FrozenTargetError`` (a
    ``ValueError``) for a declared target of a declaration past 申报 (``freezing``: a
    目标调整 changes it), ``KeyError`` for a field that is not editable and
    ``RowNotFoundError`` when no such row exists.
    """
    if row_type not in EDITABLE_TYPES:
        raise KeyError(row_type.__name__)
    parsed = parse_field(row_type, field, value)
    with document.session() as session:
        refuse_frozen_field(session, row_type, row_uuid, field)
        changes = field_changes(
            session, row_type=row_type, row_uuid=row_uuid, field=field, value=parsed
        )
        pending.forget_input(session, row_uuid=row_uuid, field=field)
        written = tuple(change for change in changes if write_field(session, document, change))
    if written:
        document.remembered_rows.add(row_uuid)
    return Changes(written)


def field_changes(
    session: Session, *, row_type: type[SyncedRow], row_uuid: str, field: str, value: Any
) -> tuple[FieldChange, ...]:
    """The field changes that setting ``field`` of a row to the parsed ``value`` makes
    (old values as stored now), unchanged ones left out: one, or for an indicator's 指标值,
    计算符号, 数值 or 计量单位 the text and every field read from it
    (``indicator_fields.edited_values``: the text first). Raises ``RowNotFoundError``, and
    ``ValueError`` (Chinese) for an indicator edit that cannot be made."""
    names = TEXT_AND_DERIVED if row_type is Indicator and field in TEXT_AND_DERIVED else (field,)
    stored = session.execute(
        select(*(getattr(row_type, name) for name in names)).where(row_type.uuid == row_uuid)
    ).one_or_none()
    if stored is None:
        raise RowNotFoundError
    current = dict(zip(names, stored, strict=True))
    if type(value) is type(current[field]) and str(value) == str(current[field]):
        return ()  # typed again: a sign or number must not rewrite the clerk's wording
    new = edited_values(current, field, value) if len(names) > 1 else {field: value}
    return tuple(
        FieldChange(row_type, row_uuid, name, new[name], current[name])
        for name in names
        if type(new[name]) is not type(current[name]) or str(new[name]) != str(current[name])
    )


def planned_changes(
    document: Document, *, row_type: type[SyncedRow], row_uuid: str, field: str, value: Any
) -> Changes:
    """``field_changes`` read from the file (nothing written): what an edit will change,
    for an undo step made before it is applied. Raises as ``field_changes``, and
    ``FrozenTargetError`` for a declared target past 申报 (as ``set_field``)."""
    with document.session() as session:
        refuse_frozen_field(session, row_type, row_uuid, field)
        return Changes(
            field_changes(session, row_type=row_type, row_uuid=row_uuid, field=field, value=value)
        )


def write_field(session: Session, document: Document, change: FieldChange) -> bool:
    """Write ``change.value`` into its field inside ``session``; False when the field
    already held it (as stored: TEXT for amounts, so 184 and 184.00 differ).

    The row's ``modified_at`` is renewed when the value changes; input kept refused in the
    field (services/pending.py) is forgotten either way; the first edit of a row after
    the file was opened first records its merge unit's content (storage/history.py): the
    caller adds the row to ``document.remembered_rows`` once committed.
    ``ItemTarget.budget_project_uuid`` links the item target to that project (None:
    unlinked). Raises ``RowNotFoundError`` when the row (or the project) is gone.
    """
    row_type, row_uuid, field = change.row_type, change.row_uuid, change.field
    if row_uuid not in document.remembered_rows:
        history.record_unit_of(session, row_type, row_uuid)
    pending.forget_input(session, row_uuid=row_uuid, field=field)
    if (row_type, field) == (ItemTarget, "budget_project_uuid"):
        project_id = None
        if change.value is not None:
            project_id = session.scalar(
                select(BudgetProject.id).where(BudgetProject.uuid == change.value)
            )
            if project_id is None:
                raise RowNotFoundError("要关联的内容已不存在（可能已被删除），请刷新后重试。")
        column, value = ItemTarget.budget_project_id, project_id
        values = {"budget_project_id": project_id, "modified_at": utc_now()}
    else:
        column, value = getattr(row_type, field), change.value
        values = {"modified_at": utc_now(), field: value}  # a change of the time itself wins
    # One UPDATE that changes the row only if the stored value differs: an edit is on the
    # autosave hot path.
    result = session.execute(
        update(row_type)
        .where(row_type.uuid == row_uuid, column.is_distinct_from(value))
        .values(values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult; typed Result
        if session.execute(select(row_type.id).where(row_type.uuid == row_uuid)).first() is None:
            raise RowNotFoundError
        return False
    return True


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
        if item is None:
            raise RowNotFoundError("要关联的内容已不存在（可能已被删除），请刷新后重试。")
        old = item.budget_project.uuid if item.budget_project else None
        change = FieldChange(
            ItemTarget, item_target_uuid, "budget_project_uuid", budget_project_uuid, old
        )
        if old == budget_project_uuid or not write_field(session, document, change):
            return Changes()
    document.remembered_rows.add(item_target_uuid)
    return Changes((change,))


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
