"""Moving a declaration through its stages and the 目标调整 (services/stages.py): forward
at once, back only while the stage left holds no data; from 监控 on the declared targets
and the indicator and project rows are frozen (services/freezing.py), a 目标调整 changes
one with its record, and each is one Changes undone by its inverse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop.models import BudgetProject, Indicator, TargetAdjustment
from desktop.services import documents, editing, stages, structure
from desktop.services.errors import FrozenTargetError, StageMoveError
from desktop.storage import document as storage
from desktop.storage.document import Document


@pytest.fixture
def document(sample_path: Path) -> Iterator[Document]:
    opened = storage.open_document(sample_path)
    yield opened
    opened.close()


def _declaration(document: Document):
    with document.session() as session:
        return documents.load_declaration(session)


def _move(document: Document, stage: str):
    uuid = _declaration(document).uuid
    return stages.move_to_stage(document, declaration_uuid=uuid, stage=stage)


def test_move_forward_and_back_while_empty(document: Document) -> None:
    """申报 → 监控 → 自评 and back again while nothing was entered; undo of a move is its
    inverse; the month set at 监控 is emptied on the way back to 申报."""
    changes = _move(document, "监控")
    assert [(c.field, c.old, c.value) for c in changes.fields] == [("stage", "申报", "监控")]
    uuid = _declaration(document).uuid
    editing.set_field(
        document, row_type=type(_declaration(document)), row_uuid=uuid,
        field="monitoring_month", value="6",
    )  # fmt: skip
    _move(document, "自评")
    assert _declaration(document).stage == "自评"
    _move(document, "监控")
    back = _move(document, "申报")
    assert _declaration(document).stage == "申报"
    assert _declaration(document).monitoring_month is None
    structure.apply_changes(document, back.inverse())
    assert (_declaration(document).stage, _declaration(document).monitoring_month) == ("监控", 6)
    with pytest.raises(StageMoveError, match="已处于监控阶段"):
        _move(document, "监控")


def test_move_back_refused_while_the_stage_holds_data(document: Document) -> None:
    """A 实际完成值 entered at 自评 keeps the declaration from going back, the message names
    the row and the field; cleared, the move goes."""
    _move(document, "自评")
    indicator = _declaration(document).budget_projects[0].indicators[2]
    editing.set_field(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="actual_value", value="300辆"
    )
    with pytest.raises(StageMoveError) as refused:
        _move(document, "监控")
    assert "第3行指标的“实际完成值”" in str(refused.value)
    assert "请先清除" in str(refused.value)
    editing.set_field(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="actual_value", value=""
    )
    _move(document, "监控")
    assert _declaration(document).stage == "监控"


def test_frozen_targets_refused_with_the_way_to_adjust(document: Document) -> None:
    """At 监控 a declared field (指标值, 三级指标, a sign, a project's 预算数) is refused
    naming 目标调整; 分值, 方向 and the stage fields stay editable; rows are neither added
    nor removed nor pasted in."""
    project = _declaration(document).budget_projects[0]
    indicator = project.indicators[0]
    _move(document, "监控")
    for row_type, uuid, field, value in (
        (Indicator, indicator.uuid, "target_value", "330辆"),
        (Indicator, indicator.uuid, "level3", "新名称"),
        (Indicator, indicator.uuid, "comparison", "≥"),
        (BudgetProject, project.uuid, "budget_amount", "200"),
    ):
        with pytest.raises(FrozenTargetError, match="目标调整"):
            editing.set_field(document, row_type=row_type, row_uuid=uuid, field=field, value=value)
        with pytest.raises(FrozenTargetError):
            editing.planned_changes(
                document, row_type=row_type, row_uuid=uuid, field=field, value=value
            )
    for field, value in (("weight", "20"), ("direction", "正向"), ("current_value", "200辆")):
        assert editing.set_field(
            document, row_type=Indicator, row_uuid=indicator.uuid, field=field, value=value
        )
    with pytest.raises(FrozenTargetError, match="不能增删指标行"):
        structure.insert_row(document, row_type=Indicator, parent_uuid=project.uuid, index=0)
    with pytest.raises(FrozenTargetError):
        structure.remove_row(document, row_type=Indicator, row_uuid=indicator.uuid)
    with pytest.raises(FrozenTargetError):
        structure.duplicate_row(document, row_type=BudgetProject, row_uuid=project.uuid)
    rows = [i.uuid for i in project.indicators]
    with pytest.raises(FrozenTargetError):
        structure.paste_rows(
            document, row_type=Indicator, parent_uuid=project.uuid, row_uuids=rows[:1],
            fields=["target_value"], values=[["1辆"]], new_rows_at=len(rows),
        )  # fmt: skip
    pasted = structure.paste_rows(
        document, row_type=Indicator, parent_uuid=project.uuid, row_uuids=rows[:2],
        fields=["current_value", "expected_value"], values=[["100辆", "325辆"], ["50%", "90%"]],
        new_rows_at=len(rows),
    )  # fmt: skip
    assert len(pasted.fields) == 4
    with pytest.raises(FrozenTargetError):  # more rows than the grid has: rows added
        structure.paste_rows(
            document, row_type=Indicator, parent_uuid=project.uuid, row_uuids=[],
            fields=["current_value"], values=[["1"]], new_rows_at=len(rows),
        )  # fmt: skip


def test_target_adjustment_writes_and_records_in_one_undoable_change(
    document: Document,
) -> None:
    """A 目标调整 of 指标值 sets it (and the fields read from it) and appends its record
    (old and new text, reason, date); the inverse takes both out; a sign adjusted is
    recorded as the 指标值 it rewrote; no reason, the same value or 申报 are refused."""
    project = _declaration(document).budget_projects[0]
    indicator = project.indicators[0]
    with pytest.raises(ValueError, match="申报阶段"):
        stages.adjust_target(
            document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value",
            value="300辆", reason="预算调减", adjusted_on=date(2022, 7, 15),
        )  # fmt: skip
    _move(document, "监控")
    with pytest.raises(ValueError, match="请填写调整原因"):
        stages.adjust_target(
            document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value",
            value="300辆", reason="  ", adjusted_on="2022-07-15",
        )  # fmt: skip
    with pytest.raises(ValueError, match="相同"):
        stages.adjust_target(
            document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value",
            value="325辆", reason="无", adjusted_on="2022-07-15",
        )  # fmt: skip
    changes = stages.adjust_target(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value",
        value="300辆", reason="预算调减", adjusted_on=date(2022, 7, 15),
    )  # fmt: skip
    assert {c.field for c in changes.fields} >= {"target_value", "target_number"}
    shown = _declaration(document)
    assert shown.budget_projects[0].indicators[0].target_value == "300辆"
    (record,) = shown.target_adjustments
    assert (record.field, record.old_text, record.new_text, record.reason, record.adjusted_on) == (
        "target_value", "325辆", "300辆", "预算调减", "2022-07-15",
    )  # fmt: skip
    listed = stages.target_adjustments(document, declaration_uuid=shown.uuid)
    assert listed[0]["field"] == "指标值" and "第1行指标" in listed[0]["place"]
    structure.apply_changes(document, changes.inverse())
    shown = _declaration(document)
    assert shown.budget_projects[0].indicators[0].target_value == "325辆"
    assert not shown.target_adjustments
    signed = stages.adjust_target(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="comparison",
        value="≥", reason="口径", adjusted_on="2022-08-01",
    )  # fmt: skip
    record_data = signed.inserted[0].data
    assert (record_data["field"], record_data["new_text"]) == ("target_value", "≥325辆")
    assert signed.inserted[0].row_type is TargetAdjustment
    with pytest.raises(StageMoveError, match="目标调整记录"):
        _move(document, "申报")
