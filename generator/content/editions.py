"""Editions: each audience gets exactly what it is cleared for.

A static site cannot ask for a password, so the protection is in what each build contains. An
edition names the highest classification it includes, whether personal data is included, and
which kinds of record it carries. :func:`restrict` makes the index an edition's build sees:
records above its clearance or outside its kinds are left out entirely (so no page, link, search
entry, export row or pack line can name them), and personal-data fields are emptied when the
edition does not include personal data. References to left-out records then render as
"withheld". Content is still *checked* as a whole, so a reference to a withheld record is valid.

Editions are declared under ``extra.clause8.editions`` in ``mkdocs.yml``; the four shipped ones
are the defaults below. An edition with ``customers: published`` (the public one) leaves out every
record that concerns a customer unless it is marked ``publish: true``; a customer edition
(``customer:ORG-ID``, ``--customer ORG-ID`` on the command line) carries one customer's records and
nothing about any other (:mod:`generator.content.customers`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from .customers import CUSTOMER_KINDS, Audience
from .findings import Finding
from .index import Index, build_index
from .loader import Loaded, LoadResult
from .models import KINDS
from .models.base import nested_model

CLEARANCE = {"public": 0, "internal": 1, "confidential": 2}


@dataclass(frozen=True)
class Edition:
    """One audience's view of the records."""

    name: str
    title: str
    classification: str  # the highest classification included
    personal_data: bool
    kinds: tuple[str, ...] | None  # None: every kind
    compliance: bool = False  # the compliance matrix and findings pages
    dashboards: bool = False  # the findings page and the dashboards (implied by compliance)
    noindex: bool = True  # tell search engines to stay away, and write no sitemap
    customers: str = "all"  # "published": records concerning a customer only when marked publish: true
    customer: str | None = None  # a customer edition: that customer's records only

    def includes(self, record: Any) -> bool:
        return (CLEARANCE[record.classification] <= CLEARANCE[self.classification]
                and (self.kinds is None or record.kind in self.kinds))


def _carried_by(edition: str) -> list[str]:
    """The kinds whose models name ``edition`` among the shipped editions that carry them."""
    return [kind for kind, model in KINDS.items() if edition in model.editions]


DEFAULT_EDITIONS: dict[str, dict[str, Any]] = {
    "public": {
        "title": "Public", "classification": "public", "personal_data": False,
        "kinds": _carried_by("public"), "noindex": False,
        "customers": "published",
    },
    "internal": {"title": "Internal", "classification": "internal", "personal_data": False, "kinds": None,
                 "dashboards": True},
    "auditor": {
        "title": "Auditor", "classification": "confidential", "personal_data": False, "kinds": None,
        "compliance": True,
    },
    "continuity": {
        "title": "Continuity", "classification": "confidential", "personal_data": True,
        "kinds": _carried_by("continuity"),
    },
}
# A customer's portal (``customer:ORG-ID``); ``extra.clause8.customer_edition`` may change its title.
CUSTOMER_PREFIX = "customer:"
CUSTOMER_EDITION: dict[str, Any] = {
    "title": "Customer", "classification": "internal", "personal_data": False, "kinds": list(CUSTOMER_KINDS),
}
DEFAULT_BUILD_EDITION = "internal"
DEFAULT_BUNDLE_EDITION = "continuity"


class EditionError(ValueError):
    """An edition is unknown or badly declared."""


def editions(settings: dict[str, Any] | None = None) -> dict[str, Edition]:
    """The declared editions: ``extra.clause8.editions`` of mkdocs.yml, else the defaults."""
    declared = (settings or {}).get("editions") or DEFAULT_EDITIONS
    out = {}
    for name, spec in declared.items():
        spec = spec or {}
        classification = spec.get("classification", "internal")
        if classification not in CLEARANCE:
            raise EditionError(f"edition '{name}': classification must be public, internal or confidential")
        kinds = spec.get("kinds")
        unknown = sorted(set(kinds or ()) - set(KINDS))
        if unknown:
            raise EditionError(f"edition '{name}': unknown kinds {', '.join(unknown)}")
        if spec.get("customers", "all") not in ("all", "published"):
            raise EditionError(f"edition '{name}': customers must be all or published")
        out[name] = Edition(
            name=name, title=str(spec.get("title", name.capitalize())), classification=classification,
            personal_data=bool(spec.get("personal_data", False)),
            kinds=tuple(kinds) if kinds is not None else None, compliance=bool(spec.get("compliance", False)),
            dashboards=bool(spec.get("dashboards", False)),
            noindex=bool(spec.get("noindex", True)), customers=str(spec.get("customers", "all")),
        )
    return out


def customer_edition(settings: dict[str, Any] | None, customer: str) -> Edition:
    """The portal of one customer (an organisation id; :func:`generator.content.customers.customer_ids`)."""
    if not _ID_TOKEN.fullmatch(customer):
        raise EditionError(f"'{customer}' is not an organisation id such as ORG-BANK")
    spec = {**CUSTOMER_EDITION, **((settings or {}).get("customer_edition") or {})}
    title = f"{spec.get('title', 'Customer')} {customer}"
    return Edition(name=f"customer-{customer}", title=title, classification="internal", personal_data=False,
                   kinds=CUSTOMER_KINDS, customer=customer)


def pick(settings: dict[str, Any] | None, name: str | None, default: str) -> Edition:
    """The edition ``name`` (else the settings' default, else ``default``); ``customer:ORG-ID`` is
    that customer's portal."""
    available = editions(settings)
    chosen = name or (settings or {}).get("default_edition") or default
    if chosen.startswith(CUSTOMER_PREFIX):
        return customer_edition(settings, chosen[len(CUSTOMER_PREFIX):])
    if chosen not in available:
        raise EditionError(f"unknown edition '{chosen}' (declared: {', '.join(available)})")
    return available[chosen]


