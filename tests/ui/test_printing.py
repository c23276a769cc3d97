"""Printing from the window: options, preview, printer, progress — the same pages everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.reports.pdf import PrintOptions, SignaturePlacement
from desktop.settings import Settings, load_settings
from desktop.ui.main_window import MainWindow
from desktop.ui.printing import (
    PreviewDialog,
    PrintOptionsDialog,
    print_pdf,
    render_pages,
    run_with_progress,
)


@pytest.fixture
def window(qtbot: QtBot, sample_path: Path) -> MainWindow:
    main = MainWindow(Settings())
    qtbot.addWidget(main)
    main.show()
    assert main.files.open_path(sample_path)
    return main


@pytest.fixture
def sample_pdf(window: MainWindow, tmp_path: Path) -> Path:
    out = tmp_path / "sample.pdf"
    assert window.printing.export_pdf(out)
    return out


def test_status_bar_shows_the_fingerprint(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """The fingerprint in the status bar is the one printed in the page footers."""
    qtbot.waitUntil(lambda: window.status_line.fingerprint_label.text().startswith("指纹 "))
    label = window.status_line.fingerprint_label.text()
    assert label in PdfReader(sample_pdf).pages[0].extract_text()


def test_pdf_printer_gets_the_same_pages_and_text(sample_pdf: Path, tmp_path: Path) -> None:
    """Printing to a PDF printer through Qt yields the same pages with the same text."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(sample_pdf, printer) == 5
    ours, printed = PdfReader(sample_pdf), PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == len(ours.pages)
    assert [p.extract_text() for p in printed.pages] == [p.extract_text() for p in ours.pages]


