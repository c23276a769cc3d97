"""Open the sample's 项目绩效目标表 on the screen Qt was started with; print its layout.

The indicator grid's room in one-line rows and the sample's rows it shows, its columns
against their headers, the 项目基本信息 fields against their size hints, the buttons
against their labels; whether the 审核 panel opened, and where the window is once it is
open.
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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableView,
)


def main() -> int:
    """Print the measures as JSON (logical pixels)."""
    os.environ.setdefault("JIXIAO_HOME", tempfile.mkdtemp(prefix="jixiao-screen-"))
    application = QApplication(sys.argv[:1])
    from desktop import app
    from desktop.ui.editors import BudgetProjectsEditor, one_line_row

    window = app.start(["--sample"])
    window.show()
    window.tabs.setCurrentIndex(2)
    for _ in range(30):
        application.processEvents()
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor) and editor.indicator_view is not None
    view = editor.indicator_view
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    header_area = editor.findChild(QScrollArea, "project_header")
    fields = [
        field
        for kind in (QLineEdit, QPlainTextEdit, QTableView)
        for field in header_area.widget().findChildren(kind)
    ]
    heading = view.horizontalHeader()
    margin = heading.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, heading)
    model = view.model()
    row = one_line_row(view)
    viewport = view.viewport().height()
    measures = {
        "available": [area.x(), area.y(), area.width(), area.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "review_open": window.review.isVisible(),
        # the indicator grid: its height in one-line rows, and the sample's rows as shown
        "grid_height": viewport,
        "one_line_row": row,
        "rows_room": viewport // row,
        "row_heights": [view.rowHeight(r) for r in range(model.rowCount())],
        "rows_visible": sum(
            top >= 0 and top + view.rowHeight(r) <= viewport
            for r, top in ((r, view.rowViewportPosition(r)) for r in range(model.rowCount()))
        ),
        "grid_width": view.viewport().width(),
        "columns": [
            [
                str(model.headerData(c, Qt.Orientation.Horizontal)),
                view.columnWidth(c),
                heading.fontMetrics().horizontalAdvance(
                    str(model.headerData(c, Qt.Orientation.Horizontal))
                )
                + 2 * margin,
            ]
            for c in range(model.columnCount())
            if not view.isColumnHidden(c)  # 性质 … 分值 until 视图 shows them
        ],
        "value_column": view.columnWidth(
            [field for field, _ in model.columns].index("target_value")
        ),
        "value_text": view.fontMetrics().horizontalAdvance("推动经济社会快速发展"),
        # 项目基本信息: shown height, scroll bars, each field's height and width against
        # what it needs (its size hint, within the height it is allowed)
        "header_height": header_area.viewport().height(),
        "header_first_row": header_area.minimumHeight(),
        "header_scrolls_sideways": header_area.horizontalScrollBar().isVisible()
        or header_area.widget().width() > header_area.viewport().width(),
        "fields": [
            [
                field.objectName(),
                field.height(),
                min(field.sizeHint().height(), field.maximumHeight()),
                field.width(),
                max(field.minimumWidth(), field.minimumSizeHint().width()),
            ]
            for field in fields
        ],
        "buttons": [_button(b) for b in window.findChildren(QPushButton) if b.isVisible()],
    }
    if len(sys.argv) > 1:
        window.grab().save(sys.argv[1])
    if not measures["review_open"]:  # as 视图 → 审核面板 opens it
        window.review_action.trigger()
        for _ in range(30):
            application.processEvents()
    opened = window.frameGeometry()
    measures["frame_with_review"] = [opened.x(), opened.y(), opened.width(), opened.height()]
    print(json.dumps(measures, ensure_ascii=False))
    window.close()
    return 0


def _button(button: QPushButton) -> list:
    """``[label, width, width its label needs]``: the label as shown (no ``&``) and the
    style's margins on both sides."""
    text = button.text().replace("&", "")
    margin = button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
    return [text, button.width(), button.fontMetrics().horizontalAdvance(text) + 2 * margin]


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
        "XDG_CONFIG_HOME": str(folder / "config"),  # QSettings: never the user's geometry
    }
    command = [sys.executable, __file__, *([str(png)] if png else [])]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        command, env=environ, cwd=root, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
