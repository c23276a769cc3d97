#!/usr/bin/env python3
"""Take the user guide's screenshots from the real program, so that they stay current.

``make screenshots`` runs this with offscreen Qt on the built-in sample and writes
``docs/user-guide/*.png``, which ``docs/user-guide.md`` shows, and ``docs/user-guide/
screens/``: the 项目绩效目标表 on 1366×768 and 1920×1080 screens at 100%, 125%, 150% and
200% scaling (or, given a folder as the argument, there: tests/ui/test_help.py does so, to
keep this script working). The user's own settings and files are not touched
(``JIXIAO_HOME`` points to a temporary folder).

"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, QThread
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from desktop import app
from desktop.reports.pdf import PrintOptions
from desktop.services import excel, merging, stages
from desktop.storage.document import Document
from desktop.storage.merge import Status
from desktop.ui.dialogs import NewDeclarationDialog
from desktop.ui.editors import BudgetProjectsEditor
from desktop.ui.excel_dialogs import ImportPreviewDialog
from desktop.ui.library import IndicatorLibraryDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.merging import MergeDialog
from desktop.ui.printing import PreviewDialog, PrintOptionsDialog
from desktop.ui.stage_dialogs import TargetAdjustmentDialog
from desktop.ui.table_models import RowsTableModel

sys.path.insert(0, str(Path(__file__).parent))
from screen_probe import screen_at

GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "user-guide"
SIZE = (1100, 760)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Run Qt's events until ``condition()`` holds; RuntimeError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        QApplication.processEvents()
        QThread.msleep(20)


def shoot(widget: QWidget, out: Path, name: str) -> None:
    """Save what ``widget`` shows as ``<out>/<name>.png``, framed in grey so that
    the picture stands apart from the guide's own text."""
    QApplication.processEvents()
    picture = widget.grab()
    painter = QPainter(picture)
    painter.setPen(QColor("#8a8f98"))
    painter.drawRect(picture.rect().adjusted(0, 0, -1, -1))
    painter.end()
    picture.save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def _has_drawn_page(preview: PreviewDialog) -> bool:
    """True once the preview shows page text (dark pixels), not only the grey background."""
    image = preview.view.viewport().grab().toImage()
    step = 7
    dark = sum(
        QColor(image.pixel(x, y)).lightness() < 100
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )
    return dark > 50


