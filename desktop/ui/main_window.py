"""The main window: menus 文件, 编辑, 帮助; the three editor tabs; the status line (saved when)."""

from __future__ import annotations

import datetime as dt
import enum
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Declaration
from desktop.review import Location
from desktop.services import documents, reviewing
from desktop.settings import Settings, save_settings
from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError
from desktop.ui.banner import ReadOnlyBanner, set_editors_read_only
from desktop.ui.binding import DocumentSession
from desktop.ui.controllers.files import FileController
from desktop.ui.controllers.lock import LockController
from desktop.ui.editors import BudgetProjectsEditor, ItemTargetsEditor, OverviewEditor
from desktop.ui.help import AboutDialog, UserGuideDialog
from desktop.ui.library import remember_opened
from desktop.ui.prompter import Prompter, QtPrompter
from desktop.ui.review_dock import ReviewDock
from desktop.ui.screens import available_area, fit_to_screen

if TYPE_CHECKING:
    from desktop.reports.pdf import PrintOptions
    from desktop.services.editing import Changes
    from desktop.services.excel import IndicatorList

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
DOCX_FILTER = "Word 文档 (*.docx)"
TAB_TITLES = ("部门整体", "分项目标", "项目绩效目标表")
#: The 审核 panel opens closed on a screen whose available height is less than this many
#: lines of text (1366×768 at 200%: 384 logical pixels, 20 lines): below the tabs it would
#: leave the indicator grid fewer than ``GRID_ROWS_SHOWN`` rows. 视图 → 审核面板 opens it.
REVIEW_PANEL_SCREEN_LINES = 24


