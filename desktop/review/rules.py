"""The review rules (审核规则): plain functions from a loaded declaration to findings.

Each rule's docstring names its source: the structure of the form (项目绩效目标表 and the
departmental target text), a regulation (财预〔2021〕101号《中央部门项目支出核心绩效目标和
指标设置及取值指引（试行）》, the national guideline county finance bureaus apply), or
observed practice (what reviewers send back). Thresholds no regulation fixes (minimum
satisfaction, number of indicators) are not enforced.
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from desktop.library.model import builtin_library, entry_levels
from desktop.models import BudgetProject, Declaration, Indicator, ItemTarget, ItemTargetStatement
from desktop.models.base import SyncedRow
from desktop.models.domains import control_problem
from desktop.models.indicator_fields import (
    BUDGET_EXECUTION_WEIGHT,
    DERIVED_FIELDS,
    WeightedRow,
    effective_weights,
    read_structured,
    weight_text,
)
from desktop.models.labels import FIELD_LABELS
from desktop.models.stages import DECLARE, STAGES
from desktop.models.values import TargetValue, numbers_in, parse_target_value
from desktop.models.vocabulary import (
    PROFILES,
    REQUIRED_LEVEL1,
    SYNONYMS,
    profile_levels,
    standard_name,
)
from desktop.review.findings import FORMER_RULE_IDS, Finding, Location, RuleId, Severity
from desktop.review.pending_input import pending_notes

Rule = Callable[[Declaration], Iterable[Finding]]
RULES: dict[RuleId, Rule] = {}

E, W, H = Severity.ERROR, Severity.WARNING, Severity.HINT
#: An amount in 万元 at or above this (1亿元) may have been typed in 元 ...
SUSPICIOUS_AMOUNT = Decimal(10000)
#: ... when nothing else in the declaration is within this factor of it (its scale) ...
SCALE_FACTOR = 1000
#: ... and always at or above this (10亿元): beyond any county unit's declaration.
IMPLAUSIBLE_AMOUNT = Decimal(100000)
#: The same target value on this many indicators of different level-2 is a paste (提示).
PASTED_VALUE_COUNT = 4


#: The stages (``models/stages.py``) at which each rule runs: most at every stage (the
#: declared targets are printed on every stage's form), a stage's own only once reached.
RULE_STAGES: dict[RuleId, tuple[str, ...]] = {}


def rule(identifier: RuleId, *, stages: tuple[str, ...] = STAGES) -> Callable[[Rule], Rule]:
    """Register a rule under a stable identifier (stored with explanations: never rename),
    run only on a declaration whose 阶段 is one of ``stages`` (``declaration_stage``)."""

    def register(function: Rule) -> Rule:
        registered = function
        if stages != STAGES:

            @functools.wraps(function)
            def registered(declaration: Declaration) -> Iterable[Finding]:
                return function(declaration) if declaration_stage(declaration) in stages else ()

        RULES[identifier] = registered
        RULE_STAGES[identifier] = stages
        registered.rule_id = identifier  # type: ignore[attr-defined]  # the rule's id kept on the function object
        return registered

    return register


def declaration_stage(declaration: Declaration) -> str:
    """The 阶段 of ``declaration``: its ``stage``, 申报 for one built in memory and not yet
    stored (the column's default is applied on insert)."""
    return declaration.stage or DECLARE


def _finding(
    rule_id: RuleId, severity: Severity, row: SyncedRow, field: str, message: str
) -> Finding:
    return Finding(rule_id, severity, Location.of(row, field), message)


def _unfilled(
    rule_id: RuleId, severity: Severity, row: SyncedRow, field: str, message: str
) -> Finding:
    """A finding about something not filled in yet (待填写 while editing)."""
    return Finding(rule_id, severity, Location.of(row, field), message, unfilled=True)


def review(declaration: Declaration, *, final: bool = True) -> list[Finding]:
    """Every finding of every rule on ``declaration`` (loaded with all its rows).

    ``final`` is the moment of judgement (print, ``jixiao check``, 汇总表): every finding
    keeps its severity. While editing (``final=False``, the 审核 panel) what is simply not
    filled in yet (``Finding.unfilled``) is ``Severity.TODO`` (待填写), not a red 错误.
    Findings a clerk has explained (``declaration.finding_explanations``, also under a
    rule's former identifier) carry the explanation; only a 警告 can be explained, and its
    status becomes 已说明. Order: errors, warnings, hints, 待填写; within each, rule order
    (待填写: Part 1 first, then the projects in rule order, as the form reads).
    """
    explanations = {(e.rule, e.row_uuid, e.field): e.text for e in declaration.finding_explanations}
    findings = []
    for identifier, function in RULES.items():
        names = (identifier, *FORMER_RULE_IDS.get(identifier, ()))
        for finding in function(declaration):
            if finding.unfilled and not final:
                findings.append(replace(finding, severity=Severity.TODO))
                continue
            _, row_uuid, field = finding.key
            text = next((t for n in names if (t := explanations.get((n, row_uuid, field)))), "")
            findings.append(finding.explained(text) if text and finding.severity is W else finding)
    order = {E: 0, W: 1, H: 2, Severity.TODO: 3}
    return sorted(findings, key=lambda f: (order[f.severity], _checklist_place(f)))


#: 待填写 reads like the form: 部门整体, 年度主要任务, 分项目标, then the project tables.
_FORM_ORDER = ("declaration", "key_task", "item_target", "item_target_statement")


def _checklist_place(finding: Finding) -> int:
    """Where a 待填写 item comes in the checklist (others keep the rule order)."""
    if finding.severity is not Severity.TODO or finding.location.table not in _FORM_ORDER:
        return len(_FORM_ORDER)
    return _FORM_ORDER.index(finding.location.table)


def _amounts(project: BudgetProject) -> Iterator[tuple[str, Decimal | None]]:
    yield from (
        ("budget_amount", project.budget_amount),
        ("fiscal_funds", project.fiscal_funds),
        ("other_funds", project.other_funds),
    )


# -- amounts ----------------------------------------------------------------------------
@rule(RuleId.FUNDS_SUM)
def funds_add_up(declaration: Declaration) -> Iterator[Finding]:
    """财政资金 + 其他资金 = 预算数, exactly.

    Source: form (预算规模 row: 预算数，其中：财政资金、其他资金).
    """
    for project in declaration.budget_projects:
        if project.budget_amount is None:
            continue
        if project.fiscal_funds is None and project.other_funds is None:
            continue
        funds = (project.fiscal_funds or Decimal(0)) + (project.other_funds or Decimal(0))
        if funds != project.budget_amount:
            yield _finding(
                RuleId.FUNDS_SUM,
                E,
                project,
                "budget_amount",
                f"财政资金与其他资金之和为 {funds} 万元，"
                f"与预算数 {project.budget_amount} 万元不符。"
                "请核对三个金额。",
            )


@rule(RuleId.SIGN)
def amounts_not_negative(declaration: Declaration) -> Iterator[Finding]:
    """Amounts are ≥ 0 and a project's 预算数 is > 0. Source: form (a budget is money asked for)."""
    for project in declaration.budget_projects:
        for field, value in _amounts(project):
            if value is not None and value < 0:
                yield _finding(RuleId.SIGN, E, project, field, "金额不能为负数，请改正。")
        if project.budget_amount is not None and project.budget_amount == 0:
            yield _finding(
                RuleId.SIGN,
                E,
                project,
                "budget_amount",
                "预算数为 0：没有资金的项目不需要填报绩效目标表，请填写预算数或删除该项目。",
            )
    if declaration.total_budget is not None and declaration.total_budget < 0:
        yield _finding(RuleId.SIGN, E, declaration, "total_budget", "金额不能为负数，请改正。")


@rule(RuleId.TOTAL_VS_PROJECTS)
def total_matches_projects(declaration: Declaration) -> Iterator[Finding]:
    """申请预算资金 against the sum of the projects' 预算数 (0 when there is no project, as
    the 部门整体 tab shows it: “相差 … 万元” in red).

    Source: observed practice — Part 1 states the money the Part 2 tables detail; a
    difference is allowed (basic expenditure may be included) but must be explained.
    An empty 申请预算资金 is ``complete.fields``'s.
    """
    if declaration.total_budget is None:
        return
    total = sum((p.budget_amount or Decimal(0) for p in declaration.budget_projects), Decimal(0))
    if not declaration.budget_projects and declaration.total_budget != 0:
        yield _finding(
            RuleId.TOTAL_VS_PROJECTS,
            W,
            declaration,
            "total_budget",
            f"申请预算资金 {declaration.total_budget} 万元，但没有任何预算项目（合计 0 万元）。"
            "请在“项目绩效目标表”中添加预算项目；如全部为基本支出等，请写明说明。",
        )
    elif total != declaration.total_budget:
        yield _finding(
            RuleId.TOTAL_VS_PROJECTS,
            W,
            declaration,
            "total_budget",
            f"申请预算资金 {declaration.total_budget} 万元"
            f"与各预算项目预算数合计 {total} 万元不一致。"
            "如含基本支出等，请写明说明。",
        )


@rule(RuleId.AMOUNT_UNIT)
def amounts_in_wan_yuan(declaration: Declaration) -> Iterator[Finding]:
    """An amount that looks entered in 元 in a 万元 table, judged against the declaration's
    scale: from 1亿 (10000 万元) on when no other amount of the declaration is within a
    factor of 1000 of it (a 1亿 project whose funds and § 二 say 10000 too is real), and
    always from 10亿 (100000 万元), beyond any county unit's declaration.

    Source: form (单位：万元) and observed practice (the commonest returned error; a
    reviewer compares an amount with the unit's other amounts, not with a fixed limit).
    """
    rows: list[tuple[SyncedRow, str, Decimal | None]] = [
        (declaration, "total_budget", declaration.total_budget)
    ]
    for project in declaration.budget_projects:
        rows += [(project, field, value) for field, value in _amounts(project)]
    for item in declaration.item_targets:
        rows.append((item, "budget", item.budget))
    amounts = [(row, field, value) for row, field, value in rows if value]
    for row, field, value in amounts:
        if value is None or value < SUSPICIOUS_AMOUNT:
            continue
        others = [v for r, f, v in amounts if (r, f) != (row, field)]
        alone = bool(others) and all(v * SCALE_FACTOR < value for v in others)
        if alone or value >= IMPLAUSIBLE_AMOUNT:
            yield _finding(
                RuleId.AMOUNT_UNIT,
                W,
                row,
                field,
                f"{value} 万元即 {value / 10000} 亿元，是否按“元”填写了？本表金额单位为万元。",
            )


# -- disbursement plan ------------------------------------------------------------------
@rule(RuleId.PLAN)
def disbursement_plan(declaration: Declaration) -> Iterator[Finding]:
    """Cumulative percentages in 0–100, not decreasing, the last 100.

    Source: form (资金支出计划（%）: cumulative share spent by 3月底/6月底/10月底/12月底).
    """
    for project in declaration.budget_projects:
        previous = Decimal(0)
        for point in project.disbursement_plan:
            value = point.cumulative_percent
            if value is None:
                yield _unfilled(
                    RuleId.PLAN,
                    E,
                    point,
                    "cumulative_percent",
                    f"{point.label}的累计支出比例未填。",
                )
                continue
            if not 0 <= value <= 100:
                yield _finding(
                    RuleId.PLAN,
                    E,
                    point,
                    "cumulative_percent",
                    f"{point.label}累计支出 {value}% 不在 0～100% 之间。",
                )
            elif value < previous:
                yield _finding(
                    RuleId.PLAN,
                    E,
                    point,
                    "cumulative_percent",
                    f"{point.label}累计支出 {value}% 小于前一节点的 {previous}%："
                    "累计比例不能减少。",
                )
            previous = max(previous, value)
        plan = list(project.disbursement_plan)
        last = plan[-1] if plan else None
        if (
            last is not None
            and last.cumulative_percent is not None
            and last.cumulative_percent != 100
        ):
            yield _finding(
                RuleId.PLAN,
                E,
                last,
                "cumulative_percent",
                f"最后一个节点（{last.label}）的累计支出应为 100%，"
                f"现为 {last.cumulative_percent}%。",
            )


# -- completeness -------------------------------------------------------------------------
@rule(RuleId.FIELDS)
def required_fields(declaration: Declaration) -> Iterator[Finding]:
    """Unit code and name, 申请预算资金; each project's code, name, 预算数 and 绩效目标.

    Source: form (本部门…年度申请预算资金…万元 is a sentence of Part 1; empty, it prints
    a blank line to fill in by hand, which the finance bureau does not accept).
    """
    for field in ("unit_code", "unit_name"):
        if not getattr(declaration, field).strip():
            yield _unfilled(RuleId.FIELDS, E, declaration, field, "必填项未填写。")
    if declaration.total_budget is None:
        yield _unfilled(
            RuleId.FIELDS,
            E,
            declaration,
            "total_budget",
            "必填项未填写：请在“部门整体”中填写本部门申请预算资金（万元）。",
        )
    for project in declaration.budget_projects:
        for field in ("code", "name", "performance_target"):
            if not getattr(project, field).strip():
                yield _unfilled(RuleId.FIELDS, E, project, field, "必填项未填写。")
        if project.budget_amount is None:
            yield _unfilled(RuleId.FIELDS, E, project, "budget_amount", "必填项未填写。")
        if not project.use_of_funds.strip():
            yield _unfilled(RuleId.FIELDS, W, project, "use_of_funds", "资金用途未填写。")


@rule(RuleId.CONTROL)
def no_control_characters(declaration: Declaration) -> Iterator[Finding]:
    """Each text holding a control character (``domains.CONTROL_CHARACTERS``) is an 错误 at
    its field. Source: XML 1.0 (no .docx or .xlsx can hold them) and the print's fonts;
    such a file, made by another program or an older version, opens so that it can be
    corrected, and ``export-xlsx``, ``export-docx`` and ``summary`` refuse it."""
    for row in declaration.form_rows():
        for field in FIELD_LABELS[type(row)]:
            value = getattr(row, field)
            problem = control_problem(value) if isinstance(value, str) else None
            if problem is not None:
                yield _finding(RuleId.CONTROL, E, row, field, f"{problem}。")


@rule(RuleId.PART1)
def part1_sections_filled(declaration: Declaration) -> Iterator[Finding]:
    """Part 1 has its 总体绩效目标, 年度主要任务, 分项绩效目标 and 工作保障措施.

    Source: form (部门整体绩效目标: 一、总体绩效目标 with the year's key tasks, 二、分项
    绩效目标 per funded item, 三、工作保障措施; an empty section prints an empty heading).
    """
    for field in ("overall_target", "safeguard_measures"):
        if not getattr(declaration, field).strip():
            label = FIELD_LABELS[Declaration][field]
            yield _unfilled(
                RuleId.PART1, E, declaration, field, f"{label}未填写，请在“部门整体”中填写。"
            )
    if not any(task.title.strip() or task.body.strip() for task in declaration.key_tasks):
        row = declaration.key_tasks[0] if declaration.key_tasks else declaration
        yield _unfilled(
            RuleId.PART1, E, row, "body" if row is not declaration else "",
            "年度主要任务未填写：请写明本年度的主要任务（每项一段）。",
        )  # fmt: skip
    filled = [i for i in declaration.item_targets if i.title.strip() or i.statements]
    if declaration.budget_projects and not filled:
        first: ItemTarget | Declaration = (
            declaration.item_targets[0] if declaration.item_targets else declaration
        )
        yield _unfilled(
            RuleId.PART1, E, first, "title" if first is not declaration else "",
            "分项绩效目标未填写：请按预算项目写明分项目标（可用“从项目表生成”）。",
        )  # fmt: skip
    for item in filled:
        if not item.title.strip():  # its statements print under a heading without a name
            yield _unfilled(
                RuleId.PART1, E, item, "title",
                "分项名称未填写：打印时是这一分项的标题，请填写（一般与对应预算项目名称相同）。",
            )  # fmt: skip


@rule(RuleId.LEVEL1)
def required_level1(declaration: Declaration) -> Iterator[Finding]:
    """产出指标, 效益指标 and 满意度指标 each have at least one filled indicator.

    Source: regulation (财预〔2021〕101号: 产出、效益、满意度 indicators are required).
    """
    for project in declaration.budget_projects:
        present = {
            standard_name(i.level1)
            for i in project.indicators
            if i.level3.strip() or i.target_value.strip()
        }
        for level1 in REQUIRED_LEVEL1:
            if level1 not in present:
                yield _unfilled(
                    RuleId.LEVEL1,
                    E,
                    project,
                    "",
                    f"缺少“{level1}”：至少要有一条已填写三级指标和指标值的{level1}。",
                )


@rule(RuleId.INDICATOR_ROWS)
def indicator_rows_filled(declaration: Declaration) -> Iterator[Finding]:
    """An indicator row has a level-3 name and a target value, or is empty (then 警告).

    Source: form (every grid row is one indicator with its 指标值).
    """
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            named, valued = bool(indicator.level3.strip()), bool(indicator.target_value.strip())
            if not named and not valued:
                yield _unfilled(
                    RuleId.INDICATOR_ROWS,
                    W,
                    indicator,
                    "level3",
                    "空行：未填三级指标和指标值。请填写或删除该行。",
                )
            elif not valued:
                yield _unfilled(RuleId.INDICATOR_ROWS, E, indicator, "target_value", "缺少指标值。")
            elif not named:
                yield _unfilled(RuleId.INDICATOR_ROWS, E, indicator, "level3", "缺少三级指标名称。")


def _same_words(text: str) -> str:
    """``text`` as compared for sameness: full-width folded (NFKC), every space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@rule(RuleId.INDICATOR_TWICE)
def indicator_not_twice(declaration: Declaration) -> Iterator[Finding]:
    """The same indicator (一级, 二级 and 三级指标 alike, after spaces and full-width
    letters) twice in one budget project (警告, on the later row, naming both rows).

    Source: form (each grid row is one indicator with its own 指标值; a row twice, as a
    library pick made again or a row pasted twice leaves it, is counted twice on paper).
    """
    for project in declaration.budget_projects:
        first: dict[tuple[str, str, str], int] = {}
        for number, indicator in enumerate(project.indicators, start=1):
            if not indicator.level3.strip():
                continue
            levels = (indicator.level1, indicator.level2, indicator.level3)
            key = (_same_words(levels[0]), _same_words(levels[1]), _same_words(levels[2]))
            if key not in first:
                first[key] = number
                continue
            yield _finding(
                RuleId.INDICATOR_TWICE, W, indicator, "level3",
                f"第{first[key]}行与第{number}行的三级指标相同（“{indicator.level3.strip()}”，"
                f"{indicator.level1.strip()}／{indicator.level2.strip()}），"
                "请删去重复的一行或改写其中一行。",
            )  # fmt: skip


# -- vocabulary ---------------------------------------------------------------------------
#: Level-1 and level-2 names of every known profile, and the synonyms seen in real tables.
_LEVEL1_NAMES = {name for _, levels in PROFILES.values() for name in levels}
_LEVEL2_NAMES = {
    name for _, levels in PROFILES.values() for names in levels.values() for name in names
}
_FRAMEWORK_NAMES = _LEVEL1_NAMES | _LEVEL2_NAMES | set(SYNONYMS)


def _profile_of(name: str) -> str:
    """The title of the first profile that has ``name`` as a level-2 name ('' if none)."""
    return next(
        (title for title, levels in PROFILES.values() if any(name in n for n in levels.values())),
        "",
    )


@rule(RuleId.LEVELS)
def levels_in_profile(declaration: Declaration) -> Iterator[Finding]:
    """Level-1 is given and one of the profile's, level-2 belongs to it; a level-1 or level-2
    name of any known profile is not used at another level (成本指标 as a 三级指标,
    数量指标 as a 一级指标, 社会成本指标 in a county table).

    Synonyms seen in real tables (环境效益指标, 效果指标 …) are read as the standard name,
    with a 提示 to write that. Source: regulation (财预〔2021〕101号 indicator framework) as
    in the declaration's profile (``PROFILES``), and every profile the program knows.
    """
    levels = profile_levels(declaration.profile)
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            level1, level2 = standard_name(indicator.level1), standard_name(indicator.level2)
            for field, typed, name in (
                ("level1", indicator.level1, level1),
                ("level2", indicator.level2, level2),
            ):
                if typed.strip() and name != typed.strip():
                    yield _finding(
                        RuleId.LEVELS, H, indicator, field, f"“{typed}”即“{name}”，建议写标准名称。"
                    )
            allowed = levels.get(level1)
            if allowed is None:
                if not level1:
                    problem = "缺少一级指标"
                elif level1 in _LEVEL2_NAMES:
                    problem = f"“{indicator.level1}”是二级指标名称，不能作一级指标"
                else:
                    problem = f"一级指标“{indicator.level1}”不在所选指标体系中"
                yield _finding(
                    RuleId.LEVELS, E, indicator, "level1",
                    f"{problem}，应为：" + "、".join(levels) + "。",
                )  # fmt: skip
            elif level2 not in allowed:
                other = _profile_of(level2) if level2 not in _LEVEL1_NAMES else ""
                note = f"（“{level2}”属于“{other}”）" if other else ""
                yield _finding(
                    RuleId.LEVELS, E, indicator, "level2",
                    f"二级指标“{indicator.level2}”不属于“{level1}”{note}，应为："
                    + "、".join(allowed) + "。",
                )  # fmt: skip
            if indicator.level3.strip() in _FRAMEWORK_NAMES:
                yield _finding(
                    RuleId.LEVELS, W, indicator, "level3",
                    f"三级指标写成了指标体系的名称“{indicator.level3}”，请写具体指标名称"
                    "（如“办公设备采购成本”）。",
                )  # fmt: skip


@rule(RuleId.SATISFACTION)
def satisfaction_filed_right(declaration: Declaration) -> Iterator[Finding]:
    """An indicator about 满意 (满意度, 满意程度, 满意率) belongs under 满意度指标.

    Source: regulation (财预〔2021〕101号: 满意度指标 reflect the satisfaction of the
    people served; a 社会效益指标 "市民满意程度" double-counts it).
    """
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            level1 = standard_name(indicator.level1)
            if "满意" in indicator.level3 + indicator.level2 and level1 != "满意度指标":
                yield _finding(
                    RuleId.SATISFACTION, W, indicator, "level1",
                    f"“{indicator.level3}”是满意度指标，却放在“{indicator.level1}”下，"
                    "请移到“满意度指标”。",
                )  # fmt: skip


@rule(RuleId.LIBRARY_PLACE)
def filed_as_in_library(declaration: Declaration) -> Iterator[Finding]:
    """An indicator whose 三级指标 is the name of a built-in library entry filed under
    another level-1/level-2 is likely misplaced (提示): 参训人数 under 社会效益指标.

    Source: the built-in 指标库 (resources/library/builtin.json, written from the
    categories of 财预〔2021〕101号) and observed practice (studies of target review report
    categories mixed up: a quality rate filed as an effect). Only exact names are compared
    (after outer spaces), and the entry's levels as the declaration's profile names them.
    """
    by_name = {entry.level3: entry for entry in builtin_library().entries}
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            entry = by_name.get(indicator.level3.strip())
            if entry is None:
                continue
            level1, level2 = entry_levels(entry, declaration.profile)
            typed = (standard_name(indicator.level1), standard_name(indicator.level2))
            if typed != (level1, level2) and all(typed):
                yield _finding(
                    RuleId.LIBRARY_PLACE, H, indicator, "level2",
                    f"“{entry.level3}”在指标库中属于“{level1}／{level2}”，这里放在"
                    f"“{indicator.level1}／{indicator.level2}”下，请确认是否放错了位置。",
                )  # fmt: skip


# -- target values ------------------------------------------------------------------------
def _indicators(declaration: Declaration) -> Iterator[tuple[BudgetProject, Indicator]]:
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            if indicator.target_value.strip():
                yield project, indicator


def _is_cost(indicator: Indicator) -> bool:
    """A cost indicator in any profile: 成本 in its level-1 or level-2 name."""
    return "成本" in indicator.level1 + indicator.level2


#: Names with 率 that are not shares (a frequency, a power, an exchange rate).
_NOT_RATES = ("频率", "功率", "汇率")


def _rate_word(indicator: Indicator) -> str:
    """比率 or 满意度 when the 三级指标 names a share (…率, 满意度, 满意程度), else ''."""
    name = indicator.level3
    if "满意" in name:
        return "满意度"
    if "率" in name and not any(word in name for word in _NOT_RATES):
        return "比率"
    return ""


def _name_states_percent(indicator: Indicator) -> bool:
    """The 三级指标 carries the unit itself: 群众知晓率（%）, 满意度(百分比)."""
    name = unicodedata.normalize("NFKC", indicator.level3)
    return "%" in name or "百分比" in name


@rule(RuleId.KIND)
def value_fits_indicator(declaration: Declaration) -> Iterator[Finding]:
    """The target value has the form its level-2 indicator needs.

    数量指标: a number with a unit (money there is ``values.input``'s); 满意度: a
    percentage; 时效指标: a date, quarter or period (its year is ``values.time``'s), a
    duration or a rate; 质量 and every 成本 indicator: not words only. Source: regulation
    (财预〔2021〕101号: 产出指标 are quantitative where possible; 满意度 as a percentage).

    A bare number with no unit (``≥90``, ``95``, whatever the sign) is a quantity lacking
    its unit wherever the 三级指标 names a share (…率, 满意度), under any level-2, unless
    the name states the unit (群众知晓率（%）); and in every 成本 indicator, where the cost
    check (``values.cost``) cannot judge it, the message saying it would be 万元, the
    table's unit. Source: observed practice (published tables keep 指标值 and 计量单位 in two
    columns: a value copied without its unit column reads as a bare number) and the form
    (单位：万元; a cost is compared with the 预算数).
    """
    for _, indicator in _indicators(declaration):
        message = _kind_problem(indicator)
        if message:
            yield _finding(RuleId.KIND, W, indicator, "target_value", message)


def _kind_problem(indicator: Indicator) -> str:
    """``value_fits_indicator``'s message for ``indicator``: what its target value lacks
    for its 三级指标 (a bare number where a share or a cost is named) or its level-1 and
    level-2 indicator (the rules in that docstring), or "" when it has the form needed."""
    value = parse_target_value(indicator.target_value)
    level2 = standard_name(indicator.level2)
    text = indicator.target_value.strip()
    bare = value.kind == "quantity" and not value.unit and not _name_states_percent(indicator)
    if bare and (word := _rate_word(indicator)):
        return (
            f"“{indicator.level3}”是{word}，指标值“{text}”只有数字、没有单位，"
            "应写百分比，例如“≥90%”。"
        )
    if bare and _is_cost(indicator):
        return (
            f"成本“{text}”没有金额单位，无法与项目预算数比较。如按本表的单位万元计"
            f"（{_wan(value.number)} 万元），请写“{text}万元”；如是元，请折算为万元。"  # type: ignore[arg-type]  # number is set for a money value
        )
    if level2 == "数量指标":
        if value.kind not in ("quantity", "money"):
            return "数量指标应为带计量单位的数值，例如“325辆”。"
        return "" if value.unit else "数量指标缺少计量单位（个、辆、次、人……）。"
    if standard_name(indicator.level1) == "满意度指标":
        stated = value.kind == "quantity" and not value.unit and _name_states_percent(indicator)
        return "" if value.kind == "percent" or stated else "满意度应为百分比，例如“≥90%”。"
    if level2 == "时效指标":
        if value.is_time or value.kind in ("percent", "quantity"):
            return ""
        return "时效指标应为时间（如“2022年12月底”）、期限或及时率。"
    if (level2 == "质量指标" or _is_cost(indicator)) and value.kind == "qualitative":
        return f"{level2 or indicator.level1}应为可衡量的数值（如“100%”），而不是文字描述。"
    return ""


@rule(RuleId.UNIT)
def value_and_unit_agree(declaration: Declaration) -> Iterator[Finding]:
    """A target value does not state two units (``28.8万元`` in a row whose unit says %),
    a 定性 value has no unit (``应保尽保%``), and a rate (…率) is not an amount of money.

    Source: observed practice (tables keep 指标值 and 计量单位 in two columns; reviewers send
    back a value whose unit contradicts it, e.g. 岳阳楼区 2023 整体绩效目标表).
    """
    for _, indicator in _indicators(declaration):
        value = parse_target_value(indicator.target_value)
        text = indicator.target_value.strip()
        if value.kind == "qualitative" and value.extra_unit:
            message = (
                f"“{text}”是文字描述（定性），却带了计量单位“{value.extra_unit}”，请删去单位。"
            )
        elif value.extra_unit:
            message = (
                f"“{text}”既写了“{value.unit or '%'}”又写了“{value.extra_unit}”，"
                "数值与计量单位矛盾，请只保留正确的单位。"
            )
        elif value.kind == "money" and indicator.level3.strip().endswith("率"):
            message = f"“{indicator.level3}”是比率，指标值却是金额“{text}”，请写百分比。"
        else:
            continue
        yield _finding(RuleId.UNIT, W, indicator, "target_value", message)


def _project_years(project: BudgetProject, fiscal_year: int) -> set[int]:
    """The fiscal year and every year a period value of the project spans (项目期)."""
    years = {fiscal_year}
    for indicator in project.indicators:
        value = parse_target_value(indicator.target_value)
        if value.kind == "period" and value.year and value.end_year:
            years.update(range(value.year, value.end_year + 1))
    return years


@rule(RuleId.TIME)
def time_in_year_or_period(declaration: Declaration) -> Iterator[Finding]:
    """A date, quarter or period in a target value lies in the fiscal year or in the
    project's period (a period value of the same table, e.g. 服务周期 2023.07-2024.01).

    Source: regulation (财预〔2021〕101号: 年度绩效目标 are what the year's money achieves)
    and observed practice (a 完成时限 copied from last year's table).
    """
    for project in declaration.budget_projects:
        years: set[int] | None = None
        for indicator in project.indicators:
            value = parse_target_value(indicator.target_value)
            if not value.is_time:
                continue
            first, last = value.years()
            if first is None or last is None:
                continue
            years = years if years is not None else _project_years(project, declaration.fiscal_year)
            if value.kind == "period" and declaration.fiscal_year in range(first, last + 1):
                continue
            if value.kind == "date" and first in years:
                continue
            yield _finding(
                RuleId.TIME, W, indicator, "target_value",
                f"“{indicator.target_value.strip()}”不在预算年度 {declaration.fiscal_year} 年"
                "（或本项目的实施期）内，请核对年份。",
            )  # fmt: skip


@rule(RuleId.INPUT)
def outputs_not_inputs(declaration: Declaration) -> Iterator[Finding]:
    """An 产出 indicator other than cost states what is produced, not the money put in:
    an amount of money under 数量/质量/时效指标 is an input stated as a target.

    Source: observed practice (published 填报说明 say 财力、人力和物力等投入数量不能作为
    绩效目标; e.g. 岳阳楼区 2023: 数量指标 “业务工作支出安排金额 28.8万元”).
    """
    for _, indicator in _indicators(declaration):
        level2 = standard_name(indicator.level2)
        if level2 not in ("数量指标", "质量指标", "时效指标"):
            continue
        value = parse_target_value(indicator.target_value)
        if value.kind == "money":
            yield _finding(
                RuleId.INPUT, W, indicator, "target_value",
                f"{level2}“{indicator.level3}”填的是资金投入（{indicator.target_value.strip()}），"
                "请写资金带来的产出（数量、质量或时间）；资金放在成本指标。",
            )  # fmt: skip


@rule(RuleId.RATE)
def rate_within_hundred(declaration: Declaration) -> Iterator[Finding]:
    """A rate (率, not a growth rate) cannot exceed 100%. Source: arithmetic of a share."""
    for _, indicator in _indicators(declaration):
        value = parse_target_value(indicator.target_value)
        name = indicator.level3 + indicator.description
        growth = any(word in name for word in ("增长", "增加", "提高", "提升"))
        if value.kind == "percent" and "率" in name and not growth and value.number > 100:  # type: ignore[operator]  # number is set for a percent
            yield _finding(
                RuleId.RATE,
                E,
                indicator,
                "target_value",
                f"“{indicator.level3}”是比率，{indicator.target_value} 超过了 100%。",
            )


@rule(RuleId.COST)
def cost_within_budget(declaration: Declaration) -> Iterator[Finding]:
    """A cost in money (any indicator with 成本 in its level-1 or level-2 name, in every
    profile: 成本指标, 经济成本指标 …; 250万, ≤80万元, 5000元 all read as money) is not
    above the project's 预算数. Source: form (a project's cost is part of its budget).
    """
    for project, indicator in _indicators(declaration):
        if not _is_cost(indicator) or project.budget_amount is None:
            continue
        value: TargetValue = parse_target_value(indicator.target_value)
        amount = value.wan_yuan
        if amount is not None and amount > project.budget_amount:
            yield _finding(
                RuleId.COST, E, indicator, "target_value",
                f"成本 {indicator.target_value.strip()}（{_wan(amount)} 万元）"
                f"超过了项目预算数 {project.budget_amount} 万元。",
            )  # fmt: skip


def _wan(amount: Decimal) -> str:
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@rule(RuleId.PASTED)
def same_value_pasted(declaration: Declaration) -> Iterator[Finding]:
    """The same target value on many unrelated indicators (提示). Source: observed practice."""
    for project in declaration.budget_projects:
        groups: dict[str, set[str]] = {}
        counts: Counter[str] = Counter()
        for indicator in project.indicators:
            value = indicator.target_value.strip()
            if value and parse_target_value(value).kind != "qualitative":
                counts[value] += 1
                groups.setdefault(value, set()).add(indicator.level2)
        for value, count in counts.items():
            if count >= PASTED_VALUE_COUNT and len(groups[value]) >= PASTED_VALUE_COUNT - 1:
                yield _finding(
                    RuleId.PASTED,
                    H,
                    project,
                    "",
                    f"“{value}”用在了 {count} 个不同的指标上，请确认每个指标值都是按该指标测算的。",
                )


@rule(RuleId.DESCRIPTION)
def descriptions_say_more(declaration: Declaration) -> Iterator[Finding]:
    """绩效指标描述 that only repeats the 三级指标 name (提示, once per project).

    Source: observed practice (reviewers ask what is measured and how).
    """
    for project in declaration.budget_projects:
        same = [i for i in project.indicators if i.level3.strip() and i.description == i.level3]
        if same:
            yield _finding(
                RuleId.DESCRIPTION,
                H,
                project,
                "",
                f"{len(same)} 个指标的“绩效指标描述”与三级指标名称相同，可写明衡量的内容和口径。",
            )


@rule(RuleId.ACTUAL)
def no_actual_values(declaration: Declaration) -> Iterator[Finding]:
    """A target declaration states targets, not achieved values (完成值).

    Source: observed practice (text copied from last year's self-evaluation report, as in
    the reference document's last § 二 statement).
    """
    rows: list[tuple[SyncedRow, str, str]] = []
    for item in declaration.item_targets:
        rows += [(statement, "text", statement.text) for statement in item.statements]
    for project in declaration.budget_projects:
        rows += [(i, "target_value", i.target_value) for i in project.indicators]
    for row, field, text in rows:
        if "完成值" in text or "完成情况" in text:
            yield _finding(
                RuleId.ACTUAL,
                W,
                row,
                field,
                "绩效目标申报中出现了“完成值/完成情况”，这是自评报告的内容，请只写目标值。",
            )


@rule(RuleId.STRUCTURED)
def value_structured(declaration: Declaration) -> Iterator[Finding]:
    """Each 指标值 reads as its structured fields (指标性质, 计算符号, 目标数值, 计量单位:
    ``indicator_fields.read_structured``), by which 监控 and 自评 measure the indicator.

    A text with a number that is not one value (a range ``90%-95%``, ``完成值95%``, two
    numbers) leaves them empty: 警告 at the 目标数值, the cell to fill (the text is then
    rewritten from it). A text stating two units is ``values.unit``'s finding, not
    repeated. Stored fields that differ from the reading (a file changed by another
    program) are a 警告 at the 指标值. Source: the 自评 forms (Sichuan's 指标性质 ≥/≤/=,
    指标值 and 度量单位 columns; the 项目支出绩效自评表 scores a 定量 indicator by its number
    against the 实际完成值, 财预〔2020〕10号).
    """
    for _, indicator in _indicators(declaration):
        text = indicator.target_value.strip()
        reading = read_structured(indicator.target_value)
        extra = parse_target_value(indicator.target_value).extra_unit
        if not reading.readable:
            if extra and not numbers_in(extra):
                continue  # two units: values.unit
            yield _finding(
                RuleId.STRUCTURED,
                W,
                indicator,
                "target_number",
                f"指标值“{text}”含有数字，却读不出一个目标数值（可能是区间、多个数或数字夹在"
                "文字中）。自评要按目标数值打分：请在“数值”栏填写目标值（指标值随之改写为"
                "如“≥95%”的形式），或直接改写指标值；确为定性指标的，可写明说明。",
            )
            continue
        stored = [str(getattr(indicator, name)) for name in DERIVED_FIELDS]
        if stored != [str(value) for value in reading.fields().values()]:
            yield _finding(
                RuleId.STRUCTURED,
                W,
                indicator,
                "target_value",
                f"指标性质、计算符号、目标数值或计量单位与指标值“{text}”不一致"
                "（文件可能被其他程序改动过）：请重新输入一次指标值。",
            )


#: The 分值 of a project's indicators together: 100 less the 执行率's.
INDICATOR_POINTS = Decimal(100) - BUDGET_EXECUTION_WEIGHT


@rule(RuleId.WEIGHTS)
def weights_add_up(declaration: Declaration) -> Iterator[Finding]:
    """A project whose clerk chose some 分值 has its indicators' 分值 add up to 90 (the
    执行率 takes the other 10 of 100); the defaults (each 一级指标's share spread evenly,
    ``indicator_fields.effective_weights``) always do where every 一级指标 has indicators.

    Source: the 自评 scheme (执行率 10, 产出指标 50, 效益指标 30, 满意度指标 10;
    财预〔2020〕10号, as in the published 项目支出绩效自评表 of 池州市贵池区 2022).
    """
    for project in declaration.budget_projects:
        if all(indicator.weight is None for indicator in project.indicators):
            continue
        rows = [
            WeightedRow(i.level1, bool(i.level3.strip() or i.target_value.strip()), i.weight)
            for i in project.indicators
        ]
        total = sum((w for w in effective_weights(rows) if w is not None), Decimal(0))
        if total != INDICATOR_POINTS:
            yield _finding(
                RuleId.WEIGHTS,
                W,
                project,
                "",
                f"各指标分值合计 {weight_text(total)} 分，应为 {weight_text(INDICATOR_POINTS)} 分"
                f"（另 {weight_text(BUDGET_EXECUTION_WEIGHT)} 分为预算执行率）：请调整“分值”栏，"
                "或清空让程序按一级指标平均分配。",
            )


# -- Part 1 § 二 against Part 2 -------------------------------------------------------------
@rule(RuleId.ITEM_NAME)
def item_name_matches_project(declaration: Declaration) -> Iterator[Finding]:
    """An item target is named like the budget project it is linked to (提示).

    Source: observed practice (the reference document: 接待活动管理经费项目 / 接待管理经费).
    A blank name is not compared: it is 待填写 already (``required_fields``), said once.
    """
    for item in declaration.item_targets:
        project = item.budget_project
        title = item.title.strip()
        if project is not None and title and project.name.strip() and title != project.name.strip():
            yield _finding(
                RuleId.ITEM_NAME,
                H,
                item,
                "title",
                f"分项名称“{item.title}”与对应预算项目名称“{project.name}”不同，"
                "请确认说的是同一笔资金。",
            )


@rule(RuleId.ITEM_BUDGET)
def item_budget_matches_project(declaration: Declaration) -> Iterator[Finding]:
    """An item target's 预算资金 equals the 预算数 of the budget project it is linked to.

    Source: form (§ 二 and the 项目绩效目标表 describe the same money).
    """
    for item in declaration.item_targets:
        project = item.budget_project
        if project is None or item.budget is None or project.budget_amount is None:
            continue
        if item.budget != project.budget_amount:
            yield _finding(
                RuleId.ITEM_BUDGET,
                E,
                item,
                "budget",
                f"分项目标预算资金 {item.budget} 万元与项目“{project.name}”的预算数 "
                f"{project.budget_amount} 万元不一致。",
            )


@rule(RuleId.ITEM_UNLINKED)
def item_budget_has_project(declaration: Declaration) -> Iterator[Finding]:
    """An item target with a 预算资金 is linked to a budget project (警告).

    Source: form (§ 二 分项绩效目标 restates, per funded item, the 项目绩效目标表 of Part 2;
    money in § 二 without a table is what is left when a project was deleted — the item
    then shows （不关联） but keeps its amount). A 警告, not an 错误: an item may describe
    basic expenditure that has no project table, which the clerk explains in writing.
    """
    for item in declaration.item_targets:
        if item.budget_project is None and item.budget is not None and item.budget != 0:
            yield _finding(
                RuleId.ITEM_UNLINKED,
                W,
                item,
                "budget",
                f"分项目标填有预算资金 {item.budget} 万元，但未关联预算项目（不关联）。"
                "请在“对应预算项目”中选择该资金所属的项目；"
                "如项目已删除，请删除该分项目标或清空其预算资金。",
            )


@rule(RuleId.ITEM_MISSING)
def project_has_item_target(declaration: Declaration) -> Iterator[Finding]:
    """Every budget project has an item target linked to it (its 对应预算项目), 警告.

    Source: form (§ 二 分项绩效目标 restates, per funded item, the 项目绩效目标表 of Part 2;
    a project no item target points to is missing from 第一部分 on paper). The other
    direction is ``consistency.item_unlinked``. A 警告, not an 错误: a unit may describe
    several projects in one 分项目标 (an item links one project), which the clerk explains
    in writing. 待填写 only while the project itself is blank (no name, no 预算数: just
    added); once it has either, a 警告 the clerk can explain while editing. When § 二 is
    empty altogether ``complete.part1`` says so once instead.
    """
    if not any(i.title.strip() or i.statements for i in declaration.item_targets):
        return
    linked = {id(item.budget_project) for item in declaration.item_targets}
    for project in declaration.budget_projects:
        if id(project) not in linked:
            name = f"“{project.name.strip()}”" if project.name.strip() else ""
            blank = not name and project.budget_amount is None
            yield (_unfilled if blank else _finding)(
                RuleId.ITEM_MISSING, W, project, "",
                f"预算项目{name}没有对应的分项目标：第一部分“二、分项绩效目标”中不会出现"
                "这笔资金。请在“部门整体”中为它添加分项目标并选择“对应预算项目”（或用"
                "“从项目表生成”）；如几个项目合写在一个分项目标中，请写明说明。",
            )  # fmt: skip


@rule(RuleId.ITEM_VALUES)
def item_values_match_indicators(declaration: Declaration) -> Iterator[Finding]:
    """A § 二 statement states the same value as the linked table's indicator of that level-2.

    Source: form (§ 二 restates the table's 年度指标值). Statements whose level-2 has no
    indicator, or that state no number, are not compared.
    """
    for item in declaration.item_targets:
        if item.budget_project is None:
            continue
        for statement in item.statements:
            yield from _compare_statement(item, statement)


def _compare_statement(item: ItemTarget, statement: ItemTargetStatement) -> Iterator[Finding]:
    assert item.budget_project is not None
    candidates = [
        i
        for i in item.budget_project.indicators
        if i.level1 == statement.level1 and (not statement.level2 or i.level2 == statement.level2)
    ]
    stated_text = statement.text.split("年度指标值")[-1]
    stated = set(numbers_in(stated_text))
    table = {parse_target_value(i.target_value).number for i in candidates} - {None}
    if candidates and stated and table and not stated & table:
        values = "、".join(i.target_value for i in candidates if i.target_value)
        yield _finding(
            RuleId.ITEM_VALUES,
            W,
            statement,
            "text",
            f"表述中的指标值与项目“{item.budget_project.name}”绩效目标表中对应指标的值（{values}）不一致。",
        )


# -- project codes --------------------------------------------------------------------------
@rule(RuleId.CODES_UNIQUE)
def project_codes_unique(declaration: Declaration) -> Iterator[Finding]:
    """Project codes are unique within the declaration. Source: form (项目编码 identifies it)."""
    counts = Counter(p.code.strip() for p in declaration.budget_projects if p.code.strip())
    for project in declaration.budget_projects:
        if counts[project.code.strip()] > 1:
            yield _finding(
                RuleId.CODES_UNIQUE, E, project, "code", f"项目编码“{project.code}”重复使用。"
            )


@rule(RuleId.CODES_YEAR)
def project_code_year(declaration: Declaration) -> Iterator[Finding]:
    """The year digits of a project code match the fiscal year.

    Source: observed practice (Hebei codes: 6-digit division code, 2-digit year, then P…,
    e.g. 130225 22 P004T4010009J for 2022).
    """
    import re

    for project in declaration.budget_projects:
        match = re.fullmatch(r"[0-9]{6}([0-9]{2})[A-Z][0-9A-Z]*", project.code.strip())
        if match and int(match.group(1)) != declaration.fiscal_year % 100:
            yield _finding(
                RuleId.CODES_YEAR,
                W,
                project,
                "code",
                f"项目编码中的年份“{match.group(1)}”与预算年度 {declaration.fiscal_year} 不符。",
            )


# -- refused input ------------------------------------------------------------------------
@rule(RuleId.REFUSED_INPUT)
def refused_input(declaration: Declaration) -> Iterator[Finding]:
    """Input the clerk typed that was refused (120 in 10月底) is still kept in the file,
    shown red in its cell: an 错误 there until corrected, saying what prints instead.

    Source: DESIGN.md (the screen and the paper may not differ without being said; the
    stored value is what prints). The inputs are ``declaration.pending_inputs``.
    """
    for note in pending_notes(declaration):
        yield Finding(
            RuleId.REFUSED_INPUT,
            E,
            note.location,
            f"输入“{note.text}”未被接受，文件中和打印的是 {note.printed}。{note.reason}"
            "请改正此处的输入。",
        )
