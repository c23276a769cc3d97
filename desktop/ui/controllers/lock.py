"""The banner's two ways out of a file that cannot be written now: 强制编辑 (take over
the lock of a program on another computer that no longer uses the file) and 重试 (write
again the edits kept in memory after a failed write)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.storage.errors import DocumentFileError
from desktop.ui.prompter import Prompter
from desktop.ui.wording import error_words, holder_words

if TYPE_CHECKING:
    from desktop.ui.window_protocol import DocumentWindow


class LockController:
    """Takes over a lock or retries a write for the window's open file; asks through
    ``prompter`` and tells a failure in Chinese (the file stays shown read-only)."""

    def __init__(self, window: DocumentWindow, prompter: Prompter) -> None:
        self._window = window
        self._prompter = prompter

    def take_over(self) -> bool:
        """强制编辑: after the clerk confirms that the holder no longer uses the file, its
        lock becomes this program's and the kept edits are written. True when taken."""
        session = self._window.session
        if session is None or (holder := session.document.lock_holder) is None:
            return False
        if not self._prompter.confirm(
            "强制编辑",
            f"此文件正由{holder_words(holder)}编辑。\n\n只有在确认对方已不再使用此文件"
            "（例如那台计算机已关机或程序已关闭）时才可强制编辑，否则双方的修改会互相覆盖、"
            "造成丢失。\n\n是否解除对方的锁定，由本机编辑？",
            warning=True,
        ):
            return False
        try:
            session.document.take_over_lock()
            session.write_unsaved(session.document)
        except DocumentFileError as exc:
            self._prompter.error("强制编辑失败", error_words(exc))
            return False
        self._window.reload()
        return True

    def retry(self) -> bool:
        """重试: write the edits kept in memory again; True when they are in the file."""
        session = self._window.session
        if session is None:
            return False
        try:
            session.write_unsaved(session.document)
        except DocumentFileError as exc:
            self._prompter.error("仍然无法保存", error_words(exc))
            return False
        self._window.status_line.mark_saved()
        self._window.reload()
        return True
