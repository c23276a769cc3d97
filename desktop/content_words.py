"""The clerk's words (Chinese) for what in a file this program never writes: a
``DamagedPart`` (desktop/storage/reasons.py) found by ``document.check_file``
(desktop/storage/validation.py), e.g. 第2个预算项目的“预算数”不是有效的金额…
（budget_project.budget_amount，id 2）. Read by ``file_words`` for a refused file, a
skipped merge source and refused new content; the same for the window and the command
line (neither adds advice here). No Qt.
"""

from __future__ import annotations

from desktop.models.labels import FIELD_LABELS, ROW_KINDS
from desktop.storage.reasons import (
    ContentProblem,
    DamagedPart,
    RowStep,
    StepKind,
    ValuePlace,
)

__all__ = ["part_words", "place_words"]

_LABELS = {cls.__tablename__: labels for cls, labels in FIELD_LABELS.items()}  # type: ignore[attr-defined]  # row classes are typed type[Base], no __tablename__
#: The columns outside ``FIELD_LABELS``, named for the clerk.
_OTHER_LABELS = {
    "id": "编号",
    "uuid": "标识",
    "modified_at": "修改时间",
    "position": "顺序",
    "declaration_id": "所属单位",
    "budget_project_id": "所属预算项目",
    "item_target_id": "所属分项目标",
    "rule": "审核规则",
    "row_uuid": "说明对象",
    "field": "说明栏目",
    "text": "说明内容",
    "printed_at": "打印时间",
    "fingerprint": "内容指纹",
    "parts": "打印内容",
    "token": "锁定标记",
    "computer": "计算机名",
    "user": "用户名",
    "pid": "进程号",
    "since": "锁定时间",
    "unit_uuid": "合并记录的标识",
    "content_hash": "合并记录的指纹",
    "version_num": "版本号",
}
#: How a row of each table is named to the clerk: 第{n}{word} among its siblings (the
#: registry's ``RowKind.counted``, and the rows the clerk does not fill in).
_ROW_WORDS = {
    kind.row_type.__tablename__: kind.counted  # type: ignore[attr-defined]  # as _LABELS
    for kind in ROW_KINDS.values()
} | {"finding_explanation": "条审核说明", "print_record": "条打印记录"}
#: The tables of records that are not rows of a unit (``StepKind.RECORD``).
_RECORD_WORDS = {
    "edit_lock": "编辑锁定记录",
    "content_history": "合并记录",
    "alembic_version": "版本记录",
}
_UTF8 = "不是有效的 UTF-8 编码的文字"


def part_words(part: DamagedPart) -> str:
    """``part`` in one phrase, without a full stop, to go in brackets after 含有本程序不认识
    的内容 (e.g. 第2个预算项目的“预算数”不是有效的金额（budget_project.budget_amount，id 2）)."""
    problem = part.problem
    if part.value is not None:
        return _value_words(part, part.value)
    if problem is ContentProblem.COLUMNS:
        detail = "；".join(
            words
            for words in (
                f"缺少或改动了 {'、'.join(part.missing)}" if part.missing else "",
                f"多出 {'、'.join(part.extra)}" if part.extra else "",
            )
            if words
        )
        return f"表 {part.table} 的栏目与本程序的不同（{detail}）"
    if problem is ContentProblem.FILE_ROWS:
        return f"共有 {part.count} 行内容，超过了一个文件 {part.limit} 行的上限"
    if problem is ContentProblem.DECLARATIONS:
        return f"有 {part.count} 个单位的绩效目标，超过了一个文件 {part.limit} 个的上限"
    if problem is ContentProblem.LIST_ROWS:
        where = place_words(part.place)
        return f"{where}有 {part.count} {_ROW_WORDS[part.table]}，超过了 {part.limit} 的上限"
    if problem is ContentProblem.NOT_UTF8_TABLE:
        return f"表 {part.table} 中有文字{_UTF8}"
    return _WHOLE_FILE[problem]


#: The problems that name nothing but themselves.
_WHOLE_FILE = {
    ContentProblem.JOURNAL_MODE: "不是本程序使用的日志模式",
    ContentProblem.SCHEMA_OBJECTS: "有本程序不会建立的表、索引、视图或触发器",
    ContentProblem.LOST_LINK: "有内容失去了所属的项目或单位",
    ContentProblem.DUPLICATE_UUID: "同一个标识（UUID）出现在多行中",
    ContentProblem.TOO_LARGE: "内容过大",
}


def _value_words(part: DamagedPart, value: ValuePlace) -> str:
    """第2个预算项目的“预算数”不是有效的金额…（budget_project.budget_amount，id 2）"""
    if part.problem is ContentProblem.TEXT_TOO_LONG:
        problem = f"超过了 {part.limit} 字的上限"
    elif part.problem is ContentProblem.NOT_UTF8:
        problem = _UTF8
    else:
        problem = part.detail
    table, column = value.table, value.column
    label = _LABELS.get(table, {}).get(column) or _OTHER_LABELS.get(column, column)
    place = place_words(value.steps)
    return f"{place}的“{label}”{problem}（{table}.{column}，id {value.rowid}）"


def place_words(steps: tuple[RowStep, ...]) -> str:
    """A row in the clerk's words: 第2个预算项目的第3行指标; a file of one unit leaves out
    its 部门整体 when a row below it is named."""
    if len(steps) > 1 and steps[0].kind is StepKind.SOLE_UNIT:
        steps = steps[1:]
    return "的".join(_step_words(step) for step in steps)


def _step_words(step: RowStep) -> str:
    kind, table = step.kind, step.table
    if kind is StepKind.RECORD:
        return _RECORD_WORDS[table]
    if kind is StepKind.UNREADABLE:
        return f"表 {table} 中的一行"
    if kind is StepKind.SOLE_UNIT:
        return "部门整体"
    if kind is StepKind.ORPHAN:
        return f"某{_ROW_WORDS[table][1:]}"
    if kind is StepKind.UNCOUNTED:
        return "某个单位" if table == "declaration" else ""
    return f"第{step.number}{_ROW_WORDS[table]}"
