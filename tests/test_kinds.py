"""A record kind is declared once, on its model, and never forgotten: every kind has a place in the
site's sections (its index page is in the navigation and on the home page), and what the rest of
the tool reads from a kind (its section, editions, dates, approval, required parts) names fields the
kind really has. The tables other modules used to keep are made from these declarations."""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from generator.checks.agreements import PARTS
from generator.checks.required import REQUIRED_PARTS
from generator.content.customers import CUSTOMER_KINDS
from generator.content.editions import DEFAULT_EDITIONS, Period, in_force
from generator.content.i18n import Translator
from generator.content.index import build_index
from generator.content.loader import LoadResult
from generator.content.models import KINDS, SECTIONS, SITE_SECTIONS
from generator.content.models.base import Record, nested_model
from generator.site.assemble import render_site
from generator.compliance.trace import evidence_date

KNOWN_EDITIONS = {"public", "continuity", "customer"}


def test_every_kind_is_in_a_section():
    placed = [kind for _, groups in SECTIONS for _, kinds in groups for kind in kinds]
    assert sorted(placed) == sorted(KINDS), "give the kind's model a section and group of SITE_SECTIONS"
    assert len(placed) == len(set(placed))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_declares_its_place(kind: str):
    model = KINDS[kind]
    groups = dict(SITE_SECTIONS)
    assert model.section in groups, f"{kind}: set `section` to one of {list(groups)}"
    assert model.group in groups[model.section], f"{kind}: set `group` to one of {list(groups[model.section])}"
    assert model.position >= 1, f"{kind}: set `position`, its place among the kinds of its group"
    same = [k for k, m in KINDS.items() if (m.section, m.group, m.position) == (model.section, model.group,
                                                                                 model.position)]
    assert same == [kind], f"two kinds at the same position of group {model.group}: {same}"


def test_every_section_and_group_has_kinds_and_labels():
    for section, groups in SECTIONS:
        assert all(kinds for _, kinds in groups), section
    for lang in ("en", "id"):
        t = Translator(lang)
        for section, groups in SITE_SECTIONS:
            assert t.has(f"section.{section}"), (lang, section)
            assert all(t.has(f"section.{group}") for group in groups), (lang, groups)


def test_a_kind_without_a_place_is_caught():
    class Stray(Record):
        kind: typing.Literal["stray"] = "stray"

    assert (Stray.section, Stray.group, Stray.position) == ("", "", 0)  # what the test above rejects


def test_every_kind_index_is_reachable_from_the_navigation():
    site = render_site(build_index(LoadResult()), today=dt.date(2026, 11, 24))

    def paths(nav: object) -> set[str]:
        if isinstance(nav, str):
            return {nav}
        if isinstance(nav, dict):
            return set().union(*(paths(v) for v in nav.values()))
        if isinstance(nav, list):
            return set().union(*(paths(v) for v in nav)) if nav else set()
        return set()

    in_nav = paths(site.nav)
    group_pages = {p for p in in_nav if p.startswith("sections/")}
    reachable = set(in_nav)
    for page in group_pages:
        reachable |= {kind for kind in KINDS if f"records/{kind}/index.md" in page or
                      f"../records/{kind}/" in site.pages[page]}
    missing = [kind for kind in KINDS if f"records/{kind}/index.md" not in in_nav and kind not in reachable]
    assert missing == []


def test_every_kind_is_on_the_home_page():
    site = render_site(build_index(LoadResult()), today=dt.date(2026, 11, 24))
    home = site.pages["index.md"]
    missing = [kind for kind in KINDS if f"](records/{kind}/index.md)" not in home]
    assert missing == []


def _field_type(model: type[Record], dotted: str) -> object:
    current: type = model
    annotation: object = None
    for name in dotted.split("."):
        assert name in current.model_fields, f"{model.__name__} has no field {dotted}"
        annotation = current.model_fields[name].annotation
        current = nested_model(annotation) or object  # type: ignore[assignment]
    return annotation


