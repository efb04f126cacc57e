"""``new KIND ID``: a valid skeleton record with every field explained in a comment.

Required fields, and the optional parts the checks require (a continuity plan's invocation,
an SLA's targets...), are written with fill-me markers (``TODO: ...`` text, ``TODO-PERSON`` ids)
that the ``placeholder`` check reports one by one, saying what to write there."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..checks.placeholders import MARKER
from ..content.models import KINDS
from .schemas import field_type, schema_filename


# Required true/false fields whose false is itself a finding (a deficiency to act on): a fresh
# skeleton records none, so its findings are only the placeholders to fill in.
_TRUE_WHEN_NEW = frozenset({"met_requirements", "effective"})


def _patterns(items: Any) -> str:
    """The regex patterns among constraint objects (FieldInfo metadata, Annotated extras)."""
    out = ""
    for m in items:
        if isinstance(m, FieldInfo):
            out += _patterns(m.metadata)
            if isinstance(m.json_schema_extra, dict):
                out += str(m.json_schema_extra.get("pattern", ""))
        out += str(getattr(m, "pattern", "") or "")
    return out


def _placeholder(annotation: Any, info: FieldInfo | None, name: str, record_id: str, pattern: str = "") -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    if origin is typing.Annotated:
        return _placeholder(args[0], info, name, record_id, pattern + _patterns(args[1:]))
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple):
        # The list's field (for its x-ref) goes with the item; the item's own pattern comes from its type.
        return [_placeholder(args[0], info, name, record_id)] if args else []
    if args:  # a union: the first non-None member
        return _placeholder(next(a for a in args if a is not type(None)), info, name, record_id, pattern)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {n: _placeholder(f.annotation, f, n, record_id) for n, f in annotation.model_fields.items()
                if f.is_required()}
    pattern += str(extra.get("pattern", "")) + _patterns(info.metadata if info else [])
    if pattern.startswith("^P("):
        return "P12M"
    if pattern.startswith("^\\d{4}-"):
        return dt.date.today().strftime("%Y-%m")
    if "x-ref" in extra:
        kinds = extra["x-ref"] or ["record"]
        return f"{MARKER}-{str(kinds[0]).upper().replace('_', '-')}"  # type: ignore[index]
    if annotation is dt.datetime:
        return dt.datetime.now().replace(microsecond=0, second=0).isoformat()
    if annotation is dt.date:
        return dt.date.today().isoformat()
    if annotation is bool:
        return name in _TRUE_WHEN_NEW
    if annotation in (int, float):
        return _lowest(info)
    if name == "number":
        return "+62 21 0000 0000"
    if pattern.startswith("^[A-Za-z0-9]"):
        return f"{MARKER}-{name.replace('_', '-')}"
    return f"{MARKER}: {name.replace('_', ' ')}"


def _lowest(info: FieldInfo | None) -> int | float:
    """The smallest placeholder number the field's bounds allow (0 when unbounded)."""
    bounds = {k: getattr(m, k) for m in (info.metadata if info else []) for k in ("ge", "gt", "lt")
              if getattr(m, k, None) is not None}
    if "ge" in bounds:
        return bounds["ge"]  # type: ignore[no-any-return]
    if "gt" in bounds:
        return (bounds["gt"] + bounds["lt"]) / 2 if "lt" in bounds else bounds["gt"] + 1
    return 0


def skeleton_parts(kind: str) -> set[str]:
    """Optional fields a record of ``kind`` still needs to be complete (the checks' required
    parts): a skeleton writes them with placeholders instead of commenting them out."""
    from ..checks.agreements import PARTS
    from ..checks.required import REQUIRED_PARTS

    return {dotted.split(".")[0] for dotted in REQUIRED_PARTS.get(kind, {})} | set(PARTS.get(kind, ()))


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _dump(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines += _dump(v, indent + 2)
            else:
                lines.append(f"{pad}{k}: {_scalar(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}")
        return lines
    lines = []
    for item in value:
        sub = _dump(item, indent + 2) if isinstance(item, (dict, list)) else [f"{pad}  {_scalar(item)}"]
        first = sub[0].lstrip()
        lines.append(f"{pad}- {first}")
        lines += sub[1:]
    return lines


def skeleton(kind: str, record_id: str, owner: str = f"{MARKER}-PERSON",
             values: Mapping[str, Any] | None = None) -> str:
    """YAML text of a new record of ``kind`` that validates against its model.

    ``values`` (field name -> value) are written as given, optional fields too (``clause8 init``'s
    starter records); every other field gets a placeholder, or is commented out if optional.
    """
    model = KINDS[kind]
    values = values or {}
    parts = skeleton_parts(kind)
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{schema_filename(kind)}",
        f"# New {kind.replace('_', ' ')}: {(model.__doc__ or '').strip().splitlines()[0]}",
        "# Starter values to replace with your own; the other optional fields are commented out." if values else
        f"# Replace every '{MARKER}' placeholder (check says where); optional fields are commented out.",
        "",
    ]
    for name, info in model.model_fields.items():
        kind_text = re.sub(r"\[(\w+)\]\(#\w+\)", r"\1", field_type(info).replace("\\|", "|"))
        desc = textwrap.wrap(f"{name} ({kind_text}): {info.description or ''}", 96)
        lines += [f"# {d}" for d in desc]
        if name == "kind":
            value: Any = kind
        elif name == "id":
            value = record_id
        elif name in values:
            value = values[name]
        elif name == "title":
            value = f"{MARKER}: title of {record_id}"
        elif name == "owner":
            value = owner
        elif name in ("classification", "status", "version"):
            value = info.get_default()
        elif info.is_required() or name in parts:
            value = _placeholder(info.annotation, info, name, record_id)
        else:
            default = info.get_default(call_default_factory=True)
            value = default if default not in (None, "") else _placeholder(info.annotation, info, name, record_id)
            body = _dump({name: value}, 0)
            lines += [f"# {b}" for b in body]
            lines.append("")
            continue
        lines += _dump({name: value}, 0)
        lines.append("")
    return "\n".join(lines)
