"""Windows and dialogs sized to the screen they open on, whatever its size and scaling.

Decision: a window (also one restored from the last session's geometry) is clamped to the
screen's *available* area (without task bar) in logical pixels, so at 150% or 200% display
scaling the status bar and the buttons stay on the screen. Alternatives: always maximised
(hides that the program is a window; dialogs cannot be maximised).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: room left for the window manager's title bar and frame until the window is shown
FRAME = (16, 40)


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
