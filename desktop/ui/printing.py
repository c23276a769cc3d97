"""Print options, preview and printing: the same PDF pages on screen, on paper and in a file.

The PDF is built off the GUI thread (a long document must not freeze the window). On a
real printer each page is rendered by QtPdf at the printer's own resolution, so screen
scaling (125%/150%) never changes the output; "printing" to a PDF file writes our PDF
itself, text and all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QChildEvent,
    QEvent,
    QEventLoop,
    QMarginsF,
    QObject,
    QPointF,
    QSettings,
    QSignalBlocker,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Declaration
from desktop.models.labels import PART1_TITLE, PART2_TITLE
from desktop.models.stages import DECLARE, STAGE_FORMS, STAGES
from desktop.reports.fonts import available_faces
from desktop.reports.pdf import PrintOptions, SignaturePlacement
from desktop.services.reviewing import printed_errors_sentence
from desktop.ui.screens import fit_to_screen

SIGNATURES = {
    SignaturePlacement.NONE: "不加",
    SignaturePlacement.EACH: "每张表之后",
    SignaturePlacement.END: "文末",
}
#: the resolution pages are sent to a printer at, at most: sharp 五号 text on paper, and a
#: spool of about 340 KB a page (the sample) that a slow office printer takes in seconds
PRINT_DPI = 300


def options_from_settings(data: dict[str, object]) -> PrintOptions:
    """Print options from the saved preferences (defaults where missing or wrong)."""
    saved = data.get("signature")  # compared, not looked up: a wrong value may be unhashable
    signature = next((p for p in SignaturePlacement if p == saved), SignaturePlacement.EACH)
    return PrintOptions(
        part1=data.get("part1", True) is not False,
        part2=data.get("part2", True) is not False,
        new_page_per_project=data.get("new_page_per_project") is True,
        signature=signature,
        face=face if isinstance(face := data.get("face"), str) else "",
    )


def options_to_settings(options: PrintOptions) -> dict[str, object]:
    """The part of ``options`` worth remembering (not the project choice: it is per file)."""
    return {
        "part1": options.part1,
        "part2": options.part2,
        "new_page_per_project": options.new_page_per_project,
        "signature": options.signature.value,
        "face": options.face,
    }


class PrintOptionsDialog(QDialog):
    """打印设置: the form (申报表, 监控表, 自评表: those of the stages the declaration has
    reached; ``options.form`` chosen), its parts (申报表 only), which project tables, a new
    page per table, the signature block, the face."""

    def __init__(
        self, declaration: Declaration, options: PrintOptions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("打印设置")
        self.setMinimumWidth(520)
        self.form = QComboBox()
        self.form.setObjectName("print_form")
        reached = STAGES.index(declaration.stage or DECLARE)
        for index, stage in enumerate(STAGES):
            self.form.addItem(STAGE_FORMS[stage], stage)
            if index > reached:  # a form of a stage not reached: shown, not offered
                item = self.form.model().item(index)  # type: ignore[attr-defined]  # a QComboBox's model is a QStandardItemModel
                item.setEnabled(False)
                item.setToolTip(f"尚未进入“{stage}”阶段")
        self.form.setCurrentIndex(max(0, min(STAGES.index(options.form), reached)))
        self.part1 = QCheckBox(" ".join(PART1_TITLE))
        self.part1.setChecked(options.part1)
        self.part2 = QCheckBox(" ".join(PART2_TITLE))
        self.part2.setChecked(options.part2)
        self.projects = QListWidget()
        self.projects.setObjectName("print_projects")
        for number, project in enumerate(declaration.budget_projects, start=1):
            item = QListWidgetItem(f"{number}. {project.name or '（未命名项目）'}")
            item.setData(Qt.ItemDataRole.UserRole, project.uuid)
            chosen = options.projects is None or project.uuid in options.projects
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.projects.addItem(item)
        self.new_page = QCheckBox("每张项目表从新的一页开始")
        self.new_page.setChecked(options.new_page_per_project)
        self.signature = QComboBox()
        for placement, text in SIGNATURES.items():
            self.signature.addItem(text, placement.value)
        self.signature.setCurrentIndex(max(0, self.signature.findData(options.signature.value)))
        self.face = QComboBox()
        self.face.setObjectName("print_face")
        for name, path in available_faces():
            self.face.addItem(name, path)
        if self.face.findData(options.face) < 0:  # a face chosen earlier, by file
            self.face.addItem(Path(options.face).name, options.face)
        self.face.setCurrentIndex(max(0, self.face.findData(options.face)))
        form = QFormLayout()
        form.addRow("打印的表", self.form)
        form.addRow(self.part1)
        form.addRow(self.part2)
        form.addRow("打印的项目表", self.projects)
        form.addRow(self.new_page)
        form.addRow("签字栏", self.signature)
        form.addRow("字体", self.face)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.nothing = QLabel(
            "没有选择要打印的内容：请至少勾选一部分（第二部分还要勾选项目表）；"
            "监控表、自评表请勾选项目表。"
        )
        self.nothing.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.nothing)
        layout.addWidget(buttons)
        for box in (self.part1, self.part2):
            box.toggled.connect(self._allow_ok)
        self.projects.itemChanged.connect(self._allow_ok)
        self.form.currentIndexChanged.connect(self._allow_ok)
        self._allow_ok()

    def _allow_ok(self) -> None:
        """确定 only when something would be printed; the parts are the 申报表's only."""
        options = self.options()
        declared = options.form == DECLARE
        self.part1.setEnabled(declared)
        self.part2.setEnabled(declared)
        if declared:
            something = options.part1 or (options.part2 and options.projects != ())
        else:
            something = options.projects != ()
        self._ok.setEnabled(something)
        self.nothing.setVisible(not something)

    def options(self) -> PrintOptions:
        """The choices made; all projects checked means all (also those added later)."""
        uuids = [
            self.projects.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.projects.count())
            if self.projects.item(row).checkState() == Qt.CheckState.Checked
        ]
        return PrintOptions(
            part1=self.part1.isChecked(),
            part2=self.part2.isChecked(),
            projects=None if len(uuids) == self.projects.count() else tuple(uuids),
            new_page_per_project=self.new_page.isChecked(),
            signature=SignaturePlacement(self.signature.currentData()),
            face=self.face.currentData() or "",
            form=self.form.currentData() or DECLARE,
        )


