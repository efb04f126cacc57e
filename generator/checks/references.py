"""References between records: unknown ids, wrong kinds, duplicate ids, unknown requirement ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..findings import Finding
from ..index import Index
from ..requirements import catalogue
from . import EVIDENCE, Context, finding

# A broken reference or id makes the record's evidence doubtful for everything it evidences.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "id-duplicate": (EVIDENCE,),
    "ref-unknown": (EVIDENCE,),
    "ref-kind": (EVIDENCE,),
    "requirement-unknown": (EVIDENCE,),
}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    yield from _duplicates(index)
    yield from _references(index)
    yield from _requirements(index)


def _duplicates(index: Index) -> Iterator[Finding]:
    for rid, places in index.duplicates.items():
        for i, loaded in enumerate(places):
            others = ", ".join(f"{p.source.file}:{p.source.pos('id')[0]}" for j, p in enumerate(places) if j != i)
            yield finding(loaded, ("id",), "error", "id-duplicate", f"id '{rid}' is also used at {others}")


def _references(index: Index) -> Iterator[Finding]:
    ids = list(index.by_id)
    for ref in index.references:
        kind = index.kind_of(ref.target)
        wanted = " or ".join(ref.kinds) if ref.kinds else "record"
        if kind is None:
            candidates = [i for i in ids if not ref.kinds or index.by_id[i].record.kind in ref.kinds]
            close = difflib.get_close_matches(ref.target, candidates, n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            yield finding(ref.source, ref.path, "error", "ref-unknown", f"'{ref.target}' is not a known {wanted}.{hint}")
        elif ref.kinds and kind not in ref.kinds:
            yield finding(ref.source, ref.path, "error", "ref-kind",
                          f"'{ref.target}' is a {kind}, but a {wanted} is needed here")


def _requirements(index: Index) -> Iterator[Finding]:
    known = catalogue()
    for loaded in index.records:
        for i, req in enumerate(loaded.record.satisfies):
            if req not in known:
                close = difflib.get_close_matches(req, list(known), n=1, cutoff=0.6)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                yield finding(loaded, ("satisfies", i), "error", "requirement-unknown",
                              f"'{req}' is not a requirement id of clause 8.3 or 8.7.{hint}")
