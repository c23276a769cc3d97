"""从指标库选择… on the indicator grid: the picker, one undo step, the value hint and
指标解释, completion of 三级指标, saving a row to the personal library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QCompleter, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from desktop.library import personal
from desktop.library.model import builtin_library
from desktop.models import BudgetProject, DisbursementCheckpoint
from desktop.review import Severity, review
from desktop.services.documents import load_declarations
from desktop.ui.editors import BudgetProjectsEditor, CellTextEditor
from desktop.ui.library import VALUE_HINT_ROLE, IndicatorLibraryDialog
from desktop.ui.main_window import MainWindow
from tests.ui.test_main_window import _grid, _window

LEVEL3, VALUE = 2, 4  # columns of the indicator grid


def _new_project(qtbot: QtBot, window: MainWindow, name: str) -> BudgetProjectsEditor:
    """Add a budget project named ``name`` with its header filled in, and show it."""
    session = window.session
    assert session is not None
    declaration = session.load_declaration()
    count = len(declaration.budget_projects)
    window.tabs.setCurrentIndex(2)
    session.rows.insert_row(BudgetProject, declaration.uuid, count)
    qtbot.waitUntil(lambda: window.tabs.widget(2).list.count() == count + 1)
    project = session.load_declaration().budget_projects[-1]
    year = declaration.fiscal_year % 100
    for field, value in (
        ("code", f"130225{year}P9001"),
        ("name", name),
        ("budget_amount", "50"),
        ("fiscal_funds", "50"),
        ("other_funds", "0"),
        ("use_of_funds", "用于项目实施"),
        ("performance_target", "完成年度任务"),
    ):
        assert session.set_field(BudgetProject, project.uuid, field, value)
    for point, percent in zip(project.disbursement_plan, ("20", "50", "80", "100"), strict=True):
        assert session.set_field(DisbursementCheckpoint, point.uuid, "cumulative_percent", percent)
    window.tabs.setCurrentIndex(2)
    editor = window.tabs.widget(2)
    assert isinstance(editor, BudgetProjectsEditor)
    editor.list.setCurrentRow(editor.list.count() - 1)
    qtbot.waitUntil(lambda: editor.indicator_view is not None and editor.indicator_view.isVisible())
    return editor


def _choose(monkeypatch: pytest.MonkeyPatch, names: list[str], seen: dict[str, object]) -> None:
    """The picker, when opened, is checked and accepts the entries named ``names``."""

    def exec_(dialog: IndicatorLibraryDialog) -> int:
        seen["type"] = dialog.type_box.currentText()
        dialog.search_box.setText(str(seen["initials"]))  # by the 拼音 initials
        seen["found"] = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        seen["detail"] = dialog.detail.text()
        dialog.search_box.setText("")
        dialog.table.clearSelection()
        model = dialog.table.selectionModel()
        for row in range(dialog.table.rowCount()):
            if dialog.table.item(row, 0).text().removesuffix("（已用）") in names:
                flags = QItemSelectionModel.SelectionFlag.Select
                model.select(dialog.table.model().index(row, 0), flags | model.SelectionFlag.Rows)
        seen["chosen"] = [e.level3 for e in dialog.chosen()]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IndicatorLibraryDialog, "exec", exec_)


TRAINING = ["参训人数", "培训期数", "培训合格率", "培训按期完成率", "培训总成本",
            "参训人员业务能力", "参训人员满意度"]  # fmt: skip
EQUIPMENT = ["购置设备数量", "设备验收合格率", "设备采购完成时间", "设备购置总成本",
             "办公条件改善情况", "设备使用人员满意度"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kind", "names", "initials"),
    [
        ("干部教育培训经费", "培训", TRAINING, ("pxhgl", "培训合格率")),
        ("办公设备购置经费", "设备购置", EQUIPMENT, ("sbyshgl", "设备验收合格率")),
    ],
)
def test_build_a_new_project_grid_from_the_library_alone(
    qtbot: QtBot,
    sample_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    kind: str,
    names: list[str],
    initials: tuple[str, str],
) -> None:
    """A new 培训 (设备购置) project: Ctrl+L opens the picker on its type, 拼音 initials
    find, the chosen rows go in as ONE undo step with the value empty and the pattern as
    a hint; with the values typed, the review has no 错误 for the project."""
    window = _window(qtbot, sample_path)
    editor = _new_project(qtbot, window, name)
    view = editor.indicator_view
    assert view is not None
    seen: dict[str, object] = {"initials": initials[0]}
    _choose(monkeypatch, names, seen)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert seen["type"] == kind
    assert seen["found"][0] == initials[1]  # type: ignore[index]
    assert "指标解释：反映" in str(seen["detail"])
    assert sorted(seen["chosen"]) == sorted(names)  # type: ignore[arg-type]
    assert window.undo_action.text() == f"撤销 从指标库插入 {len(names)} 条指标"
    qtbot.waitUntil(lambda: _grid(window).currentIndex().column() == VALUE)
    view = _grid(window)  # rebuilt with the rows inserted
    model = view.model()
    year = window.session.load_declaration().fiscal_year  # type: ignore[union-attr]
    by_name = {e.level3: e for e in builtin_library().entries}
    rows = {model.index(r, LEVEL3).data(): r for r in range(model.rowCount())}
    assert set(names) <= set(rows)
    first = rows[seen["chosen"][0]]  # type: ignore[index]
    assert view.currentIndex().row() == first and view.currentIndex().column() == VALUE
    for level3 in names:
        cell = model.index(rows[level3], VALUE)
        assert cell.data() == ""
        assert cell.data(VALUE_HINT_ROLE) == by_name[level3].hint(year)
        assert "指标解释：反映" in cell.data(Qt.ItemDataRole.ToolTipRole)
        assert model.setData(cell, by_name[level3].value(year))
    assert "指标解释：反映" in model.index(first, VALUE).data(Qt.ItemDataRole.ToolTipRole)
    window.flush()
    with window.session.document.session() as session:  # type: ignore[union-attr]
        declaration = load_declarations(session)[0]
        project = declaration.budget_projects[-1]
        errors = [
            f.message
            for f in review(declaration)
            if f.severity is Severity.ERROR
            and f.location.row_uuid in {project.uuid, *(i.uuid for i in project.indicators)}
        ]
    assert errors == []
    for _ in names:  # the values typed, then the insertion: one step
        window.undo_action.trigger()
    window.undo_action.trigger()
    window.flush()
    left = [i.level3 for i in window.session.load_declaration().budget_projects[-1].indicators]  # type: ignore[union-attr]
    assert left == [""] * 7  # the blank template rows, as the project came
    window.close()


def test_picker_is_a_button_and_a_context_menu_entry(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grid's header has the button and its context menu the entry; a cancelled
    picker changes nothing."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    texts = [action.text() for action in view.actions()]
    assert "从指标库选择…" in texts and "保存到个人指标库" in texts
    opened: list[bool] = []
    monkeypatch.setattr(
        IndicatorLibraryDialog,
        "exec",
        lambda self: opened.append(True) or QDialog.DialogCode.Rejected,
    )
    button = window.tabs.widget(2).findChild(QPushButton, "pick_from_library")
    assert button is not None
    before = window.undo_action.text()
    button.click()
    assert opened == [True]
    assert window.undo_action.text() == before
    window.close()


def test_level3_cell_completes_from_the_library(qtbot: QtBot, sample_path: Path) -> None:
    """Typing in a 三级指标 cell offers the library's names that contain it; choosing one
    puts it in the cell."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    cell = view.model().index(0, LEVEL3)
    view.setCurrentIndex(cell)
    view.edit(cell)
    editor = view.focusWidget()
    assert isinstance(editor, CellTextEditor)
    editor.setPlainText("验收合格")
    completer = editor.findChild(QCompleter)
    assert completer is not None
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    offered = [
        completer.completionModel().index(r, 0).data()
        for r in range(completer.completionModel().rowCount())
    ]
    assert "设备验收合格率" in offered and "工程验收合格率" in offered
    completer.activated.emit("设备验收合格率")
    assert editor.toPlainText() == "设备验收合格率"
    window.close()


