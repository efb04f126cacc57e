"""Customer portals and the public edition: nothing about another customer reaches a customer's portal,
and nothing about any customer reaches the public edition unless marked for publication.

Two customers, Alpha and Beta, share one service and each has its own SLA (public, as SLAs used to
be), reports, workload, service review, complaint, communication, continuity requirement and
improvement action, every one carrying canaries: the customer's name, its SLA text and its figures.
A continuity requirement agreed for both SLAs carries canaries of its own and must reach neither
portal; a third customer's SLA marked ``publish: true`` is the only customer record in the public
edition. Alpha's portal is built (site, offline bundle, JSON and CSV export) and every byte is
scanned, the PDF review packs as text, the zip's files one by one. The content is a git repository
whose commit subjects name Beta, so the record history on the pages is scanned too. The scanner is
shown to find Alpha's own canaries in Alpha's portal, so a silent scanner cannot pass.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.gitrepo import Repo
from tests.test_editions import scan

OWNER = "kind: person\nid: PER-OWNER\ntitle: Olivia Owner\nowner: PER-OWNER\nrole: Service manager\n"
SERVICE = """\
kind: service
id: SVC-MAIL
title: Managed email
owner: PER-OWNER
classification: public
status: approved
criticality: high
customers: [ORG-ALPHA, ORG-BETA, ORG-GAMMA]
"""


def customer(key: str, name: str, figure: str, workload: str, publish: bool = False) -> dict[str, str]:
    """Every record of one customer; ``key`` is ALPHA, BETA or GAMMA."""
    low = key.lower()
    org = f"ORG-{key}"
    sla = f"SLA-{key}"
    return {
        f"people/{key}.yaml": f"kind: organisation\nid: {org}\ntitle: {name}\nowner: PER-OWNER\nroles: [customer]\n"
                              f"segment: Cnry{low}segment\nusers: {workload}\n",
        f"sla/{key}.yaml": f"""\
kind: sla
id: {sla}
title: Mail SLA - {name}
owner: PER-OWNER
classification: public
status: approved
{"publish: true" if publish else ""}
approval: {{by: PER-OWNER, authority: Director, date: 2026-01-05}}
service: SVC-MAIL
customer: {org}
agreed: 2026-01-05
targets:
  - {{id: avail, metric: availability, description: Cnry{low}term availability, target: 99.9, unit: "%", comparison: at_least, period: month}}
workload_limits:
  - {{metric: mailboxes, limit: 90000, unit: mailboxes, period: month}}
no_exceptions: true
reporting_interval: P1M
requirements: [Cnry{low}requirement mail kept in Indonesia]
""",
        f"sla/{key}-reports.yaml": f"""\
- kind: sla_report
  id: REP-{key}-10
  title: October report
  owner: PER-OWNER
  sla: {sla}
  period: 2026-10
  results: [{{target: avail, actual: {figure}, note: Cnry{low}note}}]
- kind: workload_report
  id: WL-{key}-10
  title: October workload
  owner: PER-OWNER
  sla: {sla}
  period: 2026-10
  actuals: [{{metric: mailboxes, value: {workload}}}]
""",
        f"rel/{key}-review.yaml": f"""\
kind: service_review
id: SR-{key}
title: Q3 review
owner: PER-OWNER
status: approved
customer: {org}
services: [SVC-MAIL]
period_start: 2026-07-01
period_end: 2026-09-30
date: 2026-10-10
trends: Cnry{low}trend stable
outcomes: Cnry{low}outcome good
actions: [IMP-{key}]
""",
        f"rel/{key}-complaint.yaml": f"""\
