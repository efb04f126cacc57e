"""Document control from git: history rows and their differences, approval integrity, --since,
shallow clones and folders outside git, on temporary repositories with scripted commits."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.history import read_history
from generator.checks.pipeline import check_content
from generator.publish.prepare import prepare_site
from tests.conftest import ROOT, TODAY, write_tree
from tests.gitrepo import Repo

ANI = """\
kind: person
id: PER-ANI
title: Ani Wijaya
owner: PER-ANI
role: Service manager
phones: [{label: mobile, number: "+62 812 0000 1111"}]
"""
ANDI = ANI.replace("PER-ANI\ntitle: Ani Wijaya", "PER-ANDI\ntitle: Andi Saputra").replace("1111", "2222")
BANK = "kind: organisation\nid: ORG-BANK\ntitle: Bank\nowner: PER-ANI\nroles: [customer]\n"
SERVICE = """\
kind: service
id: SVC-MAIL
title: Managed email
owner: PER-ANI
status: approved
criticality: high
customers: [ORG-BANK]
"""
SLA = """\
kind: sla
id: SLA-MAIL-BANK
title: Mail SLA for the bank
owner: PER-ANI
classification: public
status: approved
version: "1.0"
approval: {by: PER-ANI, authority: Director, date: 2026-01-10}
service: SVC-MAIL
customer: ORG-BANK
agreed: 2026-01-01
reporting_interval: P1M
targets:
  - {id: avail, metric: availability, description: Monthly availability, target: 99.5, unit: "%", comparison: at_least, period: month}
workload_limits:
  - {metric: mailboxes, limit: 1500, unit: mailboxes, period: month}
exceptions:
  - {name: Planned maintenance, description: Sundays 01:00-04:00 WIB}
"""
PLAN = """\
kind: continuity_plan
id: CP-1
title: Data centre loss
owner: PER-ANI
status: approved
version: "1.0"
approval: {by: PER-ANI, authority: Director, date: 2026-01-10}
invocation:
  criteria: [Primary data centre unreachable for 30 minutes]
  authorised: [PER-ANI]
  responsibilities: The continuity manager leads.
procedures:
  - step: Fail over to the secondary site
recovery: [Restore from the last snapshot]
return_to_normal: [Fail back after 24 hours stable]
contacts_verified: 2026-10-01
contacts:
  - {person: PER-ANI, duty: Continuity manager, priority: 1}
"""
ACTION = """\
kind: improvement_action
id: IMP-1
title: Lower the DNS TTL
owner: PER-ANI
description: Lower the public DNS TTL to 300 s.
due: 2026-01-31
state: done
completed: 2026-01-20
"""
FILES = {"people/ani.yaml": ANI, "people/andi.yaml": ANDI, "people/bank.yaml": BANK, "services/mail.yaml": SERVICE,
         "sl/sla.yaml": SLA, "continuity/cp.yaml": PLAN, "improvement/imp-1.yaml": ACTION}

JAN, FEB, MAR = "2026-01-15T10:00:00+07:00", "2026-02-01T09:30:00+07:00", "2026-03-02T14:00:00+07:00"


def _bump(text: str, version: str, approved: str) -> str:
    return text.replace('version: "1.0"', f'version: "{version}"').replace("date: 2026-01-10", f"date: {approved}")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Two commits: the records, then a new SLA target and a new plan contact, each with a new approved version."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Records for the mail service", FILES, date=JAN)
    repo.commit("Raise the mail availability target; Andi joins the plan", {
        "sl/sla.yaml": _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.9"),
        "continuity/cp.yaml": _bump(PLAN, "1.1", "2026-01-31") + "  - {person: PER-ANDI, duty: Deputy, priority: 2}\n",
    }, date=FEB, author="Budi Santoso")
    return repo


def page(content: Path, record: str, edition: str = "internal", **options: str) -> str:
    """The markdown of a page as an engine without the plugin gets it (history tables in place)."""
    prepared = prepare_site(content, TODAY, settings={}, edition=edition, **options)
    return prepared.filled_pages()[record]


def history_section(text: str, heading: str = "History") -> str:
    return text.split(f"## {heading}\n", 1)[1]


def history_rows(text: str) -> list[list[str]]:
    """The cells of the history table of a record page (raw HTML), newest version first."""
    rows = history_section(text).split("<tbody>\n", 1)[1].split("</tbody>", 1)[0].splitlines()
    return [row.removeprefix("<tr><td>").removesuffix("</td></tr>").split("</td><td>") for row in rows]


def findings(content: Path) -> list[str]:
    """The finding lines of a check with history, file names from the repository's root."""
    checked = check_content(content, TODAY, history=read_history(content))
    return [f.text().replace(f"{content.parent}/", "") for f in checked.findings]


