"""The emergency pack's data: who to call and what to do, per plan, collected from the index
(:func:`collect`), and the paths of its page, PDF and vCard.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from ...content.index import Index
from ..links import relative

__all__ = ["PAGE", "PDF", "VCF", "Pack", "PersonCard", "PlanEntry", "SupportEntry", "collect", "mailto_uri", "person_card", "tel_uri"]


PAGE = "emergency/index.md"
PDF = "emergency/emergency-pack.pdf"
VCF = "emergency/continuity-contacts.vcf"


# -- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PhoneEntry:
    label: str
    number: str

    @property
    def uri(self) -> str:
        return tel_uri(self.number)


@dataclass(frozen=True)
class PersonCard:
    """A person as the pack shows them: how to reach them."""

    id: str
    name: str
    role: str = ""
    organisation: str = ""
    phones: tuple[PhoneEntry, ...] = ()
    email: str = ""
    personal_email: str = ""
    alternates: tuple[str, ...] = ()
    known: bool = True  # False: the id names no person record

    @property
    def anchor(self) -> str:
        return f"person-{self.id}"

    @property
    def email_uri(self) -> str:
        return mailto_uri(self.email) if self.email else ""

    @property
    def personal_email_uri(self) -> str:
        return mailto_uri(self.personal_email) if self.personal_email else ""


@dataclass(frozen=True)
class SupportEntry:
    """A supplier's support line (from a supplier contract): who answers, the number, what to quote."""

    supplier: str  # the organisation's name (or "withheld")
    contract: str  # the contract's id
    label: str
    number: str
    account: str = ""
    hours: str = ""

    @property
    def uri(self) -> str:
        return tel_uri(self.number)

    @property
    def name(self) -> str:
        """The name a phone's address book shows for the line: supplier and label."""
        return f"{self.supplier} — {self.label}"


@dataclass(frozen=True)
class PlanContact:
    person: PersonCard
    duty: str
    priority: int


@dataclass(frozen=True)
class Procedure:
    step: str
    responsible: PersonCard | None


@dataclass(frozen=True)
class Target:
    service: str
    target: float | int
    note: str


@dataclass(frozen=True)
class SlaRef:
    id: str
    title: str
    customer: str


@dataclass(frozen=True)
class PlanEntry:
    """One continuity plan, with every reference resolved to something a reader can act on."""

    id: str
    title: str
    version: str
    status: str
    description: str
    approved_by: PersonCard | None
    approved_on: dt.date | None
    services: tuple[str, ...]
    criteria: tuple[str, ...]
    authorised: tuple[PersonCard, ...]
    responsibilities: str
    procedures: tuple[Procedure, ...]
    targets: tuple[Target, ...]
    recovery: tuple[str, ...]
    return_to_normal: tuple[str, ...]
    contacts: tuple[PlanContact, ...]
    contacts_verified: dt.date | None
    supplier_contacts: tuple[PersonCard, ...]
    affected_slas: tuple[SlaRef, ...]
    locations: tuple[str, ...]
    # The support lines of the supplier contracts for the plan's services.
    support_lines: tuple[SupportEntry, ...] = ()

    @property
    def anchor(self) -> str:
        return f"plan-{self.id}"


@dataclass(frozen=True)
class Pack:
    plans: tuple[PlanEntry, ...]
    # Every continuity contact (plan contacts, their alternates, supplier contacts), in order of
    # first appearance; these are the vCards.
    contacts: tuple[PersonCard, ...]
    duties: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person id -> "CP-1: duty"
    # Every support line the plans list, in order of first appearance: one vCard each.
    support_lines: tuple[SupportEntry, ...] = ()

    @property
    def directory(self) -> tuple[PersonCard, ...]:
        """The contacts sorted by name, for the printed directory."""
        return tuple(sorted(self.contacts, key=lambda c: (c.name.casefold(), c.id)))


def tel_uri(number: str) -> str:
    """``+62 812 0000 1111`` -> ``tel:+6281200001111`` (digits and a leading plus only)."""
    digits = re.sub(r"[^0-9]", "", number)
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"


def mailto_uri(address: str) -> str:
    """A ``mailto:`` URL with everything but the plain address characters percent-encoded."""
    return "mailto:" + quote(address, safe="@.+-_")


# What a reference to a record this edition leaves out shows instead (no id, title or link).
WITHHELD = "withheld"


def _title(index: Index, record_id: str | None, withheld: str = WITHHELD) -> str:
    if not record_id:
        return ""
    loaded = index.by_id.get(record_id)
    return loaded.record.title if loaded is not None else withheld


