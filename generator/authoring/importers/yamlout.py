"""Records written as YAML the way the example's authors write them: block style, fields in the
model's order, plain scalars where the project's reader reads them back unchanged, double quotes
(JSON escaping, which YAML reads) everywhere else.

The reader (``generator/content/yamldoc.py``) keeps dates and times as text, and only ``true``/``false`` and
plain decimals as booleans and numbers; text is quoted whenever another YAML tool could read it
differently (``yes``, ``1:30``, ``0777``), so the value read back is always the value written, which
the fingerprint in ``imported_from.hash`` relies on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from ...content.models import KINDS
from ...content.models.imported import owned_values

__all__ = ["assemble", "field_texts", "file_header", "merge_texts", "owned_hash", "record_yaml", "scalar",
           "texts_hash"]

_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n\t\r]*$")
_NUMBERISH = re.compile(r"^[-+.]?[0-9][0-9_:.eE+-]*$|^0[xXoObB]")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "~"}


_CACHE: dict[str, str] = {}


def scalar(value: Any) -> str:
    """A value as a YAML scalar that reads back as the same value."""
    kind = type(value)
    if kind is str:
        written = _CACHE.get(value)
        if written is None:
            written = _text(value)
            # Short values repeat (ids, states, channels): remember them, up to a bound.
            if len(value) <= 40 and len(_CACHE) < 20_000:
                _CACHE[value] = written
        return written
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    # Values read back from a file: the reader's float keeps how it was written, a bool is an int.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    return _text(str(value))


def _text(text: str) -> str:
    if _DATETIME.match(text):
        return text
    if (_PLAIN.match(text) and not _NUMBERISH.match(text) and text.lower() not in _WORDS
            and ": " not in text and " #" not in text and not text.endswith((":", " "))):
        return text
    return json.dumps(text, ensure_ascii=False)


_NAMES: dict[str, list[str]] = {}


def _order(kind: str | None, data: dict[str, Any]) -> list[str]:
    model = KINDS.get(kind) if kind else None
    if model is None:
        return list(data)
    names = _NAMES.get(model.__name__)
    if names is None:
        names = _NAMES[model.__name__] = ["id", "kind", *[n for n in model.model_fields if n not in ("id", "kind")]]
    ordered = [n for n in names if n in data]
    return ordered if len(ordered) == len(data) else ordered + [n for n in data if n not in names]


def _lines(data: dict[str, Any], indent: str, first: str, kind: str | None, out: list[str]) -> None:
    prefix = first
    for key in _order(kind, data):
        value = data[key]
        kind_of = type(value)
        if kind_of is dict:
            out.append(f"{prefix}{key}:")
            _lines(value, indent + "  ", indent + "  ", None, out)
        elif kind_of is list:
            if not value:
                continue
            out.append(f"{prefix}{key}:")
            for item in value:
                if type(item) is dict:
                    _lines(item, indent + "    ", indent + "  - ", None, out)
                else:
                    out.append(f"{indent}  - {scalar(item)}")
        elif value is None:
            continue
        else:
            out.append(f"{prefix}{key}: {scalar(value)}")
        prefix = indent


def field_texts(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Each top-level field of ``record`` as its YAML lines, indented as inside a list item, in the
    model's order (empty values left out)."""
    out: list[tuple[str, str]] = []
    kind = record.get("kind")
    for key in _order(kind if isinstance(kind, str) else None, record):
        value = record[key]
        kind_of = type(value)
        if kind_of is dict or kind_of is list:
            if not value:
                continue
            lines: list[str] = []
            _lines({key: value}, "  ", "  ", None, lines)
            out.append((key, "\n".join(lines)))
        elif value is not None:
            out.append((key, f"  {key}: {scalar(value)}"))
    return out


_POSITIONS: dict[str, dict[str, int]] = {}


def merge_texts(kind: str, *parts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Field texts from several places, one per field (the later place wins), in the model's order."""
    merged = dict(item for part in parts for item in part)
    positions = _POSITIONS.get(kind)
    if positions is None:
        names = ["id", "kind", *[n for n in KINDS[kind].model_fields if n not in ("id", "kind")]]
        positions = _POSITIONS[kind] = {name: n for n, name in enumerate(names)}
    last = len(positions)
    return sorted(merged.items(), key=lambda item: positions.get(item[0], last))


def assemble(texts: list[tuple[str, str]]) -> str:
    """Field texts as one list item ('- id: ...'), ending with a new line."""
    body = "\n".join(text for _, text in texts)
    return "- " + body[2:] + "\n"


def record_yaml(record: dict[str, Any]) -> str:
    """One record as an item of a YAML list ('- id: ...'), ending with a new line."""
    return assemble(field_texts(record))


def texts_hash(texts: list[tuple[str, str]], names: frozenset[str] | set[str]) -> str:
    """Fingerprint of the fields ``names`` as written: the same values always give the same text."""
    joined = "\n".join(text for key, text in texts if key in names)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def owned_hash(kind: str, record: dict[str, Any]) -> str:
    """Fingerprint of the values of ``record`` an import owns (see models.imported.owned_values)."""
    owned = owned_values(KINDS[kind], record)
    return texts_hash(field_texts({"kind": kind, **owned}), set(owned))


def file_header(kind: str, system: str) -> str:
    """The first lines of a file the import creates: the schema for editors, and what the file is."""
    return (f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
            f"# Written by `clause8 import` ({system}). Importing again updates these records; a record whose\n"
            "# imported values you edit is left alone and reported. Add investigations, actions and other\n"
            "# hand-kept fields freely: they are kept.\n")
