"""Printing a document to PDF: load everything, stamp each declaration, lay it out. No Qt."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.models import PrintRecord
from desktop.review import review
from desktop.services.documents import load_declarations
from desktop.services.reviewing import count_errors
from desktop.storage.document import Document
from desktop.storage.errors import DocumentFileError, write_failure_message
from desktop.storage.interchange import fingerprint, short_fingerprint

if TYPE_CHECKING:
    from desktop.reports.pdf import PrintOptions


def print_document(
    document: Document,
    out_path: Path | str,
    *,
    options: PrintOptions | None = None,
    printed_at: datetime | None = None,
    invariant: bool = False,
    record: bool = True,
) -> int:
    """Write the declarations of ``document`` to the PDF ``out_path``; returns the page count.

    Every page's footer carries the declaration's content fingerprint (short form) and
    the print time (``printed_at``, default now); with open review 错误 it also says
    审核未通过 — printing is never blocked (DESIGN.md, Review). With ``record`` (not for a
    preview, and not in a read-only document) each declaration gets a ``PrintRecord``: time,
    full fingerprint, parts.
    Raises ``PrintError`` (Chinese message) when there is nothing to print or text has
    characters the embedded font lacks (``MissingGlyphError``, naming field and
    character), and
    ``DocumentFileError`` when the PDF cannot be written (an existing PDF there is left as
    it was).
    """
    from desktop.reports.pdf import PrintOptions, Stamp, write_pdf  # ReportLab: slow import

    printed_at = printed_at or datetime.now().astimezone()
    # The session stays open: messages name rows by their parents (loaded on demand).
    with document.session() as session:
        declarations = load_declarations(session)
        options = options or PrintOptions()
        fingerprints = [fingerprint(declaration) for declaration in declarations]
        stamps = [
            Stamp(
                fingerprint=short_fingerprint(full),
                printed_at=printed_at,
                review_errors=count_errors(review(declaration)),
            )
            for declaration, full in zip(declarations, fingerprints, strict=True)
        ]
        try:
            pages = write_pdf(
                declarations, out_path, options=options, stamps=stamps, invariant=invariant
            )
        except OSError as exc:
            raise DocumentFileError(out_path, write_failure_message(out_path, exc)) from exc
        if record and document.read_only is None:  # a read-only file is printed, not changed
            for declaration, full in zip(declarations, fingerprints, strict=True):
                declaration.print_records.append(
                    PrintRecord(
                        printed_at=printed_at, fingerprint=full, parts=options.parts_label()
                    )
                )
        return pages
