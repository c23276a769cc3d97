"""Copy and paste of blocks with Excel and WPS: HTML flavour first, TSV otherwise."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.clipboard import parse_html_table, parse_tsv, read_block
from tests.ui.test_main_window import _grid, _window

EXCEL_HTML = """<html><body><table>
<tr><td>新指标甲</td><td>第一行<br>第二行</td><td>≥95%</td><td>年初工作计划</td></tr>
<tr><td>新指标乙</td><td>描述	含制表符</td><td>100%</td><td>计划标准</td></tr>
<tr><td>新指标丙</td><td>描述丙</td><td>12个</td><td>历史标准</td></tr>
</table></body></html>"""


def test_html_table_keeps_line_breaks_and_tabs_in_cells() -> None:
    """A cell with a line break or a tab stays one cell."""
    block = parse_html_table(EXCEL_HTML)
    assert len(block) == 3 and all(len(row) == 4 for row in block)
    assert block[0][1] == "第一行\n第二行"
    assert block[1][1] == "描述\t含制表符"


def test_tsv_with_excel_quoting() -> None:
    """Excel's TSV quotes a cell with a line break; trailing newline ignored."""
    assert parse_tsv('a\t"b\nc"\td\r\ne\tf\tg\r\n') == [["a", "b\nc", "d"], ["e", "f", "g"]]
    assert parse_tsv("") == []


def test_html_preferred_over_text() -> None:
    """When both flavours are there, the HTML table is read."""
    mime = QMimeData()
    mime.setHtml(EXCEL_HTML)
    mime.setText("wrong\tblock")
    assert read_block(mime)[2][0] == "新指标丙"


def test_paste_block_adds_rows_and_undoes_in_one_step(qtbot: QtBot, sample_path: Path) -> None:
    """A 3×4 block pasted at row 6, 三级指标: two rows overwritten, one added; one undo."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    mime = QMimeData()
    mime.setHtml(EXCEL_HTML)
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(view.model().index(5, 2))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    view = _grid(window)
    model = view.model()
    assert model.rowCount() == 8
    assert [model.index(r, 2).data() for r in (5, 6, 7)] == ["新指标甲", "新指标乙", "新指标丙"]
    assert model.index(5, 3).data() == "第一行\n第二行"
    assert model.index(7, 4).data() == "12个" and model.index(7, 5).data() == "历史标准"
    assert window.undo_action.text() == "撤销 粘贴 12 个单元格"
    window.undo_action.trigger()
    model = _grid(window).model()
    assert model.rowCount() == 7
    assert model.index(5, 2).data() == "节能减排" and model.index(6, 2).data() == "服务对象满意度"
    window.close()


def test_too_wide_paste_changes_nothing(qtbot: QtBot, sample_path: Path) -> None:
    """A block wider than the columns right of the selection is refused in Chinese."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    mime = QMimeData()
    mime.setText("a\tb\tc")
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "未粘贴" in window.statusBar().currentMessage()
    assert view.model().index(0, 4).data() == "325辆"
    assert not window.undo_action.isEnabled()
    window.close()


def test_copy_gives_excel_both_flavours(qtbot: QtBot, sample_path: Path) -> None:
    """Ctrl+C on a selection puts an HTML table and TSV on the clipboard."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    selection = view.selectionModel()
    top, bottom = view.model().index(0, 2), view.model().index(1, 4)
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    selection.select(QItemSelection(top, bottom), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QApplication.clipboard().mimeData()
    assert mime.text().splitlines()[0] == "维护监控公车数量\t维护、监控公车数量\t325辆"
    assert read_block(mime)[1] == ["项目完成率", "项目完成率", "100%"]
    window.close()


def test_paste_without_selection_appends_rows(qtbot: QtBot, sample_path: Path) -> None:
    """With no cell selected, pasted rows go after the last row."""
    from PySide6.QtCore import QModelIndex

    window = _window(qtbot, sample_path)
    view = _grid(window)
    mime = QMimeData()
    mime.setText("产出指标\t数量指标\t新增的指标\t描述\t5个\t计划")
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.clearSelection()
    view.setCurrentIndex(QModelIndex())
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    model = _grid(window).model()
    assert model.rowCount() == 8
    assert model.index(7, 2).data() == "新增的指标"
    assert model.index(0, 2).data() == "维护监控公车数量"
    window.close()


def test_paste_into_the_disbursement_plan(qtbot: QtBot, sample_path: Path) -> None:
    """Percentages copied from a sheet paste into 资金支出计划 (one undo step); a bad one
    is refused with the reason, and nothing changes. Rows are added as in the 指标表."""
    from PySide6.QtWidgets import QTableView

    window = _window(qtbot, sample_path)
    window.tabs.setCurrentIndex(2)

    def plan() -> QTableView:
        return window.findChild(QTableView, "disbursement_plan")

    mime = QMimeData()
    mime.setText("150%\n-5%\n")
    QApplication.clipboard().setMimeData(mime)
    plan().setFocus()
    plan().setCurrentIndex(plan().model().index(1, 1))
    qtbot.keyClick(plan(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "0～100%" in window.statusBar().currentMessage()
    assert [plan().model().index(r, 1).data() for r in range(4)] == ["30%", "40%", "70%", "100%"]
    mime = QMimeData()
    mime.setText("45%\n75\n")
    QApplication.clipboard().setMimeData(mime)
    plan().setFocus()
    plan().setCurrentIndex(plan().model().index(1, 1))
    qtbot.keyClick(plan(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [plan().model().index(r, 1).data() for r in range(4)] == ["30%", "45%", "75%", "100%"]
    assert window.undo_action.text() == "撤销 粘贴 2 个单元格"
    qtbot.keyClick(plan(), Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # as in 指标表
    assert plan().model().rowCount() == 5
    assert window.undo_action.text() == "撤销 插入支出节点"
    window.close()


def test_delete_empties_the_selected_cells(qtbot: QtBot, sample_path: Path) -> None:
    """Delete on a selection empties its cells (one undo step), as in Excel; Delete while a
    cell is being edited deletes a character there."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    from PySide6.QtWidgets import QApplication

    window = _window(qtbot, sample_path)
    view = _grid(window)
    model = view.model()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 4))
    view.selectionModel().select(
        QItemSelection(model.index(0, 4), model.index(1, 5)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    model = _grid(window).model()
    assert [model.index(r, c).data() for r in (0, 1) for c in (4, 5)] == ["", "", "", ""]
    assert model.index(2, 4).data() == "2022年12月底"
    assert window.undo_action.text() == "撤销 清除 4 个单元格"
    window.undo_action.trigger()
    view = _grid(window)
    assert view.model().index(0, 4).data() == "325辆"
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.toPlainText() == "25辆"
    assert window.undo_action.text() != "撤销 清除 1 个单元格"
    window.close()
