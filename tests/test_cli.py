"""The command line, run as the clerk or a script would: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__, paths
from tests.conftest import file_digest


def jixiao(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )


def python_code(code: str, *, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` run by this Python in a fresh process, with the project importable."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )


def test_version(tmp_path: Path) -> None:
    """--version prints the program version."""
    result = jixiao("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"jixiao {__version__}"


def test_sample_print_export_import(tmp_path: Path) -> None:
    """sample -> print -> export-json -> import-json works end to end and round-trips."""
    assert jixiao("sample", "-o", "s.jxdb", cwd=tmp_path).returncode == 0
    exported = jixiao("export-json", "s.jxdb", cwd=tmp_path)
    assert exported.returncode == 0
    assert exported.stdout == paths.sample_json().read_text(encoding="utf-8")
    printed = jixiao("print", "s.jxdb", "-o", "s.pdf", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert "页" in printed.stdout
    exported = jixiao("export-json", "s.jxdb", cwd=tmp_path)  # now with the print record
    (tmp_path / "s.json").write_text(exported.stdout, encoding="utf-8")
    assert jixiao("import-json", "s.json", "-o", "t.jxdb", cwd=tmp_path).returncode == 0
    again = jixiao("export-json", "t.jxdb", cwd=tmp_path)
    assert json.loads(again.stdout) == json.loads(exported.stdout)


def test_refused_file_exit_code_and_message(tmp_path: Path) -> None:
    """A foreign file gives exit code 1, a Chinese message on stderr, and stays unchanged."""
    bad = tmp_path / "notes.jxdb"
    bad.write_text("这不是数据库", encoding="utf-8")
    before = file_digest(bad)
    result = jixiao("print", "notes.jxdb", "-o", "x.pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "不是绩效目标文件" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_digest(bad) == before
    assert not (tmp_path / "x.pdf").exists()


def test_bad_json_import_exit_code(tmp_path: Path) -> None:
    """A malformed JSON file is refused with exit code 1 and no file is created."""
    (tmp_path / "x.json").write_text('{"format": "other"}', encoding="utf-8")
    result = jixiao("import-json", "x.json", "-o", "x.jxdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "不是绩效目标数据文件" in result.stderr
    assert not (tmp_path / "x.jxdb").exists()


def test_usage_errors_are_explained_in_chinese(tmp_path: Path) -> None:
    """Usage errors exit with 2 and say what is wrong in Chinese."""
    for args, words in (
        (["print", "s.jxdb"], "缺少参数：-o/--output"),
        (["import-xlsx", "a.xlsx"], "需要以下参数之一：-o/--output --into"),
        (["import-xlsx", "a.xlsx", "-o", "b", "--into", "c"], "参数 --into 不能与 -o/--output"),
        (
            ["import-xlsx", "a.xlsx", "--into", "c", "--project", "二"],
            "参数 --project 的值 '二' 无效",
        ),
        (["merge", "a", "b", "--policy", "x"], "'x' 无效，可选："),
        (["check", "a", "--bogus"], "无法识别的参数：--bogus"),
    ):
        result = jixiao(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert words in result.stderr, result.stderr


def test_cli_never_imports_qt(tmp_path: Path) -> None:
    """Running a CLI command does not load PySide6 (fast start, works without a display)."""
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        "main(['sample', '-o', 's.jxdb'])\n"
        "main(['print', 's.jxdb', '-o', 's.pdf'])\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not loaded, loaded\n"
    )
    result = python_code(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["merge", "--help"]])
def test_cli_version_and_help_import_no_sqlalchemy(tmp_path: Path, args: list[str]) -> None:
    """``jixiao --version`` and ``--help`` (through the entry point) answer without importing
    SQLAlchemy or Qt: the merge policies they list live apart from storage/merge.py."""
    code = (
        "import sys\n"
        f"sys.argv = ['jixiao', *{args!r}]\n"
        "from desktop.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('sqlalchemy', 'PySide6'))]\n"
        "assert not loaded, loaded[:5]\n"
    )
    result = python_code(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "jixiao" in result.stdout or "用法" in result.stdout


def test_existing_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    """sample and import-json never silently replace an existing file; --force does."""
    assert jixiao("sample", "-o", "mine.jxdb", cwd=tmp_path).returncode == 0
    before = file_digest(tmp_path / "mine.jxdb")
    refused = jixiao("sample", "-o", "mine.jxdb", cwd=tmp_path)
    assert refused.returncode == 1
    assert "已存在" in refused.stderr and "--force" in refused.stderr
    (tmp_path / "s.json").write_text(paths.sample_json().read_text("utf-8"), encoding="utf-8")
    assert jixiao("import-json", "s.json", "-o", "mine.jxdb", cwd=tmp_path).returncode == 1
    assert file_digest(tmp_path / "mine.jxdb") == before
    forced = jixiao("import-json", "s.json", "-o", "mine.jxdb", "--force", cwd=tmp_path)
    assert forced.returncode == 0


def test_print_never_overwrites_data(tmp_path: Path) -> None:
    """print refuses to write over the document itself, over a non-PDF file or into a folder."""
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    (tmp_path / "notes.txt").write_text("重要笔记", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    before = file_digest(tmp_path / "a.jxdb")
    for target, words in (
        ("a.jxdb", "绩效目标文件本身"),
        ("notes.txt", "不是 PDF"),
        ("folder", "文件夹"),
    ):
        result = jixiao("print", "a.jxdb", "-o", target, cwd=tmp_path)
        assert result.returncode == 1, target
        assert words in result.stderr
    assert file_digest(tmp_path / "a.jxdb") == before
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "重要笔记"
    assert jixiao("print", "a.jxdb", "-o", "a.pdf", cwd=tmp_path).returncode == 0
    assert jixiao("print", "a.jxdb", "-o", "a.pdf", cwd=tmp_path).returncode == 0  # PDF replaced


def _broken_copy(tmp_path: Path) -> None:
    """A copy of the sample with 财政资金 that no longer adds up (an 错误)."""
    data = json.loads(paths.sample_json().read_text("utf-8"))
    data["declarations"][0]["budget_projects"][0]["fiscal_funds"] = "8.00"
    (tmp_path / "broken.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert jixiao("import-json", "broken.json", "-o", "broken.jxdb", cwd=tmp_path).returncode == 0


def test_check_exit_codes(tmp_path: Path) -> None:
    """check: 0 without 错误, 1 with 错误, 2 when the file cannot be read."""
    assert jixiao("sample", "-o", "s.jxdb", cwd=tmp_path).returncode == 0
    ok = jixiao("check", "s.jxdb", cwd=tmp_path)
    assert ok.returncode == 0
    assert "【警告】" in ok.stdout and "审核通过" in ok.stdout
    _broken_copy(tmp_path)
    broken = jixiao("check", "broken.jxdb", cwd=tmp_path)
    assert broken.returncode == 1
    assert "【错误】项目“公务用车北斗定位服务费及平台软件运维费用”的“预算数”" in broken.stdout
    assert "审核未通过" in broken.stdout
    (tmp_path / "junk.jxdb").write_text("junk", encoding="utf-8")
    unreadable = jixiao("check", "junk.jxdb", cwd=tmp_path)
    assert unreadable.returncode == 2
    assert "不是绩效目标文件" in unreadable.stderr


def test_check_json_shape(tmp_path: Path) -> None:
    """check --json gives the error count and one object per finding with its location."""
    _broken_copy(tmp_path)
    result = jixiao("check", "broken.jxdb", "--json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    first = report["findings"][0]
    assert set(first) == {
        "rule", "rule_title", "severity", "status", "place", "table", "row_uuid", "field",
        "message", "explanation", "declaration",
    }  # fmt: skip
    assert first["rule_title"] == "财政资金与其他资金之和等于预算数"
    assert first["declaration"] == "507002 乐亭县机关事务中心 2022年度"
    assert (first["rule"], first["severity"], first["table"], first["field"]) == (
        "amounts.funds_sum", "错误", "budget_project", "budget_amount",
    )  # fmt: skip


def test_force_never_replaces_a_file_being_edited(tmp_path: Path) -> None:
    """--force replaces a finished file, but not one whose lock names a program editing it."""
    import sqlite3

    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    assert jixiao("sample", "-o", "a.jxdb", "--force", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "a.jxdb") as connection:
        connection.execute(
            "INSERT INTO edit_lock (id, token, computer, user, pid, since) "
            "VALUES (1, 'x', '财务科-PC02', '王会计', 4242, '2026-11-29 01:30:00.000000')"
        )
    before = file_digest(tmp_path / "a.jxdb")
    refused = jixiao("sample", "-o", "a.jxdb", "--force", cwd=tmp_path)
    assert refused.returncode == 1
    assert "正由计算机“财务科-PC02”上的用户“王会计”" in refused.stderr
    assert file_digest(tmp_path / "a.jxdb") == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["chek", "s.jxdb"], "“chek”既不是命令，也不是 .jxdb 文件。可用的命令：sample、print"),
        (["--bogus"], "无法识别的选项：--bogus"),
        (["a.jxdb", "b.jxdb"], "图形界面一次只打开一个文件"),
    ],
)
def test_misused_window_arguments_are_told_before_qt(
    tmp_path: Path, args: list[str], says: str
) -> None:
    """A mistyped command never starts the window (nor fails in English for want of a
    display): a Chinese usage message, exit code 2."""
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.returncode == 2
    assert says in result.stderr and "jixiao -h" in result.stderr
    assert "Qt" not in result.stderr


def test_help_is_in_chinese(tmp_path: Path) -> None:
    """The help names the window's own arguments and has no English headings."""
    result = jixiao("-h", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("用法：jixiao")
    assert "jixiao --sample" in result.stdout and "jixiao 文件.jxdb" in result.stdout
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in result.stdout
    command_help = jixiao("check", "-h", cwd=tmp_path).stdout
    assert "显示本说明后退出" in command_help and "show this help" not in command_help


def test_every_commands_placeholders_are_chinese(tmp_path: Path) -> None:
    """print -h showed "-o OUTPUT file": no command's usage names an argument or option
    value in English capitals (or as its English dest); a missing file is told to check
    its path, not to reopen it (the window's words)."""
    import re

    from desktop.cli import _parser

    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    for name, command in commands.items():
        usage = command.format_usage()
        assert not re.search(r"[A-Z]{2,}", usage.replace("JSON文件", "")), name
        assert not re.search(r"(?<![-\w])(file|output|target|sources|first|second)\b", usage), name
    assert "-o 输出文件" in jixiao("print", "-h", cwd=tmp_path).stdout
    missing = jixiao("check", "gone.jxdb", cwd=tmp_path)
    assert missing.returncode == 2
    assert "gone.jxdb”。请检查文件路径。" in missing.stderr
    assert "重新打开" not in missing.stderr


def test_a_file_marked_read_only_is_never_written(tmp_path: Path) -> None:
    """chmod 444: refused even for root (whom the system would let write), with advice a
    command-line user can follow; the bytes stay."""
    assert jixiao("sample", "-o", "ro.jxdb", cwd=tmp_path).returncode == 0
    assert jixiao("sample", "-o", "other.jxdb", cwd=tmp_path).returncode == 0
    target = tmp_path / "ro.jxdb"
    target.chmod(0o444)
    before = file_digest(target)
    result = jixiao("merge", "ro.jxdb", "other.jxdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "只读" in result.stderr and "请先复制一份可写的文件" in result.stderr
    assert "另存为" not in result.stderr
    assert file_digest(target) == before


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    result = jixiao("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "是文件夹，不是 .jxdb 文件" in result.stderr


def test_a_failed_new_file_is_not_called_unchanged(tmp_path: Path) -> None:
    """Where no file was, a failed write says no file was written (not “原有文件未被改动”)."""
    import errno

    from desktop.files import WriteFailure, WriteFault, write_failure_message

    denied = OSError(errno.EACCES, "denied")
    new = WriteFailure.of(tmp_path / "新.jxdb", denied)
    assert new.fault is WriteFault.NO_PERMISSION and not new.existed
    assert write_failure_message(new).endswith("没有写出文件。")
    (tmp_path / "旧.jxdb").write_bytes(b"x")
    old = WriteFailure.of(tmp_path / "旧.jxdb", denied)
    assert old.existed and write_failure_message(old).endswith("原有文件未被改动。")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_print_ended_midway_leaves_no_temporary_file(
    sample_path: Path, tmp_path: Path, how: str
) -> None:
    """A print ended while it writes (kill, a time limit, Ctrl+C) says so in Chinese,
    exits 130 and leaves neither the PDF nor its temporary file (it once left a 0-byte
    .tmp file behind); an older PDF there keeps its bytes."""
    import signal
    import sqlite3
    import time

    raw = sqlite3.connect(sample_path)
    raw.execute(
        "UPDATE indicator SET description = ?", ("主要用于全县公务用车北斗设备服务，" * 2_000,)
    )
    raw.commit()
    raw.close()
    folder = tmp_path / "out"
    folder.mkdir()
    old = folder / "x.pdf"
    old.write_bytes(b"%PDF-1.4 older print\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "print", str(sample_path), "-o", str(old)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        # as from a terminal: a run started in the background (nohup, `&`) inherits an
        # ignored SIGINT, which Python then keeps ignoring
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not list(folder.glob(".x-*.tmp")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    process.send_signal(getattr(signal, how))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "已中断" in stderr and "Traceback" not in stderr
    assert [p.name for p in folder.iterdir()] == ["x.pdf"]
    assert old.read_bytes() == b"%PDF-1.4 older print\n"


def test_ctrl_c_while_the_command_line_is_parsed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C in the first second, while the parser imports SQLAlchemy, exits 130 with the
    Chinese message (it was a KeyboardInterrupt traceback: parsing ran before the try)."""
    from desktop import cli

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_parser", interrupted)
    assert cli.main(["check", "x.jxdb"]) == 130
    assert capsys.readouterr().err.strip() == cli.INTERRUPTED


def test_ctrl_c_while_the_command_line_module_is_imported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C while ``jixiao check …`` still imports the command-line module: exit 130 and a
    Chinese message, no traceback."""
    import types

    import desktop.__main__ as entry

    class Importing(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "desktop.cli", Importing("desktop.cli"))
    monkeypatch.setattr(sys, "argv", ["jixiao", "check", "x.jxdb"])
    assert entry.main() == 130
    assert "已中断" in capsys.readouterr().err


#: Run in a child: every file opened for writing in the folder argv[1] is on a full disk
#: (ENOSPC on the first write), then the command of argv[2:] runs as ``jixiao`` would.
_FULL_DISK = """
import builtins, errno, io, os, sys

folder, real_open = sys.argv[1], io.open


class Full(io.FileIO):
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def opened(file, mode="r", *args, **kwargs):
    if isinstance(file, (str, bytes, os.PathLike)) and str(file).startswith(folder) and (
        "w" in mode or "a" in mode or "x" in mode
    ):
        return Full(file, mode.replace("b", ""))
    return real_open(file, mode, *args, **kwargs)


io.open = builtins.open = opened
sys.argv = ["jixiao", *sys.argv[2:]]
from desktop.__main__ import main

sys.exit(main())
"""


@pytest.mark.parametrize(
    "command", [["export-xlsx"], ["export-docx"], ["summary"]], ids=lambda c: c[0]
)
def test_a_full_disk_is_told_in_chinese_and_nothing_follows(
    sample_path: Path, tmp_path: Path, command: list[str]
) -> None:
    """Writing an .xlsx or .docx to a full stick: the Chinese message and nothing after it
    (a ZipFile left open printed "Exception ignored … OSError: [Errno 28]" once it was
    collected); no file, not even a temporary one, is left in the folder."""
    folder = tmp_path / "满了的U盘"
    folder.mkdir()
    out = folder / ("x.docx" if command == ["export-docx"] else "x.xlsx")
    process = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(folder), *command, str(sample_path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert process.returncode == 1, process.stderr
    last = process.stderr.strip().splitlines()[-1]
    assert last.startswith("错误：无法写入") and "空间已满" in last, process.stderr
    assert "Traceback" not in process.stderr and "Exception ignored" not in process.stderr
    assert list(folder.iterdir()) == []


def test_control_characters_are_refused_on_input_and_named_on_export(
    sample_path: Path, tmp_path: Path
) -> None:
    """A file holding U+0001 (made by another program) opens and ``check`` names it as an
    错误 at its field; export-xlsx, export-docx and ``summary -o .xlsx`` refuse in Chinese
    naming the place (they were python-docx's and openpyxl's tracebacks) and write
    nothing. ``import-json`` refuses U+0001 (it made a file that could not be exported) and
    takes Word's line break U+000B as a line break."""
    import sqlite3

    raw = sqlite3.connect(sample_path)
    raw.execute("UPDATE declaration SET unit_name = '乐亭' || char(1) || '县'")
    raw.commit()
    raw.close()
    checked = jixiao("check", str(sample_path), cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert (
        "【错误】部门整体的“单位名称”：含有无法打印和导出的控制字符 U+0001，请删除。"
        in checked.stdout
    )
    for command, out in (
        ("export-xlsx", "x.xlsx"),
        ("export-docx", "x.docx"),
        ("summary", "汇总.xlsx"),
    ):
        result = jixiao(command, str(sample_path), "-o", out, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "控制字符 U+0001" in result.stderr and "没有写出文件" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / out).exists()
    exported = jixiao("export-json", str(sample_path), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    text = exported.stdout
    assert "\\u0001" in text
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    refused = jixiao("import-json", "bad.json", "-o", "bad.jxdb", cwd=tmp_path)
    assert refused.returncode == 1 and "控制字符 U+0001" in refused.stderr, refused.stderr
    assert not (tmp_path / "bad.jxdb").exists()
    (tmp_path / "word.json").write_text(text.replace("\\u0001", "\\u000b"), encoding="utf-8")
    taken = jixiao("import-json", "word.json", "-o", "word.jxdb", cwd=tmp_path)
    assert taken.returncode == 0, taken.stderr
    raw = sqlite3.connect(tmp_path / "word.jxdb")
    assert raw.execute("SELECT unit_name FROM declaration").fetchone() == ("乐亭\n县",)
    raw.close()


@pytest.mark.parametrize("command", ["check", "export-json"])
def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path, command: str) -> None:
    """`jixiao check 示例.jxdb | head -1`: the reader closes the pipe before the output is
    written (a few lines for check, the whole file for export-json); the command ends
    quietly with 1, no BrokenPipeError on the screen."""
    assert jixiao("sample", "-o", "示例.jxdb", cwd=tmp_path).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", command, "示例.jxdb"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the program has started to write
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert stderr == ""


def test_a_unit_twice_in_one_year_is_chosen_by_its_number(tmp_path: Path) -> None:
    """A file holding two copies of one unit's 2022 targets (e.g. merged twice): naming
    the code and the year cannot choose, so the message lists the copies by their 序号 in
    the file and asks for the number, which works."""
    assert jixiao("sample", "-o", "a.jxdb", cwd=tmp_path).returncode == 0
    added = python_code(
        "from desktop.storage.document import open_document\n"
        "from desktop.services.documents import load_declarations\n"
        "from desktop.storage.interchange import dump_row, insert_declaration, renew_uuids\n"
        "d = open_document('a.jxdb')\n"
        "with d.session() as s:\n"
        "    insert_declaration(s, renew_uuids(dump_row(load_declarations(s)[0])))\n"
        "d.close()\n",
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    refused = jixiao("check", "a.jxdb", "--declaration", "507002/2022", cwd=tmp_path)
    assert refused.returncode == 2
    assert "1. 507002 乐亭县机关事务中心 2022年度；2. 507002" in refused.stderr
    assert "请用 --declaration 序号（上面各份前的数字）指定其中一个" in refused.stderr
    assert jixiao("check", "a.jxdb", "--declaration", "2", cwd=tmp_path).returncode == 0


def test_a_command_without_stdout_runs(tmp_path: Path) -> None:
    """The windowed jixiao.exe on Windows has no standard output (``sys.stdout`` is None):
    a command given to it still runs and says nothing, instead of failing on the flush."""
    assert jixiao("sample", "-o", "示例.jxdb", cwd=tmp_path).returncode == 0
    done = python_code(
        "import sys\nfrom desktop.cli import main\nsys.stdout = None\n"
        "sys.exit(main(['check', '示例.jxdb']))\n",
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, "")
