"""审核: review rules over a loaded declaration, returning findings. No Qt, no sessions."""

from desktop.review.findings import Finding, Location, RuleId, Severity
from desktop.review.rules import RULES, review

__all__ = ["RULES", "Finding", "Location", "RuleId", "Severity", "review"]
