"""The window when the file cannot be written: full disk, pulled stick, file turned
read-only, lock held elsewhere. The clerk is told in Chinese, the edits stay in memory,
另存为 writes them into a copy, and the file on disk is its old state, never broken."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from desktop.services import backups
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.prompter import Answer
from tests.conftest import file_digest, folder_listing
from tests.ui.fakes import FakePrompter
from tests.ui.test_main_window import _grid

_OPEN: list[MainWindow] = []


@pytest.fixture(autouse=True)
def _close_windows_in_order() -> Iterator[None]:
    """Windows stay referenced until closed here: dropped by the garbage collector at a
    random moment, a window's review panel could fire on half-destroyed widgets."""
    yield
    while _OPEN:
        window = _OPEN.pop()
        window.close()
        window.deleteLater()


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    _OPEN.append(window)
    window.show()
    assert window.files.open_path(path)
    return window


def _on_stick(stick: Path, sample_path: Path) -> Path:
    path = stick / "单位文件.jxdb"
    path.write_bytes(sample_path.read_bytes())
    return path


def _edit_target_value(window: MainWindow, text: str) -> str:
    """Type ``text`` into the first indicator's 指标值; the row's UUID."""
    model = _grid(window).model()
    model.setData(model.index(0, 4), text)
    return model.row_uuid(0)


def _stored(path: Path, uuid: str) -> str:
    """The 指标值 in the file, read without writing (after an integrity check)."""
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        row = raw.execute("SELECT target_value FROM indicator WHERE uuid = ?", (uuid,)).fetchone()
        return str(row[0])
    finally:
        raw.close()


def _assert_kept_and_offered(window: MainWindow, words: str) -> None:
    assert window.banner.isVisible()
    text = window.banner.label.text()
    assert words in text and "没有丢失" in text and "另存为" in text
    assert window.banner.save_copy_button.isVisible()
    assert window.session is not None and len(window.session.unsaved) == 1
    unit = window.findChild(QLineEdit, "unit_name")
    assert unit.isReadOnly()


def _save_elsewhere(window: MainWindow, target: Path, uuid: str) -> None:
    assert window.files.save_as(target)
    assert _stored(target, uuid) == "999辆"
    assert not window.banner.isVisible()
    assert window.session is not None and window.session.document.path == target.resolve()
    assert not window.findChild(QLineEdit, "unit_name").isReadOnly()


def test_file_faults_disk_full(
    qtbot: QtBot, stick: Path, sample_path: Path, tmp_path: Path
) -> None:
    """Disk full: message, edit kept, file keeps its old state; 另存为 saves it elsewhere."""
    path = _on_stick(stick, sample_path)
    window = _window(qtbot, path)
    filler = stick / "filler"
    with pytest.raises(OSError), filler.open("wb") as stream:
        while True:
            stream.write(b"\0" * 65536)
            stream.flush()
    uuid = _edit_target_value(window, "999辆")
    _assert_kept_and_offered(window, "空间已满")
    model = _grid(window).model()
    assert model.data(model.index(0, 4)) == "999辆"  # the grid shows the kept edit
    assert _stored(path, uuid) == "325辆"
    _save_elsewhere(window, tmp_path / "另存.jxdb", uuid)
    assert _stored(path, uuid) == "325辆"


def test_file_faults_stick_pulled(
    qtbot: QtBot, stick: Path, sample_path: Path, tmp_path: Path
) -> None:
    """The stick is pulled out (its folder disappears) while the file is open."""
    path = _on_stick(stick, sample_path)
    copy_before = tmp_path / "before.jxdb"
    copy_before.write_bytes(path.read_bytes())
    window = _window(qtbot, path)
    subprocess.run(["umount", "-l", str(stick)], check=True)
    assert not path.exists()
    uuid = _edit_target_value(window, "999辆")
    _assert_kept_and_offered(window, "U盘可能已被拔出")
    _save_elsewhere(window, tmp_path / "另存.jxdb", uuid)


def test_file_faults_file_turns_read_only_then_retry(
    qtbot: QtBot, stick: Path, sample_path: Path
) -> None:
    """The file and its folder turn read-only while open; once writable again, 重试 saves."""
    path = _on_stick(stick, sample_path)
    window = _window(qtbot, path)
    subprocess.run(["chattr", "+i", str(path), str(stick)], check=True)
    uuid = _edit_target_value(window, "999辆")
    _assert_kept_and_offered(window, "只读")
    assert window.banner.retry_button.isVisible()
    assert _stored(path, uuid) == "325辆"
    window.banner.retry_button.click()  # still read-only: says so, keeps the edit
    assert "只读" in window.prompter.said("error")[-1]
    assert window.session is not None and len(window.session.unsaved) == 1
    subprocess.run(["chattr", "-i", str(path), str(stick)], check=True)
    window.banner.retry_button.click()
    assert not window.banner.isVisible() and window.session.unsaved == []
    assert _stored(path, uuid) == "999辆"


