"""Excel use cases (文件 → 导出Excel / 导入Excel, ``jixiao export-xlsx|import-xlsx``). No Qt.

The layout and the reading live in ``desktop.exchange.workbook`` and ``workbook_import``;
this module ties them to documents: which declaration, which budget project, one
transaction, files written safely.
"""

from __future__ import annotations

from pathlib import Path

from desktop.exchange.errors import WorkbookError
from desktop.exchange.headers import INDICATOR_FIELDS
from desktop.exchange.workbook import write_workbook
from desktop.exchange.workbook_import import ExportedWorkbook, IndicatorList, read_workbook
from desktop.models import BudgetProject, Declaration, Indicator
from desktop.models.base import SyncedRow, content_fields, owned_collections
from desktop.models.domains import MAX_LIST_ROWS, input_text
from desktop.models.labels import FIELD_LABELS, row_place
from desktop.services import structure
from desktop.services.documents import (
    imported_texts,
    load_declaration,
    load_declarations,
    refuse_control_characters,
)
from desktop.services.editing import Changes, RowChange, RowNotFoundError
from desktop.services.freezing import refuse_frozen_rows
from desktop.storage import interchange
from desktop.storage.collection import Collection
from desktop.storage.document import Document, create_document
from desktop.storage.errors import DocumentFileError, FileWriteError

__all__ = [
    "INDICATOR_FIELDS",
    "ExportedWorkbook",
    "IndicatorList",
    "WorkbookError",
    "append_indicators",
    "budget_project_choices",
    "create_from_workbook",
    "describe",
    "export_workbook",
    "has_only_blank_indicators",
    "read_workbook",
    "refuse_doubtful_replace",
]


def export_workbook(
    document: Document | Collection, out_path: Path | str, *, declaration_uuid: str | None = None
) -> int:
    """Write one declaration of ``document`` (``declaration_uuid``; the first when None) to
    the .xlsx ``out_path``; returns the number of sheets written.

    Raises ``FileWriteError`` when the file cannot be written (a file already there is
    left as it was) or a text is longer than an Excel cell holds (nothing is written: Excel
    programs would cut it), and ``RowNotFoundError`` when there is no such declaration.
    """
    out_path = Path(out_path)
    with document.session() as session:
        chosen = load_declaration(session, declaration_uuid or "")  # that one only
        if chosen is None or declaration_uuid not in (None, chosen.uuid):
            raise RowNotFoundError()
        _refuse_too_long(chosen, out_path)
        refuse_control_characters(chosen, out_path, "Excel 表格")
        try:
            write_workbook(chosen, out_path)
        except OSError as exc:
            raise FileWriteError.of(out_path, exc) from exc
        return 1 + len(chosen.budget_projects)


#: The most characters an Excel cell holds (Excel's specification; openpyxl cuts the rest).
EXCEL_CELL_LIMIT = 32767


def _refuse_too_long(declaration: Declaration, out_path: Path) -> None:
    """Raise ``DocumentFileError`` naming the first text of ``declaration`` (its rows and
    their child rows) longer than ``EXCEL_CELL_LIMIT``."""
    rows: list[SyncedRow] = [declaration]
    while rows:
        row = rows.pop(0)
        for field, kind in content_fields(type(row)).items():
            text = getattr(row, field)
            if kind is str and text and len(text) > EXCEL_CELL_LIMIT:
                label = FIELD_LABELS.get(type(row), {}).get(field, field)
                raise DocumentFileError(
                    out_path,
                    f"{row_place(row)}的“{label}”有 {len(text)} 个字，超过 Excel 单元格最多"
                    f" {EXCEL_CELL_LIMIT} 个字的上限，导出会把它截断。请缩短后再导出Excel"
                    "（打印和 PDF 不受此限）。没有写出文件。",
                )
        for collection in owned_collections(type(row)):
            rows += getattr(row, collection)


def create_from_workbook(content: ExportedWorkbook, out_path: Path | str) -> Document:
    """Create the .jxdb file ``out_path`` holding a workbook's declaration (the declaration
    and the projects keep the identities the export recorded; every other row is new).

    Raises ``DocumentFileError`` when ``out_path`` cannot be written (a file there is left
    untouched).
    """
    try:
        imported_texts(content.declaration, "Excel 表格")
    except ValueError as exc:
        raise WorkbookError(str(exc)) from exc
    return create_document(out_path, populate=lambda session: session.add(content.declaration))


