"""One writer at a time: the edit lock row, taken by the first edit, read on opening."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.file_words import holder_words, refusal_words
from desktop.models import Declaration
from desktop.services import editing
from desktop.storage import lock
from desktop.storage.document import Document, open_document, save_copy
from desktop.storage.errors import (
    LockHeldError,
    ReadOnlyDocumentError,
    SidecarError,
)
from desktop.storage.reasons import ReadOnlyCause
from desktop.ui.wording import read_only_words
from tests.conftest import file_digest, folder_listing


def _edit(document: Document, name: str) -> None:
    with document.session() as session:
        uuid = session.scalars(select(Declaration.uuid)).one()
    editing.set_field(document, row_type=Declaration, row_uuid=uuid, field="unit_name", value=name)


def _unit_name(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return str(raw.execute("SELECT unit_name FROM declaration").fetchone()[0])
    finally:
        raw.close()


def _lock_rows(path: Path) -> list[tuple]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT token, computer, user, pid FROM edit_lock").fetchall()
    finally:
        raw.close()


def _plant_lock(path: Path, *, computer: str, pid: int) -> None:
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO edit_lock (id, token, computer, user, pid, since) "
        "VALUES (1, 'other', ?, '张三', ?, '2026-11-29 08:30:00')",
        (computer, pid),
    )
    raw.commit()
    raw.close()


def test_lock_open_and_close_without_edits_changes_nothing(sample_path: Path) -> None:
    """A received file opened and closed without an edit keeps its bytes and its folder."""
    before, listing = file_digest(sample_path), folder_listing(sample_path.parent)
    document = open_document(sample_path)
    with document.session() as session:
        assert session.scalars(select(Declaration.unit_name)).one() == "乐亭县机关事务中心"
    document.close()
    assert file_digest(sample_path) == before
    assert folder_listing(sample_path.parent) == listing


def test_lock_first_edit_takes_lock_and_close_gives_it_back(sample_path: Path) -> None:
    """The first edit writes the lock row naming this program; closing removes it."""
    document = open_document(sample_path)
    assert _lock_rows(sample_path) == []
    _edit(document, "甲")
    ((token, computer, user, pid),) = _lock_rows(sample_path)
    assert (token, computer, user, pid) == (
        document.token,
        lock.computer_name(),
        lock.user_name(),
        os.getpid(),
    )
    document.close()
    assert _lock_rows(sample_path) == []
    assert _unit_name(sample_path) == "甲"


def test_lock_second_opening_is_read_only_naming_the_holder(sample_path: Path) -> None:
    """While one program edits the file, a second opening is read-only and says who edits."""
    first = open_document(sample_path)
    _edit(first, "甲")
    second = open_document(sample_path)
    assert second.read_only is not None and second.read_only.cause is ReadOnlyCause.LOCKED
    assert second.lock_holder is not None and second.lock_holder.pid == os.getpid()
    words = read_only_words(second.path, second.read_only)  # the window's banner
    assert lock.computer_name() in words and "只读" in words and "另存为" in words
    with pytest.raises(ReadOnlyDocumentError):
        _edit(second, "乙")
    second.close()
    first.close()
    assert _unit_name(sample_path) == "甲"
    third = open_document(sample_path)  # the lock was given back: editable again
    assert third.read_only is None
    third.close()


def test_lock_race_second_writer_is_refused_and_turns_read_only(sample_path: Path) -> None:
    """Both opened before any edit: the first edit wins, the second is rolled back."""
    first, second = open_document(sample_path), open_document(sample_path)
    _edit(first, "甲")
    with pytest.raises(LockHeldError) as info:
        _edit(second, "乙")
    assert info.value.reason.cause is ReadOnlyCause.LOCKED
    assert "只读" in read_only_words(info.value.path, info.value.reason)
    assert second.read_only == info.value.reason and second.lock_holder is not None
    assert info.value.holder == second.lock_holder and second.lock_holder.token == first.token
    assert _unit_name(sample_path) == "甲"
    second.close()
    first.close()


def test_lock_stale_lock_of_a_dead_program_clears_itself(sample_path: Path) -> None:
    """A lock left by a crashed program on this computer does not block; the edit replaces it."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    _plant_lock(sample_path, computer=lock.computer_name(), pid=int(dead.stdout))
    document = open_document(sample_path)
    assert document.read_only is None
    _edit(document, "甲")
    assert _lock_rows(sample_path)[0][0] == document.token
    document.close()