def test_file_faults_lock_of_another_pc_and_take_over(qtbot: QtBot, sample_path: Path) -> None:
    """A file locked by another PC opens read-only naming it; 强制编辑 after the warning."""
    raw = sqlite3.connect(sample_path)
    raw.execute(
        "INSERT INTO edit_lock (id, token, computer, user, pid, since) "
        "VALUES (1, 'x', '财政局-PC07', '张三', 4242, '2026-11-29 08:30:00')"
    )
    raw.commit()
    raw.close()
    window = _window(qtbot, sample_path)
    assert window.banner.isVisible() and "财政局-PC07" in window.banner.label.text()
    assert window.banner.take_over_button.isVisible()
    assert not window.banner.retry_button.isVisible()
    assert window.findChild(QLineEdit, "unit_name").isReadOnly()
    window.prompter.script(True)
    window.banner.take_over_button.click()
    asked = window.prompter.said("confirm")
    assert "财政局-PC07" in asked[0] and "互相覆盖" in asked[0]
    assert not window.banner.isVisible()
    uuid = _edit_target_value(window, "999辆")
    assert _stored(sample_path, uuid) == "999辆"


def test_file_faults_second_window_loses_the_race_but_keeps_typing(
    qtbot: QtBot, sample_path: Path, tmp_path: Path
) -> None:
    """Two windows on one file: the first edit wins; the second window turns read-only
    with the banner naming the holder and keeps what was typed for 另存为."""
    first, second = _window(qtbot, sample_path), _window(qtbot, sample_path)
    uuid = _edit_target_value(first, "888辆")
    _edit_target_value(second, "999辆")
    _assert_kept_and_offered(second, "正由")
    assert not second.banner.take_over_button.isVisible()  # same PC: close the other window
    assert _stored(sample_path, uuid) == "888辆"
    _save_elsewhere(second, tmp_path / "我的副本.jxdb", uuid)
    assert _stored(sample_path, uuid) == "888辆"


def test_file_faults_closing_with_kept_edits_asks(
    qtbot: QtBot, stick: Path, sample_path: Path
) -> None:
    """Closing the window with edits that could not be written asks before losing them."""
    path = _on_stick(stick, sample_path)
    window = _window(qtbot, path)
    subprocess.run(["chattr", "+i", str(path), str(stick)], check=True)
    _edit_target_value(window, "999辆")
    window.prompter.script(Answer.CANCEL)
    assert not window.close()
    assert "1 处修改未能写入文件" in window.prompter.said("choose")[0]
    assert window.session is not None and len(window.session.unsaved) == 1
    window.session.unsaved.clear()  # let the fixture close it


def test_file_faults_reopening_the_open_file_stays_editable(
    qtbot: QtBot, sample_path: Path
) -> None:
    """Opening again the file the window edits (e.g. from 最近打开) does not lock it out."""
    window = _window(qtbot, sample_path)
    uuid = _edit_target_value(window, "888辆")
    assert window.files.open_path(sample_path)
    assert not window.banner.isVisible()
    assert window.session is not None and window.session.document.read_only is None
    _edit_target_value(window, "999辆")
    assert _stored(sample_path, uuid) == "999辆"


def test_file_faults_received_file_untouched_by_viewing(
    qtbot: QtBot, sample_path: Path, tmp_path: Path
) -> None:
    """A received file opened in the window, looked at (every tab) and closed without an
    edit keeps its bytes and its folder listing."""
    folder = tmp_path / "来件"
    folder.mkdir()
    path = folder / "乐亭县机关事务中心.jxdb"
    path.write_bytes(sample_path.read_bytes())
    before, listing = file_digest(path), folder_listing(folder)
    window = _window(qtbot, path)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: bool(window.review.fingerprint))  # reviewed
    qtbot.waitUntil(lambda: any(backups.backup_folder(path).glob("*-daily.jxdb")))
    window.close()
    assert file_digest(path) == before
    assert folder_listing(folder) == listing


def test_file_faults_opening_another_file_offers_to_save_kept_edits(
    qtbot: QtBot, stick: Path, sample_path: Path, tmp_path: Path
) -> None:
    """Kept edits are not dropped by opening another file: 另存为 is offered first."""
    path = _on_stick(stick, sample_path)
    window = _window(qtbot, path)
    subprocess.run(["chattr", "+i", str(path), str(stick)], check=True)
    uuid = _edit_target_value(window, "999辆")
    rescued = tmp_path / "抢救.jxdb"
    window.prompter.script(Answer.SAVE, rescued)
    assert window.files.open_path(sample_path)
    assert _stored(rescued, uuid) == "999辆"
    assert window.session is not None and window.session.document.path == sample_path.resolve()


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("ALTER TABLE indicator DROP COLUMN basis", "表 indicator 的栏目与本程序的不同"),
        ("UPDATE budget_project SET budget_amount = 'NaN' WHERE id = 1", "不是有效的金额"),
        ("UPDATE declaration SET fiscal_year = '二〇二二'", "“预算年度”应为整数"),
    ],
    ids=["column-dropped", "amount-nan", "year-in-chinese-numerals"],
)
def test_file_faults_values_out_of_their_domain_are_refused_in_the_window(
    qtbot: QtBot, sample_path: Path, sql: str, words: str
) -> None:
    """A file another tool changed (a column dropped, an amount NaN, a year in Chinese
    numerals) is refused with the check's Chinese message naming the place; the window
    stays, with no uncaught error (a dropped column once ended the program), and the file
    is untouched."""
    raw = sqlite3.connect(sample_path)
    raw.execute(sql)
    raw.commit()
    raw.close()
    before = file_digest(sample_path)
    window = MainWindow(Settings(), prompter := FakePrompter())
    qtbot.addWidget(window)
    _OPEN.append(window)
    window.show()
    assert not window.files.open_path(sample_path)
    shown = prompter.said("error")
    assert len(shown) == 1 and words in shown[0] and "文件未作任何改动" in shown[0]
    assert file_digest(sample_path) == before
