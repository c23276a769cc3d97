"""Sidecars (issue 15, item 1): a -journal, -wal or -shm beside a file is never applied by
SQLite in place; read commands refuse without creating or changing anything; the program
recovers in a temporary copy and the clerk's choice is carried out (file, backup, sidecar
renamed aside)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop import cli
from desktop.services import backups, recovery
from desktop.storage.document import SCHEMA_VERSION, check_file, open_document
from desktop.storage.errors import SidecarError
from desktop.storage.reasons import ReadOnlyReason, Version
from desktop.storage.sidecars import ASIDE_WORD, sidecars_of
from desktop.ui.wording import VERSION_WORDS, read_only_words
from tests.conftest import (
    another_office_copy,
    file_digest,
    file_fingerprint,
    folder_listing,
    interrupted_write,
    replaced_by_another_copy,
    wal_of_another_copy,
)


def _journal_of_another_copy(path: Path, other: Path) -> None:
    replaced_by_another_copy(path, other)


def _wal(path: Path, other: Path) -> None:
    wal_of_another_copy(path, other)


def _shm_only(path: Path, other: Path) -> None:
    path.with_name(path.name + "-shm").write_bytes(b"\0" * 32768)


def _own_interrupted_write(path: Path, other: Path) -> None:
    interrupted_write(path)


KINDS: dict[str, Callable[[Path, Path], None]] = {
    "journal-of-another-copy": _journal_of_another_copy,
    "own-interrupted-write": _own_interrupted_write,
    "wal-of-another-copy": _wal,
    "shm-alone": _shm_only,
}


@pytest.fixture
def received(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A folder “收到” holding 单位.jxdb (the sample) and, elsewhere, another office's copy."""
    folder = tmp_path / "收到"
    folder.mkdir()
    path = folder / "单位.jxdb"
    shutil.copyfile(sample_path, path)
    other = tmp_path / "乙.jxdb"
    another_office_copy(sample_path, other)
    return path, other


READ_COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "check": lambda p, out: ["check", str(p)],
    "export-json": lambda p, out: ["export-json", str(p)],
    "diff": lambda p, out: ["diff", str(p), str(out / "other.jxdb")],
    "summary": lambda p, out: ["summary", str(p)],
    "merge-source": lambda p, out: ["merge", str(out / "other.jxdb"), str(p)],
    "print": lambda p, out: ["print", str(p), "-o", str(out / "x.pdf")],
    "export-xlsx": lambda p, out: ["export-xlsx", str(p), "-o", str(out / "x.xlsx")],
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("command", list(READ_COMMANDS))
def test_sidecars_cli_refuses_and_touches_nothing(
    command: str,
    kind: str,
    received: tuple[Path, Path],
    tmp_path: Path,
    sample_path: Path,
    capsys: pytest.CaptureFixture,
) -> None:
    """Every CLI command meeting a sidecar: exit non-zero, says in Chinese to open the file
    in the program to choose; the file, the sidecar and the folder stay exactly as they were
    (no -shm created, no journal applied)."""
    path, other = received
    KINDS[kind](path, other)
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(sample_path, out / "other.jxdb")
    before = {p.name: file_digest(p) for p in path.parent.iterdir()}
    listing = folder_listing(path.parent)
    capsys.readouterr()
    code = cli.main(READ_COMMANDS[command](path, out))
    err = capsys.readouterr().err
    assert code != 0
    assert "请在绩效目标填报程序中打开“单位.jxdb”" in err, err
    assert "一起复制" not in err.replace("不要把它们和文件一起复制", "")
    assert folder_listing(path.parent) == listing
    assert {p.name: file_digest(p) for p in path.parent.iterdir()} == before


@pytest.mark.parametrize("command", ["check", "export-json", "diff", "summary", "merge-source"])
def test_sidecars_read_commands_create_none(
    command: str, received: tuple[Path, Path], tmp_path: Path, sample_path: Path
) -> None:
    """Without a sidecar, commands that only read leave the file's folder as it was (no
    -journal, -wal or -shm appears, even for a moment long enough to be left behind)."""
    path, _ = received
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(sample_path, out / "other.jxdb")
    listing, digest = folder_listing(path.parent), file_digest(path)
    assert cli.main(READ_COMMANDS[command](path, out)) in (0, 1)
    assert folder_listing(path.parent) == listing and file_digest(path) == digest


@pytest.mark.parametrize("kind", list(KINDS))
def test_sidecars_opening_for_editing_applies_nothing(kind: str, received) -> None:
    """Opening for editing (the window, print) refuses before SQLite sees the file: the
    stranger's journal is not rolled into it, the WAL not written into it."""
    path, other = received
    KINDS[kind](path, other)
    listing = folder_listing(path.parent)
    digest = file_digest(path)
    with pytest.raises(SidecarError) as info:
        backups.open_file(path)
    assert [s.name for s in info.value.sidecars] == [s.name for s in sidecars_of(path)]
    assert folder_listing(path.parent) == listing and file_digest(path) == digest


def test_sidecars_a_live_writers_journal_is_not_a_sidecar(sample_path: Path) -> None:
    """A journal of another program committing right now (it holds the file) is not hot:
    the file is read as last committed, not sent to recovery."""
    writer = sqlite3.connect(sample_path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE declaration SET unit_name = '写入中'")
    try:
        assert sample_path.with_name(sample_path.name + "-journal").exists()
        assert sidecars_of(sample_path) == []
        assert check_file(sample_path) == SCHEMA_VERSION
    finally:
        writer.rollback()
        writer.close()


def _aside(path: Path, suffix: str) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}{suffix}.{ASIDE_WORD}-*"))


