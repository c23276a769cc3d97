"""The content history of a file's merge units, the baseline of merging (see storage/history.py).

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base


class ContentHistory(Base):
    """One content hash a merge unit has had in this file (or in a file merged into it).

    A merge unit is a declaration's header (its own fields, key tasks and item targets;
    ``unit_uuid`` is the declaration's UUID) or a budget project with its disbursement
    plan and indicators (``unit_uuid`` is the project's UUID). ``content_hash`` is
    SHA-256 hex of the unit's content without row identities and times. Not a synced
    row: it never travels in the JSON form and is not printed.
    """

    __tablename__ = "content_history"
    __table_args__ = (UniqueConstraint("unit_uuid", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_uuid: Mapped[str] = mapped_column(String(36))
    content_hash: Mapped[str] = mapped_column(String(64))
