"""The check of the rest of a big file after the window has shown its first unit.

A file opened with ``check_later`` (``storage.document.open_document``: a county's 汇总
file) was checked only as far as showing its first unit needs. The clerk edits it at
once: the edits are held in one transaction of the file (``Document.check_later``) until
the whole file has been checked here, in a worker thread (SQLite releases the GIL while
it reads; the window keeps answering). The status line says 正在检查其余单位… with the
share done (可照常修改); the saved-when part says 已记下（检查完成后写入）.
Another unit chosen meanwhile has its rows checked first (``may_show_unit``). A file the
check refuses is closed with the same Chinese message as a file refused on opening,
nothing written; the held edits are offered to be saved with the units shown into a new
file. When accepted, what waited for the check runs (the day's backup: the file as it
was opened), then the held edits are committed. Closing the file during the check waits
for it when edits are held (``finish``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.storage.document import Document, save_units_copy
from desktop.storage.errors import DocumentFileError
from desktop.ui.controllers.files import FILE_FILTER
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
        self.thread = threading.Thread(target=self.work, name="jixiao-check", daemon=True)

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
        #: the document is being closed as refused: its held edits are dropped
        self._refused = False

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
        self._run.thread.start()
        self._say(0)
        self._timer.start()

    def stop(self) -> None:
        """Stop the check running (its document is no longer shown); no verdict."""
        if self._run is not None:
            self._run.stop = True
            self._run = None
            self._then = []
            self._timer.stop()
            self._window.status_line.held = False
            self._window.statusBar().clearMessage()

    def finish(self) -> None:
        """Before the document is closed: with edits held, wait for the check to end and
        give its verdict (the edits written, or the file refused); else ``stop``."""
        session = self._window.session
        if session is None or self._refused or not session.document.holds_edits:
            self.stop()
            return
        if self._run is None:  # closed before the check began (it starts after the paint)
            self.start(session.document, [])
        run = self._run
        assert run is not None
        self._window.statusBar().showMessage("正在检查文件的其余单位，检查完成后写入您的修改…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            run.thread.join()
        finally:
            QApplication.restoreOverrideCursor()
        self._poll()

    def may_show_unit(self, declaration_uuid: str) -> bool:
        """Whether the unit may be shown: while the rest is checked, its rows are checked
        first (``Document.check_unit``); a damaged one refuses the file (closed, as when
        the whole check refuses it) and False is returned."""
        session = self._window.session
        if session is None or not session.document.checking:
            return True
        try:
            session.document.check_unit(declaration_uuid)
        except DocumentFileError as exc:
            self.stop()
            self._refuse(session.document, exc)
            return False
        return True

    def _say(self, percent: int) -> None:
        self._window.statusBar().showMessage(f"正在检查其余单位… {percent}%，可照常修改")

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
        self._window.status_line.held = False
        if run.error is not None:
            self._refuse(run.document, run.error)
            return
        for work in then:  # the day's backup: the file as opened, before the held edits
            work()
        held = run.document.holds_edits
        try:
            run.document.rest_checked()
        except DocumentFileError as exc:  # the held edits could not be written
            self._window.statusBar().clearMessage()
            self._prompter.error("未能保存", error_words(exc))
            self._window.reload()
            self._window.status_line.show_saved("未能保存")
            return
        self._window.statusBar().showMessage("已检查完文件的全部内容。", 5000)
        if held:
            self._window.status_line.mark_saved()
        elif run.document.read_only is not None:
            self._window.status_line.show_saved("只读")
        self._window.show_edit_state()

    def _close(self) -> None:
        """Close the refused document: its held edits rolled back (``finish`` does nothing)."""
        self._refused = True
        try:
            self._window.close_document()
        finally:
            self._refused = False

    def _refuse(self, document: Document, error: DocumentFileError) -> None:
        """Close ``document`` (its held edits rolled back) and say why; edits held are
        first offered to be saved, with the units shown, into a new file."""
        self._window.statusBar().clearMessage()
        self._window.status_line.held = False
        words = error_words(error)
        if not document.holds_edits:
            self._close()
            self._prompter.error("无法打开文件", words)
            return
        units = sorted(document.checked_units)
        self._prompter.error(
            "无法打开文件",
            f"{words}\n\n检查期间您所作的修改没有写入这个文件。请在接下来的窗口中选择保存位置，"
            f"把检查期间显示过的 {len(units)} 个单位连同您的修改另存为一个新文件。",
        )
        start = document.path.with_name(f"{document.path.stem}-修改.jxdb")
        target = self._prompter.save_file("保存检查期间的修改", FILE_FILTER, start)
        if target is not None:
            target = target.with_suffix(".jxdb")
            try:
                save_units_copy(document, units, target)
            except DocumentFileError as exc:
                self._prompter.error("未能保存", error_words(exc))
                target = None
        self._close()
        if target is None:
            self._prompter.error("修改未保存", "检查期间所作的修改没有保存。")
        else:
            self._prompter.inform("已保存", f"检查期间显示过的单位连同您的修改已保存为“{target}”。")
