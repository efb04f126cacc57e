"""Whose records are these: the customers a record concerns, and what a customer's portal may carry.

A record *concerns* a customer when it is that customer's (an SLA with it, a complaint it raised, a
service review held with it, the organisation itself) or names such a record or the customer
(a report on its SLA, a continuity requirement agreed for its SLAs, an action raised from its
complaint). Records about a service rather than a customer (outages, security incidents, their
investigations) concern no customer in particular.

- The **public edition** leaves out every record that concerns a customer unless the record is
  marked ``publish: true`` (and is public, as every record of that edition must be).
- A **customer edition** (``--customer ORG-ID``) carries the records that concern that customer and
  no other, the services it receives (their customer lists cut to it), the outages, security
  incidents and investigations of those services, the improvement actions raised from what it
  carries, and the public security policy. A record that concerns several customers (a continuity
  requirement agreed for two customers' SLAs) is in none of their portals: it would show each the
  others' terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .index import Index
from .models import KINDS
from .models.base import Record

__all__ = ["CUSTOMER_KINDS", "CUSTOMER_ROLES", "Audience", "customer_ids"]

CUSTOMER_ROLES = frozenset({"customer", "user_group"})
# What a customer's portal is made of (records of other kinds never reach it): the kinds whose
# models name the "customer" edition.
CUSTOMER_KINDS = tuple(kind for kind, model in KINDS.items() if "customer" in model.editions)
# Kinds about a service, shown to every customer of the service.
_SERVICE_KINDS = ("outage", "security_incident")
# References that do not make a record a customer's: a service lists all its customers (the list is
# cut per edition instead, see :meth:`Audience.project`).
_IGNORED = {("service", "customers")}


def customer_ids(index: Index) -> list[str]:
    """The organisations that are customers or user groups, sorted."""
    return sorted(loaded.record.id for loaded in index.of_kind("organisation")
                  if CUSTOMER_ROLES & set(loaded.record.roles))


def _own(record: Any, customers: frozenset[str]) -> frozenset[str]:
    """The customer a record belongs to by its own fields."""
    if record.kind == "organisation":
        return frozenset({record.id}) & customers
    customer = getattr(record, "customer", None) if record.kind in ("sla", "complaint", "service_review") else None
    return frozenset({customer}) if customer else frozenset()


class Audience:
    """The customers every record of an index concerns (computed once, from all content)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.customers = frozenset(customer_ids(index))
        self._memo: dict[str, frozenset[str]] = {}

    def concerns(self, record_id: str) -> frozenset[str]:
        """The customers the record concerns (empty: none in particular)."""
        found = self._memo.get(record_id)
        if found is None:
            self._memo[record_id] = frozenset()  # a cycle of references adds nothing
            found = self._compute(record_id)
            self._memo[record_id] = found
        return found

    def _compute(self, record_id: str) -> frozenset[str]:
        loaded = self.index.by_id.get(record_id)
        if loaded is None:
            return frozenset()
        record = loaded.record
        out = set(_own(record, self.customers))
        if record.kind == "organisation":
            return frozenset(out)
        from .index import iter_refs

        for path, target, _kinds in iter_refs(record):
            if (record.kind, path[0]) in _IGNORED:
                continue
            target_kind = self.index.kind_of(target)
            if target_kind == "organisation":
                out |= {target} & self.customers
            elif target_kind in ("sla", "complaint", "service_review", "sla_report", "workload_report",
                                 "communication_record"):
                out |= self.concerns(target)
        if record.kind == "improvement_action":
            # Raised from a customer's record that lists it (a complaint's or a report's actions).
            for ref in self.index.referrers(record.id):
                if ref.source.record.kind != "improvement_action":
                    out |= self.concerns(ref.source.record.id)
        return frozenset(out)

    # -- editions ----------------------------------------------------------------------------
    def published(self, record: Record) -> bool:
        """Whether the public edition may carry ``record``: it concerns no customer, or is marked
        for publication."""
        return not self.concerns(record.id) or getattr(record, "publish", None) is True

    def services_of(self, customer: str) -> frozenset[str]:
        """The services a customer receives: those listing it, and those of its SLAs."""
        out = {loaded.record.id for loaded in self.index.of_kind("service") if customer in loaded.record.customers}
        out |= {loaded.record.service for loaded in self.index.of_kind("sla") if loaded.record.customer == customer}
        return frozenset(out)

    def for_customer(self, customer: str, records: Iterable[Record]) -> set[str]:
        """The ids of ``records`` a portal of ``customer`` may carry (see the module docstring)."""
        services = self.services_of(customer)
        records = list(records)
        kept: set[str] = set()
        actions = []
        for record in records:
            concerns = self.concerns(record.id)
            if record.kind not in CUSTOMER_KINDS:
                continue
            if concerns:
                if concerns == {customer}:
                    kept.add(record.id)
                continue
            if record.kind == "service":
                ok = record.id in services
            elif record.kind in _SERVICE_KINDS:
                affected = {record.service} if record.kind == "outage" else set(record.services)
                ok = bool(affected & services)
            elif record.kind == "security_policy":
                ok = record.classification == "public"
            elif record.kind in ("outage_investigation", "improvement_action"):
                actions.append(record)  # decided once the rest is known
                continue
            else:
                ok = False
            if ok:
                kept.add(record.id)
        # Investigations of its outages; then actions raised from what the portal carries.
        for record in [r for r in actions if r.kind == "outage_investigation"]:
            if any(o in kept for o in record.outages):
                kept.add(record.id)
        for record in [r for r in actions if r.kind == "improvement_action"]:
            sources = set(record.source) | {ref.source.record.id for ref in self.index.referrers(record.id)}
            if sources & kept:
                kept.add(record.id)
        return kept

    def project(self, record: Record, kept: set[str]) -> Record:
        """``record`` as an edition that filters customers shows it: a service's customer list cut
        to the customers the edition carries."""
        if record.kind == "service":
            customers = [c for c in record.customers if c in kept]
            if customers != list(record.customers):
                return record.model_copy(update={"customers": customers})
        return record