# -- history rows and differences ---------------------------------------------------------------


def test_one_pass_reads_every_version_of_every_record(repo: Repo):
    history = read_history(repo.content)
    assert history.available and history.commits == 2
    sla = history.of("SLA-MAIL-BANK")
    assert [(c.commit.subject, c.before is None, c.after["version"]) for c in sla] == [
        ("Records for the mail service", True, "1.0"),
        ("Raise the mail availability target; Andi joins the plan", False, "1.1")]
    assert sla[1].commit.author == "Budi Santoso" and sla[1].commit.committed.isoformat() == FEB
    assert [c.commit.subject for c in history.of("PER-ANDI")] == ["Records for the mail service"]


def test_record_page_shows_each_version_with_what_changed(repo: Repo):
    rows = history_rows(page(repo.content, "records/sla/SLA-MAIL-BANK.md"))
    first, second = (c.commit.short for c in read_history(repo.content).of("SLA-MAIL-BANK"))
    assert rows == [
        ["1.1", "2026-02-01", "Budi Santoso", f"<code>{second}</code> Raise the mail availability target; Andi joins "
         "the plan", "Approval › Date: 2026-01-10 → 2026-01-31<br>Targets 'avail' › Target: 99.5 % → 99.9 %"],
        ["1.0", "2026-01-15", "Ani Wijaya", f"<code>{first}</code> Records for the mail service", "Created"],
    ]
    plan = history_rows(page(repo.content, "records/continuity_plan/CP-1.md"))
    assert plan[0][4].endswith("<br>Contacts PER-ANDI added")


def test_a_moved_or_untouched_record_has_no_new_row(repo: Repo):
    repo.git("mv", "content/people/andi.yaml", "content/people/andi-saputra.yaml")
    repo.commit("Rename a file", date=MAR)
    assert [c.commit.subject for c in read_history(repo.content).of("PER-ANDI")] == ["Records for the mail service"]


def test_uncommitted_changes_are_the_newest_row(repo: Repo):
    repo.write({"people/andi.yaml": ANDI.replace("Service manager", "Network engineer")})
    rows = history_rows(page(repo.content, "records/person/PER-ANDI.md"))
    assert rows[0] == ["—", "—", "—", "<em>not committed yet</em>", "Role: Service manager → Network engineer"]


def test_removed_records_and_removed_list_items_are_named(repo: Repo):
    repo.commit("Andi leaves the plan", {"continuity/cp.yaml": _bump(PLAN, "1.2", "2026-03-01")}, date=MAR)
    plan = history_rows(page(repo.content, "records/continuity_plan/CP-1.md"))
    assert plan[0][4].endswith("<br>Contacts PER-ANDI removed")
    history = read_history(repo.content)
    repo.remove("improvement/imp-1.yaml")
    repo.commit("Drop the action", date=MAR)
    assert [c.after is None for c in read_history(repo.content).of("IMP-1")] == [False, True]
    assert history.of("IMP-1")[-1].after is not None


def test_long_text_shows_the_words_that_changed(repo: Repo):
    long = "Lower the public DNS TTL of the two bank endpoints to 300 s before the October re-test of the plan."
    repo.commit("Say which endpoints", {"improvement/imp-1.yaml": ACTION.replace(
        "description: Lower the public DNS TTL to 300 s.", f"description: {long}")}, date=MAR)
    text = history_section(page(repo.content, "records/improvement_action/IMP-1.md"))
    assert ("Description reworded: 'of the two bank endpoints' added; 's.' → 's before the October re-test of the "
            "plan.'") in text


