"""The review rules (审核规则): plain functions from a loaded declaration to findings.

Each rule's docstring names its source: the structure of the form (项目绩效目标表 and the
departmental target text), a regulation (财预〔2021〕101号《中央部门项目支出核心绩效目标和
指标设置及取值指引（试行）》, the national guideline county finance bureaus apply), or
observed practice (what reviewers send back). Thresholds no regulation fixes (minimum
satisfaction, number of indicators) are not enforced.
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from desktop.models import BudgetProject, Declaration, Indicator, ItemTarget, ItemTargetStatement
from desktop.models.base import SyncedRow
from desktop.models.values import numbers_in, parse_target_value
from desktop.models.vocabulary import REQUIRED_LEVEL1, profile_levels, standard_name
from desktop.review.findings import Finding, Location, Severity

Rule = Callable[[Declaration], Iterable[Finding]]
RULES: dict[str, Rule] = {}

E, W, H = Severity.ERROR, Severity.WARNING, Severity.HINT
#: An amount in 万元 at or above this (1亿元) for one county project was likely typed in 元.
SUSPICIOUS_AMOUNT = Decimal(10000)
#: The same target value on this many indicators of different level-2 is a paste (提示).
PASTED_VALUE_COUNT = 4


def rule(identifier: str) -> Callable[[Rule], Rule]:
    """Register a rule under a stable identifier (stored with explanations: never rename)."""

    def register(function: Rule) -> Rule:
        RULES[identifier] = function
        function.rule_id = identifier  # type: ignore[attr-defined]
        return function

    return register


def _finding(rule_id: str, severity: Severity, row: SyncedRow, field: str, message: str) -> Finding:
    return Finding(rule_id, severity, Location.of(row, field), message)


def review(declaration: Declaration) -> list[Finding]:
    """Every finding of every rule on ``declaration`` (loaded with all its rows).

    Findings a clerk has explained (``declaration.finding_explanations``) carry the
    explanation; only a 警告 can be explained, and its status becomes 已说明.
    Order: errors, warnings, hints; within each, rule order.
    """
    explanations = {(e.rule, e.row_uuid, e.field): e.text for e in declaration.finding_explanations}
    findings = []
    for function in RULES.values():
        for finding in function(declaration):
            text = explanations.get(finding.key, "")
            findings.append(finding.explained(text) if text and finding.severity is W else finding)
    order = {E: 0, W: 1, H: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def _amounts(project: BudgetProject) -> Iterator[tuple[str, Decimal | None]]:
    yield from (
        ("budget_amount", project.budget_amount),
        ("fiscal_funds", project.fiscal_funds),
        ("other_funds", project.other_funds),
    )


# -- amounts ----------------------------------------------------------------------------
@rule("amounts.funds_sum")
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
                "amounts.funds_sum",
                E,
                project,
                "budget_amount",
                f"财政资金与其他资金之和为 {funds} 万元，"
                f"与预算数 {project.budget_amount} 万元不符。"
                "请核对三个金额。",
            )


@rule("amounts.sign")
def amounts_not_negative(declaration: Declaration) -> Iterator[Finding]:
    """Amounts are ≥ 0 and a project's 预算数 is > 0. Source: form (a budget is money asked for)."""
    for project in declaration.budget_projects:
        for field, value in _amounts(project):
            if value is not None and value < 0:
                yield _finding("amounts.sign", E, project, field, "金额不能为负数，请改正。")
        if project.budget_amount is not None and project.budget_amount == 0:
            yield _finding(
                "amounts.sign",
                E,
                project,
                "budget_amount",
                "预算数为 0：没有资金的项目不需要填报绩效目标表，请填写预算数或删除该项目。",
            )
    if declaration.total_budget is not None and declaration.total_budget < 0:
        yield _finding("amounts.sign", E, declaration, "total_budget", "金额不能为负数，请改正。")


@rule("amounts.total_vs_projects")
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
            "amounts.total_vs_projects",
            W,
            declaration,
            "total_budget",
            f"申请预算资金 {declaration.total_budget} 万元，但没有任何预算项目（合计 0 万元）。"
            "请在“项目绩效目标表”中添加预算项目；如全部为基本支出等，请写明说明。",
        )
    elif total != declaration.total_budget:
        yield _finding(
            "amounts.total_vs_projects",
            W,
            declaration,
            "total_budget",
            f"申请预算资金 {declaration.total_budget} 万元"
            f"与各预算项目预算数合计 {total} 万元不一致。"
            "如含基本支出等，请写明说明。",
        )