def test_save_a_row_to_the_personal_library_and_pick_it_first(
    qtbot: QtBot, sample_path: Path
) -> None:
    """保存到个人指标库 keeps the current row (its value as a pattern); the picker lists
    personal entries and the open file's indicators first."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    view.setCurrentIndex(view.model().index(0, LEVEL3))
    name = view.model().index(0, LEVEL3).data()
    save = next(a for a in view.actions() if a.text() == "保存到个人指标库")
    save.trigger()
    saved = personal.load_personal().entries
    assert [e.level3 for e in saved] == [name]
    assert "已保存到个人指标库" in window.statusBar().currentMessage()
    declaration = window.session.load_declaration()  # type: ignore[union-attr]
    used = [i.level3 for p in declaration.budget_projects for i in p.indicators]
    dialog = IndicatorLibraryDialog(window, used=used)
    assert dialog.table.item(0, 0).text() == f"{name}（已用）"
    assert dialog.table.item(0, 4).text() == "个人指标库"
    # the open file's indicators are remembered once the window has been painted
    qtbot.waitUntil(lambda: bool(personal.used_names()[: len(set(used))]))
    dialog.close()
    window.close()


def test_personal_library_entry_needs_standard_levels(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row whose levels are not the program's vocabulary is not saved; the clerk is told."""
    window = _window(qtbot, sample_path)
    view = _grid(window)
    session = window.session
    assert session is not None
    from desktop.models import Indicator

    uuid = view.model().row_uuid(0)
    assert session.set_field(Indicator, uuid, "level2", "自定义指标")
    view.setCurrentIndex(view.model().index(0, LEVEL3))
    next(a for a in view.actions() if a.text() == "保存到个人指标库").trigger()
    told = window.prompter.said("error")
    assert told and "不是标准的一级、二级指标" in told[0]
    assert personal.load_personal().entries == ()
    window.close()


