"""The window on a big file: shown after its first unit was checked and editable at once,
the edits held (not in the file) until the rest is checked in a worker thread (the
window keeps answering), then written; another unit chosen meanwhile is checked before it
is shown; a file damaged in a unit not shown is closed with the Chinese refusal, nothing
written, the held edits offered to be saved into a new file (issue 18)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit
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


def _held_check(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The check of the rest waits (in its thread) until the event returned is set."""
    release = threading.Event()
    check_rest = storage.Document.check_rest

    def held(document: storage.Document, progress=None) -> None:
        release.wait(30)
        check_rest(document, progress)

    monkeypatch.setattr(storage.Document, "check_rest", held)
    return release


def _choose_unit(window: MainWindow, code: str) -> None:
    box = window.declaration_box
    box.activated.emit(box.findText(code, Qt.MatchFlag.MatchContains))


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_damage_in_a_unit_not_shown_closes_the_file_before_any_write(
    qtbot: QtBot, two_units_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit made during the check is held; the check then finds damage in the other
    unit: the file is closed with the refusal, byte for byte as before, and the edit is
    saved with the unit shown into the new file the clerk chose."""
    _damage(two_units_path, "507003")
    before = file_digest(two_units_path)
    release = _held_check(monkeypatch)
    kept = tmp_path / "kept.jxdb"
    window = _window(qtbot, prompter := FakePrompter(kept))
    assert window.files.open_path(two_units_path)
    assert window.session is not None and window.session.document.checking
    assert window.banner.isHidden()  # nothing to wait for
    assert window.declaration_box.isEnabled() and not window.save_as_action.isEnabled()
    uuid = _edit_target_value(window, "99")  # held, not refused
    assert window.session.document.holds_edits and not prompter.said("error")
    assert window.status_line.saved_label.text().startswith("已记下")
    release.set()
    qtbot.waitUntil(lambda: window.session is None, timeout=30000)
    refusal, saved = prompter.said("error")[0], prompter.said("inform")
    assert "第2个单位" in refusal and "预算数" in refusal and "文件未作任何改动" in refusal
    assert "修改没有写入这个文件" in refusal and "1 个单位" in refusal
    assert saved and str(kept) in saved[0]
    assert window.tabs.count() == 0
    assert file_digest(two_units_path) == before and _beside(two_units_path) == ["two.jxdb"]
    assert str(two_units_path.resolve()) not in load_settings().recent_files
    assert _stored(kept, uuid) == "99"  # the edit kept, in a file that opens
    storage.check_file(kept)


def test_a_damaged_unit_chosen_during_the_check_is_refused_before_it_is_shown(
    qtbot: QtBot, two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unit chosen while the rest is checked has its rows checked first: damaged, the
    file is closed at once with the refusal (no edit held: nothing to save)."""
    _damage(two_units_path, "507003")
    before = file_digest(two_units_path)
    release = _held_check(monkeypatch)
    window = _window(qtbot, prompter := FakePrompter())
    assert window.files.open_path(two_units_path)
    _choose_unit(window, "507003")
    assert window.session is None
    (refusal,) = prompter.said("error")
    assert "第2个单位" in refusal and "预算数" in refusal
    release.set()
    assert file_digest(two_units_path) == before


def test_a_sound_unit_chosen_during_the_check_is_shown_and_edited(
    qtbot: QtBot, two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another unit is shown and edited while the rest is checked; closing the file
    before the check ends waits for it and writes the held edits."""
    release = _held_check(monkeypatch)
    window = _window(qtbot, FakePrompter())
    assert window.files.open_path(two_units_path)
    assert window.session is not None
    _choose_unit(window, "507003")
    assert window.session is not None and window.session.document.checking
    assert window.findChild(QLineEdit, "unit_code").text() == "507003"
    uuid = _edit_target_value(window, "77")
    assert _stored(two_units_path, uuid) != "77"  # held
    QTimer.singleShot(200, release.set)
    window.close_document()  # waits for the check, then writes
    assert window.session is None
    assert _stored(two_units_path, uuid) == "77"
    assert _beside(two_units_path) == ["two.jxdb"]


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
    assert any(re.fullmatch(r"正在检查其余单位… \d+%，可照常修改", m) for m in messages)
    assert window.banner.isHidden() and window.declaration_box.isEnabled()
    uuid = _edit_target_value(window, "123")
    assert _stored(path, uuid) == "123"
    assert load_settings().recent_files[0] == str(path.resolve())  # remembered once accepted


def test_edits_held_during_the_check_are_written_after_the_days_backup(
    qtbot: QtBot, two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check accepts the file: the day's backup is the file as opened (without the
    held edit), then the held edit is written and the status line says 已自动保存."""
    from desktop.services.backups import list_backups

    release = _held_check(monkeypatch)
    window = _window(qtbot, FakePrompter())
    assert window.files.open_path(two_units_path)
    uuid = _edit_target_value(window, "66")
    assert window.status_line.saved_label.text().startswith("已记下（检查完成后写入）")
    release.set()
    qtbot.waitUntil(
        lambda: window.session is not None and not window.session.document.checking,
        timeout=30000,
    )
    assert _stored(two_units_path, uuid) == "66"
    assert window.status_line.saved_label.text().startswith("已自动保存")
    (backup,) = list_backups(two_units_path)
    assert _stored(backup.path, uuid) != "66"


def test_held_edits_are_not_saved_over_the_damaged_file_itself(
    qtbot: QtBot, two_units_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk chooses the damaged file itself to keep the held edits in: refused in
    Chinese (choose another name), the file byte for byte as before, nothing saved."""
    _damage(two_units_path, "507003")
    before = file_digest(two_units_path)
    release = _held_check(monkeypatch)
    window = _window(qtbot, prompter := FakePrompter(two_units_path))
    assert window.files.open_path(two_units_path)
    _edit_target_value(window, "99")
    release.set()
    qtbot.waitUntil(lambda: window.session is None, timeout=30000)
    errors = prompter.said("error")
    assert errors[1:] == [
        "不能保存到“two.jxdb”本身：它已损坏。请另选一个文件名。",
        "检查期间所作的修改没有保存。",
    ]
    assert not prompter.said("inform")
    assert file_digest(two_units_path) == before and _beside(two_units_path) == ["two.jxdb"]
