"""What the clerk sees is what prints: generated sentences shown where they print,
refused input named everywhere, the keyboard in reading order."""

from __future__ import annotations

from pathlib import Path

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
