"""Hostile files: each kind is refused (or, when locked, opened read-only) with a Chinese
message that says what to do, and nothing is written — not to the file, not beside it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.storage import document as storage
from desktop.storage.errors import (
    DamagedFileError,
    DocumentFileError,
    ForeignFileError,
    NewerSchemaError,
)
from tests.conftest import file_digest, folder_listing


def _sql(*statements: str) -> Callable[[Path], None]:
    """A maker running ``statements`` on a copy of the sample (foreign keys off, as an
    outside program would)."""

    def make(path: Path) -> None:
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA foreign_keys=OFF")
        for statement in statements:
            raw.execute(statement)
        raw.commit()
        raw.close()

    return make


def _bytes(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(change(path.read_bytes()))


def _corrupt_pages(data: bytes) -> bytes:
    page = int.from_bytes(data[16:18], "big")
    out = bytearray(data)
    for offset in range(page * 2, len(out), page):
        out[offset : offset + 64] = b"\xa5" * 64
    return bytes(out)


def _xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (body TEXT)")
    raw.execute("INSERT INTO notes VALUES ('x')")
    raw.commit()
    raw.close()


def _wal(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()


def _huge_text(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("UPDATE indicator SET description = ? WHERE id = 1", ("绩" * (34 * 1024 * 1024),))
    raw.commit()
    raw.close()


#: kind -> (how to make it from the sample, error expected, words the message must hold)
HOSTILE: dict[str, tuple[Callable[[Path], None], type[DocumentFileError] | None, str]] = {
    "empty": (_bytes(lambda _: b""), DamagedFileError, "是空文件（0 字节）"),
    "text": (_bytes(lambda _: "预算绩效目标\n".encode()), ForeignFileError, "不是绩效目标文件"),
    "truncated": (_bytes(lambda d: d[: len(d) // 2]), DamagedFileError, "已损坏"),
    "random-after-header": (
        _bytes(lambda d: d[:16] + os.urandom(len(d) - 16)),
        DamagedFileError,
        "已损坏",
    ),
    "xlsx-renamed": (_xlsx, ForeignFileError, "Excel 表格不能直接打开"),
    "foreign-sqlite": (_foreign_sqlite, ForeignFileError, "其他程序"),
    "newer-schema": (
        _sql(f"PRAGMA user_version={storage.SCHEMA_VERSION + 1}"),
        NewerSchemaError,
        "请升级程序",
    ),
    "corrupted-pages": (_bytes(_corrupt_pages), DamagedFileError, "已损坏"),
    "trigger": (
        _sql("CREATE TRIGGER t AFTER INSERT ON indicator BEGIN DELETE FROM declaration; END"),
        DamagedFileError,
        "不认识的内容",
    ),
    "view-added": (
        _sql("CREATE VIEW v AS SELECT * FROM indicator"),
        DamagedFileError,
        "不认识的内容",
    ),
    "view-instead-of-table": (
        _sql(
            "CREATE TABLE kept AS SELECT * FROM key_task",
            "DROP TABLE key_task",
            "CREATE VIEW key_task AS SELECT * FROM kept",
            "DROP TABLE kept",
        ),
        DamagedFileError,
        "不认识的内容",
    ),
    "extra-table": (_sql("CREATE TABLE extra (x)"), DamagedFileError, "不认识的内容"),
    "wal-mode": (_wal, DamagedFileError, "日志模式"),
    "100mb-text": (_huge_text, DamagedFileError, "字的文字"),
    "invalid-utf8": (
        _sql("UPDATE indicator SET level3 = CAST(x'e7bbffe6' AS TEXT) WHERE id = 2"),
        DamagedFileError,
        "UTF-8",
    ),
    "broken-foreign-key": (
        _sql("UPDATE indicator SET budget_project_id = 9999 WHERE id = 3"),
        DamagedFileError,
        "失去了所属",
    ),
    "duplicate-uuid": (
        _sql("UPDATE key_task SET uuid = (SELECT uuid FROM indicator LIMIT 1) WHERE id = 1"),
        DamagedFileError,
        "UUID",
    ),
    "unknown-profile": (
        _sql("UPDATE declaration SET profile = 'province-2030'"),
        DamagedFileError,
        "不认识的值",
    ),
    "amount-not-a-number": (
        _sql("UPDATE budget_project SET budget_amount = '一百八十四' WHERE id = 1"),
        DamagedFileError,
        "不认识的值",
    ),
    "lock-of-another-pc": (
        _sql(
            "INSERT INTO edit_lock (id, token, computer, user, pid, since) "
            "VALUES (1, 'x', '财政局-PC07', '张三', 4242, '2026-11-29 08:30:00')"
        ),
        None,  # opened, read-only
        "财政局-PC07",
    ),
}


@pytest.fixture
def received(sample_path: Path, tmp_path: Path) -> Path:
    """A copy of the sample alone in a folder of its own, as if just copied from a stick."""
    folder = tmp_path / "received"
    folder.mkdir()
    path = folder / "来件.jxdb"
    path.write_bytes(sample_path.read_bytes())
    return path


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_file_is_refused_and_left_untouched(kind: str, received: Path) -> None:
    """Each hostile kind gets its Chinese message; the file and its folder stay as they were."""
    make, error, words = HOSTILE[kind]
    make(received)
    before, listing = file_digest(received), folder_listing(received.parent)
    if error is None:
        document = storage.open_document(received)
        assert document.read_only is not None and words in document.read_only
        assert "只读" in document.read_only
        document.close()
    else:
        with pytest.raises(error) as info:
            storage.open_document(received)
        message = info.value.message
        assert words in message and received.name in message
        assert any(advice in message for advice in ("请", "未作任何改动"))
    assert file_digest(received) == before
    assert folder_listing(received.parent) == listing


CHILD = """
import resource, sys
from pathlib import Path
from desktop.storage.document import open_document
from desktop.storage.errors import DocumentFileError
with open("/proc/self/statm") as statm:
    used = int(statm.read().split()[0]) * resource.getpagesize()
limit = used + int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
for name in sys.argv[2:]:
    try:
        open_document(Path(name)).close()
        print(name, "opened", flush=True)
    except DocumentFileError as exc:
        print(name, type(exc).__name__, flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit and /proc are Linux's")
def test_hostile_files_are_refused_in_bounded_time_and_memory(
    sample_path: Path, tmp_path: Path
) -> None:
    """All kinds in one process allowed 400 MiB more address space and 60 s: each is answered.

    The 100 MB text is the largest; checking it costs about its own size once.
    """
    files = []
    for kind, (make, _, _) in HOSTILE.items():
        path = tmp_path / f"{kind}.jxdb"
        path.write_bytes(sample_path.read_bytes())
        make(path)
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "400", *files],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = dict(line.rsplit(" ", 1) for line in result.stdout.splitlines())
    expected = {}
    for path in files:
        error = HOSTILE[Path(path).stem][1]
        expected[path] = "opened" if error is None else error.__name__
    assert answers == expected
