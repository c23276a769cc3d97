"""The indicator grid's structured columns: typed, pasted from Excel/WPS, undone; the
指标值 text and its fields shown together; defaults of 方向 and 分值 in grey."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.editors import OPTIONAL_COLUMNS
from tests.ui.test_main_window import _grid, _window


@pytest.fixture(autouse=True)
def _columns_hidden_after() -> Iterator[None]:
    """Each test starts with the structured columns hidden (the default) and leaves them so
    (QSettings outlives a test's private folders)."""
    QSettings("jixiao", "jixiao").remove("indicator_grid/structured_columns")
    yield
    QSettings("jixiao", "jixiao").remove("indicator_grid/structured_columns")


def test_columns_are_hidden_until_asked_for(qtbot: QtBot, sample_path: Path) -> None:
    """The six columns start hidden; 视图 → 指标性质、分值等栏 shows them in the grid shown
    and in grids built later, and is remembered; a paste skips hidden columns."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    assert [view.isColumnHidden(c) for c in range(12)] == [False] * 6 + [True] * 6
    assert not window.fields_action.isChecked()
    window.fields_action.trigger()
    assert [view.isColumnHidden(c) for c in range(12)] == [False] * 12
    assert sum(view.columnWidth(c) for c in range(12)) <= view.viewport().width()
    assert OPTIONAL_COLUMNS.shown
    window.fields_action.trigger()
    assert view.isColumnHidden(6) and not OPTIONAL_COLUMNS.shown
    window.close()


def _column(model, field: str) -> int:
    return [name for name, _ in model.columns].index(field)


def test_grid_shows_the_fields_and_grey_defaults(qtbot: QtBot, sample_path: Path) -> None:
    """The six columns follow the form's; 性质 is read-only; empty 方向 and 分值 show
    their defaults in grey with a tooltip saying how they were found."""
    window = _window(qtbot, sample_path)
    model = _grid(window).model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6, 12)]
    assert headings == ["性质", "符号", "数值", "单位", "方向", "分值"]
    weight, nature = _column(model, "weight"), _column(model, "indicator_nature")
    assert [model.index(r, weight).data() for r in range(7)] == [
        "16.67", "16.67", "16.66", "10", "10", "10", "10",
    ]  # fmt: skip
    grey = model.index(0, weight).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(grey, QColor) and grey.name() == "#888888"
    assert "产出指标”的50分平均分配" in model.index(0, weight).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, weight).data(Qt.ItemDataRole.EditRole) == ""
    assert model.index(6, _column(model, "direction")).data() == "正向"
    assert not model.flags(model.index(0, nature)) & Qt.ItemFlag.ItemIsEditable
    window.close()


def test_typing_a_sign_rewrites_the_value_and_undo_puts_it_back(
    qtbot: QtBot, sample_path: Path
) -> None:
    """A sign typed in 符号 rewrites 指标值 (≥100%), one undo step puts the text and the
    fields back; a 分值 typed re-spreads the other rows' defaults."""
    window = _window(qtbot, sample_path)
    model = _grid(window).model()
    assert model.setData(model.index(1, _column(model, "comparison")), "不低于")
    assert model.index(1, 4).data() == "≥100%"
    assert window.undo_action.text() == "撤销 修改“计算符号”"
    window.undo_action.trigger()
    model = _grid(window).model()
    assert model.index(1, 4).data() == "100%"
    assert model.index(1, _column(model, "comparison")).data() == ""
    weight = _column(model, "weight")
    assert model.setData(model.index(0, weight), "20")
    assert [model.index(r, weight).data() for r in range(3)] == ["20", "15", "15"]
    window.close()


def test_a_refused_field_is_red_with_its_reason(qtbot: QtBot, sample_path: Path) -> None:
    """A sign on a 定性 row, or a bad number, is refused: red cell, Chinese reason."""
    window = _window(qtbot, sample_path)
    model = _grid(window).model()
    sign = model.index(2, _column(model, "comparison"))  # 2022年12月底: a date, 定性
    assert not model.setData(sign, "≥")
    assert "请先填写“目标数值”" in model.index(2, _column(model, "comparison")).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert not model.setData(model.index(0, _column(model, "target_number")), "三百")
    assert model.index(0, 4).data() == "325辆"
    window.close()


def test_paste_sign_number_unit_from_a_sheet(qtbot: QtBot, sample_path: Path) -> None:
    """Three columns copied from Excel/WPS (符号, 数值, 单位) paste as one undo step, the
    指标值 rewritten from them; full-width input is read."""
    window = _window(qtbot, sample_path)
    window.fields_action.trigger()  # show the columns
    view = _grid(window)
    mime = QMimeData()
    mime.setText("≥\t３３０\t辆\r\n＜\t5\t%\r\n")
    QApplication.clipboard().setMimeData(mime)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, _column(view.model(), "comparison")))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    model = _grid(window).model()
    assert [model.index(r, 4).data() for r in (0, 1)] == ["≥330辆", "＜5%"]
    assert model.index(1, _column(model, "direction")).data() == "反向"
    window.undo_action.trigger()
    model = _grid(window).model()
    assert [model.index(r, 4).data() for r in (0, 1)] == ["325辆", "100%"]
    window.close()
