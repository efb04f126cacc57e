"""Achieved against required: continuity tests against the continuity requirements of the services
their plan covers, availability requirements against the SLAs they are based on, and a plan's
availability targets against what its continuity requirements ask for while it is in force.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Loaded
from ..content.localize import Joined, Msg
from ..figures.alignment import duration_minutes, quantity
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "continuity-test-misjudged": ("8.7.2-g", "8.7.2-i"),
    "continuity-test-unmeasured": ("8.7.2-g", "8.7.2-i"),
    "availability-target-below-sla": ("8.7.1-b", "8.7.1-c"),
    "plan-availability-short": ("8.7.2-e",),
}

_EPS = 1e-9


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.of_kind("continuity_test"):
        yield from _test(index, loaded)
    for loaded in index.of_kind("availability_requirement"):
        yield from _availability_requirement(index, loaded)
    for loaded in index.of_kind("continuity_plan"):
        yield from _plan_targets(index, loaded)


def continuity_requirements(index: Index, plan: Any) -> dict[str, list[Any]]:
    """Service id -> the continuity requirements (not retired) for it that a plan must meet: those the
    plan names in ``requirements`` and those of every service it covers."""
    found: dict[str, Any] = {}
    for rid in plan.requirements:
        req = index.get(rid)
        if req is not None and req.kind == "continuity_requirement":
            found[req.id] = req
    for sid in plan.services:
        for ref in index.referrers(sid):
            req = ref.source.record
            if req.kind == "continuity_requirement" and ref.path == ("service",):
                found.setdefault(req.id, req)
    out: dict[str, list[Any]] = {}
    for req in sorted(found.values(), key=lambda r: r.id):
        if req.status != "retired":
            out.setdefault(req.service, []).append(req)
    return out


def _hours(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m} min" if h and m else f"{h} h" if h else f"{m} min"


def _test(index: Index, loaded: Loaded) -> Iterator[Finding]:
    test: Any = loaded.record
    plan = index.get(test.plan)
    if plan is None or plan.kind != "continuity_plan":
        return
    per_service = {s.service: s for s in test.services}
    misses: list[str] = []
    unmeasured: list[str] = []
    for service, reqs in continuity_requirements(index, plan).items():
        own = per_service.get(service)
        achieved = {
            "rto": (own.achieved_rto if own is not None and own.achieved_rto else test.achieved_rto),
            "rpo": (own.achieved_rpo if own is not None and own.achieved_rpo else test.achieved_rpo),
        }
        for what, label in (("rto", Msg("recovery-time", "recovery time")), ("rpo", Msg("data-loss", "data loss"))):
            got = achieved[what]
            if got is None:
                unmeasured.append(Msg("unmeasured", "{service} {label} ({what})", service=service, label=label,
                                      what=what.upper()))
                continue
            got_min = duration_minutes(got)
            for req in reqs:
                need = getattr(req, what)
                need_min = duration_minutes(need)
                if got_min is None or need_min is None:
                    continue
                if got_min > need_min + _EPS:
                    misses.append(Msg("test-miss", "{service} {label} {got} ({got_hours}) against {what} {need} "
                                      "({need_hours}, {req})", service=service, label=label, got=got,
                                      got_hours=_hours(got_min), what=what.upper(), need=need,
                                      need_hours=_hours(need_min), req=req.id))
    if test.met_requirements and (misses or test.result == "failed"):
        why = Joined(misses, "; ") if misses else Msg("test-failed", "the test result is failed")
        yield finding(loaded, ("met_requirements",), "error", "continuity-test-misjudged",
                      Msg("continuity-test-misjudged", "marked as meeting the continuity requirements, but {why}: "
                          "set met_requirements to false, record the deficiencies and the actions taken", why=why))
    if unmeasured:
        yield finding(loaded, ("achieved_rto",), "warning", "continuity-test-unmeasured",
                      Msg("continuity-test-unmeasured", "no achieved figure for {what}: record achieved_rto and "
                          "achieved_rpo (or per service under 'services') so the test can be judged against the "
                          "requirements", what=Joined(dict.fromkeys(unmeasured))), key=True)


def _availability_requirement(index: Index, loaded: Loaded) -> Iterator[Finding]:
    req: Any = loaded.record
    if req.status == "retired":
        return
    slas: dict[str, Any] = {}
    for sid in req.slas:
        sla = index.get(sid)
        if sla is not None and sla.kind == "sla":
            slas[sla.id] = sla
    for ref in index.referrers(req.service):
        sla = ref.source.record
        if sla.kind == "sla" and ref.path == ("service",):
            slas.setdefault(sla.id, sla)
    for sla in sorted(slas.values(), key=lambda s: s.id):
        if sla.status == "retired":
            continue
        for t in sla.targets:
            q = quantity(t.target, t.unit)
            if t.metric != "availability" or t.comparison != "at_least" or q.dimension != "percent":
                continue
            if float(req.target) < q.value - _EPS:
                yield finding(loaded, ("target",), "error", "availability-target-below-sla",
                              Msg("availability-target-below-sla", "{target} % is below {sla} '{key}' (at least "
                                  "{value} % per {period}): an availability target that the SLAs need more than "
                                  "cannot show they are met", target=f"{req.target:g}", sla=sla.id, key=t.id,
                                  value=f"{q.value:g}", period=t.period))


def _plan_targets(index: Index, loaded: Loaded) -> Iterator[Finding]:
    plan: Any = loaded.record
    if plan.status == "retired":
        return
    targets = {t.service: (i, t) for i, t in enumerate(plan.availability_targets)}
    for service, reqs in continuity_requirements(index, plan).items():
        needed = [(r.availability_during_invocation, r.id) for r in reqs if r.availability_during_invocation is not None]
        if not needed:
            continue
        need, rid = max(needed)
        if service not in targets:
            yield finding(loaded, ("availability_targets",), "error", "plan-availability-short",
                          Msg("plan-availability-short.none", "no availability target for {service} while the "
                              "plan is in force; {req} asks for {need} %", service=service, req=rid,
                              need=f"{need:g}"), key=True)
            continue
        i, t = targets[service]
        if float(t.target) < float(need) - _EPS:
            yield finding(loaded, ("availability_targets", i, "target"), "error", "plan-availability-short",
                          Msg("plan-availability-short", "{service} {target} % while the plan is in force, below "
                              "the {need} % that {req} asks for", service=service, target=f"{t.target:g}",
                              need=f"{need:g}", req=rid))
