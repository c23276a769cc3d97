"""The unit's own library: the personal library file and the indicators used before.

Both live in the user's data folder (platformdirs, ``paths.data_dir``): ``指标库.json``
holds entries the clerk saved or imported (a library file like any other), ``used.json``
the 三级指标 names of the files opened before, newest first, so that the picker can put
them first without opening those files again. Must not import Qt, sessions or anything
from storage/services.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop import paths
from desktop.files import WriteFailure, replaced_atomically, write_failure_message
from desktop.library.errors import LibraryFileError
from desktop.library.model import (
    CHOOSE_ADVICE,
    Library,
    LibraryEntry,
    builtin_library,
    entry_levels,
    read_library,
)
from desktop.models.vocabulary import LEVEL2_BY_LEVEL1

PERSONAL_NAME = "个人指标库"
#: At most this many names of indicators used before are remembered.
MAX_USED = 2000
_USED_VERSION = 1


def personal_file() -> Path:
    """The personal library file in the user's data folder."""
    return paths.data_dir() / "指标库.json"


def _used_file() -> Path:
    return paths.data_dir() / "used-indicators.json"


def load_personal() -> Library:
    """The personal library; empty when there is none yet. Raises ``LibraryFileError``
    (in Chinese: what is wrong, where the file is) when the file is there but cannot be
    read; it is left as it is."""
    path = personal_file()
    if not path.exists():
        return Library(PERSONAL_NAME)
    try:
        return read_library(path)
    except LibraryFileError as exc:
        reason = exc.message.replace(CHOOSE_ADVICE, "")
        raise LibraryFileError(f"个人指标库文件“{path}”无法读取：{reason}") from exc


def _personal_for_change() -> tuple[Library, str]:
    """The personal library about to be changed, and a note ('' when none). A file that
    cannot be read, or holds entries that cannot be read (they would be dropped by the
    write), is first copied to ``指标库.损坏-<日期时间>.json`` beside it (the note says
    so); the change then starts from its readable entries (none for an unreadable file).
    Raises ``LibraryFileError`` (nothing changed) when the copy cannot be written."""
    path = personal_file()
    try:
        current = load_personal()
    except LibraryFileError as exc:
        reason, current = exc.message, Library(PERSONAL_NAME)
        kept = "新建了个人指标库"
    else:
        if not current.problems:
            return current, ""
        shown = "；".join(str(p) for p in current.problems[:3])
        reason = f"个人指标库文件“{path}”中有 {len(current.problems)} 条指标无法读取（{shown}）。"
        kept = f"其余 {len(current.entries)} 条指标照常保留"
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    aside = path.with_name(f"指标库.损坏-{stamp}.json")
    for number in range(2, 100):
        if not aside.exists():
            break
        aside = path.with_name(f"指标库.损坏-{stamp}-{number}.json")
    try:
        shutil.copy2(path, aside)
    except OSError as error:
        failed = write_failure_message(WriteFailure.of(aside, error))
        raise LibraryFileError(f"{reason}为免丢失其中的数据，未改动个人指标库：{failed}") from error
    note = (
        f"{reason}已把原文件另存为“{aside.name}”（同一文件夹），{kept}。"
        "可把另存的文件交技术人员修复后再导入。"
    )
    return current, note


def save_personal(library: Library) -> None:
    """Write the personal library atomically. Raises ``LibraryFileError`` (in Chinese)
    when the data folder cannot be written."""
    try:
        with replaced_atomically(personal_file()) as temp:
            temp.write_text(library.to_json(), encoding="utf-8")
    except OSError as exc:
        raise LibraryFileError(
            write_failure_message(WriteFailure.of(personal_file(), exc))
        ) from exc


