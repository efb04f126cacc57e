"""Supplier alignment: stated supports compared in one unit, series combined, recorded checks and
risk acceptances held against the computation.

The computation is :func:`generator.figures.alignment.supplier_alignment`; this module judges it and says where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Joined, Msg
from ..figures.alignment import Supporter, TargetAlignment, describe, supplier_alignment, written
from ..figures.periods import meets
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
                      Msg("alignment-unstated", "{under} underpins this SLA, but none of its targets says which "
                          "target of {sla} it supports: add 'supports: [{sla}#<target>]' to the targets of {under} "
                          "that this SLA depends on", under=uid, sla=sla_id))
    for ta in result.targets:
        yield from _shortfalls(index, ctx, ta)
    yield from _acceptance_targets(index)
    yield from _recorded_checks(index, result.targets)


def _word(comparison: str) -> Msg:
    return Msg("at-least", "at least") if comparison == "at_least" else Msg("at-most", "at most")


def _acceptance(sla: Any, ta: TargetAlignment, value: float, today: dt.date) -> tuple[int | None, str]:
    """(index of the acceptance in force that covers ``value``, else None; a note for the finding)."""
    note: str = ""
    best: tuple[int | None, dt.date | None] = (None, None)
    for i, acc in enumerate(sla.risk_acceptances):
        if acc.target != ta.sla_target:
            continue
        if acc.until < today:
            note = Msg("acceptance.expired", " (the risk acceptance by {by} expired on {until})", by=acc.by,
                       until=acc.until.isoformat())
        elif acc.date > today:
            note = Msg("acceptance.future", " (the risk acceptance by {by} only takes effect on {date})", by=acc.by,
                       date=acc.date.isoformat())
        elif acc.accepted_value is not None and not meets(value, float(acc.accepted_value), ta.comparison):
            note = Msg("acceptance.worse", " (worse than the {value} {unit} accepted by {by} until {until})",
                       value=f"{float(acc.accepted_value):g}", unit=ta.unit, by=acc.by, until=acc.until.isoformat())
        elif best[1] is None or acc.until > best[1]:
            best = (i, acc.until)
    return best[0], ("" if best[0] is not None else note)


def _shortfalls(index: Index, ctx: Context, ta: TargetAlignment) -> Iterator[Finding]:
    loaded = index.by_id[ta.sla]
    sla = loaded.record
    need = Msg("need", "{word} {value} {unit}", word=_word(ta.comparison), value=f"{ta.customer_value:g}",
               unit=ta.unit)
    accepted: dict[int, list[str]] = {}
    for s in ta.weaker:
        assert s.value is not None
        what = Msg("supplier-weaker", "{under} '{target}' promises {word} {written}, weaker than this SLA's "
                   "'{sla_target}' ({need})", under=s.underpinning, target=s.target, word=_word(s.comparison),
                   written=written(s, ta.unit), sla_target=ta.sla_target, need=need)
        acc, note = _acceptance(sla, ta, s.value, ctx.today)
        if acc is not None:
            accepted.setdefault(acc, []).append(what)
            continue
        pos = sla.underpinned_by.index(s.underpinning)
        yield finding(loaded, ("underpinned_by", pos), "error", "supplier-weaker", Joined([what, note], ""))
    if not ta.chain_aligned:
        assert ta.combined is not None
        how = " x " if ta.mode == "product" else " + "
        parts = how.join(describe(s, ta.unit) for s in ta.series)
        verb = Msg("multiplied", "multiplied") if ta.mode == "product" else Msg("added-up", "added up")
        what = Msg("supplier-chain-weaker", "'{sla_target}' needs {need}, but the underpinning targets in series, "
                   "{verb}, give only {combined} ({parts})", sla_target=ta.sla_target, need=need, verb=verb,
                   combined=_combined(ta), parts=parts)
        acc, note = _acceptance(sla, ta, ta.combined, ctx.today)
        if acc is not None:
            accepted.setdefault(acc, []).append(what)
        else:
            yield finding(loaded, ("targets", ta.target_index, "target"), "warning", "supplier-chain-weaker",
                          Joined([what, note], ""))
    for i, whats in sorted(accepted.items()):
        acc = sla.risk_acceptances[i]
        yield finding(loaded, ("risk_acceptances", i), "info", "supplier-shortfall-accepted",
                      Msg("supplier-shortfall-accepted", "accepted risk until {until} by {by} ({authority}) on "
                          "{date}: {whats}. Reason: {reason}", until=acc.until.isoformat(), by=acc.by,
                          authority=acc.authority, date=acc.date.isoformat(), whats=Joined(whats, "; "),
                          reason=acc.reason))


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
                              Msg("acceptance-target-unknown", "'{target}' is not a target of this SLA (its "
                                  "targets: {keys}), so this acceptance covers nothing", target=acc.target,
                                  keys=", ".join(keys) or Msg("none", "none")))


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
                          Msg("alignment-record-contradicted", "the alignment check of {date} says aligned, but "
                              "the targets of {contract} fall short of {short} (see the supplier-weaker and "
                              "supplier-chain-weaker findings of those SLAs): record the gap and its treatment",
                              date=latest.date.isoformat(), contract=contract.id, short=", ".join(short)))