@rule("amounts.unit")
def amounts_in_wan_yuan(declaration: Declaration) -> Iterator[Finding]:
    """An amount that looks entered in 元 in a 万元 table (10,000× too large).

    Source: form (单位：万元) and observed practice (the commonest returned error).
    """
    rows: list[tuple[SyncedRow, str, Decimal | None]] = [
        (declaration, "total_budget", declaration.total_budget)
    ]
    for project in declaration.budget_projects:
        rows += [(project, field, value) for field, value in _amounts(project)]
    for item in declaration.item_targets:
        rows.append((item, "budget", item.budget))
    for row, field, value in rows:
        if value is not None and value >= SUSPICIOUS_AMOUNT:
            yield _finding(
                "amounts.unit",
                W,
                row,
                field,
                f"{value} 万元即 {value / 10000} 亿元，是否按“元”填写了？本表金额单位为万元。",
            )


# -- disbursement plan ------------------------------------------------------------------
@rule("plan.checkpoints")
def disbursement_plan(declaration: Declaration) -> Iterator[Finding]:
    """Cumulative percentages in 0–100, not decreasing, the last 100.

    Source: form (资金支出计划（%）: cumulative share spent by 3月底/6月底/10月底/12月底).
    """
    for project in declaration.budget_projects:
        previous = Decimal(0)
        for point in project.disbursement_plan:
            value = point.cumulative_percent
            if value is None:
                yield _finding(
                    "plan.checkpoints",
                    E,
                    point,
                    "cumulative_percent",
                    f"{point.label}的累计支出比例未填。",
                )
                continue
            if not 0 <= value <= 100:
                yield _finding(
                    "plan.checkpoints",
                    E,
                    point,
                    "cumulative_percent",
                    f"{point.label}累计支出 {value}% 不在 0～100% 之间。",
                )
            elif value < previous:
                yield _finding(
                    "plan.checkpoints",
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
                "plan.checkpoints",
                E,
                last,
                "cumulative_percent",
                f"最后一个节点（{last.label}）的累计支出应为 100%，"
                f"现为 {last.cumulative_percent}%。",
            )


# -- completeness -------------------------------------------------------------------------
@rule("complete.fields")
def required_fields(declaration: Declaration) -> Iterator[Finding]:
    """Unit code and name, 申请预算资金; each project's code, name, 预算数 and 绩效目标.

    Source: form (本部门…年度申请预算资金…万元 is a sentence of Part 1; empty, it prints
    a blank line to fill in by hand, which the finance bureau does not accept).
    """
    for field in ("unit_code", "unit_name"):
        if not getattr(declaration, field).strip():
            yield _finding("complete.fields", E, declaration, field, "必填项未填写。")
    if declaration.total_budget is None:
        yield _finding(
            "complete.fields",
            E,
            declaration,
            "total_budget",
            "必填项未填写：请在“部门整体”中填写本部门申请预算资金（万元）。",
        )
    for project in declaration.budget_projects:
        for field in ("code", "name", "performance_target"):
            if not getattr(project, field).strip():
                yield _finding("complete.fields", E, project, field, "必填项未填写。")
        if project.budget_amount is None:
            yield _finding("complete.fields", E, project, "budget_amount", "必填项未填写。")
        if not project.use_of_funds.strip():
            yield _finding("complete.fields", W, project, "use_of_funds", "资金用途未填写。")


@rule("complete.level1")
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
                yield _finding(
                    "complete.level1",
                    E,
                    project,
                    "",
                    f"缺少“{level1}”：至少要有一条已填写三级指标和指标值的{level1}。",
                )


@rule("complete.indicator_rows")
def indicator_rows_filled(declaration: Declaration) -> Iterator[Finding]:
    """An indicator row has a level-3 name and a target value, or is empty (then 警告).

    Source: form (every grid row is one indicator with its 指标值).
    """
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            named, valued = bool(indicator.level3.strip()), bool(indicator.target_value.strip())
            if not named and not valued:
                yield _finding(
                    "complete.indicator_rows",
                    W,
                    indicator,
                    "level3",
                    "空行：未填三级指标和指标值。请填写或删除该行。",
                )
            elif not valued:
                yield _finding(
                    "complete.indicator_rows", E, indicator, "target_value", "缺少指标值。"
                )
            elif not named:
                yield _finding(
                    "complete.indicator_rows", E, indicator, "level3", "缺少三级指标名称。"
                )


