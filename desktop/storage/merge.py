"""Merging another office's declarations into an open file: classify each unit, then apply
the clerk's choices. The file checks, backup and transaction are the caller's (services).

Merge units are a declaration's header (部门整体: its fields, key tasks and item targets)
and each budget project (with its disbursement plan and indicators); see storage/history.py
for how "changed here / there / on both sides" is decided. Declarations are the same when
they have the same UUID and the same unit (code or name): files handed out from one blank
template share UUIDs, and two units must never be merged into one. A unit whose UUIDs are
another unit's here is taken under UUIDs derived from its own (``_unit_copy``), the same
at every merge, so that merging its file again finds it. Merged rows keep their
UUIDs and modification times; a unit present on one side only is never removed unless the
clerk chooses so. Must not import Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Any
from uuid import UUID, uuid5

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    KeyTask,
    PrintRecord,
    TargetAdjustment,
)
from desktop.models.base import SyncedRow, content_fields, owned_collections
from desktop.storage import history as content_history
from desktop.storage.compare import Difference, differences, project_links
from desktop.storage.interchange import insert_declaration, load_row, renew_uuids
from desktop.storage.merge_policy import Policy

#: The owned lists of a declaration that are records, kept from both files whatever the choice.
_RECORDS = ("finding_explanations", "print_records", "target_adjustments")
_NOT_HEADER = ("budget_projects", *_RECORDS)
#: The owned lists a merge unit replaces when the other side's version is taken.
_LISTS: dict[type[SyncedRow], dict[str, type[SyncedRow]]] = {
    Declaration: {"key_tasks": KeyTask, "item_targets": ItemTarget},
    BudgetProject: {"disbursement_plan": DisbursementCheckpoint, "indicators": Indicator},
}


class Status(enum.Enum):
    """How a unit stands between the two files (the value is what the clerk reads)."""

    NEW = "对方新增"
    ONLY_MINE = "对方没有"
    IDENTICAL = "相同"
    CHANGED_HERE = "本方修改"
    CHANGED_THERE = "对方修改"
    CHANGED_BOTH = "双方都改"


class Choice(enum.Enum):
    """What the clerk decided for a unit."""

    THEIRS = "采用对方"
    MINE = "保留本方"
    BOTH = "两份都保留"


class Kind(enum.Enum):
    """What a merge item stands for."""

    DECLARATION = "整份绩效目标"
    HEADER = "部门整体"
    PROJECT = "预算项目"


@dataclass
class MergeItem:
    """One unit to decide: where it is, how it stands, what differs, and the choice.

    ``theirs`` is the incoming unit in the JSON form (a whole declaration for
    ``DECLARATION`` and ``HEADER`` items, a project for ``PROJECT`` items; ``None`` when
    missing there). ``choices`` are those that make sense for the status; ``choice`` starts
    as the policy's proposal and may be changed to another of ``choices`` before applying.
    ``neighbours``: the UUIDs of the projects before and after a project in the other file
    (where a new project goes). ``theirs_history``: the other file's content history of the
    units of this item, united into this file's when the merge is applied. Times are UTC:
    the latest modification among the unit's rows on each side.
    """

    source: str
    declaration: str
    declaration_uuid: str
    kind: Kind
    unit_uuid: str
    place: str
    status: Status
    choices: tuple[Choice, ...]
    choice: Choice
    note: str = ""
    mine_modified: datetime | None = None
    theirs_modified: datetime | None = None
    differences: tuple[Difference, ...] = ()
    theirs: dict[str, Any] | None = None
    neighbours: tuple[str | None, str | None] = (None, None)
    theirs_history: dict[str, frozenset[str]] = field(default_factory=dict)
    clock_warning: str = ""

    @property
    def needs_decision(self) -> bool:
        """True when the clerk has more than one sensible choice."""
        return len(self.choices) > 1

    def report_line(self) -> str:
        """The line of the merge report for this item, in Chinese."""
        head = f"【{self.source}】{self.declaration} · {self.place}：{self.status.value}"
        if self.status is Status.IDENTICAL:
            return head + "，无需合并"
        result = {
            (Status.NEW, Choice.THEIRS): "已加入",
            (Status.NEW, Choice.MINE): "未加入",
            (Status.ONLY_MINE, Choice.MINE): "已保留",
            (Status.ONLY_MINE, Choice.THEIRS): "已删除",
        }.get((self.status, self.choice), self.choice.value)
        both_sides = self.status not in (Status.NEW, Status.ONLY_MINE)
        extra = f"（{len(self.differences)} 处不同）" if both_sides and self.differences else ""
        note = f"；{self.note}" if self.note else ""
        if self.clock_warning:
            note += f"；{self.clock_warning}，未按修改时间先后决定，请核对"
        return f"{head}{extra} → {result}{note}"


def classify(mine: str, theirs: str, mine_history: set[str], theirs_history: set[str]) -> Status:
    """How a unit present in both files stands, from its content hashes and histories."""
    if mine == theirs:
        return Status.IDENTICAL
    here = theirs in mine_history  # theirs is a state mine has passed through
    there = mine in theirs_history
    if here and not there:
        return Status.CHANGED_HERE
    if there and not here:
        return Status.CHANGED_THERE
    return Status.CHANGED_BOTH


def plan_merge(
    session: Session,
    incoming: list[dict[str, Any]],
    incoming_history: dict[str, set[str]],
    *,
    source: str,
    policy: Policy = Policy.NEWER,
) -> list[MergeItem]:
    """The merge items for the JSON-form declarations ``incoming`` of the file ``source``
    (a name to show) against the file of ``session``, with choices proposed by ``policy``.

    ``incoming_history`` is the incoming file's content history. Nothing is written.
    """
    items: list[MergeItem] = []
    for data in incoming:
        history = incoming_history
        mine = _declaration(session, data["uuid"])
        if mine is not None and not _same_unit(mine, data):
            data, history = _unit_copy(data, incoming_history)
            mine = _declaration(session, data["uuid"])
            if mine is not None and not _same_unit(mine, data):
                mine = None
        if mine is None:
            items.append(_new_declaration(session, data, history, source))
        else:
            items += _declaration_items(session, mine, data, history, source, policy)
    return items


def _declaration(session: Session, declaration_uuid: str) -> Declaration | None:
    return session.scalars(
        select(Declaration).where(Declaration.uuid == declaration_uuid)
    ).one_or_none()


#: The namespace of the UUIDs derived by ``_unit_copy`` (a fixed random UUID: changing it
#: would make every earlier merge's copies unknown to the next merge).
_UNIT_COPY_NAMESPACE = UUID("5d0c8f0e-8a41-4a53-9a7e-3c1f4b6d2e71")


def _unit_copy(
    data: dict[str, Any], history: dict[str, set[str]]
) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The JSON-form declaration ``data`` and its file's content ``history`` under UUIDs
    derived from each row's own UUID, the unit (code, or name without one) and the year:
    the copy of a unit whose file shares its UUIDs with another unit's here (files from
    one blank template). The same file gives the same UUIDs at every merge, so merging it
    again compares it with what it gave before instead of adding it twice."""
    unit = f"{data['unit_code'] or data['unit_name']}/{data['fiscal_year']}"

    def derived(old: str) -> str:
        return str(uuid5(_UNIT_COPY_NAMESPACE, f"{unit}/{old}"))

    return renew_uuids(data, derived), {derived(k): v for k, v in history.items()}


