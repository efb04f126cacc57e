"""Editions: nothing above an edition's clearance reaches any of its output.

Canary strings are planted in every field of records an edition must not carry, and in
personal-data fields. Every edition is built (site and offline bundle) and every output byte is
scanned: pages, search index, sitemap, 404, copied files, the emergency pack, its PDF (as text)
and vCard, and every file inside the zip. The scanner is shown to find canaries that *are*
allowed, so a silent scanner cannot pass the test.

The content is a git repository of two commits, so the history on every record page, the
"Changes since" page and the export's changes are scanned too: the first commit holds old values
that were confidential or personal at the time, a commit message names a confidential record, and
commit authors and subjects must stay out of the public edition. Records carry evidence files
(attachments) with canaries inside and in their names: only editions that carry the record may
carry its file, in the site and in the bundle.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.editions import DEFAULT_EDITIONS
from tests.conftest import ROOT, write_tree
from tests.gitrepo import Repo

OWNER = """\
kind: person
id: PER-OWNER
title: Olivia Owner
owner: PER-OWNER
role: Continuity manager
classification: public
"""
SERVICE = """\
kind: service
id: SVC-MAIL
title: Managed email
owner: PER-OWNER
classification: public
criticality: high
"""
# Internal, with a confidential person among its contacts.
PLAN = """\
kind: continuity_plan
id: CP-1
title: Data centre loss
owner: PER-OWNER
classification: internal
status: approved
approval: {by: PER-OWNER, authority: Director, date: 2026-01-10}
services: [SVC-MAIL]
invocation:
  criteria: [Primary site unreachable for 30 minutes]
  authorised: [PER-OWNER, PER-CNRYCONF]
  responsibilities: The continuity manager leads.
procedures:
  - step: Fail over
recovery: [Restore the last snapshot]
return_to_normal: [Fail back]
contacts:
  - {person: PER-OWNER, duty: Lead, priority: 1}
  - {person: PER-CNRYCONF, duty: Deputy, priority: 2}
  - {person: PER-PHONE, duty: On call, priority: 3}
"""
# Confidential: every field carries a canary. It is the only evidence of 8.3.2-b, and its review is
# overdue: a finding about a record some editions may not show, tied to a requirement.
CONFIDENTIAL = """\
kind: person
id: PER-CNRYCONF
title: Cnryconf Title
owner: PER-OWNER
role: Cnryconf role
classification: confidential
status: approved
satisfies: [8.3.2-b]
review: {interval: P1M, last_reviewed: 2026-01-01}
description: Cnryconf description
email: cnryconf@work.example
personal_email: cnryconf-personal@home.example
home_address: Cnryconf home address
phones:
  - {label: mobile, number: "+62 811 1111 0001"}
"""
# Internal person whose personal-data fields carry canaries.
PHONE = """\
kind: person
id: PER-PHONE
title: Pat Phone
owner: PER-OWNER
role: Engineer
classification: internal
personal_email: cnrypersonal@home.example
home_address: Cnrypersonal home street
phones:
  - {label: mobile, number: "+62 822 2222 0002"}
"""
# Internal security risk: only the internal and auditor editions carry it (not public, not continuity).
RISK = """\
kind: security_risk
id: RISK-CNRYKIND
title: Cnrykind risk title
owner: PER-OWNER
classification: internal
likelihood: low
impact: low
treatment: accept
rationale: Cnrykind rationale
"""

# Availability of the (public) mail service: the requirement and its monitoring are internal, the
# outage and its investigation confidential. The miss gives an availability-missed warning about the
# internal requirement whose message names the confidential outage: editions below confidential
# must not show that finding anywhere (record page, matrix, home page, export).
AVAILABILITY = """\
- kind: availability_requirement
  id: AR-MAIL
  title: Availability of mail
  owner: PER-OWNER
  classification: internal
  status: approved
  service: SVC-MAIL
  target: 99.9
  period: month
  service_hours: 24x7
  monitoring_since: 2026-03-01