class FilesStep(enum.Enum):
    """The 文件 menu's steps over other files, carried out by desktop/ui/merging.py."""

    MERGE = enum.auto()  # 合并其他单位文件
    COMPARE = enum.auto()  # 比较
    SUMMARY = enum.auto()  # 汇总表


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
        self._options: PrintOptions | None = None
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
    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        for text, shortcut, handler in (
            ("新建(&N)…", QKeySequence.StandardKey.New, self.files.new),
            ("打开(&O)…", QKeySequence.StandardKey.Open, self.files.open),
        ):
            action = QAction(text, self, shortcut=shortcut)
            action.triggered.connect(handler)
            menu.addAction(action)
        open_collection = QAction("打开汇总库(&K)…", self)  # a bureau's PostgreSQL collection
        open_collection.triggered.connect(self._on_open_collection_triggered)
        menu.addAction(open_collection)
        menu.addMenu(self._recent_menu)
        #: commands about the open file: off while none is open
        self._document_actions: list[QAction] = []
        restore = QAction("恢复备份(&B)…", self)
        restore.triggered.connect(self.files.restore)
        menu.addAction(restore)
        roll_over = QAction("从上年复制(&Y)…", self)
        roll_over.triggered.connect(self.files.roll_over)
        menu.addAction(roll_over)
        self._document_actions += [restore, roll_over]
        for text, step in (
            ("合并其他单位文件(&M)…", FilesStep.MERGE),
            ("比较(&C)…", FilesStep.COMPARE),
            ("汇总表(&T)…", FilesStep.SUMMARY),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, step=step: self._on_files_step(step))
            menu.addAction(action)
            self._document_actions.append(action)
            if step is FilesStep.MERGE:
                self.merge_action = action  # writes into the open file: off while read-only
        self._recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        # every edit is written at once; Ctrl+S (the habit of Word and WPS users) says so
        self.save_action = QAction("保存(&S)", self, shortcut=QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self.files.save_now)
        menu.addAction(self.save_action)
        self._document_actions.append(self.save_action)
        self.save_as_action = QAction("另存为(&A)…", self)
        self.save_as_action.setShortcuts([QKeySequence("F12"), QKeySequence("Ctrl+Shift+S")])
        self.save_as_action.triggered.connect(self.files.save_as_asked)
        menu.addAction(self.save_as_action)
        self._document_actions.append(self.save_as_action)
        menu.addSeparator()
        for text, shortcut, handler in (
            ("打印预览(&V)…", QKeySequence("Ctrl+Shift+P"), self._on_preview_triggered),
            ("打印(&P)…", QKeySequence("Ctrl+P"), self._on_print_triggered),
            ("导出PDF(&E)…", QKeySequence("Ctrl+E"), self._on_export_pdf_triggered),
        ):
            action = QAction(text, self, shortcut=shortcut)
            action.triggered.connect(handler)
            menu.addAction(action)
            self._document_actions.append(action)
        menu.addSeparator()
        for text, handler in (
            ("导出Excel(&L)…", self._on_export_xlsx_triggered),
            ("导入Excel(&I)…", self._on_import_xlsx_triggered),
        ):
            action = QAction(text, self)
            action.triggered.connect(handler)
            menu.addAction(action)
            self._document_actions.append(action)
        export_docx = QAction("导出Word(&W)…", self)
        export_docx.triggered.connect(self._on_export_docx_triggered)
        menu.addAction(export_docx)
        self._document_actions.append(export_docx)
        import_docx = QAction("从Word导入(&D)…", self)  # makes a new file: no document needed
        import_docx.triggered.connect(self._on_import_docx_triggered)
        menu.addAction(import_docx)
        menu.addSeparator()
        quit_action = QAction("退出(&X)", self)  # Qt gives Quit no key on Windows
        quit_action.setShortcuts([QKeySequence("Ctrl+Q"), QKeySequence("Alt+F4")])
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

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
        self.guide_action = QAction(
            "使用说明(&U)", self, shortcut=QKeySequence.StandardKey.HelpContents
        )
        self.guide_action.triggered.connect(self._on_guide_triggered)
        menu.addAction(self.guide_action)
        self.about_action = QAction("关于(&A)", self)
        self.about_action.triggered.connect(lambda: AboutDialog(self).exec())
        menu.addAction(self.about_action)

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
        self.session.failed.connect(self._on_session_failed)
        self.session.noted.connect(self._on_session_noted)
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
        """Keep the 单位 chooser's entry in step with the unit's code, name and year."""
        if self.session is None or not any(
            change.row_type is Declaration for change in changes.fields
        ):
            return
        uuid = self.session.declaration_uuid
        index = self.declaration_box.findData(uuid)
        fields = ("unit_code", "unit_name", "fiscal_year")
        label = documents.declaration_label(
            Declaration(**{f: self.session.read_field(Declaration, uuid, f) for f in fields})
        )
        self.declaration_box.setItemText(index, label)

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
            set_editors_read_only(self.tabs.widget(index), reason is not None)
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
            widget.setParent(None)  # type: ignore[call-overload]
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
        if isinstance(editor, (ItemTargetsEditor, BudgetProjectsEditor)):
            editor.select(location)
        elif isinstance(editor, OverviewEditor):
            target = editor.widget_name(location)
            widget = self.findChild(QWidget, target) if target else None
            if widget is not None:
                widget.setFocus()
                if isinstance(editor, QScrollArea):
                    editor.ensureWidgetVisible(widget)

    # -- menu handlers ----------------------------------------------------------------------

    def _on_files_step(self, step: FilesStep) -> None:
        """合并 / 比较 / 汇总表: the steps of desktop/ui/merging.py (imported when first used)."""
        from desktop.ui import merging

        if step is FilesStep.MERGE:
            merging.merge_into_window(self)
        elif step is FilesStep.COMPARE:
            merging.compare_in_window(self)
        else:
            merging.show_summary(self)

    def _on_open_collection_triggered(self) -> None:
        from desktop.ui.collection import open_collection_in_window

        open_collection_in_window(self)

    def _on_guide_triggered(self) -> None:
        if self._guide is None:
            self._guide = UserGuideDialog(self)
        self._guide.show()
        self._guide.raise_()

    # -- printing ---------------------------------------------------------------------------
    def _print_options(self, ask: bool) -> PrintOptions | None:
        """The print options: the remembered ones, or (``ask``) those set in 打印设置.

        None when the clerk cancels.
        """
        from desktop.ui.printing import (
            PrintOptionsDialog,
            options_from_settings,
            options_to_settings,
        )

        options = self._options or options_from_settings(self._settings.print_options)
        if ask:
            assert self.session is not None
            shown = self.session.load_declaration(project_rows=False)  # names only
            dialog = PrintOptionsDialog(shown, options, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            options = dialog.options()
            self._settings.print_options = options_to_settings(options)
            save_settings(self._settings)
        self._options = options
        return options

    def write_pdf(self, path: Path, options: PrintOptions, *, record: bool = True) -> int | None:
        """Build the open document's PDF at ``path`` off the GUI thread; pages, or None
        after telling the clerk (in Chinese) why it failed."""
        from desktop.reports.pdf import PrintError
        from desktop.services.printing import print_document
        from desktop.ui.printing import run_with_progress

        assert self.session is not None
        self.session.flush()
        document = self.session.document
        try:
            return run_with_progress(
                self,
                "正在生成 PDF…",
                lambda: print_document(document, path, options=options, record=record),
            )
        except DocumentFileError as exc:
            self.prompter.error("生成PDF失败", exc.message)
        except PrintError as exc:
            self.prompter.error("生成PDF失败", str(exc))
        return None

    def _on_export_pdf_triggered(self) -> None:
        if not self.may_output_pending_input("导出", footers=True):
            return
        if self.session is None or (options := self._print_options(ask=True)) is None:
            return
        suggested = self.session.document.path.with_suffix(".pdf").name
        path = self.files.ask_file("导出PDF", "PDF 文件 (*.pdf)", save=True, suggested=suggested)
        if path is not None:
            self.export_pdf(path.with_suffix(".pdf"), options)

    def export_pdf(self, path: Path, options: PrintOptions | None = None) -> bool:
        """Print the open document to the PDF ``path``; errors are shown, never raised."""
        from desktop.reports.pdf import PrintOptions

        pages = self.write_pdf(path, options or PrintOptions())
        if pages is None:
            return False
        self.statusBar().showMessage(f"已导出 PDF（{pages} 页）：{path}", 10000)
        return True

    # -- Excel ----------------------------------------------------------------------------
    def _on_export_xlsx_triggered(self) -> None:
        if self.session is None or not self.may_output_pending_input("导出"):
            return
        suggested = self.session.document.path.with_suffix(".xlsx").name
        path = self.files.ask_file("导出Excel", XLSX_FILTER, save=True, suggested=suggested)
        if path is not None:
            self.export_xlsx(path.with_suffix(".xlsx"))

    def export_xlsx(self, path: Path) -> bool:
        """Write the open declaration to the workbook ``path``; errors are shown, not raised."""
        from desktop.services.excel import export_workbook
        from desktop.ui.printing import run_with_progress

        assert self.session is not None
        self.session.flush()
        document = self.session.document
        try:
            uuid = self.session.declaration_uuid
            sheets = run_with_progress(
                self,
                "正在导出 Excel…",
                lambda: export_workbook(document, path, declaration_uuid=uuid),
            )
        except DocumentFileError as exc:
            self.prompter.error("导出Excel失败", exc.message)
            return False
        self.statusBar().showMessage(f"已导出 Excel（{sheets} 张工作表）：{path}", 10000)
        return True

    def _on_import_xlsx_triggered(self) -> None:
        path = self.files.ask_file("导入Excel", XLSX_FILTER)
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
            content = run_with_progress(self, "正在读取 Excel…", lambda: excel.read_workbook(path))
        except excel.WorkbookError as exc:
            self.prompter.error("无法导入Excel", exc.message)
            return False
        is_list = isinstance(content, excel.IndicatorList)
        if is_list and self.session is None:
            self.prompter.error(
                "无法导入Excel",
                "这是指标清单，需要追加到已打开文件的预算项目中。请先打开或新建文件。",
            )
            return False
        if is_list and self.session is not None and self.session.refuses_edits():
            return False  # the status bar and the banner say why (read-only, lock, fault)
        projects = (
            excel.budget_project_choices(self.session.document, self.session.declaration_uuid)
            if self.session
            else []
        )
        blank = frozenset(
            uuid
            for uuid, _ in projects
            if self.session and excel.has_only_blank_indicators(self.session.document, uuid)
        )
        dialog = ImportPreviewDialog(content, projects, self, blank)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if isinstance(content, excel.IndicatorList):
            project = dialog.chosen_project()
            assert self.session is not None and project is not None
            return self._import_indicators(project, content, dialog.replace_box.isChecked())
        new_path = self.files.ask_new_path("导入Excel：保存为新的绩效目标文件")
        if new_path is None:
            return False
        try:
            document = excel.create_from_workbook(content, new_path)
        except DocumentFileError as exc:
            self.prompter.error("无法建立文件", exc.message)
            return False
        self.show_document(document)
        return True

    # -- Word -----------------------------------------------------------------------------
    def _on_export_docx_triggered(self) -> None:
        if self.session is None or not self.may_output_pending_input("导出"):
            return
        suggested = self.session.document.path.with_suffix(".docx").name
        path = self.files.ask_file("导出Word", DOCX_FILTER, save=True, suggested=suggested)
        if path is not None:
            self.export_docx(path.with_suffix(".docx"))

    def export_docx(self, path: Path) -> bool:
        """Write the open declaration to the .docx ``path``; errors are shown, not raised."""
        from desktop.services.word import export_docx
        from desktop.ui.printing import run_with_progress

        assert self.session is not None
        self.session.flush()
        document = self.session.document
        try:
            uuid = self.session.declaration_uuid
            tables = run_with_progress(
                self, "正在导出 Word…", lambda: export_docx(document, path, declaration_uuid=uuid)
            )
        except DocumentFileError as exc:
            self.prompter.error("导出Word失败", exc.message)
            return False
        self.statusBar().showMessage(f"已导出 Word（{tables} 个项目表）：{path}", 10000)
        return True

    def _on_import_docx_triggered(self) -> None:
        path = self.files.ask_file("从Word导入", DOCX_FILTER)
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
            content = run_with_progress(self, "正在读取 Word…", lambda: word.read_docx(path))
        except word.WordError as exc:
            self.prompter.error("无法从Word导入", exc.message)
            return False
        if WordImportPreviewDialog(content, self).exec() != QDialog.DialogCode.Accepted:
            return False
        new_path = self.files.ask_new_path(
            "从Word导入：保存为新的绩效目标文件", f"{path.stem}.jxdb"
        )
        if new_path is None:
            return False
        try:
            document = word.create_from_docx(content, new_path)
        except DocumentFileError as exc:
            self.prompter.error("无法建立文件", exc.message)
            return False
        self.show_document(document)
        return True

    def _import_indicators(self, project: str, content: IndicatorList, replace: bool) -> bool:
        """Put an indicator list into a budget project, each row with the rows of its
        一级指标, or (``replace``) instead of them: one undo step, through the service
        ``jixiao import-xlsx --into`` calls (``excel.append_indicators``)."""
        from desktop.services import excel

        assert self.session is not None
        if replace:
            try:
                excel.refuse_doubtful_replace(content)
            except excel.WorkbookError as exc:
                self.prompter.error("未导入", exc.message)
                return False
        label = f"导入Excel指标 {len(content.indicators)} 条" + (
            "（替换原有指标）" if replace else ""
        )
        refused: list[str] = []
        self.session.failed.connect(refused.append)
        try:
            done = self.session.change(label, lambda document: excel.append_indicators(
                document, budget_project_uuid=project, indicators=content, replace=replace
            ))  # fmt: skip
        finally:
            self.session.failed.disconnect(refused.append)
        if refused:
            self.prompter.error("未导入", refused[-1])
        return done and not refused

    def _on_print_triggered(self) -> None:
        if not self.may_output_pending_input("打印", footers=True):
            return
        if self.session is None or (options := self._print_options(ask=True)) is None:
            return
        self.print_to_printer(options)

    def print_to_printer(self, options: PrintOptions) -> bool:
        """Make the PDF, ask for a printer (the dialog knows the page count) and print the
        same pages on A4; True when sent. The print is recorded in the file only then."""
        from desktop.ui.printing import ask_printer, print_pdf, set_a4, temporary_pdf

        pdf = temporary_pdf()
        try:
            pages = self.write_pdf(pdf, options, record=False)
            if pages is None or (printer := ask_printer(self, pages)) is None:
                return False
            warning = set_a4(printer)  # also when another paper was chosen in the dialog
            if warning is not None:
                answer = QMessageBox.warning(
                    self, "没有 A4 纸", warning + "\n\n是否仍然打印？",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )  # fmt: skip
                if answer != QMessageBox.StandardButton.Yes:
                    return False
            if self.write_pdf(pdf, options) is None:  # the same pages, now recorded
                return False
            try:
                sent = print_pdf(pdf, printer)
            except (RuntimeError, OSError) as exc:
                self.prompter.error("打印失败", str(exc))
                return False
        finally:
            pdf.unlink(missing_ok=True)
        self.statusBar().showMessage(f"已送打印机 {sent} 页（A4）。", 10000)
        return True

    def _on_preview_triggered(self) -> None:
        from desktop.ui.printing import PreviewDialog, temporary_pdf

        if not self.may_output_pending_input("打印"):
            return
        if self.session is None or (options := self._print_options(ask=False)) is None:
            return
        pdf = temporary_pdf()
        try:
            if self.write_pdf(pdf, options, record=False) is None:
                return
            errors = reviewing.printed_error_count(self.session.document)
            preview = PreviewDialog(pdf, self, review_errors=errors)

            def change_options() -> None:
                new = self._print_options(ask=True)
                if new is not None and self.write_pdf(pdf, new, record=False) is not None:
                    preview.show_pdf(pdf)

            preview.options_requested.connect(change_options)
            preview.print_requested.connect(lambda: self.print_to_printer(self._options))
            preview.export_requested.connect(self._on_export_from_preview)
            preview.exec()
        finally:
            pdf.unlink(missing_ok=True)

    def may_output_pending_input(self, output: str, footers: bool = False) -> bool:
        """Before printing, previewing or exporting (``output``: 打印, 导出): name each
        refused input kept in the file — what comes out is the stored value — and, with
        ``footers`` (打印, 导出PDF: pages stamped 审核未通过), the 错误 the footers will
        count (``reviewing.printed_errors_sentence``, as the preview says it); one
        question whether to go on. True when there is nothing to say or the clerk goes on."""
        from desktop.services import reviewing
        from desktop.services.pending import document_notes

        if self.session is None:
            return False
        focused = QApplication.focusWidget()
        viewport = focused.parentWidget() if focused is not None else None
        if viewport is not None and isinstance(viewport.parentWidget(), QAbstractItemView):
            focused.clearFocus()  # a grid cell being edited commits (or is refused) now
        self.session.flush()  # and typing in a field
        notes = document_notes(self.session.document, output)
        errors = reviewing.printed_error_count(self.session.document) if footers else 0
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
        answer = QMessageBox.question(
            self,
            "有未被接受的输入" if notes else "审核未通过",
            "\n\n".join(parts)
            + f"\n\n是否仍然{output}？选“否”返回修改（审核面板中双击可跳到该处）。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_export_from_preview(self) -> None:
        assert self.session is not None
        suggested = self.session.document.path.with_suffix(".pdf").name
        path = self.files.ask_file("导出PDF", "PDF 文件 (*.pdf)", save=True, suggested=suggested)
        if path is not None:
            self.export_pdf(path.with_suffix(".pdf"), self._options)

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

    def _on_session_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def _on_session_noted(self, message: str) -> None:
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
