"""The main window on the sample: edits reach the file and survive closing and reopening."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop import app
from desktop.models import BudgetProject
from desktop.paths import sample_copy
from desktop.settings import Settings, load_settings
from desktop.ui.document_view import TAB_TITLES
from desktop.ui.editors import BudgetProjectsEditor, CellTextEditor
from desktop.ui.main_window import MainWindow
from desktop.ui.prompter import Answer
from tests.ui.fakes import Asked, FakePrompter


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as a Chinese input method commits it (QTest's key clicks are ASCII-only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # focus changes (Tab, leaving a field) need it active
        window.show()
        window.activateWindow()
    assert window.files.open_path(path)
    return window


def file_menu(window: MainWindow):
    """The 文件 menu, the first of the menu bar's menus. Not ``menuBar().actions()[0].menu()``:
    PySide6 6.8 (the 信创 packages, docs/platforms.md) hands back a dead QMenu wrapper from
    ``menu()`` called on a temporary QAction wrapper."""
    from PySide6.QtWidgets import QMenu

    menu = window.menuBar().findChildren(QMenu)[0]
    assert menu.title() == "文件(&F)"
    return menu


def _grid(window: MainWindow):
    window.tabs.setCurrentIndex(2)
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor)
    assert editor.indicator_view is not None
    return editor.indicator_view


def test_tabs_show_every_part_of_the_sample(qtbot: QtBot, sample_path: Path) -> None:
    """Three Chinese tabs; the overview, item targets and grid show the sample's data."""
    window = _window(qtbot, sample_path)
    tabs: QTabWidget = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == list(TAB_TITLES)
    unit = window.findChild(QLineEdit, "unit_name")
    assert unit.text() == "乐亭县机关事务中心"
    assert window.findChild(QLineEdit, "total_budget").text() == "492.87"
    target = window.findChild(QPlainTextEdit, "overall_target")
    assert target.toPlainText().startswith("本部门年初设定的部门整体绩效指标是")
    view = _grid(window)
    model = view.model()
    assert model.rowCount() == 7
    assert model.index(0, 4).data() == "325辆"
    # level-1 cells merged as on paper: 产出 3 rows, 效益 3 rows, 满意度 alone
    assert [view.rowSpan(r, 0) for r in (0, 3, 6)] == [3, 3, 1]


def test_edits_survive_close_and_reopen(qtbot: QtBot, sample_path: Path) -> None:
    """A 指标值 typed in the grid and a paragraph typed in the overview are in the file."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    index = view.model().index(0, 4)
    view.setFocus()
    view.setCurrentIndex(index)
    type_text(view, "330辆")  # typed on the cell: opens its editor, replaces the text
    cell_editor = view.focusWidget()
    assert isinstance(cell_editor, CellTextEditor)
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: view.model().index(0, 4).data() == "330辆")

    window.tabs.setCurrentIndex(0)
    paragraph = window.findChild(QPlainTextEdit, "overall_target")
    paragraph.setFocus()
    paragraph.selectAll()
    type_text(paragraph, "新的总体目标。")
    with qtbot.waitSignal(window.session.saved, timeout=3000):
        pass
    window.close()

    reopened = _window(qtbot, sample_path)
    assert _grid(reopened).model().index(0, 4).data() == "330辆"
    assert reopened.findChild(QPlainTextEdit, "overall_target").toPlainText() == "新的总体目标。"
    reopened.close()


def test_bad_amount_is_refused_in_chinese(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed amount is not stored; the status line says what to type; the input
    stays red in its field after reopening (kept in the file), the stored value unchanged."""
    from desktop.models import Declaration

    window = _window(qtbot, sample_path)
    total = window.findChild(QLineEdit, "total_budget")
    total.setFocus()
    total.selectAll()
    type_text(total, "四百九十")
    qtbot.keyClick(total, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "不是有效的金额" in window.statusBar().currentMessage())
    window.close()
    reopened = _window(qtbot, sample_path)
    total = reopened.findChild(QLineEdit, "total_budget")
    assert total.text() == "四百九十" and "fde2e2" in total.styleSheet()
    assert "不是有效的金额" in total.toolTip()
    session = reopened.session
    stored = session.read_field(Declaration, session.declaration_uuid, "total_budget")
    assert str(stored) == "492.87"
    reopened.close()