def test_history_speaks_the_site_language(repo: Repo):
    text = history_section(page(repo.content, "records/sla/SLA-MAIL-BANK.md", lang="id"), "Riwayat")
    assert "Dibuat" in text and "Target 'avail' › Target: 99.5 % → 99.9 %" in text


# -- unavailable history ------------------------------------------------------------------------


def test_a_folder_outside_git_says_history_is_unavailable(tmp_path: Path):
    content = write_tree(tmp_path, FILES)
    assert read_history(content).status == "outside-git"
    text = page(content, "records/sla/SLA-MAIL-BANK.md")
    assert "History is not available in this copy: the records were not built from a git repository." in text
    assert "## Approval" not in text


def test_a_shallow_clone_says_history_is_unavailable_and_build_warns(repo: Repo, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]):
    clone = Repo.__new__(Repo)
    clone.root, clone.content = tmp_path / "clone", tmp_path / "clone" / "content"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone.root))
    assert read_history(clone.content).status == "shallow"
    site = tmp_path / "site"
    assert main(["build", "--content", str(clone.content), "--site-dir", str(site), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    assert "is in a shallow clone: record pages show no history" in capsys.readouterr().err
    html = (site / "records/sla/SLA-MAIL-BANK/index.html").read_text(encoding="utf-8")
    assert "History is not available in this copy: this copy was built from a shallow clone" in html


def test_a_content_folder_never_committed_says_so(tmp_path: Path):
    repo = Repo(tmp_path / "repo")
    repo.write(FILES)
    assert read_history(repo.content).status == "uncommitted"
    assert "the records have not been committed yet" in page(repo.content, "records/sla/SLA-MAIL-BANK.md")


# -- approval integrity -------------------------------------------------------------------------


def test_approved_history_is_clean_and_the_page_names_the_commit_it_covers(repo: Repo):
    assert findings(repo.content) == []
    text = page(repo.content, "records/sla/SLA-MAIL-BANK.md")
    short = read_history(repo.content).of("SLA-MAIL-BANK")[1].commit.short
    assert (f"The approval covers version 1.1 as recorded in commit `{short}` Raise the mail availability target; "
            "Andi joins the plan on 2026-02-01.") in text


def test_substance_changed_after_approval_is_approval_outdated(repo: Repo):
    sla = _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.9").replace("limit: 1500", "limit: 2000")
    sha = repo.commit("More mailboxes", {"sl/sla.yaml": sla}, date=MAR)
    first = read_history(repo.content).of("SLA-MAIL-BANK")[1].commit.short
    assert findings(repo.content) == [
        f"content/sl/sla.yaml:8:11: error[approval-outdated]: approval: version 1.1 was approved as recorded in commit "
        f"{first} of 2026-02-01, then changed without a new version or approval (workload_limits) in commit "
        f"{sha[:10]} of 2026-03-02: give it a new version and record its approval, or undo the change"]
    text = page(repo.content, "records/sla/SLA-MAIL-BANK.md")
    assert f"Changed since without a new version or approval: `{sha[:10]}` More mailboxes (2026-03-02)." in text


def test_bookkeeping_after_approval_needs_no_new_version(repo: Repo):
    sla = _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.9")
    repo.commit("Reviewed", {"sl/sla.yaml": sla + "review: {interval: P12M, last_reviewed: 2026-03-01}\n"}, date=MAR)
    plan = _bump(PLAN, "1.1", "2026-01-31").replace("contacts_verified: 2026-10-01", "contacts_verified: 2026-10-15")
    repo.commit("Contacts verified", {"continuity/cp.yaml": plan + "  - {person: PER-ANDI, duty: Deputy, priority: 2}\n"},
                date=MAR)
    assert findings(repo.content) == []


def test_an_uncommitted_edit_of_an_approved_record_is_a_warning(repo: Repo):
    sla = _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.0")
    repo.write({"sl/sla.yaml": sla})
    (line,) = findings(repo.content)
    assert line.startswith("content/sl/sla.yaml:8:11: warning[approval-uncommitted-edit]: approval: changes not "
                           "committed yet (targets) keep version 1.1 and the approval recorded in commit ")


def test_a_new_version_under_the_old_approval_is_approval_outdated(repo: Repo):
    sla = _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.9")
    repo.write({"sl/sla.yaml": sla.replace('version: "1.1"', 'version: "1.2"')})
    (line,) = findings(repo.content)
    assert "warning[approval-uncommitted-edit]: version: version 1.2 (not committed yet) carries the approval " \
           "recorded with version 1.1" in line
    repo.commit("Version 1.2", date=MAR)
    (line,) = findings(repo.content)
    assert line.startswith("content/sl/sla.yaml:7:10: error[approval-outdated]: version: version 1.2 carries the "
                           "approval recorded with version 1.1 in commit ")


def test_an_approval_dated_after_its_commit_is_postdated(repo: Repo):
    sla = _bump(SLA, "1.2", "2026-03-10").replace("target: 99.5", "target: 99.95")
    sha = repo.commit("Approved in advance", {"sl/sla.yaml": sla}, date=MAR)
    assert findings(repo.content) == [
        f"content/sl/sla.yaml:8:52: warning[approval-postdated]: approval.date: approval dated 2026-03-10 was "
        f"recorded in commit {sha[:10]} of 2026-03-02, before the date it gives: record an approval when it has "
        "been given"]


def test_without_history_nothing_is_judged(repo: Repo):
    repo.write({"sl/sla.yaml": SLA.replace("limit: 1500", "limit: 9")})
    assert [f.code for f in check_content(repo.content, TODAY).findings] == []


# -- changes since ------------------------------------------------------------------------------


@pytest.fixture
def audited(repo: Repo) -> Repo:
    """Tagged audit-2026 after the second commit; then a record added, one changed, one retired, one removed."""
    repo.git("tag", "audit-2026")
    repo.commit("After the audit", {
        "people/budi.yaml": ANI.replace("PER-ANI\ntitle: Ani Wijaya", "PER-BUDI\ntitle: Budi Santoso"),
        "sl/sla.yaml": _bump(SLA, "1.2", "2026-03-01").replace("target: 99.5", "target: 99.95"),
        "continuity/cp.yaml": _bump(PLAN, "1.1", "2026-01-31").replace("status: approved", "status: retired")
        + "  - {person: PER-ANDI, duty: Deputy, priority: 2}\n",
    }, date=MAR)
    repo.remove("improvement/imp-1.yaml")
    repo.commit("Drop the action", date=MAR)
    return repo


def test_since_lists_added_changed_retired_and_removed_records_by_clause(audited: Repo):
    text = page(audited.content, "changes.md", edition="auditor", since="audit-2026")
    assert text.startswith("# Changes since `audit-2026`\n")
    assert "## Relationship and agreement\n" in text and "## Service assurance\n" in text
    assert ("| [SLA-MAIL-BANK — Mail SLA for the bank](records/sla/SLA-MAIL-BANK.md) | Service level agreement | "
            "changed | Version: 1.1 → 1.2<br>Approval › Date: 2026-01-31 → 2026-03-01<br>Targets 'avail' › Target: 99.9 % → 99.95 % |") in text
    assert "| [CP-1 — Data centre loss](records/continuity_plan/CP-1.md) | Continuity plan | retired | Status: " \
           "approved → retired |" in text
    assert "| [PER-BUDI — Budi Santoso](records/person/PER-BUDI.md) | Person | added | — |" in text
    assert "| IMP-1 — Lower the DNS TTL | Improvement action | removed | — |" in text
    # A date means the last commit before that day: the same baseline as the tag.
    assert page(audited.content, "changes.md", edition="auditor", since="2026-02-15").split("\n", 1)[1] == \
        text.split("\n", 1)[1].replace("`audit-2026`", "`2026-02-15`")


def test_since_on_build_and_export(audited: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    args = ["--content", str(audited.content), "--today", TODAY.isoformat(), "--config", str(ROOT / "mkdocs.yml"),
            "--edition", "auditor", "--since", "audit-2026"]
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site), *args]) == 0
    html = (site / "changes/index.html").read_text(encoding="utf-8")
    assert "Changes since <code>audit-2026</code>" in html and "PER-BUDI" in html
    # The history table is in the finished record page, not in the search index.
    record = (site / "records/sla/SLA-MAIL-BANK/index.html").read_text(encoding="utf-8")
    assert "<th>What changed</th>" in record and "<br>Targets 'avail' › Target: 99.9 % → 99.95 %</td>" in record
    assert 'class="clause8-history"' not in record
    assert "99.9 % → 99.95 %" not in (site / "search/search_index.json").read_text(encoding="utf-8")
    out = tmp_path / "export.json"
    assert main(["export", "--out", str(out), *args]) == 0
    changes = json.loads(out.read_text(encoding="utf-8"))["changes_since"]
    assert changes["since"] == "audit-2026" and changes["commit"] == audited.git("rev-parse", "audit-2026")
    by_id = {r["id"]: r for r in changes["records"]}
    assert {k: v["change"] for k, v in by_id.items()} == {
        "CP-1": "retired", "IMP-1": "removed", "PER-BUDI": "added", "SLA-MAIL-BANK": "changed"}
    assert {"field": "targets['avail'].target", "change": "changed", "old": "99.9", "new": "99.95"} in \
        by_id["SLA-MAIL-BANK"]["differences"]
    capsys.readouterr()
    assert main(["build", "--site-dir", str(tmp_path / "other"), *args[:-1], "no-such-tag"]) == 2
    assert "--since 'no-such-tag' is neither a commit, tag or branch of the repository nor a date" in \
        capsys.readouterr().err
    assert main(["export", "--format", "csv", *args]) == 2
    assert not (tmp_path / "other").exists()


