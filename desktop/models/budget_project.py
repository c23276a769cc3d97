"""A budget project (预算项目) and the rows of its Part 2 table.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.ext.orderinglist import OrderingList, ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, ExactDecimal, SyncedRow
from desktop.models.vocabulary import DISBURSEMENT_CHECKPOINTS, TEMPLATE_INDICATOR_ROWS

if TYPE_CHECKING:
    from desktop.models.declaration import Declaration


class BudgetProject(SyncedRow, Base):
    """A budget project and its 项目绩效目标表 (Part 2 of the declaration).

    Amounts (``budget_amount``, ``fiscal_funds``, ``other_funds``) are exact ``Decimal``
    in 万元; an empty cell on the form is ``None``.
    """

    __tablename__ = "budget_project"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(Text, default="")
    budget_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fiscal_funds: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    other_funds: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    use_of_funds: Mapped[str] = mapped_column(Text, default="")
    performance_target: Mapped[str] = mapped_column(Text, default="")

    declaration: Mapped[Declaration] = relationship(back_populates="budget_projects")
    disbursement_plan: Mapped[OrderingList[DisbursementCheckpoint]] = relationship(
        back_populates="budget_project",
        order_by="DisbursementCheckpoint.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    indicators: Mapped[OrderingList[Indicator]] = relationship(
        back_populates="budget_project",
        order_by="Indicator.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )


class DisbursementCheckpoint(SyncedRow, Base):
    """A checkpoint of the disbursement plan (资金支出计划（%）): label and cumulative percent.

    ``label`` is e.g. 3月底; ``cumulative_percent`` is in percent (``Decimal("30")`` is 30%),
    ``None`` when the cell is empty.
    """

    __tablename__ = "disbursement_checkpoint"

    budget_project_id: Mapped[int] = mapped_column(
        ForeignKey("budget_project.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(20), default="")
    cumulative_percent: Mapped[Decimal | None] = mapped_column(ExactDecimal)

    budget_project: Mapped[BudgetProject] = relationship(back_populates="disbursement_plan")


class Indicator(SyncedRow, Base):
    """One row of a project's indicator grid (绩效指标).

    ``target_value`` (指标值) is the text as typed (``325辆``, ``≥95%``, ``2022年12月底``).
    """

    __tablename__ = "indicator"

    budget_project_id: Mapped[int] = mapped_column(
        ForeignKey("budget_project.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(Text, default="")
    level2: Mapped[str] = mapped_column(Text, default="")
    level3: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    target_value: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")

    budget_project: Mapped[BudgetProject] = relationship(back_populates="indicators")


def blank_budget_project() -> BudgetProject:
    """A new budget project as on the blank form: the four checkpoints (3月底 … 12月底) and
    the template's indicator rows (一级/二级指标 given), everything else empty."""
    return BudgetProject(
        disbursement_plan=[DisbursementCheckpoint(label=c) for c in DISBURSEMENT_CHECKPOINTS],
        indicators=[Indicator(level1=l1, level2=l2) for l1, l2 in TEMPLATE_INDICATOR_ROWS],
    )
