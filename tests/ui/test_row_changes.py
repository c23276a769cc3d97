"""Views apply Changes row by row: an insert, removal, move or paste (and their undo) reach
the grid and the project list as rowsInserted / rowsRemoved / rowsMoved, never as a reset
or a rebuilt tab; a project switch reads only that project's rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QMimeData, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from desktop.models import BudgetProject, Declaration, Indicator
from desktop.ui.editors import BudgetProjectsEditor
from desktop.ui.main_window import MainWindow
from tests.ui.test_main_window import _grid, _window


class _Heard:
    """What a model told its views."""

    def __init__(self, model: QAbstractItemModel) -> None:
        self.said: list[tuple[str, int, int]] = []
        model.rowsInserted.connect(lambda _, first, last: self.said.append(("+", first, last)))
        model.rowsRemoved.connect(lambda _, first, last: self.said.append(("-", first, last)))
        model.rowsMoved.connect(lambda _, first, __, ___, to: self.said.append(("move", first, to)))
        model.modelReset.connect(lambda: self.said.append(("reset", 0, 0)))
        model.layoutChanged.connect(lambda *_: self.said.append(("layout", 0, 0)))

    def take(self) -> list[tuple[str, int, int]]:
        said, self.said = self.said, []
        return said


def test_indicator_grid_applies_changes_row_by_row(qtbot: QtBot, sample_path: Path) -> None:
    """Insert, remove, move and paste in the indicator grid (and undo, redo) are told to
    the very same grid as rows inserted, removed and moved; the tab is not rebuilt."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    editor = window.tabs.widget(2)
    model = view.model()
    heard = _Heard(model)
    view.setFocus()
    view.setCurrentIndex(model.index(2, 2))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # insert below
    assert heard.take() == [("+", 3, 3)]
    assert view.currentIndex().row() == 3 and view.currentIndex().column() == 2
    assert model.rowCount() == 8
    window.undo_action.trigger()
    assert heard.take() == [("-", 3, 3)]
    window.redo_action.trigger()
    assert heard.take() == [("+", 3, 3)]
    view.setCurrentIndex(model.index(3, 2))
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # remove
    assert heard.take() == [("-", 3, 3)]
    view.setCurrentIndex(model.index(0, 2))
    first = model.row_uuid(0)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # move down
    assert heard.take() == [("move", 0, 2)]  # Qt's destination: before the row at 2
    assert model.row_uuid(1) == first and view.currentIndex().row() == 1
    window.undo_action.trigger()
    assert heard.take() == [("move", 1, 0)] and model.row_uuid(0) == first
    mime = QMimeData()
    mime.setText("甲\t1个\n乙\t2个\n丙\t3个\n")  # as Excel puts three rows on the clipboard
    QApplication.clipboard().setMimeData(mime)
    view.setCurrentIndex(model.index(6, 3))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert heard.take() == [("+", 7, 7), ("+", 8, 8)]  # row 6 overwritten, two added
    assert [model.index(r, 3).data() for r in (6, 7, 8)] == ["甲", "乙", "丙"]
    window.undo_action.trigger()
    assert heard.take() == [("-", 8, 8), ("-", 7, 7)]
    assert window.tabs.widget(2) is editor and _grid(window) is view  # nothing rebuilt
    window.close()


