"""The window's words for what the file layer reports as data: a file refused, a write that
failed, why a file is read-only (naming the window's 另存为, 强制编辑, 刷新, 编辑 and 结束编辑
buttons), what to do about a file not found. The one place the window words them.

The situations are stated in desktop/file_words.py; the command line has its own advice
for the same errors (``cli._error_words``).
"""

from __future__ import annotations

from pathlib import Path

from desktop.file_words import (
    COLLECTION_NEXT,
    VERSION_WORDS,
    Advice,
    holder_words,
    refusal_words,
    situation,
)
from desktop.file_words import error_words as file_error_words
from desktop.storage.errors import CollectionError, DocumentFileError, ReadOnlyDocumentError
from desktop.storage.reasons import (
    CollectionMoment,
    CollectionProblem,
    ReadOnlyCause,
    ReadOnlyReason,
)

__all__ = [
    "VERSION_WORDS",
    "WINDOW_ADVICE",
    "error_words",
    "holder_words",
    "read_only_words",
    "refusal_words",
]

#: what the window tells the clerk to do: its banner has the buttons
WINDOW_ADVICE = Advice(
    copy="要修改，请点“另存为…”保存一份副本再编辑",
    wait="重新打开",
    take_over="如确认那台计算机已不再使用此文件，可点“强制编辑”解除锁定。",
    not_found="请检查文件位置后重新打开。",
    collection={
        **COLLECTION_NEXT,
        CollectionMoment.UNIT_SHOWN: ("请点“刷新”后重试", "恢复后点“刷新”"),
    },
)


def read_only_words(path: Path, reason: ReadOnlyReason) -> str:
    """The banner's sentence for a document at ``path`` read-only for ``reason`` (a unit of
    a collection: what its bar's 刷新 and 编辑 do)."""
    where = f"汇总库“{reason.collection}”（服务器 {reason.server}）"
    if reason.cause is ReadOnlyCause.UNIT_LOCK_LOST:
        return (
            f"与汇总库“{reason.collection}”的连接中断过，编辑锁已失去，"
            "刚才的修改没有写入汇总库。请点“刷新”，再点“编辑”重新取得编辑锁后重做。"
        )
    if reason.cause is ReadOnlyCause.UNIT_VIEWED and reason.reviewer is not None:
        return (
            f"{where}中的“{reason.unit}”正由{holder_words(reason.reviewer)}编辑，"
            "现以只读方式打开（可查看、打印、导出，可对“警告”填写说明）。"
            "对方结束编辑后，点“刷新”再点“编辑”。"
        )
    if reason.cause is ReadOnlyCause.UNIT_VIEWED:
        return (
            f"这是{where}中的“{reason.unit}”，以只读方式打开：可查看、打印、导出，"
            "可对“警告”填写说明（写入汇总库）。要修改内容，请点“编辑”。"
        )
    return situation(path, reason, WINDOW_ADVICE)


def error_words(error: Exception) -> str:
    """What the window says for ``error``: a read-only reason in the window's words, a
    file not found with where to look, a collection database's failure with what its bar
    (刷新, 编辑) does, another editor of a collection's unit, any other
    error of the file layer as file_words states it; for other errors (a workbook, a
    library file, a collection database) their own ``message``."""
    from desktop.storage.collection import EditLockHeldError

    if isinstance(error, CollectionError) and error.reason is not None:
        if error.reason.problem is CollectionProblem.LOCK_LOST:  # as the banner then says
            lost = ReadOnlyReason(ReadOnlyCause.UNIT_LOCK_LOST, collection=error.reason.database)
            return read_only_words(error.path, lost)
        return file_error_words(error, WINDOW_ADVICE)
    if isinstance(error, ReadOnlyDocumentError):
        words = read_only_words(error.path, error.reason)
        return f"{error.refused}：{words}" if error.refused else words
    if isinstance(error, EditLockHeldError):
        who = "另一位审核人" if error.holder is None else holder_words(error.holder)
        return (
            f"“{error.unit}”正由{who}编辑，不能同时编辑。"
            "请等对方结束编辑（关闭该单位或点“结束编辑”）后再试。"
        )
    if isinstance(error, DocumentFileError):
        return file_error_words(error, WINDOW_ADVICE)
    return str(getattr(error, "message", "") or error)
