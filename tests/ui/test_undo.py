"""One undo history: field edits, row inserts, removals and moves, each one step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.models import Indicator
from desktop.settings import Settings
from desktop.ui.binding import display_value
from desktop.ui.controllers.printing import PrintController
from desktop.ui.editors import CellTextEditor
from desktop.ui.main_window import MainWindow
from tests.ui.test_main_window import _grid, _window, type_text


def test_ctrl_z_in_a_field_undoes_in_the_document(qtbot: QtBot, sample_path: Path) -> None:
    """Ctrl+Z / Ctrl+Y typed while the cursor is in any field undo and redo the document's
    steps (the field's own undo used to take the keys); typing under way is one step."""
    window = _window(qtbot, sample_path)
    total = window.findChild(QLineEdit, "total_budget")
    total.setFocus()
    total.selectAll()
    type_text(total, "500")
    qtbot.keyClick(total, Qt.Key.Key_Tab)  # the cursor is now in the next field
    assert total.text() == "500"
    following = QApplication.focusWidget()
    assert following is not total and isinstance(following, QLineEdit)
    qtbot.keyClick(following, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert total.text() == "492.87"
    qtbot.keyClick(following, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert total.text() == "500"
    paragraph = window.findChild(QPlainTextEdit, "overall_target")
    before = paragraph.toPlainText()
    paragraph.setFocus()
    type_text(paragraph, "（补充）")  # not yet committed: Ctrl+Z commits, then undoes it
    qtbot.keyClick(paragraph, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert paragraph.toPlainText() == before
    assert window.session.load_declaration().overall_target == before
    window.close()


def test_tab_leaves_a_paragraph_field(qtbot: QtBot, sample_path: Path) -> None:
    """Tab in 总体绩效目标 moves to the next field; no tab character is typed."""
    window = _window(qtbot, sample_path)
    paragraph = window.findChild(QPlainTextEdit, "overall_target")
    paragraph.setFocus()
    before = paragraph.toPlainText()
    qtbot.keyClick(paragraph, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not paragraph
    assert paragraph.toPlainText() == before and "\t" not in before
    window.close()


def _reopen(qtbot: QtBot, window: MainWindow, path: Path) -> MainWindow:
    window.close()
    return _window(qtbot, path)


def test_field_edit_undo_and_redo(qtbot: QtBot, sample_path: Path) -> None:
    """A typed value is one step: undo restores the old text in the file and the field."""
    window = _window(qtbot, sample_path)
    unit = window.findChild(QLineEdit, "unit_name")
    unit.setFocus()
    unit.selectAll()
    type_text(unit, "乐亭县机关事务服务中心")
    qtbot.keyClick(unit, Qt.Key.Key_Tab)
    assert window.undo_action.text() == "撤销 修改“单位名称”"
    window.undo_action.trigger()
    assert unit.text() == "乐亭县机关事务中心"
    window.redo_action.trigger()
    assert unit.text() == "乐亭县机关事务服务中心"
    window.undo_action.trigger()
    reopened = _reopen(qtbot, window, sample_path)
    assert reopened.findChild(QLineEdit, "unit_name").text() == "乐亭县机关事务中心"
    reopened.close()


def test_grid_rows_insert_move_delete_each_undone(qtbot: QtBot, sample_path: Path) -> None:
    """Insert below, move up and delete by keyboard in the grid; each is undone alone."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # insert below
    view = _grid(window)
    assert view.model().rowCount() == 8
    assert view.model().index(1, 2).data() == ""
    # it joins the group of the row it was inserted beside (一级/二级 taken over)
    assert [view.model().index(1, c).data() for c in (0, 1)] == ["产出指标", "数量指标"]
    assert view.currentIndex().row() == 1  # the new row is selected
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # move it up
    view = _grid(window)
    assert (
        view.model().index(0, 2).data() == ""
        and view.model().index(1, 2).data() == "维护监控公车数量"
    )
    view.setFocus()
    view.setCurrentIndex(view.model().index(2, 2))
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # delete
    view = _grid(window)
    assert view.model().rowCount() == 7
    assert "项目完成率" not in [view.model().index(r, 2).data() for r in range(7)]
    assert window.undo_action.text() == "撤销 删除指标行"  # the row kind's word (models/labels.py)
    window.undo_action.trigger()  # the delete
    assert _grid(window).model().index(2, 2).data() == "项目完成率"
    window.undo_action.trigger()  # the move
    assert _grid(window).model().index(0, 2).data() == "维护监控公车数量"
    window.undo_action.trigger()  # the insert
    assert _grid(window).model().rowCount() == 7
    reopened = _reopen(qtbot, window, sample_path)
    assert _grid(reopened).model().rowCount() == 7
    reopened.close()


def test_new_project_then_undo(qtbot: QtBot, sample_path: Path) -> None:
    """新增 adds a blank project table after the selected one and shows it; undo removes it."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    projects = window.findChild(QListWidget, "budget_project_list")
    projects.setCurrentRow(2)
    add = next(b for b in window.tabs.widget(2).findChildren(QPushButton) if b.text() == "新增")
    add.click()
    projects = window.findChild(QListWidget, "budget_project_list")
    assert projects.count() == 4 and projects.currentRow() == 3
    assert projects.item(3).text() == "4. （未命名项目）"
    assert _grid(window).model().rowCount() == 7  # the template rows
    window.undo_action.trigger()
    assert window.findChild(QListWidget, "budget_project_list").count() == 3


def test_remove_key_task_and_undo(qtbot: QtBot, sample_path: Path) -> None:
    """删除 on a key task removes it; undo brings its text back."""
    window = _window(qtbot, sample_path)
    window.findChild(QPushButton, "key_task_remove_1").click()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChild(QLineEdit, "key_task_title_1").text() == "接待活动管理"
    window.undo_action.trigger()
    assert window.findChild(QLineEdit, "key_task_title_1").text() == "招商综合服务"
    window.close()


def test_undo_history_belongs_to_the_document(
    qtbot: QtBot, sample_path: Path, tmp_path: Path
) -> None:
    """Opening another file starts a fresh history (nothing to undo)."""
    from desktop.services.documents import write_sample

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.files.open_path(sample_path)
    window.session.rows.insert_row(
        type(window.session.load_declaration().key_tasks[0]), window.session.declaration_uuid, 0
    )
    assert window.undo_action.isEnabled()
    other = tmp_path / "other.jxdb"
    write_sample(other).close()
    window.files.open_path(other)
    assert not window.undo_action.isEnabled()
    window.close()


def test_chinese_input_method_into_a_selected_cell(qtbot: QtBot, sample_path: Path) -> None:
    """Typing Chinese on a selected cell: the pinyin being composed opens the editor and is
    not committed as text; the committed characters replace the cell, as in Excel."""
    from PySide6.QtGui import QInputMethodEvent

    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    QApplication.sendEvent(view, QInputMethodEvent("shu", []))  # composing, nothing committed
    assert view.state() == view.State.EditingState
    commit = QInputMethodEvent()
    commit.setCommitString("数百辆")
    QApplication.sendEvent(QApplication.focusWidget(), commit)
    editor = QApplication.focusWidget()
    assert isinstance(editor, CellTextEditor) and editor.toPlainText() == "数百辆"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _grid(window).model().index(0, 4).data() == "数百辆")
    window.close()


def test_enter_commits_and_moves_down_like_excel(qtbot: QtBot, sample_path: Path) -> None:
    """Typing in a cell then Enter stores it and selects the cell below."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    index = view.model().index(1, 4)
    view.setCurrentIndex(index)
    type_text(view, "99%")
    editor = QApplication.focusWidget()
    assert isinstance(editor, CellTextEditor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _grid(window).currentIndex().row() == 2)
    assert _grid(window).model().index(1, 4).data() == "99%"
    window.close()


def test_alt_enter_breaks_the_line_in_a_cell(qtbot: QtBot, sample_path: Path) -> None:
    """Alt+Enter (as in Excel) and Shift+Enter put a line break in the cell's text; Enter
    then stores the lines; the editor grows to show them, from the cell down."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    index = view.model().index(0, 3)
    view.setFocus()
    view.setCurrentIndex(index)
    type_text(view, "第一行")
    editor = QApplication.focusWidget()
    assert isinstance(editor, CellTextEditor)
    cell = view.visualRect(index)
    assert editor.geometry().top() == cell.top() and editor.width() == cell.width()
    one_line = editor.height()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(editor, "第二行")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(editor, "第三行" * 20)  # wraps at the cell's width
    assert editor.height() > one_line
    assert editor.height() >= 4 * editor.fontMetrics().lineSpacing()  # 2 lines + 2 wrapped
    assert editor.geometry().top() == cell.top()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    expected = "第一行\n第二行\n" + "第三行" * 20
    qtbot.waitUntil(lambda: _grid(window).model().index(0, 3).data() == expected)
    row_uuid = view.model().row_uuid(0)
    assert window.session.read_field(Indicator, row_uuid, "description") == expected
    window.close()


def test_f2_edits_the_text_in_place(qtbot: QtBot, sample_path: Path) -> None:
    """F2 (or a double click) keeps the cell's text with the cursor at its end."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, CellTextEditor)
    type_text(editor, "以上")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model().index(0, 4).data() == "325辆以上")
    window.close()


def test_tab_commits_and_escape_cancels_a_cell(qtbot: QtBot, sample_path: Path) -> None:
    """Tab stores the cell and moves right; Esc leaves the cell as it was."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    type_text(view, "300辆")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.model().index(0, 4).data() == "300辆"
    assert view.currentIndex().column() == 5  # moved right
    view.edit(view.currentIndex())
    type_text(QApplication.focusWidget(), "不要的文字")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert view.model().index(0, 5).data() == "年初工作计划"
    assert view.state() != view.State.EditingState
    window.close()


def test_level_columns_offer_the_profile(qtbot: QtBot, sample_path: Path) -> None:
    """一级指标 offers the level-1 names; 二级指标 those of the row's level-1; typing allowed."""
    from PySide6.QtWidgets import QComboBox

    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.edit(view.model().index(3, 1))  # 效益指标 row
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    ]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: _grid(window).model().index(3, 1).data() == "社会效益指标")
    window.close()


def test_link_change_is_undone(qtbot: QtBot, sample_path: Path) -> None:
    """Choosing another budget project for an item target is one step; undo shows the old."""
    from PySide6.QtWidgets import QComboBox

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(1)
    combo = window.findChild(QComboBox, "item_budget_project")
    assert combo.currentText().endswith("接待管理经费")
    combo.setCurrentIndex(0)  # （不关联）
    assert window.undo_action.text() == "撤销 修改“对应预算项目”"
    window.undo_action.trigger()
    assert combo.currentText().endswith("接待管理经费")
    window.close()


def test_total_shows_the_difference_to_the_projects(qtbot: QtBot, sample_path: Path) -> None:
    """The overview shows the projects' sum beside the total, and the difference when any."""
    from PySide6.QtWidgets import QLabel

    window = _window(qtbot, sample_path)
    summary = window.findChild(QLabel, "project_sum")
    assert summary.text() == "（各预算项目合计 492.87 万元）"
    window.session.set_field(
        type(window.session.load_declaration()),
        window.session.declaration_uuid,
        "total_budget",
        "500",
    )
    qtbot.waitUntil(lambda: "相差 7.13 万元" in summary.text())
    window.close()


def test_generate_item_targets_button(qtbot: QtBot, sample_path: Path) -> None:
    """The 从项目表生成 button asks before replacing written statements (否 changes
    nothing), then writes § 二 from the tables; one undo step restores it."""
    window = _window(qtbot, sample_path)
    window.prompter.script(False, True)  # 否, then 是
    window.tabs.setCurrentIndex(1)
    window.findChild(QPushButton, "generate_item_targets").click()
    assert "指标表述会被替换" in window.prompter.said("confirm")[0]
    assert not window.undo_action.isEnabled()
    window.findChild(QPushButton, "generate_item_targets").click()
    items = window.findChild(QListWidget, "item_target_list")
    assert items.item(0).text() == "接待管理经费"
    assert window.undo_action.text() == "撤销 从项目表生成分项目标"
    window.undo_action.trigger()
    assert (
        window.findChild(QListWidget, "item_target_list").item(0).text() == "接待活动管理经费项目"
    )
    window.close()


def test_profile_switch_changes_pickers_and_review(qtbot: QtBot, sample_path: Path) -> None:
    """Switching to the 2021 central template offers 成本指标 as a level-1 and reviews by it;
    undo switches back."""
    from PySide6.QtWidgets import QComboBox

    window = _window(qtbot, sample_path)
    profile = window.findChild(QComboBox, "profile")
    profile.setCurrentIndex(profile.findData("central2021"))
    assert window.session.load_declaration().profile == "central2021"
    view = _grid(window)
    view.edit(view.model().index(0, 0))
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "产出指标",
        "成本指标",
        "效益指标",
        "满意度指标",
    ]
    window.undo_action.trigger()
    assert profile.currentData() == "county"
    assert window.session.load_declaration().profile == "county"
    window.close()


def test_refused_cell_is_marked_and_nothing_changes(qtbot: QtBot, sample_path: Path) -> None:
    """A percent over 100 in the disbursement plan: the cell keeps the typed text, red, for
    correcting; the reason is in the status bar and the tooltip; the stored value stays; a
    good value clears the mark; undo then shows the stored values again."""
    from PySide6.QtWidgets import QTableView

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    plan = window.findChild(QTableView, "disbursement_plan").model()
    cell = plan.index(0, 1)
    assert not plan.setData(cell, "150%")
    assert "0～100%" in window.statusBar().currentMessage()
    assert plan.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert plan.data(cell) == plan.data(cell, Qt.ItemDataRole.EditRole) == "150%"
    assert "0～100%" in plan.data(cell, Qt.ItemDataRole.ToolTipRole)
    stored = window.session.read_field(plan.row_type, plan.row_uuid(0), "cumulative_percent")
    assert display_value(stored, True) == "30%"
    assert plan.setData(cell, "35")
    assert plan.data(cell, Qt.ItemDataRole.BackgroundRole) is None
    assert plan.data(cell) == "35%"
    assert not plan.setData(cell, "abc")
    window.undo_action.trigger()  # the 35 goes: the cell shows the stored 30%, unmarked
    assert plan.data(cell) == "30%"
    assert plan.data(cell, Qt.ItemDataRole.BackgroundRole) is None
    window.close()


def test_menu_shortcuts_work_from_a_field(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+E (导出PDF) with the cursor in 单位名称 runs the command (on Linux a line edit
    took it as “end of line”); Ctrl+C there still copies the field's text."""
    asked: list[bool] = []
    monkeypatch.setattr(PrintController, "options", lambda self, ask: asked.append(ask))
    window = _window(qtbot, sample_path)
    unit = window.findChild(QLineEdit, "unit_name")
    unit.setFocus()
    unit.selectAll()
    # with X11's key scheme (xcb) a line edit accepts Ctrl+E's shortcut override for itself;
    # the offscreen platform's scheme does not: the fields' key filter is asked directly
    control = Qt.KeyboardModifier.ControlModifier
    keys = window.session.fields._field_keys
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E, control)
    override.accept()
    assert keys.eventFilter(unit, override) and not override.isAccepted()
    copy = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_C, control)
    assert not keys.eventFilter(unit, copy)  # the field's own
    qtbot.keyClick(unit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == [True]
    qtbot.keyClick(unit, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "乐亭县机关事务中心"
    window.close()
