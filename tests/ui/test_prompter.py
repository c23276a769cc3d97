"""QtPrompter: the window's questions are Qt's own message boxes and file dialogs, and the
button the clerk presses comes back as the Answer it shows (real dialogs, pressed as the
clerk would, nothing patched)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.prompter import Answer, QtPrompter


def _when_shown(act: Callable[[QWidget], None], seen: list[dict[str, object]]) -> None:
    """Once a modal dialog is up, note what it shows (it is gone once answered) and
    ``act`` on it (polls the event loop)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        if isinstance(dialog, QMessageBox):
            seen.append({
                "title": dialog.windowTitle(),
                "text": dialog.text(),
                "icon": dialog.icon(),
                "default": dialog.standardButton(dialog.defaultButton()),
            })  # fmt: skip
        elif isinstance(dialog, QFileDialog):
            seen.append({"folder": dialog.directory().absolutePath()})
        act(dialog)

    QTimer.singleShot(0, poll)


def _press(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(button).click()

    return act


@pytest.mark.parametrize(
    ("pressed", "answer"),
    [
        (QMessageBox.StandardButton.Save, Answer.SAVE),
        (QMessageBox.StandardButton.Discard, Answer.DISCARD),
        (QMessageBox.StandardButton.Cancel, Answer.CANCEL),
    ],
)
def test_prompter_choose_gives_the_pressed_button(
    qtbot: QtBot, pressed: QMessageBox.StandardButton, answer: Answer
) -> None:
    """保存 / 丢弃 / 取消 of a warning come back as SAVE / DISCARD / CANCEL, with the
    title, text, icon and default button asked for."""
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[dict[str, object]] = []
    _when_shown(_press(pressed), seen)
    got = QtPrompter(parent).choose(
        "有修改未能保存",
        "是否另存为一个新文件？",
        (Answer.SAVE, Answer.DISCARD, Answer.CANCEL),
        default=Answer.SAVE,
        warning=True,
    )
    assert got is answer
    assert seen == [
        {
            "title": "有修改未能保存",
            "text": "是否另存为一个新文件？",
            "icon": QMessageBox.Icon.Warning,
            "default": QMessageBox.StandardButton.Save,
        }
    ]


def test_prompter_confirm_is_yes_only_on_yes(qtbot: QtBot) -> None:
    """confirm: 是 is True; 否 and Escape are False; 否 is the default (Enter does not go on)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    prompter = QtPrompter(parent)
    seen: list[dict[str, object]] = []
    _when_shown(_press(QMessageBox.StandardButton.Yes), seen)
    assert prompter.confirm("撤销合并", "恢复？")
    assert seen[-1]["icon"] is QMessageBox.Icon.Question
    assert seen[-1]["default"] is QMessageBox.StandardButton.No
    _when_shown(_press(QMessageBox.StandardButton.No), seen)
    assert not prompter.confirm("撤销合并", "恢复？", warning=True)
    assert seen[-1]["icon"] is QMessageBox.Icon.Warning
    _when_shown(lambda dialog: dialog.reject(), seen)  # Escape, or the window's ×
    assert not prompter.confirm("撤销合并", "恢复？")


def test_prompter_save_file_starts_at_the_offered_name(qtbot: QtBot, tmp_path: Path) -> None:
    """save_file opens in the folder given with the offered file name; the chosen path
    comes back, None when cancelled."""
    parent = QWidget()
    qtbot.addWidget(parent)
    prompter = QtPrompter(parent)
    seen: list[dict[str, object]] = []

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.accept()

    _when_shown(accept, seen)
    chosen = prompter.save_file("导出PDF", "PDF 文件 (*.pdf)", tmp_path / "单位.pdf")
    assert chosen == tmp_path / "单位.pdf"
    assert seen[-1]["folder"] == str(tmp_path)
    _when_shown(lambda dialog: dialog.reject(), seen)
    assert prompter.save_file("导出PDF", "PDF 文件 (*.pdf)", tmp_path / "单位.pdf") is None
