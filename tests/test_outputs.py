"""Every command that writes a file writes it beside the target and replaces the target only
when complete: a failure (bad content, full stick, Ctrl+C) leaves the target byte-for-byte as
it was and no temporary file behind (issue 15, item 4)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop import cli, paths
from tests.conftest import file_digest, folder_listing


def _jixiao(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )


def _sample_data() -> dict:
    return json.loads(paths.sample_json().read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda d: d.update(overall_target="长" * 100_001), id="text-over-limit"),
        pytest.param(lambda d: d.update(profile="province-x"), id="unknown-profile"),
        pytest.param(lambda d: d.update(amount_unit="元"), id="unknown-amount-unit"),
    ],
)
def test_outputs_import_json_force_never_destroys_good_file(
    tmp_path: Path, sample_path: Path, spoil: Callable[[dict], None]
) -> None:
    """import-json of a file the program would refuse, with --force over a good file: the
    good file byte-identical, no temporary file, a message that does not claim success."""
    good = tmp_path / "good.jxdb"
    shutil.copyfile(sample_path, good)
    data = _sample_data()
    spoil(data["declarations"][0])
    (tmp_path / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before, listing = file_digest(good), folder_listing(tmp_path)
    result = _jixiao("import-json", "bad.json", "-o", "good.jxdb", "--force", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and "已创建" not in result.stdout
    assert "good.jxdb" in result.stderr and "未被改动" in result.stderr
    assert file_digest(good) == before
    assert folder_listing(tmp_path) == listing
    assert _jixiao("check", "good.jxdb", cwd=tmp_path).returncode in (0, 1)  # still opens


def _interrupted_exit(argv: list[str]) -> int:
    """The exit code of a command interrupted by Ctrl+C (130, as a shell reports it)."""
    try:
        return cli.main(argv)
    except KeyboardInterrupt:
        return 130


def _fill(stick: Path, leave: int = 0) -> None:
    """Fill the stick until only about ``leave`` bytes are free (a new empty file still fits)."""
    free = shutil.disk_usage(stick).free - leave
    with (stick / "filler").open("wb") as stream:
        while free > 0:
            chunk = min(free, 65536)
            try:
                stream.write(b"\0" * chunk)
                stream.flush()
            except OSError:
                break
            free -= chunk


def _workbook(tmp_path: Path, sample_path: Path) -> Path:
    workbook = tmp_path / "exported.xlsx"
    assert cli.main(["export-xlsx", str(sample_path), "-o", str(workbook)]) == 0
    return workbook


#: command -> (name of the target on the stick, how to make a good target, argv)
def _commands(tmp_path: Path, sample_path: Path) -> dict[str, tuple[str, list[str]]]:
    json_file = tmp_path / "sample.json"
    json_file.write_text(paths.sample_json().read_text(encoding="utf-8"), encoding="utf-8")
    src = str(sample_path)
    return {
        "print": ("out.pdf", ["print", src, "-o", "{target}"]),
        "export-xlsx": ("out.xlsx", ["export-xlsx", src, "-o", "{target}"]),
        "summary-xlsx": ("sum.xlsx", ["summary", src, "-o", "{target}"]),
        "summary-pdf": ("sum.pdf", ["summary", src, "-o", "{target}"]),
        "sample": ("new.jxdb", ["sample", "-o", "{target}", "--force"]),
        "import-json": ("new.jxdb", ["import-json", str(json_file), "-o", "{target}", "--force"]),
        "import-xlsx": (
            "new.jxdb",
            ["import-xlsx", str(_workbook(tmp_path, sample_path)), "-o", "{target}", "--force"],
        ),
        "merge-new-target": ("merged.jxdb", ["merge", "{target}", src]),
    }


COMMANDS = [
    "print",
    "export-xlsx",
    "summary-xlsx",
    "summary-pdf",
    "sample",
    "import-json",
    "import-xlsx",
    "merge-new-target",
]


# openpyxl leaves its half-written zip to the garbage collector, which then fails to close
# it on the full stick (our temporary file is already gone): not a leak of ours
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("command", COMMANDS)
def test_outputs_full_stick_leaves_target_as_it_was(
    command: str, stick: Path, tmp_path: Path, sample_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each command writing to a stick that fills up midway: a Chinese message, exit 1, the
    existing target byte-identical (a new target not created), no temporary file left."""
    name, argv = _commands(tmp_path, sample_path)[command]
    target = stick / name
    if command != "merge-new-target":  # a good file of the same kind is there already
        argv_good = [arg.replace("{target}", str(tmp_path / name)) for arg in argv]
        assert cli.main(argv_good) == 0
        shutil.copyfile(tmp_path / name, target)
    _fill(stick)
    listing = folder_listing(stick)
    before = file_digest(target) if target.exists() else None
    capsys.readouterr()
    code = cli.main([arg.replace("{target}", str(target)) for arg in argv])
    err = capsys.readouterr().err
    assert code == 1
    assert "空间已满" in err and "Traceback" not in err
    assert folder_listing(stick) == listing
    if before is not None:
        assert file_digest(target) == before


