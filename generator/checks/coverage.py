"""Coverage: every delivered service has an SLA, every external supplier a contract in force, every
internal supplier an agreement, every high security risk a control or a recorded decision, and every
continuity contact a phone number on a contact list verified within its interval.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Joined, Msg
from . import Context, finding
from .reviews import add_duration

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "service-without-sla": ("8.3.3-b",),
    "supplier-without-contract": ("8.3.4.1-b",),
    "internal-supplier-without-agreement": ("8.3.4.2-a",),
    "risk-untreated": ("8.7.3.2-b",),
    "contact-unreachable": ("8.7.2-f",),
    "contacts-unverified": ("8.7.2-f",),
    "control-agreement-undated": ("8.7.3.2-d",),
}

# A security risk is high when its likelihood or its impact is high.
HIGH = "high"


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    yield from _services(index)
    yield from _suppliers(index, ctx)
    yield from _risks(index)
    yield from _contacts(index, ctx)
    yield from _external_controls(index)


def _live(index: Index, kind: str) -> list[Any]:
    return [loaded.record for loaded in index.of_kind(kind) if loaded.record.status != "retired"]


def _services(index: Index) -> Iterator[Finding]:
    """``service-without-sla``: a service in the catalogue, delivered to a customer no SLA covers.

    A service is delivered once its catalogue entry is approved (a draft is still being designed),
    to the organisations in its ``customers`` that have the customer role (user groups and other
    parties are covered by their customer's SLA).
    """
    covered = {(sla.service, sla.customer) for sla in _live(index, "sla")}
    for loaded in index.of_kind("service"):
        svc: Any = loaded.record
        if svc.status != "approved":
            continue
        for i, cid in enumerate(svc.customers):
            org = index.get(cid)
            if org is None or org.kind != "organisation" or "customer" not in org.roles:
                continue
            if (svc.id, cid) not in covered:
                yield finding(loaded, ("customers", i), "error", "service-without-sla",
                              Msg("service-without-sla", "delivered to {customer}, but no SLA with {customer} "
                                  "covers this service: agree one (kind sla, service: {service}, customer: "
                                  "{customer}), or remove {customer} from customers if it no longer receives the "
                                  "service", customer=cid, service=svc.id))


def _suppliers(index: Index, ctx: Context) -> Iterator[Finding]:
    contracts: dict[str, list[Any]] = {}
    for c in _live(index, "supplier_contract"):
        contracts.setdefault(c.supplier, []).append(c)
    agreements = {a.provider for a in _live(index, "internal_agreement")}
    for loaded in index.of_kind("organisation"):
        org: Any = loaded.record
        if org.status == "retired":
            continue
        roles = set(org.roles)
        if "external_supplier" in roles:
            theirs = contracts.get(org.id, [])
            current = [c for c in theirs if c.start <= ctx.today and (c.end is None or c.end >= ctx.today)]
            if not current:
                if not theirs:
                    yield finding(loaded, ("roles", org.roles.index("external_supplier")), "error",
                                  "supplier-without-contract",
                                  Msg("supplier-without-contract", "external supplier has no supplier contract: agree "
                                      "and record one"))
                    continue
                states = Joined([Msg("contract-ended", "{id} ended {date}", id=c.id, date=c.end.isoformat())
                                 if c.end is not None and c.end < ctx.today else
                                 Msg("contract-starts", "{id} starts {date}", id=c.id, date=c.start.isoformat())
                                 for c in sorted(theirs, key=lambda c: c.id)], "; ")
                yield finding(loaded, ("roles", org.roles.index("external_supplier")), "error",
                              "supplier-without-contract",
                              Msg("supplier-without-contract.none-in-force", "external supplier has no contract in "
                                  "force as of {today} ({states}): agree and record one", today=ctx.today.isoformat(),
                                  states=states))
        for role in ("internal_supplier", "customer_as_supplier"):
            if role in roles and org.id not in agreements:
                what = (Msg("internal-supplier", "internal supplier") if role == "internal_supplier"
                        else Msg("customer-as-supplier", "customer acting as a supplier"))
                yield finding(loaded, ("roles", org.roles.index(role)), "error",
                              "internal-supplier-without-agreement",
                              Msg("internal-supplier-without-agreement", "{what} with no internal agreement (kind "
                                  "internal_agreement, provider: {id}): agree one that sets out targets, "
                                  "commitments, activities and interfaces", what=what, id=org.id))
                break


def _risks(index: Index) -> Iterator[Finding]:
    controls: dict[str, list[Any]] = {}
    for ctl in _live(index, "security_control"):
        for rid in ctl.risks:
            controls.setdefault(rid, []).append(ctl)
    for loaded in index.of_kind("security_risk"):
        risk: Any = loaded.record
        if risk.status == "retired" or HIGH not in (risk.likelihood, risk.impact):
            continue
        if risk.treatment != "mitigate":
            continue  # accept, transfer or avoid: a recorded decision with its rationale
        theirs = controls.get(risk.id, [])
        working = [c for c in theirs if c.decision == "implement" and c.state in ("implemented", "operating")]
        decided = [c for c in theirs if c.decision == "accept_risk"]
        if working or decided:
            continue
        if theirs:
            listed = ", ".join(f"{c.id} ({c.decision}, {c.state})" for c in sorted(theirs, key=lambda c: c.id))
            why = Msg("risk-untreated.controls", "none of its controls is implemented or operating: {listed}",
                      listed=listed)
        else:
            why = Msg("risk-untreated.none", "no security control names it")
        yield finding(loaded, ("treatment",), "error", "risk-untreated",
                      Msg("risk-untreated", "high risk (likelihood {likelihood}, impact {impact}) to be mitigated, "
                          "but {why}: implement a control, or record the decision to accept the risk",
                          likelihood=risk.likelihood, impact=risk.impact, why=why))


def _contacts(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.of_kind("continuity_plan"):
        plan: Any = loaded.record
        # Only a plan in force is called from; a draft is still being written (approval-draft says so).
        if plan.status != "approved":
            continue
        places = [(("contacts", i, "person"), c.person) for i, c in enumerate(plan.contacts)]
        places += [(("supplier_contacts", i), p) for i, p in enumerate(plan.supplier_contacts)]
        for path, pid in places:
            person = index.get(pid)
            if person is None or person.kind != "person" or person.phones:
                continue
            yield finding(loaded, path, "warning", "contact-unreachable",
                          Msg("contact-unreachable", "{person} has no phone number: in a continuity event email may "
                              "be down; add a number to {person}, or name someone who can be called", person=pid))
        if not plan.contacts:
            continue
        interval = ctx.contacts_verify_interval
        if plan.contacts_verified is None:
            yield finding(loaded, ("contacts_verified",), "warning", "contacts-unverified",
                          Msg("contacts-unverified.never", "the contact list has never been verified (it should be "
                              "every {interval}): call or check each contact and record the date in "
                              "'contacts_verified'", interval=interval), key=True)
            continue
        due = add_duration(plan.contacts_verified, interval)
        if due < ctx.today:
            yield finding(loaded, ("contacts_verified",), "warning", "contacts-unverified",
                          Msg("contacts-unverified", "contact list last verified on {verified}; it was due again on "
                              "{due} (every {interval}), {days} days ago as of {today}",
                              verified=plan.contacts_verified.isoformat(), due=due.isoformat(), interval=interval,
                              days=(ctx.today - due).days, today=ctx.today.isoformat()))


def _external_controls(index: Index) -> Iterator[Finding]:
    """``control-agreement-undated``: a control agreed with an external party, with no date it was agreed."""
    for loaded in index.of_kind("security_control"):
        ctl: Any = loaded.record
        if ctl.status == "retired" or ctl.decision != "implement" or ctl.agreed is not None:
            continue
        party = ctl.external_organisation or ctl.contract
        if party is not None:
            field = "external_organisation" if ctl.external_organisation else "contract"
            yield finding(loaded, (field,), "error", "control-agreement-undated",
                          Msg("control-agreement-undated", "agreed with {party}, but 'agreed' (when it was agreed) "
                              "is empty: record the date the control was agreed, e.g. the date the contract clause or "
                              "NDA was signed", party=party))
