"""Small dialogs: a new declaration's unit, year and indicator profile."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.models.vocabulary import DEFAULT_PROFILE, PROFILES


class NewDeclarationDialog(QDialog):
    """文件 → 新建: 单位编码, 单位名称, 预算年度 (next year by default) and 指标体系."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建绩效目标")
        self.setMinimumWidth(460)
        self.unit_code = QLineEdit()
        self.unit_code.setObjectName("new_unit_code")
        self.unit_name = QLineEdit()
        self.unit_name.setObjectName("new_unit_name")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year + 1)
        self.profile = QComboBox()
        for key, (title, _) in PROFILES.items():
            self.profile.addItem(title, key)
        self.profile.setCurrentIndex(self.profile.findData(DEFAULT_PROFILE))
        form = QFormLayout(self)
        form.addRow("单位编码", self.unit_code)
        form.addRow("单位名称", self.unit_name)
        form.addRow("预算年度", self.year)
        form.addRow("指标体系", self.profile)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, object]:
        """Keyword arguments for ``documents.create_blank``."""
        return {
            "unit_code": self.unit_code.text().strip(),
            "unit_name": self.unit_name.text().strip(),
            "fiscal_year": self.year.value(),
            "profile": self.profile.currentData(),
        }
