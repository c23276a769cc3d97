"""The preview shown before a Word import writes anything (文件 → 从Word导入)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.word import WordContent, describe
from desktop.ui.screens import fit_to_screen


class WordImportPreviewDialog(QDialog):
    """What a 绩效文本 read from Word holds, per project (a tree: project → its indicators),
    then the preview lines (what was not understood and why, paragraphs that went nowhere).
    Confirming only says yes: the caller asks where to save the new file and writes it."""

    def __init__(self, content: WordContent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从Word导入：预览")
        fit_to_screen(self, 900, 640)
        layout = QVBoxLayout(self)
        self.tree = _project_tree(content)
        layout.addWidget(self.tree, 3)
        text = QPlainTextEdit("\n".join(describe(content)))
        text.setReadOnly(True)
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(text, 2)
        layout.addWidget(
            QLabel(
                "将以此建立一个新的绩效目标文件（下一步选择保存位置）；导入后请查看“审核”，"
                "再用“从上年复制”开始今年的填报。"
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("建立新文件…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _project_tree(content: WordContent) -> QTreeWidget:
    """Budget projects with their amounts, and under each its indicators as in the grid."""
    tree = QTreeWidget()
    tree.setHeaderLabels(
        ["预算项目 / 一级指标", "项目编码 / 二级指标", "预算数 / 三级指标", "指标值", "依据"]
    )
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for number, project in enumerate(content.declaration.budget_projects, start=1):
        amount = "" if project.budget_amount is None else f"{project.budget_amount} 万元"
        top = QTreeWidgetItem(
            [f"{number}.{project.name or '（未命名项目）'}", project.code, amount, "", ""]
        )
        top.setFirstColumnSpanned(False)
        for indicator in project.indicators:
            top.addChild(
                QTreeWidgetItem(
                    [
                        indicator.level1,
                        indicator.level2,
                        indicator.level3 or indicator.description,
                        indicator.target_value,
                        indicator.basis,
                    ]
                )
            )
        tree.addTopLevelItem(top)
        top.setExpanded(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return tree
