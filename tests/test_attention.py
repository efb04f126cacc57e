"""What each edition tells its reader needs attention, counted over what it may show; record pages
in words, not machine values; the Indonesian site in Indonesian.

Every edition of the example organisation is rendered once (markdown, through the one pipeline
:func:`generator.publish.prepare.prepare_site`), in English, and the auditor and internal editions in
Indonesian too.
"""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from generator.content import editions
from generator.content.i18n import tables
from generator.checks.pipeline import check_content
from generator.publish.prepare import prepare_site
from generator.site.wording import literal_values
from tests.conftest import ROOT

CONTENT = ROOT / "content"
TODAY = dt.date(2026, 11, 24)
EDITIONS = ("public", "internal", "auditor", "continuity")


@pytest.fixture(scope="module")
def checked():
    return check_content(CONTENT, TODAY)


@pytest.fixture(scope="module")
def built(checked):
    """(edition, language) -> the prepared site."""
    out = {}
    for name in EDITIONS:
        out[name, "en"] = prepare_site(CONTENT, TODAY, edition=name, checked=checked, site_title="NLD")
    for name in ("internal", "auditor"):
        out[name, "id"] = prepare_site(CONTENT, TODAY, edition=name, checked=checked, site_title="NLD", lang="id")
    return out


def section(page: str, heading: str) -> str:
    """The markdown under ``## heading`` up to the next ``## ``."""
    assert f"\n## {heading}\n" in page, heading
    return page.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def line_of(text: str, label: str) -> str | None:
    found = [ln for ln in text.splitlines() if ln.startswith(f"- **{label}**")]
    assert len(found) <= 1
    return found[0] if found else None


# --------------------------------------------------------------------------- home pages


def test_public_home_shows_nothing_internal(built):
    home = built["public", "en"].site.pages["index.md"]
    assert "Needs attention" not in home and "Overdue reviews" not in home and "Open complaints" not in home
    assert "findings" not in home.lower()


@pytest.mark.parametrize("name", ["internal", "auditor", "continuity"])
def test_home_counts_are_those_of_the_records_the_edition_carries(built, checked, name):
    prepared = built[name, "en"]
    home = prepared.site.pages["index.md"]
    attention = section(home, "Needs attention")
    index, full, edition = prepared.index, checked.index, prepared.edition
    shown = prepared.scoped.view.findings
    # Findings by severity: exactly those the edition may show, each linked to its record's page.
    for severity, label in (("error", "Errors found by the checks"), ("warning", "Warnings found by the checks")):
        mine = [f for f in shown if f.severity == severity and f.record]
        assert f"### {label} ({len(mine)})" in attention
        for f in mine[:10]:
            kind = index.by_id[f.record].record.kind
            assert f"[{f.record}](records/{kind}/{f.record}.md) `{f.code}`" in attention

    def expect(label: str, kind: str, count: int) -> None:
        line = line_of(attention, label)
        if edition.kinds is not None and kind not in edition.kinds:
            assert line is None, f"{name}: '{label}' for a kind the edition does not carry"
        elif not index.of_kind(kind) and full.of_kind(kind):
            assert line == f"- **{label}**: held in a more restricted edition, not counted here"
        else:
            assert line is not None and line.startswith(f"- **{label}** ({count})"), line
            partial = len(index.of_kind(kind)) < len(full.of_kind(kind))
            assert line.endswith("(only those this edition carries)") == partial, line

    expect("Open security incidents", "security_incident",
           sum(1 for lr in index.of_kind("security_incident") if lr.record.state != "closed"))
    expect("Open complaints", "complaint", sum(1 for lr in index.of_kind("complaint") if lr.record.state != "closed"))
    ending = [lr for lr in index.of_kind("supplier_contract")
              if lr.record.end is not None and lr.record.end <= TODAY + dt.timedelta(days=90)
              and lr.record.status != "retired"]
    expect("Supplier contracts ending within 90 days", "supplier_contract", len(ending))
    drafts = sum(1 for lr in index.records if lr.record.status == "draft")
    assert line_of(attention, "Draft documents").startswith(f"- **Draft documents** ({drafts})")


@pytest.mark.example
def test_the_supplier_chain_shortfall_reaches_every_edition_that_may_show_it(built):
    """The biggest risk of the example (four SLAs whose supplier chain cannot reach their
    availability) is on the home page and the SLA page of each edition carrying the contracts."""
    for name in ("internal", "auditor", "continuity"):
        pages = built[name, "en"].site.pages
        attention = section(pages["index.md"], "Needs attention")
        assert attention.count("`supplier-chain-weaker`") == 4, name
        sla = pages["records/sla/SLA-HOST-BANK.md"]
        assert '!!! warning "Needs attention: 1 finding(s) about this record"' in sla
        targets = section(sla, "Targets")
        avail = next(ln for ln in targets.splitlines() if ln.startswith("| `avail`"))
        assert "at least 99.95 % per month" in avail and "**falls short: 99.89 % in series**" in avail
        chain = section(sla, "Supplier chain")
        assert "[SC-COLO](../supplier_contract/SC-COLO.md) `avail`: at least 99.99 %" in chain
    # The accepted risk says so, with its end date.
    wan = built["internal", "en"].site.pages["records/sla/SLA-WAN-LOGI.md"]
    assert "risk accepted until 2027-03-31" in section(wan, "Targets")
    # The public edition carries no contract: no chain, no verdict on it.
    public = built["public", "en"].site.pages
    for page, text in public.items():
        assert "supplier-chain-weaker" not in text and "Supplier chain" not in text, page


@pytest.mark.example
def test_sla_page_shows_latest_results_and_workload_against_limits(built):
    sla = built["internal", "en"].site.pages["records/sla/SLA-HOST-BANK.md"]
    targets = section(sla, "Targets")
    assert re.search(r"\| \[99\.\d+ %\]\(\.\./sla_report/SLAR-HOST-BANK-2026-\d\d\.md\) 2026-\d\d: met \|", targets)
    workload = section(sla, "Workload against limits")
    assert "| virtual machines | up to 120 VMs per month |" in workload
    assert "(../workload_report/WLR-HOST-BANK-" in workload


def test_internal_edition_has_the_findings_and_the_dashboards(built):
    pages = built["internal", "en"].site.pages
    assert "compliance/findings.md" in pages and "dashboards/index.md" in pages and "dashboards/suppliers.md" in pages
    assert "compliance/index.md" not in pages  # the matrix stays the auditor's
    nav = repr(built["internal", "en"].site.nav)
    assert "compliance/findings.md" in nav and "dashboards/index.md" in nav


@pytest.mark.parametrize("name", ["internal", "auditor"])
def test_findings_point_at_record_pages_not_files(built, name):
    page = built[name, "en"].site.pages["compliance/findings.md"]
    rows = [ln for ln in page.splitlines() if ln.startswith("| ") and "`" in ln]
    assert rows
    for row in rows:
        assert ".yaml" not in row and "content/" not in row, row
        assert re.search(r"\]\(\.\./records/[a-z_]+/[A-Za-z0-9._-]+\.md\)", row), row


# --------------------------------------------------------------------------- values in words

# Enumeration values that are not words (at_least, response_time, ...) and ISO 8601 durations.
def _enum_tokens() -> set[str]:
    from generator.content.models import KINDS
    from generator.content.models.base import nested_model

    seen, tokens = set(), set()

    def walk(model):
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if name != "kind":
                tokens.update(v for v in literal_values(info) if "_" in v)
            nested = nested_model(info.annotation)
            if nested is not None:
                walk(nested)

    for model in KINDS.values():
        walk(model)
    return tokens


DURATION = re.compile(r"\bP(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?)?\b")


def test_no_machine_values_on_any_page_of_any_edition(built):
    tokens = _enum_tokens()
    assert {"at_least", "response_time", "in_progress"} <= tokens
    word = re.compile(r"(?<![\w`-])(" + "|".join(sorted(map(re.escape, tokens))) + r")(?![\w`-])")
    for (name, lang), prepared in built.items():
        for path, text in prepared.site.pages.items():
            plain = re.sub(r"`[^`]*`", "", text)  # codes and keys in code spans are meant as written
            # Left out: the history table quotes each change as the file said it (document control's
            # part, generator/site/document_control.py, not yet in words).
            plain = re.split(r"\n## (?:History|Riwayat)\n", plain)[0]
            assert not word.search(plain), f"{name}/{lang} {path}: {word.search(plain)[0]}"
            found = DURATION.search(plain)
            assert not found, f"{name}/{lang} {path}: raw duration {found[0]}"
            assert "No exceptions" not in plain and "Tidak ada pengecualian" not in plain, path