def test_lock_of_another_computer_opens_read_only_and_can_be_broken(sample_path: Path) -> None:
    """A lock naming another PC: read-only with its name; after the warning the clerk takes over."""
    _plant_lock(sample_path, computer="财政局-PC07", pid=4242)
    before = file_digest(sample_path)
    document = open_document(sample_path)
    assert document.read_only is not None and document.read_only.may_take_over
    assert document.lock_holder is not None and document.lock_holder.computer == "财政局-PC07"
    words = read_only_words(document.path, document.read_only)
    assert "财政局-PC07" in words and "张三" in words and "强制编辑" in words
    assert file_digest(sample_path) == before
    document.take_over_lock()
    assert document.read_only is None
    _edit(document, "甲")
    assert _lock_rows(sample_path)[0][0] == document.token
    document.close()
    assert _lock_rows(sample_path) == []


def test_lock_broken_by_another_program_stops_the_first_writer(sample_path: Path) -> None:
    """When another program broke this program's lock, this program's next edit is refused."""
    first = open_document(sample_path)
    _edit(first, "甲")
    raw = sqlite3.connect(sample_path)
    raw.execute("UPDATE edit_lock SET token = 'other', computer = '财政局-PC07'")
    raw.commit()
    raw.close()
    with pytest.raises(LockHeldError):
        _edit(first, "乙")
    assert first.lock_holder is not None and first.lock_holder.computer == "财政局-PC07"
    first.close()
    assert _unit_name(sample_path) == "甲"


def test_lock_copies_carry_no_lock(sample_path: Path, tmp_path: Path) -> None:
    """另存为 (and every backup) writes a copy without the lock row: the copy is editable."""
    document = open_document(sample_path)
    _edit(document, "甲")
    copy = tmp_path / "copy.jxdb"
    save_copy(document, copy)
    document.close()
    assert _lock_rows(copy) == []
    assert _unit_name(copy) == "甲"


def test_lock_holder_describes_computer_user_and_time() -> None:
    """The banner names the computer, the user and since when (local time)."""
    holder = lock.LockHolder("t", "PC07", "张三", 1, datetime(2026, 11, 29, 8, 30, tzinfo=UTC))
    words = holder_words(holder)
    assert "PC07" in words and "张三" in words
    assert datetime(2026, 11, 29, 8, 30, tzinfo=UTC).astimezone().strftime("%H:%M") in words


def test_lock_refusal_is_put_in_words_at_each_edge(sample_path: Path) -> None:
    """An edit refused for another PC's lock carries the holder; the window's words name its
    另存为 and 强制编辑 buttons, the command line's what a command-line user can do."""
    from desktop.cli import _error_words
    from desktop.ui.wording import error_words

    _plant_lock(sample_path, computer="财政局-PC07", pid=4242)
    document = open_document(sample_path)
    document.read_only = None  # as if opened before the other PC took the lock
    with pytest.raises(LockHeldError) as info:
        _edit(document, "甲")
    document.close()
    assert info.value.reason.cause is ReadOnlyCause.LOCKED
    assert info.value.holder.computer == "财政局-PC07" and info.value.holder.user == "张三"
    window, command = error_words(info.value), _error_words(info.value)
    assert "财政局-PC07" in window and "另存为" in window and "强制编辑" in window
    assert "财政局-PC07" in command and "请先复制一份可写的文件，再对副本执行此命令" in command
    assert "另存为" not in command and "强制编辑" not in command


