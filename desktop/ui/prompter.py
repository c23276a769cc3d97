"""The questions the program asks the clerk (which file, go on or not, a password or a
text, what went wrong).

The feature controllers (``desktop/ui/controllers``) ask through a ``Prompter``, never
through ``QMessageBox`` or ``QFileDialog`` themselves: the window hands them ``QtPrompter``,
tests a fake that answers from a script (``tests/ui/fakes.py``), so a flow's questions and
answers are tested without a modal dialog (Mu's seam between logic and view, STYLE.md).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)


class Answer(enum.Enum):
    """A button of a question (shown with Qt's own, translated, words: 是, 否, 保存…)."""

    YES = "yes"
    NO = "no"
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompter(Protocol):
    """What a controller may ask or tell the clerk. Texts are Chinese, shown as given."""

    def open_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        """An existing file chosen (dialog opened at the folder or file ``start``), or None."""
        ...

    def open_files(self, caption: str, name_filter: str, start: Path) -> list[Path]:
        """Existing files chosen, several at once; [] when cancelled."""
        ...

    def save_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        """A file to write (``start``: the folder and offered file name), or None."""
        ...

    def confirm(self, title: str, text: str, *, warning: bool = False) -> bool:
        """是 or 否 (否 the default); ``warning``: asked with the warning icon."""
        ...

    def choose(
        self,
        title: str,
        text: str,
        answers: Sequence[Answer],
        *,
        default: Answer | None = None,
        warning: bool = False,
    ) -> Answer:
        """One of ``answers`` (Escape or closing gives CANCEL or the last one)."""
        ...

    def password(self, title: str, text: str) -> str | None:
        """A password typed in a masked field (``text`` the question), or None when the
        clerk gave none (cancelled, or left it empty). Never stored by the prompter."""
        ...

    def multiline_text(self, title: str, text: str, default: str = "") -> str | None:
        """Text typed in a box of several lines (``text`` the question, ``default`` shown to
        be edited); None when cancelled ("" when emptied and confirmed)."""
        ...

    def inform(self, title: str, text: str) -> None:
        """Tell something done (information icon)."""
        ...

    def error(self, title: str, text: str) -> None:
        """Tell what went wrong and what to do (warning icon)."""
        ...

    def over(self, widget: QWidget) -> Prompter:
        """The same prompter with its dialogs over ``widget`` (a dialog or editor asking)."""
        ...


def prompter_for(widget: QWidget) -> Prompter:
    """The prompter of the window ``widget`` belongs to (for a dialog: of the window it was
    opened over), its dialogs over ``widget``; ``QtPrompter`` when there is none (a dialog
    opened on its own)."""
    current: QWidget | None = widget
    while current is not None:
        window = current.window()
        found = getattr(window, "prompter", None)
        if found is not None:
            return found.over(widget)
        current = window.parentWidget()
    return QtPrompter(widget)


_BUTTONS = {
    Answer.YES: QMessageBox.StandardButton.Yes,
    Answer.NO: QMessageBox.StandardButton.No,
    Answer.SAVE: QMessageBox.StandardButton.Save,
    Answer.DISCARD: QMessageBox.StandardButton.Discard,
    Answer.CANCEL: QMessageBox.StandardButton.Cancel,
}


class QtPrompter:
    """The ``Prompter`` of the window: Qt's modal message boxes and file dialogs over
    ``parent``."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def open_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._parent, caption, str(start), name_filter)
        return Path(name) if name else None

    def open_files(self, caption: str, name_filter: str, start: Path) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self._parent, caption, str(start), name_filter)
        return [Path(name) for name in names]

    def save_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self._parent, caption, str(start), name_filter)
        return Path(name) if name else None

    def confirm(self, title: str, text: str, *, warning: bool = False) -> bool:
        answer = self.choose(title, text, (Answer.YES, Answer.NO), default=Answer.NO,
                             warning=warning)  # fmt: skip
        return answer is Answer.YES

    def choose(
        self,
        title: str,
        text: str,
        answers: Sequence[Answer],
        *,
        default: Answer | None = None,
        warning: bool = False,
    ) -> Answer:
        buttons = QMessageBox.StandardButton.NoButton
        for answer in answers:
            buttons |= _BUTTONS[answer]
        ask = QMessageBox.warning if warning else QMessageBox.question
        chosen = ask(
            self._parent,
            title,
            text,
            buttons,
            _BUTTONS[default] if default is not None else QMessageBox.StandardButton.NoButton,
        )
        for answer, button in _BUTTONS.items():
            if chosen == button and answer in answers:
                return answer
        return Answer.CANCEL if Answer.CANCEL in answers else answers[-1]

    def password(self, title: str, text: str) -> str | None:
        typed, ok = QInputDialog.getText(self._parent, title, text, QLineEdit.EchoMode.Password)
        return typed if ok and typed else None

    def multiline_text(self, title: str, text: str, default: str = "") -> str | None:
        box = QInputDialog(self._parent)
        box.setWindowTitle(title)
        box.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        box.setLabelText(text)
        box.setTextValue(default)
        label = box.findChild(QLabel)
        if label is not None:  # a long question wraps (Qt's one line outgrew a 150% screen)
            label.setWordWrap(True)
        try:
            return box.textValue() if box.exec() == QDialog.DialogCode.Accepted else None
        finally:
            box.deleteLater()

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self._parent, title, text)

    def over(self, widget: QWidget) -> QtPrompter:
        return QtPrompter(widget)