def test_project_list_applies_changes_row_by_row(qtbot: QtBot, sample_path: Path) -> None:
    """Adding, moving and removing a budget project reach the project list row by row;
    the 项目 tab stays the same widget, the new project is shown; the numbers follow."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor)
    heard = _Heard(editor.list.model())
    editor.list.setCurrentRow(0)
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert heard.take() == [("+", 1, 1)]
    assert editor.list.currentRow() == 1 and editor.list.item(1).text() == "2. （未命名项目）"
    assert editor.list.item(2).text().startswith("3. ")
    name = editor.findChild(QLineEdit, "project_name")
    assert name is not None and name.text() == ""  # the new project's detail shows
    qtbot.keyClick(editor.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert heard.take() == [("move", 1, 3)] and editor.list.currentRow() == 2
    qtbot.keyClick(editor.list, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert heard.take() == [("-", 2, 2)]
    window.undo_action.trigger()  # the removal undone: the project is back and shown
    assert heard.take() == [("+", 2, 2)] and editor.list.currentRow() == 2
    assert window.tabs.widget(2) is editor
    QApplication.processEvents()  # the detail's widgets are shown by a queued call
    assert editor.findChild(QLineEdit, "project_name").isVisible()
    window.close()


def test_project_switch_reads_only_the_shown_project(
    qtbot: QtBot, two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a file of two units, choosing the second unit reads no row of the other unit and
    the indicators of the one project shown only; showing another of its projects reads
    that project's indicators and no other row. (What the review reads is its own
    matter: #18 item 4.)"""
    window = _window(qtbot, two_units_path)
    monkeypatch.setattr(window.review, "recheck", lambda: None)
    loaded: list[object] = []

    def heard(target: object, _context: object) -> None:
        loaded.append(target)

    for cls in (Declaration, BudgetProject, Indicator):
        event.listen(cls, "load", heard)
    try:
        window.declaration_box.setCurrentIndex(1)
        window.declaration_box.activated.emit(1)
        shown = window.session.declaration_uuid
        declarations = [row for row in loaded if isinstance(row, Declaration)]
        assert {d.uuid for d in declarations} == {shown}  # the other unit is a name
        projects = [row for row in loaded if isinstance(row, BudgetProject)]
        assert {p.declaration_id for p in projects} == {declarations[0].id}
        indicators = [row for row in loaded if isinstance(row, Indicator)]
        assert {i.budget_project_id for i in indicators} == {projects[0].id}  # shown first
        assert len(indicators) == 7
        editor = window.tabs.widget(2)
        assert isinstance(editor, BudgetProjectsEditor)
        loaded.clear()
        editor.list.setCurrentRow(1)
        project = editor.findChild(QLineEdit, "project_name").text()
        assert project == "接待管理经费"
        indicators = [row for row in loaded if isinstance(row, Indicator)]
        owners = {row.budget_project_id for row in indicators}
        projects = [row for row in loaded if isinstance(row, BudgetProject)]
        assert [p.name for p in projects] == [project] and len(owners) == 1
        assert owners == {projects[0].id} and len(indicators) == 7
        assert not [row for row in loaded if isinstance(row, Declaration)]
    finally:
        for cls in (Declaration, BudgetProject, Indicator):
            event.remove(cls, "load", heard)
    window.close()


def test_key_tasks_follow_changes_in_place(qtbot: QtBot, sample_path: Path) -> None:
    """部门整体: adding, moving and removing a key task (and undo) change only that task's
    rows; the other tasks keep their fields (the same widgets), renumbered."""
    window = _window(qtbot, sample_path)
    overview = window.tabs.widget(0)
    first = window.findChild(QLineEdit, "key_task_title_1")
    assert first.text() == "招商综合服务"
    window.findChild(QPushButton, "key_task_add").click()
    fourth = window.findChild(QLineEdit, "key_task_title_4")
    assert fourth is not None and fourth.text() == ""
    window.findChild(QPushButton, "key_task_下移_1").click()
    assert window.findChild(QLineEdit, "key_task_title_2") is first  # moved, not rebuilt
    window.findChild(QPushButton, "key_task_remove_4").click()
    assert window.findChild(QLineEdit, "key_task_title_4") is None
    window.undo_action.trigger()  # the new task is back, empty, fourth
    assert window.findChild(QLineEdit, "key_task_title_4").text() == ""
    window.undo_action.trigger()  # the move undone
    assert window.findChild(QLineEdit, "key_task_title_1") is first
    assert window.tabs.widget(0) is overview
    labels = {label.text() for label in overview.findChildren(QLabel)}
    assert {f"任务{n}名称" for n in range(1, 5)} <= labels
    window.close()


