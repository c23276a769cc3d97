"""A seeded fuzz suite: mutated inputs through check, export-json, print and merge (and the
JSON and Excel imports), each command under a time and a memory cap. Every run must end
in its result or in our Chinese refusal: no traceback, no hang, no changed input.

The cases are made from the built-in sample: bit flips and truncations of the .jxdb file,
each column given values outside its domain (SQL UPDATEs on a copy), sidecars (-journal,
-wal) of another copy placed beside it, hostile JSON and hostile workbooks. Case ``n`` of
seed ``s`` is always the same input (``random.Random(f"{s}-{n}")``), so a failure names
its seed and case and is run alone with ``JIXIAO_FUZZ_SEED=s JIXIAO_FUZZ_FIRST=n
JIXIAO_FUZZ_CASES=1``. Cases found failing once stay in ``REGRESSIONS``.

The commands run in one child process (``python -m tests.test_fuzz``) limited to 1.5 GiB
more address space, each under ``signal.alarm``: the in-process calls of ``cli.main`` the
command line makes; a few cases also run the real command line in a subprocess.

``make test`` runs ``FAST_CASES``; ``JIXIAO_FUZZ=full`` (set by .ci/run) runs ``FULL_CASES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

FAST_CASES = 100
FULL_CASES = 1_200
DEFAULT_SEED = 20261204
#: seconds one command may take (the sample prints in about a second)
TIME_CAP = 60
#: address space one child may add, in MiB
MEMORY_CAP_MIB = 1536
#: every this many cases also runs the real command line in a subprocess
SUBPROCESS_EVERY = 150

KINDS = ("bits", "column", "truncate", "sidecar", "json", "workbook")


# --- making the inputs ----------------------------------------------------------------


def _hostile_values(kind: str) -> list[str]:
    """SQL expressions out of (or at the edge of) a column's domain, by domain kind."""
    common = [
        "NULL",
        "x'00ff'",
        "CAST(x'e7bbffe6' AS TEXT)",  # not UTF-8
        "CAST(x'eda080' AS TEXT)",  # a surrogate encoded in UTF-8
        "3.5",
        "-1",
        "9223372036854775807",
        "''",
        "'二〇二二'",
        "zeroblob(64)",
    ]
    by_kind = {
        "amount": ["'NaN'", "'sNaN'", "'Infinity'", "'-Infinity'", "'1e999999999'", "'1E+2'",
                   "'184.0000001'", "'1234567890123'", "' 184'", "'184,00'", "1e308"],
        "time": ["'yesterday'", "'2026-13-45 99:99:99'", "'2026-11-29T08:30:00Z'", "1764405000",
                 "'2026-11-29 08:30:00+08:00'", "'0000-00-00 00:00:00'"],
        "integer": ["'x'", "2.5", "'2022年'", "-9223372036854775808", "100000", "0"],
        "uuid": ["'abc'", "printf('%.37d', 1)", "(SELECT uuid FROM declaration LIMIT 1)"],
        "text": [f"'{'绩' * 100_001}'", "'province-2030'", "'元'", "printf('%.100001d', 0)"],
    }  # fmt: skip
    return common + by_kind.get(kind, [])


def _column_case(path: Path, rng: random.Random) -> str:
    from desktop.models.domains import table_domains

    raw = sqlite3.connect(path)
    try:
        tables = [
            t for t in table_domains() if raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        ]
        table = rng.choice(tables)
        name, _, domain = rng.choice(table_domains()[table])
        value = rng.choice(_hostile_values(domain.kind))
        rowids = [r for (r,) in raw.execute(f"SELECT rowid FROM {table}")]
        rowid = rng.choice(rowids)
        raw.execute("PRAGMA foreign_keys=OFF")
        with contextlib.suppress(sqlite3.Error):  # a constraint may refuse it: the file stays
            raw.execute(f'UPDATE {table} SET "{name}" = {value} WHERE rowid = {rowid}')
            raw.commit()
    finally:
        raw.close()
    return f"{table}.{name} = {value[:40]} (rowid {rowid})"


