"""Verdicts that follow the evidence: findings tied to requirements, statuses, and their reasons."""

from __future__ import annotations

import re
import pytest
from pathlib import Path

from generator.content import editions
from generator.checks import CHECK_MODULES, CODES, EVIDENCE, requirement_codes, verdict_codes
from generator.checks.required import REQUIRED_PARTS
from generator.content.findings import Finding
from generator.checks.pipeline import check_content
from generator.site.assemble import render_site
from generator.content.requirements import catalogue
from generator.compliance.trace import STATUSES, tie_findings, trace
from tests.conftest import PERSON, ROOT, TODAY, write_tree


# -- the tie mechanism ------------------------------------------------------------------------
def test_every_code_declares_what_it_bears_on():
    declared = requirement_codes()
    assert set(CODES) - set(declared) == set(), "codes tied to nothing and not declared as bearing on none"
    assert set(declared) - set(CODES) == set(), "declared codes that CODES does not document"


def test_every_code_a_check_module_emits_is_declared_by_that_module():
    for name in CHECK_MODULES:
        path = ROOT / "generator" / "checks" / f"{name}.py"
        emitted = set(re.findall(r'"(?:error|warning|info)", "([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
        module = __import__(f"generator.checks.{name}", fromlist=["REQUIREMENTS"])
        assert emitted <= set(getattr(module, "REQUIREMENTS", {})), (name, emitted - set(module.REQUIREMENTS))


def test_ties_name_catalogue_requirements_and_verdicts_name_statuses():
    known = set(catalogue()) | {EVIDENCE}
    for code, ties in requirement_codes().items():
        assert set(ties) <= known, (code, set(ties) - known)
    for code, status in verdict_codes().items():
        assert code in CODES and status in STATUSES, (code, status)


def test_part_missing_is_tied_to_the_requirement_of_the_only_kind_it_checks():
    # part-missing is tied to 8.7.2-e (a continuity plan's parts); another kind needs its own tie.
    assert set(REQUIRED_PARTS) == {"continuity_plan"}


def test_every_reason_code_is_documented_in_the_readme_compliance_section():
    from generator.compliance.trace import REASON_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Compliance", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert documented == set(REASON_CODES)
    for status in STATUSES:
        assert f"| **{status.replace('_', ' ')}** |" in section or status == "not_applicable", status


# -- one small content tree per status -------------------------------------------------------
APPROVED_PERSON = PERSON + "status: approved\n"
COMM_PLAN = """\
kind: communication_plan
id: COMMPLAN
title: Communication plan
owner: PER-ANI
status: approved
approval: {by: PER-ANI, authority: Head of IT, date: 2026-01-10}
channels:
  - {audience: Customer IT managers, channel: Quarterly service meeting, frequency: P3M, owner: PER-ANI}
"""
CONTINUITY_PLAN = """\
kind: continuity_plan
id: CP-1
title: Data centre loss
owner: PER-ANI
status: approved
approval: {by: PER-ANI, authority: Director, date: 2026-01-10}
invocation:
  criteria: [Primary data centre unreachable for 30 minutes]
  authorised: [PER-ANI]
  responsibilities: The continuity manager leads.
procedures:
  - step: Fail over to the secondary site
recovery: [Restore from the last snapshot]
return_to_normal: [Fail back after 24 hours stable]
contacts:
  - {person: PER-ANI, duty: Continuity manager, priority: 1}
"""
SERVICE_REVIEW = """\
kind: service_review
id: SR-1
title: Service review
owner: PER-ANI
status: approved
services: [SVC-MAIL]
period_start: 2025-01-01
period_end: 2025-03-31
date: 2025-04-10
trends: Availability stable
outcomes: Targets met
"""
SERVICE = "kind: service\nid: SVC-MAIL\ntitle: Managed email\nowner: PER-ANI\nstatus: approved\ncriticality: high\n"


def judged(tmp_path: Path, files: dict[str, str], rid: str):
    """(the requirement's status, the compliance site's pages) for a small content tree."""
    checked = check_content(write_tree(tmp_path, {"people/ani.yaml": APPROVED_PERSON, **files}), TODAY)
    assert [f.text() for f in checked.findings if f.severity == "error" and f.code not in ERRORS_WANTED] == []
    st = trace(checked.index, TODAY, findings=checked.findings).get(rid)
    assert st is not None
    site = render_site(checked.index, today=TODAY, compliance=True, findings=checked.findings)
    return st, site.pages


# Errors the status tests make on purpose (the build would stop on them; the verdict still says why).
ERRORS_WANTED = {"part-missing"}


def reason_of(st, code: str):
    found = [r for r in st.reasons if r.code == code]
    assert found, (code, st.reasons)
    return found[0]


def test_met_has_no_reasons(tmp_path: Path):
    st, pages = judged(tmp_path, {"rel/plan.yaml": COMM_PLAN}, "8.3.2-c")
    assert (st.status, st.reasons) == ("met", ())
    assert "Why this status" not in pages["compliance/8.3.2-c.md"]


def test_not_met_when_an_error_finding_is_tied(tmp_path: Path):
    plan = CONTINUITY_PLAN.replace("return_to_normal: [Fail back after 24 hours stable]\n", "")
    st, pages = judged(tmp_path, {"continuity/cp.yaml": plan}, "8.7.2-e")
    assert st.status == "not_met"
    reason = reason_of(st, "part-missing")
    assert (reason.severity, reason.record, reason.status) == ("error", "CP-1", "not_met")
    assert reason.message == "a continuity plan needs return to normal"
    link = "[CP-1 — Data centre loss](../records/continuity_plan/CP-1.md)"
    # The requirement page, the matrix and the home page name the finding and link to the record.
    assert f"| error | `part-missing` | {link} | a continuity plan needs return to normal |" in \
        pages["compliance/8.7.2-e.md"]
    matrix_row = next(line for line in pages["compliance/index.md"].splitlines() if line.startswith("| [8.7.2-e]"))
    assert "**" not in matrix_row.split(" | ")[0]
    assert f"error `part-missing`: a continuity plan needs return to normal — {link}" in matrix_row
    assert "[8.7.2-e](compliance/8.7.2-e.md) **not met**: " in pages["index.md"]
    assert "[CP-1 — Data centre loss](records/continuity_plan/CP-1.md)" in pages["index.md"]
    # The record page shows the finding and the requirements it bears on; the findings page links it.
    record = pages["records/continuity_plan/CP-1.md"]
    assert "## Findings about this record" in record
    assert "`part-missing`" in record and "[8.7.2-e](../../compliance/8.7.2-e.md)" in record
    assert link in pages["compliance/findings.md"]


def test_at_risk_when_a_warning_is_about_the_evidence(tmp_path: Path):
    overdue = COMM_PLAN + "review: {interval: P6M, last_reviewed: 2026-01-10}\n"
    st, pages = judged(tmp_path, {"rel/plan.yaml": overdue}, "8.3.2-c")
    assert st.status == "at_risk"
    reason = reason_of(st, "review-overdue")
    assert (reason.severity, reason.record) == ("warning", "COMMPLAN")
    assert "[COMMPLAN — Communication plan](../records/communication_plan/COMMPLAN.md)" in pages["compliance/8.3.2-c.md"]


def test_partly_met_names_the_uncovered_type_and_the_draft(tmp_path: Path):
    draft = COMM_PLAN.replace("status: approved", "status: draft")
    st, _ = judged(tmp_path, {"rel/plan.yaml": draft}, "8.3.2-c")
    assert st.status == "partly_met"
    assert reason_of(st, "evidence-uncovered").message.startswith("no approved record provides communication_plan")
    assert reason_of(st, "evidence-draft").record == "COMMPLAN"


def test_stale_names_the_newest_evidence(tmp_path: Path):
    st, pages = judged(tmp_path, {"services/mail.yaml": SERVICE, "rel/sr.yaml": SERVICE_REVIEW}, "8.3.2-e")
    assert st.status == "stale"
    reason = reason_of(st, "evidence-stale")
    assert reason.record == "SR-1"
    assert reason.message == "the newest evidence (SR-1, 2025-04-10) had to be renewed by 2026-04-10"
    assert "[SR-1 — Service review](../records/service_review/SR-1.md)" in pages["compliance/8.3.2-e.md"]


def test_missing_says_what_would_evidence_it(tmp_path: Path):
    st, pages = judged(tmp_path, {}, "8.3.2-c")
    assert st.status == "missing"
    assert reason_of(st, "evidence-missing").message == (
        "no record evidences 8.3.2-c (a record of kind communication_plan, or one naming it in 'satisfies')")
    assert "`evidence-missing`" in pages["compliance/8.3.2-c.md"]


def test_no_data_when_availability_was_never_monitored(tmp_path: Path):
    requirement = ("kind: availability_requirement\nid: AR-MAIL\ntitle: Mail availability\nowner: PER-ANI\n"
                   "status: approved\nservice: SVC-MAIL\ntarget: 99.9\nperiod: month\nservice_hours: 24x7\n"
                   "monitoring_since: 2026-06-01\n")
    # The monitoring saw an outage (evidence of 8.7.1-e), but no record says what it watched.
    outage = ("kind: outage\nid: OUT-1\ntitle: Upgrade\nowner: PER-ANI\nstatus: approved\nservice: SVC-MAIL\n"
              "start: 2026-07-04T01:00:00+07:00\nend: 2026-07-04T02:00:00+07:00\nplanned: true\nsummary: Upgrade\n")
    st, _ = judged(tmp_path, {"services/mail.yaml": SERVICE, "availability/ar.yaml": requirement,
                              "availability/out.yaml": outage}, "8.7.1-e")
    assert st.status == "no_data"
    assert reason_of(st, "availability-unmonitored").record == "AR-MAIL"


def test_not_applicable_ignores_everything(tmp_path: Path):
    st, _ = judged(tmp_path, {}, "8.3.1-info")
    assert (st.status, st.reasons) == ("not_applicable", ())


def test_withheld_not_missing_where_the_edition_may_not_show_the_evidence(tmp_path: Path):
    secret = COMM_PLAN.replace("status: approved", "classification: confidential\nstatus: approved")
    checked = check_content(write_tree(tmp_path, {"people/ani.yaml": APPROVED_PERSON, "rel/plan.yaml": secret}), TODAY)
    internal = editions.editions()["internal"]
    seen = editions.view(checked.index, checked.findings, internal, TODAY)
    st = trace(seen.index, seen.today, findings=seen.findings, full=seen.full, hidden=seen.hidden).get("8.3.2-c")
    assert st is not None
    assert st.status == "withheld"
    assert [(r.code, r.record) for r in st.reasons] == [("evidence-withheld", "")]
    assert "'missing'" in st.reasons[0].message  # what the edition alone would have said
    # Without the full content to compare with, the same edition would wrongly say "missing".
    assert trace(seen.index, seen.today, findings=seen.findings).get("8.3.2-c").status == "missing"


@pytest.mark.example
def test_risk_accepted_in_the_example():
    checked = check_content(ROOT / "content", TODAY)
    st = trace(checked.index, TODAY, findings=checked.findings).get("8.3.4.1-e")
    assert st is not None and st.status == "risk_accepted"
    assert [(r.code, r.record, r.status) for r in st.reasons] == [
        ("supplier-shortfall-accepted", "SLA-WAN-LOGI", "risk_accepted")]


def test_the_worst_reason_decides_and_comes_first(tmp_path: Path):
    # A plan without invocation criteria (error) whose review is also overdue (warning).
    plan = CONTINUITY_PLAN.replace("return_to_normal: [Fail back after 24 hours stable]\n", "") + \
        "review: {interval: P6M, last_reviewed: 2026-01-10}\n"
    st, _ = judged(tmp_path, {"continuity/cp.yaml": plan}, "8.7.2-e")
    assert st.status == "not_met"
    assert st.reasons[0].code == "part-missing"
    assert "review-overdue" in [r.code for r in st.reasons]


def test_findings_tie_by_code_and_through_the_evidence():
    # tie_findings: a code naming a requirement ties there; a generic code ties wherever its record
    # is evidence; a finding about no record, or a record outside the view, ties nowhere.
    def f(code: str, record: str) -> Finding:
        return Finding("x.yaml", 1, 1, "warning", code, "", "m", record)

    by_record = {"SR-1": ["8.3.2-e"], "CP-1": ["8.7.2-d", "8.7.2-e"]}
    tied = tie_findings([f("continuity-test-overdue", "CP-1"), f("review-overdue", "CP-1"),
                         f("review-overdue", ""), f("review-overdue", "ELSEWHERE")], by_record, {"CP-1", "SR-1"})
    assert {rid: [x.code for x in fs] for rid, fs in tied.items()} == {
        "8.7.2-g": ["continuity-test-overdue"], "8.7.2-d": ["review-overdue"], "8.7.2-e": ["review-overdue"]}
