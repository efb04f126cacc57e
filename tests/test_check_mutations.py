"""Mutation tests on the example organisation: one realistic mistake in its records, and the check
that should catch it does, on the record it is about, and the requirement it bears on is no longer met.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.checks import requirement_codes
from generator.checks.pipeline import check_content
from generator.compliance.trace import trace
from tests.conftest import ROOT
from tests.test_example import EXAMPLE_TODAY

# Made on the example organisation's records: skipped when content/ holds another one.
pytestmark = pytest.mark.example

# (file, text as written, the mistake, code, record, severity)
MUTATIONS = [
    # The continuity test: mail back after 9 hours against a 4-hour RTO, still marked met.
    ("continuity/ct-2026-dc-2.yaml", "  - service: SVC-MAIL\n    achieved_rto: PT1H55M",
     "  - service: SVC-MAIL\n    achieved_rto: PT9H", "continuity-test-misjudged", "CT-2026-DC-2", "error"),
    # The silent pass: the ISP's availability written 'percent', and lower than the SLAs need.
    ("suppliers/sc-isp.yaml", "    target: 99.95\n    unit: \"%\"", "    target: 99.5\n    unit: percent",
     "supplier-weaker", "SLA-MAIL-BANK", "error"),
    # A closing date typed a month early.
    ("relationship/complaints.yaml", "closed: 2026-05-12T10:00:00+07:00", "closed: 2026-04-12T10:00:00+07:00",
     "complaint-order", "CMP-2026-003", "error"),
    # The invocation logged under the wrong person.
    ("continuity/cinv-2026-01.yaml", "invoked_by: PER-MAYA", "invoked_by: PER-SARI",
     "invocation-unauthorised", "CINV-2026-01", "error"),
    # The colocation contract's end date moved to last month.
    ("suppliers/sc-colo.yaml", "end: 2027-03-31", "end: 2026-10-31",
     "contract-ended-underpinning", "SC-COLO", "error"),
    # An ineffective control review without the actions it raised.
    ("security/crev-2026-q3.yaml", "actions:\n  - IMP-2026-10\n  - IMP-2026-13\n", "",
     "control-ineffective-no-action", "CREV-2026-Q3", "error"),
    # The ISP's alignment check ticked 'aligned' again.
    ("suppliers/sc-isp.yaml", "    aligned: false\n    gaps: \"Each target", "    aligned: true\n    gaps: \"Each target",
     "alignment-record-contradicted", "SC-ISP", "error"),
    # The SD-WAN risk acceptance lapsed a month ago: the shortfall is a finding again.
    ("service_levels/sla-wan-logi.yaml", "until: 2027-03-31", "until: 2026-10-31",
     "supplier-chain-weaker", "SLA-WAN-LOGI", "warning"),
]


@pytest.fixture(scope="module")
def baseline():
    return check_content(ROOT / "content", EXAMPLE_TODAY)


@pytest.mark.parametrize(("rel", "before", "after", "code", "record", "severity"), MUTATIONS,
                         ids=[m[3] for m in MUTATIONS])
def test_one_mistake_one_finding_and_the_verdict_changes(tmp_path: Path, baseline, rel, before, after, code,
                                                         record, severity):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, "the example changed: update the mutation"
    path.write_text(text.replace(before, after), encoding="utf-8")

    assert not [f for f in baseline.findings if f.code == code and f.record == record]
    mutated = check_content(content, EXAMPLE_TODAY)
    caught = [f for f in mutated.findings if f.code == code and f.record == record]
    assert caught and {f.severity for f in caught} == {severity}, [f.text() for f in mutated.findings if f.code == code]

    worst = "not_met" if severity == "error" else "at_risk"
    for requirement in (r for r in requirement_codes()[code] if r != "evidence"):
        before_status = trace(baseline.index, EXAMPLE_TODAY, findings=baseline.findings).get(requirement).status
        after_status = trace(mutated.index, EXAMPLE_TODAY, findings=mutated.findings).get(requirement).status
        assert before_status != "not_met" and after_status in (worst, "not_met"), (requirement, before_status,
                                                                                     after_status)