@pytest.mark.example
def test_sla_values_read_as_words_in_both_languages(built):
    en = built["internal", "en"].site.pages["records/sla/SLA-HOST-BANK.md"]
    assert "| Review interval | every 12 months |" in en
    assert "**Reporting interval**: every month" in en
    id_ = built["internal", "id"].site.pages["records/sla/SLA-HOST-BANK.md"]
    assert "setiap 12 bulan" in id_ and "minimal 99.95 % per bulan" in id_ and "**waktu respons**" in id_


# --------------------------------------------------------------------------- Indonesian


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_with_the_same_placeholders():
    en, id_ = tables()["en"], tables()["id"]
    assert set(en) == set(id_)
    for key in en:
        assert str(en[key]).strip() and str(id_[key]).strip(), key
        assert _placeholders(en[key]) == _placeholders(id_[key]), key


def _ui_strings(page: str) -> list[str]:
    """What the generator itself writes on a page: headings, table headers and bold labels."""
    out = [m.strip() for m in re.findall(r"^#+ (.+)$", page, re.M)]
    lines = page.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("|") and re.match(r"^\|(-+\|)+$", lines[i + 1]):
            out += [c.strip() for c in line.strip("|").split("|")]
    out += re.findall(r"\*\*([^*]+)\*\*", page)
    return out


def test_indonesian_pages_carry_no_english_ui_text(built):
    en, id_ = tables()["en"], tables()["id"]
    # English labels that Indonesian says differently, and that are plain words (no placeholders).
    english = {str(v) for k, v in en.items() if str(v) != str(id_[k]) and not _placeholders(str(v))
               and len(str(v)) > 3}
    for name in ("internal", "auditor"):
        for path, page in built[name, "id"].site.pages.items():
            leaks = sorted({s for s in _ui_strings(page) if s in english})
            assert not leaks, f"{name} {path}: English on an Indonesian page: {leaks}"


@pytest.mark.example
def test_record_pages_show_their_requirements_status_in_the_matrix(built):
    sla = built["auditor", "en"].site.pages["records/sla/SLA-HOST-BANK.md"]
    evidenced = section(sla, "Requirements evidenced")
    assert re.search(r"\[8\.3\.3-a\]\(\.\./\.\./compliance/8\.3\.3-a\.md\) \((met|at risk|stale)\)", evidenced), evidenced


# --------------------------------------------------------------------------- kind index columns


def table_rows(page: str) -> list[dict[str, str]]:
    """The first markdown table of a page, one dict per row (header -> cell as written)."""
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines[:-1])
                 if line.startswith("|") and re.match(r"^\|(-+\|)+$", lines[i + 1]))
    head = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(head, (c.strip() for c in line.strip("|").split("|")))))
    return rows


def by_id(page: str) -> dict[str, dict[str, str]]:
    return {re.match(r"\[([^\]]+)\]", row["Id"])[1]: row for row in table_rows(page)}


