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
    names already used in the open file and in files opened before) first, then those
    filed under ``project_type`` itself, then in library order. ``project_type`` keeps
    entries filed under that type or under 通用."""
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
    return sorted(
        found,
        key=lambda e: (
            e.level3 not in used,
            bool(project_type) and project_type not in e.project_types,
        ),
    )


#: Words of a 项目名称 that say its project type (the first type found wins).
_TYPE_WORDS = (
    ("培训", ("培训", "轮训", "研修")),
    ("会议", ("会议", "会务")),
    ("设备购置", ("设备", "购置", "采购")),
    ("信息化建设与运维", ("信息化", "信息系统", "网络", "软件", "平台", "运维")),
    ("公务接待", ("接待",)),
    ("公务用车", ("用车", "车辆", "公车")),
    ("基础设施建设与维修", ("维修", "修缮", "改造", "工程", "基础设施", "建设")),
    ("补助补贴发放", ("补助", "补贴", "救助", "慰问", "抚恤")),
    ("宣传", ("宣传", "宣教")),
    ("课题调研", ("课题", "调研", "研究")),
    ("物业服务", ("物业", "安保", "保安", "保洁", "绿化")),
    ("政府购买服务", ("购买服务", "委托")),
    ("机关运转", ("运转", "办公", "公用经费", "日常")),
)


def guess_project_type(project_name: str) -> str:
    """The project type a 项目名称 suggests (干部培训经费 -> 培训), '' when none does: the
    picker starts filtered to it."""
    return next(
        (kind for kind, words in _TYPE_WORDS if any(word in project_name for word in words)), ""
    )
