"""Shared fixtures. Offscreen Qt and private user folders for every test, set before Qt loads."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import desktop  # noqa: F401  (first, before a test imports openpyxl: it keeps openpyxl off lxml)
from tests.postgres import PostgresServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
SEED = DATA / "000_5920c77ceb642a59.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to renew the golden files (--update-golden)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's settings, sample copy or backups."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def sample_path(tmp_path: Path) -> Iterator[Path]:
    """A fresh .jxdb file holding the built-in sample (closed, ready to open)."""
    from desktop.services.documents import write_sample

    path = tmp_path / "sample.jxdb"
    write_sample(path).close()
    yield path


@pytest.fixture
def two_units_path(tmp_path: Path) -> Path:
    """A file of 汇总 with two declarations: the sample (507002) and a renamed copy of it
    with new UUIDs (507003 乐亭县档案馆), both 2022."""
    import json

    from desktop import paths
    from desktop.services.documents import create_from_json
    from desktop.storage.interchange import renew_uuids

    data = json.loads(paths.sample_json().read_text(encoding="utf-8"))
    second = renew_uuids(data["declarations"][0])
    second["unit_code"], second["unit_name"] = "507003", "乐亭县档案馆"
    data["declarations"].append(second)
    (tmp_path / "two.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    create_from_json(tmp_path / "two.json", tmp_path / "two.jxdb").close()
    return tmp_path / "two.jxdb"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, to prove a refused file was left untouched."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(folder: Path) -> list[tuple[str, int]]:
    """Names and sizes of a folder's entries, to prove nothing was written beside a file."""
    return sorted((p.name, p.stat().st_size) for p in folder.iterdir())


