"""The open document as the UI sees it: field edits go through the editing service.

``DocumentSession`` owns the ``Document``; editors bind their widgets to one field of one
row with ``session.fields`` (``FormFields.bind_line_edit`` / ``bind_text_edit``) and change
its structure with ``session.rows`` (``RowSteps``). Typing is committed 400 ms after the last
keystroke (and at once when the field loses focus), so every edit reaches the file within
a second.

When the file cannot be written — full disk, stick pulled, file turned read-only, or
another program took the edit lock — the edit is rolled back in the file (which keeps its
last saved state), kept in memory (``unsaved``) and ``write_failed`` tells the window,
which stops further editing and offers 另存为 (the kept edits are written into the copy).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QPlainTextEdit, QWidget
from shiboken6 import isValid

from desktop.exchange.errors import WorkbookError
from desktop.models import Declaration
from desktop.models.base import SyncedRow
from desktop.models.labels import FIELD_LABELS
from desktop.services import documents, editing, pending, structure
from desktop.services.documents import RowT
from desktop.services.editing import Changes, FieldChange, parse_field
from desktop.services.errors import FrozenTargetError
from desktop.storage.document import Document
from desktop.storage.errors import DocumentWriteError
from desktop.storage.reasons import ReadOnlyCause
from desktop.ui.commands import ChangeCommand, row_name
from desktop.ui.wording import error_words, read_only_words

COMMIT_DELAY_MS = 400
#: What ``DocumentSession.write`` returns when the write failed (None is a valid result).
WRITE_FAILED: Final = object()


class DocumentSession(QObject):
    """The document open in the window and the one path by which the UI changes it.

    Every change is a command on ``undo_stack`` (one history for the document).
    Signals: ``changed(Changes)`` after a committed change (fields edited; rows
    inserted, removed, moved: views apply it row by row), and for a field edit kept in
    memory after a failed write; ``saved()`` when the file was written; ``failed(str)``
    with a Chinese message when an edit was refused; ``noted(str)`` with a Chinese
    message about an edit made (for the status bar, e.g. what a paste filled in);
    ``input_kept()`` after a refused input was kept in the file; ``write_failed(str)``
    with the Chinese reason when the file could not be written (or is read-only): from
    then on ``fault`` holds that reason, edits are refused and the ones that failed are
    kept in ``unsaved`` for ``write_unsaved``.
    """

    changed = Signal(object)
    saved = Signal()
    failed = Signal(str)
    noted = Signal(str)
    write_failed = Signal(str)
    #: a refused input was kept in the file (services/pending.py)
    input_kept = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        #: the declaration the window shows (the first one of the file)
        self.declaration_uuid = ""
        self.undo_stack = QUndoStack(self)
        #: why the last value was refused (Chinese), for the cell or field that shows it
        self.refusal = ""
        #: the last value refused was a frozen target's (shown as stored, not kept red)
        self.refused_frozen = False
        #: why the last write failed (Chinese), None while writes succeed
        self.fault: str | None = None
        #: edits that could not be written, each as a call that writes it into a document
        self.unsaved: list[Callable[[Document], object]] = []
        #: the form fields bound to the document's fields (typing committed after a pause)
        self.fields = FormFields(self)
        #: structure changes (insert, copy, remove, move, paste rows; link a project)
        self.rows = RowSteps(self)

    def read_only_reason(self) -> str | None:
        """Why the document cannot be edited now (Chinese), or None when it can. A unit of
        a collection shown read-only whose explanation could not be written says that
        failure first (its server gone) and then why it is read-only."""
        reason = self.document.read_only
        if reason is None:
            return self.fault
        words = read_only_words(self.document.path, reason)
        if self.fault is not None and reason.cause is ReadOnlyCause.UNIT_VIEWED:
            return f"{self.fault}\n{words}"
        return words

    def refuses_edits(self) -> bool:
        """True (after telling the clerk why, by ``failed``) when edits are not possible now."""
        reason = self.read_only_reason()
        if reason is not None:
            self.failed.emit(reason)
        return reason is not None

    def write(
        self, operation: Callable[[], Any], keep: Callable[[Document], object] | None = None
    ) -> Any:
        """Run ``operation`` (a service call that writes); its result, or ``WRITE_FAILED``.

        On ``DocumentWriteError`` the file holds its state before the call; ``keep`` (the
        same edit as a call on any document) is remembered in ``unsaved``, ``fault`` is
        set and ``write_failed`` emitted.
        """
        try:
            return operation()
        except DocumentWriteError as exc:
            if keep is not None:
                self.unsaved.append(keep)
            self.fault = error_words(exc)
            self.write_failed.emit(self.fault)
            return WRITE_FAILED

    def write_unsaved(self, document: Document) -> None:
        """Write the edits kept in memory into ``document`` (the same file after the cause
        was removed, or a copy saved elsewhere) and forget them and the fault.

        Raises ``DocumentWriteError`` when ``document`` cannot be written either; the
        edits stay kept.
        """
        with document.session():
            pass  # fails early, before any edit, when the file cannot be read
        for edit in list(self.unsaved):
            edit(document)
            self.unsaved.remove(edit)
        self.fault = None

    def load_declaration(self, *, project_rows: bool = True) -> Declaration:
        """A fresh snapshot of the declaration shown (read-only use), fully loaded or
        (``project_rows=False``) without its projects' indicators and checkpoints."""
        with self.document.session() as session:
            declaration = documents.load_declaration(
                session, self.declaration_uuid, project_rows=project_rows
            )
        if declaration is None:
            raise editing.RowNotFoundError("此文件中没有单位绩效目标。")
        return declaration

    def load_row(self, row_type: type[RowT], row_uuid: str) -> RowT:
        """A fresh snapshot of one row with everything it owns (e.g. the project shown).
        Raises ``RowNotFoundError``."""
        with self.document.session() as session:
            return documents.load_row(session, row_type, row_uuid)

    def budget_projects(self) -> list[documents.ProjectEntry]:
        """The shown declaration's budget projects (uuid, code, name, 预算数), in order,
        read without their rows."""
        with self.document.session() as session:
            return documents.budget_project_entries(session, self.declaration_uuid)

    def place_of(self, row_type: type[SyncedRow], row_uuid: str) -> tuple[str, int] | None:
        """(UUID of the parent, 0-based index in its list) of a row; None when gone."""
        try:
            return structure.place_of(self.document, row_type=row_type, row_uuid=row_uuid)
        except editing.RowNotFoundError:
            return None

    def set_field(self, row_type: type[SyncedRow], row_uuid: str, field: str, value: Any) -> bool:
        """Commit one field as an undo step; False (and ``failed``) when the value is refused.

        ``value`` is what the clerk typed or a parsed value. An unchanged value adds no step.
        Typed text that does not parse is kept in the file as pending input (shown red,
        reviewed, named at print: services/pending.py) and its reason left in ``refusal``;
        a value stored in the field replaces it. While the file cannot be written
        (``fault``) the edit is kept in ``unsaved``; in a document opened read-only it is
        refused.
        """
        self.refusal, self.refused_frozen = "", False
        if self.fault is None and self.refuses_edits():
            return False
        try:
            new = editing.parse_field(row_type, field, value)
        except ValueError as exc:
            return _refuse(self, (row_type, row_uuid, field), value, str(exc))

        def keep(document: Document) -> Changes:
            return editing.set_field(
                document, row_type=row_type, row_uuid=row_uuid, field=field, value=new
            )

        if self.fault is not None:  # typing that was under way when writing failed
            self.unsaved.append(keep)
            self._show_kept(FieldChange(row_type, row_uuid, field, new))
            return True
        try:
            planned = self.write(
                lambda: editing.planned_changes(
                    self.document, row_type=row_type, row_uuid=row_uuid, field=field, value=new
                ),
                keep=keep,
            )
        except editing.RowNotFoundError as exc:
            self.failed.emit(str(exc))
            return False
        except FrozenTargetError as exc:  # a declared target from 监控 on: 目标调整 changes it
            return _refuse_frozen(self, (row_type, row_uuid, field), str(exc))
        except ValueError as exc:  # an indicator's sign or unit on a row without a number …
            return _refuse(self, (row_type, row_uuid, field), value, str(exc))
        if planned is WRITE_FAILED:
            self._show_kept(FieldChange(row_type, row_uuid, field, new))
            return True
        if not planned:  # the stored value typed again
            self.write(lambda: pending.forget(self.document, row_uuid=row_uuid, field=field))
            return True
        label = f"修改“{FIELD_LABELS[row_type][field]}”"
        self.undo_stack.push(ChangeCommand(self, label, changes=planned))
        return True

    def _keep_input(
        self, row_type: type[SyncedRow], row_uuid: str, field: str, text: str, reason: str
    ) -> None:
        """Keep a refused input in the file, to be shown, reviewed and named at print."""

        def keep() -> None:
            pending.keep_input(
                self.document,
                row_type=row_type,
                row_uuid=row_uuid,
                field=field,
                text=text,
                reason=reason,
            )

        if self.write(keep) is not WRITE_FAILED:
            self.input_kept.emit()

    def pending_input(self, row_uuids: list[str]) -> dict[tuple[str, str], pending.Pending]:
        """The refused inputs kept in the file for these rows: (row UUID, field) -> Pending."""
        return pending.pending_inputs(self.document, row_uuids)

    def read_field(self, row_type: type[SyncedRow], row_uuid: str, field: str) -> Any:
        """The stored value of one field (None when the row is gone)."""
        try:
            return editing.read_field(
                self.document, row_type=row_type, row_uuid=row_uuid, field=field
            )
        except editing.RowNotFoundError:
            return None

    def apply(self, run: Callable[[Document], Changes]) -> Changes | None:
        """Run a service on the document (used by ``ChangeCommand``) and tell the views what
        it changed; None (and ``failed`` or ``write_failed``) when it could not be done."""
        try:
            changes = self.write(lambda: run(self.document))
        except editing.RowNotFoundError as exc:
            self.failed.emit(str(exc))
            return None
        except WorkbookError as exc:  # e.g. an import that would make the list too long
            self.failed.emit(error_words(exc))
            return None
        except ValueError as exc:  # e.g. a pasted sign on an indicator row with no number
            self.failed.emit(str(exc))
            return None
        if changes is WRITE_FAILED:
            return None
        self.announce(changes)
        return changes

    def apply_changes(self, changes: Changes) -> Changes | None:
        """Make ``changes`` again (redo) or their inverse (undo) and tell the views; None
        when it could not be written. Field edits that could not be written are kept in
        ``unsaved`` (and shown as values of their fields)."""

        def keep(document: Document) -> Changes:
            return structure.apply_changes(document, changes)

        try:
            made = self.write(
                lambda: keep(self.document), keep=None if changes.rows_changed else keep
            )
        except editing.RowNotFoundError as exc:
            self.failed.emit(str(exc))
            return None
        if made is WRITE_FAILED:
            if not changes.rows_changed:
                self.changed.emit(changes)
            return None
        self.announce(made)
        return made

    def change(self, text: str, run: Callable[[Document], Changes]) -> bool:
        """Run a service that changes the document (``run(document)`` returns its Changes)
        as one undo step named ``text``; False when edits are refused now, or the service
        refused (``failed`` told why: a frozen target pasted over …) or could not write."""
        if self.refuses_edits():
            return False
        self.flush()
        said: list[str] = []

        def hear(message: str) -> None:
            said.append(message)

        self.failed.connect(hear)
        try:
            self.undo_stack.push(ChangeCommand(self, text, run=run))
        finally:
            self.failed.disconnect(hear)
        return not said and self.fault is None

    def record(self, text: str, made: Changes) -> None:
        """Tell the views ``made``, Changes a service already wrote (a merge, run under a
        progress bar), and make them one undo step named ``text`` (none when empty)."""
        if made:
            self.undo_stack.push(ChangeCommand(self, text, made=made))

    def _show_kept(self, change: FieldChange) -> None:
        """Views show an edit kept in memory as the value of the field (not ``saved``)."""
        self.changed.emit(Changes((change,)))

    def announce(self, changes: Changes) -> None:
        """Tell the views (``changed``) and the saved state (``saved``) that ``changes``
        were written."""
        if changes:
            self.saved.emit()
            self.changed.emit(changes)

    def flush(self) -> None:
        """Commit every edit still waiting for its delay (before close, print, save-as)."""
        self.fields.flush()


