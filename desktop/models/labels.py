"""The registry of row kinds and fields: each kind of row the clerk fills in (its word, its
list in the JSON form) and each clerk-visible field (its name, its term on the form, its
grid heading and printed header where they say it otherwise, the other names tables of
other templates give it), in form order; the labels of the printed project table that name
no one field; the form's part titles and section headings. Messages, undo steps, the
editors, 比较, the JSON form's places, the PDF, Word and Excel headings and headers and the
Excel and Word readers all read them here.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.models.base import SyncedRow
from desktop.models.declaration import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    TargetAdjustment,
)
from desktop.models.indicator_fields import (
    parse_comparison,
    parse_direction,
    parse_target_number,
    parse_unit,
    parse_weight,
)
from desktop.models.stages import (
    ACHIEVEMENT_GRADES,
    COMPLETION_LIKELIHOODS,
    DEVIATION_CAUSES,
    choice_parser,
    parse_month,
    parse_score,
    stage_fields,
)


@dataclass(frozen=True)
class Field:
    """A clerk-visible field: ``name`` (the model attribute and JSON key), ``label`` (the
    form's term: messages, 比较, Excel), ``heading`` (an editor grid's column heading, where
    it says more than the label), ``printed`` (the printed table's header or label, where
    it says it otherwise or breaks the line: PDF, Word, Excel), ``synonyms`` (other
    header texts naming it in tables of other templates, accepted when Excel and Word
    files are read; compared without blanks, full-width brackets as half-width) and
    ``parser`` (what the clerk typed → the stored value, raising ``ValueError`` in
    Chinese; None: by the column's type, ``editing.parse_field``)."""

    name: str
    label: str
    heading: str = ""
    printed: str = ""
    synonyms: tuple[str, ...] = ()
    parser: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class RowKind:
    """A kind of row: ``row_type``, ``name`` (the clerk's word for one row: 指标行, used in
    undo steps and menus), ``list_key`` (its list in the JSON form), ``counted`` (how the
    list counts it: 第3行指标), its ``fields`` in form order (those the 申报 form prints),
    its ``structured`` fields (kept for the later stages, not on the 申报 form: an
    indicator's 指标性质 … 分值, ``models/indicator_fields.py``) and the fields the later
    stages add (``staged``: 上年实际, 监控's and 自评's, ``models/stages.py``)."""

    row_type: type[SyncedRow]
    name: str
    list_key: str
    counted: str
    fields: tuple[Field, ...]
    structured: tuple[Field, ...] = ()
    staged: tuple[Field, ...] = ()

    def labels(self) -> dict[str, str]:
        """Field name -> the form's term, in form order, the structured and stage fields last."""
        return {field.name: field.label for field in self.fields + self.structured + self.staged}

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(field name, column heading) of an editor grid of these rows, in form order,
        the structured fields last."""
        return tuple(
            (field.name, field.heading or field.label) for field in self.fields + self.structured
        )

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` for none)."""
        return {field.name: field for field in self.fields + self.structured + self.staged}[name]

    def stage_fields(self, stage: str) -> tuple[Field, ...]:
        """The fields ``stage`` (申报, 监控, 自评) shows beside the declared ones, those of
        the stages before it first (``stages.stage_fields``); ``ValueError`` for no stage."""
        table = self.row_type.__tablename__  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
        return tuple(self.field(name) for name in stage_fields(stage, table))

    def printed_labels(self) -> dict[str, str]:
        """Field name -> its printed header or label (PDF, Word, Excel), in form order."""
        return {field.name: field.printed or field.label for field in self.fields}

    def printed_headers(self) -> tuple[str, ...]:
        """The printed table's header cells (PDF, Word, Excel), in form order."""
        return tuple(self.printed_labels().values())

    def printed_values(self, row: SyncedRow) -> tuple[str, ...]:
        """``row``'s texts under ``printed_headers`` (Word, Excel), in form order."""
        return tuple(getattr(row, field.name) for field in self.fields)


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
            staged=(
                Field("stage", "阶段"),
                Field("monitoring_month", "监控截至月份", heading="截至月份", parser=parse_month),
            ),
        ),
        RowKind(
            KeyTask,
            "年度主要任务",
            "key_tasks",
            "项年度主要任务",
            (Field("title", "任务名称", printed="年度主要任务"), Field("body", "任务内容")),
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
                Field(
                    "budget_amount",
                    "预算数",
                    synonyms=("预算金额", "预算资金", "年度资金总额", "资金总额"),
                ),
                Field("fiscal_funds", "财政资金", printed="其中：\n财政资金"),
                Field("other_funds", "其他资金"),
                Field("use_of_funds", "资金用途"),
                Field("performance_target", "绩效目标"),
            ),
            staged=(
                Field("executed_to_date", "预算执行数", heading="截至监控月执行数"),
                Field("annual_budget", "全年预算数"),
                Field("annual_executed", "全年执行数"),
                Field("overall_outcome", "实际完成情况", heading="年度总体目标实际完成情况"),
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
                Field("level3", "三级指标", synonyms=("指标名称", "绩效指标")),
                Field(
                    "description",
                    "绩效指标描述",
                    synonyms=("指标描述", "指标解释", "指标说明", "指标内容"),
                ),
                Field(
                    "target_value",
                    "指标值",
                    synonyms=("年度指标值", "目标值", "绩效标准", "指标值（绩效标准）"),
                ),
                Field(
                    "basis",
                    "指标值确定依据",
                    printed="指标值\n确定依据",
                    synonyms=("指标值设定依据", "指标值确定依据及说明", "设定依据", "确定依据"),
                ),
            ),
            (
                Field("indicator_nature", "指标性质", heading="性质"),
                Field(
                    "comparison",
                    "计算符号",
                    heading="符号",
                    synonyms=("符号", "运算符号", "指标性质"),  # see TARGET_VALUE_PARTS
                    parser=parse_comparison,
                ),
                Field(
                    "target_number",
                    "目标数值",
                    heading="数值",
                    parser=parse_target_number,
                ),
                Field(
                    "unit_of_measure",
                    "计量单位",
                    heading="单位",
                    synonyms=("度量单位", "指标值单位"),
                    parser=parse_unit,
                ),
                Field("direction", "指标方向", heading="方向", parser=parse_direction),
                Field("weight", "分值", parser=parse_weight),
            ),
            (
                Field("previous_actual", "上年实际"),
                Field("current_value", "当前完成值"),
                Field("expected_value", "全年预计完成值", heading="全年预计"),
                Field(
                    "completion_likelihood",
                    "完成可能性",
                    heading="能否完成",
                    parser=choice_parser("完成可能性", COMPLETION_LIKELIHOODS),
                ),
                Field(
                    "deviation_cause",
                    "偏差原因",
                    parser=choice_parser("偏差原因", DEVIATION_CAUSES),
                ),
                Field("improvement_measures", "改进措施"),
                Field("actual_value", "实际完成值"),
                Field(
                    "achievement_grade",
                    "达成度",
                    parser=choice_parser("达成度", ACHIEVEMENT_GRADES),
                ),
                Field("score", "得分", parser=parse_score),
                Field("deviation_analysis", "偏差原因分析及改进措施", heading="偏差原因分析"),
            ),
        ),
        RowKind(
            TargetAdjustment,
            "目标调整",
            "target_adjustments",
            "条目标调整",
            (
                Field("field", "调整栏目"),
                Field("old_text", "调整前"),
                Field("new_text", "调整后"),
                Field("reason", "调整原因"),
                Field("adjusted_on", "调整日期"),
            ),
        ),
    )
}