def _bits_case(path: Path, rng: random.Random) -> str:
    data = bytearray(path.read_bytes())
    flips = rng.choice([1, 1, 2, 4, 16, 64])
    low = rng.choice([0, 100, 4096])  # the header, the schema page, the rows
    where = sorted(rng.randrange(low, len(data)) for _ in range(flips))
    for offset in where:
        data[offset] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return f"{flips} bit(s) flipped at {where[:4]}"


def _truncate_case(path: Path, rng: random.Random) -> str:
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big") or 4096
    size = rng.choice([rng.randrange(len(data)), rng.randrange(1, len(data) // page) * page, 100])
    path.write_bytes(data[:size])
    return f"cut to {size} of {len(data)} bytes"


def _sidecar_case(path: Path, other: Path, rng: random.Random) -> str:
    """A -journal of another copy's interrupted write, or a -wal of a copy in WAL mode,
    placed beside the file (as a stick where the file was replaced leaves them)."""
    folder = path.parent / "other"
    folder.mkdir(exist_ok=True)
    copy = folder / "copy.jxdb"
    shutil.copyfile(other, copy)
    raw = sqlite3.connect(copy, isolation_level=None)
    kind = rng.choice(["journal", "wal", "journal-empty", "shm"])
    try:
        if kind == "wal":
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA wal_autocheckpoint=0")
            raw.execute("UPDATE declaration SET unit_name = '另一份'")
            shutil.copyfile(copy.with_name("copy.jxdb-wal"), path.with_name(path.name + "-wal"))
        elif kind == "shm":
            path.with_name(path.name + "-shm").write_bytes(os.urandom(32768))
        elif kind == "journal-empty":
            path.with_name(path.name + "-journal").write_bytes(b"")
        else:
            raw.execute("BEGIN")
            raw.execute("UPDATE indicator SET level3 = '另一份' || level3")
            raw.execute("DELETE FROM key_task")
            shutil.copyfile(
                copy.with_name("copy.jxdb-journal"), path.with_name(path.name + "-journal")
            )
            raw.execute("ROLLBACK")
    finally:
        raw.close()
    shutil.rmtree(folder)
    return f"a -{kind.split('-')[0]} of another copy beside it ({kind})"


def _json_case(path: Path, sample_json: str, rng: random.Random) -> str:
    data = json.loads(sample_json)
    choice = rng.randrange(8)
    if choice == 0:
        depth = rng.choice([100, 10_000, 100_000])
        text = "[" * depth + "]" * depth
        what = f"nested {depth} deep"
    elif choice == 1:
        digits = rng.choice([21, 5_000, 50_000])
        text = sample_json.replace('"fiscal_year": 2022', '"fiscal_year": ' + "9" * digits)
        what = f"a {digits}-digit year"
    elif choice == 2:
        cut = rng.randrange(len(sample_json))
        text, what = sample_json[:cut], f"cut at {cut}"
    elif choice == 3:
        raw = bytearray(sample_json.encode("utf-8"))
        for _ in range(rng.choice([1, 4, 32])):
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(raw))
        return "bits flipped in the JSON text"
    else:
        # a random field of a random row given a hostile value
        rows = []

        def collect(value: object) -> None:
            if isinstance(value, dict):
                rows.append(value)
                for item in value.values():
                    collect(item)
            elif isinstance(value, list):
                for item in value:
                    collect(item)

        collect(data)
        row = rng.choice(rows)
        key = rng.choice(sorted(row))
        hostile = rng.choice(
            [None, "NaN", "\ud800", "绩" * 100_001, 2**70, -1, 1.5, [], {}, "1e999999999",
             "2026-13-45T99:99:99.000000Z", "x" * 37, True, float("nan"), "二〇二二"]
        )  # fmt: skip
        row[key] = hostile
        text = json.dumps(data, ensure_ascii=True, allow_nan=True)
        what = f"{key} = {str(hostile)[:30]!r}"
    path.write_text(text, encoding="utf-8")
    return what


def _workbook_case(path: Path, exported: Path, rng: random.Random) -> str:
    with zipfile.ZipFile(exported) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    sheets = sorted(name for name in parts if name.startswith("xl/worksheets/sheet"))
    sheet = rng.choice(sheets)
    choice = rng.randrange(8)
    if choice == 0:
        merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        parts[sheet] = parts[sheet].replace(b"</sheetData>", b"</sheetData>" + merge)
        what = "merged A1:XFD1048576"
    elif choice == 1:
        value = rng.choice([b"1e999", b"NaN", b"-0", b"99999999999999999999", b"abc"])
        parts[sheet] = parts[sheet].replace(b"<v>", b"<v>" + value, 3)
        what = f"values prefixed {value!r}"
    elif choice == 2:
        parts[sheet] = parts[sheet][: rng.randrange(len(parts[sheet]))]
        what = f"{sheet} cut"
    elif choice == 3:
        del parts[rng.choice(sorted(parts))]
        what = "a part removed"
    elif choice == 4:
        raw = bytearray(exported.read_bytes())
        for _ in range(rng.choice([1, 8])):
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(raw))
        return "bits flipped in the .xlsx"
    elif choice == 5:
        parts[sheet] = parts[sheet].replace(
            b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="'
        )
        what = "dimension A1:XFD1048576"
    elif choice == 6:
        # the tester's: 990 sheets listed on one part, 400,000 empty cells (two minutes)
        listed = "".join(
            f'<sheet name="S{i}" sheetId="{i + 100}" r:id="rId1"/>' for i in range(990)
        )
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b"</sheets>", listed.encode() + b"</sheets>"
        )
        rows = "".join(f'<row r="{r}"><c r="A{r}"/></row>' for r in range(1_000, 400_000))
        parts[sheet] = parts[sheet].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
        what = "990 sheets on one part, 400,000 empty cells"
    else:
        text = "绩" * 40_000
        parts["xl/sharedStrings.xml"] = parts.get("xl/sharedStrings.xml", b"").replace(
            b"<t>", f"<t>{text}".encode(), 1
        )
        what = "a shared string of 40,000 characters"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return what


