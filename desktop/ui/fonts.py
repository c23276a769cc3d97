"""Chinese on any PC: the bundled CJK face registered with Qt, and Qt's own Chinese texts."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop import paths


def install_bundled_fonts(app: QApplication, point_size: int = 10) -> str:
    """Add the bundled faces to Qt and make them the application font; returns the family.

    Raises ``RuntimeError`` when the font files are missing or unreadable (a broken install).
    """
    family = ""
    for bold in (False, True):
        font_id = QFontDatabase.addApplicationFont(str(paths.font_file(bold=bold)))
        if font_id == -1:
            raise RuntimeError(f"无法加载字体文件 {paths.font_file(bold=bold)}，请重新安装程序。")
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    app.setFont(QFont(family, point_size))
    return family


#: Qt strings its own Chinese catalogue lacks (the file dialog's form labels, keyed as in
#: Qt's qfiledialog.ui, with their mnemonics).
_MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    # the print dialog's 选项 tab (qprintsettingsoutput.ui): the catalogue has "Page Set:"
    ("QPrintSettingsOutput", "Page &Set:"): "页面组(&S)：",
}


class _MissingStrings(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return _MISSING.get((context, source))  # type: ignore[return-value]  # None: not ours


def install_chinese_translations(app: QApplication) -> None:
    """Load Qt's Chinese translations (file dialogs, message box buttons, context menus)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        app.installTranslator(_MissingStrings(app))
