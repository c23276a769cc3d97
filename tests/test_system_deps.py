"""What a fresh Debian needs before `make run` / `make test` / `make bundle`.

installer/system-deps.sh against a system where nothing is installed yet (a stand-in
``dpkg-query`` that knows no package, a stand-in ``apt-get`` that writes down what it was
asked), as root and as a normal user; and the Makefile's refusal without Python 3.11+.
The whole fresh-system path, for real, is the fresh-root step of .ci/run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOT_USER = os.name == "posix" and os.geteuid() == 0

pytestmark = pytest.mark.skipif(
    not shutil.which("setpriv") or not shutil.which("make"), reason="Linux with make only"
)

NOTHING_INSTALLED = "#!/bin/sh\nexit 1\n"
EVERYTHING_INSTALLED = "#!/bin/sh\nprintf 'install ok installed'\n"
APT_GET = '#!/bin/sh\necho "$@" >> "$(dirname "$0")/apt-get.log"\n'


def executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


@pytest.fixture
def fresh() -> Iterator[Path]:
    """A folder all users can read, with bin/ holding the stand-in dpkg-query and apt-get
    of a system on which nothing is installed, and a copy of the Makefile and installer/."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-fresh-"))
    try:
        folder.chmod(0o755)
        (folder / "bin").mkdir()
        executable(folder / "bin" / "dpkg-query", NOTHING_INSTALLED)
        executable(folder / "bin" / "apt-get", APT_GET)
        (folder / "bin" / "apt-get.log").touch(mode=0o666)
        (folder / "bin" / "apt-get.log").chmod(0o666)
        for name in ("Makefile", "requirements.lock", "pyproject.toml"):
            shutil.copy(ROOT / name, folder / name)
        (folder / "installer").mkdir()
        for name in ("system-deps.sh", "find-python.sh"):
            shutil.copy(ROOT / "installer" / name, folder / "installer" / name)
        subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
        yield folder
    finally:
        shutil.rmtree(folder)


