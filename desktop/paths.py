"""Where things are: bundled resources and the user's folders (platformdirs).

Set ``JIXIAO_HOME`` to put every user folder under one directory (tests do; a portable
install may). Must not import Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "jixiao"


def _base() -> Path:
    """The folder holding ``resources/`` and ``docs/``: the checkout, or the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside a PyInstaller bundle."""
    return _base() / "resources"


def user_guide() -> Path:
    """The Chinese user guide (Markdown; its screenshots in ``docs/user-guide/``)."""
    return _base() / "docs" / "user-guide.md"


def icon_file() -> Path:
    """The program's icon, 256 × 256 pixels (PNG; rendered from ``resources/icons/jixiao.svg``)."""
    return resources_dir() / "icons" / "jixiao-256.png"


def sample_json() -> Path:
    """The reference document (乐亭县机关事务中心 2022) in the JSON interchange form."""
    return resources_dir() / "sample" / "leting_507002_2022.json"


def font_file(bold: bool = False) -> Path:
    """The bundled TrueType CJK face (Noto Serif SC, OFL) used by the PDF and the UI."""
    return resources_dir() / "fonts" / f"NotoSerifSC-{'Bold' if bold else 'Regular'}.ttf"


def _user_dir(kind: str) -> Path:
    home = os.environ.get("JIXIAO_HOME")
    if home:
        folder = Path(home) / kind
    else:
        import platformdirs

        folder = Path(
            platformdirs.user_config_dir(APP_NAME, appauthor=False)
            if kind == "config"
            else platformdirs.user_data_dir(APP_NAME, appauthor=False)
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def config_dir() -> Path:
    """The user's settings folder (created on first use)."""
    return _user_dir("config")


def data_dir() -> Path:
    """The user's data folder: the sample copy, backups (created on first use)."""
    return _user_dir("data")


SAMPLE_COPY_NAME = "示例-乐亭县机关事务中心-2022.jxdb"


def sample_copy() -> Path:
    """Where the clerk's own copy of the sample lives (in the user's data folder): what
    ``jixiao --sample`` opens; deleted, it is written afresh the next time."""
    return data_dir() / SAMPLE_COPY_NAME
