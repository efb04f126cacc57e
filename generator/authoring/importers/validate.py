"""Validating imported records field by field, with the models' own field types.

The record models have no validators across fields, so a record is valid exactly when every field
it has is valid and no required field is missing. Checking field by field lets the values that
repeat in every row of an export (a state, a service id, an owner) be checked once: for a
100,000-row import this is most of the validation time. Messages are the plain words ``check``
shows (generator/content/messages.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from ...content.loader import format_path
from ...content.messages import field_info_at, plain_message
from ...content.models import KINDS

__all__ = ["RecordValidator"]

_MISSING = object()
# The form the import writes date-times in (what fromisoformat and pydantic read alike).
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
# Distinct values remembered per field; dates and times hardly repeat, so the memory stays bounded.
CACHE_LIMIT = 5000


def _key(value: Any) -> Any:
    """A hashable stand-in for ``value`` when it can be remembered, else None (text is its own key)."""
    kind = type(value)
    if kind is str:
        return value
    if kind in (int, float, bool):
        return (kind, value)
    if kind is list and all(type(v) is str for v in value):
        return (list, tuple(value))
    return None


def _at(value: Any, loc: tuple[Any, ...]) -> Any:
    """The part of ``value`` an error's location points at (the value itself when it leads nowhere)."""
    for part in loc:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
    return value


class RecordValidator:
    """Checks a record of one kind: ``problems(record)`` gives (field path, message) pairs."""

    def __init__(self, kind: str) -> None:
        model = KINDS[kind]
        self.model = model
        self.required = frozenset(name for name, info in model.model_fields.items() if info.is_required())
        self.adapters = {name: TypeAdapter(Annotated[info.annotation, info])  # type: ignore[name-defined]
                         for name, info in model.model_fields.items()}
        self.cache: dict[str, dict[Any, tuple[str, str] | None]] = {name: {} for name in model.model_fields}
        # Fields whose check is simple enough to do directly for the common value (text that is not
        # empty; a date-time in the form the import writes); anything else goes to pydantic.
        self.plain_text = frozenset(name for name, info in model.model_fields.items()
                                    if info.annotation is str and len(info.metadata) == 1
                                    and getattr(info.metadata[0], "min_length", None) == 1)
        self.date_time = frozenset(name for name, info in model.model_fields.items()
                                   if info.annotation in (dt.datetime, dt.datetime | None) and not info.metadata)

    def problems(self, record: dict[str, Any]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name in sorted(self.required - record.keys()):
            found.append((name, f"{name} is required and the row gives none (map a column to it, or set it in "
                                "defaults)"))
        for name, value in record.items():
            adapter = self.adapters.get(name)
            if adapter is None:
                found.append((name, f"unknown field '{name}'"))
                continue
            if type(value) is str and value:
                if name in self.plain_text:
                    continue
                if name in self.date_time and _ISO.match(value):
                    try:
                        dt.datetime.fromisoformat(value)
                        continue
                    except ValueError:
                        pass
            key = _key(value)
            cache = self.cache[name]
            if key is not None:
                known = cache.get(key, _MISSING)
                if known is not _MISSING:
                    if known is not None:
                        found.append(known)  # type: ignore[arg-type]
                    continue
            problem = None
            try:
                adapter.validate_python(value)
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                path = (name, *err["loc"])
                message = plain_message(err, _at(value, err["loc"]), field_info_at(self.model, path))
                detail = format_path(path)
                problem = (name, message if detail == name else f"{detail}: {message}")
                found.append(problem)
            if key is not None and len(cache) < CACHE_LIMIT:
                cache[key] = problem
        return found