@pytest.mark.example
def test_continuity_indexes_carry_test_dates_results_and_next_due(built, checked):
    from generator.figures.due import add_duration

    index = checked.index
    tests = by_id(built["auditor", "en"].site.pages["records/continuity_test/index.md"])
    assert len(tests) == len(index.of_kind("continuity_test")) >= 2
    for loaded in index.of_kind("continuity_test"):
        t = loaded.record
        row = tests[t.id]
        assert row["Date"] == t.date.isoformat() and t.plan in row["Plan"]
        words = {"passed": "passed", "partial": "**partly passed**", "failed": "**failed**"}[t.result]
        assert row["Result"] == words
        assert row["Met requirements"] == ("yes" if t.met_requirements else "no")
    plans = by_id(built["auditor", "en"].site.pages["records/continuity_plan/index.md"])
    for loaded in index.of_kind("continuity_plan"):
        plan = loaded.record
        mine = [x.record for x in index.of_kind("continuity_test") if x.record.plan == plan.id]
        last = max(mine, key=lambda x: x.date)
        due = add_duration(last.date, plan.review.interval)
        row = plans[plan.id]
        assert (row["Last test"], row["Next test due"].split()[0]) == (last.date.isoformat(), due.isoformat())
        assert ("overdue" in row["Next test due"]) == (due < TODAY)
        page = built["auditor", "en"].site.pages[f"records/continuity_plan/{plan.id}.md"]
        assert f"- Last test: [{last.id}](../continuity_test/{last.id}.md), {last.date.isoformat()}\n" in page
        assert f"- Next test due: {due.isoformat()}" in page
        assert "- Result: passed" in page or "- Result: **" in page
    id_ = by_id(built["auditor", "id"].site.pages["records/continuity_plan/index.md"])
    assert {"Uji terakhir", "Hasil", "Uji berikutnya jatuh tempo"} <= set(next(iter(id_.values())))


@pytest.mark.example
def test_incident_contract_and_sla_indexes_carry_the_columns_people_sort_by(built, checked):
    from generator.figures.due import _local_date

    index = checked.index
    incidents = by_id(built["auditor", "en"].site.pages["records/security_incident/index.md"])
    for loaded in index.of_kind("security_incident"):
        r = loaded.record
        row = incidents[r.id]
        assert row["Reported"] == _local_date(r.reported).isoformat()
        assert row["Priority"] == r.priority and row["Severity"] and "_" not in row["Severity"]
    contracts = by_id(built["internal", "en"].site.pages["records/supplier_contract/index.md"])
    for loaded in index.of_kind("supplier_contract"):
        r = loaded.record
        assert contracts[r.id]["End"] == (r.end.isoformat() if r.end else "no end date")
        assert r.supplier in contracts[r.id]["Supplier"]
    outages = by_id(built["internal", "en"].site.pages["records/outage/index.md"])
    assert {"Service", "Start", "Duration", "Planned"} <= set(next(iter(outages.values())))
    slas = by_id(built["internal", "en"].site.pages["records/sla/index.md"])
    for loaded in index.of_kind("sla"):
        r = loaded.record
        row = slas[r.id]
        assert r.service in row["Service"] and r.customer in row["Customer"]
        periods = [x.record.period for x in index.of_kind("sla_report") if x.record.sla == r.id]
        if periods:
            assert f"targets met, {max(periods)}]" in row["Latest attainment"], row
        else:
            assert row["Latest attainment"] == "no report yet"
    # An edition without the reports (continuity) says nothing about attainment; without the
    # incidents (public) there is no such index at all.
    continuity = built["continuity", "en"].site.pages["records/sla/index.md"]
    assert "Latest attainment" not in continuity and "| Service | Customer |" in continuity
    assert "records/security_incident/index.md" not in built["public", "en"].site.pages


@pytest.mark.example
def test_kind_indexes_say_when_the_edition_holds_only_some_or_none(built, checked):
    internal = built["internal", "en"].site.pages
    assert len(checked.index.of_kind("security_incident")) > 0
    incidents = internal["records/security_incident/index.md"]
    assert "No records of this kind yet" not in incidents
    assert "kept in a more restricted edition; this edition lists none of them" in incidents
    # every kind: "none yet" only where the content has none, a note where the edition lists some
    for name in ("internal", "continuity"):
        prepared = built[name, "en"]
        for path, page in prepared.site.pages.items():
            if not (path.startswith("records/") and path.endswith("/index.md")):
                continue
            kind = path.split("/")[1]
            shown, total = len(prepared.index.of_kind(kind)), len(checked.index.of_kind(kind))
            assert ("No records of this kind yet" in page) == (total == 0), (name, kind)
            assert ("Some records of this kind are kept" in page) == (0 < shown < total), (name, kind)
    # the public site's kind indexes say nothing of what it does not publish
    for path, page in built["public", "en"].site.pages.items():
        if path.startswith("records/") and path.endswith("/index.md"):
            assert "Some records of this kind are kept" not in page and "lists none of them" not in page, path
