"""Availability from monitoring, not from silence: coverage records decide which months are measured."""

from __future__ import annotations

import datetime as dt
import json
import pytest
from pathlib import Path

from generator.cli import main
from generator.site.dashboards import render_dashboards
from generator.content.i18n import Translator
from generator.checks.pipeline import check_content
from generator.compliance.trace import trace
from tests.conftest import PERSON, TODAY, write_tree
from tests.test_checks import codes

SERVICE = "kind: service\nid: SVC-A\ntitle: A\nowner: PER-ANI\ncriticality: high\n"
REQUIREMENT = """\
kind: availability_requirement
id: AR-A
title: Availability of A
owner: PER-ANI
status: approved
service: SVC-A
target: 99.9
period: month
service_hours: 24x7
monitoring_since: 2026-03-01
review: {interval: P12M, last_reviewed: 2026-03-01}
"""


def coverage(start: str, end: str, extra: str = "", rid: str = "MON-A") -> str:
    return (f"kind: monitoring_coverage\nid: {rid}\ntitle: Monitoring of A\nowner: PER-ANI\nstatus: approved\n"
            f"service: SVC-A\nsource: Probe every 60 s\nstart: {start}\nend: {end}\n{extra}")


def tree(**records: str) -> dict[str, str]:
    return {"people/ani.yaml": PERSON, "services/a.yaml": SERVICE, "availability/req.yaml": REQUIREMENT,
            **{f"availability/{name}.yaml": text for name, text in records.items()}}


# -- the checks ------------------------------------------------------------------------------
def test_finished_months_without_coverage_are_one_finding_per_service(check_tree):
    # Covered: April and May. March, and June to October, are finished and unmonitored; November
    # is not over on 2026-11-24, so it is not judged yet.
    lines = check_tree(tree(mon=coverage("2026-04-01", "2026-05-31")))
    assert codes(lines) == [("availability-unmonitored", 10, 19)]
    assert lines[0] == (
        "content/availability/req.yaml:10:19: warning[availability-unmonitored]: monitoring_since: no monitoring "
        "coverage record covers SVC-A in 6 finished month(s) (2026-03, 2026-06..2026-10): their availability is "
        "unknown (no data), not 100 %")


def test_covered_months_give_no_finding(check_tree):
    assert check_tree(tree(mon=coverage("2026-03-01", "2026-11-23"))) == []


def test_a_month_covered_for_a_day_is_measured(check_tree):
    assert check_tree(tree(a=coverage("2026-03-01", "2026-05-31"), b=coverage("2026-06-30", "2026-11-01", rid="MON-B"),
                           c=coverage("2026-07-15", "2026-07-15", rid="MON-C"))) == []


def test_coverage_that_cannot_be_read_is_an_error(check_tree):
    gaps = ("gaps:\n"
            "  - {start: 2026-05-02T10:00:00+07:00, end: 2026-05-02T09:00:00+07:00, reason: Backwards}\n"
            "  - {start: 2026-07-01T00:00:00, end: 2026-07-01T01:00:00, reason: Outside}\n")
    lines = check_tree(tree(mon=coverage("2026-03-01", "2026-06-30", gaps),
                            bad=coverage("2026-12-01", "2026-11-30", rid="MON-BAD")))
    found = [c for c in codes(lines) if c[0] == "coverage-invalid"]
    # The bad period, then the backwards gap (at its end) and the gap outside the period (at its start).
    assert found == [("coverage-invalid", 9, 6), ("coverage-invalid", 11, 45), ("coverage-invalid", 12, 13)]
    assert "the period ends on 2026-11-30, before it starts on 2026-12-01" in "\n".join(lines)


# -- what a reader sees ----------------------------------------------------------------------
def test_a_month_without_coverage_is_no_data_on_the_page_in_the_export_and_in_the_verdict(tmp_path: Path):
    content = write_tree(tmp_path, tree(mon=coverage("2026-04-01", "2026-11-23")))
    checked = check_content(content, TODAY)
    # The dashboard: March says "no data", never a percentage.
    pages, _ = render_dashboards(checked.index, TODAY, Translator("en"))
    march = next(line for line in pages["dashboards/availability.md"].splitlines() if line.startswith("| 2026-03 "))
    assert march.split(" | ")[1:4] == ["no data", "99.9", "no data"]
    assert "100.000" not in march
    # The export: availability null, status no_data; 8.7.1-e and -f are no_data, for AR-A.
    out = tmp_path / "export.json"
    assert main(["export", "--content", str(content), "--today", TODAY.isoformat(), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["period"]: row for row in data["figures"]["availability"]}
    assert (rows["2026-03"]["availability_pct"], rows["2026-03"]["status"]) == (None, "no_data")
    assert (rows["2026-04"]["availability_pct"], rows["2026-04"]["status"]) == (100.0, "met")
    verdicts = {row["id"]: row for row in data["requirements"]}
    for rid in ("8.7.1-e", "8.7.1-f"):
        assert verdicts[rid]["status"] == "no_data", rid
        assert [(r["code"], r["record"]) for r in verdicts[rid]["reasons"]] == [("availability-unmonitored", "AR-A")]


def test_covering_the_month_turns_no_data_into_a_measured_verdict(tmp_path: Path):
    before = check_content(write_tree(tmp_path / "a", tree(mon=coverage("2026-04-01", "2026-11-23"))), TODAY)
    after = check_content(write_tree(tmp_path / "b", tree(mon=coverage("2026-03-01", "2026-11-23"))), TODAY)
    status = {name: trace(c.index, TODAY, findings=c.findings).get("8.7.1-f") for name, c in
              (("before", before), ("after", after))}
    assert status["before"] is not None and status["after"] is not None
    assert (status["before"].status, status["after"].status) == ("no_data", "met")


@pytest.mark.example
def test_the_example_is_measured_only_from_when_monitoring_records_begin():
    from generator.figures.availability import availability_table
    from tests.conftest import ROOT

    checked = check_content(ROOT / "content", TODAY)
    rows = availability_table(checked.index, as_of=TODAY)
    before = [r for r in rows if r.period < "2026-01"]
    after = [r for r in rows if r.period >= "2026-01"]
    assert before and all(r.status == "no_data" and r.availability_pct is None for r in before)
    assert after and all(r.status != "no_data" and r.coverage for r in after)
    assert dt.date(2026, 1, 1) <= TODAY


@pytest.mark.example
def test_a_no_data_verdict_still_shows_the_age_of_the_periodic_evidence():
    from generator.site.compliance_pages import render_compliance
    from tests.conftest import ROOT

    checked = check_content(ROOT / "content", TODAY)
    page = render_compliance(checked.index, TODAY, findings=checked.findings)["compliance/8.7.1-f.md"]
    assert "**no data**" in page
    assert "Newest evidence: 2026-" in page and "renew by 2027-" in page
