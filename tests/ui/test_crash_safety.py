"""Nothing typed is lost: an edit is in the file even if the program is killed right after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from desktop.models import Indicator
from desktop.storage.document import open_document

GUI = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop.models import Indicator
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow(Settings())
window.show()
window.open_path(Path(sys.argv[1]))
window.session.saved.connect(lambda: (print("saved", flush=True)))
model = window.tabs.widget(2).indicator_view.model()
print(model.row_uuid(0), flush=True)
model.setData(model.index(0, 4), "888辆")
app.exec()
"""


def test_edit_survives_sigkill(sample_path: Path) -> None:
    """The program is killed (no close, no flush) after reporting the edit saved."""
    process = subprocess.Popen(
        [sys.executable, "-c", GUI, str(sample_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(Path(__file__).parents[2]),
        },
    )
    try:
        assert process.stdout is not None
        edited = process.stdout.readline().strip()
        assert process.stdout.readline().strip() == "saved"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    document = open_document(sample_path)  # opens: integrity check passed
    with document.session() as session:
        value = session.scalars(
            select(Indicator.target_value).where(Indicator.uuid == edited)
        ).one()
    document.close()
    assert value == "888辆"
