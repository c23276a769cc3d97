"""Shared fixtures. Offscreen Qt and private user folders for every test, set before Qt loads."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
SEED = DATA / "000_5920c77ceb642a59.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to renew the golden files (--update-golden)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's settings, sample copy or backups."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def sample_path(tmp_path: Path) -> Iterator[Path]:
    """A fresh .jxdb file holding the built-in sample (closed, ready to open)."""
    from desktop.services.documents import write_sample

    path = tmp_path / "sample.jxdb"
    write_sample(path).close()
    yield path


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, to prove a refused file was left untouched."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
