"""A small, safe YAML reader that keeps the position of every node.

Built on libyaml's event stream (fast, and never recursive), with our own resolution of plain
scalars so that YAML 1.1 surprises do not happen: only ``true``/``false`` are booleans, only
plain decimal numbers without leading zeros are numbers, ``NO``, ``on``, ``1:30``, ``0777`` and
dates stay strings (dates are parsed later, by the model, so ``2024-02-30`` becomes a finding).
Anchors, aliases and explicit tags are rejected; nesting depth and duplicate keys are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is bundled with PyYAML's wheels; the pure-Python parser is the fallback.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(0|[1-9][0-9]*)?\.[0-9]+([eE][-+]?[0-9]+)?$|^[-+]?(0|[1-9][0-9]*)[eE][-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class ScalarFloat(float):
    """A float that remembers how it was written (so ``version: 1.10`` stays '1.10')."""

    raw: str

    def __new__(cls, raw: str) -> ScalarFloat:
        obj = super().__new__(cls, raw)
        obj.raw = raw
        return obj


@dataclass
class Problem:
    """A problem found while reading: position is 1-based."""

    line: int
    col: int
    code: str
    message: str
    path: Path = ()


@dataclass
class Document:
    """The plain value of a YAML document plus where each part of it was written."""

    value: Any = None
    # path -> (line, col) of the value; for mapping entries also of the key. Filled by
    # ensure_positions() when a document was read without them.
    value_pos: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    positioned: bool = True

    def ensure_positions(self) -> None:
        """Record node positions now (read again), for a document parsed without them."""
        if not self.positioned:
            full = parse(self.text)
            self.value_pos, self.key_pos, self.positioned = full.value_pos, full.key_pos, True


def _resolve_plain(text: str) -> Any:
    if text in _NULL:
        return None
    b = _BOOL.get(text)
    if b is not None:
        return b
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return ScalarFloat(text)
    return text


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Unusual(Exception):
    """The fast reader met something that needs the full reader (a problem, most likely)."""


_NO_KEY = object()
# Plain scalars that may resolve to null, a boolean or a number start with one of these.
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfF")


def _read_fast(text: str) -> Any:
    """The value of a regular document, without positions; raises _Unusual on anything else.

    Most files are regular; this path skips the bookkeeping (positions, problem messages) that
    only a file with a problem needs, which the full reader then provides.
    """
    loader = _Loader(text)
    try:
        get = loader.get_event
        stack: list[list[Any]] = []  # frames: [container, pending key or _NO_KEY]
        root: Any = _NO_KEY
        documents = 0
        while True:
            event = get()
            cls = event.__class__
            if cls is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                value: Any = event.value
                if not event.style and event.implicit[0] and (not value or value[0] in _MAYBE_TYPED):
                    value = _resolve_plain(value)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                value = {} if cls is yaml.MappingStartEvent else []
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                stack.pop()
                continue
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif cls is yaml.StreamEndEvent:
                break
            elif cls is yaml.AliasEvent:
                raise _Unusual
            else:  # stream start, document end
                continue
            if stack:
                frame = stack[-1]
                container = frame[0]
                if container.__class__ is list:
                    container.append(value)
                elif frame[1] is _NO_KEY:
                    if value.__class__ is dict or value.__class__ is list:
                        raise _Unusual
                    key = "" if value is None else str(value)
                    if key in container:
                        raise _Unusual
                    frame[1] = key
                    continue
                else:
                    container[frame[1]] = value
                    frame[1] = _NO_KEY
            elif root is _NO_KEY:
                root = value
            else:
                raise _Unusual
            if cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                stack.append([value, _NO_KEY])
        return None if root is _NO_KEY else root
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()


def parse(text: str, positions: bool = True) -> Document:
    """Read one YAML document. Never raises on bad input: problems are collected instead.

    ``positions=False`` skips recording where each node was written: most files have no
    finding, and positions are most of what a parsed document weighs. They are recorded on
    demand (``ensure_positions``), and always when the document has a problem.
    """
    if not positions:
        try:
            return Document(value=_read_fast(text), text=text, positioned=False)
        except (_Unusual, RecursionError):
            pass  # the full reader below reports what is wrong, with positions
    doc = Document(text=text)
    value_pos, key_pos = doc.value_pos, doc.key_pos
    # Each frame: [container, path, pending_key, key_pos] ; pending_key is None while a mapping waits for a key.
    stack: list[list[Any]] = []
    root_set = False
    documents = 0
    _missing = object()

    def attach(value: Any, pos: tuple[int, int]) -> Path | None:
        nonlocal root_set
        if not stack:
            if not root_set:
                doc.value = value
                value_pos[()] = pos
                root_set = True
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            p = path + (len(container),)
            container.append(value)
            value_pos[p] = pos
            return p
        if frame[2] is _missing:  # this value is a key
            if isinstance(value, (dict, list)):
                doc.problems.append(Problem(*pos, "yaml-key", "mapping keys must be plain text", path))
                frame[2] = None
            else:
                key = "" if value is None else str(value)
                if key in container:
                    first = key_pos.get(path + (key,), (0, 0))
                    doc.problems.append(
                        Problem(
                            *pos,
                            "key-duplicate",
                            f"duplicate key '{key}' (first defined at line {first[0]}, column {first[1]})",
                            path + (key,),
                        )
                    )
                    frame[2] = None  # keep the first value, drop this one
                else:
                    frame[2] = key
                    frame[3] = pos
            return None
        key = frame[2]
        frame[2] = _missing
        if key is None:
            return None
        p = path + (key,)
        container[key] = value
        key_pos[p] = frame[3]
        value_pos[p] = pos
        return p

    try:
        for event in yaml.parse(text, Loader=_Loader):
            etype = type(event)
            if etype is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    pos = _pos(event.start_mark)
                    doc.problems.append(Problem(*pos, "yaml-multi-document", "only one YAML document per file is allowed"))
                    break
                continue
            anchor = getattr(event, "anchor", None)
            if etype is yaml.AliasEvent:
                pos = _pos(event.start_mark)
                doc.problems.append(
                    Problem(*pos, "yaml-alias", f"aliases (*{event.anchor}) are not allowed: write the value out")
                )
                attach(None, pos)
                continue
            if anchor is not None:
                pos = _pos(event.start_mark)
                doc.problems.append(
                    Problem(*pos, "yaml-alias", f"anchors (&{anchor}) are not allowed: write the value out")
                )
            tag = getattr(event, "tag", None)
            if etype is yaml.ScalarEvent:
                pos = _pos(event.start_mark)
                if tag is not None and tag != "!" and not event.implicit[0] and not event.implicit[1]:
                    doc.problems.append(Problem(*pos, "yaml-tag", f"explicit tags ({tag}) are not allowed"))
                    attach(None, pos)
                    continue
                value = _resolve_plain(event.value) if not event.style and event.implicit[0] else event.value
                attach(value, pos)
            elif etype is yaml.MappingStartEvent or etype is yaml.SequenceStartEvent:
                pos = _pos(event.start_mark)
                if tag is not None and not event.implicit:
                    doc.problems.append(Problem(*pos, "yaml-tag", f"explicit tags ({tag}) are not allowed"))
                if len(stack) >= MAX_DEPTH:
                    doc.problems.append(
                        Problem(*pos, "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels is not allowed")
                    )
                    doc.value = None
                    return doc
                container: Any = {} if etype is yaml.MappingStartEvent else []
                p = attach(container, pos)
                stack.append([container, p if p is not None else (), _missing, None])
            elif etype is yaml.MappingEndEvent or etype is yaml.SequenceEndEvent:
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or str(exc)
        if "\t" in _line_at(text, line) and ("tab" in problem or "cannot start any token" in problem):
            doc.problems.append(Problem(line, col, "yaml-tab", "tab characters are not allowed for indentation: use spaces"))
        else:
            context = f" ({exc.context})" if exc.context else ""
            doc.problems.append(Problem(line, col, "yaml-syntax", f"{problem}{context}"))
        doc.value = None
    except yaml.YAMLError as exc:  # reader errors (e.g. control characters)
        mark = getattr(exc, "problem_mark", None)
        line, col = _pos(mark) if mark else (1, 1)
        doc.problems.append(Problem(line, col, "yaml-syntax", str(exc).splitlines()[0]))
        doc.value = None
    return doc


def _line_at(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""
