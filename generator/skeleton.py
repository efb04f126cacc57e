"""``new KIND ID``: a valid skeleton record with every field explained in a comment."""

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

from .models import KINDS
from .schemas import field_type, schema_filename


def _placeholder(annotation: Any, info: FieldInfo | None, name: str, record_id: str) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    if origin is typing.Annotated:
        return _placeholder(args[0], info, name, record_id)
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple):
        return [_placeholder(args[0], None, name, record_id)] if args else []
    if args:  # a union: the first non-None member
        return _placeholder(next(a for a in args if a is not type(None)), info, name, record_id)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {n: _placeholder(f.annotation, f, n, record_id) for n, f in annotation.model_fields.items()
                if f.is_required()}
    pattern = str(extra.get("pattern", "")) + "".join(str(getattr(m, "pattern", "") or "") for m in (info.metadata if info else []))
    if pattern.startswith("^P("):
        return "P12M"
    if pattern.startswith("^\\d{4}-"):
        return dt.date.today().strftime("%Y-%m")
    if "x-ref" in extra:
        kinds = extra["x-ref"] or ["record"]
        return f"{str(kinds[0]).upper().replace('_', '-')}-ID"  # type: ignore[index]
    if annotation is dt.datetime:
        return dt.datetime.now().replace(microsecond=0, second=0).isoformat()
    if annotation is dt.date:
        return dt.date.today().isoformat()
    if annotation is bool:
        return False
    if annotation in (int, float):
        return 0
    if name == "number":
        return "+62 21 0000 0000"
    if pattern.startswith("^[A-Za-z0-9]"):
        return name.replace("_", "-")
    return f"TODO {name.replace('_', ' ')}"


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


def skeleton(kind: str, record_id: str, owner: str = "PERSON-ID", values: Mapping[str, Any] | None = None) -> str:
    """YAML text of a new record of ``kind`` that validates against its model.

    ``values`` (field name -> value) are written as given, optional fields too (``clause8 init``'s
    starter records); every other field gets a placeholder, or is commented out if optional.
    """
    model = KINDS[kind]
    values = values or {}
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{schema_filename(kind)}",
        f"# New {kind.replace('_', ' ')}: {(model.__doc__ or '').strip().splitlines()[0]}",
        "# Starter values to replace with your own; the other optional fields are commented out." if values else
        "# Required fields have placeholder values; optional fields are commented out.",
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
            value = f"TODO title of {record_id}"
        elif name == "owner":
            value = owner
        elif name in ("classification", "status", "version"):
            value = info.get_default()
        elif info.is_required():
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
