"""Lifecycle order and completeness (generator/checks/lifecycle.py): small YAML in, exact lines out."""

from __future__ import annotations

import datetime as dt

from generator.checks import Context
from generator.checks.lifecycle import check
from generator.content.index import build_index
from generator.content.loader import load_content
from tests.conftest import PERSON
from tests.test_checks import codes

BASE = {
    "people/ani.yaml": PERSON,
    "people/org.yaml": "kind: organisation\nid: ORG-C\ntitle: Customer\nowner: PER-ANI\nroles: [customer]\n",
    "services/a.yaml": "kind: service\nid: SVC-A\ntitle: A\nowner: PER-ANI\ncriticality: high\n",
}

COMPLAINT = """\
kind: complaint
id: CMP-1
title: Slow resets
owner: PER-ANI
received: 2026-11-02T09:00:00+07:00
channel: phone
customer: ORG-C
service: SVC-A
state: closed
escalated: false
resolved: 2026-11-03T10:00:00+07:00
closed: 2026-11-05T10:00:00+07:00
summary: Password resets were slow; self-service enabled.
"""


def test_closed_complaint_in_order_is_clean(check_tree):
    assert check_tree({**BASE, "rel/cmp.yaml": COMPLAINT}) == []


def test_complaint_closed_before_it_was_received(check_tree):
    # A realistic slip: the closing date typed as October instead of November.
    cmp = COMPLAINT.replace("closed: 2026-11-05", "closed: 2026-10-05")
    lines = check_tree({**BASE, "rel/cmp.yaml": cmp})
    assert lines == [
        "content/rel/cmp.yaml:12:9: error[complaint-order]: closed: closed 2026-10-05T10:00:00+07:00 is before "
        "received 2026-11-02T09:00:00+07:00",
        "content/rel/cmp.yaml:12:9: error[complaint-order]: closed: closed 2026-10-05T10:00:00+07:00 is before "
        "resolved 2026-11-03T10:00:00+07:00",
    ]


def test_complaint_closed_without_times(check_tree):
    cmp = COMPLAINT.replace("resolved: 2026-11-03T10:00:00+07:00\n", "").replace("closed: 2026-11-05T10:00:00+07:00\n", "")
    lines = check_tree({**BASE, "rel/cmp.yaml": cmp})
    assert lines == [
        "content/rel/cmp.yaml:9:8: error[complaint-incomplete]: state: state is closed but 'closed' (when it was "
        "closed) is empty",
        "content/rel/cmp.yaml:9:8: error[complaint-incomplete]: state: state is closed but 'resolved' (when it was "
        "resolved) is empty",
    ]


def test_complaint_escalated_without_to_whom(check_tree):
    lines = check_tree({**BASE, "rel/cmp.yaml": COMPLAINT.replace("escalated: false", "escalated: true")})
    assert lines == [
        "content/rel/cmp.yaml:10:12: error[complaint-escalation-incomplete]: escalated: escalated, but "
        "'escalated_to' does not say to whom",
    ]
    named = COMPLAINT.replace("escalated: false", "escalated: true\nescalated_to: PER-ANI")
    assert check_tree({**BASE, "rel/cmp.yaml": named}) == []


def test_complaint_open_too_long(check_tree):
    open_ = COMPLAINT.replace("state: closed", "state: open").replace("resolved: 2026-11-03T10:00:00+07:00\n", "") \
        .replace("closed: 2026-11-05T10:00:00+07:00\n", "")
    # 22 days on 2026-11-24: within 30; 31 days on 2026-12-03 (from 09:00 on 11-02): aged.
    assert check_tree({**BASE, "rel/cmp.yaml": open_}) == []
    lines = check_tree({**BASE, "rel/cmp.yaml": open_}, today=dt.date(2026, 12, 4))
    assert lines == [
        "content/rel/cmp.yaml:9:8: warning[complaint-aged]: state: open for 31 days since "
        "2026-11-02T09:00:00+07:00 (more than 30 days, as of 2026-12-04): follow it through to closure or "
        "escalate it",
    ]


def test_the_allowed_age_comes_from_the_context(tmp_path):
    from tests.conftest import write_tree

    open_ = COMPLAINT.replace("state: closed", "state: open").replace("resolved: 2026-11-03T10:00:00+07:00\n", "") \
        .replace("closed: 2026-11-05T10:00:00+07:00\n", "")
    index = build_index(load_content(write_tree(tmp_path, {**BASE, "rel/cmp.yaml": open_})))
    assert [f.code for f in check(index, Context(dt.date(2026, 11, 24), complaint_max_open_days=14))] == ["complaint-aged"]
    assert list(check(index, Context(dt.date(2026, 11, 24)))) == []


INCIDENT = """\
kind: security_incident
id: SEC-1
title: Phishing
owner: PER-ANI
reported: 2026-10-03T22:48:00+07:00
type: phishing
severity: high
priority: P2
impact: Two mailboxes sent spam for an hour.
escalated: true
escalated_to: PER-ANI
state: closed
resolved: 2026-10-04T01:30:00+07:00
closed: 2026-10-09T14:00:00+07:00
"""


def test_incident_in_order_is_clean(check_tree):
    assert check_tree({**BASE, "security/inc.yaml": INCIDENT}) == []


