"""合并 / 比较 / 汇总表 in the window: the clerk's choices reach the file, the report and
summary are shown, exports are written."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.models import BudgetProject, Indicator
from desktop.services import merging as merging_service
from desktop.services.documents import load_declarations
from desktop.services.editing import set_field
from desktop.services.structure import insert_row
from desktop.settings import Settings
from desktop.storage.document import open_document
from desktop.storage.merge import Choice, Status
from desktop.ui import merging
from desktop.ui.main_window import MainWindow
from tests.conftest import BAD_FILE_LINES, BAD_FILE_REASONS, file_digest, received_folder
from tests.ui.test_main_window import file_menu


@pytest.fixture
def two_copies(sample_path: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """The sample and a copy; the copy changed project 2, both changed project 3."""
    other = tmp_path / "乙科室.jxdb"
    shutil.copyfile(sample_path, other)
    mine, theirs = open_document(sample_path), open_document(other)
    with mine.session() as session:
        projects = [p.uuid for p in load_declarations(session)[0].budget_projects]
    edit = dict(row_type=BudgetProject, field="use_of_funds")
    set_field(theirs, row_uuid=projects[1], value="乙科室改的资金用途", **edit)
    set_field(mine, row_uuid=projects[2], value="本科室的说法", **edit)
    set_field(theirs, row_uuid=projects[2], value="乙科室的说法", **edit)
    mine.close()
    theirs.close()
    return sample_path, other, projects


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    assert window.files.open_path(path)
    return window


def test_merge_dialog_shows_statuses_and_differences(qtbot: QtBot, two_copies, tmp_path) -> None:
    """The dialog lists the differing units with their status and preselected choice, and
    shows the selected unit's fields side by side."""
    mine, other, _projects = two_copies
    document = open_document(mine)
    try:
        items = merging_service.preview_merge(document, [other]).items
    finally:
        document.close()
    dialog = merging.MergeDialog(items, None)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.findChild(QTableWidget, "merge_items")
    shown = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert [table.item(r, 3).text() for r in shown] == ["对方修改", "双方都改"]
    assert [dialog.choices[r].currentText() for r in shown] == ["采用对方", "采用对方"]
    table.setCurrentCell(shown[1], 0)
    differences = dialog.findChild(QTableWidget, "merge_differences")
    assert [differences.item(0, c).text() for c in range(4)] == [
        "项目“综合服务管理经费”",
        "资金用途",
        "本科室的说法",
        "乙科室的说法",
    ]
    dialog.choices[shown[1]].setCurrentIndex(1)  # 保留本方
    decisions = dialog.decisions()
    assert decisions[merging_service.decision_key(items[shown[1]])] is Choice.MINE
    dialog.only_different.setChecked(False)
    assert not any(table.isRowHidden(r) for r in range(table.rowCount()))
    dialog.grab().save(str(tmp_path / "merge-dialog.png"))