def test_indicator_model_passes_model_tester(
    qtbot: QtBot, qtmodeltester, sample_path: Path
) -> None:
    """The indicator grid's model follows Qt's model contract."""
    window = _window(qtbot, sample_path)
    qtmodeltester.check(_grid(window).model())
    window.close()


def test_refused_file_shows_message_and_keeps_current(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    """Opening a foreign file shows a Chinese warning and leaves the open document alone."""
    window = _window(qtbot, sample_path)
    bad = tmp_path / "bad.jxdb"
    bad.write_bytes(b"PK\x03\x04 not ours")
    assert not window.files.open_path(bad)
    shown = window.prompter.said("error")
    assert shown and "不是绩效目标文件" in shown[0]
    assert window.session is not None and window.session.document.path == sample_path.resolve()
    window.close()


def test_first_start_opens_sample_then_last_file(qtbot: QtBot, sample_path: Path) -> None:
    """With no argument the first start opens the sample; later starts the last file."""
    first = app.start([])
    qtbot.addWidget(first)
    assert first.session.document.path == sample_copy().resolve()
    first.files.open_path(sample_path)
    first.close()
    assert load_settings().recent_files[0] == str(sample_path.resolve())
    second = app.start([])
    qtbot.addWidget(second)
    assert second.session.document.path == sample_path.resolve()
    second.close()


def test_export_pdf_from_window(qtbot: QtBot, sample_path: Path, tmp_path: Path) -> None:
    """文件 → 导出PDF writes the PDF of the open document."""
    window = _window(qtbot, sample_path)
    out = tmp_path / "out.pdf"
    assert window.printing.export_pdf(out)
    assert out.read_bytes().startswith(b"%PDF")
    window.close()


def test_detail_shows_edits_after_switching_rows(qtbot: QtBot, sample_path: Path) -> None:
    """A renamed project keeps its new name when the clerk selects another and comes back."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    projects = window.findChild(QListWidget, "budget_project_list")
    name = window.findChild(QLineEdit, "project_name")
    name.setFocus()
    name.selectAll()
    type_text(name, "公务用车平台运维")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: projects.item(0).text() == "1. 公务用车平台运维")
    projects.setCurrentRow(1)
    assert window.findChild(QLineEdit, "project_name").text() == "接待管理经费"
    projects.setCurrentRow(0)
    assert window.findChild(QLineEdit, "project_name").text() == "公务用车平台运维"
    window.close()


def test_project_sum_follows_budget_edits(qtbot: QtBot, sample_path: Path) -> None:
    """The sum of the projects' 预算数 beside the total follows an edited amount."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    amount = window.findChild(QLineEdit, "project_budget_amount")
    amount.setFocus()
    amount.selectAll()
    type_text(amount, "10.87")
    qtbot.keyClick(amount, Qt.Key.Key_Tab)
    summary = window.findChild(QLabel, "project_sum")
    qtbot.waitUntil(lambda: "494.87" in summary.text())
    window.close()


def test_typing_then_switching_rows_at_once_loses_nothing(qtbot: QtBot, sample_path: Path) -> None:
    """Text typed just before selecting another project is committed, not dropped."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    target = window.findChild(QPlainTextEdit, "performance_target")
    target.setFocus()
    target.selectAll()
    type_text(target, "新的绩效目标")
    window.findChild(QListWidget, "budget_project_list").setCurrentRow(2)  # within 400 ms
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # old detail really gone
    window.close()
    reopened = _window(qtbot, sample_path)
    reopened.tabs.setCurrentIndex(2)
    assert reopened.findChild(QPlainTextEdit, "performance_target").toPlainText() == "新的绩效目标"
    reopened.close()


def test_typed_amount_shows_as_stored(qtbot: QtBot, sample_path: Path) -> None:
    """A full-width amount with separators is stored exactly and shown as stored on leaving."""
    window = _window(qtbot, sample_path)
    total = window.findChild(QLineEdit, "total_budget")
    total.setFocus()
    total.selectAll()
    type_text(total, "１，２３４．５０")
    qtbot.keyClick(total, Qt.Key.Key_Tab)
    assert total.text() == "1234.50"
    window.close()
    reopened = _window(qtbot, sample_path)
    assert reopened.findChild(QLineEdit, "total_budget").text() == "1234.50"
    reopened.close()


def test_new_file_is_a_blank_form(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    """文件 → 新建 asks unit, year and profile (unit required), offers a file name, then
    gives a blank form: one project with the checkpoints and template rows."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.dialogs import NewDeclarationDialog

    target = tmp_path / "新的 文件"
    prompter = FakePrompter(target)
    window = MainWindow(Settings(), prompter)
    qtbot.addWidget(window)

    def fill(dialog: NewDeclarationDialog) -> int:
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # a declaration needs its unit
        dialog.unit_code.setText("507003")
        assert not ok.isEnabled()
        dialog.unit_name.setText("乐亭县测试局")
        assert ok.isEnabled()
        dialog.year.setValue(2027)
        return 1

    monkeypatch.setattr(NewDeclarationDialog, "exec", fill)
    window.files.new()
    assert [Path(start).name for start in prompter.said("save_file")] == [
        "乐亭县测试局2027年绩效目标.jxdb"
    ]
    assert window.session.document.path == target.with_suffix(".jxdb").resolve()
    declaration = window.session.load_declaration()
    assert (declaration.unit_code, declaration.unit_name, declaration.fiscal_year) == (
        "507003",
        "乐亭县测试局",
        2027,
    )
    grid = _grid(window).model()
    assert grid.rowCount() == 7
    assert [grid.index(r, 0).data() for r in (0, 3, 6)] == ["产出指标", "效益指标", "满意度指标"]
    plan = window.findChild(QTableView, "disbursement_plan").model()
    assert [plan.index(r, 0).data() for r in range(4)] == ["3月底", "6月底", "10月底", "12月底"]
    window.close()


def test_qt_dialogs_speak_chinese(qtbot: QtBot) -> None:
    """Qt's own buttons (OK/Cancel) are translated once the program starts."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.fonts import install_chinese_translations

    install_chinese_translations(QApplication.instance())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    from PySide6.QtCore import QCoreApplication

    # the file dialog's labels, missing from Qt's own catalogue, are filled in
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："


def _finding_row(window: MainWindow, status: str, words: str) -> int:
    tree = window.review.tree
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        if item.text(0) == status and words in item.text(1) + item.text(2):
            return row
    return -1


def test_review_panel_follows_edits_and_jumps_to_the_cell(qtbot: QtBot, sample_path: Path) -> None:
    """A 指标值 over 100% shows as 错误 in the panel; double-click selects the grid cell."""
    window = _window(qtbot, sample_path)
    qtbot.waitUntil(lambda: _finding_row(window, "警告", "完成值") >= 0)  # checked after paint
    assert "错误 0" in window.review.windowTitle()
    view = _grid(window)
    view.model().setData(view.model().index(1, 4), "120%")  # 项目完成率
    qtbot.waitUntil(lambda: _finding_row(window, "错误", "超过了 100%") >= 0, timeout=3000)
    assert "错误 1" in window.review.windowTitle()
    assert "错误 1" in window.status_line.review_label.text()
    window.tabs.setCurrentIndex(0)
    tree = window.review.tree
    item = tree.topLevelItem(_finding_row(window, "错误", "超过了 100%"))
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    # a real double-click is press, release, then the double-click press (QTest sends only that)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == 2
    grid = _grid(window)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 4)
    window.close()


def test_review_panel_jumps_to_a_field_by_keyboard(qtbot: QtBot, sample_path: Path) -> None:
    """Enter on a finding about an amount focuses the amount's field."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    window.findChild(QListWidget, "budget_project_list").setCurrentRow(1)
    fiscal = window.findChild(QLineEdit, "project_fiscal_funds")
    fiscal.setFocus()
    fiscal.selectAll()
    type_text(fiscal, "100")
    qtbot.keyClick(fiscal, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: _finding_row(window, "错误", "接待管理经费") >= 0, timeout=3000)
    window.tabs.setCurrentIndex(0)
    tree = window.review.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(_finding_row(window, "错误", "接待管理经费")))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 2
    assert window.findChild(QListWidget, "budget_project_list").currentRow() == 1
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "project_budget_amount")
    window.close()


