"""Errors of the services that are not the file layer's (those are storage/errors.py).
Must not import Qt.

Decision: ``RowNotFoundError`` lives here, below every service, and not in editing.py,
where it was first needed: documents.py raises it too, and editing.py imports pending.py,
which reads documents.py — an import circle (tests/test_code_shape.py forbids them).
editing.py imports it, so ``editing.RowNotFoundError`` names the same class.
"""

from __future__ import annotations


class RowNotFoundError(LookupError):
    """The row to edit is gone (e.g. removed meanwhile); the message is Chinese."""

    def __init__(
        self, message: str = "要修改的内容已不存在（可能已被删除），请刷新后重试。"
    ) -> None:
        super().__init__(message)
