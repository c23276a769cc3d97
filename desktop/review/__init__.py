"""审核: review rules over a loaded declaration, returning findings. No Qt, no sessions."""

from desktop.review import stage_rules  # noqa: F401  # registers the 监控 and 自评 rules in RULES
from desktop.review.findings import (
    Finding,
    FindingStatus,
    Location,
    RuleId,
    Severity,
    status_counts,
)
from desktop.review.rules import RULE_STAGES, RULES, review

__all__ = [
    "RULES",
    "RULE_STAGES",
    "Finding",
    "FindingStatus",
    "Location",
    "RuleId",
    "Severity",
    "review",
    "status_counts",
]
