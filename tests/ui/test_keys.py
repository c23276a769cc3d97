"""Keys and menus as office users expect them: Ctrl+S 保存, F12 另存为, Ctrl+P, Alt+F4,
帮助 → 关于 (issue 22, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop import __version__
from desktop.models import Indicator
from desktop.storage.document import SCHEMA_VERSION
from desktop.ui.editors import CellTextEditor
from desktop.ui.help import AboutDialog, about_text
from tests.ui.test_main_window import _grid, _window, file_menu, type_text


def test_ctrl_s_commits_the_cell_being_typed_and_says_saved(
    qtbot: QtBot, sample_path: Path
) -> None:
    """Ctrl+S while a grid cell is being typed in writes it to the file, keeps the clerk in
    the grid, and the status line says 已保存 with the time."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 4))
    type_text(view, "330辆")
    cell_editor = view.focusWidget()
    assert isinstance(cell_editor, CellTextEditor)
    qtbot.keyClick(cell_editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    session = window.session
    assert session is not None
    uuid = session.load_declaration().budget_projects[0].indicators[0].uuid
    qtbot.waitUntil(lambda: session.read_field(Indicator, uuid, "target_value") == "330辆")
    assert re.fullmatch(r"已保存 \d\d:\d\d:\d\d", window.status_line.saved_label.text())
    assert window.statusBar().currentMessage().startswith("已保存")
    assert window.focusWidget() is view
    window.close()


def test_ctrl_s_commits_a_paragraph_before_its_delay(qtbot: QtBot, sample_path: Path) -> None:
    """Typing in a paragraph is written by Ctrl+S at once, not only after its delay."""
    window = _window(qtbot, sample_path)
    paragraph = window.findChild(QPlainTextEdit, "overall_target")
    paragraph.setFocus()
    paragraph.selectAll()
    type_text(paragraph, "按 Ctrl+S 保存的总体目标。")
    assert window.save_action.shortcut() == QKeySequence("Ctrl+S")
    window.save_action.trigger()
    session = window.session
    assert session is not None
    assert session.load_declaration().overall_target == "按 Ctrl+S 保存的总体目标。"
    window.close()


def test_office_shortcuts(qtbot: QtBot, sample_path: Path) -> None:
    """F12 另存为 (as in Word and WPS), Ctrl+P 打印, Ctrl+Q and Alt+F4 退出."""
    window = _window(qtbot, sample_path)
    by_text = {
        action.text(): [s.toString() for s in action.shortcuts()]
        for action in file_menu(window).actions()
    }
    assert "F12" in by_text["另存为(&A)…"]
    assert by_text["打印(&P)…"] == ["Ctrl+P"]
    assert by_text["保存(&S)"] == ["Ctrl+S"]
    assert {"Ctrl+Q", "Alt+F4"} <= set(by_text["退出(&X)"])
    window.close()


def test_about_names_version_format_and_licences(qtbot: QtBot) -> None:
    """帮助 → 关于 says the version, the file format version and the licences."""
    text = about_text()
    assert f"绩效目标填报 {__version__}" in text
    assert f"文件格式版本：{SCHEMA_VERSION}" in text
    for licence in ("OFL-1.1", "LGPL-3.0", "SQLAlchemy", "ReportLab", "openpyxl"):
        assert licence in text
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert "OFL.txt" in dialog.browser.toPlainText()