def test_sidecars_journal_of_another_copy_keeps_the_file(received) -> None:
    """The issue's case: the file as it is is proposed (the recovered one fails its checks);
    choosing it leaves the file's bytes as they were, renames the journal aside (same
    bytes), keeps the other version in the backups, and opens the file."""
    path, other = received
    replaced_by_another_copy(path, other)
    journal = path.with_name(path.name + "-journal")
    journal_bytes, digest = journal.read_bytes(), file_digest(path)
    offer = recovery.offer_recovery(path)
    assert offer.recovery.proposed is Version.AS_IS
    assert offer.recovery.as_is.usable and not offer.recovery.recovered.usable
    assert file_digest(path) == digest and journal.read_bytes() == journal_bytes
    document = recovery.choose(offer, Version.AS_IS)
    try:
        assert document.read_only is None
    finally:
        document.close()
    assert file_digest(path) == digest
    assert not journal.exists()
    (aside,) = _aside(path, "-journal")
    assert aside.read_bytes() == journal_bytes
    kept = list(backups.backup_folder(path).glob("*-recovered.jxdb"))
    assert len(kept) == 1
    assert not offer.recovery.folder.exists()
    assert file_fingerprint(path) == file_fingerprint(other)


def test_sidecars_own_interrupted_write_is_recovered(received, sample_path: Path) -> None:
    """A real interrupted commit: the torn file fails its checks, the recovered version (the
    last committed state) is proposed; choosing it makes it the file, the torn file kept."""
    path, _ = received
    interrupted_write(path)
    offer = recovery.offer_recovery(path)
    assert offer.recovery.proposed is Version.RECOVERED
    assert not offer.recovery.as_is.usable
    recovery.choose(offer, Version.RECOVERED).close()
    assert file_fingerprint(path) == file_fingerprint(sample_path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    assert len(_aside(path, "-journal")) == 1 and sidecars_of(path) == []
    assert len(list(backups.backup_folder(path).glob("*-original.jxdb"))) == 1


def test_sidecars_wal_of_another_copy_shows_what_differs(received, sample_path: Path) -> None:
    """A stranger's -wal: both versions pass, the differences are listed, the file as it is
    proposed; choosing the recovered one takes the WAL's content, written atomically."""
    path, other = received
    wal_of_another_copy(path, other)
    offer = recovery.offer_recovery(path)
    assert offer.recovery.proposed is Version.AS_IS
    assert [(d.label, d.mine, d.theirs) for d in offer.differences if d.label == "单位名称"] == [
        ("单位名称", "乐亭县机关事务中心", "别的单位（WAL）")
    ]
    recovery.choose(offer, Version.RECOVERED).close()
    document = open_document(path, read_only=True)
    try:
        from desktop.services.documents import declaration_choices

        assert "别的单位（WAL）" in declaration_choices(document)[0][1]
    finally:
        document.close()
    assert len(_aside(path, "-wal")) == 1 and sidecars_of(path) == []


def test_sidecars_on_a_read_only_stick_show_the_choice_read_only(
    stick: Path, sample_path: Path
) -> None:
    """On a write-protected stick nothing can be renamed or written: the chosen version is
    shown read-only (from memory), the stick stays exactly as it was."""
    path = stick / "中断.jxdb"
    shutil.copyfile(sample_path, path)
    interrupted_write(path)
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    listing = folder_listing(stick)
    digest = file_digest(path)
    offer = recovery.offer_recovery(path)
    document = recovery.choose(offer, Version.RECOVERED)
    try:
        assert document.read_only == ReadOnlyReason.recovered(Version.RECOVERED)
        words = read_only_words(document.path, document.read_only)
        assert "只读" in words and "另存为" in words and VERSION_WORDS[Version.RECOVERED] in words
        from desktop.services.documents import export_json_text

        text = export_json_text(document)
    finally:
        document.close()
    assert "中断中断" not in text  # the last committed state, not the torn write
    assert folder_listing(stick) == listing and file_digest(path) == digest


def test_sidecars_unusable_choice_is_refused(received) -> None:
    """The version that failed its checks cannot be chosen; nothing is changed."""
    path, other = received
    replaced_by_another_copy(path, other)
    listing = folder_listing(path.parent)
    offer = recovery.offer_recovery(path)
    with pytest.raises(ValueError):
        recovery.choose(offer, Version.RECOVERED)
    assert folder_listing(path.parent) == listing


def test_sidecars_of_a_replaced_file_are_moved_aside(received, capsys) -> None:
    """import-json --force over a file with a stranger's journal beside it: the journal is
    renamed aside (kept), so it is never applied to the new file, which then opens."""
    path, other = received
    replaced_by_another_copy(path, other)
    journal = path.with_name(path.name + "-journal")
    journal_bytes = journal.read_bytes()
    from desktop import paths

    assert cli.main(["import-json", str(paths.sample_json()), "-o", str(path), "--force"]) == 0
    assert not journal.exists()
    (aside,) = _aside(path, "-journal")
    assert aside.read_bytes() == journal_bytes
    assert cli.main(["check", str(path)]) in (0, 1)