def _same_unit(mine: Declaration, data: dict[str, Any]) -> bool:
    return bool(
        (mine.unit_code and mine.unit_code == data["unit_code"])
        or (mine.unit_name and mine.unit_name == data["unit_name"])
    )


def _title(data: dict[str, Any]) -> str:
    return f"{data['unit_code']} {data['unit_name']} {data['fiscal_year']}年".strip()


#: How far past this computer's clock a modification time may lie and still be believed
#: (a PC's clock a few hours fast, a wrong time zone setting).
FUTURE_TOLERANCE = timedelta(days=1)


def implausible_time(when: datetime, fiscal_year: int, now: datetime) -> str:
    """Why the modification time ``when`` (UTC) of a row of the declaration for
    ``fiscal_year`` cannot be right, in Chinese ("" when it can): later than ``now`` plus
    ``FUTURE_TOLERANCE`` (a clock set ahead, a file stamped 2099), or before 1 January of
    the year before the fiscal year — a year's targets are drawn up in the year before
    (申报 in the autumn) at the earliest, so an earlier time comes from a clock set back.
    """
    if when > now + FUTURE_TOLERANCE:
        return f"修改时间 {_day(when)} 在未来（本机今天是 {_day(now)}），可能是那台电脑的时钟不准"
    earliest = datetime(max(fiscal_year - 1, 1), 1, 1, tzinfo=UTC)
    if when < earliest:
        return (
            f"修改时间 {_day(when)} 早于{fiscal_year}年度绩效目标可能开始填报的时间"
            f"（{earliest.year}年），可能是那台电脑的时钟被调回过"
        )
    return ""


