"""Putting indicators chosen from the 指标库 into a budget project's grid. No Qt.

The window's 从指标库选择… calls ``add_from_library`` through one undo step (its Changes).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from desktop.library.model import LibraryEntry, entry_levels
from desktop.models import BudgetProject, Declaration, Indicator
from desktop.services import structure
from desktop.services.editing import Changes, FieldChange, RowChange, RowNotFoundError
from desktop.services.excel import place_by_level1
from desktop.services.freezing import refuse_frozen_rows
from desktop.storage import interchange
from desktop.storage.document import Document

#: the fields an entry fills; 指标值 stays empty for the clerk (the pattern is its hint)
_FILLED = ("level3", "description", "basis")


def indicator_names(document: Document, *, declaration_uuid: str, limit: int = 2000) -> list[str]:
    """The distinct 三级指标 names the declaration ``declaration_uuid`` uses, at most
    ``limit``: one column of one unit's rows read (a 汇总 file holds hundreds of units)."""
    projects = (
        select(BudgetProject.id)
        .join(Declaration, BudgetProject.declaration_id == Declaration.id)
        .where(Declaration.uuid == declaration_uuid)
    )
    with document.session() as session:
        names = session.scalars(
            select(Indicator.level3)
            .where(Indicator.budget_project_id.in_(projects), Indicator.level3 != "")
            .distinct()
            .limit(limit)
        )
        return [name for name in names if name.strip()]


def _blank(indicator: Indicator) -> bool:
    """A template row as a new project comes: nothing but 一级/二级指标 filled in."""
    return not (
        indicator.level3 or indicator.description or indicator.target_value or indicator.basis
    )


def add_from_library(
    document: Document, *, budget_project_uuid: str, entries: Sequence[LibraryEntry]
) -> Changes:
    """Put ``entries`` into the budget project's indicator grid, in one transaction; the
    Changes (undone as one step).

    Each entry takes its levels as the declaration's profile names them
    (``entry_levels``), its 三级指标, 绩效指标描述 (``{year}`` = 预算年度) and 指标值确定依据;
    the 指标值 is left empty. An entry fills a blank template row of the same 一级/二级指标
    (a new project's rows) when there is one, otherwise it is inserted with the rows of
    its 一级指标 (after the last of them, as the Excel import places rows:
    ``excel.place_by_level1``). Raises ``RowNotFoundError`` when the project is gone and
    ``FrozenTargetError`` past 申报 (the declared indicators are frozen).
    """
    with document.session() as session:
        project = session.query(BudgetProject).filter_by(uuid=budget_project_uuid).one_or_none()
        if project is None:
            raise RowNotFoundError()
        refuse_frozen_rows(session, Indicator, project.uuid)
        declaration = project.declaration
        year, profile = declaration.fiscal_year, declaration.profile
        free = [(i.uuid, i.level1, i.level2) for i in project.indicators if _blank(i)]
        existing = [indicator.level1 for indicator in project.indicators]
    fields: list[FieldChange] = []
    new_rows: list[dict[str, str]] = []
    for entry in entries:
        level1, level2 = entry_levels(entry, profile)
        values = {
            "level3": entry.level3,
            "description": entry.filled_description(year),
            "basis": entry.basis,
        }
        slot = next((row for row in free if row[1:] == (level1, level2)), None)
        if slot is not None:
            free.remove(slot)
            fields += [FieldChange(Indicator, slot[0], f, values[f], "") for f in _FILLED]
        else:
            new_rows.append({"level1": level1, "level2": level2, **values})
    inserted = []
    for at, rows in place_by_level1(existing, new_rows):
        for offset, values in enumerate(rows):
            row = Indicator(**values)
            inserted.append(
                RowChange(
                    Indicator, row.uuid, budget_project_uuid, at + offset, interchange.dump_row(row)
                )
            )
    return structure.apply_changes(
        document, Changes(fields=tuple(fields), inserted=tuple(inserted))
    )