def test_review_jumps_to_a_key_task_field(qtbot: QtBot, sample_path: Path) -> None:
    """A finding about a key task's 任务内容 focuses that task's field; one about the task
    as a whole its 任务名称 (the field that edits each is found as bound, not by name)."""
    from desktop.review import Location

    window = _window(qtbot, sample_path)
    assert window.session is not None
    task = window.session.load_declaration(project_rows=False).key_tasks[1]
    window.tabs.setCurrentIndex(2)
    window.view.jump_to(Location("key_task", task.uuid, "body", "年度主要任务第2项"))
    assert window.tabs.currentIndex() == 0
    body = window.findChild(QPlainTextEdit, "key_task_body_2")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is body)
    window.view.jump_to(Location("key_task", task.uuid, "", "年度主要任务第2项"))
    title = window.findChild(QLineEdit, "key_task_title_2")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title)
    window.close()


def test_review_panel_jumps_to_the_new_findings(qtbot: QtBot, sample_path: Path) -> None:
    """An unlinked 分项目标 with money and an empty 申请预算资金 are listed; Enter on each
    focuses the field to fix (预算资金 of the item, 申请预算资金 of 部门整体)."""
    from desktop.models import Declaration

    window = _window(qtbot, sample_path)
    qtbot.waitUntil(lambda: "错误 0" in window.review.windowTitle())
    assert window.session is not None
    project = window.session.load_declaration().budget_projects[0]  # 8.87 万元
    window.session.rows.remove_row(BudgetProject, project.uuid)
    window.session.set_field(Declaration, window.session.declaration_uuid, "total_budget", "")
    qtbot.waitUntil(lambda: _finding_row(window, "警告", "未关联预算项目") >= 0, timeout=3000)
    qtbot.waitUntil(lambda: _finding_row(window, "待填写", "申请预算资金") >= 0, timeout=3000)
    tree = window.review.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(_finding_row(window, "警告", "未关联预算项目")))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 1
    budget = window.findChild(QLineEdit, "item_budget")
    assert budget.text() == "8.87"  # the unlinked item's detail, built anew: shown a moment later
    qtbot.waitUntil(lambda: QApplication.focusWidget() is budget)
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(_finding_row(window, "待填写", "申请预算资金")))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "total_budget")
    window.close()


