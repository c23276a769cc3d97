"""The 指标库 in the window: the picker (从指标库选择…), completion of 三级指标, the value
cell's hint and 指标解释, saving a row to the personal library.

Rows are inserted by ``services.library.add_from_library`` as one undo step
(``DocumentSession.change``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.library import personal
from desktop.library.errors import LibraryFileError
from desktop.library.model import PROJECT_TYPES, LibraryEntry
from desktop.library.search import guess_project_type, search
from desktop.models import BudgetProject, Declaration, Indicator
from desktop.models.labels import ROW_KINDS
from desktop.models.vocabulary import LEVEL2_BY_LEVEL1
from desktop.storage.document import Document
from desktop.ui.binding import DocumentSession
from desktop.ui.prompter import prompter_for

#: the model role of the hint an empty 指标值 cell shows in grey (the entry's pattern)
VALUE_HINT_ROLE = Qt.ItemDataRole.UserRole + 21
#: the key of 从指标库选择… on the indicator grid
PICK_KEYS = "Ctrl+L"
LIBRARY_FILTER = "指标库文件 (*.json);;所有文件 (*)"

#: (the personal library file and its modification time) -> the entries read then
_entries_cache: dict[tuple[str, int], list[LibraryEntry]] = {}


def library_entries() -> list[LibraryEntry]:
    """The personal and built-in entries (``personal.all_entries``), read again only when
    the personal library file changed (every empty 指标值 cell asks when it is drawn)."""
    path = personal.personal_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    key = (str(path), stamp)
    if key not in _entries_cache:
        _entries_cache.clear()
        _entries_cache[key] = personal.all_entries()
    return _entries_cache[key]


def entry_named(level3: str) -> LibraryEntry | None:
    """The library entry whose 三级指标 is ``level3`` (outer spaces ignored), or None."""
    name = level3.strip()
    return next((e for e in library_entries() if e.level3 == name), None) if name else None


def value_tooltip(level3: str, fiscal_year: int) -> str:
    """What the library says about a row's 指标值: the 指标解释 and the usual form ('' when
    the 三级指标 is not in the library)."""
    entry = entry_named(level3)
    if entry is None:
        return ""
    lines = [f"指标解释：{entry.explanation}"] if entry.explanation else []
    lines.append(f"指标库中的写法：{entry.hint(fiscal_year)}")
    return "\n".join(lines)


def paint_value_hint(
    painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
) -> None:
    """Draw an empty 指标值 cell's hint (``VALUE_HINT_ROLE``) in grey, as a placeholder."""
    hint = index.data(VALUE_HINT_ROLE)
    if not hint:
        return
    painter.save()
    painter.setPen(option.palette.placeholderText().color())
    painter.drawText(
        option.rect.adjusted(4, 0, -4, 0),
        int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
        f"例：{hint}",
    )
    painter.restore()


def attach_completer(editor: QPlainTextEdit, level1: str, level2: str) -> QCompleter:
    """Complete a 三级指标 cell's editor from the library: names containing what is typed,
    those of the row's 一级/二级指标 first. The editor keeps Enter for the popup while it
    is open (``CellTextEditor`` asks ``completer_open``)."""
    entries = library_entries()
    names = [e.level3 for e in entries if (e.level1, e.level2) == (level1, level2)]
    names += [e.level3 for e in entries if e.level3 not in names]
    completer = QCompleter(QStringListModel(list(dict.fromkeys(names)), editor), editor)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setWidget(editor)

    def hide() -> None:
        if (popup := completer.popup()) is not None:
            popup.hide()

    def typed() -> None:
        text = editor.toPlainText().strip()
        if not text or "\n" in text:
            hide()
            return
        completer.setCompletionPrefix(text)
        if completer.completionCount() and completer.currentCompletion() != text:
            rect = editor.cursorRect()
            rect.setWidth(max(editor.width(), 240))
            completer.complete(rect)
        else:
            hide()

    def chosen(name: str) -> None:
        editor.setPlainText(name)
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    editor.textChanged.connect(typed)
    completer.activated.connect(chosen)
    return completer


