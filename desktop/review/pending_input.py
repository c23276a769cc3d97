"""Refused input kept in the file, read as the 审核 and the print notes name it.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop.models import Declaration, DisbursementCheckpoint
from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS, row_place
from desktop.review.findings import Location


@dataclass(frozen=True)
class PendingNote:
    """A refused input of a declaration, where it is and what prints instead."""

    location: Location
    text: str
    reason: str
    #: the stored value as printed (空白 when there is none)
    printed: str

    def sentence(self, output: str = "打印") -> str:
        """E.g. 项目“接待管理经费”资金支出计划 10月底：输入的“120”未被接受，打印的是 80%
        (``output`` names what is made: 打印, 导出)."""
        place, text = self.location.place, self.text
        return f"{place}：输入的“{text}”未被接受，{output}的是 {self.printed}"


def pending_notes(declaration: Declaration) -> list[PendingNote]:
    """The refused inputs kept for ``declaration`` (``pending_inputs``), in reading order
    (Part 1, then each project); input for rows that are gone is not listed."""
    kept = {(p.row_uuid, p.field): p for p in declaration.pending_inputs}
    if not kept:
        return []
    notes = []
    for row in declaration.form_rows():
        for field in FIELD_LABELS[type(row)]:
            pending = kept.get((row.uuid, field))
            if pending is not None:
                location = _location(row, field)
                printed = _printed(row, field)
                notes.append(PendingNote(location, pending.text, pending.reason, printed))
    return notes


def _location(row: SyncedRow, field: str) -> Location:
    """Where the input is: a checkpoint by its label (资金支出计划 10月底), else the field."""
    if isinstance(row, DisbursementCheckpoint) and field == "cumulative_percent":
        place = f"{row_place(row)} {row.label or f'第{row.position + 1}个节点'}"
        return Location(row.__tablename__, row.uuid, field, place)
    return Location.of(row, field)


def _printed(row: SyncedRow, field: str) -> str:
    """The stored value of ``field`` as the print shows it (空白 when there is none)."""
    value: Any = getattr(row, field)
    if value is None or value == "":
        return "空白"
    if isinstance(row, DisbursementCheckpoint) and isinstance(value, Decimal):
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value} 万元"
    return str(value)