def test_since_keeps_to_the_edition(audited: Repo):
    # The continuity edition carries plans and people, not actions; the public edition carries no
    # people, plans or actions, nor an SLA of a customer that is not published: nothing is listed.
    text = page(audited.content, "changes.md", edition="continuity", since="audit-2026")
    assert "CP-1" in text and "PER-BUDI" in text and "IMP-1" not in text
    text = page(audited.content, "changes.md", edition="public", since="audit-2026")
    assert "Nothing changed since then." in text
    assert not any(rid in text for rid in ("SLA-MAIL-BANK", "PER-BUDI", "CP-1", "IMP-1"))


def test_since_needs_history(tmp_path: Path):
    from generator.content.history import SinceError

    content = write_tree(tmp_path, FILES)
    with pytest.raises(SinceError, match="--since needs the git history, but the content folder is not inside a git"):
        page(content, "changes.md", since="HEAD")


def test_editions_see_history_only_as_they_may_see_records(repo: Repo):
    # The public edition carries the (now public) service but no people: no commit authors, no messages.
    repo.commit("Publish the mail service", {"services/mail.yaml": SERVICE + "classification: public\n"},
                date=MAR, author="Budi Santoso")
    text = history_section(page(repo.content, "records/service/SVC-MAIL.md", edition="public"))
    assert "Budi" not in text and "Publish the mail" not in text and "Ani Wijaya" not in text
    assert "<th>Version</th><th>Date</th><th>Commit</th><th>What changed</th>" in text
    assert "First version in this edition (earlier versions withheld)" in text  # it was internal before
    internal = history_section(page(repo.content, "records/service/SVC-MAIL.md"))
    assert "Budi Santoso" in internal and "Publish the mail service" in internal
    assert "Classification set to public" in internal