def all_entries() -> list[LibraryEntry]:
    """The personal library's entries, then the built-in ones (an entry of the personal
    library hides a built-in one with the same code or the same three levels, and takes
    from it what it leaves empty: 指标解释, unit, project types, keywords, so that it is
    still listed under that type); only the built-in ones when the personal library
    cannot be read (``load_personal`` says why)."""
    try:
        personal: tuple[LibraryEntry, ...] = load_personal().entries
    except LibraryFileError:
        personal = ()
    by_key = {entry.key: entry for entry in builtin_library().entries}
    personal = tuple(
        dataclasses.replace(
            entry,
            explanation=entry.explanation or base.explanation,
            unit=entry.unit or base.unit,
            project_types=entry.project_types or base.project_types,
            keywords=entry.keywords or base.keywords,
        )
        if (base := by_key.get(entry.key)) is not None
        else entry
        for entry in personal
    )
    codes = {entry.code for entry in personal}
    keys = {entry.key for entry in personal}
    builtin = [e for e in builtin_library().entries if e.code not in codes and e.key not in keys]
    return [*personal, *builtin]


@dataclass(frozen=True)
class ImportResult:
    """What ``import_library`` did: entries added, entries that replaced one of the same
    code, and the bad entries of the file that were left out (as messages)."""

    added: int
    replaced: int
    skipped: tuple[str, ...]
    #: a personal library that could not be read, renamed aside ('' when none)
    set_aside: str = ""


def import_library(path: Path) -> ImportResult:
    """Add the entries of the library file at ``path`` to the personal library: an entry
    with the code of one already there replaces it; bad entries are skipped and named.

    Raises ``LibraryFileError`` (nothing changed) when the file cannot be read as a
    library or has no valid entry, and when the personal library cannot be saved.
    """
    incoming = read_library(path)
    if not incoming.entries:
        problems = "；".join(str(p) for p in incoming.problems[:5])
        raise LibraryFileError(
            f"“{path.name}”中没有可用的指标，未导入。" + (f"问题：{problems}" if problems else "")
        )
    current, note = _personal_for_change()
    by_code = {entry.code: entry for entry in current.entries}
    replaced = sum(1 for entry in incoming.entries if entry.code in by_code)
    by_code.update({entry.code: entry for entry in incoming.entries})
    save_personal(Library(current.name or PERSONAL_NAME, tuple(by_code.values())))
    return ImportResult(
        len(incoming.entries) - replaced, replaced, tuple(str(p) for p in incoming.problems), note
    )


def export_library(path: Path, *, with_builtin: bool = False, replace: bool = False) -> int:
    """Write the personal library (``with_builtin``: followed by the built-in entries it
    does not hide) as a library file at ``path``; returns the number of entries.

    Raises ``LibraryFileError`` when there is nothing to export, the personal library
    cannot be read, ``path`` is a folder, exists and ``replace`` is not given (the command
    line's --force; the window's save dialog has asked), exists and is not a library file
    (only a library file is replaced), or cannot be written (a file there is left as it
    was; ``write_failure_message``).
    """
    if path.is_dir():
        raise LibraryFileError(f"“{path}”是一个文件夹，请给出指标库文件名，例如 指标库.json。")
    if path.exists() and not replace:
        raise LibraryFileError(f"“{path}”已存在，未作改动。如确需替换它，请在命令后加 --force。")
    if path.exists():
        try:
            read_library(path)
        except LibraryFileError as exc:
            raise LibraryFileError(
                f"“{path}”已存在且不是指标库文件，为免覆盖其中的数据，未写入。请换一个文件名。"
            ) from exc
    entries = list(load_personal().entries)  # a damaged personal library is said first
    if with_builtin:
        entries = all_entries()
    if not entries:
        raise LibraryFileError(
            "个人指标库中还没有指标，未导出。可在绩效指标表中右键“保存到个人指标库”，"
            "或先导入指标库文件（命令行可加 --builtin 连同内置指标库一起导出）。"
        )
    try:
        with replaced_atomically(path) as temp:
            temp.write_text(Library(PERSONAL_NAME, tuple(entries)).to_json(), encoding="utf-8")
    except OSError as exc:
        raise LibraryFileError(write_failure_message(WriteFailure.of(path, exc))) from exc
    return len(entries)