class _Worker(QObject):
    done = Signal(object, object)  # result, exception
    advanced = Signal(int)  # steps done

    def __init__(self, function: Callable[..., Any], report: Callable[..., bool] | None) -> None:
        super().__init__()
        self._function = function
        self._report = report

    def run(self) -> None:
        try:
            result = self._function() if self._report is None else self._function(self._report)
            self.done.emit(result, None)
        except Exception as exc:  # handed back to the GUI thread, re-raised there
            self.done.emit(None, exc)


def run_with_progress(
    parent: QWidget, label: str, function: Callable[..., Any], *, steps: int = 0
) -> Any:
    """Run ``function`` on a worker thread with a progress dialog; return its result.

    The window keeps repainting meanwhile; the dialog (请稍候, window-modal) shows when the
    work has taken 800 ms. An exception from ``function`` is raised here,
    in the GUI thread. ``function`` must not touch widgets. With ``steps`` the dialog shows
    a bar of that many steps and a 取消 button, and ``function`` is called with
    ``report(done, total) -> bool``, which moves the bar and returns False once the clerk
    has cancelled (the function should then stop and return).
    """
    progress = QProgressDialog(label, "取消" if steps else "", 0, steps, parent)
    progress.setWindowTitle("请稍候")
    if not steps:
        progress.setCancelButton(None)  # no button
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(800)
    progress.setValue(0)  # starts the 800 ms: Qt 6 shows the dialog only after a setValue
    thread = QThread()
    cancelled: list[bool] = []

    def report(done: int, total: int) -> bool:  # called on the worker thread
        worker.advanced.emit(done)
        return not cancelled

    worker = _Worker(function, report if steps else None)
    worker.moveToThread(thread)
    worker.advanced.connect(progress.setValue)
    progress.canceled.connect(lambda: cancelled.append(True))
    outcome: list[Any] = []
    loop = QEventLoop()

    def finish(result: Any, error: BaseException | None) -> None:
        outcome[:] = [result, error]
        thread.quit()

    worker.done.connect(finish)
    thread.finished.connect(loop.quit)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.wait()
    progress.close()
    progress.deleteLater()  # not one hidden dialog more under ``parent`` per run
    result, error = outcome
    if error is not None:
        raise error
    return result


