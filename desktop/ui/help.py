"""帮助 → 使用说明 (the user guide, ``docs/user-guide.md`` and its screenshots, in a window)
and 帮助 → 关于 (version, file format version, licences)."""

from __future__ import annotations

import html
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop import __version__, paths
from desktop.storage.document import SCHEMA_VERSION
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


#: the libraries the program runs on besides Qt and PySide6 (named with their LGPL above
#: the list), with their licences as their distributions declare them
LIBRARIES = (
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("openpyxl", "openpyxl", "MIT"),
    ("python-docx", "python-docx", "MIT"),
    ("lxml", "lxml", "BSD-3-Clause"),
    ("platformdirs", "platformdirs", "MIT"),
    ("defusedxml", "defusedxml", "PSF-2.0"),
)


def about_text() -> str:
    """The 关于 text (HTML): program version, file format version (the schema version the
    program writes), Qt's version, and each library and the bundled font with its licence."""
    rows = []
    for name, distribution, licence in LIBRARIES:
        try:
            version = metadata.version(distribution)
        except metadata.PackageNotFoundError:  # a bundle may carry it without metadata
            version = ""
        rows.append(f"<li>{html.escape(name)} {version}：{licence}</li>")
    ofl = paths.resources_dir() / "fonts" / "OFL.txt"
    return (
        f"<h3>绩效目标填报 {__version__}</h3>"
        f"<p>文件格式版本：{SCHEMA_VERSION}（.jxdb）<br>"
        f"Qt {qVersion()}，PySide6 {pyside_version}</p>"
        "<p>本程序使用的软件及其许可：</p><ul>"
        f"<li>Qt 6 与 PySide6：GNU 宽通用公共许可证 LGPL-3.0（动态链接，可替换）</li>"
        f"{''.join(rows)}"
        "<li>思源宋体（Noto Serif SC）：SIL 开源字体许可证 OFL-1.1，"
        f'许可全文见 <a href="{QUrl.fromLocalFile(str(ofl)).toString()}">OFL.txt</a></li>'
        "</ul>"
    )


class AboutDialog(QDialog):
    """帮助 → 关于: what ``about_text`` says, with a 关闭 button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于 绩效目标填报")
        fit_to_screen(self, 560, 480)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(about_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
