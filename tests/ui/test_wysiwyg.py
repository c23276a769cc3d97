"""What the clerk sees is what prints: generated sentences shown where they print,
refused input named everywhere, the keyboard in reading order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.ui.test_main_window import _window, type_text


def test_budget_sentence_shows_where_it_prints(qtbot: QtBot, sample_path: Path) -> None:
    """部门整体 shows the generated 申请预算资金 sentence above 总体绩效目标, follows the
    amount, and says it is left out once the clerk's text says it (as the seed's does)."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(0)
    preview = window.findChild(QLabel, "budget_sentence_preview")
    assert preview is not None and preview.isVisible()
    sentence = "本部门2022年度申请预算资金492.87万元，无专项项目。"
    assert f"打印时在此自动印出：{sentence}" in preview.text()
    target = window.findChild(QPlainTextEdit, "overall_target")
    assert preview.geometry().bottom() <= target.geometry().top()  # above it, as printed

    total = window.findChild(QLineEdit, "total_budget")
    total.setFocus()
    total.selectAll()
    type_text(total, "500")
    qtbot.waitUntil(lambda: "申请预算资金500万元" in preview.text(), timeout=3000)

    target.setFocus()
    target.selectAll()
    type_text(target, "本部门2022年度申请预算资金500万元，无专项项目。\n本部门年初设定的目标是……")
    qtbot.waitUntil(lambda: "不再自动印出" in preview.text(), timeout=3000)
    window.grab().save("/tmp/wysiwyg-overview.png")
    window.close()


def test_item_heading_shows_as_printed(qtbot: QtBot, sample_path: Path) -> None:
    """分项目标 shows the item's printed heading (名称，预算资金…万元) and follows its name."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(1)
    heading = window.findChild(QLabel, "item_heading_preview")
    assert heading.text() == "接待活动管理经费项目，预算资金184万元"
    title = window.findChild(QLineEdit, "item_title")
    title.setFocus()
    title.selectAll()
    type_text(title, "接待活动管理经费项目,预算资金184万元")
    qtbot.waitUntil(lambda: heading.text() == "接待活动管理经费项目,预算资金184万元", timeout=3000)
    window.grab().save("/tmp/wysiwyg-items.png")
    window.close()


def _grid(window):
    from tests.ui.test_main_window import _grid as grid

    return grid(window)


def test_tab_follows_reading_order_on_overview(qtbot: QtBot, sample_path: Path) -> None:
    """Tab from 任务1名称 goes to 任务1内容, then 任务2名称 …; the row buttons come after the
    rows, not between a task's name and its content."""
    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(0)
    order = []
    widget = window.findChild(QLineEdit, "key_task_title_1")
    for _ in range(6):
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert order == [
        "key_task_title_1",
        "key_task_body_1",
        "key_task_title_2",
        "key_task_body_2",
        "key_task_title_3",
        "key_task_body_3",
    ]
    first = window.findChild(QLineEdit, "key_task_title_1")
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert window.focusWidget().objectName() == "key_task_body_1"
    window.close()


def _tab_sequence(start, count: int) -> list[str]:
    """The object names (class for unnamed) Tab visits from ``start``, as QWidget's chain."""
    names, widget = [], start
    for _ in range(count):
        names.append(widget.objectName() or type(widget).__name__)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    return names


def test_tab_follows_reading_order_on_list_tabs(qtbot: QtBot, sample_path: Path) -> None:
    """On 分项目标 and 项目绩效目标表 Tab goes from the list to the selected row's fields
    in reading order (the list's buttons after them), also after choosing another row."""
    from PySide6.QtWidgets import QListWidget

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(1)
    items = window.findChild(QListWidget, "item_target_list")
    items.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "item_title").isVisible())
    assert _tab_sequence(items, 6) == [
        "item_target_list",
        "item_title",
        "item_budget",
        "item_budget_project",
        "statement_table",
        "QPushButton",  # 新增, after the fields
    ]
    window.tabs.setCurrentIndex(2)
    projects = window.findChild(QListWidget, "budget_project_list")
    projects.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "project_code").isVisible())
    assert _tab_sequence(projects, 11) == [
        "budget_project_list",
        "project_code",
        "project_name",
        "project_budget_amount",
        "project_fiscal_funds",
        "project_other_funds",
        "use_of_funds",
        "performance_target",
        "disbursement_plan",
        "indicator_grid",
        "QPushButton",
    ]
    window.close()


class _Shown(QObject):
    """Counts Show events of the widget it watches."""

    count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Show
        return False


