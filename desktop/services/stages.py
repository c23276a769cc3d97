"""Moving a declaration through its year's stages (申报 → 监控 → 自评, and back while the
stage left holds no data) and the 目标调整 of a frozen target; each call is one
transaction and returns the ``Changes`` it made (one undo step in the window). No Qt.

Decision — moving back only while the stages left hold no data: a 监控 or 自评 value
entered would vanish from the screen and the print at an earlier stage (the columns go
with the stage) though it stays in the file; so a move back is refused, naming where data
is, until the clerk clears it. 监控截至月份 is the stage's setting, not data: a move back
to 申报 empties it in the same step (undo puts it back). A move back to 申报 is refused
while 目标调整 records exist (they would stand beside targets that are editable again).
Alternatives: hiding the data silently (the clerk loses sight of it); clearing it on the
way back (a destructive step behind an innocent menu entry).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import BudgetProject, Declaration, Indicator, TargetAdjustment
from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS, row_place
from desktop.models.stages import DECLARE, STAGE_FIELDS, STAGES, is_empty_stage_value, is_frozen
from desktop.services import structure
from desktop.services.editing import (
    Changes,
    FieldChange,
    RowChange,
    RowNotFoundError,
    field_changes,
    parse_field,
)
from desktop.services.errors import StageMoveError
from desktop.services.freezing import frozen_fields
from desktop.storage import interchange
from desktop.storage.document import Document

#: places named in a refused move back, at most
_PLACES_NAMED = 3
#: the indicator fields a 计算符号, 目标数值 or 计量单位 adjustment changes as the form shows them
_TARGET_PARTS = ("comparison", "target_number", "unit_of_measure")


def _declaration(session: Session, declaration_uuid: str) -> Declaration:
    found = session.scalars(
        select(Declaration).where(Declaration.uuid == declaration_uuid)
    ).one_or_none()
    if found is None:
        raise RowNotFoundError("此文件中没有这个单位的绩效目标，请刷新后重试。")
    return found


def stage_data(declaration: Declaration, stages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(place, field term) of every filled field of ``stages`` (监控, 自评) in the loaded
    ``declaration``'s budget projects and indicators, in form order (``row_place``:
    项目“接待管理经费”第3行指标). The declaration's own 监控截至月份 is not counted."""
    found: list[tuple[str, str]] = []
    for project in declaration.budget_projects:
        rows: list[SyncedRow] = [project, *project.indicators]
        for row in rows:
            table = type(row).__tablename__  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
            for stage in stages:
                for name in STAGE_FIELDS[stage].get(table, ()):
                    if not is_empty_stage_value(name, getattr(row, name)):
                        found.append((row_place(row), FIELD_LABELS[type(row)][name]))
    return found


def move_to_stage(document: Document, *, declaration_uuid: str, stage: str) -> Changes:
    """Move the declaration to ``stage`` (one of ``STAGES``): forward to any later stage,
    back only while the stages left hold no data (module docstring); a move back to 申报
    also empties 监控截至月份. Returns the Changes (the ``stage`` field, and the month).

    Raises ``StageMoveError`` (Chinese: what holds data, what to do) for a refused move
    or a stage the declaration is at, ``ValueError`` for no stage, ``RowNotFoundError``.
    """
    with document.session() as session:
        declaration = _declaration(session, declaration_uuid)
        now = _refuse_move(declaration, stage)
        fields = [FieldChange(Declaration, declaration_uuid, "stage", stage, now)]
        if stage == DECLARE and declaration.monitoring_month is not None:  # a move back
            fields.append(
                FieldChange(
                    Declaration,
                    declaration_uuid,
                    "monitoring_month",
                    None,
                    declaration.monitoring_month,
                )
            )
    return structure.apply_changes(document, Changes(fields=tuple(fields)))


def check_move(document: Document, *, declaration_uuid: str, stage: str) -> None:
    """Raise as ``move_to_stage`` would, writing nothing (the window asks first)."""
    with document.session() as session:
        _refuse_move(_declaration(session, declaration_uuid), stage)


def _refuse_move(declaration: Declaration, stage: str) -> str:
    """The declaration's stage now; raises when it cannot move to ``stage``."""
    if stage not in STAGES:
        raise ValueError(f"没有“{stage}”阶段（可选：{'、'.join(STAGES)}）。")
    now = declaration.stage or DECLARE
    if now == stage:
        raise StageMoveError(f"已处于{stage}阶段。")
    if STAGES.index(stage) < STAGES.index(now):
        _refuse_move_back(
            declaration, stage, STAGES[STAGES.index(stage) + 1 : STAGES.index(now) + 1]
        )
    return now


def _refuse_move_back(declaration: Declaration, stage: str, left: tuple[str, ...]) -> None:
    """Raise ``StageMoveError`` when the stages ``left`` hold data, or (back to 申报) 目标调整
    records exist."""
    filled = stage_data(declaration, left)
    if filled:
        named = "；".join(f"{place}的“{term}”" for place, term in filled[:_PLACES_NAMED])
        more = f"等共 {len(filled)} 处" if len(filled) > _PLACES_NAMED else ""
        raise StageMoveError(
            f"不能退回{stage}阶段：{'、'.join(left)}阶段的数据已填写（{named}{more}）。"
            f"退回后这些数据不再显示，也不会打印。如确需退回，请先清除这些数据。"
        )
    if stage == DECLARE and declaration.target_adjustments:
        raise StageMoveError(
            f"不能退回申报阶段：已有 {len(declaration.target_adjustments)} 条目标调整记录，"
            "退回后申报的目标可直接修改，记录将与目标不符。如确需退回，请先撤销这些目标调整。"
        )


