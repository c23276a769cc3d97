"""Rectangular blocks to and from the clipboard, as Excel and WPS put them there.

Reading prefers the HTML flavour (a cell with a line break or a tab stays one cell) and
falls back to tab-separated text (Excel quotes such cells there: read with csv).
"""

from __future__ import annotations

import csv
import io
from html import escape
from html.parser import HTMLParser

from PySide6.QtCore import QMimeData


class _TableParser(HTMLParser):
    """Collects the first table's rows of cell texts; <br> and block ends become newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._span = 1
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
        elif tag == "tr" and self._depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self._depth == 1 and self.rows:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).replace("\r\n", "\n").strip(" \n")
            self.rows[-1] += [text] + [""] * (self._span - 1)
            self._cell = None
        elif tag in ("p", "div") and self._cell is not None:
            self._cell.append("\n")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(" ".join(data.split("\n")) if "\n" in data else data)


def parse_html_table(html: str) -> list[list[str]]:
    """Cell texts of the first table in ``html`` (rows padded to the same length)."""
    parser = _TableParser()
    parser.feed(html)
    return _rectangular([row for row in parser.rows if row])


def parse_tsv(text: str) -> list[list[str]]:
    """Cell texts of tab-separated ``text`` (Excel's quoting understood)."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    return _rectangular([list(row) for row in csv.reader(io.StringIO(text), delimiter="\t")])


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def read_block(mime: QMimeData) -> list[list[str]]:
    """The rectangular block on the clipboard: HTML table if there is one, else TSV."""
    if mime.hasHtml():
        block = parse_html_table(mime.html())
        if block:
            return block
    return parse_tsv(mime.text()) if mime.hasText() else []


def write_block(block: list[list[str]]) -> QMimeData:
    """A clipboard entry for Excel/WPS: an HTML table and tab-separated text."""
    mime = QMimeData()
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerows(block)
    mime.setText(buffer.getvalue())
    rows = "".join(
        "<tr>" + "".join(f"<td>{_html_cell(cell)}</td>" for cell in row) + "</tr>" for row in block
    )
    mime.setHtml(f"<table>{rows}</table>")
    return mime


def _html_cell(text: str) -> str:
    return escape(text).replace("\n", "<br>")
