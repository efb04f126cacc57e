"""Compliance checks: small YAML in, (code, line, col) out; a passing and a failing case per code."""

from __future__ import annotations

import datetime as dt

from tests.conftest import PERSON
from tests.test_checks import PLAN, REACHABLE, codes

APPROVED = "status: approved\napproval: {by: PER-ANI, authority: Director, date: 2026-01-10}\n"

BASE = {
    "people/ani.yaml": REACHABLE,
    "people/org.yaml": "kind: organisation\nid: ORG-C\ntitle: Customer\nowner: PER-ANI\nroles: [customer]\n",
    "services/a.yaml": "kind: service\nid: SVC-A\ntitle: A\nowner: PER-ANI\ncriticality: high\n",
    "improvement/imp.yaml": "kind: improvement_action\nid: IMP-1\ntitle: Fix\nowner: PER-ANI\ndue: 2028-12-01\nstate: open\n",
}


def tree(**files: str) -> dict[str, str]:
    return {**BASE, **{name.replace("__", "/") + ".yaml": text for name, text in files.items()}}


# --------------------------------------------------------------------------- outages

OUTAGE = """\
kind: outage
id: OUT-1
title: Down
owner: PER-ANI
service: SVC-A
start: 2026-04-10T10:00:00+07:00
end: 2026-04-10T10:30:00+07:00
planned: false
summary: It broke.
"""

INVESTIGATION = """\
kind: outage_investigation
id: INV-1
title: Why
owner: PER-ANI
outages: [OUT-1]
date: 2026-04-20
root_cause: A cause.
actions: [IMP-1]
"""


def test_unplanned_outage_without_investigation(check_tree):
    lines = check_tree(tree(availability__out=OUTAGE))
    assert codes(lines) == [("outage-uninvestigated", 8, 10)]
    assert lines[0].startswith("content/availability/out.yaml:8:10: error[outage-uninvestigated]: planned: ")


def test_outage_investigated_either_way(check_tree):
    assert check_tree(tree(availability__out=OUTAGE, availability__inv=INVESTIGATION)) == []


def test_outage_naming_its_investigation(check_tree):
    inv = INVESTIGATION.replace("outages: [OUT-1]\n", "")
    out = OUTAGE + "investigation: INV-1\n"
    assert check_tree(tree(availability__out=out, availability__inv=inv)) == []


def test_planned_and_ongoing_outages_need_no_investigation(check_tree):
    planned = OUTAGE.replace("planned: false", "planned: true")
    ongoing = OUTAGE.replace("end: 2026-04-10T10:30:00+07:00\n", "").replace("OUT-1", "OUT-2")
    assert check_tree(tree(availability__out=planned, availability__ongoing=ongoing)) == []


# --------------------------------------------------------------------------- availability

REQUIREMENT = """\
kind: availability_requirement
id: AR-A
title: Availability of A
owner: PER-ANI
service: SVC-A
target: 99.9
period: month
service_hours: 24x7
monitoring_since: 2026-03-01
"""
# Monitoring watched SVC-A from March on (unmonitored months are no data, not 100 %).
COVERAGE = """\
kind: monitoring_coverage
id: MON-A
title: Monitoring of A
owner: PER-ANI
service: SVC-A
source: Probe every 60 s
start: 2026-03-01
end: 2026-12-31
"""


def test_availability_missed_in_a_finished_month(check_tree):
    # 60 minutes down in April (43200 min): 99.861 % < 99.9; the investigation raised no action.
    out = OUTAGE.replace("10:30:00", "11:00:00")
    inv = INVESTIGATION.replace("actions: [IMP-1]\n", "")
    lines = check_tree(tree(availability__req=REQUIREMENT, availability__mon=COVERAGE, availability__out=out, availability__inv=inv))
    assert codes(lines) == [("availability-missed", 6, 9)]
    assert "SVC-A availability in 2026-04 was 99.861 % (60 of 43200 minutes down: OUT-1), below the target 99.9 %" in lines[0]


