"""One clerk's session in the window on a file, timed step by step (run as a child process).

``python -m benchmarks.gui_session FILE STARTED`` opens FILE in the window the way
``jixiao FILE`` does, and prints one JSON object: ``first_paint`` (seconds from STARTED,
the parent's ``time.time()`` just before it started this process, to the end of the
window's first paint with the data), ``switch`` (showing another budget project of the
项目绩效目标表 tab until the window is redrawn), ``insert`` (an indicator row inserted
below the first one, redrawn), ``recheck`` (the 审核 panel's re-check after that edit),
``checked`` (seconds from STARTED until the whole file is checked: a big file's rest is
checked after the first paint, its edits held meanwhile; the steps above are timed after
it, with edits written at once), ``review_floor`` (the rules alone on
the same declaration, already loaded), ``redraw``
(the floor of switch and insert: the unchanged window drawn again, ``grab()``) and
``peak_mib`` (the process's resident high-water mark, ``VmHWM``, after all that).
``python -m benchmarks.gui_session --bare STARTED`` prints the same for an empty
QMainWindow (``first_paint``, ``redraw`` and ``peak_mib`` only): the floors.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path


def _peak_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def _first_paint(window: object, app: object) -> float:
    """Process events until ``window`` has been painted once with its children;
    time.time() then.

    The window's paint event comes before its children are drawn, in the same pass: a
    zero timer started there fires once the pass has ended, before the work the window
    queues after its first paint (``MainWindow.after_painted``: the review, the check of
    the rest of a big file), which is not part of the first paint. (Until 2026-12-05 this
    processed events once more after the paint event, which ran that work too and counted
    it.)"""
    from PySide6.QtCore import QEvent, QObject, QTimer

    seen: list[bool] = []
    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is window and not seen:
                seen.append(True)
                QTimer.singleShot(0, lambda: painted.append(time.time()))
            return False

    watch = Watch()
    window.installEventFilter(watch)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    while not painted:
        app.processEvents()  # type: ignore[attr-defined]
    window.removeEventFilter(watch)  # type: ignore[attr-defined]
    return painted[0]


def _redraw(window: object, app: object) -> float:
    """Seconds to draw the unchanged window again (median of five)."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        window.grab()  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bare(started: float) -> dict[str, float]:
    """The floors: an empty QMainWindow."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    painted = _first_paint(window, app)
    return {
        "first_paint": painted - started,
        "redraw": _redraw(window, app),
        "peak_mib": _peak_mib(),
    }


def session(path: Path, started: float) -> dict[str, float]:
    """The clerk's steps on ``path`` (see the module docstring)."""
    from PySide6.QtWidgets import QApplication, QListWidget, QTableView

    from desktop.app import start

    app = QApplication([])
    window = start([str(path)])
    result = {"first_paint": _first_paint(window, app) - started}
    # wait as the clerk's idle window does (an event loop asleep until its next event; a
    # loop of processEvents() would keep the GIL and a core from the check's worker)
    from PySide6.QtCore import QEventLoop, QTimer

    awake = QTimer(interval=50)  # an event at least every 50 ms: no wait stays asleep
    awake.start()
    deadline = time.perf_counter() + 600
    idle = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    while not window.review.fingerprint and time.perf_counter() < deadline:
        app.processEvents(idle)  # the review, run after the first paint
    while window.session.document.checking and time.perf_counter() < deadline:
        app.processEvents(idle)  # a big file's rest checked after the first paint
    result["checked"] = time.time() - started
    awake.stop()
    window.tabs.setCurrentIndex(2)  # 项目绩效目标表
    app.processEvents()
    window.grab()
    result["redraw"] = _redraw(window, app)

    projects = window.tabs.currentWidget().findChild(QListWidget, "budget_project_list")
    started_switch = time.perf_counter()
    projects.setCurrentRow(min(1, projects.count() - 1))
    app.processEvents()
    window.grab()
    result["switch"] = time.perf_counter() - started_switch

    grid = window.tabs.currentWidget().findChild(QTableView, "indicator_grid")
    grid.setCurrentIndex(grid.model().index(0, 2))
    insert = next(a for a in grid.actions() if a.text().startswith("在下方插入"))
    rows = grid.model().rowCount()
    started_insert = time.perf_counter()
    insert.trigger()
    app.processEvents()
    window.grab()
    result["insert"] = time.perf_counter() - started_insert
    grid = window.tabs.currentWidget().findChild(QTableView, "indicator_grid")
    assert grid.model().rowCount() == rows + 1, "the row was not inserted"

    started_check = time.perf_counter()
    window.review.recheck()
    result["recheck"] = time.perf_counter() - started_check

    from desktop.review import review
    from desktop.services.documents import load_declaration

    with window.session.document.session() as s:  # rules name rows by their parents
        declaration = load_declaration(s, window.session.declaration_uuid)
        started_rules = time.perf_counter()
        review(declaration, final=False)
        result["review_floor"] = time.perf_counter() - started_rules
    result["peak_mib"] = _peak_mib()
    window.session.flush()
    return result


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1] == "--bare":
        out = bare(float(sys.argv[2]))
    else:
        out = session(Path(sys.argv[1]), float(sys.argv[2]))
    print(json.dumps(out), flush=True)
    os._exit(0)  # the measurement is taken: no teardown of a big window
