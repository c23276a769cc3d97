"""Adding, removing and moving rows of the declaration's ordered lists. No Qt.

Every operation is its own short transaction and returns what is needed to undo it:
``remove_row`` returns a snapshot (the row and everything it owns, in the JSON form, with
its place) that ``restore_row`` puts back with the same UUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.base import SyncedRow, utc_now
from desktop.models.values import parse_target_value
from desktop.models.vocabulary import DISBURSEMENT_CHECKPOINTS, TEMPLATE_INDICATOR_ROWS
from desktop.reports.wording import one_line
from desktop.services import pending
from desktop.services.editing import RowNotFoundError
from desktop.storage import interchange
from desktop.storage.document import Document

#: row class -> (parent class, the parent's list attribute holding it)
PARENTS: dict[type[SyncedRow], tuple[type[SyncedRow], str]] = {
    KeyTask: (Declaration, "key_tasks"),
    ItemTarget: (Declaration, "item_targets"),
    BudgetProject: (Declaration, "budget_projects"),
    ItemTargetStatement: (ItemTarget, "statements"),
    Indicator: (BudgetProject, "indicators"),
    DisbursementCheckpoint: (BudgetProject, "disbursement_plan"),
}


@dataclass(frozen=True)
class RowSnapshot:
    """A removed row, enough to put it back: its data (JSON form), parent and place.

    ``linked_item_targets``: for a budget project, the item targets that pointed at it.
    """

    row_type: type[SyncedRow]
    parent_uuid: str
    index: int
    data: dict[str, Any]
    linked_item_targets: tuple[str, ...] = ()


def _get(session: Any, cls: type[SyncedRow], uuid: str) -> Any:
    row = session.scalars(select(cls).where(cls.uuid == uuid)).one_or_none()
    if row is None:
        raise RowNotFoundError
    return row


def _collection(parent: SyncedRow, row_type: type[SyncedRow]) -> Any:
    return getattr(parent, PARENTS[row_type][1])


def new_row(row_type: type[SyncedRow], **values: Any) -> SyncedRow:
    """A new, empty row of ``row_type`` as a clerk would want it.

    A new budget project comes with the four checkpoints and the template's indicator
    rows, like the blank form.
    """
    if row_type is BudgetProject and not values:
        return BudgetProject(
            disbursement_plan=[DisbursementCheckpoint(label=c) for c in DISBURSEMENT_CHECKPOINTS],
            indicators=[Indicator(level1=l1, level2=l2) for l1, l2 in TEMPLATE_INDICATOR_ROWS],
        )
    return row_type(**values)


def insert_row(
    document: Document,
    *,
    row_type: type[SyncedRow],
    parent_uuid: str,
    index: int,
    values: dict[str, Any] | None = None,
) -> str:
    """Insert a new row at ``index`` (0-based, clamped) of its parent's list; its UUID.

    ``values`` set clerk-visible fields (already parsed). Raises ``RowNotFoundError``
    when the parent is gone.
    """
    parent_type, _ = PARENTS[row_type]
    with document.session() as session:
        parent = _get(session, parent_type, parent_uuid)
        row = new_row(row_type, **(values or {}))
        rows = _collection(parent, row_type)
        rows.insert(max(0, min(index, len(rows))), row)
        parent.modified_at = utc_now()
        return row.uuid


def duplicate_row(document: Document, *, row_type: type[SyncedRow], row_uuid: str) -> str:
    """Insert a copy of a row (and all it owns, with new UUIDs) right after it; its UUID."""
    parent_type, _ = PARENTS[row_type]
    with document.session() as session:
        row = _get(session, row_type, row_uuid)
        data = interchange.renew_uuids(interchange.dump_row(row))
        copy = interchange.load_row(row_type, data, {})
        parent = getattr(row, parent_type.__tablename__)  # type: ignore[attr-defined]
        rows = _collection(parent, row_type)
        rows.insert(rows.index(row) + 1, copy)
        return copy.uuid


def remove_row(document: Document, *, row_type: type[SyncedRow], row_uuid: str) -> RowSnapshot:
    """Remove a row and everything it owns; returns the snapshot that ``restore_row`` takes.

    Item targets linked to a removed budget project are unlinked (and relinked on
    restore). Raises ``RowNotFoundError`` when the row is gone.
    """
    parent_type, _ = PARENTS[row_type]
    with document.session() as session:
        row = _get(session, row_type, row_uuid)
        parent = getattr(row, parent_type.__tablename__)  # type: ignore[attr-defined]
        rows = _collection(parent, row_type)
        linked: tuple[str, ...] = ()
        if isinstance(row, BudgetProject):
            items = session.scalars(
                select(ItemTarget).where(ItemTarget.budget_project_id == row.id)
            )
            linked = tuple(item.uuid for item in items)
        snapshot = RowSnapshot(
            row_type, parent.uuid, rows.index(row), interchange.dump_row(row), linked
        )
        rows.remove(row)
        parent.modified_at = utc_now()
        return snapshot  # fmt: skip


def restore_row(document: Document, snapshot: RowSnapshot) -> str:
    """Put a removed row back where it was, with its UUIDs and links; its UUID."""
    parent_type, _ = PARENTS[snapshot.row_type]
    with document.session() as session:
        parent = _get(session, parent_type, snapshot.parent_uuid)
        projects = {p.uuid: p for p in session.scalars(select(BudgetProject))}
        row = interchange.load_row(snapshot.row_type, snapshot.data, projects)
        rows = _collection(parent, snapshot.row_type)
        rows.insert(min(snapshot.index, len(rows)), row)
        if snapshot.linked_item_targets:
            for item in session.scalars(
                select(ItemTarget).where(ItemTarget.uuid.in_(snapshot.linked_item_targets))
            ):
                item.budget_project = row  # type: ignore[assignment]
        return row.uuid


def move_row(document: Document, *, row_type: type[SyncedRow], row_uuid: str, offset: int) -> int:
    """Move a row ``offset`` places up (negative) or down within its list; its new index.

    Moving past either end stops there. Raises ``RowNotFoundError`` when the row is gone.
    """
    parent_type, _ = PARENTS[row_type]
    with document.session() as session:
        row = _get(session, row_type, row_uuid)
        parent = getattr(row, parent_type.__tablename__)  # type: ignore[attr-defined]
        rows = _collection(parent, row_type)
        old = rows.index(row)
        new = max(0, min(old + offset, len(rows) - 1))
        if new != old:
            rows.pop(old)
            rows.insert(new, row)
            parent.modified_at = utc_now()
        return new


def index_of(session: Any, row_type: type[SyncedRow], row_uuid: str) -> int:
    """The 0-based place of a row in its parent's list (inside an open session)."""
    return int(_get(session, row_type, row_uuid).position)