- kind: monitoring_coverage
  id: MON-MAIL
  title: Mail monitoring
  owner: PER-OWNER
  classification: internal
  status: approved
  service: SVC-MAIL
  source: Probe every 60 s
  start: 2026-03-01
  end: 2026-11-23
- kind: outage
  id: OUT-CNRYCONF
  title: Cnryconf outage
  owner: PER-OWNER
  classification: confidential
  status: approved
  service: SVC-MAIL
  start: 2026-04-10T10:00:00+07:00
  end: 2026-04-10T11:00:00+07:00
  planned: false
  summary: Cnryconf summary
- kind: outage_investigation
  id: INV-CNRYCONF
  title: Cnryconf investigation
  owner: PER-OWNER
  classification: confidential
  status: approved
  outages: [OUT-CNRYCONF]
  date: 2026-04-20
  root_cause: Cnryconf cause
"""

# Internal now; confidential in the first commit, with a canary value it no longer holds.
DOWNGRADED = """\
kind: security_risk
id: RISK-DOWNGRADED
title: Downgraded risk
owner: PER-OWNER
classification: internal
likelihood: low
impact: low
treatment: accept
rationale: Plain rationale
"""
DOWNGRADED_THEN = DOWNGRADED.replace("classification: internal", "classification: confidential").replace(
    "Plain rationale", "Cnryold rationale")
# PER-PHONE's personal data in the first commit: other canaries than today's.
PHONE_THEN = PHONE.replace("cnrypersonal@", "cnryoldpersonal@").replace("822 2222 0002", "833 3333 0003")
# Evidence files: the internal plan's test report, the confidential person's contract (name and text).
PLAN_FILES = 'attachments:\n  - {path: evidence/cp-1-report.pdf, title: Cnryplanfile test report}\n'
CONF_FILES = 'attachments:\n  - {path: evidence/cnryconf-contract.pdf, title: Contract}\n'
# Commit authors are people, commit subjects staff's words: neither reaches the public edition.
AUTHOR = "Cnryauthor Person"

CONF_CANARIES = ["CNRYCONF", "cnryconf", "811 1111 0001", "+62811", "Cnryold"]
PERSONAL_CANARIES = ["cnrypersonal", "Cnrypersonal", "822 2222 0002", "+62822", "833 3333 0003", "+62833"]
KIND_CANARIES = ["CNRYKIND", "Cnrykind"]


def forbidden(edition: str) -> list[str]:
    spec = DEFAULT_EDITIONS[edition]
    out = []
    if spec["classification"] != "confidential":
        out += CONF_CANARIES
    if not spec["personal_data"]:
        out += PERSONAL_CANARIES
    kinds = spec["kinds"]
    if kinds is not None and "security_risk" not in kinds:
        out += KIND_CANARIES
    if spec["classification"] == "public":
        out += ["Cnrykind", "Data centre loss", "Pat Phone", "Cnryplanfile", "Cnrysubject", AUTHOR]
    return out


def texts_of(data: bytes, name: str, tmp: Path) -> str:
    """Everything a reader could get out of one output file, as text."""
    if name.endswith(".pdf"):
        pdf = tmp / "x.pdf"
        pdf.write_bytes(data)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return text + data.decode("latin-1")
    if name.endswith(".gz"):
        return gzip.decompress(data).decode("utf-8", "replace")
    if name.endswith(".zip"):
        archive = tmp / "inner.zip"
        archive.write_bytes(data)
        with zipfile.ZipFile(archive) as zf:
            return "\n".join(texts_of(zf.read(n), n, tmp) for n in zf.namelist())
    return data.decode("utf-8", "replace")


def scan(paths: list[Path], tmp: Path) -> str:
    return "\n".join(texts_of(p.read_bytes(), p.name, tmp) for p in paths)


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Repo(tmp_path_factory.mktemp("editions") / "repo")
    files = {
        "people/owner.yaml": OWNER, "people/conf.yaml": CONFIDENTIAL, "people/phone.yaml": PHONE_THEN,
        "services/mail.yaml": SERVICE, "continuity/cp.yaml": PLAN, "security/risk.yaml": RISK,
        "availability/mail.yaml": AVAILABILITY, "security/downgraded.yaml": DOWNGRADED_THEN,
    }
    repo.commit("First records (Cnrysubject)", files, date="2026-01-12T09:00:00+07:00", author=AUTHOR)
    repo.commit("PER-CNRYCONF and CP-1: evidence filed", {
        "people/phone.yaml": PHONE, "security/downgraded.yaml": DOWNGRADED,
        "continuity/cp.yaml": PLAN + PLAN_FILES, "people/conf.yaml": CONFIDENTIAL + CONF_FILES,
        "evidence/cp-1-report.pdf": _pdf("Cnryplanfile report text"),
        "evidence/cnryconf-contract.pdf": _pdf("Cnryconf contract text"),
    }, date="2026-02-01T09:00:00+07:00", author=AUTHOR)
    return repo.content


@pytest.fixture(scope="module")
def outputs(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Edition -> all text of its site and its bundle."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is missing: make install installs it")
    out = {}
    for edition in DEFAULT_EDITIONS:
        work = tmp_path_factory.mktemp(edition)
        site = work / "site"
        args = ["--content", str(content), "--today", "2026-11-24", "--config", str(ROOT / "mkdocs.yml"),
                "--edition", edition]
        since = ["--since", "HEAD~1"]  # the "Changes since" page and the export's changes_since
        assert main(["build", "--site-dir", str(site), *args, *since]) == 0
        assert main(["bundle", "--out", str(work / "dist"), *args]) == 0
        assert main(["export", "--format", "json", "--out", str(work / "export.json"), *args, *since]) == 0
        assert main(["export", "--format", "csv", "--out", str(work / "export.csv"), *args]) == 0
        files = [p for p in site.rglob("*") if p.is_file()] + list((work / "dist").glob("*.zip"))
        files += [work / "export.json", work / "export.csv"]
        out[edition] = scan(files, work)
        (bundle,) = (work / "dist").glob("*.zip")
        out[edition + ":bundle"] = scan([bundle], work)
        with zipfile.ZipFile(bundle) as zf:
            out[edition + ":bundle-names"] = "\n".join(zf.namelist())
            out[edition + ":manifest"] = zf.read("MANIFEST.sha256").decode()
        out[edition + ":html"] = "\n".join(p.read_text() for p in site.rglob("*.html"))
        out[edition + ":files"] = "\n".join(str(p.relative_to(work)) for p in files)
        out[edition + ":export"] = (work / "export.json").read_text(encoding="utf-8")
    return out


@pytest.mark.parametrize("edition", list(DEFAULT_EDITIONS))
def test_no_canary_leaks(outputs: dict[str, str], edition: str):
    text = outputs[edition]
    leaked = [c for c in forbidden(edition) if c in text]
    assert leaked == [], f"{edition} edition leaks {leaked}"


def test_the_scanner_sees_what_editions_may_carry(outputs: dict[str, str]):
    # The continuity edition carries confidential records and personal data: the canaries are found,
    # including in the PDF text and the vCard inside the zip.
    assert all(c in outputs["continuity"] for c in ["Cnryconf role", "822 2222 0002", "cnrypersonal@home.example"])
    assert "Cnrykind rationale" in outputs["internal"] and "Cnrykind rationale" in outputs["auditor"]
    assert "Cnryconf role" in outputs["auditor"]


def test_findings_about_withheld_records_make_the_verdict_withheld_not_missing(outputs: dict[str, str]):
    import json

    rows = {edition: {r["id"]: r for r in json.loads(outputs[edition + ":export"])["requirements"]}
            for edition in DEFAULT_EDITIONS}
    # The public and internal editions lack the only evidence of 8.3.2-b: withheld, never missing,
    # and the reason names neither the record nor its finding.
    for edition in ("public", "internal"):
        row = rows[edition]["8.3.2-b"]
        assert (row["status"], [r["code"] for r in row["reasons"]]) == ("withheld", ["evidence-withheld"]), edition
    for edition in ("auditor", "continuity"):  # cleared for confidential records
        row = rows[edition]["8.3.2-b"]
        assert row["status"] == "at_risk", edition
        assert [(r["code"], r["record"]) for r in row["reasons"]] == [("review-overdue", "PER-CNRYCONF")]
    # The record pages of the editions that carry the record show the finding.
    for edition in ("auditor", "continuity"):
        assert "review was due on 2026-02-01" in outputs[edition + ":html"], edition
    for edition in ("public", "internal"):
        assert "review was due on 2026-02-01" not in outputs[edition], edition


def test_a_finding_naming_a_withheld_record_stays_out_of_the_editions_that_withhold_it(outputs: dict[str, str]):
    # The auditor edition carries the outage: the finding about AR-MAIL is shown (and the scanner
    # would see its canary); the internal edition shows AR-MAIL's page but never that finding.
    assert "availability-missed" in outputs["auditor:html"]
    assert "OUT-CNRYCONF" in outputs["auditor:html"]
    assert "records/availability_requirement/AR-MAIL" in outputs["internal:files"] or \
        "AR-MAIL" in outputs["internal:html"]
    assert "availability-missed" not in outputs["internal"]


def test_withheld_references_show_no_title_owner_or_link(outputs: dict[str, str]):
    internal = outputs["internal"]
    assert "withheld" in internal
    assert "PER-CNRYCONF" not in internal


@pytest.mark.parametrize("edition", list(DEFAULT_EDITIONS))
def test_edition_name_on_pages_and_bundle_name(outputs: dict[str, str], edition: str):
    title = DEFAULT_EDITIONS[edition]["title"]
    assert f'id="clause8-edition">{title}<' in outputs[edition]
    assert f"-{edition}-" in outputs[edition + ":files"]


def test_non_public_editions_are_noindex_without_sitemap(outputs: dict[str, str]):
    for edition, spec in DEFAULT_EDITIONS.items():
        noindex = spec.get("noindex", True)
        assert ('content="noindex, nofollow"' in outputs[edition]) == noindex
        assert ("sitemap.xml" in outputs[edition + ":files"]) == (not noindex)


def test_unknown_edition_is_a_usage_error(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    common = ["--content", str(content), "--edition", "nope", "--config", str(ROOT / "mkdocs.yml")]
    for command in (["bundle", "--out", str(tmp_path / "dist")], ["build", "--site-dir", str(tmp_path / "site")],
                    ["export", "--out", str(tmp_path / "export.json")]):
        assert main([*command, *common]) == 2, command
        assert "unknown edition 'nope' (declared: public, internal, auditor, continuity)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing written


def _test(rid: str, date: str) -> str:
    return (f"kind: continuity_test\nid: {rid}\ntitle: Test {rid}\nowner: PER-OWNER\nplan: CP-1\n"
            f"date: {date}\nscenario: Site loss\nresult: passed\nmet_requirements: true\n")


def test_auditor_period_limits_evidence_and_shows_on_every_page(tmp_path: Path):
    content = write_tree(tmp_path, {
        "people/owner.yaml": OWNER, "people/conf.yaml": CONFIDENTIAL, "people/phone.yaml": PHONE,
        "services/mail.yaml": SERVICE, "continuity/cp.yaml": PLAN,
        "continuity/ct-old.yaml": _test("CT-2024", "2024-05-02"), "continuity/ct-new.yaml": _test("CT-2026", "2026-05-02"),
    })
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--site-dir", str(site), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", "auditor", "--period", "2026-01-01..2026-12-31"]) == 0
    assert (site / "records/continuity_test/CT-2026/index.html").is_file()
    assert not (site / "records/continuity_test/CT-2024").exists()
    pages = list(site.rglob("*.html"))
    assert pages and all('id="clause8-period">2026-01-01..2026-12-31<' in p.read_text() for p in pages)
    export = tmp_path / "export.json"
    assert main(["export", "--content", str(content), "--out", str(export), "--today", "2026-11-24",
                 "--edition", "auditor", "--period", "2026-01-01..2026-12-31"]) == 0
    assert "CT-2026" in export.read_text() and "CT-2024" not in export.read_text()


def test_export_for_a_past_period_is_judged_at_its_end_like_the_site(tmp_path: Path):
    import json

    content = write_tree(tmp_path, {
        "people/owner.yaml": OWNER, "people/conf.yaml": CONFIDENTIAL, "people/phone.yaml": PHONE,
        "services/mail.yaml": SERVICE, "continuity/cp.yaml": PLAN, "continuity/ct-new.yaml": _test("CT-2026", "2026-05-02"),
    })
    args = ["--content", str(content), "--today", "2026-11-24", "--config", str(ROOT / "mkdocs.yml"),
            "--edition", "auditor"]
    out = tmp_path / "past.json"
    assert main(["export", *args, "--out", str(out), "--period", "2026-01-01..2026-06-30"]) == 0
    assert json.loads(out.read_text())["generated_for"] == "2026-06-30"
    assert main(["export", *args, "--out", str(out)]) == 0
    assert json.loads(out.read_text())["generated_for"] == "2026-11-24"


def test_auditor_edition_is_read_only(outputs: dict[str, str]):
    # No edit buttons, no repository links (mkdocs adds both only with repo_url / edit_uri).
    pages = outputs["auditor:html"]
    assert pages.count("<html") > 5
    assert 'class="md-content__button' not in pages and 'class="md-source"' not in pages


def test_history_and_changes_are_on_the_pages(outputs: dict[str, str]):
    # What the canary scan relies on: history, the changes page and evidence files are really there.
    for edition in DEFAULT_EDITIONS:
        assert "Every committed version of this record" in outputs[edition + ":html"], edition
        assert "Changes since <code>HEAD~1</code>" in outputs[edition + ":html"], edition
    # Old values confidential at the time, and old personal data, where the edition may show them.
    assert "Cnryold rationale" in outputs["auditor"]
    assert "833 3333 0003" in outputs["continuity"]
    # A commit message naming a confidential record: withheld below confidential, shown above.
    assert "message withheld" in outputs["internal:html"]
    assert "PER-CNRYCONF and CP-1: evidence filed" in outputs["auditor:html"]
    # Authors where the edition carries people; the public edition's history has neither authors nor subjects.
    assert AUTHOR in outputs["internal:html"] and AUTHOR in outputs["continuity:html"]
    # The offline bundle carries the same history (its pages are scanned above with everything else).
    for edition in DEFAULT_EDITIONS:
        bundle = outputs[edition + ":bundle"]
        assert "Every committed version of this record" in bundle and "<th>What changed</th>" in bundle, edition
    assert "Cnryold rationale" in outputs["auditor:bundle"] and "833 3333 0003" in outputs["continuity:bundle"]


@pytest.mark.parametrize("edition", list(DEFAULT_EDITIONS))
def test_evidence_files_go_only_where_their_record_goes(outputs: dict[str, str], edition: str):
    spec = DEFAULT_EDITIONS[edition]
    plan = spec["classification"] != "public"  # CP-1 is internal; every edition but public carries plans
    conf = spec["classification"] == "confidential" and (spec["kinds"] is None or "person" in spec["kinds"])
    for name, text, expected in (("evidence/cp-1-report.pdf", "Cnryplanfile report text", plan),
                                 ("evidence/cnryconf-contract.pdf", "Cnryconf contract text", conf)):
        # The file, its text (pdftotext) and its line in the bundle's manifest.
        assert (name in outputs[edition + ":files"] or name in outputs[edition + ":bundle-names"]) == expected
        assert (text in outputs[edition + ":bundle"]) == expected, (edition, name)
        assert (name in outputs[edition + ":bundle-names"]) == expected, (edition, name)
        assert (name in outputs[edition + ":manifest"]) == expected, (edition, name)
