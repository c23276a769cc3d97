"""帮助 → 使用说明: the user guide (``docs/user-guide.md`` and its screenshots) in a window."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop import paths
from desktop.ui.screens import fit_to_screen


class UserGuideDialog(QDialog):
    """The user guide, read-only, beside the main window (not modal: the clerk can follow
    the steps while reading). A missing guide file is said in Chinese inside the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        fit_to_screen(self, 1180, 840)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        guide = paths.user_guide()
        if guide.is_file():
            # Relative image paths in the Markdown resolve against the guide's folder.
            self.browser.setSource(
                QUrl.fromLocalFile(str(guide)), QTextDocument.ResourceType.MarkdownResource
            )
        else:
            self.browser.setPlainText(f"找不到使用说明文件“{guide}”。请重新安装本程序。")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