def test_ci_checks_out_the_whole_history():
    import yaml

    from generator.authoring import scaffold

    workflows = {"compliance-site.yml": (ROOT / ".github/workflows/compliance-site.yml").read_text(encoding="utf-8")}
    workflows.update({path: text for path, text in scaffold.tool_files().items() if path.startswith(".github/workflows/")})
    assert len(workflows) == 2
    for name, text in workflows.items():
        steps = [step for job in yaml.safe_load(text)["jobs"].values() for step in job.get("steps", [])
                 if str(step.get("uses", "")).startswith("actions/checkout@")]
        assert steps, name
        for step in steps:
            assert step["with"]["fetch-depth"] == 0, name


def test_what_counts_as_bookkeeping_is_declared_on_the_models():
    from generator.content.revisions import substance

    plan = {"kind": "continuity_plan", "id": "CP-1", "title": "Plan", "version": "1.0", "status": "approved",
            "contacts_verified": "2026-10-01", "review": {"interval": "P12M"}, "attachments": [], "recovery": ["x"]}
    assert substance(plan) == {"kind": "continuity_plan", "id": "CP-1", "title": "Plan", "recovery": ["x"]}
    policy = {"kind": "security_policy", "id": "POL-1", "title": "Policy", "audiences": [{"audience": "staff"}]}
    assert "audiences" not in substance(policy)
    contract = {"kind": "supplier_contract", "id": "SC-1", "alignment_checks": [], "targets": []}
    assert list(substance(contract)) == ["kind", "id", "targets"]


