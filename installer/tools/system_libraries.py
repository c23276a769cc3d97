"""Which of the binaries PyInstaller collects the Linux bundle leaves to the .deb's Depends.

The bundle keeps what the program needs whatever Python builds it: the interpreter (the
shared ``libpython3.X.so``) and its extension modules (``lib-dynload``: ``_sqlite3``,
``_decimal``, ``_ctypes``, ``_ssl``, ``_codecs_cn`` …) always, and every library that came
with a wheel (Qt, PySide6, Pillow). A library a Debian package installed (X11/xcb, GLib,
fontconfig, freetype, CUPS, glibc, GL, D-Bus, OpenSSL, SQLite, libffi …) stays out: the
.deb depends on its package (dpkg-shlibdeps, installer/linux/build-deb.sh), so Debian's
security updates reach it.

Debian's own Python lives under /usr/lib too (``/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0``,
``/usr/lib/python3.11/lib-dynload``): deciding by path prefix dropped the interpreter, and
the bundle built with it could not start ("Failed to load Python shared library").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

# the interpreter itself: libpython3.11.so.1.0, libpython3.12.so …
INTERPRETER = re.compile(r"^libpython3\.\d+")


def debian_packaged(sources: Iterable[str]) -> set[str]:
    """Those of ``sources`` (absolute paths of files) that an installed Debian package owns,
    as ``dpkg-query -S`` tells; an empty set where there is no dpkg (then the bundle keeps
    every library, as PyInstaller does by default).

    A path counts whether dpkg lists it as given, resolved (symlinks, merged /usr) or with
    /usr toggled (bookworm lists zlib under /lib, SQLite under /usr/lib).
    """
    if not shutil.which("dpkg-query"):
        return set()
    names = {source: _spellings(source) for source in sources}
    asked = sorted({name for spellings in names.values() for name in spellings})
    if not asked:
        return set()
    # exit status 1 when some path is no package's: expected for the wheels' libraries
    listing = subprocess.run(
        ["dpkg-query", "-S", *asked], capture_output=True, text=True, check=False
    ).stdout
    owned = {
        line.split(": ", 1)[1]
        for line in listing.splitlines()
        if ": " in line and not line.startswith(("diversion by", "local diversion"))
    }
    return {source for source, spellings in names.items() if spellings & owned}


def left_to_depends(destination: str, kind: str, packaged: bool) -> bool:
    """True for a binary the bundle does not carry: a library a Debian package provides
    (``packaged``), unless it is the interpreter or an extension module (``kind``
    "EXTENSION", PyInstaller's type code), which are bundled whatever provides them.
    """
    if kind == "EXTENSION" or INTERPRETER.match(Path(destination).name):
        return False
    return packaged


def _spellings(source: str) -> set[str]:
    """The ways dpkg may list ``source``: as given, resolved, and with /usr toggled."""
    spellings = set()
    for path in {source, os.path.realpath(source)}:
        spellings.add(path)
        if path.startswith("/usr/"):
            spellings.add(path.removeprefix("/usr"))
        elif path.startswith(("/lib/", "/lib64/", "/bin/", "/sbin/")):
            spellings.add("/usr" + path)
    return spellings