def append_indicators(
    document: Document,
    *,
    budget_project_uuid: str,
    indicators: IndicatorList,
    replace: bool = False,
) -> Changes:
    """Add the rows of an indicator list to a budget project's indicators (``replace``:
    instead of them), each with the rows of its 一级指标 (``place_by_level1``), in one
    transaction (all or none); returns the Changes (the rows added are its ``inserted``).
    The window (导入Excel) and ``jixiao import-xlsx --into`` both call this.

    Raises ``RowNotFoundError`` when the budget project is not in the file, and
    ``WorkbookError`` (nothing written) for ``replace`` with a list that has doubts (signs
    of a misread header, ``IndicatorList.doubts``) or no rows: a project's indicators are
    never replaced by rows that may be misread, or when the project would have more than
    ``domains.MAX_LIST_ROWS`` indicators (a file the check of its contents would refuse),
    and ``FrozenTargetError`` past 申报 (the declared indicators are frozen).
    """
    if replace:
        refuse_doubtful_replace(indicators)
    for number, row in enumerate(indicators.indicators, start=1):
        for field, text in row.items():
            try:
                row[field] = input_text(text)
            except ValueError as exc:
                label = FIELD_LABELS[Indicator].get(field, field)
                raise WorkbookError(
                    f"表格中第{number}行指标的“{label}”{exc}，未导入。请在表格中删去后再导入。"
                ) from exc
    with document.session() as session:
        project = session.query(BudgetProject).filter_by(uuid=budget_project_uuid).one_or_none()
        if project is None:
            raise RowNotFoundError()
        refuse_frozen_rows(session, Indicator, project.uuid)
        existing = [indicator.level1 for indicator in project.indicators]
        removed = tuple(  # each from the top of the list as it then is
            RowChange(Indicator, indicator.uuid, project.uuid, 0, interchange.dump_row(indicator))
            for indicator in (project.indicators if replace else [])
        )
    if replace:
        existing = []
    if len(existing) + len(indicators.indicators) > MAX_LIST_ROWS:  # the file check's bound
        raise WorkbookError(
            f"导入后这个预算项目将有 {len(existing) + len(indicators.indicators)} 行指标，"
            f"超过了每个项目 {MAX_LIST_ROWS} 行的上限，未导入。请检查是否选错了表格，"
            "或把指标分到几个预算项目中。"
        )
    inserted = []
    for at, rows in place_by_level1(existing, indicators.indicators):
        for offset, values in enumerate(rows):
            indicator = Indicator(**values)
            inserted.append(
                RowChange(
                    Indicator,
                    indicator.uuid,
                    budget_project_uuid,
                    at + offset,
                    interchange.dump_row(indicator),
                )
            )
    return structure.apply_changes(document, Changes(inserted=tuple(inserted), removed=removed))


def refuse_doubtful_replace(indicators: IndicatorList) -> None:
    """Raise ``WorkbookError`` when an indicator list must not replace a project's
    indicators: it has no rows, or its rows may be misread (``doubts``)."""
    if not indicators.indicators:
        raise WorkbookError("要导入的指标清单没有任何指标，未替换原有指标。")
    if indicators.doubts:
        raise WorkbookError(
            "导入预览中有需要核对的行（表头可能没有读对），为免用读错的内容替换原有指标，"
            "未替换。请检查工作表的表头（一级指标、二级指标、三级指标、指标值等）后重试；"
            "也可以不替换、追加导入后再删去不要的行。"
        )


def place_by_level1(
    existing: list[str], imported: list[dict[str, str]]
) -> list[tuple[int, list[dict[str, str]]]]:
    """Where imported indicator rows go among a project's rows whose 一级指标 are
    ``existing``, so that the rows of one 一级指标 stay together as on the form (the grid
    and the print merge them): after the last row with the same 一级指标, or at the end.

    Returns (0-based index in the list as it is when that insertion is made, rows), to be
    applied in order; the imported rows keep their order within each 一级指标.
    """
    groups: dict[str, list[dict[str, str]]] = {}
    for row in imported:
        groups.setdefault(row["level1"], []).append(row)
    current = list(existing)
    placed = []
    for level1, rows in groups.items():
        same = [index for index, name in enumerate(current) if level1 and name == level1]
        at = same[-1] + 1 if same else len(current)
        placed.append((at, rows))
        current[at:at] = [level1] * len(rows)
    return placed


