"""References between records: unknown ids, wrong kinds, duplicate ids, unknown requirement ids.

Records that failed validation take part too, from what they hold as written: their ids are
known (a reference to a record with a typo elsewhere is not "unknown"), their own references and
requirement ids are checked, and their ids can be duplicates, all in the same run as their
validation findings, so fixing the first findings brings no second wave."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Failed, Loaded, format_path
from ..content.localize import Joined, Msg, Term
from ..content.requirements import catalogue
from . import EVIDENCE, Context, finding
from .placeholders import is_placeholder

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


def _failed_finding(failed: Failed, path: tuple[str | int, ...], code: str, message: str) -> Finding:
    """A finding about a record that failed validation (so is not in the index), at ``path``."""
    line, col = failed.source.pos(*path)
    return Finding(failed.source.file, line, col, "error", code, format_path(failed.source.base + path), message,
                   record=failed.id)


def _duplicates(index: Index) -> Iterator[Finding]:
    # Records that failed validation count too: a copied record keeps its id until fixed, and the
    # duplicate is reported with its other mistakes, not after them.
    places: dict[str, list[Loaded | Failed]] = {rid: list(loaded) for rid, loaded in index.duplicates.items()}
    for failed in index.failed:
        if failed.id and not failed.is_bad(("id",)):
            group = places.setdefault(failed.id, [index.by_id[failed.id]] if failed.id in index.by_id else [])
            group.append(failed)
    for rid, group in places.items():
        if len(group) < 2:
            continue
        for i, place in enumerate(group):
            others = ", ".join(f"{p.source.file}:{p.source.pos('id')[0]}" for j, p in enumerate(group) if j != i)
            message = Msg("id-duplicate", "id '{id}' is also used at {others}", id=rid, others=others)
            if isinstance(place, Failed):
                yield _failed_finding(place, ("id",), "id-duplicate", message)
            else:
                yield finding(place, ("id",), "error", "id-duplicate", message)


def _references(index: Index) -> Iterator[Finding]:
    kinds_by_id = {rid: loaded.record.kind for rid, loaded in index.by_id.items()}
    for rid, kind in index.invalid_ids.items():
        kinds_by_id.setdefault(rid, kind)
    refs: list[tuple[Loaded | Failed, tuple[str | int, ...], str, tuple[str, ...]]] = [
        (ref.source, ref.path, ref.target, ref.kinds) for ref in index.references]
    refs += [(ref.source, ref.path, ref.target, ref.kinds) for ref in index.raw_references]
    candidates: dict[tuple[str, ...], list[str]] = {}  # ids of the kinds a reference allows, for "did you mean"
    for source, path, target, kinds in refs:
        if is_placeholder(target):  # the placeholder check says what to write
            continue
        message = _reference_problem(target, kinds, kinds_by_id, candidates)
        if message is None:
            continue
        code, text = message
        if isinstance(source, Failed):
            yield _failed_finding(source, path, code, text)
        else:
            yield finding(source, path, "error", code, text)


def _reference_problem(target: str, kinds: tuple[str, ...], kinds_by_id: dict[str, str],
                       candidates: dict[tuple[str, ...], list[str]]) -> tuple[str, str] | None:
    kind = kinds_by_id.get(target)
    if kind is not None and (not kinds or kind in kinds):
        return None
    wanted = Joined([Term(k, f"kind.{k}") for k in kinds], " ", Msg("or", " or ")) if kinds else Msg("record", "record")
    if kind is None:
        if kinds not in candidates:
            candidates[kinds] = [i for i, k in kinds_by_id.items() if not kinds or k in kinds]
        close = difflib.get_close_matches(target, candidates[kinds], n=1, cutoff=0.6)
        hint = did_you_mean(close[0]) if close else ""
        return "ref-unknown", Msg("ref-unknown", "'{target}' is not a known {wanted}.{hint}", target=target,
                                  wanted=wanted, hint=hint)
    return "ref-kind", Msg("ref-kind", "'{target}' is {a} {kind}, but {a_wanted} {wanted} is needed here",
                           target=target, a=_a(kind), kind=Term(kind, f"kind.{kind}"), a_wanted=_a(wanted), wanted=wanted)


def did_you_mean(name: str) -> Msg:
    """' Did you mean 'name'?' after a message."""
    return Msg("did-you-mean", " Did you mean '{name}'?", name=name)


def _a(noun: str) -> str:
    """The article of 'a service', 'an organisation'."""
    return "an" if noun[:1] in "aeiou" else "a"


def _requirements(index: Index) -> Iterator[Finding]:
    known = catalogue()
    for loaded in index.records:
        for i, req in enumerate(loaded.record.satisfies):
            message = _requirement_problem(req, known)
            if message is not None:
                yield finding(loaded, ("satisfies", i), "error", "requirement-unknown", message)
    for failed in index.failed:
        written = failed.data.get("satisfies")
        if not isinstance(written, list) or failed.is_bad(("satisfies",)):
            continue
        for i, req in enumerate(written):
            if isinstance(req, str) and not failed.is_bad(("satisfies", i)):
                message = _requirement_problem(req, known)
                if message is not None:
                    yield _failed_finding(failed, ("satisfies", i), "requirement-unknown", message)


def _requirement_problem(req: str, known: Iterable[str]) -> str | None:
    if req in known:
        return None
    close = difflib.get_close_matches(req, list(known), n=1, cutoff=0.6)
    hint = did_you_mean(close[0]) if close else ""
    return Msg("requirement-unknown", "'{req}' is not a requirement id of clause 8.3 or 8.7.{hint}", req=req,
               hint=hint)
