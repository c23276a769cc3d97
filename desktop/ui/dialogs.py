"""Small dialogs: a new declaration's unit, year and profile; choosing a backup."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.models.vocabulary import DEFAULT_PROFILE, PROFILES
from desktop.services.backups import Backup


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
        self.hint = QLabel("请填写单位编码和单位名称。")
        form.addRow(self.hint)
        form.addRow(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)

        def require_unit() -> None:  # a declaration without its unit prints as nobody's
            filled = bool(self.unit_code.text().strip() and self.unit_name.text().strip())
            ok.setEnabled(filled)
            self.hint.setVisible(not filled)

        self.unit_code.textChanged.connect(require_unit)
        self.unit_name.textChanged.connect(require_unit)
        require_unit()

    def suggested_file_name(self) -> str:
        """A file name for the new declaration (``declaration_file_name``)."""
        return declaration_file_name(self.unit_name.text(), self.year.value())

    def values(self) -> dict[str, object]:
        """Keyword arguments for ``documents.create_blank``."""
        return {
            "unit_code": self.unit_code.text().strip(),
            "unit_name": self.unit_name.text().strip(),
            "fiscal_year": self.year.value(),
            "profile": self.profile.currentData(),
        }


class RestoreBackupDialog(QDialog):
    """文件 → 恢复备份: the backups of the open file, newest first, to restore one."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("恢复备份")
        self.setMinimumWidth(520)
        self.backups = backups
        self.list = QListWidget()
        self.list.setObjectName("backup_list")
        reasons = {
            "daily": "每日首次打开时",
            "merge": "合并前",
            "migrate": "升级前",
            "undo": "撤销合并前",
        }
        for backup in backups:
            reason = reasons.get(backup.reason, backup.reason)
            self.list.addItem(
                f"{backup.taken_at:%Y-%m-%d %H:%M:%S}　{reason}　指纹 {backup.fingerprint}"
            )
        if backups:
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("恢复为新文件…")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("备份保存在本机的用户数据目录中。恢复时另存为一个新文件，原文件不受影响。")
            if backups
            else QLabel("这个文件还没有备份（每天第一次打开时会自动备份）。")
        )
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> Backup | None:
        """The selected backup, if any."""
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None


def declaration_file_name(unit_name: str, fiscal_year: int) -> str:
    """A file name for a unit's declaration: 乐亭县机关事务中心2023年绩效目标.jxdb; the
    characters no file name may hold on Windows (/ \\ : * ? " < > |) become _."""
    name = re.sub(r'[\\/:*?"<>|]', "_", unit_name.strip())
    return f"{name}{fiscal_year}年绩效目标.jxdb"
