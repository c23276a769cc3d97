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
