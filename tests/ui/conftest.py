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
def _windows_ask_a_fake_prompter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window made without a prompter asks a ``FakePrompter`` with no replies: any
    question the test did not script fails it (offscreen nobody would answer a modal
    dialog and the run would hang). Tests that expect questions pass their own."""
    from tests.ui.fakes import FakePrompter

    monkeypatch.setattr("desktop.ui.main_window.QtPrompter", lambda _window: FakePrompter())


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


@pytest.fixture
def prompter(monkeypatch: pytest.MonkeyPatch):
    """The ``FakePrompter`` that every window the test makes asks (script its replies,
    read what was said)."""
    from tests.ui.fakes import FakePrompter

    fake = FakePrompter()
    monkeypatch.setattr("desktop.ui.main_window.QtPrompter", lambda _window: fake)
    return fake
