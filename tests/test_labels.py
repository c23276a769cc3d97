"""The registry of row kinds and fields (desktop/models/labels.py) against the models."""

from __future__ import annotations

from desktop.exchange.workbook import ITEM_TARGET_HEADERS
from desktop.models import (
    Declaration,
    FindingExplanation,
    Indicator,
    ItemTargetStatement,
    PrintRecord,
)
from desktop.models.base import content_fields, owned_collections
from desktop.models.labels import FIELD_LABELS, ROW_KINDS
from desktop.reports.pdf import INDICATOR_HEADERS
from desktop.storage.interchange import spoken_place


def test_labels_every_registered_field_is_a_field_of_its_model() -> None:
    """A field of the registry is a clerk-visible column of its row's model, in column
    order; each list key is the owning model's list (the JSON form's key)."""
    lists = {name: cls for owner in ROW_KINDS for name, cls in owned_collections(owner).items()}
    for row_type, kind in ROW_KINDS.items():
        names = [field.name for field in kind.fields]
        columns = list(content_fields(row_type))
        assert names == [name for name in columns if name in names], row_type
        assert kind.list_key == "declarations" or lists[kind.list_key] is row_type, kind
    not_content = {FindingExplanation, PrintRecord}  # review notes and print records
    assert set(ROW_KINDS) == {Declaration, *lists.values()} - not_content


def test_labels_each_edge_reads_the_registry() -> None:
    """The JSON form's places, grid headings and the printed header come from the one
    registry (undo steps too: tests/ui/test_undo.py, 撤销 删除指标行)."""
    assert FIELD_LABELS[Indicator]["basis"] == "指标值确定依据"
    assert INDICATOR_HEADERS[-1] == "指标值\n确定依据"  # printed: the header breaks the line
    item_target_sheet = ("分项名称", "预算资金", "对应预算项目", "一级指标", "二级指标", "指标表述")
    assert item_target_sheet == ITEM_TARGET_HEADERS  # Excel's 分项绩效目标 header row
    assert ROW_KINDS[ItemTargetStatement].columns()[-1] == ("text", "指标表述（含年度指标值）")
    assert spoken_place("declarations[0].budget_projects[1].indicators[2]", "target_value") == (
        "第1个单位的第2个预算项目的第3行指标的“指标值”"
        "（declarations[0].budget_projects[1].indicators[2].target_value）"
    )


def test_labels_a_row_is_placed_alike_in_the_file_and_in_the_json_form() -> None:
    """The review's place of a row (ORM) and 比较's (JSON form) are one wording; an unnamed
    project or item target is told by its number in both."""
    from desktop.models import BudgetProject, ItemTarget
    from desktop.models.labels import row_place
    from desktop.storage.compare import child_place

    project = BudgetProject(name="", position=1)
    project.indicators = [Indicator(), Indicator(), Indicator()]
    project.indicators.reorder()
    indicator = project.indicators[2]
    assert row_place(indicator) == "第2个项目（未命名）第3行指标"
    assert child_place(BudgetProject, {"name": ""}, 1, "部门整体") == row_place(project)
    assert child_place(Indicator, {}, 2, row_place(project)) == row_place(indicator)
    item = ItemTarget(title="接待", position=0)
    assert child_place(ItemTarget, {"title": "接待"}, 0, "部门整体") == row_place(item)


def test_labels_readers_and_writers_take_headers_and_other_names_from_the_registry() -> None:
    """A header's other name read from Excel or Word (指标名称, 设定依据, 度量单位 …) and the
    labels the Excel sheets and the printed project table show are the registry's."""
    from desktop.exchange.headers import HEADER_NAMES, header_field
    from desktop.exchange.workbook import AMOUNT_LABELS, KEY_TASK_HEADERS, PART1_LABELS
    from desktop.models import BudgetProject, KeyTask
    from desktop.models.labels import (
        PRINTED_LABELS,
        SECTION_ITEMS,
        TARGET_VALUE_PARTS,
        section_title,
    )

    for field in ROW_KINDS[Indicator].fields:
        for name in (field.label, *field.synonyms):
            assert header_field(name) == field.name, name
    assert header_field("指标 名称") == "level3"  # compared without blanks
    assert header_field("指标值(绩效标准)") == "target_value"  # half-width brackets
    for part in TARGET_VALUE_PARTS:  # a structured field's term names its column too
        field = ROW_KINDS[Indicator].field(part)
        assert {HEADER_NAMES[name] for name in (field.label, *field.synonyms)} == {part}
    assert header_field("计量单位") == "unit_of_measure"
    assert KEY_TASK_HEADERS == ("序号", "年度主要任务", "任务内容")
    assert KEY_TASK_HEADERS[1:] == ROW_KINDS[KeyTask].printed_headers()
    assert (
        PART1_LABELS["total_budget"] == FIELD_LABELS[Declaration]["total_budget"] == "申请预算资金"
    )
    assert AMOUNT_LABELS == ("预算数", "其中：\n财政资金", "其他资金")
    assert AMOUNT_LABELS[1] == PRINTED_LABELS[BudgetProject]["fiscal_funds"]
    assert section_title(SECTION_ITEMS) == "分项绩效目标"  # how the Word reader finds § 二