def test_warning_can_be_explained_from_the_panel(qtbot: QtBot, sample_path: Path) -> None:
    """填写说明… asks the explanation through the window's prompter (a box of several
    lines) and stores it; the warning shows as 已说明."""
    window = _window(qtbot, sample_path)
    window.prompter.script("完成值为上年实际，保留对比。")
    tree = window.review.tree
    qtbot.waitUntil(lambda: _finding_row(window, "警告", "完成值") >= 0)
    tree.setCurrentItem(tree.topLevelItem(_finding_row(window, "警告", "完成值")))
    window.review.explain_button.click()
    [asked] = window.prompter.asked
    assert (asked.kind, asked.title, asked.default) == ("multiline_text", "填写审核说明", "")
    assert asked.text.endswith("说明理由：") and "完成值" in asked.text
    assert _finding_row(window, "已说明", "完成值") >= 0
    assert "已说明 1" in window.review.windowTitle()
    window.close()


def test_roll_over_from_the_menu(qtbot: QtBot, sample_path: Path, tmp_path: Path) -> None:
    """从上年复制 offers a file name for next year, opens next year's declaration in the new
    file, amounts cleared on 否."""
    window = _window(qtbot, sample_path)
    target = tmp_path / "2023"
    window.prompter.script(Answer.NO, target)
    window.files.roll_over()
    offered = [Path(start).name for start in window.prompter.said("save_file")]
    assert offered == ["乐亭县机关事务中心2023年绩效目标.jxdb"]
    assert window.session.document.path == target.with_suffix(".jxdb").resolve()
    assert window.findChild(QLineEdit, "fiscal_year").text() == "2023"
    assert window.findChild(QLineEdit, "total_budget").text() == ""
    window.close()


