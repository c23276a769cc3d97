"""The three editors of the main window: 部门整体, 分项目标, 项目绩效目标表.

Each editor shows one loaded ``Declaration`` and binds every widget to its field through
the ``DocumentSession``; none of them writes to the models or the file itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.base import SyncedRow
from desktop.models.indicator_fields import COMPARISONS, DIRECTIONS
from desktop.models.labels import (
    DISBURSEMENT_PLAN_LABEL,
    FIELD_LABELS,
    PRINTED_LABELS,
    PROJECT_LINK_LABEL,
    ROW_KINDS,
    SECTION_OVERALL,
    SECTION_SAFEGUARDS,
)
from desktop.models.stages import is_frozen
from desktop.models.values import MERGED_LABEL_FIELDS, fill_merged_labels
from desktop.models.vocabulary import (
    LEVEL2_BY_LEVEL1,
    PROFILES,
    merged_label_runs,
    profile_levels,
)
from desktop.reports.wording import budget_sentence, item_target_heading, printed_budget_sentence
from desktop.review import Location
from desktop.services import structure
from desktop.services.editing import Changes, RowChange, RowMove, RowNotFoundError
from desktop.ui.binding import DocumentSession, display_value
from desktop.ui.clipboard import read_block, write_block
from desktop.ui.commands import row_name
from desktop.ui.library import PICK_KEYS, add_library_actions, attach_completer, paint_value_hint
from desktop.ui.prompter import prompter_for
from desktop.ui.stage_fields import (
    STAGE_CHOICES,
    add_declaration_stage_fields,
    add_project_stage_fields,
    adjust_cell,
    freeze_project_header,
    indicator_columns,
)
from desktop.ui.table_models import IndicatorTableModel, RowsTableModel

INDICATOR_COLUMNS = ROW_KINDS[Indicator].columns()
STATEMENT_COLUMNS = ROW_KINDS[ItemTargetStatement].columns()
CHECKPOINT_COLUMNS = ROW_KINDS[DisbursementCheckpoint].columns()


def _line(session: DocumentSession, row: SyncedRow, field: str, name: str) -> QLineEdit:
    widget = QLineEdit(display_value(getattr(row, field)))
    widget.setObjectName(name)
    widget.setCursorPosition(0)  # a long value narrower than it shows its start
    session.fields.bind_line_edit(widget, type(row), row.uuid, field)
    return widget


def _text(
    session: DocumentSession, row: SyncedRow, field: str, name: str, lines: int = 6
) -> QPlainTextEdit:
    widget = QPlainTextEdit(getattr(row, field))
    widget.setObjectName(name)
    widget.setTabChangesFocus(True)  # Tab goes to the next field, as in a form
    widget.setMinimumHeight(widget.fontMetrics().lineSpacing() * lines + 12)
    session.fields.bind_text_edit(widget, type(row), row.uuid, field)
    return widget


#: the index Qt's delegates and views are given: a cell's, or a kept one's
_Index = QModelIndex | QPersistentModelIndex


class CellTextEditor(QPlainTextEdit):
    """A grid cell's editor: the text wraps at the cell's width and the editor grows
    downwards to show all of it (up to ``MAX_LINES``, then it scrolls).

    Enter emits ``entered`` (the delegate commits and moves down, as in Excel); Alt+Enter
    (Excel's line break in a cell) or Shift+Enter starts a new line in the cell.
    """

    MAX_LINES = 8
    entered = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self._cell = QRect()
        self.textChanged.connect(self._fit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        completer = self.findChild(QCompleter)  # 三级指标: the library's names (ui/library.py)
        popup = completer.popup() if completer is not None else None
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab)
        if popup is not None and popup.isVisible() and event.key() in keys:
            event.ignore()  # the completer's popup takes it
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & (
                Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
            ):
                self.insertPlainText("\n")
            else:
                self.entered.emit()
            return
        super().keyPressEvent(event)

    def place(self, cell: QRect) -> None:
        """Cover ``cell`` (the cell's rectangle in the view's viewport), taller if needed."""
        self._cell = QRect(cell)
        self._fit()

    def _fit(self) -> None:
        if self._cell.isNull():
            return
        frame = self.contentsMargins()
        inset = 2 * self.document().documentMargin()
        metrics = self.fontMetrics()
        width = max(1, int(self._cell.width() - inset) - frame.left() - frame.right())
        text = metrics.boundingRect(  # the trailing space counts an empty last line
            QRect(0, 0, width, 1_000_000), Qt.TextFlag.TextWordWrap, self.toPlainText() + " "
        ).height()
        most = metrics.lineSpacing() * self.MAX_LINES
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if text > most
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff  # its width would wrap the text more
        )
        wanted = min(text, most) + int(inset) + frame.top() + frame.bottom() + 2
        parent = self.parentWidget()  # the grid's viewport (an editor always has one)
        room = (parent.height() if parent is not None else wanted) - self._cell.top()
        height = max(self._cell.height(), min(wanted, room))
        self.setGeometry(self._cell.x(), self._cell.y(), self._cell.width(), height)


class ExcelDelegate(QStyledItemDelegate):
    """Cells edited as in Excel: typing on a cell replaces its text, F2 or a double click
    edits it with the cursor at the end, Enter commits and moves to the cell below,
    Alt+Enter breaks the line (``CellTextEditor``), Tab commits and moves right, Esc
    cancels."""

    #: set by ``GridView.edit``: the editor opens for a key typed on the cell
    replace_on_open = False

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = CellTextEditor(parent)
        editor.entered.connect(lambda: self._enter(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        super().setEditorData(editor, index)
        if isinstance(editor, CellTextEditor) and self.replace_on_open:
            editor.selectAll()  # the key typed then replaces the text
        elif isinstance(editor, CellTextEditor):
            editor.moveCursor(QTextCursor.MoveOperation.End)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        if isinstance(editor, CellTextEditor):
            editor.place(option.rect)
        else:
            super().updateEditorGeometry(editor, option, index)

    def _enter(self, editor: CellTextEditor) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
        view = self.parent()
        if isinstance(view, QTableView):
            QTimer.singleShot(0, lambda: _move_down(view))


def _move_down(view: QTableView) -> None:
    current = view.currentIndex()
    below = current.siblingAtRow(current.row() + 1)
    if below.isValid() and view.state() != QAbstractItemView.State.EditingState:
        view.setCurrentIndex(below)


#: The indicator grid's fields picked from a list: "" first (none / the default).
_CHOICES = {"comparison": ("", *COMPARISONS), "direction": ("", *DIRECTIONS), **STAGE_CHOICES}


class OptionalColumns(QObject):
    """Whether the indicator grid shows its six structured columns (性质 … 分值), as the
    clerk chose in 视图 → 指标性质、分值等栏 (kept in QSettings; hidden at first).

    Decision: hidden unless asked for. Why: the 申报 form has no such columns, and on a
    1366×768 screen at 200% (or at 1920 and 150%) twelve columns cut the headers and wrap
    the 指标值; the later stages (监控, 自评) are where they are needed. Alternatives: always
    shown (the screen checks of tests/ui/test_screens.py failed), a second grid."""

    changed = Signal(bool)
    _KEY = "indicator_grid/structured_columns"

    @property
    def shown(self) -> bool:
        """Whether the columns are shown."""
        return bool(QSettings("jixiao", "jixiao").value(self._KEY, False, type=bool))

    def set_shown(self, shown: bool) -> None:
        """Show or hide the columns in every indicator grid, and remember it."""
        QSettings("jixiao", "jixiao").setValue(self._KEY, shown)
        self.changed.emit(shown)


#: The one switch of the indicator grids' structured columns.
OPTIONAL_COLUMNS = OptionalColumns()


class IndicatorDelegate(ExcelDelegate):
    """一级指标 and 二级指标 picked from the indicator profile, 计算符号, 指标方向 and the
    stages' closed lists (完成可能性, 偏差原因, 达成度) from their values (typing allowed
    too; a value outside a closed list is refused with its reason)."""

    #: returns the level-1 -> level-2 names of the declaration's current profile
    levels: Callable[[], dict[str, tuple[str, ...]]] = staticmethod(lambda: LEVEL2_BY_LEVEL1)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        if index.column() == 2:  # 三级指标 completes from the 指标库
            editor = super().createEditor(parent, option, index)
            assert isinstance(editor, CellTextEditor)
            level1, level2 = (index.sibling(index.row(), c).data() or "" for c in (0, 1))
            attach_completer(editor, level1, level2)
            return editor
        columns = getattr(index.model(), "columns", INDICATOR_COLUMNS)
        choices = _CHOICES.get(columns[index.column()][0])
        if index.column() not in (0, 1) and choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        levels = self.levels()
        if choices is not None:  # 计算符号, 指标方向: the form's values (typing allowed too)
            combo.addItems(list(choices))
        elif index.column() == 0:
            combo.addItems(list(levels))
        else:
            level1 = index.sibling(index.row(), 0).data() or ""
            combo.addItems(list(levels.get(level1, ())))

        def chosen() -> None:
            self.commitData.emit(combo)
            self.closeEditor.emit(combo)

        combo.activated.connect(chosen)
        keys = _DropDownKeys(combo)
        combo.installEventFilter(keys)
        line = combo.lineEdit()
        if line is not None:
            line.installEventFilter(keys)
        return combo

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        paint_value_hint(painter, option, index)  # an empty 指标值: the library's form


class _DropDownKeys(QObject):
    """Keys a drop-down uses (Alt+↓ / Alt+↑ / F4 open and close its list) go to it first,
    not to the grid's 上移/下移 shortcuts: a clerk opening the list must not move the row."""

    KEYS = (
        QKeySequence("Alt+Down"),
        QKeySequence("Alt+Up"),
        QKeySequence("F4"),
    )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(
                key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch for key in self.KEYS
            ):
                event.accept()  # the key press goes to the drop-down
                return True
        return False