def _dates(annotation: object) -> set[type]:
    args = typing.get_args(annotation) or (annotation,)
    return {a for a in args if a in (dt.date, dt.datetime, str)}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_declaration_names_a_field_the_kind_has(kind: str):
    model = KINDS[kind]
    assert model.editions <= KNOWN_EDITIONS, model.editions
    for name in (model.event_start, model.event_end, *model.evidence_dates):
        if name is not None:
            assert _dates(_field_type(model, name)), f"{kind}.{name} is not a date, date-time or YYYY-MM period"
    if model.event_start:
        assert model.model_fields[model.event_start].is_required(), f"{kind}: an event's start must be required"
    assert model.event_end is None or model.event_start, f"{kind}: an event with an end needs a start"
    for dotted, label in model.required_parts.items():
        _field_type(model, dotted)
        assert label
    for name in model.stated_parts:
        _field_type(model, name)


# Standing documents with a required date that is not when they happened: in force from their
# approval until retired, whatever that date says.
STANDING_WITH_A_DATE = {"sla": "agreed", "availability_requirement": "monitoring_since", "improvement_action": "due"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_with_a_required_date_is_dated(kind: str):
    # A record that must say when it happened is an event: an audit period keeps it by that date. A
    # new kind with a required date says which one (event_start), or is named here as standing.
    model = KINDS[kind]
    required_dates = [name for name, info in model.model_fields.items()
                      if info.is_required() and {dt.date, dt.datetime} & _dates(info.annotation)]
    if kind in STANDING_WITH_A_DATE:
        assert model.event_start is None and required_dates == [STANDING_WITH_A_DATE[kind]]
    elif required_dates:
        assert model.event_start in required_dates, f"{kind}: declare event_start (one of {required_dates})"


def test_the_tables_are_made_from_the_declarations():
    assert set(REQUIRED_PARTS) == {k for k, m in KINDS.items() if m.required_parts}
    assert set(CUSTOMER_KINDS) == {k for k, m in KINDS.items() if "customer" in m.editions}
    for edition in ("public", "continuity"):
        assert set(DEFAULT_EDITIONS[edition]["kinds"]) == {k for k, m in KINDS.items() if edition in m.editions}
    for edition in ("internal", "auditor"):
        assert DEFAULT_EDITIONS[edition]["kinds"] is None  # every kind
    # What the editions carry (a change here changes who reads what: make it on purpose).
    assert set(DEFAULT_EDITIONS["public"]["kinds"]) == {"service", "sla", "security_policy", "organisation"}
    assert PARTS == {"sla": ("targets", "workload_limits", "exceptions"),
                     "supplier_contract": ("requirements", "targets", "responsibilities", "interfaces"),
                     "internal_agreement": ("targets", "activities", "interfaces")}
    assert {k for k, m in KINDS.items() if m.requires_approval} == {
        "sla", "supplier_contract", "internal_agreement", "continuity_plan", "security_policy"}


def test_dates_from_the_declarations():
    report = KINDS["sla_report"].model_validate(
        {"id": "R-1", "kind": "sla_report", "title": "t", "owner": "P", "sla": "SLA-1", "period": "2026-02",
         "results": []})
    assert evidence_date(report) == dt.date(2026, 2, 28)
    assert in_force(report, Period.parse("2026-01-15..2026-02-01"))  # a month counts from its first day
    assert not in_force(report, Period.parse("2026-03-01..2026-03-31"))


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_an_availability_requirements_period_is_not_a_date(period: str):
    # Its `period` is what availability is measured over, not when the record happened: a standing
    # document, in force from its approval ('quarter' once crashed an audit period's build).
    requirement = KINDS["availability_requirement"].model_construct(
        id="AR-1", kind="availability_requirement", status="approved", approval=None, period=period)
    assert in_force(requirement, Period.parse("2026-01-01..2026-12-31"))
    assert evidence_date(requirement) is None