def has_only_blank_indicators(document: Document, budget_project_uuid: str) -> bool:
    """True when the project has indicators and every one is still a blank template row
    (nothing but 一级/二级指标 filled in, as a new project comes): an imported list should
    then take their place rather than follow them."""
    with document.session() as session:
        project = session.query(BudgetProject).filter_by(uuid=budget_project_uuid).one_or_none()
        rows = list(project.indicators) if project is not None else []
        return bool(rows) and not any(
            i.level3 or i.description or i.target_value or i.basis for i in rows
        )


def budget_project_choices(
    document: Document, declaration_uuid: str | None = None
) -> list[tuple[str, str]]:
    """(uuid, 1.name) of every budget project of a declaration (``declaration_uuid``; the
    first when None), in order; empty when there is no such declaration."""
    with document.session() as session:
        declarations = load_declarations(session)
        chosen = next((d for d in declarations if declaration_uuid in (None, d.uuid)), None)
        if chosen is None:
            return []
        return [
            (project.uuid, f"{number}.{project.name or '（未命名项目）'}")
            for number, project in enumerate(chosen.budget_projects, start=1)
        ]


def describe(content: ExportedWorkbook | IndicatorList, *, with_rows: bool = True) -> list[str]:
    """The import preview as lines for the clerk: what will be imported (every field of
    every row, as it will be written), the columns not imported, the values written in
    another form than their cells show, signs of a misread header, then what is skipped
    and why (the same text in the dialog and in the CLI). ``with_rows=False`` leaves out
    the imported indicator rows (the dialog shows them as a table)."""
    if isinstance(content, ExportedWorkbook):
        d = content.declaration
        lines = [
            f"本程序导出的工作簿：{d.unit_code}{d.unit_name} {d.fiscal_year}年度",
            f"年度主要任务 {len(d.key_tasks)} 项，分项绩效目标 {len(d.item_targets)} 项，"
            f"预算项目 {len(d.budget_projects)} 个：",
        ]
        lines += [
            f"  {n}.{p.name}：绩效指标 {len(p.indicators)} 条"
            for n, p in enumerate(d.budget_projects, start=1)
        ]
        if content.changes:
            lines.append(f"改变了写法的值 {len(content.changes)} 处（单元格显示 → 导入）：")
            lines += [f"  {change}" for change in content.changes]
    else:
        headers = "、".join(" ".join(text.split()) for text in content.columns.values())
        lines = [f"指标清单：工作表“{content.sheet}”，识别的列：{headers}"]
        if content.ignored:
            lines.append(
                f"未导入的列：{'、'.join(content.ignored)}（其中的内容不会导入；"
                "如果某列才是要导入的，请把它的表头改为“指标值”等标准名称后重试）"
            )
        lines.append(
            f"将导入 {len(content.indicators)} 条指标" + ("：" if with_rows else "（见上表）。")
        )
        if with_rows:
            lines += [
                f"  第 {row} 行：" + " | ".join(i[name] or "（空）" for name in INDICATOR_FIELDS)
                for row, i in zip(content.rows, content.indicators, strict=True)
            ]
        without = [
            str(row)
            for row, i in zip(content.rows, content.indicators, strict=True)
            if not i["level1"]
        ]
        if without:
            lines.append(
                f"提醒：第 {'、'.join(without)} 行没有一级指标，"
                "导入后请在表格中补上（审核也会指出）。"
            )
        if content.changes:
            lines.append(f"改变了写法的值 {len(content.changes)} 处（单元格显示 → 导入）：")
            lines += [f"  {change}" for change in content.changes]
        if content.doubts:
            lines.append("请核对（表头可能没有读对，这时不能替换原有指标）：")
            lines += [f"  {doubt}" for doubt in content.doubts]
    if content.skipped:
        lines.append(f"跳过 {len(content.skipped)} 行：")
        lines += [f"  {skipped}" for skipped in content.skipped]
    return lines