class GridView(QTableView):
    """A grid that tells its ``ExcelDelegate`` how editing started (typing replaces).

    With ``share_columns_by_content`` its columns share the width by the length of their
    texts (``content_widths``), again whenever the grid's width changes.
    """

    share_columns_by_content = False
    #: headers are never cut: a grid too narrow for them scrolls sideways (the stages')
    scroll_when_narrow = False
    #: columns shown only while ``OPTIONAL_COLUMNS`` says so (the indicator grid's six
    #: structured fields)
    optional_columns: tuple[int, ...] = ()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.share_columns_by_content and event.size().width() != event.oldSize().width():
            self.share_width()

    def share_width(self) -> None:
        """Give the columns their widths by content (``content_widths``)."""
        widths = content_widths(self, self.viewport().width(), squeeze=not self.scroll_when_narrow)
        for column, width in enumerate(widths):
            if not self.isColumnHidden(column):
                self.setColumnWidth(column, width)

    def show_optional_columns(self, shown: bool) -> None:
        """Show or hide ``optional_columns``; the columns share the width again."""
        for column in self.optional_columns:
            self.setColumnHidden(column, not shown)
        if self.share_columns_by_content:
            self.share_width()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A press on a merged label cell makes current the row under the pointer, not
        the merged cell's top row (``merge_label_cells`` then splits it off)."""
        position = event.position().toPoint()
        row, column = self.rowAt(position.y()), self.columnAt(position.x())
        if row >= 0 and column >= 0 and self.indexAt(position).row() != row:
            self.setCurrentIndex(self.model().index(row, column))
        super().mousePressEvent(event)

    def edit(  # type: ignore[override]  # Qt's two overloads (public, and with a trigger) in one method
        self, index: _Index, trigger: Any = None, event: Any = None
    ) -> bool | None:
        if trigger is None:  # the public edit(index): as F2
            super().edit(index)
            return None
        delegate = self.itemDelegateForIndex(index)
        if isinstance(delegate, ExcelDelegate):
            delegate.replace_on_open = trigger == QAbstractItemView.EditTrigger.AnyKeyPressed
        return super().edit(index, trigger, event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Text an input method commits on a cell without composing first (Chinese
        punctuation, a 五笔 code that is complete): Qt opens the editor but drops the
        text, so put it in as a typed key would be."""
        if (
            self.state() == QAbstractItemView.State.EditingState
            or event.preeditString()
            or not event.commitString()
        ):
            super().inputMethodEvent(event)
            return
        if self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.AnyKeyPressed, None):
            editor = self.focusWidget()
            if isinstance(editor, CellTextEditor):
                editor.insertPlainText(event.commitString())
        event.accept()


#: the indicator grid shows at least this many one-line rows, whatever the screen
GRID_ROWS_SHOWN = 8
#: a column's text counts up to this many characters' width (longer text wraps)
LONGEST_LINE = 24


def one_line_row(view: QTableView) -> int:
    """Height in logical pixels that ``view`` gives a row whose cells hold one line: the
    style's item for one line of text (and the grid line), at least the row header's."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.text = "汉"
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
    item = view.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option, QSize(), view)
    return max(item.height() + int(view.showGrid()), view.verticalHeader().minimumSectionSize())


def grid_height(view: QTableView, rows: int) -> int:
    """Height in logical pixels of ``view`` showing its header and ``rows`` one-line rows."""
    header = view.horizontalHeader().sizeHint().height()
    return header + rows * one_line_row(view) + 2 * view.frameWidth()


