"""What the editors show of the year's stages (issue #20): the indicator grid's columns per
stage, a project's stage fields with its 执行率, the 部门整体 tab's 阶段 and 监控截至月份,
the declared targets shown frozen from 监控 on, and the 目标调整 of a grid cell or a
project field (its dialog in stage_dialogs.py, its service services/stages.py).

Decision — from 监控 on the grid hides 绩效指标描述 and 指标值确定依据 (and at 自评 the
监控 columns) among the columns 视图 → 指标性质、分值等栏 shows: the 绩效运行监控表 and
the 绩效自评表 print neither (财预〔2019〕136号, 财预〔2020〕10号 附件), and a grid of 15
columns on a 1366-pixel screen cut every heading. 分值 is shown at 自评 (the 自评表 prints
it beside the 得分). Alternative: every column at once with a horizontal bar (tried: the
三级指标 and its 实际完成值 were out of sight together).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.models import BudgetProject, Declaration, Indicator
from desktop.models.base import SyncedRow
from desktop.models.execution import project_execution_rate
from desktop.models.indicator_fields import STRUCTURED_FIELDS, weight_text
from desktop.models.labels import FIELD_LABELS, ROW_KINDS
from desktop.models.scoring import project_scores
from desktop.models.stages import (
    ACHIEVEMENT_GRADES,
    COMPLETION_LIKELIHOODS,
    DECLARE,
    DEVIATION_CAUSES,
    EVALUATE,
    MONITOR,
    STAGE_FIELDS,
    STAGE_FORMS,
    is_frozen,
)
from desktop.services import stages
from desktop.services.editing import Changes, RowNotFoundError
from desktop.services.freezing import frozen_fields
from desktop.ui.banner import FROZEN
from desktop.ui.binding import DocumentSession, display_value
from desktop.ui.prompter import prompter_for
from desktop.ui.stage_dialogs import TargetAdjustmentDialog
from desktop.ui.table_models import RowsTableModel

#: The stage fields picked from a closed list ("" first: none chosen).
STAGE_CHOICES: dict[str, tuple[str, ...]] = {
    "completion_likelihood": ("", *COMPLETION_LIKELIHOODS),
    "deviation_cause": ("", *DEVIATION_CAUSES),
    "achievement_grade": ("", *ACHIEVEMENT_GRADES),
}
#: hidden from 监控 on unless the clerk shows every column (module docstring)
_HIDDEN_WHEN_FROZEN = ("description", "basis")


def indicator_columns(
    stage: str, rows: Sequence[Indicator]
) -> tuple[list[tuple[str, str]], tuple[int, ...]]:
    """The indicator grid's columns at ``stage`` — (field, heading): the form's, the
    structured ones, then the stage's (``RowKind.stage_fields``; 上年实际 only when a row
    has one) — and the indexes of those shown only with 视图 → 指标性质、分值等栏."""
    kind = ROW_KINDS[Indicator]
    staged = [
        (field.name, field.heading or field.label)
        for field in kind.stage_fields(stage)
        if field.name != "previous_actual" or any(row.previous_actual for row in rows)
    ]
    columns = list(kind.columns()) + staged
    optional = set(STRUCTURED_FIELDS)
    if is_frozen(stage):
        optional |= set(_HIDDEN_WHEN_FROZEN)
    if stage == EVALUATE:
        optional |= set(STAGE_FIELDS[MONITOR]["indicator"])
        optional.discard("weight")
    return columns, tuple(n for n, (field, _) in enumerate(columns) if field in optional)


def stage_title(stage: str) -> str:
    """The stage as the window says it: 监控阶段（绩效运行监控表）."""
    return f"{stage}阶段（{STAGE_FORMS[stage]}）"


def add_declaration_stage_fields(
    session: DocumentSession, declaration: Declaration, form: QFormLayout
) -> None:
    """The 部门整体 tab's rows of the stage: 阶段 (read-only: the 阶段 menu moves it) and,
    from 监控 on, 监控截至月份 (bound to ``monitoring_month``)."""
    stage = declaration.stage or DECLARE
    hint = "（菜单“阶段”进入下一阶段）" if stage != EVALUATE else "（菜单“阶段”可退回）"
    shown = QLabel(f"{stage_title(stage)}　{hint}")
    shown.setObjectName("declaration_stage")
    form.addRow(FIELD_LABELS[Declaration]["stage"], shown)
    if not is_frozen(stage):
        return
    month = QLineEdit(display_value(declaration.monitoring_month))
    month.setObjectName("monitoring_month")
    month.setMaximumWidth(month.fontMetrics().horizontalAdvance("0000") + 16)
    session.fields.bind_line_edit(month, Declaration, declaration.uuid, "monitoring_month")
    row = QHBoxLayout()
    row.addWidget(QLabel("截至"))
    row.addWidget(month)
    row.addWidget(QLabel("月底（1～12）"))
    row.addStretch(1)
    form.addRow(FIELD_LABELS[Declaration]["monitoring_month"], row)


def add_project_stage_fields(
    session: DocumentSession, project: BudgetProject, form: QFormLayout, stage: str
) -> None:
    """A project's rows of the stage under its declared ones: at 监控 预算执行数 and the
    执行率; at 自评 全年预算数, 全年执行数, the 执行率, the 自评得分 and 实际完成情况 (all
    万元). Nothing at 申报."""
    if not is_frozen(stage):
        return
    labels = FIELD_LABELS[BudgetProject]
    amounts = QHBoxLayout()
    names = ("executed_to_date",) if stage == MONITOR else ("annual_budget", "annual_executed")
    for number, name in enumerate(names):
        if number:
            amounts.addWidget(QLabel(labels[name]))
        line = QLineEdit(display_value(getattr(project, name)))
        line.setObjectName(f"project_{name}")
        line.setMinimumWidth(line.fontMetrics().horizontalAdvance("0000.00") + 10)
        if name == "annual_budget":
            line.setPlaceholderText(display_value(project.budget_amount))
            line.setToolTip("留空则按申报的预算数计算执行率")
        session.fields.bind_line_edit(line, BudgetProject, project.uuid, name)
        amounts.addWidget(line)
    amounts.addWidget(QLabel("万元"))
    rate = ExecutionRateLabel(session, project.uuid, stage)
    amounts.addWidget(QLabel("执行率"))
    amounts.addWidget(rate, 1)
    form.addRow(labels[names[0]], amounts)
    if stage == EVALUATE:
        # under the amounts, not last: the header scrolls, and its last line was cut in half
        # by the grid below on a 768-pixel screen
        form.addRow("自评得分", ProjectScoreLabel(session, project.uuid))
        outcome = QPlainTextEdit(project.overall_outcome)
        outcome.setObjectName("overall_outcome")
        outcome.setTabChangesFocus(True)
        outcome.setMinimumHeight(outcome.fontMetrics().lineSpacing() * 3 + 12)
        outcome.setMaximumHeight(outcome.minimumHeight())
        session.fields.bind_text_edit(outcome, BudgetProject, project.uuid, "overall_outcome")
        form.addRow(labels["overall_outcome"], outcome)


class ExecutionRateLabel(QLabel):
    """A project's 执行率, computed (never stored): 执行数 ÷ 预算数 × 100, percent to the
    hundredth, from the amounts of the stage (``execution.project_execution_rate``: at 监控
    预算执行数 ÷ 预算数, at 自评 全年执行数 ÷ 全年预算数, empty: the 预算数), shown again
    after any of them changed."""

    def __init__(self, session: DocumentSession, project_uuid: str, stage: str) -> None:
        super().__init__()
        self.setObjectName("execution_rate")
        self._session, self._uuid, self._stage = session, project_uuid, stage
        self.setToolTip(
            "执行率 = 预算执行数 ÷ 预算数 × 100%（自动计算）"
            if stage == MONITOR
            else "执行率 = 全年执行数 ÷ 全年预算数 × 100%（全年预算数未填时用预算数；自动计算）"
        )
        self.show_rate()
        session.changed.connect(self._on_session_changed)  # gone with the label, Qt disconnects

    def show_rate(self) -> None:
        """Read the amounts and show the rate (— while it cannot be computed)."""
        names = ("budget_amount", "executed_to_date", "annual_budget", "annual_executed")
        amounts = {n: self._session.read_field(BudgetProject, self._uuid, n) for n in names}
        rate = project_execution_rate(BudgetProject(**amounts), self._stage)
        self.setText(f"{rate}%" if rate is not None else "—（填写执行数后自动计算）")

    @Slot(object)
    def _on_session_changed(self, changes: Changes) -> None:
        if any(c.row_uuid == self._uuid for c in changes.fields):
            self.show_rate()


class ProjectScoreLabel(QLabel):
    """A project's 自评 total and grade (``scoring.project_scores``: 执行率 score and the
    indicators' 得分), how it was computed and what is missing as its tooltip; shown
    again after the project or an indicator changed."""

    def __init__(self, session: DocumentSession, project_uuid: str) -> None:
        super().__init__()
        self.setObjectName("project_score")
        self.setWordWrap(True)
        self._session, self._uuid = session, project_uuid
        self.show_score()
        session.changed.connect(self._on_session_changed)  # gone with the label, Qt disconnects

    def show_score(self) -> None:
        """Compute the project's score and show it."""
        try:
            project = self._session.load_row(BudgetProject, self._uuid)
        except RowNotFoundError:
            return
        year = self._session.read_field(Declaration, self._session.declaration_uuid, "fiscal_year")
        found = project_scores(project, year)
        execution = found.execution.score
        head = f"执行率得分 {weight_text(execution) if execution is not None else '—'}；"
        if found.complete:
            self.setText(f"{head}总分 {weight_text(found.total)} 分，等级：{found.grade}")
        else:
            self.setText(
                f"{head}已计 {weight_text(found.total)} 分；还缺 {len(found.missing)} 项数据，"
                "暂不评等级（鼠标停留可见所缺内容）"
            )
        lines = [found.explanation(), *(m.words() for m in found.missing)]
        self.setToolTip("\n".join(lines))

    @Slot(object)
    def _on_session_changed(self, changes: Changes) -> None:
        if changes.rows_changed or any(
            c.row_type in (BudgetProject, Indicator) for c in changes.fields
        ):
            self.show_score()


