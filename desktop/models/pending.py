"""Input the clerk typed that was refused: kept in the file until a good value replaces it.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, UtcDateTime, utc_now

if TYPE_CHECKING:
    from desktop.models.declaration import Declaration


class PendingInput(Base):
    """What the clerk typed into one field of one row and was refused (未被接受的输入),
    e.g. 120 in a 10月底 cell: shown red in place of the stored value, listed by the
    审核 as an 错误 and named before anything is printed, until a value that parses is
    stored in the field (or the row is gone).

    ``row_table`` and ``row_uuid`` name the row (of ``declaration``), ``field`` its field,
    ``text`` the input as typed, ``reason`` the refusal in Chinese. Not a synced row and
    not an owned list of the declaration: it stays in this file (copied with it), never
    travels in the JSON form or a merge, and is not part of the content fingerprint —
    what is printed is the stored value. Gone with its declaration (ON DELETE CASCADE).
    """

    __tablename__ = "pending_input"
    __table_args__ = (UniqueConstraint("row_uuid", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    row_table: Mapped[str] = mapped_column(String(40))
    row_uuid: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    typed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    declaration: Mapped[Declaration] = relationship(back_populates="pending_inputs")
