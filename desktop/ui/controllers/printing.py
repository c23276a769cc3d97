"""打印, 打印预览 and 导出PDF of the open file: the print options (remembered in the
settings), the PDF built off the GUI thread, the printer asked with A4 set, and the
question before any output when refused input or 审核 错误 would be printed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog

from desktop.services import reviewing
from desktop.settings import Settings, save_settings
from desktop.storage.errors import DocumentFileError
from desktop.ui.prompter import Prompter
from desktop.ui.wording import error_words

if TYPE_CHECKING:
    from desktop.reports.pdf import PrintOptions
    from desktop.ui.window_protocol import DocumentWindow

PDF_FILTER = "PDF 文件 (*.pdf)"


def may_output_pending_input(
    window: DocumentWindow, prompter: Prompter, output: str, *, footers: bool = False
) -> bool:
    """Before printing, previewing or exporting (``output``: 打印, 导出): name each
    refused input kept in the file — what comes out is the stored value — and, with
    ``footers`` (打印, 导出PDF: pages stamped 审核未通过), the 错误 the footers will
    count (``reviewing.printed_errors_sentence``, as the preview says it); one
    question whether to go on. True when there is nothing to say or the clerk goes on."""
    from desktop.services.pending import document_notes

    session = window.session
    if session is None:
        return False
    focused = QApplication.focusWidget()
    viewport = focused.parentWidget() if focused is not None else None
    if (
        focused is not None
        and viewport is not None
        and isinstance(viewport.parentWidget(), QAbstractItemView)
    ):
        focused.clearFocus()  # a grid cell being edited commits (or is refused) now
    session.flush()  # and typing in a field
    notes = document_notes(session.document, output)
    errors = reviewing.printed_error_count(session.document) if footers else 0
    if not notes and not errors:
        return True
    parts = []
    if notes:
        shown = "\n".join(f"• {note}" for note in notes[:8])
        more = f"\n……共 {len(notes)} 处" if len(notes) > 8 else ""
        parts.append(
            f"下列输入未被接受（标红的栏目），{output}的是文件中原来的值：\n\n{shown}{more}"
        )
    if errors:
        parts.append(reviewing.printed_errors_sentence(errors))
    return prompter.confirm(
        "有未被接受的输入" if notes else "审核未通过",
        "\n\n".join(parts) + f"\n\n是否仍然{output}？选“否”返回修改（审核面板中双击可跳到该处）。",
    )


class PrintController:
    """Prints, previews and exports the window's open file as PDF; asks through
    ``prompter``, tells failures in Chinese and never raises them."""

    def __init__(self, window: DocumentWindow, settings: Settings, prompter: Prompter) -> None:
        self._window = window
        self._settings = settings
        self._prompter = prompter
        self._options: PrintOptions | None = None

    def options(self, ask: bool) -> PrintOptions | None:
        """The print options: the remembered ones, or (``ask``) those set in 打印设置
        (remembered from then on). None when the clerk cancels. The form printed is the
        one chosen before in this run, else the shown declaration's stage (监控 at
        monitoring time); never the form of a stage it has not reached (its stage then)."""
        from desktop.models.stages import STAGES
        from desktop.ui.printing import (
            PrintOptionsDialog,
            options_from_settings,
            options_to_settings,
        )

        options = self._options or options_from_settings(self._settings.print_options)
        assert self._window.session is not None
        shown = self._window.session.load_declaration(project_rows=False)  # names only
        stage = shown.stage or options.form
        if self._options is None or STAGES.index(options.form) > STAGES.index(stage):
            options = replace(options, form=stage)
        if ask:
            dialog = PrintOptionsDialog(shown, options, self._window.dialog_parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            options = dialog.options()
            self._settings.print_options = options_to_settings(options)
            save_settings(self._settings)
        self._options = options
        return options

    def write_pdf(self, path: Path, options: PrintOptions, *, record: bool = True) -> int | None:
        """Build the open document's PDF at ``path`` off the GUI thread; pages, or None
        after telling the clerk (in Chinese) why it failed. ``record``: the print is
        recorded in the file (its fingerprint and time)."""
        from desktop.reports.pdf import PrintError
        from desktop.services.printing import print_document
        from desktop.ui.printing import run_with_progress

        session = self._window.session
        assert session is not None
        session.flush()
        document = session.document
        try:
            return run_with_progress(
                self._window.dialog_parent,
                "正在生成 PDF…",
                lambda: print_document(document, path, options=options, record=record),
            )
        except DocumentFileError as exc:
            self._prompter.error("生成PDF失败", error_words(exc))
        except PrintError as exc:
            self._prompter.error("生成PDF失败", str(exc))
        return None

    # -- 打印 ------------------------------------------------------------------------------
    def print(self) -> None:
        """打印: the question about refused input and 错误, 打印设置, then the printer."""
        if not may_output_pending_input(self._window, self._prompter, "打印", footers=True):
            return
        if self._window.session is None or (options := self.options(ask=True)) is None:
            return
        self.print_to_printer(options)

    def print_to_printer(self, options: PrintOptions) -> bool:
        """Make the PDF, ask for a printer (the dialog knows the page count) and print the
        same pages on A4; True when sent. The print is recorded in the file only then."""
        from desktop.reports.stage_forms import form_pagesize
        from desktop.services.printing import print_job_title
        from desktop.ui.printing import ask_printer, print_pdf, set_a4, temporary_pdf

        pdf = temporary_pdf()
        try:
            pages = self.write_pdf(pdf, options, record=False)
            if pages is None:
                return False
            assert self._window.session is not None  # write_pdf needs it too
            title = print_job_title(self._window.session.document, options)  # what, unit, year
            width, height = form_pagesize(options.form)
            landscape = width > height  # the 监控表: A4 landscape sheets, not shrunk on portrait
            printer = ask_printer(self._window.dialog_parent, pages, title, landscape=landscape)
            if printer is None:
                return False
            warning = set_a4(printer, landscape=landscape)  # also after another paper chosen
            if warning is not None and not self._prompter.confirm(
                "没有 A4 纸", warning + "\n\n是否仍然打印？", warning=True
            ):
                return False
            if self.write_pdf(pdf, options) is None:  # the same pages, now recorded
                return False
            try:
                sent = print_pdf(pdf, printer)
            except (RuntimeError, OSError) as exc:
                self._prompter.error("打印失败", str(exc))
                return False
        finally:
            pdf.unlink(missing_ok=True)
        self._window.statusBar().showMessage(f"已送打印机 {sent} 页（A4）。", 10000)
        return True

    # -- 打印预览 --------------------------------------------------------------------------
    def preview(self) -> None:
        """打印预览: the pages as printed; 打印设置, 打印 and 导出PDF from there."""
        from desktop.ui.printing import PreviewDialog, temporary_pdf

        if not may_output_pending_input(self._window, self._prompter, "打印"):
            return
        session = self._window.session
        if session is None or (options := self.options(ask=False)) is None:
            return
        pdf = temporary_pdf()
        try:
            if self.write_pdf(pdf, options, record=False) is None:
                return
            errors = reviewing.printed_error_count(session.document)
            preview = PreviewDialog(pdf, self._window.dialog_parent, review_errors=errors)

            def change_options() -> None:
                new = self.options(ask=True)
                if new is not None and self.write_pdf(pdf, new, record=False) is not None:
                    preview.show_pdf(pdf)

            preview.options_requested.connect(change_options)
            preview.print_requested.connect(lambda: self.print_to_printer(self._options or options))
            preview.export_requested.connect(self._export_from_preview)
            preview.exec()
        finally:
            pdf.unlink(missing_ok=True)

    def _export_from_preview(self) -> None:
        session = self._window.session
        assert session is not None
        suggested = session.document.path.with_suffix(".pdf").name
        path = self._window.files.ask_file("导出PDF", PDF_FILTER, save=True, suggested=suggested)
        if path is not None:
            self.export_pdf(path.with_suffix(".pdf"), self._options)

    # -- 导出PDF ---------------------------------------------------------------------------
    def export_pdf_asked(self) -> None:
        """导出PDF: the question about refused input and 错误, 打印设置, then the file."""
        if not may_output_pending_input(self._window, self._prompter, "导出", footers=True):
            return
        session = self._window.session
        if session is None or (options := self.options(ask=True)) is None:
            return
        suggested = session.document.path.with_suffix(".pdf").name
        path = self._window.files.ask_file("导出PDF", PDF_FILTER, save=True, suggested=suggested)
        if path is not None:
            self.export_pdf(path.with_suffix(".pdf"), options)

    def export_pdf(self, path: Path, options: PrintOptions | None = None) -> bool:
        """Print the open document to the PDF ``path``; errors are shown, never raised."""
        from desktop.reports.pdf import PrintOptions

        pages = self.write_pdf(path, options or PrintOptions())
        if pages is None:
            return False
        self._window.statusBar().showMessage(f"已导出 PDF（{pages} 页）：{path}", 10000)
        return True
