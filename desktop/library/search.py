"""Finding library entries: by words, by 拼音 initials, by project type and level.

拼音 initials come from pypinyin (imported on the first search that needs them: about
0.2 s). Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Collection, Iterable

from desktop.library.model import LibraryEntry


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


@functools.lru_cache(maxsize=8192)
def initials(text: str) -> str:
    """The 拼音 initials of the Chinese characters of ``text`` (参训人数 -> ``csrs``);
    other characters are dropped. Source: pypinyin's 首字母 style."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letter for letter in letters if letter.isascii() and letter.isalpha()).lower()


def _searchable(entry: LibraryEntry) -> str:
    return _normal(" ".join((entry.level3, entry.description, entry.explanation, *entry.keywords)))


def matches(entry: LibraryEntry, query: str) -> bool:
    """Whether ``entry`` fits what was typed in the search box: every word of ``query``
    (split at spaces) is found in its name, description, 指标解释 or keywords, or — for a
    word of Latin letters — is the start of, or inside, the 拼音 initials of its name
    or of a keyword (``cxrs`` finds 参训人数, ``myd`` every 满意度)."""
    words = [_normal(word) for word in query.split() if word.strip()]
    if not words:
        return True
    text = _searchable(entry)
    names = (entry.level3, *entry.keywords)
    return all(
        word in text
        or (word.isascii() and word.isalpha() and any(word in initials(n) for n in names))
        for word in words
    )


def search(
    entries: Iterable[LibraryEntry],
    *,
    query: str = "",
    project_type: str = "",
    level1: str = "",
    level2: str = "",
    used: Collection[str] = (),
) -> list[LibraryEntry]:
    """The entries that fit every given filter, those whose 三级指标 is in ``used`` (the
    names already used in the open file and in files opened before) first, then in
    library order. ``project_type`` keeps entries filed under that type or under 通用."""
    found = [
        entry
        for entry in entries
        if (
            not project_type or project_type in entry.project_types or "通用" in entry.project_types
        )
        and (not level1 or entry.level1 == level1)
        and (not level2 or entry.level2 == level2)
        and matches(entry, query)
    ]
    return sorted(found, key=lambda entry: entry.level3 not in used)
