"""What a review rule reports: severity, where (precise enough to jump to), a Chinese message.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS, row_place


class Severity(enum.Enum):
    """How serious a finding is; the value is the word on screen and paper."""

    ERROR = "错误"  # the finance bureau would send the declaration back
    WARNING = "警告"  # likely wrong; may be explained in writing (审核说明)
    HINT = "提示"  # worth a look
    TODO = "待填写"  # not filled in yet, while editing; an 错误 or 警告 at print and check


class FindingStatus(enum.StrEnum):
    """How a finding stands for the clerk: its severity, or 已说明 for a 警告 explained in
    writing. The value is the word on screen, on paper and in ``jixiao check --json``."""

    ERROR = Severity.ERROR.value
    WARNING = Severity.WARNING.value
    EXPLAINED = "已说明"
    HINT = Severity.HINT.value
    TODO = Severity.TODO.value


#: A severity's status (an enum looked up by value costs ≈10 µs; the panel asks per finding).
_STATUS_OF = {severity: FindingStatus(severity.value) for severity in Severity}


class RuleId(enum.StrEnum):
    """Every review rule's identifier: one enumeration for the rules, the 审核 panel, ``jixiao
    check --json`` and the explanations stored in files (``FindingExplanation.rule``).

    The values are stored in files: never change one; a rule that replaces another lists
    the old identifier in ``FORMER_RULE_IDS`` so that old explanations stay attached.
    """

    FUNDS_SUM = "amounts.funds_sum"
    SIGN = "amounts.sign"
    TOTAL_VS_PROJECTS = "amounts.total_vs_projects"
    AMOUNT_UNIT = "amounts.unit"
    PLAN = "plan.checkpoints"
    FIELDS = "complete.fields"
    PART1 = "complete.part1"
    LEVEL1 = "complete.level1"
    INDICATOR_ROWS = "complete.indicator_rows"
    INDICATOR_TWICE = "complete.indicator_twice"
    LEVELS = "vocabulary.levels"
    SATISFACTION = "vocabulary.satisfaction"
    LIBRARY_PLACE = "vocabulary.library_place"
    KIND = "values.kind"
    UNIT = "values.unit"
    TIME = "values.time"
    INPUT = "values.input"
    RATE = "values.rate"
    COST = "values.cost"
    PASTED = "values.pasted"
    DESCRIPTION = "values.description"
    ACTUAL = "values.actual"
    ITEM_NAME = "consistency.item_name"
    ITEM_BUDGET = "consistency.item_budget"
    ITEM_UNLINKED = "consistency.item_unlinked"
    ITEM_MISSING = "consistency.item_missing"
    ITEM_VALUES = "consistency.item_values"
    CODES_UNIQUE = "codes.unique"
    CODES_YEAR = "codes.year"
    REFUSED_INPUT = "input.refused"
    CONTROL = "values.control"
    STRUCTURED = "values.structured"
    WEIGHTS = "values.weights"
    MONITOR_MONTH = "monitor.month"
    MONITOR_VALUES = "monitor.values"
    MONITOR_DEVIATION = "monitor.deviation"
    MONITOR_PACE = "monitor.pace"
    EVALUATE_ACTUAL = "evaluate.actual"
    EVALUATE_DEVIATION = "evaluate.deviation"
    EVALUATE_GRADE = "evaluate.grade"
    EVALUATE_SCORE = "evaluate.score"
    EVALUATE_EXECUTION = "evaluate.execution"
    ADJUSTMENT = "stages.adjustment"

    @property
    def caption(self) -> str:
        """What the rule checks, in a few Chinese words (panel tooltips, ``check --json``)."""
        return RULE_TITLES[self]


RULE_TITLES = {
    RuleId.FUNDS_SUM: "财政资金与其他资金之和等于预算数",
    RuleId.SIGN: "金额不为负数，预算数大于0",
    RuleId.TOTAL_VS_PROJECTS: "申请预算资金与项目预算数合计一致",
    RuleId.AMOUNT_UNIT: "金额按万元填写",
    RuleId.PLAN: "资金支出计划逐期累计、最后为100%",
    RuleId.FIELDS: "必填项已填写",
    RuleId.PART1: "部门整体各部分已填写",
    RuleId.LEVEL1: "产出、效益、满意度指标齐全",
    RuleId.INDICATOR_ROWS: "每行指标有名称和指标值",
    RuleId.INDICATOR_TWICE: "同一项目中没有重复的指标",
    RuleId.LEVELS: "一级、二级指标名称在正确的层级",
    RuleId.SATISFACTION: "满意度指标放在满意度指标下",
    RuleId.LIBRARY_PLACE: "指标与指标库中的一级、二级指标一致",
    RuleId.KIND: "指标值的形式符合二级指标",
    RuleId.UNIT: "指标值与计量单位不矛盾",
    RuleId.TIME: "时间在预算年度或项目期内",
    RuleId.INPUT: "产出指标不写资金投入",
    RuleId.RATE: "比率不超过100%",
    RuleId.COST: "成本不超过预算数",
    RuleId.PASTED: "指标值不是同一个值的复制",
    RuleId.DESCRIPTION: "绩效指标描述写明口径",
    RuleId.ACTUAL: "只写目标值，不写完成值",
    RuleId.ITEM_NAME: "分项目标与预算项目名称一致",
    RuleId.ITEM_BUDGET: "分项目标预算资金与项目预算数一致",
    RuleId.ITEM_UNLINKED: "有预算资金的分项目标关联了预算项目",
    RuleId.ITEM_MISSING: "每个预算项目都有对应的分项目标",
    RuleId.ITEM_VALUES: "分项目标表述与项目表指标值一致",
    RuleId.CODES_UNIQUE: "项目编码不重复",
    RuleId.CODES_YEAR: "项目编码中的年份与预算年度一致",
    RuleId.REFUSED_INPUT: "没有未被接受的输入（标红的栏目）",
    RuleId.CONTROL: "文字中没有无法打印和导出的控制字符",
    RuleId.STRUCTURED: "指标值能读出计算符号、目标数值和计量单位",
    RuleId.WEIGHTS: "指标分值合计为90分（预算执行率另计10分）",
    RuleId.MONITOR_MONTH: "监控：已填写截至月份",
    RuleId.MONITOR_VALUES: "监控：已填写预算执行数、当前完成值和完成可能性",
    RuleId.MONITOR_DEVIATION: "监控：可能完不成的指标写明偏差原因和改进措施",
    RuleId.MONITOR_PACE: "监控：预算执行率不明显落后于支出计划或序时进度",
    RuleId.EVALUATE_ACTUAL: "自评：已填写实际完成值，且能与指标值比较",
    RuleId.EVALUATE_DEVIATION: "自评：未完成的指标写明偏差原因分析及改进措施",
    RuleId.EVALUATE_GRADE: "自评：定性指标已选达成度",
    RuleId.EVALUATE_SCORE: "自评：得分不超过分值",
    RuleId.EVALUATE_EXECUTION: "自评：已填写全年执行数，且不超过全年预算数",
    RuleId.ADJUSTMENT: "申报后改动的目标有目标调整记录",
}

#: Identifiers a rule had before (explanations stored under them still apply to it).
#: values.kind checked the fiscal year of a 时效指标 until values.time took that over.
FORMER_RULE_IDS: dict[RuleId, tuple[str, ...]] = {RuleId.TIME: ("values.kind",)}


@dataclass(frozen=True)
class Location:
    """A row (by table name and UUID) and optionally one of its fields, with its Chinese name."""

    table: str
    row_uuid: str
    field: str
    place: str

    @classmethod
    def of(cls, row: SyncedRow, field: str = "") -> Location:
        """The location of ``field`` of ``row`` (the whole row when ``field`` is empty)."""
        place = row_place(row)
        if field:
            place += f"的“{FIELD_LABELS[type(row)][field]}”"
        return cls(type(row).__tablename__, row.uuid, field, place)  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would object to.

    ``rule`` is the rule's identifier (stable: explanations refer to it); ``explanation``
    is the clerk's written 审核说明 for a 警告, which makes it 已说明. ``unfilled`` marks
    what is simply not filled in yet: while editing it is shown as 待填写 (``Severity.TODO``),
    at print and in ``jixiao check`` with its own severity.
    """

    rule: RuleId
    severity: Severity
    location: Location
    message: str
    explanation: str = ""
    unfilled: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the finding across re-runs: rule, row and field."""
        return (self.rule, self.location.row_uuid, self.location.field)

    @property
    def status(self) -> FindingStatus:
        """The severity's status, or ``EXPLAINED`` (已说明) for an explained warning."""
        return FindingStatus.EXPLAINED if self.explanation else _STATUS_OF[self.severity]

    def explained(self, text: str) -> Finding:
        """This finding with the clerk's explanation attached."""
        return replace(self, explanation=text)

    def as_dict(self) -> dict[str, str]:
        """The finding as JSON-ready data (``jixiao check --json``)."""
        return {
            "rule": str(self.rule),
            "rule_title": self.rule.caption,
            "severity": self.severity.value,
            "status": self.status.value,
            "place": self.location.place,
            "table": self.location.table,
            "row_uuid": self.location.row_uuid,
            "field": self.location.field,
            "message": self.message,
            "explanation": self.explanation,
        }


def status_counts(findings: Iterable[Finding]) -> Counter[FindingStatus]:
    """How many of ``findings`` stand at each status (a status none has counts 0)."""
    return Counter(finding.status for finding in findings)
