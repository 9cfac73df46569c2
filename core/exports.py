"""CSV exports that stream (memory stays flat) and cannot run as spreadsheet formulas."""

import csv
from collections.abc import Iterable, Iterator

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); tab and
# carriage return are on OWASP's list too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell`, so a re-imported phone number "+44 …" keeps its plus sign."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The lines of a CSV file, for a StreamingHttpResponse. Every cell is escaped."""
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8, so names like "Zoë" survive.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])
