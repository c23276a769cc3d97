"""The preview shown before an Excel import writes anything (文件 → 导入Excel)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models import Indicator
from desktop.models.labels import FIELD_LABELS
from desktop.services.excel import INDICATOR_FIELDS, ExportedWorkbook, IndicatorList, describe
from desktop.ui.screens import fit_to_screen


class ImportPreviewDialog(QDialog):
    """Lists what an import will bring in and, row by row, what it skips and why.

    For an indicator list the clerk picks the budget project (``projects``: uuid and
    name, in order) the rows go to, and whether they replace its indicators
    (``replace_box``; ticked by default for a project whose uuid is in ``blank``, one with
    only the blank template rows of a new project; off and disabled when the preview has
    doubts about the header); ``chosen_project()`` gives its uuid.
    For our own exported workbook the confirm button says that a new file will be made.
    """

    def __init__(
        self,
        content: ExportedWorkbook | IndicatorList,
        projects: list[tuple[str, str]],
        parent: QWidget | None = None,
        blank: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入Excel：预览")
        fit_to_screen(self, 900, 600)
        layout = QVBoxLayout(self)
        if isinstance(content, IndicatorList):
            layout.addWidget(_indicator_table(content))
        text = QPlainTextEdit("\n".join(describe(content, with_rows=False)))
        text.setReadOnly(True)
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(text)
        self.project_box = QComboBox()
        self.replace_box = QCheckBox("替换该项目现有的指标（不勾选则追加在现有指标后面）")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        if isinstance(content, IndicatorList):
            for uuid, name in projects:
                self.project_box.addItem(name, uuid)
            form = QFormLayout()
            form.addRow("导入到预算项目：", self.project_box)
            form.addRow("", self.replace_box)
            layout.addLayout(form)

            doubtful = bool(content.doubts) or not content.indicators

            def preset(_index: int) -> None:
                self.replace_box.setChecked(self.chosen_project() in blank and not doubtful)

            if doubtful:  # never replace a project's indicators by rows perhaps misread
                self.replace_box.setEnabled(False)
                self.replace_box.setText(
                    "替换该项目现有的指标（预览中有需要核对的行，不能替换：只能追加）"
                )

            self.project_box.currentIndexChanged.connect(preset)
            preset(0)
            confirm = buttons.addButton(
                f"导入 {len(content.indicators)} 条指标", QDialogButtonBox.ButtonRole.AcceptRole
            )
            confirm.setEnabled(bool(projects) and bool(content.indicators))
            if not projects:
                layout.addWidget(
                    QLabel("当前文件还没有预算项目：请先在“项目绩效目标表”中添加一个。")
                )
        else:
            layout.addWidget(QLabel("将以此建立一个新的绩效目标文件（下一步选择保存位置）。"))
            buttons.addButton("建立新文件…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_project(self) -> str | None:
        """The uuid of the budget project chosen for an indicator list, if any."""
        return self.project_box.currentData()


def _indicator_table(content: IndicatorList) -> QTableWidget:
    """The rows to be imported as they will appear in the indicator grid, with their row
    numbers in the sheet as the vertical header."""
    labels = FIELD_LABELS[Indicator]
    table = QTableWidget(len(content.indicators), len(INDICATOR_FIELDS))
    table.setHorizontalHeaderLabels([labels[field] for field in INDICATOR_FIELDS])
    table.setVerticalHeaderLabels([f"第{row}行" for row in content.rows])
    for r, values in enumerate(content.indicators):
        for c, field in enumerate(INDICATOR_FIELDS):
            table.setItem(r, c, QTableWidgetItem(values[field]))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table
