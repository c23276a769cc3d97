"""The window on a big file: shown after its first unit was checked, read-only with a bar
saying why until the rest is checked in a worker thread (the window keeps answering),
then editable; a file damaged in a unit not shown is closed with the Chinese refusal,
nothing written (issue 18, first paint)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop.settings import Settings, load_settings
from desktop.storage import document as storage
from desktop.ui.main_window import MainWindow
from tests.conftest import file_digest
from tests.test_check_later import _damage
from tests.ui.fakes import FakePrompter
from tests.ui.test_file_faults import _edit_target_value, _stored

_OPEN: list[MainWindow] = []


@pytest.fixture(autouse=True)
def _every_file_is_big(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(storage, "CHECK_LATER_BYTES", 0)
    yield
    while _OPEN:
        window = _OPEN.pop()
        window.close()
        window.deleteLater()


def _window(qtbot: QtBot, prompter: FakePrompter) -> MainWindow:
    window = MainWindow(Settings(), prompter)
    qtbot.addWidget(window)
    _OPEN.append(window)
    window.show()
    return window


def test_damage_in_a_unit_not_shown_closes_the_file_before_any_write(
    qtbot: QtBot, two_units_path: Path
) -> None:
    _damage(two_units_path, "507003")
    before = file_digest(two_units_path)
    window = _window(qtbot, prompter := FakePrompter())
    assert window.files.open_path(two_units_path)
    assert window.session is not None and window.session.document.checking
    assert not window.banner.isHidden() and "检查完成后自动恢复编辑" in window.banner.label.text()
    assert not window.declaration_box.isEnabled()  # the other unit is not checked yet
    assert not window.save_as_action.isEnabled()
    assert window.banner.save_copy_button.isHidden()  # a copy would need the whole file
    _edit_target_value(window, "99")  # refused: read-only until the check ends
    qtbot.waitUntil(lambda: bool(prompter.said("error")), timeout=30000)
    (shown,) = prompter.said("error")
    assert "第2个单位" in shown and "预算数" in shown and "文件未作任何改动" in shown
    assert window.session is None and window.tabs.count() == 0
    assert file_digest(two_units_path) == before
    assert str(two_units_path.resolve()) not in load_settings().recent_files


def test_the_check_runs_in_a_worker_and_the_file_becomes_editable(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county-like file of 40 units: the status line tells the share done, the window's
    event loop runs while the check does (in another thread), then the bar lifts by itself
    and an edit is written."""
    from benchmarks.generate import write_county

    path = write_county(tmp_path / "county.jxdb", units=40, projects=5, indicators=20)
    threads: list[int] = []
    ticks: list[int] = []  # the window's event loop, one per turn
    during: list[int] = []  # its turns while the check ran
    check_rest = storage.Document.check_rest

    def watched(document: storage.Document, progress=None) -> None:
        threads.append(threading.get_ident())
        before = len(ticks)
        check_rest(document, progress)
        during.append(len(ticks) - before)

    monkeypatch.setattr(storage.Document, "check_rest", watched)
    window = _window(qtbot, FakePrompter())
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: ticks.append(0))
    ticker.start()
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: window.session is not None and not window.session.document.checking,
                    timeout=60000)  # fmt: skip
    ticker.stop()
    assert threads and threads[0] != threading.get_ident()
    assert during and during[0] > 0  # the window's event loop turned while the check ran
    assert any(m.startswith("正在检查其余单位… ") and m.endswith("%") for m in messages)
    assert window.banner.isHidden() and window.declaration_box.isEnabled()
    uuid = _edit_target_value(window, "123")
    assert _stored(path, uuid) == "123"
    assert load_settings().recent_files[0] == str(path.resolve())  # remembered once accepted
