"""JSON Schemas and the authors' reference, both generated from the models."""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..content.models import FAMILIES, KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


# What the reader accepts as a date-time (datetime.fromisoformat): a date, "T" or a space, hours
# and minutes, optional seconds and fraction, optional Z or offset. JSON Schema's "date-time"
# format (RFC 3339) would reject "2026-01-12T10:20", which records may hold.
DATE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
# pydantic writes a bound on a union (``float | int``) with its own keywords beside the branches;
# JSON Schema knows them by these names, inside each branch.
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _json_schema_keywords(node: Any) -> Any:
    """Rewrite what pydantic emits that JSON Schema validators do not know (see above)."""
    if isinstance(node, list):
        return [_json_schema_keywords(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema_keywords(value) for key, value in node.items()}
    bounds = {_BOUNDS[key]: node.pop(key) for key in list(node) if key in _BOUNDS}
    if bounds:
        for branch in node.get("anyOf", [node]):
            if branch.get("type") in ("number", "integer"):
                branch.update(bounds)
    if node.get("format") == "date-time":
        del node["format"]
        node["pattern"] = DATE_TIME_PATTERN
    return node


def kind_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a file of ``kind``: one record, or a list of records (as the reader allows)."""
    record = _json_schema_keywords(KINDS[kind].model_json_schema())
    defs = record.pop("$defs", {})
    name = record.get("title") or kind
    defs[name] = record
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_filename(kind),
        "title": name,
        "description": record.get("description", ""),
        "anyOf": [{"$ref": f"#/$defs/{name}"},
                  {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{name}"}}],
        "$defs": defs,
    }


def export_schemas() -> dict[str, str]:
    """File name -> JSON Schema text, one per kind (what ``schemas/`` must hold)."""
    return {schema_filename(kind): json.dumps(kind_schema(kind), indent=2, ensure_ascii=False) + "\n"
            for kind in sorted(KINDS)}


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (list, tuple):
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        parts = [a for a in args if a is not type(None)]
        names = sorted({_type_name(a) for a in parts})
        if set(names) == {"integer", "number"}:
            return "number"
        return " or ".join(names)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {
        str: "text", int: "integer", float: "number", bool: "true/false",
        __import__("datetime").date: "date (YYYY-MM-DD)",
        __import__("datetime").datetime: "date-time (YYYY-MM-DDTHH:MM, optional +07:00)",
    }.get(annotation, getattr(annotation, "__name__", str(annotation)))


def field_type(info: FieldInfo) -> str:
    """Readable type of a field for authors, including what a reference points to."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    name = _type_name(info.annotation)
    if "x-ref" in extra:
        kinds = extra["x-ref"] or ["any record"]
        target = " or ".join(f"`{k}`" for k in kinds)  # type: ignore[union-attr]
        name = f"{'list of ids' if 'list' in name else 'id'} of {target}"
    if extra.get("x-personal-data"):
        name += " (personal data)"
    return name


def _nested(annotation: Any, out: list[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in out:
            out.append(annotation)
            for f in annotation.model_fields.values():
                _nested(f.annotation, out)
        return
    for arg in typing.get_args(annotation):
        _nested(arg, out)


def _table(model: type[BaseModel], skip: set[str]) -> list[str]:
    rows = ["| field | type | required | description |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        desc = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {field_type(info)} | {'yes' if info.is_required() else ''} | {desc} |")
    return rows


def reference_markdown() -> str:
    """The reference of every kind and field for record authors (``docs/reference.md``)."""
    from ..content.models.base import Record

    common = set(Record.model_fields) - {"kind"}
    lines = [
        "# Record reference",
        "",
        "<!-- Generated by `python -m generator docs`; do not edit by hand. -->",
        "",
        "Every record is a YAML mapping with a `kind`. One record per file is the default; a file may",
        "also hold a list of records. Editors validate while typing when a file starts with",
        "`# yaml-language-server: $schema=<path to schemas/KIND.schema.json>`.",
        "",
        "## Fields common to every record",
        "",
        *_table(Record, {"kind"}),
        "",
    ]
    parts: list[type[BaseModel]] = []
    for family in FAMILIES:
        kinds = [(k, m) for k, m in KINDS.items() if m.family == family]
        lines += [f"## {family.replace('_', ' ').capitalize()}", ""]
        for kind, model in kinds:
            lines += [f"### `{kind}`", "", (model.__doc__ or "").strip().splitlines()[0], ""]
            lines += _table(model, common)
            lines.append("")
            for info in model.model_fields.values():
                _nested(info.annotation, parts)
    lines += ["## Nested parts", ""]
    for part in parts:
        lines += [f"### {part.__name__}", "", (part.__doc__ or "").strip().splitlines()[0], ""]
        lines += _table(part, set())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
