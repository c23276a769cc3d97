"""The indicator library (指标库): its entries, and reading and writing library files.

A library file is JSON (docs/indicator-library.md): ``{"format": "jixiao-indicator-library",
"version": 1, "name": …, "entries": [...]}``. A file may come from any office on a USB
stick, so reading one never raises anything but ``LibraryFileError`` (the whole file is
unusable) and reports every bad entry as a ``LibraryProblem`` naming the entry and field.
Must not import Qt, sessions or anything from storage/services.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import Field, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.library.errors import LibraryFileError
from desktop.models.domains import control_problem
from desktop.models.vocabulary import LEVEL2_BY_LEVEL1

FORMAT = "jixiao-indicator-library"
#: The version this program writes; files of a newer version are refused (their fields
#: may mean something this program does not know), older ones are read.
VERSION = 1
#: A library file larger than this (bytes) is refused before it is parsed: the built-in
#: library of about 220 entries is about 200 KB.
MAX_FILE_BYTES = 5_000_000
#: At most this many entries in one file (the rest is refused as a whole file).
MAX_ENTRIES = 5000
#: Longest text of a field (characters): the 指标解释 may be a paragraph, names are short.
MAX_LONG_TEXT = 1000
MAX_SHORT_TEXT = 200

#: The advice of a file chosen that is not a library (left out for the personal library).
CHOOSE_ADVICE = "请确认选的是本程序导出的指标库文件。"
#: 项目类型 the built-in library covers, in the order the picker lists them.
PROJECT_TYPES = (
    "通用",
    "机关运转",
    "会议",
    "培训",
    "设备购置",
    "信息化建设与运维",
    "公务接待",
    "公务用车",
    "基础设施建设与维修",
    "补助补贴发放",
    "宣传",
    "课题调研",
    "物业服务",
    "政府购买服务",
)
#: 指标性质
NATURES = ("定量", "定性")
#: 计算符号 of a 定量 indicator (定性 ones have none)
SIGNS = ("≥", "≤", "=", ">", "<", "")
#: 指标方向: 正向 (more is better), 反向 (less is better), "" (a fixed target or 定性)
DIRECTIONS = ("正向", "反向", "")
#: The placeholders a value pattern may hold: {n} a number the clerk sets, {year} the
#: declaration's 预算年度 (filled in on insertion).
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PATTERN_PLACEHOLDERS = ("n", "year")
DESCRIPTION_PLACEHOLDERS = ("year",)


@dataclass(frozen=True)
class LibraryEntry:
    """One indicator of the library, as the finance ministry's 指标库 describes one.

    ``level1``/``level2`` are the county profile's names (成本指标 under 产出指标;
    ``entry_levels`` maps them); ``pattern`` is the 指标值 with ``{n}`` for the
    number the clerk sets and ``{year}`` for the 预算年度 (``≥{n}%``, ``{year}年{n}月底前``,
    ``明显提升``); ``example`` a plausible ``{n}`` ("" when the pattern has none).
    """

    code: str
    level1: str
    level2: str
    level3: str
    description: str = ""  # 绩效指标描述 template
    explanation: str = ""  # 指标解释: what it measures and how it is computed
    nature: str = "定量"  # 指标性质
    sign: str = ""  # 计算符号
    unit: str = ""  # 计量单位
    direction: str = ""  # 指标方向
    pattern: str = ""  # 指标值 pattern
    example: str = ""  # a plausible {n}
    basis: str = ""  # suggested 指标值确定依据
    project_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """(level-1, level-2, level-3): one indicator, whatever its code."""
        return (self.level1, self.level2, self.level3)

    def value(self, fiscal_year: int, n: str | None = None) -> str:
        """The pattern filled in: ``{year}`` with ``fiscal_year``, ``{n}`` with ``n``
        (the entry's example when None)."""
        return fill(self.pattern, fiscal_year, self.example if n is None else n)

    def hint(self, fiscal_year: int) -> str:
        """The pattern as a hint for an empty value cell: ``≥…%``, ``2026年…月底前``."""
        return fill(self.pattern, fiscal_year, "…")

    def filled_description(self, fiscal_year: int) -> str:
        """The 绩效指标描述 with ``{year}`` filled in."""
        return fill(self.description, fiscal_year, "")

    def as_json(self) -> dict[str, Any]:
        """The entry as a library file holds it (lists for the tuples)."""
        data = asdict(self)
        data["project_types"] = list(self.project_types)
        data["keywords"] = list(self.keywords)
        return data


def fill(template: str, fiscal_year: int, n: str) -> str:
    """``template`` with ``{year}`` and ``{n}`` replaced."""
    return template.replace("{year}", str(fiscal_year)).replace("{n}", n)


@dataclass(frozen=True)
class LibraryProblem:
    """A bad entry of a library file: its number (1-based), its name if it has one, the
    field's Chinese label and what is wrong."""

    number: int
    name: str
    field: str
    message: str

    def __str__(self) -> str:
        name = f"（{self.name}）" if self.name else ""
        where = f"“{self.field}”" if self.field else ""
        return f"第 {self.number} 条{name}{where}：{self.message}"


@dataclass(frozen=True)
class Library:
    """A library: its name and its valid entries, in file order."""

    name: str
    entries: tuple[LibraryEntry, ...] = ()
    problems: tuple[LibraryProblem, ...] = field(default=(), compare=False)

    def to_json(self) -> str:
        """The library as the text of a library file (UTF-8, versioned)."""
        return (
            json.dumps(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "name": self.name,
                    "entries": [entry.as_json() for entry in self.entries],
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )


#: The Chinese label of each field, for messages and docs/indicator-library.md.
FIELD_LABELS = {
    "code": "编码",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "explanation": "指标解释",
    "nature": "指标性质",
    "sign": "计算符号",
    "unit": "计量单位",
    "direction": "指标方向",
    "pattern": "指标值模式",
    "example": "示例数值",
    "basis": "指标值确定依据",
    "project_types": "适用项目类型",
    "keywords": "关键词",
}
_REQUIRED = ("code", "level1", "level2", "level3", "pattern")
_LONG = ("explanation", "description")


def parse_library(text: str, source: str = "指标库文件") -> Library:
    """A library from the text of a library file; bad entries are left out and listed in
    ``Library.problems`` (each naming the entry and field).

    Raises ``LibraryFileError`` when the text as a whole is not a library file of a
    version this program reads (not JSON, another format, a newer version, no entry
    list, too many entries). ``source`` names the file in messages.
    """
    data, raw_entries = _library_data(text, source)
    name = data.get("name")
    name = name.strip()[:MAX_SHORT_TEXT] if isinstance(name, str) else ""
    entries: list[LibraryEntry] = []
    problems: list[LibraryProblem] = []
    codes: set[str] = set()
    for number, raw in enumerate(raw_entries, start=1):
        entry, problem = _entry(number, raw)
        if problem is None and entry is not None and entry.code in codes:
            problem = LibraryProblem(
                number, entry.level3, "编码", f"“{entry.code}”与前面的指标重复。"
            )
        if problem is not None:
            problems.append(problem)
        elif entry is not None:
            codes.add(entry.code)
            entries.append(entry)
    return Library(name or source, tuple(entries), tuple(problems))


def _library_data(text: str, source: str) -> tuple[dict[str, Any], list[Any]]:
    """The JSON object of a library file's ``text`` and its entry list, unchecked, once the
    text is JSON of this format (``FORMAT``), of a version from 1 to ``VERSION``, with an
    entry list of at most ``MAX_ENTRIES``.

    Raises ``LibraryFileError`` naming ``source`` and what is wrong."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LibraryFileError(
            f"“{source}”不是有效的指标库文件（JSON 格式有误），未读取。" + CHOOSE_ADVICE
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LibraryFileError(
            f"“{source}”不是指标库文件（缺少“format”: “{FORMAT}”），未读取。" + CHOOSE_ADVICE
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LibraryFileError(f"“{source}”没有有效的版本号（version），未读取。")
    if version > VERSION:
        raise LibraryFileError(
            f"“{source}”是较新版本程序的指标库（第 {version} 版，本程序能读第 {VERSION} 版），"
            "未读取。请升级本程序后再导入。"
        )
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise LibraryFileError(f"“{source}”中没有指标列表（entries），未读取。")
    if len(raw_entries) > MAX_ENTRIES:
        raise LibraryFileError(
            f"“{source}”有 {len(raw_entries)} 条指标，超过了 {MAX_ENTRIES} 条的上限，未读取。"
        )
    return data, raw_entries


class _FieldProblem(Exception):
    """What is wrong with one field (``key``: its name in the file) of a library entry."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def _entry(number: int, raw: object) -> tuple[LibraryEntry | None, LibraryProblem | None]:
    """One entry checked: the entry, or the first problem found in it (the fields in
    ``LibraryEntry``'s order, then how they go together)."""
    if not isinstance(raw, dict):
        return None, LibraryProblem(number, "", "", "不是一条指标（应为 {…} 形式的对象）。")
    level3 = raw.get("level3")
    name = level3.strip()[:40] if isinstance(level3, str) else ""
    try:
        values = {
            spec.name: _field_value(spec, raw.get(spec.name)) for spec in fields(LibraryEntry)
        }
        entry = LibraryEntry(**values)
        _check_entry(entry, values)
    except _FieldProblem as problem:
        key = problem.key
        return None, LibraryProblem(number, name, FIELD_LABELS.get(key, key), problem.message)
    return entry, None


def _field_value(spec: Field[Any], value: object) -> Any:
    """The value of the field ``spec`` of a library entry from the file's ``value``
    (missing or null: the field's default): a list field's items (``_listed_value``), else
    the text stripped.

    Raises ``_FieldProblem``: not a text, longer than its limit (``MAX_LONG_TEXT`` for the
    long fields, else ``MAX_SHORT_TEXT``), a control character, or a required field empty."""
    key = spec.name
    listed = key in ("project_types", "keywords")
    default = spec.default if isinstance(spec.default, str) else ([] if listed else "")
    value = default if value is None else value  # missing or null: not filled in
    if listed:
        return _listed_value(key, value)
    if not isinstance(value, str):
        raise _FieldProblem(key, "应为文字。")
    value = value.strip()
    limit = MAX_LONG_TEXT if key in _LONG else MAX_SHORT_TEXT
    if len(value) > limit:
        raise _FieldProblem(key, f"过长（{len(value)} 字，至多 {limit} 字）。")
    if (bad := control_problem(value)) is not None:
        raise _FieldProblem(key, f"{bad}。")
    if key in _REQUIRED and not value:
        raise _FieldProblem(key, "未填写。")
    return value


def _listed_value(key: str, value: object) -> tuple[str, ...]:
    """The items of the list field ``key`` (project_types, keywords): stripped, blanks and
    repeats left out, in the file's order.

    Raises ``_FieldProblem``: not a list of texts, more than 50 items or one over 40
    characters, a control character, or a project type not in ``PROJECT_TYPES``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _FieldProblem(key, '应为文字的列表，例如 ["培训"]。')
    items = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    if len(items) > 50 or any(len(v) > 40 for v in items):
        raise _FieldProblem(key, "项数过多或某项过长（至多 50 项、每项 40 字）。")
    for item in items:
        if (bad := control_problem(item)) is not None:
            raise _FieldProblem(key, f"{bad}。")
        if key == "project_types" and item not in PROJECT_TYPES:
            raise _FieldProblem(
                key, f"“{item}”不是本程序的项目类型，应为：{'、'.join(PROJECT_TYPES)}。"
            )
    return items


def _check_entry(entry: LibraryEntry, values: dict[str, Any]) -> None:
    """Check how the fields of ``entry`` (``values``: them by name) go together: a level-1
    indicator of ``LEVEL2_BY_LEVEL1`` and a level-2 under it, a nature, sign and direction
    of their choices, only the placeholders the pattern and the description may hold, an
    example for a pattern with ``{n}``, and no ``{n}`` in a 定性 one.

    Raises ``_FieldProblem`` for the first that does not."""
    allowed = LEVEL2_BY_LEVEL1.get(entry.level1)
    if allowed is None:
        raise _FieldProblem(
            "level1", f"“{entry.level1}”不是一级指标，应为：{'、'.join(LEVEL2_BY_LEVEL1)}。"
        )
    if entry.level2 not in allowed:
        raise _FieldProblem(
            "level2", f"“{entry.level2}”不属于“{entry.level1}”，应为：{'、'.join(allowed)}。"
        )
    for key, choices in (("nature", NATURES), ("sign", SIGNS), ("direction", DIRECTIONS)):
        if values[key] not in choices:
            shown = "、".join(c or "（空）" for c in choices)
            raise _FieldProblem(key, f"“{values[key]}”无效，应为：{shown}。")
    for key, allowed_names in (
        ("pattern", PATTERN_PLACEHOLDERS),
        ("description", DESCRIPTION_PLACEHOLDERS),
    ):
        unknown = [p for p in _PLACEHOLDER.findall(values[key]) if p not in allowed_names]
        if unknown:
            shown = "、".join("{" + p + "}" for p in allowed_names)
            raise _FieldProblem(key, f"占位符“{{{unknown[0]}}}”无效，只能用 {shown}。")
    if "{n}" in entry.pattern and not entry.example:
        raise _FieldProblem("example", "指标值模式中有 {n}，请填写一个示例数值。")
    if entry.nature == "定性" and "{n}" in entry.pattern:
        raise _FieldProblem("pattern", "定性指标的指标值模式不应有数值占位符 {n}。")


def read_library(path: Path) -> Library:
    """The library in the file at ``path`` (``parse_library``); raises ``LibraryFileError``
    (in Chinese) when it cannot be read: missing, a folder, too large, not UTF-8."""
    source = path.name
    try:
        if path.is_dir():
            raise LibraryFileError(f"“{path}”是文件夹，请选择指标库文件（.json）。")
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise LibraryFileError(f"找不到文件“{path}”，请检查文件路径。") from exc
    except OSError as exc:
        raise LibraryFileError(f"无法读取“{path}”（{exc.strerror or exc}），请检查文件。") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise LibraryFileError(
            f"“{source}”超过 {MAX_FILE_BYTES // 1_000_000} MB，不像指标库文件，未读取。"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibraryFileError(
            f"“{source}”不是 UTF-8 编码的文本，不是本程序导出的指标库文件，未读取。"
        ) from exc
    return parse_library(text, source)


def builtin_library_file() -> Path:
    """The built-in library shipped in ``resources/library/``."""
    return paths.resources_dir() / "library" / "builtin.json"


@functools.cache
def builtin_library() -> Library:
    """The built-in library (read once). Its own test keeps it free of problems."""
    return read_library(builtin_library_file())


#: The 成本指标 of the county profile, as the 2021 central template files them.
_CENTRAL_COST = ("成本指标", "经济成本指标")


def entry_levels(entry: LibraryEntry, profile: str) -> tuple[str, str]:
    """(level-1, level-2) of ``entry`` in a declaration's profile: the county profile's
    产出指标/成本指标 is 成本指标/经济成本指标 in ``central2021``; other pairs are shared."""
    if profile == "central2021" and (entry.level1, entry.level2) == ("产出指标", "成本指标"):
        return _CENTRAL_COST
    if profile != "central2021" and entry.level1 == "成本指标":
        return ("产出指标", "成本指标")
    return (entry.level1, entry.level2)
