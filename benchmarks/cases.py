"""The benchmark cases, each with its floor measured in the same run.

A case returns ``(ours, floor)``: seconds (or MiB for memory) of one run of the program's
own path and of the same work done by the libraries alone, ``floor`` None when the issue
sets no floor. Sizes are parameters so that the smoke test can run every case tiny.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import synthetic_declaration, write_county, write_synthetic

ROOT = Path(__file__).resolve().parent.parent
Result = tuple[float, float | None]


def _python(code: str, *, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time and standard output of a fresh Python process running ``code``."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        env=_child_environment(env),
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, result.stdout


def _child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: offscreen Qt, and Python's bytecode cache on
    (an installed program has its .pyc files; a shell with PYTHONDONTWRITEBYTECODE would
    compile every module of ours from source at each start)."""
    import os

    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(extra or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def cold_start(folder: Path) -> Result:
    """Start to the main window painted with the sample open, against a bare QMainWindow."""
    ours, _ = _python(  # in the order of the entry point: desktop.app, then Qt
        "from desktop.app import start\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "window = start(['--sample'])\n"
        "window.show(); app.processEvents(); window.grab(); window.close()\n",
        env={"JIXIAO_HOME": str(folder / "home")},
    )
    floor, _ = _python(
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication([])\n"
        "window = QMainWindow(); window.show(); app.processEvents(); window.grab()\n"
    )
    return ours, floor


def print_sample_process(folder: Path) -> Result:
    """``jixiao sample`` then ``jixiao print`` as a clerk's script would run them (absolute)."""
    sample = folder / "s.jxdb"
    sample.unlink(missing_ok=True)
    started = time.perf_counter()
    for args in (
        ["sample", "-o", str(sample)],
        ["print", str(sample), "-o", str(folder / "s.pdf")],
    ):
        subprocess.run(
            [sys.executable, "-m", "desktop", *args], check=True, cwd=ROOT, capture_output=True
        )
    return time.perf_counter() - started, None


def print_many(folder: Path, projects: int = 100, indicators: int = 20) -> Result:
    """Print N projects × M indicators, against minimal ReportLab code drawing the same tables."""
    from desktop.services.printing import print_document
    from desktop.storage.document import open_document

    path = write_synthetic(folder / f"print{projects}.jxdb", projects, indicators)
    document = open_document(path)
    started = time.perf_counter()
    print_document(document, folder / "ours.pdf", record=False)
    ours = time.perf_counter() - started
    document.close()
    started = time.perf_counter()
    _reportlab_floor(synthetic_declaration(projects, indicators), folder / "floor.pdf")
    return ours, time.perf_counter() - started


def _reportlab_floor(declaration, out: Path) -> None:
    """The same cells in plain ReportLab tables: one header block and one grid per project."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from desktop.reports.fonts import FONT, register_fonts

    register_fonts()
    style = ParagraphStyle("c", fontName=FONT, fontSize=9.5, leading=12.8, wordWrap="CJK")
    story = []
    for project in declaration.budget_projects:
        head = [
            ["项目编码", project.code, "项目名称", project.name, "", ""],
            [
                "预算数",
                str(project.budget_amount),
                "财政资金",
                str(project.fiscal_funds),
                "其他资金",
                "",
            ],
            [project.use_of_funds, "", "", "", "", ""],
            [project.performance_target, "", "", "", "", ""],
        ] + [
            [i.level1, i.level2, i.level3, i.description, i.target_value, i.basis]
            for i in project.indicators
        ]
        cells = [[Paragraph(text, style) for text in row] for row in head]
        table = Table(cells, colWidths=[80] * 6, repeatRows=1)
        table.setStyle(
            [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT)]
        )
        story.append(table)
    SimpleDocTemplate(str(out), pagesize=A4).build(story)


def export_xlsx_many(folder: Path, projects: int = 100, indicators: int = 20) -> Result:
    """Export N projects × M indicators to .xlsx, against minimal openpyxl writing the same
    cells and merges (one sheet per project, no styles or print setup)."""
    from desktop.services.excel import export_workbook
    from desktop.storage.document import open_document

    path = write_synthetic(folder / f"xlsx{projects}.jxdb", projects, indicators)
    document = open_document(path)
    started = time.perf_counter()
    export_workbook(document, folder / "ours.xlsx")
    ours = time.perf_counter() - started
    document.close()
    started = time.perf_counter()
    _openpyxl_floor(synthetic_declaration(projects, indicators), folder / "floor.xlsx")
    return ours, time.perf_counter() - started


def _openpyxl_floor(declaration, out: Path) -> None:
    """The same cells and merges as the export, written the plain openpyxl way: values with
    ``Worksheet.merge_cells``, no styles, widths or print setup."""
    from openpyxl import Workbook

    from desktop.exchange.workbook import indicator_columns
    from desktop.models.vocabulary import merged_label_runs

    book = Workbook()
    for number, project in enumerate(declaration.budget_projects, start=1):
        sheet = book.create_sheet(f"{number}")
        for row, column, last_row, last_column, value in [
            (1, 1, 1, 13, f"{number}.{project.name}绩效目标表"),
            (3, 1, 3, 1, "项目编码"),
            (3, 2, 3, 6, project.code),
            (3, 7, 3, 8, "项目名称"),
            (3, 9, 3, 13, project.name),
            (4, 1, 5, 1, "预算规模及资金用途"),
            (4, 2, 4, 3, "预算数"),
            (4, 4, 4, 5, project.budget_amount),
            (4, 6, 4, 7, "财政资金"),
            (4, 8, 4, 9, project.fiscal_funds),
            (4, 10, 4, 11, "其他资金"),
            (4, 12, 4, 13, project.other_funds),
            (5, 2, 5, 13, project.use_of_funds),
            (8, 1, 8, 1, "绩效目标"),
            (8, 2, 8, 13, project.performance_target),
        ]:
            sheet.cell(row, column, value)
            if (last_row, last_column) != (row, column):
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=last_row, end_column=last_column
                )
        columns = indicator_columns()
        runs = {(c, first): last for c, first, last in merged_label_runs(
            [(i.level1, i.level2) for i in project.indicators]
        )}  # fmt: skip
        covered = {(c, r) for (c, first), last in runs.items() for r in range(first + 1, last + 1)}
        for index, indicator in enumerate(project.indicators):
            values = (indicator.level1, indicator.level2, indicator.level3,
                      indicator.description, indicator.target_value, indicator.basis)  # fmt: skip
            for column, ((first, last), value) in enumerate(zip(columns, values, strict=True)):
                if (column, index) in covered:
                    continue
                row = 10 + index
                sheet.cell(row, first, value)
                last_row = 10 + runs.get((column, index), index)
                if (last_row, last) != (row, first):
                    sheet.merge_cells(
                        start_row=row, start_column=first, end_row=last_row, end_column=last
                    )
    book.save(out)


def autosave_edit(folder: Path, rounds: int = 20) -> Result:
    """One edit committed through the editing service, against a raw sqlite3 UPDATE + commit."""
    import sqlite3

    from sqlalchemy import select

    from desktop.models import Indicator
    from desktop.services.editing import set_field
    from desktop.storage.document import open_document

    path = write_synthetic(folder / "edit.jxdb", 5, 10)
    document = open_document(path)
    with document.session() as session:
        uuid = session.scalars(select(Indicator.uuid)).first()
    started = time.perf_counter()
    for n in range(rounds):
        set_field(document, row_type=Indicator, row_uuid=uuid, field="target_value", value=f"{n}个")
    ours = (time.perf_counter() - started) / rounds
    document.close()
    raw = sqlite3.connect(path)
    for pragma in ("foreign_keys=ON", "journal_mode=DELETE", "synchronous=FULL"):
        raw.execute(f"PRAGMA {pragma}")
    started = time.perf_counter()
    for n in range(rounds):
        raw.execute("UPDATE indicator SET target_value=? WHERE uuid=?", (f"{n}辆", uuid))
        raw.commit()
    floor = (time.perf_counter() - started) / rounds
    raw.close()
    return ours, floor


def word_round_trip(folder: Path, projects: int = 100, indicators: int = 20) -> Result:
    """Export N projects × M indicators to .docx and read it back, against python-docx
    writing the same cell texts into plain tables (no merges, styles or widths)."""
    import docx

    from desktop.exchange.word_import import read_docx
    from desktop.services.word import export_docx
    from desktop.storage.document import open_document

    path = write_synthetic(folder / f"docx{projects}.jxdb", projects, indicators)
    document = open_document(path)
    started = time.perf_counter()
    export_docx(document, folder / "ours.docx")
    read_docx(folder / "ours.docx")
    ours = time.perf_counter() - started
    document.close()
    declaration = synthetic_declaration(projects, indicators)
    started = time.perf_counter()
    floor = docx.Document()
    for project in declaration.budget_projects:
        floor.add_paragraph(project.name)
        table = floor.add_table(rows=1 + len(project.indicators), cols=6)
        for row, indicator in enumerate(project.indicators, start=1):
            texts = (indicator.level1, indicator.level2, indicator.level3)
            texts += (indicator.description, indicator.target_value, indicator.basis)
            for column, text in enumerate(texts):
                table.cell(row, column).text = text
    floor.save(str(folder / "floor.docx"))
    return ours, time.perf_counter() - started


def open_big_file(folder: Path, projects: int = 200) -> Result:
    """Open a 200-project file in the window and show its first project (absolute)."""
    path = write_synthetic(folder / f"open{projects}.jxdb", projects, 20)
    _, output = _python(
        "import time\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.settings import Settings\n"
        "from desktop.ui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "window = MainWindow(Settings()); window.show(); app.processEvents()\n"
        f"started = time.perf_counter(); window.files.open_path(__import__('pathlib').Path({str(path)!r}))\n"
        "window.tabs.setCurrentIndex(2); app.processEvents(); window.grab()\n"
        "print(time.perf_counter() - started)\n",
        env={"JIXIAO_HOME": str(folder / "home")},
    )
    return float(output.strip().splitlines()[-1]), None


def review_declaration(folder: Path, projects: int = 200) -> Result:
    """Review of a whole 200-project declaration; the floor slot carries one project's time."""
    from desktop.review import review

    whole = synthetic_declaration(projects, 20)
    one = synthetic_declaration(1, 20)
    started = time.perf_counter()
    review(whole)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    review(one)
    return ours, time.perf_counter() - started


def peak_memory(folder: Path, projects: int = 200) -> Result:
    """Peak resident memory (MiB) with a 200-project file open, against a bare window."""
    path = write_synthetic(folder / f"mem{projects}.jxdb", projects, 20)
    # VmHWM, not ru_maxrss: Linux carries the pre-exec peak (the forking benchmark process,
    # hundreds of MiB by now) into a child's ru_maxrss, which made both figures equal.
    report = (
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "print(int(status.split()[0]) / 1024)\n"
    )
    ours = _rss(
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.settings import Settings\n"
        "from desktop.ui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        f"window = MainWindow(Settings()); window.show(); window.files.open_path(__import__('pathlib').Path({str(path)!r}))\n"
        "window.tabs.setCurrentIndex(2); app.processEvents(); window.grab()\n" + report,
        folder,
    )
    floor = _rss(
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication([]); window = QMainWindow(); window.show(); app.processEvents()\n"
        + report,
        folder,
    )
    return ours, floor


def merge_many(folder: Path, units: int = 200) -> Result:
    """汇总: merge N unit files (8 projects × 15 indicators each) into a new file, against
    sqlite3 alone copying the same rows (read each file, insert its rows; one transaction)."""
    import sqlite3

    from desktop.services.merging import merge_files
    from desktop.storage.document import create_document

    sources = [write_synthetic(folder / f"unit{n}.jxdb", 8, 15, unit=n) for n in range(units)]
    target = create_document(folder / "merged.jxdb")
    started = time.perf_counter()
    merge_files(target, sources)
    ours = time.perf_counter() - started
    target.close()
    floor_target = create_document(folder / "floor.jxdb")
    floor_target.close()
    raw = sqlite3.connect(folder / "floor.jxdb", isolation_level=None)
    tables = [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    tables = [t for t in tables if t != "alembic_version"]
    started = time.perf_counter()
    raw.execute("BEGIN")
    for number, source in enumerate(sources, start=1):
        incoming = sqlite3.connect(source)
        for table in tables:  # row ids and links shifted per file so that every row fits
            cursor = incoming.execute(f"SELECT * FROM {table}")
            columns = [c[0] for c in cursor.description]
            shift = [c == "id" or c.endswith("_id") for c in columns]
            rows = [
                [
                    v + number * 10**7 if s and v is not None else v
                    for v, s in zip(row, shift, strict=True)
                ]
                for row in cursor
            ]
            raw.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                rows,
            )
        incoming.close()
    raw.execute("COMMIT")
    floor = time.perf_counter() - started
    raw.close()
    return ours, floor


def _rss(code: str, folder: Path) -> float:
    _, output = _python(code, env={"JIXIAO_HOME": str(folder / "home")})
    return float(output.strip().splitlines()[-1])


def _county(folder: Path, units: int, projects: int, indicators: int) -> Path:
    """The county's 汇总 file of this size, generated once per run (a fresh copy each time
    it is to be edited: ``_copy``)."""
    path = folder / f"county-{units}x{projects}x{indicators}.jxdb"
    if not path.exists():
        write_county(path, units, projects, indicators)
    return path


def _copy(path: Path, folder: Path) -> Path:
    import shutil

    copy = folder / f"edited-{path.name}"
    copy.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    return copy


def _window_session(path: Path, folder: Path) -> dict[str, float]:
    """``benchmarks.gui_session`` on ``path`` in a child process: its figures."""
    import json

    return json.loads(_session_output(str(path), folder))


def _session_output(argument: str, folder: Path) -> str:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_session", argument, repr(started)],
        check=True,
        cwd=ROOT,
        env=_child_environment({"JIXIAO_HOME": str(folder / "home")}),
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def _bare_window(folder: Path) -> dict[str, float]:
    import json

    return json.loads(_session_output("--bare", folder))


def window_session(
    folder: Path, units: int = 300, projects: int = 50, indicators: int = 20
) -> list[Result]:
    """The clerk's session in the window on a file of ``units`` × ``projects`` ×
    ``indicators`` (the county's 汇总 file; ``units=1``: one unit's file): open to the first
    paint with the data, switch project, insert an indicator row, the review's re-check
    after it, and the window's peak memory. Floors, from the same run: an empty
    QMainWindow's first paint and memory; the unchanged window drawn again (switch and
    insert); the review's rules alone on the same declaration (re-check)."""
    if units == 1:
        path = folder / f"one-{projects}x{indicators}.jxdb"
        if not path.exists():
            write_synthetic(path, projects, indicators)
    else:
        path = _county(folder, units, projects, indicators)
    ours = _window_session(_copy(path, folder), folder)
    floor = _bare_window(folder)
    return [
        (ours["first_paint"], floor["first_paint"]),
        (ours["switch"], ours["redraw"]),
        (ours["insert"], ours["redraw"]),
        (ours["recheck"], ours["review_floor"]),
        (ours["peak_mib"], floor["peak_mib"]),
    ]


def window_session_100(folder: Path, projects: int = 100, indicators: int = 20) -> list[Result]:
    """``window_session`` on one unit's file of 100 projects × 20 indicators."""
    return window_session(folder, 1, projects, indicators)


_PEAK = "print(int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024)\n"


def check_summary_memory(
    folder: Path, units: int = 300, projects: int = 50, indicators: int = 20
) -> list[Result]:
    """Peak memory (MiB) of ``jixiao check`` and ``jixiao summary`` on the county's file,
    against a process that imports the same modules and reads every row of the file with
    sqlite3, one row at a time."""
    path = _county(folder, units, projects, indicators)
    figures = []
    for command in ("check", "summary"):
        _, output = _python(
            "import os, sys\n"
            "from desktop.cli import main\n"
            "sys.stdout = open(os.devnull, 'w')\n"
            f"main([{command!r}, {str(path)!r}])\n"
            "sys.stdout = sys.__stdout__\n" + _PEAK,
            env={"JIXIAO_HOME": str(folder / "home")},
        )
        figures.append(float(output.strip().splitlines()[-1]))
    _, output = _python(
        "import sqlite3\n"
        "import desktop.cli, desktop.services.reviewing, desktop.services.merging\n"
        f"raw = sqlite3.connect({str(path)!r})\n"
        "for (table,) in raw.execute(\"SELECT name FROM sqlite_master WHERE type='table'\").fetchall():\n"
        "    for row in raw.execute(f'SELECT * FROM {table}'):\n"
        "        pass\n" + _PEAK
    )
    floor = float(output.strip().splitlines()[-1])
    return [(figures[0], floor), (figures[1], floor)]


@dataclass(frozen=True)
class Row:
    """One line of the report: what is measured, its floor and the target."""

    title: str
    floor: str
    target: str
    unit: str = "s"


@dataclass(frozen=True)
class Case:
    """A function returning one ``Result`` per row (or a single ``Result`` for one row),
    its rows, and how many rounds ``make bench`` runs it (None: the run's number)."""

    function: Callable[..., Result | list[Result]]
    rows: tuple[Row, ...]
    rounds: int | None = None


_COUNTY = "县级汇总文件（300 单位 × 50 项目 × 20 指标）"
_ONE = "单个单位 100 项目 × 20 指标"
_BARE = "空 QMainWindow 到首次绘制"
_REDRAW = "未改动的窗口重绘一次（grab）"
_RULES = "同一单位只运行审核规则（已载入）"


def _session_rows(prefix: str, targets: tuple[str, str, str, str, str]) -> tuple[Row, ...]:
    first, switch, insert, recheck, memory = targets
    return (
        Row(f"{prefix}：打开到首次绘制（含数据）", _BARE, first),
        Row(f"{prefix}：切换预算项目", _REDRAW, switch),
        Row(f"{prefix}：插入一行指标", _REDRAW, insert),
        Row(f"{prefix}：编辑后重新审核", _RULES, recheck),
        Row(f"{prefix}：窗口内存峰值（MiB）", "空窗口", memory, "MiB"),
    )


CASES: list[Case] = [
    Case(cold_start, (Row("冷启动到主窗口（含示例）", "空 QMainWindow", "≤ 3×（长期 2×）"),)),
    Case(print_sample_process, (Row("打印示例（整个进程：sample + print）", "—", "报告"),)),
    Case(print_many, (Row("打印 100 项目 × 20 指标", "同样表格的最简 ReportLab 代码", "≤ 1.25×"),)),
    Case(
        export_xlsx_many,
        (
            Row(
                "导出 Excel：100 项目 × 20 指标",
                "openpyxl 常规写法写同样的单元格和合并（merge_cells，无样式）",
                "≤ 1.5×",
            ),
        ),
    ),
    Case(
        word_round_trip,
        (
            Row(
                "导出 Word 并读回：100 项目 × 20 指标",
                "python-docx 常规写法写同样的指标文字（无合并、无样式）",
                "报告",
            ),
        ),
    ),
    Case(
        autosave_edit,
        (
            Row(
                "一次编辑写入文件（自动保存）",
                "sqlite3 原生 UPDATE + commit，同样 pragma",
                "≤ 1.5×",
            ),
        ),
    ),
    Case(open_big_file, (Row("打开 200 项目文件并显示第一个项目", "—", "报告"),)),
    Case(
        review_declaration,
        (Row("审核 200 项目（括号内：1 个项目）", "1 个项目", "≤ 0.5 s；单项目 ≤ 50 ms"),),
    ),
    Case(peak_memory, (Row("打开 200 项目文件时的内存峰值（MiB）", "空窗口", "报告", "MiB"),)),
    Case(window_session_100, _session_rows(_ONE, ("报告", "报告", "≤ 3× 重绘", "报告", "报告"))),
    Case(
        window_session,
        _session_rows(_COUNTY, ("≤ 1.5 s", "≤ 50 ms", "≤ 50 ms", "≤ 100 ms", "≤ 250 MiB")),
        rounds=3,
    ),
    Case(
        check_summary_memory,
        (
            Row(
                f"{_COUNTY}：jixiao check 内存峰值（MiB）",
                "同一进程模块 + sqlite3 逐行读出全部行",
                "≤ 300 MiB",
                "MiB",
            ),
            Row(
                f"{_COUNTY}：jixiao summary 内存峰值（MiB）",
                "同一进程模块 + sqlite3 逐行读出全部行",
                "≤ 300 MiB",
                "MiB",
            ),
        ),
        rounds=1,
    ),
    Case(
        merge_many,
        (
            Row(
                "汇总：合并 200 个单位文件（8 项目 × 15 指标）",
                "sqlite3 逐文件读出、写入同样的行（一个事务）",
                "≤ 8×",
            ),
        ),
    ),
]


def temporary_folder() -> Path:
    """A scratch folder for one run."""
    return Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