def content_widths(view: QTableView, total: int, *, squeeze: bool = True) -> list[int]:
    """Column widths (logical pixels, summing to at most ``total``) by content: each
    column first gets its header's width, then what is left goes to the columns in
    proportion to how much more their longest text needs — a cell's longest line, at
    most ``LONGEST_LINE`` characters — so that short columns like 指标值 keep their values
    on one line while long descriptions wrap, and no header is cut while there is room
    for all of them. Narrower than the headers together: in proportion to the headers,
    or (``squeeze`` False: the grid scrolls sideways) each column at least its header's
    width or its text's up to 8 characters a line, whichever is wider (a 分值 or 得分 such
    as 16.67 is never cut; with room to spare the longer texts share it as above)."""
    model = view.model()
    metrics = view.fontMetrics()
    cap = metrics.horizontalAdvance("汉" * LONGEST_LINE)
    padding = metrics.horizontalAdvance("汉")  # the cell's margins and a little air
    heading = view.horizontalHeader()
    margin = heading.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, heading)
    floors, natural = [], []
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            floors.append(0)
            natural.append(0)
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        floor = heading.fontMetrics().horizontalAdvance(title) + 2 * margin + 2
        longest = 0
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data() or "")
            for line in text.splitlines():
                longest = max(longest, min(cap, metrics.horizontalAdvance(line)))
        floors.append(floor)
        natural.append(max(floor, longest + padding))
    spare = max(0, total - 1)
    if not squeeze:  # scrolls: each its header, its text up to 8 characters a line
        narrow = metrics.horizontalAdvance("汉" * 8) + padding
        floors = [max(f, min(n, narrow)) for f, n in zip(floors, natural, strict=True)]
        if sum(floors) >= spare:
            return floors
    if sum(floors) >= spare:  # too narrow even for the headers
        return [f * spare // max(1, sum(floors)) for f in floors]
    wanted = [n - f for n, f in zip(natural, floors, strict=True)]
    if sum(natural) >= spare:  # each column its header, the rest by what more it needs
        extra = spare - sum(floors)
        return [f + extra * w // max(1, sum(wanted)) for f, w in zip(floors, wanted, strict=True)]
    extra = spare - sum(natural)  # room to spare: to the columns of long text
    return [n + extra * n // max(1, sum(natural)) for n in natural]


def _table(model: RowsTableModel, name: str) -> GridView:
    view = GridView()
    view.setObjectName(name)
    view.setModel(model)
    model.setParent(view)
    view.setWordWrap(True)
    view.setAlternatingRowColors(False)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # wrapped text changes height with column width: fit rows again after columns change
    # (a table built in a hidden tab would otherwise keep rows sized for narrow columns)
    refit = QTimer(view, singleShot=True, interval=0)
    refit.timeout.connect(view.resizeRowsToContents)
    view.horizontalHeader().sectionResized.connect(lambda *_: refit.start())
    view.setItemDelegate(
        (IndicatorDelegate if model.row_type is Indicator else ExcelDelegate)(view)
    )
    model.rowsInserted.connect(lambda _, __, last: _follow_inserted(view, last))
    return view


def _follow_inserted(view: QTableView, row: int) -> None:
    """Make the (last) row just inserted current, in the column the clerk was in."""
    column = max(0, view.currentIndex().column())
    view.setCurrentIndex(view.model().index(row, column))


LEVEL_FIELDS = ("level1", "level2")


def add_row_actions(
    widget: QWidget,
    session: DocumentSession,
    row_type: type[SyncedRow],
    parent_uuid: str,
    current: Callable[[], tuple[int, str] | None],
    *,
    duplicate: bool = False,
) -> list[QAction]:
    """Insert/remove/move actions for the rows of a list or grid, as context menu entries
    and keyboard shortcuts of ``widget`` (and the returned actions, for buttons).

    ``current()`` gives the (0-based index, UUID) of the selected row, or None.
    Shortcuts: Ctrl+Shift+I insert above, Ctrl+I insert below, Ctrl+- delete,
    Alt+Up / Alt+Down move. A row inserted beside an indicator or statement takes its
    一级/二级指标, so that it joins the merged group instead of splitting it.
    """
    name = row_name(row_type)

    def insert(after: bool) -> None:
        commit_open_editor(widget)
        selected = current()
        index = 0 if selected is None else selected[0] + (1 if after else 0)
        values = None
        if selected is not None and row_type in (Indicator, ItemTargetStatement):
            values = {f: session.read_field(row_type, selected[1], f) for f in LEVEL_FIELDS}
        session.rows.insert_row(row_type, parent_uuid, index, text=f"插入{name}", values=values)

    def with_current(action: Callable[[str], None]) -> Callable[[], None]:
        def run() -> None:
            commit_open_editor(widget)
            selected = current()
            if selected is not None:
                action(selected[1])

        return run

    entries: list[tuple[str, str, Callable[[], None]]] = [
        (f"在上方插入{name}", "Ctrl+Shift+I", lambda: insert(False)),
        (f"在下方插入{name}", "Ctrl+I", lambda: insert(True)),
    ]
    if duplicate:
        entries.append(
            (f"复制{name}", "", with_current(lambda u: session.rows.duplicate_row(row_type, u)))
        )
    entries += [
        (f"删除{name}", "Ctrl+-", with_current(lambda u: session.rows.remove_row(row_type, u))),
        ("上移", "Alt+Up", with_current(lambda u: session.rows.move_row(row_type, u, -1))),
        ("下移", "Alt+Down", with_current(lambda u: session.rows.move_row(row_type, u, 1))),
    ]
    actions = []
    for text, keys, handler in entries:
        action = QAction(text, widget)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(handler)
        widget.addAction(action)
        actions.append(action)
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return actions


def commit_open_editor(view: QWidget) -> None:
    """Store what is typed in ``view``'s open cell editor (as Enter would) before a row
    command changes the rows under it: moving a row with the editor open lost the text."""
    if not isinstance(view, QAbstractItemView):
        return
    if view.state() != QAbstractItemView.State.EditingState:
        return
    editor = QApplication.focusWidget()
    while editor is not None and editor.parentWidget() is not view.viewport():
        editor = editor.parentWidget()
    delegate = view.itemDelegateForIndex(view.currentIndex())
    if editor is not None and delegate is not None:
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)


#: how long a refusal stays shown at the grid (ms); the status line keeps it longer
REFUSAL_SHOWN_MS = 15000


def said_at_grid(view: QTableView, session: DocumentSession, action: Callable[[], bool]) -> bool:
    """Run ``action`` (an edit of the grid ``view``); a refusal it causes (``failed``: a
    paste too wide, a value that does not parse, a read-only file) is also shown as a
    balloon at the grid's current cell, where the clerk looks, not only in the status
    line. Returns what ``action`` returns."""
    said: list[str] = []

    def hear(message: str) -> None:
        said.append(message)

    session.failed.connect(hear)
    try:
        done = action()
    finally:
        session.failed.disconnect(hear)
    if said:
        cell = view.visualRect(view.currentIndex())
        if not cell.isValid() or not view.viewport().rect().intersects(cell):
            cell = view.viewport().rect()
        at = view.viewport().mapToGlobal(cell.bottomLeft())
        QToolTip.showText(at, said[-1], view.viewport(), cell, REFUSAL_SHOWN_MS)
    return done


def add_clipboard_actions(
    view: QTableView, session: DocumentSession, row_type: type[SyncedRow], parent_uuid: str
) -> None:
    """Ctrl+C copies the selected rectangle for Excel/WPS; Ctrl+V pastes a block at the
    top-left selected cell, adding rows as needed; Delete empties the selected cells, as
    in Excel (each one undo step, all or nothing)."""
    model = view.model()
    assert isinstance(model, RowsTableModel)

    def copy() -> None:
        area = _selected_area(view)
        if area is not None:
            top, left, bottom, right = area
            columns = [c for c in range(left, right + 1) if not view.isColumnHidden(c)]
            block = [
                [str(model.index(r, c).data() or "") for c in columns]
                for r in range(top, bottom + 1)
            ]
            QApplication.clipboard().setMimeData(write_block(block))

    def paste() -> None:
        block = read_block(QApplication.clipboard().mimeData())
        area = _selected_area(view)
        top, left = (area[0], area[1]) if area else (model.rowCount(), 0)
        fields = _shown_fields(view, model, left, len(model.columns) - 1)
        uuids = [model.row_uuid(r) for r in range(top, model.rowCount())]
        above = None
        if top > 0:
            names = [field for field, _ in model.columns if field in MERGED_LABEL_FIELDS]
            above = {field: str(model.value(top - 1, field) or "") for field in names}
        block, filled = fill_merged_labels(block, fields, above)
        rows = model.rowCount()
        if (
            said_at_grid(view, session, lambda: session.rows.paste_block(
                row_type, parent_uuid, uuids, fields, block, rows
            ))
            and filled
        ):  # fmt: skip
            session.noted.emit(
                f"粘贴的表格有合并单元格：{filled} 个空白的一级指标/二级指标已填上方的名称"
                "（与纸面上合并单元格的意思相同）。不需要时请撤销（Ctrl+Z）。"
            )

    def clear() -> None:
        area = _selected_area(view)
        if area is None:
            return
        top, left, bottom, right = area
        fields = _shown_fields(view, model, left, right)
        uuids = [model.row_uuid(r) for r in range(top, bottom + 1)]
        cells = len(fields) * len(uuids)
        block = [[""] * len(fields) for _ in uuids]
        label = f"清除 {cells} 个单元格"
        rows = model.rowCount()
        said_at_grid(
            view,
            session,
            lambda: session.rows.paste_block(
                row_type, parent_uuid, uuids, fields, block, rows, label
            ),
        )

    for text, keys, handler in (
        ("复制", QKeySequence.StandardKey.Copy, copy),
        ("粘贴", QKeySequence.StandardKey.Paste, paste),
        ("清除内容", QKeySequence.StandardKey.Delete, clear),
    ):
        action = QAction(text, view)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(handler)
        view.addAction(action)


def _shown_fields(view: QTableView, model: RowsTableModel, left: int, right: int) -> list[str]:
    """The fields of the columns ``left``…``right`` that are shown (a paste, a copy and
    Delete skip hidden columns, as the clerk sees the grid)."""
    return [
        field
        for column, (field, _) in enumerate(model.columns)
        if left <= column <= right and not view.isColumnHidden(column)
    ]


def _selected_area(view: QTableView) -> tuple[int, int, int, int] | None:
    """The selected cells' rectangle (top, left, bottom, right rows and columns), or the
    current cell's; None when there is neither."""
    indexes = view.selectionModel().selectedIndexes() or [view.currentIndex()]
    indexes = [i for i in indexes if i.isValid()]
    if not indexes:
        return None
    rows = [i.row() for i in indexes]
    columns = [i.column() for i in indexes]
    return min(rows), min(columns), max(rows), max(columns)


def _view_current(view: QTableView) -> Callable[[], tuple[int, str] | None]:
    def current() -> tuple[int, str] | None:
        index = view.currentIndex()
        model = view.model()
        if not index.isValid() or not isinstance(model, RowsTableModel):
            return None
        return index.row(), model.row_uuid(index.row())

    return current


@dataclass
class _TaskRows:
    """The widgets of one key task in the 部门整体 form."""

    title_label: QLabel
    title_row: QWidget
    title: QLineEdit
    body_label: QLabel
    body: QPlainTextEdit
    buttons: list[QPushButton]


class OverviewEditor(QScrollArea):
    """部门整体: unit, year, total budget, overall target, key tasks, safeguard measures."""

    def __init__(self, session: DocumentSession, declaration: Declaration) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        label = FIELD_LABELS[Declaration]
        form.addRow(label["unit_code"], _line(session, declaration, "unit_code", "unit_code"))
        form.addRow(label["unit_name"], _line(session, declaration, "unit_name", "unit_name"))
        form.addRow(label["fiscal_year"], _line(session, declaration, "fiscal_year", "fiscal_year"))
        total = _line(session, declaration, "total_budget", "total_budget")
        self._sum_label = QLabel()
        self._sum_label.setObjectName("project_sum")
        total_row = QHBoxLayout()
        total_row.addWidget(total)
        total_row.addWidget(QLabel("万元"))
        total_row.addWidget(self._sum_label, 1)
        form.addRow(label["total_budget"], total_row)
        form.addRow(
            label["special_projects_note"],
            _line(session, declaration, "special_projects_note", "special_projects_note"),
        )
        profile = QComboBox()
        profile.setObjectName("profile")
        for key, (title, _) in PROFILES.items():
            profile.addItem(title, key)
        profile.setCurrentIndex(max(0, profile.findData(declaration.profile)))
        profile.currentIndexChanged.connect(
            lambda _: session.set_field(
                Declaration, declaration.uuid, "profile", profile.currentData()
            )
        )

        def profile_changed(changes: Changes) -> None:
            for change in changes.fields:
                if change.field == "profile" and profile.currentData() != change.value:
                    profile.setCurrentIndex(max(0, profile.findData(change.value)))

        session.changed.connect(profile_changed)
        form.addRow(label["profile"], profile)
        add_declaration_stage_fields(session, declaration, form)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"<b>{SECTION_OVERALL}</b>"))
        self._sentence = _preview_label("budget_sentence_preview")
        layout.addWidget(self._sentence)
        layout.addWidget(_text(session, declaration, "overall_target", "overall_target", 4))
        self._session = session
        self._declaration_uuid = declaration.uuid
        #: the UUIDs of the key tasks shown, and their widgets, in order (kept in step with
        #: the Changes the session tells, row by row)
        self._task_uuids: list[str] = []
        self._task_widgets: list[_TaskRows] = []
        tasks = QGroupBox("年度主要任务")
        self._task_form = QFormLayout(tasks)
        add_task = QPushButton("新增任务")
        add_task.setObjectName("key_task_add")
        add_task.clicked.connect(
            lambda: session.rows.insert_row(KeyTask, declaration.uuid, len(self._task_uuids))
        )
        self._task_form.addRow(add_task)
        self._add_task = add_task
        layout.addWidget(tasks)
        layout.addWidget(QLabel(f"<b>{SECTION_SAFEGUARDS}</b>"))
        self._safeguards = _text(
            session, declaration, "safeguard_measures", "safeguard_measures", 6
        )
        layout.addWidget(self._safeguards)
        overall = page.findChild(QPlainTextEdit, "overall_target")
        assert overall is not None  # built above
        self._overall = overall
        self.setWidget(page)
        for index, task in enumerate(declaration.key_tasks):
            self._insert_task(index, task)
        self._number_tasks()
        self.show_project_sum()
        self.show_budget_sentence()
        session.changed.connect(self._on_session_changed)

    def _insert_task(self, index: int, task: KeyTask) -> None:
        """Lay out a key task's rows (name with its buttons, content) at ``index``."""
        session = self._session
        title_row = QWidget()
        row_layout = QHBoxLayout(title_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        title = _line(session, task, "title", "key_task_title")
        row_layout.addWidget(title, 1)
        buttons = []
        for text, handler in (
            ("上移", lambda _=False, u=task.uuid: session.rows.move_row(KeyTask, u, -1)),
            ("下移", lambda _=False, u=task.uuid: session.rows.move_row(KeyTask, u, 1)),
            ("删除", lambda _=False, u=task.uuid: session.rows.remove_row(KeyTask, u)),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            row_layout.addWidget(button)
            buttons.append(button)
        body = _text(session, task, "body", "key_task_body", 4)
        rows = _TaskRows(QLabel(), title_row, title, QLabel(), body, buttons)
        self._place_task(index, rows)
        self._task_uuids.insert(index, task.uuid)
        self._task_widgets.insert(index, rows)

    def _place_task(self, index: int, rows: _TaskRows) -> None:
        self._task_form.insertRow(2 * index, rows.title_label, rows.title_row)
        self._task_form.insertRow(2 * index + 1, rows.body_label, rows.body)

    def _take_task(self, index: int) -> _TaskRows:
        """Take a key task's rows out of the form (its widgets kept)."""
        self._task_form.takeRow(2 * index + 1)
        self._task_form.takeRow(2 * index)
        del self._task_uuids[index]
        return self._task_widgets.pop(index)

    def _number_tasks(self) -> None:
        """Number the key tasks' labels and widget names in order; Tab goes in reading
        order: each task's name, then its content, then the next task; the row buttons
        after the rows, not between a name and its content."""
        fields: list[QWidget] = []
        buttons: list[QWidget] = []
        for number, rows in enumerate(self._task_widgets, start=1):
            rows.title_label.setText(f"任务{number}名称")
            rows.body_label.setText(f"任务{number}内容")
            rows.title.setObjectName(f"key_task_title_{number}")
            rows.body.setObjectName(f"key_task_body_{number}")
            for button in rows.buttons:
                text = "remove" if button.text() == "删除" else button.text()
                button.setObjectName(f"key_task_{text}_{number}")
            fields += [rows.title, rows.body]
            buttons += rows.buttons
        tab_in_order([self._overall, *fields, self._add_task, *buttons, self._safeguards])

    def select(self, location: Location) -> None:
        """Focus the field a finding is about (a key task's 任务名称 for the task as a
        whole) and scroll it into view."""
        field = location.field or ("title" if location.table == "key_task" else "")
        widget = self._session.fields.field_editor(location.row_uuid, field)
        if widget is not None:
            widget.setFocus()
            self.ensureWidgetVisible(widget)

    def _apply_task_rows(self, changes: Changes) -> None:
        """Insert, remove and move the key tasks' rows as ``changes`` did the tasks."""

        def mine(change: RowChange | RowMove) -> bool:
            return change.row_type is KeyTask and change.parent_uuid == self._declaration_uuid

        touched = False
        for removed in filter(mine, changes.removed):
            if removed.row_uuid in self._task_uuids:
                rows = self._take_task(self._task_uuids.index(removed.row_uuid))
                for widget in (rows.title_label, rows.title_row, rows.body_label, rows.body):
                    widget.setParent(None)  # out of lookups now
                    widget.deleteLater()  # its button may be the one clicked
                touched = True
        for inserted in filter(mine, changes.inserted):
            data = inserted.data
            task = KeyTask(uuid=data["uuid"], title=data["title"], body=data["body"])
            self._insert_task(min(inserted.index, len(self._task_uuids)), task)
            touched = True
        for move in filter(mine, changes.moved):
            if move.row_uuid in self._task_uuids:
                rows = self._take_task(self._task_uuids.index(move.row_uuid))
                at = min(move.new_index, len(self._task_uuids))
                self._place_task(at, rows)
                self._task_uuids.insert(at, move.row_uuid)
                self._task_widgets.insert(at, rows)
                touched = True
        if touched:
            self._number_tasks()

    def show_project_sum(self) -> None:
        """Show the sum of the budget projects' 预算数 (万元) beside the declaration's total
        (read without the projects' rows)."""
        amounts = [p.budget_amount for p in self._session.budget_projects()]
        total = sum((a for a in amounts if a is not None), Decimal(0))
        stated = self._session.read_field(Declaration, self._declaration_uuid, "total_budget")
        differs = stated is not None and total != stated
        note = f"，相差 {stated - total} 万元" if differs else ""
        self._sum_label.setText(f"（各预算项目合计 {total} 万元{note}）")
        self._sum_label.setStyleSheet("color: #b00020;" if differs else "")

    def show_budget_sentence(self) -> None:
        """Show, above 总体绩效目标, the sentence the print puts there — or that it is left
        out because the clerk's text already says it (reports/wording.py)."""
        fields = {
            field: self._session.read_field(Declaration, self._declaration_uuid, field)
            for field in SENTENCE_FIELDS
        }
        declaration = Declaration(**fields)
        sentence = budget_sentence(declaration)
        if printed_budget_sentence(declaration):
            text = f"打印时在此自动印出：{sentence}"
        else:
            text = f"总体绩效目标已写明申请预算资金，打印时不再自动印出“{sentence}”。"
        self._sentence.setText(text)

    def _on_session_changed(self, changes: Changes) -> None:
        self._apply_task_rows(changes)
        watched = {(BudgetProject, "budget_amount"), (Declaration, "total_budget")}
        projects = [*changes.inserted, *changes.removed]
        if any((c.row_type, c.field) in watched for c in changes.fields) or any(
            c.row_type is BudgetProject for c in projects
        ):
            self.show_project_sum()
        if any(c.row_type is Declaration and c.field in SENTENCE_FIELDS for c in changes.fields):
            self.show_budget_sentence()


#: the fields the generated budget sentence is made of (and whether it prints)
SENTENCE_FIELDS = (
    "fiscal_year",
    "total_budget",
    "amount_unit",
    "special_projects_note",
    "overall_target",
)


def tab_in_order(widgets: Sequence[QWidget]) -> None:
    """Make Tab go from each of ``widgets`` to the next (Shift+Tab back), in this order."""
    for before, after in pairwise(widgets):
        QWidget.setTabOrder(before, after)


def _preview_label(name: str) -> QLabel:
    """A read-only line showing text the print generates from the fields, where it prints."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: #505050; background: #f3f3f3; padding: 3px;")
    return label


#: width (logical pixels) of a list of rows beside its detail, on a window wide enough
LIST_WIDTH = 220


def _narrow_button(text: str) -> QPushButton:
    """A push button that may be as narrow as its label (Qt's styles ask 80 pixels at
    least), so that a list's three buttons a row fit a narrow window at 200%."""
    button = QPushButton(text)
    style = button.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
    frame = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, button)
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + 2 * (margin + frame))
    return button