def _refuse(
    session: DocumentSession, where: tuple[type[SyncedRow], str, str], value: Any, reason: str
) -> bool:
    """Refuse an edit of ``where`` (row type, row UUID, field) for ``reason``: typed text is
    kept as pending input (red, in the file, unless writing has failed), ``failed`` is
    told; False."""
    session.refusal = reason
    if isinstance(value, str) and session.fault is None:
        session._keep_input(*where, value, reason)
    session.failed.emit(reason)
    return False


def _refuse_frozen(
    session: DocumentSession, where: tuple[type[SyncedRow], str, str], reason: str
) -> bool:
    """Refuse an edit of a frozen target (``FrozenTargetError``; ``where``: row type, row
    UUID, field): ``failed`` says how to adjust it; the views show the stored value again
    (a ``changed`` of the field to what it holds); nothing is kept as refused input
    (``refused_frozen``). False."""
    session.refused_frozen = True
    session.failed.emit(reason)
    stored = session.read_field(*where)
    session.changed.emit(Changes((FieldChange(*where, stored, stored),)))
    return False


class FormFields(QObject):
    """The form fields (line and text edits) bound to one field of one row each: typing is
    committed through ``DocumentSession.set_field`` after a pause (``COMMIT_DELAY_MS``) and
    at once when the field is left; a refused input shows red with its reason; each field
    follows undo and redo, and is found again by (row UUID, field) for jump-to."""

    def __init__(self, session: DocumentSession) -> None:
        super().__init__(session)
        self._session = session
        #: editors whose text was refused (shown red until a good value is entered)
        self.invalid_widgets: set[QWidget] = set()
        self._pending: dict[int, QTimer] = {}
        self._field_keys = _FieldKeys(session)
        #: (row UUID, field) -> the widget editing it, registered as it is bound (jump-to)
        self._field_editors: dict[tuple[str, str], QWidget] = {}

    def flush(self) -> None:
        """Commit every edit still waiting for its delay."""
        for timer in list(self._pending.values()):
            if timer.isActive():
                timer.stop()
                timer.timeout.emit()

    def bind_line_edit(
        self, widget: QLineEdit, row_type: type[SyncedRow], row_uuid: str, field: str
    ) -> None:
        """Commit ``widget``'s text after typing pauses; on leaving it, commit at once and
        show the value as stored (``１８４．００`` becomes ``184.00``)."""
        timer = self._commit_timer(widget, row_type, row_uuid, field, widget.text)
        widget.textEdited.connect(timer.start)
        widget.installEventFilter(self._field_keys)
        self._follow(widget, row_type, row_uuid, field, widget.setText, widget.text)
        kept = self._session.pending_input([row_uuid]).get((row_uuid, field))
        if kept is not None:  # typed and refused before: shown as typed, red, again
            widget.setText(kept.text)
            self._mark(widget, False, kept.reason)

        def finish() -> None:
            if timer.isActive():
                timer.stop()
                timer.timeout.emit()
            if widget not in self.invalid_widgets:
                widget.setText(display_value(parse_field(row_type, field, widget.text())))

        widget.editingFinished.connect(finish)

    def bind_text_edit(
        self, widget: QPlainTextEdit, row_type: type[SyncedRow], row_uuid: str, field: str
    ) -> None:
        """Commit a multi-line editor's text to the field after typing pauses."""
        timer = self._commit_timer(widget, row_type, row_uuid, field, widget.toPlainText)
        widget.textChanged.connect(timer.start)
        widget.installEventFilter(self._field_keys)
        self._follow(widget, row_type, row_uuid, field, widget.setPlainText, widget.toPlainText)

    def _follow(
        self,
        widget: QWidget,
        row_type: type[SyncedRow],
        row_uuid: str,
        field: str,
        write: Callable[[str], None],
        read: Callable[[], str],
    ) -> None:
        """Show the stored value in ``widget`` when it changes elsewhere (undo, redo); it is
        the ``field_editor`` of the row's field from now on."""
        follower = _Follower(widget, (row_type, row_uuid, field), write, read, self.invalid_widgets)
        self._session.changed.connect(follower.on_changed)  # gone with the widget, Qt disconnects
        self._field_editors[(row_uuid, field)] = widget

    def field_editor(self, row_uuid: str, field: str) -> QWidget | None:
        """The widget that edits ``field`` of the row ``row_uuid`` now (a form field bound
        by ``bind_line_edit``, ``bind_combo`` or ``bind_text_edit``); None when no editor
        shows it (another project selected, a row removed)."""
        widget = self._field_editors.get((row_uuid, field))
        if widget is None or not isValid(widget):
            self._field_editors.pop((row_uuid, field), None)
            return None
        return widget

    def _commit_timer(
        self,
        widget: QWidget,
        row_type: type[SyncedRow],
        row_uuid: str,
        field: str,
        read: Callable[[], str],
    ) -> QTimer:
        """A single-shot timer that commits ``read()`` to the field; a refusal marks the widget."""
        timer = QTimer(widget, singleShot=True, interval=COMMIT_DELAY_MS)
        self._pending[id(timer)] = timer
        timer.destroyed.connect(lambda *_: self._pending.pop(id(timer), None))

        def commit() -> None:
            ok = self._session.set_field(row_type, row_uuid, field, read())
            if not self._session.refused_frozen:  # a frozen target shows its stored value
                self._mark(widget, ok, self._session.refusal)

        timer.timeout.connect(commit)
        return timer

    def _mark(self, widget: QWidget, ok: bool, reason: str) -> None:
        """Show ``widget`` as holding a stored value, or (red, the reason as its tooltip)
        a refused input kept in the file."""
        if ok:
            self.invalid_widgets.discard(widget)
        elif widget not in self.invalid_widgets:
            self.invalid_widgets.add(widget)
            widget.destroyed.connect(lambda *_: self.invalid_widgets.discard(widget))
        widget.setStyleSheet("" if ok else "background: #fde2e2;")
        widget.setToolTip("" if ok else f"未被接受的输入（文件中仍是原来的值）：{reason}")


