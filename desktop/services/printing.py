"""Printing a document to PDF: load everything, hand it to the report layer. No Qt."""

from __future__ import annotations

from pathlib import Path

from desktop.review import review
from desktop.services.documents import load_declarations
from desktop.services.reviewing import count_errors
from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError, write_failure_message


def print_document(document: Document, out_path: Path | str, *, invariant: bool = False) -> int:
    """Write every declaration of ``document`` to the PDF ``out_path``; returns the page count.

    Printing is never blocked by review findings, but with open 错误 every page's footer
    says 审核未通过 (DESIGN.md, Review).

    Raises ``PrintError`` (Chinese message) when there is nothing to print or text has
    characters the embedded font lacks (``MissingGlyphError``, naming field and
    character), and ``DocumentFileError`` when the PDF cannot be written (an existing PDF
    there is left as it was).
    """
    from desktop.reports.pdf import write_pdf  # ReportLab is slow to import

    # The session stays open: messages name rows by their parents (loaded on demand).
    with document.session() as session:
        declarations = load_declarations(session)
        errors = count_errors([f for d in declarations for f in review(d)])
        try:
            return write_pdf(declarations, out_path, invariant=invariant, review_errors=errors)
        except OSError as exc:
            raise DocumentFileError(out_path, write_failure_message(out_path, exc)) from exc