def shown_text(value: Any) -> str:
    """A stored value as the form shows it: amounts as stored, None empty."""
    return "" if value is None else str(value)


def adjust_target(
    document: Document,
    *,
    row_type: type[SyncedRow],
    row_uuid: str,
    field: str,
    value: Any,
    reason: str,
    adjusted_on: str | date,
) -> Changes:
    """目标调整: set a frozen declared ``field`` (``freezing.frozen_fields``) of an indicator
    or budget project to ``value`` (typed text, parsed as an edit is, or a parsed value),
    and append a ``TargetAdjustment`` recording it (old and new text as the form shows
    them; an indicator's 计算符号, 目标数值 or 计量单位 is recorded as the 指标值 it
    rewrites), ``reason`` (调整原因, required) and ``adjusted_on`` (调整日期, a date or ISO
    text). One transaction; the Changes are one undo step.

    Raises ``ValueError`` (Chinese) at 申报 (edit directly), for a field that is not a
    declared target, an empty reason, a date that is not one, a value that does not parse
    or equals the stored one; ``RowNotFoundError``.
    """
    if field not in frozen_fields(row_type):
        raise ValueError("只有申报的目标（指标值、三级指标、项目金额等）需要目标调整。")
    reason_text = str(parse_field(TargetAdjustment, "reason", reason or "")).strip()
    if not reason_text:
        raise ValueError("请填写调整原因。")
    day = _iso_date(adjusted_on)
    parsed = parse_field(row_type, field, value)
    with document.session() as session:
        declaration = _owner(session, row_type, row_uuid)
        if not is_frozen(declaration.stage):
            raise ValueError("申报阶段的目标可直接修改，不需要目标调整。")
        changes = field_changes(
            session, row_type=row_type, row_uuid=row_uuid, field=field, value=parsed
        )
        if not changes:
            raise ValueError("新的值与原来的相同，未作调整。")
        shown = "target_value" if field in _TARGET_PARTS else field
        old = next((c.old for c in changes if c.field == shown), None)
        new = next((c.value for c in changes if c.field == shown), None)
        record = TargetAdjustment(
            row_uuid=row_uuid,
            field=shown,
            old_text=shown_text(old),
            new_text=shown_text(new),
            reason=reason_text,
            adjusted_on=day,
        )
        index = len(declaration.target_adjustments)
        inserted = RowChange(
            TargetAdjustment,
            record.uuid,
            declaration.uuid,
            index,
            interchange.dump_row(record),
        )
    return structure.apply_changes(document, Changes(fields=changes, inserted=(inserted,)))


def _iso_date(day: str | date) -> str:
    """``day`` as ISO text (2022-07-15); ``ValueError`` (Chinese) for no date."""
    if isinstance(day, date):
        return day.isoformat()
    try:
        return date.fromisoformat(str(day).strip()).isoformat()
    except ValueError:
        raise ValueError(f"“{day}”不是日期，调整日期请写成 2022-07-15 的样子。") from None


def _owner(session: Session, row_type: type[SyncedRow], row_uuid: str) -> Declaration:
    """The declaration that holds the indicator or budget project ``row_uuid``."""
    query = select(Declaration).join(BudgetProject, BudgetProject.declaration_id == Declaration.id)
    if row_type is Indicator:
        query = query.join(Indicator, Indicator.budget_project_id == BudgetProject.id).where(
            Indicator.uuid == row_uuid
        )
    else:
        query = query.where(BudgetProject.uuid == row_uuid)
    found = session.scalars(query).one_or_none()
    if found is None:
        raise RowNotFoundError
    return found


def target_adjustments(document: Document, *, declaration_uuid: str) -> list[dict[str, str]]:
    """The declaration's 目标调整 records in order, each as plain texts: ``place`` (the
    row, in the clerk's words; 已删除的行 when it is gone), ``field`` (the field's term),
    ``old_text``, ``new_text``, ``reason``, ``adjusted_on``. Raises ``RowNotFoundError``."""
    with document.session() as session:
        declaration = _declaration(session, declaration_uuid)
        out = []
        for record in declaration.target_adjustments:
            row: Indicator | BudgetProject | None = (
                session.scalars(
                    select(Indicator).where(Indicator.uuid == record.row_uuid)
                ).one_or_none()
                or session.scalars(
                    select(BudgetProject).where(BudgetProject.uuid == record.row_uuid)
                ).one_or_none()
            )
            label = record.field
            if row is not None:
                label = FIELD_LABELS[type(row)].get(record.field, record.field)
            out.append(
                {
                    "place": row_place(row) if row is not None else "（已删除的行）",
                    "field": label,
                    "old_text": record.old_text,
                    "new_text": record.new_text,
                    "reason": record.reason,
                    "adjusted_on": record.adjusted_on,
                }
            )
    return out