def test_availability_miss_acted_on_or_month_not_over(check_tree):
    out = OUTAGE.replace("10:30:00", "11:00:00")
    # Acted on: the investigation raised IMP-1.
    assert check_tree(tree(availability__req=REQUIREMENT, availability__mon=COVERAGE, availability__out=out, availability__inv=INVESTIGATION)) == []
    # Within target: 30 minutes -> 99.931 %.
    inv = INVESTIGATION.replace("actions: [IMP-1]\n", "")
    assert check_tree(tree(availability__req=REQUIREMENT, availability__mon=COVERAGE, availability__out=OUTAGE, availability__inv=inv)) == []
    # April is not over on 2026-04-20: month-to-date figures are not judged.
    assert check_tree(tree(availability__req=REQUIREMENT, availability__mon=COVERAGE, availability__out=out, availability__inv=inv),
                      today=dt.date(2026, 4, 20)) == []


# --------------------------------------------------------------------------- SLA reports

SLA = f"""\
kind: sla
id: SLA-A
title: SLA for A
owner: PER-ANI
{APPROVED}service: SVC-A
customer: ORG-C
agreed: 2026-01-01
reporting_interval: P1M
no_exceptions: true
targets:
  - {{id: avail, metric: availability, description: d, target: 99.9, unit: "%", comparison: at_least, period: month}}
  - {{id: p1-response, metric: response_time, description: d, target: 15, unit: minutes, comparison: at_most, period: month}}
workload_limits: [{{metric: users, limit: 100, unit: users, period: month}}]
"""

REPORT = """\
kind: sla_report
id: SLAR-1
title: April
owner: PER-ANI
sla: SLA-A
period: "2026-04"
results:
  - target: avail
    actual: 99.95
  - target: p1-response
    actual: 20
"""


def test_missed_sla_target_without_action(check_tree):
    lines = check_tree(tree(service_levels__sla=SLA, service_levels__rep=REPORT))
    assert codes(lines) == [("sla-missed-no-action", 11, 13)]
    assert lines[0].endswith("results[1].actual: 'p1-response' missed in 2026-04: 20 minutes, target at most 15 minutes; "
                             "add the improvement action raised to 'actions'")


def test_missed_sla_target_with_action_or_met(check_tree):
    assert check_tree(tree(service_levels__sla=SLA, service_levels__rep=REPORT + "actions: [IMP-1]\n")) == []
    assert check_tree(tree(service_levels__sla=SLA, service_levels__rep=REPORT.replace("actual: 20", "actual: 15"))) == []


# --------------------------------------------------------------------------- suppliers


def contract(rid: str, avail: float, response: float) -> str:
    return f"""\
kind: supplier_contract
id: {rid}
title: Contract {rid}
owner: PER-ANI
{APPROVED}supplier: ORG-C
reference: R-1
start: 2026-01-01
scope: Things.
manager: PER-ANI
requirements: [Meet the targets]
responsibilities: [{{party: supplier, responsibility: Runs the circuits}}]
interfaces: [{{name: Fault hand-off, description: Our NOC calls theirs}}]
targets:
  - {{id: avail, metric: availability, description: d, target: {avail}, unit: "%", comparison: at_least, period: month,
      supports: [SLA-A#avail]}}
  - {{id: p1-response, metric: response_time, description: d, target: {response}, unit: minutes, comparison: at_most,
      period: month, supports: [SLA-A#p1-response]}}
"""


UNDERPINNED = SLA + "underpinned_by: [SC-1, SC-2]\n"


def test_supplier_targets_at_least_as_strict(check_tree):
    # 99.99 % x 99.95 % = 99.940 % >= 99.9 %; 10 + 5 minutes in series <= 15.
    assert check_tree(tree(service_levels__sla=UNDERPINNED, suppliers__one=contract("SC-1", 99.99, 10),
                           suppliers__two=contract("SC-2", 99.95, 5))) == []


def test_supplier_target_weaker(check_tree):
    lines = check_tree(tree(service_levels__sla=UNDERPINNED, suppliers__one=contract("SC-1", 99.99, 10),
                            suppliers__two=contract("SC-2", 99.95, 30)))
    # 30 minutes alone is weaker; 10 + 30 in series is too.
    assert codes(lines) == [("supplier-chain-weaker", 14, 70), ("supplier-weaker", 16, 24)]
    assert lines[1].endswith("underpinned_by[1]: SC-2 'p1-response' promises at most 30 minutes, weaker than "
                             "this SLA's 'p1-response' (at most 15 minutes)")


