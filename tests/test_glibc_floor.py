"""installer/tools/glibc_floor.py: the glibc a bundle needs, read from its ELF files with
objdump (issue 25), and the README's platform table against the measured figure."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer" / "tools"))
from glibc_floor import glibc_floor, main  # noqa: E402


def _can_compile() -> bool:
    """True when objdump and gcc are here and gcc finds the C library's headers (a
    minimal Debian can have gcc without libc6-dev)."""
    if not (shutil.which("objdump") and shutil.which("gcc")):
        return False
    probe = subprocess.run(
        ["gcc", "-fsyntax-only", "-x", "c", "-"],
        input="#include <stdlib.h>\n#include <sys/random.h>\n",
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _can_compile(), reason="needs binutils, gcc and the C library's headers (libc6-dev)"
)


def compiled_library(folder: Path, name: str, source: str) -> Path:
    """A shared library compiled from C ``source`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.c").write_text(source)
    library = folder / f"lib{name}.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(library), str(folder / f"{name}.c")], check=True
    )
    (folder / f"{name}.c").unlink()
    return library


def test_the_floor_is_the_newest_version_any_file_asks_for(tmp_path: Path) -> None:
    """getrandom() came with glibc 2.25, reallocarray() with 2.26: a folder holding a library
    of each (and a file that is no ELF) needs 2.26, the newer of the two."""
    older = compiled_library(
        tmp_path / "lib",
        "random",
        "#include <sys/random.h>\n"
        "long fill(void *buffer, unsigned long size) { return getrandom(buffer, size, 0); }\n",
    )
    newer = compiled_library(
        tmp_path / "lib" / "nested",
        "arrays",
        "#define _GNU_SOURCE\n#include <stdlib.h>\n"
        "void *grow(void *old, size_t count) { return reallocarray(old, count, 8); }\n",
    )
    (tmp_path / "README.txt").write_text("not an ELF file")
    floors = glibc_floor(tmp_path)
    assert floors == {older: (2, 25), newer: (2, 26)}


def test_at_most_fails_naming_the_file_that_needs_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --at-most 2.25 the reallocarray() library (2.26) fails the check and is named;
    at most 2.26 passes."""
    newer = compiled_library(
        tmp_path,
        "arrays",
        "#define _GNU_SOURCE\n#include <stdlib.h>\n"
        "void *grow(void *old, size_t count) { return reallocarray(old, count, 8); }\n",
    )
    assert main([str(tmp_path), "--at-most", "2.25"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("GLIBC_2.26 ")
    assert f"needs GLIBC_2.26 > 2.25: {newer}" in captured.err
    assert main([str(tmp_path), "--at-most", "2.26"]) == 0


def test_a_folder_without_elf_files_is_an_error(tmp_path: Path) -> None:
    """Measuring an empty or wrong folder must not pass as "needs nothing"."""
    (tmp_path / "notes.txt").write_text("nothing to measure")
    assert main([str(tmp_path)]) == 1


MEASURED = sorted((ROOT / "dist" / "bullseye").glob("jixiao_*.glibc"))


@pytest.mark.skipif(not MEASURED, reason="no dist/bullseye/*.glibc (make deb-bullseye writes it)")
@pytest.mark.parametrize("measured", MEASURED, ids=lambda path: path.stem)
def test_the_readme_states_the_measured_glibc_of_each_bullseye_package(measured: Path) -> None:
    """The README's platform table gives, for each 信创 package, the glibc its bundle was
    measured to need (glibc_floor.py, run by installer/linux/bullseye-deb.sh)."""
    figure = measured.read_text().split()[0]  # "GLIBC_2.31"
    arch = measured.stem.rsplit("_", 1)[-1]  # jixiao_0.1.0_arm64 -> arm64
    target = {"amd64": "make deb-bullseye", "arm64": "make deb-arm64"}[arch]
    readme = (ROOT / "README.md").read_text()
    rows = [
        line for line in readme.splitlines() if line.lstrip().startswith("|") and target in line
    ]
    assert rows, f"the README's platform table has no row for {target}"
    stated = {m for row in rows for m in re.findall(r"glibc (\d+\.\d+)", row)}
    assert stated == {figure.removeprefix("GLIBC_")}, (rows, figure)