def test_roll_over_copies_the_unit_shown(
    qtbot: QtBot, two_units_path: Path, tmp_path: Path
) -> None:
    """In a file of 汇总, 从上年复制 copies the unit chosen in 单位, not the file's first."""
    window = _window(qtbot, two_units_path)
    window.declaration_box.setCurrentIndex(1)
    window.declaration_box.activated.emit(1)
    assert window.findChild(QLineEdit, "unit_name").text() == "乐亭县档案馆"
    target = tmp_path / "next"
    window.prompter.script(Answer.YES, target)
    window.files.roll_over()
    assert window.session is not None
    assert window.session.document.path == target.with_suffix(".jxdb").resolve()
    assert window.findChild(QLineEdit, "unit_code").text() == "507003"
    assert window.findChild(QLineEdit, "unit_name").text() == "乐亭县档案馆"
    assert window.findChild(QLineEdit, "fiscal_year").text() == "2023"
    assert not window.declaration_bar.isVisibleTo(window)  # the new file holds that unit only
    window.close()


def test_review_follows_added_and_removed_projects(qtbot: QtBot, sample_path: Path) -> None:
    """Adding a blank project brings what it lacks into the panel (待填写, no red 错误) and
    changes the fingerprint; removing it takes them away again."""
    window = _window(qtbot, sample_path)
    qtbot.waitUntil(lambda: "错误 0" in window.review.windowTitle())
    fingerprint = window.status_line.fingerprint_label.text()
    window.session.rows.insert_row(BudgetProject, window.session.declaration_uuid, 3)
    qtbot.waitUntil(lambda: "待填写" in window.review.windowTitle(), timeout=3000)
    assert "错误 0　警告 1" in window.review.windowTitle()
    tree = window.review.tree
    todo = [tree.topLevelItem(r) for r in range(tree.topLevelItemCount())]
    todo = [item for item in todo if item.text(0) == "待填写"]
    assert todo and all(item.checkState(0) == Qt.CheckState.Unchecked for item in todo)
    assert tree.indexOfTopLevelItem(todo[0]) > _finding_row(window, "提示", "")  # listed last
    assert window.status_line.fingerprint_label.text() != fingerprint
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: "待填写" not in window.review.windowTitle(), timeout=3000)
    assert window.status_line.fingerprint_label.text() == fingerprint
    window.close()


def test_backup_on_open_and_restore_from_the_menu(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch
) -> None:
    """Opening makes the day's backup; 恢复备份 lists it, offers a file name saying what it
    is, opens it as a new file and says so."""
    from desktop.services import backups
    from desktop.ui.dialogs import RestoreBackupDialog

    window = _window(qtbot, sample_path)
    qtbot.waitUntil(lambda: len(backups.list_backups(sample_path)) == 1)  # made after paint
    shown: list[int] = []

    def choose(dialog: RestoreBackupDialog) -> int:
        shown.append(dialog.list.count())
        return 1

    monkeypatch.setattr(RestoreBackupDialog, "exec", choose)
    target = tmp_path / "从备份恢复"
    window.prompter.script(target)
    window.files.restore()
    offered = [Path(start).name for start in window.prompter.said("save_file")]
    assert shown == [1]
    assert offered[0].startswith(f"{sample_path.stem}-恢复") and offered[0].endswith(".jxdb")
    assert "的备份恢复为新文件" in window.statusBar().currentMessage()
    assert window.session.document.path == target.with_suffix(".jxdb").resolve()
    assert window.findChild(QLineEdit, "unit_name").text() == "乐亭县机关事务中心"
    window.close()


