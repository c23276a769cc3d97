"""What the feature controllers need of the window, as ``typing.Protocol``s: the controllers
name these instead of ``MainWindow``, so main_window.py (which builds them) and the
controllers do not import each other, not even for type hints.

``MainWindow`` (desktop/ui/main_window.py) is the one implementation; tests may give any
object with these members.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget

    from desktop.storage.document import Document
    from desktop.ui.binding import DocumentSession
    from desktop.ui.status_line import StatusLine


class FileAsker(Protocol):
    """The file controller's questions other controllers ask (``FileController``)."""

    def ask_file(
        self, caption: str, name_filter: str, *, save: bool = False, suggested: str = ""
    ) -> Path | None:
        """A file to open or (``save``) to write; None when cancelled."""
        ...

    def ask_files(self, caption: str, name_filter: str) -> list[Path]:
        """Files to open (several at once)."""
        ...

    def ask_new_path(self, caption: str, suggested: str = "") -> Path | None:
        """A path for a new .jxdb file, never the one open now; None when cancelled."""
        ...

    def open_path(self, path: Path) -> bool:
        """Open the .jxdb file at ``path`` in place of the current one; False if refused."""
        ...


class DocumentWindow(Protocol):
    """The window as a controller sees it: the document shown, its status line, the file
    questions, and what to do after a controller changed which document is shown."""

    status_line: StatusLine

    @property
    def session(self) -> DocumentSession | None:
        """The document shown, None while none is."""
        ...

    @property
    def files(self) -> FileAsker:
        """The file controller."""
        ...

    @property
    def dialog_parent(self) -> QWidget:
        """The widget dialogs and progress windows open over (the window itself)."""
        ...

    def statusBar(self) -> QStatusBar:
        """The window's status bar (passing messages)."""
        ...

    def isAncestorOf(self, child: QWidget) -> bool:
        """Whether ``child`` is inside the window."""
        ...

    def show_document(self, document: Document) -> None:
        """Show ``document`` in place of the one shown."""
        ...

    def show_edit_state(self) -> None:
        """Update commands, banner and title to the document's state."""
        ...

    def reload(self) -> None:
        """Show the document's unit again from the file."""
        ...

    def close_document(self) -> None:
        """Close the document shown (its lock given back)."""
        ...
