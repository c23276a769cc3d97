"""Adding, removing, duplicating and moving rows; removal undone with the same UUIDs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import BudgetProject, Declaration, Indicator, ItemTarget, KeyTask
from desktop.services import structure
from desktop.services.documents import export_json_text, load_declarations
from desktop.storage.document import open_document


def _declaration(document) -> Declaration:
    with document.session() as session:
        return load_declarations(session)[0]


def test_insert_indicator_rows_where_asked(sample_path: Path) -> None:
    """Rows go in at the index given; positions stay 0..n-1 in order."""
    document = open_document(sample_path)
    project = _declaration(document).budget_projects[0]
    first = structure.insert_row(
        document, row_type=Indicator, parent_uuid=project.uuid, index=0, values={"level3": "新指标"}
    ).inserted[0]
    last = structure.insert_row(
        document, row_type=Indicator, parent_uuid=project.uuid, index=99
    ).inserted[0]
    assert (first.index, last.index) == (0, 8)  # the index given, clamped to the end
    indicators = _declaration(document).budget_projects[0].indicators
    assert indicators[0].uuid == first.row_uuid and indicators[-1].uuid == last.row_uuid
    assert [i.position for i in indicators] == list(range(9))
    assert indicators[0].level3 == "新指标"
    document.close()


def test_new_budget_project_is_a_blank_table(sample_path: Path) -> None:
    """A new project has the four checkpoints and the template's rows."""
    document = open_document(sample_path)
    declaration = _declaration(document)
    uuid = (
        structure.insert_row(
            document, row_type=BudgetProject, parent_uuid=declaration.uuid, index=3
        )
        .inserted[0]
        .row_uuid
    )
    project = _declaration(document).budget_projects[3]
    assert project.uuid == uuid
    assert [c.label for c in project.disbursement_plan] == ["3月底", "6月底", "10月底", "12月底"]
    assert len(project.indicators) == 7
    document.close()


def test_remove_and_restore_project_with_everything(sample_path: Path) -> None:
    """Removing a project removes its rows and unlinks its item target; restoring puts
    every row back with the same UUIDs, and the link too: the JSON form is as before."""
    document = open_document(sample_path)
    before = export_json_text(document)
    project = _declaration(document).budget_projects[1]
    removal = structure.remove_row(document, row_type=BudgetProject, row_uuid=project.uuid)
    with document.session() as session:
        assert (
            session.scalars(
                select(Indicator).where(Indicator.budget_project_id == project.id)
            ).all()
            == []
        )
        assert session.scalars(
            select(ItemTarget).where(ItemTarget.budget_project_id.is_(None))
        ).all()
    assert len(removal.removed[0].linked) == 1  # the item target unlinked
    structure.apply_changes(document, removal.inverse())
    after = export_json_text(document)
    strip = lambda text: json.dumps(  # noqa: E731 - modification times of parents differ
        {k: v for k, v in json.loads(text)["declarations"][0].items() if k != "modified_at"},
        ensure_ascii=False,
    )
    assert strip(after) == strip(before)
    document.close()


def test_move_and_duplicate(sample_path: Path) -> None:
    """Moving stops at the ends; a duplicate follows its original with new UUIDs."""
    document = open_document(sample_path)
    tasks = _declaration(document).key_tasks
    moved = structure.move_row(document, row_type=KeyTask, row_uuid=tasks[0].uuid, offset=1)
    assert [(m.old_index, m.new_index) for m in moved.moved] == [(0, 1)]
    moved = structure.move_row(document, row_type=KeyTask, row_uuid=tasks[0].uuid, offset=10)
    assert [(m.old_index, m.new_index) for m in moved.moved] == [(1, 2)]
    assert not structure.move_row(document, row_type=KeyTask, row_uuid=tasks[0].uuid, offset=1)
    assert [t.title for t in _declaration(document).key_tasks] == [
        "接待活动管理",
        "公务用车管理平台建设",
        "招商综合服务",
    ]
    project = _declaration(document).budget_projects[0]
    copy = (
        structure.duplicate_row(document, row_type=BudgetProject, row_uuid=project.uuid)
        .inserted[0]
        .row_uuid
    )
    projects = _declaration(document).budget_projects
    assert projects[1].uuid == copy and projects[1].name == project.name
    assert {i.uuid for i in projects[1].indicators}.isdisjoint(
        {i.uuid for i in projects[0].indicators}
    )
    assert [i.target_value for i in projects[1].indicators] == [
        i.target_value for i in projects[0].indicators
    ]
    document.close()