def test_file_dialogs_start_where_the_clerk_last_chose(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """导出PDF starts in the open file's folder (resolved, even when it was given relative);
    the next dialog, 导出Excel, starts in the folder chosen for the PDF, also after a
    restart; a remembered folder that is gone falls back to the file's folder."""
    from desktop.settings import load_settings

    starts: list[str] = []
    usb = tmp_path / "U盘"
    usb.mkdir()

    def dialog(asked: Asked) -> Path:
        starts.append(asked.text)
        return usb / Path(asked.text).name

    monkeypatch.chdir(sample_path.parent)
    window = MainWindow(load_settings(), FakePrompter(dialog))
    qtbot.addWidget(window)
    assert window.files.open_path(Path(sample_path.name))  # relative, as from a command line
    assert window.files.ask_file("导出PDF", "PDF 文件 (*.pdf)", save=True, suggested="a.pdf") == (
        usb / "a.pdf"
    )
    assert starts[0] == str(sample_path.parent.resolve() / "a.pdf")
    window.close()
    again = MainWindow(load_settings(), FakePrompter(dialog))
    qtbot.addWidget(again)
    assert again.files.open_path(sample_path)
    again.files.ask_file("导出Excel", "*.xlsx", save=True, suggested="a.xlsx")
    assert starts[1] == str(usb.resolve() / "a.xlsx")
    usb.rename(tmp_path / "拔下")
    assert again.files.start_folder() == sample_path.parent.resolve()
    again.close()


def test_closing_keeps_refused_input_without_asking(qtbot: QtBot, sample_path: Path) -> None:
    """A red field or cell (typed, refused) is not dropped on closing, nor asked about:
    it is in the file and shows red again after reopening; the stored values stay."""
    from PySide6.QtWidgets import QTableView

    window = _window(qtbot, sample_path)
    year = window.findChild(QLineEdit, "fiscal_year")
    year.setFocus()
    year.selectAll()
    type_text(year, "二〇二二")
    window.tabs.setCurrentIndex(2)  # the year is committed (refused) on leaving the field
    window.session.flush()
    plan = window.findChild(QTableView, "disbursement_plan")
    assert not plan.model().setData(plan.model().index(0, 1), "150%")
    assert window.close()  # no question (a message box would fail the test)
    reopened = _window(qtbot, sample_path)
    assert reopened.findChild(QLineEdit, "fiscal_year").text() == "二〇二二"
    reopened.tabs.setCurrentIndex(2)
    plan = reopened.findChild(QTableView, "disbursement_plan")
    assert plan.model().index(0, 1).data() == "150%"
    assert plan.model().index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert str(plan.model().value(0, "cumulative_percent")) == "30"
    reopened.close()


def test_switching_projects_keeps_refused_input(qtbot: QtBot, sample_path: Path) -> None:
    """A red 预算数 and a red cell of project 1 are there again, red, when project 1 is
    shown again after project 2; the file keeps the old values."""
    from PySide6.QtWidgets import QListWidget, QTableView

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    amount = window.findChild(QLineEdit, "project_budget_amount")
    amount.setFocus()
    amount.selectAll()
    type_text(amount, "12.3.4")
    window.session.flush()
    plan = window.findChild(QTableView, "disbursement_plan")
    assert not plan.model().setData(plan.model().index(0, 1), "150%")
    window.findChild(QListWidget, "budget_project_list").setCurrentRow(1)
    assert window.findChild(QLineEdit, "project_budget_amount").text() == "184.00"
    window.findChild(QListWidget, "budget_project_list").setCurrentRow(0)
    amount = window.findChild(QLineEdit, "project_budget_amount")
    assert amount.text() == "12.3.4" and "fde2e2" in amount.styleSheet()
    plan = window.findChild(QTableView, "disbursement_plan")
    assert plan.model().index(0, 1).data() == "150%"
    window.close()


def test_new_file_name_holds_no_path_characters(qtbot: QtBot) -> None:
    """A unit name with / : * ? gives a file name, not a folder path or an invalid name."""
    from desktop.ui.dialogs import NewDeclarationDialog

    dialog = NewDeclarationDialog(None)
    qtbot.addWidget(dialog)
    dialog.unit_name.setText("ab/cd:ef*?")
    assert dialog.suggested_file_name().startswith("ab_cd_ef__")
    assert "/" not in dialog.suggested_file_name()


def test_closing_with_a_bad_value_still_in_a_cell_editor_keeps_it(
    qtbot: QtBot, sample_path: Path
) -> None:
    """150% typed in a cell, Enter not pressed, then close: the value is tried, refused
    and kept in the file, shown red in its cell on reopening."""
    from PySide6.QtWidgets import QTableView

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    plan = window.findChild(QTableView, "disbursement_plan")
    plan.setFocus()
    plan.setCurrentIndex(plan.model().index(2, 1))
    type_text(plan, "150%")
    assert plan.state() == plan.State.EditingState
    assert window.close()
    reopened = _window(qtbot, sample_path)
    reopened.tabs.setCurrentIndex(2)
    plan = reopened.findChild(QTableView, "disbursement_plan")
    assert plan.model().index(2, 1).data() == "150%"
    reopened.close()


def test_file_commands_are_off_without_a_file(qtbot: QtBot, sample_path: Path) -> None:
    """With no file open (a file refused at start) the commands about the open file are off;
    新建, 打开 and 退出 stay on; opening a file turns them on."""
    from PySide6.QtWidgets import QMenu

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    menu = file_menu(window)
    assert isinstance(menu, QMenu)
    enabled = {a.text() for a in menu.actions() if a.isEnabled() and a.text()}
    assert {"新建(&N)…", "打开(&O)…", "退出(&X)"} <= enabled
    assert not enabled & {"汇总表(&T)…", "导出PDF(&E)…", "另存为(&A)…", "从上年复制(&Y)…"}
    assert window.files.open_path(sample_path)
    enabled = {a.text() for a in menu.actions() if a.isEnabled() and a.text()}
    assert {"汇总表(&T)…", "导出PDF(&E)…", "另存为(&A)…", "从上年复制(&Y)…"} <= enabled
    window.close()


def _labels(view: QTableView) -> list[tuple[str, str]]:
    model = view.model()
    return [(model.value(r, "level1"), model.value(r, "level2")) for r in range(model.rowCount())]


def test_a_merged_label_cell_edits_the_clerks_row(qtbot: QtBot, sample_path: Path) -> None:
    """Merged 一级指标 cells: Left from a row's 二级指标 then paste, and a click on the
    lower part of a merged cell then F2, each change the row the clerk is on, not the top
    row of the merged cell; the other rows stay merged; Qt warns of no foreign editor."""
    from PySide6.QtCore import QMimeData, qInstallMessageHandler

    window = _window(qtbot, sample_path)
    view = _grid(window)
    model = view.model()
    before = _labels(view)
    assert [r[0] for r in before[3:6]] == ["效益指标"] * 3  # merged on screen
    warnings: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _context, text: warnings.append(text))
    try:
        view.setFocus()
        view.setCurrentIndex(model.index(5, 1))  # row 6's 二级指标
        qtbot.keyClick(view, Qt.Key.Key_Left)
        assert (view.currentIndex().row(), view.currentIndex().column()) == (5, 0)
        mime = QMimeData()
        mime.setText("满意度指标")
        QApplication.clipboard().setMimeData(mime)
        qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert model.value(5, "level1") == "满意度指标"
        assert _labels(view)[:5] == before[:5]  # the merged cell's top row kept its label
        assert view.rowSpan(0, 0) == 3 and view.rowSpan(3, 0) == 2  # still merged

        # a click on the lower part of the merged 一级指标 cell of rows 0..2, then F2
        rect = view.visualRect(model.index(0, 0))
        assert rect.height() > 2 * view.rowHeight(0)
        below = rect.bottomLeft() + QPoint(rect.width() // 2, -view.rowHeight(2) // 2)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=below)
        assert view.currentIndex().row() == 2 and view.rowSpan(2, 0) == 1
        assert view.rowSpan(0, 0) == 2  # the rows above stay merged
        qtbot.keyClick(view, Qt.Key.Key_F2)
        editor = view.focusWidget()
        assert isinstance(editor, QComboBox)
        editor.lineEdit().setText("自定义指标")
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: model.value(2, "level1") == "自定义指标")
        assert model.value(0, "level1") == model.value(1, "level1") == "产出指标"
    finally:
        qInstallMessageHandler(previous)
    assert not [w for w in warnings if "does not belong to this view" in w], warnings


