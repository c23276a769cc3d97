"""The Debian package (``make deb``) unpacked into a scratch root with ``dpkg -x``.

Skipped without a package, unless ``JIXIAO_REQUIRE_BUNDLE=1`` (set by CI after it built one).
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop import __version__

DIST = Path(__file__).resolve().parent.parent / "dist"
PACKAGES = sorted(DIST.glob(f"jixiao_{__version__}_*.deb"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not PACKAGES and os.environ.get("JIXIAO_REQUIRE_BUNDLE") != "1",
        reason="no dist/jixiao_*.deb (make deb builds it)",
    ),
]


@pytest.fixture(scope="module")
def package() -> Path:
    """The .deb of this version (there must be exactly one)."""
    assert len(PACKAGES) == 1, PACKAGES
    return PACKAGES[0]


@pytest.fixture(scope="module")
def root(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files extracted into an empty folder standing for /."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg", "-x", str(package), str(root)], check=True)
    return root


def field(package: Path, name: str) -> str:
    """One field of the package's control file."""
    return subprocess.run(
        ["dpkg-deb", "-f", str(package), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_deb_installs_the_bundle_under_opt_and_the_command(root: Path) -> None:
    """/opt/jixiao holds the program with its font and guide; /usr/bin/jixiao starts it."""
    program = root / "opt" / "jixiao" / "jixiao"
    assert program.is_file() and os.access(program, os.X_OK)
    internal = root / "opt" / "jixiao" / "_internal"
    assert (internal / "resources" / "fonts" / "NotoSerifSC-Regular.ttf").is_file()
    assert (internal / "docs" / "user-guide.md").is_file()
    assert os.readlink(root / "usr" / "bin" / "jixiao") == "/opt/jixiao/jixiao"
    version = subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.strip() == f"jixiao {__version__}"


def test_deb_desktop_entry_opens_jxdb_files_with_the_icon(root: Path) -> None:
    """The menu entry runs jixiao on the double-clicked file, for the .jxdb MIME type."""
    path = root / "usr" / "share" / "applications" / "jixiao.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name"] == "绩效目标填报"
    assert desktop["Exec"] == "jixiao %f"
    assert desktop["MimeType"] == "application/x-jixiao;"
    assert desktop["Icon"] == "jixiao"
    icons = root / "usr" / "share" / "icons" / "hicolor"
    for size in (16, 32, 48, 256):
        assert (icons / f"{size}x{size}" / "apps" / "jixiao.png").is_file()
    assert (icons / "scalable" / "apps" / "jixiao.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout, check.stdout


def test_deb_mime_type_matches_jxdb_files(root: Path) -> None:
    """shared-mime-info, given the package's XML, knows *.jxdb as application/x-jixiao."""
    mime = root / "usr" / "share" / "mime"
    assert (mime / "packages" / "jixiao.xml").is_file()
    if not shutil.which("update-mime-database"):
        pytest.skip("update-mime-database missing (apt-get install shared-mime-info)")
    subprocess.run(["update-mime-database", str(mime)], check=True, capture_output=True)
    globs = (mime / "globs2").read_text(encoding="utf-8").splitlines()
    assert any(line.endswith(":application/x-jixiao:*.jxdb") for line in globs), globs
    described = (mime / "application" / "x-jixiao.xml").read_text(encoding="utf-8")
    assert "绩效目标文件" in described


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="dpkg --root needs root")
def test_deb_purge_leaves_user_files_alone(package: Path, tmp_path: Path) -> None:
    """Installed into a scratch system with dpkg --root, then purged: the program is gone,
    the clerk's documents, settings and backups in the home folder are all still there."""
    root = tmp_path / "system"
    for folder in ("info", "updates", "triggers"):
        (root / "var" / "lib" / "dpkg" / folder).mkdir(parents=True)
    for name in ("status", "available"):
        (root / "var" / "lib" / "dpkg" / name).touch()
    home = root / "home" / "clerk"
    user_files = [
        home / "文档" / "2023年绩效目标.jxdb",
        home / ".local" / "share" / "jixiao" / "backups" / "x" / "20230101-daily.jxdb",
        home / ".config" / "jixiao" / "settings.json",
    ]
    for path in user_files:
        path.parent.mkdir(parents=True)
        path.write_text("用户的数据", encoding="utf-8")
    dpkg = ["dpkg", f"--root={root}", "--log=/dev/null"]
    subprocess.run([*dpkg, "--force-depends", "-i", str(package)], check=True, capture_output=True)
    assert (root / "opt" / "jixiao" / "jixiao").is_file()
    verify = subprocess.run([*dpkg, "--verify", "jixiao"], capture_output=True, text=True)
    assert verify.returncode == 0 and not verify.stdout, verify.stdout  # md5sums all match
    subprocess.run([*dpkg, "--purge", "jixiao"], check=True, capture_output=True)
    assert not (root / "opt").exists() and not (root / "usr" / "bin" / "jixiao").exists()
    for path in user_files:
        assert path.read_text(encoding="utf-8") == "用户的数据", path


def test_deb_depends_on_the_system_libraries_it_links(package: Path) -> None:
    """The bundle carries no system libraries, so the package names them (dpkg-shlibdeps)."""
    depends = field(package, "Depends")
    for needed in (
        "libc6",
        "libcups2",
        "libfontconfig1",
        "libxcb-cursor0",
        "libsqlite3-0",
        "libpq5",  # loaded by psycopg through ctypes (the collection database)
    ):
        assert needed in depends, depends
    assert field(package, "Version") == __version__
