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
window.files.open_path(Path(sys.argv[1]))
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


TERM = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from desktop.app import _end_cleanly_on_signals, start
app = QApplication([])
window = start([sys.argv[1]])
window.show()
window.tabs.setCurrentIndex(2)
editor = window.findChild(QPlainTextEdit, "use_of_funds")
editor.setPlainText("刚输入、尚未到自动保存时间的文字")  # commits 400 ms later
_end_cleanly_on_signals(app, window)
print("typed", flush=True)
sys.exit(app.exec())
"""


def test_typing_is_saved_on_sigterm(sample_path: Path) -> None:
    """Logout or shutdown (SIGTERM) right after typing: the text is committed on the way out."""
    from desktop.models import BudgetProject

    process = subprocess.Popen(
        [sys.executable, "-c", TERM, str(sample_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(Path(__file__).parents[2]),
        },
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "typed"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    document = open_document(sample_path)
    with document.session() as session:
        texts = session.scalars(select(BudgetProject.use_of_funds)).all()
    document.close()
    assert "刚输入、尚未到自动保存时间的文字" in texts
