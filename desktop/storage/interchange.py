"""The canonical JSON form of a file's declarations (format ``jixiao.declarations``).

The format is documented in docs/interchange-format.md. It carries every field, the
order of every list, each row's UUID and modification time, so that a declaration can
travel between offices and come back mergeable. Amounts are decimal strings exactly as
stored. Must not import Qt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from itertools import accumulate
from typing import Any, TypeVar

from sqlalchemy import Connection, insert, inspect
from sqlalchemy.orm import Session

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    FindingExplanation,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
    PrintRecord,
    TargetAdjustment,
)
from desktop.models.base import SyncedRow, content_fields, owned_collections
from desktop.models.domains import field_domain, input_text
from desktop.models.indicator_fields import CHOSEN_FIELDS, DERIVED_FIELDS, read_structured
from desktop.models.labels import FIELD_LABELS, PROJECT_LINK_LABEL, ROW_KINDS
from desktop.models.stages import EMPTY_VALUES, is_empty_stage_value
from desktop.models.values import canonical_decimal
from desktop.storage.errors import InterchangeError

FORMAT = "jixiao.declarations"
VERSION = 1
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
RowT = TypeVar("RowT", bound=SyncedRow)

#: How a list of the JSON form is named to the clerk: 第{n}{word} (models/labels.py).
_LIST_WORDS = {kind.list_key: (kind.counted, kind.row_type) for kind in ROW_KINDS.values()}
_OTHER_FIELDS = {
    "uuid": "标识",
    "modified_at": "修改时间",
    "budget_project_uuid": PROJECT_LINK_LABEL,
}


def spoken_place(where: str, name: str = "") -> str:
    """A place in the JSON form in the clerk's words, with the technical path after it for
    whoever helps: ``declarations[0].budget_projects[1]``, ``budget_amount`` →
    第1个单位的第2个预算项目的“预算数”（declarations[0].budget_projects[1].budget_amount）."""
    parts: list[str] = []
    cls: type[SyncedRow] | None = None
    for key, index in re.findall(r"(\w+)\[(\d+)\]", where):
        word, cls = _LIST_WORDS.get(key, (f"个{key}", None))
        parts.append(f"第{int(index) + 1}{word}")
    if name:
        label = FIELD_LABELS.get(cls, {}).get(name) if cls else None
        parts.append(f"“{label or _OTHER_FIELDS.get(name, name)}”")
    technical = f"{where}.{name}" if name else where
    return f"{'的'.join(parts)}（{technical}）"


#: Deepest nesting of brackets in a document of this format is 7; far more is hostile.
MAX_JSON_DEPTH = 32
#: Most digits of an integer in a document (a year has 4; Python refuses over 4,300).
MAX_JSON_DIGITS = 20
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: no backtracking
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def parse_json(text: str) -> Any:
    """The data of a JSON text, refusing what would exhaust the parser or later code.

    Raises ``InterchangeError`` (its message follows the file's name: “a.json”不是有效的
    JSON…) for text that is not JSON (with line and
    column), nested deeper than ``MAX_JSON_DEPTH`` (checked before parsing: the json
    module recurses and would raise ``RecursionError``), an integer longer than
    ``MAX_JSON_DIGITS`` digits (Python 3.11 raises ``ValueError`` past 4,300), or NaN and
    Infinity. Lone surrogates (``"\\ud800"``) parse; the domain of each text refuses them.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)
    if depth > MAX_JSON_DEPTH:
        raise InterchangeError(
            f"的层次嵌套了 {depth} 层（本格式最多 7 层），不是本程序导出的数据，"
            "可能是恶意构造的文件，已拒绝读取。"
        )

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_JSON_DIGITS:
            raise InterchangeError(
                f"中有一个 {len(digits.lstrip('-'))} 位的整数，不是本程序导出的数据"
                "（年份只有 4 位），已拒绝读取。"
            )
        return int(digits)

    def constant(name: str) -> Any:
        raise InterchangeError(f"中有 JSON 不允许的值 {name}，已拒绝读取。")

    try:
        return json.loads(text, parse_int=integer, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。") from exc
    except (RecursionError, ValueError) as exc:  # a limit of the json module we did not foresee
        raise InterchangeError("无法解析（结构异常），已拒绝读取。") from exc


def dump_declarations(declarations: list[Declaration]) -> dict[str, Any]:
    """The JSON document (as Python data) for ``declarations``, in their given order."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "declarations": [_dump_row(declaration) for declaration in declarations],
    }


def to_json_text(document: dict[str, Any]) -> str:
    """Canonical text of a JSON document: UTF-8 characters as is, 2-space indent, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _fields(cls: type[SyncedRow], row: Any) -> dict[str, Any]:
    """UUID, time and content fields of ``row`` (an ORM object or a selected table row of
    ``cls``) in the JSON form."""
    out: dict[str, Any] = {"uuid": row.uuid, "modified_at": time_text(row.modified_at)}
    for name, kind in content_fields(cls).items():
        value = getattr(row, name)
        if kind is Decimal and value is not None:
            value = str(value)
        elif kind is datetime:
            value = time_text(value)
        out[name] = value
    return out


def _dump_row(row: SyncedRow, lists: tuple[str, ...] | None = None) -> dict[str, Any]:
    """``row`` in the JSON form with the owned lists named in ``lists`` (default: all)."""
    out = _fields(type(row), row)
    if isinstance(row, ItemTarget):
        out["budget_project_uuid"] = row.budget_project.uuid if row.budget_project else None
    for name in owned_collections(type(row)):
        if lists is None or name in lists:
            out[name] = [_dump_row(child) for child in getattr(row, name)]
    return out


def dump_row(row: SyncedRow, lists: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One row with its owned rows in the JSON form (e.g. to undo its removal); only the
    owned lists named in ``lists`` when given (e.g. a declaration without its projects)."""
    return _dump_row(row, lists)


def read_declarations(connection: Connection) -> list[dict[str, Any]]:
    """Every declaration of a file in the JSON form, read with one plain SELECT per table.

    The same data as ``dump_row`` of each declaration loaded through the ORM (a test
    checks), in the file's order (fiscal year, unit code), at a fraction of the cost: a
    merge of hundreds of files reads each one whole. Values go through the column types,
    so a stored amount that is not a decimal raises ``ValueError`` as in the ORM.
    """
    from sqlalchemy import select

    rows: dict[type[SyncedRow], list[Any]] = {}
    children: dict[tuple[type[SyncedRow], str], dict[int, list[dict[str, Any]]]] = {}
    project_uuids: dict[int, str] = {}

    def read(cls: type[SyncedRow]) -> list[Any]:
        if cls not in rows:
            table = cls.__table__  # type: ignore[attr-defined]  # row classes are typed type[Base], no __table__
            order = [table.c.position] if "position" in table.c else []
            rows[cls] = list(connection.execute(select(table).order_by(*order, table.c.id)))
            for name, child_cls in owned_collections(cls).items():
                ((_local, remote),) = inspect(cls).relationships[name].local_remote_pairs
                grouped: dict[int, list[dict[str, Any]]] = {}
                for child in read(child_cls):
                    grouped.setdefault(getattr(child, remote.key), []).append(
                        shape(child_cls, child)
                    )
                children[(cls, name)] = grouped
            if cls is BudgetProject:
                project_uuids.update({row.id: row.uuid for row in rows[cls]})
        return rows[cls]

    def shape(cls: type[SyncedRow], row: Any) -> dict[str, Any]:
        out = _fields(cls, row)
        if cls is ItemTarget:
            out["budget_project_uuid"] = project_uuids.get(row.budget_project_id)
        for name in owned_collections(cls):
            out[name] = children[(cls, name)].get(row.id, [])
        return out

    read(BudgetProject)  # first: item targets name their project by UUID
    declarations = sorted(read(Declaration), key=lambda d: (d.fiscal_year, d.unit_code, d.id))
    return [shape(Declaration, row) for row in declarations]


def renew_uuids(data: Any, new: Callable[[str], str] | None = None) -> Any:
    """A copy of JSON-form data with a new UUID for every row (for copies, not moves);
    links inside the data (``budget_project_uuid``) follow their rows. ``new`` gives the
    new UUID for an old one (default: a random one each)."""
    from desktop.models import new_uuid

    mapping: dict[str, str] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if "uuid" in value:
                mapping[value["uuid"]] = new(value["uuid"]) if new else new_uuid()
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def rewrite(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: mapping.get(item, item)
                if key in ("uuid", "budget_project_uuid")
                else rewrite(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    collect(data)
    return rewrite(data)


def load_row(cls: type[RowT], data: dict[str, Any], projects: dict[str, BudgetProject]) -> RowT:
    """A new, unsaved row (with its owned rows, same UUIDs) from ``dump_row`` output.

    Item targets are linked to the budget projects of ``projects`` (by UUID) or to
    projects inside ``data``. Raises ``InterchangeError`` for malformed data.
    """
    loader = _Loader()
    loader.projects.update(projects)
    row = loader.row(cls, data, cls.__name__)
    loader.link_budget_projects()
    return row


def insert_declaration(session: Session, data: dict[str, Any]) -> None:
    """Insert a JSON-form declaration with all its rows: one multi-row INSERT per table.

    Checks the data as ``load_declarations`` does (raises ``InterchangeError`` naming the
    place); its UUIDs must not be in the file yet. Bypasses the ORM's unit of work, which
    costs several times more per row, because a merge of hundreds of files inserts whole
    declarations. The rows are not in the session and no ORM events fire for them.
    """
    order: tuple[type[SyncedRow], ...] = (
        Declaration,
        BudgetProject,  # before item targets, which name their project
        DisbursementCheckpoint,
        Indicator,
        KeyTask,
        ItemTarget,
        ItemTargetStatement,
        FindingExplanation,
        PrintRecord,
        TargetAdjustment,
    )
    collected = _CollectedRows(order)
    collected.collect(Declaration, data, "declarations[0]", None, "", 0)
    ids: dict[str, int] = {}
    for cls in order:
        values = [{**v, fk: ids[p]} if p is not None else v for v, p, fk in collected.rows[cls]]
        if not values:
            continue
        if cls is ItemTarget:
            _link_budget_projects(values, collected.links, ids)
        table = cls.__table__  # type: ignore[attr-defined]  # row classes are typed type[Base], no __table__
        new_ids = (
            session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), values
            )
            .scalars()
            .all()
        )
        ids.update({row["uuid"]: id_ for row, id_ in zip(values, new_ids, strict=True)})


class _CollectedRows:
    """The rows of one JSON-form declaration for ``insert_declaration``, checked and
    gathered table by table: ``rows[cls]`` holds (column values, the parent's UUID or None,
    the parent's foreign-key column) in the JSON form's order; ``links`` each item target's
    UUID → (the UUID of the budget project it names, its place in the JSON form)."""

    def __init__(self, order: tuple[type[SyncedRow], ...]) -> None:
        self.loader = _Loader()
        self.rows: dict[type[SyncedRow], list[tuple[dict[str, Any], str | None, str]]] = {
            cls: [] for cls in order
        }
        self.links: dict[str, tuple[str, str]] = {}

    def collect(
        self, cls: type[SyncedRow], item: Any, where: str, parent: str | None, fk: str, index: int
    ) -> None:
        """Gather ``item`` (a row of ``cls`` at ``where`` in the JSON form, number ``index``
        under its ``parent``) and every row it owns.

        Raises ``InterchangeError`` naming the place of a value that is not an object or
        that ``_Loader.values`` refuses."""
        if not isinstance(item, dict):
            raise InterchangeError(f"{spoken_place(where)}应为对象。")
        values = self.loader.values(cls, item, where)
        if "position" in cls.__table__.c:  # type: ignore[attr-defined]  # row classes are typed type[Base], no __table__
            values["position"] = index
        self.rows[cls].append((values, parent, fk))
        if cls is ItemTarget:
            link = item.get("budget_project_uuid")
            if link is not None:
                self.links[values["uuid"]] = (
                    self.loader._typed(item, "budget_project_uuid", str, where),
                    where,
                )
        for name, child_cls in owned_collections(cls).items():
            ((_, remote),) = inspect(cls).relationships[name].local_remote_pairs
            for n, child in enumerate(self.loader.children(item, name, where)):
                self.collect(
                    child_cls, child, f"{where}.{name}[{n}]", values["uuid"], remote.key, n
                )


def _link_budget_projects(
    values: list[dict[str, Any]], links: dict[str, tuple[str, str]], ids: dict[str, int]
) -> None:
    """Set ``budget_project_id`` of each item target in ``values`` (column values) to the
    id of the budget project it names (``links``: ``_CollectedRows.links``; ``ids``: the
    inserted rows' UUID → id), None when it names none.

    Raises ``InterchangeError`` naming the place of a link to a budget project that is not
    in the declaration."""
    for row in values:
        project, where = links.get(row["uuid"], (None, ""))
        if project is not None and project not in ids:
            raise InterchangeError(
                f"{spoken_place(where, 'budget_project_uuid')}指向不存在的预算项目。"
            )
        row["budget_project_id"] = ids.get(project) if project else None


def time_text(value: datetime) -> str:
    """A time as the JSON form writes it (UTC, ISO 8601 with microseconds and ``Z``)."""
    utc = value.astimezone(UTC)
    if utc.year >= 1000:  # the same text as strftime, several times faster (fingerprints)
        return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return utc.strftime(_TIME_FORMAT)


def time_value(text: str) -> datetime:
    """The time (UTC) that ``time_text`` wrote as ``text``; ``ValueError`` for another text."""
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


def load_declarations(document: Any) -> list[Declaration]:
    """New, unsaved ``Declaration`` objects (with all their rows) from a JSON document.

    Raises ``InterchangeError`` with a Chinese message naming the place when the
    document is not of this format, of a newer version, or has a missing or mistyped
    field, an invalid amount or time, a duplicate UUID, a link to an unknown project or a
    control character in a text (texts are input: ``domains.input_text``).
    """
    if isinstance(document, dict) and isinstance(document.get("declarations"), list):
        document = {**document, "declarations": list(document["declarations"])}  # kept whole
    return list(iter_declarations(document))


def iter_declarations(document: Any) -> Iterator[Declaration]:
    """``load_declarations`` one declaration at a time: each unit's JSON object is taken out
    of ``document`` (its place set to None) as its rows are built, so that a big file is
    not held twice. Links between item targets and projects are set after the last one;
    raises ``InterchangeError`` as ``load_declarations`` does, at the unit that is wrong
    (the caller writes nothing then: a document is created whole or not at all)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InterchangeError("这不是绩效目标数据文件（JSON 格式标记不符）。")
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise InterchangeError(
            f"数据文件的格式版本为 {version!r}，本程序只认识到版本 {VERSION}。请升级程序。"
        )
    items = document.get("declarations")
    if not isinstance(items, list):
        raise InterchangeError("数据文件缺少 declarations 列表。")
    if not items:
        raise InterchangeError("数据文件中没有任何单位的绩效目标（declarations 为空）。")
    loader = _Loader(from_outside=True)
    for index in range(len(items)):
        item, items[index] = items[index], None
        yield loader.row(Declaration, item, f"declarations[{index}]")
    loader.link_budget_projects()


#: Owned lists a later schema added (6: 目标调整): absent from an older program's document.
_LATER_LISTS = ("target_adjustments",)
#: Fields a later schema added (5: an indicator's 方向 and 分值; 6: the stages') -> the
#: empty value they take when a document of an older program leaves them out.
_OPTIONAL: dict[str, Any] = {"direction": "", "weight": None, **EMPTY_VALUES}


class _Loader:
    """Builds rows from JSON objects, remembering UUIDs to check uniqueness and links."""

    def __init__(self, *, from_outside: bool = False) -> None:
        #: texts are input (``domains.input_text``): a JSON file, not this program's rows
        #: (a copy, an undo or a roll-over of a file that already holds a control character)
        self.from_outside = from_outside
        self.seen: set[str] = set()
        self.projects: dict[str, BudgetProject] = {}
        self.links: list[tuple[ItemTarget, str, str]] = []

    def row(self, cls: type[RowT], data: Any, where: str) -> RowT:
        if not isinstance(data, dict):
            raise InterchangeError(f"{spoken_place(where)}应为对象。")
        row = cls(**self.values(cls, data, where))
        for name, child_cls in owned_collections(cls).items():
            children = self.children(data, name, where)
            setattr(
                row,
                name,
                [
                    self.row(child_cls, child, f"{where}.{name}[{index}]")
                    for index, child in enumerate(children)
                ],
            )
        if isinstance(row, BudgetProject):
            self.projects[row.uuid] = row
        if isinstance(row, ItemTarget):
            link = data.get("budget_project_uuid")
            if link is not None:
                self.links.append(
                    (row, self._typed(data, "budget_project_uuid", str, where), where)
                )
        return row

    def values(self, cls: type[SyncedRow], data: dict[str, Any], where: str) -> dict[str, Any]:
        """The checked column values of one row: identity, time and fields (no lists)."""
        values = {
            "uuid": self._uuid(data, where),
            "modified_at": self._time(data, where, "modified_at"),
        }
        table = cls.__tablename__  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
        for name, kind in content_fields(cls).items():
            if cls is Indicator and name in DERIVED_FIELDS:
                continue  # read from the 指标值 below: the text is their source
            if name in _OPTIONAL and name not in data:
                values[name] = _OPTIONAL[name]  # a document of an older program
            elif kind is Decimal:
                values[name] = self._decimal(data, name, where)
            elif kind is datetime:
                values[name] = self._time(data, where, name)
            elif data.get(name) is None and not field_domain(table, name).required:
                values[name] = None  # an empty number (截至月份)
            else:
                values[name] = self._plain(data, name, kind, table, where)
        if cls is Indicator:
            values.update(read_structured(str(values["target_value"])).fields())
        return values

    def _plain(self, data: dict[str, Any], name: str, kind: type, table: str, where: str) -> Any:
        """A text or integer field, checked against its domain as the file check does."""
        value = self._typed(data, name, kind, where)
        if self.from_outside and isinstance(value, str):
            try:
                value = input_text(value)
            except ValueError as exc:
                raise InterchangeError(f"{spoken_place(where, name)}{exc}。") from exc
        problem = field_domain(table, name).problem(value)
        if problem is not None:
            raise InterchangeError(f"{spoken_place(where, name)}{problem}。")
        return value

    def children(self, data: dict[str, Any], name: str, where: str) -> list[Any]:
        """The owned list ``name`` of a row's JSON object: a list, or none at all in a
        document of an older program for a list a later schema added (``_LATER_LISTS``)."""
        if name in _LATER_LISTS and name not in data:
            return []
        children: list[Any] = self._typed(data, name, list, where)
        return children

    def link_budget_projects(self) -> None:
        for item_target, project_uuid, where in self.links:
            project = self.projects.get(project_uuid)
            if project is None:
                raise InterchangeError(
                    f"{spoken_place(where, 'budget_project_uuid')}指向不存在的预算项目。"
                )
            item_target.budget_project = project

    def _typed(self, data: dict[str, Any], name: str, kind: type, where: str) -> Any:
        value = data.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InterchangeError(f"{spoken_place(where, name)}缺失或类型不对。")
        return value

    def _decimal(self, data: dict[str, Any], name: str, where: str) -> Decimal | None:
        value = data.get(name)
        if value is None:
            return None
        number = canonical_decimal(value) if isinstance(value, str) else None
        if number is None:
            raise InterchangeError(
                f"{spoken_place(where, name)}不是有效的金额或百分比：{value!r}"
                '（应为写成文字的十进制数，如 "184.00"）。'
            )
        return number

    def _uuid(self, data: dict[str, Any], where: str) -> str:
        value: str = self._typed(data, "uuid", str, where)
        if field_domain("indicator", "uuid").problem(value) is not None or value in self.seen:
            raise InterchangeError(f"{spoken_place(where, 'uuid')}无效或重复：{value[:40]!r}。")
        self.seen.add(value)
        return value

    def _time(self, data: dict[str, Any], where: str, name: str) -> datetime:
        value = self._typed(data, name, str, where)
        try:
            return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise InterchangeError(
                f"{spoken_place(where, name)}不是有效的时间：{value!r}。"
            ) from None


def is_content(key: str, value: Any) -> bool:
    """Whether a key of the JSON form belongs to a row's content as the fingerprint and
    the merge history (storage/history.py) hash it: not an indicator's fields read from
    its 指标值 (the text is hashed), not its 方向 and 分值 while they hold their default
    (empty), and not a stage field at its empty value nor an empty list of 目标调整
    (``stages.EMPTY_VALUES``), so that a file's content is the same before and after
    schemas 5 and 6 added them."""
    if key in DERIVED_FIELDS or is_empty_stage_value(key, value):
        return False
    if key in _LATER_LISTS and value == []:
        return False
    return not (key in CHOSEN_FIELDS and value in ("", None))


def fingerprint(declaration: Declaration) -> str:
    """The content fingerprint of a declaration: SHA-256 (hex) of its canonical content.

    The canonical content is the JSON form of the declaration without row identities and
    modification times (UUIDs, ``modified_at``; a link to a budget project becomes its
    1-based position) and without review explanations and print records, which are not
    printed content, nor an indicator's fields read from its 指标值 or its 方向 and 分值 while
    empty (``is_content``: a file keeps its fingerprint through schema 5). So the
    fingerprint is the same for the same content however the file was saved, copied or
    merged, and changes with any printed character. Source: DESIGN.md, Content fingerprint.
    """
    import hashlib

    positions = {p.uuid: n for n, p in enumerate(declaration.budget_projects, start=1)}
    canonical = json.dumps(
        _canonical_row(declaration, positions),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


#: Owned lists that are not printed content (left out of the fingerprint).
_NOT_FINGERPRINTED = ("finding_explanations", "print_records")


def _canonical_row(row: SyncedRow, positions: dict[str, int]) -> dict[str, Any]:
    """``row`` as ``fingerprint`` hashes it: ``_dump_row`` without UUIDs, times, the lists
    of ``_NOT_FINGERPRINTED`` and what ``is_content`` leaves out (an indicator's fields read
    from its 指标值, 方向 and 分值 while empty), a project link as the project's position
    (``positions``).
    Built in one pass (the re-check after every edit computes it: docs/benchmarks.md)."""
    out: dict[str, Any] = {}
    for name, kind in content_fields(type(row)).items():
        value = getattr(row, name)
        if kind is Decimal and value is not None:
            value = str(value)
        elif kind is datetime:
            value = time_text(value)
        if is_content(name, value):
            out[name] = value
    if isinstance(row, ItemTarget):
        project = row.budget_project
        out["budget_project"] = positions.get(project.uuid) if project is not None else None
    for name in owned_collections(type(row)):
        if name in _NOT_FINGERPRINTED:
            continue
        children = [_canonical_row(child, positions) for child in getattr(row, name)]
        if is_content(name, children):  # no empty list of 目标调整
            out[name] = children
    return out


def short_fingerprint(full: str) -> str:
    """The form printed on each page and shown in the status bar: 8 hex digits, ``1A2B-3C4D``."""
    return f"{full[:4]}-{full[4:8]}".upper()
