"""SQLAlchemy models of the declaration, its vocabularies and value parsing (no Qt, no sessions)."""

from desktop.models.base import Base, SyncedRow, new_uuid, utc_now
from desktop.models.budget_project import BudgetProject, DisbursementCheckpoint, Indicator
from desktop.models.declaration import (
    Declaration,
    FindingExplanation,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PrintRecord,
)
from desktop.models.pending import PendingInput

__all__ = [
    "Base",
    "BudgetProject",
    "Declaration",
    "DisbursementCheckpoint",
    "FindingExplanation",
    "Indicator",
    "ItemTarget",
    "ItemTargetStatement",
    "KeyTask",
    "PendingInput",
    "PrintRecord",
    "SyncedRow",
    "new_uuid",
    "utc_now",
]
