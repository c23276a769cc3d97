"""The Chinese name of every clerk-visible field, as on the form (for messages and headers).

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from desktop.models.base import SyncedRow
from desktop.models.budget_project import BudgetProject, DisbursementCheckpoint, Indicator
from desktop.models.declaration import Declaration, ItemTarget, ItemTargetStatement, KeyTask

FIELD_LABELS: dict[type[SyncedRow], dict[str, str]] = {
    Declaration: {
        "unit_code": "单位编码",
        "unit_name": "单位名称",
        "fiscal_year": "预算年度",
        "amount_unit": "金额单位",
        "total_budget": "申请预算资金",
        "special_projects_note": "专项项目说明",
        "overall_target": "总体绩效目标",
        "safeguard_measures": "工作保障措施",
        "profile": "指标体系",
    },
    KeyTask: {"title": "任务名称", "body": "任务内容"},
    ItemTarget: {"title": "分项名称", "budget": "预算资金"},
    ItemTargetStatement: {"level1": "一级指标", "level2": "二级指标", "text": "指标表述"},
    BudgetProject: {
        "code": "项目编码",
        "name": "项目名称",
        "budget_amount": "预算数",
        "fiscal_funds": "财政资金",
        "other_funds": "其他资金",
        "use_of_funds": "资金用途",
        "performance_target": "绩效目标",
    },
    DisbursementCheckpoint: {"label": "时间节点", "cumulative_percent": "累计支出（%）"},
    Indicator: {
        "level1": "一级指标",
        "level2": "二级指标",
        "level3": "三级指标",
        "description": "绩效指标描述",
        "target_value": "指标值",
        "basis": "指标值确定依据",
    },
}


def row_place(row: SyncedRow) -> str:
    """Where a row is, in the clerk's words: e.g. 项目“接待管理经费”第3行指标 (1-based)."""
    if isinstance(row, Declaration):
        return "部门整体"
    if isinstance(row, KeyTask):
        return f"年度主要任务第{row.position + 1}项"
    if isinstance(row, ItemTarget):
        return (
            f"分项目标“{row.title}”" if row.title else f"第{row.position + 1}个分项目标（未命名）"
        )
    if isinstance(row, ItemTargetStatement):
        return f"{row_place(row.item_target)}第{row.position + 1}条表述"
    if isinstance(row, BudgetProject):
        return f"项目“{row.name}”" if row.name else f"第{row.position + 1}个项目（未命名）"
    if isinstance(row, DisbursementCheckpoint):
        return f"{row_place(row.budget_project)}资金支出计划"
    if isinstance(row, Indicator):
        return f"{row_place(row.budget_project)}第{row.position + 1}行指标"
    raise TypeError(type(row).__name__)