class RowSteps:
    """Changes of the document's structure, each one undo step through
    ``DocumentSession.change``: insert, copy, remove, move and paste rows; link an item
    target to a budget project."""

    def __init__(self, session: DocumentSession) -> None:
        self._session = session
        self._change = session.change

    def insert_row(
        self,
        row_type: type[SyncedRow],
        parent_uuid: str,
        index: int,
        text: str = "",
        values: dict[str, Any] | None = None,
    ) -> None:
        """Insert a row at ``index`` of the parent's list, empty or with ``values`` (parsed
        field values), as one undo step."""
        self._change(text or f"插入{row_name(row_type)}", lambda document: structure.insert_row(
            document, row_type=row_type, parent_uuid=parent_uuid, index=index, values=values
        ))  # fmt: skip

    def duplicate_row(self, row_type: type[SyncedRow], row_uuid: str) -> None:
        """Insert a copy of a row after it (one undo step)."""
        self._change(f"复制{row_name(row_type)}", lambda document: structure.duplicate_row(
            document, row_type=row_type, row_uuid=row_uuid
        ))  # fmt: skip

    def remove_row(self, row_type: type[SyncedRow], row_uuid: str) -> None:
        """Remove a row and what it owns (one undo step)."""
        self._change(f"删除{row_name(row_type)}", lambda document: structure.remove_row(
            document, row_type=row_type, row_uuid=row_uuid
        ))  # fmt: skip

    def paste_block(
        self,
        row_type: type[SyncedRow],
        parent_uuid: str,
        row_uuids: list[str],
        fields: list[str],
        block: list[list[str]],
        new_rows_at: int,
        label: str = "",
    ) -> bool:
        """Paste ``block`` (rows of cell texts) into ``fields`` of the rows ``row_uuids`` (the
        target rows from the selection down), adding rows from index ``new_rows_at`` (0-based,
        the end of the list) for the rest (``structure.paste_rows``).

        All or nothing, one undo step (撤销“粘贴 N 个单元格”, or ``label``). False, with
        ``failed`` naming the cell, when a value does not parse or the block is wider than
        ``fields``.
        """
        if not block or self._session.refuses_edits():
            return False
        if len(block[0]) > len(fields):
            self._session.failed.emit(
                f"粘贴的内容有 {len(block[0])} 列，从所选单元格起只有 {len(fields)} 列，未粘贴。"
                "请在表格中选择更靠左的单元格，或少复制几列。"
            )
            return False
        try:
            parsed = [
                [
                    editing.parse_field(row_type, field, text)
                    for field, text in zip(fields, row, strict=False)
                ]
                for row in block
            ]
        except ValueError as exc:
            self._session.failed.emit(f"粘贴未进行：{exc}")
            return False
        cells = sum(len(row) for row in block)
        text = label or f"粘贴 {cells} 个单元格"
        return self._change(text, lambda document: structure.paste_rows(
            document, row_type=row_type, parent_uuid=parent_uuid, row_uuids=row_uuids,
            fields=fields, values=parsed, new_rows_at=new_rows_at,
        ))  # fmt: skip

    def move_row(self, row_type: type[SyncedRow], row_uuid: str, offset: int) -> None:
        """Move a row up (negative) or down (one undo step; none at either end)."""
        self._change(f"{'上移' if offset < 0 else '下移'}{row_name(row_type)}", lambda document: (
            structure.move_row(document, row_type=row_type, row_uuid=row_uuid, offset=offset)
        ))  # fmt: skip

    def link_budget_project(self, item_target_uuid: str, new: str | None) -> None:
        """Link an item target to a budget project (UUID) or to none, as one undo step."""
        self._change("修改“对应预算项目”", lambda document: editing.link_budget_project(
            document, item_target_uuid=item_target_uuid, budget_project_uuid=new
        ))  # fmt: skip