def test_supplier_chain_in_series_weaker(check_tree):
    # 99.92 % x 99.95 % = 0.9992 * 0.9995 = 0.99870040 -> 99.870 % < 99.9 %, though each link is >= 99.9 %.
    lines = check_tree(tree(service_levels__sla=UNDERPINNED, suppliers__one=contract("SC-1", 99.92, 10),
                            suppliers__two=contract("SC-2", 99.95, 5)))
    assert codes(lines) == [("supplier-chain-weaker", 13, 63)]
    assert "in series, multiplied, give only 99.870 % (SC-1 'avail' 99.92 % x SC-2 'avail' 99.95 %)" in lines[0]


# --------------------------------------------------------------------------- surveys

SURVEY = """\
kind: satisfaction_survey
id: SV-1
title: Survey
owner: PER-ANI
date: 2026-09-30
population: 3350
sample_size: 345
invited: 1000
responses: 345
analysis: Fine.
segments:
  - {name: big, population: 3000, responses: 300}
  - {name: small, population: 350, responses: 45}
"""


def test_survey_sampled_and_recent(check_tree):
    assert check_tree(tree(relationship__sv=SURVEY)) == []


def test_survey_undersampled(check_tree):
    # N = 3350 at 95 % / 5 % needs 345 responses (see test_figures); 344 is one short.
    lines = check_tree(tree(relationship__sv=SURVEY.replace("responses: 345", "responses: 344")))
    assert codes(lines) == [("survey-undersampled", 9, 12)]


def test_survey_segment_silent(check_tree):
    lines = check_tree(tree(relationship__sv=SURVEY.replace("responses: 45}", "responses: 0}")))
    assert codes(lines) == [("survey-segment-silent", 13, 47)]


def test_survey_overdue(check_tree):
    # 2026-09-30 + P12M = 2027-09-30, not yet due on 2026-11-24 but overdue on 2027-10-01.
    lines = check_tree(tree(relationship__sv=SURVEY), today=dt.date(2027, 10, 1))
    assert codes(lines) == [("survey-overdue", 5, 7)]
    # A review interval on the survey plans it more often: 2026-09-30 + P1M = 2026-10-30.
    planned = SURVEY + "review:\n  interval: P1M\n  last_reviewed: 2026-11-01\n"
    assert codes(check_tree(tree(relationship__sv=planned))) == [("survey-overdue", 5, 7)]


# --------------------------------------------------------------------------- continuity

TEST = """\
kind: continuity_test
id: CT-1
title: Failover test
owner: PER-ANI
plan: CP-1
date: 2026-06-01
scenario: Loss of the primary site.
result: passed
met_requirements: true
post_review: {date: 2026-06-03, summary: No deficiencies., by: PER-ANI}
"""


def test_plan_tested_within_interval(check_tree):
    assert check_tree(tree(continuity__cp=PLAN, continuity__ct=TEST)) == []


def test_continuity_test_overdue(check_tree):
    # Last test 2026-06-01 + P12M = 2027-06-01; as of 2027-06-02 it is overdue.
    plan = PLAN.replace("contacts_verified: 2026-10-01", "contacts_verified: 2027-05-01")
    lines = check_tree(tree(continuity__cp=plan, continuity__ct=TEST), today=dt.date(2027, 6, 2))
    assert codes(lines) == [("continuity-test-overdue", 2, 5)]


def test_continuity_never_tested(check_tree):
    # Never tested: due one interval after approval, 2026-01-10 + P6M = 2026-07-10.
    plan = PLAN + "review:\n  interval: P6M\n  last_reviewed: 2026-11-01\n"
    lines = check_tree(tree(continuity__cp=plan))
    assert codes(lines) == [("continuity-test-overdue", 2, 5)]
    assert "never tested since approval on 2026-01-10; a test was due on 2026-07-10 (every P6M)" in lines[0]


def test_plan_untested_since_major_change(check_tree):
    lines = check_tree(tree(continuity__cp=PLAN + "last_major_change: 2026-08-16\n", continuity__ct=TEST))
    assert codes(lines) == [("plan-untested-since-change", 18, 20)]
    retest = TEST.replace("CT-1", "CT-2").replace("2026-06-01", "2026-08-20")
    assert check_tree(tree(continuity__cp=PLAN + "last_major_change: 2026-08-16\n", continuity__ct=TEST,
                           continuity__ct2=retest)) == []
