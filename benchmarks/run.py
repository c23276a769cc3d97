"""``make bench``: run every case several times beside its floor; print and save the table.

Usage: ``python -m benchmarks.run [--rounds N] [--quick] [--output docs/benchmarks.md]``.
``--quick`` runs each case once at a tiny size (the smoke run of ``make test``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.cases import CASES, temporary_folder
from benchmarks.collection import collection_cases

QUICK_SIZES = {"print_many": {"projects": 2, "indicators": 3}, "open_big_file": {"projects": 2},
               "export_xlsx_many": {"projects": 2, "indicators": 3},
               "word_round_trip": {"projects": 2, "indicators": 3},
               "review_declaration": {"projects": 2}, "peak_memory": {"projects": 2},
               "autosave_edit": {"rounds": 2}, "merge_many": {"units": 2},
               "window_session": {"units": 3, "projects": 2, "indicators": 3},
               "window_session_100": {"projects": 2, "indicators": 3},
               "check_summary_memory": {"units": 3, "projects": 2, "indicators": 3},
               "collection_merge": {"units": 3}}  # fmt: skip


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; Python {platform.python_version()}"


def _fmt(values: Sequence[float], unit: str) -> str:
    median = statistics.median(values)
    spread = (max(values) - min(values)) / 2
    if unit == "MiB":
        return f"{median:.0f} MiB ± {spread:.0f}"
    if median < 0.1:
        return f"{median * 1000:.1f} ms ± {spread * 1000:.1f}"
    return f"{median:.2f} s ± {spread:.2f}"


def run(rounds: int, quick: bool) -> list[tuple[str, str, str, str, str]]:
    """Rows of the report: case, ours, floor, ratio, target."""
    rows = []
    folder = temporary_folder()  # also the cache of generated files (the county's) for the run
    try:
        for case in [*CASES, *collection_cases()]:
            kwargs = QUICK_SIZES.get(case.function.__name__, {}) if quick else {}
            ours: list[list[float]] = [[] for _ in case.rows]
            floors: list[list[float]] = [[] for _ in case.rows]
            for _ in range(1 if quick else case.rounds or rounds):
                results = case.function(folder, **kwargs)
                for index, (mine, floor) in enumerate(
                    results if isinstance(results, list) else [results]
                ):
                    ours[index].append(mine)
                    if floor is not None:
                        floors[index].append(floor)
            for row, mine, floor in zip(case.rows, ours, floors, strict=True):
                ratio = (
                    f"{statistics.median(mine) / statistics.median(floor):.2f}×" if floor else "—"
                )
                if case.function.__name__ == "review_declaration":
                    ratio = "—"
                floor_text = f"{row.floor}: {_fmt(floor, row.unit)}" if floor else row.floor
                rows.append((row.title, _fmt(mine, row.unit), floor_text, ratio, row.target))
                print(f"{row.title}: {rows[-1][1]} | {floor_text} | {ratio}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def markdown(rows: list[tuple[str, str, str, str, str]], rounds: int) -> str:
    """The report as a Markdown table with the machine and date."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()  # fmt: skip
    lines = [
        "| 场景 | 本程序（中位数 ± 半极差） | 同次运行的基准 | 倍数 | 目标 |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
    ]
    fewer = "".join(
        f"；“{case.rows[0].title.split('：')[0]}”的{'、'.join(r.title.split('：')[-1] for r in case.rows)} {case.rounds} 次"
        for case in [*CASES, *collection_cases()]
        if case.rounds and rounds > 1
    )
    head = f"测量于 {date.today():%Y-%m-%d}，提交 {commit or '?'}，每项 {rounds} 次{fewer}。机器：{machine()}。\n\n"
    return head + "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    rows = run(args.rounds, args.quick)
    report = markdown(rows, 1 if args.quick else args.rounds)
    print()
    print(report)
    if args.output:
        text = args.output.read_text("utf-8") if args.output.exists() else ""
        start, end = "<!-- results -->", "<!-- /results -->"
        if start in text and end in text:
            text = text.split(start)[0] + f"{start}\n{report}{end}" + text.split(end)[1]
        else:
            text = f"# 性能测量\n\n{start}\n{report}{end}\n"
        args.output.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
