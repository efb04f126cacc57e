"""Due dates as data (generator/figures/due.py) against hand-computed cases: month ends, leap years,
notice periods, time zones; and the checks judge exactly these dates."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.checks import Context
from generator.checks import lifecycle
from generator.figures.due import (
    add_duration,
    complaint_due,
    due_items,
    subtract_duration,
    try_add_duration,
    upcoming,
)
from generator.content.index import build_index
from generator.content.loader import load_content
from tests.conftest import PERSON, write_tree

D = dt.date


@pytest.mark.parametrize(("start", "interval", "expected"), [
    (D(2026, 1, 31), "P1M", D(2026, 2, 28)),  # month end clamped
    (D(2028, 1, 31), "P1M", D(2028, 2, 29)),  # leap year
    (D(2024, 2, 29), "P12M", D(2025, 2, 28)),  # leap day, a year on
    (D(2024, 2, 29), "P4Y", D(2028, 2, 29)),  # leap day, four years on
    (D(2026, 8, 31), "P3M", D(2026, 11, 30)),
    (D(2026, 11, 30), "P3M", D(2027, 2, 28)),
    (D(2026, 12, 15), "P1M", D(2027, 1, 15)),  # year boundary
    (D(2026, 1, 31), "P1M2D", D(2026, 3, 2)),  # months first, then days
    (D(2026, 2, 20), "P2W", D(2026, 3, 6)),
    (D(2027, 12, 31), "P30D", D(2028, 1, 30)),
])
def test_add_duration(start, interval, expected):
    assert add_duration(start, interval) == expected


def test_add_duration_past_the_calendar():
    assert try_add_duration(D(9999, 6, 1), "P12M") is None
    assert add_duration(D(9999, 6, 1), "P12M") == D.max


@pytest.mark.parametrize(("end", "notice", "expected"), [
    (D(2027, 5, 31), "P3M", D(2027, 2, 28)),  # 31 May less three months: end of February
    (D(2028, 5, 31), "P3M", D(2028, 2, 29)),  # in a leap year
    (D(2027, 3, 31), "P1M", D(2027, 2, 28)),
    (D(2027, 6, 30), "P3M", D(2027, 3, 30)),
    (D(2027, 3, 31), "P90D", D(2026, 12, 31)),
    (D(2028, 3, 1), "P1D", D(2028, 2, 29)),
    (D(2027, 1, 15), "P6M", D(2026, 7, 15)),  # across a year
])
def test_notice_deadline(end, notice, expected):
    assert subtract_duration(end, notice) == expected


class _Complaint:
    def __init__(self, received: dt.datetime, state: str = "open") -> None:
        self.received, self.state, self.id, self.owner = received, state, "CMP-1", "PER-ANI"


def _tz(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


@pytest.mark.parametrize(("received", "due"), [
    # Received 09:00 WIB on 2 November: 30 whole days old until the end of 3 December.
    (dt.datetime(2026, 11, 2, 9, 0, tzinfo=_tz(7)), D(2026, 12, 3)),
    # At midnight WIB exactly: 31 days old from 00:00 on 3 December.
    (dt.datetime(2026, 11, 2, 0, 0, tzinfo=_tz(7)), D(2026, 12, 2)),
    # The same moment written in New York time (20:00 -05:00 on 1 November is 08:00 WIB on 2 November).
    (dt.datetime(2026, 11, 1, 20, 0, tzinfo=_tz(-5)), D(2026, 12, 3)),
    # 16:30 UTC on 1 November is 23:30 WIB on 1 November: counted from 1 November.
    (dt.datetime(2026, 11, 1, 16, 30, tzinfo=dt.timezone.utc), D(2026, 12, 2)),
    # 18:00 UTC on 1 November is 01:00 WIB on 2 November: the WIB day counts, not the UTC one.
    (dt.datetime(2026, 11, 1, 18, 0, tzinfo=dt.timezone.utc), D(2026, 12, 3)),
    # A time without offset is WIB.
    (dt.datetime(2026, 11, 2, 9, 0), D(2026, 12, 3)),
    # Across February: 31 January 10:00 is 30 whole days old until the end of 2 March in a leap
    # year (29 days of February), of 3 March otherwise.
    (dt.datetime(2028, 1, 31, 10, 0, tzinfo=_tz(7)), D(2028, 3, 2)),
    (dt.datetime(2027, 1, 31, 10, 0, tzinfo=_tz(7)), D(2027, 3, 3)),
])
def test_complaint_age_in_wib(received, due):
    item = complaint_due(_Complaint(received), 30)
    assert item is not None and item.date == due
    # The check agrees on both sides of the date: not aged on the due day, aged the day after.
    assert not item.overdue(due) and item.overdue(due + dt.timedelta(days=1))


def test_closed_complaint_is_not_due():
    assert complaint_due(_Complaint(dt.datetime(2026, 1, 1, tzinfo=_tz(7)), state="closed"), 30) is None


BASE = {
    "people/ani.yaml": PERSON,
    "people/org.yaml": "kind: organisation\nid: ORG-C\ntitle: Customer\nowner: PER-ANI\nroles: [customer]\n",
    "people/sup.yaml": "kind: organisation\nid: ORG-S\ntitle: Supplier\nowner: PER-ANI\nroles: [external_supplier]\n",
    "services/a.yaml": "kind: service\nid: SVC-A\ntitle: A\nowner: PER-ANI\ncriticality: high\n",
}
APPROVAL = "approval: {by: PER-ANI, authority: Director, date: 2026-01-31}\n"
RECORDS = {
    # Reviewed on 31 August 2026 every three months: due 30 November.
    "pol.yaml": "kind: security_policy\nid: POL-1\ntitle: Policy\nowner: PER-ANI\nstatus: approved\n" + APPROVAL
                + "review: {interval: P3M, last_reviewed: 2026-08-31}\nsummary: Keep data safe.\n",
    # Never tested: a year after its approval on 31 January 2026.
    "cp.yaml": "kind: continuity_plan\nid: CP-1\ntitle: Plan\nowner: PER-ANI\nstatus: approved\n" + APPROVAL
               + "services: [SVC-A]\n",
    # Latest survey closed 29 February 2024, yearly: due 28 February 2025.
    "survey.yaml": "kind: satisfaction_survey\nid: SURV-1\ntitle: Survey\nowner: PER-ANI\nservices: [SVC-A]\n"
                   "date: 2024-02-29\npopulation: 10\nsample_size: 10\ninvited: 10\nresponses: 10\nanalysis: Fine.\n",
    # Reviewed on 31 July 2026 by a review planned every six months: due 31 January 2027.
    "ctl.yaml": "kind: security_control\nid: CTL-1\ntitle: MFA\nowner: PER-ANI\nstate: operating\n"
               "decision: implement\nrationale: Stolen passwords.\n",
    "crev.yaml": "kind: control_review\nid: CREV-1\ntitle: Review\nowner: PER-ANI\ncontrols: [CTL-1]\n"
                 "date: 2026-07-31\neffective: true\nfindings: Fine.\nreview: {interval: P6M, last_reviewed: 2026-07-31}\n",
    # Monthly reports, the latest for January 2028: the February report is due on 1 March 2028.
    "sla.yaml": "kind: sla\nid: SLA-1\ntitle: SLA\nowner: PER-ANI\nstatus: approved\n" + APPROVAL
                + "service: SVC-A\ncustomer: ORG-C\nagreed: 2026-01-31\nreporting_interval: P1M\n",
    "rep.yaml": "kind: sla_report\nid: REP-1\ntitle: January\nowner: PER-ANI\nsla: SLA-1\nperiod: 2028-01\n",
    # Ends 31 May 2028 with three months' notice: notice by 29 February 2028.
    "sc.yaml": "kind: supplier_contract\nid: SC-1\ntitle: Contract\nowner: PER-ANI\nsupplier: ORG-S\n"
               "reference: C-1\nstart: 2025-06-01\nend: 2028-05-31\nnotice_period: P3M\nscope: Hosting\n"
               "manager: PER-ANI\n",
    "dsp.yaml": "kind: supplier_dispute\nid: DSP-1\ntitle: Dispute\nowner: PER-ANI\ncontract: SC-1\n"
                "opened: 2026-12-01\nstate: open\nsummary: Credits.\n",
    "imp.yaml": "kind: improvement_action\nid: IMP-1\ntitle: Fix\nowner: PER-ANI\ndue: 2026-12-31\nstate: open\n",
    "imp-done.yaml": "kind: improvement_action\nid: IMP-2\ntitle: Done\nowner: PER-ANI\ndue: 2026-01-31\n"
                     "state: done\ncompleted: 2026-01-20\n",
    "cmp.yaml": "kind: complaint\nid: CMP-1\ntitle: Slow\nowner: PER-ANI\nreceived: 2026-11-01T18:00:00Z\n"
                "channel: phone\ncustomer: ORG-C\nservice: SVC-A\nstate: open\nsummary: Slow resets.\n",
}


@pytest.fixture
def index(tmp_path):
    loaded = load_content(write_tree(tmp_path, {**BASE, **{f"x/{k}": v for k, v in RECORDS.items()}}))
    assert not [f for f in loaded.findings if f.severity == "error"], loaded.findings
    return build_index(loaded)


def test_every_obligation_of_the_records(index):
    got = [(d.what, d.record, d.date, d.owner) for d in due_items(index, 30, 90)]
    assert got == [
        ("survey", "SURV-1", D(2025, 2, 28), "PER-ANI"),
        ("review", "POL-1", D(2026, 11, 30), "PER-ANI"),
        ("complaint", "CMP-1", D(2026, 12, 3), "PER-ANI"),
        ("action", "IMP-1", D(2026, 12, 31), "PER-ANI"),
        ("continuity_test", "CP-1", D(2027, 1, 31), "PER-ANI"),
        ("control_review", "CTL-1", D(2027, 1, 31), "PER-ANI"),
        ("review", "CREV-1", D(2027, 1, 31), "PER-ANI"),
        ("dispute", "DSP-1", D(2027, 3, 1), "PER-ANI"),
        ("contract_notice", "SC-1", D(2028, 2, 29), "PER-ANI"),
        ("sla_report", "SLA-1", D(2028, 3, 1), "PER-ANI"),
        ("contract_end", "SC-1", D(2028, 5, 31), "PER-ANI"),
    ]


def test_keys_name_the_obligation_not_its_date(index, tmp_path):
    keys = {d.key for d in due_items(index, 30, 90)}
    assert "review.POL-1" in keys and "survey" in keys and "contract_notice.SC-1" in keys
    assert len(keys) == len(due_items(index, 30, 90))


def test_overdue_and_the_next_90_days(index):
    overdue, soon = upcoming(due_items(index, 30, 90), D(2026, 12, 1))
    assert [d.record for d in overdue] == ["SURV-1", "POL-1"]
    # 1 December + 90 days = 1 March 2027: the dispute (1 March) is in, the notice is not.
    assert [d.record for d in soon] == ["CMP-1", "IMP-1", "CP-1", "CTL-1", "CREV-1", "DSP-1"]


def test_the_checks_judge_the_same_dates(index):
    # complaint-aged, dispute-aged and action-overdue fire the day after the due date, not on it.
    def codes(today: dt.date) -> set[str]:
        return {f.code for f in lifecycle.check(index, Context(today))}

    assert "complaint-aged" not in codes(D(2026, 12, 3)) and "complaint-aged" in codes(D(2026, 12, 4))
    assert "action-overdue" not in codes(D(2026, 12, 31)) and "action-overdue" in codes(D(2027, 1, 1))
    assert "dispute-aged" not in codes(D(2027, 3, 1)) and "dispute-aged" in codes(D(2027, 3, 2))