def test_history_tables_made_in_another_process_are_the_same(repo: Repo, monkeypatch: pytest.MonkeyPatch):
    import generator.site.document_control as dc

    inline = prepare_site(repo.content, TODAY, settings={}).filled_pages()
    monkeypatch.setattr(dc, "BACKGROUND_MIN_PAGES", 1)
    forked = prepare_site(repo.content, TODAY, settings={})
    assert forked.control._worker is not None and forked.control._worker.forked  # made in a forked process
    assert forked.filled_pages() == inline


REQUIREMENT = """\
kind: continuity_requirement
id: CR-MAIL
title: Mail continuity
owner: PER-ANI
service: SVC-MAIL
rto: PT4H
rpo: PT50M
minimum_service: Read-only mail for managers
"""


@pytest.fixture
def reworded(repo: Repo) -> Repo:
    """A third commit changing durations and enumerated values: the history says them in words."""
    sla = _bump(SLA, "1.2", "2026-03-01").replace("target: 99.5", "target: 99.9")
    repo.commit("Quarterly targets", {
        "sl/sla.yaml": sla.replace("reporting_interval: P1M", "reporting_interval: P3M")
        .replace("comparison: at_least, period: month}", "comparison: at_least, period: quarter}")
        + "review: {interval: P12M, last_reviewed: 2026-03-01}\n",
        "services/mail.yaml": SERVICE.replace("criticality: high", "criticality: critical"),
        "continuity/cr.yaml": REQUIREMENT,
    }, date=MAR)
    repo.commit("Tighter recovery", {"continuity/cr.yaml": REQUIREMENT.replace("rto: PT4H", "rto: PT1H30M")
                                     .replace("rpo: PT50M", "rpo: PT15M")}, date=MAR)
    return repo


@pytest.mark.parametrize("lang, expected", [
    ("en", {
        "sla": ["Approval › Date: 2026-01-31 → 2026-03-01",
                "Review set to Interval: every 12 months; Last reviewed: 2026-03-01",
                "Targets 'avail' › Period: per month → per quarter", "Reporting interval: every month → every 3 months"],
        "service": ["Criticality: high → critical"],
        "requirement": ["Recovery time objective (RTO): 4 hours → 1 hour 30 minutes",
                        "Recovery point objective (RPO): 50 minutes → 15 minutes"],
    }),
    ("id", {
        "sla": ["Persetujuan › Tanggal: 2026-01-31 → 2026-03-01",
                "Tinjauan diisi Interval: setiap 12 bulan; Terakhir ditinjau: 2026-03-01",
                "Target 'avail' › Periode: per bulan → per kuartal", "Interval pelaporan: setiap bulan → setiap 3 bulan"],
        "service": ["Kekritisan: tinggi → kritis"],
        "requirement": ["Sasaran waktu pemulihan (RTO): 4 jam → 1 jam 30 menit",
                        "Sasaran titik pemulihan (RPO): 50 menit → 15 menit"],
    }),
])
def test_history_says_durations_and_values_in_words_of_the_site_language(reworded: Repo, lang: str,
                                                                         expected: dict[str, list[str]]):
    pages = {"sla": "records/sla/SLA-MAIL-BANK.md", "service": "records/service/SVC-MAIL.md",
             "requirement": "records/continuity_requirement/CR-MAIL.md"}
    heading = "History" if lang == "en" else "Riwayat"
    for name, path in pages.items():
        newest = history_rows(page(reworded.content, path, lang=lang).replace(f"## {heading}\n", "## History\n"))[0]
        assert newest[-1].split("<br>") == expected[name], name
    # The export keeps the tokens as written: it is data, not prose.
    text = page(reworded.content, "changes.md", edition="auditor", since="HEAD~2", lang=lang)
    assert "P12M" not in text and "PT4H" not in text


# -- from the command line ------------------------------------------------------------------------


