"""The open document's view: the read-only banner, the 单位 chooser and the three editor tabs
over the ``DocumentSession``, and the 审核 panel's wiring (jump to a finding).

The window (main_window.py) places it, docks its ``review`` panel and keeps the menus and
the status line; it learns of the view's state by ``filled`` and ``declaration_switched``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoGroup
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.models import Declaration
from desktop.review import Location
from desktop.services import documents
from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError
from desktop.ui.banner import ReadOnlyBanner, set_editors_read_only
from desktop.ui.binding import DocumentSession
from desktop.ui.editors import BudgetProjectsEditor, ItemTargetsEditor, OverviewEditor
from desktop.ui.library import remember_opened
from desktop.ui.review_dock import ReviewDock

if TYPE_CHECKING:
    from desktop.services.editing import Changes

TAB_TITLES = ("部门整体", "分项目标", "项目绩效目标表")


class DocumentView(QWidget):
    """The banner, the 单位 chooser and the tabs of the document shown (or none), with its
    ``session`` and the 审核 panel ``review`` (a dock the window places).

    Signals: ``filled()`` after the tabs were filled with a unit (the window updates its
    commands); ``declaration_switched()`` after the clerk chose another unit of the file.
    """

    filled = Signal()
    declaration_switched = Signal()

    def __init__(self, undo_group: QUndoGroup, parent: QWidget | None = None) -> None:
        """``undo_group``: the window's, which gets the shown document's undo stack."""
        super().__init__(parent)
        self.session: DocumentSession | None = None
        #: asked before another unit of the file is shown (its rows checked while the
        #: rest of a big file is: ``RestCheck.may_show_unit``); False keeps it from it
        self.may_show_unit: Callable[[str], bool] = lambda _uuid: True
        self._undo_group = undo_group
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.banner = ReadOnlyBanner()
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.declaration_bar)
        layout.addWidget(self.tabs)
        self.review = ReviewDock(self)
        self.review.location_activated.connect(self.jump_to)

    def open(self, document: Document) -> DocumentSession:
        """A session over ``document``, the view's from now on (``show_first_declaration``
        shows it; the one shown before must be closed first)."""
        self.session = DocumentSession(document, self)
        return self.session

    def show_first_declaration(self) -> bool:
        """Show the file's first unit in the tabs (its projects' rows read when a project is
        shown) and list its units; False when the file holds none."""
        assert self.session is not None
        document = self.session.document
        with document.session() as s:
            names = documents.declaration_names(s)
            declaration = documents.load_declaration(s, project_rows=False)
        if declaration is None:
            return False
        self.session.declaration_uuid = declaration.uuid
        self.declaration_box.clear()
        for uuid, label in names:
            self.declaration_box.addItem(label, uuid)
        self.declaration_bar.setVisible(len(names) > 1)
        self._undo_group.addStack(self.session.undo_stack)
        self._undo_group.setActiveStack(self.session.undo_stack)
        self.session.changed.connect(self._relabel_declaration)
        self._fill_tabs(declaration)
        self.review.watch(self.session)
        return True

    def remember_indicators(self, document: Document, declaration_uuid: str) -> None:
        """The unit's indicators suggested first in the 指标库 from now on (reads the unit:
        after the first paint), when ``document`` is still the one shown."""
        if self.session is not None and self.session.document is document:
            remember_opened(document, declaration_uuid)

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
        try:
            values = {f: self.session.read_field(Declaration, uuid, f) for f in fields}
        except DocumentFileError:  # an edit kept in memory, the file or server gone: the
            return  # banner says so; the label follows at the next read
        self.declaration_box.setItemText(index, documents.declaration_label(Declaration(**values)))

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
        uuid = self.declaration_box.itemData(index)
        if not self.may_show_unit(uuid):  # refused: the file is closed
            return
        self.session.declaration_uuid = uuid
        self._fill_tabs(self.session.load_declaration(project_rows=False))
        self.review.recheck()
        self.declaration_switched.emit()  # the unit shown before is garbage now

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
        self.filled.emit()

    def show_edit_state(self) -> str | None:
        """Banner, editors and the 审核 panel's 填写说明 follow whether the document can be
        edited now (read-only file, lock held elsewhere, or a write that failed); returns
        why it cannot (Chinese), None when it can or none is shown."""
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
            # a copy would need the whole file checked: the bar lifts by itself
            can_save_copy=session is None or not session.document.checking,
        )  # fmt: skip
        for index in range(self.tabs.count()):
            if (editor := self.tabs.widget(index)) is not None:
                set_editors_read_only(editor, reason is not None)
        explains = (
            session is not None
            and session.fault is None
            and (reason is None or session.document.explains_read_only)
        )  # a collection's unit shown read-only still takes the reviewers' explanations
        self.review.explain_button.setEnabled(explains)
        return reason

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
        self._undo_group.removeStack(self.session.undo_stack)
        self.session.document.close()
        self.session.deleteLater()
        self.session = None
        gc.unfreeze()  # what the document left can be collected (settle_memory)

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


def settle_memory() -> None:
    """Collect what the previous document or unit left behind, then freeze the objects
    alive now (``gc.freeze``: Python's collector no longer walks them).

    Why: the window holds a unit's rows, widgets and Qt wrappers, 100,000 objects and
    more; each full collection walked them all, and collections come often while rows are
    loaded (a re-check of a county's unit spent half its time there: docs/benchmarks.md).
    Done once the data is shown (``MainWindow.after_painted``); ``close_document``
    unfreezes, and each new unit or file is settled again, so nothing stays frozen after it
    is let go.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