def main() -> int:
    """Write the screenshots into the folder given as argument (default: the guide's)."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else GUIDE_IMAGES
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-screenshots-") as home:
        os.environ["JIXIAO_HOME"] = home  # the sample copy, settings: never the user's
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / "config")  # nor QSettings' (Linux)
        return take(out, Path(home))


def take(out: Path, home: Path) -> int:
    """The tabs, the dialogs of the main job and the preview, as ``<out>/*.png``."""
    qapp = QApplication(sys.argv[:1])
    window = app.start(["--sample"])
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: bool(window.review.fingerprint), "the first review")
    for index, name in enumerate(("tab-overview", "tab-item-targets", "tab-projects")):
        window.tabs.setCurrentIndex(index)
        shoot(window, out, name)

    new = NewDeclarationDialog(window)
    new.unit_code.setText("507002")
    new.unit_name.setText("乐亭县机关事务中心")
    new.year.setValue(2023)  # not the default (next year), so the picture stays the same
    new.show()
    shoot(new, out, "dialog-new")
    new.close()

    assert window.session is not None
    options = PrintOptionsDialog(window.session.load_declaration(), PrintOptions(), window)
    options.show()
    shoot(options, out, "dialog-print-options")
    options.close()

    pdf = home / "preview.pdf"
    if window.printing.write_pdf(pdf, PrintOptions(), record=False) is None:
        return 1
    preview = PreviewDialog(pdf, window)
    preview.resize(*SIZE)
    preview.show()
    wait_until(lambda: _has_drawn_page(preview), "the preview to draw a page")
    shoot(preview, out, "preview")
    preview.close()

    listing = _indicator_list(home / "去年指标.xlsx")
    projects = excel.budget_project_choices(window.session.document)
    importing = ImportPreviewDialog(excel.read_workbook(listing), projects, window)
    importing.project_box.setCurrentIndex(1)
    importing.show()
    shoot(importing, out, "dialog-import-xlsx")
    importing.close()

    year = window.session.load_declaration().fiscal_year
    picker = IndicatorLibraryDialog(window, project_name="干部教育培训经费", fiscal_year=year)
    picker.search_box.setText("px")  # 拼音 initials: 培训…
    picker.table.selectRow(1)
    picker.resize(1000, 640)
    picker.show()
    shoot(picker, out, "dialog-library")
    picker.close()

    returned = _returned_copy(window.session.document, home / "科室交回.jxdb")
    items = merging.preview_merge(window.session.document, [returned]).items
    dialog = MergeDialog(items, window)
    changed_there = next(r for r, i in enumerate(items) if i.status is Status.CHANGED_THERE)
    dialog.table.setCurrentCell(changed_there, 0)
    dialog.show()
    shoot(dialog, out, "dialog-merge")
    dialog.close()
    take_stage(window, out)
    window.close()
    qapp.processEvents()
    take_screens(out, home)
    return 0


def take_stage(window: MainWindow, out: Path) -> None:
    """The 项目绩效目标表 at 自评 with a few values entered, and the 目标调整 dialog."""
    session = window.session
    assert session is not None
    uuid = session.declaration_uuid
    session.change("进入自评阶段", lambda document: stages.move_to_stage(
        document, declaration_uuid=uuid, stage="自评"
    ))  # fmt: skip
    window.tabs.setCurrentIndex(2)
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor)
    editor.list.setCurrentRow(1)  # 接待管理经费
    view = editor.indicator_view
    assert view is not None
    model = view.model()
    assert isinstance(model, RowsTableModel)
    fields = [name for name, _ in model.columns]
    for row, values in enumerate(
        (
            {"actual_value": "88批", "deviation_analysis": "受疫情影响接待减少2批"},
            {"actual_value": "100%"},
            {"actual_value": "2022年12月", "achievement_grade": "达成"},
        )
    ):
        for field, value in values.items():
            model.setData(model.index(row, fields.index(field)), value)
    view.setCurrentIndex(model.index(0, fields.index("actual_value")))
    shoot(window, out, "tab-projects-evaluate")
    choices = [("target_value", "指标值", "90批"), ("level3", "三级指标", "完成接待活动批次")]
    adjusting = TargetAdjustmentDialog(choices, "target_value", window, "自评")
    adjusting.new_value.setText("80批")
    adjusting.reason.setPlainText("上级接待任务减少，年初预算调减")
    adjusting.day.setDate(QDate(2022, 7, 15))
    adjusting.show()
    shoot(adjusting, out, "dialog-adjust")
    adjusting.close()


#: the common office screens (issue 22), each at these display scalings
OFFICE_SCREENS = ((1366, 768), (1920, 1080))
SCALES = (1.0, 1.25, 1.5, 2.0)


def take_screens(out: Path, home: Path) -> None:
    """The 项目绩效目标表 on each office screen at each scaling, as
    ``<out>/screens/tab-projects-<width>x<height>-<percent>.png``; 1366×768 at 150% also
    as the guide's ``tab-projects-150.png``. Display scaling is fixed when Qt starts: each
    is a process of its own, two at a time."""
    folder = out / "screens"
    folder.mkdir(exist_ok=True)
    jobs = [(w, h, scale) for w, h in OFFICE_SCREENS for scale in SCALES]

    def shot(job: tuple[int, int, float]) -> Path:
        width, height, scale = job
        png = folder / f"tab-projects-{width}x{height}-{round(scale * 100)}.png"
        settings = home / png.stem
        settings.mkdir()
        screen_at(width, height, scale, settings, png)
        return png

    with ThreadPoolExecutor(max_workers=2) as pool:
        for png in pool.map(shot, jobs):
            print(png)
    shutil.copyfile(folder / "tab-projects-1366x768-150.png", out / "tab-projects-150.png")
    print(out / "tab-projects-150.png")


def _returned_copy(document: Document, path: Path) -> Path:
    """A copy of the open file as a sub-office hands it back: one project's budget and use
    of funds changed there; here, another project's name was changed meanwhile."""
    from desktop.models import BudgetProject
    from desktop.services.documents import load_declarations
    from desktop.services.editing import set_field
    from desktop.storage.document import open_document, save_copy

    save_copy(document, path)
    with document.session() as session:
        projects = [p.uuid for p in load_declarations(session)[0].budget_projects]
    copy = open_document(path)
    for field, value in (
        ("budget_amount", "190.00"),
        ("use_of_funds", "主要用于接待上级部门来访。"),
    ):
        set_field(copy, row_type=BudgetProject, row_uuid=projects[1], field=field, value=value)
    copy.close()
    set_field(document, row_type=BudgetProject, row_uuid=projects[2], field="name",
              value="综合服务管理经费（含会议）")  # fmt: skip
    return path


def _indicator_list(path: Path) -> Path:
    """A clerk's list of last year's indicators, 一级指标 merged as printed tables have it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2021年接待管理经费绩效指标"])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "指标值设定依据"])
    for row in (
        ("产出指标", "数量指标", "接待批次", "９０批", "年初工作计划"),
        ("", "质量指标", "接待工作按时按质完成率", "100%", "年初工作计划"),
        ("", "时效指标", "完成时间", "2021年12月底", "年初工作计划"),
        ("效益指标", "社会效益指标", "保障机关正常运转", "有效保障", "年初工作计划"),
        ("满意度指标", "服务对象满意度指标", "接待对象满意度", "≥95%", "满意度调查"),
        ("小计", "", "", "", ""),
    ):
        sheet.append(list(row))
    sheet.merge_cells("A3:A5")
    book.save(path)
    return path


if __name__ == "__main__":
    sys.exit(main())
