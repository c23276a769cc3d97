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
    """Collects the first table's rows of cell texts, placed by their ``rowspan`` and
    ``colspan`` as the table shows them: a cell spanning rows or columns gives its text to
    its top-left place and leaves the others blank, as Excel, WPS and Word leave merged
    continuation cells in text. <br> and paragraph ends become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)  # rows, columns of the open cell
        self._depth = 0
        self._done = False
        #: column -> rows below the current one still covered by a rowspan from above
        self._below: dict[int, int] = {}
        self._covered: set[int] = set()  # columns of the current row covered from above

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and not self._done:
            self._depth += 1
        elif self._depth != 1:
            return
        elif tag == "tr":
            self._end_row()
            self.rows.append([])
            self._covered = {column for column, rows in self._below.items() if rows > 0}
            self._below = {column: rows - 1 for column, rows in self._below.items() if rows > 1}
        elif tag in ("td", "th") and self.rows:
            self._end_cell()
            values = dict(attrs)
            self._spans = (_span(values.get("rowspan")), _span(values.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth > 0:
            self._depth -= 1
            if self._depth == 0:
                self._end_row()
                self._done = True  # only the first table
        elif self._depth != 1:
            return
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in ("p", "div") and self._cell is not None:
            self._cell.append("\n")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(" ".join(data.split("\n")) if "\n" in data else data)

    def _end_cell(self) -> None:
        if self._cell is None:
            return
        row = self.rows[-1]
        while len(row) in self._covered:
            row.append("")
        text = "".join(self._cell).replace("\r\n", "\n").strip(" \n\r\xa0")
        rows, columns = self._spans
        for column in range(len(row), len(row) + columns):
            if rows > 1:
                self._below[column] = max(self._below.get(column, 0), rows - 1)
        row += [text] + [""] * (columns - 1)
        self._cell = None

    def _end_row(self) -> None:
        """Close the open cell and pad the row over columns covered from above."""
        self._end_cell()
        if self.rows:
            row = self.rows[-1]
            while len(row) <= max(self._covered, default=-1):
                row.append("")
            self._covered = set()


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a count (1 when absent or not a number; at most 1000)."""
    text = (value or "").strip().strip("\"'")
    return min(int(text), 1000) if text.isdigit() and int(text) > 0 else 1


def parse_html_table(html: str) -> list[list[str]]:
    """Cell texts of the first table in ``html`` (rows padded to the same length); a cell
    merged over rows or columns (``rowspan``/``colspan``) fills its top-left place and
    leaves the places it covers blank."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    parser._end_row()
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