# --- running them (in the child) --------------------------------------------------------


class _Hang(BaseException):
    """Raised by the alarm: a command ran past ``TIME_CAP``."""


def _on_alarm(_number: int, _frame: object) -> None:
    raise _Hang


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def _listing(folder: Path) -> list[tuple[str, str]]:
    return sorted((p.name, _digest(p)) for p in folder.iterdir())


def _printed_file_broken(path: Path) -> bool:
    from desktop.storage.document import check_file
    from desktop.storage.errors import DocumentFileError

    try:
        check_file(path)
    except DocumentFileError:
        return True
    return False


def _run_cli(argv: list[str]) -> tuple[str, str]:
    """(outcome, detail) of one in-process command: ok / refused / traceback / hang / memory."""
    from desktop import cli

    err = io.StringIO()
    signal.alarm(TIME_CAP)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    except _Hang:
        return "hang", ""
    except MemoryError:
        return "memory", ""
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:
        import traceback

        return "traceback", "".join(traceback.format_exception(exc))[-1500:]
    finally:
        signal.alarm(0)
    message = err.getvalue()
    if code == 0 or (code in (1, 3) and argv[0] == "check" and "Traceback" not in message):
        return "ok", ""
    if "Traceback" in message or not any("\u4e00" <= c <= "\u9fff" for c in message):
        return "traceback", message[-1500:]
    return "refused", message.splitlines()[0][:200] if message else ""


