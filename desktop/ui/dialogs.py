"""Small dialogs: a new declaration's unit, year and profile; choosing a backup; choosing
the version of a file found with a sidecar beside it."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.files import safe_file_name
from desktop.models import Declaration
from desktop.models.labels import FIELD_LABELS
from desktop.models.vocabulary import DEFAULT_PROFILE, PROFILES
from desktop.services.backups import Backup
from desktop.services.recovery import RecoveryOffer
from desktop.storage.reasons import Version
from desktop.storage.sidecars import ASIDE_WORD
from desktop.ui.screens import fit_to_screen
from desktop.ui.wording import VERSION_WORDS, refusal_words


class NewDeclarationValues(TypedDict):
    """What 新建 asks: the keyword arguments of ``documents.create_blank``."""

    unit_code: str
    unit_name: str
    fiscal_year: int
    profile: str


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
        label = FIELD_LABELS[Declaration]  # models/labels.py
        form.addRow(label["unit_code"], self.unit_code)
        form.addRow(label["unit_name"], self.unit_name)
        form.addRow(label["fiscal_year"], self.year)
        form.addRow(label["profile"], self.profile)
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

    def values(self) -> NewDeclarationValues:
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
            "original": "按旁边的文件恢复前的原文件",
            "recovered": "未采用的恢复内容",
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


class SidecarDialog(QDialog):
    """The choice for a file found with a -journal/-wal/-shm beside it: the file as it is,
    or as recovered with the sidecar; each version's check result, and what differs.
    Preselected: the offer's proposed (safe) version; an unusable version cannot be chosen.
    """

    def __init__(self, offer: RecoveryOffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        recovery = offer.recovery
        self.setWindowTitle("文件旁边有未完成的保存记录")
        fit_to_screen(self, 820, 520)
        names = "、".join(f"“{sidecar.name}”" for sidecar in recovery.sidecars)
        intro = QLabel(
            f"“{recovery.path.name}”旁边有{names}。它可能是上次保存时被中断（程序被强行关闭"
            "或U盘被拔出）留下的，这时应按它恢复；也可能属于另一份同名文件（例如文件被别的"
            "单位的副本替换过），这时按它恢复会弄乱文件。程序已在临时副本中分别检查了两种"
            "内容，文件本身还没有任何改动。请选择要使用的内容："
        )
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[Version, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for version in Version:
            candidate = recovery.candidate(version)
            if candidate.usable:
                state = "检查通过"
                if version is recovery.proposed:
                    state += "，建议选用"
            else:
                assert candidate.problem is not None
                state = f"无法使用：{refusal_words(candidate.problem)}"
            button = QRadioButton(f"{VERSION_WORDS[version]}（{state}）")
            button.setObjectName(f"sidecar_{version.name.lower()}")
            button.setEnabled(candidate.usable)
            button.setChecked(version is recovery.proposed)
            self.group.addButton(button)
            self.buttons[version] = button
            layout.addWidget(button)
        if offer.differences:
            layout.addWidget(QLabel(f"两种内容有 {len(offer.differences)} 处不同："))
            table = QTableWidget(len(offer.differences), 4)
            table.setObjectName("sidecar_differences")
            table.setHorizontalHeaderLabels(("位置", "栏目", "文件现在的内容", "恢复后的内容"))
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            for row, difference in enumerate(offer.differences):
                texts = (difference.place, difference.label, difference.mine, difference.theirs)
                for column, text in enumerate(texts):
                    table.setItem(row, column, QTableWidgetItem(text))
            layout.addWidget(table, 1)
        else:
            if recovery.as_is.usable and recovery.recovered.usable:
                layout.addWidget(QLabel("两种内容所填写的各项相同，只是文件内部的记录不同。"))
            layout.addStretch(1)
            fit_to_screen(self, 820, 300)
        after = QLabel(
            "选定后，未选的一份存入本文件的备份（文件 → 恢复备份 可以找回），"
            f"旁边的文件改名为“…{ASIDE_WORD}-日期时间”留在原处，不会删除。"
        )
        after.setWordWrap(True)
        layout.addWidget(after)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("使用所选内容打开")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消（不打开，不改动）")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def chosen(self) -> Version:
        """The version selected."""
        return next(version for version, button in self.buttons.items() if button.isChecked())


def declaration_file_name(unit_name: str, fiscal_year: int) -> str:
    """A file name for a unit's declaration: 乐亭县机关事务中心2023年绩效目标.jxdb; the
    characters no file name may hold become _ (``safe_file_name``)."""
    return f"{safe_file_name(unit_name)}{fiscal_year}年绩效目标.jxdb"