def person_card(index: Index, person_id: str, withheld: str = WITHHELD) -> PersonCard:
    loaded = index.by_id.get(person_id)
    if loaded is None or loaded.record.kind != "person":
        return PersonCard(id="", name=withheld, known=False)
    p = loaded.record
    return PersonCard(
        id=p.id,
        name=p.title,
        role=p.role,
        organisation=_title(index, p.organisation, withheld),
        phones=tuple(PhoneEntry(ph.label, ph.number) for ph in p.phones),
        email=p.email or "",
        personal_email=p.personal_email or "",
        alternates=tuple(p.alternates),
    )


def support_lines(index: Index, services: tuple[str, ...] | list[str], withheld: str = WITHHELD) -> tuple[SupportEntry, ...]:
    """The support lines of every supplier contract (not retired) for any of ``services``, by contract id."""
    wanted = set(services)
    out: list[SupportEntry] = []
    for loaded in sorted(index.of_kind("supplier_contract"), key=lambda item: item.record.id):
        contract = loaded.record
        if contract.status == "retired" or not wanted & set(contract.services):
            continue
        supplier = _title(index, contract.supplier, withheld)
        out.extend(SupportEntry(supplier, contract.id, line.label, line.number, line.account or "", line.hours or "")
                   for line in contract.support_lines)
    return tuple(out)


def collect(index: Index, withheld: str = WITHHELD) -> Pack:
    """Index -> the pack's data: every continuity plan that is not retired, sorted by id.

    References to records the index does not hold (left out of this edition) show ``withheld``.
    """
    cards: dict[str, PersonCard] = {}

    def card(person_id: str) -> PersonCard:
        if person_id not in cards:
            cards[person_id] = person_card(index, person_id, withheld)
        return cards[person_id]

    plans: list[PlanEntry] = []
    order: list[str] = []
    duties: dict[str, list[str]] = {}

    def named(person_id: str, duty: str) -> None:
        if person_id not in order:
            order.append(person_id)
        if duty:
            duties.setdefault(person_id, []).append(duty)

    for loaded in sorted(index.of_kind("continuity_plan"), key=lambda item: item.record.id):
        r = loaded.record
        if r.status == "retired":
            continue
        inv = r.invocation
        contacts = tuple(
            PlanContact(card(c.person), c.duty, c.priority)
            for c in sorted(r.contacts, key=lambda c: c.priority)
        )
        for c in contacts:
            named(c.person.id, f"{r.id}: {c.duty}")
        for c in contacts:
            for alt in c.person.alternates:
                named(alt, "")
        for s in r.supplier_contacts:
            named(s, "")
        slas = []
        for sla_id in r.affected_slas:
            sla = index.by_id.get(sla_id)
            if sla is None:
                continue  # withheld from this edition
            slas.append(SlaRef(sla_id, sla.record.title, _title(index, getattr(sla.record, "customer", None), withheld)))
        plans.append(PlanEntry(
            id=r.id,
            title=r.title,
            version=r.version,
            status=r.status,
            description=r.description or "",
            approved_by=card(r.approval.by) if r.approval else None,
            approved_on=r.approval.date if r.approval else None,
            services=tuple(_title(index, s, withheld) for s in r.services),
            criteria=tuple(inv.criteria) if inv else (),
            authorised=tuple(card(a) for a in inv.authorised) if inv else (),
            responsibilities=inv.responsibilities if inv else "",
            procedures=tuple(Procedure(p.step, card(p.responsible) if p.responsible else None)
                             for p in r.procedures),
            targets=tuple(Target(_title(index, t.service, withheld), t.target, t.note) for t in r.availability_targets),
            recovery=tuple(r.recovery),
            return_to_normal=tuple(r.return_to_normal),
            contacts=contacts,
            contacts_verified=r.contacts_verified,
            supplier_contacts=tuple(card(s) for s in r.supplier_contacts),
            affected_slas=tuple(slas),
            locations=tuple(r.locations),
            support_lines=support_lines(index, r.services, withheld),
        ))
    lines = tuple(dict.fromkeys(line for plan in plans for line in plan.support_lines))
    return Pack(plans=tuple(plans), contacts=tuple(card(i) for i in order),
                duties={k: tuple(v) for k, v in duties.items()}, support_lines=lines)


def person_cards(pack: Pack) -> dict[str, PersonCard]:
    """Every person the pack names (contacts, alternates, invokers, step owners), by id."""
    out: dict[str, PersonCard] = {c.id: c for c in pack.contacts}
    for plan in pack.plans:
        for c in (*plan.authorised, *(p.responsible for p in plan.procedures if p.responsible),
                  *(pc.person for pc in plan.contacts), *plan.supplier_contacts):
            out.setdefault(c.id, c)
        if plan.approved_by:
            out.setdefault(plan.approved_by.id, plan.approved_by)
    return out


def page_link(target: str, here: str = PAGE) -> str:
    """Relative link from ``here`` to the site path ``target`` (for the markdown page)."""
    return relative(target, here)