def entry_from_row(
    *, level1: str, level2: str, level3: str, description: str, target_value: str, basis: str
) -> LibraryEntry:
    """A personal library entry made from a grid row: its value becomes the pattern with
    the first number as ``{n}`` (≥95% -> ≥{n}%, example 95). A row of a built-in entry
    (same 三级指标 and levels, either profile's names) keeps that entry's 指标解释, unit,
    direction, project types and keywords, so that it replaces the built-in one where that
    was listed rather than hiding it. Raises ``LibraryFileError``
    when the row has no 三级指标 or its levels are not the program's vocabulary."""
    import hashlib
    import re

    from desktop.models.values import parse_target_value

    level3 = level3.strip()
    if not level3:
        raise LibraryFileError("这一行没有三级指标名称，不能保存到指标库。")
    if level2 not in LEVEL2_BY_LEVEL1.get(level1, ()):
        raise LibraryFileError(f"“{level1}/{level2}”不是标准的一级、二级指标，不能保存到指标库。")
    value = target_value.strip()
    match = re.search(r"[0-9]+(?:\.[0-9]+)?", value)
    parsed = parse_target_value(value)
    number = match if parsed.kind != "qualitative" else None
    quantitative = number is not None
    pattern = value[: number.start()] + "{n}" + value[number.end() :] if number else value
    digest = hashlib.sha1("\n".join((level1, level2, level3)).encode()).hexdigest()[:10]
    builtin = next(
        (
            e
            for e in builtin_library().entries
            if e.level3 == level3
            and (level1, level2) in (e.key[:2], entry_levels(e, "central2021"))
        ),
        None,
    )
    return LibraryEntry(
        code=f"ZD-{digest}",
        level1=builtin.level1 if builtin else level1,
        level2=builtin.level2 if builtin else level2,
        level3=level3,
        description=description.strip(),
        explanation=builtin.explanation if builtin else "",
        nature="定量" if quantitative else "定性",
        sign=parsed.comparator if quantitative and parsed.comparator in "≥≤=><" else "",
        unit=builtin.unit if builtin and quantitative else "",
        direction=builtin.direction if builtin and quantitative else "",
        pattern=pattern or "{n}",
        example=number.group() if number else ("" if value else "1"),
        basis=basis.strip(),
        project_types=builtin.project_types if builtin else (),
        keywords=builtin.keywords if builtin else (),
    )


def save_row(entry: LibraryEntry) -> tuple[bool, str]:
    """Put ``entry`` in the personal library (replacing one with the same code): whether
    it was new, and the note of a damaged personal library set aside ('' when none).
    Raises ``LibraryFileError`` when the library cannot be saved."""
    current, note = _personal_for_change()
    kept = tuple(e for e in current.entries if e.code != entry.code)
    save_personal(Library(current.name or PERSONAL_NAME, (*kept, entry)))
    return len(kept) == len(current.entries), note


def used_names() -> list[str]:
    """The 三级指标 names of files opened before, newest first (empty when none or the
    file is unreadable)."""
    try:
        data = json.loads(_used_file().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    if not isinstance(data, dict) or data.get("version") != _USED_VERSION:
        return []
    names = data.get("names")
    return [n for n in names if isinstance(n, str)][:MAX_USED] if isinstance(names, list) else []


def remember_used(names: Iterable[str]) -> None:
    """Put the 三级指标 ``names`` of a file just opened first in the remembered names; a
    failure to write (read-only profile) is silently ignored, as for the settings."""
    fresh = [n.strip() for n in names if n.strip()]
    merged = list(dict.fromkeys([*fresh, *used_names()]))[:MAX_USED]
    text = json.dumps({"version": _USED_VERSION, "names": merged}, ensure_ascii=False)
    with contextlib.suppress(OSError), replaced_atomically(_used_file()) as temp:
        temp.write_text(text, encoding="utf-8")