def print_pdf(pdf: Path, printer: QPrinter) -> int:
    """Send the pages of ``pdf`` to ``printer``; returns the number of pages sent.

    A printer whose output is a PDF file gets our PDF itself. Otherwise each page (within
    the dialog's page range) is rendered at the printer's resolution at its true size,
    centred on the sheet (``render_pages``).
    Raises ``RuntimeError`` (Chinese) when the PDF cannot be read or printing cannot start.
    """
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        shutil.copyfile(pdf, printer.outputFileName())
        return _open_pdf(pdf).pageCount()
    printer.setFullPage(True)
    if printer.resolution() > PRINT_DPI:  # cups-pdf and many drivers say 1200: 16× the data
        printer.setResolution(PRINT_DPI)
    return render_pages(pdf, printer, first=printer.fromPage(), last=printer.toPage())


def _open_pdf(pdf: Path) -> QPdfDocument:
    document = QPdfDocument()
    if document.load(str(pdf)) != QPdfDocument.Error.None_:
        raise RuntimeError("无法读取生成的 PDF，请重试。")
    return document


def render_pages(pdf: Path, device: QPrinter | QPdfWriter, *, first: int = 0, last: int = 0) -> int:
    """Draw pages ``first``–``last`` (1-based; 0: from the start / to the end) of ``pdf`` on
    ``device``, one per sheet, at the device's resolution. Returns the number drawn.

    Each page keeps its true size and shape, centred on the sheet: an A4 page on Letter
    paper is neither stretched nor squashed (on a sheet smaller than the page, the whole
    page is scaled down evenly). What goes to the printer is kept small (the spool):
    pages with nothing but black on white (the usual case: text and rules) are drawn
    without anti-aliasing, pure black and white, and the printer set to grayscale;
    pages with grey but no colour go as anti-aliased grayscale images; others in colour.
    The sample through cups-pdf at 300 dpi: about 110 KB a page (docs/benchmarks.md;
    anti-aliased grey 350 KB, colour 5.4 MB).
    """
    document = _open_pdf(pdf)
    count = document.pageCount()
    pages = range((first or 1) - 1, min(last or count, count))
    device.setPageMargins(QMarginsF(0, 0, 0, 0))
    # a cheap look at small renderings decides how the pages go (see above)
    crisp = QPdfDocumentRenderOptions()
    crisp.setRenderFlags(
        QPdfDocumentRenderOptions.RenderFlag.TextAliased
        | QPdfDocumentRenderOptions.RenderFlag.PathAliased
        | QPdfDocumentRenderOptions.RenderFlag.ImageAliased
    )
    looks = [_on_white(document.render(page, QSize(150, 212), crisp)) for page in pages]
    bilevel = all(_black_and_white(look) for look in looks)
    if all(look.allGray() for look in looks):
        if isinstance(device, QPrinter):
            device.setColorMode(QPrinter.ColorMode.GrayScale)
        elif isinstance(device, QPdfWriter):
            device.setColorModel(QPdfWriter.ColorModel.Grayscale)
    options = crisp if bilevel else QPdfDocumentRenderOptions()
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("无法开始打印，请检查打印机是否就绪。")
    try:
        for number, page in enumerate(pages):
            if number:
                device.newPage()
            sheet = device.pageLayout().fullRectPixels(device.resolution())
            points = document.pagePointSize(page)
            dots = device.resolution() / 72
            scale = min(1.0, sheet.width() / (points.width() * dots),
                        sheet.height() / (points.height() * dots))  # fmt: skip
            size = QSize(
                round(points.width() * dots * scale), round(points.height() * dots * scale)
            )
            image = _on_white(document.render(page, size, options))
            corner = QPointF(
                (sheet.width() - size.width()) / 2, (sheet.height() - size.height()) / 2
            )
            painter.drawImage(corner, image)
    finally:
        painter.end()
    return len(pages)


