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
from functools import cache
from typing import Any

import yaml

from .localize import Msg

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

    def __reduce__(self) -> tuple[type[ScalarFloat], tuple[str]]:
        # Rebuilt from its text alone: a third cheaper to unpickle than a float with a state dict
        # (parsed files come back from the reading processes pickled).
        return (ScalarFloat, (self.raw,))


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
                doc.problems.append(Problem(*pos, "yaml-key", Msg("yaml-key", "mapping keys must be plain text"),
                                            path))
                frame[2] = None
            else:
                key = "" if value is None else str(value)
                if key in container:
                    first = key_pos.get(path + (key,), (0, 0))
                    doc.problems.append(
                        Problem(
                            *pos,
                            "key-duplicate",
                            Msg("key-duplicate", "duplicate key '{key}' (first defined at line {line}, column "
                                "{col})", key=key, line=first[0], col=first[1]),
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
                    doc.problems.append(Problem(*pos, "yaml-multi-document",
                                                Msg("yaml-multi-document", "only one YAML document per file is allowed")))
                    break
                continue
            anchor = getattr(event, "anchor", None)
            if etype is yaml.AliasEvent:
                pos = _pos(event.start_mark)
                doc.problems.append(
                    Problem(*pos, "yaml-alias", Msg("yaml-alias", "aliases (*{name}) are not allowed: write the value "
                                                    "out", name=event.anchor))
                )
                attach(None, pos)
                continue
            if anchor is not None:
                pos = _pos(event.start_mark)
                doc.problems.append(
                    Problem(*pos, "yaml-alias", Msg("yaml-anchor", "anchors (&{name}) are not allowed: write the value "
                                                    "out", name=anchor))
                )
            tag = getattr(event, "tag", None)
            if etype is yaml.ScalarEvent:
                pos = _pos(event.start_mark)
                if tag is not None and tag != "!" and not event.implicit[0] and not event.implicit[1]:
                    doc.problems.append(Problem(*pos, "yaml-tag", Msg("yaml-tag", "explicit tags ({tag}) are not "
                                                                      "allowed", tag=tag)))
                    attach(None, pos)
                    continue
                value = _resolve_plain(event.value) if not event.style and event.implicit[0] else event.value
                attach(value, pos)
            elif etype is yaml.MappingStartEvent or etype is yaml.SequenceStartEvent:
                pos = _pos(event.start_mark)
                if tag is not None and not event.implicit:
                    doc.problems.append(Problem(*pos, "yaml-tag", Msg("yaml-tag", "explicit tags ({tag}) are not "
                                                                      "allowed", tag=tag)))
                if len(stack) >= MAX_DEPTH:
                    doc.problems.append(
                        Problem(*pos, "yaml-depth", Msg("yaml-depth", "nesting deeper than {max} levels is not "
                                                        "allowed", max=MAX_DEPTH))
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
            doc.problems.append(Problem(line, col, "yaml-tab", Msg("yaml-tab", "tab characters are not allowed for "
                                                                   "indentation: use spaces")))
        elif exc.context:
            doc.problems.append(Problem(line, col, "yaml-syntax", Msg("yaml-syntax", "{problem} ({context})",
                                                                      problem=yaml_words(problem),
                                                                      context=yaml_words(exc.context))))
        else:
            doc.problems.append(Problem(line, col, "yaml-syntax", yaml_words(problem)))
        doc.value = None
    except yaml.YAMLError as exc:  # reader errors (e.g. control characters)
        mark = getattr(exc, "problem_mark", None)
        line, col = _pos(mark) if mark else (1, 1)
        doc.problems.append(Problem(line, col, "yaml-syntax", yaml_words(str(exc).splitlines()[0])))
        doc.value = None
    return doc


def _line_at(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


# PyYAML's own words for what it could not read (problems, then what it was doing), each with a
# msgid, so a finding can say them in another language; the value it quotes is a parameter.
_YAML_WORDS: tuple[tuple[str, str], ...] = (
    ("yaml.no-colon", "could not find expected ':'"),
    ("yaml.expected-comment", "expected a comment or a line break, but found {found}"),
    ("yaml.expected-alphanumeric", "expected alphabetic or numeric character, but found {found}"),
    ("yaml.expected-node", "expected the node content, but found {found}"),
    ("yaml.expected-indicators", "expected chomping or indentation indicators, but found {found}"),
    ("yaml.expected-digit", "expected a digit, but found {found}"),
    ("yaml.expected-single-document", "expected a single document in the stream"),
    ("yaml.expected-indentation", "expected indentation indicator in the range 1-9, but found 0"),
    ("yaml.expected-found", "expected {expected}, but found {found}"),
    ("yaml.expected-got", "expected {expected}, but got {found}"),
    ("yaml.cannot-start", "found character {found} that cannot start any token"),
    ("yaml.duplicate-anchor", "found duplicate anchor {found}; first occurrence"),
    ("yaml.duplicate-directive", "found duplicate YAML directive"),
    ("yaml.incompatible", "found incompatible YAML document (version 1.* is required)"),
    ("yaml.non-specific-tag", "found non-specific tag '!'"),
    ("yaml.undefined-alias", "found undefined alias {found}"),
    ("yaml.undefined-tag-handle", "found undefined tag handle {found}"),
    ("yaml.unexpected-separator", "found unexpected document separator"),
    ("yaml.unexpected-end", "found unexpected end of stream"),
    ("yaml.unknown-escape", "found unknown escape character {found}"),
    ("yaml.mapping-keys", "mapping keys are not allowed here"),
    ("yaml.mapping-values", "mapping values are not allowed here"),
    ("yaml.unacceptable", "unacceptable character #x{found}: special characters are not allowed"),
    # libyaml's words (the C reader) for the same problems
    ("yaml.mapping-keys-context", "mapping keys are not allowed in this context"),
    ("yaml.mapping-values-context", "mapping values are not allowed in this context"),
    ("yaml.sequence-entries-context", "block sequence entries are not allowed in this context"),
    ("yaml.control-character", "unacceptable character #x{found}: control characters are not allowed"),
    ("yaml.cannot-start-any", "found character that cannot start any token"),
    ("yaml.tab-violates", "found a tab character that violates indentation"),
    ("yaml.tab-indentation", "found a tab character where an indentation space is expected"),
    ("yaml.unexpected-colon", "found unexpected ':'"),
    ("yaml.unexpected-document-indicator", "found unexpected document indicator"),
    ("yaml.unknown-escape-any", "found unknown escape character"),
    ("yaml.invalid-unicode-escape", "found invalid Unicode character escape code"),
    ("yaml.indentation-zero", "found an indentation indicator equal to 0"),
    ("yaml.undefined-tag-handle-any", "found undefined tag handle"),
    ("yaml.duplicate-yaml-directive", "found duplicate %YAML directive"),
    ("yaml.duplicate-tag-directive", "found duplicate %TAG directive"),
    ("yaml.incompatible-any", "found incompatible YAML document"),
    ("yaml.no-document-start", "did not find expected <document start>"),
    ("yaml.no-node", "did not find expected node content"),
    ("yaml.no-key", "did not find expected key"),
    ("yaml.no-dash", "did not find expected '-' indicator"),
    ("yaml.no-flow-sequence-end", "did not find expected ',' or ']'"),
    ("yaml.no-flow-mapping-end", "did not find expected ',' or '}'"),
    ("yaml.no-alphanumeric", "did not find expected alphabetic or numeric character"),
    ("yaml.no-whitespace", "did not find expected whitespace or line break"),
    ("yaml.no-comment", "did not find expected comment or line break"),
    ("yaml.no-hex", "did not find expected hexdecimal number"),
    ("yaml.no-closing-bracket", "did not find the expected '>'"),
    ("yaml.invalid-utf8", "invalid leading UTF-8 octet"),
    ("yaml.incomplete-utf8", "incomplete UTF-8 octet sequence"),
    ("yaml.while-block-node", "while parsing a block node"),
    ("yaml.while-flow-node", "while parsing a flow node"),
    ("yaml.while-parsing-quoted", "while parsing a quoted scalar"),
    ("yaml.while-parsing-block-scalar", "while parsing a block scalar"),
    ("yaml.while-parsing-plain", "while parsing a plain scalar"),
    ("yaml.while-tag-directive", "while parsing a %TAG directive"),
    ("yaml.while-block-mapping", "while parsing a block mapping"),
    ("yaml.while-block-collection", "while parsing a block collection"),
    ("yaml.while-flow-mapping", "while parsing a flow mapping"),
    ("yaml.while-flow-sequence", "while parsing a flow sequence"),
    ("yaml.while-node", "while parsing a {found} node"),
    ("yaml.while-parsing-node", "while parsing a node"),
    ("yaml.while-tag", "while parsing a tag"),
    ("yaml.while-simple-key", "while scanning a simple key"),
    ("yaml.while-quoted", "while scanning a quoted scalar"),
    ("yaml.while-double-quoted", "while scanning a double-quoted scalar"),
    ("yaml.while-block-scalar", "while scanning a block scalar"),
    ("yaml.while-plain-scalar", "while scanning a plain scalar"),
    ("yaml.while-directive", "while scanning a directive"),
    ("yaml.while-scanning-tag", "while scanning a tag"),
    ("yaml.while-anchor", "while scanning an anchor"),
    ("yaml.while-alias", "while scanning an alias"),
    ("yaml.while-next-token", "while scanning for the next token"),
    ("yaml.while-composing", "while composing a mapping"),
    ("yaml.while-parsing", "while parsing {found}"),
    ("yaml.while-scanning", "while scanning {found}"),
)
@cache
def _yaml_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """:data:`_YAML_WORDS` as patterns (made when a file first fails to parse, not on import)."""
    return tuple((msgid, template, re.compile(re.escape(template).replace(re.escape("{found}"), "(?P<found>.*)")
                                              .replace(re.escape("{expected}"), "(?P<expected>.*?)")))
                 for msgid, template in _YAML_WORDS)


def yaml_words(text: str) -> Msg:
    """One of PyYAML's messages as a :class:`Msg` (the same English text)."""
    for msgid, template, pattern in _yaml_patterns():
        m = pattern.fullmatch(text)
        if m:
            said = Msg(msgid, template, **m.groupdict())
            if said == text:
                return said
    return Msg("yaml.other", "{text}", text=text)
