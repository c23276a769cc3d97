"""Start the GUI: the only place that wires storage to the UI.

``jixiao`` opens the last file (or, the first time, the sample); ``jixiao FILE`` opens that
file; ``jixiao --sample`` opens the clerk's copy of the sample.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.services import documents
from desktop.settings import load_settings
from desktop.storage.errors import DocumentFileError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow


def main(argv: Sequence[str]) -> int:
    """Run the window until it closes; returns the process exit code."""
    from PySide6.QtWidgets import QApplication

    # only while Qt chooses its input method: programs the window opens do not inherit them
    input_method = input_method_environment(os.environ)
    os.environ.update(input_method)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    for name in input_method:
        del os.environ[name]
    window = start(argv)
    window.show()
    _end_cleanly_on_signals(app, window)
    return app.exec()


def input_method_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Variables to set while Qt starts so that Chinese input works on fcitx desktops.

    The PySide6 wheels (and so the bundle) carry only Qt's ibus and compose input-method
    plugins. A desktop that sets ``QT_IM_MODULE=fcitx`` (many UOS and Kylin installs) would
    leave the program with the compose plugin: no Chinese input. fcitx5 also answers the
    IBus protocol as ``org.freedesktop.portal.IBus`` on the session bus, which Qt's ibus
    plugin uses when ``IBUS_USE_PORTAL`` is set (without it the plugin needs an
    ``ibus-daemon`` program on the PATH), and Qt 6.8+ tries the ``;``-separated names of
    ``QT_IM_MODULES`` in order. So: ``QT_IM_MODULES=fcitx;ibus`` and ``IBUS_USE_PORTAL=1``.
    Where no fcitx5 answers (fcitx 4), Qt falls back to compose as before.

    Empty when ``QT_IM_MODULES`` is set, or ``QT_IM_MODULE`` is unset or names a plugin
    Qt has here (ibus, compose, none).
    """
    requested = environ.get("QT_IM_MODULE", "").strip()
    if environ.get("QT_IM_MODULES") or requested in ("", "ibus", "compose", "none"):
        return {}
    extra = {"QT_IM_MODULES": f"{requested};ibus"}
    if "IBUS_USE_PORTAL" not in environ:
        extra["IBUS_USE_PORTAL"] = "1"
    return extra


def _end_cleanly_on_signals(app: QApplication, window: MainWindow) -> None:
    """On SIGTERM/SIGINT (logout, shutdown, kill) commit pending typing and quit normally.

    Python runs signal handlers only between bytecodes, so a timer lets the interpreter
    look at them while Qt's event loop runs.
    """
    import signal

    from PySide6.QtCore import QTimer

    app.aboutToQuit.connect(window.flush)
    for number in (signal.SIGTERM, signal.SIGINT):
        # quit() from the event loop: a signal arriving before app.exec() would be lost
        signal.signal(number, lambda *_: QTimer.singleShot(0, app.quit))
    ticker = QTimer(app, interval=250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


def start(argv: Sequence[str]) -> MainWindow:
    """Set up the running QApplication and return the main window with the right file open.

    ``argv``: ``[FILE]`` opens that file; ``--sample`` the clerk's copy of the sample;
    nothing opens the most recent file or, the first time, the sample.
    """
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效目标填报")
    parser.add_argument("file", nargs="?", type=Path, help="要打开的 .jxdb 文件")
    parser.add_argument("--sample", action="store_true", help="打开内置示例")
    args = parser.parse_args(list(argv))

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop import paths
    from desktop.ui.fonts import install_bundled_fonts, install_chinese_translations
    from desktop.ui.main_window import MainWindow
    from desktop.ui.wording import error_words

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setApplicationName("jixiao")
    app.setApplicationDisplayName("绩效目标填报")
    app.setDesktopFileName("jixiao")  # Linux: the taskbar finds jixiao.desktop and its icon
    app.setWindowIcon(QIcon(str(paths.icon_file())))
    install_bundled_fonts(app)
    install_chinese_translations(app)
    settings = load_settings()
    window = MainWindow(settings)
    if args.file is not None:
        window.files.open_path(args.file)
    elif not args.sample and settings.recent_files and Path(settings.recent_files[0]).exists():
        window.files.open_path(Path(settings.recent_files[0]))
    if window.session is None and args.file is None:
        try:
            window.show_document(documents.open_or_create_sample())
        except DocumentFileError as exc:
            window.prompter.error("无法打开示例", error_words(exc))
    return window
