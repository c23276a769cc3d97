"""The year's stages in the window (issue 20, item 2): the 阶段 menu moves the unit to 监控
and 自评 (one undo step each; back refused while data exist), the grid and the project
show the stage's columns and fields, typed, pasted from Excel/WPS and undone; the declared
targets are frozen with a message naming 目标调整, whose dialog records it in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QMimeData, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.models import Declaration
from desktop.ui.main_window import MainWindow
from desktop.ui.stage_dialogs import AdjustmentRecordsDialog, TargetAdjustmentDialog
from tests.ui.test_main_window import _grid, _window


def _headings(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def _shown(view) -> list[str]:
    model = view.model()
    return [
        model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(model.columnCount())
        if not view.isColumnHidden(c)
    ]


def _column(model, field: str) -> int:
    return [name for name, _ in model.columns].index(field)


def _move(window: MainWindow, stage: str) -> None:
    window.prompter.script(True)  # 进入…阶段? yes
    assert window.stages.move_to(stage)


def test_move_to_monitoring_and_evaluation_shows_their_columns(
    qtbot: QtBot, sample_path: Path
) -> None:
    """At 监控 the grid shows 当前完成值 … 改进措施 after 三级指标 and 指标值 (描述 and 依据
    hidden), the project 预算执行数 with its 执行率, 部门整体 the 截至 month; at 自评 实际完成值
    … 偏差原因分析 with 分值; the status line says the stage; each move is one undo step."""
    window = _window(qtbot, sample_path)
    assert window.status_line.stage_label.text() == "阶段：申报"
    assert "当前完成值" not in _headings(_grid(window).model())
    _move(window, "监控")
    assert window.prompter.asked[-1].kind == "confirm"
    assert window.status_line.stage_label.text() == "阶段：监控"
    assert window.tabs.currentIndex() == 2  # the same tab shown again
    view = _grid(window)
    assert _shown(view) == [
        "一级指标", "二级指标", "三级指标", "指标值",
        "当前完成值", "全年预计", "能否完成", "偏差原因", "改进措施",
    ]  # fmt: skip
    assert window.findChild(QLineEdit, "project_executed_to_date") is not None
    assert window.findChild(QLineEdit, "monitoring_month") is not None
    assert window.undo_action.text() == "撤销 进入监控阶段"
    _move(window, "自评")
    view = _grid(window)
    assert _shown(view) == [
        "一级指标", "二级指标", "三级指标", "指标值", "分值",
        "实际完成值", "达成度", "得分", "偏差原因分析",
    ]  # fmt: skip
    assert window.findChild(QLineEdit, "project_annual_executed") is not None
    window.undo_action.trigger()
    assert window.status_line.stage_label.text() == "阶段：监控"
    window.undo_action.trigger()
    assert window.status_line.stage_label.text() == "阶段：申报"
    assert "当前完成值" not in _headings(_grid(window).model())
    window.close()


def test_stage_columns_typed_pasted_cleared_and_undone(qtbot: QtBot, sample_path: Path) -> None:
    """A 当前完成值 typed on the keyboard (Enter moves down), a block pasted from an Excel
    sheet into 当前完成值 and 全年预计, Delete, each one undo step; 完成可能性 is picked
    from its list, a value outside it refused."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    view = _grid(window)
    model = view.model()
    current = _column(model, "current_value")
    view.setFocus()
    view.setCurrentIndex(model.index(0, current))
    qtbot.keyClick(view, Qt.Key.Key_2)  # the key opens the cell's editor, as in Excel
    editor = view.focusWidget()
    qtbot.keyClicks(editor, "00")
    editor.insertPlainText("辆")  # (an input method's text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.index(0, current).data() == "200辆"
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1)
    mime = QMimeData()  # as Excel puts it: HTML (x:str cells) and tab-separated text
    mime.setHtml(
        "<html><body><table><tr><td x:str>3000人次</td><td x:str>3000人次</td></tr>"
        "<tr><td x:str>100%</td><td x:str>100%</td></tr></table></body></html>"
    )
    mime.setText("3000人次\t3000人次\r\n100%\t100%\r\n")
    QApplication.clipboard().setMimeData(mime)
    view.setCurrentIndex(model.index(1, current))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    expected = _column(model, "expected_value")
    assert [model.index(r, expected).data() for r in (1, 2)] == ["3000人次", "100%"]
    assert window.undo_action.text() == "撤销 粘贴 4 个单元格"
    window.undo_action.trigger()
    assert model.index(1, expected).data() == ""
    view.setCurrentIndex(model.index(0, current))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert model.index(0, current).data() == ""
    window.undo_action.trigger()
    assert model.index(0, current).data() == "200辆"
    likelihood = model.index(0, _column(model, "completion_likelihood"))
    view.setCurrentIndex(likelihood)
    view.edit(likelihood)
    combo = view.focusWidget()
    assert isinstance(combo, QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == ["", "确定能", "有可能", "完全不可能"]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert model.index(0, likelihood.column()).data() == "有可能"
    assert not model.setData(likelihood, "也许吧")
    window.close()


def test_frozen_target_refused_with_the_message(qtbot: QtBot, sample_path: Path) -> None:
    """At 监控 a 指标值 typed is refused: the cell shows the stored value, the status line
    says to use 目标调整; no row is inserted; the project's 预算数 is read-only."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    view = _grid(window)
    model = view.model()
    value = model.index(0, _column(model, "target_value"))
    assert not model.setData(value, "300辆")
    assert model.index(0, value.column()).data() == "325辆"
    assert model.index(0, value.column()).data(Qt.ItemDataRole.ToolTipRole) != (
        "未被接受的输入（文件中仍是原来的值）"
    )
    assert "目标调整" in window.status_line.currentMessage()
    assert "指标值" in window.status_line.currentMessage()
    rows = model.rowCount()
    view.setFocus()
    view.setCurrentIndex(value)
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert _grid(window).model().rowCount() == rows
    assert "不能增删指标行" in window.status_line.currentMessage()
    budget = window.findChild(QLineEdit, "project_budget_amount")
    assert budget.isReadOnly()
    executed = window.findChild(QLineEdit, "project_executed_to_date")
    qtbot.keyClicks(executed, "4.435")
    executed.editingFinished.emit()
    window.session.flush()
    rate = window.findChild(QLabel, "execution_rate")
    assert rate.text() == "50.00%"  # 4.435 of 8.87 万元
    window.close()


def test_target_adjustment_recorded_in_one_undo_step(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """目标调整… on a 指标值 cell: the dialog refuses no reason, then writes the value and
    appends the record (listed in 目标调整记录) as one undo step."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    view = _grid(window)
    model = view.model()
    view.setCurrentIndex(model.index(0, _column(model, "target_value")))
    seen: list[str] = []

    def fill(dialog: TargetAdjustmentDialog) -> int:
        assert dialog.old_value.text() == "325辆"
        dialog.new_value.setText("300辆")
        dialog.accept()  # no reason yet: stays open, saying so
        seen.append(dialog.problem.text())
        dialog.reason.setPlainText("预算调减，车辆数相应减少")
        dialog.day.setDate(QDate(2022, 7, 15))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TargetAdjustmentDialog, "exec", fill)
    adjust = next(a for a in view.actions() if a.text() == "目标调整…")
    adjust.trigger()
    assert seen == ["请填写调整原因。"]
    assert model.index(0, _column(model, "target_value")).data() == "300辆"
    assert window.undo_action.text() == "撤销 目标调整“指标值”"
    listed: list[list[str]] = []

    def show(dialog: AdjustmentRecordsDialog) -> int:
        table = dialog.table
        listed.extend(
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        )
        return 0

    monkeypatch.setattr(AdjustmentRecordsDialog, "exec", show)
    window.stages.show_records()
    assert listed == [
        ["项目“公务用车北斗定位服务费及平台软件运维费用”第1行指标", "指标值", "325辆", "300辆",
         "预算调减，车辆数相应减少", "2022-07-15"],
    ]  # fmt: skip
    window.undo_action.trigger()
    assert model.index(0, _column(model, "target_value")).data() == "325辆"
    listed.clear()
    window.stages.show_records()
    assert listed == []
    window.close()