def test_generate_item_targets_from_tables_and_undo(sample_path: Path) -> None:
    """从项目表生成 rewrites each linked item target from its table (same UUID), adds one
    for a project without any, and undo gives back § 二 exactly as it was."""
    document = open_document(sample_path)
    before = export_json_text(document)
    declaration = _declaration(document)
    structure.insert_row(document, row_type=BudgetProject, parent_uuid=declaration.uuid, index=3)
    with_new_project = export_json_text(document)
    generation = structure.generate_item_targets(document, declaration_uuid=declaration.uuid)
    items = _declaration(document).item_targets
    assert len(items) == 4
    reception = next(i for i in items if i.budget_project.name == "接待管理经费")
    assert reception.uuid == declaration.item_targets[0].uuid  # refreshed, not replaced
    assert (reception.title, str(reception.budget)) == ("接待管理经费", "184.00")
    assert [s.text for s in reception.statements][:2] == [
        "接待活动完成批次：年度指标值90批。",
        "接待工作按时按质完成率：年度指标值100%。",
    ]
    assert reception.statements[0].level2 == "数量指标"
    assert items[3].title == "" and items[3].statements == []  # the blank project
    structure.apply_changes(document, generation.inverse())
    assert export_json_text(document) == with_new_project
    assert before != with_new_project
    document.close()


def test_generated_statements_read_like_the_seed(sample_path: Path) -> None:
    """从项目表生成 writes § 二 lines as the seed's 分项目标 do: the indicator's wording, then
    年度指标值 with ≥ read as 不低于 for a number, a date or words stated as they are —
    never “年度指标值推动经济社会快速发展”; every line ends with 。."""
    document = open_document(sample_path)
    declaration = _declaration(document)
    structure.generate_item_targets(document, declaration_uuid=declaration.uuid)
    items = _declaration(document).item_targets
    reception = next(i for i in items if i.budget_project.name == "接待管理经费")
    assert [s.text for s in reception.statements] == [
        "接待活动完成批次：年度指标值90批。",
        "接待工作按时按质完成率：年度指标值100%。",
        "项目完成时限：2022年12月底。",
        "接待活动签约项目资金增长率：年度指标值不低于10%。",
        "项目实施达到的效果：推动经济社会快速发展。",
        "有效提供后勤保障：促进生态文明建设。",
        "接待对象满意度：年度指标值不低于95%。",
    ]
    texts = [s.text for item in items for s in item.statements]
    assert not [t for t in texts if "年度指标值推动" in t or "年度指标值促进" in t]
    document.close()


def test_indicator_statement_reads_signs_units_and_empty_names() -> None:
    """Signs typed either way read as words; the 三级指标 stands in for an empty
    description; an indicator without name or value gives no line."""
    cases = [
        (("公车数量", "", "≤ 325 辆"), "公车数量：年度指标值不高于325辆。"),
        (("", "服务对象满意度", "不低于９５％"), "服务对象满意度：年度指标值不低于95%。"),
        (("维护费率。", "", "=8%"), "维护费率：年度指标值8%。"),
        (("", "", "100%"), ""),
        (("完成率", "", ""), ""),
        # a 描述 pasted from a sheet cell with a line break (Alt+Enter): one sentence
        (
            ("扩大服务覆盖面\n覆盖全县各乡镇", "", "有所提高"),
            "扩大服务覆盖面覆盖全县各乡镇：有所提高。",
        ),
        (("受益 \r\n 人数", "", "≥ 500\n人"), "受益人数：年度指标值不低于500人。"),
        (("GPS\nterminal 在线率", "", "95%"), "GPS terminal 在线率：年度指标值95%。"),
        (("  ", "服务对象满意度", "95%"), "服务对象满意度：年度指标值95%。"),
    ]
    for (description, level3, value), expected in cases:
        indicator = Indicator(description=description, level3=level3, target_value=value)
        assert structure.indicator_statement(indicator) == expected


