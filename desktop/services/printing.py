"""Printing a document to PDF: load everything, hand it to the report layer. No Qt."""

from __future__ import annotations

from pathlib import Path

from desktop.services.documents import load_declarations
from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError


def print_document(document: Document, out_path: Path | str, *, invariant: bool = False) -> int:
    """Write every declaration of ``document`` to the PDF ``out_path``; returns the page count.

    Raises ``MissingGlyphError`` (a ``ValueError`` naming field and character) when text
    cannot be printed with the embedded font, and ``DocumentFileError`` when the PDF
    cannot be written (an existing PDF there is left as it was).
    """
    from desktop.reports.pdf import write_pdf  # ReportLab is slow to import

    with document.session() as session:
        declarations = load_declarations(session)
    try:
        return write_pdf(declarations, out_path, invariant=invariant)
    except OSError as exc:
        raise DocumentFileError(
            out_path,
            f"无法写入 PDF“{out_path}”：{exc.strerror or exc}。"
            "请检查磁盘空间、U盘是否插好，以及该 PDF 是否正在其他程序中打开，然后重试。",
        ) from exc
