"""A smaller ICU data library for the Linux bundle, made with ICU's own ``icupkg``.

Qt Core links ICU and calls it for four things (``nm -D libQt6Core.so.6``): collation
(QCollator, which sorts the file dialog's lists), text converters (QStringConverter for
other encodings than Unicode), case mapping and time-zone names. The PySide6 wheel's
``libicudata.so.NN`` carries the data of every locale (31 MB). ``trim_icu_data`` keeps:

- every item that is not a locale's bundle, in full: converters, the collation tables
  (``coll/ucadata.icu``), normalisation, time-zone and supplemental data;
- the locale bundles of root and of the languages in ``KEEP_LANGUAGES``, in every tree;

and drops the other languages' bundles and the break-iterator dictionaries and
transliterators (Qt never calls ``ubrk_*`` or ``utrans_*``): about 10 MB remain. The result
is linked as a shared library with the same soname and the same exported data symbol
(``icudtNN_dat``), so Qt's ICU libraries load it unchanged. tests/test_bundle.py checks
that collation, converters and time-zone names answer as with the full data.

Needs ``icupkg`` (Debian package icu-devtools; in /usr/sbin, which is not on a normal user's
PATH, so it is looked for there too), ``nm`` and ``gcc`` (binutils, gcc).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
from pathlib import Path

# zh: the program's language; yue: zh_Hant_HK's number spell-out rules inherit from it;
# en: Qt's and ICU's fallback.
KEEP_LANGUAGES = frozenset({"zh", "yue", "en"})
DROP_TREES = frozenset({"brkitr", "translit"})
# A locale's bundle: "de.res", "coll/zh_Hant.res", "coll/de_.res" (de__PHONEBOOK's parent).
LOCALE_BUNDLE = re.compile(r"^(?:[a-z]+/)?([a-z]{2,3})(?:_[A-Za-z0-9]*)*\.res$")
LIBRARY_NAME = re.compile(r"^libicudata\.so\.(\d+)$")
# Debian installs icupkg as a system administration tool, in /usr/sbin
SYSTEM_TOOL_FOLDERS = ("/usr/sbin", "/sbin")


def is_dropped(item: str) -> bool:
    """True for an ICU data item (a name as ``icupkg -l`` lists it) the bundle leaves out."""
    tree = item.split("/")[0] if "/" in item else ""
    if tree in DROP_TREES:
        return True
    match = LOCALE_BUNDLE.match(item)
    return bool(match) and not item.endswith("res_index.res") and match[1] not in KEEP_LANGUAGES


def trim_icu_data(library: Path, workdir: Path) -> Path:
    """Build a trimmed copy of ``library`` (``libicudata.so.NN``) in ``workdir``; return its path.

    Raises ValueError if ``library`` is not named ``libicudata.so.NN``, FileNotFoundError
    if icupkg is missing, and subprocess.CalledProcessError if nm, icupkg or gcc fails.
    """
    match = LIBRARY_NAME.match(library.name)
    if not match:
        raise ValueError(f"not an ICU data library: {library}")
    symbol = f"icudt{match[1]}_dat"
    package = f"icudt{match[1]}l"  # icupkg names the items after the output file's stem
    workdir.mkdir(parents=True, exist_ok=True)

    full = workdir / "full" / f"{package}.dat"
    full.parent.mkdir(exist_ok=True)
    full.write_bytes(_data_symbol(library, symbol))
    icupkg = _icupkg()
    items = _run(icupkg, "-l", str(full)).split()
    dropped = workdir / "dropped.txt"
    dropped.write_text("".join(f"{item}\n" for item in items if is_dropped(item)))
    trimmed = workdir / f"{package}.dat"
    trimmed.unlink(missing_ok=True)
    _run(icupkg, "-r", str(dropped), str(full), str(trimmed))

    source = workdir / "icudata.S"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        "\t.balign 16\n"
        f"{symbol}:\n"
        f'\t.incbin "{trimmed}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    output = workdir / library.name
    _run(
        "gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(output),
        str(source),
    )  # fmt: skip
    return output


def _data_symbol(library: Path, symbol: str) -> bytes:
    """The bytes of the data package that ``library`` exports as ``symbol``."""
    listing = _run("nm", "-D", "-S", "--defined-only", str(library)).split("\n")
    sizes = [line.split()[1] for line in listing if line.endswith(f" {symbol}")]
    if len(sizes) != 1:
        raise ValueError(f"{library} does not export {symbol}")
    loaded = ctypes.CDLL(str(library))
    address = ctypes.addressof(ctypes.c_char.in_dll(loaded, symbol))
    return ctypes.string_at(address, int(sizes[0], 16))


def _icupkg() -> str:
    """The path of ``icupkg``: on PATH, else in /usr/sbin or /sbin.

    Raises FileNotFoundError when it is in none of them (apt-get install icu-devtools).
    """
    search = os.pathsep.join([os.environ.get("PATH", ""), *SYSTEM_TOOL_FOLDERS])
    found = shutil.which("icupkg", path=search)
    if not found:
        raise FileNotFoundError("icupkg not found: apt-get install icu-devtools")
    return found


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout
