"""The registry of row kinds and fields: each kind of row the clerk fills in (its word, its
list in the JSON form) and each clerk-visible field (its name, its term on the form, its
grid heading and printed header where they say it otherwise), in form order. Messages,
undo steps, the editors' grids, 比较, the JSON form's places, the PDF, Word and Excel
headers all read it here.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.models.base import SyncedRow
from desktop.models.declaration import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)


@dataclass(frozen=True)
class Field:
    """A clerk-visible field: ``name`` (the model attribute and JSON key), ``label`` (the
    form's term: messages, 比较, Excel), ``heading`` (an editor grid's column heading, where
    it says more than the label) and ``printed`` (the printed table's header, where it
    breaks the line)."""

    name: str
    label: str
    heading: str = ""
    printed: str = ""


@dataclass(frozen=True)
class RowKind:
    """A kind of row: ``row_type``, ``name`` (the clerk's word for one row: 指标行, used in
    undo steps and menus), ``list_key`` (its list in the JSON form), ``counted`` (how the
    list counts it: 第3行指标) and its ``fields`` in form order."""

    row_type: type[SyncedRow]
    name: str
    list_key: str
    counted: str
    fields: tuple[Field, ...]

    def labels(self) -> dict[str, str]:
        """Field name -> the form's term, in form order."""
        return {field.name: field.label for field in self.fields}

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(field name, column heading) of an editor grid of these rows, in form order."""
        return tuple((field.name, field.heading or field.label) for field in self.fields)

    def printed_headers(self) -> tuple[str, ...]:
        """The printed table's header cells (PDF, Word, Excel), in form order."""
        return tuple(field.printed or field.label for field in self.fields)


_LEVELS = (Field("level1", "一级指标"), Field("level2", "二级指标"))

ROW_KINDS: dict[type[SyncedRow], RowKind] = {
    kind.row_type: kind
    for kind in (
        RowKind(
            Declaration,
            "单位绩效目标",
            "declarations",
            "个单位",
            (
                Field("unit_code", "单位编码"),
                Field("unit_name", "单位名称"),
                Field("fiscal_year", "预算年度"),
                Field("amount_unit", "金额单位"),
                Field("total_budget", "申请预算资金"),
                Field("special_projects_note", "专项项目说明"),
                Field("overall_target", "总体绩效目标"),
                Field("safeguard_measures", "工作保障措施"),
                Field("profile", "指标体系"),
            ),
        ),
        RowKind(
            KeyTask,
            "年度主要任务",
            "key_tasks",
            "项年度主要任务",
            (Field("title", "任务名称"), Field("body", "任务内容")),
        ),
        RowKind(
            ItemTarget,
            "分项目标",
            "item_targets",
            "个分项目标",
            (Field("title", "分项名称"), Field("budget", "预算资金")),
        ),
        RowKind(
            ItemTargetStatement,
            "指标表述",
            "statements",
            "条指标表述",
            (*_LEVELS, Field("text", "指标表述", heading="指标表述（含年度指标值）")),
        ),
        RowKind(
            BudgetProject,
            "预算项目",
            "budget_projects",
            "个预算项目",
            (
                Field("code", "项目编码"),
                Field("name", "项目名称"),
                Field("budget_amount", "预算数"),
                Field("fiscal_funds", "财政资金"),
                Field("other_funds", "其他资金"),
                Field("use_of_funds", "资金用途"),
                Field("performance_target", "绩效目标"),
            ),
        ),
        RowKind(
            DisbursementCheckpoint,
            "支出节点",
            "disbursement_plan",
            "个支出节点",
            (Field("label", "时间节点"), Field("cumulative_percent", "累计支出（%）")),
        ),
        RowKind(
            Indicator,
            "指标行",
            "indicators",
            "行指标",
            (
                *_LEVELS,
                Field("level3", "三级指标"),
                Field("description", "绩效指标描述"),
                Field("target_value", "指标值"),
                Field("basis", "指标值确定依据", printed="指标值\n确定依据"),
            ),
        ),
    )
}

#: Field name -> the form's term, per row type (the registry's labels, for lookups).
FIELD_LABELS: dict[type[SyncedRow], dict[str, str]] = {
    row_type: kind.labels() for row_type, kind in ROW_KINDS.items()
}
#: An item target's link to its budget project, named as on the form (比较, Excel, JSON).
PROJECT_LINK_LABEL = "对应预算项目"


def place_of(row_type: type[SyncedRow], position: int, name: str = "", inside: str = "") -> str:
    """Where a row is, in the clerk's words, from plain values (an ORM row or a row of the
    JSON form): ``position`` 0-based among its siblings, ``name`` what names it (an item
    target's 分项名称, a project's 项目名称; empty: unnamed), ``inside`` the place of the
    row that owns it. E.g. 项目“接待管理经费”第3行指标. Raises ``TypeError`` for a type
    that is no row kind of the form."""
    if row_type is Declaration:
        return "部门整体"
    if row_type is KeyTask:
        return f"年度主要任务第{position + 1}项"
    if row_type is ItemTarget:
        return f"分项目标“{name}”" if name else f"第{position + 1}个分项目标（未命名）"
    if row_type is ItemTargetStatement:
        return f"{inside}第{position + 1}条表述"
    if row_type is BudgetProject:
        return f"项目“{name}”" if name else f"第{position + 1}个项目（未命名）"
    if row_type is DisbursementCheckpoint:
        return f"{inside}资金支出计划"
    if row_type is Indicator:
        return f"{inside}第{position + 1}行指标"
    raise TypeError(row_type.__name__)


def row_place(row: SyncedRow) -> str:
    """Where a row is, in the clerk's words: e.g. 项目“接待管理经费”第3行指标 (1-based)."""
    owner: SyncedRow | None = None
    name = ""
    if isinstance(row, ItemTargetStatement):
        owner = row.item_target
    elif isinstance(row, DisbursementCheckpoint | Indicator):
        owner = row.budget_project
    elif isinstance(row, ItemTarget):
        name = row.title
    elif isinstance(row, BudgetProject):
        name = row.name
    position = getattr(row, "position", 0)  # a declaration has none
    return place_of(type(row), position, name, row_place(owner) if owner is not None else "")