def test_a_row_inserted_in_a_merged_group_takes_its_own_label(
    qtbot: QtBot, sample_path: Path
) -> None:
    """Ctrl+I under 时效指标 adds a row merged with it (same 一级/二级); changing the new
    row's 二级指标 to 成本指标 changes that row, not the 时效指标 row above it."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(2, 1))  # 时效指标
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    view = _grid(window)
    model = view.model()
    assert _labels(view)[2:4] == [("产出指标", "时效指标")] * 2
    assert (view.currentIndex().row(), view.currentIndex().column()) == (3, 1)
    assert view.rowSpan(3, 1) == 1  # the clerk's row stands alone
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.focusWidget()
    assert isinstance(editor, QComboBox)
    editor.lineEdit().setText("成本指标")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: model.value(3, "level2") == "成本指标")
    assert model.value(2, "level2") == "时效指标"
    window.close()


def test_recheck_after_an_edit_reads_the_unit_shown_only(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a county's 汇总 file, the 审核 panel's re-check after an edit loads and reviews
    the unit shown, one declaration, not every unit of the file."""
    from sqlalchemy import event

    from benchmarks.generate import write_county
    from desktop.models import Declaration
    from desktop.services import reviewing

    path = write_county(tmp_path / "county.jxdb", units=4, projects=2, indicators=3)
    window = _window(qtbot, path)
    qtbot.waitUntil(lambda: bool(window.review.fingerprint))
    reviewed: list[str] = []
    real_review = reviewing.review
    monkeypatch.setattr(
        reviewing, "review", lambda d, **k: reviewed.append(d.uuid) or real_review(d, **k)
    )
    loaded: list[str] = []

    def on_load(target, _context) -> None:
        loaded.append(target.uuid)

    event.listen(Declaration, "load", on_load)
    try:
        shown = window.session.declaration_uuid
        with qtbot.waitSignal(window.review.checked, timeout=5000):
            assert window.session.set_field(Declaration, shown, "unit_name", "乐亭县第一单位")
    finally:
        event.remove(Declaration, "load", on_load)
    assert reviewed == [shown]
    assert set(loaded) == {shown}
    window.close()


