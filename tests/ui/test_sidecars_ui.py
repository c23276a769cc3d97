"""Opening a file with a sidecar in the window: the choice is asked in a dialog (Chinese,
the safe version preselected), carried out on 使用所选内容打开, nothing changed on 取消."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QTableWidget
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.storage.reasons import Version
from desktop.storage.sidecars import ASIDE_WORD
from desktop.ui.dialogs import SidecarDialog
from desktop.ui.main_window import MainWindow
from tests.conftest import (
    another_office_copy,
    file_digest,
    folder_listing,
    replaced_by_another_copy,
    wal_of_another_copy,
)


@pytest.fixture
def received(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "收到"
    folder.mkdir()
    path = folder / "单位.jxdb"
    shutil.copyfile(sample_path, path)
    other = tmp_path / "乙.jxdb"
    another_office_copy(sample_path, other)
    return path, other


def _window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.show()
    return window


def test_sidecar_dialog_proposes_the_file_as_it_is_for_a_strangers_wal(
    qtbot: QtBot, received, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A stranger's -wal: the dialog lists what differs, preselects the file as it is;
    accepting opens the file unchanged and renames the -wal aside."""
    path, other = received
    wal_of_another_copy(path, other)
    digest = file_digest(path)
    seen: list[SidecarDialog] = []

    def accept(dialog: SidecarDialog) -> int:
        seen.append(dialog)
        dialog.grab().save(str(tmp_path / "sidecar-dialog.png"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SidecarDialog, "exec", accept)
    window = _window(qtbot)
    assert window.files.open_path(path)
    (dialog,) = seen
    assert dialog.chosen() is Version.AS_IS
    assert "建议选用" in dialog.buttons[Version.AS_IS].text()
    assert dialog.buttons[Version.RECOVERED].isEnabled()
    table = dialog.findChild(QTableWidget, "sidecar_differences")
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert ["部门整体", "单位名称", "乐亭县机关事务中心", "别的单位（WAL）"] in rows
    assert window.session is not None and window.session.document.read_only is None
    assert file_digest(path) == digest
    assert not path.with_name(path.name + "-wal").exists()
    assert len(list(path.parent.glob(f"单位.jxdb-wal.{ASIDE_WORD}-*"))) == 1
    window.close_document()


def test_sidecar_dialog_cancel_changes_nothing(
    qtbot: QtBot, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    """取消: the file is not opened, and the file and its folder stay exactly as they were."""
    path, other = received
    replaced_by_another_copy(path, other)
    listing = folder_listing(path.parent)
    digest = file_digest(path)
    seen: list[SidecarDialog] = []

    def cancel(dialog: SidecarDialog) -> int:
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SidecarDialog, "exec", cancel)
    window = _window(qtbot)
    assert not window.files.open_path(path)
    (dialog,) = seen
    # the stranger's journal breaks the file: that version cannot even be chosen
    assert not dialog.buttons[Version.RECOVERED].isEnabled()
    assert "无法使用" in dialog.buttons[Version.RECOVERED].text()
    assert dialog.chosen() is Version.AS_IS
    assert window.session is None
    assert folder_listing(path.parent) == listing and file_digest(path) == digest


def test_sidecar_neither_version_usable_is_refused(
    qtbot: QtBot, received, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A torn file with a stranger's journal beside it: neither version passes; the clerk is
    told why (both reasons) and nothing is changed; no choice is offered."""
    from tests.conftest import interrupted_write

    path, other = received
    stranger = tmp_path / "stranger.jxdb"
    shutil.copyfile(other, stranger)
    interrupted_write(stranger)
    interrupted_write(path)  # torn
    shutil.copyfile(
        stranger.with_name(stranger.name + "-journal"), path.with_name(path.name + "-journal")
    )
    listing, digest = folder_listing(path.parent), file_digest(path)
    monkeypatch.setattr(SidecarDialog, "exec", lambda d: pytest.fail("no choice expected"))
    window = _window(qtbot)
    assert not window.files.open_path(path)
    (message,) = window.prompter.said("error")
    assert "都无法使用" in message and "未作改动" in message
    assert folder_listing(path.parent) == listing and file_digest(path) == digest
