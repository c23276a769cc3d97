"""Below the UI: a write to a file that cannot take it raises DocumentWriteError carrying
the fault (put into Chinese words by desktop/file_words.py), and the file keeps its last
committed state, intact."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.file_words import Advice, error_words
from desktop.files import WriteFault
from desktop.models import Indicator
from desktop.services import editing
from desktop.storage.document import open_document
from desktop.storage.errors import DocumentWriteError


def _fill(stick: Path) -> None:
    with pytest.raises(OSError), (stick / "filler").open("wb") as stream:
        while True:
            stream.write(b"\0" * 65536)
            stream.flush()


def _pull(stick: Path) -> None:
    subprocess.run(["umount", "-l", str(stick)], check=True)


def _freeze(stick: Path) -> None:
    subprocess.run(["chattr", "-R", "+i", str(stick)], check=True)


#: fault -> (how to cause it, the faults SQLite may report for it, words of the message)
FAULTS: dict[str, tuple[Callable[[Path], None], set[WriteFault], str]] = {
    "disk-full": (_fill, {WriteFault.DISK_FULL}, "空间已满"),
    "stick-pulled": (
        _pull,
        {WriteFault.IO_ERROR, WriteFault.MOVED, WriteFault.CANNOT_OPEN, WriteFault.UNKNOWN},
        "U盘可能已被拔出",
    ),
    "turned-read-only": (
        _freeze,
        {WriteFault.READ_ONLY, WriteFault.NO_PERMISSION, WriteFault.CANNOT_OPEN},
        "只读",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_write_faults_edit_is_refused_and_file_stays_whole(
    fault: str, stick: Path, sample_path: Path, tmp_path: Path
) -> None:
    """Each fault: a Chinese reason, the edit not in the file, the file intact."""
    cause, faults, words = FAULTS[fault]
    path = stick / "单位文件.jxdb"
    path.write_bytes(sample_path.read_bytes())
    document = open_document(path)
    with document.session() as session:
        uuid = session.scalars(select(Indicator.uuid)).first()
    editing.set_field(
        document, row_type=Indicator, row_uuid=uuid, field="target_value", value="300辆"
    )
    cause(stick)
    with pytest.raises(DocumentWriteError) as info:
        editing.set_field(
            document, row_type=Indicator, row_uuid=uuid, field="target_value", value="999辆"
        )
    assert info.value.fault in faults, info.value.fault
    message = error_words(info.value, Advice(copy="", wait=""))
    assert words in message and "上一次保存的内容" in message
    copy = tmp_path / "copy.jxdb"  # the open connection still reads: 另存为 works
    backup = sqlite3.connect(copy)
    raw = document.engine.raw_connection()
    raw.driver_connection.backup(backup)  # type: ignore[union-attr]
    raw.close()
    document.close()
    assert backup.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    stored = backup.execute("SELECT target_value FROM indicator WHERE uuid = ?", (uuid,))
    assert stored.fetchone()[0] == "300辆"
    backup.close()
    if path.exists():
        raw_file = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        assert raw_file.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        raw_file.close()
