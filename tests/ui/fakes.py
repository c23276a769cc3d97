"""A ``Prompter`` for tests: records what the program asked and answers from a script."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.ui.prompter import Answer


@dataclass(frozen=True)
class Asked:
    """One question or message: ``kind`` is the Prompter method (open_file, confirm,
    error…); ``text`` the message, or for a file dialog the start path (folder / file name)."""

    kind: str
    title: str
    text: str
    #: the text offered to be edited (``multiline_text``)
    default: str = ""


#: a scripted answer: the answer itself (Path, None, bool, Answer, list of Paths), or a
#: function of the question that gives it
Reply = object | Callable[[Asked], object]


class FakePrompter:
    """Answers each question (file dialogs, confirm, choose) with the next of ``replies``;
    records every question and message in ``asked``. A question with no reply left fails
    the test (nobody would answer a real dialog offscreen)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.asked: list[Asked] = []

    def script(self, *replies: Reply) -> None:
        """Add ``replies`` to those still to give."""
        self.replies.extend(replies)

    def said(self, kind: str = "error") -> list[str]:
        """The texts of the messages (or questions) of ``kind`` so far."""
        return [asked.text for asked in self.asked if asked.kind == kind]

    def _answer(self, kind: str, title: str, text: str, default: str = "") -> object:
        asked = Asked(kind, title, text, default)
        self.asked.append(asked)
        if not self.replies:
            raise AssertionError(f"unexpected {kind} “{title}”: {text}")
        reply = self.replies.pop(0)
        return reply(asked) if callable(reply) else reply

    def open_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        return self._answer("open_file", caption, str(start))

    def open_files(self, caption: str, name_filter: str, start: Path) -> list[Path]:
        return self._answer("open_files", caption, str(start))

    def save_file(self, caption: str, name_filter: str, start: Path) -> Path | None:
        return self._answer("save_file", caption, str(start))

    def confirm(self, title: str, text: str, *, warning: bool = False) -> bool:
        answer = self._answer("confirm", title, text)
        assert isinstance(answer, bool), f"confirm “{title}” answered {answer!r}"
        return answer

    def choose(
        self,
        title: str,
        text: str,
        answers: Sequence[Answer],
        *,
        default: Answer | None = None,
        warning: bool = False,
    ) -> Answer:
        answer = self._answer("choose", title, text)
        assert answer in answers, f"“{title}” offers {answers}, not {answer!r}"
        return answer

    def password(self, title: str, text: str) -> str | None:
        answer = self._answer("password", title, text)
        assert answer is None or isinstance(answer, str), f"password “{title}”: {answer!r}"
        return answer

    def multiline_text(self, title: str, text: str, default: str = "") -> str | None:
        answer = self._answer("multiline_text", title, text, default)
        assert answer is None or isinstance(answer, str), f"text “{title}”: {answer!r}"
        return answer

    def inform(self, title: str, text: str) -> None:
        self.asked.append(Asked("inform", title, text))

    def error(self, title: str, text: str) -> None:
        self.asked.append(Asked("error", title, text))

    def over(self, _widget: object) -> FakePrompter:
        return self  # one script for the window and its dialogs
