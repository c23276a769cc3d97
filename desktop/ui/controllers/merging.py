"""文件 → 合并其他单位文件…, 撤销这次合并, 比较…, 汇总表… of the window: the files asked,
the reading and merging off the GUI thread with a progress bar (many files: 汇总), the
clerk's decisions per unit (``MergeDialog``) before anything is written, and the report.
The dialogs are in ``desktop/ui/merging.py``; they and the merge service are imported when
first used (the window starts without them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from desktop.services import backups
from desktop.storage.errors import DocumentFileError, InterchangeError
from desktop.ui.controllers.files import FILE_FILTER
from desktop.ui.printing import run_with_progress
from desktop.ui.prompter import Prompter
from desktop.ui.wording import error_words

if TYPE_CHECKING:
    from desktop.services.merging import MergeResult
    from desktop.ui.window_protocol import DocumentWindow


class MergeController:
    """Merges other units' files into the window's open file, undoes a merge, compares
    and sums up; asks through ``prompter`` and tells failures in Chinese (the open file
    untouched)."""

    def __init__(self, window: DocumentWindow, prompter: Prompter) -> None:
        self._window = window
        self._prompter = prompter

    def merge(self, sources: list[Path] | None = None) -> bool:
        """合并其他单位文件: choose files (``sources``: already chosen), preview, let the
        clerk decide, merge, report.

        Files that cannot be read are skipped and named with their reasons in the dialog
        and the report; when none can be read, one message names each and nothing is
        written. Returns True when a merge was written: the window follows what it
        changed row by row (units added to the 单位 chooser), and 编辑 → 撤销 undoes it as
        one step (``MergeResult.changes``).
        """
        from desktop.services import merging
        from desktop.ui.merging import MergeDialog

        session = self._window.session
        if session is None:
            return False
        document = session.document
        if sources is None:
            sources = self._window.files.ask_files("选择要合并进来的文件（可多选）", FILE_FILTER)
        if not sources:
            return False
        session.flush()
        try:
            preview = run_with_progress(
                self._window.dialog_parent,
                f"正在读取 {len(sources)} 个文件…",
                lambda report: merging.preview_merge(document, sources, progress=report),
                steps=len(sources),
            )
            if preview is None:
                return False
            dialog = MergeDialog(preview.items, self._window.dialog_parent, skipped=preview.skipped)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            result = run_with_progress(
                self._window.dialog_parent,
                "正在合并…",
                lambda report: merging.merge_files(
                    document, sources, decisions=dialog.decisions(), progress=report
                ),
                steps=len(sources),
            )
        except (DocumentFileError, InterchangeError) as exc:
            self._prompter.error("无法合并", error_words(exc) + "\n本文件未作任何改动。")
            return False
        if result is None:
            return False
        if session.declaration_uuid:  # the views follow row by row; one undo step
            session.record(f"合并 {len(sources)} 个文件", result.changes)
        else:  # the file had no unit to show before
            self._window.files.open_path(document.path)
        self._report(result)
        return True

    def _report(self, result: MergeResult) -> None:
        """The merge report (the skipped files first, with their reasons), with 汇总表…
        and (a backup was made) 撤销这次合并…."""
        from desktop.file_words import skipped_report
        from desktop.ui.merging import ReportDialog

        title = (
            f"合并完成（{len(result.skipped)} 个文件无法读取，已跳过）"
            if result.skipped
            else "合并完成"
        )
        skipped = skipped_report(result.skipped)
        lines = [*skipped, ""] if skipped else []
        report = ReportDialog(title, lines + result.report(), self._window.dialog_parent)
        summary = QPushButton("汇总表…")
        summary.clicked.connect(lambda: self.summary())
        report.buttons.addButton(summary, QDialogButtonBox.ButtonRole.ActionRole)
        if result.backup is not None:
            backup = result.backup
            undo = QPushButton("撤销这次合并…")
            undo.setObjectName("undo_merge")

            def undo_and_close() -> None:
                if self.undo_merge(backup):
                    report.accept()

            undo.clicked.connect(undo_and_close)
            report.buttons.addButton(undo, QDialogButtonBox.ButtonRole.ActionRole)
        report.exec()

    def undo_merge(self, backup: Path) -> bool:
        """撤销这次合并: after the clerk confirms, the open file is put back as ``backup``
        (the copy made before the merge) holds it; the merged state is backed up first
        (恢复备份 finds it). The window shows the file again either way. True when it was
        put back."""
        session = self._window.session
        if session is None:
            return False
        path = session.document.path
        if not self._prompter.confirm(
            "撤销合并",
            f"把“{path.name}”恢复到合并前的样子？\n\n合并后的内容（连同合并后做的修改）"
            "会先另存一份备份，需要时可用 文件 → 恢复备份 找回。",
        ):
            return False
        session.flush()
        try:
            backups.make_backup(session.document, reason="undo")
        except DocumentFileError as exc:
            self._prompter.error("无法撤销合并", error_words(exc) + "\n文件仍是合并后的内容。")
            return False
        self._window.close_document()
        try:
            backups.put_back(path, backup)
        except DocumentFileError as exc:
            self._prompter.error("无法撤销合并", error_words(exc) + "\n文件仍是合并后的内容。")
            self._window.files.open_path(path)
            return False
        self._window.files.open_path(path)
        self._window.statusBar().showMessage("已撤销合并：文件已恢复到合并前的样子。", 15000)
        return True

    def compare(self, other: Path | None = None) -> None:
        """比较: the open file against another file (``other``: already chosen), field by
        field."""
        from desktop.services import merging
        from desktop.ui.merging import CompareDialog

        session = self._window.session
        if session is None:
            return
        if other is None:
            other = self._window.files.ask_file("选择要与当前文件比较的文件", FILE_FILTER)
        if other is None:
            return
        session.flush()
        mine = session.document.path
        try:
            found = run_with_progress(
                self._window.dialog_parent, "正在比较…", lambda: merging.compare_files(mine, other)
            )
        except (DocumentFileError, InterchangeError) as exc:
            self._prompter.error("无法比较", error_words(exc))
            return
        CompareDialog(mine, other, found, self._window.dialog_parent).exec()

    def summary(self) -> None:
        """汇总表: the summary of every unit's declaration in the open file, one unit after
        another under a progress bar with 取消 (a county's 300 units take a while);
        cancelled, no table is shown and nothing is written; a file or server that cannot
        be read is told in Chinese."""
        from desktop.services import documents, merging
        from desktop.ui.merging import SummaryDialog

        session = self._window.session
        if session is None:
            return
        session.flush()
        document = session.document
        try:
            units = len(documents.declaration_choices(document))
            rows = run_with_progress(
                self._window.dialog_parent,
                f"正在汇总 {units} 个单位…",
                lambda report: merging.summarize(document, progress=report),
                steps=units,
            )
        except DocumentFileError as exc:  # the file or the collection's server gone
            self._prompter.error("无法生成汇总表", error_words(exc))
            return
        if rows is None:  # 取消: nothing was shown or written
            return
        SummaryDialog(rows, f"绩效目标汇总表（{document.path.stem}）", self._window).exec()
