"""Field edits through the editing service."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.models import BudgetProject, Declaration, DisbursementCheckpoint, Indicator
from desktop.services.editing import RowNotFoundError, link_budget_project, set_field
from desktop.storage.document import open_document


def _first(document, cls):
    with document.session() as session:
        return session.scalars(select(cls).order_by(cls.id)).first()


def test_set_field_commits_and_renews_modification_time(sample_path: Path) -> None:
    """An edit is in the file once set_field returns, with a newer modification time."""
    document = open_document(sample_path)
    indicator = _first(document, Indicator)
    changes = set_field(
        document, row_type=Indicator, row_uuid=indicator.uuid, field="target_value", value="330辆"
    )
    assert [(c.field, c.value) for c in changes.fields] == [
        ("target_value", "330辆"),
        ("target_number", Decimal(330)),  # read from the text (models/indicator_fields.py)
    ]
    document.close()
    reopened = open_document(sample_path)
    stored = _first(reopened, Indicator)
    reopened.close()
    assert stored.target_value == "330辆"
    assert stored.modified_at > indicator.modified_at


def test_set_field_parses_amounts_exactly(sample_path: Path) -> None:
    """A typed amount is stored exactly, and 184 -> 184.00 counts as a change."""
    document = open_document(sample_path)
    project = _first(document, BudgetProject)
    set_field(
        document,
        row_type=BudgetProject,
        row_uuid=project.uuid,
        field="budget_amount",
        value="８.８７0",
    )
    assert str(_first(document, BudgetProject).budget_amount) == "8.870"
    same = set_field(
        document,
        row_type=BudgetProject,
        row_uuid=project.uuid,
        field="budget_amount",
        value=Decimal("8.870"),
    )
    assert not same
    point = _first(document, DisbursementCheckpoint)
    set_field(
        document,
        row_type=DisbursementCheckpoint,
        row_uuid=point.uuid,
        field="cumulative_percent",
        value="35%",
    )
    assert _first(document, DisbursementCheckpoint).cumulative_percent == Decimal("35")
    document.close()


def test_set_field_refuses_bad_amount_and_keeps_old_value(sample_path: Path) -> None:
    """A malformed amount raises a Chinese ValueError and the stored amount is unchanged."""
    document = open_document(sample_path)
    declaration = _first(document, Declaration)
    with pytest.raises(ValueError, match="不是有效的金额"):
        set_field(
            document,
            row_type=Declaration,
            row_uuid=declaration.uuid,
            field="total_budget",
            value="四百九十",
        )
    assert str(_first(document, Declaration).total_budget) == "492.87"
    document.close()


def test_set_field_on_missing_row_or_field(sample_path: Path) -> None:
    """Editing a row that is gone, or a field that is not editable, is refused."""
    document = open_document(sample_path)
    with pytest.raises(RowNotFoundError):
        set_field(document, row_type=Indicator, row_uuid="nope", field="basis", value="x")
    indicator = _first(document, Indicator)
    with pytest.raises(KeyError):
        set_field(document, row_type=Indicator, row_uuid=indicator.uuid, field="uuid", value="x")
    document.close()


def test_link_budget_project(sample_path: Path) -> None:
    """An item target can be unlinked and linked to another budget project."""
    from desktop.models import ItemTarget

    document = open_document(sample_path)
    item = _first(document, ItemTarget)
    project = _first(document, BudgetProject)
    link_budget_project(document, item_target_uuid=item.uuid, budget_project_uuid=None)
    with document.session() as session:
        assert session.get(ItemTarget, item.id).budget_project is None
    link_budget_project(document, item_target_uuid=item.uuid, budget_project_uuid=project.uuid)
    with document.session() as session:
        assert session.get(ItemTarget, item.id).budget_project.uuid == project.uuid
    document.close()


def test_codes_are_stored_half_width(sample_path: Path) -> None:
    """单位编码 and 项目编码 typed with full-width digits or letters are stored half-width
    (the same unit in merges and the 汇总表); a new file's unit code too."""
    from desktop.services.documents import create_blank

    document = open_document(sample_path)
    declaration, project = _first(document, Declaration), _first(document, BudgetProject)
    set_field(document, row_type=Declaration, row_uuid=declaration.uuid, field="unit_code",
              value=" ５０７００２ ")  # fmt: skip
    set_field(document, row_type=BudgetProject, row_uuid=project.uuid, field="code",
              value="１３０２２５２２Ｐ００４")  # fmt: skip
    assert _first(document, Declaration).unit_code == "507002"
    assert _first(document, BudgetProject).code == "13022522P004"
    document.close()
    new = create_blank(sample_path.parent / "新.jxdb", fiscal_year=2023, unit_code="ＡＢＣ-１２")
    assert _first(new, Declaration).unit_code == "ABC-12"
    new.close()


