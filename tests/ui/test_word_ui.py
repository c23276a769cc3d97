"""文件 → 导出Word / 从Word导入 in the main window: preview first, nothing written before."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.word_dialogs import WordImportPreviewDialog
from tests.conftest import file_fingerprint
from tests.test_word import seed_docx
from tests.ui.fakes import FakePrompter
from tests.ui.test_main_window import _window, file_menu


def _menu_texts(window: MainWindow) -> list[str]:
    return [action.text() for action in file_menu(window).actions()]


def test_file_menu_has_the_word_entries(qtbot: QtBot, sample_path: Path) -> None:
    """文件 has 导出Word… and 从Word导入…; the import works without an open file."""
    window = _window(qtbot, sample_path)
    texts = _menu_texts(window)
    assert "导出Word(&W)…" in texts and "从Word导入(&D)…" in texts
    window.close()
    empty = MainWindow(Settings())
    qtbot.addWidget(empty)
    actions = {a.text(): a for a in file_menu(empty).actions()}
    assert actions["从Word导入(&D)…"].isEnabled()
    assert not actions["导出Word(&W)…"].isEnabled()
    empty.close()


def test_export_then_import_from_the_window(
    qtbot: QtBot,
    sample_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prompter: FakePrompter,
) -> None:
    """导出Word writes the .docx; 从Word导入 shows the preview, then makes the new file (same
    fingerprint) and opens it; a failed export names the reason."""
    window = _window(qtbot, sample_path)
    assert window.exchange.export_docx(tmp_path / "out.docx")
    assert "已导出 Word（3 个项目表）" in window.statusBar().currentMessage()
    assert not window.exchange.export_docx(tmp_path / "no-such-folder" / "out.docx")
    assert "不存在" in prompter.said("error")[0]
    seen: list[str] = []

    def exec_(dialog: WordImportPreviewDialog) -> int:
        seen.append(dialog.findChild(QPlainTextEdit).toPlainText())
        assert dialog.tree.topLevelItemCount() == 3
        assert dialog.tree.topLevelItem(1).childCount() == 7
        dialog.grab().save(str(tmp_path / "preview.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WordImportPreviewDialog, "exec", exec_)
    new = tmp_path / "from-word.jxdb"
    window.prompter.script(new)
    assert window.exchange.import_docx(tmp_path / "out.docx")
    assert "预算项目 3 个" in seen[0]
    assert window.session is not None and window.session.document.path == new.resolve()
    window.close()
    assert file_fingerprint(new) == file_fingerprint(sample_path)


def test_cancelled_preview_writes_nothing(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """取消 in the preview: no file is asked for, none is made, the open file stays."""
    window = _window(qtbot, sample_path)
    monkeypatch.setattr(WordImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    before = sorted(tmp_path.iterdir())
    assert not window.exchange.import_docx(seed_docx(tmp_path / "2022.docx"))
    assert window.prompter.asked == []  # no file asked for
    assert sorted(p for p in tmp_path.iterdir() if p.name != "2022.docx") == before
    assert window.session is not None and window.session.document.path == sample_path.resolve()
    window.close()


def test_bad_file_is_refused_in_chinese(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, prompter: FakePrompter
) -> None:
    """A legacy .doc: the message says to save it as .docx; no preview."""
    window = _window(qtbot, sample_path)
    old = tmp_path / "2021.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert not window.exchange.import_docx(old)
    assert "另存为“Word 文档（*.docx）”" in prompter.said("error")[0]
    window.close()
