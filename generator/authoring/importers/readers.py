"""Reading exports as a stream of rows, each with the line it starts on.

CSV is read with :mod:`csv` straight from the open file; JSON arrays are decoded one element at a
time from a sliding buffer (the standard library's ``raw_decode``), so a 200 MB Alertmanager dump
never sits in memory whole; JSON Lines is read line by line. Nothing here knows about records.

A row is ``Row(line, values)``: for CSV ``values`` maps each column name to its text (a column
named twice, as Jira writes ``Labels`` once per label, is kept as ``Labels``, ``Labels[2]``, ...);
for JSON it is the decoded object.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

__all__ = ["ReadProblem", "Row", "csv_chunks", "csv_rows", "read_csv", "read_csv_header", "read_json", "read_jsonl"]

# The largest single JSON element (one alert, one incident) the reader accepts. An element this
# big is almost certainly a file that is not what the mapping expects.
MAX_ELEMENT_CHARS = 16 * 1024 * 1024
_CHUNK = 1 << 16


class ReadProblem(Exception):
    """The file cannot be read as the mapping's format says; ``line`` is where it went wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Row:
    """One row of an export: the line it starts on (1-based) and its values (a ReadProblem for a row
    that cannot be read, so that the rows after it are still checked)."""

    line: int
    values: Any


def read_csv_header(f: IO[str], delimiter: str = ",") -> tuple[list[str], int]:
    """The header row (columns as written, a repeated name numbered: ``Labels``, ``Labels[2]``) and
    the line the rows after it start on; ``f`` is left at that line."""
    reader = csv.reader(f, delimiter=delimiter, strict=True)
    try:
        raw_header = next(reader)
    except StopIteration:
        raise ReadProblem(1, "the file is empty: no header row") from None
    except csv.Error as exc:
        raise ReadProblem(reader.line_num or 1, f"not a readable CSV header: {exc}") from None
    header: list[str] = []
    seen: dict[str, int] = {}
    for name in raw_header:
        name = name.strip()
        seen[name] = seen.get(name, 0) + 1
        header.append(name if seen[name] == 1 else f"{name}[{seen[name]}]")
    return header, reader.line_num + 1


