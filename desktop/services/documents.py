"""Whole-document use cases: the sample, JSON import/export, loading a declaration to show.

Must not import Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from desktop import paths
from desktop.models import (
    BudgetProject,
    Declaration,
    ItemTarget,
    KeyTask,
)
from desktop.models.base import SyncedRow, owned_collections
from desktop.models.declaration import blank_budget_project
from desktop.models.stages import ADDED_IN_SCHEMA_6, EMPTY_VALUES, EVALUATE
from desktop.models.values import normal_code
from desktop.services.errors import RowNotFoundError
from desktop.storage import interchange
from desktop.storage.collection import Collection
from desktop.storage.document import Document, create_document
from desktop.storage.errors import InterchangeError

RowT = TypeVar("RowT", bound=SyncedRow)


def read_json_file(path: Path | str) -> list[Declaration]:
    """Unsaved declarations from a JSON interchange file.

    Raises ``InterchangeError`` (Chinese message) when the file cannot be read, is not
    JSON or not of our format; ``OSError`` never escapes.
    """
    return interchange.load_declarations(read_json_data(path))


def read_json_data(path: Path | str) -> Any:
    """The parsed JSON document of an interchange file (its bytes and text let go as soon as
    parsed: a county's file is 170 MB of text). Raises ``InterchangeError`` as
    ``read_json_file`` does for a file that cannot be read or is not JSON."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InterchangeError(
            f"无法读取“{path}”，请确认文件存在、U盘已插好且有读取权限。"
        ) from exc
    try:
        text = raw.decode("utf-8-sig")  # Windows Notepad writes a byte-order mark
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            f"“{path.name}”不是 UTF-8 编码的文本（可能被另存为 GBK/ANSI，或文件不完整）。"
            "请用 UTF-8 编码保存后重试。"
        ) from exc
    del raw
    try:
        return interchange.parse_json(text)
    except InterchangeError as exc:
        raise InterchangeError(f"“{path.name}”{exc.message}") from exc


def create_from_json(json_path: Path | str, out_path: Path | str) -> Document:
    """Create the .jxdb file ``out_path`` holding the declarations of a JSON file.

    The declarations are built and added one after another, each unit's JSON form let go
    as its rows are made (``interchange.iter_declarations``): the document is not held
    twice. Raises ``InterchangeError`` for a bad JSON file (nothing is written; the message
    ends by saying so, naming ``out_path``) and ``DocumentFileError`` when ``out_path``
    cannot be written (an existing file there is left untouched).
    """
    out = Path(out_path)
    outcome = f"“{out.name}”未被改动" if out.exists() else f"没有写出“{out.name}”"
    try:
        data = read_json_data(json_path)
        declarations = interchange.iter_declarations(data)
        del data  # the generator holds it, and lets each unit go as it is built

        def populate(session: Session) -> None:
            for declaration in declarations:
                session.add(declaration)

        return create_document(out_path, populate=populate)
    except InterchangeError as exc:
        raise InterchangeError(f"{exc.message}{outcome}。") from exc


def write_sample(out_path: Path | str) -> Document:
    """Create ``out_path`` holding the built-in sample (乐亭县机关事务中心, 2022)."""
    return create_from_json(paths.sample_json(), out_path)


#: the order of declarations in a file: fiscal year, unit code, then as added
_FILE_ORDER = (Declaration.fiscal_year, Declaration.unit_code, Declaration.id)


def load_declarations(session: Session) -> list[Declaration]:
    """Every declaration of the file with all its rows loaded, ordered by fiscal year and unit.

    Call inside ``Document.session()``; with ``expire_on_commit=False`` the objects stay
    readable after the session ends (for printing and display, not for writing).
    """
    statement = (
        select(Declaration)
        .order_by(*_FILE_ORDER)
        .options(*_load_everything(Declaration), selectinload(Declaration.pending_inputs))
    )
    return list(session.scalars(statement))


