"""What a review rule reports: severity, where (precise enough to jump to), a Chinese message.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS, row_place


class Severity(enum.Enum):
    """How serious a finding is; the value is the word on screen and paper."""

    ERROR = "错误"  # the finance bureau would send the declaration back
    WARNING = "警告"  # likely wrong; may be explained in writing (审核说明)
    HINT = "提示"  # worth a look


@dataclass(frozen=True)
class Location:
    """A row (by table name and UUID) and optionally one of its fields, with its Chinese name."""

    table: str
    row_uuid: str
    field: str
    place: str

    @classmethod
    def of(cls, row: SyncedRow, field: str = "") -> Location:
        """The location of ``field`` of ``row`` (the whole row when ``field`` is empty)."""
        place = row_place(row)
        if field:
            place += f"的“{FIELD_LABELS[type(row)][field]}”"
        return cls(type(row).__tablename__, row.uuid, field, place)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would object to.

    ``rule`` is the rule's identifier (stable: explanations refer to it); ``explanation``
    is the clerk's written 审核说明 for a 警告, which makes it 已说明.
    """

    rule: str
    severity: Severity
    location: Location
    message: str
    explanation: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the finding across re-runs: rule, row and field."""
        return (self.rule, self.location.row_uuid, self.location.field)

    @property
    def status(self) -> str:
        """错误 / 警告 / 提示, or 已说明 for an explained warning."""
        return "已说明" if self.explanation else self.severity.value

    def explained(self, text: str) -> Finding:
        """This finding with the clerk's explanation attached."""
        return replace(self, explanation=text)

    def as_dict(self) -> dict[str, str]:
        """The finding as JSON-ready data (``jixiao check --json``)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "status": self.status,
            "place": self.location.place,
            "table": self.location.table,
            "row_uuid": self.location.row_uuid,
            "field": self.location.field,
            "message": self.message,
            "explanation": self.explanation,
        }
