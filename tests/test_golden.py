"""Golden files for printed pages, the rst2pdf way.

Four printouts: the sample (``sample``), a Part 1 whose paragraphs mix Chinese with
Latin words, codes and numbers (``justified``: the 两端对齐 lines), and the sample filled
with stage data (``tests/stage_sample.py``) printed as its 绩效运行监控表 (``monitoring``,
A4 landscape) and its 绩效自评表 (``evaluation``), each with the 目标调整 record. Each is printed in
ReportLab's invariant mode with a fixed print time. Its text blocks are compared, in
order, with positions within a small tolerance; each page is rendered to PNG (poppler's
pdftoppm) and compared with the committed image within a tolerance. A missing golden
fails. Renew with ``pytest --update-golden`` after checking the new pages by eye.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from desktop.models.stages import EVALUATE, MONITOR
from desktop.reports.pdf import PrintOptions, Stamp, write_pdf
from desktop.services import backups
from desktop.services.documents import write_sample
from desktop.services.printing import print_document
from tests.stage_sample import staged_file
from tests.test_pdf import mixed_part1

GOLDEN = Path(__file__).parent / "golden"
PRINTED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
POSITION_TOLERANCE = 2.0  # points
PIXEL_TOLERANCE = 0.004  # share of pixels that may differ noticeably (anti-aliasing)
DPI = 50
#: The stage printouts and their forms.
STAGE_PRINTOUTS = {"monitoring": MONITOR, "evaluation": EVALUATE}


def text_blocks(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, each drawn text run with the position ReportLab put it at (points)."""
    pages = []
    for page in PdfReader(pdf).pages:
        blocks: list[tuple[str, float, float]] = []

        def visit(text: str, cm: list, tm: list, font: object, size: object, into=blocks) -> None:
            if text.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                into.append((text.strip(), round(x, 1), round(y, 1)))

        page.extract_text(visitor_text=visit)
        pages.append(blocks)
    return pages


def render(pdf: Path, folder: Path) -> list[Path]:
    """Each page as a grey PNG at 50 dpi."""
    subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", str(DPI), str(pdf), str(folder / "page")], check=True
    )
    return sorted(folder.glob("page-*.png"))


@pytest.fixture(scope="module", params=["sample", "justified", "monitoring", "evaluation"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The printout named by the parameter (also the prefix of its golden files)."""
    folder = tmp_path_factory.mktemp("golden")
    out = folder / f"{request.param}.pdf"
    if request.param == "sample":
        document = write_sample(folder / "sample.jxdb")
        print_document(document, out, invariant=True, printed_at=PRINTED_AT, record=False)
        document.close()
    elif request.param in STAGE_PRINTOUTS:
        stage = STAGE_PRINTOUTS[request.param]
        document = backups.open_file(staged_file(folder, stage))
        options = PrintOptions(form=stage)
        print_document(
            document, out, options=options, invariant=True, printed_at=PRINTED_AT, record=False
        )
        document.close()
    else:
        stamp = Stamp(fingerprint="00A2-4E21", printed_at=PRINTED_AT)
        options = PrintOptions(part2=False)
        write_pdf([mixed_part1()], out, options=options, stamps=[stamp], invariant=True)
    return out


def test_golden_text_blocks_in_order_and_place(printed: Path, update_golden: bool) -> None:
    """Every text run is where it was, in the same order (within 2 points)."""
    golden = GOLDEN / f"{printed.stem}_text_blocks.json"
    pages = text_blocks(printed)
    if update_golden:
        golden.write_text(json.dumps(pages, ensure_ascii=False, indent=0) + "\n", "utf-8")
    assert golden.exists(), "golden missing: run pytest --update-golden and check the pages"
    expected = json.loads(golden.read_text("utf-8"))
    assert len(pages) == len(expected)
    for number, (got, want) in enumerate(zip(pages, expected, strict=True), start=1):
        assert [text for text, _, _ in got] == [text for text, _, _ in want], f"page {number}"
        for (text, x, y), (_, gx, gy) in zip(got, want, strict=True):
            assert abs(x - gx) <= POSITION_TOLERANCE and abs(y - gy) <= POSITION_TOLERANCE, (
                f"page {number}: {text!r} moved from ({gx}, {gy}) to ({x}, {y})"
            )


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) missing")
def test_golden_pages_look_the_same(printed: Path, tmp_path: Path, update_golden: bool) -> None:
    """Each rendered page matches the committed image (a few anti-aliased pixels aside)."""
    pages = render(printed, tmp_path)
    if update_golden:
        for old in GOLDEN.glob(f"{printed.stem}-page-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            shutil.copyfile(page, GOLDEN / f"{printed.stem}-page-{number}.png")
    expected = sorted(GOLDEN.glob(f"{printed.stem}-page-*.png"))
    assert expected, "golden missing: run pytest --update-golden and check the pages"
    assert len(pages) == len(expected)
    for page, golden in zip(pages, expected, strict=True):
        got, want = Image.open(page).convert("L"), Image.open(golden).convert("L")
        assert got.size == want.size, golden.name
        difference = ImageChops.difference(got, want).point(lambda v: 255 if v > 64 else 0)
        changed = difference.histogram()[255] / (got.size[0] * got.size[1])
        assert changed <= PIXEL_TOLERANCE, f"{golden.name}: {changed:.2%} of pixels differ"
