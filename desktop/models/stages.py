"""The stages of a declaration's year (阶段): 申报 in spring, 绩效运行监控 at mid-year, 绩效自评
after the year, all on the same rows; the fields each stage adds and their closed lists.

Must not import Qt, sessions or anything from storage/services.

Sources: the 绩效运行监控表 asks, per indicator, 当前完成值 (截至 a month), 全年预计完成值,
完成可能性 and 偏差原因 with 改进措施, and per project the 预算执行数 so far (《中央部门
预算绩效运行监控管理暂行办法》, 财预〔2019〕136号, its 附件 表格); the 项目支出绩效自评表
asks 全年预算数, 全年执行数, 执行率, per indicator 实际完成值, 分值, 得分 and 偏差原因分析及
改进措施, and the 年度总体目标's 实际完成情况 (财预〔2020〕10号 附件). The closed lists below
are those of the monitoring form's columns as the provincial forms print them.

Decision — one row, three stages: the stage fields live on the declared rows (an indicator
holds its 指标值 and, later, its 实际完成值), as the finance ministry's online system keys
its monitoring and self-evaluation tables to the indicator. Why: nothing is re-typed, a
merge or compare carries them with the row, and a 目标调整 names the row it changed.
Every stage field is empty in a file of an older program, and an empty one is no content
(``EMPTY_VALUES``): a 申报 file keeps its fingerprint and merge history.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from desktop.models.values import canonical_decimal

#: The stages, in the order a year goes through them.
DECLARE, MONITOR, EVALUATE = STAGES = ("申报", "监控", "自评")
#: The stage's form, as printed and offered (``print --form``).
STAGE_FORMS = {
    DECLARE: "绩效目标申报表",
    MONITOR: "绩效运行监控表",
    EVALUATE: "绩效自评表",
}

#: 完成可能性 of an indicator at monitoring time.
COMPLETION_LIKELIHOODS = ("确定能", "有可能", "完全不可能")
#: 偏差原因 of an indicator at monitoring time.
DEVIATION_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
#: 达成度 of an indicator at self-evaluation: the three grades of a 定性 indicator, and
#: 不适用 for any indicator that did not apply this year (its 分值 spread over the others).
ACHIEVEMENT_GRADES = ("达成", "部分达成", "未达成", "不适用")
NOT_APPLICABLE = "不适用"

#: The fields each stage adds, per table, in the order the stage's form reads them. The
#: 申报 stage's own fields are the form's (``labels.ROW_KINDS``); ``previous_actual``
#: (上年实际) is shown beside the declared targets, from the roll-over.
STAGE_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    DECLARE: {"indicator": ("previous_actual",)},
    MONITOR: {
        "declaration": ("monitoring_month",),
        "budget_project": ("executed_to_date",),
        "indicator": (
            "current_value",
            "expected_value",
            "completion_likelihood",
            "deviation_cause",
            "improvement_measures",
        ),
    },
    EVALUATE: {
        "budget_project": ("annual_budget", "annual_executed", "overall_outcome"),
        "indicator": ("actual_value", "achievement_grade", "score", "deviation_analysis"),
    },
}

#: The declared fields frozen from 监控 on (``is_frozen``), per table: the form's fields of
#: an indicator and of a budget project, and an indicator's 计算符号, 目标数值 and 计量单位
#: (they rewrite its 指标值). Changing one is a 目标调整. 指标方向 and 分值 stay the
#: clerk's to set: they weigh the score, which the 自评 may settle (the 自评表 prints the
#: 分值 the evaluation used), and are no declared target. Rows of these tables are
#: neither added nor removed while frozen.
FROZEN_FIELDS: dict[str, tuple[str, ...]] = {
    "indicator": (
        "level1",
        "level2",
        "level3",
        "description",
        "target_value",
        "basis",
        "comparison",
        "target_number",
        "unit_of_measure",
    ),
    "budget_project": (
        "code",
        "name",
        "budget_amount",
        "fiscal_funds",
        "other_funds",
        "use_of_funds",
        "performance_target",
    ),
}

#: The stage fields that hold a number (the rest hold text): empty is None.
_NUMBER_FIELDS = (
    "monitoring_month",
    "executed_to_date",
    "annual_budget",
    "annual_executed",
    "score",
)

#: The columns schema 6 added to the tables older schemas had: ``stage`` and every field
#: of ``STAGE_FIELDS``, per table.
ADDED_IN_SCHEMA_6: dict[str, tuple[str, ...]] = {
    table: (("stage",) if table == "declaration" else ())
    + tuple(name for stage in STAGES for name in STAGE_FIELDS[stage].get(table, ()))
    for table in ("declaration", "budget_project", "indicator")
}

#: Each column schema 6 added -> its empty value, which is also what a file or JSON
#: document of an older program holds. ``stage`` is empty at 申报.
EMPTY_VALUES: dict[str, Any] = {
    name: DECLARE if name == "stage" else None if name in _NUMBER_FIELDS else ""
    for names in ADDED_IN_SCHEMA_6.values()
    for name in names
}


def choice_parser(term: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    """The parser of a field with a closed list (``term`` its name, e.g. 达成度): what the
    clerk typed, stripped, when it is one of ``choices`` or empty; else ``ValueError``
    saying the choices (Chinese)."""

    def parse(text: str) -> str:
        cleaned = text.strip()
        if cleaned and cleaned not in choices:
            raise ValueError(
                f"“{cleaned}”不是可选的{term}：请从“{'”“'.join(choices)}”中选一个，或留空。"
            )
        return cleaned

    return parse


def stage_fields(stage: str, table: str) -> tuple[str, ...]:
    """The fields of ``table`` (a table name: ``indicator``) that ``stage`` shows beside
    the declared ones: those of every stage up to it (自评 keeps 监控's to read), in order.
    Raises ``ValueError`` for a stage not in ``STAGES``."""
    reached = STAGES[: STAGES.index(stage) + 1]
    return tuple(name for s in reached for name in STAGE_FIELDS[s].get(table, ()))


def is_empty_stage_value(name: str, value: Any) -> bool:
    """Whether ``value`` of field ``name`` is a stage field at its empty value (no content)."""
    return name in EMPTY_VALUES and value == EMPTY_VALUES[name]


def is_frozen(stage: str) -> bool:
    """Whether the declared targets are frozen at ``stage``: from 监控 on, changing one is
    a 目标调整 with its reason and date (issue #20; the monitoring rules allow adjusting
    a target only by that procedure, 财预〔2019〕136号)."""
    return STAGES.index(stage) > 0


def parse_month(text: str) -> int | None:
    """监控截至月份 from what the clerk typed (``6``, ``6月``, ``６``); None when empty.
    Raises ``ValueError`` (Chinese) for no month 1–12."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("月底").removesuffix("月")
    if not cleaned.strip():
        return None
    if not cleaned.strip().isdigit() or not 1 <= int(cleaned) <= 12:
        raise ValueError(
            f"“{text.strip()}”不是月份：监控截至月份请填 1～12，例如 6（即截至6月底）。"
        )
    return int(cleaned)


def parse_score(text: str) -> Decimal | None:
    """得分 as the clerk overrides it (``18``, ``16.5分``); None when empty (the computed
    score is used). Raises ``ValueError`` (Chinese) for no number from 0 to 100."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not cleaned:
        return None
    number = canonical_decimal(cleaned)
    if number is None or not 0 <= number <= 100:
        raise ValueError(
            f"“{text.strip()}”不是有效的得分：请填写 0～100 之间的数；留空则按规则计算。"
        )
    return number