def test_alt_down_and_f4_open_the_drop_down_not_move_the_row(
    qtbot: QtBot, sample_path: Path
) -> None:
    """Alt+↓ (and F4) in an open 二级指标 editor open its list, as a drop-down does; the row
    stays where it is and no undo step is recorded."""
    from PySide6.QtWidgets import QComboBox

    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 1))
    steps = window.session.undo_stack.count()
    for key, modifier in (
        (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
    ):
        view.edit(view.currentIndex())
        combo = view.focusWidget()
        assert isinstance(combo, QComboBox)
        shown = _Shown()
        combo.view().installEventFilter(shown)
        qtbot.keyClick(combo, key, modifier)
        # the list opened (offscreen, the popup's window then takes the focus and the
        # delegate closes the editor: a desktop keeps it open)
        assert shown.count == 1, key
        view = _grid(window)
    view = _grid(window)
    assert view.model().index(1, 2).data() == "项目完成率"  # not moved
    assert window.session.undo_stack.count() == steps
    window.close()


def test_a_move_that_cannot_move_records_nothing(qtbot: QtBot, sample_path: Path) -> None:
    """Alt+↓ on the last row (Alt+↑ on the first) changes nothing and adds no undo step."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    last = view.model().rowCount() - 1
    view.setCurrentIndex(view.model().index(last, 2))
    steps = window.session.undo_stack.count()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.session.undo_stack.count() == steps
    window.close()


def test_refused_percent_is_shown_reviewed_and_named_before_output(
    qtbot: QtBot, sample_path: Path, monkeypatch
) -> None:
    """120 typed into 10月底 (which holds 80%): the cell stays red after switching
    projects; the 审核 panel lists an 错误 that jumps to the cell; preview, PDF and Excel
    export first name it ("…10月底：输入的“120”未被接受，打印的是 80%") and stop on 否;
    the window may close without a question and shows it again after reopening."""
    from PySide6.QtWidgets import QListWidget, QTableView

    from tests.ui.test_main_window import _finding_row

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)
    projects = window.findChild(QListWidget, "budget_project_list")
    projects.setCurrentRow(1)  # 接待管理经费: 30 60 80 100
    plan = window.findChild(QTableView, "disbursement_plan")
    plan.setFocus()
    plan.setCurrentIndex(plan.model().index(2, 1))
    type_text(plan, "120")
    qtbot.keyClick(plan.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: plan.model().index(2, 1).data() == "120", timeout=2000)
    projects.setCurrentRow(0)
    projects.setCurrentRow(1)
    plan = window.findChild(QTableView, "disbursement_plan")
    assert plan.model().index(2, 1).data() == "120"  # still there, still red
    assert plan.model().index(2, 1).data(Qt.ItemDataRole.BackgroundRole) is not None

    qtbot.waitUntil(lambda: _finding_row(window, "错误", "未被接受") >= 0, timeout=3000)
    tree = window.review.tree
    item = tree.topLevelItem(_finding_row(window, "错误", "未被接受"))
    assert "10月底" in item.text(1) and "打印的是 80%" in item.text(2)
    window.tabs.setCurrentIndex(0)
    tree.setFocus()
    tree.setCurrentItem(item)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 2
    plan = window.findChild(QTableView, "disbursement_plan")
    qtbot.waitUntil(lambda: window.focusWidget() is plan)
    assert (plan.currentIndex().row(), plan.currentIndex().column()) == (2, 1)
    window.grab().save("/tmp/wysiwyg-pending.png")

    window.prompter.script(False, False, False, False)  # 否 to each question
    made: list[str] = []
    monkeypatch.setattr(window.printing, "write_pdf", lambda *a, **k: made.append("pdf"))
    monkeypatch.setattr(window.exchange, "export_xlsx", lambda *a, **k: made.append("xlsx"))
    monkeypatch.setattr(window.files, "ask_file", lambda *a, **k: made.append("asked") or None)
    window.printing.preview()
    window.printing.export_pdf_asked()
    window.exchange.export_xlsx_asked()
    window.printing.print()
    asked = window.prompter.said("confirm")
    note = "项目“接待管理经费”资金支出计划 10月底：输入的“120”未被接受，打印的是 80%"
    assert len(asked) == 4 and note in asked[0]
    assert "导出的是 80%" in asked[1] and "导出的是 80%" in asked[2]
    assert made == []  # 否: nothing produced, not even a file asked for
    assert window.close()
    reopened = _window(qtbot, sample_path)
    reopened.tabs.setCurrentIndex(2)
    reopened.findChild(QListWidget, "budget_project_list").setCurrentRow(1)
    assert reopened.findChild(QTableView, "disbursement_plan").model().index(2, 1).data() == "120"
    reopened.close()


def test_moving_a_row_with_its_cell_open_keeps_the_typing(qtbot: QtBot, sample_path: Path) -> None:
    """Alt+↓ while typing in a 三级指标 cell stores the text (as Enter would), then moves
    the row: the text goes with its row, nothing is lost; Alt+↓/Alt+↑ keep the cursor on
    the moved row, in the column it was in."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 2))
    type_text(view, "新名称")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = _grid(window)
    assert [view.model().index(r, 2).data() for r in (1, 2)] == ["项目完成时限", "新名称"]
    # the cursor goes with the row and stays in its column (it jumped to 一级指标)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 2)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    view = _grid(window)
    assert view.model().index(1, 2).data() == "新名称"
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 2)
    view.setCurrentIndex(view.model().index(1, 4))  # 指标值
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = _grid(window)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 4)
    window.close()
