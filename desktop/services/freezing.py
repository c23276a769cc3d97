"""The declared targets frozen from 监控 on (issue #20): the checks the editing and
structure services make before a declared field of an indicator or budget project is
changed, or such a row added or removed. A 目标调整 (services/stages.py) and undo/redo
(``structure.apply_changes``) do not pass here. No Qt.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import BudgetProject, Declaration, Indicator
from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS, ROW_KINDS
from desktop.models.stages import DECLARE, FROZEN_FIELDS, is_frozen
from desktop.services.errors import FrozenTargetError

#: the row types whose declared fields freeze
FROZEN_TYPES: tuple[type[SyncedRow], ...] = (Indicator, BudgetProject)


def frozen_fields(row_type: type[SyncedRow]) -> tuple[str, ...]:
    """The fields of ``row_type`` frozen from 监控 on (``stages.FROZEN_FIELDS``); () for a
    row type with none."""
    table = getattr(row_type, "__tablename__", "")
    return FROZEN_FIELDS.get(table, ())


def stage_of_row(session: Session, row_type: type[SyncedRow], row_uuid: str) -> str:
    """The 阶段 of the declaration that holds the row (an indicator, a budget project or a
    declaration itself); 申报 when the row is not found (the edit then fails as before)."""
    if row_type is Declaration:
        query = select(Declaration.stage).where(Declaration.uuid == row_uuid)
    elif row_type is BudgetProject:
        query = (
            select(Declaration.stage)
            .join(BudgetProject, BudgetProject.declaration_id == Declaration.id)
            .where(BudgetProject.uuid == row_uuid)
        )
    elif row_type is Indicator:
        query = (
            select(Declaration.stage)
            .join(BudgetProject, BudgetProject.declaration_id == Declaration.id)
            .join(Indicator, Indicator.budget_project_id == BudgetProject.id)
            .where(Indicator.uuid == row_uuid)
        )
    else:
        return DECLARE
    return session.scalar(query) or DECLARE


def refuse_frozen_field(
    session: Session, row_type: type[SyncedRow], row_uuid: str, field: str
) -> None:
    """Raise ``FrozenTargetError`` when ``field`` of the row is a declared target and its
    declaration is past 申报."""
    if field not in frozen_fields(row_type):
        return
    stage = stage_of_row(session, row_type, row_uuid)
    if is_frozen(stage):
        raise FrozenTargetError(stage, FIELD_LABELS[row_type][field])


def refuse_frozen_rows(session: Session, row_type: type[SyncedRow], parent_uuid: str) -> None:
    """Raise ``FrozenTargetError`` when a row of ``row_type`` (an indicator or a budget
    project) is to be added to or removed from ``parent_uuid``'s list (its budget project
    or declaration) while that declaration is past 申报."""
    if row_type not in FROZEN_TYPES:
        return
    parent_type = BudgetProject if row_type is Indicator else Declaration
    stage = stage_of_row(session, parent_type, parent_uuid)
    if is_frozen(stage):
        raise FrozenTargetError(stage, ROW_KINDS[row_type].name, row=True)