class _FieldKeys(QObject):
    """Keys a bound field would keep for itself but the window means: Ctrl+Z / Ctrl+Y undo
    and redo in the document, as the 编辑 menu shows (the typing under way is committed
    first, as one step; the field's own undo knows nothing of the document), and the
    shortcut of any menu command (on Linux a field takes Ctrl+E as "end of line", so
    导出PDF did nothing from a field)."""

    def __init__(self, session: DocumentSession) -> None:
        super().__init__(session)
        self._session = session

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        undo_keys = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
        if any(event.matches(key) for key in undo_keys):
            self._session.flush()
        elif not (isinstance(watched, QWidget) and _menu_shortcut(watched.window(), event)):
            return False
        event.ignore()  # not the field's: the window's action runs
        return True


def _menu_shortcut(window: QWidget, event: QKeyEvent) -> bool:
    """Whether ``event``'s key is the shortcut of a command in ``window``'s menus."""
    pressed = QKeySequence(event.keyCombination())
    return any(
        key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
        for menu in window.findChildren(QMenu)
        for action in menu.actions()
        for key in action.shortcuts()
    )


class _Follower(QObject):
    """Writes a field's new stored value into its widget (child of the widget)."""

    def __init__(
        self,
        widget: QWidget,
        key: tuple[type[SyncedRow], str, str],
        write: Callable[[str], None],
        read: Callable[[], str],
        invalid: set[QWidget],
    ) -> None:
        super().__init__(widget)
        self._widget, self._key, self._write, self._read = widget, key, write, read
        self._invalid = invalid

    @Slot(object)
    def on_changed(self, changes: Changes) -> None:
        for change in changes.fields:
            if (change.row_type, change.row_uuid, change.field) != self._key:
                continue
            text = display_value(change.value)
            if self._widget in self._invalid:  # a value stored (undo, redo) replaces the input
                self._invalid.discard(self._widget)
                self._widget.setStyleSheet("")
                self._widget.setToolTip("")
            if self._read() != text:
                self._widget.blockSignals(True)  # not typing: no new commit
                self._write(text)
                self._widget.blockSignals(False)


def display_value(value: Any, percent: bool = False) -> str:
    """How a stored value shows in a field or cell: amounts as stored, None empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and percent:
        return f"{value}%"
    return str(value)
