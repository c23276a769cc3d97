"""Word use cases (文件 → 导出Word / 从Word导入, ``jixiao export-docx|import-docx``). No Qt.

The layout lives in ``desktop.exchange.word`` and the reading in ``word_import``; this
module ties them to documents: which declaration, one transaction, files written safely.
"""

from __future__ import annotations

from pathlib import Path

from desktop.exchange.errors import WordError
from desktop.exchange.word import write_docx
from desktop.exchange.word_import import WordContent, describe, read_docx
from desktop.services.documents import imported_texts, load_declarations, refuse_control_characters
from desktop.services.editing import RowNotFoundError
from desktop.storage.document import Document, create_document
from desktop.storage.errors import FileWriteError

__all__ = ["WordContent", "WordError", "create_from_docx", "describe", "export_docx", "read_docx"]


def export_docx(
    document: Document, out_path: Path | str, *, declaration_uuid: str | None = None
) -> int:
    """Write one declaration of ``document`` (``declaration_uuid``; the first when None) to
    the .docx ``out_path``; returns the number of project tables written.

    Raises ``FileWriteError`` when the file cannot be written (a file already there is
    left as it was) and ``RowNotFoundError`` when there is no such declaration.
    """
    out_path = Path(out_path)
    with document.session() as session:
        declarations = load_declarations(session)
        chosen = next((d for d in declarations if declaration_uuid in (None, d.uuid)), None)
        if chosen is None:
            raise RowNotFoundError()
        refuse_control_characters(chosen, out_path, "Word 文档")
        try:
            write_docx(chosen, out_path)
        except OSError as exc:
            raise FileWriteError.of(out_path, exc) from exc
        return len(chosen.budget_projects)


def create_from_docx(content: WordContent, out_path: Path | str) -> Document:
    """Create the .jxdb file ``out_path`` holding the declaration read from Word (values
    that did not parse kept as pending input, as typed input is).

    Raises ``DocumentFileError`` when ``out_path`` cannot be written (a file there is left
    untouched).
    """
    try:
        imported_texts(content.declaration, "Word 文档")
    except ValueError as exc:
        raise WordError(str(exc)) from exc
    return create_document(out_path, populate=lambda session: session.add(content.declaration))
