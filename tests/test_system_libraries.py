"""What the Linux bundle leaves to the .deb's Depends (installer/tools/system_libraries.py),
asked of this system's real dpkg database."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "system_libraries", ROOT / "installer" / "tools" / "system_libraries.py"
)
assert _spec and _spec.loader
system_libraries = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(system_libraries)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not shutil.which("dpkg-query"), reason="Debian only"
)

# Debian 12's own Python (packages libpython3.11, libpython3.11-stdlib) and two system libraries
DEBIAN_LIBPYTHON = Path("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0")
DEBIAN_SQLITE_MODULE = Path(
    "/usr/lib/python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so"
)
ZLIB = Path("/lib/x86_64-linux-gnu/libz.so.1")  # dpkg lists it under /lib (merged /usr)
SQLITE = Path("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0")


def keeps(destination: str, source: Path, kind: str) -> bool:
    packaged = system_libraries.debian_packaged([str(source)])
    return not system_libraries.left_to_depends(destination, kind, str(source) in packaged)


@pytest.mark.skipif(not DEBIAN_LIBPYTHON.exists(), reason="apt-get install libpython3.11")
def test_debian_pythons_interpreter_and_extension_modules_are_bundled() -> None:
    """Debian's Python lives under /usr/lib and dpkg owns it: bundled all the same."""
    assert system_libraries.debian_packaged([str(DEBIAN_LIBPYTHON)]) == {str(DEBIAN_LIBPYTHON)}
    assert keeps("libpython3.11.so.1.0", DEBIAN_LIBPYTHON, "BINARY")
    module = f"python3.11/lib-dynload/{DEBIAN_SQLITE_MODULE.name}"
    assert keeps(module, DEBIAN_SQLITE_MODULE, "EXTENSION")


def test_system_libraries_are_left_to_depends_under_either_spelling() -> None:
    """zlib and SQLite come from Debian packages, whether named under /lib or /usr/lib."""
    for library in (ZLIB, SQLITE, Path("/usr") / ZLIB.relative_to("/"), Path("/lib") / SQLITE.name):
        if not library.exists():
            continue
        assert not keeps(library.name, library, "BINARY"), library


def test_wheel_and_this_interpreters_files_are_bundled() -> None:
    """Libraries of the wheels (no package owns them) and this Python's own modules stay."""
    import PySide6

    qt_core = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Core.so.*"))
    assert keeps(qt_core.name, qt_core, "BINARY")
    import _decimal

    module = Path(_decimal.__file__)
    assert keeps(f"python3.11/lib-dynload/{module.name}", module, "EXTENSION")


def test_no_dpkg_means_nothing_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without dpkg (another distribution), the bundle keeps every library."""
    monkeypatch.setenv("PATH", "/nonexistent")
    assert system_libraries.debian_packaged([str(SQLITE)]) == set()
