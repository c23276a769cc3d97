"""Undo commands: every change of the document is one step of the window's undo history.

Each command calls a service to apply or revert and tells the ``DocumentSession`` what
changed; consecutive edits of the same field merge into one step. A step whose write
failed (``DocumentSession.write``) makes itself obsolete, so Qt drops it from the history:
the history never offers to undo what is not in the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from desktop.models import ItemTarget
from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS
from desktop.services import structure
from desktop.services.structure import RowSnapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.ui.binding import DocumentSession


def _written(command: QUndoCommand, session: DocumentSession, operation: Callable[[], Any]) -> Any:
    """Run a service call through ``session.write``; on failure mark ``command`` obsolete
    and return ``WRITE_FAILED``."""
    from desktop.ui.binding import WRITE_FAILED

    result = session.write(operation)
    if result is WRITE_FAILED:
        command.setObsolete(True)
    return result


_FIELD_EDIT_ID = 1
ROW_NAMES = {
    "key_task": "年度主要任务",
    "item_target": "分项目标",
    "item_target_statement": "指标表述",
    "budget_project": "预算项目",
    "indicator": "指标行",
    "disbursement_checkpoint": "支出节点",
}


def row_name(row_type: type[SyncedRow]) -> str:
    """The clerk's word for a row of ``row_type`` (指标行, 预算项目 …)."""
    return ROW_NAMES[row_type.__tablename__]  # type: ignore[attr-defined]