def _black_and_white(image: QImage) -> bool:
    """True when ``image`` has no pixel but pure black and pure white."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data, stride = bytes(grey.constBits()), grey.bytesPerLine()  # rows padded to 4 bytes
    rows = (data[row * stride : row * stride + grey.width()] for row in range(grey.height()))
    return all(set(row) <= {0, 255} for row in rows)


def _on_white(image: QImage) -> QImage:
    """``image`` (QtPdf renders a page transparent where nothing is drawn) on white paper,
    without an alpha channel: a printer spool then carries no transparency mask, the
    largest part of it otherwise."""
    sheet = QImage(image.size(), QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    painter.drawImage(0, 0, image)
    painter.end()
    return sheet


def set_a4(printer: QPrinter, *, landscape: bool = False) -> str | None:
    """Put A4 portrait (``landscape``: the 绩效运行监控表's A4 landscape), without margins, on
    ``printer`` (the size of every page we print).

    Returns None when the printer took it, else a Chinese warning naming the paper it
    has instead (the pages then come out at true size, centred: ``render_pages``).
    """
    a4 = QPageSize(QPageSize.PageSizeId.A4)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    layout = QPageLayout(a4, orientation, QMarginsF(0, 0, 0, 0))
    offered = QPrinterInfo(printer).supportedPageSizes()
    taken = printer.setPageLayout(layout)
    has_a4 = not offered or any(size.id() == QPageSize.PageSizeId.A4 for size in offered)
    if taken and has_a4 and printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4:
        return None
    paper = printer.pageLayout().pageSize().name() or "未知纸张"
    return (
        f"打印机“{printer.printerName()}”不提供 A4 纸，将使用“{paper}”：各页按原大小居中打印，"
        "不会拉伸变形；纸张比 A4 小时整页按比例缩小。需要 A4 打印件时请换一台打印机，或先导出 PDF。"
    )


#: What the print dialog offers again. Not the paper: every job is A4 (``set_a4`` after
#: the dialog too), and a CUPS queue's dialog shows the queue's default paper, so a paper
#: remembered from it would be one the clerk never chose.
_PRINTER_KEYS = "printer/name", "printer/duplex", "printer/copies"


def _stored_number(value: object) -> int | None:
    """A whole number kept in the settings, or None for anything else (a settings file
    from another version or edited by hand)."""
    try:
        return int(str(value))
    except ValueError:
        return None


def ask_printer(
    parent: QWidget, pages: int, title: str = "绩效目标", *, landscape: bool = False
) -> QPrinter | None:
    """Qt's print dialog (in Chinese) for a document of ``pages`` pages, offering the
    printer, duplex setting and copies chosen last time, on A4; the chosen printer at high
    resolution, its job titled ``title`` (``services.printing.print_job_title``: the queue
    lists it, a PDF printer names its file by it), or None when cancelled; A4 ``landscape``
    for a landscape form. The choices are remembered (QSettings); the caller sets A4 again
    after the dialog (``set_a4``)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    stored = QSettings("jixiao", "jixiao")
    name, duplex, copies = (stored.value(key) for key in _PRINTER_KEYS)
    if name and not QPrinterInfo.printerInfo(str(name)).isNull():
        printer.setPrinterName(str(name))
    set_a4(printer, landscape=landscape)
    duplex_mode = _stored_number(duplex)
    if duplex_mode in {mode.value for mode in QPrinter.DuplexMode}:
        printer.setDuplex(QPrinter.DuplexMode(duplex_mode))
    copy_count = _stored_number(copies)
    if copy_count is not None and 0 < copy_count <= 999:
        printer.setCopyCount(copy_count)
    printer.setFromTo(1, pages)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, pages)
    dialog.installEventFilter(_A4InProperties(dialog))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    for key, value in zip(
        _PRINTER_KEYS,
        (printer.printerName(), printer.duplex().value, printer.copyCount()),
        strict=True,
    ):
        stored.setValue(key, value)
    return printer


