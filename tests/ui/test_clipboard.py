"""Copy and paste of blocks with Excel and WPS: HTML flavour first, TSV otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.clipboard import parse_html_table, parse_tsv, read_block
from tests.test_excel import _libreoffice, needs_libreoffice
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


def test_refused_paste_is_told_at_the_grid(qtbot: QtBot, sample_path: Path) -> None:
    """A refused paste (three columns copied from WPS onto 指标值, two columns left) is
    shown in a balloon at the cell, where the clerk looks, not only in the status line."""
    from PySide6.QtWidgets import QToolTip

    window = _window(qtbot, sample_path)
    view = _grid(window)
    mime = QMimeData()
    mime.setText("≥330辆\t年初工作计划\t备注\r\n")  # WPS ends the copied row with CRLF
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "有 3 列" in QToolTip.text() and "未粘贴" in QToolTip.text()
    cell = view.visualRect(view.currentIndex())
    assert cell.isValid() and view.viewport().rect().contains(cell.topLeft())
    assert view.model().index(0, 4).data() == "325辆"
    QToolTip.hideText()
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


# --- merged cells, as Excel, WPS, Word and LibreOffice put them on the clipboard -----------


def _clipboard(name: str) -> str:
    """A clipboard's HTML flavour as the program named writes it (tests/data/clipboard)."""
    return (Path(__file__).parent.parent / "data" / "clipboard" / name).read_text("utf-8")


#: Excel 2016 (Windows "HTML Format", CF_HTML: the offsets header, then the page): 产出指标
#: merged down three rows (rowspan), 数量指标 down two, 满意度指标 merged across 一级/二级
#: (colspan); text that looks like a number carries x:str, the number x:num.
EXCEL_CF_HTML = _clipboard("excel.html")

#: The same rows as Excel puts them in text/plain: tab-separated, merged continuation cells
#: blank, a cell with a line break quoted.
EXCEL_TSV = (
    '产出指标\t数量指标\t接待批次\t"完成接待\n批次"\t90批\t年初工作计划\r\n'
    "\t\t接待人次\t接待人次\t3000人次\t年初工作计划\r\n"
    "\t质量指标\t接待完成率\t按时按质完成率\t100%\t计划标准\r\n"
    "满意度指标\t\t服务对象满意度\t接待对象满意度\t≥95%\t历史标准\r\n"
)

#: LibreOffice Calc's clipboard HTML (its HTML export): upper-case tags, unquoted ROWSPAN,
#: SDVAL/SDNUM on numbers, the text wrapped in <FONT>.
LIBREOFFICE_HTML = _clipboard("libreoffice.html")

#: WPS 表格's clipboard HTML: like Excel's, but every cell written, merged continuation
#: cells as empty <td>; the cells carry x:str.
WPS_HTML = _clipboard("wps.html")

#: Word's clipboard HTML for a table: paragraphs in cells, rowspan for merged cells, an
#: empty cell as <o:p>&nbsp;</o:p>.
WORD_HTML = _clipboard("word.html")

#: What each of the clipboards above holds, merged continuation cells blank.
MERGED_BLOCK = [
    ["产出指标", "数量指标", "接待批次", "完成接待\n批次", "90批", "年初工作计划"],
    ["", "", "接待人次", "接待人次", "3000人次", "年初工作计划"],
    ["", "质量指标", "接待完成率", "按时按质完成率", "100%", "计划标准"],
    ["满意度指标", "", "服务对象满意度", "接待对象满意度", "≥95%", "历史标准"],
]


@pytest.mark.parametrize(
    "html",
    [EXCEL_CF_HTML, LIBREOFFICE_HTML, WPS_HTML, WORD_HTML],
    ids=["excel", "libreoffice", "wps", "word"],
)
def test_merged_cells_keep_every_cell_in_its_column(html: str) -> None:
    """rowspan and colspan (Excel, LibreOffice, Word) and blank continuation cells (WPS)
    give the same grid: a cell merged down no longer shifts the rows below it left."""
    assert parse_html_table(html) == MERGED_BLOCK
    assert parse_tsv(EXCEL_TSV) == MERGED_BLOCK


def _paste(qtbot: QtBot, window: Any, mime: QMimeData, row: int, column: int) -> Any:
    view = _grid(window)
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, column))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    return _grid(window).model()


def _levels(model: Any, rows: range) -> list[tuple[str, str]]:
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in rows]


@pytest.mark.parametrize("flavour", ["html", "text"])
def test_pasted_merged_labels_fill_the_rows_below(
    qtbot: QtBot, sample_path: Path, flavour: str
) -> None:
    """Rows copied from a merged sheet (Excel's HTML with rowspan/colspan, or its TSV)
    get the 一级指标/二级指标 above them, in the same undo step, and the status bar says
    how many; a blank 二级指标 under a new 一级指标 stays blank (a merge never crosses it)."""
    window = _window(qtbot, sample_path)
    mime = QMimeData()
    if flavour == "html":
        mime.setHtml(EXCEL_CF_HTML)
    mime.setText(EXCEL_TSV)
    model = _paste(qtbot, window, mime, 7 - 1, 0)  # over the last row, adding three
    assert model.rowCount() == 10
    assert _levels(model, range(6, 10)) == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("满意度指标", ""),
    ]
    assert model.index(7, 2).data() == "接待人次" and model.index(9, 4).data() == "≥95%"
    message = window.statusBar().currentMessage()
    assert "3 个空白的一级指标/二级指标已填上方的名称" in message
    assert window.undo_action.text() == "撤销 粘贴 24 个单元格"
    window.undo_action.trigger()
    model = _grid(window).model()
    assert model.rowCount() == 7
    assert _levels(model, range(6, 7)) == [("满意度指标", "服务对象满意度指标")]
    window.close()


def test_pasted_rows_continue_the_group_above_the_target(qtbot: QtBot, sample_path: Path) -> None:
    """Decision: a block whose first rows have a blank 一级指标 (copied from the lower
    rows of a merged cell) continues the grid's row above where it is pasted."""
    window = _window(qtbot, sample_path)
    mime = QMimeData()
    mime.setText(
        "\t\t新的数量\t新的数量描述\t12个\t计划\r\n\t可持续影响指标\t长效\t长效描述\t长期\t计划\r\n"
    )
    model = _paste(qtbot, window, mime, 4, 0)  # under 效益指标/经济效益指标 (row 4)
    assert _levels(model, range(4, 6)) == [
        ("效益指标", "经济效益指标"),
        ("效益指标", "可持续影响指标"),
    ]
    assert "3 个空白的一级指标/二级指标" in window.statusBar().currentMessage()
    window.close()


@needs_libreoffice
def test_libreoffice_html_of_a_merged_sheet(tmp_path: Path) -> None:
    """The HTML LibreOffice itself writes for a sheet with merged cells (its clipboard
    uses the same export) reads as the grid on paper."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in MERGED_BLOCK:
        sheet.append([cell or None for cell in row])
    sheet["E3"] = 1
    sheet["E3"].number_format = "0%"
    for cells in ("A1:A3", "B1:B2", "A4:B4"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "merged.xlsx")
    html = _libreoffice(tmp_path / "merged.xlsx", "html", tmp_path)
    assert parse_html_table(html.read_text("utf-8")) == MERGED_BLOCK