# -- vocabulary ---------------------------------------------------------------------------
@rule("vocabulary.levels")
def levels_in_profile(declaration: Declaration) -> Iterator[Finding]:
    """Level-1 is given and one of the profile's, level-2 belongs to it; a level-3 is not a
    level-2 name.

    Synonyms seen in real tables (环境效益指标, 效果指标 …) are read as the standard name,
    with a 提示 to write that. Source: regulation (财预〔2021〕101号 indicator framework) as
    in the declaration's profile (``PROFILES``).
    """
    levels = profile_levels(declaration.profile)
    level2_names = {name for names in levels.values() for name in names}
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            level1, level2 = standard_name(indicator.level1), standard_name(indicator.level2)
            for field, typed, name in (
                ("level1", indicator.level1, level1),
                ("level2", indicator.level2, level2),
            ):
                if typed.strip() and name != typed.strip():
                    yield _finding(
                        "vocabulary.levels",
                        H,
                        indicator,
                        field,
                        f"“{typed}”即“{name}”，建议写标准名称。",
                    )
            allowed = levels.get(level1)
            if allowed is None:
                problem = (
                    f"一级指标“{indicator.level1}”不在所选指标体系中" if level1 else "缺少一级指标"
                )
                yield _finding(
                    "vocabulary.levels",
                    E,
                    indicator,
                    "level1",
                    f"{problem}，应为：" + "、".join(levels) + "。",
                )
            elif level2 not in allowed:
                yield _finding(
                    "vocabulary.levels",
                    E,
                    indicator,
                    "level2",
                    f"二级指标“{indicator.level2}”不属于“{level1}”，应为："
                    + "、".join(allowed)
                    + "。",
                )
            if indicator.level3.strip() in level2_names:
                yield _finding(
                    "vocabulary.levels",
                    W,
                    indicator,
                    "level3",
                    f"三级指标写成了二级指标名称“{indicator.level3}”，请写具体指标名称。",
                )


@rule("vocabulary.satisfaction")
def satisfaction_filed_right(declaration: Declaration) -> Iterator[Finding]:
    """An indicator about 满意 belongs under 满意度指标. Source: regulation (财预〔2021〕101号)."""
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            if "满意" in indicator.level3 and indicator.level1 != "满意度指标":
                yield _finding(
                    "vocabulary.satisfaction",
                    W,
                    indicator,
                    "level1",
                    f"“{indicator.level3}”是满意度指标，却放在“{indicator.level1}”下。",
                )


# -- target values ------------------------------------------------------------------------
def _indicators(declaration: Declaration) -> Iterator[tuple[BudgetProject, Indicator]]:
    for project in declaration.budget_projects:
        for indicator in project.indicators:
            if indicator.target_value.strip():
                yield project, indicator


@rule("values.kind")
def value_fits_indicator(declaration: Declaration) -> Iterator[Finding]:
    """The target value has the form its level-2 indicator needs.

    数量指标: a number with a unit; 满意度: a percentage; 时效指标: a date or period in the
    fiscal year, or a rate; 质量/成本: not words only. Source: regulation (财预〔2021〕101号:
    产出指标 are quantitative where possible; 满意度 as a percentage).
    """
    for _, indicator in _indicators(declaration):
        value = parse_target_value(indicator.target_value)
        level2 = indicator.level2
        if level2 == "数量指标":
            if value.kind != "quantity":
                yield _finding(
                    "values.kind",
                    W,
                    indicator,
                    "target_value",
                    "数量指标应为带计量单位的数值，例如“325辆”。",
                )
            elif not value.unit:
                yield _finding(
                    "values.kind",
                    W,
                    indicator,
                    "target_value",
                    "数量指标缺少计量单位（个、辆、次、人……）。",
                )
        elif indicator.level1 == "满意度指标" and value.kind != "percent":
            yield _finding(
                "values.kind", W, indicator, "target_value", "满意度应为百分比，例如“≥90%”。"
            )
        elif level2 == "时效指标":
            if value.kind == "date":
                if value.year != declaration.fiscal_year:
                    yield _finding(
                        "values.kind",
                        W,
                        indicator,
                        "target_value",
                        f"完成时限在 {value.year} 年，"
                        f"不在预算年度 {declaration.fiscal_year} 年内。",
                    )
            elif value.kind not in ("percent", "quantity", "period"):
                yield _finding(
                    "values.kind",
                    W,
                    indicator,
                    "target_value",
                    "时效指标应为时间（如“2022年12月底”）、期限或及时率。",
                )
        elif level2 in ("质量指标", "成本指标") and value.kind == "qualitative":
            yield _finding(
                "values.kind",
                W,
                indicator,
                "target_value",
                f"{level2}应为可衡量的数值（如“100%”），而不是文字描述。",
            )


