"""Windows and dialogs sized to the screen they open on, whatever its size and scaling.

Decision: a window (also one restored from the last session's geometry) is clamped to the
screen's *available* area (without task bar) in logical pixels, so at 150% or 200% display
scaling the status bar and the buttons stay on the screen. Alternatives: always maximised
(hides that the program is a window; dialogs cannot be maximised).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

#: room left for the window manager's title bar and frame until the window is shown
FRAME = (16, 40)
#: The 审核 panel opens closed on a screen whose available height is less than this many
#: lines of text (1366×768 at 200%: 384 logical pixels, 20 lines): below the tabs it would
#: leave the indicator grid fewer than ``GRID_ROWS_SHOWN`` rows. 视图 → 审核面板 opens it.
REVIEW_PANEL_SCREEN_LINES = 24
#: where the main window's geometry is kept between sessions (QSettings)
_GEOMETRY_KEY = "main_window/geometry"


def available_area(widget: QWidget) -> QRect:
    """The available geometry (logical pixels) of the screen ``widget`` is on, or the
    primary screen's."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget, width: int = 0, height: int = 0, *, place: bool = False) -> None:
    """Resize ``widget`` to ``width``×``height`` logical pixels (0: its present size), but
    never beyond the available area of its screen less a window frame; with ``place``
    also move it inside that area (a position restored from another screen). Dialogs
    are not placed: Qt centres them on their parent, within the screen."""
    area = available_area(widget)
    frame_w, frame_h = FRAME
    if widget.isVisible():
        frame_w = widget.frameGeometry().width() - widget.width()
        frame_h = widget.frameGeometry().height() - widget.height()
    w = min(width or widget.width(), area.width() - frame_w)
    h = min(height or widget.height(), area.height() - frame_h)
    widget.resize(max(w, 1), max(h, 1))
    if not place:
        return
    x = min(max(widget.x(), area.left()), area.right() + 1 - w - frame_w)
    y = min(max(widget.y(), area.top()), area.bottom() + 1 - h - frame_h)
    widget.move(max(x, area.left()), max(y, area.top()))


def place_main_window(window: QMainWindow, review: QDockWidget) -> None:
    """Size ``window`` to its screen (a big screen: a big window, else 1200×800 at most), or
    as the clerk left it last time, kept within the screen; give the 审核 panel ``review``
    a few findings' height, and close it on a low screen."""
    area = available_area(window)
    window.resize(max(1200, area.width() * 9 // 10), max(800, area.height() * 9 // 10))
    geometry = QSettings("jixiao", "jixiao").value(_GEOMETRY_KEY)
    if geometry is not None:
        window.restoreGeometry(geometry)
    fit_to_screen(window, place=True)  # a geometry saved on a bigger screen or a smaller scale
    # the 审核 panel: a few findings' height, so the grids keep the room
    window.resizeDocks([review], [window.height() // 6], Qt.Orientation.Vertical)
    if area.height() < REVIEW_PANEL_SCREEN_LINES * window.fontMetrics().lineSpacing():
        review.hide()  # a low screen: the indicator grid keeps its rows


def save_main_window_geometry(window: QMainWindow) -> None:
    """Keep ``window``'s geometry for the next start (``place_main_window``)."""
    QSettings("jixiao", "jixiao").setValue(_GEOMETRY_KEY, window.saveGeometry())
