"""Achieved against required (generator/checks/achievement.py): small YAML in, exact lines out."""

from __future__ import annotations

from tests.test_checks import PLAN, REACHABLE, codes

SERVICES = {
    "services/mail.yaml": "kind: service\nid: SVC-MAIL\ntitle: Mail\nowner: PER-ANI\ncriticality: high\n",
    "services/host.yaml": "kind: service\nid: SVC-HOST\ntitle: Hosting\nowner: PER-ANI\ncriticality: critical\n",
}


def requirement(service: str, rto: str, rpo: str, during: str = "") -> str:
    extra = f"availability_during_invocation: {during}\n" if during else ""
    return (f"kind: continuity_requirement\nid: CR-{service[4:]}\ntitle: CR {service}\nowner: PER-ANI\n"
            f"service: {service}\nrto: {rto}\nrpo: {rpo}\nminimum_service: Send and receive\n{extra}")


PLAN2 = PLAN.replace("approval:", "services: [SVC-MAIL, SVC-HOST]\napproval:")

TEST = """\
kind: continuity_test
id: CT-1
title: Data centre failover
owner: PER-ANI
plan: CP-1
date: 2026-10-24
scenario: Loss of the primary site.
result: passed
met_requirements: true
achieved_rto: PT50M
achieved_rpo: PT5M
post_review: {date: 2026-10-29, summary: Requirements met., by: PER-ANI}
"""


def tree(test: str = TEST, plan: str = PLAN2, mail_rto: str = "PT4H", **files: str) -> dict[str, str]:
    return {"people/ani.yaml": REACHABLE, **SERVICES, "continuity/cp.yaml": plan, "continuity/ct.yaml": test,
            "continuity/cr-mail.yaml": requirement("SVC-MAIL", mail_rto, "PT1H"),
            "continuity/cr-host.yaml": requirement("SVC-HOST", "PT1H", "PT15M"), **files}


def test_test_within_every_requirement_is_clean(check_tree):
    assert check_tree(tree()) == []


def test_test_marked_met_while_its_figures_miss(check_tree):
    # The example: 9 h achieved against a 4-hour RTO, marked met.
    lines = check_tree(tree(TEST.replace("achieved_rto: PT50M", "achieved_rto: PT9H")))
    assert lines == [
        "content/continuity/ct.yaml:9:19: error[continuity-test-misjudged]: met_requirements: marked as meeting "
        "the continuity requirements, but SVC-HOST recovery time PT9H (9 h) against RTO PT1H (1 h, CR-HOST); "
        "SVC-MAIL recovery time PT9H (9 h) against RTO PT4H (4 h, CR-MAIL): set met_requirements to false, "
        "record the deficiencies and the actions taken",
    ]


def test_per_service_figures_judge_each_service(check_tree):
    # Hosting back in 50 minutes, mail in 1 h 55 min: each within its own RTO, though 1 h 55 min > 1 h.
    per_service = TEST.replace("achieved_rto: PT50M\n", "achieved_rto: PT1H55M\n") + (
        "services:\n"
        "  - {service: SVC-HOST, achieved_rto: PT50M, achieved_rpo: PT5M}\n"
        "  - {service: SVC-MAIL, achieved_rto: PT1H55M}\n")
    assert check_tree(tree(per_service)) == []
    # The mail RTO tightened to 1 hour: the per-service 1 h 55 min now misses it.
    lines = check_tree(tree(per_service, mail_rto="PT1H"))
    assert codes(lines) == [("continuity-test-misjudged", 9, 19)]
    assert "SVC-MAIL recovery time PT1H55M (1 h 55 min) against RTO PT1H (1 h, CR-MAIL)" in lines[0]


def test_failed_test_marked_met(check_tree):
    lines = check_tree(tree(TEST.replace("result: passed", "result: failed") + "actions: [IMP-1]\n",
                            **{"imp/a.yaml": "kind: improvement_action\nid: IMP-1\ntitle: Fix\nowner: PER-ANI\n"
                                             "due: 2027-01-31\nstate: open\n"}))
    assert codes(lines) == [("continuity-test-misjudged", 9, 19)]
    assert "but the test result is failed" in lines[0]


def test_test_without_achieved_figures(check_tree):
    lines = check_tree(tree(TEST.replace("achieved_rto: PT50M\n", "")))
    assert lines == [
        "content/continuity/ct.yaml:1:1: warning[continuity-test-unmeasured]: achieved_rto: no achieved figure for "
        "SVC-HOST recovery time (RTO), SVC-MAIL recovery time (RTO): record achieved_rto and achieved_rpo (or per "
        "service under 'services') so the test can be judged against the requirements",
    ]


AVAILABILITY = """\
kind: availability_requirement
id: AR-MAIL
title: Availability of mail
owner: PER-ANI
service: SVC-MAIL
target: 99.5
period: month
service_hours: 24x7
monitoring_since: 2026-01-01
"""

SLA = """\
kind: sla
id: SLA-MAIL
title: Mail SLA
owner: PER-ANI
service: SVC-MAIL
customer: ORG-C
agreed: 2026-01-01
reporting_interval: P1M
no_exceptions: true
workload_limits: [{metric: mailboxes, limit: 1500, unit: mailboxes, period: month}]
targets:
  - {id: avail, metric: availability, description: d, target: 99.9, unit: percent, comparison: at_least, period: month}
"""
ORG = {"people/org.yaml": "kind: organisation\nid: ORG-C\ntitle: Customer\nowner: PER-ANI\nroles: [customer]\n"}


def test_availability_requirement_below_the_sla_it_serves(check_tree):
    lines = check_tree({"people/ani.yaml": REACHABLE, **SERVICES, **ORG, "sl/sla.yaml": SLA,
                        "av/ar.yaml": AVAILABILITY + "slas: [SLA-MAIL]\n"})
    assert "content/av/ar.yaml:6:9: error[availability-target-below-sla]: target: 99.5 % is below SLA-MAIL 'avail' " \
        "(at least 99.9 % per month): an availability target that the SLAs need more than cannot show they are " \
        "met" in lines
    # Not listed in slas, the SLA of the same service still counts.
    assert "availability-target-below-sla" in " ".join(
        check_tree({"people/ani.yaml": REACHABLE, **SERVICES, **ORG, "sl/sla.yaml": SLA, "av/ar.yaml": AVAILABILITY}))


def test_availability_requirement_at_the_sla_target(check_tree):
    ar = AVAILABILITY.replace("target: 99.5", "target: 99.9")
    lines = check_tree({"people/ani.yaml": REACHABLE, **SERVICES, **ORG, "sl/sla.yaml": SLA, "av/ar.yaml": ar})
    assert "availability-target-below-sla" not in " ".join(lines)


def test_plan_availability_below_the_continuity_requirement(check_tree):
    files = tree(**{"continuity/cr-mail.yaml": requirement("SVC-MAIL", "PT4H", "PT1H", during="95")})
    lines = check_tree(files)
    assert lines == [
        "content/continuity/cp.yaml:1:1: error[plan-availability-short]: availability_targets: no availability "
        "target for SVC-MAIL while the plan is in force; CR-MAIL asks for 95 %",
    ]
    low = PLAN2 + "availability_targets: [{service: SVC-MAIL, target: 90}]\n"
    lines = check_tree({**files, "continuity/cp.yaml": low})
    assert codes(lines) == [("plan-availability-short", 19, 52)]
    ok = PLAN2 + "availability_targets: [{service: SVC-MAIL, target: 95}]\n"
    assert check_tree({**files, "continuity/cp.yaml": ok}) == []
