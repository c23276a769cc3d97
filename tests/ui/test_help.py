"""帮助 → 使用说明 and the program's identity on the desktop (icon, desktop entry)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from desktop import app, paths
from desktop.settings import Settings
from desktop.ui.document_view import TAB_TITLES
from desktop.ui.help import UserGuideDialog
from desktop.ui.main_window import MainWindow

IMAGES = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def test_help_menu_opens_the_guide_with_its_images(qtbot: QtBot) -> None:
    """帮助 → 使用说明 shows the guide's text and loads every screenshot it names."""
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[-1] == "帮助(&H)"
    window.guide_action.trigger()
    guide = window.findChild(UserGuideDialog)
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    assert text.startswith("绩效目标填报 使用说明")
    document = guide.browser.document()
    names = IMAGES.findall(paths.user_guide().read_text(encoding="utf-8"))
    assert len(names) >= 6
    for name in names:
        image = document.resource(QTextDocument.ResourceType.ImageResource, name)
        assert image is not None and not image.isNull(), name


def test_guide_covers_every_tab_and_names_only_existing_images() -> None:
    """The guide has a section for each tab and every image it shows is in the repository."""
    guide = paths.user_guide()
    text = guide.read_text(encoding="utf-8")
    for title in TAB_TITLES:
        assert f"**{title}**" in text, title
    for name in IMAGES.findall(text):
        assert (guide.parent / name).is_file(), name


def test_missing_guide_is_explained_in_chinese(qtbot: QtBot, monkeypatch, tmp_path: Path) -> None:
    """Without the guide file the window says so and what to do, instead of staying blank."""
    monkeypatch.setattr(paths, "user_guide", lambda: tmp_path / "missing.md")
    dialog = UserGuideDialog()
    qtbot.addWidget(dialog)
    assert "找不到使用说明文件" in dialog.browser.toPlainText()
    assert "重新安装" in dialog.browser.toPlainText()


def test_program_shows_its_icon_and_names_its_desktop_entry(qtbot: QtBot, qapp) -> None:
    """The windows carry the program's icon; the desktop entry of the .deb is jixiao.desktop."""
    window = app.start(["--sample"])
    qtbot.addWidget(window)
    assert not qapp.windowIcon().isNull()
    assert qapp.windowIcon().availableSizes()[0].width() == 256
    assert qapp.desktopFileName() == "jixiao"
    window.close()


def test_screenshot_script_takes_every_picture_the_guide_shows(tmp_path: Path) -> None:
    """make screenshots still runs against the current program and writes exactly the
    pictures the guide names, window shots at the size the guide's window shows whole, and
    the 项目绩效目标表 on both office screens at the four scalings (screens/)."""
    script = Path(__file__).resolve().parents[2] / "installer" / "tools" / "make_screenshots.py"
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "shots")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    guide = paths.user_guide().read_text(encoding="utf-8")
    named = {Path(name).name for name in IMAGES.findall(guide)}
    assert {path.name for path in (tmp_path / "shots").glob("*.png")} == named
    screens = {path.name for path in (tmp_path / "shots" / "screens").iterdir()}
    assert screens == {
        f"tab-projects-{size}-{percent}.png"
        for size in ("1366x768", "1920x1080")
        for percent in (100, 125, 150, 200)
    }
    tab = QImage(str(tmp_path / "shots" / "tab-projects.png"))
    assert (tab.width(), tab.height()) == (1100, 760)
