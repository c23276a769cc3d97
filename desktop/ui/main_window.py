"""The main window: menus 文件, 编辑, 视图, 帮助; the document's view (document_view.py) and
its 审核 panel; the status line (saved when, review counts, fingerprint)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from desktop.settings import Settings
from desktop.storage.document import Document
from desktop.ui.binding import DocumentSession
from desktop.ui.controllers.checking import RestCheck
from desktop.ui.controllers.exchange import ExchangeController
from desktop.ui.controllers.files import FileController
from desktop.ui.controllers.lock import LockController
from desktop.ui.controllers.merging import MergeController
from desktop.ui.controllers.printing import PrintController
from desktop.ui.controllers.stages import StageController
from desktop.ui.document_view import DocumentView, settle_memory
from desktop.ui.editors import OPTIONAL_COLUMNS
from desktop.ui.help import AboutDialog, UserGuideDialog
from desktop.ui.prompter import Prompter, QtPrompter
from desktop.ui.screens import place_main_window, save_main_window_geometry
from desktop.ui.status_line import StatusLine


class MainWindow(QMainWindow):
    """The program's window over one open document (or none).

    File errors are shown to the clerk in Chinese; the document already open stays open.
    """

    def __init__(self, settings: Settings, prompter: Prompter | None = None) -> None:
        """``prompter``: asks the clerk (default ``QtPrompter``: Qt's message boxes and file
        dialogs over this window; tests pass a fake)."""
        super().__init__()
        self._settings = settings
        self.prompter: Prompter = prompter if prompter is not None else QtPrompter(self)
        self.files = FileController(self, settings, self.prompter)
        self.lock = LockController(self, self.prompter)
        self.printing = PrintController(self, settings, self.prompter)
        self.exchange = ExchangeController(self, self.prompter)
        self.merging = MergeController(self, self.prompter)
        self.rest_check = RestCheck(self, self.prompter)
        #: the window has been painted once; until then ``after_painted`` keeps the work
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []
        self.undo_group = QUndoGroup(self)
        #: the banner, the 单位 chooser, the tabs and the 审核 panel of the document shown
        self.view = DocumentView(self.undo_group)
        self.view.filled.connect(self.show_edit_state)
        self.view.declaration_switched.connect(lambda: self.after_painted(settle_memory))
        self.tabs, self.banner, self.review = self.view.tabs, self.view.banner, self.view.review
        self.declaration_box = self.view.declaration_box
        self.stages = StageController(self, self.prompter, self.view)  # the 阶段 menu
        self.view.may_show_unit = self.rest_check.may_show_unit
        self.declaration_bar = self.view.declaration_bar
        self.banner.save_copy_clicked.connect(self.files.save_as_asked)
        self.banner.take_over_clicked.connect(self.lock.take_over)
        self.banner.retry_clicked.connect(self.lock.retry)
        self.setCentralWidget(self.view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review)
        #: 审核 counts, saved when, fingerprint; passing messages
        self.status_line = StatusLine(self.review)
        self.setStatusBar(self.status_line)
        self._recent_menu = QMenu("最近打开(&R)", self)
        self._build_menu()
        self._build_edit_menu()
        self._build_view_menu()
        self.stages.build_menu(self.menuBar())
        self._build_help_menu()
        self.show_edit_state()  # no file yet: the file commands are off
        place_main_window(self, self.review)
        self._update_title()

    # -- menu ---------------------------------------------------------------------------
    def _add(
        self,
        menu: QMenu,
        text: str,
        handler: Callable[[], object],
        *keys: str | QKeySequence.StandardKey,
        document: bool = False,
    ) -> QAction:
        """An entry of ``menu`` that runs ``handler``, with the shortcuts ``keys``;
        ``document``: a command about the open file, off while none is open."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.triggered.connect(lambda: handler())
        menu.addAction(action)
        if document:
            self._document_actions.append(action)
        return action

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        #: commands about the open file: off while none is open
        self._document_actions: list[QAction] = []
        files, printing, exchange = self.files, self.printing, self.exchange
        merging = self.merging  # its steps looked up when triggered (tests replace one)
        self._add(menu, "新建(&N)…", files.new, QKeySequence.StandardKey.New)
        self._add(menu, "打开(&O)…", files.open, QKeySequence.StandardKey.Open)
        # a bureau's PostgreSQL collection
        self._add(menu, "打开汇总库(&K)…", self._on_open_collection_triggered)
        menu.addMenu(self._recent_menu)
        self._recent_menu.aboutToShow.connect(lambda: files.fill_recent_menu(self._recent_menu))
        self._add(menu, "恢复备份(&B)…", files.restore, document=True)
        self._add(menu, "从上年复制(&Y)…", files.roll_over, document=True)
        #: 合并 writes into the open file: off while read-only
        self.merge_action = self._add(
            menu, "合并其他单位文件(&M)…", lambda: merging.merge(), document=True
        )
        self._add(menu, "比较(&C)…", lambda: merging.compare(), document=True)
        self._add(menu, "汇总表(&T)…", lambda: merging.summary(), document=True)
        menu.addSeparator()
        # every edit is written at once; Ctrl+S (the habit of Word and WPS users) says so
        self.save_action = self._add(menu, "保存(&S)", files.save_now, "Ctrl+S", document=True)
        self.save_as_action = self._add(
            menu, "另存为(&A)…", files.save_as_asked, "F12", "Ctrl+Shift+S", document=True
        )
        menu.addSeparator()
        self._add(menu, "打印预览(&V)…", printing.preview, "Ctrl+Shift+P", document=True)
        self._add(menu, "打印(&P)…", printing.print, "Ctrl+P", document=True)
        self._add(menu, "导出PDF(&E)…", printing.export_pdf_asked, "Ctrl+E", document=True)
        menu.addSeparator()
        self._add(menu, "导出Excel(&L)…", exchange.export_xlsx_asked, document=True)
        self._add(menu, "导入Excel(&I)…", exchange.import_xlsx_asked, document=True)
        self._add(menu, "导出Word(&W)…", exchange.export_docx_asked, document=True)
        # makes a new file: no document needed
        self._add(menu, "从Word导入(&D)…", exchange.import_docx_asked)
        menu.addSeparator()
        # Qt gives Quit no key on Windows
        self._add(menu, "退出(&X)", self.close, "Ctrl+Q", "Alt+F4")

    def _build_edit_menu(self) -> None:
        menu = self.menuBar().addMenu("编辑(&E)")
        undo = self.undo_group.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "重做")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        menu.addAction(undo)
        menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo

    def _build_view_menu(self) -> None:
        menu = self.menuBar().addMenu("视图(&V)")
        #: shows or hides the 审核 panel (closed with its ×, or closed on a low screen)
        self.review_action = self.review.toggleViewAction()
        self.review_action.setText("审核面板(&R)")
        menu.addAction(self.review_action)
        #: the indicator grid's 性质 … 分值 columns (editors.OptionalColumns)
        self.fields_action = menu.addAction("指标性质、分值等栏(&S)")
        self.fields_action.setCheckable(True)
        self.fields_action.setChecked(OPTIONAL_COLUMNS.shown)
        self.fields_action.toggled.connect(OPTIONAL_COLUMNS.set_shown)

    def _build_help_menu(self) -> None:
        menu = self.menuBar().addMenu("帮助(&H)")
        self.guide_action = self._add(
            menu, "使用说明(&U)", self._on_guide_triggered, QKeySequence.StandardKey.HelpContents
        )
        self.about_action = self._add(menu, "关于(&A)", lambda: AboutDialog(self).exec())

    # -- opening and showing --------------------------------------------------------------

    def show_document(self, document: Document) -> None:
        """Show ``document`` in the three tabs (closing the one shown before, unless the
        clerk keeps it for edits that could not be written; then ``document`` is closed)."""
        if not self.files.may_leave_document():
            document.close()
            return
        self.close_document()
        session = self.view.open(document)
        self.status_line.held = document.checking  # edits held until the rest is checked
        session.saved.connect(self.status_line.mark_saved)
        session.failed.connect(self.status_line.say)  # a refused edit
        session.noted.connect(self.status_line.say)  # e.g. what a paste filled in
        session.write_failed.connect(self.show_edit_state)
        # what needs the whole file checked: for a file checked in two parts, after the rest
        checked: list[Callable[[], object]] = []
        if not document.from_collection:  # a unit of a collection is no recent file
            if document.checking:
                checked.append(lambda: self.files.remember_recent(document))
            else:
                self.files.remember_recent(document)
            # after the first paint; the collection is the server's to back up
            checked.append(lambda: self.files.back_up_daily(document))
        if not self.view.show_first_declaration():
            self.prompter.error(
                "文件中没有绩效目标", f"“{document.path.name}”中没有任何单位的绩效目标。"
            )
            return
        self.status_line.show_saved("已打开" if document.read_only is None else "只读")
        self._update_title()
        self.after_painted(self.review.recheck)
        # its indicators suggested first from now on (reads the unit shown, checked)
        shown = session.declaration_uuid
        self.after_painted(lambda: self.view.remember_indicators(document, shown))
        if document.checking:
            self.after_painted(lambda: self.rest_check.start(document, checked))
        else:
            for work in checked:
                self.after_painted(work)
        self.after_painted(settle_memory)

    @property
    def dialog_parent(self) -> QWidget:
        """This window: dialogs of the controllers open over it (``DocumentWindow``)."""
        return self

    @property
    def session(self) -> DocumentSession | None:
        """The document shown (``DocumentView.session``), None while none is."""
        return self.view.session

    def after_painted(self, work: Callable[[], object]) -> None:
        """Run ``work`` once the window has been painted (soon, when it already has been):
        at start the clerk sees the data first; the review, the day's backup and whatever
        the first paint does not need come after it (``docs/benchmarks.md``)."""
        if self._painted:
            QTimer.singleShot(0, self, work)
        else:
            self._after_paint.append(work)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:  # the children are drawn in the same pass: queue the work
            self._painted = True
            for work in self._after_paint:
                QTimer.singleShot(0, self, work)
            self._after_paint.clear()

    def show_edit_state(self) -> None:
        """Banner, editors and the file commands follow whether the document can be edited
        now (read-only file, lock held elsewhere, or a write that failed)."""
        reason = self.view.show_edit_state()
        session = self.session
        # while the rest of the file is checked: editing the units shown, no file commands
        checking = session is not None and session.document.checking
        for action in self._document_actions:
            action.setEnabled(session is not None and not checking)
        self.merge_action.setEnabled(
            session is not None
            and reason is None
            and not checking
            and not session.document.from_collection
        )
        if reason is not None and session is not None and session.fault is not None:
            self.status_line.show_saved("未能保存")

    def reload(self) -> None:
        """Show the file's content again (after a lock was taken over or a retry)."""
        self.view.reload()

    def close_document(self) -> None:
        """Close the file shown (its typing committed, its lock given back); no questions."""
        if self.session is None:
            return
        self.rest_check.finish()  # edits held during the check: written or refused first
        if self.session is None:  # refused: closed already
            return
        self.view.close_document()
        self.show_edit_state()

    def _update_title(self) -> None:
        title = "绩效目标填报"
        if self.session is not None:
            title = f"{self.session.document.path.name} — {title}"
        self.setWindowTitle(title)

    # -- menu handlers ----------------------------------------------------------------------

    def _on_open_collection_triggered(self) -> None:
        from desktop.ui.collection import open_collection_in_window

        open_collection_in_window(self, self._settings)

    def _on_guide_triggered(self) -> None:
        guide = self.findChild(UserGuideDialog)  # one, kept once made
        if guide is None:
            guide = UserGuideDialog(self)
        guide.show()
        guide.raise_()

    def flush(self) -> None:
        """Commit any typing still waiting for its delay (the program is about to end)."""
        if self.session is not None:
            self.session.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.may_leave_document():
            event.ignore()
            return
        save_main_window_geometry(self)
        self.close_document()
        super().closeEvent(event)