def test_check_from_the_command_line_reads_the_history(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    sla = _bump(SLA, "1.1", "2026-01-31").replace("target: 99.5", "target: 99.9").replace("limit: 1500", "limit: 2000")
    sha = repo.commit("More mailboxes", {"sl/sla.yaml": sla}, date=MAR)
    today = ["--today", TODAY.isoformat()]
    assert main(["check", "--content", str(repo.content), *today]) == 1
    out = capsys.readouterr().out
    assert f"error[approval-outdated]: approval: version 1.1 was approved as recorded in commit " in out
    assert f"(workload_limits) in commit {sha[:10]} of 2026-03-02" in out
    assert main(["check", "--content", str(repo.content), *today, "--format", "json"]) == 1
    (found,) = json.loads(capsys.readouterr().out)["findings"]
    assert (found["code"], found["line"], found["field"]) == ("approval-outdated", 8, "approval")
    # The same files outside git: nothing to judge approvals by, and nothing fails.
    plain = write_tree(tmp_path / "plain", {**FILES, "sl/sla.yaml": sla})
    assert main(["check", "--content", str(plain), *today]) == 0
    assert "approval" not in capsys.readouterr().out


def test_build_from_the_command_line_outside_git_and_in_a_shallow_clone(repo: Repo, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]):
    common = ["--today", TODAY.isoformat(), "--config", str(ROOT / "mkdocs.yml")]
    plain = write_tree(tmp_path / "plain", FILES)
    site = tmp_path / "site"
    assert main(["build", "--content", str(plain), "--site-dir", str(site), *common]) == 0
    err = capsys.readouterr().err
    assert "shallow" not in err and "Traceback" not in err
    html = (site / "records/sla/SLA-MAIL-BANK/index.html").read_text(encoding="utf-8")
    assert "History is not available in this copy: the records were not built from a git repository." in html
    # --since needs the history: a usage error, said in one line, nothing built.
    assert main(["build", "--content", str(plain), "--site-dir", str(tmp_path / "other"), *common,
                 "--since", "2026-01-01"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --since needs the git history, but the content folder is not inside a git work tree\n"
    assert not (tmp_path / "other").exists()
    # A shallow clone: check and export warn and judge no approvals; --since is refused with the fix.
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    assert main(["check", "--content", str(clone / "content"), "--today", TODAY.isoformat()]) == 0
    assert "is in a shallow clone: record pages show no history" in capsys.readouterr().err
    assert main(["export", "--content", str(clone / "content"), "--out", str(tmp_path / "x.json"), *common,
                 "--since", "HEAD"]) == 2
    assert "git fetch --unshallow" in capsys.readouterr().err


def test_since_a_date_from_the_command_line(audited: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    args = ["--content", str(audited.content), "--today", TODAY.isoformat(), "--edition", "auditor"]
    out = tmp_path / "export.json"
    assert main(["export", "--out", str(out), *args, "--since", "2026-02-15"]) == 0
    changes = json.loads(out.read_text(encoding="utf-8"))["changes_since"]
    assert changes["commit"] == audited.git("rev-parse", "audit-2026")
    assert changes["committed"] == FEB
    assert {r["id"]: r["change"] for r in changes["records"]} == {
        "CP-1": "retired", "IMP-1": "removed", "PER-BUDI": "added", "SLA-MAIL-BANK": "changed"}
    # Before the first commit: every record is new.
    assert main(["export", "--out", str(out), *args, "--since", "2025-12-31"]) == 0
    changes = json.loads(out.read_text(encoding="utf-8"))["changes_since"]
    assert changes["commit"] is None and {r["change"] for r in changes["records"]} == {"added"}
    assert page(audited.content, "changes.md", edition="auditor", since="2025-12-31").startswith(
        "# Changes since `2025-12-31`\n\nEvery record is new since `2025-12-31`: no commit of the records is older.")
    # Not a date, not a ref; an option-looking value: usage errors, no traceback.
    for bad in ("2026-02-30", "--output=x", "HEAD~99"):
        assert main(["export", "--out", str(out), *args, f"--since={bad}"]) == 2, bad
        err = capsys.readouterr().err
        assert err.startswith("error: --since") and "Traceback" not in err, bad
