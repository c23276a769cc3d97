"""Errors of the services that are not the file layer's (those are storage/errors.py), and
the typed reasons they carry: a merge's skipped sources. Services put none of those into
words: desktop/file_words.py does, for the window and the command line. (The edit
refusals, ``FrozenTargetError`` and ``StageMoveError``, are ``ValueError``s with their
Chinese message, as every refusal of ``editing.parse_field`` is: the window shows them
where the clerk typed.) Must not import Qt
(nor SQLAlchemy: the window words these errors before any merge is run).

Decision: ``RowNotFoundError`` lives here, below every service, and not in editing.py,
where it was first needed: documents.py raises it too, and editing.py imports pending.py,
which reads documents.py — an import circle (tests/test_code_shape.py forbids them).
editing.py imports it, so ``editing.RowNotFoundError`` names the same class.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.errors import DocumentFileError


class RowNotFoundError(LookupError):
    """The row to edit is gone (e.g. removed meanwhile); the message is Chinese."""

    def __init__(
        self, message: str = "要修改的内容已不存在（可能已被删除），请刷新后重试。"
    ) -> None:
        super().__init__(message)


class FrozenTargetError(ValueError):
    """A declared target (``stages.FROZEN_FIELDS``) edited, or an indicator or budget
    project row added or removed, while the declaration is at 监控 or 自评: the change
    must be a 目标调整. ``stage`` is the declaration's; ``what`` the field's term (or the
    row's word, for a row added or removed). The message (``str``) is Chinese and says
    what to do instead."""

    def __init__(self, stage: str, what: str, *, row: bool = False) -> None:
        self.stage, self.what, self.row = stage, what, row
        if row:
            message = (
                f"已进入{stage}阶段，申报的绩效目标已锁定，不能增删{what}。"
                "如确需增删，请先退回申报阶段（菜单“阶段”）。"
            )
        else:
            message = (
                f"已进入{stage}阶段，申报的“{what}”已锁定，不能直接修改。"
                "如需调整，请在该单元格右键选择“目标调整…”（或菜单“阶段 → 目标调整…”），"
                "填写调整原因和日期。"
            )
        super().__init__(message)


class StageMoveError(ValueError):
    """A move of a declaration's 阶段 refused (back to an earlier stage while the later one
    holds data, or to the stage it is at); the message is Chinese and names what to do."""


class SkipCause(enum.Enum):
    """Why a source was left out of a merge (``SkippedSource.cause``)."""

    UNREADABLE = enum.auto()  # refused on opening, like a file being opened (``error``)
    TARGET = enum.auto()  # it is the merge's target itself
    BAD_DATA = enum.auto()  # its data is not of this program's form (``detail``: where, what)
    UNSTORABLE = enum.auto()  # a value the collection's server cannot keep (a NUL character)


@dataclass(frozen=True)
class SkippedSource:
    """A source left out of a merge: its ``path``, the ``name`` shown for it (as
    ``MergeItem.source``) and why: ``cause``, with ``error`` (the refusal on opening) for
    ``SkipCause.UNREADABLE`` and ``detail`` (the interchange check's words) for
    ``BAD_DATA``. desktop/file_words.py (``skipped_words``) words it."""

    path: Path
    name: str
    cause: SkipCause
    error: DocumentFileError | None = None
    detail: str = ""


class NoSourcesError(DocumentFileError):
    """A merge was asked with no source file: ``path`` is the target, unchanged."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self.args = (f"no source to merge into {path}",)


class NothingMergedError(DocumentFileError):
    """Every source was skipped: nothing was merged and the target (``path``) was not
    written. ``skipped`` lists every source with its reason."""

    def __init__(self, path: Path | str, skipped: list[SkippedSource]) -> None:
        super().__init__(path)
        self.skipped = skipped
        self.args = (f"nothing merged into {path}: {[s.cause.name for s in skipped]}",)