class _ListDetailEditor(QSplitter):
    """A list of rows on the left and the selected row's editors on the right.

    The detail is built from a fresh load of the selected row (with the rows it owns, no
    other) each time a row is selected, so it shows what is in the file. The list follows
    rows inserted, removed and moved and edits of the row's name, row by row; the detail
    is built again only when another row becomes current (or the shown row was replaced).
    """

    row_type: type[SyncedRow]
    label_field: str
    #: row type of a child grid -> object name of its view in the detail
    child_views: ClassVar[dict[type[SyncedRow], str]]

    def __init__(self, session: DocumentSession, declaration: Declaration, list_name: str) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self._session = session
        self._declaration_uuid = declaration.uuid
        rows = self._rows(declaration)
        self._uuids = [row.uuid for row in rows]
        self._names = [getattr(row, self.label_field) for row in rows]
        #: the UUID of the row the detail shows ("" when none)
        self._shown = ""
        self.list = QListWidget()
        self.list.setObjectName(list_name)
        self.list.addItems([self._label(n, name) for n, name in enumerate(self._names, start=1)])
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        buttons = QGridLayout()  # three a row: each keeps its label in a narrow list
        buttons.setSpacing(2)
        actions = add_row_actions(
            self.list,
            session,
            self.row_type,
            declaration.uuid,
            self._current,
            duplicate=self.row_type is BudgetProject,
        )
        for number, action in enumerate(actions[1:]):  # 在上方插入 stays in the context menu
            text = action.text().replace(row_name(self.row_type), "")
            button = _narrow_button("新增" if text == "在下方插入" else text)
            button.setToolTip(f"{action.text()}（{action.shortcut().toString()}）")
            button.clicked.connect(action.trigger)
            buttons.addWidget(button, number // 3, number % 3)
        left_layout.addLayout(buttons)
        self.addWidget(left)
        self._detail = QWidget()
        self._detail_layout = QVBoxLayout(self._detail)
        self._detail_layout.setContentsMargins(6, 0, 6, 0)  # rows for the grids on low screens
        self.addWidget(self._detail)
        self.setStretchFactor(1, 4)
        self.setSizes([LIST_WIDTH, 1100])  # the detail takes what is left
        self._placed = False
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        session.changed.connect(self._on_session_changed)
        if self._uuids:
            self.list.setCurrentRow(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._place()

    def _place(self) -> None:
        """Once shown at its size: the list ``LIST_WIDTH`` wide, less on a narrow window
        (a fifth of it, as narrow as its buttons allow), the detail the rest."""
        if self._placed or not self.isVisible() or self.width() <= 0:
            return
        self._placed = True
        width = self.width() - self.handleWidth()
        narrowest = _pane(self, 0).minimumSizeHint().width()
        listed = max(narrowest, min(LIST_WIDTH, width // 5))
        self.setSizes([listed, width - listed])

    def _rows(self, declaration: Declaration) -> Sequence[SyncedRow]:
        raise NotImplementedError

    def _current(self) -> tuple[int, str] | None:
        row = self.list.currentRow()
        return None if row < 0 else (row, self._uuids[row])

    def _label(self, number: int, name: str) -> str:
        return name or "（未命名）"

    def _show_detail(self, row: SyncedRow) -> None:
        raise NotImplementedError

    def _on_list_current_row_changed(self, index: int) -> None:
        self._session.flush()  # typing not yet committed belongs to the detail being replaced
        _clear(self._detail_layout)
        self._shown = ""
        if index < 0:
            return
        try:
            row = self._session.load_row(self.row_type, self._uuids[index])
        except RowNotFoundError:
            return
        self._shown = row.uuid
        self._show_detail(row)
        self._tab_through_detail()

    def _tab_through_detail(self) -> None:
        """Tab goes from the list to the detail's fields (as they are laid out, read left
        to right and down), then to the list's buttons: a new detail would come last."""
        fields: list[QWidget] = []
        widget = self.list.nextInFocusChain()
        while widget is not None and widget is not self.list:  # the chain is a ring
            if self._detail.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                fields.append(widget)
            widget = widget.nextInFocusChain()
        tab_in_order([self.list, *fields, *_pane(self, 0).findChildren(QPushButton)])

    def select(self, location: Location) -> None:
        """Select the row a finding is about and focus its field or grid cell."""
        if location.row_uuid in self._uuids:
            self.list.setCurrentRow(self._uuids.index(location.row_uuid))
            self._focus(location, None)
            return
        row_type = next(
            (t for t in self.child_views if t.__tablename__ == location.table),  # type: ignore[attr-defined]  # row classes are typed type[Base], which has no __tablename__
            None,
        )
        place = None if row_type is None else self._session.place_of(row_type, location.row_uuid)
        if row_type is None or place is None or place[0] not in self._uuids:
            return
        self.list.setCurrentRow(self._uuids.index(place[0]))
        self._focus(location, (self.child_views[row_type], place[1]))

    def _focus(self, location: Location, child: tuple[str, int] | None) -> None:
        if child is not None:
            name, row = child
            view = self.findChild(QTableView, name)
            model = view.model() if view is not None else None
            if view is None or not isinstance(model, RowsTableModel):
                return  # the detail shown is another row's
            fields = [field for field, _ in model.columns]
            column = fields.index(location.field) if location.field in fields else 0
            view.setFocus()
            view.setCurrentIndex(model.index(row, column))
            return
        widget = self._session.fields.field_editor(location.row_uuid, location.field)
        if widget is not None:
            widget.setFocus()

    def _on_session_changed(self, changes: Changes) -> None:
        self._apply_rows(changes)
        for change in changes.fields:
            if (
                change.row_type is self.row_type
                and change.field == self.label_field
                and change.row_uuid in self._uuids
            ):
                index = self._uuids.index(change.row_uuid)
                self._names[index] = change.value
                self.list.item(index).setText(self._label(index + 1, change.value))

    def _apply_rows(self, changes: Changes) -> None:
        """Insert, remove and move the list's entries as ``changes`` did the rows; then
        the current row is the one inserted (one alone: an insert, a duplicate, an undone
        removal), else the one current before (or its neighbour, when it was removed)."""

        def mine(change: RowChange | RowMove) -> bool:
            return change.row_type is self.row_type and change.parent_uuid == self._declaration_uuid

        removed = [c for c in changes.removed if mine(c)]
        inserted = [c for c in changes.inserted if mine(c)]
        moved = [m for m in changes.moved if mine(m)]
        if not (removed or inserted or moved):
            return
        before, place = self._shown, self.list.currentRow()
        replaced = {c.row_uuid for c in removed} & {c.row_uuid for c in inserted}
        self.list.blockSignals(True)  # the detail is rebuilt once, below, if at all
        try:
            self._change_entries(removed, inserted, moved)
            for number, name in enumerate(self._names, start=1):
                self.list.item(number - 1).setText(self._label(number, name))
            new = [c.row_uuid for c in inserted if c.row_uuid not in replaced]
            target = new[0] if len(new) == 1 else before
            if target in self._uuids:
                self.list.setCurrentRow(self._uuids.index(target))
            elif self._uuids:
                self.list.setCurrentRow(max(0, min(place, len(self._uuids) - 1)))
        finally:
            self.list.blockSignals(False)
        current = self._current()
        if (current[1] if current else "") != before or before in replaced:
            self._on_list_current_row_changed(self.list.currentRow())

    def _change_entries(
        self, removed: list[RowChange], inserted: list[RowChange], moved: list[RowMove]
    ) -> None:
        """Remove, insert and move the list's entries (unnumbered: ``_apply_rows`` numbers
        them)."""
        for change in removed:
            if change.row_uuid in self._uuids:
                index = self._uuids.index(change.row_uuid)
                self.list.takeItem(index)
                del self._uuids[index], self._names[index]
        for change in inserted:
            index = max(0, min(change.index, len(self._uuids)))
            self._uuids.insert(index, change.row_uuid)
            self._names.insert(index, change.data.get(self.label_field) or "")
            self.list.insertItem(index, "")
        for move in moved:
            if move.row_uuid not in self._uuids:
                continue
            index = self._uuids.index(move.row_uuid)
            to = max(0, min(move.new_index, len(self._uuids) - 1))
            if to != index:
                self.list.model().moveRow(QModelIndex(), index, QModelIndex(), to + (to > index))
                self._uuids.insert(to, self._uuids.pop(index))
                self._names.insert(to, self._names.pop(index))


class ItemTargetsEditor(_ListDetailEditor):
    """分项目标: the list of item targets and, for the selected one, its fields and statements."""

    row_type = ItemTarget
    label_field = "title"
    child_views: ClassVar[dict[type[SyncedRow], str]] = {ItemTargetStatement: "statement_table"}

    def __init__(self, session: DocumentSession, declaration: Declaration) -> None:
        self._link_combo: QComboBox | None = None
        self._link_item = ""
        self._heading: QLabel | None = None
        self._heading_item = ""
        super().__init__(session, declaration, "item_target_list")
        session.changed.connect(self._on_link_changed)
        generate = QPushButton("从项目表生成")
        generate.setObjectName("generate_item_targets")
        generate.setToolTip(
            "按项目绩效目标表生成（或更新）各分项目标：名称、预算资金和每个指标的年度指标值。"
            "可撤销；生成后仍可修改。"
        )
        generate.clicked.connect(self.generate)
        _layout_of(_pane(self, 0)).addWidget(generate)

    def generate(self) -> None:
        """从项目表生成, after the clerk agrees when written statements would be replaced."""
        declaration = self._session.load_declaration(project_rows=False)
        written = sum(
            1 for item in declaration.item_targets for line in item.statements if line.text.strip()
        )
        if written and not prompter_for(self).confirm(
            "从项目表生成",
            f"将按项目绩效目标表重写各分项目标的名称、预算资金和指标表述，现有的 {written} 条"
            "指标表述会被替换。\n\n生成后可用 编辑 → 撤销 恢复。是否继续？",
        ):
            return
        uuid = self._session.declaration_uuid
        self._session.change("从项目表生成分项目标", lambda document: (
            structure.generate_item_targets(document, declaration_uuid=uuid)
        ))  # fmt: skip

    def _rows(self, declaration: Declaration) -> Sequence[SyncedRow]:
        return declaration.item_targets

    def _show_heading(self) -> None:
        """The selected item target's printed heading (名称，预算资金…万元)."""
        s, uuid = self._session, self._heading_item
        item = ItemTarget(
            title=s.read_field(ItemTarget, uuid, "title") or "",
            budget=s.read_field(ItemTarget, uuid, "budget"),
        )
        unit = s.read_field(Declaration, s.declaration_uuid, "amount_unit") or "万元"
        if self._heading is not None:
            self._heading.setText(item_target_heading(item, unit))

    def _fill_link_combo(self, linked: str | None) -> None:
        """The budget projects to link to (read without their rows), ``linked`` chosen."""
        combo = self._link_combo
        assert combo is not None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("（不关联）", None)
        for project in self._session.budget_projects():
            combo.addItem(f"{project.code} {project.name}", project.uuid)
        combo.setCurrentIndex(max(0, combo.findData(linked)))
        combo.blockSignals(False)

    def _on_link_changed(self, changes: Changes) -> None:
        """Show a link changed elsewhere (undo, redo) in the combo box, and the printed
        heading after its name or 预算资金 changed; the projects offered follow projects
        added, removed, moved or renamed."""
        heading = [c for c in changes.fields if c.row_uuid == self._heading_item]
        if heading and self._heading is not None and isValid(self._heading):
            self._show_heading()
        combo = self._link_combo
        if combo is None or not isValid(combo):
            return
        rows: list[RowChange | RowMove] = [*changes.inserted, *changes.removed, *changes.moved]
        names = [c for c in changes.fields if c.field in ("code", "name")]
        if any(c.row_type is BudgetProject for c in rows) or any(
            c.row_type is BudgetProject for c in names
        ):
            shown = combo.currentData()  # a removed project's entry goes: (不关联)
            for change in changes.inserted:
                if self._link_item in change.linked:  # a removal undone links it again
                    shown = change.row_uuid
            self._fill_link_combo(shown)
        for field in changes.fields:
            shown = field.field == "budget_project_uuid" and field.row_uuid == self._link_item
            if shown and combo is not None and combo.currentData() != field.value:
                combo.blockSignals(True)
                combo.setCurrentIndex(max(0, combo.findData(field.value)))
                combo.blockSignals(False)

    def _show_detail(self, item: ItemTarget) -> None:  # type: ignore[override]  # the row type narrowed per editor
        form = QFormLayout()
        label = FIELD_LABELS[ItemTarget]
        form.addRow(label["title"], _line(self._session, item, "title", "item_title"))
        budget = QHBoxLayout()
        budget.addWidget(_line(self._session, item, "budget", "item_budget"))
        budget.addWidget(QLabel("万元"))
        form.addRow(label["budget"], budget)
        heading = _preview_label("item_heading_preview")
        heading.setToolTip("打印时这一分项的标题行（由分项名称和预算资金生成）")
        form.addRow("打印为", heading)
        self._heading, self._heading_item = heading, item.uuid
        self._show_heading()
        link = QComboBox()
        link.setObjectName("item_budget_project")
        # long project names must not widen the window beyond a small screen
        link.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        link.setMinimumContentsLength(12)
        self._link_combo, self._link_item = link, item.uuid
        self._fill_link_combo(item.budget_project.uuid if item.budget_project else None)
        link.currentIndexChanged.connect(
            lambda _: self._session.rows.link_budget_project(item.uuid, link.currentData())
        )
        form.addRow(PROJECT_LINK_LABEL, link)
        self._detail_layout.addLayout(form)
        model = RowsTableModel(
            self._session, ItemTargetStatement, item.statements, STATEMENT_COLUMNS,
            parent_uuid=item.uuid,
        )  # fmt: skip
        view = _table(model, "statement_table")
        header = view.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        add_row_actions(view, self._session, ItemTargetStatement, item.uuid, _view_current(view))
        add_clipboard_actions(view, self._session, ItemTargetStatement, item.uuid)
        keep_labels_merged(view, model)  # grouped under level-1 and level-2, as on paper
        view.setMinimumHeight(grid_height(view, 1))  # the window fits a low screen (200%)
        self._detail_layout.addWidget(view, 1)


class BudgetProjectsEditor(_ListDetailEditor):
    """项目绩效目标表: the budget projects and, for the selected one, header and indicator grid."""

    row_type = BudgetProject
    label_field = "name"
    child_views: ClassVar[dict[type[SyncedRow], str]] = {
        Indicator: "indicator_grid",
        DisbursementCheckpoint: "disbursement_plan",
    }
    #: the selected project's indicator grid (None while no project is selected)
    indicator_view: QTableView | None = None
    #: 从指标库选择… of that grid
    _pick: QAction | None = None

    def __init__(self, session: DocumentSession, declaration: Declaration) -> None:
        #: the declaration's 阶段: its columns and fields, its targets frozen from 监控 on
        self.stage = declaration.stage
        super().__init__(session, declaration, "budget_project_list")
        # 从指标库选择… for the shown project's grid, beside 上移/下移: a bar over the grid
        # would cost it the rows a 150% screen has (GRID_ROWS_SHOWN)
        button = _narrow_button("指标库…")
        button.setObjectName("pick_from_library")
        button.setToolTip(f"从指标库选择指标，插入所选项目的绩效指标表（{PICK_KEYS}）")
        button.clicked.connect(lambda: self._pick.trigger() if self._pick is not None else None)
        row = _layout_of(_pane(self, 0)).itemAt(1)
        buttons = row.layout() if row is not None else None
        assert isinstance(buttons, QGridLayout)
        buttons.addWidget(button, 1, 2)

    def _rows(self, declaration: Declaration) -> Sequence[SyncedRow]:
        return declaration.budget_projects

    def _label(self, number: int, name: str) -> str:
        return f"{number}. {name or '（未命名项目）'}"

    def _on_list_current_row_changed(self, index: int) -> None:
        self.indicator_view = None
        super()._on_list_current_row_changed(index)

    def _show_detail(self, project: BudgetProject) -> None:  # type: ignore[override]  # the row type narrowed per editor
        s = self._session
        header = QWidget()
        header.setObjectName("project_header_fields")
        header.setToolTip("项目基本信息（金额单位：万元）")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        label = FIELD_LABELS[BudgetProject]
        codes = QHBoxLayout()
        codes.addWidget(_line(s, project, "code", "project_code"), 2)
        codes.addWidget(QLabel(label["name"]))
        codes.addWidget(_line(s, project, "name", "project_name"), 3)
        form.addRow(label["code"], codes)
        amounts = QHBoxLayout()
        for field in ("budget_amount", "fiscal_funds", "other_funds"):
            if field != "budget_amount":  # 其中：财政资金, 其他资金 (预算数 is the row's)
                amounts.addWidget(QLabel(PRINTED_LABELS[BudgetProject][field].replace("\n", "")))
            amount = _line(s, project, field, f"project_{field}")
            amount.setMinimumWidth(amount.fontMetrics().horizontalAdvance("0000.00") + 10)
            amounts.addWidget(amount)
        amounts.addWidget(QLabel("万元"))
        form.addRow(label["budget_amount"], amounts)
        for field in ("use_of_funds", "performance_target"):
            editor = _text(s, project, field, field, 3)
            editor.setMaximumHeight(editor.minimumHeight())
            form.addRow(label[field], editor)
        add_project_stage_fields(s, project, form, self.stage)
        freeze_project_header(s, project, form, self.stage)
        plan = RowsTableModel(
            s,
            DisbursementCheckpoint,
            project.disbursement_plan,
            CHECKPOINT_COLUMNS,
            parent_uuid=project.uuid,
            percent_fields=("cumulative_percent",),
        )
        plan_view = _table(plan, "disbursement_plan")
        plan_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        plan_view.setFixedWidth(plan_view.fontMetrics().horizontalAdvance("汉" * 15))
        plan_view.setFixedHeight(grid_height(plan_view, 4))  # the four checkpoints
        add_row_actions(
            plan_view, s, DisbursementCheckpoint, project.uuid, _view_current(plan_view)
        )
        add_clipboard_actions(plan_view, s, DisbursementCheckpoint, project.uuid)
        plan_box = QVBoxLayout()
        plan_box.setContentsMargins(0, 0, 0, 0)
        plan_box.addWidget(QLabel(DISBURSEMENT_PLAN_LABEL))
        plan_box.addWidget(plan_view)
        plan_box.addStretch(1)
        # on a low screen (or at 150%, 200%) the header scrolls and the grid keeps its rows
        header_area = _ProjectHeaderArea(header, form, plan_box)
        split = _HeaderGridSplitter()
        split.addWidget(header_area)
        columns, optional = indicator_columns(self.stage, project.indicators)
        model = IndicatorTableModel(
            s, Indicator, project.indicators, columns, parent_uuid=project.uuid
        )
        model.frozen = is_frozen(self.stage)
        view = _table(model, "indicator_grid")
        delegate = view.itemDelegate()
        assert isinstance(delegate, IndicatorDelegate)
        delegate.levels = lambda: profile_levels(
            s.read_field(Declaration, s.declaration_uuid, "profile")
        )
        view.share_columns_by_content = True  # the columns always fit: no horizontal bar
        view.optional_columns = optional
        view.scroll_when_narrow = is_frozen(self.stage)
        if view.scroll_when_narrow:  # a score computed or typed may need a wider column
            reshare = QTimer(view, singleShot=True, interval=0)
            reshare.timeout.connect(view.share_width)
            model.dataChanged.connect(lambda *_: reshare.start())
        view.show_optional_columns(OPTIONAL_COLUMNS.shown)
        OPTIONAL_COLUMNS.changed.connect(view.show_optional_columns)
        # the two-character headings (符号, 单位 …) are narrower than Qt's default minimum
        # section, which would push the last column out of sight
        view.horizontalHeader().setMinimumSectionSize(view.fontMetrics().horizontalAdvance("汉"))
        view.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if view.scroll_when_narrow
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.indicator_view = view
        if is_frozen(self.stage):
            adjust = QAction("目标调整…", view)
            adjust.setObjectName("adjust_target")
            adjust.triggered.connect(lambda: adjust_cell(view, s))
            view.addAction(adjust)
        add_row_actions(view, s, Indicator, project.uuid, _view_current(view))
        self._pick = add_library_actions(view, s, project.uuid, _view_current(view))
        add_clipboard_actions(view, s, Indicator, project.uuid)
        keep_labels_merged(view, model)
        split.addWidget(view)
        self._detail_layout.addWidget(split, 1)


class _ProjectHeaderArea(QScrollArea):
    """A project's fields (``form``) with its 资金支出计划 (``plan``) beside them, or under
    them when the area is too narrow for both side by side; the area scrolls up and down
    (never sideways) and is at least as high as the first row of fields.

    Decision: the fields keep their heights (a squashed line edit shows nothing) and the
    area scrolls, so that the indicator grid below keeps ``GRID_ROWS_SHOWN`` rows on a low
    screen. Alternatives: a fixed header (the grid lost its rows at 150%); the header and
    grid scrolling together (the grid's own scroll bar inside another's).
    """

    def __init__(self, fields: QWidget, form: QFormLayout, plan: QVBoxLayout) -> None:
        super().__init__()
        self.setObjectName("project_header")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to its fields
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._form = form
        outer = self._outer = QVBoxLayout(fields)
        outer.setContentsMargins(6, 6, 6, 6)
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._columns.addLayout(form, 1)
        self._columns.addLayout(plan)
        outer.addLayout(self._columns)
        outer.addStretch(1)  # more height than the fields need: below them, not between
        self._plan_width = plan.minimumSize().width()
        self.setWidget(fields)
        first_row = form.itemAt(0, QFormLayout.ItemRole.FieldRole)
        margins = outer.contentsMargins()
        assert first_row is not None
        self.setMinimumHeight(first_row.sizeHint().height() + margins.top() + margins.bottom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fields and plan side by side where the width takes both, else one under the other."""
        margins = self._outer.contentsMargins()
        side_by_side = (
            self._form.minimumSize().width() + self._columns.spacing() + self._plan_width
            + margins.left() + margins.right() + self.verticalScrollBar().sizeHint().width()
        )  # fmt: skip
        direction = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= side_by_side
            else QBoxLayout.Direction.TopToBottom
        )
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)
        super().resizeEvent(event)


class _HeaderGridSplitter(QSplitter):
    """A project's header over its indicator grid: once laid out, the grid gets the
    height of ``GRID_ROWS_SHOWN`` one-line rows (all of it on a low screen) and the
    header the rest, scrolling; the clerk may drag the handle."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setChildrenCollapsible(False)
        self._placed = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self.height() - self.handleWidth()
        if self._placed or height <= 0 or self.count() < 2:
            return
        self._placed = True
        header = _pane(self, 0)
        view = self.widget(1)
        assert isinstance(view, QTableView)
        wanted = max(grid_height(view, GRID_ROWS_SHOWN), height - header.sizeHint().height())
        grid = min(height - header.minimumHeight(), wanted)
        self.setSizes([height - grid, grid])


def keep_labels_merged(view: QTableView, model: RowsTableModel) -> None:
    """Merge ``view``'s label cells now, and again when a label changes or the clerk
    moves to another row (``merge_label_cells``)."""
    for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.rowsMoved):
        signal.connect(lambda *_: merge_label_cells(view, model))
    view.selectionModel().currentRowChanged.connect(lambda *_: merge_label_cells(view, model))
    merge_label_cells(view, model)


def merge_label_cells(view: QTableView, model: RowsTableModel) -> None:
    """Span equal consecutive 一级指标 cells, and 二级指标 cells within them, as on paper
    — except the current row, which stands alone: a span's cell is its top row's, so
    a key typed, pasted or F2 on a spanned row would change the top row instead."""
    view.clearSpans()
    labels = [(model.value(r, "level1"), model.value(r, "level2")) for r in range(model.rowCount())]
    current = view.currentIndex().row() if view.currentIndex().isValid() else -1
    for column, first, last in merged_label_runs(labels):
        parts = [(first, last)]
        if first <= current <= last:
            parts = [(first, current - 1), (current + 1, last)]
        for top, bottom in parts:
            if bottom > top:
                view.setSpan(top, column, bottom - top + 1, 1)


def _pane(splitter: QSplitter, number: int) -> QWidget:
    """The pane ``number`` (0-based) of ``splitter``, which was built with it."""
    pane = splitter.widget(number)
    assert pane is not None
    return pane


def _layout_of(widget: QWidget) -> QLayout:
    """The layout ``widget`` was built with."""
    layout = widget.layout()
    assert layout is not None
    return layout


def _clear(layout: QLayout) -> None:
    while (child := layout.takeAt(0)) is not None:
        widget, inner = child.widget(), child.layout()
        if widget is not None:
            widget.setParent(None)  # out of the tree now, so lookups see only the new detail
            widget.deleteLater()
        elif inner is not None:
            _clear(inner)
            inner.deleteLater()
