"""Lookups over the loaded records: by id, by kind, references and back-references.

Built once from a :class:`~generator.content.loader.LoadResult`, then only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from pydantic import BaseModel

from .loader import Failed, Loaded, LoadResult
from .models import KINDS, Record
from .models.base import nested_model


class Reference(NamedTuple):
    """One id written in a record field, pointing at another record (a named tuple: tens of
    thousands are made per run, at a fraction of a frozen dataclass's cost)."""

    source: Loaded
    path: tuple[str | int, ...]
    target: str
    kinds: tuple[str, ...]  # allowed kinds; empty means any


@dataclass(frozen=True)
class _RefField:
    name: str
    kinds: tuple[str, ...] | None  # None: not a reference, but holds nested parts
    nested: type[BaseModel] | None


@cache
def _plan(model: type[BaseModel]) -> tuple[_RefField, ...]:
    """Which fields of ``model`` hold references or nested parts (computed once per model)."""
    plan = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "x-ref" in extra:
            plan.append(_RefField(name, tuple(extra["x-ref"]), None))  # type: ignore[arg-type]
            continue
        nested = nested_model(info.annotation)
        if nested is not None:
            plan.append(_RefField(name, None, nested))
    return tuple(plan)



def iter_refs(obj: BaseModel, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str, tuple[str, ...]]]:
    """Every (path, target id, allowed kinds) written in ``obj`` and its nested parts."""
    for rf in _plan(type(obj)):
        value = getattr(obj, rf.name)
        if value is None:
            continue
        if rf.kinds is not None:
            if isinstance(value, str):
                yield prefix + (rf.name,), value, rf.kinds
            else:
                for i, v in enumerate(value):
                    yield prefix + (rf.name, i), v, rf.kinds
        elif isinstance(value, BaseModel):
            yield from iter_refs(value, prefix + (rf.name,))
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel):
                    yield from iter_refs(v, prefix + (rf.name, i))


@dataclass(frozen=True)
class RawReference:
    """One id written in a record that failed validation, read from the record as written, so
    that a misspelt id is reported in the same run as the record's other mistakes."""

    source: Failed
    path: tuple[str | int, ...]
    target: str
    kinds: tuple[str, ...]  # allowed kinds; empty means any


def iter_raw_refs(model: type[BaseModel], data: Any,
                  prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str, tuple[str, ...]]]:
    """Every (path, target id, allowed kinds) written as text in the raw ``data`` of a ``model``
    record, where the reference fields are (values of the wrong shape are left out)."""
    if not isinstance(data, dict):
        return
    for rf in _plan(model):
        value = data.get(rf.name)
        if value is None:
            continue
        if rf.kinds is not None:
            if isinstance(value, str):
                yield prefix + (rf.name,), value, rf.kinds
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, str):
                        yield prefix + (rf.name, i), v, rf.kinds
        elif rf.nested is not None:
            if isinstance(value, dict):
                yield from iter_raw_refs(rf.nested, value, prefix + (rf.name,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    yield from iter_raw_refs(rf.nested, v, prefix + (rf.name, i))


@dataclass
class Index:
    """Read-only lookups over all loaded records."""

    records: list[Loaded]
    by_id: dict[str, Loaded] = field(default_factory=dict)
    duplicates: dict[str, list[Loaded]] = field(default_factory=dict)
    by_kind: dict[str, list[Loaded]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    backrefs: dict[str, list[Reference]] = field(default_factory=dict)
    invalid_ids: dict[str, str] = field(default_factory=dict)
    # Records that failed validation (not indexed as records), and the references they make.
    failed: list[Failed] = field(default_factory=list)
    raw_references: list[RawReference] = field(default_factory=list)

    def get(self, record_id: str) -> Record | None:
        loaded = self.by_id.get(record_id)
        return loaded.record if loaded else None

    def of_kind(self, kind: str) -> list[Loaded]:
        return self.by_kind.get(kind, [])

    def kind_of(self, record_id: str) -> str | None:
        loaded = self.by_id.get(record_id)
        if loaded:
            return loaded.record.kind
        return self.invalid_ids.get(record_id)

    def referrers(self, record_id: str) -> list[Reference]:
        """References that point at ``record_id`` (the "links both ways")."""
        return self.backrefs.get(record_id, [])


def build_index(result: LoadResult) -> Index:
    """Index every record. Order-independent: records are sorted by (id, file, place in file)."""
    ordered = sorted(result.records, key=lambda r: (r.record.id, r.source.file, r.source.base))
    index = Index(records=[], invalid_ids=dict(result.invalid_ids))
    for loaded in ordered:
        rid = loaded.record.id
        if rid in index.by_id:
            index.duplicates.setdefault(rid, [index.by_id[rid]]).append(loaded)
            continue
        index.by_id[rid] = loaded
        index.records.append(loaded)
        index.by_kind.setdefault(loaded.record.kind, []).append(loaded)
    for loaded in index.records:
        for path, target, kinds in iter_refs(loaded.record):
            ref = Reference(loaded, path, target, kinds)
            index.references.append(ref)
            index.backrefs.setdefault(target, []).append(ref)
    for failed in result.failed:
        index.failed.append(failed)
        for path, target, kinds in iter_raw_refs(KINDS[failed.kind], failed.data):
            if not failed.is_bad(path):
                index.raw_references.append(RawReference(failed, path, target, kinds))
    for kind in KINDS:
        index.by_kind.setdefault(kind, [])
    return index
