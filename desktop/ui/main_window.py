"""The main window: menus 文件, 编辑, 帮助; the three editor tabs; the status line (saved when)."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Declaration
from desktop.review import Location
from desktop.services import documents
from desktop.settings import Settings, save_settings
from desktop.storage.document import Document
from desktop.ui.banner import ReadOnlyBanner, set_editors_read_only
from desktop.ui.binding import DocumentSession
from desktop.ui.controllers.exchange import ExchangeController
from desktop.ui.controllers.files import FileController
from desktop.ui.controllers.lock import LockController
from desktop.ui.controllers.merging import MergeController
from desktop.ui.controllers.printing import PrintController
from desktop.ui.editors import BudgetProjectsEditor, ItemTargetsEditor, OverviewEditor
from desktop.ui.help import AboutDialog, UserGuideDialog
from desktop.ui.library import remember_opened
from desktop.ui.prompter import Prompter, QtPrompter
from desktop.ui.review_dock import ReviewDock
from desktop.ui.screens import available_area, fit_to_screen

if TYPE_CHECKING:
    from desktop.services.editing import Changes

TAB_TITLES = ("部门整体", "分项目标", "项目绩效目标表")
#: The 审核 panel opens closed on a screen whose available height is less than this many
#: lines of text (1366×768 at 200%: 384 logical pixels, 20 lines): below the tabs it would
#: leave the indicator grid fewer than ``GRID_ROWS_SHOWN`` rows. 视图 → 审核面板 opens it.
REVIEW_PANEL_SCREEN_LINES = 24


class MainWindow(QMainWindow):
    """The program's window over one open document (or none).

    File errors are shown to the clerk in Chinese; the document already open stays open.
    """

    def __init__(self, settings: Settings, prompter: Prompter | None = None) -> None:
        """``prompter``: asks the clerk (default ``QtPrompter``: Qt's message boxes and file
        dialogs over this window; tests pass a fake)."""
        super().__init__()
        self._settings = settings
        self.session: DocumentSession | None = None
        self.prompter: Prompter = prompter if prompter is not None else QtPrompter(self)
        self.files = FileController(self, settings, self.prompter)
        self.lock = LockController(self, self.prompter)
        self.printing = PrintController(self, settings, self.prompter)
        self.exchange = ExchangeController(self, self.prompter)
        self.merging = MergeController(self, self.prompter)
        #: the window has been painted once; until then ``after_painted`` keeps the work
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.banner = ReadOnlyBanner()
        self.banner.save_copy_clicked.connect(self.files.save_as_asked)
        self.banner.take_over_clicked.connect(self.lock.take_over)
        self.banner.retry_clicked.connect(self.lock.retry)
        self.declaration_box = QComboBox()
        self.declaration_box.setToolTip(
            "此文件中有多个单位（或年度）的绩效目标：选择要查看和填写的一个。"
        )
        self.declaration_box.activated.connect(self._on_declaration_chosen)
        self.declaration_bar = QWidget()
        bar = QHBoxLayout(self.declaration_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(QLabel("单位："))
        bar.addWidget(self.declaration_box, 1)
        self.declaration_bar.hide()  # shown for files that hold several declarations
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.declaration_bar)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        self._saved_label = QLabel()
        self._review_label = QLabel()
        self.statusBar().addPermanentWidget(self._review_label)
        self.statusBar().addPermanentWidget(self._saved_label)
        self.review = ReviewDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review)
        self.review.location_activated.connect(self.jump_to)
        self.review.counts_changed.connect(self._review_label.setText)
        self._fingerprint_label = QLabel()
        self._fingerprint_label.setToolTip(
            "内容指纹：打印件每页页脚印有同样的指纹，可据此核对纸质件与文件是否为同一版本。"
        )
        self.statusBar().addPermanentWidget(self._fingerprint_label)
        self.review.checked.connect(self._show_fingerprint)
        self._recent_menu = QMenu("最近打开(&R)", self)
        self._guide: UserGuideDialog | None = None
        self.undo_group = QUndoGroup(self)
        self._build_menu()
        self._build_edit_menu()
        self._build_view_menu()
        self._build_help_menu()
        self.show_edit_state()  # no file yet: the file commands are off
        area = available_area(self)  # a big screen: a big window, else 1200×800 at most
        self.resize(max(1200, area.width() * 9 // 10), max(800, area.height() * 9 // 10))
        geometry = QSettings("jixiao", "jixiao").value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        fit_to_screen(self, place=True)  # a geometry saved on a bigger screen or at a smaller scale
        # the 审核 panel: a few findings' height, so the grids keep the room
        self.resizeDocks([self.review], [self.height() // 6], Qt.Orientation.Vertical)
        if area.height() < REVIEW_PANEL_SCREEN_LINES * self.fontMetrics().lineSpacing():
            self.review.hide()  # a low screen: the indicator grid keeps its rows
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
        self._recent_menu.aboutToShow.connect(self._fill_recent_menu)
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
        self._review_label.setToolTip("审核结果；菜单“视图 → 审核面板”显示或隐藏各条问题。")

    def _build_help_menu(self) -> None:
        menu = self.menuBar().addMenu("帮助(&H)")
        self.guide_action = self._add(
            menu, "使用说明(&U)", self._on_guide_triggered, QKeySequence.StandardKey.HelpContents
        )
        self.about_action = self._add(menu, "关于(&A)", lambda: AboutDialog(self).exec())

    def _fill_recent_menu(self) -> None:
        self._recent_menu.clear()
        for number, path in enumerate(self._settings.recent_files, start=1):
            action = self._recent_menu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _=False, p=path: self.files.open_path(Path(p)))
        if not self._settings.recent_files:
            self._recent_menu.addAction("（无）").setEnabled(False)

    # -- opening and showing --------------------------------------------------------------

    def show_document(self, document: Document) -> None:
        """Show ``document`` in the three tabs (closing the one shown before, unless the
        clerk keeps it for edits that could not be written; then ``document`` is closed)."""
        if not self.files.may_leave_document():
            document.close()
            return
        self.close_document()
        self.session = DocumentSession(document, self)
        self.session.saved.connect(self.mark_saved)
        self.session.failed.connect(self._say)  # a refused edit
        self.session.noted.connect(self._say)  # e.g. what a paste filled in
        self.session.write_failed.connect(self.show_edit_state)
        if not document.from_collection:  # a unit of a collection is no recent file
            self._settings.remember(document.path)
            save_settings(self._settings)
        with document.session() as s:
            names = documents.declaration_names(s)
            # the file's first unit, its projects' rows read when a project is shown
            declaration = documents.load_declaration(s, project_rows=False)
        if declaration is None:
            self.prompter.error(
                "文件中没有绩效目标", f"“{document.path.name}”中没有任何单位的绩效目标。"
            )
            return
        self.session.declaration_uuid = declaration.uuid
        remember_opened(document, declaration.uuid)  # suggested first from now on
        self.declaration_box.clear()
        for uuid, label in names:
            self.declaration_box.addItem(label, uuid)
        self.declaration_bar.setVisible(len(names) > 1)
        self.undo_group.addStack(self.session.undo_stack)
        self.undo_group.setActiveStack(self.session.undo_stack)
        self.session.changed.connect(self._relabel_declaration)
        self._fill_tabs(declaration)
        self._saved_label.setText("已打开" if document.read_only is None else "只读")
        self._update_title()
        self.review.watch(self.session)
        self.after_painted(self.review.recheck)
        if not document.from_collection:  # the collection is the server's to back up
            self.after_painted(lambda: self.files.back_up_daily(document))
        self.after_painted(settle_memory)

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

    def _relabel_declaration(self, changes: Changes) -> None:
        """Keep the 单位 chooser's entry in step with the unit's code, name and year, and
        its list with the units a merge added (or its undo removed: the unit shown gone,
        the file's first is shown)."""
        if self.session is None:
            return
        units = [c for c in (*changes.inserted, *changes.removed) if c.row_type is Declaration]
        if units:
            self._list_declarations()
        if not any(change.row_type is Declaration for change in changes.fields):
            return
        uuid = self.session.declaration_uuid
        index = self.declaration_box.findData(uuid)
        fields = ("unit_code", "unit_name", "fiscal_year")
        label = documents.declaration_label(
            Declaration(**{f: self.session.read_field(Declaration, uuid, f) for f in fields})
        )
        self.declaration_box.setItemText(index, label)

    def _list_declarations(self) -> None:
        """Fill the 单位 chooser with the file's units again, the one shown selected."""
        assert self.session is not None
        with self.session.document.session() as s:
            names = documents.declaration_names(s)
        self.declaration_box.clear()
        for uuid, label in names:
            self.declaration_box.addItem(label, uuid)
        self.declaration_bar.setVisible(len(names) > 1)
        index = self.declaration_box.findData(self.session.declaration_uuid)
        if index >= 0:
            self.declaration_box.setCurrentIndex(index)
        elif names:
            self._on_declaration_chosen(0)

    def _on_declaration_chosen(self, index: int) -> None:
        """Show another declaration of the file (a file of 汇总 holds one per unit)."""
        if self.session is None or index < 0:
            return
        self.session.flush()
        self.session.declaration_uuid = self.declaration_box.itemData(index)
        self._fill_tabs(self.session.load_declaration(project_rows=False))
        self.review.recheck()
        self.after_painted(settle_memory)  # the unit shown before is garbage now

    def _fill_tabs(self, declaration: Declaration) -> None:
        assert self.session is not None
        self._clear_tabs()
        for title, editor in zip(
            TAB_TITLES,
            (
                OverviewEditor(self.session, declaration),
                ItemTargetsEditor(self.session, declaration),
                BudgetProjectsEditor(self.session, declaration),
            ),
            strict=True,
        ):
            self.tabs.addTab(editor, title)
        self.show_edit_state()

    def show_edit_state(self) -> None:
        """Banner and editors follow whether the document can be edited now (read-only
        file, lock held elsewhere, or a write that failed)."""
        session = self.session
        reason = None if session is None else session.read_only_reason()
        if session is not None and reason is not None and session.unsaved:
            reason += (
                f"\n您刚才的 {len(session.unsaved)} 处修改没有丢失，仍保留在程序中："
                "请点“另存为…”把文件连同这些修改保存到其他位置（例如“文档”文件夹）。"
            )
        holder = None if session is None else session.document.lock_holder
        self.banner.show_state(
            reason,
            can_take_over=holder is not None and not holder.on_this_computer(),
            can_retry=session is not None and session.fault is not None
            and session.document.read_only is None,
        )  # fmt: skip
        for index in range(self.tabs.count()):
            if (editor := self.tabs.widget(index)) is not None:
                set_editors_read_only(editor, reason is not None)
        for action in self._document_actions:
            action.setEnabled(session is not None)
        explains = (
            session is not None
            and session.fault is None
            and (reason is None or session.document.explains_read_only)
        )  # a collection's unit shown read-only still takes the reviewers' explanations
        self.review.explain_button.setEnabled(explains)
        self.merge_action.setEnabled(
            session is not None and reason is None and not session.document.from_collection
        )
        if reason is not None and session is not None and session.fault is not None:
            self._saved_label.setText("未能保存")

    def reload(self) -> None:
        """Show the file's content again (after a lock was taken over or a retry)."""
        assert self.session is not None
        self._fill_tabs(self.session.load_declaration(project_rows=False))

    def _clear_tabs(self) -> None:
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def close_document(self) -> None:
        """Close the file shown (its typing committed, its lock given back); no questions."""
        if self.session is None:
            return
        self.session.flush()
        self.review.watch(None)
        self._clear_tabs()
        self.undo_group.removeStack(self.session.undo_stack)
        self.session.document.close()
        self.session.deleteLater()
        self.session = None
        gc.unfreeze()  # what the document left can be collected (settle_memory)
        self.show_edit_state()

    def _update_title(self) -> None:
        title = "绩效目标填报"
        if self.session is not None:
            title = f"{self.session.document.path.name} — {title}"
        self.setWindowTitle(title)

    def jump_to(self, location: Location) -> None:
        """Show the tab, row and field or grid cell of a review finding, and select it."""
        if self.session is None:
            return
        tab = {"declaration": 0, "key_task": 0, "item_target": 1, "item_target_statement": 1}
        index = tab.get(location.table, 2)
        self.tabs.setCurrentIndex(index)
        editor = self.tabs.widget(index)
        if isinstance(editor, (OverviewEditor, ItemTargetsEditor, BudgetProjectsEditor)):
            editor.select(location)

    # -- menu handlers ----------------------------------------------------------------------

    def _on_open_collection_triggered(self) -> None:
        from desktop.ui.collection import open_collection_in_window

        open_collection_in_window(self)

    def _on_guide_triggered(self) -> None:
        if self._guide is None:
            self._guide = UserGuideDialog(self)
        self._guide.show()
        self._guide.raise_()

    # -- printing ---------------------------------------------------------------------------

    # -- Excel ----------------------------------------------------------------------------

    # -- Word -----------------------------------------------------------------------------

    # -- session feedback -------------------------------------------------------------------
    def _show_fingerprint(self) -> None:
        short = self.review.fingerprint
        self._fingerprint_label.setText(f"指纹 {short}" if short else "")

    def mark_saved(self) -> None:
        """The status line after a write: 已自动保存 with the time, no refusal left."""
        self.statusBar().clearMessage()  # an earlier refusal is no longer current
        self._saved_label.setText(f"已自动保存 {dt.datetime.now():%H:%M:%S}")

    def show_saved(self, text: str) -> None:
        """The status line's saved-when part (已保存 12:03:04)."""
        self._saved_label.setText(text)

    def _say(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def flush(self) -> None:
        """Commit any typing still waiting for its delay (the program is about to end)."""
        if self.session is not None:
            self.session.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.may_leave_document():
            event.ignore()
            return
        QSettings("jixiao", "jixiao").setValue("main_window/geometry", self.saveGeometry())
        self.close_document()
        super().closeEvent(event)


def settle_memory() -> None:
    """Collect what the previous document or unit left behind, then freeze the objects
    alive now (``gc.freeze``: Python's collector no longer walks them).

    Why: the window holds a unit's rows, widgets and Qt wrappers, 100,000 objects and
    more; each full collection walked them all, and collections come often while rows are
    loaded (a re-check of a county's unit spent half its time there: docs/benchmarks.md).
    Done once the data is shown (``after_painted``); ``close_document`` unfreezes, and
    each new unit or file is settled again, so nothing stays frozen after it is let go.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