def load_declaration(
    session: Session, declaration_uuid: str = "", *, project_rows: bool = True
) -> Declaration | None:
    """One declaration with its rows loaded: the one ``declaration_uuid`` names, or the
    file's first (by fiscal year, unit code) when it is empty or not in the file; None
    for a file with no declaration. Reads only that declaration's rows, however many units
    the file holds (a county's 汇总 file); without ``project_rows`` its budget projects
    come without their indicators and checkpoints (the window loads a project's rows when
    it shows the project: ``load_row``). Call inside ``Document.session()``."""
    options: list[_AbstractLoad] = [selectinload(Declaration.pending_inputs)]
    if project_rows:
        options += _load_everything(Declaration)
    else:
        for name, child in owned_collections(Declaration).items():
            load = selectinload(getattr(Declaration, name))
            options.append(load)
            if child is not BudgetProject:
                options += [load.options(option) for option in _load_everything(child)]
    if declaration_uuid:
        found = session.scalars(
            select(Declaration).where(Declaration.uuid == declaration_uuid).options(*options)
        ).first()
        if found is not None:
            return found
    statement = select(Declaration).order_by(*_FILE_ORDER).limit(1).options(*options)
    return session.scalars(statement).first()


def each_declaration(
    document: Document | Collection, declaration_uuid: str | None = None
) -> Iterator[Declaration]:
    """Every declaration of ``document`` in file order (or only the one ``declaration_uuid``
    names; none when it is not there), each with all its rows loaded, one at a time: the
    next is read when the caller has used the previous one, which is then let go. So a
    collection of thousands of units (storage/collection.py) is read in the memory of
    one. Use each declaration inside the loop: the session ends with the iteration.

    A collection reads ``units_per_read`` units (25) with each set of queries, a file one:
    every query to a PostgreSQL server is a round trip to another process, and with a
    unit's eleven queries those, not the rows, were most of a collection's summary on a
    busy PC (docs/benchmarks.md, "The collection's summary")."""
    batch = max(1, document.units_per_read)
    with document.session() as session:
        if declaration_uuid is None:
            uuids = [uuid for uuid, _ in declaration_names(session)]
        else:
            uuids = [declaration_uuid]
        for start in range(0, len(uuids), batch):
            chunk = uuids[start : start + batch]
            statement = select(Declaration).where(Declaration.uuid.in_(chunk))
            found = {
                d.uuid: d
                for d in session.scalars(
                    statement.options(
                        selectinload(Declaration.pending_inputs), *_load_everything(Declaration)
                    )
                )
            }
            for uuid in chunk:
                if uuid in found:
                    yield found.pop(uuid)
            session.expunge_all()


def load_row(session: Session, row_type: type[RowT], row_uuid: str) -> RowT:
    """One row with everything it owns loaded (e.g. the budget project the window shows),
    read-only after the session ends. Raises ``RowNotFoundError`` when it is gone."""
    statement = (
        select(row_type).where(row_type.uuid == row_uuid).options(*_load_everything(row_type))
    )
    row = session.scalars(statement).first()
    if row is None:
        raise RowNotFoundError
    return row


class ProjectEntry(NamedTuple):
    """A budget project as lists show it: no rows below it. ``budget_amount`` in 万元."""

    uuid: str
    code: str
    name: str
    budget_amount: Decimal | None


def budget_project_entries(session: Session, declaration_uuid: str) -> list[ProjectEntry]:
    """The budget projects of a declaration, in order, read without their rows."""
    statement = (
        select(
            BudgetProject.uuid, BudgetProject.code, BudgetProject.name, BudgetProject.budget_amount
        )
        .join(Declaration, BudgetProject.declaration_id == Declaration.id)
        .where(Declaration.uuid == declaration_uuid)
        .order_by(BudgetProject.position)
    )
    return [ProjectEntry(*row) for row in session.execute(statement)]


def declaration_names(session: Session) -> list[tuple[str, str]]:
    """(uuid, label as ``declaration_label`` words it) of every declaration, in file order
    (fiscal year, unit code); reads the names only, no rows below them."""
    statement = select(
        Declaration.uuid, Declaration.unit_code, Declaration.unit_name, Declaration.fiscal_year
    ).order_by(*_FILE_ORDER)
    return [
        (uuid, _label(code, name, year)) for uuid, code, name, year in session.execute(statement)
    ]


