"""Open the sample's 项目绩效目标表 on the screen Qt was started with; print its layout.

Also says whether the 审核 panel opened, and where the window is once it is open.
Run as a program, one process per screen size and scaling (``QT_QPA_PLATFORM=
offscreen:configfile=…`` and ``QT_SCALE_FACTOR``, which Qt reads once at start), by
tests/ui/test_screens.py and by make_screenshots.py (``screen_at``). Prints one JSON object; with a
path argument also saves what the window shows as a PNG there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPushButton


def main() -> int:
    """Print the measures as JSON (logical pixels)."""
    os.environ.setdefault("JIXIAO_HOME", tempfile.mkdtemp(prefix="jixiao-screen-"))
    application = QApplication(sys.argv[:1])
    from desktop import app
    from desktop.ui.editors import BudgetProjectsEditor

    window = app.start(["--sample"])
    window.show()
    window.tabs.setCurrentIndex(2)
    for _ in range(30):
        application.processEvents()
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor) and editor.indicator_view is not None
    view = editor.indicator_view
    metrics = view.fontMetrics()
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    buttons = editor.widget(0).findChildren(QPushButton)
    fields = [field for field, _ in view.model().columns]
    review_open = window.review.isVisible()
    grid_height = view.viewport().height()
    if len(sys.argv) > 1:
        window.grab().save(sys.argv[1])
    if not review_open:  # as 视图 → 审核面板 opens it
        window.review_action.trigger()
        for _ in range(30):
            application.processEvents()
    opened = window.frameGeometry()
    print(
        json.dumps(
            {
                "review_open": review_open,
                "frame_with_review": [opened.x(), opened.y(), opened.width(), opened.height()],
                "available": [area.x(), area.y(), area.width(), area.height()],
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "grid_height": grid_height,
                "one_line_row": metrics.lineSpacing() + 6,  # a row of one line of text
                "buttons": [
                    [b.text(), b.width(), metrics.horizontalAdvance(b.text())] for b in buttons
                ],
                "value_column": view.columnWidth(fields.index("target_value")),
                "value_text": metrics.horizontalAdvance("推动经济社会快速发展"),
            }
        )
    )
    window.close()
    return 0


def screen_at(width: int, height: int, scale: float, folder: Path, png: Path | None = None) -> dict:
    """Run this program in a fresh process on an offscreen ``width``×``height`` screen at
    ``scale`` (1.5 = 150%), with its settings in ``folder``; returns its measures."""
    config = folder / "screen.json"
    screen = {"name": "office", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    environ = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(scale),
        "JIXIAO_HOME": str(folder / "home"),
    }
    command = [sys.executable, __file__, *([str(png)] if png else [])]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        command, env=environ, cwd=root, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