class _A4InProperties(QObject):
    """Shows A4 as the paper of a print dialog's 属性 each time it opens, where the printer
    offers A4.

    Qt's Unix print dialog builds its 属性 (QPrintPropertiesDialog) when first opened and
    shows there, and applies to the driver's options, the printer's default paper (a
    queue set up for Letter: "US Letter"), not the QPrinter's A4: QPageSetupWidget's
    initPageSizes picks the print device's default page size. Choosing A4 in that list
    also marks the driver's PageSize option A4. On Windows (the system's dialog) there is
    no such list; every job is set to A4 after the dialog anyway (``set_a4``).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QChildEvent) and event.type() == QEvent.Type.ChildAdded:
            if event.child().isWidgetType():
                event.child().installEventFilter(self)  # 属性, while Qt is building it
        elif event.type() == QEvent.Type.Show and watched is not self.parent():
            for sizes in watched.findChildren(QComboBox, "pageSizeCombo"):
                for index in range(sizes.count()):
                    size = sizes.itemData(index)
                    if isinstance(size, QPageSize) and size.id() == QPageSize.PageSizeId.A4:
                        sizes.setCurrentIndex(index)
        return False


class PreviewDialog(QDialog):
    """打印预览: the exact PDF pages, with zoom, a page list and the print commands.

    The page list follows the page shown, and a zoom change (or a resize, which rescales
    the pages in the fit modes) keeps the page the clerk was on, shown from its top.

    Decision: QPdfView keeps the scroll position in pixels when its layout changes, so the
    same position then falls on another page; and it scrolls to a page only when its page
    navigator's current page *changes* (``jump`` to the page already current emits
    nothing). So ``_scroll_to`` jumps, or for the page already current re-announces
    ``currentPageChanged``: the view then scrolls to the page's top by its own layout.
    Alternatives: computing page tops from the scroll range (copies Qt's private layout,
    wrong for mixed page sizes); jumping away and back (two scrolls, history entries).
    """

    print_requested = Signal()
    export_requested = Signal()
    options_requested = Signal()

    def __init__(self, pdf: Path, parent: QWidget | None = None, review_errors: int = 0) -> None:
        """``review_errors``: the 错误 of the final review (what is not filled in yet
        included), as the footers count them; with any, a red line above the pages says so."""
        super().__init__(parent)
        self.setWindowTitle("打印预览")
        fit_to_screen(self, 1000, 800)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("preview_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.installEventFilter(self)
        self.view.pageNavigator().currentPageChanged.connect(self._on_navigator_page_changed)
        self.pages = QListWidget()
        self.pages.setObjectName("preview_pages")
        self.pages.setMaximumWidth(120)
        self.pages.currentRowChanged.connect(self._on_row_chosen)
        tools = QHBoxLayout()
        fit_width, fit_page = QPdfView.ZoomMode.FitToWidth, QPdfView.ZoomMode.FitInView
        for text, handler in (
            ("放大", lambda: self.zoom_by(1.25)),
            ("缩小", lambda: self.zoom_by(0.8)),
            ("适合宽度", lambda: self.set_zoom_mode(fit_width)),
            ("整页", lambda: self.set_zoom_mode(fit_page)),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            tools.addWidget(button)
        tools.addStretch(1)
        for text, signal in (
            ("打印设置…", self.options_requested),
            ("导出PDF…", self.export_requested),
            ("打印…", self.print_requested),
        ):
            button = QPushButton(text)
            button.clicked.connect(signal.emit)
            tools.addWidget(button)
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        self.review_warning = QLabel(
            printed_errors_sentence(review_errors) + "请先在“审核”面板中处理。"
        )
        self.review_warning.setObjectName("preview_review_warning")
        self.review_warning.setWordWrap(True)
        self.review_warning.setStyleSheet("color: #b00020;")
        self.review_warning.setVisible(review_errors > 0)
        layout.addWidget(self.review_warning)
        layout.addLayout(body, 1)
        self.show_pdf(pdf)

    def show_pdf(self, pdf: Path) -> None:
        """Show (or re-show after new options) the pages of ``pdf``, staying on the page
        shown (or the last one, if the new PDF is shorter)."""
        page = self.view.pageNavigator().currentPage()
        self.document.load(str(pdf))
        count = self.document.pageCount()
        with QSignalBlocker(self.pages):
            self.pages.clear()
            self.pages.addItems([f"第 {n} 页" for n in range(1, count + 1)])
        if count and (index := min(page, count - 1)):
            self._scroll_to(index)
        elif count:  # page 1: the view stays at the top of the document, margin and all
            self._on_navigator_page_changed(0)

    def current_page(self) -> int:
        """The page shown (1-based): the one whose top half the view shows."""
        return self.view.pageNavigator().currentPage() + 1

    def show_page(self, page: int) -> None:
        """Show ``page`` (1-based) from its top, selected in the page list."""
        self._scroll_to(page - 1)

    def set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        """适合宽度 / 整页, staying on the page shown."""
        self._keeping_page(lambda: self.view.setZoomMode(mode))

    def zoom_by(self, factor: float) -> None:
        """放大 / 缩小: the current magnification times ``factor``, on the page shown."""

        def zoom() -> None:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(self.view.zoomFactor() * factor)

        self._keeping_page(zoom)

    def _keeping_page(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to the view's layout, then show the page shown before from its
        top (at the very top of the document the view stays there: page 1 from its top)."""
        if not self.view.verticalScrollBar().value():
            change()
            return
        page = self.view.pageNavigator().currentPage()
        change()
        self._scroll_to(page)

    def _scroll_to(self, index: int) -> None:
        """Scroll to the top of page ``index`` (0-based); the list follows (see Decision)."""
        navigator = self.view.pageNavigator()
        if navigator.currentPage() != index:
            navigator.jump(index, QPointF(), 0)
        else:
            navigator.currentPageChanged.emit(index)

    def _on_row_chosen(self, row: int) -> None:
        """A page chosen in the list (-1: none, when the list is cleared) is scrolled to."""
        if row >= 0:
            self._scroll_to(row)

    def _on_navigator_page_changed(self, index: int) -> None:
        with QSignalBlocker(self.pages):  # selecting the row must not jump back
            self.pages.setCurrentRow(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A resize rescales the pages in the fit modes: after the view has laid them out
        # again, show the page that was shown before.
        if (
            watched is self.view
            and event.type() == QEvent.Type.Resize
            and self.view.verticalScrollBar().value()
        ):
            page = self.view.pageNavigator().currentPage()
            QTimer.singleShot(0, self, lambda: self._scroll_to(page))
        return super().eventFilter(watched, event)


def temporary_pdf() -> Path:
    """A fresh path for a preview PDF (removed by the caller)."""
    handle, name = tempfile.mkstemp(prefix="jixiao-preview-", suffix=".pdf")
    os.close(handle)
    return Path(name)
