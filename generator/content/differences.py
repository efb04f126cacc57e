"""Field-level differences between two versions of a record, as data.

Versions are raw YAML mappings (what :mod:`generator.content.history` reads from git); the record's model
says which fields refer to other records, which parts a list holds and in what order fields come.
Items of a list of parts are matched by what identifies them (an SLA target by its ``id``, a
contact by its ``person``), so "target 'avail': 99.5 -> 99.9" and "contact PER-ANDI added" come
out instead of "item 3 changed". Nothing here is language or markup: the site and the export
render a :class:`Difference` each in their own way (:mod:`generator.site.document_control`).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Literal

from pydantic import BaseModel

from .models import KINDS
from .models.base import nested_model
from .yamldoc import ScalarFloat

# What identifies an item of a list of parts, in order of preference: the first of these fields
# the part has whose values are present and distinct in both versions.
IDENTITY_FIELDS = ("id", "key", "person", "service", "target", "metric", "party", "audience", "name", "label",
                   "path", "question", "date", "risk", "step")
# A text longer than this (or on several lines) is shown as the words that changed, not whole.
LONG_TEXT = 80
# Changed words up to this many (both sides) are shown as one run; more are matched word by word.
SMALL_EDIT = 12

What = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Step:
    """One step of the path to a difference: a field, or an item of a list field."""

    field: str
    item: Any = None  # the identity of a list item (its id, person, ...), or None
    position: int | None = None  # 1-based place of an item that has no identity
    item_ref: bool = False  # the identity is a record id
    item_key: str | None = None  # the field that identifies the item (``id``, ``metric``, ...)
    # That field's pydantic definition (the site words an enumeration or a duration by it).
    item_info: Any = dataclass_field(default=None, compare=False)


@dataclass(frozen=True)
class Difference:
    """One field (or list item) that differs between two versions."""

    steps: tuple[Step, ...]
    what: What
    old: Any = None
    new: Any = None
    ref: bool = False  # the values are record ids
    part: type[BaseModel] | None = None  # the model of the values, when they are parts (dicts)
    unit: str | None = None  # the unit the values are in, when the part gives one
    listed: bool = False  # an item of a list was added or removed (not the whole field set or cleared)
    # The pydantic definition of the field the values are of: the site words enumerations and
    # durations by it, as on the rest of the page (generator.site.wording). Not part of equality.
    info: Any = dataclass_field(default=None, compare=False)

    @property
    def field(self) -> str:
        return self.steps[-1].field

    def path(self) -> str:
        """``targets['avail'].target``, ``contacts[2]``: the path as plain text."""
        out = ""
        for step in self.steps:
            out += ("." if out else "") + step.field
            if step.item is not None:
                out += f"[{plain(step.item)!r}]"
            elif step.position is not None:
                out += f"[{step.position}]"
        return out


_MISSING: Any = object()


def _empty(value: Any) -> bool:
    return value is _MISSING or value is None or value == "" or value == [] or value == {}


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if _empty(a) and _empty(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, ScalarFloat) and isinstance(b, ScalarFloat):
        return a.raw == b.raw or a == b
    return bool(a == b)


def _extra(info: Any) -> dict[str, Any]:
    return info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}


@functools.cache
def _order(model: type[BaseModel]) -> dict[str, int]:
    return {name: i for i, name in enumerate(model.model_fields)}


def differences(old: Mapping[str, Any], new: Mapping[str, Any], kind: str | None = None,
                skip: tuple[str, ...] = ("id",)) -> list[Difference]:
    """Every field of ``new`` that differs from ``old`` (both raw mappings of one record)."""
    model = KINDS.get(kind or str(new.get("kind") or old.get("kind")))
    return list(_mapping(old, new, model, (), skip))


def _mapping(old: Mapping[str, Any], new: Mapping[str, Any], model: type[BaseModel] | None,
             steps: tuple[Step, ...], skip: tuple[str, ...] = ()) -> Iterator[Difference]:
    # Most fields of consecutive versions are the very same objects (generator.content.history shares them).
    get = old.get
    changed = [k for k, v in new.items() if get(k, _MISSING) is not v]
    changed = [k for k in changed if k not in skip and not _same(get(k, _MISSING), new[k])]
    changed += [k for k, v in old.items() if k not in new and k not in skip and not _empty(v)]
    if not changed:
        return
    order = _order(model) if model is not None else {}
    changed.sort(key=lambda k: (order.get(k, len(order)), k))  # the model's order, then unknown fields
    for name in changed:
        a, b = old.get(name, _MISSING), new.get(name, _MISSING)
        info = model.model_fields.get(name) if model is not None else None
        unit = None
        if old.get("unit") is not None and _same(old.get("unit"), new.get("unit")) and name != "unit":
            unit = str(plain(new["unit"]))
        yield from _value(a, b, info, steps + (Step(name),), unit)


_META: dict[int, tuple[bool, type[BaseModel] | None]] = {}


def _meta(info: Any) -> tuple[bool, type[BaseModel] | None]:
    """(a reference field, the model of its parts) of a model field, worked out once per field."""
    if info is None:
        return False, None
    found = _META.get(id(info))
    if found is None:
        found = _META[id(info)] = ("x-ref" in _extra(info), nested_model(info.annotation))
    return found


def _value(a: Any, b: Any, info: Any, steps: tuple[Step, ...], unit: str | None) -> Iterator[Difference]:
    ref, part = _meta(info)
    a_list = isinstance(a, list) or _empty(a) and isinstance(b, list)
    b_list = isinstance(b, list) or _empty(b) and isinstance(a, list)
    if a_list and b_list:
        a_items = [] if _empty(a) else a
        b_items = [] if _empty(b) else b
        if all(isinstance(i, dict) for i in [*a_items, *b_items]):
            yield from _parts(a_items, b_items, part, steps, info)
        else:
            yield from _scalars(a_items, b_items, steps, ref, info)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        yield from _mapping(a, b, part, steps)
        return
    value_part = part if isinstance(a if not _empty(a) else b, dict) else None
    if _empty(a):
        yield Difference(steps, "added", None, b, ref, value_part, unit, info=info)
    elif _empty(b):
        yield Difference(steps, "removed", a, None, ref, value_part, unit, info=info)
    else:
        yield Difference(steps, "changed", a, b, ref, value_part, unit, info=info)


def _identity(part: type[BaseModel] | None, a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str | None:
    """The field that identifies the items of both lists: present, plain and distinct in each."""
    for name in IDENTITY_FIELDS:
        if part is not None and name not in part.model_fields:
            continue
        ok = True
        for items in (a, b):
            values = [i.get(name) for i in items]
            if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) or \
                    len({str(v) for v in values}) != len(values):
                ok = False
                break
        if ok:
            return name
    return None


def _parts(a: list[dict[str, Any]], b: list[dict[str, Any]], part: type[BaseModel] | None,
           steps: tuple[Step, ...], info: Any = None) -> Iterator[Difference]:
    head, field = steps[:-1], steps[-1].field
    key = _identity(part, a, b)
    if key is not None:
        key_info = part.model_fields.get(key) if part is not None else None
        item_ref = "x-ref" in _extra(key_info)
        old = {str(i[key]): i for i in a}
        new = {str(i[key]): i for i in b}
        order = list(old) + [k for k in new if k not in old]
        for k in order:
            ident = (new.get(k) or old[k])[key]
            step = head + (Step(field, item=ident, item_ref=item_ref, item_key=key, item_info=key_info),)
            if k not in new:
                yield Difference(step, "removed", old[k], None, False, part, listed=True, info=info)
            elif k not in old:
                yield Difference(step, "added", None, new[k], False, part, listed=True, info=info)
            elif not _same(old[k], new[k]):
                yield from _mapping(old[k], new[k], part, step, skip=(key,))
        return
    # No identity: match equal items, then report what is left by position.
    matcher = difflib.SequenceMatcher(a=[repr(sorted(i.items())) for i in a],
                                      b=[repr(sorted(i.items())) for i in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for n in range(pairs):
            yield from _mapping(a[i1 + n], b[j1 + n], part, head + (Step(field, position=j1 + n + 1),))
        for n in range(i1 + pairs, i2):
            yield Difference(head + (Step(field, position=n + 1),), "removed", a[n], None, False, part, listed=True,
                             info=info)
        for n in range(j1 + pairs, j2):
            yield Difference(head + (Step(field, position=n + 1),), "added", None, b[n], False, part, listed=True,
                             info=info)


def _scalars(a: list[Any], b: list[Any], steps: tuple[Step, ...], ref: bool, info: Any = None) -> Iterator[Difference]:
    old, new = [plain(v) for v in a], [plain(v) for v in b]
    removed = [v for v in a if plain(v) not in new]
    added = [v for v in b if plain(v) not in old]
    for v in removed:
        yield Difference(steps, "removed", v, None, ref, listed=True, info=info)
    for v in added:
        yield Difference(steps, "added", None, v, ref, listed=True, info=info)
    if not removed and not added and old != new:
        yield Difference(steps, "changed", a, b, ref, info=info)


def plain(value: Any) -> Any:
    """A raw value as JSON-ready data: numbers as written (``1.10`` stays '1.10')."""
    if isinstance(value, ScalarFloat):
        return value.raw
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def is_long_text(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value.strip())


_WORDS = re.compile(r"\S+")


def text_changes(old: str, new: str, limit: int = 3, width: int = 60) -> list[tuple[str, str]]:
    """The runs of words that changed between two texts: [(old words, new words)], the first ``limit``
    runs, each side cut to ``width`` characters (an empty side: nothing there)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    # Most edits touch one place: the words around it are the same on both sides (cheap to find).
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a, b = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(a) + len(b) <= SMALL_EDIT:
        return [(_cut(" ".join(a), width), _cut(" ".join(b), width))] if a or b else []
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        out.append((_cut(" ".join(a[i1:i2]), width), _cut(" ".join(b[j1:j2]), width)))
        if len(out) == limit:
            break
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def map_refs(value: Any, part: type[BaseModel] | None, ref: bool, fn: Callable[[str], Any]) -> Any:
    """``value`` with every record id in it (by the model's reference fields) replaced by ``fn(id)``."""
    if ref:
        return [fn(v) for v in value] if isinstance(value, list) else fn(value) if isinstance(value, str) else value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            info = part.model_fields.get(k) if part is not None else None
            out[k] = map_refs(v, nested_model(info.annotation) if info is not None else None,
                              "x-ref" in _extra(info), fn)
        return out
    if isinstance(value, list):
        return [map_refs(v, part, False, fn) for v in value]
    return value


__all__ = ["Difference", "Step", "differences", "is_long_text", "map_refs", "plain", "text_changes"]