def imported_texts(row: SyncedRow, what: str) -> None:
    """Make the texts of an imported ``row`` and its owned rows as typed text is stored
    (``domains.input_text``: Word's line and page breaks become line breaks), in place.
    Raises ``ValueError`` (Chinese, naming the place in ``what``, e.g. Excel 表格) for
    another control character; the caller writes nothing then."""
    from desktop.models.domains import input_text
    from desktop.models.labels import FIELD_LABELS, row_place

    rows: list[SyncedRow] = [row]
    while rows:
        current = rows.pop(0)
        for field, label in FIELD_LABELS.get(type(current), {}).items():
            value = getattr(current, field)
            if isinstance(value, str):
                try:
                    setattr(current, field, input_text(value))
                except ValueError as exc:
                    raise ValueError(
                        f"{what}中{row_place(current)}的“{label}”{exc}，未导入。"
                        f"请在{what}中删去后再导入。"
                    ) from exc
        for collection in owned_collections(type(current)):
            rows += getattr(current, collection)


def refuse_control_characters(declaration: Declaration, out_path: Path, what: str) -> None:
    """Raise ``DocumentFileError`` naming the first text of ``declaration`` holding a
    control character (``domains.CONTROL_CHARACTERS``: no .docx or .xlsx can hold one),
    before anything of the ``what`` (Excel 表格, Word 文档) is written. The review lists
    each such text as an 错误 (rule values.control)."""
    from desktop.review.rules import no_control_characters
    from desktop.storage.errors import DocumentFileError

    found = list(no_control_characters(declaration))
    if found:
        more = f"（共 {len(found)} 处，审核中逐一列出）" if len(found) > 1 else ""
        raise DocumentFileError(
            out_path,
            f"无法导出{what}：{found[0].location.place}{found[0].message.rstrip('。')}{more}。"
            f"{what}中不能有这些字符；请在本程序中改正后再导出。没有写出文件。",
        )


def declaration_label(declaration: Declaration) -> str:
    """How the clerk tells declarations apart: 507002 乐亭县机关事务中心 2022年度."""
    return _label(declaration.unit_code, declaration.unit_name, declaration.fiscal_year)


def _label(unit_code: str, unit_name: str, fiscal_year: int) -> str:
    return f"{unit_code} {unit_name} {fiscal_year}年度".strip()


def declaration_choices(document: Document | Collection) -> list[tuple[str, str]]:
    """(uuid, label) of every declaration in the file, in file order (year, unit code)."""
    with document.session() as session:
        return declaration_names(session)


def _load_everything(cls: type[SyncedRow]) -> list[_AbstractLoad]:
    """selectinload options for every owned list below ``cls`` (and item targets' project)."""
    options: list[_AbstractLoad] = []
    for name, child in owned_collections(cls).items():
        load = selectinload(getattr(cls, name))
        options.append(load)
        options += [load.options(option) for option in _load_everything(child)]
    if cls is ItemTarget:
        options.append(selectinload(ItemTarget.budget_project))
    return options


def export_json_text(document: Document) -> str:
    """The canonical JSON text of every declaration in ``document``."""
    with document.session() as session:
        return interchange.to_json_text(interchange.dump_declarations(load_declarations(session)))


def blank_declaration(
    fiscal_year: int, *, unit_code: str = "", unit_name: str = "", profile: str = "county"
) -> Declaration:
    """A declaration laid out like the blank form: one key task, one item target and one
    budget project with the four checkpoints and the template's indicator rows, all empty.
    """
    project = blank_budget_project()
    return Declaration(
        fiscal_year=fiscal_year,
        unit_code=normal_code(unit_code),
        unit_name=unit_name,
        profile=profile,
        key_tasks=[KeyTask()],
        item_targets=[ItemTarget(budget_project=project)],
        budget_projects=[project],
    )


def create_blank(
    out_path: Path | str,
    *,
    fiscal_year: int,
    unit_code: str = "",
    unit_name: str = "",
    profile: str = "county",
) -> Document:
    """Create ``out_path`` holding a blank declaration for ``fiscal_year`` (文件 → 新建)."""
    declaration = blank_declaration(
        fiscal_year, unit_code=unit_code, unit_name=unit_name, profile=profile
    )
    return create_document(out_path, populate=lambda session: session.add(declaration))


