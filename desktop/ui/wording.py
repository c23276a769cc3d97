"""The window's words for what storage reports as data: why a file is read-only (naming
the window's 另存为 and 强制编辑 buttons) and what to do about a file not found.

The command line has its own words for the same reasons (desktop/cli.py).
"""

from __future__ import annotations

from pathlib import Path

from desktop.storage.errors import DocumentFileError, PathNotFoundError, ReadOnlyDocumentError
from desktop.storage.reasons import Advice, ReadOnlyCause, ReadOnlyReason, situation

#: what the window tells the clerk to do with a read-only file: its banner has the buttons
WINDOW_ADVICE = Advice(
    copy="要修改，请点“另存为…”保存一份副本再编辑",
    wait="重新打开",
    take_over="如确认那台计算机已不再使用此文件，可点“强制编辑”解除锁定。",
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
            f"{where}中的“{reason.unit}”正由{reason.reviewer.describe()}编辑，现以只读方式打开"
            "（可查看、打印、导出，可对“警告”填写说明）。对方结束编辑后，点“刷新”再点“编辑”。"
        )
    if reason.cause is ReadOnlyCause.UNIT_VIEWED:
        return (
            f"这是{where}中的“{reason.unit}”，以只读方式打开：可查看、打印、导出，"
            "可对“警告”填写说明（写入汇总库）。要修改内容，请点“编辑”。"
        )
    return situation(path, reason, WINDOW_ADVICE)


def error_words(error: DocumentFileError) -> str:
    """What the window says for ``error``: a read-only reason in the window's words, a
    file not found with where to look, else the error's own message."""
    if isinstance(error, ReadOnlyDocumentError):
        words = read_only_words(error.path, error.reason)
        return f"{error.refused}：{words}" if error.refused else words
    if isinstance(error, PathNotFoundError):
        return f"{error.message}请检查文件位置后重新打开。"
    return error.message
