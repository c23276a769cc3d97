"""Guards against Qt binding defects that would crash a long editing session."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_reference_counts() -> None:
    """Emitting a signal from Python must not consume a reference to True (PySide6 6.12.0
    did: after a few thousand emits the program died with "bool_dealloc")."""
    emitter = _Emitter()
    emitter.fired.connect(lambda value: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit(1)
    assert sys.getrefcount(True) - before >= 0