def csv_rows(lines: Iterable[str], header: list[str], first_line: int, delimiter: str = ",") -> Iterator[Row]:
    """The rows of CSV text (without its header) that starts on line ``first_line`` of the file."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width = len(header)
    offset = first_line - 1
    start = first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReadProblem(start, f"not readable as CSV: {exc}") from None
        line, start = start, offset + reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            # Reported for this row; the rows after it are still read (and checked).
            yield Row(line, ReadProblem(line, f"the row has {len(cells)} cells but the header names {width} "
                                              "columns (a value with the delimiter in it, not in quotes?)"))
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield Row(line, dict(zip(header, cells)))


def read_csv(f: IO[str], delimiter: str = ",") -> tuple[list[str], Iterator[Row]]:
    """The header and the rows after it."""
    header, first_line = read_csv_header(f, delimiter)
    return header, csv_rows(f, header, first_line, delimiter)


def csv_chunks(f: IO[str], first_line: int, rows: int) -> Iterator[tuple[int, str]]:
    """The rest of a CSV file as pieces of about ``rows`` rows each: (first line, text), cut only
    between rows. A row goes on past a line end while a quoted value is open (an odd count of '"'
    so far), which is all that is needed to find where rows end without parsing them."""
    lines: list[str] = []
    count = 0
    inside = False
    start = first_line
    number = first_line
    for text in f:
        lines.append(text)
        number += 1
        if text.count('"') % 2:
            inside = not inside
        if not inside:
            count += 1
            if count >= rows:
                yield start, "".join(lines)
                lines, count, start = [], 0, number
    if lines:
        yield start, "".join(lines)


_WS = re.compile(r"[ \t\r\n]*")


class _JsonStream:
    """A forward-only JSON reader over a text file: whitespace, punctuation and whole values."""

    def __init__(self, f: IO[str]) -> None:
        self.f = f
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.f.read(_CHUNK)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + data
        self.pos = 0
        return True

    def skip_ws(self) -> None:
        while True:
            m = _WS.match(self.buf, self.pos)
            assert m is not None
            self.line += self.buf.count("\n", self.pos, m.end())
            self.pos = m.end()
            if self.pos < len(self.buf) or not self._more():
                return

    def peek(self) -> str:
        self.skip_ws()
        return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def expect(self, chars: str, what: str) -> str:
        ch = self.peek()
        if not ch or ch not in chars:
            found = f"'{ch}'" if ch else "the end of the file"
            raise ReadProblem(self.line, f"expected {what}, found {found}")
        self.pos += 1
        return ch

    def value(self) -> Any:
        self.skip_ws()
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._grow():
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise ReadProblem(line, f"not valid JSON: {exc.msg}") from None
            # A number at the very end of the buffer may go on in the next chunk.
            if end == len(self.buf) and not self.eof and self._grow():
                continue
            self.line += self.buf.count("\n", self.pos, end)
            self.pos = end
            return obj

    def _grow(self) -> bool:
        if len(self.buf) - self.pos > MAX_ELEMENT_CHARS:
            raise ReadProblem(self.line, f"one JSON value is larger than {MAX_ELEMENT_CHARS // 1024 // 1024} MiB: "
                              "is this the export the mapping expects?")
        return self._more()


def read_json(f: IO[str], paths: list[str]) -> Iterator[Row]:
    """The elements of the arrays at ``paths`` ('' is a top-level array; 'incidents' or 'data.alerts'
    an array inside objects), one at a time. A path the file does not have yields nothing; if none
    of them is there, that is a problem."""
    stream = _JsonStream(f)
    wanted = [tuple(p.split(".")) if p else () for p in paths]
    found = False
    first = stream.peek()
    if first == "[":
        if () not in wanted:
            raise ReadProblem(stream.line, "the file is a JSON array, but the mapping reads "
                              + " and ".join(f"'{p}'" for p in paths))
        yield from _array(stream)
        return
    if first != "{":
        raise ReadProblem(stream.line, "not a JSON file: it should start with '[' or '{'")
    for path, items in _walk(stream, (), wanted):
        found = True
        yield from items
    if not found:
        raise ReadProblem(1, "none of " + ", ".join(f"'{p}'" for p in paths) + " is in the file: is this the export "
                          "the mapping expects?")


def _walk(stream: _JsonStream, here: tuple[str, ...],
          wanted: list[tuple[str, ...]]) -> Iterator[tuple[tuple[str, ...], Iterator[Row]]]:
    """Walk one JSON object member by member; yield the arrays at ``wanted`` paths as streams.

    Members not on a wanted path are decoded and dropped (they are small: a page header)."""
    stream.expect("{", "'{'")
    if stream.peek() == "}":
        stream.pos += 1
        return
    while True:
        key = stream.value()
        if not isinstance(key, str):
            raise ReadProblem(stream.line, "expected a member name in quotes")
        stream.expect(":", "':'")
        path = here + (key,)
        if path in wanted:
            if stream.peek() != "[":
                raise ReadProblem(stream.line, f"'{'.'.join(path)}' is not a list")
            yield path, _array(stream)
        elif any(w[: len(path)] == path for w in wanted) and stream.peek() == "{":
            yield from _walk(stream, path, wanted)
        else:
            stream.value()
        if stream.expect(",}", "',' or '}'") == "}":
            return


def _array(stream: _JsonStream) -> Iterator[Row]:
    stream.expect("[", "'['")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        stream.skip_ws()
        line = stream.line
        yield Row(line, stream.value())
        if stream.expect(",]", "',' or ']'") == "]":
            return


def read_jsonl(f: IO[str]) -> Iterator[Row]:
    """One JSON object per line (JSON Lines / NDJSON); blank lines are skipped."""
    for number, text in enumerate(f, 1):
        if not text.strip():
            continue
        try:
            yield Row(number, json.loads(text))
        except json.JSONDecodeError as exc:
            raise ReadProblem(number, f"not valid JSON: {exc.msg}") from None
