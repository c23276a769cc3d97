"""Every service that changes a document returns Changes; their inverse puts the file back
and applying them again redoes the operation (the one generic undo step relies on it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.exchange.workbook_import import IndicatorList, read_workbook
from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTargetStatement,
    KeyTask,
)
from desktop.services import editing, excel, structure
from desktop.services.documents import export_json_text, load_declarations
from desktop.services.editing import Changes
from desktop.storage.document import Document, open_document
from tests.test_excel import _indicator_list_book


def _content(document: Document) -> Any:
    """The JSON export without modification times (an undo renews a parent's time)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "modified_at"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(export_json_text(document)))


def _declaration(document: Document) -> Declaration:
    with document.session() as session:
        return load_declarations(session)[0]


def _operations(tmp_path: Path) -> dict[str, Callable[[Document, Declaration], Changes]]:
    def found() -> IndicatorList:
        read = read_workbook(_indicator_list_book(tmp_path / "list.xlsx"))
        assert isinstance(read, IndicatorList)
        return read

    def first_project(d: Declaration) -> BudgetProject:
        return d.budget_projects[1]  # 接待管理经费, linked to the first item target

    return {
        "set_field": lambda doc, d: editing.set_field(
            doc, row_type=Declaration, row_uuid=d.uuid, field="total_budget", value="５００．５"
        ),
        "set_field of a checkpoint": lambda doc, d: editing.set_field(
            doc, row_type=DisbursementCheckpoint,
            row_uuid=d.budget_projects[0].disbursement_plan[1].uuid,
            field="cumulative_percent", value="45%",
        ),
        "link": lambda doc, d: editing.link_budget_project(
            doc, item_target_uuid=d.item_targets[0].uuid,
            budget_project_uuid=d.budget_projects[0].uuid,
        ),
        "unlink": lambda doc, d: editing.link_budget_project(
            doc, item_target_uuid=d.item_targets[0].uuid, budget_project_uuid=None
        ),
        "insert": lambda doc, d: structure.insert_row(
            doc, row_type=Indicator, parent_uuid=first_project(d).uuid, index=2,
            values={"level1": "产出指标", "level3": "接待人次"},
        ),
        "insert project": lambda doc, d: structure.insert_row(
            doc, row_type=BudgetProject, parent_uuid=d.uuid, index=1
        ),
        "remove project": lambda doc, d: structure.remove_row(
            doc, row_type=BudgetProject, row_uuid=first_project(d).uuid
        ),
        "remove statement": lambda doc, d: structure.remove_row(
            doc, row_type=ItemTargetStatement, row_uuid=d.item_targets[0].statements[1].uuid
        ),
        "move": lambda doc, d: structure.move_row(
            doc, row_type=KeyTask, row_uuid=d.key_tasks[0].uuid, offset=2
        ),
        "duplicate": lambda doc, d: structure.duplicate_row(
            doc, row_type=BudgetProject, row_uuid=first_project(d).uuid
        ),
        "paste": lambda doc, d: structure.paste_rows(
            doc, row_type=Indicator, parent_uuid=first_project(d).uuid,
            row_uuids=[i.uuid for i in first_project(d).indicators[-1:]],
            fields=["target_value", "basis"],
            values=[["≥96%", "上年满意度"], ["100%", "新行"], ["", "又一行"]],
            new_rows_at=len(first_project(d).indicators),
        ),
        "generate": lambda doc, d: structure.generate_item_targets(doc, declaration_uuid=d.uuid),
        "import into a project": lambda doc, d: excel.append_indicators(
            doc, budget_project_uuid=first_project(d).uuid, indicators=found()
        ),
        "import replacing": lambda doc, d: excel.append_indicators(
            doc, budget_project_uuid=first_project(d).uuid, indicators=found(), replace=True
        ),
    }  # fmt: skip


OPERATIONS = list(_operations(Path("/nonexistent")).keys())


@pytest.mark.parametrize("name", OPERATIONS)
def test_service_changes_invert_and_redo(name: str, sample_path: Path, tmp_path: Path) -> None:
    """The Changes a service returns say what it did; applying their inverse gives back the
    file's content, applying them again gives the content the service made."""
    document = open_document(sample_path)
    try:
        before = _content(document)
        changes = _operations(tmp_path)[name](document, _declaration(document))
        done = _content(document)
        assert changes and done != before
        assert structure.apply_changes(document, changes.inverse())
        assert _content(document) == before
        assert structure.apply_changes(document, changes)
        assert _content(document) == done
        assert structure.apply_changes(document, changes.inverse())  # undo after redo
        assert _content(document) == before
    finally:
        document.close()


def test_changes_describe_rows_with_parent_and_index(sample_path: Path) -> None:
    """An insertion names its parent and index, a removal its former place, a move both
    places, a field edit the old and new value."""
    document = open_document(sample_path)
    try:
        d = _declaration(document)
        project = d.budget_projects[1]
        inserted = structure.insert_row(
            document, row_type=Indicator, parent_uuid=project.uuid, index=3
        ).inserted
        assert [(c.row_type, c.parent_uuid, c.index) for c in inserted] == [
            (Indicator, project.uuid, 3)
        ]
        removed = structure.remove_row(
            document, row_type=Indicator, row_uuid=project.indicators[0].uuid
        ).removed
        assert [(c.parent_uuid, c.index, c.data["uuid"]) for c in removed] == [
            (project.uuid, 0, project.indicators[0].uuid)
        ]
        moved = structure.move_row(
            document, row_type=BudgetProject, row_uuid=project.uuid, offset=-1
        ).moved
        assert [(m.parent_uuid, m.old_index, m.new_index) for m in moved] == [(d.uuid, 1, 0)]
        edit = editing.set_field(
            document, row_type=BudgetProject, row_uuid=project.uuid, field="name", value="新名称"
        ).fields
        assert [(f.field, f.old, f.value) for f in edit] == [("name", project.name, "新名称")]
        unchanged = editing.set_field(
            document, row_type=BudgetProject, row_uuid=project.uuid, field="name", value="新名称"
        )
        assert not unchanged
    finally:
        document.close()


def test_import_into_a_project_reports_the_rows_it_placed(
    sample_path: Path, tmp_path: Path
) -> None:
    """导入Excel into a project: each imported row is an insertion where it went (after the
    rows of its 一级指标); a replacement first removes every row the project had."""
    found = read_workbook(_indicator_list_book(tmp_path / "list.xlsx"))
    assert isinstance(found, IndicatorList)
    document = open_document(sample_path)
    try:
        project = _declaration(document).budget_projects[1]
        changes = excel.append_indicators(
            document, budget_project_uuid=project.uuid, indicators=found
        )
        rows = [i.uuid for i in _declaration(document).budget_projects[1].indicators]
        assert len(changes.inserted) == len(found.indicators) and not changes.removed
        shown = [i.uuid for i in project.indicators]  # a view applying them row by row
        for change in changes.inserted:
            shown.insert(change.index, change.row_uuid)
        assert shown == rows
        replaced = excel.append_indicators(
            document, budget_project_uuid=project.uuid, indicators=found, replace=True
        )
        assert len(replaced.removed) == len(rows)
        assert {c.index for c in replaced.removed} == {0}
    finally:
        document.close()