def _day(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d")


def clock_warning(
    sides: list[tuple[str, dict[str, Any] | None, int]], now: datetime | None = None
) -> str:
    """The warning about implausible modification times of a merge unit ("" when none):
    ``sides`` are (name of the side — 本方 / 对方 —, its JSON-form unit or None, the
    declaration's fiscal year). Every row's time counts, not only the latest: an edit on a
    PC whose clock was set back hides behind the unit's other, correct times."""
    now = now or datetime.now(UTC)
    found = []
    for side, data, fiscal_year in sides:
        if data is None:
            continue
        reasons = [implausible_time(t, fiscal_year, now) for t in _modified_times(data)]
        reasons = sorted({r for r in reasons if r})
        if reasons:
            found.append(f"{side}的{reasons[0]}")
    return "；".join(found)


def latest_modified(data: dict[str, Any]) -> datetime:
    """The latest ``modified_at`` (UTC) among a JSON-form row and the rows it owns
    (review explanations, print records and 目标调整 left out)."""
    return max(_modified_times(data))


def _modified_times(data: dict[str, Any]) -> list[datetime]:
    """Every ``modified_at`` (UTC) of a JSON-form row and the rows it owns (review
    explanations and print records left out)."""
    times: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "modified_at" in value:
                times.append(value["modified_at"])
            for key, item in value.items():
                if key not in _RECORDS:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return [datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) for t in times]


def _latest_or_none(data: dict[str, Any] | None) -> datetime | None:
    return None if data is None else latest_modified(data)


def _new_declaration(
    session: Session, data: dict[str, Any], incoming_history: dict[str, set[str]], source: str
) -> MergeItem:
    same = session.scalars(
        select(Declaration).where(
            Declaration.unit_code == data["unit_code"],
            Declaration.fiscal_year == data["fiscal_year"],
        )
    ).first()
    note = (
        "本文件已有该单位该年度的另一份绩效目标（来源不同），两份都在，请核对"
        if same is not None and data["unit_code"]
        else ""
    )
    return MergeItem(
        source=source,
        declaration=_title(data),
        declaration_uuid=data["uuid"],
        kind=Kind.DECLARATION,
        unit_uuid=data["uuid"],
        place=f"整份绩效目标（{len(data['budget_projects'])} 个预算项目）",
        status=Status.NEW,
        choices=(Choice.THEIRS, Choice.MINE),
        choice=Choice.THEIRS,
        note=note,
        theirs_modified=_latest_or_none(data),
        theirs=data,
        theirs_history={
            unit: frozenset(incoming_history[unit])
            for unit in (data["uuid"], *(p["uuid"] for p in data["budget_projects"]))
            if unit in incoming_history
        },
    )


