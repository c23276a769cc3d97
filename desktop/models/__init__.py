"""SQLAlchemy models of the declaration, its vocabularies and value parsing (no Qt, no sessions)."""

from desktop.models.base import Base, SyncedRow, new_uuid, utc_now
from desktop.models.declaration import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PendingInput,
    PrintRecord,
    TargetAdjustment,
)

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
    "TargetAdjustment",
    "new_uuid",
    "utc_now",
]
