"""The dialogs of the year's stages: 目标调整 (a frozen target's new value with its reason
and date) and 目标调整记录 (the declaration's adjustments, read-only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: the columns of the 目标调整记录 (keys of ``stages.target_adjustments``' records)
RECORD_COLUMNS = (
    ("place", "调整的行"),
    ("field", "调整栏目"),
    ("old_text", "调整前"),
    ("new_text", "调整后"),
    ("reason", "调整原因"),
    ("adjusted_on", "调整日期"),
)


class TargetAdjustmentDialog(QDialog):
    """目标调整 at ``stage`` (监控, 自评): which declared field (``choices``: (field, term,
    current text), ``field`` chosen first), its new value, the 调整原因 (required) and the
    调整日期 (today by default). ``check(field, text)`` says why a new value is refused
    ("" when it is not); OK stays on the dialog, naming what is missing, until all is
    right."""

    def __init__(
        self,
        choices: Sequence[tuple[str, str, str]],
        field: str,
        parent: QWidget | None = None,
        stage: str = "监控",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("目标调整")
        self.check: Callable[[str, str], str] = lambda _field, _text: ""
        self._choices = list(choices)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"已进入{stage}阶段，申报的目标已锁定。调整目标须写明原因和日期，"
            "调整前后的内容会记入“目标调整记录”，随表打印。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.field_box = QComboBox()
        self.field_box.setObjectName("adjust_field")
        for name, term, _ in self._choices:
            self.field_box.addItem(term, name)
        self.field_box.setCurrentIndex(max(0, self.field_box.findData(field)))
        form.addRow("调整栏目", self.field_box)
        self.old_value = QLabel()
        self.old_value.setObjectName("adjust_old")
        self.old_value.setWordWrap(True)
        self.old_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("调整前", self.old_value)
        self.new_value = QLineEdit()
        self.new_value.setObjectName("adjust_new")
        form.addRow("调整后", self.new_value)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("adjust_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("必填，例如：预算调减，购置数量相应减少")
        self.reason.setMinimumHeight(self.reason.fontMetrics().lineSpacing() * 3 + 12)
        self.reason.setMaximumHeight(self.reason.fontMetrics().lineSpacing() * 5 + 12)
        form.addRow("调整原因", self.reason)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("adjust_date")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow("调整日期", self.day)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("adjust_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field_box.currentIndexChanged.connect(self._show_old)
        self._show_old()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("汉" * 30))

    def _show_old(self) -> None:
        """Show the chosen field's value, and offer it to be edited."""
        old = self._choices[max(0, self.field_box.currentIndex())][2]
        self.old_value.setText(old or "（空）")
        self.new_value.setText(old)
        self.new_value.selectAll()
        self.new_value.setFocus()

    def result_values(self) -> tuple[str, str, str, str]:
        """(field, new value as typed, reason, 调整日期 as ISO text)."""
        return (
            str(self.field_box.currentData()),
            self.new_value.text(),
            self.reason.toPlainText().strip(),
            self.day.date().toString("yyyy-MM-dd"),
        )

    def accept(self) -> None:
        """Accepted only with a reason and a new value that is read and differs."""
        field, text, reason, _ = self.result_values()
        old = self._choices[max(0, self.field_box.currentIndex())][2]
        problem = self.check(field, text)
        if not problem and text.strip() == old.strip():
            problem = "调整后的值与调整前相同，请填写新的值。"
        if not problem and not reason:
            problem = "请填写调整原因。"
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        super().accept()


class AdjustmentRecordsDialog(QDialog):
    """目标调整记录: the declaration's adjustments (``records``: dicts with the keys of
    ``RECORD_COLUMNS``), in order, read-only."""

    def __init__(self, records: Sequence[dict[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("目标调整记录")
        layout = QVBoxLayout(self)
        if not records:
            layout.addWidget(QLabel("尚无目标调整。"))
        self.table = QTableWidget(len(records), len(RECORD_COLUMNS))
        self.table.setObjectName("adjustment_records")
        self.table.setHorizontalHeaderLabels([title for _, title in RECORD_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, record in enumerate(records):
            for column, (key, _) in enumerate(RECORD_COLUMNS):
                self.table.setItem(row, column, QTableWidgetItem(record.get(key, "")))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("汉" * 60), 360)
