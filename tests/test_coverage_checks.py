"""Coverage, currency and authority, workload, complete agreements (generator/checks/coverage.py,
currency.py, workload.py, agreements.py): small YAML in, exact lines out."""

from __future__ import annotations

import datetime as dt

from tests.conftest import PERSON
from tests.test_checks import PLAN, REACHABLE, codes

APPROVED = "status: approved\napproval: {by: PER-ANI, authority: Director, date: 2026-01-10}\n"

CUSTOMER = "kind: organisation\nid: ORG-BANK\ntitle: Bank\nowner: PER-ANI\nroles: [customer]\n"
SERVICE = """\
kind: service
id: SVC-MAIL
title: Managed email
owner: PER-ANI
status: approved
criticality: high
customers: [ORG-BANK]
"""

SLA = f"""\
kind: sla
id: SLA-MAIL-BANK
title: Mail SLA for the bank
owner: PER-ANI
{APPROVED}service: SVC-MAIL
customer: ORG-BANK
agreed: 2026-01-01
reporting_interval: P1M
targets:
  - {{id: avail, metric: availability, description: d, target: 99.9, unit: "%", comparison: at_least, period: month}}
workload_limits:
  - {{metric: mailboxes, limit: 1500, unit: mailboxes, period: month}}
exceptions:
  - {{name: Planned maintenance, description: Sundays 01:00-04:00 WIB}}
"""

BASE = {"people/ani.yaml": REACHABLE, "people/bank.yaml": CUSTOMER, "services/mail.yaml": SERVICE}


# --------------------------------------------------------------------------- coverage


def test_every_customer_of_a_service_has_an_sla(check_tree):
    assert check_tree({**BASE, "sl/sla.yaml": SLA}) == []


def test_service_delivered_without_an_sla(check_tree):
    lines = check_tree(BASE)
    assert lines == [
        "content/services/mail.yaml:7:13: error[service-without-sla]: customers[0]: delivered to ORG-BANK, but no "
        "SLA with ORG-BANK covers this service: agree one (kind sla, service: SVC-MAIL, customer: ORG-BANK), or "
        "remove ORG-BANK from customers if it no longer receives the service",
    ]
    # A service still being designed (draft) is not delivered yet.
    assert check_tree({**BASE, "services/mail.yaml": SERVICE.replace("status: approved\n", "")}) == []


SUPPLIER = "kind: organisation\nid: ORG-ISP\ntitle: ISP\nowner: PER-ANI\nroles: [external_supplier]\n"
CONTRACT = f"""\
kind: supplier_contract
id: SC-ISP
title: Circuits
owner: PER-ANI
{APPROVED}supplier: ORG-ISP
reference: R-1
start: 2025-07-01
end: 2028-06-30
scope: Circuits.
manager: PER-ANI
requirements: [Diverse paths]
obligations: [Monthly availability report]
responsibilities: [{{party: supplier, responsibility: Repairs circuits}}]
interfaces: [{{name: Faults, description: Our NOC calls theirs}}]
"""


def test_external_supplier_with_a_contract_in_force(check_tree):
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "people/isp.yaml": SUPPLIER, "sup/sc.yaml": CONTRACT}) == []


def test_external_supplier_without_a_contract(check_tree):
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "people/isp.yaml": SUPPLIER})
    assert lines == [
        "content/people/isp.yaml:5:9: error[supplier-without-contract]: roles[0]: external supplier has no "
        "supplier contract: agree and record one",
    ]


def test_external_supplier_whose_contract_ended(check_tree):
    ended = CONTRACT.replace("end: 2028-06-30", "end: 2026-06-30")
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "people/isp.yaml": SUPPLIER, "sup/sc.yaml": ended})
    assert lines == [
        "content/people/isp.yaml:5:9: error[supplier-without-contract]: roles[0]: external supplier has no "
        "contract in force as of 2026-11-24 (SC-ISP ended 2026-06-30): agree and record one",
    ]


def test_internal_supplier_without_an_agreement(check_tree):
    ops = "kind: organisation\nid: ORG-OPS\ntitle: NetOps\nowner: PER-ANI\nroles: [internal_supplier]\n"
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "people/ops.yaml": ops})
    assert codes(lines) == [("internal-supplier-without-agreement", 5, 9)]
    agreement = (f"kind: internal_agreement\nid: IA-OPS\ntitle: OLA\nowner: PER-ANI\n{APPROVED}provider: ORG-OPS\n"
                 "manager: PER-ANI\ncommitments: [Quarterly firewall review]\nactivities: [Monitoring]\n"
                 "interfaces: [{name: Tickets, description: NetOps queue}]\n")
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "people/ops.yaml": ops, "sup/ia.yaml": agreement}) == []


RISK = """\
kind: security_risk
id: RISK-1
title: Ransomware encrypts hosted systems
owner: PER-ANI
likelihood: medium
impact: high
treatment: mitigate
rationale: EDR and immutable backups
"""


def control(state: str, decision: str = "implement") -> str:
    return (f"kind: security_control\nid: CTL-1\ntitle: Immutable backups\nowner: PER-ANI\nrisks: [RISK-1]\n"
            f"decision: {decision}\nrationale: Recover without paying\nstate: {state}\n")