def test_roll_over_to_next_year(sample_path: Path, tmp_path: Path) -> None:
    """从上年复制: year + 1, dates moved on, amounts cleared or kept, new identities, links
    kept, no explanations or print records carried over."""
    from desktop.services.documents import roll_over

    document = open_document(sample_path)
    old = _declaration(document)
    cleared = roll_over(
        document, tmp_path / "2023.jxdb", declaration_uuid=old.uuid, keep_amounts=False
    )
    kept = roll_over(
        document, tmp_path / "2023b.jxdb", declaration_uuid=old.uuid, keep_amounts=True
    )
    document.close()
    new = _declaration(cleared)
    assert new.fiscal_year == 2023 and new.unit_name == "乐亭县机关事务中心"
    times = [i.target_value for i in new.budget_projects[0].indicators if i.level2 == "时效指标"]
    assert times == ["2023年12月底"]
    assert new.total_budget is None and new.budget_projects[1].budget_amount is None
    assert new.uuid != old.uuid
    assert {p.uuid for p in new.budget_projects}.isdisjoint({p.uuid for p in old.budget_projects})
    assert new.item_targets[0].budget_project.name == "接待管理经费"
    assert new.budget_projects[0].code == old.budget_projects[0].code  # codes are the clerk's
    assert str(_declaration(kept).budget_projects[1].budget_amount) == "184.00"
    cleared.close()
    kept.close()


def test_roll_over_copies_the_declaration_asked_for(two_units_path: Path, tmp_path: Path) -> None:
    """从上年复制 in a file of 汇总 copies the declaration named by its UUID, not the file's
    first; a UUID not in the file is refused in Chinese and writes nothing."""
    from desktop.services.documents import roll_over
    from desktop.services.editing import RowNotFoundError

    document = open_document(two_units_path)
    with document.session() as session:
        first, second = load_declarations(session)
    assert first.unit_code == "507002"  # the second one is what the old code never copied
    try:
        rolled = roll_over(
            document, tmp_path / "next.jxdb", declaration_uuid=second.uuid, keep_amounts=True
        )
        with pytest.raises(RowNotFoundError, match="不在此文件中"):
            roll_over(document, tmp_path / "none.jxdb", declaration_uuid="nope", keep_amounts=True)
    finally:
        document.close()
    new = _declaration(rolled)
    rolled.close()
    assert (new.unit_code, new.unit_name, new.fiscal_year) == ("507003", "乐亭县档案馆", 2023)
    assert not (tmp_path / "none.jxdb").exists()


def test_a_new_budget_project_is_laid_out_as_in_a_new_file() -> None:
    """新增 (a project added to a file) and 新建 (a new file's project) are the one blank
    project of the form: the four checkpoints and the template's indicator rows."""
    from desktop.services.documents import blank_declaration

    def shape(project: BudgetProject) -> tuple[list[str], list[tuple[str, str, str]]]:
        return (
            [checkpoint.label for checkpoint in project.disbursement_plan],
            [(i.level1, i.level2, i.level3) for i in project.indicators],
        )

    added = structure.new_row(BudgetProject)
    assert isinstance(added, BudgetProject)
    (in_new_file,) = blank_declaration(2026).budget_projects
    assert shape(added) == shape(in_new_file)
    assert shape(added)[0] == ["3月底", "6月底", "10月底", "12月底"]
    assert len(added.indicators) == 7 and added.indicators[0].level1 == "产出指标"
