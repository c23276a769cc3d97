"""Errors of reading Excel and Word files, which callers catch without importing openpyxl or
python-docx."""

from __future__ import annotations


class WorkbookError(Exception):
    """An Excel workbook cannot be read; ``message`` (Chinese) says why and what to do.

    Nothing has been written when it is raised.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WordError(Exception):
    """A Word document (.docx) cannot be read as a 绩效文本; ``message`` (Chinese) says why
    and what to do. Nothing has been written when it is raised."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