def test_high_risk_with_an_operating_control(check_tree):
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "sec/risk.yaml": RISK, "sec/ctl.yaml": control("operating")}) == []
    # A recorded decision to accept the risk also treats it.
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "sec/risk.yaml": RISK,
                       "sec/ctl.yaml": control("planned", "accept_risk")}) == []


def test_high_risk_without_a_working_control(check_tree):
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "sec/risk.yaml": RISK})
    assert lines == [
        "content/sec/risk.yaml:7:12: error[risk-untreated]: treatment: high risk (likelihood medium, impact high) "
        "to be mitigated, but no security control names it: implement a control, or record the decision to "
        "accept the risk",
    ]
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "sec/risk.yaml": RISK, "sec/ctl.yaml": control("planned")})
    assert lines[0].endswith("none of its controls is implemented or operating: CTL-1 (implement, planned): "
                             "implement a control, or record the decision to accept the risk")
    # Not high: nothing to say.
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "sec/risk.yaml": RISK.replace("impact: high", "impact: medium")}) == []


def test_plan_contact_without_a_phone(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON, "continuity/cp.yaml": PLAN})
    assert lines == [
        "content/continuity/cp.yaml:16:14: warning[contact-unreachable]: contacts[0].person: PER-ANI has no phone "
        "number: in a continuity event email may be down; add a number to PER-ANI, or name someone who can be "
        "called",
    ]


def test_plan_contacts_verified_within_the_interval(check_tree):
    plan = PLAN.replace("contacts_verified: 2026-10-01", "contacts_verified: 2026-03-01")
    files = {"people/ani.yaml": REACHABLE, "continuity/cp.yaml": plan}
    # Verified 2026-03-01, every P6M: due 2026-09-01.
    assert check_tree(files, today=dt.date(2026, 9, 1)) == []
    assert check_tree(files, today=dt.date(2026, 9, 2)) == [
        "content/continuity/cp.yaml:17:20: warning[contacts-unverified]: contacts_verified: contact list last "
        "verified on 2026-03-01; it was due again on 2026-09-01 (every P6M), 1 days ago as of 2026-09-02",
    ]
    never = PLAN.replace("contacts_verified: 2026-10-01\n", "")
    assert codes(check_tree({**files, "continuity/cp.yaml": never})) == [("contacts-unverified", 1, 1)]


# --------------------------------------------------------------------------- currency and authority


def test_contract_ended_while_an_sla_depends_on_it(check_tree):
    ended = CONTRACT.replace("end: 2028-06-30", "end: 2026-06-30")
    sla = SLA + "underpinned_by: [SC-ISP]\n"
    lines = check_tree({**BASE, "sl/sla.yaml": sla, "people/isp.yaml": SUPPLIER, "sup/sc.yaml": ended})
    assert "content/sup/sc.yaml:10:6: error[contract-ended-underpinning]: end: ended on 2026-06-30, but " \
        "SLA-MAIL-BANK still depends on it (underpinned_by): renew or replace the contract, or update the SLAs" in lines
    assert codes(lines) == [("supplier-without-contract", 5, 9), ("contract-ended-underpinning", 10, 6)]


INVOCATION = """\
kind: continuity_invocation
id: CINV-1
title: Flooding
owner: PER-ANI
plan: CP-1
invoked: 2026-01-27T06:30:00+07:00
reason: Flood warning; roads closed.
invoked_by: PER-BUDI
"""


def test_plan_invoked_by_someone_not_authorised(check_tree):
    budi = REACHABLE.replace("PER-ANI", "PER-BUDI").replace("Ani Wijaya", "Budi Santoso")
    files = {"people/ani.yaml": REACHABLE, "people/budi.yaml": budi, "continuity/cp.yaml": PLAN}
    lines = check_tree({**files, "continuity/inv.yaml": INVOCATION})
    assert lines == [
        "content/continuity/inv.yaml:8:13: error[invocation-unauthorised]: invoked_by: PER-BUDI invoked CP-1, but "
        "only PER-ANI may invoke it (invocation.authorised)",
    ]
    assert check_tree({**files, "continuity/inv.yaml": INVOCATION.replace("invoked_by: PER-BUDI", "invoked_by: PER-ANI")}) == []


POLICY = f"""\
kind: security_policy
id: POL-1
title: Information security policy
owner: PER-ANI
version: "3.0"
{APPROVED.replace("2026-01-10", "2026-02-16")}summary: We protect customer data.
audiences:
  - {{audience: Staff, communicated: 2026-02-23, method: Briefing}}
"""


def test_policy_communicated_at_the_current_version(check_tree):
    assert check_tree({"people/ani.yaml": PERSON, "sec/pol.yaml": POLICY}) == []


