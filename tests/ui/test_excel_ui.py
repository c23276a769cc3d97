"""文件 → 导出Excel / 导入Excel in the main window: preview first, one undo step, errors shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.services.documents import load_declarations
from desktop.storage import interchange
from desktop.storage.document import open_document
from desktop.storage.reasons import ReadOnlyCause, ReadOnlyReason
from desktop.ui.excel_dialogs import ImportPreviewDialog
from desktop.ui.wording import read_only_words
from tests.conftest import file_fingerprint
from tests.test_excel import _indicator_list_book, _ole
from tests.ui.fakes import FakePrompter
from tests.ui.test_main_window import _window


def _indicator_counts(path: Path) -> list[int]:
    document = open_document(path)
    try:
        with document.session() as session:
            return [len(p.indicators) for p in load_declarations(session)[0].budget_projects]
    finally:
        document.close()


def _accept_preview(monkeypatch: pytest.MonkeyPatch, project_index: int, seen: list[str]) -> None:
    def exec_(dialog: ImportPreviewDialog) -> int:
        seen.append(dialog.findChild(QPlainTextEdit).toPlainText())
        dialog.project_box.setCurrentIndex(project_index)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", exec_)


def test_export_xlsx_from_the_window(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, prompter: FakePrompter
) -> None:
    window = _window(qtbot, sample_path)
    assert window.exchange.export_xlsx(tmp_path / "out.xlsx")
    assert "已导出 Excel（4 张工作表）" in window.statusBar().currentMessage()
    assert not window.exchange.export_xlsx(tmp_path / "no-such-folder" / "out.xlsx")
    assert "不存在" in prompter.said("error")[0]
    window.close()
    from desktop.exchange.workbook_import import read_workbook

    back = read_workbook(tmp_path / "out.xlsx")
    assert interchange.fingerprint(back.declaration) == file_fingerprint(sample_path)  # type: ignore[union-attr]


def test_import_indicator_list_is_one_undo_step(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An indicator list goes into project 2, each row with its 一级指标; one undo step."""
    before = _indicator_counts(sample_path)
    window = _window(qtbot, sample_path)
    seen: list[str] = []
    _accept_preview(monkeypatch, 1, seen)
    assert window.exchange.import_xlsx(_indicator_list_book(tmp_path / "list.xlsx"))
    assert "将导入 5 条指标" in seen[0] and "跳过 2 行" in seen[0]
    assert window.undo_action.text() == "撤销 导入Excel指标 5 条"
    window.flush()
    assert _indicator_counts(sample_path) == [before[0], before[1] + 5, before[2]]
    level1s = [i.level1 for i in window.session.load_declaration().budget_projects[1].indicators]
    runs = [name for n, name in enumerate(level1s) if n == 0 or level1s[n - 1] != name]
    assert runs == ["产出指标", "效益指标", "满意度指标"]  # joined their groups, as on the form
    window.undo_action.trigger()
    window.flush()
    assert _indicator_counts(sample_path) == before
    window.close()


