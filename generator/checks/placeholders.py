"""Skeleton placeholders still in a record: ``clause8 new`` writes every required part with a
fill-me marker (text ``TODO: ...``, ids ``TODO-PERSON``), so a fresh skeleton's findings say what
to fill in, one per placeholder, instead of reporting the parts as missing."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Failed, format_path
from ..content.localize import Joined, Msg, Term, about
from ..content.messages import field_info_at
from ..content.models import KINDS
from ..content.models.base import nested_model
from . import EVIDENCE, Context, finding

# The marker every placeholder value starts with: 'TODO: title', 'TODO-PERSON'.
MARKER = "TODO"
_PLACEHOLDER = re.compile(rf"{MARKER}(?:$|[\s:_-])")

# A record still holding a placeholder is not finished evidence of anything it evidences.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "placeholder": (EVIDENCE,),
}


def is_placeholder(value: object) -> bool:
    """Whether ``value`` is a skeleton's fill-me marker ('TODO: ...', 'TODO-PERSON')."""
    return isinstance(value, str) and _PLACEHOLDER.match(value) is not None


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.records:
        text = loaded.source.doc.text
        if text and MARKER not in text:  # most files hold no placeholder: no need to look at each value
            continue
        for path in _in_record(loaded.record, ()):
            yield finding(loaded, path, "error", "placeholder", what_to_write(type(loaded.record), path))
    for failed in index.failed:
        model = KINDS[failed.kind]
        for path in _in_data(failed.data, ()):
            if not failed.is_bad(path):
                yield _failed(failed, path, what_to_write(model, path))


def what_to_write(model: type[BaseModel], path: tuple[str | int, ...]) -> str:
    """The message for a placeholder at ``path`` of a ``model`` record: what belongs there."""
    info = field_info_at(model, path)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    name = next((p for p in reversed(path) if isinstance(p, str)), None)
    said = about(info.description if info is not None else None, name)
    kinds = extra.get("x-ref")
    if isinstance(kinds, list) and kinds:
        wanted = Joined([Term(str(k).replace("_", " "), f"kind.{k}") for k in kinds], " ", Msg("or", " or "))
        return Msg("placeholder.id", "still holds the skeleton's placeholder: write the id of a {wanted}{about}",
                   wanted=wanted, about=said)
    return Msg("placeholder.text", "still holds the skeleton's placeholder: write the text here{about}", about=said)


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, type[BaseModel] | None], ...]:
    """The fields of ``model`` that can hold a placeholder: text (alone or in a list), and nested
    parts (with their model). Dates, numbers, booleans and fixed choices cannot."""
    plan = []
    for name, info in model.model_fields.items():
        nested = nested_model(info.annotation)
        if nested is not None or _holds_text(info.annotation):
            plan.append((name, nested))
    return tuple(plan)


def _holds_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Literal:
        return False
    return any(_holds_text(arg) for arg in typing.get_args(annotation))


def _in_record(obj: BaseModel, prefix: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    for name, nested in _plan(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, str):
            if value.startswith(MARKER) and is_placeholder(value):
                yield prefix + (name,)
        elif isinstance(value, BaseModel):
            yield from _in_record(value, prefix + (name,))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    if item.startswith(MARKER) and is_placeholder(item):
                        yield prefix + (name, i)
                elif isinstance(item, BaseModel):
                    yield from _in_record(item, prefix + (name, i))


def _in_data(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if is_placeholder(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _in_data(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _in_data(item, path + (i,))


def _failed(failed: Failed, path: tuple[str | int, ...], message: str) -> Finding:
    line, col = failed.source.pos(*path)
    return Finding(failed.source.file, line, col, "error", "placeholder", format_path(failed.source.base + path),
                   message, record=failed.id)