def test_merge_from_the_menu_writes_the_choices(qtbot, two_copies, monkeypatch) -> None:
    """合并其他单位文件: the clerk keeps mine for project 3; the window shows the merged
    file; the report names every decision."""
    mine, other, projects = two_copies
    window = _window(qtbot, mine)
    shown: list[str] = []

    def accept(dialog: merging.MergeDialog) -> int:
        row = next(i for i, item in enumerate(dialog.items) if item.unit_uuid == projects[2])
        assert dialog.items[row].status is Status.CHANGED_BOTH
        dialog.choices[row].setCurrentIndex(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(merging.MergeDialog, "exec", accept)
    monkeypatch.setattr(
        merging.ReportDialog, "exec", lambda d: shown.append(d.text.toPlainText()) or 0
    )
    session_before = window.session
    with window.session.document.session() as session:
        original = [p.use_of_funds for p in load_declarations(session)[0].budget_projects]
    assert window.merging.merge([other])
    assert window.session is session_before  # not reopened: the views follow the Changes
    document = window.session.document
    with document.session() as session:
        uses = [p.use_of_funds for p in load_declarations(session)[0].budget_projects]
    assert uses[1:] == ["乙科室改的资金用途", "本科室的说法"]
    assert "双方都改（1 处不同） → 保留本方" in shown[0]
    assert _shown_use_of_funds(window, 1) == "乙科室改的资金用途"
    stack = window.session.undo_stack
    assert stack.undoText().startswith("合并")
    stack.undo()  # one step, through the generic command
    with document.session() as session:
        undone = [p.use_of_funds for p in load_declarations(session)[0].budget_projects]
    assert undone == original != uses
    assert _shown_use_of_funds(window, 1) == undone[1]
    stack.redo()
    assert _shown_use_of_funds(window, 1) == "乙科室改的资金用途"


def _shown_use_of_funds(window, row: int) -> str:
    """The 资金用途 the 项目绩效目标表 tab shows for the project at ``row``."""
    from PySide6.QtWidgets import QListWidget, QPlainTextEdit

    window.tabs.setCurrentIndex(2)
    page = window.tabs.currentWidget()
    page.findChild(QListWidget, "budget_project_list").setCurrentRow(row)
    return page.findChild(QPlainTextEdit, "use_of_funds").toPlainText()


def test_refused_merge_says_why_and_keeps_the_file(qtbot, sample_path, tmp_path, monkeypatch):
    """A foreign file: a Chinese message, nothing merged."""
    window = _window(qtbot, sample_path)
    bad = tmp_path / "坏.jxdb"
    bad.write_bytes(b"\x00" * 100)
    assert not window.merging.merge([bad])
    messages = window.prompter.said("error")
    assert "“坏.jxdb”不是绩效目标文件" in messages[0] and "本文件未作任何改动" in messages[0]


def _bad_files(folder: Path) -> list[Path]:
    """A text file renamed .jxdb, a truncated .jxdb and an empty one, in ``folder``."""
    sources = received_folder(folder / "收到", folder / "乙科室.jxdb")
    return sources[1:]  # b.jxdb, the good copy, is left out: the fixture's file is used


def test_merge_dialog_lists_the_skipped_files(qtbot, two_copies, tmp_path, monkeypatch) -> None:
    """A good file among bad ones: the dialog names each bad file with its reason above the
    items, the good one is merged, and the report lists the skipped files first."""
    mine, other, _projects = two_copies
    bad = _bad_files(tmp_path)
    window = _window(qtbot, mine)
    seen: list[merging.MergeDialog] = []
    shown: list[tuple[str, str]] = []

    def accept(dialog: merging.MergeDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(merging.MergeDialog, "exec", accept)
    monkeypatch.setattr(
        merging.ReportDialog,
        "exec",
        lambda d: shown.append((d.windowTitle(), d.text.toPlainText())) or 0,
    )
    assert window.merging.merge([other, *bad])
    (dialog,) = seen
    heading = dialog.findChild(QLabel, "merge_skipped_heading")
    assert heading.text() == (
        "⚠ 以下 3 个文件无法读取，已跳过，其中的内容不会合并。"
        "请按说明处理（通常是请该单位重新发送文件），收到后再合并一次："
    )
    table = dialog.findChild(QTableWidget, "merge_skipped")
    assert [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(3)] == list(
        BAD_FILE_REASONS.items()
    )
    assert {item.source for item in dialog.items} == {"乙科室.jxdb"}
    title, report = shown[0]
    assert title == "合并完成（3 个文件无法读取，已跳过）"
    assert report.startswith("以下 3 个文件无法读取，已跳过")
    assert all(line in report for line in BAD_FILE_LINES)
    with window.session.document.session() as session:
        uses = [p.use_of_funds for p in load_declarations(session)[0].budget_projects]
    assert uses[1:] == ["乙科室改的资金用途", "乙科室的说法"]  # the good file was merged
    dialog.show()
    qtbot.waitExposed(dialog)
    band = dialog.findChild(QWidget, "merge_skipped_band")
    assert band.isVisible() and band.geometry().bottom() < dialog.summary.geometry().top()
    dialog.grab().save(str(tmp_path / "merge-dialog-skipped.png"))


def test_only_bad_files_give_one_message_and_write_nothing(
    qtbot, sample_path, tmp_path, monkeypatch
):
    """Every file unreadable: one message naming each with its reason, no merge dialog,
    the open file byte for byte unchanged."""
    shutil.copyfile(sample_path, tmp_path / "乙科室.jxdb")
    bad = _bad_files(tmp_path)
    window = _window(qtbot, sample_path)
    before = file_digest(sample_path)
    monkeypatch.setattr(merging.MergeDialog, "exec", lambda d: pytest.fail("no dialog expected"))
    assert not window.merging.merge(bad)
    messages = [(asked.title, asked.text) for asked in window.prompter.asked]
    assert messages == [
        (
            "无法合并",
            "\n".join(
                [
                    "选择的 3 个文件都无法合并，未合并任何内容：",
                    *BAD_FILE_LINES,
                    "本文件未作任何改动。",
                ]
            ),
        )
    ]
    assert file_digest(sample_path) == before


def test_compare_and_summary_dialogs(qtbot, two_copies, tmp_path, monkeypatch) -> None:
    """比较 lists the differing fields; 汇总表 shows the units and exports .xlsx and PDF."""
    mine, other, _ = two_copies
    window = _window(qtbot, mine)
    dialogs: list[QDialog] = []
    monkeypatch.setattr(merging.CompareDialog, "exec", lambda d: dialogs.append(d) or 0)
    monkeypatch.setattr(merging.SummaryDialog, "exec", lambda d: dialogs.append(d) or 0)
    window.merging.compare(other)
    compare = dialogs[0].findChild(QTableWidget, "compare_differences")
    assert compare.rowCount() == 2
    assert compare.item(1, 3).text() == "乙科室的说法"
    window.merging.summary()
    summary = dialogs[1]
    table = summary.findChild(QTableWidget, "summary_table")
    assert [table.item(0, c).text() for c in (2, 3, 4, 5)] == [
        "乐亭县机关事务中心",
        "2022",
        "492.87",
        "3",
    ]
    assert summary.export(tmp_path / "汇总.xlsx") and summary.export(tmp_path / "汇总.pdf")
    assert (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF")
    for number, dialog in enumerate(dialogs):
        dialog.show()
        dialog.grab().save(str(tmp_path / f"dialog-{number}.png"))


def test_summary_cancelled_shows_nothing(qtbot, sample_path, monkeypatch) -> None:
    """汇总表 runs under a progress bar with 取消, one step per unit; cancelled, no table
    is shown (and so nothing can be exported)."""
    window = _window(qtbot, sample_path)
    shown: list[QDialog] = []
    monkeypatch.setattr(merging.SummaryDialog, "exec", lambda d: shown.append(d) or 0)
    calls: list[int] = []

    def cancelled(parent, label, function, *, steps=0):
        calls.append(steps)
        return function(lambda done, total: False)

    from desktop.ui.controllers import merging as controller

    monkeypatch.setattr(controller, "run_with_progress", cancelled)
    window.merging.summary()
    assert calls == [1] and shown == []


def test_summary_export_refuses_a_control_character(qtbot, sample_path, tmp_path, monkeypatch):
    """汇总表 → 导出Excel/PDF with a unit name holding U+0007: a message, no file, no crash
    (openpyxl alone raises IllegalCharacterError on such text)."""
    from desktop.reports.summary import SummaryRow

    window = _window(qtbot, sample_path)
    monkeypatch.setattr(merging.SummaryDialog, "exec", lambda d: 0)
    dialog = merging.SummaryDialog(
        [SummaryRow("507002", "乐亭县\x07机关", 2022, None, 1, 0, 0, "ab", datetime(2022, 1, 1))],
        "汇总",
        window,
    )
    for suffix in (".xlsx", ".pdf"):
        assert not dialog.export(tmp_path / f"汇总{suffix}")
        assert not (tmp_path / f"汇总{suffix}").exists()
    shown = window.prompter.said("error")
    assert len(shown) == 2 and all("控制字符 U+0007" in text for text in shown)


def test_file_menu_has_merge_compare_and_summary(qtbot, sample_path, monkeypatch) -> None:
    """文件 holds 合并其他单位文件…, 比较…, 汇总表…; 汇总表 opens the summary dialog."""
    window = _window(qtbot, sample_path)
    actions = {a.text(): a for a in file_menu(window).actions()}
    assert {"合并其他单位文件(&M)…", "比较(&C)…", "汇总表(&T)…"} <= set(actions)
    opened: list[QDialog] = []
    monkeypatch.setattr(merging.SummaryDialog, "exec", lambda d: opened.append(d) or 0)
    actions["汇总表(&T)…"].trigger()
    assert len(opened) == 1 and opened[0].rows[0].unit_code == "507002"
    steps: list[str] = []  # each entry runs its own step (no file chosen here)
    for step in ("merge", "compare", "summary"):
        monkeypatch.setattr(window.merging, step, lambda step=step: steps.append(step))
    for text in ("合并其他单位文件(&M)…", "比较(&C)…", "汇总表(&T)…"):
        actions[text].trigger()
    assert steps == ["merge", "compare", "summary"]


def test_collect_many_files_from_the_menu(qtbot, sample_path, tmp_path, monkeypatch) -> None:
    """汇总 in the program: several unit files at once, each unit's declaration added."""
    from benchmarks.generate import write_synthetic

    sources = [write_synthetic(tmp_path / f"单位{n}.jxdb", 1, 2, unit=n) for n in range(3)]
    window = _window(qtbot, sample_path)
    seen: list[list[str]] = []

    def accept(dialog: merging.MergeDialog) -> int:
        seen.append([item.status.value for item in dialog.items])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(merging.MergeDialog, "exec", accept)
    monkeypatch.setattr(merging.ReportDialog, "exec", lambda d: 0)
    assert window.merging.merge(sources)
    assert seen == [["对方新增"] * 3]
    with window.session.document.session() as session:
        units = [d.unit_name for d in load_declarations(session)]
    assert sorted(units) == [
        "乐亭县机关事务中心",
        "乐亭县第0单位",
        "乐亭县第1单位",
        "乐亭县第2单位",
    ]
    box = window.declaration_box
    assert box.count() == 4 and window.declaration_bar.isVisibleTo(window)
    assert box.itemData(box.currentIndex()) == window.session.declaration_uuid
    window.session.undo_stack.undo()  # the three units go again, as one step
    with window.session.document.session() as session:
        assert [d.unit_name for d in load_declarations(session)] == ["乐亭县机关事务中心"]
    assert box.count() == 1 and not window.declaration_bar.isVisibleTo(window)
    window.session.undo_stack.redo()
    assert box.count() == 4


def test_compare_dialog_shows_an_added_row_as_one_line(qtbot, sample_path, tmp_path, monkeypatch):
    """比较 with a copy holding one more indicator: one line 整行, the row summed up."""
    other = tmp_path / "乙科室.jxdb"
    shutil.copyfile(sample_path, other)
    document = open_document(other)
    try:
        with document.session() as session:
            project = load_declarations(session)[0].budget_projects[1].uuid
        values = {"level3": "接待满意度", "target_value": "≥95%"}
        insert_row(document, row_type=Indicator, parent_uuid=project, index=1, values=values)
    finally:
        document.close()
    window = _window(qtbot, sample_path)
    dialogs: list[QDialog] = []
    monkeypatch.setattr(merging.CompareDialog, "exec", lambda d: dialogs.append(d) or 0)
    window.merging.compare(other)
    table = dialogs[0].findChild(QTableWidget, "compare_differences")
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(4)] == [
        "项目“接待管理经费”第2行指标",
        "整行",
        "（无此行）",
        "三级指标：接待满意度；指标值：≥95%",
    ]


def test_undo_merge_puts_the_file_back(qtbot, two_copies, monkeypatch) -> None:
    """撤销这次合并 on the report: after 是, the file holds again what it held before the
    merge (same content fingerprint), the window shows it, and the merged state is in the
    backups (reason undo); after 否 nothing changes."""
    from PySide6.QtWidgets import QPushButton

    from desktop.services import backups
    from desktop.storage.interchange import fingerprint

    mine, other, _projects = two_copies

    def content(path: Path) -> str:
        document = open_document(path, read_only=True)
        try:
            with document.session() as session:
                return fingerprint(load_declarations(session)[0])
        finally:
            document.close()

    before = content(mine)
    window = _window(qtbot, mine)
    window.prompter.script(False, True)  # 否, then 是
    monkeypatch.setattr(merging.MergeDialog, "exec", lambda d: QDialog.DialogCode.Accepted)

    def report(dialog: merging.ReportDialog) -> int:
        undo = dialog.findChild(QPushButton, "undo_merge")
        undo.click()  # 否: stays merged
        assert content(mine) != before
        undo.click()  # 是
        return 0

    monkeypatch.setattr(merging.ReportDialog, "exec", report)
    assert window.merging.merge([other])
    assert content(mine) == before
    assert window.session is not None and window.session.document.path == mine.resolve()
    assert "已撤销合并" in window.statusBar().currentMessage()
    reasons = [b.reason for b in backups.list_backups(mine)]
    assert "undo" in reasons and "merge" in reasons


def test_merge_dialog_flags_a_time_that_cannot_be_right(
    qtbot: QtBot, two_copies, tmp_path: Path
) -> None:
    """Their edit stamped 2099: the times are marked ⚠, the summary and the note say why,
    and 保留本方 is preselected instead of the future time winning."""
    import sqlite3

    mine, other, projects = two_copies
    raw = sqlite3.connect(other)
    raw.execute(
        "UPDATE budget_project SET modified_at = '2099-01-01 08:00:00.000000' WHERE uuid = ?",
        (projects[2],),
    )
    raw.commit()
    raw.close()
    document = open_document(mine)
    try:
        items = merging_service.preview_merge(document, [other]).items
    finally:
        document.close()
    dialog = merging.MergeDialog(items, None)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.findChild(QTableWidget, "merge_items")
    row = next(r for r, item in enumerate(items) if item.unit_uuid == projects[2])
    assert table.item(row, 5).text().startswith("⚠ 2099-01-01")
    assert "2099" in table.item(row, 5).toolTip()
    assert dialog.choices[row].currentText() == "保留本方"
    assert "1 项的修改时间不可信" in dialog.summary.text()
    table.setCurrentCell(row, 0)
    assert "未来" in dialog.note.text() and "未按修改时间" in dialog.note.text()
    dialog.grab().save(str(tmp_path / "merge-clock.png"))