def _declaration_items(
    session: Session,
    mine: Declaration,
    data: dict[str, Any],
    incoming_history: dict[str, set[str]],
    source: str,
    policy: Policy,
) -> list[MergeItem]:
    title = _title(data)
    mine_projects = {p.uuid: p for p in mine.budget_projects}
    their_projects = {p["uuid"]: p for p in data["budget_projects"]}
    links = (
        project_links((p.uuid, p.name) for p in mine.budget_projects),
        project_links((p["uuid"], p["name"]) for p in data["budget_projects"]),
    )
    mine_history = content_history.history(session, {mine.uuid, *mine_projects, *their_projects})

    def item(
        kind: Kind,
        uuid: str,
        place: str,
        mine_data: dict[str, Any] | None,
        theirs_data: dict[str, Any] | None,
        shown: dict[str, Any] | None,
        neighbours: tuple[str | None, str | None] = (None, None),
    ) -> MergeItem:
        cls = Declaration if kind is Kind.HEADER else BudgetProject
        mine_hash = content_history.content_hash(mine_data) if mine_data else ""
        their_hash = content_history.content_hash(shown) if shown else ""
        known_here = mine_history.get(uuid, set())
        known_there = incoming_history.get(uuid, set())
        note = ""
        if mine_data is None:
            status = Status.NEW
            if their_hash in known_here:
                note = "本方已删除此项目（或上次合并未采用），对方未再修改"
            elif known_here:
                note = "本方已删除此项目，对方此后又作了修改"
        elif theirs_data is None:
            status = Status.ONLY_MINE
            note = "对方已删除此项目" if mine_hash in known_there else "对方文件中没有此项目"
        else:
            status = classify(mine_hash, their_hash, known_here, known_there)
        mine_time, their_time = _latest_or_none(mine_data), _latest_or_none(shown)
        removed_here = status is Status.NEW and their_hash in known_here
        warning = clock_warning(
            [("本方", mine_data, mine.fiscal_year), ("对方", shown, data["fiscal_year"])]
        )
        if warning:  # a time that cannot be right decides nothing: treated as unknown
            mine_time_trusted = their_time_trusted = None
        else:
            mine_time_trusted, their_time_trusted = mine_time, their_time
        choices, choice = _choices(
            status, policy, mine_time_trusted, their_time_trusted, removed_here
        )
        return MergeItem(
            source=source,
            declaration=title,
            declaration_uuid=data["uuid"],
            kind=kind,
            unit_uuid=uuid,
            place=place,
            status=status,
            choices=choices,
            choice=choice,
            note=note,
            mine_modified=mine_time,
            theirs_modified=their_time,
            differences=tuple(differences(cls, mine_data, shown, place, links))
            if status is not Status.IDENTICAL
            else (),
            theirs=theirs_data,
            neighbours=neighbours,
            theirs_history={uuid: frozenset(known_there | {their_hash})} if their_hash else {},
            clock_warning=warning,
        )

    header = {k: v for k, v in data.items() if k not in _NOT_HEADER}
    items = [
        item(Kind.HEADER, mine.uuid, "部门整体", content_history.unit_data(mine), data, header)
    ]
    order: list[str | None] = [None, *their_projects, None]
    for index, (uuid, project) in enumerate(their_projects.items(), start=1):
        mine_project = mine_projects.get(uuid)
        mine_data = content_history.unit_data(mine_project) if mine_project else None
        place = f"项目“{mine_project.name if mine_project else project['name']}”"
        around = (order[index - 1], order[index + 1])
        items.append(item(Kind.PROJECT, uuid, place, mine_data, project, project, around))
    for uuid, project in mine_projects.items():
        if uuid not in their_projects:
            mine_data = content_history.unit_data(project)
            items.append(item(Kind.PROJECT, uuid, f"项目“{project.name}”", mine_data, None, None))
    return items


def _choices(
    status: Status,
    policy: Policy,
    mine_time: datetime | None,
    their_time: datetime | None,
    removed_here: bool,
) -> tuple[tuple[Choice, ...], Choice]:
    """The sensible choices for a status and the one ``policy`` proposes."""
    if status is Status.IDENTICAL:
        return (Choice.MINE,), Choice.MINE
    if status is Status.NEW:
        keep_removed = removed_here and policy is not Policy.THEIRS
        return (Choice.THEIRS, Choice.MINE), Choice.MINE if keep_removed else Choice.THEIRS
    if status is Status.ONLY_MINE:
        return (Choice.MINE, Choice.THEIRS), Choice.MINE
    both = (Choice.THEIRS, Choice.MINE, Choice.BOTH)
    if policy is Policy.THEIRS:
        return both, Choice.THEIRS
    if policy is Policy.MINE:
        return both, Choice.MINE
    if status is Status.CHANGED_HERE:
        return both, Choice.MINE
    if status is Status.CHANGED_THERE:
        return both, Choice.THEIRS
    newer = their_time is not None and mine_time is not None and their_time > mine_time
    return both, Choice.THEIRS if newer else Choice.MINE