def test_move_back_refused_while_data_exist(qtbot: QtBot, sample_path: Path) -> None:
    """退回申报 with a 当前完成值 entered is refused, naming it; emptied, it goes back."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    model = _grid(window).model()
    cell = model.index(2, _column(model, "current_value"))
    assert model.setData(cell, "已完成一半")
    assert not window.stages.move_to("申报")
    assert "当前完成值" in window.prompter.said()[-1]
    assert model.setData(cell, "")
    assert window.stages.move_to("申报")
    session = window.session
    assert session.read_field(Declaration, session.declaration_uuid, "stage") == "申报"
    window.close()


def test_score_column_shows_the_computed_score_grey_with_how(
    qtbot: QtBot, sample_path: Path
) -> None:
    """At 自评 an empty 得分 shows the score computed from the 实际完成值 in grey, its
    tooltip says how; a 得分 typed replaces it (the rule's result in the tooltip); the
    project shows its 执行率 score and total."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    _move(window, "自评")
    model = _grid(window).model()
    score = _column(model, "score")
    assert model.index(0, score).data() == ""  # no 实际完成值 yet
    assert "未填实际完成值" in model.index(0, score).data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(model.index(0, _column(model, "actual_value")), "300辆")
    cell = model.index(0, score)
    assert cell.data() == "15.39"  # 300 ÷ 325 × 16.67
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#888888"
    assert "300" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(cell, "16")
    assert model.index(0, score).data() == "16"
    assert "得分由填报人填写" in model.index(0, score).data(Qt.ItemDataRole.ToolTipRole)
    total = window.findChild(QLabel, "project_score")
    assert "执行率得分" in total.text() and "暂不评等级" in total.text()
    window.close()


def test_real_excel_rows_pasted_over_frozen_targets_are_refused(
    qtbot: QtBot, sample_path: Path
) -> None:
    """Excel's own clipboard (tests/data/clipboard/excel.html: four indicator rows) pasted
    at 一级指标 at 监控 changes nothing and says to use 目标调整; the same payload pasted
    at 当前完成值 is wider than the stage's columns and refused as such."""
    from tests.ui.test_clipboard import EXCEL_CF_HTML

    window = _window(qtbot, sample_path)
    _move(window, "监控")
    view = _grid(window)
    model = view.model()
    before = [model.index(r, 2).data() for r in range(model.rowCount())]
    mime = QMimeData()
    mime.setHtml(EXCEL_CF_HTML)
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [model.index(r, 2).data() for r in range(model.rowCount())] == before
    assert "目标调整" in window.status_line.currentMessage()
    view.setCurrentIndex(model.index(0, _column(model, "current_value")))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "粘贴的内容有 6 列" in window.status_line.currentMessage()
    assert model.index(0, _column(model, "current_value")).data() == ""
    window.close()


@pytest.mark.parametrize("width", [500, 900])
def test_score_and_weight_columns_fit_their_numbers_in_a_narrow_window(
    qtbot: QtBot, sample_path: Path, width: int
) -> None:
    """At 自评, in a window too narrow for every column (500: a 1280-pixel screen at 150 %)
    or not, the 分值 and 得分 columns are as wide as their numbers (16.67 was drawn 16… and
    1…), also right after a typed 实际完成值 makes a score appear (it stayed cut until the
    next paste)."""
    window = _window(qtbot, sample_path)
    _move(window, "监控")
    _move(window, "自评")
    window.resize(width, 600)
    view = _grid(window)
    model = view.model()
    metrics = view.fontMetrics()
    assert model.setData(model.index(0, _column(model, "actual_value")), "300辆")
    qtbot.waitUntil(
        lambda: (
            view.columnWidth(_column(model, "score"))
            > metrics.horizontalAdvance(model.index(0, _column(model, "score")).data())
        )
    )
    for field in ("weight", "score"):
        column = _column(model, field)
        longest = max(
            metrics.horizontalAdvance(str(model.index(row, column).data() or ""))
            for row in range(model.rowCount())
        )
        assert longest > 0
        assert view.columnWidth(column) > longest, field
    window.close()


def test_a_value_outside_a_closed_list_names_the_choices(qtbot: QtBot, sample_path: Path) -> None:
    """A 达成度 typed that is not on the list is refused with the list to choose from (it
    said to shorten the text)."""
    from desktop.models import Indicator
    from desktop.models.labels import ROW_KINDS

    parse = ROW_KINDS[Indicator].field("achievement_grade").parser
    assert parse is not None
    assert parse(" 部分达成 ") == "部分达成"
    assert parse("") == ""
    with pytest.raises(
        ValueError, match="“abc”不是可选的达成度：请从“达成”“部分达成”“未达成”“不适用”中选一个"
    ):
        parse("abc")
