#!/usr/bin/env python3
"""Build the CJK fonts that jixiao bundles, embeds in its PDFs and registers with Qt.

What it does
------------
ReportLab can only embed fonts with TrueType (``glyf``) outlines; the CJK
fonts shipped by Linux distributions use PostScript/CFF outlines, which
ReportLab rejects ("postscript outlines are not supported").  This script
turns the Simplified Chinese face of Noto Serif CJK into two ordinary
TrueType files:

    resources/fonts/NotoSerifSC-Regular.ttf
    resources/fonts/NotoSerifSC-Bold.ttf

For each weight it

1. opens the OpenType collection (``.ttc``) and picks the face whose family
   name is "Noto Serif CJK SC" (found by name, not by a hard-coded index);
2. subsets it to the Unicode blocks an official Chinese form needs (Latin,
   punctuation, symbols, number forms, enclosed numbers, box drawing,
   CJK symbols, CJK Unified Ideographs U+4E00-U+9FFF, compatibility
   ideographs and full-width forms -- see ``UNICODE_RANGES``), keeps only
   the OpenType layout features used for horizontal text, drops the
   vertical-metrics tables and all hinting, and keeps every name record
   (copyright, licence, designer ...);
3. converts the cubic CFF outlines to quadratic TrueType outlines
   (``fontTools.pens.cu2quPen.Cu2QuPen`` into ``TTGlyphPen``), builds
   ``glyf``/``loca``, turns ``maxp`` into version 1.0, writes a ``post``
   table of format 3 (no glyph names), adds a ``gasp`` table for unhinted
   smooth rendering, removes ``CFF ``/``VORG`` and marks the file as
   TrueType (sfntVersion 0x00010000);
4. renames the family to "Noto Serif SC" (PostScript name
   ``NotoSerifSC-Regular`` / ``NotoSerifSC-Bold``) so that it cannot clash
   with an installed Noto Serif CJK, and saves the result.

The output is reproducible: the ``head`` timestamps are taken from the
source font, so running the script again gives byte-identical files.

Where the input comes from
--------------------------
The Debian/Ubuntu package ``fonts-noto-cjk`` (upstream:
https://github.com/googlefonts/noto-cjk), which installs

    /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
    /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc

Install it with ``apt-get install fonts-noto-cjk``.  The fonts are licensed
under the SIL Open Font License 1.1 (see resources/fonts/OFL.txt); the
converted files are a Modified Version under that licence.

How to run it
-------------
Requires Python 3.9+ and fontTools (tested with 4.68)::

    pip install fonttools
    python installer/tools/make_font.py            # writes resources/fonts/
    python installer/tools/make_font.py --help     # options (source dir,
                                                   # output dir, max error)

Converting one weight takes about 45 s; with ``--jobs 2`` (default)
both weights are converted in parallel.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SRC_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_OUT_DIR = REPO_ROOT / "resources" / "fonts"

SOURCE_FAMILY = "Noto Serif CJK SC"
TARGET_FAMILY = "Noto Serif SC"
# Used to rewrite the PostScript name and the unique ID (name IDs 3 and 6).
SOURCE_PS_FAMILY = "NotoSerifCJKsc"
TARGET_PS_FAMILY = "NotoSerifSC"

WEIGHTS = ("Regular", "Bold")

# Unicode blocks kept in the subset (inclusive ranges).
UNICODE_RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement (· × ÷ ° ± ¥ § ...)
    (0x0100, 0x017F),  # Latin Extended-A (pinyin ā ē ī ō ū ...)
    (0x01CD, 0x01DC),  # Latin Extended-B pinyin (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)
    (0x02C6, 0x02DD),  # Spacing modifier letters (ˇ ˉ ˊ ˋ ˙, in GB 2312)
    (0x0391, 0x03C9),  # Greek letters (α β γ μ Ω ..., in GB 2312)
    (0x0401, 0x0451),  # Cyrillic letters (in GB 2312)
    (0x2000, 0x206F),  # General Punctuation (— ‘ ’ “ ” … ‰ ※)
    (0x2070, 0x209F),  # Superscripts and Subscripts (CO₂, m³)
    (0x20A0, 0x20CF),  # Currency Symbols (€)
    (0x2100, 0x214F),  # Letterlike Symbols (℃ ℉ № ™)
    (0x2150, 0x218F),  # Number Forms (Ⅰ-Ⅻ ⅰ-ⅻ)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (≥ ≤ ≠ ± ∑ √ ∞ ...)
    (0x2300, 0x23FF),  # Miscellaneous Technical (⌒, in GB 2312)
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①-⑳ ⑴ ⒈)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes (■ □ ▲ △ ● ○ ◆ ◇)
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ ☆ ☐ ☑ ☒)
    (0x2700, 0x27BF),  # Dingbats (✓ ✔ ✗ ✘)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、 。 《 》 【 】)
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㈱ ㊣)
    (0x3300, 0x33FF),  # CJK Compatibility (㎡ ㎏ ㎞)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (， ： ； （ ） ...)
]
# Hiragana/Katakana, Hangul, Bopomofo and CJK Extension A/B are deliberately
# left out to keep the files small.

# Characters that must be present in the result; checked after conversion.
REQUIRED_CHARS = (
    "\u00b7\u00d7\u00f7\u2014\u2018\u2019\u201c\u201d\u2026\u2030"
    "\u2103\u2116\u2160\u216b\u2170\u2265\u2264\u2260\u00b1"
    "\u2460\u2473\u2474\u2488\u25a0\u25a1\u25b2\u25b3\u25cf\u25cb\u25c6\u25c7"
    "\u3001\u3002\u300a\u300b\u3010\u3011\uff08\uff09\uff0c\uff1a\uff1b\uff01\uff1f"
    "\u4e00\u4e50\u4ead\u53bf\u9f98\u9fa5"
)

# OpenType layout features kept: the ones a shaper (HarfBuzz in Qt) applies
# to horizontal text by default, plus the optional horizontal
# half-width/proportional punctuation spacing ('halt', 'palt').  'locl' is
# dropped on purpose: in this face it only maps to the Japanese, Korean and
# Traditional Chinese glyph variants, which would almost double the size.
LAYOUT_FEATURES = [
    "ccmp",
    "calt",
    "liga",
    "clig",
    "rlig",
    "kern",
    "mark",
    "mkmk",
    "halt",
    "palt",
]

# Vertical-writing tables are not needed for horizontal forms.
DROP_TABLES = ["vhea", "vmtx", "VORG"]

# gasp flags for an unhinted TrueType font: grey-scale + symmetric smoothing
# at every size, no grid-fitting.
GASP_DOGRAY = 0x0002
GASP_SYMMETRIC_SMOOTHING = 0x0008


def find_face_index(ttc_path: Path, family: str) -> int:
    """Return the index of the face in *ttc_path* whose family name is *family*."""
    collection = TTCollection(str(ttc_path), lazy=True)
    try:
        found = []
        for index, face in enumerate(collection.fonts):
            name_table = face["name"]
            # Typographic family (16) wins over the legacy family name (1).
            names = {name_table.getDebugName(16), name_table.getDebugName(1)}
            if family in names:
                return index
            found.append(name_table.getDebugName(1))
    finally:
        collection.close()
    raise SystemExit(f"{ttc_path}: no face named {family!r} (found: {found})")


def wanted_unicodes() -> list[int]:
    return [cp for first, last in UNICODE_RANGES for cp in range(first, last + 1)]


def subset_font(font: TTFont) -> None:
    """Subset *font* in place: characters, features, hinting, tables."""
    options = subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]  # keep copyright, licence, designer ...
    options.name_languages = ["*"]  # keep the zh-CN names too
    options.name_legacy = True
    options.hinting = False  # drop CFF hints (and any TT hinting)
    options.notdef_outline = True  # missing glyphs show up as a box
    options.glyph_names = False
    options.drop_tables = list(options.drop_tables) + DROP_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_unicodes())
    subsetter.subset(font)


def convert_outlines(font: TTFont, max_err: float) -> None:
    """Replace the CFF table of *font* by glyf/loca with quadratic curves."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    hmtx = font["hmtx"]

    glyphs = {}
    for glyph_name in glyph_order:
        tt_pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        pen = Cu2QuPen(tt_pen, max_err, reverse_direction=True)
        glyph_set[glyph_name].draw(pen)
        glyph = tt_pen.glyph(dropImpliedOnCurves=True)
        glyph.recalcBounds(None)  # no composites, so no glyf table needed
        glyphs[glyph_name] = glyph
        # TrueType convention: left side bearing == xMin of the outline.
        advance, _ = hmtx[glyph_name]
        hmtx[glyph_name] = (advance, glyph.xMin if glyph.numberOfContours else 0)

    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")

    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"

    head = font["head"]
    head.glyphDataFormat = 0
    # indexToLocFormat and the bounding box are recomputed when saving.

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    # maxPoints/maxContours/... are recomputed when saving; no instructions,
    # no composite glyphs.
    maxp.maxPoints = maxp.maxContours = 0
    maxp.maxCompositePoints = maxp.maxCompositeContours = 0
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0

    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    gasp = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: GASP_DOGRAY | GASP_SYMMETRIC_SMOOTHING}
    font["gasp"] = gasp


