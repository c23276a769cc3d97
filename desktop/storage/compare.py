"""Field-by-field differences between two versions of rows in the JSON form, in the clerk's words.

Used by the merge (the side-by-side view of a unit) and by 比较 (two files or two
declarations). Rows of a list are paired by UUID, then by what names them on the form
(project code or name, checkpoint label, item title), then unnamed rows by equal content,
then by place; so a row inserted into a file with other UUIDs (rebuilt from Excel) is one
added row, not every later row changed. A row on one side only is one line (栏目 整行).
An item target's link is the same when it names the same project (UUID) or a project
shown alike (position and name in its own declaration), as in ``interchange.fingerprint``.
Review explanations and print records are not content and are not compared. Must not
import Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.base import SyncedRow, content_fields, owned_collections
from desktop.models.indicator_fields import DERIVED_FIELDS
from desktop.models.labels import FIELD_LABELS, PROJECT_LINK_LABEL, place_of

#: Shown for a missing row or an empty cell; the 栏目 of a row on one side only.
ABSENT = "（无此行）"
EMPTY = "（空）"
WHOLE_ROW = "整行"
#: Records, not form content: 比较 leaves them out (目标调整 shows as the change it made).
_NOT_CONTENT = ("finding_explanations", "print_records", "target_adjustments")
#: The field that names a row of each list, for pairing rows of files with different UUIDs.
_NAMING_FIELDS: dict[type[SyncedRow], tuple[str, ...]] = {
    Declaration: ("unit_code", "fiscal_year"),
    BudgetProject: ("code", "name"),
    ItemTarget: ("title",),
    DisbursementCheckpoint: ("label",),
}
#: The fields that sum up a row on one side only (its line in the list of differences).
_SUMMARY_FIELDS: dict[type[SyncedRow], tuple[str, ...]] = {
    KeyTask: ("title",),
    ItemTarget: ("title", "budget"),
    ItemTargetStatement: ("level2", "text"),
    BudgetProject: ("code", "name"),
    DisbursementCheckpoint: ("label", "cumulative_percent"),
    Indicator: ("level3", "target_value"),
}
#: Per side (mine, theirs): budget project UUID -> the project as shown, e.g. 2.接待管理经费.
Links = tuple[dict[str, str], dict[str, str]]


@dataclass(frozen=True)
class Difference:
    """One field that differs: where (``place``, e.g. 项目“接待管理经费”第3行指标), which field
    (``label``, the form's term, e.g. 指标值) and the two values as display text (amounts
    in 万元 as stored, ``EMPTY`` for an empty cell). A row on one side only is one
    difference: ``label`` ``WHOLE_ROW``, ``ABSENT`` on the side without it and a summary
    of the row (e.g. 三级指标：接待次数；指标值：≥100次) on the other."""

    place: str
    label: str
    mine: str
    theirs: str


def differences(
    cls: type[SyncedRow],
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    place: str,
    links: Links = ({}, {}),
) -> list[Difference]:
    """The differing fields of one row and of all rows it owns, in form order.

    ``mine``/``theirs`` are JSON-form rows (``interchange.dump_row``); ``None`` is a row
    missing on that side (then its filled fields are listed against ``ABSENT``; rows it
    owns are one line each). Lists missing from a dict (e.g. a header without projects)
    are not compared. ``links`` (``project_links`` of each side's declaration) shows which
    project an item target is for.
    """
    found: list[Difference] = []
    for field in content_fields(cls):
        label = FIELD_LABELS.get(cls, {}).get(field)
        if label is None or (cls is Indicator and field in DERIVED_FIELDS):
            continue  # an indicator's 性质, 符号, 数值, 单位 differ only with its 指标值
        a, b = _text(mine, field), _text(theirs, field)
        if a != b and not (mine is None and b == EMPTY) and not (theirs is None and a == EMPTY):
            found.append(Difference(place, label, a, b))
    if cls is ItemTarget:
        a, b = _linked(mine, links[0]), _linked(theirs, links[1])
        same_project = _text(mine, "budget_project_uuid") == _text(theirs, "budget_project_uuid")
        if a != b and not same_project:
            found.append(Difference(place, PROJECT_LINK_LABEL, a, b))
    for name, child_cls in owned_collections(cls).items():
        if name in _NOT_CONTENT or (
            (mine or {}).get(name) is None and (theirs or {}).get(name) is None
        ):
            continue
        mine_rows = (mine or {}).get(name) or []
        their_rows = (theirs or {}).get(name) or []
        positions = {id(row): i for rows in (their_rows, mine_rows) for i, row in enumerate(rows)}
        for a_row, b_row in pair_rows(child_cls, mine_rows, their_rows):
            # the place is the row's position in the file where it is (mine's if in both)
            row = a_row if a_row is not None else b_row
            assert row is not None  # pair_rows pairs each row with its match or None
            where = child_place(child_cls, row, positions[id(row)], place)
            if a_row is None or b_row is None:
                found.append(
                    Difference(
                        where, WHOLE_ROW, _summary(child_cls, a_row), _summary(child_cls, b_row)
                    )
                )
            else:
                found += differences(child_cls, a_row, b_row, where, links)
    return found


def project_links(projects: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The ``Links`` of one side: (UUID, name) of a declaration's budget projects in form
    order -> UUID to the project as the printed form's 对应预算项目 shows it (2.接待管理经费)."""
    return {uuid: f"{n}.{name}" for n, (uuid, name) in enumerate(projects, start=1)}


def pair_rows(
    cls: type[SyncedRow], mine: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Rows of two lists paired: by UUID, then by naming fields, then (unnamed rows) by
    equal content, then in order; unpaired rows come with ``None`` on the other side.
    Order: mine's, with theirs' extra after."""
    pairs: dict[int, dict[str, Any] | None] = {}
    left = list(range(len(theirs)))

    def take(match: Any) -> None:
        for i, row in enumerate(mine):
            if i in pairs:
                continue
            for j in left:
                if match(row, theirs[j]):
                    pairs[i] = theirs[j]
                    left.remove(j)
                    break

    take(lambda a, b: a["uuid"] == b["uuid"])
    keys = _NAMING_FIELDS.get(cls)
    if keys:
        take(lambda a, b: all(a.get(k) == b.get(k) for k in keys))
    if cls not in (Declaration, BudgetProject):  # unnamed rows: by content, then by place
        fields = content_fields(cls)
        take(lambda a, b: all(a.get(f) == b.get(f) for f in fields))
        take(lambda a, b: True)
    result: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = [
        (row, pairs.get(i)) for i, row in enumerate(mine)
    ]
    return result + [(None, theirs[j]) for j in left]


def child_place(cls: type[SyncedRow], row: dict[str, Any], index: int, parent: str) -> str:
    """Where a row of a list is, in the clerk's words (``index`` 0-based): as
    ``labels.place_of`` says it, a declaration by its unit and year (there may be several),
    a checkpoint with its 时间节点."""
    if cls is Declaration:
        return f"{row.get('unit_name', '')} {row.get('fiscal_year', '')}年"
    name = str(row.get("title") or row.get("name") or "")  # an item target's, a project's
    where = place_of(cls, index, name, "" if parent == "部门整体" else parent)
    if cls is DisbursementCheckpoint:
        where += f"“{row.get('label', '')}”"
    return where


def _text(row: dict[str, Any] | None, field: str) -> str:
    if row is None:
        return ABSENT
    value = row.get(field)
    return EMPTY if value is None or value == "" else str(value)


def _summary(cls: type[SyncedRow], row: dict[str, Any] | None) -> str:
    """A row on one side only, in a few words: its summing-up fields that are filled."""
    if row is None:
        return ABSENT
    labels = FIELD_LABELS[cls]
    parts = [
        f"{labels[f]}：{_text(row, f)}" for f in _SUMMARY_FIELDS[cls] if _text(row, f) != EMPTY
    ]
    return "；".join(parts) or EMPTY


def _linked(row: dict[str, Any] | None, links: dict[str, str]) -> str:
    if row is None:
        return ABSENT
    uuid = row.get("budget_project_uuid")
    return "未关联" if uuid is None else f"“{links.get(uuid, '（另一文件中的项目）')}”"
