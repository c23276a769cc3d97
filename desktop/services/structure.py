"""Adding, removing, moving and pasting rows of the declaration's ordered lists, and
applying any ``Changes`` (to undo or redo one). No Qt.

Every operation is its own short transaction and returns the ``Changes`` it made: rows
inserted and removed carry their data in the JSON form (with everything they own), so that
``apply_changes(changes.inverse())`` puts the file back with the same UUIDs and links, and
``apply_changes(changes)`` does it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PrintRecord,
    TargetAdjustment,
)
from desktop.models.base import SyncedRow, content_fields, utc_now
from desktop.models.declaration import blank_budget_project
from desktop.models.indicator_fields import DERIVED_FIELDS, TEXT_AND_DERIVED, edited_values
from desktop.models.values import parse_target_value
from desktop.reports.wording import one_line
from desktop.services import pending
from desktop.services.editing import (
    Changes,
    FieldChange,
    RowChange,
    RowMove,
    RowNotFoundError,
    write_field,
)
from desktop.services.freezing import refuse_frozen_field, refuse_frozen_rows
from desktop.storage import history as content_history
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
    FindingExplanation: (Declaration, "finding_explanations"),
    PrintRecord: (Declaration, "print_records"),
    TargetAdjustment: (Declaration, "target_adjustments"),
}


def _get(session: Any, cls: type[SyncedRow], uuid: str) -> Any:
    row = session.scalars(select(cls).where(cls.uuid == uuid)).one_or_none()
    if row is None:
        raise RowNotFoundError
    return row


def _collection(parent: SyncedRow, row_type: type[SyncedRow]) -> Any:
    return getattr(parent, PARENTS[row_type][1])


def _parent_of(row: SyncedRow) -> Any:
    parent_type, _ = PARENTS[type(row)]
    return getattr(row, parent_type.__tablename__)  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__


def new_row(row_type: type[SyncedRow], **values: Any) -> SyncedRow:
    """A new, empty row of ``row_type`` as a clerk would want it.

    A new budget project comes with the four checkpoints and the template's indicator
    rows, like the blank form.
    """
    if row_type is BudgetProject and not values:
        return blank_budget_project()
    return row_type(**values)


def _linked_projects(session: Session, data: dict[str, Any]) -> dict[str, BudgetProject]:
    """The budget projects that item targets in ``data`` (a row in the JSON form) link to."""
    wanted: set[str] = set()
    rows = [data]
    while rows:
        row = rows.pop()
        if row.get("budget_project_uuid"):
            wanted.add(row["budget_project_uuid"])
        rows += [child for value in row.values() if isinstance(value, list) for child in value]
    if not wanted:
        return {}
    found = session.scalars(select(BudgetProject).where(BudgetProject.uuid.in_(wanted)))
    return {project.uuid: project for project in found}


def _apply(session: Session, document: Document, changes: Changes) -> Changes:
    """Make ``changes`` in the open ``session`` (in ``Changes``' order); the Changes made
    (field changes that found the value already there are left out; a change of a row's
    ``modified_at``, as a merge makes, is written after its other fields, which would
    renew it, whatever its place in the Changes). A ``Declaration``
    row (a whole unit, ``parent_uuid`` empty) is inserted with all its rows or removed
    with them. Raises ``RowNotFoundError`` when a row or parent is gone."""
    for removed in changes.removed:
        row = _get(session, removed.row_type, removed.row_uuid)
        if removed.row_type is Declaration:  # a whole unit (a merge added it)
            session.delete(row)
        else:
            _collection(_parent_of(row), removed.row_type).remove(row)
    if changes.removed:
        session.flush()  # a row put back with the same UUID (a replaced item target)
        # the file unlinked item targets from removed projects (ON DELETE SET NULL); a
        # project put back may get the same id, and the ORM's stale link would hide that
        session.expire_all()
    for inserted in changes.inserted:
        if inserted.row_type is Declaration:  # a whole unit, in the file's order
            interchange.insert_declaration(session, inserted.data)
            continue
        parent = _get(session, PARENTS[inserted.row_type][0], inserted.parent_uuid)
        row = interchange.load_row(
            inserted.row_type, inserted.data, _linked_projects(session, inserted.data)
        )
        rows = _collection(parent, inserted.row_type)
        rows.insert(min(inserted.index, len(rows)), row)
        if inserted.linked:
            assert isinstance(row, BudgetProject)  # only a project has item targets linked
            for item in session.scalars(
                select(ItemTarget).where(ItemTarget.uuid.in_(inserted.linked))
            ):
                item.budget_project = row
    for move in changes.moved:
        row = _get(session, move.row_type, move.row_uuid)
        rows = _collection(_parent_of(row), move.row_type)
        rows.remove(row)
        rows.insert(move.new_index, row)
    if changes.rows_changed:
        session.flush()  # the rows exist (and links resolve) before fields are written
    times = [change for change in changes.fields if change.field == "modified_at"]
    ordered = [change for change in changes.fields if change.field != "modified_at"] + times
    written = {id(change) for change in ordered if write_field(session, document, change)}
    fields = tuple(change for change in changes.fields if id(change) in written)
    _apply_history(session, changes)
    return Changes(
        fields,
        changes.inserted,
        changes.removed,
        changes.moved,
        changes.history,
        changes.history_removed,
    )


def _apply_history(session: Session, changes: Changes) -> None:
    """The content-history rows of ``changes``: ``history_removed`` taken out, ``history``
    added (a merge undone and redone)."""
    if changes.history_removed:
        # the commit records the touched units' contents (storage/history.py): read them
        # again, as the fields were written past the ORM, not as its objects hold them
        session.flush()
        session.expire_all()
        content_history.forget(session, changes.history_removed)
    if changes.history:
        added: dict[str, set[str]] = {}
        for unit_uuid, digest in changes.history:
            added.setdefault(unit_uuid, set()).add(digest)
        content_history.record(session, added)


def _applied(
    document: Document, plan: Callable[[Session], tuple[Changes, SyncedRow | None]]
) -> Changes:
    """One transaction: ``plan(session)`` says what to change (and the parent whose list
    changes, whose modification time is renewed, or None); ``_apply`` makes it."""
    with document.session() as session:
        changes, parent = plan(session)
        made = _apply(session, document, changes)
        if parent is not None:
            parent.modified_at = utc_now()
    document.remembered_rows.update(change.row_uuid for change in made.fields)
    return made


def apply_changes(document: Document, changes: Changes) -> Changes:
    """Make ``changes`` in the file in one transaction (to redo an operation, or with
    ``changes.inverse()`` to undo it); returns the Changes made, for the views.

    Raises ``RowNotFoundError`` when a row it names is gone (nothing is written then).
    """
    return _applied(document, lambda _: (changes, None))


def insert_row(
    document: Document,
    *,
    row_type: type[SyncedRow],
    parent_uuid: str,
    index: int,
    values: dict[str, Any] | None = None,
) -> Changes:
    """Insert a new row at ``index`` (0-based, clamped) of its parent's list.

    ``values`` set clerk-visible fields (already parsed). Returns the insertion (its
    ``row_uuid`` and the index it got). Raises ``RowNotFoundError`` when the parent is gone
    and ``FrozenTargetError`` for an indicator or project added past 申报.
    """
    row = new_row(row_type, **(values or {}))
    data = interchange.dump_row(row)

    def plan(session: Session) -> tuple[Changes, SyncedRow | None]:
        refuse_frozen_rows(session, row_type, parent_uuid)
        parent = _get(session, PARENTS[row_type][0], parent_uuid)
        at = max(0, min(index, len(_collection(parent, row_type))))
        return Changes(inserted=(RowChange(row_type, row.uuid, parent_uuid, at, data),)), parent

    return _applied(document, plan)


def duplicate_row(document: Document, *, row_type: type[SyncedRow], row_uuid: str) -> Changes:
    """Insert a copy of a row (and all it owns, with new UUIDs) right after it. Raises
    ``FrozenTargetError`` for an indicator or project copied past 申报."""

    def plan(session: Session) -> tuple[Changes, SyncedRow | None]:
        row = _get(session, row_type, row_uuid)
        data = interchange.renew_uuids(interchange.dump_row(row))
        parent = _parent_of(row)
        refuse_frozen_rows(session, row_type, parent.uuid)
        at = _collection(parent, row_type).index(row) + 1
        return Changes(inserted=(RowChange(row_type, data["uuid"], parent.uuid, at, data),)), None

    return _applied(document, plan)


def remove_row(document: Document, *, row_type: type[SyncedRow], row_uuid: str) -> Changes:
    """Remove a row and everything it owns; the removal carries the row's data to put it
    back (``apply_changes(changes.inverse())``).

    Item targets linked to a removed budget project are unlinked (the removal's
    ``linked``; the inverse links them again). Raises ``RowNotFoundError`` when
    the row is gone and ``FrozenTargetError`` for an indicator or project past 申报.
    """

    def plan(session: Session) -> tuple[Changes, SyncedRow | None]:
        row = _get(session, row_type, row_uuid)
        parent = _parent_of(row)
        refuse_frozen_rows(session, row_type, parent.uuid)
        index = _collection(parent, row_type).index(row)
        linked: tuple[str, ...] = ()
        if isinstance(row, BudgetProject):
            items = session.scalars(
                select(ItemTarget.uuid).where(ItemTarget.budget_project_id == row.id)
            )
            linked = tuple(items)
        data = interchange.dump_row(row)
        removed = RowChange(row_type, row_uuid, parent.uuid, index, data, linked)
        return Changes(removed=(removed,)), parent

    return _applied(document, plan)


def move_row(
    document: Document, *, row_type: type[SyncedRow], row_uuid: str, offset: int
) -> Changes:
    """Move a row ``offset`` places up (negative) or down within its list.

    Moving past either end stops there; a row already at that end gives no Changes.
    Raises ``RowNotFoundError`` when the row is gone.
    """

    def plan(session: Session) -> tuple[Changes, SyncedRow | None]:
        row = _get(session, row_type, row_uuid)
        parent = _parent_of(row)
        rows = _collection(parent, row_type)
        old = rows.index(row)
        new = max(0, min(old + offset, len(rows) - 1))
        if new == old:
            return Changes(), None
        return Changes(moved=(RowMove(row_type, row_uuid, parent.uuid, old, new),)), parent

    return _applied(document, plan)


def paste_rows(
    document: Document,
    *,
    row_type: type[SyncedRow],
    parent_uuid: str,
    row_uuids: Sequence[str],
    fields: Sequence[str],
    values: Sequence[Sequence[Any]],
    new_rows_at: int,
) -> Changes:
    """Paste a block: the rows of ``values`` (parsed field values, in the order of
    ``fields``) go into the rows ``row_uuids`` (the target rows from the selection down),
    and rows from index ``new_rows_at`` (0-based) are added for the rest; all in one
    transaction. Input kept refused in a pasted cell is forgotten. Raises
    ``RowNotFoundError`` when a row or the parent is gone, ``FrozenTargetError`` for a
    declared target pasted, or rows added, past 申报 (nothing is written then).
    """
    targets = list(row_uuids[: len(values)])
    inserted = []
    for offset, row in enumerate(values[len(targets) :]):
        at = new_rows_at + offset
        cells = _pasted(row_type, None, list(zip(fields, row, strict=False)), at)
        new = new_row(row_type, **{f: v for f, v in cells.items() if f not in DERIVED_FIELDS})
        inserted.append(RowChange(row_type, new.uuid, parent_uuid, at, interchange.dump_row(new)))

    def plan(session: Session) -> tuple[Changes, SyncedRow | None]:
        if inserted:
            refuse_frozen_rows(session, row_type, parent_uuid)
        for uuid in targets[:1]:  # the rows share their declaration
            for field in fields:
                refuse_frozen_field(session, row_type, uuid, field)
        found = {
            row.uuid: row
            for row in session.scalars(select(row_type).where(row_type.uuid.in_(targets)))
        }
        if len(found) < len(set(targets)):
            raise RowNotFoundError
        changes: list[FieldChange] = []
        for uuid, row in zip(targets, values, strict=False):
            target = found[uuid]
            cells = _pasted(
                row_type,
                target,
                list(zip(fields, row, strict=False)),
                getattr(target, "position", 0),
            )
            changes += [
                FieldChange(row_type, uuid, field, value, getattr(target, field))
                for field, value in cells.items()
            ]
        _get(session, PARENTS[row_type][0], parent_uuid)
        return Changes(fields=tuple(changes), inserted=tuple(inserted)), None

    return _applied(document, plan)


#: The order in which an indicator's pasted cells are set: the text first, then the number,
#: then its sign and unit (which need a number), then the rest.
_PASTE_ORDER = ("target_value", "target_number", "comparison", "unit_of_measure")


def _pasted(
    row_type: type[SyncedRow], row: Any, cells: list[tuple[str, Any]], position: int
) -> dict[str, Any]:
    """The fields a pasted row's ``cells`` (field, parsed value) set on ``row`` (an ORM
    row, or None for a new one at ``position``): the cells as they are, or for an
    indicator also the text and the fields read from it (``indicator_fields.edited_values``,
    in ``_PASTE_ORDER``). The text is the source: a row pasted with its 指标值 (rows
    copied whole, or cleared) takes 性质, 符号, 数值 and 单位 from it and not from their
    cells; 指标性质 always follows the text. Raises ``ValueError`` naming the row when an
    indicator cell cannot be set (a sign on a row without a number)."""
    if row_type is not Indicator or not any(f in TEXT_AND_DERIVED for f, _ in cells):
        return dict(cells)
    with_text = any(field == "target_value" for field, _ in cells)
    cells = [
        (field, value)
        for field, value in cells
        if field != "indicator_nature" and not (with_text and field in DERIVED_FIELDS)
    ]
    state = {name: getattr(row, name) if row is not None else None for name in TEXT_AND_DERIVED}
    state["target_value"] = state["target_value"] or ""
    out: dict[str, Any] = {}
    order = {field: n for n, field in enumerate(_PASTE_ORDER)}
    for field, value in sorted(cells, key=lambda cell: order.get(cell[0], len(order))):
        if field not in TEXT_AND_DERIVED:
            out[field] = value
            continue
        try:
            state.update(edited_values(state, field, value))
        except ValueError as exc:
            raise ValueError(f"粘贴未进行：第{position + 1}行指标：{exc}") from exc
        out.update(state)
    return out


def place_of(document: Document, *, row_type: type[SyncedRow], row_uuid: str) -> tuple[str, int]:
    """(UUID of the parent, 0-based index in the parent's list) of a row (e.g. to show
    the row a review finding is about). Raises ``RowNotFoundError``."""
    with document.session() as session:
        row = _get(session, row_type, row_uuid)
        return str(_parent_of(row).uuid), int(row.position)


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


def generate_item_targets(document: Document, *, declaration_uuid: str) -> Changes:
    """从项目表生成: write Part 1 § 二 from the Part 2 tables.

    For each budget project, its item target (the one linked to it, keeping its UUID, or a
    new one) gets the project's name and 预算数 and one statement per filled indicator
    (``indicator_statement``) under the indicator's level-1 and level-2. Item targets not
    linked to any project are left as they are. A rewritten item target is removed and
    inserted again (same UUID, new statements): the inverse puts it back exactly as it
    was. Raises ``RowNotFoundError``.
    """
    now = interchange.time_text(utc_now())
    with document.session() as session:
        declaration = _get(session, Declaration, declaration_uuid)
        items = list(declaration.item_targets)
        linked = {item.budget_project_id: item for item in items if item.budget_project_id}
        replaced: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        added: list[dict[str, Any]] = []
        for project in declaration.budget_projects:
            statements = [
                interchange.dump_row(
                    ItemTargetStatement(level1=i.level1, level2=i.level2, text=text)
                )
                for i in project.indicators
                if (text := indicator_statement(i))
            ]
            budget = None if project.budget_amount is None else str(project.budget_amount)
            old = linked.get(project.id)
            if old is not None:
                before = interchange.dump_row(old)
                after = {**before, "title": project.name, "budget": budget}
                after |= {"statements": statements, "modified_at": now}
                replaced.append((items.index(old), before, after))
                for field in ("title", "budget"):  # stored values replace refused input
                    pending.forget_input(session, row_uuid=old.uuid, field=field)
            else:
                item = interchange.dump_row(ItemTarget(title=project.name))
                item |= {"budget": budget, "budget_project_uuid": project.uuid}
                added.append(item | {"statements": statements})
    removed = tuple(
        RowChange(ItemTarget, before["uuid"], declaration_uuid, index - number, before)
        for number, (index, before, _) in enumerate(sorted(replaced, key=lambda r: r[0]))
    )
    inserted = tuple(
        RowChange(ItemTarget, after["uuid"], declaration_uuid, index, after)
        for index, _, after in sorted(replaced, key=lambda r: r[0])
    ) + tuple(
        RowChange(ItemTarget, item["uuid"], declaration_uuid, len(items) + number, item)
        for number, item in enumerate(added)
    )
    return _applied(document, lambda _: (Changes(inserted=inserted, removed=removed), None))


#: The lists of a declaration that ``declaration_changes`` compares, in the order their
#: removals are told (item targets before the projects they link to); insertions go in
#: the reverse order (projects first, so that item targets find them).
_DECLARATION_LISTS: tuple[tuple[str, type[SyncedRow]], ...] = (
    ("print_records", PrintRecord),
    ("finding_explanations", FindingExplanation),
    ("item_targets", ItemTarget),
    ("key_tasks", KeyTask),
    ("budget_projects", BudgetProject),
)


def declaration_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, index: int = 0
) -> Changes:
    """The Changes that turn one declaration from ``before`` into ``after`` (both in the
    JSON form, ``interchange.dump_row``; None: not in the file), e.g. what a merge did.

    A unit only on one side is a ``Declaration`` row inserted or removed whole (``index``:
    its place among the file's units). Otherwise its header fields that differ are field
    changes, and each of its lists (key tasks, item targets, budget projects, review
    explanations, print records) is compared row by row: rows the same on both sides
    (same UUID and content, in the same order) stay, every other row of ``before`` is
    removed and of ``after`` inserted, with all it owns (a project that changed is
    replaced whole, keeping its UUID; the item targets linked to it are linked again).
    Applying the result to ``before`` gives ``after``; its inverse gives ``before``.
    """
    if before is None and after is None:
        return Changes()
    if before is None or after is None:
        data = after if before is None else before
        assert data is not None
        unit = RowChange(Declaration, data["uuid"], "", index, data)
        return Changes(inserted=(unit,)) if before is None else Changes(removed=(unit,))
    uuid = str(after["uuid"])
    kinds = content_fields(Declaration)
    fields = tuple(
        FieldChange(
            Declaration, uuid, name, _parsed(kind, after.get(name)), _parsed(kind, before.get(name))
        )
        for name, kind in kinds.items()
        if before.get(name) != after.get(name)
    )
    if fields or before["modified_at"] != after["modified_at"]:  # the header's own time
        times = [interchange.time_value(d["modified_at"]) for d in (after, before)]
        fields += (FieldChange(Declaration, uuid, "modified_at", *times),)
    links = {
        side: _project_links(data["item_targets"])
        for side, data in (("old", before), ("new", after))
    }
    removed: list[RowChange] = []
    inserted: list[RowChange] = []
    for name, row_type in _DECLARATION_LISTS:
        gone, new = _list_changes(row_type, uuid, before.get(name, []), after.get(name, []))
        if row_type is BudgetProject:
            gone = [_with_links(change, links["old"]) for change in gone]
            new = [_with_links(change, links["new"]) for change in new]
        removed += gone
        inserted[:0] = new
    return Changes(fields=fields, inserted=tuple(inserted), removed=tuple(removed))


def _parsed(kind: type, value: Any) -> Any:
    """A JSON-form value as the editing services hold it (amounts as Decimal)."""
    return kind(value) if value is not None and not isinstance(value, kind) else value


def _project_links(item_targets: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Project UUID -> the UUIDs of the item targets linked to it."""
    found: dict[str, tuple[str, ...]] = {}
    for target in item_targets:
        project = target.get("budget_project_uuid")
        if project:
            found[project] = (*found.get(project, ()), target["uuid"])
    return found


def _with_links(change: RowChange, links: dict[str, tuple[str, ...]]) -> RowChange:
    return RowChange(
        change.row_type,
        change.row_uuid,
        change.parent_uuid,
        change.index,
        change.data,
        links.get(change.row_uuid, ()),
    )


def _list_changes(
    row_type: type[SyncedRow],
    parent_uuid: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
) -> tuple[list[RowChange], list[RowChange]]:
    """(removed, inserted) turning the list ``old`` into ``new``: the rows of the longest
    run of equal rows in order stay; the others of ``old`` are removed from the last to
    the first (each index as the list is then), those of ``new`` inserted from the first
    (each at its index in ``new``)."""
    import json
    from difflib import SequenceMatcher

    def key(row: dict[str, Any]) -> str:
        return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)

    matcher = SequenceMatcher(None, [key(r) for r in old], [key(r) for r in new], autojunk=False)
    kept_old: set[int] = set()
    kept_new: set[int] = set()
    for block in matcher.get_matching_blocks():
        kept_old.update(range(block.a, block.a + block.size))
        kept_new.update(range(block.b, block.b + block.size))
    removed = [
        RowChange(row_type, row["uuid"], parent_uuid, index, row)
        for index, row in reversed(list(enumerate(old)))
        if index not in kept_old
    ]
    inserted = [
        RowChange(row_type, row["uuid"], parent_uuid, index, row)
        for index, row in enumerate(new)
        if index not in kept_new
    ]
    return removed, inserted