def system_deps(fresh: Path, *sets: str, user: str) -> subprocess.CompletedProcess[str]:
    """Run the copied system-deps.sh as ``user`` ("root" or "nobody") with the stand-ins."""
    command = ["bash", str(fresh / "installer" / "system-deps.sh"), *sets]
    if user == "root":
        if not ROOT_USER:
            pytest.skip("needs root")
    elif ROOT_USER:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    env = {"PATH": f"{fresh / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def apt_get_calls(fresh: Path) -> list[list[str]]:
    return [line.split() for line in (fresh / "bin" / "apt-get.log").read_text().splitlines()]


RUN_SET = {"python3", "python3-venv", "libgl1", "libxcb-cursor0", "libcups2"}
TEST_TOOLS = {"xvfb", "poppler-utils", "libreoffice-calc-nogui", "icu-devtools", "gcc"}
BUILD_TOOLS = {"libpython3.11", "dpkg-dev", "icu-devtools", "gcc", "binutils"}


def test_root_run_installs_python_and_qt_libraries_only(fresh: Path) -> None:
    """`make run` as root: python3, python3-venv and Qt's libraries, without recommended
    packages; no test or build tools."""
    done = system_deps(fresh, "run", user="root")
    assert done.returncode == 0, done.stderr
    [update, install] = apt_get_calls(fresh)
    assert update == ["update", "-qq"]
    assert install[:4] == ["install", "-y", "-qq", "--no-install-recommends"]
    assert set(install) >= RUN_SET
    assert not (TEST_TOOLS | BUILD_TOOLS) & set(install)


@pytest.mark.parametrize(
    ("sets", "wanted", "unwanted"),
    [
        (["test"], RUN_SET | TEST_TOOLS, {"libpython3.11", "dpkg-dev", "fcitx5"}),
        (["bundle"], RUN_SET | BUILD_TOOLS, {"xvfb", "libreoffice-calc-nogui", "fcitx5"}),
        (
            ["test", "bundle", "input-method"],
            RUN_SET | TEST_TOOLS | BUILD_TOOLS | {"fcitx5"},
            {"postgresql"},
        ),
        (["test", "collection"], RUN_SET | TEST_TOOLS | {"postgresql"}, {"fcitx5"}),
        (["fresh-root"], RUN_SET | {"debootstrap", "debian-archive-keyring"}, {"xvfb"}),
    ],
)
def test_root_test_and_bundle_add_their_tools(
    fresh: Path, sets: list[str], wanted: set[str], unwanted: set[str]
) -> None:
    done = system_deps(fresh, *sets, user="root")
    assert done.returncode == 0, done.stderr
    install = apt_get_calls(fresh)[-1]
    assert wanted <= set(install) and not unwanted & set(install)
    assert len(install) == len(set(install))  # each package once


@pytest.mark.parametrize("which", ["run", "test", "bundle"])
def test_normal_user_gets_one_apt_get_line_in_chinese_and_english(fresh: Path, which: str) -> None:
    """Not root: nothing is installed; one message in both languages with the exact line."""
    done = system_deps(fresh, which, user="nobody")
    assert done.returncode == 1
    assert apt_get_calls(fresh) == []
    assert "请以 root 身份" in done.stderr and "Run this line as root" in done.stderr
    [line] = [line for line in done.stderr.splitlines() if "apt-get" in line]
    words = line.split()
    assert words[:3] == ["apt-get", "install", "--no-install-recommends"]
    assert words[3:5] == ["python3", "python3-venv"]
    expected = {"run": RUN_SET, "test": RUN_SET | TEST_TOOLS, "bundle": RUN_SET | BUILD_TOOLS}
    assert expected[which] <= set(words)
    if which == "run":
        assert not (TEST_TOOLS | BUILD_TOOLS) & set(words)


def test_nothing_to_do_when_everything_is_installed(fresh: Path) -> None:
    executable(fresh / "bin" / "dpkg-query", EVERYTHING_INSTALLED)
    done = system_deps(fresh, "test", "bundle", user="nobody")
    assert done.returncode == 0 and not done.stderr and not done.stdout
    assert apt_get_calls(fresh) == []


@pytest.mark.parametrize("target", ["run", "test", "bundle", "deb"])
def test_each_make_command_asks_for_its_set(target: str) -> None:
    expected = {"run": "run", "test": "test", "bundle": "bundle", "deb": "bundle"}[target]
    planned = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, check=True
    ).stdout
    assert f"bash installer/system-deps.sh {expected}\n" in planned


def make_without_python(fresh: Path, old_python: bool) -> subprocess.CompletedProcess[str]:
    """`make setup` on a system whose packages are all there but whose PATH has no Python
    3.11+ (none at all, or a Python 3.9)."""
    executable(fresh / "bin" / "dpkg-query", EVERYTHING_INSTALLED)
    tools = fresh / "tools"
    tools.mkdir()
    for name in ("make", "bash", "sh", "grep", "cat", "rm", "id", "touch", "dirname"):
        (tools / name).symlink_to(shutil.which(name) or f"/bin/{name}")
    if old_python:  # Debian 11's python3
        executable(tools / "python3", "#!/bin/sh\necho 'Python 3.9.2'; exit 1\n")
    env = {"PATH": f"{fresh / 'bin'}:{tools}", "LANG": "C.UTF-8"}
    return subprocess.run(
        ["make", "setup"], cwd=fresh, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("old_python", [False, True])
def test_make_stops_with_a_message_without_python_3_11(fresh: Path, old_python: bool) -> None:
    """No recipe line runs past the check (an empty PYTHON once made make run `-c …` as an
    ignored error and go on); the message says what to install, in both languages."""
    done = make_without_python(fresh, old_python)
    assert done.returncode != 0
    assert "没有找到 Python 3.11 或更新版本" in done.stderr
    assert "No Python 3.11 or newer found" in done.stderr
    assert "apt-get install --no-install-recommends python3 python3-venv" in done.stderr
    assert "not found" not in done.stderr.replace("No Python 3.11 or newer found", "")
    assert "Error" in done.stderr and "ignored" not in done.stderr
    assert not (fresh / ".venv").exists()