def rename_family(font: TTFont) -> None:
    """Rename "Noto Serif CJK SC" to "Noto Serif SC" in every name record."""
    name_table = font["name"]
    for record in name_table.names:
        if record.nameID not in (1, 3, 4, 5, 6, 16, 17, 18, 20, 21):
            continue
        text = record.toUnicode()
        new = text.replace(SOURCE_FAMILY, TARGET_FAMILY)
        new = new.replace(SOURCE_PS_FAMILY, TARGET_PS_FAMILY)
        if record.nameID == 5:
            new = text + "; TrueType outlines by jixiao make_font.py"
        if new != text:
            record.string = new


def check_font(path: Path) -> None:
    """Re-open the written file and check the essentials."""
    font = TTFont(str(path))
    problems = []
    if font.sfntVersion != "\x00\x01\x00\x00" or "glyf" not in font or "CFF " in font:
        problems.append("not a TrueType-outline font")
    cmap = font.getBestCmap()
    missing = [c for c in REQUIRED_CHARS if ord(c) not in cmap]
    if missing:
        problems.append("missing characters: " + " ".join(f"U+{ord(c):04X}" for c in missing))
    glyf = font["glyf"]
    empty = [
        c for c in REQUIRED_CHARS if ord(c) in cmap and glyf[cmap[ord(c)]].numberOfContours == 0
    ]
    if empty:
        problems.append("empty glyphs: " + " ".join(f"U+{ord(c):04X}" for c in empty))
    if font["name"].getDebugName(1) != TARGET_FAMILY:
        problems.append(f"family name is {font['name'].getDebugName(1)!r}")
    font.close()
    if problems:
        raise SystemExit(f"{path}: " + "; ".join(problems))