class IndicatorLibraryDialog(QDialog):
    """从指标库选择: find entries by words or 拼音 initials, by project type and level, read
    their 指标解释, choose one or more. ``chosen()`` gives them in list order."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        project_name: str = "",
        used: Sequence[str] = (),
        fiscal_year: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("从指标库选择指标")
        self.resize(980, 640)
        self._entries = library_entries()
        self._used = set(used)
        self._year = fiscal_year
        self._shown: list[LibraryEntry] = []
        self.search_box = QLineEdit()
        self.search_box.setObjectName("library_search")
        self.search_box.setPlaceholderText("输入文字或拼音首字母查找，如“参训”或“cxrs”")
        self.search_box.setClearButtonEnabled(True)
        self.type_box = QComboBox()
        self.type_box.setObjectName("library_type")
        self.type_box.addItem("全部项目类型", "")
        present = {t for e in self._entries for t in e.project_types}
        for name in [*PROJECT_TYPES, *sorted(present - set(PROJECT_TYPES))]:
            if name in present:
                self.type_box.addItem(name, name)
        guessed = guess_project_type(project_name)
        if guessed and (at := self.type_box.findData(guessed)) >= 0:
            self.type_box.setCurrentIndex(at)
        self.level_box = QComboBox()
        self.level_box.setObjectName("library_level")
        self.level_box.addItem("全部指标", ("", ""))
        for level1, level2s in LEVEL2_BY_LEVEL1.items():
            if any(e.level1 == level1 for e in self._entries):
                self.level_box.addItem(level1, (level1, ""))
                for level2 in level2s:
                    if any(e.level2 == level2 and e.level1 == level1 for e in self._entries):
                        self.level_box.addItem(f"　{level2}", (level1, level2))
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 3)
        filters.addWidget(self.type_box, 1)
        filters.addWidget(self.level_box, 1)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("library_entries")
        self.table.setHorizontalHeaderLabels(
            ["三级指标", "一级／二级指标", "指标值写法", "指标值确定依据", "适用项目类型"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel()
        self.detail.setObjectName("library_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 4)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.count_label = QLabel()
        self.personal_problem = QLabel()
        self.personal_problem.setObjectName("library_personal_problem")
        self.personal_problem.setWordWrap(True)
        self.personal_problem.setTextFormat(Qt.TextFormat.PlainText)
        self._show_personal_problem()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("插入所选指标")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.import_button = QPushButton("导入指标库文件…")
        self.import_button.setToolTip("把财政局等发来的指标库文件（.json）导入本机的个人指标库")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button = QPushButton("导出个人指标库…")
        self.export_button.setToolTip("把个人指标库存为文件，可拷给其他单位导入")
        self.export_button.clicked.connect(self._on_export_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.personal_problem)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(bottom)
        self.search_box.textChanged.connect(self.refresh)
        self.type_box.currentIndexChanged.connect(self.refresh)
        self.level_box.currentIndexChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.cellDoubleClicked.connect(lambda *_: self.accept())
        self.refresh()
        self.search_box.setFocus()

    def _show_personal_problem(self) -> None:
        """Say above the list when the personal library cannot be read (only the built-in
        entries are listed then); hidden otherwise."""
        try:
            personal.load_personal()
            problem = ""
        except LibraryFileError as exc:
            problem = (
                f"{exc.message}下面只列出内置指标；导入或保存指标时，程序会先把该文件另存一份。"
            )
        self.personal_problem.setText(problem)
        self.personal_problem.setVisible(bool(problem))

    def refresh(self) -> None:
        """List the entries that fit the search and filters (used ones first), the first
        unused one chosen."""
        level1, level2 = self.level_box.currentData() or ("", "")
        self._shown = search(
            self._entries,
            query=self.search_box.text(),
            project_type=self.type_box.currentData() or "",
            level1=level1,
            level2=level2,
            used=self._used,
        )
        self.table.setRowCount(len(self._shown))
        for row, entry in enumerate(self._shown):
            used = "（已用）" if entry.level3 in self._used else ""
            cells = (
                entry.level3 + used,
                f"{entry.level1}／{entry.level2}",
                entry.hint(self._year)
                if self._year
                else entry.pattern.replace("{year}", "…").replace("{n}", "…"),
                entry.basis,
                "、".join(entry.project_types) or "个人指标库",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.count_label.setText(f"找到 {len(self._shown)} 条。可按住 Ctrl 或 Shift 选多条。")
        # the first unused entry is chosen, so that Enter does not insert a used one again
        unused = next((n for n, e in enumerate(self._shown) if e.level3 not in self._used), None)
        if unused is not None:
            self.table.selectRow(unused)
        elif self._shown:  # all used: the first one is read, none chosen
            self.table.setCurrentCell(0, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._on_table_selection_changed()

    def _ask_file(self, caption: str, *, save: bool) -> Path | None:
        """A library file chosen in the window's file dialog (its folder remembered)."""
        files = getattr(self.parent(), "files", None)  # the window's FileController
        ask = getattr(files, "ask_file", None)
        if ask is None:
            return None
        return ask(caption, LIBRARY_FILTER, save=save, suggested="指标库.json" if save else "")

    def _on_import_clicked(self) -> None:
        path = self._ask_file("导入指标库文件", save=False)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        """Import the library file at ``path`` into the personal library and list it; the
        outcome (or why not) is said in a message. True when entries were imported."""
        try:
            result = personal.import_library(path)
        except LibraryFileError as exc:
            prompter_for(self).error("未导入", exc.message)
            return False
        message = f"已导入个人指标库：新增 {result.added} 条，替换 {result.replaced} 条。"
        if result.set_aside:
            message += f"\n\n{result.set_aside}"
        if result.skipped:
            shown = "\n".join(result.skipped[:10])
            more = f"\n……共 {len(result.skipped)} 条" if len(result.skipped) > 10 else ""
            message += f"\n\n以下指标有问题，未导入：\n{shown}{more}"
        prompter_for(self).inform("导入指标库", message)
        self._entries = library_entries()
        self._show_personal_problem()
        self.refresh()
        return True

    def _on_export_clicked(self) -> None:
        path = self._ask_file("导出个人指标库", save=True)
        if path is not None:
            self.export_file(path.with_suffix(".json"))

    def export_file(self, path: Path) -> bool:
        """Write the personal library to ``path``; the outcome is said in a message."""
        try:
            count = personal.export_library(path, replace=True)  # the dialog asked
        except LibraryFileError as exc:
            prompter_for(self).error("未导出", exc.message)
            return False
        prompter_for(self).inform("导出个人指标库", f"已导出 {count} 条指标：{path}")
        return True

    def chosen(self) -> list[LibraryEntry]:
        """The selected entries, in list order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._shown[row] for row in rows if row < len(self._shown)]

    def _on_table_selection_changed(self) -> None:
        chosen = self.chosen()
        self.ok_button.setEnabled(bool(chosen))
        self.ok_button.setText(f"插入所选指标（{len(chosen)} 条）" if chosen else "插入所选指标")
        current = self.table.currentRow()
        entry = self._shown[current] if 0 <= current < len(self._shown) else None
        if entry is None:
            self.detail.setText("没有符合条件的指标。可换个词，或选“全部项目类型”“全部指标”。")
            return
        facts = "；".join(
            f"{label}：{value}"
            for label, value in (
                ("指标性质", entry.nature),
                ("计算符号", entry.sign),
                ("计量单位", entry.unit),
                ("指标方向", entry.direction),
            )
            if value
        )
        self.detail.setText(
            f"{entry.level3}（{entry.level1}／{entry.level2}）\n"
            f"指标解释：{entry.explanation or '（无）'}\n"
            f"绩效指标描述：{entry.description or '（无）'}\n{facts}"
        )


def pick_from_library(parent: QWidget, session: DocumentSession, project_uuid: str) -> bool:
    """Open the picker for a budget project and insert what is chosen (one undo step);
    the cursor then goes to the first chosen row's 指标值. True when rows were inserted."""
    from desktop.services.library import add_from_library, indicator_names

    shown = session.declaration_uuid
    name = session.read_field(BudgetProject, project_uuid, "name")
    if name is None:  # the project is gone
        return False
    used = indicator_names(session.document, declaration_uuid=shown)  # one column read
    dialog = IndicatorLibraryDialog(
        parent,
        project_name=name,
        used=[*used, *personal.used_names()],
        fiscal_year=session.read_field(Declaration, shown, "fiscal_year"),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or not (chosen := dialog.chosen()):
        return False
    done = session.change(
        f"从指标库插入 {len(chosen)} 条指标",
        lambda document: add_from_library(
            document, budget_project_uuid=project_uuid, entries=chosen
        ),
    )
    if done:  # the grid shows the inserted rows; the cursor goes there once events have run
        QTimer.singleShot(0, lambda: _go_to_value(parent, chosen[0].level3))
    return done


def _go_to_value(window: QWidget, level3: str) -> None:
    """Make current the empty 指标值 cell of the row named ``level3`` in the indicator grid
    ``window`` shows."""
    if not isValid(window):
        return
    shown = [g for g in window.findChildren(QTableView, "indicator_grid") if g.isVisible()]
    if not shown:
        return
    view = shown[0]
    model = view.model()
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    headings = dict(ROW_KINDS[Indicator].columns())  # the grid's headings, models/labels.py
    if headings["level3"] not in columns or headings["target_value"] not in columns:
        return
    name, value = columns.index(headings["level3"]), columns.index(headings["target_value"])
    for row in range(model.rowCount()):
        if model.index(row, name).data() == level3 and not model.index(row, value).data():
            view.setCurrentIndex(model.index(row, value))
            return


def add_library_actions(
    view: QTableView,
    session: DocumentSession,
    project_uuid: str,
    current: Callable[[], tuple[int, str] | None],
) -> QAction:
    """从指标库选择… (Ctrl+L) and 保存到个人指标库 in the grid's context menu; returns the
    first, for a button."""
    pick = QAction("从指标库选择…", view)
    pick.setShortcut(QKeySequence(PICK_KEYS))
    pick.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    pick.triggered.connect(lambda: pick_from_library(view.window(), session, project_uuid))
    save = QAction("保存到个人指标库", view)

    def save_row() -> None:
        selected = current()
        if selected is None:
            return
        values = {
            field: session.read_field(Indicator, selected[1], field)
            for field in ("level1", "level2", "level3", "description", "target_value", "basis")
        }
        try:
            entry = personal.entry_from_row(**values)
            new, note = personal.save_row(entry)
        except LibraryFileError as exc:
            prompter_for(view.window()).error("未保存", exc.message)
            return
        if note:
            prompter_for(view.window()).error("个人指标库已损坏", note)
        view.window().statusBar().showMessage(  # type: ignore[attr-defined]  # window() is typed QWidget; here it is the QMainWindow
            f"已{'保存' if new else '更新'}到个人指标库：{entry.level3}", 8000
        )

    save.triggered.connect(save_row)
    view.addAction(pick)
    view.addAction(save)
    return pick


def remember_opened(document: Document, declaration_uuid: str) -> None:
    """Remember the 三级指标 names of the unit just shown (suggested first next time)."""
    from desktop.services.library import indicator_names

    names = indicator_names(document, declaration_uuid=declaration_uuid, limit=personal.MAX_USED)
    personal.remember_used(names)