#: how a comparator of a 指标值 reads in a sentence (≥95% is 不低于95%, as the seed writes)
_COMPARATOR_WORDS = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于", "=": ""}
_END_PUNCTUATION = "。．.；;，,：:、 \u3000"


def indicator_statement(indicator: Indicator) -> str:
    """The § 二 sentence for one indicator, as the reference document writes them; "" when
    the indicator has no name or no 指标值.

    The subject is the 绩效指标描述 (the indicator's own wording), else the 三级指标. A
    number reads as "<subject>：年度指标值<不低于…><number><unit>。" (接待对象满意程度：年度
    指标值不低于95%。, 为保留的公务用车实现信息化管理：年度指标值325辆。); a date or words
    are stated as they are (项目完成时限：2022年12月底。, 项目实施达到的效果：推动经济社会
    快速发展。) — "年度指标值推动…" is no sentence. A line break in a cell is taken out
    (``one_line``): the sentence is one line. Source: seed Part 1 § 二 分项目标 lines.
    """
    subject = one_line(indicator.description) or one_line(indicator.level3)
    subject = subject.rstrip(_END_PUNCTUATION)
    value = one_line(indicator.target_value).rstrip(_END_PUNCTUATION)
    if not subject or not value:
        return ""
    parsed = parse_target_value(value)
    if parsed.kind in ("percent", "quantity"):
        unit = "%" if parsed.kind == "percent" else parsed.unit
        words = _COMPARATOR_WORDS.get(parsed.comparator, "")
        return f"{subject}：年度指标值{words}{parsed.number}{unit}。"
    return f"{subject}：{value}。"


@dataclass(frozen=True)
class Generation:
    """What ``generate_item_targets`` did: the item targets it replaced (to restore on
    undo) and the UUIDs of those it wrote."""

    replaced: tuple[RowSnapshot, ...]
    written: tuple[str, ...]


def generate_item_targets(document: Document, *, declaration_uuid: str) -> Generation:
    """从项目表生成: write Part 1 § 二 from the Part 2 tables.

    For each budget project, its item target (the one linked to it, keeping its UUID, or a
    new one) gets the project's name and 预算数 and one statement per filled indicator
    (``indicator_statement``) under the indicator's level-1 and level-2. Item targets not
    linked to any project are left as they are. Raises ``RowNotFoundError``.
    """
    with document.session() as session:
        declaration = _get(session, Declaration, declaration_uuid)
        linked = {
            item.budget_project_id: item
            for item in declaration.item_targets
            if item.budget_project_id
        }
        replaced, written = [], []
        for project in declaration.budget_projects:
            old = linked.get(project.id)
            statements = [
                ItemTargetStatement(level1=i.level1, level2=i.level2, text=text)
                for i in project.indicators
                if (text := indicator_statement(i))
            ]
            if old is not None:
                replaced.append(
                    RowSnapshot(
                        ItemTarget, declaration.uuid, old.position, interchange.dump_row(old)
                    )
                )
                old.title, old.budget = project.name, project.budget_amount
                for field in ("title", "budget"):  # stored values replace refused input
                    pending.forget_input(session, row_uuid=old.uuid, field=field)
                old.statements = statements
                old.modified_at = utc_now()
                written.append(old.uuid)
            else:
                item = ItemTarget(
                    title=project.name,
                    budget=project.budget_amount,
                    budget_project=project,
                    statements=statements,
                )
                declaration.item_targets.append(item)
                written.append(item.uuid)
        return Generation(tuple(replaced), tuple(written))


def undo_generation(document: Document, generation: Generation) -> None:
    """Put Part 1 § 二 back as it was before ``generate_item_targets``."""
    with document.session() as session:
        for uuid in generation.written:
            row = _get(session, ItemTarget, uuid)
            row.declaration.item_targets.remove(row)
    for snapshot in sorted(generation.replaced, key=lambda snapshot: snapshot.index):
        restore_row(document, snapshot)