def test_policy_communicated_at_an_older_version(check_tree):
    old = POLICY.replace("method: Briefing}", "method: Briefing, version: '2.0'}")
    lines = check_tree({"people/ani.yaml": PERSON, "sec/pol.yaml": old})
    assert lines == [
        "content/sec/pol.yaml:10:76: warning[policy-communicated-outdated]: audiences[0].version: 'Staff' was told "
        "about version 2.0; the current version is 3.0: communicate it",
    ]
    before = POLICY.replace("communicated: 2026-02-23", "communicated: 2025-03-01")
    assert codes(check_tree({"people/ani.yaml": PERSON, "sec/pol.yaml": before})) == [
        ("policy-communicated-outdated", 10, 37)]


# --------------------------------------------------------------------------- workload


def workload(period: str, mailboxes: int, metric: str = "mailboxes") -> str:
    return (f"kind: workload_report\nid: WL-{period}\ntitle: Workload {period}\nowner: PER-ANI\nsla: SLA-MAIL-BANK\n"
            f"period: \"{period}\"\nactuals:\n  - {{metric: {metric}, value: {mailboxes}}}\n")


def test_workload_within_limits(check_tree):
    assert check_tree({**BASE, "sl/sla.yaml": SLA, "sl/wl.yaml": workload("2026-10", 1420)}) == []


def test_workload_over_the_limit(check_tree):
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "sl/wl9.yaml": workload("2026-09", 1420),
                        "sl/wl.yaml": workload("2026-10", 1560)})
    assert lines == [
        "content/sl/wl.yaml:8:32: warning[workload-over-limit]: actuals[0].value: 'mailboxes' was 1560 mailboxes in "
        "2026-10, +9.9 % on 2026-09, over the 1500 mailboxes per month SLA-MAIL-BANK covers: its targets do not "
        "apply above the limit; review the SLA with the customer",
    ]


def test_workload_for_a_metric_without_a_limit(check_tree):
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "sl/wl.yaml": workload("2026-10", 1420, "mail boxes")})
    assert lines == [
        "content/sl/wl.yaml:8:14: error[workload-metric-unknown]: actuals[0].metric: 'mail boxes' is not a workload "
        "limit of SLA-MAIL-BANK (its limits: 'mailboxes'): the workload cannot be compared with a limit",
    ]


# --------------------------------------------------------------------------- complete agreements


def test_approved_sla_without_targets_limits_or_exceptions(check_tree):
    # The example: approved, and nothing in it to hold anyone to.
    empty = SLA.split("targets:")[0]
    lines = check_tree({**BASE, "sl/sla.yaml": empty})
    assert lines == [
        "content/sl/sla.yaml:1:1: error[sla-part-missing]: exceptions: an SLA needs its exceptions, or "
        "'no_exceptions: true' to say it has none",
        "content/sl/sla.yaml:1:1: error[sla-part-missing]: targets: an SLA needs its service level targets",
        "content/sl/sla.yaml:1:1: error[sla-part-missing]: workload_limits: an SLA needs the workload limits within "
        "which its targets apply",
    ]
    # Stating that there are no exceptions is enough for that part.
    stated = SLA.split("exceptions:")[0] + "no_exceptions: true\n"
    assert check_tree({**BASE, "sl/sla.yaml": stated}) == []


def test_contract_without_its_parts(check_tree):
    bare = CONTRACT.split("requirements:")[0]
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "people/isp.yaml": SUPPLIER, "sup/sc.yaml": bare})
    assert codes(lines) == [("contract-interfaces-missing", 1, 1)] + [("contract-part-missing", 1, 1)] * 3
    assert "content/sup/sc.yaml:1:1: error[contract-part-missing]: targets: a supplier contract needs service level " \
        "targets or other obligations" in lines


def test_internal_agreement_without_its_parts(check_tree):
    ops = "kind: organisation\nid: ORG-OPS\ntitle: NetOps\nowner: PER-ANI\nroles: [internal_supplier]\n"
    bare = f"kind: internal_agreement\nid: IA-OPS\ntitle: OLA\nowner: PER-ANI\n{APPROVED}provider: ORG-OPS\nmanager: PER-ANI\n"
    lines = check_tree({**BASE, "sl/sla.yaml": SLA, "people/ops.yaml": ops, "sup/ia.yaml": bare})
    assert codes(lines) == [("agreement-part-missing", 1, 1)] * 3



CONTROL = """\
kind: security_control
id: CTL-DDOS
title: DDoS scrubbing
owner: PER-ANI
decision: implement
rationale: Volumetric attacks on the hosting edge
state: operating
external_organisation: ORG-ISP
agreed: 2025-06-25
"""


def test_control_agreed_with_an_external_party(check_tree):
    files = {**BASE, "sl/sla.yaml": SLA, "people/isp.yaml": SUPPLIER, "sup/sc.yaml": CONTRACT}
    assert check_tree({**files, "sec/ctl.yaml": CONTROL}) == []
    lines = check_tree({**files, "sec/ctl.yaml": CONTROL.replace("agreed: 2025-06-25\n", "")})
    assert lines == [
        "content/sec/ctl.yaml:8:24: error[control-agreement-undated]: external_organisation: agreed with ORG-ISP, "
        "but 'agreed' (when it was agreed) is empty: record the date the control was agreed, e.g. the date the "
        "contract clause or NDA was signed",
    ]