kind: complaint
id: CMP-{key}
title: Cnry{low}complaint slow mail
owner: PER-OWNER
received: 2026-10-02T09:00:00+07:00
channel: email
customer: {org}
service: SVC-MAIL
state: closed
resolved: 2026-10-03T09:00:00+07:00
closed: 2026-10-04T09:00:00+07:00
summary: Cnry{low}summary fixed.
actions: [IMP-{key}]
""",
        f"rel/{key}-comm.yaml": f"kind: communication_record\nid: COMM-{key}\ntitle: Meeting\nowner: PER-OWNER\n"
                                f"date: 2026-10-10\nparties: [{org}]\ntopics: [Cnry{low}topic]\nnone_arose: true\n",
        f"cont/{key}.yaml": f"kind: continuity_requirement\nid: CR-{key}\ntitle: Continuity\nowner: PER-OWNER\n"
                            f"service: SVC-MAIL\nrto: PT4H\nrpo: PT1H\nminimum_service: Cnry{low}minimum\nslas: [{sla}]\n",
        f"imp/{key}.yaml": f"kind: improvement_action\nid: IMP-{key}\ntitle: Cnry{low}action\nowner: PER-OWNER\n"
                           f"due: 2027-01-31\nstate: open\n",
    }


SHARED = {
    # Agreed for both SLAs: neither portal may show it.
    "cont/shared.yaml": "kind: continuity_requirement\nid: CR-SHARED\ntitle: Cnryshared title\nowner: PER-OWNER\n"
                        "service: SVC-MAIL\nrto: PT4H\nrpo: PT1H\nminimum_service: Cnryshared minimum\n"
                        "slas: [SLA-ALPHA, SLA-BETA]\n",
    # About the service: every customer of it sees it.
    "avail/outage.yaml": "kind: outage\nid: OUT-1\ntitle: Mail down\nowner: PER-OWNER\nservice: SVC-MAIL\n"
                         "start: 2026-10-20T10:00:00+07:00\nend: 2026-10-20T10:30:00+07:00\nplanned: true\n"
                         "summary: Cnryservice outage summary\n",
}
ALPHA = customer("ALPHA", "Cnryalpha Bank", "99.913", "11117")
BETA = customer("BETA", "Cnrybeta Hospital", "99.987", "43217")
GAMMA = customer("GAMMA", "Cnrygamma Ministry", "99.953", "24683", publish=True)

ALPHA_CANARIES = ["Cnryalpha", "ORG-ALPHA", "SLA-ALPHA", "99.913", "11117"]
BETA_CANARIES = ["Cnrybeta", "ORG-BETA", "SLA-BETA", "CMP-BETA", "SR-BETA", "99.987", "43217"]
GAMMA_CANARIES = ["Cnrygamma", "ORG-GAMMA", "SLA-GAMMA", "99.953", "24683"]
SHARED_CANARIES = ["Cnryshared", "CR-SHARED"]


REVIEWED = "review: {interval: P12M, last_reviewed: 2026-01-30}\n"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Repo(tmp_path_factory.mktemp("customers") / "repo")
    files = {"people/owner.yaml": OWNER, "services/mail.yaml": SERVICE, **SHARED, **ALPHA, **BETA, **GAMMA}
    repo.commit("First records", files, date="2026-01-12T09:00:00+07:00")
    # One commit touching both customers' SLAs, its subject naming Beta.
    repo.commit("Cnrybeta Hospital renewal; Alpha wording", {
        "sla/ALPHA.yaml": ALPHA["sla/ALPHA.yaml"] + REVIEWED,
        "sla/BETA.yaml": BETA["sla/BETA.yaml"] + REVIEWED,
    }, date="2026-02-01T09:00:00+07:00")
    return repo.content


def outputs_of(content: Path, work: Path, *selection: str) -> dict[str, str]:
    site, dist = work / "site", work / "dist"
    args = ["--content", str(content), "--today", "2026-11-24", "--config", str(ROOT / "mkdocs.yml"), *selection]
    assert main(["build", "--site-dir", str(site), *args]) == 0
    assert main(["bundle", "--out", str(dist), *args]) == 0
    assert main(["export", "--format", "json", "--out", str(work / "export.json"), *args]) == 0
    assert main(["export", "--format", "csv", "--out", str(work / "export.csv"), *args]) == 0
    (bundle,) = dist.glob("*.zip")
    files = [p for p in site.rglob("*") if p.is_file()] + [bundle, work / "export.json", work / "export.csv"]
    with zipfile.ZipFile(bundle) as zf:
        names = "\n".join(zf.namelist())
    return {
        "all": scan(files, work) + names + "\n".join(str(p.relative_to(work)) for p in files),
        "bundle": scan([bundle], work) + names,
        "export": (work / "export.json").read_text(encoding="utf-8"),
        "files": "\n".join(str(p.relative_to(work)) for p in files),
    }


@pytest.fixture(scope="module")
def alpha(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is missing: make install installs it")
    return outputs_of(content, tmp_path_factory.mktemp("alpha"), "--customer", "ORG-ALPHA")


@pytest.fixture(scope="module")
def public(content: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return outputs_of(content, tmp_path_factory.mktemp("public"), "--edition", "public")


@pytest.mark.parametrize("part", ["all", "bundle"])
def test_no_other_customer_in_a_customer_portal(alpha: dict[str, str], part: str):
    text = alpha[part]
    leaked = [c for c in BETA_CANARIES + GAMMA_CANARIES + SHARED_CANARIES if c in text]
    assert leaked == [], f"Alpha's portal ({part}) leaks {leaked}"


def test_the_scanner_sees_what_the_portal_carries(alpha: dict[str, str]):
    # Alpha's own records, figures and SLA text, in the site and inside the bundle, and the
    # outage of the service it shares with Beta.
    for part in ("all", "bundle"):
        assert all(c in alpha[part] for c in ALPHA_CANARIES), part
        assert "Cnryalphaterm" in alpha[part] and "Cnryalphatrend" in alpha[part] and "Cnryalphaaction" in alpha[part]
        assert "Cnryservice outage summary" in alpha[part]
    assert "Cnryalphaminimum" in alpha["all"]  # its own continuity requirement
    assert "customer-ORG-ALPHA" in alpha["files"]  # the bundle is named after the portal


def test_history_in_a_portal_keeps_other_customers_subjects_out(alpha: dict[str, str]):
    assert "Every committed version of this record" in alpha["all"]
    assert "Alpha wording" not in alpha["all"]  # the subject names Beta: no subject is shown at all


def test_public_edition_carries_no_customer_record_unless_published(public: dict[str, str]):
    text = public["all"]
    leaked = [c for c in ALPHA_CANARIES + BETA_CANARIES + SHARED_CANARIES if c in text]
    assert leaked == [], f"the public edition leaks {leaked}"
    # Gamma's SLA is marked publish: true: its page is there (the organisation record is not public).
    assert "records/sla/SLA-GAMMA" in public["files"]
    assert "Cnrygammaterm" in text
    assert "Managed email" in text  # the service catalogue


def test_export_of_a_portal_names_only_its_customer(alpha: dict[str, str]):
    payload = json.loads(alpha["export"])
    assert "ORG-BETA" not in json.dumps(payload)


def test_unknown_customer_is_a_usage_error(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    args = ["--content", str(content), "--customer", "ORG-NOPE", "--today", "2026-11-24",
            "--config", str(ROOT / "mkdocs.yml")]
    assert main(["build", "--site-dir", str(tmp_path / "site"), *args]) == 2
    assert "unknown customer 'ORG-NOPE' (customers: ORG-ALPHA, ORG-BETA, ORG-GAMMA)" in capsys.readouterr().err
    assert main(["build", "--site-dir", str(tmp_path / "site"), *args, "--edition", "internal"]) == 2
    assert not (tmp_path / "site").exists()


def test_review_pack_page_and_pdf(alpha: dict[str, str]):
    # One pack per service review with the customer: page and PDF, from its records only.
    assert "site/review-pack/SR-ALPHA/index.html" in alpha["files"]
    assert "site/review-pack/SR-ALPHA.pdf" in alpha["files"]
    for text in ("Service review pack", "Cnryalphacomplaint", "Cnryalphaaction", "11117", "Cnryalphasegment"):
        assert text in alpha["all"], text


@pytest.mark.example
def test_the_examples_customer_slas_are_no_longer_public():
    from generator.content.customers import Audience
    from generator.content.editions import editions, restrict
    from generator.content.index import build_index
    from generator.content.loader import load_content

    index = build_index(load_content(ROOT / "content"))
    public = restrict(index, editions()["public"])
    assert [loaded.record.kind for loaded in public.of_kind("sla")] == []
    assert {loaded.record.kind for loaded in public.records} <= {"service", "security_policy", "organisation"}
    assert all(loaded.record.customers == [] for loaded in public.of_kind("service"))
    # Every customer's portal holds its own SLAs and no other customer's.
    audience = Audience(index)
    for org in ("ORG-BANK", "ORG-GOV", "ORG-HOSP", "ORG-LOGI"):
        kept = audience.for_customer(org, [loaded.record for loaded in index.records])
        slas = {rid for rid in kept if index.kind_of(rid) == "sla"}
        assert slas and all(index.get(rid).customer == org for rid in slas), org
