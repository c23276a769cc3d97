"""The user's preferences: a small JSON file in the config folder, versioned. No Qt.

Window geometry lives in QSettings (UI layer); this file holds what the program's logic
needs: the recently opened files, newest first.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop import paths
from desktop.files import replaced_atomically

SETTINGS_VERSION = 1
MAX_RECENT = 8


@dataclass
class Settings:
    """Preferences; ``recent_files`` are absolute paths, newest first, at most 8.

    ``print_options``: the last print choices (parts, new page per table, signature
    block) as plain data, so they are offered again next time. ``last_folder``: the folder
    of the file last chosen in a file dialog (absolute; "" before the first), where the
    next one starts. ``collection_urls``: the collection databases opened (文件 →
    打开汇总库…), newest first, as postgresql://用户名@服务器/库名 — never with a password
    (``storage.collection.collection_url`` refuses one).
    """

    recent_files: list[str] = field(default_factory=list)
    print_options: dict[str, object] = field(default_factory=dict)
    last_folder: str = ""
    collection_urls: list[str] = field(default_factory=list)

    def remember(self, path: Path) -> None:
        """Put ``path`` first in the recent files."""
        text = str(Path(path).resolve())
        self.recent_files = [text] + [p for p in self.recent_files if p != text]
        del self.recent_files[MAX_RECENT:]

    def remember_collection(self, url: str) -> None:
        """Put the collection database ``url`` (without password) first in those opened."""
        self.collection_urls = [url] + [u for u in self.collection_urls if u != url]
        del self.collection_urls[MAX_RECENT:]


def _settings_file() -> Path:
    return paths.config_dir() / "settings.json"


def load_settings() -> Settings:
    """The saved preferences; defaults if the file is missing, unreadable or of another version."""
    try:
        data = json.loads(_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict) or data.get("version") != SETTINGS_VERSION:
        return Settings()
    recent = data.get("recent_files")
    if not isinstance(recent, list):
        return Settings()
    options = data.get("print_options")
    folder = data.get("last_folder")
    urls = data.get("collection_urls")
    return Settings(
        recent_files=[p for p in recent if isinstance(p, str)][:MAX_RECENT],
        print_options=options if isinstance(options, dict) else {},
        last_folder=folder if isinstance(folder, str) else "",
        collection_urls=[u for u in urls if isinstance(u, str)][:MAX_RECENT]
        if isinstance(urls, list)
        else [],
    )


def save_settings(settings: Settings) -> None:
    """Write the preferences atomically; a failure (read-only profile) is silently ignored."""
    target = _settings_file()
    text = json.dumps(
        {
            "version": SETTINGS_VERSION,
            "recent_files": settings.recent_files,
            "print_options": settings.print_options,
            "last_folder": settings.last_folder,
            "collection_urls": settings.collection_urls,
        },
        ensure_ascii=False,
        indent=2,
    )
    with contextlib.suppress(OSError), replaced_atomically(target) as temp:
        temp.write_text(text, encoding="utf-8")
