"""The performance target declaration (绩效目标申报) and every row it holds: Part 1's rows,
the budget projects (预算项目) with the rows of their Part 2 tables, and refused input.

One module because these rows name each other both ways (a budget project its declaration,
the declaration its budget projects): in separate modules their type hints imported each
other in a circle. Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.orderinglist import OrderingList, ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from desktop.models.base import Base, ExactDecimal, SyncedRow, UtcDateTime, utc_now
from desktop.models.indicator_fields import read_structured
from desktop.models.vocabulary import DISBURSEMENT_CHECKPOINTS, TEMPLATE_INDICATOR_ROWS


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
    #: 阶段 (schema 6, ``models/stages.py``): 申报, 监控 or 自评; from 监控 on the declared
    #: targets are frozen and changed only by a 目标调整 (``target_adjustments``).
    stage: Mapped[str] = mapped_column(String(2), default="申报")
    #: 监控: the month (1–12) the monitoring data run to (截至X月底); None before.
    monitoring_month: Mapped[int | None] = mapped_column(Integer)

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
    target_adjustments: Mapped[OrderingList[TargetAdjustment]] = relationship(
        back_populates="declaration",
        order_by="TargetAdjustment.position",
        collection_class=ordering_list("position"),
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


class TargetAdjustment(SyncedRow, Base):
    """A 目标调整: a declared target changed after the declaration was frozen (stage 监控 or
    自评), kept and printed with the stage's form.

    ``row_uuid`` names the changed row (an indicator or a budget project), ``field`` its
    field (a model attribute: ``target_value``); ``old_text`` and ``new_text`` are the
    values as the form shows them; ``reason`` the 调整原因; ``adjusted_on`` the 调整日期
    as an ISO date (``2022-07-15``). Source: targets may be adjusted during the year only
    with a reason, by the procedure of 财预〔2019〕136号 (绩效运行监控) — issue #20.
    """

    __tablename__ = "target_adjustment"

    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    #: 0-based place in its list, kept by the ordering list (no default: it must not preempt it)
    position: Mapped[int] = mapped_column(Integer)
    row_uuid: Mapped[str] = mapped_column(String(36), default="")
    field: Mapped[str] = mapped_column(String(60), default="")
    old_text: Mapped[str] = mapped_column(Text, default="")
    new_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    adjusted_on: Mapped[str] = mapped_column(String(10), default="")

    declaration: Mapped[Declaration] = relationship(back_populates="target_adjustments")


class BudgetProject(SyncedRow, Base):
    """A budget project and its 项目绩效目标表 (Part 2 of the declaration).

    Amounts (``budget_amount``, ``fiscal_funds``, ``other_funds``) are exact ``Decimal``
    in 万元; an empty cell on the form is ``None``. The later stages' fields (schema 6,
    ``models/stages.py``), all in 万元: ``executed_to_date`` (监控: 预算执行数 to the
    monitoring month), ``annual_budget`` (自评: 全年预算数; None = ``budget_amount``),
    ``annual_executed`` (自评: 全年执行数) and ``overall_outcome`` (自评: the 年度总体目标's
    实际完成情况). 执行率 is computed from them, never stored.
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
    executed_to_date: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    annual_budget: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    annual_executed: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    overall_outcome: Mapped[str] = mapped_column(Text, default="")

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
    Beside it the structured fields of the later stages (schema 5,
    ``models/indicator_fields.py``): ``indicator_nature`` (指标性质: 定量/定性),
    ``comparison`` (计算符号: ≥ ≤ = ＞ ＜ or ""), ``target_number`` (数值, exact, None when
    none), ``unit_of_measure`` (计量单位) — always the reading of ``target_value``, set
    whenever it is set on the object (``_read_target_value``; the editing service writes
    them with it) — and the clerk's ``direction`` (指标方向: 正向/反向, "" = by the sign)
    and ``weight`` (分值, None = the 一级指标's share spread evenly).

    The later stages' fields (schema 6, ``models/stages.py``; all empty until filled):
    ``previous_actual`` (上年实际, from the roll-over); 监控: ``current_value`` (当前完成值),
    ``expected_value`` (全年预计完成值), ``completion_likelihood`` (完成可能性),
    ``deviation_cause`` (偏差原因), ``improvement_measures`` (改进措施); 自评:
    ``actual_value`` (实际完成值, text as typed like the 指标值), ``achievement_grade``
    (达成度: a 定性 indicator's grade, or 不适用), ``score`` (得分 as the clerk sets it;
    None = computed) and ``deviation_analysis`` (偏差原因分析及改进措施).
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
    indicator_nature: Mapped[str] = mapped_column(String(2), default="")
    comparison: Mapped[str] = mapped_column(String(1), default="")
    target_number: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit_of_measure: Mapped[str] = mapped_column(String(8), default="")
    direction: Mapped[str] = mapped_column(String(2), default="")
    weight: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    previous_actual: Mapped[str] = mapped_column(Text, default="")
    current_value: Mapped[str] = mapped_column(Text, default="")
    expected_value: Mapped[str] = mapped_column(Text, default="")
    completion_likelihood: Mapped[str] = mapped_column(String(5), default="")
    deviation_cause: Mapped[str] = mapped_column(String(6), default="")
    improvement_measures: Mapped[str] = mapped_column(Text, default="")
    actual_value: Mapped[str] = mapped_column(Text, default="")
    achievement_grade: Mapped[str] = mapped_column(String(4), default="")
    score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    deviation_analysis: Mapped[str] = mapped_column(Text, default="")

    budget_project: Mapped[BudgetProject] = relationship(back_populates="indicators")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._read_target_value("target_value", self.target_value)  # after the defaults

    @validates("target_value")
    def _read_target_value(self, _key: str, text: str) -> str:
        """Setting the 指标值 sets the fields read from it (the text is their source)."""
        for name, value in read_structured(text or "").fields().items():
            setattr(self, name, value)
        return text


def blank_budget_project() -> BudgetProject:
    """A new budget project as on the blank form: the four checkpoints (3月底 … 12月底) and
    the template's indicator rows (一级/二级指标 given), everything else empty."""
    return BudgetProject(
        disbursement_plan=[DisbursementCheckpoint(label=c) for c in DISBURSEMENT_CHECKPOINTS],
        indicators=[Indicator(level1=l1, level2=l2) for l1, l2 in TEMPLATE_INDICATOR_ROWS],
    )


class PendingInput(Base):
    """What the clerk typed into one field of one row and was refused (未被接受的输入),
    e.g. 120 in a 10月底 cell: shown red in place of the stored value, listed by the
    审核 as an 错误 and named before anything is printed, until a value that parses is
    stored in the field (or the row is gone).

    ``row_table`` and ``row_uuid`` name the row (of ``declaration``), ``field`` its field,
    ``text`` the input as typed, ``reason`` the refusal in Chinese. Not a synced row and
    not an owned list of the declaration: it stays in this file (copied with it), never
    travels in the JSON form or a merge, and is not part of the content fingerprint —
    what is printed is the stored value. Gone with its declaration (ON DELETE CASCADE).
    """

    __tablename__ = "pending_input"
    __table_args__ = (UniqueConstraint("row_uuid", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    row_table: Mapped[str] = mapped_column(String(40))
    row_uuid: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    typed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    declaration: Mapped[Declaration] = relationship(back_populates="pending_inputs")