def _subprocess_cli(argv: list[str]) -> tuple[str, str]:
    try:
        result = subprocess.run(
            [sys.executable, "-m", "desktop", *argv],
            capture_output=True,
            text=True,
            timeout=TIME_CAP * 2,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang", ""
    if "Traceback" in result.stderr or result.returncode < 0:
        return "traceback", result.stderr[-1500:]
    return "ok" if result.returncode == 0 else "refused", ""


def _make_case(
    kind: str, number: int, seed: int, folder: Path, base: dict[str, Path | str]
) -> tuple[Path, str]:
    rng = random.Random(f"{seed}-{number}")
    if kind == "json":
        path = folder / "in.json"
        return path, _json_case(path, str(base["json"]), rng)
    if kind == "workbook":
        path = folder / "in.xlsx"
        return path, _workbook_case(path, Path(base["xlsx"]), rng)
    path = folder / "来件.jxdb"
    shutil.copyfile(Path(base["jxdb"]), path)
    if kind == "bits":
        return path, _bits_case(path, rng)
    if kind == "truncate":
        return path, _truncate_case(path, rng)
    if kind == "sidecar":
        return path, _sidecar_case(path, Path(base["other"]), rng)
    return path, _column_case(path, rng)


def _commands(kind: str, path: Path, out: Path, base: dict[str, Path | str]) -> list[list[str]]:
    if kind == "json":
        return [["import-json", str(path), "-o", str(out / "new.jxdb"), "--force"]]
    if kind == "workbook":
        return [
            ["import-xlsx", str(path), "-o", str(out / "new.jxdb"), "--force"],
            ["import-xlsx", str(path), "--into", str(out / "into.jxdb")],
        ]
    target = out / "汇总.jxdb"
    return [
        ["check", str(path)],
        ["export-json", str(path)],
        ["print", str(path), "-o", str(out / "out.pdf")],
        ["merge", str(target), str(base["other"]), str(path)],
    ]


def _prepare(work: Path) -> dict[str, Path | str]:
    """The sample as .jxdb, another office's copy of it (new UUIDs), JSON and .xlsx."""
    from desktop import paths
    from desktop.services.documents import create_from_json, write_sample
    from desktop.services.excel import export_workbook
    from desktop.storage.document import create_document, open_document
    from desktop.storage.interchange import renew_uuids

    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample.jxdb"
    write_sample(sample).close()
    data = json.loads(paths.sample_json().read_text(encoding="utf-8"))
    data["declarations"] = [renew_uuids(d) for d in data["declarations"]]
    data["declarations"][0]["unit_code"] = "507003"
    (work / "other.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    create_from_json(work / "other.json", work / "other.jxdb").close()
    document = open_document(sample, read_only=True)
    try:
        export_workbook(document, work / "sample.xlsx")
    finally:
        document.close()
    create_document(work / "empty.jxdb").close()
    return {
        "jxdb": sample,
        "other": work / "other.jxdb",
        "json": paths.sample_json().read_text(encoding="utf-8"),
        "xlsx": work / "sample.xlsx",
        "empty": work / "empty.jxdb",
    }


def _child(work: Path, runs: list[tuple[int, int, int]]) -> None:
    """Run the cases of ``runs``, each (seed, first case, count); print one JSON line per
    command."""
    import resource

    base = _prepare(work / "base")
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    limit = used + MEMORY_CAP_MIB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    for seed, first, count in runs:
        _run_cases(work, base, seed, range(first, first + count))


def _run_cases(work: Path, base: dict[str, Path | str], seed: int, numbers: range) -> None:
    for number in numbers:
        kind = KINDS[number % len(KINDS)]
        folder, out = work / f"{seed}-{number}" / "in", work / f"{seed}-{number}" / "out"
        folder.mkdir(parents=True)
        out.mkdir()
        try:
            path, what = _make_case(kind, number, seed, folder, base)
        except Exception as exc:
            print(
                json.dumps(
                    {
                        "seed": seed,
                        "case": number,
                        "kind": kind,
                        "outcome": "maker",
                        "detail": repr(exc),
                        "changed": False,
                    }
                )
            )
            continue
        for argv in _commands(kind, path, out, base):
            before = _listing(folder)
            for name in ("汇总.jxdb", "into.jxdb"):
                shutil.copyfile(
                    Path(base["empty"] if name == "汇总.jxdb" else base["jxdb"]), out / name
                )
            started = time.monotonic()
            outcome, detail = _run_cli(argv)
            if outcome not in ("hang", "traceback") and number % SUBPROCESS_EVERY == 0:
                outcome, detail = _subprocess_cli(argv)
            changed = _listing(folder) != before
            if argv[0] == "print" and outcome == "ok" and changed:
                # printing records itself in the file it accepted (README: 每次打印都记录在
                # 文件中): the file must still be one the program opens, nothing else changed
                changed = _printed_file_broken(path) or [
                    entry for entry in _listing(folder) if not entry[0].startswith(path.name)
                ] != [entry for entry in before if not entry[0].startswith(path.name)]
            print(
                json.dumps(
                    {
                        "seed": seed,
                        "case": number,
                        "kind": kind,
                        "what": what,
                        "command": argv[0],
                        "outcome": outcome,
                        "detail": detail,
                        "changed": changed,
                        "seconds": round(time.monotonic() - started, 2),
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
        shutil.rmtree(work / f"{seed}-{number}")


# --- the test ------------------------------------------------------------------------------


#: (seed, case) of inputs the suite once found failing, run every time
#: (7, 96): bit flips after which PRAGMA quick_check's report was not UTF-8 (a traceback)
REGRESSIONS = ((7, 96),)


def _cases() -> tuple[int, int, int]:
    """(seed, first case, number of cases) from JIXIAO_FUZZ_SEED, JIXIAO_FUZZ_FIRST and
    JIXIAO_FUZZ_CASES; the number defaults to FULL_CASES when JIXIAO_FUZZ=full."""
    seed = int(os.environ.get("JIXIAO_FUZZ_SEED", DEFAULT_SEED))
    default = FULL_CASES if os.environ.get("JIXIAO_FUZZ") == "full" else FAST_CASES
    first = int(os.environ.get("JIXIAO_FUZZ_FIRST", 0))
    return seed, first, int(os.environ.get("JIXIAO_FUZZ_CASES", default))


@contextlib.contextmanager
def _child_process(work: Path, runs: list[tuple[int, int, int]]) -> Iterator[subprocess.Popen[str]]:
    specs = [":".join(map(str, run)) for run in runs]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.test_fuzz", str(work), *specs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limit and /proc are Linux's")
def test_fuzzed_inputs_end_in_a_result_or_a_chinese_refusal(tmp_path: Path) -> None:
    """Every mutated input, through every command, ends in its result or our Chinese
    refusal within the time and memory caps, and leaves the input (and its folder) as it
    was: 0 tracebacks, 0 hangs, 0 changed inputs. The seed is in every failure message."""
    seed, first, count = _cases()
    runs = [(seed, first, count), *((s, n, 1) for s, n in REGRESSIONS)]
    with _child_process(tmp_path / "fuzz", runs) as process:
        stdout, stderr = process.communicate(timeout=(count + 1) * TIME_CAP * 6 + 300)
    results = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    reproduce = (
        f"(seed {seed}; case n of seed s alone: JIXIAO_FUZZ_SEED=s JIXIAO_FUZZ_FIRST=n "
        "JIXIAO_FUZZ_CASES=1)"
    )
    assert process.returncode == 0, (
        f"the fuzz child ended {process.returncode} {reproduce}: {stderr[-3000:]}"
    )
    bad = [
        r
        for r in results
        if r["outcome"] in ("traceback", "hang", "memory", "maker") or r["changed"]
    ]
    assert not bad, f"{len(bad)} failing runs {reproduce}:\n" + "\n".join(
        json.dumps(r, ensure_ascii=False) for r in bad[:10]
    )
    ran = {(r["seed"], r["case"]) for r in results}
    assert ran == {(s, n) for s, a, c in runs for n in range(a, a + c)}, reproduce
    kinds = {r["kind"] for r in results}
    assert kinds == set(KINDS) or count < len(KINDS)
    # the suite is worth something only if both outcomes occur
    outcomes = {r["outcome"] for r in results}
    assert {"ok", "refused"} <= outcomes or count < 20


if __name__ == "__main__":
    _child(Path(sys.argv[1]), [tuple(map(int, spec.split(":"))) for spec in sys.argv[2:]])  # type: ignore[misc]
