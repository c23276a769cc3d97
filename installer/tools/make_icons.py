#!/usr/bin/env python3
"""Render resources/icons/jixiao.svg to the PNG sizes of the desktop entry and a Windows .ico.

Run after changing the SVG (``.venv/bin/python installer/tools/make_icons.py``) and commit
the results: the program, the .deb and the Windows installer use the PNG/ICO files, so the
bundle needs no SVG support (QtSvg is left out of it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG drawn antialiased on a transparent ``size`` × ``size`` pixel image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write jixiao-<size>.png for every size in SIZES and jixiao.ico holding them all."""
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "jixiao.svg"))
    if not renderer.isValid():
        print(f"无法读取 {ICONS / 'jixiao.svg'}", file=sys.stderr)
        return 1
    for size in SIZES:
        render(renderer, size).save(str(ICONS / f"jixiao-{size}.png"))
    largest = Image.open(ICONS / f"jixiao-{SIZES[-1]}.png")
    largest.save(ICONS / "jixiao.ico", sizes=[(size, size) for size in SIZES])
    return 0


if __name__ == "__main__":
    sys.exit(main())