def test_lock_read_only_medium_opens_read_only_untouched(stick: Path, sample_path: Path) -> None:
    """A file on a read-only medium opens read-only (banner offers 另存为); nothing is written."""
    path = stick / "received.jxdb"
    path.write_bytes(sample_path.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    before, listing = file_digest(path), folder_listing(stick)
    document = open_document(path)
    assert document.read_only is not None and document.read_only.cause is ReadOnlyCause.LOCATION
    words = read_only_words(document.path, document.read_only)
    assert "只读" in words and "另存为" in words
    with pytest.raises(ReadOnlyDocumentError):
        _edit(document, "甲")
    copy = sample_path.parent / "editable.jxdb"
    save_copy(document, copy)
    document.close()
    assert file_digest(path) == before and folder_listing(stick) == listing
    assert open_document(copy).read_only is None


def test_lock_edit_and_lock_row_are_one_transaction(sample_path: Path) -> None:
    """An edit refused for the lock leaves neither the edit nor a lock row of its own."""
    _plant_lock(sample_path, computer="财政局-PC07", pid=1)
    document = open_document(sample_path)
    document.read_only = None  # as if opened before the other PC took the lock
    with pytest.raises(LockHeldError):
        _edit(document, "甲")
    with document.engine.connect() as connection:
        assert connection.execute(text("SELECT token FROM edit_lock")).all() == [("other",)]
    document.close()
    assert _unit_name(sample_path) == "乐亭县机关事务中心"


def test_lock_interrupted_write_on_read_only_medium_is_explained(
    stick: Path, sample_path: Path
) -> None:
    """A file whose last write was cut off, on a read-only stick: a message saying to open
    it in the program to choose (never to copy the journal along: it may be a stranger's),
    and nothing written."""
    path = stick / "中断.jxdb"
    path.write_bytes(sample_path.read_bytes())
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA cache_size=1")  # spill to the file before commit: a hot journal
    raw.execute("BEGIN")
    raw.execute("UPDATE indicator SET description = description || ?", ("x" * 2000,))
    journal = path.with_name(path.name + "-journal")
    hot = journal.read_bytes()
    data = path.read_bytes()
    raw.rollback()
    raw.close()
    path.write_bytes(data)  # as left by a kill in the middle of the commit
    journal.write_bytes(hot)
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    before, listing = file_digest(path), folder_listing(stick)
    with pytest.raises(SidecarError) as info:
        open_document(path)
    assert info.value.sidecars == [journal]
    words = refusal_words(info.value)
    assert "请在绩效目标填报程序中打开“中断.jxdb”" in words
    assert "一起复制到电脑上" not in words  # the step that corrupts a stranger's
    assert file_digest(path) == before and folder_listing(stick) == listing


def test_lock_printing_a_read_only_file_records_nothing(sample_path: Path, tmp_path: Path) -> None:
    """A locked (read-only) file prints; no print record is written into it."""
    from desktop.services.printing import print_document

    _plant_lock(sample_path, computer="财政局-PC07", pid=4242)
    before = file_digest(sample_path)
    document = open_document(sample_path)
    assert print_document(document, tmp_path / "out.pdf") > 0
    document.close()
    assert file_digest(sample_path) == before


HOLDER = """
import sys
from sqlalchemy import select
from desktop.models import Declaration
from desktop.services import editing
from desktop.storage.document import open_document
document = open_document(sys.argv[1])
with document.session() as session:
    uuid = session.scalars(select(Declaration.uuid)).one()
editing.set_field(document, row_type=Declaration, row_uuid=uuid, field="unit_name", value="甲")
print("editing", flush=True)
sys.stdin.readline()
document.close()
"""


def test_lock_second_program_on_this_computer_gets_read_only(sample_path: Path) -> None:
    """Another running program editing the file: read-only here (no 强制编辑 on one PC);
    once it closes the file, the file opens editable again."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(sample_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "editing"
        document = open_document(sample_path)
        assert document.read_only is not None and document.lock_holder is not None
        assert document.lock_holder.pid == holder.pid
        assert not document.read_only.may_take_over  # this computer: checked, not broken
        assert "强制编辑" not in read_only_words(document.path, document.read_only)
        document.close()
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0
    document = open_document(sample_path)
    assert document.read_only is None
    document.close()
