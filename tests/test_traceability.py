"""Requirement traceability: evidence rules, statuses, and the compliance pages built from them."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from generator.site.compliance_pages import MATRIX, render_compliance, requirement_links, requirement_path
from generator.content.i18n import Translator, tables
from generator.content.index import Index
from generator.content.models import KINDS
from generator.checks.pipeline import check_content
from generator.site.assemble import render_site
from generator.content.requirements import catalogue
from generator.compliance.trace import (
    DATA, STATUSES, RequirementStatus, evidence_types, evidenced_by, rules, trace
)
from generator.compliance.matrix import matrix_rows
from tests.conftest import PERSON, ROOT, TODAY, write_tree

APPROVED_PERSON = PERSON + "status: approved\n"

COMM_PLAN = """\
kind: communication_plan
id: COMMPLAN
title: Communication plan
owner: PER-ANI
status: {status}
channels:
  - audience: Customer IT managers
    channel: Quarterly service meeting
    frequency: P3M
    owner: PER-ANI
"""

SERVICE = """\
kind: service
id: SVC-MAIL
title: Managed email
owner: PER-ANI
status: approved
criticality: high
"""

SERVICE_REVIEW = """\
kind: service_review
id: SR-1
title: Service review
owner: PER-ANI
status: approved
services: [SVC-MAIL]
period_start: {start}
period_end: {end}
date: {date}
trends: Availability stable
outcomes: Targets met
"""


def index_of(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY) -> Index:
    content = write_tree(tmp_path, files)
    checked = check_content(content, today)
    errors = [f.text() for f in checked.findings if f.severity == "error"]
    assert errors == []
    return checked.index


def status_of(tmp_path: Path, files: dict[str, str], rid: str, today: dt.date = TODAY) -> RequirementStatus:
    found = trace(index_of(tmp_path, files, today), today).get(rid)
    assert found is not None
    return found


# -- the rules stay in step with the catalogue and the models ------------------------------------
def test_every_evidence_type_of_the_catalogue_is_mapped():
    mapped = set(rules().evidence_kinds)
    needed = {t for req in catalogue().values() for t in req.evidence}
    assert needed - mapped == set()
    assert mapped - set(evidence_types()) == set(), "rules map evidence types the catalogue does not describe"


def test_rules_name_real_kinds_fields_and_requirements():
    r = rules()
    data = yaml.safe_load((DATA / "evidence_rules.yaml").read_text(encoding="utf-8"))
    matchers = [m for ms in r.evidence_kinds.values() for m in ms]
    for rid, override in r.overrides.items():
        req = catalogue().get(rid)
        assert req is not None, f"override for unknown requirement {rid}"
        assert set(override.evidence_kinds) <= set(req.evidence), rid
        assert set(override.aged or ()) <= set(req.evidence), rid
        matchers += [m for ms in override.evidence_kinds.values() for m in ms]
    for m in matchers:
        assert m.kind in KINDS, m
        fields = KINDS[m.kind].model_fields
        for name in [n for n, _ in m.where] + list(m.has):
            assert name in fields, f"{m.kind} has no field {name}"
    assert data["requirements"], "overrides are read"


# -- statuses --------------------------------------------------------------------------------
def test_missing_when_no_record_evidences_it(tmp_path: Path):
    st = status_of(tmp_path, {"people/ani.yaml": APPROVED_PERSON}, "8.3.2-c")
    assert (st.status, st.evidence) == ("missing", [])
    assert [(c.type, c.covered, c.records) for c in st.coverage] == [("communication_plan", False, [])]


def test_met_by_an_approved_record_of_the_rule_kind(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": COMM_PLAN.format(status="approved")}
    st = status_of(tmp_path, files, "8.3.2-c")
    assert (st.status, st.evidence, st.explicit) == ("met", ["COMMPLAN"], [])


def test_partly_met_when_only_draft_evidence(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": COMM_PLAN.format(status="draft")}
    st = status_of(tmp_path, files, "8.3.2-c")
    assert (st.status, st.evidence) == ("partly_met", ["COMMPLAN"])
    assert st.coverage[0].covered is False


def test_partly_met_when_an_evidence_type_is_not_covered(tmp_path: Path):
    # 8.3.2-l needs an escalation procedure (a communication plan with escalation steps) and a complaint log.
    plan = COMM_PLAN.format(status="approved") + "complaint_escalation:\n  - Head of IT Operations\n"
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": plan}
    st = status_of(tmp_path, files, "8.3.2-l")
    assert st.status == "partly_met"
    assert [(c.type, c.covered) for c in st.coverage] == [
        ("complaint_escalation_procedure", True), ("complaint_log", False)]


def test_where_and_has_conditions_select_records(tmp_path: Path):
    # A plan without escalation steps is no escalation procedure.
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": COMM_PLAN.format(status="approved")}
    assert status_of(tmp_path, files, "8.3.2-l").status == "missing"


def test_retired_records_evidence_nothing(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": COMM_PLAN.format(status="retired")}
    assert status_of(tmp_path, files, "8.3.2-c").status == "missing"


@pytest.mark.parametrize(("date", "extra", "expected"), [
    ("2026-06-30", "", "met"),  # 2026-06-30 + P12M is after today
    ("2025-11-23", "", "stale"),  # due 2026-11-23, the day before today
    ("2025-11-24", "", "met"),  # due today: not yet stale
    ("2025-06-30", "review:\n  interval: P24M\n  last_reviewed: 2025-06-30\n", "met"),  # the record's own interval
    ("2026-06-30", "review:\n  interval: P3M\n  last_reviewed: 2026-06-30\n", "stale"),
])
def test_stale_when_periodic_evidence_is_older_than_its_interval(tmp_path: Path, date: str, extra: str,
                                                                 expected: str):
    review = SERVICE_REVIEW.format(start="2025-01-01", end="2025-03-31", date=date) + extra
    files = {"people/ani.yaml": APPROVED_PERSON, "services/mail.yaml": SERVICE, "rel/sr.yaml": review}
    st = status_of(tmp_path, files, "8.3.2-e")
    assert st.status == expected
    assert st.newest == dt.date.fromisoformat(date)


def test_newest_evidence_decides_staleness(tmp_path: Path):
    old = SERVICE_REVIEW.format(start="2024-01-01", end="2024-03-31", date="2024-04-10")
    new = SERVICE_REVIEW.replace("SR-1", "SR-2").format(start="2026-04-01", end="2026-06-30", date="2026-07-05")
    files = {"people/ani.yaml": APPROVED_PERSON, "services/mail.yaml": SERVICE, "rel/a.yaml": old, "rel/b.yaml": new}
    st = status_of(tmp_path, files, "8.3.2-e")
    assert (st.status, st.evidence, st.newest, st.due) == (
        "met", ["SR-1", "SR-2"], dt.date(2026, 7, 5), dt.date(2027, 7, 5))


def test_periodic_evidence_without_any_date_is_stale(tmp_path: Path):
    risk = """\
