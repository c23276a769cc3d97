"""UI test fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_clipboard_after_test(qapp) -> Iterator[None]:
    """Leave no mime data in the clipboard: with the offscreen platform, Qt frees it a
    second time at interpreter exit and the test process ends in a crash (xcb does not)."""
    yield
    qapp.clipboard().clear()


@pytest.fixture(autouse=True)
def _no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal message box the test did not ask for fails the test (offscreen, nobody
    would answer it and the run would hang); tests that expect one patch it themselves."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(_parent: object, title: str, text: str, *_args: object) -> None:
        raise AssertionError(f"unexpected message box “{title}”: {text}")

    for kind in ("warning", "question", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, unexpected)


@pytest.fixture(autouse=True)
def _nothing_frozen_after_test() -> Iterator[None]:
    """A window left open by a test keeps its objects frozen (main_window.settle_memory):
    give them back to the collector so that later tests start as a fresh process would."""
    yield
    import gc

    gc.unfreeze()
