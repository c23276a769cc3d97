"""Synthetic declarations of any size with realistic Chinese text lengths."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from desktop.models import (
    BudgetProject,
    Declaration,
    DisbursementCheckpoint,
    Indicator,
    ItemTarget,
    ItemTargetStatement,
    KeyTask,
)
from desktop.models.vocabulary import DISBURSEMENT_CHECKPOINTS, TEMPLATE_INDICATOR_ROWS
from desktop.storage.document import create_document

SENTENCE = "主要用于全县机关事业单位公务用车北斗设备服务费用及平台软件运营技术支持，"


def synthetic_declaration(projects: int, indicators: int, unit: int = 1) -> Declaration:
    """A declaration of ``projects`` budget projects with ``indicators`` rows each.

    Texts are as long as in real tables (use of funds ~80 characters, target ~60,
    descriptions ~15); amounts add up and the plan ends at 100%, so review has real work.
    """
    budget_projects = []
    for p in range(projects):
        rows = [
            Indicator(
                level1=TEMPLATE_INDICATOR_ROWS[i % len(TEMPLATE_INDICATOR_ROWS)][0],
                level2=TEMPLATE_INDICATOR_ROWS[i % len(TEMPLATE_INDICATOR_ROWS)][1],
                level3=f"第{i + 1}项工作完成指标",
                description=f"按年初工作计划完成第{i + 1}项工作的情况",
                target_value=f"≥{90 + i % 10}%",
                basis="年初工作计划",
            )
            for i in range(indicators)
        ]
        rows.sort(key=lambda row: [r[0] for r in TEMPLATE_INDICATOR_ROWS].index(row.level1))
        budget_projects.append(
            BudgetProject(
                code=f"13022523P{p:03d}T40100{p % 10}J",
                name=f"第{p + 1}号专项工作经费",
                budget_amount=Decimal("12.50"),
                fiscal_funds=Decimal("12.50"),
                use_of_funds=SENTENCE * 2,
                performance_target="1.确保各项工作按时按质完成，服务对象满意度不低于95%。" * 2,
                disbursement_plan=[
                    DisbursementCheckpoint(label=label, cumulative_percent=Decimal(pct))
                    for label, pct in zip(DISBURSEMENT_CHECKPOINTS, (30, 60, 80, 100), strict=True)
                ],
                indicators=rows,
            )
        )
    return Declaration(
        unit_code=f"{507000 + unit}",
        unit_name=f"乐亭县第{unit}单位",
        fiscal_year=2023,
        total_budget=Decimal("12.50") * projects,
        special_projects_note="无专项项目",
        overall_target=SENTENCE * 4,
        safeguard_measures=SENTENCE * 6,
        key_tasks=[KeyTask(title=f"任务{k}", body=SENTENCE * 3) for k in range(3)],
        item_targets=[
            ItemTarget(
                title=project.name,
                budget=project.budget_amount,
                budget_project=project,
                statements=[
                    ItemTargetStatement(
                        level1=r.level1,
                        level2=r.level2,
                        text=f"{r.level3}：年度指标值{r.target_value}",
                    )
                    for r in project.indicators[:4]
                ],
            )
            for project in budget_projects[:5]
        ],
        budget_projects=budget_projects,
    )


def write_synthetic(path: Path, projects: int, indicators: int, unit: int = 1) -> Path:
    """Create the .jxdb file ``path`` holding one synthetic declaration."""
    create_document(
        path, populate=lambda s: s.add(synthetic_declaration(projects, indicators, unit))
    ).close()
    return path


#: The tables of one declaration, parents first, with their link to the parent row.
_UNIT_TABLES = (
    ("declaration", None),
    ("key_task", "declaration_id"),
    ("budget_project", "declaration_id"),
    ("disbursement_checkpoint", "budget_project_id"),
    ("indicator", "budget_project_id"),
    ("item_target", "declaration_id"),
    ("item_target_statement", "item_target_id"),
)


def write_county(path: Path, units: int = 300, projects: int = 50, indicators: int = 20) -> Path:
    """A county's 汇总 file: ``units`` declarations of ``projects`` × ``indicators`` each.

    One unit is made by the program (``write_synthetic``); the others are copies of its
    rows written straight into the file with sqlite3 (ids shifted, UUIDs made unique, unit
    code and name per unit), so that 300 × 50 × 20 takes seconds, not the ORM's minutes.
    """
    import sqlite3

    write_synthetic(path, projects, indicators)
    raw = sqlite3.connect(path)
    try:
        shift = 1 + max(
            raw.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            for table, _ in _UNIT_TABLES
        )
        raw.execute("BEGIN")
        for unit in range(2, units + 1):
            offset = (unit - 1) * shift
            for table, parent in _UNIT_TABLES:
                columns = [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
                values = []
                for column in columns:
                    if column == "id" or column == parent or column == "budget_project_id":
                        values.append(f"{column} + {offset}")
                    elif column == "uuid":  # 8-4-4-4-12: the last group names copy and row
                        values.append(f"substr(uuid, 1, 24) || printf('%012x', id + {offset})")
                    elif column == "unit_code":
                        values.append(f"'{507000 + unit}'")
                    elif column == "unit_name":
                        values.append(f"'乐亭县第{unit}单位'")
                    else:
                        values.append(column)
                raw.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {table} WHERE id < {shift}"
                )
        raw.execute("COMMIT")
    finally:
        raw.close()
    return path


def unit_copies(template: Path, folder: Path, count: int) -> list[Path]:
    """``count`` units' files as a finance bureau receives them, ``folder``/600001.jxdb …:
    copies of the closed file ``template``, each its own unit (code 600000 + N, name
    乐亭县第N单位, every row a new UUID; review explanations and content history left out),
    written with sqlite3 in milliseconds each, valid for ``check_file``."""
    import shutil
    import sqlite3
    import uuid

    folder.mkdir(parents=True, exist_ok=True)
    tables = [table for table, _ in _UNIT_TABLES] + ["print_record"]
    made = []
    for n in range(1, count + 1):
        path = folder / f"{600000 + n}.jxdb"
        shutil.copyfile(template, path)
        raw = sqlite3.connect(path)
        raw.create_function("new_uuid", 0, lambda: str(uuid.uuid4()))
        for table in tables:
            raw.execute(f"UPDATE {table} SET uuid = new_uuid()")
        raw.execute("DELETE FROM finding_explanation")
        raw.execute("DELETE FROM content_history")
        raw.execute(
            "UPDATE declaration SET unit_code = ?, unit_name = ?",
            (str(600000 + n), f"乐亭县第{n}单位"),
        )
        raw.commit()
        raw.close()
        made.append(path)
    return made
