"""Field-by-field differences between two versions of rows in the JSON form, in the clerk's words.

Used by the merge (the side-by-side view of a unit) and by 比较 (two files or two
declarations). Rows of a list are paired by UUID, then by what names them on the form
(project code or name, checkpoint label, item title), then by place. Review explanations
and print records are not content and are not compared. Must not import Qt.
"""

from __future__ import annotations

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
from desktop.models.labels import FIELD_LABELS

#: Shown for a missing row or an empty cell.
ABSENT = "（无此行）"
EMPTY = "（空）"
_NOT_CONTENT = ("finding_explanations", "print_records")
#: The field that names a row of each list, for pairing rows of files with different UUIDs.
_NAMING_FIELDS: dict[type[SyncedRow], tuple[str, ...]] = {
    Declaration: ("unit_code", "fiscal_year"),
    BudgetProject: ("code", "name"),
    ItemTarget: ("title",),
    DisbursementCheckpoint: ("label",),
}


@dataclass(frozen=True)
class Difference:
    """One field that differs: where (``place``, e.g. 项目“接待管理经费”第3行指标), which field
    (``label``, the form's term, e.g. 指标值) and the two values as display text (amounts
    in 万元 as stored, ``EMPTY`` for an empty cell, ``ABSENT`` when the row is missing)."""

    place: str
    label: str
    mine: str
    theirs: str


def differences(
    cls: type[SyncedRow],
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    place: str,
    names: dict[str, str] | None = None,
) -> list[Difference]:
    """The differing fields of one row and of all rows it owns, in form order.

    ``mine``/``theirs`` are JSON-form rows (``interchange.dump_row``); ``None`` is a row
    missing on that side (then its filled fields are listed against ``ABSENT``). Lists
    missing from a dict (e.g. a header without projects) are not compared. ``names`` maps
    budget project UUIDs to project names, to show which project an item target is for.
    """
    names = names or {}
    found: list[Difference] = []
    for field in content_fields(cls):
        label = FIELD_LABELS.get(cls, {}).get(field)
        if label is None:
            continue
        a, b = _text(mine, field), _text(theirs, field)
        if a != b and not (mine is None and b == EMPTY) and not (theirs is None and a == EMPTY):
            found.append(Difference(place, label, a, b))
    if cls is ItemTarget:
        a, b = _text(mine, "budget_project_uuid"), _text(theirs, "budget_project_uuid")
        if a != b:
            found.append(
                Difference(place, "对应预算项目", _linked(mine, names), _linked(theirs, names))
            )
    for name, child_cls in owned_collections(cls).items():
        if name in _NOT_CONTENT or (
            (mine or {}).get(name) is None and (theirs or {}).get(name) is None
        ):
            continue
        mine_rows = (mine or {}).get(name) or []
        their_rows = (theirs or {}).get(name) or []
        for index, (a_row, b_row) in enumerate(pair_rows(child_cls, mine_rows, their_rows)):
            where = child_place(child_cls, a_row or b_row, index, place)
            found += differences(child_cls, a_row, b_row, where, names)
    return found


def pair_rows(
    cls: type[SyncedRow], mine: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Rows of two lists paired: by UUID, then by naming fields, then in order; unpaired
    rows come with ``None`` on the other side. Order: mine's, with theirs' extra after."""
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
    if cls not in (Declaration, BudgetProject):  # unnamed rows: by place
        take(lambda a, b: True)
    result: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = [
        (row, pairs.get(i)) for i, row in enumerate(mine)
    ]
    return result + [(None, theirs[j]) for j in left]


def child_place(cls: type[SyncedRow], row: dict[str, Any], index: int, parent: str) -> str:
    """Where a row of a list is, in the clerk's words (``index`` 0-based)."""
    inside = "" if parent == "部门整体" else parent
    if cls is Declaration:
        return f"{row.get('unit_name', '')} {row.get('fiscal_year', '')}年"
    if cls is KeyTask:
        return f"年度主要任务第{index + 1}项"
    if cls is ItemTarget:
        return f"分项目标“{row.get('title', '')}”"
    if cls is ItemTargetStatement:
        return f"{inside}第{index + 1}条表述"
    if cls is BudgetProject:
        return f"项目“{row.get('name', '')}”"
    if cls is DisbursementCheckpoint:
        return f"{inside}资金支出计划“{row.get('label', '')}”"
    if cls is Indicator:
        return f"{inside}第{index + 1}行指标"
    raise TypeError(cls.__name__)


def _text(row: dict[str, Any] | None, field: str) -> str:
    if row is None:
        return ABSENT
    value = row.get(field)
    return EMPTY if value is None or value == "" else str(value)


def _linked(row: dict[str, Any] | None, names: dict[str, str]) -> str:
    if row is None:
        return ABSENT
    uuid = row.get("budget_project_uuid")
    return "未关联" if uuid is None else f"“{names.get(uuid, '（另一文件中的项目）')}”"