def apply_merge(session: Session, items: list[MergeItem]) -> list[dict[str, Any]]:
    """Write the chosen outcome of ``items`` (from ``plan_merge`` on this session).

    Rows taken from the other file keep their UUIDs and modification times (copies made
    for 两份都保留, and rows whose UUID is already used elsewhere in this file, get new
    UUIDs; a project copy's name says the file it came from). Review explanations and
    print records of a declaration in both files are united. The incoming content history
    of every unit decided goes into this file's history, so the next merge of the same
    files knows what was already seen. Raises ``ValueError`` for a choice not among an
    item's ``choices``; the caller's transaction should then be rolled back. Returns the
    declarations added whole (new units, and copies for 两份都保留), in the JSON form as
    written.
    """
    for item in items:
        if item.choice not in item.choices:
            raise ValueError(f"{item.place}：不能选择“{item.choice.value}”")
    declarations: dict[tuple[str, str, bool], list[MergeItem]] = {}
    for item in items:
        key = (item.source, item.declaration_uuid, item.kind is Kind.DECLARATION)
        declarations.setdefault(key, []).append(item)
    renewed: set[str] = set()
    added: list[dict[str, Any]] = []
    for group in declarations.values():
        if group[0].kind is Kind.DECLARATION:
            data = group[0].theirs or {}
            if group[0].choice is Choice.THEIRS:
                added.append(_add_declaration(session, data))
                if added[-1] is not data:
                    renewed.add(group[0].unit_uuid)  # a copy under new UUIDs: not these units
        else:
            added += _apply_declaration(session, group)
    content_history.record(
        session,
        {
            unit: set(hashes)
            for item in items
            if item.unit_uuid not in renewed
            for unit, hashes in item.theirs_history.items()
        },
    )
    return added


def _apply_declaration(session: Session, items: list[MergeItem]) -> list[dict[str, Any]]:
    """Apply the items of one declaration in both files; the declarations added whole
    (a copy of the header for 两份都保留)."""
    added = []
    declaration = session.scalars(
        select(Declaration).where(Declaration.uuid == items[0].declaration_uuid)
    ).one()
    projects = {p.uuid: p for p in declaration.budget_projects}
    header = items[0]
    for item in items[1:]:
        _apply_budget_project(session, declaration, projects.get(item.unit_uuid), item)
    session.flush()
    their_declaration = header.theirs or {}
    if header.choice is Choice.THEIRS:
        _replace_content(session, declaration, their_declaration)
    elif header.choice is Choice.BOTH:
        added.append(_add_declaration(session, renew_uuids(their_declaration)))
    _add_their_records(session, declaration, their_declaration)
    return added


def _apply_budget_project(
    session: Session, declaration: Declaration, project: BudgetProject | None, item: MergeItem
) -> None:
    """Apply the clerk's choice ``item`` for one budget project of ``declaration``
    (``project``: ours, None when only the other file has it). 采用对方 removes ours when
    the other file has none (item targets naming it then name none), else replaces its
    content, or inserts theirs at its neighbours' place; 两份都保留 inserts their copy (new
    UUIDs, named after its file) after ours; 保留本方 changes nothing."""
    if item.choice is Choice.THEIRS and item.status is Status.ONLY_MINE and project:
        for target in declaration.item_targets:
            if target.budget_project is project:
                target.budget_project = None
        declaration.budget_projects.remove(project)
    elif item.choice is Choice.THEIRS and project is not None:
        _replace_content(session, project, item.theirs or {})
    elif item.choice is Choice.THEIRS:
        data = _free_uuids(session, BudgetProject, item.theirs or {})
        declaration.budget_projects.insert(
            _place(declaration, item.neighbours), load_row(BudgetProject, data, {})
        )
    elif item.choice is Choice.BOTH and project is not None:
        copy = load_row(BudgetProject, renew_uuids(item.theirs), {})
        copy.name = f"{copy.name}（来自“{PurePath(item.source).stem}”）"  # which is which
        declaration.budget_projects.insert(declaration.budget_projects.index(project) + 1, copy)


