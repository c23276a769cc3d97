"""The words of a damaged part (desktop/content_words.py) for the places and problems the
hostile files do not reach: each is the Chinese storage/validation.py wrote before it
reported typed parts."""

from __future__ import annotations

from desktop.content_words import part_words, place_words
from desktop.storage.reasons import (
    ContentProblem,
    DamagedPart,
    RowStep,
    StepKind,
    ValuePlace,
)

_SOLE = RowStep("declaration", StepKind.SOLE_UNIT)


def _counted(table: str, number: int) -> RowStep:
    return RowStep(table, StepKind.COUNTED, number)


def test_place_leaves_out_the_sole_unit_above_a_row() -> None:
    steps = (_SOLE, _counted("budget_project", 2), _counted("indicator", 3))
    assert place_words(steps) == "第2个预算项目的第3行指标"
    assert place_words((_SOLE,)) == "部门整体"
    assert place_words((_counted("declaration", 2), _counted("key_task", 1))) == (
        "第2个单位的第1项年度主要任务"
    )


def test_places_not_counted() -> None:
    assert place_words((RowStep("indicator", StepKind.ORPHAN),)) == "某指标"
    assert place_words((RowStep("budget_project", StepKind.ORPHAN),)) == "某预算项目"
    assert place_words((RowStep("declaration", StepKind.UNCOUNTED),)) == "某个单位"
    assert place_words((RowStep("edit_lock", StepKind.RECORD),)) == "编辑锁定记录"
    unreadable = (RowStep("pending_input", StepKind.UNREADABLE),)
    assert place_words(unreadable) == "表 pending_input 中的一行"


def test_value_named_by_place_label_and_id() -> None:
    where = ValuePlace((_SOLE, _counted("budget_project", 2)), "budget_project", "budget_amount", 7)
    bad = DamagedPart(ContentProblem.BAD_VALUE, value=where, detail="不是有效的金额")
    assert (
        part_words(bad)
        == "第2个预算项目的“预算数”不是有效的金额（budget_project.budget_amount，id 7）"
    )
    lock = ValuePlace((RowStep("edit_lock", StepKind.RECORD),), "edit_lock", "pid", 1)
    long = DamagedPart(ContentProblem.TEXT_TOO_LONG, limit=20000, value=lock)
    assert part_words(long) == "编辑锁定记录的“进程号”超过了 20000 字的上限（edit_lock.pid，id 1）"
    utf8 = DamagedPart(ContentProblem.NOT_UTF8, value=lock)
    assert "“进程号”不是有效的 UTF-8 编码的文字" in part_words(utf8)


def test_structural_parts() -> None:
    columns = DamagedPart(
        ContentProblem.COLUMNS, table="indicator", missing=("a", "b"), extra=("c",)
    )
    assert part_words(columns) == "表 indicator 的栏目与本程序的不同（缺少或改动了 a、b；多出 c）"
    only_extra = DamagedPart(ContentProblem.COLUMNS, table="indicator", extra=("c",))
    assert part_words(only_extra) == "表 indicator 的栏目与本程序的不同（多出 c）"
    crowded = DamagedPart(
        ContentProblem.LIST_ROWS,
        table="indicator",
        count=501,
        limit=500,
        place=(_counted("declaration", 1), _counted("budget_project", 4)),
    )
    assert part_words(crowded) == "第1个单位的第4个预算项目有 501 行指标，超过了 500 的上限"
    rows = DamagedPart(ContentProblem.FILE_ROWS, count=9, limit=8)
    assert part_words(rows) == "共有 9 行内容，超过了一个文件 8 行的上限"
    units = DamagedPart(ContentProblem.DECLARATIONS, count=9, limit=8)
    assert part_words(units) == "有 9 个单位的绩效目标，超过了一个文件 8 个的上限"
    table = DamagedPart(ContentProblem.NOT_UTF8_TABLE, table="key_task")
    assert part_words(table) == "表 key_task 中有文字不是有效的 UTF-8 编码的文字"
    assert part_words(DamagedPart(ContentProblem.TOO_LARGE)) == "内容过大"
    assert (
        part_words(DamagedPart(ContentProblem.DUPLICATE_UUID)) == "同一个标识（UUID）出现在多行中"
    )