def test_paper_printer_path_draws_every_page(sample_pdf: Path, tmp_path: Path) -> None:
    """The raster path (real printers) puts each PDF page on its own sheet, in range."""
    writer = QPdfWriter(str(tmp_path / "raster.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    assert render_pages(sample_pdf, writer) == 5
    assert len(PdfReader(tmp_path / "raster.pdf").pages) == 5
    partial = QPdfWriter(str(tmp_path / "part.pdf"))
    partial.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    assert render_pages(sample_pdf, partial, first=2, last=3) == 2
    assert len(PdfReader(tmp_path / "part.pdf").pages) == 2


def test_options_dialog_and_remembered_choices(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    """打印设置 returns the choices; they are offered again after a restart."""
    declaration = window.session.load_declaration()
    dialog = PrintOptionsDialog(declaration, PrintOptions(), window)
    qtbot.addWidget(dialog)
    dialog.part1.setChecked(False)
    dialog.projects.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.signature.setCurrentIndex(dialog.signature.findData("each"))
    options = dialog.options()
    assert (options.part1, options.signature) == (False, SignaturePlacement.EACH)
    assert options.projects == tuple(p.uuid for p in declaration.budget_projects[1:])
    monkeypatch.setattr("desktop.ui.printing.PrintOptionsDialog.exec", lambda self: 1)
    monkeypatch.setattr("desktop.ui.printing.PrintOptionsDialog.options", lambda self: options)
    assert window.printing.options(ask=True) == options
    remembered = load_settings().print_options
    assert remembered == {
        "part1": False,
        "part2": True,
        "new_page_per_project": False,
        "signature": "each",
        "face": "",
    }


def test_preview_shows_the_pages(qtbot: QtBot, window: MainWindow, monkeypatch) -> None:
    """打印预览 shows every page of the PDF and lists them for navigation."""
    seen: list[int] = []

    def look(dialog) -> int:
        seen.append(dialog.document.pageCount())
        seen.append(dialog.pages.count())
        return 0

    monkeypatch.setattr("desktop.ui.printing.PreviewDialog.exec", look)
    window.printing.preview()
    assert seen == [5, 5]


def test_preview_warns_of_what_the_footers_will_say(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    """What the 审核 panel lists as 待填写 is an 错误 at print: the preview says so in red,
    with the count the footers print; the sample (no 错误) shows no such line."""
    from desktop.models import Declaration

    seen: list[tuple[bool, str]] = []

    def look(dialog) -> int:
        seen.append((dialog.review_warning.isVisibleTo(dialog), dialog.review_warning.text()))
        return 0

    monkeypatch.setattr("desktop.ui.printing.PreviewDialog.exec", look)
    window.printing.preview()
    assert window.session is not None
    window.session.set_field(Declaration, window.session.declaration_uuid, "safeguard_measures", "")
    window.review.recheck()
    assert any(f.status == "待填写" for f in window.review.findings)
    window.printing.preview()
    assert seen[0][0] is False
    assert seen[1][0] is True and "审核未通过（1 个错误）" in seen[1][1]


def test_print_and_pdf_export_say_the_footers_count_first(
    qtbot: QtBot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    """The 审核 panel counts a blank 保障措施 as 待填写 (0 错误 on screen); the footers
    count it as an 错误. 打印 and 导出PDF say so first, with the preview's words and count,
    and make nothing on 否; on 是 the PDF's footers carry that count. Excel and Word
    exports stamp no count and ask nothing."""
    from desktop.models import Declaration

    assert window.session is not None
    window.session.set_field(Declaration, window.session.declaration_uuid, "safeguard_measures", "")
    window.prompter.script(False, False)  # 否 to both questions
    made: list[str] = []
    monkeypatch.setattr(window.files, "ask_file", lambda *a, **k: made.append("asked") or None)
    monkeypatch.setattr(window.printing, "options", lambda ask: made.append("options") or None)
    window.printing.print()
    window.printing.export_pdf_asked()
    assert made == []
    said = "审核未通过：有 1 个错误（“待填写”的必填内容打印时也算错误），"
    asked = [(a.title, a.text) for a in window.prompter.asked]
    assert [title for title, _ in asked] == ["审核未通过"] * 2
    assert said in asked[0][1] and "是否仍然打印" in asked[0][1]
    assert said in asked[1][1] and "是否仍然导出" in asked[1][1]
    seen: list[str] = []
    monkeypatch.setattr(window.printing, "options", lambda ask: PrintOptions())
    monkeypatch.setattr(
        "desktop.ui.printing.PreviewDialog.exec",
        lambda dialog: seen.append(dialog.review_warning.text()) or 0,
    )
    window.printing.preview()
    assert said in seen[0]  # the same sentence, from the same place

    window.exchange.export_xlsx_asked()
    window.exchange.export_docx_asked()
    assert len(window.prompter.asked) == 2 and made == ["asked", "asked"]
    window.prompter.script(True)
    monkeypatch.setattr(window.files, "ask_file", lambda *a, **k: tmp_path / "out.pdf")
    window.printing.export_pdf_asked()
    assert "审核未通过（1 个错误）" in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


def _page_top(dialog: PreviewDialog, page: int) -> float:
    """Where page ``page`` (1-based) starts in the view's scroll range, in pixels.

    QPdfView stacks equal pages (the printout is all A4) between the document margins.
    """
    view, margins = dialog.view, dialog.view.documentMargins()
    height = view.verticalScrollBar().maximum() + view.viewport().height()
    pitch = (height - margins.top() - margins.bottom()) / dialog.document.pageCount()
    return margins.top() + (page - 1) * pitch


def _shows_page(dialog: PreviewDialog, page: int) -> bool:
    return (
        abs(dialog.view.verticalScrollBar().value() - _page_top(dialog, page)) <= 1
        and dialog.view.pageNavigator().currentPage() == page - 1
        and dialog.current_page() == page
        and dialog.pages.currentRow() == page - 1
        and dialog.pages.currentItem().text() == f"第 {page} 页"
    )


def test_preview_zoom_keeps_the_page_shown(qtbot: QtBot, sample_pdf: Path) -> None:
    """第 3 页 chosen in the list stays shown from its top, and listed, through 整页, 适合宽度,
    放大, 缩小 and a resize of the window."""
    dialog = PreviewDialog(sample_pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = {button.text(): button for button in dialog.findChildren(QPushButton)}
    dialog.pages.setCurrentRow(2)
    qtbot.waitUntil(lambda: _shows_page(dialog, 3))
    for text in ("整页", "适合宽度", "放大", "缩小", "整页"):
        before = (dialog.view.zoomMode(), dialog.view.zoomFactor())
        qtbot.mouseClick(buttons[text], Qt.MouseButton.LeftButton)
        assert (dialog.view.zoomMode(), dialog.view.zoomFactor()) != before, text
        qtbot.waitUntil(lambda: _shows_page(dialog, 3))
    dialog.resize(700, 560)
    qtbot.waitUntil(lambda: _shows_page(dialog, 3))


def test_preview_page_list_follows_the_view(qtbot: QtBot, sample_pdf: Path) -> None:
    """Scrolling the pages selects the page shown in the list (without jumping back)."""
    dialog = PreviewDialog(sample_pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.view.verticalScrollBar().setValue(int(_page_top(dialog, 4)) + 20)
    qtbot.waitUntil(lambda: dialog.pages.currentRow() == 3)
    assert dialog.view.verticalScrollBar().value() == int(_page_top(dialog, 4)) + 20
    dialog.show_page(2)
    qtbot.waitUntil(lambda: _shows_page(dialog, 2))


def test_failing_work_is_reported_in_the_gui_thread(qtbot: QtBot, window: MainWindow) -> None:
    """The worker's result comes back; its exception is raised in the caller."""
    assert run_with_progress(window, "测试", lambda: 41 + 1) == 42
    with pytest.raises(ValueError, match="坏"):
        run_with_progress(window, "测试", lambda: (_ for _ in ()).throw(ValueError("坏")))


@pytest.mark.parametrize("steps", [0, 3])
def test_slow_work_shows_the_progress_dialog(qtbot: QtBot, window: MainWindow, steps: int) -> None:
    """Work that goes on past 800 ms shows the 请稍候 dialog over the window (with 取消 when
    it has steps) while the window goes on handling events; the dialog goes with the work."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    shown = threading.Event()
    seen: list[tuple[str, bool]] = []

    def look() -> None:  # on the GUI thread, while the worker waits
        for progress in window.findChildren(QProgressDialog):
            if progress.isVisible() and not shown.is_set():
                cancel = progress.findChild(QPushButton)
                seen.append((progress.windowTitle(), cancel is not None and cancel.isVisible()))
                shown.set()

    def work(*_report: object) -> str:
        assert shown.wait(30), "the progress dialog never showed"
        return "完成"

    poll = QTimer(window, interval=50)
    poll.timeout.connect(look)
    poll.start()
    assert run_with_progress(window, "测试", work, steps=steps) == "完成"
    poll.stop()
    assert seen == [("请稍候", bool(steps))]
    qtbot.waitUntil(lambda: not window.findChildren(QProgressDialog))


def test_print_options_need_something_to_print(qtbot, sample_path) -> None:
    """打印设置: 确定 is off, with a red hint, while neither part (or part 2 without any
    project table) is chosen."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.reports.pdf import PrintOptions
    from desktop.services.documents import load_declarations
    from desktop.storage.document import open_document
    from desktop.ui.printing import PrintOptionsDialog

    document = open_document(sample_path, read_only=True)
    with document.session() as session:
        declaration = load_declarations(session)[0]
    document.close()
    dialog = PrintOptionsDialog(declaration, PrintOptions())
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.nothing.isHidden()
    dialog.part1.setChecked(False)
    assert ok.isEnabled()
    for row in range(dialog.projects.count()):
        dialog.projects.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not ok.isEnabled() and not dialog.nothing.isHidden()
    dialog.part1.setChecked(True)
    assert ok.isEnabled()
    dialog.part1.setChecked(False)
    dialog.part2.setChecked(False)
    assert not ok.isEnabled()


def test_signature_block_on_unless_turned_off() -> None:
    """No remembered choice (or a wrong one): the signature block after each table;
    a remembered 不加 stays off."""
    from desktop.ui.printing import options_from_settings

    assert options_from_settings({}).signature is SignaturePlacement.EACH
    assert options_from_settings({"signature": "anywhere"}).signature is SignaturePlacement.EACH
    assert options_from_settings({"signature": "none"}).signature is SignaturePlacement.NONE
    assert options_from_settings({"signature": ["end"]}).signature is SignaturePlacement.EACH


def _drawn_image(pdf: Path) -> tuple[list[float], dict]:
    """The placement (a, d, e, f of the last ``cm`` before ``Do``, in points, after the
    page's own scale) and the dictionary of the first image on page 1 of ``pdf``."""
    import re

    page = PdfReader(pdf).pages[0]
    data = page.get_contents().get_data().decode("latin-1")
    outer = [float(x) for x in re.search(r"([-\d.]+) 0 0 ([-\d.]+) 0 [-\d.]+ cm", data).groups()]
    shift = re.findall(r"1 0 0 1 ([-\d.]+) ([-\d.]+) cm", data)
    x, y = (float(v) for v in shift[-1]) if shift else (0.0, 0.0)
    w, h = (float(v) for v in re.search(r"([\d.]+) 0 0 -([\d.]+) 0 [\d.]+ cm /Im", data).groups())
    unit = abs(outer[0])
    image = next(iter(page["/Resources"]["/XObject"].values())).get_object()
    return [w * unit, h * unit, x * unit, y * unit], image


@pytest.mark.parametrize(
    ("paper", "sheet"),
    [(QPageSize.PageSizeId.A4, (595.3, 841.9)), (QPageSize.PageSizeId.Letter, (612.0, 792.0))],
)
def test_pages_keep_their_shape_centred_on_any_sheet(
    sample_pdf: Path, tmp_path: Path, paper: QPageSize.PageSizeId, sheet: tuple[float, float]
) -> None:
    """On A4 the page fills the sheet; on Letter (a printer's default paper in many
    drivers) it keeps the A4 shape, centred, not stretched to the sheet; no colour on the
    sample's pages: a grayscale image, a third of an RGB one."""
    out = tmp_path / "sheet.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(paper))
    writer.setResolution(150)
    assert render_pages(sample_pdf, writer, first=1, last=1) == 1
    del writer  # finishes the file
    (width, height, left, _top), image = _drawn_image(out)
    assert width / height == pytest.approx(595.3 / 841.9, rel=0.005)  # A4's shape
    assert width <= sheet[0] + 0.5 and height <= sheet[1] + 0.5
    assert left == pytest.approx((sheet[0] - width) / 2, abs=1)  # centred
    if paper == QPageSize.PageSizeId.A4:
        assert (width, height) == (pytest.approx(595.3, abs=1), pytest.approx(841.9, abs=1))
    assert image["/ColorSpace"] == "/DeviceGray"


def test_a4_is_set_on_the_printer_or_a_warning_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """A printer set to Letter gets A4 portrait; one that offers no A4 gives a Chinese
    warning naming its paper."""
    from desktop.ui import printing

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    assert printing.set_a4(printer) is None
    layout = printer.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert layout.orientation() == QPageLayout.Orientation.Portrait

    class LetterOnly:
        def __init__(self, _printer: QPrinter) -> None:
            pass

        def supportedPageSizes(self) -> list[QPageSize]:
            return [QPageSize(QPageSize.PageSizeId.Letter), QPageSize(QPageSize.PageSizeId.Legal)]

    monkeypatch.setattr(printing, "QPrinterInfo", LetterOnly)
    warning = printing.set_a4(printer)
    assert warning is not None and "不提供 A4" in warning and "不会拉伸" in warning


def test_print_dialog_knows_the_pages_and_remembers_choices(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog offers pages 1–5 of the 5-page sample; copies and duplex chosen once are
    offered again; the printer has A4."""
    from PySide6.QtPrintSupport import QPrintDialog

    from desktop.ui.printing import ask_printer

    seen = []

    def choose(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        seen.append((dialog.minPage(), dialog.maxPage(), printer.copyCount(), printer.duplex()))
        printer.setCopyCount(3)
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", choose)
    first = ask_printer(window, 5)
    assert first is not None
    assert first.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert seen[0][:2] == (1, 5)
    assert ask_printer(window, 5) is not None
    assert seen[1][2] == 3  # duplex too, where the printer has it (not the offscreen one)


@pytest.mark.parametrize(
    ("stored", "paper", "copies"),
    [
        ({"printer/paper": "Letter", "printer/copies": 2}, QPageSize.PageSizeId.A4, 2),
        (
            {"printer/paper": "纸", "printer/copies": "abc", "printer/duplex": "x"},
            QPageSize.PageSizeId.A4,
            1,
        ),
        ({"printer/duplex": 99, "printer/copies": -4}, QPageSize.PageSizeId.A4, 1),
    ],
)
def test_print_dialog_offers_a4_and_survives_odd_settings(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    stored: dict[str, object],
    paper: QPageSize.PageSizeId,
    copies: int,
) -> None:
    """The dialog offers A4 even where an older version remembered another paper (reading
    it raised a TypeError; a CUPS queue's default paper was remembered as if chosen);
    values that are no duplex mode or copy count (a settings file edited or from another
    version) are passed over."""
    from PySide6.QtCore import QSettings
    from PySide6.QtPrintSupport import QPrintDialog

    from desktop.ui.printing import ask_printer

    settings = QSettings("jixiao", "jixiao")
    for key, value in stored.items():
        settings.setValue(key, value)
    settings.sync()
    offered = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda d: offered.append(d.printer()) or 0)
    assert ask_printer(window, 5) is None  # cancelled
    assert offered[0].pageLayout().pageSize().id() == paper
    assert offered[0].copyCount() == copies


def test_print_dialog_labels_are_chinese(qtbot: QtBot) -> None:
    """Qt's print dialog, with the program's translations, has no English label left
    (Qt's catalogue lacks "Page &Set:" of the 选项 tab)."""
    import re

    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QApplication, QLabel

    from desktop.ui.fonts import install_chinese_translations

    install_chinese_translations(QApplication.instance())
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    # Qt 6.11's source text has the mnemonic ("Page &Set:", ours), Qt 6.8's (the 信创
    # packages, docs/platforms.md) has none ("Page Set:", in Qt's own catalogue)
    assert "页面组(&S)：" in labels or "页面组：" in labels
    # form labels (ending in a colon): printer and model names may be English
    english = [t for t in labels if re.search(r"[A-Za-z]{3,}.*:$", t)]
    assert english == []


def test_print_dialog_labels_qt_gave_a_mnemonic_are_chinese(qtbot: QtBot) -> None:
    """Labels of the print dialog's 属性 that Qt 6.11 gave a mnemonic (its catalogue has
    them without one) come out in Chinese with the mnemonic; strings with no Chinese in
    the catalogue are left to Qt."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from desktop.ui.fonts import install_chinese_translations

    install_chinese_translations(QApplication.instance())
    for context, source, chinese in (
        ("QPageSetupWidget", "Pages &per sheet:", "每张页数(&P)："),
        ("QPageSetupWidget", "Page &order:", "页面顺序(&O)："),
        ("QCupsJobWidget", "Scheduled &printing:", "计划打印(&P)："),
        ("QCupsJobWidget", "Job &priority:", "任务优先级(&P)："),
        ("QCupsJobWidget", "&End:", "结束(&E)："),
        ("QPrintDialog", "&Options >>", "选项(&O) >>"),  # the catalogue's own
        ("QFileDialog", "&Look in:", "查找范围(&L)："),  # ours (_MISSING)
    ):
        assert QCoreApplication.translate(context, source) == chinese, source
    assert QCoreApplication.translate("QCupsJobWidget", "&Nothing here:") == "&Nothing here:"


def _page_shades(pdf: Path, tmp_path: Path, name: str) -> set[int]:
    """The grey levels of the image that ``render_pages`` draws for page 1 of ``pdf``."""
    out = tmp_path / f"{name}.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    assert render_pages(pdf, writer, first=1, last=1) == 1
    del writer  # finishes the file
    _, image = _drawn_image(out)
    picture = image.decode_as_image().convert("L")
    return {level for level, count in enumerate(picture.histogram()) if count}


def test_black_text_pages_go_as_black_and_white_images(sample_pdf: Path, tmp_path: Path) -> None:
    """Pages of black text and rules (the sample) are drawn pure black and white (a third
    of the spool of anti-aliased grey: docs/benchmarks.md); a page with a grey fill keeps
    its grey and its anti-aliased edges."""
    from reportlab.pdfgen.canvas import Canvas

    assert _page_shades(sample_pdf, tmp_path, "sample") == {0, 255}
    shaded = tmp_path / "shaded.pdf"
    canvas = Canvas(str(shaded))
    canvas.setFillGray(0.5)
    canvas.rect(100, 500, 200, 100, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.drawString(100, 700, "Grey box below")
    canvas.save()
    shades = _page_shades(shaded, tmp_path, "shaded")
    assert any(100 < level < 160 for level in shades) and len(shades) > 3


def test_the_properties_of_a_print_dialog_show_a4(qtbot) -> None:
    """A dialog built inside the print dialog (its 属性) whose paper list starts on Letter
    shows A4 each time it opens."""
    from PySide6.QtWidgets import QComboBox, QDialog

    from desktop.ui.printing import _A4InProperties

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.installEventFilter(_A4InProperties(dialog))
    properties = QDialog(dialog)  # added as a child: the filter watches it
    sizes = QComboBox(properties)
    sizes.setObjectName("pageSizeCombo")
    for size in (QPageSize.PageSizeId.Letter, QPageSize.PageSizeId.A4):
        sizes.addItem(QPageSize(size).name(), QPageSize(size))
    for _ in range(2):
        sizes.setCurrentIndex(0)
        properties.show()
        assert sizes.currentIndex() == 1
        properties.hide()


def test_print_options_offer_the_forms_of_the_stages_reached(qtbot, tmp_path, monkeypatch) -> None:
    """打印设置 of a 监控 file: 打印的表 offers 申报表 and 监控表 (自评表 shown, not
    offered), chosen 监控表 by the controller; the parts are the 申报表's only; 导出PDF
    with it writes the 监控表."""
    from desktop.models.stages import EVALUATE, MONITOR
    from desktop.services.documents import load_declarations
    from desktop.storage.document import open_document
    from tests.stage_sample import staged_file

    path = staged_file(tmp_path, MONITOR)
    document = open_document(path, read_only=True)
    with document.session() as session:
        declaration = load_declarations(session)[0]
    document.close()
    dialog = PrintOptionsDialog(declaration, PrintOptions(form=MONITOR))
    qtbot.addWidget(dialog)
    model = dialog.form.model()
    assert [dialog.form.itemText(i) for i in range(3)] == [
        "绩效目标申报表",
        "绩效运行监控表",
        "绩效自评表",
    ]
    assert [model.item(i).isEnabled() for i in range(3)] == [True, True, False]
    assert dialog.options().form == MONITOR
    assert not dialog.part1.isEnabled() and not dialog.part2.isEnabled()
    dialog.form.setCurrentIndex(0)
    assert dialog.part1.isEnabled() and dialog.options().form == "申报"
    asked = PrintOptionsDialog(declaration, PrintOptions(form=EVALUATE))  # not reached
    qtbot.addWidget(asked)
    assert asked.options().form == MONITOR

    main = MainWindow(Settings())
    qtbot.addWidget(main)
    assert main.files.open_path(path)
    chosen = main.printing.options(ask=False)
    assert chosen is not None and chosen.form == MONITOR  # the file's stage
    out = tmp_path / "m.pdf"
    assert main.printing.export_pdf(out, chosen)
    assert "绩效运行监控表" in "".join(page.extract_text() for page in PdfReader(out).pages)
    asked = []

    def ask(parent, pages, title, *, landscape=False):  # the clerk cancels
        asked.append((title, landscape))

    monkeypatch.setattr("desktop.ui.printing.ask_printer", ask)
    assert not main.printing.print_to_printer(chosen)
    assert asked == [("绩效运行监控表-乐亭县机关事务中心-2022年", True)]  # A4 landscape sheets
