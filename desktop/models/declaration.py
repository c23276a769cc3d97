"""The performance target declaration (绩效目标申报) and the rows of its Part 1.

Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.ext.orderinglist import OrderingList, ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, ExactDecimal, SyncedRow, UtcDateTime, utc_now

if TYPE_CHECKING:
    from desktop.models.budget_project import BudgetProject
    from desktop.models.pending import PendingInput


class Declaration(SyncedRow, Base):
    """One unit's performance target declaration for one fiscal year.

    Amounts are in ``amount_unit`` (always 万元 on these forms) as exact ``Decimal``.
    Part 1 is ``total_budget`` … ``safeguard_measures`` with ``key_tasks`` and
    ``item_targets``; Part 2 is ``budget_projects``, one fixed-layout table each.
    """

    __tablename__ = "declaration"

    unit_code: Mapped[str] = mapped_column(String(40), default="")
    unit_name: Mapped[str] = mapped_column(Text, default="")
    fiscal_year: Mapped[int] = mapped_column(Integer)
    amount_unit: Mapped[str] = mapped_column(String(10), default="万元")
    total_budget: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    #: 一、总体绩效目标: the note on special projects, e.g. "无专项项目".
    special_projects_note: Mapped[str] = mapped_column(Text, default="")
    #: 一、总体绩效目标: the overall target paragraph.
    overall_target: Mapped[str] = mapped_column(Text, default="")
    #: 三、工作保障措施: paragraphs separated by "\n".
    safeguard_measures: Mapped[str] = mapped_column(Text, default="")
    #: the indicator profile (指标体系) the review and pickers use: a key of PROFILES
    profile: Mapped[str] = mapped_column(String(20), default="county")

    key_tasks: Mapped[OrderingList[KeyTask]] = relationship(
        back_populates="declaration",
        order_by="KeyTask.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    item_targets: Mapped[OrderingList[ItemTarget]] = relationship(
        back_populates="declaration",
        order_by="ItemTarget.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    budget_projects: Mapped[OrderingList[BudgetProject]] = relationship(
        back_populates="declaration",
        order_by="BudgetProject.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    finding_explanations: Mapped[list[FindingExplanation]] = relationship(
        back_populates="declaration",
        order_by="FindingExplanation.id",
        cascade="all, delete-orphan",
    )
    print_records: Mapped[list[PrintRecord]] = relationship(
        back_populates="declaration",
        order_by="PrintRecord.id",
        cascade="all, delete-orphan",
    )
    #: input typed and refused, kept until corrected (not content: no delete-orphan, so
    #: the JSON form, merges and the fingerprint leave it out; the database deletes it)
    pending_inputs: Mapped[list[PendingInput]] = relationship(
        back_populates="declaration",
        order_by="PendingInput.id",
        cascade="save-update, merge",
        passive_deletes="all",
    )

    def form_rows(self) -> Iterator[SyncedRow]:
        """Every row of the declaration in the order the form reads: itself (Part 1's
        fields), its key tasks, each item target and its statements, then each budget
        project with its disbursement plan and indicators."""
        yield self
        yield from self.key_tasks
        for item in self.item_targets:
            yield item
            yield from item.statements
        for project in self.budget_projects:
            yield project
            yield from project.disbursement_plan
            yield from project.indicators


class KeyTask(SyncedRow, Base):
    """A titled paragraph of Part 1 § 一 (年度主要任务), e.g. 招商综合服务。负责…

    ``title`` is stored without the closing 。 that the printout adds.
    """

    __tablename__ = "key_task"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    declaration: Mapped[Declaration] = relationship(back_populates="key_tasks")


class ItemTarget(SyncedRow, Base):
    """An item target (分项绩效目标) of Part 1 § 二: a funded item, its budget and statements.

    ``budget`` is in 万元. ``budget_project`` links it to the Part 2 table that describes
    the same money (or is ``None``).
    """

    __tablename__ = "item_target"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    budget_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_project.id", ondelete="SET NULL"), index=True
    )

    declaration: Mapped[Declaration] = relationship(back_populates="item_targets")
    budget_project: Mapped[BudgetProject | None] = relationship()
    statements: Mapped[OrderingList[ItemTargetStatement]] = relationship(
        back_populates="item_target",
        order_by="ItemTargetStatement.position",
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )


class ItemTargetStatement(SyncedRow, Base):
    """One indicator statement of an item target, filed under a level-1/level-2 indicator.

    ``level1`` is 产出指标 / 效益指标 / 满意度指标; ``level2`` may be empty (the
    satisfaction statements of the reference document carry none). ``text`` is the
    sentence with its 年度指标值, without the numbering and label the printout adds.
    """

    __tablename__ = "item_target_statement"

    item_target_id: Mapped[int] = mapped_column(
        ForeignKey("item_target.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(Text, default="")
    level2: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")

    item_target: Mapped[ItemTarget] = relationship(back_populates="statements")


class FindingExplanation(SyncedRow, Base):
    """The clerk's written explanation of a review 警告 (审核说明), which marks it 已说明.

    Identifies the finding by ``rule`` (the rule's identifier), ``row_uuid`` (the row the
    finding is about) and ``field`` (empty when it concerns the whole row). Travels with
    the file so that the reviewer reads it.
    """

    __tablename__ = "finding_explanation"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(60), default="")
    row_uuid: Mapped[str] = mapped_column(String(36), default="")
    field: Mapped[str] = mapped_column(String(60), default="")
    text: Mapped[str] = mapped_column(Text, default="")

    declaration: Mapped[Declaration] = relationship(back_populates="finding_explanations")


class PrintRecord(SyncedRow, Base):
    """One printout of the declaration (打印记录): when, which content, which parts.

    ``fingerprint`` is the full content fingerprint at print time (its short form is on
    every printed page), so a signed paper copy can be matched to a version of the file.
    """

    __tablename__ = "print_record"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    printed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    parts: Mapped[str] = mapped_column(Text, default="")

    declaration: Mapped[Declaration] = relationship(back_populates="print_records")
