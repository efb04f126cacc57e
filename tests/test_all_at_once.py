"""Every problem at once: a record that fails validation still has its references, requirement ids
and id checked, and is still known by its id; fixing what one run reports brings no second wave.
A fresh skeleton says what to fill in; a record approved today is not overdue for review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.models import KINDS
from generator.authoring.skeleton import skeleton
from tests.conftest import PERSON, TODAY

BUDI = PERSON.replace("PER-ANI", "PER-BUDI").replace("Ani Wijaya", "Budi Santoso")
SERVICE = "kind: service\nid: SVC-MAIL\ntitle: Mail\nowner: PER-ANI\ncriticality: high\n"


def test_references_of_a_record_that_failed_validation_are_checked(check_tree):
    lines = check_tree({
        "people/ani.yaml": PERSON + "review:\n  interval: P12M\n  last_reviewed: 15/11/2026\nalternates: [PER-BUDY]\n",
        "people/budi.yaml": BUDI,
    })
    assert lines == [
        "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '15/11/2026' is not a date: "
        "write YYYY-MM-DD, e.g. 2026-11-15",
        "content/people/ani.yaml:9:14: error[ref-unknown]: alternates[0]: 'PER-BUDY' is not a known person. "
        "Did you mean 'PER-BUDI'?",
    ]


def test_a_record_that_failed_validation_is_still_known_by_its_id(check_tree):
    org = "kind: organisation\nid: ORG-BANK\ntitle: Bank\nowner: PER-ANI\nroles: [customer]\nwebsit: bank.example\n"
    lines = check_tree({
        "people/ani.yaml": PERSON,
        "people/bank.yaml": org,
        "services/mail.yaml": SERVICE + "customers: [ORG-BANK]\nsuppliers: [SVC-MAIL]\n",
    })
    # The typo in the organisation is reported; the service's reference to it is not "unknown",
    # while a reference of the wrong kind is still found.
    assert lines == [
        "content/people/bank.yaml:6:1: error[field-unknown]: websit: unknown field 'websit'. Did you mean 'website'?",
        "content/services/mail.yaml:7:13: error[ref-kind]: suppliers[0]: 'SVC-MAIL' is a service, but an "
        "organisation is needed here",
    ]


def test_a_failed_record_refers_to_the_wrong_kind_and_an_unknown_requirement(check_tree):
    lines = check_tree({
        "people/ani.yaml": PERSON,
        "services/mail.yaml": SERVICE,
        "people/budi.yaml": BUDI + "organisation: SVC-MAIL\nsatisfies: [8.7.1-z]\nemail: budi.example\n",
    })
    assert lines == [
        "content/people/budi.yaml:6:15: error[ref-kind]: organisation: 'SVC-MAIL' is a service, but an organisation "
        "is needed here",
        "content/people/budi.yaml:7:13: error[requirement-unknown]: satisfies[0]: '8.7.1-z' is not a requirement id "
        "of clause 8.3 or 8.7. Did you mean '8.7.1-h'?",
        "content/people/budi.yaml:8:8: error[field-invalid]: email: 'budi.example' is not an email address: write "
        "name@domain, e.g. ani@example.co.id",
    ]


def test_a_value_that_failed_is_not_judged_again(check_tree):
    # The reference itself is malformed: one finding (field-invalid), not also ref-unknown.
    lines = check_tree({"people/ani.yaml": PERSON + "alternates: [PER BUDI]\ntitel: x\n"})
    assert [line.split(": ")[1] for line in lines] == ["error[field-invalid]", "error[field-unknown]"]


def test_a_copied_record_that_fails_validation_is_a_duplicate_at_once(check_tree):
    copy = PERSON + "email: ani.example\n"
    lines = check_tree({"people/ani.yaml": PERSON, "people/ani-copy.yaml": copy})
    assert lines == [
        "content/people/ani-copy.yaml:2:5: error[id-duplicate]: id: id 'PER-ANI' is also used at "
        "content/people/ani.yaml:2",
        "content/people/ani-copy.yaml:6:8: error[field-invalid]: email: 'ani.example' is not an email address: "
        "write name@domain, e.g. ani@example.co.id",
        "content/people/ani.yaml:2:5: error[id-duplicate]: id: id 'PER-ANI' is also used at "
        "content/people/ani-copy.yaml:2",
    ]


# -- no second wave ------------------------------------------------------------------------------

# Several independent mistakes, each with the fix its finding suggests: (file, field) -> (old, new).
MISTAKES = {
    "people/ani.yaml": PERSON + "review:\n  interval: P12M\n  last_reviewed: 15/11/2026\nalternates: [PER-BUDY]\n",
    "people/budi.yaml": BUDI.replace("role:", "rol:"),
    "people/citra.yaml": PERSON + "email: citra.example\n",  # copied from Ani's, id and all
    "people/bank.yaml": "kind: organisation\nid: ORG-BANK\ntitle: Bank\nowner: PER-ANI\nroles: [custmer]\n",
    "services/mail.yaml": SERVICE.replace("high", "hihg") + "customers: [ORG-BANK]\n",
    "availability/ar.yaml": (
        "kind: availability_requirement\nid: AR-MAIL\ntitle: Mail availability\nowner: PER-ANI\nservice: SVC-MAIL\n"
        "target: 99,9\nperiod: month\nservice_hours: 24x7\nmonitoring_since: 2026-11-01\nsatisfies: [8.7.1-z]\n"
    ),
}
FIXES: dict[tuple[str, str], tuple[str, str]] = {
    ("people/ani.yaml", "review.last_reviewed"): ("15/11/2026", "2026-11-15"),
    ("people/ani.yaml", "alternates[0]"): ("PER-BUDY", "PER-BUDI"),
    ("people/budi.yaml", "rol"): ("rol:", "role:"),
    ("people/budi.yaml", "role"): ("", ""),  # the same mistake, seen as a missing field
    ("people/citra.yaml", "id"): ("id: PER-ANI", "id: PER-CITRA"),
    ("people/ani.yaml", "id"): ("", ""),  # the other place of the duplicate
    ("people/citra.yaml", "email"): ("citra.example", "citra@example.co.id"),
    ("people/bank.yaml", "roles[0]"): ("custmer", "customer"),
    ("services/mail.yaml", "criticality"): ("hihg", "high"),
    ("availability/ar.yaml", "target"): ("99,9", "99.9"),
    ("availability/ar.yaml", "satisfies[0]"): ("8.7.1-z", "8.7.1-h"),
}

SUGGESTED = {("people/ani.yaml", "review.last_reviewed"), ("people/ani.yaml", "alternates[0]"),
             ("people/budi.yaml", "rol"), ("people/bank.yaml", "roles[0]"), ("services/mail.yaml", "criticality"),
             ("availability/ar.yaml", "target"), ("availability/ar.yaml", "satisfies[0]")}


def test_fixing_every_finding_leaves_nothing(check_tree, tmp_path: Path):
    first = check_tree(MISTAKES)
    found = {(line.split(":", 1)[0].removeprefix("content/"), line.split(": ")[2]) for line in first}
    assert found == set(FIXES), "\n".join(first)
    # Where a finding suggests the fix (an example, a "did you mean", the allowed values), it is that fix.
    for line in first:
        where = (line.split(":", 1)[0].removeprefix("content/"), line.split(": ")[2])
        if where in SUGGESTED:
            assert FIXES[where][1].removesuffix(":") in line.split(": ", 3)[3], line
    fixed = dict(MISTAKES)
    for (file, _), (old, new) in FIXES.items():
        if old:
            assert old in fixed[file]
            fixed[file] = fixed[file].replace(old, new)
    for file, text in fixed.items():
        (tmp_path / "content" / file).write_text(text, encoding="utf-8")
    assert check_tree({}) == []


# -- skeletons -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_fresh_skeleton_says_what_to_fill_in(check_tree, kind: str):
    lines = check_tree({"people/ani.yaml": PERSON, f"new/{kind}.yaml": skeleton(kind, "X-NEW")})
    codes = {line.split("[", 1)[1].split("]", 1)[0] for line in lines}
    # Only its placeholders (and, for a document to approve, that it is a draft): no part is
    # missing, no reference is unknown, no deficiency is claimed.
    assert codes <= {"placeholder", "approval-draft"} and "placeholder" in codes, lines
    assert all("still holds the skeleton's placeholder: write " in line for line in lines if "[placeholder]" in line)
    title = skeleton(kind, "X-NEW").splitlines().index('title: "TODO: title of X-NEW"') + 1
    assert (f"content/new/{kind}.yaml:{title}:8: error[placeholder]: title: still holds the skeleton's placeholder: "
            "write the text here (Short human-readable title.)") in lines


def test_a_filled_in_skeleton_is_complete(check_tree):
    text = skeleton("continuity_plan", "CP-NEW")
    filled = text.replace('"TODO-PERSON"', "PER-ANI").replace('"TODO: ', '"')
    phones = PERSON + 'phones: [{label: mobile, number: "+62 812 0000 1111"}]\n'
    before = check_tree({"people/ani.yaml": phones, "continuity/cp.yaml": text})
    assert "content/continuity/cp.yaml" in before[0] and "[part-missing]" not in "".join(before)
    status = filled.splitlines().index('status: "draft"') + 1
    assert check_tree({"continuity/cp.yaml": filled}) == [
        f"content/continuity/cp.yaml:{status}:9: warning[approval-draft]: status: this continuity plan is still a "
        "draft",
    ]


def test_skeleton_keeps_given_values():
    """`clause8 init` passes its starter values; the parts it gives are not placeholders."""
    text = skeleton("sla", "SLA-X", owner="PER-A", values={"targets": [], "workload_limits": [{"metric": "users"}]})
    assert "targets: []" in text and "  - metric: \"users\"" in text and 'owner: "PER-A"' in text
    assert "exceptions:\n  - name: \"TODO: name\"" in text


# -- the first review counts from the approval -----------------------------------------------------

def _approved(approved: dt.date, interval: str = "P12M") -> str:
    return PERSON + (f"status: approved\napproval: {{by: PER-ANI, authority: Director, date: {approved}}}\n"
                     f"review:\n  interval: {interval}\n")


def test_a_record_approved_today_is_not_review_never(check_tree):
    assert check_tree({"people/ani.yaml": _approved(TODAY)}) == []
    assert check_tree({"people/ani.yaml": _approved(dt.date(2025, 11, 24))}) == []  # due today, not yet late


def test_a_record_approved_longer_ago_than_its_interval_is_review_never(check_tree):
    lines = check_tree({"people/ani.yaml": _approved(dt.date(2025, 10, 1))})
    assert lines == [
        "content/people/ani.yaml:9:3: warning[review-never]: review: planned review every P12M but never reviewed: "
        "the first was due on 2026-10-01, P12M after the approval on 2025-10-01 (54 days ago, as of 2026-11-24)",
    ]


def test_a_record_without_approval_date_is_review_never_at_once(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON + "review:\n  interval: P6M\n"})
    assert lines == [
        "content/people/ani.yaml:7:3: warning[review-never]: review: planned review every P6M but never reviewed",
    ]
