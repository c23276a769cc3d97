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
    """A window made without a prompter, and a dialog opened over no window, ask a
    ``FakePrompter`` with no replies: any question the test did not script fails it
    (offscreen nobody would answer a modal dialog and the run would hang). Tests script
    replies on ``window.prompter`` or pass their own (the ``prompter`` fixture)."""
    from tests.ui.fakes import FakePrompter

    monkeypatch.setattr("desktop.ui.main_window.QtPrompter", lambda _window: FakePrompter())
    monkeypatch.setattr("desktop.ui.prompter.QtPrompter", lambda _widget: FakePrompter())


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