def test_first_paint_comes_before_the_review_and_the_backup(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start (the file opened, then the window shown, as ``jixiao FILE`` does) the window
    is painted with the data first; the review and the day's backup come after."""
    from PySide6.QtCore import QObject

    from desktop.services import backups, reviewing

    order: list[str] = []
    real_check, real_backup = reviewing.check_document, backups.backup_daily
    monkeypatch.setattr(
        reviewing, "check_document", lambda *a: order.append("review") or real_check(*a)
    )
    monkeypatch.setattr(
        backups, "backup_daily", lambda *a: order.append("backup") or real_backup(*a)
    )

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint" not in order:
                order.append("paint")
            return False

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    paints = Paints()
    window.installEventFilter(paints)
    assert window.files.open_path(sample_path)
    assert window.findChild(QLineEdit, "unit_name").text()  # the data is there to paint
    window.show()
    qtbot.waitUntil(lambda: {"review", "backup"} <= set(order), timeout=5000)
    assert order[0] == "paint", order
    window.close()


def test_shown_data_is_settled_and_the_unit_left_is_collected(
    qtbot: QtBot, two_units_path: Path
) -> None:
    """Once the data is shown, the objects alive are frozen out of Python's collector (its
    full walks cost a county's re-check half its time); the unit left for another is not
    kept by that: its rows are collected."""
    import gc
    import weakref

    from sqlalchemy import event

    from desktop.models import Declaration

    loaded: list[weakref.ref] = []

    def on_load(target, _context) -> None:
        loaded.append(weakref.ref(target))

    event.listen(Declaration, "load", on_load)
    try:
        window = _window(qtbot, two_units_path)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
        first = window.session.declaration_uuid
        assert any(r() is not None and r().uuid == first for r in loaded)
        gc.unfreeze()  # from here on, a freeze is the switch's own
        window.declaration_box.setCurrentIndex(1)
        window.declaration_box.activated.emit(1)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    finally:
        event.remove(Declaration, "load", on_load)
    assert not [r for r in loaded if r() is not None and r().uuid == first]
    window.close()
    gc.collect()
    assert gc.get_freeze_count() == 0


def test_each_menu_uses_each_access_key_once(qtbot: QtBot, sample_path: Path) -> None:
    """Alt+F then a letter runs the entry at once only when no other entry of 文件 shares
    it (汇总表 and 保存 both had S, 比较 and 从Word导入 both D: the letter only moved the
    highlight). Checked for every menu of the menu bar and its submenus."""
    import re

    from PySide6.QtWidgets import QMenu

    window = _window(qtbot, sample_path)
    for menu in window.menuBar().findChildren(QMenu):
        keys = [
            match.group(1).upper()
            for action in menu.actions()
            if (match := re.search(r"&([^&])", action.text()))
        ]
        assert len(keys) == len(set(keys)), (menu.title(), sorted(keys))