def _add_their_records(
    session: Session, declaration: Declaration, their_declaration: dict[str, Any]
) -> None:
    """Add to ``declaration`` the finding explanations, print records and 目标调整 of
    ``their_declaration`` (the JSON form) that it lacks: kept from both files, whatever the
    choice, unless their UUID is already in the file elsewhere."""
    known = {e.uuid for e in declaration.finding_explanations}
    for data in their_declaration.get("finding_explanations", []):
        if data["uuid"] not in known and not _taken(session, FindingExplanation, [data]):
            declaration.finding_explanations.append(load_row(FindingExplanation, data, {}))
    known = {r.uuid for r in declaration.print_records}
    for data in their_declaration.get("print_records", []):
        if data["uuid"] not in known and not _taken(session, PrintRecord, [data]):
            declaration.print_records.append(load_row(PrintRecord, data, {}))
    known = {a.uuid for a in declaration.target_adjustments}
    for data in their_declaration.get("target_adjustments", []):
        if data["uuid"] not in known and not _taken(session, TargetAdjustment, [data]):
            declaration.target_adjustments.append(load_row(TargetAdjustment, data, {}))


def _place(declaration: Declaration, neighbours: tuple[str | None, str | None]) -> int:
    """Where a new project goes: before the project that follows it in the other file,
    else after the one that precedes it, else at the end."""
    uuids = [p.uuid for p in declaration.budget_projects]
    before, after = neighbours
    if after in uuids:
        return uuids.index(after)
    if before in uuids:
        return uuids.index(before) + 1
    return len(uuids)


def _replace_content(
    session: Session, row: Declaration | BudgetProject, data: dict[str, Any]
) -> None:
    """Give ``row`` the fields, modification time and (header or project) lists of ``data``."""
    cls = type(row)
    lists = _LISTS[cls]
    empty = {**data, **{name: [] for name in (*lists, *_NOT_HEADER) if name in data}}
    shape = load_row(cls, {**empty, "uuid": row.uuid}, {})  # parses and checks the fields
    for name in content_fields(cls):
        setattr(row, name, getattr(shape, name))
    row.modified_at = shape.modified_at
    for name in lists:
        getattr(row, name).clear()
    session.flush()  # the old rows leave before the new ones (same UUIDs) arrive
    projects = {p.uuid: p for p in row.budget_projects} if isinstance(row, Declaration) else {}
    children = {name: data.get(name, []) for name in lists}
    if any(_taken(session, child_cls, children[name]) for name, child_cls in lists.items()):
        children = renew_uuids(children)
    for name, child_cls in lists.items():
        for child in children[name]:
            if child_cls is ItemTarget and child.get("budget_project_uuid") not in projects:
                child = {**child, "budget_project_uuid": None}  # a project not taken over
            getattr(row, name).append(load_row(child_cls, child, projects))


def _add_declaration(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """Insert a whole declaration (new UUIDs if any is taken) and record its units' content;
    returns the data inserted (``data`` itself unless it needed new UUIDs)."""
    data = _free_uuids(session, Declaration, data)
    insert_declaration(session, data)
    header = {k: v for k, v in data.items() if k not in _NOT_HEADER}
    units = [header, *data["budget_projects"]]
    content_history.record(
        session, {unit["uuid"]: {content_history.content_hash(unit)} for unit in units}
    )
    return data


def _free_uuids(session: Session, cls: type[SyncedRow], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a row of ``cls``), or a copy with new UUIDs when any of its UUIDs is
    already used in the file."""
    return renew_uuids(data) if _taken(session, cls, [data]) else data


def _taken(session: Session, cls: type[SyncedRow], rows: list[dict[str, Any]]) -> bool:
    """Whether any of ``rows`` (JSON-form rows of ``cls``) or the rows they own has a UUID
    already used in the file by a row of its kind."""
    uuids: dict[type[SyncedRow], set[str]] = {}

    def walk(kind: type[SyncedRow], items: list[dict[str, Any]]) -> None:
        for item in items:
            uuids.setdefault(kind, set()).add(item["uuid"])
            for name, child_cls in owned_collections(kind).items():
                walk(child_cls, item.get(name, []))

    walk(cls, rows)
    if not uuids:
        return False
    query = union_all(*(select(k.id).where(k.uuid.in_(u)) for k, u in uuids.items()))
    with session.no_autoflush:
        return session.execute(query.limit(1)).first() is not None