def received_folder(folder: Path, good: Path) -> list[Path]:
    """A folder as the 财政局 gets it: ``good`` as b.jxdb, and three bad files: a text file
    renamed .jxdb, a truncated copy of a good file and an empty file (sorted by name)."""
    folder.mkdir()
    shutil.copyfile(good, folder / "b.jxdb")
    (folder / "text.jxdb").write_text("各单位绩效目标汇总说明\n", encoding="utf-8")
    data = good.read_bytes()
    (folder / "trunc.jxdb").write_bytes(data[: len(data) // 2])
    (folder / "empty.jxdb").write_bytes(b"")
    return sorted(folder.glob("*.jxdb"))


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a closed file, and its user_version: its whole content."""
    raw = sqlite3.connect(path)
    try:
        tables = [
            name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        rows = {table: sorted(raw.execute(f"SELECT * FROM {table}"), key=repr) for table in tables}
        rows["user_version"] = raw.execute("PRAGMA user_version").fetchall()
    finally:
        raw.close()
    return rows


#: The reasons given for the bad files of ``received_folder`` (what the clerk reads).
BAD_FILE_REASONS = {
    "empty.jxdb": "“empty.jxdb”是空文件（0 字节），没有任何内容，可能在复制或发送时没有完成。"
    "请向发送文件的单位重新索取，或从原处重新复制一份。",
    "text.jxdb": "“text.jxdb”不是绩效目标文件（.jxdb），无法打开。"
    "请确认选择的是本程序保存的文件（Excel 表格不能直接打开）。",
    "trunc.jxdb": "“trunc.jxdb”已损坏，无法打开（可能是复制时U盘被拔出或文件不完整）。"
    "请从原单位或备份中重新复制一份。",
}
#: The same, as the numbered lines of a merge report or message.
BAD_FILE_LINES = [f"  {n}. {reason}" for n, reason in enumerate(BAD_FILE_REASONS.values(), 1)]


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    """A small filesystem of its own (2 MiB tmpfs) standing in for a USB stick.

    Skipped where the machine refuses to mount (not root, or in a container without the
    right). Unmounted (lazily, in case a test left a file open) at the end.
    """
    import subprocess

    mount_point = tmp_path / "stick"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["chattr", "-R", "-i", str(mount_point)], capture_output=True, check=False)
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


def first_declaration(path: Path):  # -> Declaration (imported late: conftest loads first)
    """The first declaration of the file at ``path``, all rows loaded, the file closed."""
    from desktop.services.documents import load_declarations
    from desktop.storage.document import open_document

    document = open_document(path, read_only=True)
    try:
        with document.session() as session:
            return load_declarations(session)[0]
    finally:
        document.close()


def file_fingerprint(path: Path) -> str:
    """The content fingerprint of the first declaration of the file at ``path``."""
    from desktop.storage.interchange import fingerprint

    return fingerprint(first_declaration(path))


def interrupted_write(path: Path) -> None:
    """Leave ``path`` as a program killed in the middle of a commit leaves it: the hot
    ``-journal`` (its own) beside it, and only the first half of the pages the commit
    changes written into the file (a torn write: the file alone fails its checks)."""
    journal = path.with_name(path.name + "-journal")
    before = path.read_bytes()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA cache_size=1")  # spill to the file before commit: a hot journal
    raw.execute("PRAGMA synchronous=OFF")  # the journal's page count left open: all of it
    raw.execute("BEGIN")
    raw.execute("UPDATE indicator SET description = description || ?", ("中断" * 300,))
    raw.execute("DELETE FROM indicator WHERE id % 3 = 0")
    hot = journal.read_bytes()
    raw.commit()
    raw.close()
    after = path.read_bytes()
    size = 4096
    changed = [
        n
        for n in range(len(after) // size)
        if before[n * size : (n + 1) * size] != after[n * size : (n + 1) * size]
    ]
    torn = bytearray(before.ljust(len(after), b"\0"))
    for n in changed[: len(changed) // 2]:
        torn[n * size : (n + 1) * size] = after[n * size : (n + 1) * size]
    path.write_bytes(bytes(torn))
    journal.write_bytes(hot)


def replaced_by_another_copy(path: Path, other: Path) -> None:
    """The case of issue 15: ``path`` was cut off mid-commit (its -journal stayed on the
    stick), then replaced by another office's copy ``other`` (a different edit of the same
    document); the old journal is now beside a file it does not belong to."""
    interrupted_write(path)
    shutil.copyfile(other, path)


def another_office_copy(path: Path, other: Path) -> None:
    """Write at ``other`` a copy of ``path`` as another office changed it: unit renamed,
    indicators rewritten and added (other pages than this office's)."""
    shutil.copyfile(path, other)
    raw = sqlite3.connect(other)
    raw.execute("UPDATE declaration SET unit_name = '乙单位'")
    raw.execute("UPDATE indicator SET target_value = target_value || '（乙）'")
    import uuid

    rows = raw.execute(
        "SELECT budget_project_id, position, level1, level2, level3, description, target_value,"
        " basis, modified_at FROM indicator"
    ).fetchall()
    raw.executemany(
        "INSERT INTO indicator (budget_project_id, position, level1, level2, level3,"
        " description, target_value, basis, modified_at, uuid) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(r[0], r[1] + 100, *r[2:4], r[4] + "乙", *r[5:], str(uuid.uuid4())) for r in rows],
    )
    raw.commit()
    raw.execute("VACUUM")
    raw.close()


def wal_of_another_copy(path: Path, other: Path) -> None:
    """Put beside ``path`` a ``-wal`` written for ``other`` (a copy of the same document
    that another tool opened in WAL mode and changed), as if copied along with it."""
    work = other.with_name("wal-" + other.name)
    shutil.copyfile(other, work)
    raw = sqlite3.connect(work)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA wal_autocheckpoint=0")
    raw.execute("UPDATE declaration SET unit_name = '别的单位（WAL）'")
    raw.commit()
    shutil.copyfile(work.with_name(work.name + "-wal"), path.with_name(path.name + "-wal"))
    raw.close()
    for leftover in work.parent.glob(work.name + "*"):
        leftover.unlink()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of its own (tests/postgres.py), stopped and removed at the end.
    Skipped with the reason where the server's programs are missing, unless
    ``JIXIAO_REQUIRE_POSTGRES=1`` (set by .ci/run), which makes that a failure."""
    from tests.postgres import private_server, require_server

    require_server()
    with private_server() as server:
        yield server


@pytest.fixture
def collection_url(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a new, empty database of ``postgres_server``, its password in the .pgpass
    file that PGPASSFILE names (for this process and the commands it starts)."""
    monkeypatch.setenv("PGPASSFILE", str(postgres_server.pgpass))
    return postgres_server.new_database()
