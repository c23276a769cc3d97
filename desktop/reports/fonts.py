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


def missing_characters(text: str, font: str = FONT) -> set[str]:
    """Characters of ``text`` (other than line breaks and tabs) the face ``font`` lacks."""
    covered = _cmap(font)
    return {char for char in text if char not in "\n\r\t" and ord(char) not in covered}


@cache
def _cmap(font: str) -> frozenset[int]:
    """Code points a registered face has a glyph for (from its cmap)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


@cache
def register_face(path: str) -> tuple[str, str]:
    """Register a TrueType face the clerk chose (e.g. 宋体 simsun.ttc on Windows).

    Returns the (regular, bold) font names to print with: the bundled pair for an empty
    ``path``; otherwise the chosen face for both, since system 宋体/仿宋 have no bold.
    Raises ``ValueError`` (Chinese) when the file is missing or not a usable TrueType
    face (CFF/OpenType outlines cannot be embedded by ReportLab).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    register_fonts()
    if not path:
        return FONT, FONT_BOLD
    name = f"JixiaoFace-{abs(hash(path)):x}"
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (OSError, TTFError) as exc:
        raise ValueError(
            f"无法使用字体文件“{path}”（{exc}）。"
            "请改用内置字体，或选择 TrueType 字体（.ttf/.ttc）。"
        ) from exc
    return name, name


#: 宋体/仿宋 faces offered when present (Windows keeps them in C:\\Windows\\Fonts).
SYSTEM_FACES = (
    ("宋体", ("C:/Windows/Fonts/simsun.ttc",)),
    ("仿宋", ("C:/Windows/Fonts/simfang.ttf",)),
    ("华文宋体", ("C:/Windows/Fonts/STSONG.TTF",)),
    ("华文仿宋", ("C:/Windows/Fonts/STFANGSO.TTF",)),
    ("AR PL UMing（文鼎明体）", ("/usr/share/fonts/truetype/arphic/uming.ttc",)),
)


def available_faces() -> list[tuple[str, str]]:
    """(name, file) of the bundled face and of each system 宋体/仿宋 face found on this PC."""
    from pathlib import Path

    faces = [("内置宋体（Noto Serif SC）", "")]
    for name, candidates in SYSTEM_FACES:
        found = next((c for c in candidates if Path(c).is_file()), None)
        if found:
            faces.append((name, found))
    return faces