def test_picker_imports_a_bureau_library_and_exports_the_personal_one(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """导入指标库文件… adds a bureau's entries (its bad entry named, the rest listed at
    once); a file that is not a library is refused with a message; 导出个人指标库… writes
    them and refuses to replace a file that is not a library."""
    import json

    from desktop.library.model import FORMAT, read_library

    window = _window(qtbot, sample_path)
    good = {"code": "CZJ-9", "level1": "产出指标", "level2": "数量指标", "level3": "培训班期数",
            "pattern": "≥{n}期", "example": "4", "project_types": ["培训"]}  # fmt: skip
    bureau = tmp_path / "财政局指标库.json"
    bureau.write_text(
        json.dumps(
            {
                "format": FORMAT,
                "version": 1,
                "entries": [good, {**good, "code": "X", "level1": "x"}],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    dialog = IndicatorLibraryDialog(window, project_name="干部培训经费")
    assert dialog.import_file(bureau)
    said = window.prompter.asked  # what the dialog told, in order
    assert "新增 1 条" in said[-1].text and "第 2 条" in said[-1].text
    dialog.search_box.setText("培训班期数")
    assert dialog.table.item(0, 0).text() == "培训班期数"
    assert dialog.table.item(0, 4).text() == "培训"
    workbook = tmp_path / "表.xlsx"
    workbook.write_bytes(b"PK\x03\x04")
    assert not dialog.import_file(workbook)
    assert "不是有效的指标库文件" in said[-1].text
    assert not dialog.export_file(workbook)
    assert "为免覆盖其中的数据" in said[-1].text and workbook.read_bytes() == b"PK\x03\x04"
    out = tmp_path / "导出.json"
    assert dialog.export_file(out)
    assert [e.code for e in read_library(out).entries] == ["CZJ-9"]
    dialog.close()
    window.close()


def test_picker_chooses_the_first_unused_entry_so_enter_adds_no_row_twice(
    qtbot: QtBot, sample_path: Path
) -> None:
    """The picker lists the used entries first, marked （已用）; the entry chosen when it
    opens (what Enter inserts) is the first unused one; with only used entries listed,
    none is chosen and 插入所选指标 is off, the first one's 指标解释 still shown."""
    window = _window(qtbot, sample_path)
    used = ["培训期数", "参训人数"]  # in library order
    dialog = IndicatorLibraryDialog(window, project_name="干部教育培训经费", used=used)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == [f"{n}（已用）" for n in used]
    chosen = dialog.chosen()
    assert len(chosen) == 1 and chosen[0].level3 not in used
    assert dialog.table.item(2, 0).text() == chosen[0].level3
    assert dialog.ok_button.isEnabled()
    dialog.close()
    every = [e.level3 for e in builtin_library().entries]
    dialog = IndicatorLibraryDialog(window, project_name="干部教育培训经费", used=every)
    assert dialog.table.rowCount() > 1 and dialog.chosen() == []
    assert not dialog.ok_button.isEnabled()
    first = dialog.table.item(0, 0).text().removesuffix("（已用）")
    assert dialog.detail.text().startswith(f"{first}（")
    dialog.close()
    window.close()


def test_a_damaged_personal_library_is_said_in_the_picker_and_kept_on_save(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picker says (with the file's place) that the personal library cannot be read
    and lists the built-in entries; 保存到个人指标库 keeps a copy of the damaged file and
    says so."""
    damaged = personal.personal_file()
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_text("{broken", "utf-8")
    window = _window(qtbot, sample_path)
    dialog = IndicatorLibraryDialog(window)
    assert not dialog.personal_problem.isHidden()
    assert str(damaged) in dialog.personal_problem.text()
    assert dialog.table.rowCount() > 100
    dialog.close()
    view = _grid(window)
    view.setCurrentIndex(view.model().index(0, LEVEL3))
    next(a for a in view.actions() if a.text() == "保存到个人指标库").trigger()
    told = window.prompter.said("error")
    assert told and "另存为" in told[0]
    [aside] = damaged.parent.glob("指标库.损坏-*.json")
    assert aside.read_text("utf-8") == "{broken"
    assert len(personal.load_personal().entries) == 1
    dialog = IndicatorLibraryDialog(window)
    assert dialog.personal_problem.isHidden()
    dialog.close()
    window.close()
