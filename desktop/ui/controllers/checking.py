"""The check of the rest of a big file after the window has shown its first unit.

A file opened with ``check_later`` (``storage.document.open_document``: a county's 汇总
file) was checked only as far as showing its first unit needs; it is read-only
(``ReadOnlyCause.CHECKING``, the banner says why and that it lifts by itself) until the
whole file has been checked here, in a worker thread (SQLite releases the GIL while it
reads; the window keeps answering). The status line says 正在检查其余单位… with the
share done. A file the check refuses is closed with the same Chinese message as a file
refused on opening, nothing written; an accepted one becomes editable (or read-only for
its own reason, e.g. another program's lock) and what waited for the check runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError
from desktop.ui.prompter import Prompter
from desktop.ui.wording import error_words

if TYPE_CHECKING:
    from desktop.ui.window_protocol import DocumentWindow

#: How often (ms) the window looks at the worker's progress.
POLL_MS = 100


class _Stopped(Exception):
    """The check of a document no longer shown was stopped."""


class _Run:
    """One check in its thread: its progress, its outcome, and the request to stop."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.done, self.total = 0, 1
        self.error: DocumentFileError | None = None
        self.finished = False
        self.stop = False

    def work(self) -> None:
        try:
            self.document.check_rest(self._progress)
        except DocumentFileError as exc:
            self.error = exc
        except _Stopped:
            pass
        except Exception as exc:  # anything unforeseen: never taken for a file accepted
            name = self.document.path.name
            self.error = DocumentFileError(
                self.document.path,
                f"未能检查完“{name}”的全部内容（{exc}），为安全起见已关闭，文件未作任何改动。"
                "请重新打开；如仍不能打开，请从备份恢复。",
            )
        finally:
            self.finished = True

    def _progress(self, done: int, total: int) -> None:
        if self.stop:
            raise _Stopped
        self.done, self.total = done, total


class RestCheck(QObject):
    """Checks the rest of the window's document (``start``), tells the progress, and ends
    it: the window's edit state shown again when accepted, the document closed and the
    refusal shown when not. At most one check runs; ``stop`` ends it without a verdict
    (the document is closed or replaced)."""

    def __init__(self, window: DocumentWindow, prompter: Prompter) -> None:
        super().__init__(window.dialog_parent)
        self._window = window
        self._prompter = prompter
        self._run: _Run | None = None
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)
        #: what waits for the check: run once the file is accepted
        self._then: list[Callable[[], object]] = []

    @property
    def running(self) -> bool:
        """Whether a check runs now."""
        return self._run is not None

    def start(self, document: Document, then: list[Callable[[], object]]) -> None:
        """Check the rest of ``document`` (``checking``) in a worker thread; ``then`` runs
        after it was accepted. Nothing when ``document`` is no longer shown."""
        session = self._window.session
        if session is None or session.document is not document:
            return
        self.stop()
        self._run = _Run(document)
        self._then = then
        threading.Thread(target=self._run.work, name="jixiao-check", daemon=True).start()
        self._say(0)
        self._timer.start()

    def stop(self) -> None:
        """Stop the check running (its document is no longer shown); no verdict."""
        if self._run is not None:
            self._run.stop = True
            self._run = None
            self._then = []
            self._timer.stop()
            self._window.statusBar().clearMessage()

    def _say(self, percent: int) -> None:
        self._window.statusBar().showMessage(f"正在检查其余单位… {percent}%")

    def _poll(self) -> None:
        run = self._run
        if run is None:
            return
        if not run.finished:
            self._say(min(99, run.done * 100 // max(run.total, 1)))
            return
        self._timer.stop()
        self._run, then = None, self._then
        self._then = []
        session = self._window.session
        if session is None or session.document is not run.document:
            return  # another file shown since
        if run.error is not None:
            self._window.statusBar().clearMessage()
            self._window.close_document()
            self._prompter.error("无法打开文件", error_words(run.error))
            return
        run.document.rest_checked()
        self._window.statusBar().showMessage("已检查完文件的全部内容。", 5000)
        # accepted: edits as the file allows
        read_only = run.document.read_only is not None
        self._window.status_line.show_saved("只读" if read_only else "已打开")
        self._window.show_edit_state()
        for work in then:
            work()