def test_cancelled_preview_writes_nothing(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_fingerprint(sample_path)
    window = _window(qtbot, sample_path)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not window.exchange.import_xlsx(_indicator_list_book(tmp_path / "list.xlsx"))
    window.close()
    assert file_fingerprint(sample_path) == before


def test_bad_workbook_is_refused_with_a_message(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, prompter: FakePrompter
) -> None:
    before = file_fingerprint(sample_path)
    window = _window(qtbot, sample_path)
    assert not window.exchange.import_xlsx(_ole(tmp_path / "old.xls", encrypted=True))
    assert "设有打开密码" in prompter.said("error")[0]
    window.close()
    assert file_fingerprint(sample_path) == before


def test_import_own_export_makes_a_new_file(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, sample_path)
    assert window.exchange.export_xlsx(tmp_path / "out.xlsx")
    seen: list[str] = []
    _accept_preview(monkeypatch, 0, seen)
    new = tmp_path / "from-excel.jxdb"
    window.prompter.script(new)
    assert window.exchange.import_xlsx(tmp_path / "out.xlsx")
    assert "本程序导出的工作簿" in seen[0]
    assert window.session is not None and window.session.document.path == new.resolve()
    window.close()
    assert file_fingerprint(new) == file_fingerprint(sample_path)


def test_indicator_list_into_a_read_only_file_is_refused_before_the_preview(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_fingerprint(sample_path)
    window = _window(qtbot, sample_path)
    assert window.session is not None
    assert window.merge_action.isEnabled()
    medium = ReadOnlyReason(ReadOnlyCause.LOCATION)
    monkeypatch.setattr(window.session.document, "read_only", medium)
    window.show_edit_state()
    assert not window.merge_action.isEnabled()  # 合并 writes into the open file
    shown: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda self: shown.append("preview"))
    with qtbot.waitSignal(window.session.failed) as failed:
        assert not window.exchange.import_xlsx(_indicator_list_book(tmp_path / "list.xlsx"))
    assert failed.args == [read_only_words(window.session.document.path, medium)]
    assert shown == []
    monkeypatch.undo()
    window.close()
    assert file_fingerprint(sample_path) == before


def test_file_with_several_units_shows_the_chosen_one(
    qtbot: QtBot, tmp_path: Path, two_units_path: Path
) -> None:
    """单位 chooser: the tabs, the review and the Excel export follow the chosen unit."""
    from PySide6.QtWidgets import QLineEdit

    from desktop.exchange.workbook_import import read_workbook
    from desktop.models import Declaration

    window = _window(qtbot, two_units_path)
    assert window.declaration_bar.isVisibleTo(window)
    assert [window.declaration_box.itemText(i) for i in range(2)] == [
        "507002 乐亭县机关事务中心 2022年度",
        "507003 乐亭县档案馆 2022年度",
    ]
    window.review.recheck()
    first_fingerprint = window.review.fingerprint
    assert first_fingerprint
    window.declaration_box.setCurrentIndex(1)
    window.declaration_box.activated.emit(1)
    assert window.findChild(QLineEdit, "unit_name").text() == "乐亭县档案馆"
    assert window.session is not None
    window.session.set_field(Declaration, window.session.declaration_uuid, "unit_name", "档案馆")
    assert window.declaration_box.itemText(1) == "507003 档案馆 2022年度"
    assert window.review.fingerprint != first_fingerprint
    assert all("乐亭县机关事务中心" not in f.location.place for f in window.review.findings)
    assert window.exchange.export_xlsx(tmp_path / "second.xlsx")
    window.close()
    back = read_workbook(tmp_path / "second.xlsx")
    assert back.declaration.unit_name == "档案馆"  # type: ignore[union-attr]


def test_single_unit_file_has_no_chooser(qtbot: QtBot, sample_path: Path) -> None:
    window = _window(qtbot, sample_path)
    assert not window.declaration_bar.isVisibleTo(window)
    window.close()


def test_indicator_list_replaces_the_template_rows_of_a_new_project(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new project's blank template rows are replaced (preset), in one undo step."""
    from desktop.models import BudgetProject

    window = _window(qtbot, sample_path)
    assert window.session is not None
    declaration = window.session.load_declaration()
    window.session.rows.insert_row(BudgetProject, declaration.uuid, 3)
    template = [
        (i.level1, i.level2)
        for i in window.session.load_declaration().budget_projects[3].indicators
    ]
    assert template and all(level1 for level1, _ in template)
    presets: list[bool] = []

    def exec_(dialog: ImportPreviewDialog) -> int:
        dialog.project_box.setCurrentIndex(0)
        presets.append(dialog.replace_box.isChecked())
        dialog.project_box.setCurrentIndex(3)
        presets.append(dialog.replace_box.isChecked())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportPreviewDialog, "exec", exec_)
    assert window.exchange.import_xlsx(_indicator_list_book(tmp_path / "list.xlsx"))
    assert presets == [False, True]
    window.flush()
    assert window.undo_action.text() == "撤销 导入Excel指标 5 条（替换原有指标）"
    levels = [i.level3 for i in window.session.load_declaration().budget_projects[3].indicators]
    assert levels == ["接待批次", "完成率", "完成时间", "保障有力", "满意度"]
    window.undo_action.trigger()
    window.flush()
    again = window.session.load_declaration().budget_projects[3].indicators
    assert [(i.level1, i.level2) for i in again] == template
    window.close()


def test_preview_names_changed_values_and_refuses_a_doubtful_replace(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview lists each value written in another form than its cell shows; for a
    list with doubts about its header the replace box is off and cannot be ticked, so the
    rows are appended (one undo step) and the project's own rows stay."""
    import openpyxl

    from tests.test_excel import _published_list

    window = _window(qtbot, sample_path)
    seen: list[str] = []
    _accept_preview(monkeypatch, 0, seen)
    assert window.exchange.import_xlsx(_published_list(tmp_path / "published.xlsx"))
    assert "指标性质“≥”、指标值“90”、度量单位“%” → ≥90%" in seen[0]
    assert "未导入的列：序号、备注" in seen[0]
    window.undo_action.trigger()

    book = openpyxl.Workbook()
    book.active.append(["指标名称", "指标值"])
    book.active.append(["产出指标", "325辆"])
    book.save(tmp_path / "odd.xlsx")
    states: list[tuple[bool, bool]] = []

    def exec_(dialog: ImportPreviewDialog) -> int:
        states.append((dialog.replace_box.isEnabled(), dialog.replace_box.isChecked()))
        dialog.replace_box.setChecked(True)  # a click cannot do this: it is disabled
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ImportPreviewDialog, "exec", exec_)
    assert not window.exchange.import_xlsx(tmp_path / "odd.xlsx")
    assert states == [(False, False)]
    from desktop.services.excel import read_workbook

    content = read_workbook(tmp_path / "odd.xlsx")
    assert window.session is not None
    project = window.session.load_declaration().budget_projects[0].uuid
    assert not window.exchange.import_indicators(project, content, replace=True)  # type: ignore[arg-type]
    assert "未替换" in window.prompter.said("error")[0]
    assert _indicator_counts(sample_path)[0] == 7
    window.close()