def _spans(view: QTableView) -> list[tuple[tuple[int, int], ...]]:
    """(rowSpan, columnSpan) of every cell of ``view``, row by row."""
    columns = view.model().columnCount()
    return [
        tuple((view.rowSpan(r, c), view.columnSpan(r, c)) for c in range(columns))
        for r in range(view.model().rowCount())
    ]


def _same_as_a_fresh_grid(window: MainWindow) -> QTableView:
    """Assert that the shown grid's merged cells are those of a grid built afresh for
    the same project (another project shown and this one again, the same cell current);
    the fresh grid, to go on with."""
    view = _grid(window)
    shown = _spans(view)
    current = (view.currentIndex().row(), view.currentIndex().column())
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor)
    at = editor.list.currentRow()
    editor.list.setCurrentRow(1 if at == 0 else 0)
    editor.list.setCurrentRow(at)
    fresh = _grid(window)
    assert fresh is not view
    if current[0] >= 0:
        fresh.setCurrentIndex(fresh.model().index(*current))
    assert shown == _spans(fresh)
    fresh.setFocus()
    return fresh


def test_merged_label_cells_follow_every_row_change(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a library pick, Ctrl+I, removal, move, paste, undo, redo, a 一级指标 typed, a
    三级指标 completed and a row inserted by the session, the grid's merged 一级/二级指标
    cells are those of a grid built afresh with the same cell current (``keep_labels_merged``;
    the current row stands alone in both, by design)."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QCompleter, QDialog

    from desktop.ui.library import IndicatorLibraryDialog

    def pick(dialog: IndicatorLibraryDialog) -> int:
        dialog.type_box.setCurrentIndex(0)  # 全部项目类型
        dialog.search_box.setText("参训人数")
        dialog.table.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        dialog.table.selectionModel().select(dialog.table.model().index(0, 0), flags)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IndicatorLibraryDialog, "exec", pick)
    window = _window(qtbot, sample_path)
    view = _grid(window)
    assert [s[0][0] for s in _spans(view)] == [3, 3, 3, 3, 3, 3, 1]  # as on paper
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.currentIndex().row() == 3)  # the picked row, below 产出指标
    assert view.model().rowCount() == 8
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(0, 2))  # undo and redo leave the cursor there
    window.undo_action.trigger()
    view = _same_as_a_fresh_grid(window)
    window.redo_action.trigger()
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(2, 2))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(1, 2))
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = _same_as_a_fresh_grid(window)
    mime = QMimeData()
    mime.setText("产出指标\t数量指标\t甲\t\t1个\n产出指标\t数量指标\t乙\t\t2个\n")
    QApplication.clipboard().setMimeData(mime)
    view.setCurrentIndex(view.model().index(7, 0))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(0, 2))
    window.undo_action.trigger()
    view = _same_as_a_fresh_grid(window)
    assert view.model().setData(view.model().index(4, 0), "产出指标")
    view = _same_as_a_fresh_grid(window)
    cell = view.model().index(5, 2)
    view.setCurrentIndex(cell)
    view.edit(cell)
    editor = view.focusWidget()
    editor.setPlainText("验收合格")  # type: ignore[attr-defined]
    completer = editor.findChild(QCompleter)
    assert completer is not None
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    completer.activated.emit("设备验收合格率")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: view.model().value(5, "level3") == "设备验收合格率")
    view = _same_as_a_fresh_grid(window)
    view.setCurrentIndex(view.model().index(0, 2))  # a row inserted by the session itself
    project = view.model().parent_uuid
    labels = {"level1": "效益指标", "level2": "社会效益指标"}
    window.session.rows.insert_row(Indicator, project, 8, values=labels)  # type: ignore[union-attr]
    view = _same_as_a_fresh_grid(window)
    window.close()