def freeze_project_header(
    session: DocumentSession, project: BudgetProject, header: QFormLayout, stage: str
) -> None:
    """From 监控 on: the project's declared fields read-only, saying so, and a 目标调整…
    button under them (the dialog offers those fields)."""
    if not is_frozen(stage):
        return
    note = f"已进入{stage}阶段，申报的目标已锁定；如需修改请点“目标调整…”。"
    for field in frozen_fields(BudgetProject):
        widget = session.fields.field_editor(project.uuid, field)
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setReadOnly(True)
            widget.setProperty(FROZEN, True)
            if isinstance(widget, QPlainTextEdit):  # read-only, Qt gave it a bar (it wraps)
                widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            widget.setToolTip(note)
            grey = widget.palette()  # not a style sheet: it would restyle the scroll bars
            grey.setColor(QPalette.ColorRole.Base, QColor("#f3f3f3"))
            widget.setPalette(grey)
    button = QPushButton("目标调整…")
    button.setObjectName("adjust_project_target")
    button.setToolTip("调整本项目申报的目标（项目名称、预算数等），须填写调整原因和日期")
    button.clicked.connect(lambda: adjust_project(button, session, project.uuid))
    row = QHBoxLayout()
    row.addWidget(QLabel(note))
    row.addWidget(button)
    row.addStretch(1)
    header.addRow(row)


