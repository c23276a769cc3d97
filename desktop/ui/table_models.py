"""Table models over rows of the declaration (indicators, statements, checkpoints).

The model keeps plain values per row (uuid + field values) taken from the loaded
declaration; an edit goes to ``DocumentSession.set_field`` and the cell shows the value
the service stored (so ``１８４．００`` shows as ``184.00``). Rows inserted, removed and
moved (``Changes`` told by the session: any edit, undo or redo) are applied row by row
(``beginInsertRows`` and friends); the model is never reset. A refused edit keeps the typed
text in the cell, red, with the reason as its tooltip, for the clerk to correct, as a form
field does; the stored value is unchanged and the input is kept in the file
(services/pending.py), so the cell shows it again when the grid is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.models import BudgetProject
from desktop.models.base import SyncedRow, content_fields
from desktop.models.indicator_fields import (
    WeightedRow,
    default_direction,
    effective_weights,
    level1_share,
    weight_text,
)
from desktop.models.scoring import ProjectScore, project_scores
from desktop.models.stages import FROZEN_FIELDS
from desktop.models.values import parse_target_value
from desktop.services.editing import Changes, RowChange, RowNotFoundError
from desktop.ui.binding import DocumentSession, display_value
from desktop.ui.library import VALUE_HINT_ROLE, entry_named, value_tooltip

_Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """Editable table of rows of one type; ``columns`` are (field, Chinese header) pairs."""

    def __init__(
        self,
        session: DocumentSession,
        row_type: type[SyncedRow],
        rows: Sequence[SyncedRow],
        columns: Sequence[tuple[str, str]],
        *,
        parent_uuid: str = "",
        percent_fields: Sequence[str] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.row_type = row_type
        #: the row whose list this is (a budget project's indicators …)
        self.parent_uuid = parent_uuid
        self.columns = list(columns)
        self._percent = set(percent_fields)
        self._rows: list[dict[str, Any]] = [
            {"uuid": row.uuid, **{field: getattr(row, field) for field, _ in columns}}
            for row in rows
        ]
        #: (row UUID, field) → (the refused text as typed, the reason given), as kept in
        #: the file (services/pending.py): shown again after switching and reopening
        fields = {field for field, _ in self.columns}
        self._refused: dict[tuple[str, str], tuple[str, str]] = {
            key: (kept.text, kept.reason)
            for key, kept in session.pending_input([row.uuid for row in rows]).items()
            if key[1] in fields
        }
        #: the shown unit's 预算年度 (``_fiscal_year``), None until read
        self._year: int | None = None
        session.changed.connect(self._on_session_changed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1] if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        field = self.columns[index.column()][0]
        refused = self._refused.get((self._rows[index.row()]["uuid"], field))
        if refused and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return refused[0]
        if refused and role == Qt.ItemDataRole.ToolTipRole:
            return f"未被接受的输入（文件中仍是原来的值）：{refused[1]}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return display_value(self._rows[index.row()][field], field in self._percent)
        if role == Qt.ItemDataRole.BackgroundRole and refused:
            return QColor("#fde2e2")
        if field == "target_value" and role in (Qt.ItemDataRole.ToolTipRole, VALUE_HINT_ROLE):
            return self._value_help(index.row(), role)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display_value(self._rows[index.row()][field], field in self._percent)
            return text if len(text) > 12 else None
        return None

    def _value_help(self, row: int, role: int) -> str | None:
        """A 指标值 cell's tooltip (the program's reading and the library's 指标解释), or
        for an empty one the library's form as a hint (``VALUE_HINT_ROLE``)."""
        text = display_value(self._rows[row]["target_value"])
        level3 = str(self._rows[row].get("level3") or "")
        if role == VALUE_HINT_ROLE:
            entry = entry_named(level3) if not text else None
            return entry.hint(self._fiscal_year()) if entry is not None else None
        parts = [f"{text}\n{parse_target_value(text).describe()}"] if text else []
        if library := value_tooltip(level3, self._fiscal_year()):
            parts.append(library)
        return "\n".join(parts) or None

    def _fiscal_year(self) -> int:
        """The shown unit's 预算年度, read once (Qt asks for the hints of every empty 指标值
        cell drawn; a read each time was a query per cell) and again after it changed."""
        from desktop.models import Declaration

        if self._year is None:
            year = self._session.read_field(
                Declaration, self._session.declaration_uuid, "fiscal_year"
            )
            self._year = int(year) if year else 0
        return self._year

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        field = self.columns[index.column()][0]
        key = (self._rows[index.row()]["uuid"], field)
        ok = self._session.set_field(self.row_type, key[0], field, str(value))
        if ok:
            self._refused.pop(key, None)
        elif not self._session.refused_frozen:  # a frozen target shows its stored value
            self._refused[key] = (str(value), self._session.refusal)
        self.dataChanged.emit(index, index)
        return ok

    def row_uuid(self, row: int) -> str:
        """The UUID of the row shown at ``row`` (0-based)."""
        return str(self._rows[row]["uuid"])

    def value(self, row: int, field: str) -> Any:
        """The stored value of ``field`` in row ``row`` (0-based)."""
        return self._rows[row][field]

    def _on_session_changed(self, changes: Changes) -> None:
        if any(c.field == "fiscal_year" for c in changes.fields):
            self._year = None
        self._apply_rows(changes)
        self._apply_fields(changes)

    def _apply_rows(self, changes: Changes) -> None:
        """Remove, insert and move this list's rows as ``changes`` did."""
        mine = [c for c in changes.removed if self._is_mine(c)]
        for removed in mine:
            row = self._row_of(removed.row_uuid)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        inserted = [c for c in changes.inserted if self._is_mine(c)]
        if inserted:
            kept = self._session.pending_input([c.row_uuid for c in inserted])
            for (uuid, field), input_ in kept.items():
                self._refused[(uuid, field)] = (input_.text, input_.reason)
        for change in inserted:
            row = max(0, min(change.index, len(self._rows)))
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, self._values(change.data))
            self.endInsertRows()
        for move in changes.moved:
            row = self._row_of(move.row_uuid) if move.row_type is self.row_type else None
            if row is None or move.parent_uuid != self.parent_uuid or row == move.new_index:
                continue
            to = max(0, min(move.new_index, len(self._rows) - 1))
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + (to > row))
            self._rows.insert(to, self._rows.pop(row))
            self.endMoveRows()

    def _apply_fields(self, changes: Changes) -> None:
        """Show the fields ``changes`` edited in this list's rows (a refused input there
        gives way to the stored value)."""
        fields = [name for name, _ in self.columns]
        for edit in changes.fields:
            if edit.row_type is not self.row_type or edit.field not in fields:
                continue
            self._refused.pop((edit.row_uuid, edit.field), None)  # the stored value shows
            row = self._row_of(edit.row_uuid)
            if row is not None:
                self._rows[row][edit.field] = edit.value
                cell = self.index(row, fields.index(edit.field))
                self.dataChanged.emit(cell, cell)

    def _is_mine(self, change: RowChange) -> bool:
        return change.row_type is self.row_type and change.parent_uuid == self.parent_uuid

    def _row_of(self, row_uuid: str) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row["uuid"] == row_uuid), None)

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        """A row's shown values from its JSON form (amounts and percents as Decimal)."""
        kinds = content_fields(self.row_type)
        values: dict[str, Any] = {"uuid": data["uuid"]}
        for field, _ in self.columns:
            value = data.get(field)
            values[field] = kinds[field](value) if value is not None else None
        return values