kind: security_risk
id: RISK-1
title: Ransomware
owner: PER-ANI
status: approved
likelihood: medium
impact: medium
treatment: mitigate
rationale: EDR and backups
"""
    files = {"people/ani.yaml": APPROVED_PERSON, "security/risk.yaml": risk}
    index = index_of(tmp_path, files)
    st = trace(index, TODAY).get("8.7.3.2-a")
    assert st is not None
    assert (st.status, st.evidence, st.due) == ("stale", ["RISK-1"], None)
    assert Translator("en")("compliance.undated") in render_compliance(index, TODAY)["compliance/8.7.3.2-a.md"]


def test_non_periodic_requirements_never_go_stale(tmp_path: Path):
    old_plan = COMM_PLAN.format(status="approved") + (
        "approval:\n  by: PER-ANI\n  authority: Head of IT\n  date: 2019-01-01\n")
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": old_plan}
    assert status_of(tmp_path, files, "8.3.2-c").status == "met"


def test_explicit_satisfies_counts_as_evidence(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON + "satisfies: [8.3.2-b, 8.3.4.1-a]\n"}
    index = index_of(tmp_path, files)
    statuses = trace(index, TODAY)
    st = statuses.get("8.3.2-b")
    assert st is not None
    assert (st.status, st.evidence, st.explicit) == ("met", ["PER-ANI"], ["PER-ANI"])
    assert statuses.evidenced_by("PER-ANI") == ["8.3.2-b", "8.3.4.1-a"]
    assert evidenced_by(index, "PER-ANI") == ["8.3.2-b", "8.3.4.1-a"]
    assert statuses.evidenced_by("NOPE") == []


def test_explicit_satisfies_covers_only_the_types_of_its_kind(tmp_path: Path):
    # A communication plan naming 8.3.2-l is its escalation procedure, not its complaint log.
    plan = COMM_PLAN.format(status="approved") + "satisfies: [8.3.2-l]\n"
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": plan}
    st = status_of(tmp_path, files, "8.3.2-l")
    assert st.status == "partly_met"
    assert [(c.type, c.records) for c in st.coverage] == [
        ("complaint_escalation_procedure", ["COMMPLAN"]), ("complaint_log", [])]


def test_explicit_draft_is_only_partly_met(tmp_path: Path):
    files = {"people/ani.yaml": PERSON + "satisfies: [8.3.2-b]\n"}  # status defaults to draft
    assert status_of(tmp_path, files, "8.3.2-b").status == "partly_met"


def test_informative_requirement_is_not_applicable(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON + "satisfies: [8.3.1-info]\n"}
    st = status_of(tmp_path, files, "8.3.1-info")
    assert (st.status, st.evidence) == ("not_applicable", ["PER-ANI"])


def test_trace_is_in_catalogue_order_and_independent_of_file_order(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": COMM_PLAN.format(status="approved"),
             "services/mail.yaml": SERVICE,
             "rel/sr.yaml": SERVICE_REVIEW.format(start="2026-01-01", end="2026-03-31", date="2026-04-02")}
    first = matrix_rows(trace(index_of(tmp_path / "a", files), TODAY))
    second = matrix_rows(trace(index_of(tmp_path / "b", dict(reversed(list(files.items())))), TODAY))
    assert first == second
    assert [row["id"] for row in first] == list(catalogue())


# -- the bundled example ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def example() -> Index:
    checked = check_content(ROOT / "content", TODAY)
    assert [f.text() for f in checked.findings if f.severity == "error"] == []
    return checked.index


@pytest.mark.example
def test_example_gives_a_status_for_every_requirement(example: Index):
    statuses = trace(example, TODAY)
    assert [st.requirement.id for st in statuses] == list(catalogue())
    assert all(st.status in STATUSES for st in statuses)
    counts = statuses.counts()
    print(f"example content as of {TODAY}: {counts}")
    assert sum(counts.values()) == len(catalogue())
    assert counts["not_applicable"] == sum(not r.obligation for r in catalogue().values())
    # Every obligation but the availability report (computed, not written as a record) is evidenced.
    assert counts["met"] >= len(catalogue()) - 2
    for st in statuses:
        for rid in st.evidence:
            assert st.requirement.id in statuses.evidenced_by(rid)


# -- the compliance pages --------------------------------------------------------------------
_LINK = re.compile(r"(?<!\\)\]\(([^)\s]+)\)")


def _targets(page: str, markdown: str) -> list[str]:
    base = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(base, t.split("#")[0])) for t in _LINK.findall(markdown)]


@pytest.mark.example
@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_compliance_link_resolves(example: Index, lang: str):
    pages = render_compliance(example, TODAY, lang)
    site = set(render_site(example, lang, TODAY).pages) | set(pages)
    assert MATRIX in pages
    assert {requirement_path(rid) for rid in catalogue()} <= set(pages)
    checked = 0
    for page, markdown in pages.items():
        for target in _targets(page, markdown):
            assert target in site, f"{page}: broken link to {target}"
            checked += 1
    assert checked > 500


@pytest.mark.example
def test_matrix_shows_both_languages_status_and_evidence(example: Index):
    matrix = render_compliance(example, TODAY)[MATRIX]
    req = catalogue()["8.7.2-d"]
    row = next(line for line in matrix.splitlines() if line.startswith("| [8.7.2-d](8.7.2-d.md)"))
    assert "Write one or more service continuity plans" in row
    assert (req.seed_id or "")[:40] in row
    assert "| met |" in row
    assert "](../records/continuity_plan/CP-DC-LOSS.md)" in row
    assert "## 8.7.2 Service continuity management" in matrix


@pytest.mark.example
def test_requirement_page_lists_evidence_types_and_every_record(example: Index):
    statuses = trace(example, TODAY)
    page = render_compliance(example, TODAY, statuses=statuses)["compliance/8.3.3-d.md"]
    assert "sla\\_performance\\_report" in page
    assert "Actual vs target per service level target per period" in page
    st = statuses.get("8.3.3-d")
    assert st is not None and len(st.evidence) > 5
    for rid in st.evidence:
        assert f"](../records/sla_report/{rid}.md)" in page
    assert "at planned intervals" in page


def test_record_text_is_escaped_in_compliance_pages(tmp_path: Path):
    plan = COMM_PLAN.format(status="approved").replace(
        "title: Communication plan", "title: 'Plan | <b>x</b> [y](javascript:z)'")
    files = {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": plan}
    index = index_of(tmp_path, files)
    pages = render_compliance(index, TODAY)
    for markdown in (pages[MATRIX], pages["compliance/8.3.2-c.md"]):
        assert "<b>" not in markdown and "](javascript" not in markdown
        assert "Plan \\| &lt;b&gt;x&lt;/b&gt; \\[y\\]\\(javascript:z\\)" in markdown


def test_requirement_links_for_record_pages(tmp_path: Path):
    files = {"people/ani.yaml": APPROVED_PERSON + "satisfies: [8.3.2-b]\n"}
    statuses = trace(index_of(tmp_path, files), TODAY)
    assert requirement_links(statuses, "PER-ANI", "records/person/PER-ANI.md") == [
        "[8.3.2-b](../../compliance/8.3.2-b.md)"]


def test_labels_exist_in_both_languages():
    assert {k for k in tables()["en"] if k.startswith("compliance.")} == {k for k in tables()["id"] if k.startswith("compliance.")}