def _choices(row_type: type[SyncedRow], row_uuid: str, session: DocumentSession) -> list[Any]:
    """(field, term, text as stored) of the row's frozen fields, in form order."""
    read = session.read_field
    return [
        (field, FIELD_LABELS[row_type][field], display_value(read(row_type, row_uuid, field)))
        for field in frozen_fields(row_type)
    ]


def adjust_project(widget: QWidget, session: DocumentSession, project_uuid: str) -> bool:
    """目标调整 of one of a project's declared fields (chosen in the dialog)."""
    return _adjust(widget, session, BudgetProject, project_uuid, "budget_amount")


def adjust_cell(view: QTableView, session: DocumentSession) -> bool:
    """目标调整 of the indicator grid ``view``'s current cell (its declared field; another
    column offers the row's 指标值). False when nothing was adjusted."""
    index = view.currentIndex()
    model = view.model()
    if not index.isValid() or not isinstance(model, RowsTableModel):
        prompter_for(view).inform("目标调整", "请先在绩效指标表中选择要调整的指标行。")
        return False
    field = model.columns[index.column()][0]
    if field not in frozen_fields(Indicator):
        field = "target_value"
    return _adjust(view, session, Indicator, model.row_uuid(index.row()), field)


def _adjust(
    widget: QWidget, session: DocumentSession, row_type: type[SyncedRow], row_uuid: str, field: str
) -> bool:
    """Open the 目标调整 dialog over ``widget`` for the row's frozen fields (``field`` first
    chosen) and make the adjustment as one undo step."""
    if session.refuses_edits():
        return False
    session.flush()
    stage = session.read_field(Declaration, session.declaration_uuid, "stage") or DECLARE
    choices = _choices(row_type, row_uuid, session)
    dialog = TargetAdjustmentDialog(choices, field, widget.window(), stage)
    dialog.check = lambda name, text: _check(row_type, name, text)
    if dialog.exec() != TargetAdjustmentDialog.DialogCode.Accepted:
        return False
    name, value, reason, day = dialog.result_values()
    label = FIELD_LABELS[row_type][name]
    return session.change(f"目标调整“{label}”", lambda document: stages.adjust_target(
        document, row_type=row_type, row_uuid=row_uuid, field=name, value=value,
        reason=reason, adjusted_on=day,
    ))  # fmt: skip


def _check(row_type: type[SyncedRow], field: str, text: str) -> str:
    """Why ``text`` cannot be the new value of ``field`` (Chinese), or ""."""
    from desktop.services.editing import parse_field

    try:
        parse_field(row_type, field, text)
    except ValueError as exc:
        return str(exc)
    return ""
