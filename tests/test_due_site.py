"""The "What is due" page and calendar.ics of each edition: what they list, that the feed parses back
with a second library (vobject) with one event per obligation, and that UIDs stay the same across
builds while dates move."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import vobject

from generator.cli import main
from tests.conftest import ROOT, write_tree

OWNER = "kind: person\nid: PER-ANI\ntitle: Ani Wijaya\nowner: PER-ANI\nrole: Service manager\nclassification: internal\n"
FILES = {
    "people/ani.yaml": OWNER,
    "people/sup.yaml": "kind: organisation\nid: ORG-S\ntitle: Supplier\nowner: PER-ANI\nroles: [external_supplier]\n"
                       "classification: internal\n",
    "services/a.yaml": "kind: service\nid: SVC-A\ntitle: Mail\nowner: PER-ANI\ncriticality: high\n"
                       "classification: public\nstatus: approved\n",
    # Public, reviewed yearly: overdue on 2026-11-24 (due 2026-10-31).
    "security/pol.yaml": "kind: security_policy\nid: POL-1\ntitle: Security policy\nowner: PER-ANI\n"
                         "classification: public\nstatus: approved\n"
                         "approval: {by: PER-ANI, authority: Director, date: 2025-10-01}\n"
                         "review: {interval: P12M, last_reviewed: 2025-10-31}\nsummary: Keep data safe.\n",
    # Internal contract: notice by 2027-01-30 (in the next 90 days), ends 2027-04-30.
    "suppliers/sc.yaml": "kind: supplier_contract\nid: SC-1\ntitle: Hosting contract, Cnrycontract\n"
                         "owner: PER-ANI\nsupplier: ORG-S\nreference: C-1\nstart: 2025-06-01\nend: 2027-04-30\n"
                         "notice_period: P3M\nscope: Hosting\nmanager: PER-ANI\nrequirements: [Hosting in Indonesia]\nobligations: [Monthly report]\n"
                         "responsibilities: [{party: supplier, responsibility: Runs the hosts}]\n"
                         "interfaces: [{name: Incidents, description: Phone the NOC}]\n",
    # Confidential action: only the editions cleared for it show it.
    "improvement/imp.yaml": "kind: improvement_action\nid: IMP-CNRYDUE\ntitle: Cnrydue action\nowner: PER-ANI\n"
                            "classification: confidential\ndue: 2026-12-31\nstate: open\n",
}


def build(content: Path, site: Path, edition: str, today: str = "2026-11-24") -> Path:
    assert main(["build", "--content", str(content), "--site-dir", str(site), "--today", today,
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", edition]) == 0
    return site


def events(site: Path) -> dict[str, tuple[dt.date, str]]:
    """UID -> (start date, summary), read back with vobject."""
    (cal,) = vobject.readComponents((site / "calendar.ics").read_text(encoding="utf-8"))
    out = {}
    for event in cal.vevent_list:
        start = event.dtstart.value
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)  # all-day
        assert event.dtend.value == start + dt.timedelta(days=1)
        assert event.uid.value not in out
        out[event.uid.value] = (start, event.summary.value)
    return out


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("due"), FILES)


@pytest.fixture(scope="module")
def auditor(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(content, tmp_path_factory.mktemp("auditor") / "site", "auditor")


def test_feed_parses_back_with_one_event_per_obligation(auditor: Path):
    assert events(auditor) == {
        "review.POL-1@nld-records": (dt.date(2026, 10, 31), "Review: POL-1 — Security policy"),
        "contract_notice.SC-1@nld-records": (dt.date(2027, 1, 30),
                                             "Last day to give notice: SC-1 — Hosting contract, Cnrycontract"),
        "contract_end.SC-1@nld-records": (dt.date(2027, 4, 30), "Contract ends: SC-1 — Hosting contract, Cnrycontract"),
        "action.IMP-CNRYDUE@nld-records": (dt.date(2026, 12, 31), "Improvement action: IMP-CNRYDUE — Cnrydue action"),
    }


def test_uids_stay_when_dates_move(content: Path, tmp_path: Path, auditor: Path):
    before = events(auditor)
    # A review done and the contract extended: the same events move, none is added.
    moved = write_tree(tmp_path, {**FILES,
                                  "security/pol.yaml": FILES["security/pol.yaml"].replace("2025-10-31", "2026-11-20"),
                                  "suppliers/sc.yaml": FILES["suppliers/sc.yaml"].replace("2027-04-30", "2028-05-31")})
    after = events(build(moved, tmp_path / "site", "auditor"))
    assert set(after) == set(before)
    assert after["review.POL-1@nld-records"][0] == dt.date(2027, 11, 20)
    assert after["contract_notice.SC-1@nld-records"][0] == dt.date(2028, 2, 29)  # leap year
    # And a second build of the same content gives the same events.
    assert events(build(content, tmp_path / "again", "auditor")) == before


def test_due_page_lists_overdue_and_the_next_90_days(auditor: Path):
    page = (auditor / "due" / "index.html").read_text(encoding="utf-8")
    overdue, _, rest = page.partition('id="due-in-the-next-90-days"')
    assert "POL-1" in overdue and "2026-10-31" in overdue
    assert "SC-1" in rest and "2027-01-30" in rest
    assert "2027-04-30" not in page  # the contract's end is past the horizon (only in the feed)
    assert 'id="by-owner"' in page and 'href="../calendar.ics"' in page


@pytest.mark.parametrize(("edition", "expected"), [
    ("public", {"review.POL-1@nld-records"}),
    ("internal", {"review.POL-1@nld-records", "contract_notice.SC-1@nld-records", "contract_end.SC-1@nld-records"}),
])
def test_editions_hold_only_what_they_may_show(content: Path, tmp_path: Path, edition: str, expected: set[str]):
    site = build(content, tmp_path / edition, edition)
    assert set(events(site)) == expected
    text = (site / "calendar.ics").read_text(encoding="utf-8") + (site / "due" / "index.html").read_text(encoding="utf-8")
    assert "CNRYDUE" not in text and "Cnrydue" not in text
    if edition == "public":
        assert "Cnrycontract" not in text


def test_export_carries_the_due_dates_of_the_edition(content: Path, tmp_path: Path):
    import json

    out = tmp_path / "export.json"
    assert main(["export", "--content", str(content), "--out", str(out), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", "internal"]) == 0
    due = {d["key"]: d for d in json.loads(out.read_text(encoding="utf-8"))["due"]}
    assert set(due) == {"review.POL-1", "contract_notice.SC-1", "contract_end.SC-1"}  # not the confidential action
    assert due["review.POL-1"] == {"key": "review.POL-1", "what": "review", "record": "POL-1", "owner": "PER-ANI",
                                   "date": "2026-10-31", "since": "2025-10-31", "interval": "P12M",
                                   "overdue": True, "days": -24}
