"""The 阶段 menu: the shown unit's stage (also in the status line), moving it on to 监控 or
自评 (or back while the stage left holds no data), 目标调整 of the selected target and the
目标调整记录. A stage moved (or its move undone) shows the tabs again with the stage's
columns and fields, the same tab and project selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QListWidget, QMenu, QMenuBar, QTableView

from desktop.models import Declaration
from desktop.models.stages import DECLARE, STAGE_FORMS, STAGES, is_frozen
from desktop.services import stages
from desktop.services.editing import Changes
from desktop.services.errors import StageMoveError
from desktop.ui.binding import DocumentSession
from desktop.ui.prompter import Prompter
from desktop.ui.stage_dialogs import AdjustmentRecordsDialog
from desktop.ui.stage_fields import adjust_cell, adjust_project

if TYPE_CHECKING:
    from desktop.ui.document_view import DocumentView
    from desktop.ui.window_protocol import DocumentWindow


class StageController:
    """The 阶段 menu's commands over the window's shown unit (``view``: the document's
    view, whose tabs it shows again after a stage moved); asks through ``prompter``."""

    def __init__(self, window: DocumentWindow, prompter: Prompter, view: DocumentView) -> None:
        self._window, self._prompter, self._view = window, prompter, view
        self._watched: DocumentSession | None = None
        view.filled.connect(self._on_view_filled)

    def build_menu(self, bar: QMenuBar) -> QMenu:
        """The 阶段 menu, filled each time it opens (its entries follow the stage)."""
        menu = bar.addMenu("阶段(&G)")
        menu.aboutToShow.connect(lambda: self.fill_menu(menu))
        return menu

    def stage(self) -> str | None:
        """The shown unit's stage, None while no document is shown."""
        session = self._window.session
        if session is None or not session.declaration_uuid:
            return None
        return session.read_field(Declaration, session.declaration_uuid, "stage") or DECLARE

    def fill_menu(self, menu: QMenu) -> None:
        """当前阶段, the moves it may make, 目标调整…, 目标调整记录…."""
        menu.clear()
        stage = self.stage()
        now = menu.addAction(f"当前：{stage}阶段" if stage else "当前：未打开文件")
        now.setEnabled(False)
        if stage is None:
            return
        menu.addSeparator()
        for other in STAGES:
            if other == stage:
                continue
            later = STAGES.index(other) > STAGES.index(stage)
            text = f"{'进入' if later else '退回'}{other}阶段（{STAGE_FORMS[other]}）…"
            action = menu.addAction(text)
            action.setObjectName(f"stage_{STAGES.index(other)}")
            action.triggered.connect(lambda _=False, to=other: self.move_to(to))
        menu.addSeparator()
        adjust = menu.addAction("目标调整(&T)…")
        adjust.setEnabled(is_frozen(stage))
        adjust.triggered.connect(self.adjust)
        menu.addAction("目标调整记录(&L)…").triggered.connect(self.show_records)

    def move_to(self, stage: str) -> bool:
        """Move the shown unit to ``stage`` as one undo step, after the clerk agrees
        (forward: the targets freeze); a move back that would hide data is refused,
        saying where. True when moved."""
        session = self._window.session
        now = self.stage()
        if session is None or now is None or session.refuses_edits():
            return False
        session.flush()
        uuid = session.declaration_uuid
        try:
            stages.check_move(session.document, declaration_uuid=uuid, stage=stage)
        except StageMoveError as exc:
            self._prompter.error(f"不能退回{stage}阶段", str(exc))
            return False
        later = STAGES.index(stage) > STAGES.index(now)
        if later and not self._prompter.confirm(
            f"进入{stage}阶段",
            f"进入{stage}阶段后，表格中增加{stage}的栏目；申报的目标（指标值、三级指标、"
            f"项目名称和金额等）{'将锁定' if now == DECLARE else '仍然锁定'}，不能直接修改，"
            "也不能增删指标行：确需修改时用“目标调整”，写明原因和日期。"
            "\n\n可用 编辑 → 撤销 退回。"
            f"是否进入{stage}阶段？",
        ):
            return False
        text = f"{'进入' if later else '退回'}{stage}阶段"
        return session.change(
            text,
            lambda document: stages.move_to_stage(document, declaration_uuid=uuid, stage=stage),
        )

    def adjust(self) -> bool:
        """目标调整 of the selected indicator's cell, else of the selected project."""
        session = self._window.session
        if session is None:
            return False
        grid = self._view.findChild(QTableView, "indicator_grid")
        if grid is not None and grid.currentIndex().isValid():
            self._view.tabs.setCurrentIndex(2)
            return adjust_cell(grid, session)
        projects = self._view.findChild(QListWidget, "budget_project_list")
        if projects is not None and projects.currentRow() >= 0:
            uuid = session.budget_projects()[projects.currentRow()].uuid
            return adjust_project(self._window.dialog_parent, session, uuid)
        self._prompter.inform("目标调整", "请先在“项目绩效目标表”中选择要调整的预算项目或指标行。")
        return False

    def show_records(self) -> None:
        """The 目标调整记录 of the shown unit, in a dialog."""
        session = self._window.session
        if session is None:
            return
        records = stages.target_adjustments(
            session.document, declaration_uuid=session.declaration_uuid
        )
        AdjustmentRecordsDialog(records, self._window.dialog_parent).exec()

    def show_stage(self) -> None:
        """The shown unit's stage in the status line."""
        stage = self.stage()
        self._window.status_line.stage_label.setText(f"阶段：{stage}" if stage else "")

    def _on_view_filled(self) -> None:
        session = self._window.session
        if session is not None and session is not self._watched:
            self._watched = session
            session.changed.connect(self._on_session_changed)
        self.show_stage()

    def _on_session_changed(self, changes: Changes) -> None:
        """A stage moved (or its move undone or redone): the tabs again, at the stage."""
        session = self._window.session
        if session is None or not any(
            (c.row_type, c.field, c.row_uuid) == (Declaration, "stage", session.declaration_uuid)
            for c in changes.fields
        ):
            return
        tab = self._view.tabs.currentIndex()
        projects = self._view.findChild(QListWidget, "budget_project_list")
        row = projects.currentRow() if projects is not None else -1
        self._window.reload()
        self._view.tabs.setCurrentIndex(tab)
        projects = self._view.findChild(QListWidget, "budget_project_list")
        if projects is not None and 0 <= row < projects.count():
            projects.setCurrentRow(row)