@cache
def _personal_plan(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """Fields of ``model`` to empty when personal data is withheld, with their empty value.

    A field marked personal is emptied; so is a field holding parts with a personal field
    (a person's phones), since a phone entry without its number says nothing useful.
    """
    plan = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        nested = nested_model(info.annotation)
        personal = extra.get("x-personal-data") or (nested is not None and _has_personal(nested))
        if personal:
            plan.append((name, [] if "list" in str(info.annotation) else None))
    return tuple(plan)


def _has_personal(model: type[BaseModel]) -> bool:
    for info in model.model_fields.values():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("x-personal-data"):
            return True
        nested = nested_model(info.annotation)
        if nested is not None and nested is not model and _has_personal(nested):
            return True
    return False


def without_personal_data(record: Any) -> Any:
    plan = _personal_plan(type(record))
    return record.model_copy(update=dict(plan)) if plan else record


def restrict(index: Index, edition: Edition) -> Index:
    """The index an edition's build sees (see the module docstring)."""
    cleared = [loaded for loaded in index.records if edition.includes(loaded.record)]
    audience = None
    if edition.customer is not None or edition.customers == "published":
        # Whose records are whose is decided on all content, before anything is left out.
        audience = Audience(index)
        if edition.customer is not None:
            allowed = audience.for_customer(edition.customer, [loaded.record for loaded in cleared])
        else:
            allowed = {loaded.record.id for loaded in cleared if audience.published(loaded.record)}
        cleared = [loaded for loaded in cleared if loaded.record.id in allowed]
    kept = []
    for loaded in cleared:
        record = loaded.record if edition.personal_data else without_personal_data(loaded.record)
        if audience is not None:
            record = audience.project(record, allowed)
        kept.append(Loaded(record, loaded.source) if record is not loaded.record else loaded)
    return build_index(LoadResult(records=kept))


@dataclass(frozen=True)
class Period:
    """An audit period: evidence in force between ``start`` and ``end`` (both included)."""

    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-01-01..2026-12-31``."""
        first, sep, last = text.partition("..")
        try:
            period = cls(dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip()))
        except ValueError:
            sep = ""
        if not sep or period.start > period.end:
            raise EditionError(f"'{text}' is not a period such as 2026-01-01..2026-12-31")
        return period

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 7:  # YYYY-MM
        return dt.date(int(value[:4]), int(value[5:]), 1)
    return None


def in_force(record: Any, period: Period) -> bool:
    """Whether a record is evidence for ``period``.

    Event records (reports, reviews, incidents, tests...) count when what they record overlaps the
    period; standing documents (policies, plans, agreements, people) when they were approved
    before the period ended and are not retired.
    """
    model = type(record)  # an event names its date fields on its model (event_start, event_end)
    start = _as_date(getattr(record, model.event_start)) if model.event_start else None
    if start is not None:
        end = _as_date(getattr(record, model.event_end)) if model.event_end else None
        end = end or start
        return start <= period.end and end >= period.start
    if record.status == "retired":
        return False
    return record.approval is None or record.approval.date <= period.end


def restrict_period(index: Index, period: Period) -> Index:
    """Only the records in force during ``period`` (the auditor edition's ``--period``)."""
    return build_index(LoadResult(records=[r for r in index.records if in_force(r.record, period)]))


def scope(index: Index, edition: Edition, today: dt.date, period: Period | None = None) -> tuple[Index, dt.date]:
    """What a build or export of ``edition`` works from: the records it is cleared for (in force
    during ``period`` when one is given) and the date they are judged at (``today``, or the
    period's last day if that is earlier). The site, the export and the benchmarks all use this."""
    index = restrict(index, edition)
    if period is None:
        return index, today
    return restrict_period(index, period), min(today, period.end)


_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def split_findings(findings: Iterable[Finding], shown: Index, everything: Index) -> tuple[list[Finding], list[Finding]]:
    """(the findings an edition showing ``shown`` may show, the others).

    A finding may be shown when the record it is about is in the edition and its message names
    no record of ``everything`` that the edition leaves out. Findings about a file rather than a
    record (load errors) are never shown on a site (they stop the build anyway)."""
    visible: list[Finding] = []
    hidden: list[Finding] = []
    kept = shown.by_id
    every = everything.by_id
    for f in findings:
        ok = bool(f.record) and f.record in kept
        if ok:
            for token in _ID_TOKEN.findall(f.message):
                token = token.rstrip("._-")
                if token in every and token not in kept:
                    ok = False
                    break
        (visible if ok else hidden).append(f)
    return visible, hidden


@dataclass(frozen=True)
class View:
    """What a build or export of an edition works from (see :func:`view`)."""

    index: Index  # the records it is cleared for (in force during the period)
    today: dt.date  # the date they are judged at
    full: Index  # every record (in force during the period): what its verdicts are compared with
    findings: list[Finding]  # the findings it may show
    hidden: list[Finding]  # the findings it may not show (they can only make a verdict "withheld")


def view(index: Index, findings: Iterable[Finding], edition: Edition, today: dt.date,
         period: Period | None = None) -> View:
    """:func:`scope`, with the findings split into those the edition may show and the others, and
    the unscoped records its compliance verdicts are compared with (to say "withheld", not
    "missing", where evidence exists that the edition may not show)."""
    shown, judged = scope(index, edition, today, period)
    full = index if period is None else restrict_period(index, period)
    visible, hidden = split_findings(findings, shown, index)
    return View(shown, judged, full, visible, hidden)
