"""预算执行率 at the year's stages: which amounts a budget project's 执行率 is computed from
at 监控 and at 自评, and a unit's over its projects (汇总表), with the unit's 自评 score.
执行率 is computed, never stored (STAGES.md); the division itself is
``scoring.execution_score``'s, a project's score ``scoring.project_scores``'.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from decimal import Decimal

from desktop.models.declaration import BudgetProject, Declaration
from desktop.models.scoring import evaluation_amounts, execution_score, points, project_scores
from desktop.models.stages import EVALUATE, MONITOR


def execution_amounts(project: BudgetProject, stage: str) -> tuple[Decimal | None, Decimal | None]:
    """(预算数, 执行数) of ``project`` in 万元 as ``stage`` reports its 执行率: at 监控 the
    declared 预算数 and the 预算执行数 to the 截至 month; at 自评 the 全年预算数 (empty:
    the declared 预算数) and the 全年执行数; at 申报 none (None, None).

    Source: the 绩效运行监控表 (预算执行数 against the year's 预算数, 财预〔2019〕136号
    附件) and the 项目支出绩效自评表 (全年预算数 A, 全年执行数 B, 执行率 B/A,
    财预〔2020〕10号 附件)."""
    if stage == MONITOR:
        return project.budget_amount, project.executed_to_date
    if stage == EVALUATE:
        return evaluation_amounts(project)
    return None, None


def project_execution_rate(project: BudgetProject, stage: str) -> Decimal | None:
    """The 执行率 of ``project`` at ``stage`` in percent (to the hundredth, half up), None
    when an amount is missing or the 预算数 is not above 0, and at 申报."""
    budget, executed = execution_amounts(project, stage)
    return execution_score(budget, executed).rate


def unit_execution_rate(declaration: Declaration) -> Decimal | None:
    """The 执行率 of the whole unit at its stage, percent: the sum of its projects' 执行数
    over the sum of their 预算数 (``execution_amounts``; a unit's rate weighs each project
    by its money, as a bureau adds up the 执行数 of a unit). None at 申报, without
    projects, or while any project lacks an amount (a rate over part of the money would
    read as the unit's)."""
    stage = declaration.stage
    pairs = [execution_amounts(p, stage) for p in declaration.budget_projects]
    if not pairs or any(budget is None or executed is None for budget, executed in pairs):
        return None
    budget = sum((b for b, _ in pairs if b is not None), Decimal(0))
    executed = sum((e for _, e in pairs if e is not None), Decimal(0))
    return execution_score(budget, executed).rate


def unit_score(declaration: Declaration) -> Decimal | None:
    """The 自评 score of the whole unit, points of 100 to the hundredth: its projects'
    totals (``scoring.project_scores``) averaged with their 全年预算数 as weights
    (``execution_amounts`` at 自评). None before 自评, without projects, while any
    project's score lacks data (its total would read as lower than it is), or when the
    budgets add up to nothing.

    Decision — weighted by money, as the unit's 执行率 is (``unit_execution_rate``): a
    small project does not count as much as a large one. No rule for a unit's score over
    its projects was found (财预〔2020〕10号 scores each project); a plain mean was the
    alternative.
    """
    if declaration.stage != EVALUATE or not declaration.budget_projects:
        return None
    weighted, budgets = Decimal(0), Decimal(0)
    for project in declaration.budget_projects:
        score = project_scores(project, declaration.fiscal_year)
        budget, _ = execution_amounts(project, EVALUATE)
        if not score.complete or budget is None:
            return None
        weighted += score.total * budget
        budgets += budget
    return points(weighted / budgets) if budgets > 0 else None
