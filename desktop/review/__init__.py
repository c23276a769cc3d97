"""审核: review rules over a loaded declaration, returning findings. No Qt, no sessions."""

from desktop.review.findings import (
    Finding,
    FindingStatus,
    Location,
    RuleId,
    Severity,
    status_counts,
)
from desktop.review.rules import RULES, review

__all__ = [
    "RULES",
    "Finding",
    "FindingStatus",
    "Location",
    "RuleId",
    "Severity",
    "review",
    "status_counts",
]