def roll_over(
    document: Document, out_path: Path | str, *, declaration_uuid: str, keep_amounts: bool
) -> Document:
    """从上年复制: next year's declaration from the declaration ``declaration_uuid`` of
    ``document`` (in a file of 汇总, the unit shown — not the file's first), in the new
    file ``out_path``.

    Texts and indicators are copied (new UUIDs and modification times: it is a new
    declaration); the fiscal year
    and year-bound values move on a year ("2022年12月底" → "2023年12月底", "2022." →
    "2023."); amounts are kept or cleared (``keep_amounts``); review explanations and print
    records stay with the old year. The new year starts at 申报 (``_new_year_stage``): each
    indicator's 上年实际 is last year's 实际完成值 as typed when last year reached 自评
    (else empty), and the monitoring and self-evaluation fields and the 目标调整 stay with
    the old year. Raises ``RowNotFoundError`` (Chinese) when the declaration is not in
    ``document`` (nothing is written) and ``DocumentFileError`` when ``out_path`` cannot
    be written.
    """
    with document.session() as session:
        chosen = load_declaration(session, declaration_uuid)
        if chosen is None or chosen.uuid != declaration_uuid:
            raise RowNotFoundError(
                "要复制的单位绩效目标不在此文件中（可能已被删除或合并），"
                "请在“单位”中重新选择后再从上年复制。"
            )
        data = interchange.dump_row(chosen)
    year = int(data["fiscal_year"])
    data = _new_year_stage(data)
    data = _stamped_now(interchange.renew_uuids(_move_years(data, year)))
    data["fiscal_year"] = year + 1
    data["finding_explanations"], data["print_records"] = [], []
    if not keep_amounts:
        data = _clear_amounts(data)
    declaration = interchange.load_row(Declaration, data, {})
    return create_document(out_path, populate=lambda session: session.add(declaration))


_AMOUNTS = {"total_budget", "budget", "budget_amount", "fiscal_funds", "other_funds"}
#: Keys whose values a roll-over keeps as they were: identities, times and 上年实际
#: (last year's 实际完成值 "2022年11月底" is a date of last year).
_NOT_MOVED = ("uuid", "modified_at", "previous_actual")


def _new_year_stage(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a declaration ``data`` at the start of a new year: at 申报, every
    stage field empty (``stages.EMPTY_VALUES``), no 目标调整, and each indicator's 上年实际
    (``previous_actual``) its 实际完成值 when ``data`` reached 自评, else empty.
    Source: issue #20 item 7 (several provinces' forms print 上年实际 beside the targets)."""
    evaluated = data.get("stage") == EVALUATE

    def emptied(row: dict[str, Any], table: str) -> dict[str, Any]:
        return {**row, **{name: EMPTY_VALUES[name] for name in ADDED_IN_SCHEMA_6[table]}}

    projects = []
    for project in data["budget_projects"]:
        indicators = [
            {
                **emptied(indicator, "indicator"),
                "previous_actual": indicator.get("actual_value", "") if evaluated else "",
            }
            for indicator in project["indicators"]
        ]
        projects.append({**emptied(project, "budget_project"), "indicators": indicators})
    return {
        **emptied(data, "declaration"),
        "budget_projects": projects,
        "target_adjustments": [],
    }


def _move_years(data: Any, year: int) -> Any:
    if isinstance(data, dict):
        return {k: v if k in _NOT_MOVED else _move_years(v, year) for k, v in data.items()}
    if isinstance(data, list):
        return [_move_years(item, year) for item in data]
    if isinstance(data, str):
        return re.sub(rf"(?<![0-9]){year}(?=年|\.|/|-)", str(year + 1), data)
    return data


def _stamped_now(data: Any) -> Any:
    """``data`` with every row's modification time set to now: the rows of a roll-over are
    new rows (new UUIDs), and last year's times would look like a clock set back in a
    merge (storage.merge.implausible_time)."""
    now = interchange.time_text(datetime.now(UTC))
    if isinstance(data, dict):
        return {k: now if k == "modified_at" else _stamped_now(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stamped_now(item) for item in data]
    return data


def _clear_amounts(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: None if k in _AMOUNTS else _clear_amounts(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_clear_amounts(item) for item in data]
    return data


def open_or_create_sample() -> Document:
    """Open the clerk's copy of the sample, writing it first if it does not exist yet."""
    from desktop.storage.document import open_document

    path = paths.sample_copy()
    return open_document(path) if path.exists() else write_sample(path)
