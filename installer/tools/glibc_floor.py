"""The oldest glibc a bundle can run on: the highest ``GLIBC_`` symbol version any of its ELF
files asks for (issue 25, docs/platforms.md).

A binary linked against glibc records, for every C library function it calls, the version
of that function it was linked against (``memcpy@GLIBC_2.14``, ``__libc_start_main@GLIBC_2.34``
on glibc 2.34 and later …); the dynamic loader refuses to start it on an older glibc
("version `GLIBC_2.34' not found"). ``objdump -T`` lists those versions for the symbols a
file takes from elsewhere (``*UND*``). The highest over every ELF file of the bundle
(the executable, libpython, extension modules, Qt and PySide6 libraries, plugins) is the
figure the README's platform table gives.

Usage: ``python glibc_floor.py FOLDER [--at-most 2.31]``: prints ``GLIBC_2.xx`` and the
file that needs it; with ``--at-most``, exits 1 naming every file that needs more.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

# an undefined dynamic symbol with its version: "0000000000000000  DF *UND*  0000000000000000
# (GLIBC_2.14) memcpy" (newer binutils put the version in parentheses, older ones do not)
_NEEDED = re.compile(r"\*UND\*\s+\S+\s+\(?GLIBC_(\d+(?:\.\d+)+)\)?\s")


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed_versions(path: Path) -> set[tuple[int, ...]]:
    """The glibc versions (as tuples, ``(2, 14)``) of the symbols the ELF file ``path``
    takes from the C library; an empty set for a file that asks for none.

    Raises ``subprocess.CalledProcessError`` where objdump cannot read the file.
    """
    listing = subprocess.run(
        ["objdump", "-T", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {
        tuple(int(part) for part in match.group(1).split("."))
        for match in _NEEDED.finditer(listing)
    }


def glibc_floor(folder: Path) -> dict[Path, tuple[int, ...]]:
    """Every ELF file under ``folder`` (symbolic links not followed) that asks for a glibc
    version, with the highest version it asks for."""
    floors = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        versions = needed_versions(path)
        if versions:
            floors[path] = max(versions)
    return floors


def spelled(version: tuple[int, ...]) -> str:
    """``(2, 31)`` as ``2.31``."""
    return ".".join(str(part) for part in version)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--at-most", help="fail if any file needs a newer glibc, e.g. 2.31")
    arguments = parser.parse_args(argv)
    floors = glibc_floor(arguments.folder)
    if not floors:
        print(f"no ELF file under {arguments.folder} asks for a glibc version", file=sys.stderr)
        return 1
    highest = max(floors.values())
    needing = sorted(path for path, version in floors.items() if version == highest)
    print(f"GLIBC_{spelled(highest)} ({len(floors)} ELF files; highest needed by {needing[0]})")
    if arguments.at_most:
        limit = tuple(int(part) for part in arguments.at_most.split("."))
        over = {path: version for path, version in floors.items() if version > limit}
        for path, version in sorted(over.items()):
            print(
                f"  needs GLIBC_{spelled(version)} > {arguments.at_most}: {path}", file=sys.stderr
            )
        if over:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