def build(weight: str, src_dir: Path, out_dir: Path, max_err: float) -> str:
    """Convert one weight; return a one-line summary."""
    started = time.monotonic()
    src = src_dir / f"NotoSerifCJK-{weight}.ttc"
    if not src.is_file():
        raise SystemExit(f"{src} not found - install the Debian package fonts-noto-cjk")
    index = find_face_index(src, SOURCE_FAMILY)

    # recalcTimestamp=False keeps head.modified from the source font, so the
    # output is reproducible.
    font = TTFont(str(src), fontNumber=index, recalcTimestamp=False)
    version = font["name"].getDebugName(5)
    subset_font(font)
    subset_done = time.monotonic()
    convert_outlines(font, max_err)
    rename_family(font)

    out = out_dir / f"{TARGET_PS_FAMILY}-{weight}.ttf"
    tmp = out.with_suffix(".ttf.tmp")
    font.save(str(tmp))
    font.close()
    tmp.replace(out)
    check_font(out)

    glyph_count = len(TTFont(str(out), lazy=True).getGlyphOrder())
    finished = time.monotonic()
    return (
        f"{out}: {out.stat().st_size / 1e6:.2f} MB, {glyph_count} glyphs, "
        f"from face #{index} of {src.name} ({version}); "
        f"subset {subset_done - started:.0f} s, "
        f"conversion+save {finished - subset_done:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Convert Noto Serif CJK SC (Debian fonts-noto-cjk) into "
        "subsetted TrueType fonts for jixiao."
    )
    parser.add_argument(
        "--src-dir",
        type=Path,
        default=DEFAULT_SRC_DIR,
        help="directory holding NotoSerifCJK-{Regular,Bold}.ttc (default: %(default)s)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="output directory (default: %(default)s)",
    )
    parser.add_argument(
        "--max-err",
        type=float,
        default=1.0,
        help="maximum cubic-to-quadratic approximation error in font units (default: %(default)s)",
    )
    parser.add_argument("--weights", nargs="+", choices=WEIGHTS, default=list(WEIGHTS))
    parser.add_argument(
        "--jobs", type=int, default=2, help="weights converted in parallel (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    jobs = [(w, args.src_dir, args.out_dir, args.max_err) for w in args.weights]
    if args.jobs > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(args.jobs, len(jobs))) as pool:
            summaries = list(pool.map(build, *zip(*jobs, strict=True)))
    else:
        summaries = [build(*job) for job in jobs]
    for line in summaries:
        print(line)
    print(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
