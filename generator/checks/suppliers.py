"""Supplier alignment: stated supports compared in one unit, series combined, recorded checks and
risk acceptances held against the computation.

The computation is :func:`generator.alignment.supplier_alignment`; this module judges it and says where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..alignment import Supporter, TargetAlignment, describe, supplier_alignment, written
from ..figures import meets
from ..findings import Finding
from ..index import Index
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "supplier-weaker": ("8.3.4.1-d",),
    "supplier-chain-weaker": ("8.3.4.1-d",),
    "supplier-shortfall-accepted": ("8.3.4.1-d", "8.3.4.1-e"),
    "supports-unknown": ("8.3.4.1-d",),
    "supports-unlisted": ("8.3.4.1-d",),
    "supports-incompatible": ("8.3.4.1-d",),
    "unit-unknown": ("8.3.4.1-d",),
    "alignment-unstated": ("8.3.4.1-d",),
    "alignment-record-contradicted": ("8.3.4.1-d", "8.3.4.1-e"),
    "acceptance-target-unknown": ("8.3.4.1-e",),
}

# A documented, unexpired acceptance: the requirement is judged "risk accepted", not met or not.
VERDICTS: dict[str, str] = {"supplier-shortfall-accepted": "risk_accepted"}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    result = supplier_alignment(index)
    for problem in result.problems:
        yield finding(index.by_id[problem.record], problem.path, "error", problem.code, problem.message)
    for sla_id, uid in result.unstated:
        loaded = index.by_id[sla_id]
        pos = loaded.record.underpinned_by.index(uid)
        yield finding(loaded, ("underpinned_by", pos), "warning", "alignment-unstated",
                      f"{uid} underpins this SLA, but none of its targets says which target of {sla_id} it supports: "
                      f"add 'supports: [{sla_id}#<target>]' to the targets of {uid} that this SLA depends on")
    for ta in result.targets:
        yield from _shortfalls(index, ctx, ta)
    yield from _acceptance_targets(index)
    yield from _recorded_checks(index, result.targets)


def _word(comparison: str) -> str:
    return "at least" if comparison == "at_least" else "at most"


def _acceptance(sla: Any, ta: TargetAlignment, value: float, today: dt.date) -> tuple[int | None, str]:
    """(index of the acceptance in force that covers ``value``, else None; a note for the finding)."""
    note = ""
    best: tuple[int | None, dt.date | None] = (None, None)
    for i, acc in enumerate(sla.risk_acceptances):
        if acc.target != ta.sla_target:
            continue
        if acc.until < today:
            note = f" (the risk acceptance by {acc.by} expired on {acc.until.isoformat()})"
        elif acc.date > today:
            note = f" (the risk acceptance by {acc.by} only takes effect on {acc.date.isoformat()})"
        elif acc.accepted_value is not None and not meets(value, float(acc.accepted_value), ta.comparison):
            note = (f" (worse than the {float(acc.accepted_value):g} {ta.unit} accepted by {acc.by} until "
                    f"{acc.until.isoformat()})")
        elif best[1] is None or acc.until > best[1]:
            best = (i, acc.until)
    return best[0], ("" if best[0] is not None else note)


def _shortfalls(index: Index, ctx: Context, ta: TargetAlignment) -> Iterator[Finding]:
    loaded = index.by_id[ta.sla]
    sla = loaded.record
    need = f"{_word(ta.comparison)} {ta.customer_value:g} {ta.unit}"
    accepted: dict[int, list[str]] = {}
    for s in ta.weaker:
        assert s.value is not None
        what = (f"{s.underpinning} '{s.target}' promises {_word(s.comparison)} {written(s, ta.unit)}, weaker "
                f"than this SLA's '{ta.sla_target}' ({need})")
        acc, note = _acceptance(sla, ta, s.value, ctx.today)
        if acc is not None:
            accepted.setdefault(acc, []).append(what)
            continue
        pos = sla.underpinned_by.index(s.underpinning)
        yield finding(loaded, ("underpinned_by", pos), "error", "supplier-weaker", what + note)
    if not ta.chain_aligned:
        assert ta.combined is not None
        how = " x " if ta.mode == "product" else " + "
        parts = how.join(describe(s, ta.unit) for s in ta.series)
        verb = "multiplied" if ta.mode == "product" else "added up"
        what = (f"'{ta.sla_target}' needs {need}, but the underpinning targets in series, {verb}, give only "
                f"{_combined(ta)} ({parts})")
        acc, note = _acceptance(sla, ta, ta.combined, ctx.today)
        if acc is not None:
            accepted.setdefault(acc, []).append(what)
        else:
            yield finding(loaded, ("targets", ta.target_index, "target"), "warning", "supplier-chain-weaker",
                          what + note)
    for i, whats in sorted(accepted.items()):
        acc = sla.risk_acceptances[i]
        yield finding(loaded, ("risk_acceptances", i), "info", "supplier-shortfall-accepted",
                      f"accepted risk until {acc.until.isoformat()} by {acc.by} ({acc.authority}) on "
                      f"{acc.date.isoformat()}: {'; '.join(whats)}. Reason: {acc.reason}")


def _combined(ta: TargetAlignment) -> str:
    assert ta.combined is not None
    if ta.mode == "product":
        return f"{ta.combined:.3f} {ta.unit}"
    return f"{round(ta.combined, 2):g} {ta.unit}"


def _acceptance_targets(index: Index) -> Iterator[Finding]:
    for loaded in index.of_kind("sla"):
        sla = loaded.record
        keys = [t.id for t in sla.targets]
        for i, acc in enumerate(sla.risk_acceptances):
            if acc.target not in keys:
                yield finding(loaded, ("risk_acceptances", i, "target"), "error", "acceptance-target-unknown",
                              f"'{acc.target}' is not a target of this SLA (its targets: {', '.join(keys) or 'none'}), "
                              "so this acceptance covers nothing")


def _involved(ta: TargetAlignment, uid: str) -> list[Supporter]:
    """The supporters from ``uid`` that make ``ta`` fall short: weaker on their own, or the weakest
    link of a series that falls short (a 99.99 % data centre in series with 99.95 % circuits is
    not what makes the series miss 99.9 %; the circuits are)."""
    out = [s for s in ta.weaker if s.underpinning == uid]
    if not ta.chain_aligned:
        values = [s.value for s in ta.series if s.value is not None]
        weakest = min(values) if ta.comparison == "at_least" else max(values)
        out += [s for s in ta.series if s.underpinning == uid and s.value == weakest and s not in out]
    return out


def _recorded_checks(index: Index, targets: tuple[TargetAlignment, ...]) -> Iterator[Finding]:
    """``alignment-record-contradicted``: a contract's latest alignment check says aligned, the computation does not."""
    by_sla: dict[str, list[TargetAlignment]] = {}
    for ta in targets:
        if not ta.aligned:
            by_sla.setdefault(ta.sla, []).append(ta)
    if not by_sla:
        return
    for loaded in index.of_kind("supplier_contract"):
        contract = loaded.record
        if not contract.alignment_checks or contract.status == "retired":
            continue
        # The latest check speaks for the contract; of two on one day, the later in the list.
        pos, latest = max(enumerate(contract.alignment_checks), key=lambda p: (p[1].date, p[0]))
        if not latest.aligned:
            continue
        short = []
        for sla_id in dict.fromkeys(latest.slas):
            for ta in by_sla.get(sla_id, []):
                if _involved(ta, contract.id):
                    short.append(f"{sla_id} '{ta.sla_target}'")
        if short:
            yield finding(loaded, ("alignment_checks", pos, "aligned"), "error", "alignment-record-contradicted",
                          f"the alignment check of {latest.date.isoformat()} says aligned, but the targets of "
                          f"{contract.id} fall short of {', '.join(short)} (see the supplier-weaker and "
                          "supplier-chain-weaker findings of those SLAs): record the gap and its treatment")
