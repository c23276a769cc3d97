"""The real print path through CUPS (issue 22, item 2): a cups-pdf queue whose default
paper is Letter gets true A4 pages, as many as the program's own PDF, looking the same.

A private cupsd (its own configuration, spool and socket in a temporary folder) is
started; the program prints the sample through its own path (``set_a4`` and
``print_pdf``, what 打印 does after the dialog) in a fresh process whose ``CUPS_SERVER``
is that socket. Skipped where cupsd, cups-pdf or root are missing, unless
``JIXIAO_REQUIRE_CUPS=1`` (set by .ci/run), which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat
from pypdf import PdfReader

CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
ROOT = Path(__file__).resolve().parents[1]


def _missing() -> str:
    """Why the CUPS test cannot run here ("" when it can)."""
    if not shutil.which("cupsd", path="/usr/sbin:/usr/bin") or not shutil.which("lpadmin"):
        return (
            "cupsd 或 lpadmin 未安装（installer/system-deps.sh test 安装 cups-daemon cups-client）"
        )
    if not CUPS_PDF.exists() or not PPD.exists():
        return "cups-pdf 未安装"
    if os.geteuid() != 0:
        return "cupsd 与 cups-pdf 需要以 root 运行"
    if not shutil.which("pdftoppm"):
        return "pdftoppm 未安装（poppler-utils）"
    return ""


@pytest.fixture
def cups_queue() -> Iterator[tuple[str, str, Path]]:
    """(socket, queue name, spool folder) of a private cupsd with a cups-pdf queue, default
    paper Letter; the spool keeps each job's document (what the program sent)."""
    reason = _missing()
    if reason:
        if os.environ.get("JIXIAO_REQUIRE_CUPS") == "1":
            pytest.fail(f"JIXIAO_REQUIRE_CUPS=1 but: {reason}")
        pytest.skip(reason)
    # not under pytest's tmp_path: its folders are private, and the filters run as lp
    folder = Path(tempfile.mkdtemp(prefix="jixiao-cups-"))
    folder.chmod(0o755)
    for name in ("spool", "cache", "state", "log", "tmp"):
        (folder / name).mkdir(parents=True)
    (folder / "tmp").chmod(0o1777)  # the filters run as lp
    socket = folder / "cups.sock"
    (folder / "cups-files.conf").write_text(
        textwrap.dedent(f"""\
            ServerRoot {folder}
            RequestRoot {folder}/spool
            CacheDir {folder}/cache
            StateDir {folder}/state
            TempDir {folder}/tmp
            ErrorLog {folder}/log/error_log
            AccessLog {folder}/log/access_log
            PageLog {folder}/log/page_log
            ServerBin /usr/lib/cups
            DataDir /usr/share/cups
            Sandboxing Relaxed
            SystemGroup root
            FileDevice Yes
        """)
    )
    (folder / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel info\nBrowsing No\nWebInterface No\n"
        "DefaultAuthType None\nPreserveJobFiles Yes\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
    )
    daemon = subprocess.Popen(
        ["cupsd", "-f", "-c", str(folder / "cupsd.conf"), "-s", str(folder / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        environ = {**os.environ, "CUPS_SERVER": str(socket)}
        deadline = time.monotonic() + 20
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        queue = "jixiao-letter"
        subprocess.run(
            ["lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-P", str(PPD),
             "-o", "PageSize=Letter", "-o", "media-default=Letter"],
            env=environ, check=True, capture_output=True,
        )  # fmt: skip
        yield str(socket), queue, folder / "spool"
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)
        log = folder / "log" / "error_log"
        if log.exists():  # shown with a failure
            print(log.read_text(errors="replace")[-3000:])
        shutil.rmtree(folder, ignore_errors=True)


PRINT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
app = QApplication([])
from desktop.ui.printing import print_pdf, set_a4
info = QPrinterInfo.printerInfo(sys.argv[1])
assert not info.isNull(), "queue not found"
print("default", info.defaultPageSize().id().name)
printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
printer.setDocName(sys.argv[3])
assert set_a4(printer) is None
print("sent", print_pdf(Path(sys.argv[2]), printer))
"""


#: Bytes a sample page may take in the spool at 300 dpi (docs/benchmarks.md: measured about
#: 107 KB; anti-aliased grey images took 346 KB, colour ones 5.4 MB)
SPOOL_PER_PAGE = 150_000


def _pages(pdf: Path, folder: Path, name: str) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-gray", "-r", "75", str(pdf), str(folder / name)], check=True)
    return [Image.open(path) for path in sorted(folder.glob(f"{name}-*.pgm"))]


def _wait_until_written(pdf: Path, environ: dict[str, str], queue: str, deadline: float) -> None:
    """Wait until CUPS has no job left on ``queue`` and ``pdf`` stopped growing: cups-pdf
    creates the file when its Ghostscript starts writing it (read at once, a loaded
    machine gave a truncated PDF)."""
    sizes: list[int] = []
    while time.monotonic() < deadline:
        pending = subprocess.run(
            ["lpstat", "-o", queue], env=environ, capture_output=True, text=True, check=False
        ).stdout.strip()
        sizes.append(pdf.stat().st_size)
        if not pending and len(sizes) >= 2 and sizes[-1] == sizes[-2] and sizes[-1] > 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"cups-pdf did not finish {pdf.name} in time: {sizes[-3:]} bytes")


def test_cups_pdf_queue_with_letter_default_gets_true_a4_pages(
    cups_queue: tuple[str, str], sample_path: Path, tmp_path: Path
) -> None:
    """Printed through cups-pdf (default Letter): A4 pages, as many as ours, each looking
    like the same page of our PDF (rendered by pdftoppm) within a small tolerance; the
    job CUPS spools is small (``SPOOL_PER_PAGE``)."""
    from desktop.services import backups
    from desktop.services.printing import print_document

    socket, queue, spool = cups_queue
    ours = tmp_path / "ours.pdf"
    document = backups.open_file(sample_path)
    try:
        pages = print_document(document, ours, record=False)
    finally:
        document.close()
    title = f"jixiao-cups-{uuid.uuid4().hex[:8]}"
    environ = {**os.environ, "CUPS_SERVER": socket, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PRINT, queue, str(ours), title],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "default Letter" in done.stdout and f"sent {pages}" in done.stdout
    out_folder = Path.home() / "PDF"  # cups-pdf's Out ${HOME}/PDF, the job's user: root
    deadline = time.monotonic() + 90
    found: list[Path] = []
    while not found and time.monotonic() < deadline:
        found = sorted(out_folder.glob(f"{title}*.pdf"))
        time.sleep(0.5)
    assert found, f"cups-pdf wrote nothing into {out_folder}"
    _wait_until_written(found[0], environ, queue, deadline)
    printed = tmp_path / "printed.pdf"
    shutil.move(found[0], printed)
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    (sent,) = spool.glob("d*-001")  # the document the program handed to CUPS
    assert sent.stat().st_size / pages < SPOOL_PER_PAGE, sent.stat().st_size
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4, not Letter (612 × 792)
    for number, (got, want) in enumerate(
        zip(_pages(printed, tmp_path, "printed"), _pages(ours, tmp_path, "ours"), strict=True),
        start=1,
    ):
        assert abs(got.width - want.width) <= 1 and abs(got.height - want.height) <= 1, number
        common = (0, 0, min(got.width, want.width), min(got.height, want.height))
        got, want = got.crop(common), want.crop(common)
        # blurred (radius 2 at 75 dpi): rasterising noise goes, a shift or stretch stays —
        # measured on the sample's 5 pages: printed 0.9–2.5, moved 1.7 mm 5.6–10.3,
        # stretched to Letter as before (2.9% wider, 5.9% shorter) 7.2–13.3
        blur = ImageFilter.GaussianBlur(2)
        difference = ImageStat.Stat(
            ImageChops.difference(got.filter(blur), want.filter(blur))
        ).mean[0]
        assert difference < 4, f"page {number} differs: mean {difference:.1f} of 255"


DIALOG = """
import sys
from PySide6.QtWidgets import QApplication, QDialog
from PySide6.QtPrintSupport import QPrinter
app = QApplication([])
from desktop.ui import printing
def choose(dialog):
    printer = dialog.printer()
    print("offered", printer.printerName(), printer.duplex().name, printer.copyCount(),
          dialog.maxPage(), printer.pageLayout().pageSize().id().name)
    if sys.argv[1]:  # the clerk's choice
        printer.setPrinterName(sys.argv[1])
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
        printer.setCopyCount(3)
    return QDialog.DialogCode.Accepted
printing.QPrintDialog.exec = choose
printing.ask_printer(None, int(sys.argv[2]))
"""


def test_print_dialog_remembers_printer_duplex_and_copies(
    cups_queue: tuple[str, str, Path], tmp_path: Path
) -> None:
    """The printer, duplex setting and copies chosen in the print dialog are offered at the
    next print, in a later session too; the dialog knows the page count; A4 is set."""
    socket, _, _ = cups_queue
    environ = {
        **os.environ, "CUPS_SERVER": socket, "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }  # fmt: skip
    queue = "jixiao-duplex"  # a driver with two-sided printing (its unit installed)
    subprocess.run(
        ["lpadmin", "-p", queue, "-E", "-v", "file:/dev/null",
         "-P", "/usr/share/ppd/cupsfilters/pxlmono.ppd", "-o", "OptionDuplex=True"],
        env=environ, check=True, capture_output=True,
    )  # fmt: skip
    offered = []
    for choice, pages in ((queue, 5), ("", 7)):  # two sessions: choose, then look
        done = subprocess.run(
            [sys.executable, "-c", DIALOG, choice, str(pages)],
            env=environ, cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        offered.append(done.stdout.split("offered ", 1)[1].split()[:5])
    assert offered[0][2:] == ["1", "5", "A4"]
    assert offered[1] == [queue, "DuplexLongSide", "3", "7", "A4"]


def _cups_pdf_name(title: str) -> str:
    """The file name cups-pdf (Debian's configuration) gives a job titled ``title`` that
    reaches it as PostScript: the title as pdftops writes it (each byte of a non-ASCII
    character as an octal escape), every character but letters, digits, + - . as _,
    _ trimmed at both ends, at most 64 characters (its ``Truncate``)."""
    escaped = "".join(
        c if c.isascii() else "".join(f"\\{byte:03o}" for byte in c.encode()) for c in title
    )
    name = "".join(c if c.isascii() and (c.isalnum() or c in "+-.") else "_" for c in escaped)
    return name.strip("_")[:64] + ".pdf"


def test_each_print_job_is_titled_by_content_and_unit(
    cups_queue: tuple[str, str, Path], sample_path: Path, tmp_path: Path
) -> None:
    """Two different prints through cups-pdf give two files, each named by its own job's
    title (what is printed, unit, year: ``print_job_title``; a "/" in the unit's name
    replaced); before, every job was titled 绩效目标 and each output replaced the last."""
    from desktop.models import Declaration
    from desktop.reports.pdf import PrintOptions
    from desktop.services import backups
    from desktop.services.documents import load_declarations
    from desktop.services.editing import set_field
    from desktop.services.printing import print_document, print_job_title

    socket, queue, _ = cups_queue
    document = backups.open_file(sample_path)
    jobs = []
    try:
        with document.session() as session:
            declaration = load_declarations(session)[0]
            unit, project = declaration.uuid, declaration.budget_projects[1].uuid
        set_field(document, row_type=Declaration, row_uuid=unit, field="unit_name",
                  value="乐亭县/机关事务中心")  # fmt: skip
        for number, options in enumerate(
            (PrintOptions(part2=False), PrintOptions(part1=False, projects=(project,)))
        ):
            pdf = tmp_path / f"job{number}.pdf"
            pages = print_document(document, pdf, options=options, record=False)
            jobs.append((print_job_title(document, options), pdf, pages))
    finally:
        document.close()
    assert [title for title, _, _ in jobs] == [
        "部门整体绩效目标-乐亭县_机关事务中心-2022年",
        "接待管理经费-项目绩效目标表-乐亭县_机关事务中心-2022年",
    ]
    out_folder = Path.home() / "PDF"  # cups-pdf's Out ${HOME}/PDF, the job's user: root
    outputs = [out_folder / _cups_pdf_name(title) for title, _, _ in jobs]
    assert outputs[0] != outputs[1]
    for path in outputs:
        path.unlink(missing_ok=True)  # left by an earlier run
    environ = {**os.environ, "CUPS_SERVER": socket, "QT_QPA_PLATFORM": "offscreen"}
    try:
        for title, pdf, pages in jobs:
            done = subprocess.run(
                [sys.executable, "-c", PRINT, queue, str(pdf), title],
                env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            assert f"sent {pages}" in done.stdout
        deadline = time.monotonic() + 90
        while not all(path.exists() for path in outputs) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert all(path.exists() for path in outputs), sorted(out_folder.iterdir())
        for path, (_, _, pages) in zip(outputs, jobs, strict=True):
            _wait_until_written(path, environ, queue, deadline)
            assert len(PdfReader(path).pages) == pages, path.name
    finally:
        for path in outputs:
            path.unlink(missing_ok=True)


PROPERTIES = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton
app = QApplication([])
from desktop.ui import printing
from desktop.ui.fonts import install_chinese_translations
install_chinese_translations(app)
def look():
    shown = app.activeModalWidget()
    sizes = shown.findChild(QComboBox, "pageSizeCombo")
    print("paper", sizes.currentData().id().name)
    print("labels", "|".join(label.text() for label in shown.findChildren(QLabel)))
    shown.reject()
def choose():
    dialog = app.activeModalWidget()  # the print dialog, shown
    for opened in range(2):  # Qt builds 属性 when first opened, then shows it again
        QTimer.singleShot(0, look)
        next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("属性")).click()
    dialog.reject()
QTimer.singleShot(0, choose)
printing.ask_printer(None, 5)
"""


def test_print_dialog_properties_show_a4_in_chinese(
    cups_queue: tuple[str, str, Path], tmp_path: Path
) -> None:
    """The print dialog's 属性 of a queue whose default paper is Letter shows A4 (Qt's
    dialog showed the queue's default, "US Letter"), each time it opens; Qt's own labels
    there are in Chinese (what stays English — "General", "Output Resolution", the paper
    names — is the driver's PPD text)."""
    import re

    socket, queue, _ = cups_queue
    environ = {
        **os.environ, "CUPS_SERVER": socket, "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }  # fmt: skip
    subprocess.run(["lpadmin", "-d", queue], env=environ, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", PROPERTIES],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    papers = re.findall(r"^paper (\w+)$", done.stdout, re.MULTILINE)
    assert papers == ["A4", "A4"], done.stdout
    labels = re.findall(r"^labels (.*)$", done.stdout, re.MULTILINE)[0].split("|")
    assert "每张页数(&P)：" in labels, labels
    assert [t for t in labels if re.search(r"[A-Za-z]{3,}.*:$", t)] == [], labels


def test_monitoring_form_prints_on_landscape_a4(
    cups_queue: tuple[str, str, Path], tmp_path: Path
) -> None:
    """The 绩效运行监控表 (A4 landscape) goes through cups-pdf at its true size: each page
    on an A4 sheet turned a quarter (as a printer prints landscape on the paper it feeds),
    looking like ours turned, not shrunk onto a portrait page."""
    from desktop.reports.pdf import PrintOptions
    from desktop.services import backups
    from desktop.services.printing import print_document
    from tests.stage_sample import staged_file

    socket, queue, _ = cups_queue
    ours = tmp_path / "ours.pdf"
    document = backups.open_file(staged_file(tmp_path, "监控"))
    try:
        pages = print_document(document, ours, options=PrintOptions(form="监控"), record=False)
    finally:
        document.close()
    title = f"jixiao-landscape-{uuid.uuid4().hex[:8]}"
    environ = {**os.environ, "CUPS_SERVER": socket, "QT_QPA_PLATFORM": "offscreen"}
    script = PRINT.replace("set_a4(printer)", "set_a4(printer, landscape=True)")
    done = subprocess.run(
        [sys.executable, "-c", script, queue, str(ours), title],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"sent {pages}" in done.stdout
    out_folder = Path.home() / "PDF"
    deadline = time.monotonic() + 90
    found: list[Path] = []
    while not found and time.monotonic() < deadline:
        found = sorted(out_folder.glob(f"{title}*.pdf"))
        time.sleep(0.5)
    assert found, f"cups-pdf wrote nothing into {out_folder}"
    _wait_until_written(found[0], environ, queue, deadline)
    printed = tmp_path / "printed.pdf"
    shutil.move(found[0], printed)
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    for page in reader.pages:
        sheet = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert sheet in ((595, 842), (842, 595)), sheet  # A4, either way
    blur = ImageFilter.GaussianBlur(2)
    for number, (got, want) in enumerate(
        zip(_pages(printed, tmp_path, "printed"), _pages(ours, tmp_path, "ours"), strict=True),
        start=1,
    ):
        differences = []
        for turned in (got, got.rotate(90, expand=True), got.rotate(-90, expand=True)):
            if abs(turned.width - want.width) > 1 or abs(turned.height - want.height) > 1:
                continue
            common = (0, 0, min(turned.width, want.width), min(turned.height, want.height))
            a, b = turned.crop(common).filter(blur), want.crop(common).filter(blur)
            differences.append(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])
        assert differences and min(differences) < 4, f"page {number} differs: {differences}"
