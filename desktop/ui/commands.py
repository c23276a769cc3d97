"""Undo commands: every change of the document is one step of the window's undo history.

One command for every operation: ``ChangeCommand`` runs a service the first time (the
service returns the ``Changes`` it made), then undo applies ``Changes.inverse()`` and redo
the Changes again (``structure.apply_changes``); the ``DocumentSession`` tells the views.
Consecutive edits of the same field merge into one step. A step whose write failed
(``DocumentSession.write``) makes itself obsolete, so Qt drops it from the history: the
history never offers to undo what is not in the file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from desktop.models.base import SyncedRow
from desktop.models.labels import ROW_KINDS
from desktop.services.editing import Changes

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.storage.document import Document

_FIELD_EDIT_ID = 1


class ChangeTarget(Protocol):
    """What a ``ChangeCommand`` needs of the document it changes (``DocumentSession`` in
    binding.py, which makes the commands: named here, not imported, so the two modules do
    not import each other)."""

    def apply(self, run: Callable[[Document], Changes]) -> Changes | None:
        """Run a service on the document and tell the views; None when not done."""
        ...

    def apply_changes(self, changes: Changes) -> Changes | None:
        """Make ``changes`` (redo, or an inverse for undo); None when not written."""
        ...

    def announce(self, changes: Changes) -> None:
        """Tell the views that ``changes`` were written."""
        ...


def row_name(row_type: type[SyncedRow]) -> str:
    """The clerk's word for a row of ``row_type`` (指标行, 预算项目 …: models/labels.py)."""
    return ROW_KINDS[row_type].name


class ChangeCommand(QUndoCommand):
    """One step of the history: the Changes a service made, undone by their inverse.

    Either ``run`` (a service call on the document, returning its Changes) is called on
    the first redo, or ``changes`` known beforehand (a field edit) are applied, or
    ``made``, Changes a service already made (a merge, run with a progress bar), are
    only told to the views on the first redo. A first
    redo that changed nothing, or whose write failed, makes the step obsolete (no step).
    A step of a single field edit merges with the next edit of the same field (named
    alike: two moves of a declaration's 阶段 stay two steps).
    """

    def __init__(
        self,
        session: ChangeTarget,
        text: str,
        *,
        run: Callable[[Document], Changes] | None = None,
        changes: Changes | None = None,
        made: Changes | None = None,
    ) -> None:
        super().__init__(text)
        self.session, self.run = session, run
        self.changes = changes if made is None else made
        #: Changes already made in the file (a merge run on a worker thread): the first
        #: redo only tells the views
        self._made = made is not None

    def _field(self) -> tuple[str, str] | None:
        """(row UUID, field) when the step is the edit of one field."""
        changes = self.changes
        if changes is None or changes.rows_changed or len(changes.fields) != 1:
            return None
        return changes.fields[0].row_uuid, changes.fields[0].field

    def id(self) -> int:
        return _FIELD_EDIT_ID if self._field() is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ChangeCommand) or other.isObsolete():
            return False
        mine = self._field()
        if mine is None or other._field() != mine or other.text() != self.text():
            return False  # the same field edited, not two steps that set one field
        assert self.changes is not None and other.changes is not None
        first, last = self.changes.fields[0], other.changes.fields[0]
        self.changes = Changes((replace(last, old=first.old),))
        return True

    def redo(self) -> None:
        if self._made:
            self._made = False
            assert self.changes is not None
            self.session.announce(self.changes)
            return
        if self.changes is None:
            assert self.run is not None
            made = self.session.apply(self.run)
            if made is None or not made:
                self.setObsolete(True)
                return
            self.changes = made
        elif self.session.apply_changes(self.changes) is None:
            self.setObsolete(True)

    def undo(self) -> None:
        assert self.changes is not None
        if self.session.apply_changes(self.changes.inverse()) is None:
            self.setObsolete(True)
