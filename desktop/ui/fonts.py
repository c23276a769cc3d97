"""Chinese on any PC: the bundled CJK face registered with Qt, and Qt's own Chinese texts."""

from __future__ import annotations

import re

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
}


class _MissingStrings(QTranslator):
    """``_MISSING``, and labels that Qt 6.11 gave a mnemonic its catalogue does not have
    yet ("Pages &per sheet:", "Scheduled &printing:", "Page &Set:" of the print dialog;
    the catalogue has "Pages per sheet:" → "每张页数："): the catalogue's translation of
    the label without the ``&``, with the mnemonic added Chinese-style ("每张页数(&P)：")."""

    def __init__(self, catalogue: QTranslator, parent: QApplication) -> None:
        super().__init__(parent)
        self._catalogue = catalogue

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if (context, source) in _MISSING:
            return _MISSING[context, source]
        mnemonic = re.search(r"&([^&\s])", source)
        if mnemonic is None:
            return None  # type: ignore[return-value]  # not ours
        text = self._catalogue.translate(context, source.replace("&", "", 1), disambiguation, n)
        if not text:
            return None  # type: ignore[return-value]  # not ours, as above
        key = f"(&{mnemonic.group(1).upper()})"
        label = re.match(r"(.*?)([：:]?)$", text)
        assert label is not None
        return f"{label.group(1)}{key}{label.group(2)}"


def install_chinese_translations(app: QApplication) -> None:
    """Load Qt's Chinese translations (file dialogs, message box buttons, context menus,
    the print dialog)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        app.installTranslator(_MissingStrings(translator, app))
