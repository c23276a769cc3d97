"""文件 → 合并其他单位文件…, 比较…, 汇总表…: the dialogs. The steps that show them are
``MergeController`` (``desktop/ui/controllers/merging.py``).

The clerk decides per unit in ``MergeDialog`` before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.file_words import skipped_words
from desktop.reports.summary import HEADERS, SummaryRow
from desktop.services import merging
from desktop.services.errors import SkippedSource
from desktop.storage.compare import Difference
from desktop.storage.merge import Choice, MergeItem, Status
from desktop.ui.prompter import prompter_for
from desktop.ui.screens import fit_to_screen

if TYPE_CHECKING:
    from desktop.ui.window_protocol import DocumentWindow

_STATUS_COLOURS = {
    Status.CHANGED_BOTH: "#fde2e1",
    Status.CHANGED_THERE: "#e3f0fb",
    Status.NEW: "#e6f4e6",
    Status.ONLY_MINE: "#fff4d6",
}
#: the modification times of an item whose clock cannot be trusted
_CLOCK_COLOUR = "#ffd8a8"


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill_differences(table: QTableWidget, differences: Sequence[Difference]) -> None:
    table.setRowCount(len(differences))
    for row, difference in enumerate(differences):
        for column, text in enumerate(
            (difference.place, difference.label, difference.mine, difference.theirs)
        ):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resizeRowsToContents()


def _time(value: object) -> str:
    from datetime import datetime

    return value.astimezone().strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""


class MergeDialog(QDialog):
    """The units of the incoming files, each with its status and the clerk's choice, and
    the differing fields of the selected unit side by side (本方 | 对方). Files that could
    not be read (``skipped``) are listed first, each with its reason, on a yellow band."""

    COLUMNS = ("来源文件", "单位及年度", "内容", "情况", "本方修改于", "对方修改于", "处理")

    def __init__(
        self,
        items: list[MergeItem],
        parent: QWidget | None = None,
        *,
        skipped: Sequence[SkippedSource] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("合并其他单位文件")
        fit_to_screen(self, 1100, 720)
        self.items = items
        self.skipped = list(skipped)
        counts = {status: sum(1 for i in items if i.status is status) for status in Status}
        summary = "，".join(f"{s.value} {n} 项" for s, n in counts.items() if n)
        clocks = sum(1 for item in items if item.clock_warning)
        clock_text = (
            f"其中 {clocks} 项的修改时间不可信（标“⚠”，可能是某台电脑的时钟不准），"
            "未按时间先后预选，已预选保留本方，请逐项核对。"
            if clocks
            else ""
        )
        self.summary = QLabel(
            f"共 {len(items)} 项{'：' + summary if summary else ''}。"
            "请逐行确认“处理”一栏（已按改动的一方预选），"
            "选中一行可在下方对照两边不同的栏目。点“合并”之前，文件不会有任何改动。" + clock_text
        )
        self.summary.setWordWrap(True)
        self.only_different = QCheckBox("只显示有差异的项")
        self.only_different.setChecked(True)
        self.only_different.toggled.connect(self._apply_filter)
        self.table = _table(self.COLUMNS)
        self.table.setObjectName("merge_items")
        self.choices: list[QComboBox] = []
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            flagged = {4: "本方的" in item.clock_warning, 5: "对方的" in item.clock_warning}
            cells = (
                item.source,
                item.declaration,
                item.place,
                item.status.value,
                ("⚠ " if flagged[4] else "") + _time(item.mine_modified),
                ("⚠ " if flagged[5] else "") + _time(item.theirs_modified),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                colour = _STATUS_COLOURS.get(item.status)
                if colour and column == 3:
                    cell.setBackground(QBrush(QColor(colour)))
                if flagged.get(column):
                    cell.setBackground(QBrush(QColor(_CLOCK_COLOUR)))
                cell.setToolTip("；".join(t for t in (item.note, item.clock_warning) if t))
                self.table.setItem(row, column, cell)
            box = QComboBox()
            for choice in item.choices:
                box.addItem(_choice_text(item, choice), choice)
            box.setCurrentIndex(item.choices.index(item.choice))
            box.setEnabled(item.needs_decision)
            self.choices.append(box)
            self.table.setCellWidget(row, 6, box)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.differences = _table(("位置", "栏目", "本方", "对方"))
        self.differences.setObjectName("merge_differences")
        self.differences.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((220, 110, 330, 330)):
            self.differences.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.note)
        lower_layout.addWidget(self.differences)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("合并")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.skipped:
            layout.addWidget(_skipped_band(self.skipped))
        layout.addWidget(self.summary)
        layout.addWidget(self.only_different)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._apply_filter(True)
        first = next((r for r in range(len(items)) if not self.table.isRowHidden(r)), -1)
        if first >= 0:
            self.table.setCurrentCell(first, 0)

    def _apply_filter(self, only_different: bool) -> None:
        for row, item in enumerate(self.items):
            self.table.setRowHidden(row, only_different and item.status is Status.IDENTICAL)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        text = f"{item.declaration} · {item.place}：{item.status.value}"
        text += f"（{item.note}）" if item.note else ""
        if item.clock_warning:
            text += f"\n⚠ {item.clock_warning}。未按修改时间先后预选，请核对两边的内容后选择。"
        self.note.setText(text)
        _fill_differences(self.differences, item.differences)

    def decisions(self) -> merging.Decisions:
        """The clerk's choice for every unit, for ``merging.merge_files``."""
        return {
            merging.decision_key(item): box.currentData()
            for item, box in zip(self.items, self.choices, strict=True)
        }