#: Field name -> the form's term, per row type (the registry's labels, for lookups).
FIELD_LABELS: dict[type[SyncedRow], dict[str, str]] = {
    row_type: kind.labels() for row_type, kind in ROW_KINDS.items()
}


#: Field name -> its printed header or label (PDF, Word, Excel), per row type.
PRINTED_LABELS: dict[type[SyncedRow], dict[str, str]] = {
    row_type: kind.printed_labels() for row_type, kind in ROW_KINDS.items()
}
#: An item target's link to its budget project, named as on the form (比较, Excel, JSON).
PROJECT_LINK_LABEL = "对应预算项目"
#: The structured fields of an indicator that other templates' indicator lists give a
#: column of their own beside the 指标值 (the sign, the unit), each column named by the
#: field's term or one of its ``synonyms`` (计量单位, 度量单位 …): read back joined into
#: one 指标值, sign + value + unit, from which the structured fields are read again. (A
#: 指标性质 column there holds the sign, ≥ or =, or 定量/定性 — then it is not read.)
TARGET_VALUE_PARTS: tuple[str, ...] = ("comparison", "unit_of_measure")
#: The printed project table's labels that name no one field (PDF, Word, Excel; Word
#: without the line break): the amounts with 资金用途, and the 资金支出计划 rows.
BUDGET_SIZE_LABEL = "预算规模及\n资金用途"
DISBURSEMENT_PLAN_LABEL = "资金支出计划（%）"
#: The form's two parts, (number, title) as printed on two lines (PDF, Word, Excel; the
#: print dialog and the PDF's bookmarks on one), and found again in a Word document.
PART1_TITLE = ("第一部分", "部门整体绩效目标")
PART2_TITLE = ("第二部分", "预算项目绩效目标")
#: Part 1's three sections as headed in print (PDF, Word, Excel, the 部门整体 tab); a Word
#: reader finds them by the title after the number (``section_title``).
SECTION_OVERALL, SECTION_ITEMS, SECTION_SAFEGUARDS = (
    "一、总体绩效目标",
    "二、分项绩效目标",
    "三、工作保障措施",
)
#: The line under 二、分项绩效目标 that opens the item targets (PDF, Word).
ITEM_TARGETS_INTRO = "分项绩效目标情况"
#: The labels of the later stages' printed forms (绩效运行监控表, 绩效自评表, PDF and
#: Excel) that name no one field, or name a field as those forms print it: the project's
#: money (项目资金, with the 年初 预算数, the fund's total and the 执行率 computed from
#: the stage fields), the 年度总体目标 with its 预期目标 (the project's 绩效目标) beside the
#: 实际完成情况, the 年度 before a 指标值, the 总分 and 自评等级 under the indicators,
#: and the title of the 目标调整 record. Sources: the 项目支出绩效自评表 of 财预〔2020〕10号
#: as published (池州市贵池区 2022) and the 项目支出绩效目标执行监控表 of 财预〔2019〕136号.
STAGE_FORM_LABELS = {
    "funds": "项目资金",
    "initial_budget": "年初预算数",
    "fund_total": "年度资金总额",
    "rate": "执行率",
    "overall_target": "年度总体目标",
    "expected_target": "预期目标",
    "annual_target_value": "年度指标值",
    "total": "总分",
    "grade": "自评等级",
    "adjustments": "目标调整记录",
    "number": "序号",
}


def section_title(heading: str) -> str:
    """A section heading without its number: 一、总体绩效目标 -> 总体绩效目标."""
    return heading.partition("、")[2]


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
    if row_type is TargetAdjustment:
        return f"第{position + 1}条目标调整"
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