def test_incident_resolved_before_reported_and_state_still_open(check_tree):
    inc = INCIDENT.replace("resolved: 2026-10-04T01:30:00", "resolved: 2026-10-03T21:30:00") \
        .replace("state: closed", "state: open").replace("closed: 2026-10-09T14:00:00+07:00\n", "")
    assert codes(check_tree({**BASE, "security/inc.yaml": inc})) == [
        ("incident-incomplete", 13, 11), ("incident-order", 13, 11)]


def test_incident_escalation_named_but_not_escalated(check_tree):
    lines = check_tree({**BASE, "security/inc.yaml": INCIDENT.replace("escalated: true", "escalated: false")})
    assert lines == [
        "content/security/inc.yaml:11:15: error[incident-escalation-incomplete]: escalated_to: escalated_to names "
        "PER-ANI, but 'escalated' is false",
    ]


CONTRACT = """\
kind: supplier_contract
id: SC-1
title: Circuits
owner: PER-ANI
status: approved
approval: {by: PER-ANI, authority: Director, date: 2026-01-10}
supplier: ORG-C
reference: R-1
start: 2026-01-01
scope: Circuits.
manager: PER-ANI
requirements: [Diverse paths]
obligations: [Monthly report]
responsibilities: [{party: supplier, responsibility: Repairs circuits}]
interfaces: [{name: Faults, description: Our NOC calls theirs}]
change_evaluations:
  - {date: 2026-06-15, change: Higher availability, impact: Cost +6 %, decision: approved, decided: 2026-06-25}
"""

DISPUTE = """\
kind: supplier_dispute
id: DSP-1
title: Service credits
owner: PER-ANI
contract: SC-1
opened: 2026-08-05
state: closed
summary: The supplier called a fibre cut force majeure.
resolution: The supplier credited 5 %.
closed: 2026-09-18
"""


def test_dispute_closed_with_resolution_is_clean(check_tree):
    assert check_tree({**BASE, "sup/sc.yaml": CONTRACT, "sup/dsp.yaml": DISPUTE}) == []


def test_dispute_closed_without_resolution(check_tree):
    lines = check_tree({**BASE, "sup/sc.yaml": CONTRACT,
                        "sup/dsp.yaml": DISPUTE.replace("resolution: The supplier credited 5 %.\n", "")})
    assert lines == [
        "content/sup/dsp.yaml:7:8: error[dispute-incomplete]: state: state is closed but 'resolution' (how it was "
        "settled) is empty",
    ]


def test_dispute_closed_before_opened(check_tree):
    lines = check_tree({**BASE, "sup/sc.yaml": CONTRACT, "sup/dsp.yaml": DISPUTE.replace("closed: 2026-09-18", "closed: 2026-07-18")})
    assert codes(lines) == [("dispute-order", 10, 9)]


def test_dispute_open_too_long(check_tree):
    open_ = DISPUTE.replace("state: closed", "state: open").replace("resolution: The supplier credited 5 %.\n", "") \
        .replace("closed: 2026-09-18\n", "")
    # Opened 2026-08-05: 111 days on 2026-11-24 (over 90); 89 days on 2026-11-02.
    lines = check_tree({**BASE, "sup/sc.yaml": CONTRACT, "sup/dsp.yaml": open_})
    assert lines == [
        "content/sup/dsp.yaml:7:8: warning[dispute-aged]: state: open for 111 days since 2026-08-05 (more than 90 "
        "days, as of 2026-11-24): follow it through to closure",
    ]
    assert check_tree({**BASE, "sup/sc.yaml": CONTRACT, "sup/dsp.yaml": open_}, today=dt.date(2026, 11, 2)) == []


def test_contract_change_approved_before_its_impact_was_assessed(check_tree):
    lines = check_tree({**BASE, "sup/sc.yaml": CONTRACT.replace("decided: 2026-06-25", "decided: 2026-06-10")})
    assert lines == [
        "content/sup/sc.yaml:17:101: error[change-approved-before-assessment]: change_evaluations[0].decided: "
        "approved on 2026-06-10, before its impact was assessed on 2026-06-15: a change is assessed before it is "
        "approved",
    ]


ACTION = """\
kind: improvement_action
id: IMP-1
title: Automate call re-routing
owner: PER-ANI
due: 2026-10-31
state: in_progress
"""


def test_action_due_and_still_open(check_tree):
    lines = check_tree({**BASE, "imp/a.yaml": ACTION})
    assert lines == [
        "content/imp/a.yaml:5:6: warning[action-overdue]: due: due on 2026-10-31 and still in progress (24 days "
        "later, as of 2026-11-24): complete it, or record a new due date and why",
    ]
    assert check_tree({**BASE, "imp/a.yaml": ACTION}, today=dt.date(2026, 10, 31)) == []


def test_action_done_without_completion_date(check_tree):
    lines = check_tree({**BASE, "imp/a.yaml": ACTION.replace("state: in_progress", "state: done")})
    assert codes(lines) == [("action-incomplete", 6, 8)]
    done = ACTION.replace("state: in_progress", "state: done\ncompleted: 2026-10-20")
    assert check_tree({**BASE, "imp/a.yaml": done}) == []
