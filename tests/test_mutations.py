"""Mutation tests: take the example organisation, make one realistic mistake, and see both the
finding and the compliance verdict change (and say why, naming the record).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.checks.pipeline import check_content
from generator.compliance.trace import Trace, trace
from tests.conftest import ROOT, TODAY

# Made on the example organisation's records: skipped when content/ holds another one.
pytestmark = pytest.mark.example


def verdicts(content: Path) -> tuple[Trace, set[tuple[str, str]]]:
    checked = check_content(content, TODAY)
    return trace(checked.index, TODAY, findings=checked.findings), {(f.code, f.record) for f in checked.findings}


@pytest.fixture(scope="module")
def baseline() -> tuple[Trace, set[tuple[str, str]]]:
    return verdicts(ROOT / "content")


def mutated(tmp_path: Path, file: str, old: str, new: str) -> tuple[Trace, set[tuple[str, str]]]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return verdicts(content)


MISTAKES = [
    # (what, file, old text, new text, finding (code, record), requirement, status before, status after)
    pytest.param("content/continuity/cp-dc-loss.yaml", "last_major_change: 2026-08-16", "last_major_change: 2026-11-01",
                 ("plan-untested-since-change", "CP-DC-LOSS"), "8.7.2-h", "met", "at_risk",
                 id="major change after the last continuity test"),
    pytest.param("content/availability/outages.yaml",
                 "  end: 2026-01-18T02:30:00+07:00\n  planned: true\n",
                 "  end: 2026-01-18T02:30:00+07:00\n  planned: false\n",
                 ("outage-uninvestigated", "OUT-2026-001"), "8.7.1-g", "met", "not_met",
                 id="maintenance recorded as an unplanned outage nobody investigated"),
    pytest.param("content/availability/monitoring-coverage.yaml",
                 "  start: 2026-07-01\n  end: 2026-09-30\n\n- id: MON-HOST-2026Q4",
                 "  start: 2026-07-01\n  end: 2025-09-30\n\n- id: MON-HOST-2026Q4",
                 ("coverage-invalid", "MON-HOST-2026Q3"), "8.7.1-e", "no_data", "not_met",
                 id="monitoring coverage ending in the wrong year"),
    pytest.param("content/service_levels/sla-desk-hosp.yaml",
                 "workload_limits:\n  - metric: tickets\n    limit: 1200\n    unit: tickets\n    period: month\n", "",
                 ("sla-part-missing", "SLA-DESK-HOSP"), "8.3.3-c", "met", "not_met",
                 id="SLA without its workload limits"),
    pytest.param("content/continuity/ct-2026-dc-2.yaml", "  - service: SVC-MAIL\n    achieved_rto: PT1H55M\n",
                 "  - service: SVC-MAIL\n    achieved_rto: PT9H\n",
                 ("continuity-test-misjudged", "CT-2026-DC-2"), "8.7.2-g", "met", "not_met",
                 id="test marked as meeting a 4 h RTO with 9 h recovery"),
    pytest.param("content/service_levels/sla-mail-bank.yaml", "  last_reviewed: 2025-12-15",
                 "  last_reviewed: 2025-06-15",
                 ("review-overdue", "SLA-MAIL-BANK"), "8.3.3-c", "met", "at_risk",
                 id="SLA review lapsed"),
]


@pytest.mark.parametrize(("file", "old", "new", "finding", "requirement", "before", "after"), MISTAKES)
def test_one_mistake_changes_the_finding_and_the_verdict(tmp_path: Path, baseline, file: str, old: str, new: str,
                                                         finding: tuple[str, str], requirement: str, before: str,
                                                         after: str):
    statuses, findings = baseline
    assert finding not in findings
    st = statuses.get(requirement)
    assert st is not None and st.status == before
    statuses, findings = mutated(tmp_path, file.removeprefix("content/"), old, new)
    assert finding in findings
    st = statuses.get(requirement)
    assert st is not None and st.status == after
    # The verdict says why, naming the record the mistake is in.
    assert (finding[0], finding[1]) in [(r.code, r.record) for r in st.reasons]


def test_a_lost_quarter_of_monitoring_is_named_among_the_unmonitored_months(tmp_path: Path, baseline):
    # The Q2 record of the mail service is retired by mistake (meant: the Q2 record of another year).
    statuses, findings = mutated(tmp_path, "availability/monitoring-coverage.yaml",
                                 "  status: approved\n  service: SVC-MAIL\n  source: Zabbix 6.0 LTS, SMTP, IMAP and "
                                 "webmail checks every 60 seconds from probes in Jakarta and Bandung\n  start: 2026-04-01\n",
                                 "  status: retired\n  service: SVC-MAIL\n  source: Zabbix 6.0 LTS, SMTP, IMAP and "
                                 "webmail checks every 60 seconds from probes in Jakarta and Bandung\n  start: 2026-04-01\n")
    assert not any(code in ("key-duplicate", "field-invalid") for code, _ in findings)
    st = statuses.get("8.7.1-f")
    assert st is not None and st.status == "no_data"
    mail = next(r for r in st.reasons if r.record == "AR-MAIL")
    assert "(2024-06..2025-12, 2026-04..2026-06)" in mail.message