def _skipped_band(skipped: Sequence[SkippedSource]) -> QFrame:
    """The yellow band naming the files left out of the merge, each with its reason."""
    band = QFrame()
    band.setObjectName("merge_skipped_band")
    band.setStyleSheet(
        "#merge_skipped_band { background: #fff4ce; border: 1px solid #e0c060; }"
        " QTableWidget { background: #fffbea; }"
    )
    heading = QLabel(
        f"⚠ 以下 {len(skipped)} 个文件无法读取，已跳过，其中的内容不会合并。"
        "请按说明处理（通常是请该单位重新发送文件），收到后再合并一次："
    )
    heading.setObjectName("merge_skipped_heading")
    heading.setWordWrap(True)
    table = _table(("文件", "原因及办法"))
    table.setObjectName("merge_skipped")
    table.setRowCount(len(skipped))
    for row, source in enumerate(skipped):
        for column, text in enumerate((source.name, skipped_words(source))):
            cell = QTableWidgetItem(text)
            cell.setToolTip(str(source.path) if column == 0 else text)
            table.setItem(row, column, cell)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard starts on the items
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setMaximumHeight(170)  # about four reasons; more scroll
    table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    layout = QVBoxLayout(band)
    layout.addWidget(heading)
    layout.addWidget(table)
    return band


def _choice_text(item: MergeItem, choice: Choice) -> str:
    """What a choice means for this status, in the clerk's words."""
    if item.status is Status.NEW:
        return "加入本文件" if choice is Choice.THEIRS else "不加入"
    if item.status is Status.ONLY_MINE:
        return "保留" if choice is Choice.MINE else "从本文件删除"
    if item.status is Status.IDENTICAL:
        return "无需处理"
    return choice.value


class ReportDialog(QDialog):
    """A text the clerk reads (the merge report), with an optional extra button."""

    def __init__(self, title: str, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 900, 560)
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)


class CompareDialog(QDialog):
    """比较: the differing fields of two files, side by side."""

    def __init__(
        self, first: Path, second: Path, differences: list[Difference], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("比较两个文件")
        fit_to_screen(self, 1100, 640)
        heading = (
            f"“{first.name}”与“{second.name}”：共 {len(differences)} 处不同。"
            if differences
            else f"“{first.name}”与“{second.name}”的内容相同。"
        )
        label = QLabel(heading)
        label.setWordWrap(True)
        self.table = _table(("位置", "栏目", first.name, second.name))
        self.table.setObjectName("compare_differences")
        for column, width in enumerate((240, 120, 350, 350)):
            self.table.setColumnWidth(column, width)
        _fill_differences(self.table, differences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class SummaryDialog(QDialog):
    """汇总表: one row per unit's declaration, exportable to .xlsx and printable as PDF."""

    def __init__(self, rows: list[SummaryRow], title: str, window: DocumentWindow) -> None:
        super().__init__(window.dialog_parent)
        self._window = window
        self.setWindowTitle("汇总表")
        fit_to_screen(self, 1150, 620)
        self.rows, self.title = rows, title
        self.table = _table(HEADERS)
        self.table.setObjectName("summary_table")
        self.table.setRowCount(len(rows))
        for row, summary in enumerate(rows):
            for column, value in enumerate(summary.cells(row + 1)):
                cell = QTableWidgetItem(str(value))
                if column in (0, 4, 5, 6, 7):
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        export_xlsx = QPushButton("导出Excel…")
        export_xlsx.clicked.connect(lambda: self._export(".xlsx"))
        export_pdf = QPushButton("导出PDF（打印用）…")
        export_pdf.clicked.connect(lambda: self._export(".pdf"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(export_xlsx, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(export_pdf, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{title}：{len(rows)} 个单位。金额单位：万元。"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _export(self, suffix: str) -> None:
        kind = "Excel 工作簿 (*.xlsx)" if suffix == ".xlsx" else "PDF 文件 (*.pdf)"
        suggested = self.title + suffix
        path = self._window.files.ask_file("导出汇总表", kind, save=True, suggested=suggested)
        if path is not None:
            self.export(path.with_suffix(suffix))

    def export(self, path: Path) -> bool:
        """Write the summary to ``path`` (.xlsx or .pdf); a failure is shown, not raised."""
        from desktop.exchange.summary_workbook import write_summary_xlsx
        from desktop.files import WriteFailure, write_failure_message
        from desktop.reports.summary import write_summary_pdf

        write = write_summary_xlsx if path.suffix == ".xlsx" else write_summary_pdf
        try:
            write(self.rows, path, self.title)
        except ValueError as exc:  # a control character in a unit's code or name
            prompter_for(self).error("无法导出汇总表", str(exc))
            return False
        except OSError as exc:
            prompter_for(self).error(
                "无法导出汇总表", write_failure_message(WriteFailure.of(path, exc))
            )
            return False
        return True
