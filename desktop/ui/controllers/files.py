"""The file life cycle of the window: 新建, 打开 (recent files, recovery from a -journal or
-wal beside the file), 保存, 另存为, 恢复备份, 从上年复制, the day's backup, and the folder
file dialogs start in (remembered in the settings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMenu

from desktop import paths
from desktop.models import Declaration
from desktop.services import backups, documents
from desktop.services.editing import RowNotFoundError
from desktop.settings import Settings, save_settings
from desktop.storage.document import Document, save_copy
from desktop.storage.errors import DocumentFileError, SidecarError
from desktop.ui.dialogs import NewDeclarationDialog, RestoreBackupDialog, declaration_file_name
from desktop.ui.prompter import Answer, Prompter
from desktop.ui.wording import VERSION_WORDS, error_words, refusal_words

if TYPE_CHECKING:
    from desktop.ui.binding import DocumentSession
    from desktop.ui.window_protocol import DocumentWindow

FILE_FILTER = "绩效目标文件 (*.jxdb)"


class FileController:
    """Opens, makes, copies and saves the window's files; asks through ``prompter``.

    File errors are told to the clerk in Chinese; the document already open stays open.
    """

    def __init__(self, window: DocumentWindow, settings: Settings, prompter: Prompter) -> None:
        self._window = window
        self._settings = settings
        self._prompter = prompter

    @property
    def session(self) -> DocumentSession | None:
        """The open document's session (None when no file is open)."""
        return self._window.session

    # -- file dialogs and the remembered folder ------------------------------------------
    def start_folder(self) -> Path:
        """Where file dialogs start: the folder of the file last chosen in one, else the open
        file's folder (not the data folder of the sample copy), else 文档, else home."""
        last = Path(self._settings.last_folder)
        if self._settings.last_folder and last.is_dir():
            return last
        if self.session is not None:
            folder = self.session.document.path.resolve().parent
            if folder != paths.data_dir().resolve():
                return folder
        documents_folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        return documents_folder if documents_folder.is_dir() else Path.home()

    def ask_file(
        self, caption: str, name_filter: str, *, save: bool = False, suggested: str = ""
    ) -> Path | None:
        """A file chosen to open, or (``save``) to write, offering the file name
        ``suggested``; None when cancelled. Its folder is remembered."""
        start = self.start_folder() / suggested
        if save:
            chosen = self._prompter.save_file(caption, name_filter, start)
        else:
            chosen = self._prompter.open_file(caption, name_filter, start)
        remembered = self._remember_folder([chosen] if chosen is not None else [])
        return remembered[0] if remembered else None

    def ask_files(self, caption: str, name_filter: str) -> list[Path]:
        """Files chosen to open (several at once); their folder is remembered."""
        return self._remember_folder(
            self._prompter.open_files(caption, name_filter, self.start_folder())
        )

    def _remember_folder(self, chosen: list[Path]) -> list[Path]:
        resolved = [path.resolve() for path in chosen]
        if resolved:
            self._settings.last_folder = str(resolved[0].parent)
            save_settings(self._settings)
        return resolved

    def ask_new_path(self, caption: str, suggested: str = "") -> Path | None:
        """A .jxdb path for a new file (``suggested``: a file name to offer), never the one
        open now (it cannot replace itself)."""
        chosen = self.ask_file(caption, FILE_FILTER, save=True, suggested=suggested)
        if chosen is None:
            return None
        path = chosen.with_suffix(".jxdb")
        if self.session is not None and path == self.session.document.path:
            self._prompter.error(caption, "这是当前正在编辑的文件，请换一个文件名。")
            return None
        return path

    # -- opening ---------------------------------------------------------------------------
    def open(self) -> None:
        """打开: a .jxdb file chosen by the clerk, shown in place of the current one."""
        path = self.ask_file("打开绩效目标文件", FILE_FILTER)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open the .jxdb file at ``path`` in place of the current one; False if refused."""
        if self.session is not None and Path(path).resolve() == self.session.document.path:
            if not self.may_leave_document():
                return False
            self._window.close_document()  # give its lock back first, or it opens read-only
        try:  # a big file: its first unit checked now, the rest after the first paint
            document = backups.open_file(path, check_later=True)
        except SidecarError:
            opened = self._open_with_sidecars(Path(path))
            if opened is None:
                return False
            document = opened
        except DocumentFileError as exc:
            self._prompter.error("无法打开文件", error_words(exc))
            return False
        self._window.show_document(document)
        return True

    def _open_with_sidecars(self, path: Path) -> Document | None:
        """A file with a -journal/-wal/-shm beside it: both versions checked in a temporary
        copy, the clerk chooses (SidecarDialog; no question when they are the same), the
        choice is carried out. None when cancelled or refused (told in Chinese)."""
        from desktop.services import recovery
        from desktop.storage.reasons import Version
        from desktop.ui.dialogs import SidecarDialog

        try:
            offer = recovery.offer_recovery(path)
        except DocumentFileError as exc:
            self._prompter.error("无法打开文件", error_words(exc))
            return None
        found = offer.recovery
        if found.proposed is None:
            found.discard()
            first, second = found.as_is.problem, found.recovered.problem
            assert first is not None and second is not None  # neither usable
            self._prompter.error(
                "无法打开文件",
                f"“{path.name}”旁边有{'、'.join(s.name for s in found.sidecars)}，"
                "但文件现在的内容和按它恢复后的内容都无法使用：\n"
                f"1. {refusal_words(first)}\n2. {refusal_words(second)}\n"
                "文件和旁边的文件都未作改动。请从原单位或备份中重新复制一份。",
            )
            return None
        if found.same:
            version = Version.AS_IS  # the sidecar changes nothing: no question to ask
        else:
            dialog = SidecarDialog(offer, self._window.dialog_parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                found.discard()
                return None
            version = dialog.chosen()
        try:
            document = recovery.choose(offer, version)
        except DocumentFileError as exc:
            self._prompter.error("无法打开文件", error_words(exc))
            return None
        if document.read_only is None:  # else the banner says it is shown read-only
            self._window.statusBar().showMessage(
                f"已采用“{VERSION_WORDS[version]}”；旁边的文件已改名保留，未采用的一份在备份中。",
                15000,
            )
        return document

    def remember_recent(self, document: Document) -> None:
        """Put ``document`` first in 文件 → 最近打开 (kept in the settings)."""
        self._settings.remember(document.path)
        save_settings(self._settings)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """文件 → 最近打开: the recent files, numbered; （无） when there are none."""
        menu.clear()
        for number, path in enumerate(self._settings.recent_files, start=1):
            action = menu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
        if not self._settings.recent_files:
            menu.addAction("（无）").setEnabled(False)

    def back_up_daily(self, document: Document) -> None:
        """The day's backup of the file shown (skipped if another file was opened since)."""
        if self.session is None or self.session.document is not document:
            return
        try:
            backups.backup_daily(document)
        except DocumentFileError as exc:  # the file is open and fine; say so, go on
            self._window.statusBar().showMessage(f"今日备份未能完成：{error_words(exc)}", 15000)

    # -- new files -------------------------------------------------------------------------
    def new(self) -> None:
        """新建: unit, year and profile asked (NewDeclarationDialog), then where to write."""
        dialog = NewDeclarationDialog(self._window.dialog_parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = self.ask_new_path("新建绩效目标文件", dialog.suggested_file_name())
        if path is None:
            return
        try:
            document = documents.create_blank(path, **dialog.values())
        except DocumentFileError as exc:
            self._prompter.error("无法新建文件", error_words(exc))
            return
        self._window.show_document(document)

    def restore(self) -> None:
        """恢复备份: a backup of the open file chosen, restored as a new file and opened."""
        if self.session is None:
            return
        dialog = RestoreBackupDialog(
            backups.list_backups(self.session.document.path), self._window.dialog_parent
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or (chosen := dialog.chosen()) is None:
            return
        stem = self.session.document.path.stem
        suggested = f"{stem}-恢复{chosen.taken_at:%Y%m%d-%H%M}.jxdb"
        path = self.ask_new_path("恢复备份为新文件", suggested)
        if path is None:
            return
        try:
            document = backups.restore_backup(chosen, path)
        except DocumentFileError as exc:
            self._prompter.error("恢复备份失败", error_words(exc))
            return
        self._window.show_document(document)
        self._window.statusBar().showMessage(
            f"已把 {chosen.taken_at:%Y-%m-%d %H:%M} 的备份恢复为新文件：{path}", 15000
        )

    def roll_over(self) -> None:
        """从上年复制: the unit shown copied into a new file for the next year, amounts
        kept or cleared as the clerk answers."""
        session = self.session
        if session is None:
            return
        session.flush()
        answer = self._prompter.choose(
            "从上年复制",
            "以当前文件为基础建立下一年度的绩效目标：文字和指标照抄，年份顺延一年。\n\n"
            "是否保留各项金额？（选“否”则金额留空，待重新填写。）",
            (Answer.YES, Answer.NO, Answer.CANCEL),
        )
        if answer is Answer.CANCEL:
            return
        uuid = session.declaration_uuid
        name = session.read_field(Declaration, uuid, "unit_name") or ""
        year = session.read_field(Declaration, uuid, "fiscal_year")
        path = self.ask_new_path("下一年度的绩效目标文件", declaration_file_name(name, year + 1))
        if path is None:
            return
        try:
            document = documents.roll_over(
                session.document,
                path,
                declaration_uuid=uuid,  # the unit shown, not the first
                keep_amounts=answer is Answer.YES,
            )
        except DocumentFileError as exc:
            self._prompter.error("无法建立下一年度文件", error_words(exc))
            return
        except RowNotFoundError as exc:
            self._prompter.error("无法建立下一年度文件", str(exc))
            return
        self._window.show_document(document)

    # -- saving ----------------------------------------------------------------------------
    def save_now(self) -> bool:
        """保存 (Ctrl+S): commit the cell or field being typed in and any edit kept in
        memory after a failed write; the status line says 已保存 with the time. Edits are
        written as they are made, so usually there is nothing left to write. False (the
        reason shown) when the file cannot be written now."""
        session = self.session
        if session is None:
            return False
        focused = QApplication.focusWidget()
        viewport = focused.parentWidget() if focused is not None else None
        view = viewport.parentWidget() if viewport is not None else None
        if focused is not None and isinstance(view, QAbstractItemView) and focused is not view:
            focused.clearFocus()  # the cell being edited commits (or is refused) now
            view.setFocus()  # and the clerk stays in the grid
        session.flush()
        if session.unsaved and session.document.read_only is None:
            try:
                session.write_unsaved(session.document)
            except DocumentFileError as exc:
                session.fault = error_words(exc)
            else:
                self._window.reload()
            self._window.show_edit_state()
        reason = session.read_only_reason()
        if reason is not None:
            self._window.statusBar().showMessage(f"未能保存：{reason.splitlines()[0]}", 15000)
            return False
        now = f"{dt.datetime.now():%H:%M:%S}"
        self._window.status_line.show_saved(f"已保存 {now}")
        self._window.statusBar().showMessage(f"已保存 {now}（每次修改都已写入文件）", 10000)
        return True

    def save_as_asked(self) -> None:
        """另存为 (menu, banner): the new file's name asked, then ``save_as``."""
        if self.session is None:
            return
        self.session.flush()
        path = self.ask_new_path("另存为")
        if path is not None:
            self.save_as(path)

    def save_as(self, path: Path) -> bool:
        """Copy the open document to ``path`` with the edits kept in memory (those that
        could not be written) and go on editing the copy; errors are shown, not raised."""
        assert self.session is not None
        try:
            save_copy(self.session.document, path)
            document = backups.open_file(path)
        except DocumentFileError as exc:
            self._prompter.error("另存为失败", error_words(exc))
            return False
        try:
            self.session.write_unsaved(document)
        except DocumentFileError as exc:
            document.close()
            self._prompter.error("另存为失败", error_words(exc))
            return False
        self._window.show_document(document)
        return True

    def may_leave_document(self) -> bool:
        """True when the document shown may be closed: no edits are kept in memory, or the
        clerk saved them elsewhere (另存为) or chose to drop them. Refused input (red) is
        kept in the file and shown again on reopening: nothing to ask."""
        session = self.session
        if session is None:
            return True
        focused = QApplication.focusWidget()
        if focused is not None and self._window.isAncestorOf(focused):
            focused.clearFocus()  # a cell or field being edited commits (or is refused) now
        session.flush()  # a refused input is kept in the file: nothing to ask
        if not session.unsaved:
            return True
        answer = self._prompter.choose(
            "有修改未能保存",
            f"有 {len(session.unsaved)} 处修改未能写入文件"
            f"（{session.fault}）。\n\n是否另存为一个新文件？选“丢弃”将丢失这些修改。",
            (Answer.SAVE, Answer.DISCARD, Answer.CANCEL),
            default=Answer.SAVE,
            warning=True,
        )
        if answer is Answer.DISCARD:
            session.unsaved.clear()
            return True
        if answer is Answer.SAVE:
            path = self.ask_new_path("另存为")
            return path is not None and self.save_as(path)
        return False