#: The indicator grid's columns that show a default while empty (grey, with a tooltip).
_DEFAULTED = ("direction", "weight")
#: The indicator fields frozen from 监控 on (a 目标调整 changes them).
_FROZEN = frozenset(FROZEN_FIELDS["indicator"])
#: What changes the defaults of other rows' 分值 (the 一级指标's rows and their weights).
_WEIGHT_INPUTS = frozenset({"level1", "level3", "target_value", "weight"})


class IndicatorTableModel(RowsTableModel):
    """The indicator grid: a ``RowsTableModel`` whose 指标性质 is read-only (it follows the
    指标值: models/indicator_fields.py) and whose empty 指标方向 and 分值 show their
    defaults in grey (方向 by the 计算符号; 分值 the 一级指标's share spread over its rows),
    with a tooltip saying so; typing a value there replaces the default, clearing the cell
    brings it back. The defaults are computed from the rows shown, again after any change."""

    #: the declared targets are frozen (监控, 自评): their cells shown grey
    frozen = False
    #: the project's 自评 scores (``scoring.project_scores``), computed when a 得分 cell is
    #: first drawn and again after any change of the project or its rows
    _scores: ProjectScore | None = None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        field = self.columns[index.column()][0] if index.isValid() else ""
        if role == Qt.ItemDataRole.BackgroundRole and self.frozen and field in _FROZEN:
            return QColor("#f1f1f1")
        if field == "score" and (self._rows[index.row()]["uuid"], field) not in self._refused:
            shown = self._score_data(index.row(), role)
            if shown is not None:
                return shown
        if field not in _DEFAULTED or self._rows[index.row()][field] not in ("", None):
            return super().data(index, role)
        if (self._rows[index.row()]["uuid"], field) in self._refused:
            return super().data(index, role)
        default, why = self._default(index.row(), field)
        if role == Qt.ItemDataRole.DisplayRole:
            return default
        if role == Qt.ItemDataRole.ForegroundRole and default:
            return QColor("#888888")
        if role == Qt.ItemDataRole.ToolTipRole and default:
            return why
        return super().data(index, role)

    def _default(self, row: int, field: str) -> tuple[str, str]:
        """The default shown in an empty 方向 or 分值 cell of ``row``, and why."""
        values = self._rows[row]
        if field == "direction":
            if values.get("indicator_nature") != "定量":
                return "", ""
            direction = default_direction(str(values.get("comparison") or ""))
            return direction, f"未填：按计算符号推定为{direction}。可填写“正向”或“反向”。"
        weight = self._weights()[row]
        if weight is None:
            return "", ""
        level1 = str(values.get("level1") or "")
        return weight_text(weight), (
            f"未填：按“{level1}”的{weight_text(level1_share(level1))}分平均分配"
            "（自评：执行率10、产出50、效益30、满意度10）。可直接填写分值。"
        )

    def _score_data(self, row: int, role: int) -> Any:
        """A 得分 cell: empty, the computed score in grey (how, as its tooltip); the
        clerk's, as typed (the rule's result and a score above 分值 in its tooltip); None
        for what the cell shows as any other."""
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if self._scores is None:
            try:
                project = self._session.load_row(BudgetProject, self.parent_uuid)
            except RowNotFoundError:
                return None
            self._scores = project_scores(project, self._fiscal_year() or None)
        uuid = self._rows[row]["uuid"]
        found = next((s for s in self._scores.indicators if s and s.row_uuid == uuid), None)
        if found is None:
            return None
        typed = self._rows[row]["score"] is not None
        if role == Qt.ItemDataRole.ToolTipRole:
            todo = "；".join(m.detail or m.kind.value for m in found.missing)
            return found.explanation + (f"（{todo}）" if todo else "")
        if role == Qt.ItemDataRole.ForegroundRole:
            if typed:
                return QColor("#b00020") if found.above_weight else None
            return QColor("#888888")
        return None if typed else weight_text(found.score) if found.score is not None else ""

    def _weights(self) -> list[Decimal | None]:
        rows = [
            WeightedRow(
                str(r.get("level1") or ""),
                bool(
                    str(r.get("level3") or "").strip() or str(r.get("target_value") or "").strip()
                ),
                r.get("weight"),
            )
            for r in self._rows
        ]
        return effective_weights(rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()][0] == "indicator_nature":
            return flags & ~Qt.ItemFlag.ItemIsEditable
        return flags

    def _on_session_changed(self, changes: Changes) -> None:
        super()._on_session_changed(changes)
        self._rescore(changes)
        touched = {edit.field for edit in changes.fields if edit.row_type is self.row_type}
        if self._rows and (changes.rows_changed or touched & (_WEIGHT_INPUTS | {"comparison"})):
            fields = [name for name, _ in self.columns]
            for field in _DEFAULTED:
                column = fields.index(field)
                last = len(self._rows) - 1
                self.dataChanged.emit(self.index(0, column), self.index(last, column))

    def _rescore(self, changes: Changes) -> None:
        """Forget the scores after a change of the project or its rows; redraw 得分."""
        fields = [name for name, _ in self.columns]
        if "score" not in fields or self._scores is None or not self._rows:
            return
        mine = {row["uuid"] for row in self._rows} | {self.parent_uuid}
        if changes.rows_changed or any(c.row_uuid in mine for c in changes.fields):
            self._scores = None
            column = fields.index("score")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))


def _filled(row: dict[str, Any]) -> bool:
    """An indicator row with a 三级指标 or a 指标值 (a blank template row gets no 分值)."""
    return bool(str(row.get("level3") or "").strip() or str(row.get("target_value") or "").strip())
