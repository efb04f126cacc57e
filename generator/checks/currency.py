"""Currency and authority: contracts still in force for the SLAs they underpin, plans invoked only by
those authorised to invoke them, the security policy communicated at its current version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "contract-ended-underpinning": ("8.3.4.1-b", "8.3.4.1-d"),
    "invocation-unauthorised": ("8.7.2-e",),
    "policy-communicated-outdated": ("8.7.3.1-d",),
}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    yield from _ended_contracts(index, ctx)
    yield from _invocations(index)
    yield from _policies(index)


def _ended_contracts(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.of_kind("supplier_contract"):
        c: Any = loaded.record
        if c.end is None or c.end >= ctx.today:
            continue
        slas = sorted({ref.source.record.id for ref in index.referrers(c.id)
                       if ref.source.record.kind == "sla" and ref.path[:1] == ("underpinned_by",)
                       and ref.source.record.status != "retired"})
        if slas:
            yield finding(loaded, ("end",), "error", "contract-ended-underpinning",
                          Msg("contract-ended-underpinning", "ended on {end}, but {slas} still depends on it "
                              "(underpinned_by): renew or replace the contract, or update the SLAs",
                              end=c.end.isoformat(), slas=slas[0]) if len(slas) == 1 else
                          Msg("contract-ended-underpinning.n", "ended on {end}, but {slas} still depend on it "
                              "(underpinned_by): renew or replace the contract, or update the SLAs",
                              end=c.end.isoformat(), slas=", ".join(slas)))


def _invocations(index: Index) -> Iterator[Finding]:
    for loaded in index.of_kind("continuity_invocation"):
        inv: Any = loaded.record
        plan = index.get(inv.plan)
        if plan is None or plan.kind != "continuity_plan" or plan.invocation is None:
            continue
        if inv.invoked_by not in plan.invocation.authorised:
            yield finding(loaded, ("invoked_by",), "error", "invocation-unauthorised",
                          Msg("invocation-unauthorised", "{who} invoked {plan}, but only {authorised} may invoke "
                              "it (invocation.authorised)", who=inv.invoked_by, plan=plan.id,
                              authorised=", ".join(plan.invocation.authorised)))


def _policies(index: Index) -> Iterator[Finding]:
    for loaded in index.of_kind("security_policy"):
        pol: Any = loaded.record
        if pol.status == "retired":
            continue
        approved = pol.approval.date if pol.approval is not None else None
        for i, aud in enumerate(pol.audiences):
            if aud.version is not None and aud.version.strip() != pol.version.strip():
                yield finding(loaded, ("audiences", i, "version"), "warning", "policy-communicated-outdated",
                              Msg("policy-communicated-outdated", "'{audience}' was told about version {told}; the "
                                  "current version is {version}: communicate it", audience=aud.audience,
                                  told=aud.version, version=pol.version))
            elif aud.version is None and approved is not None and aud.communicated < approved:
                yield finding(loaded, ("audiences", i, "communicated"), "warning", "policy-communicated-outdated",
                              Msg("policy-communicated-outdated.date", "'{audience}' was told on {told}, before "
                                  "version {version} was approved on {approved}: communicate the current version "
                                  "(or write which version was communicated)", audience=aud.audience,
                                  told=aud.communicated.isoformat(), version=pol.version,
                                  approved=approved.isoformat()))
