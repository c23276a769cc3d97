"""The window stays easy to change (issue 19): the main window is a short file, and no class
of the UI gathers more than a feature's worth of methods. Counted from the source (ast)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "desktop" / "ui"
#: issue 19's bounds
MAIN_WINDOW_LINES = 300
METHODS_PER_CLASS = 20


def _methods_per_class() -> dict[str, int]:
    """``"file.py:Class"`` -> the number of functions defined in the class's body."""
    counts: dict[str, int] = {}
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                methods = [
                    b for b in node.body if isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef)
                ]
                counts[f"{path.relative_to(UI)}:{node.name}"] = len(methods)
    return counts


def test_code_shape_main_window_is_short() -> None:
    """desktop/ui/main_window.py only assembles menus, the view and the status line."""
    lines = len((UI / "main_window.py").read_text(encoding="utf-8").splitlines())
    assert lines < MAIN_WINDOW_LINES


def test_code_shape_no_ui_class_has_more_than_twenty_methods() -> None:
    """A class of desktop/ui with more methods is doing several features' work: split it."""
    counts = _methods_per_class()
    assert "main_window.py:MainWindow" in counts  # the count sees the classes
    assert {name: n for name, n in counts.items() if n > METHODS_PER_CLASS} == {}
