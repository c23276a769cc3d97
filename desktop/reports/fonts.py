"""The embedded CJK face of every PDF, and the check that it has every character printed.

ReportLab embeds only TrueType-outline fonts (DESIGN.md); the bundled face is Noto Serif SC
converted to TrueType (resources/fonts/README.md). Must not import Qt.
"""

from __future__ import annotations

from functools import cache

from desktop import paths

FONT = "JixiaoSerif"
FONT_BOLD = "JixiaoSerif-Bold"


@cache
def register_fonts() -> None:
    """Register the regular and bold faces with ReportLab under ``FONT`` / ``FONT_BOLD``."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(paths.font_file())))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(paths.font_file(bold=True))))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)


@cache
def covered_characters(bold: bool = False) -> frozenset[int]:
    """Code points the bundled face has a glyph for (from its cmap)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(FONT_BOLD if bold else FONT).face
    return frozenset(face.charToGlyph)


def missing_characters(text: str) -> set[str]:
    """Characters of ``text`` (other than line breaks and tabs) the bundled face lacks."""
    covered = covered_characters()
    return {char for char in text if char not in "\n\r\t" and ord(char) not in covered}
