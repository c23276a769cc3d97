"""导出Excel / 导入Excel and 导出Word / 从Word导入 of the window: the file asked, the work
done off the GUI thread, the preview before anything is written, an indicator list put
into a budget project as one undo step (the service ``jixiao import-xlsx --into`` calls),
or a new file made of our own exported workbook or 绩效文本."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from desktop.storage.errors import DocumentFileError
from desktop.ui.controllers.printing import may_output_pending_input
from desktop.ui.prompter import Prompter
from desktop.ui.wording import error_words

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.services.excel import ExportedWorkbook, IndicatorList
    from desktop.ui.window_protocol import DocumentWindow

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
DOCX_FILTER = "Word 文档 (*.docx)"


class ExchangeController:
    """Excel and Word in and out of the window's open file; asks through ``prompter``,
    tells failures in Chinese and never raises them. Nothing is written before the clerk
    confirms the preview."""

    def __init__(self, window: DocumentWindow, prompter: Prompter) -> None:
        self._window = window
        self._prompter = prompter

    # -- Excel -----------------------------------------------------------------------------
    def export_xlsx_asked(self) -> None:
        """导出Excel: the question about refused input, then the file to write."""
        path = self._ask_export_path("导出Excel", XLSX_FILTER, ".xlsx")
        if path is not None:
            self.export_xlsx(path)

    def export_xlsx(self, path: Path) -> bool:
        """Write the open declaration to the workbook ``path``; errors are shown, not raised."""
        from desktop.services.excel import export_workbook

        return self._export(path, "Excel", "张工作表", export_workbook)

    def _ask_export_path(self, caption: str, name_filter: str, suffix: str) -> Path | None:
        """The file an export writes (``suffix`` added), after the question about refused
        input; None when there is no document, the clerk declines or cancels."""
        session = self._window.session
        if session is None or not may_output_pending_input(self._window, self._prompter, "导出"):
            return None
        suggested = session.document.path.with_suffix(suffix).name
        path = self._window.files.ask_file(caption, name_filter, save=True, suggested=suggested)
        return None if path is None else path.with_suffix(suffix)

    def _export(self, path: Path, program: str, counted: str, write: Callable[..., int]) -> bool:
        """Flush pending input and ``write(document, path, declaration_uuid=…)`` under a
        progress bar; the count it returns is told with ``counted`` (e.g. 张工作表).
        Errors are shown (导出{program}失败), not raised."""
        from desktop.ui.printing import run_with_progress

        session = self._window.session
        assert session is not None
        session.flush()
        document, uuid = session.document, session.declaration_uuid
        try:
            count = run_with_progress(
                self._window.dialog_parent,
                f"正在导出 {program}…",
                lambda: write(document, path, declaration_uuid=uuid),
            )
        except DocumentFileError as exc:
            self._prompter.error(f"导出{program}失败", error_words(exc))
            return False
        told = f"已导出 {program}（{count} {counted}）：{path}"
        self._window.statusBar().showMessage(told, 10000)
        return True

    def import_xlsx_asked(self) -> None:
        """导入Excel: the workbook asked, then ``import_xlsx``."""
        path = self._window.files.ask_file("导入Excel", XLSX_FILTER)
        if path is not None:
            self.import_xlsx(path)

    def import_xlsx(self, path: Path) -> bool:
        """Read the workbook ``path``, show the preview, and on confirmation append its
        indicator list to the chosen budget project (one undo step) or make a new file of
        our own exported workbook. Errors are shown in Chinese; nothing is written before
        the clerk confirms. True when something was imported."""
        from desktop.services import excel
        from desktop.ui.excel_dialogs import ImportPreviewDialog
        from desktop.ui.printing import run_with_progress

        try:
            content = run_with_progress(
                self._window.dialog_parent, "正在读取 Excel…", lambda: excel.read_workbook(path)
            )
        except excel.WorkbookError as exc:
            self._prompter.error("无法导入Excel", error_words(exc))
            return False
        if isinstance(content, excel.IndicatorList) and not self._may_take_a_list():
            return False
        projects, blank = self._project_choices()
        dialog = ImportPreviewDialog(content, projects, self._window.dialog_parent, blank)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if isinstance(content, excel.IndicatorList):
            project = dialog.chosen_project()
            assert project is not None
            return self.import_indicators(project, content, dialog.replace_box.isChecked())
        return self._new_file_of(content)

    def _may_take_a_list(self) -> bool:
        """An indicator list goes into an open file that may be edited now (else told)."""
        session = self._window.session
        if session is None:
            self._prompter.error(
                "无法导入Excel",
                "这是指标清单，需要追加到已打开文件的预算项目中。请先打开或新建文件。",
            )
            return False
        # refused: the status bar and the banner say why (read-only, lock, fault)
        return not session.refuses_edits()

    def _project_choices(self) -> tuple[list[tuple[str, str]], frozenset[str]]:
        """The budget projects of the unit shown (uuid, label) and those whose indicators
        are all blank (the template rows: 替换 is offered checked)."""
        from desktop.services import excel

        session = self._window.session
        if session is None:
            return [], frozenset()
        document = session.document
        projects = excel.budget_project_choices(document, session.declaration_uuid)
        blank = frozenset(
            uuid for uuid, _ in projects if excel.has_only_blank_indicators(document, uuid)
        )
        return projects, blank

    def _new_file_of(self, content: ExportedWorkbook) -> bool:
        from desktop.services import excel

        new_path = self._window.files.ask_new_path("导入Excel：保存为新的绩效目标文件")
        if new_path is None:
            return False
        try:
            document = excel.create_from_workbook(content, new_path)
        except DocumentFileError as exc:
            self._prompter.error("无法建立文件", error_words(exc))
            return False
        self._window.show_document(document)
        return True

    def import_indicators(self, project: str, content: IndicatorList, replace: bool) -> bool:
        """Put an indicator list into a budget project, each row with the rows of its
        一级指标, or (``replace``) instead of them: one undo step, through the service
        ``jixiao import-xlsx --into`` calls (``excel.append_indicators``)."""
        from desktop.services import excel

        session = self._window.session
        assert session is not None
        if replace:
            try:
                excel.refuse_doubtful_replace(content)
            except excel.WorkbookError as exc:
                self._prompter.error("未导入", error_words(exc))
                return False
        label = f"导入Excel指标 {len(content.indicators)} 条" + (
            "（替换原有指标）" if replace else ""
        )
        refused: list[str] = []
        session.failed.connect(refused.append)
        try:
            done = session.change(label, lambda document: excel.append_indicators(
                document, budget_project_uuid=project, indicators=content, replace=replace
            ))  # fmt: skip
        finally:
            session.failed.disconnect(refused.append)
        if refused:
            self._prompter.error("未导入", refused[-1])
        return done and not refused

    # -- Word ------------------------------------------------------------------------------
    def export_docx_asked(self) -> None:
        """导出Word: the question about refused input, then the file to write."""
        path = self._ask_export_path("导出Word", DOCX_FILTER, ".docx")
        if path is not None:
            self.export_docx(path)

    def export_docx(self, path: Path) -> bool:
        """Write the open declaration to the .docx ``path``; errors are shown, not raised."""
        from desktop.services.word import export_docx

        return self._export(path, "Word", "个项目表", export_docx)

    def import_docx_asked(self) -> None:
        """从Word导入: the .docx asked, then ``import_docx``."""
        path = self._window.files.ask_file("从Word导入", DOCX_FILTER)
        if path is not None:
            self.import_docx(path)

    def import_docx(self, path: Path) -> bool:
        """Read the 绩效文本 ``path``, show the preview, and on confirmation make a new file
        of it and open it. Errors are shown in Chinese; nothing is written before the
        clerk confirms and chooses where. True when a file was made."""
        from desktop.services import word
        from desktop.ui.printing import run_with_progress
        from desktop.ui.word_dialogs import WordImportPreviewDialog

        try:
            content = run_with_progress(
                self._window.dialog_parent, "正在读取 Word…", lambda: word.read_docx(path)
            )
        except word.WordError as exc:
            self._prompter.error("无法从Word导入", error_words(exc))
            return False
        if (
            WordImportPreviewDialog(content, self._window.dialog_parent).exec()
            != QDialog.DialogCode.Accepted
        ):
            return False
        new_path = self._window.files.ask_new_path(
            "从Word导入：保存为新的绩效目标文件", f"{path.stem}.jxdb"
        )
        if new_path is None:
            return False
        try:
            document = word.create_from_docx(content, new_path)
        except DocumentFileError as exc:
            self._prompter.error("无法建立文件", error_words(exc))
            return False
        self._window.show_document(document)
        return True
