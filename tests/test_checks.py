"""Checks: small YAML in, (code, line, col) out."""

from __future__ import annotations

import datetime as dt

from tests.conftest import PERSON

PLAN = """\
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
contacts_verified: 2026-10-01
"""
# A continuity contact needs a phone number (contact-unreachable).
REACHABLE = PERSON + 'phones: [{label: mobile, number: "+62 812 0000 1111"}]\n'


def codes(lines: list[str]) -> list[tuple[str, int, int]]:
    out = []
    for line in lines:
        _, ln, col, rest = line.split(":", 3)
        out.append((rest.split("[", 1)[1].split("]", 1)[0], int(ln), int(col)))
    return out


def test_complete_plan_is_clean(check_tree):
    assert check_tree({"people/ani.yaml": REACHABLE, "continuity/cp.yaml": PLAN}) == []


def test_plan_missing_parts(check_tree):
    plan = PLAN.split("procedures:")[0]
    lines = check_tree({"people/ani.yaml": REACHABLE, "continuity/cp.yaml": plan})
    assert codes(lines) == [("part-missing", 1, 1)] * 4
    assert "content/continuity/cp.yaml:1:1: error[part-missing]: recovery: a continuity plan needs recovery requirements" in lines


def test_plan_without_invocation(check_tree):
    plan = PLAN.replace("invocation:\n  criteria: [Primary data centre unreachable for 30 minutes]\n  authorised: [PER-ANI]\n  responsibilities: The continuity manager leads.\n", "")
    lines = check_tree({"people/ani.yaml": REACHABLE, "continuity/cp.yaml": plan})
    assert lines == [
        "content/continuity/cp.yaml:1:1: error[part-missing]: invocation.criteria: a continuity plan needs invocation criteria"
    ]


def test_approved_plan_without_approval(check_tree):
    plan = PLAN.replace("approval: {by: PER-ANI, authority: Director, date: 2026-01-10}\n", "")
    lines = check_tree({"people/ani.yaml": REACHABLE, "continuity/cp.yaml": plan})
    assert codes(lines) == [("approval-missing", 5, 9)]


def test_draft_plan_is_a_warning(check_tree):
    plan = PLAN.replace("status: approved", "status: draft")
    assert codes(check_tree({"people/ani.yaml": REACHABLE, "continuity/cp.yaml": plan})) == [("approval-draft", 5, 9)]


def test_review_overdue_as_of_today(check_tree):
    person = PERSON + "review:\n  interval: P12M\n  last_reviewed: 2025-11-01\n"
    assert check_tree({"people/ani.yaml": person}, today=dt.date(2026, 11, 1)) == []
    lines = check_tree({"people/ani.yaml": person}, today=dt.date(2026, 11, 24))
    assert lines == [
        "content/people/ani.yaml:8:18: warning[review-overdue]: review.last_reviewed: review was due on 2026-11-01 (23 days ago, as of 2026-11-24)"
    ]


def test_review_never_done(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON + "review:\n  interval: P6M\n"})
    assert codes(lines) == [("review-never", 7, 3)]


def test_retired_records_are_not_due(check_tree):
    person = PERSON + "status: retired\nreview:\n  interval: P1M\n  last_reviewed: 2020-01-01\n"
    assert check_tree({"people/ani.yaml": person}) == []


def test_unknown_requirement_id(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON + "satisfies: [8.7.2-c, 8.7.9-z]\n"})
    assert codes(lines) == [("requirement-unknown", 6, 22)]


def test_month_end_review_dates():
    from generator.checks.reviews import add_duration

    assert add_duration(dt.date(2026, 1, 31), "P1M") == dt.date(2026, 2, 28)
    assert add_duration(dt.date(2024, 1, 31), "P1M") == dt.date(2024, 2, 29)
    assert add_duration(dt.date(2026, 3, 15), "P1Y") == dt.date(2027, 3, 15)
    assert add_duration(dt.date(2026, 3, 15), "P2W") == dt.date(2026, 3, 29)