class FieldEditCommand(QUndoCommand):
    """Set one field from ``old`` to ``new`` (parsed values); merges with the next edit of
    the same field, so a run of typing is one step."""

    def __init__(
        self, session: DocumentSession, row_type: type[SyncedRow], row_uuid: str, field: str,
        old: Any, new: Any,
    ) -> None:  # fmt: skip
        super().__init__(f"修改“{FIELD_LABELS[row_type][field]}”")
        self.session, self.row_type, self.row_uuid, self.field = session, row_type, row_uuid, field
        self.old, self.new = old, new

    def id(self) -> int:
        return _FIELD_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldEditCommand) or other.isObsolete():
            return False
        if (other.row_uuid, other.field) != (
            self.row_uuid,
            self.field,
        ):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if not self.session.apply_field(self.row_type, self.row_uuid, self.field, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.session.apply_field(self.row_type, self.row_uuid, self.field, self.old):
            self.setObsolete(True)


class InsertRowCommand(QUndoCommand):
    """Insert a new row; redo after undo puts back the same row (same UUID)."""

    def __init__(
        self, session: DocumentSession, row_type: type[SyncedRow], parent_uuid: str, index: int,
        values: dict[str, Any] | None = None, text: str = "",
    ) -> None:  # fmt: skip
        super().__init__(text or f"插入{row_name(row_type)}")
        self.session, self.row_type, self.parent_uuid = session, row_type, parent_uuid
        self.index, self.values = index, values
        self.row_uuid = ""
        self.snapshot: RowSnapshot | None = None

    def redo(self) -> None:
        document = self.session.document
        if self.snapshot is None:
            uuid = _written(self, self.session, lambda: structure.insert_row(
                document, row_type=self.row_type, parent_uuid=self.parent_uuid,
                index=self.index, values=self.values,
            ))  # fmt: skip
        else:
            snapshot = self.snapshot
            uuid = _written(self, self.session, lambda: structure.restore_row(document, snapshot))
        if not self.isObsolete():
            self.row_uuid = uuid
            self.session.structure_changed.emit(self.row_type, self.row_uuid)

    def undo(self) -> None:
        _remove(self)


class DuplicateRowCommand(InsertRowCommand):
    """Insert a copy of a row after it (a budget project with all its rows)."""

    def __init__(self, session: DocumentSession, row_type: type[SyncedRow], row_uuid: str) -> None:
        super().__init__(session, row_type, "", 0, text=f"复制{row_name(row_type)}")
        self.original = row_uuid

    def redo(self) -> None:
        if self.snapshot is None:
            uuid = _written(self, self.session, lambda: structure.duplicate_row(
                self.session.document, row_type=self.row_type, row_uuid=self.original
            ))  # fmt: skip
            if not self.isObsolete():
                self.row_uuid = uuid
                self.session.structure_changed.emit(self.row_type, self.row_uuid)
        else:
            super().redo()


class RemoveRowCommand(QUndoCommand):
    """Remove a row and all it owns; undo restores it with the same UUIDs and links."""

    def __init__(self, session: DocumentSession, row_type: type[SyncedRow], row_uuid: str) -> None:
        super().__init__(f"删除{row_name(row_type)}")
        self.session, self.row_type, self.row_uuid = session, row_type, row_uuid
        self.snapshot: RowSnapshot | None = None

    def redo(self) -> None:
        _remove(self)

    def undo(self) -> None:
        snapshot = self.snapshot
        assert snapshot is not None
        _written(self, self.session, lambda: structure.restore_row(self.session.document, snapshot))
        if not self.isObsolete():
            self.session.structure_changed.emit(self.row_type, self.row_uuid)


class MoveRowCommand(QUndoCommand):
    """Move a row up (negative offset) or down in its list."""

    def __init__(
        self, session: DocumentSession, row_type: type[SyncedRow], row_uuid: str, offset: int
    ) -> None:
        super().__init__(f"{'上移' if offset < 0 else '下移'}{row_name(row_type)}")
        self.session, self.row_type, self.row_uuid, self.offset = (
            session,
            row_type,
            row_uuid,
            offset,
        )
        self.moved = 0

    def redo(self) -> None:
        self.moved = self._move(self.offset)
        if self.moved == 0:  # the first or last row: nothing to undo, no step recorded
            self.setObsolete(True)

    def undo(self) -> None:
        self._move(-self.moved)

    def _move(self, offset: int) -> int:
        document = self.session.document

        def move() -> int:
            with document.session() as session:  # where it is now, to report the real move
                before = structure.index_of(session, self.row_type, self.row_uuid)
            after = structure.move_row(
                document, row_type=self.row_type, row_uuid=self.row_uuid, offset=offset
            )
            return after - before

        moved = _written(self, self.session, move)
        if self.isObsolete() or moved == 0:
            return 0
        self.session.structure_changed.emit(self.row_type, self.row_uuid)
        return int(moved)


class LinkProjectCommand(QUndoCommand):
    """Link an item target (Part 1 § 二) to a budget project, or unlink it."""

    def __init__(
        self, session: DocumentSession, item_uuid: str, old: str | None, new: str | None
    ) -> None:
        super().__init__("修改“对应预算项目”")
        self.session, self.item_uuid, self.old, self.new = session, item_uuid, old, new

    def redo(self) -> None:
        if not self.session.apply_link(self.item_uuid, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.session.apply_link(self.item_uuid, self.old):
            self.setObsolete(True)


class GenerateItemTargetsCommand(QUndoCommand):
    """从项目表生成: Part 1 § 二 rewritten from the project tables, as one step."""

    def __init__(self, session: DocumentSession) -> None:
        super().__init__("从项目表生成分项目标")
        self.session = session
        self.generation: structure.Generation | None = None

    def redo(self) -> None:
        generation = _written(self, self.session, lambda: structure.generate_item_targets(
            self.session.document, declaration_uuid=self.session.declaration_uuid
        ))  # fmt: skip
        if not self.isObsolete():
            self.generation = generation
            self.session.structure_changed.emit(ItemTarget, "")

    def undo(self) -> None:
        generation = self.generation
        assert generation is not None
        _written(self, self.session, lambda: structure.undo_generation(
            self.session.document, generation
        ))  # fmt: skip
        if not self.isObsolete():
            self.session.structure_changed.emit(ItemTarget, "")


def _remove(command: InsertRowCommand | RemoveRowCommand) -> None:
    """Remove the command's row, keeping its snapshot to put it back (undo of an insert,
    redo of a removal)."""
    snapshot = _written(command, command.session, lambda: structure.remove_row(
        command.session.document, row_type=command.row_type, row_uuid=command.row_uuid
    ))  # fmt: skip
    if not command.isObsolete():
        command.snapshot = snapshot
        command.session.structure_changed.emit(command.row_type, "")