@pytest.mark.parametrize("command", ["print", "export-xlsx", "summary-pdf", "import-json"])
def test_outputs_ctrl_c_leaves_target_and_no_temp(
    command: str, tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C while the file is being written: the target as it was, no temporary file."""
    import desktop.files

    folder = tmp_path / "out"
    folder.mkdir()
    name, argv = _commands(tmp_path, sample_path)[command]
    target = folder / name
    argv = [arg.replace("{target}", str(target)) for arg in argv]
    assert cli.main(argv) == 0
    before, listing = file_digest(target), folder_listing(folder)
    real_replace = os.replace

    def interrupted(source: object, destination: object) -> None:
        if Path(str(destination)).parent == folder:
            assert Path(str(source)).stat().st_size > 0  # written, not yet in place
            raise KeyboardInterrupt
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(desktop.files.os, "replace", interrupted)
    assert _interrupted_exit(argv) == 130
    assert file_digest(target) == before
    assert folder_listing(folder) == listing


def test_outputs_restore_and_save_as_leave_target_on_failure(
    stick: Path, sample_path: Path
) -> None:
    """恢复备份 and 另存为 over an existing file on a full stick: the file as it was."""
    from desktop.files import WriteFailure, WriteFault, write_failure_message
    from desktop.services import backups
    from desktop.storage.document import open_document, save_copy
    from desktop.storage.errors import FileWriteError

    target = stick / "copy.jxdb"
    shutil.copyfile(sample_path, target)
    _fill(stick)
    before, listing = file_digest(target), folder_listing(stick)
    document = open_document(sample_path)
    try:
        with pytest.raises(FileWriteError) as info:
            save_copy(document, target)
        assert info.value.failure == WriteFailure(target, WriteFault.DISK_FULL, existed=True)
        assert "空间已满" in write_failure_message(info.value.failure)
        backup = backups.make_backup(document, reason="daily")
    finally:
        document.close()
    chosen = backups.list_backups(sample_path)[0]
    assert chosen.path == backup
    with pytest.raises(FileWriteError) as info:
        backups.restore_backup(chosen, target)
    assert info.value.failure.fault is WriteFault.DISK_FULL
    assert file_digest(target) == before
    assert folder_listing(stick) == listing


def test_outputs_merge_into_new_target_interrupted_leaves_nothing(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """汇总 into a new file, interrupted while merging: no target and no temporary file
    (the new file is built beside it and renamed only when the merge is complete)."""
    import desktop.services.merging

    folder = tmp_path / "out"
    folder.mkdir()

    def interrupted(*_args: object, **_kwargs: object) -> None:
        assert not (folder / "汇总.jxdb").exists()  # built beside it, not in its place
        assert len(list(folder.iterdir())) == 1
        raise KeyboardInterrupt

    monkeypatch.setattr(desktop.services.merging, "apply_merge", interrupted)
    assert _interrupted_exit(["merge", str(folder / "汇总.jxdb"), str(sample_path)]) == 130
    assert list(folder.iterdir()) == []