def test_unnamed_rows_are_placed_by_number(sample_path: Path) -> None:
    """A review finding on a project or item target without a name says which one."""
    from desktop.models.labels import row_place

    document = open_document(sample_path)
    with document.session() as session:
        projects = session.scalars(select(BudgetProject).order_by(BudgetProject.position)).all()
        projects[1].name = ""
        assert row_place(projects[1]) == "第2个项目（未命名）"
        assert row_place(projects[0]).startswith("项目“")
        session.rollback()
    document.close()


def test_set_field_refuses_a_text_the_file_check_would_refuse(sample_path: Path) -> None:
    """A text over the documented limit (100,000 characters) is refused as typed, so no edit
    can make the clerk's own file one that opening refuses; the file keeps its value."""
    from desktop.storage.document import check_file

    document = open_document(sample_path)
    try:
        with document.session() as session:
            uuid = session.scalars(select(Indicator.uuid).limit(1)).one()
        with pytest.raises(ValueError, match="超过了 100000 字的上限"):
            set_field(
                document, row_type=Indicator, row_uuid=uuid, field="level3", value="绩" * 100_001
            )
        set_field(document, row_type=Indicator, row_uuid=uuid, field="level3", value="绩" * 100_000)
    finally:
        document.close()
    check_file(sample_path)


FIELDS = ["level1", "level2", "level3", "description", "target_value", "basis"]


def test_fill_merged_labels_within_a_block_and_from_above() -> None:
    """Blank 一级/二级指标 take the label above (merged cells as Excel leaves them); a
    二级指标 never across a 一级指标; blank rows and the given block stay as they are."""
    from desktop.models.values import fill_merged_labels

    block = [
        ["", "", "甲", "", "1个", ""],
        ["", "质量指标", "乙", "", "100%", ""],
        ["", "", "", "", "", ""],
        ["", "", "丙", "", "95%", ""],
        ["满意度指标", "", "丁", "", "≥95%", ""],
    ]
    before = [list(row) for row in block]
    above = {"level1": "产出指标", "level2": "数量指标"}
    filled, count = fill_merged_labels(block, FIELDS, above)
    assert block == before
    assert [row[:2] for row in filled] == [
        ["产出指标", "数量指标"],
        ["产出指标", "质量指标"],
        ["", ""],
        ["产出指标", "质量指标"],
        ["满意度指标", ""],
    ]
    assert count == 5
    at_top, count = fill_merged_labels(block, FIELDS, None)
    assert [row[:2] for row in at_top][:2] == [["", ""], ["", "质量指标"]] and count == 1


def test_fill_merged_labels_without_the_level1_column() -> None:
    """Pasted from the 二级指标 column on: the block's own merged 二级指标 fill down, but
    the row above (perhaps of another 一级指标) is not continued."""
    from desktop.models.values import fill_merged_labels

    block = [["", "甲", "1个"], ["质量指标", "乙", "100%"], ["", "丙", "95%"]]
    filled, count = fill_merged_labels(block, FIELDS[1:], {"level1": "效益指标", "level2": "x"})
    assert [row[0] for row in filled] == ["", "质量指标", "质量指标"] and count == 1
    assert fill_merged_labels([["a", "", "c"]], ["label", "cumulative_percent", "x"]) == (
        [["a", "", "c"]],
        0,
    )


def test_typed_control_characters_word_breaks_become_lines_others_are_refused() -> None:
    """Text pasted from Word carries its manual line break (U+000B) and page break
    (U+000C): they become line breaks. Any other control character is refused, naming the
    field, instead of being stored where no export could hold it."""
    from desktop.models import Indicator
    from desktop.services.editing import parse_field

    pasted = "完成北斗设备安装\x0b覆盖全县公务用车\x0c"
    assert parse_field(Indicator, "description", pasted) == "完成北斗设备安装\n覆盖全县公务用车\n"
    with pytest.raises(ValueError, match="“绩效指标描述”含有无法打印和导出的控制字符 U\\+0001"):
        parse_field(Indicator, "description", "按期\x01完成")
    with pytest.raises(ValueError, match="U\\+FFFE"):
        parse_field(Indicator, "level3", "车辆\ufffe")
