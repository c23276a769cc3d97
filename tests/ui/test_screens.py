"""Common office screens: the window fits the screen, the indicator grid keeps its rows,
buttons keep their labels, 指标值 keeps its value on one line (issue 22, item 3)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer" / "tools"))
import screen_probe

Probe = Callable[[int, int, float], dict]
_measured: dict[tuple[int, int, float], dict] = {}


@pytest.fixture
def probe(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    """The layout measures of the sample's window on a ``width``×``height`` screen at
    ``scale`` (1.5 = 150%), from a fresh process (once per screen for these tests)."""

    def measure(width: int, height: int, scale: float) -> dict:
        key = (width, height, scale)
        if key not in _measured:
            folder = tmp_path_factory.mktemp("screen")
            _measured[key] = screen_probe.screen_at(width, height, scale, folder)
        return _measured[key]

    return measure


SCREENS = [
    (1366, 768, 1.0), (1366, 768, 1.25), (1366, 768, 1.5), (1366, 768, 2.0),
    (1920, 1080, 1.0), (1920, 1080, 1.25), (1920, 1080, 1.5), (1920, 1080, 2.0),
]  # fmt: skip


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS)
def test_window_fits_office_screens(probe: Probe, width: int, height: int, scale: float) -> None:
    """The window lies within the available screen; the indicator grid has room for 8
    one-line rows and shows all the sample's 7 where they are one line; every visible
    button shows its whole label."""
    measures = probe(width, height, scale)
    ax, ay, aw, ah = measures["available"]
    fx, fy, fw, fh = measures["frame"]
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, measures
    assert measures["rows_room"] >= 8, measures
    heights = measures["row_heights"]
    if set(heights) == {measures["one_line_row"]}:
        assert measures["rows_visible"] == len(heights) == 7, measures
    assert measures["buttons"], measures
    for text, shown, needed in measures["buttons"]:
        assert shown >= needed, (text, measures)


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS)
def test_nothing_is_squashed_or_cut_off(
    probe: Probe, width: int, height: int, scale: float
) -> None:
    """项目基本信息 shows at least its first row of fields, scrolls up and down but never
    sideways, and every field is as high as it asks (a line edit its size hint, a text
    box its three lines) and at least its minimum wide; the indicator grid's columns fit
    its width without a scroll bar, each at least as wide as its header's text."""
    measures = probe(width, height, scale)
    assert measures["header_height"] >= measures["header_first_row"], measures
    assert not measures["header_scrolls_sideways"], measures
    assert len(measures["fields"]) == 8, measures
    for name, shown_height, wanted_height, shown_width, least_width in measures["fields"]:
        assert shown_height >= wanted_height, (name, measures)
        assert shown_width >= least_width, (name, measures)
    widths = [shown for _, shown, _ in measures["columns"]]
    assert sum(widths) <= measures["grid_width"], measures
    for title, shown, needed in measures["columns"]:
        assert shown >= needed, (title, measures)


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS)
def test_review_panel_starts_closed_only_on_a_low_screen(
    probe: Probe, width: int, height: int, scale: float
) -> None:
    """The 审核 panel is open below the tabs, except on a screen too low for it and 8 grid
    rows (1366×768 at 200%: 683×384 logical pixels); 视图 → 审核面板 opens it there and the
    window still lies within the screen."""
    measures = probe(width, height, scale)
    assert measures["review_open"] == (height / scale > 400), measures
    ax, ay, aw, ah = measures["available"]
    fx, fy, fw, fh = measures["frame_with_review"]
    assert ax <= fx and ay <= fy and fx + fw <= ax + aw and fy + fh <= ay + ah, measures


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5])
def test_value_column_holds_a_long_value_at_1920(probe: Probe, scale: float) -> None:
    """At 1920 wide (up to 150%: 1280 logical pixels) the 指标值 column takes
    "推动经济社会快速发展" on one line."""
    measures = probe(1920, 1080, scale)
    assert measures["value_column"] > measures["value_text"], measures


def test_restored_geometry_is_clamped_to_the_screen(qtbot: QtBot) -> None:
    """A geometry saved on a bigger screen (or at a smaller scaling) opens within this one."""
    big = MainWindow(Settings())
    qtbot.addWidget(big)
    big.setGeometry(0, 0, 4000, 3000)
    QSettings("jixiao", "jixiao").setValue("main_window/geometry", big.saveGeometry())
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    area = QApplication.primaryScreen().availableGeometry()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert area.contains(window.geometry().topLeft())