@rule("values.rate")
def rate_within_hundred(declaration: Declaration) -> Iterator[Finding]:
    """A rate (率, not a growth rate) cannot exceed 100%. Source: arithmetic of a share."""
    for _, indicator in _indicators(declaration):
        value = parse_target_value(indicator.target_value)
        name = indicator.level3 + indicator.description
        growth = any(word in name for word in ("增长", "增加", "提高", "提升"))
        if value.kind == "percent" and "率" in name and not growth and value.number > 100:  # type: ignore[operator]
            yield _finding(
                "values.rate",
                E,
                indicator,
                "target_value",
                f"“{indicator.level3}”是比率，{indicator.target_value} 超过了 100%。",
            )


@rule("values.cost")
def cost_within_budget(declaration: Declaration) -> Iterator[Finding]:
    """A 成本指标 in money is not above the project's 预算数. Source: form (cost ⊂ budget)."""
    for project, indicator in _indicators(declaration):
        if indicator.level2 != "成本指标" or project.budget_amount is None:
            continue
        amount = parse_target_value(indicator.target_value).wan_yuan
        if amount is not None and amount > project.budget_amount:
            yield _finding(
                "values.cost",
                E,
                indicator,
                "target_value",
                f"成本 {indicator.target_value} 超过了项目预算数 {project.budget_amount} 万元。",
            )


@rule("values.pasted")
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
                    "values.pasted",
                    H,
                    project,
                    "",
                    f"“{value}”用在了 {count} 个不同的指标上，请确认每个指标值都是按该指标测算的。",
                )


@rule("values.description")
def descriptions_say_more(declaration: Declaration) -> Iterator[Finding]:
    """绩效指标描述 that only repeats the 三级指标 name (提示, once per project).

    Source: observed practice (reviewers ask what is measured and how).
    """
    for project in declaration.budget_projects:
        same = [i for i in project.indicators if i.level3.strip() and i.description == i.level3]
        if same:
            yield _finding(
                "values.description",
                H,
                project,
                "",
                f"{len(same)} 个指标的“绩效指标描述”与三级指标名称相同，可写明衡量的内容和口径。",
            )


@rule("values.actual")
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
                "values.actual",
                W,
                row,
                field,
                "绩效目标申报中出现了“完成值/完成情况”，这是自评报告的内容，请只写目标值。",
            )


# -- Part 1 § 二 against Part 2 -------------------------------------------------------------
@rule("consistency.item_name")
def item_name_matches_project(declaration: Declaration) -> Iterator[Finding]:
    """An item target is named like the budget project it is linked to (提示).

    Source: observed practice (the reference document: 接待活动管理经费项目 / 接待管理经费).
    """
    for item in declaration.item_targets:
        project = item.budget_project
        if project is not None and item.title.strip() != project.name.strip():
            yield _finding(
                "consistency.item_name",
                H,
                item,
                "title",
                f"分项名称“{item.title}”与对应预算项目名称“{project.name}”不同，"
                "请确认说的是同一笔资金。",
            )


@rule("consistency.item_budget")
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
                "consistency.item_budget",
                E,
                item,
                "budget",
                f"分项目标预算资金 {item.budget} 万元与项目“{project.name}”的预算数 "
                f"{project.budget_amount} 万元不一致。",
            )


@rule("consistency.item_unlinked")
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
                "consistency.item_unlinked",
                W,
                item,
                "budget",
                f"分项目标填有预算资金 {item.budget} 万元，但未关联预算项目（不关联）。"
                "请在“对应预算项目”中选择该资金所属的项目；"
                "如项目已删除，请删除该分项目标或清空其预算资金。",
            )


@rule("consistency.item_values")
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
            "consistency.item_values",
            W,
            statement,
            "text",
            f"表述中的指标值与项目“{item.budget_project.name}”绩效目标表中对应指标的值（{values}）不一致。",
        )


# -- project codes --------------------------------------------------------------------------
@rule("codes.unique")
def project_codes_unique(declaration: Declaration) -> Iterator[Finding]:
    """Project codes are unique within the declaration. Source: form (项目编码 identifies it)."""
    counts = Counter(p.code.strip() for p in declaration.budget_projects if p.code.strip())
    for project in declaration.budget_projects:
        if counts[project.code.strip()] > 1:
            yield _finding(
                "codes.unique", E, project, "code", f"项目编码“{project.code}”重复使用。"
            )


@rule("codes.year")
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
                "codes.year",
                W,
                project,
                "code",
                f"项目编码中的年份“{match.group(1)}”与预算年度 {declaration.fiscal_year} 不符。",
            )
