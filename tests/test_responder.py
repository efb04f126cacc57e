"""What a responder sees first (issue 18): each plan in the pack in the order the first hour needs
it, phone numbers as ``tel:`` links at the top of person and organisation pages, on one line and on
a phone's screen, and the suppliers' support lines with their labels in the pack and the vCard."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.site.emergency import pack as emergency_pack, pdf as emergency_pdf, vcard as emergency_vcard
from generator.cli import main
from generator.content.i18n import Translator
from generator.checks.pipeline import check_content
from generator.site.assemble import render_site
from tests.conftest import ROOT

# Made on the example organisation's records: skipped when content/ holds another one.
pytestmark = pytest.mark.example

EXAMPLE = ROOT / "content"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def example():
    return check_content(EXAMPLE, TODAY).index


@pytest.fixture(scope="module")
def pages(example) -> dict[str, str]:
    return render_site(example, today=TODAY, site_title="Example").pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's continuity edition (the one with phone numbers), as the bundle has it."""
    out = tmp_path_factory.mktemp("responder") / "site"
    assert main(["build", "--content", str(EXAMPLE), "--site-dir", str(out), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", "continuity"]) == 0
    return out


def plan_sections(text: str, plans: list[str], heading: str) -> dict[str, str]:
    """Plan id -> its section of the pack (from its heading to the next plan's or the directory)."""
    starts = [text.index(heading.format(id=p)) for p in plans]
    ends = [*starts[1:], len(text)]
    return {p: text[a:b] for p, a, b in zip(plans, starts, ends)}


def in_order(section: str, markers: list[str]) -> list[int]:
    """Where each marker first occurs after the one before it (ValueError: one is missing or out of order)."""
    positions, at = [], 0
    for marker in markers:
        at = section.index(marker, at)
        positions.append(at)
    return positions


# -- the pack's order ----------------------------------------------------------------------------
def test_pack_gives_each_plan_invocation_then_first_steps_then_calling_order_then_the_rest(example, pages):
    pack = emergency_pack.collect(example)
    plans = [p.id for p in pack.plans]
    assert len(plans) == 2
    sections = plan_sections(pages[emergency_pack.PAGE], plans, "## {id} — ")
    for plan in pack.plans:
        section = sections[plan.id]
        first_step, first_contact = plan.procedures[0], plan.contacts[0]
        markers = [
            "### Invocation", "**Invoke the plan when**", plan.criteria[0], "**Who may invoke it**",
            # who may invoke, with their numbers as tel: links
            f"[{plan.authorised[0].name}](", f"({plan.authorised[0].phones[0].uri})",
            "### First steps", f"1. {first_step.step}",
            "### Contacts, in calling order", f"- **{first_contact.priority}.** [{first_contact.person.name}](",
            f"({first_contact.person.phones[0].uri})",
            "### Supplier lines",
            "### About the plan", "| Version |",
        ]
        positions = in_order(section, markers)
        assert positions == sorted(positions), (plan.id, markers)
        for later in ("### Availability while the plan is in force", "### Recovery", "### Return to normal",
                      "### Where copies are kept"):
            if later in section:
                assert section.index(later) > section.index("### About the plan")


def test_printed_pack_has_the_same_order(example):
    pack = emergency_pack.collect(example)
    html = "".join(emergency_pdf.print_parts(pack, Translator("en"), "Example", dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)))
    sections = plan_sections(html, [p.id for p in pack.plans], 'id="plan-{id}"')
    for plan in pack.plans:
        positions = in_order(sections[plan.id], [
            "<h3>Invocation</h3>", "Who may invoke it", "<h3>First steps</h3>", plan.procedures[0].step,
            "<h3>Contacts, in calling order</h3>", "<h3>Supplier lines</h3>", "<h3>About the plan</h3>"])
        assert positions == sorted(positions), plan.id


def test_pack_in_the_built_site_keeps_the_order(site: Path):
    page = (site / "emergency" / "index.html").read_text()
    article = page.split("<article", 1)[1]
    section = article[article.index("CP-DC-LOSS — "):article.index("CP-OPS-LOSS — ")]
    positions = in_order(section, ["Invoke the plan when", "First steps", "Contacts, in calling order", "About the plan"])
    assert positions == sorted(positions)
    first_tel = section.index('href="tel:')
    assert first_tel < section.index("First steps")  # who may invoke: callable before the steps


# -- tel: links at the top of person and organisation pages --------------------------------------
def top_of(markdown: str) -> str:
    """What a page shows between its title and its property table."""
    return markdown.split("\n", 1)[1].split("| Property |", 1)[0]


def test_person_page_starts_with_its_numbers_as_tel_links(example, pages):
    maya = example.by_id["PER-MAYA"].record
    page = pages["records/person/PER-MAYA.md"]
    top = top_of(page)
    for phone in maya.phones:
        assert f"({emergency_pack.tel_uri(phone.number)})" in top, phone
    assert "**Call**" in top
    rest = page.split("| Property |", 1)[1]
    assert "tel:" not in rest  # shown once, at the top (not again as a plain table)
    assert maya.phones[0].number not in rest


def test_plan_page_starts_with_its_calling_order_as_tel_links(example, pages):
    plan = example.by_id["CP-DC-LOSS"].record
    top = top_of(pages["records/continuity_plan/CP-DC-LOSS.md"])
    positions = []
    for contact in sorted(plan.contacts, key=lambda c: c.priority):
        person = example.by_id[contact.person].record
        positions.append(top.index(f"({emergency_pack.tel_uri(person.phones[0].number)})"))
    assert positions == sorted(positions)  # in calling order
    assert top.index(f"- **1.** [{plan.contacts[0].person}]") < positions[0]


def test_organisation_page_starts_with_contacts_and_support_lines(example, pages):
    top = top_of(pages["records/organisation/ORG-ISP.md"])
    siti = example.by_id["PER-SITI"].record
    assert f"({emergency_pack.tel_uri(siti.phones[0].number)})" in top and "Siti Rahmawati" in top
    contract = example.by_id["SC-ISP"].record
    for line in contract.support_lines:
        assert f"[{line.number.replace('+', chr(92) + '+')}]({emergency_pack.tel_uri(line.number)})" in top
        assert line.label.split(" (")[0] in top
    assert "NOC 24x7" in top and "LNT-CKR-TR-01" in top and "Hours: 24x7" in top


def test_built_person_page_has_tel_links_before_the_table(site: Path, example):
    page = (site / "records" / "person" / "PER-MAYA" / "index.html").read_text()
    article = page.split("<article", 1)[1]
    assert article.index('href="tel:') < article.index("<table")
    numbers = re.findall(r'href="(tel:[^"]+)"', article)
    assert numbers == [emergency_pack.tel_uri(p.number) for p in example.by_id["PER-MAYA"].record.phones]


def test_non_personal_editions_show_no_personal_numbers_at_the_top(tmp_path: Path, example):
    out = tmp_path / "site"
    assert main(["build", "--content", str(EXAMPLE), "--site-dir", str(out), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", "internal"]) == 0
    people = sorted((out / "records" / "person").glob("PER-*/index.html"))
    assert len(people) > 5
    numbers = {p.number for x in example.of_kind("person") for p in x.record.phones}
    for page in people:
        text = page.read_text()
        assert 'href="tel:' not in text, page
        assert not [n for n in numbers if n in text], page
    # a supplier's support lines are not personal data: the internal edition shows them
    assert 'href="tel:+622129551500"' in (out / "records" / "organisation" / "ORG-ISP" / "index.html").read_text()


# -- numbers on one line and on screen --------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_phone_numbers_never_wrap_and_stay_on_screen(site: Path, tmp_path: Path, width: int):
    from tests.browser import serve, start_chrome

    driver = start_chrome(tmp_path)
    try:
        driver.set_window_size(width, 900)
        with serve(site) as (base, _):
            for path in ("emergency/", "records/person/PER-MAYA/", "records/organisation/ORG-ISP/",
                         "records/continuity_plan/CP-DC-LOSS/"):
                driver.get(base + path)
                found = driver.execute_script("""
                    var view = document.documentElement.clientWidth;
                    return Array.from(document.querySelectorAll('article a[href^="tel:"]')).map(function (a) {
                      var rects = a.getClientRects(), box = a.getBoundingClientRect();
                      return {text: a.textContent, lines: rects.length, left: box.left, right: box.right,
                              view: view, nowrap: getComputedStyle(a).whiteSpace};
                    });""")
                assert len(found) >= 2, path
                for link in found:
                    assert link["nowrap"] == "nowrap", link
                    assert link["lines"] == 1, (path, link)  # never wraps
                    # on screen without scrolling sideways
                    assert 0 <= link["left"] and link["right"] <= link["view"], (path, width, link)
                assert driver.execute_script(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path
    finally:
        driver.quit()


# -- supplier support lines: the pack and the vCard ------------------------------------------------
def test_pack_lists_support_lines_with_label_account_and_hours(example, pages):
    section = plan_sections(pages[emergency_pack.PAGE], ["CP-DC-LOSS", "CP-OPS-LOSS"], "## {id} — ")["CP-DC-LOSS"]
    lines = section.split("### Supplier lines", 1)[1].split("###", 1)[0]
    for cid in ("SC-COLO", "SC-IAAS", "SC-ISP"):  # the contracts for the plan's services
        for line in example.by_id[cid].record.support_lines:
            assert f"({emergency_pack.tel_uri(line.number)})" in lines
            assert line.hours in lines and re.sub(r"([()])", r"\\\1", line.account) in lines
    assert "**PT Lintas Nusa Telekomunikasi — NOC 24x7**" in lines


def test_vcard_parses_with_vobject_keeping_labels_and_crlf(site: Path, example):
    import vobject

    data = (site / "emergency" / "continuity-contacts.vcf").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF line ends only
    cards = list(vobject.readComponents(data.decode("utf-8")))
    by_name = {card.fn.value: card for card in cards}
    assert len(by_name) == len(cards)

    def labelled(card) -> list[tuple[str, str, list[str]]]:
        """(label, number, TYPE values) of each TEL, the label from X-ABLabel in the TEL's group."""
        labels = {line.group: line.value for line in card.getChildren() if line.name == "X-ABLABEL"}
        return [(labels.get(tel.group, ""), tel.value, [t.upper() for t in tel.params.get("TYPE", [])])
                for tel in card.contents.get("tel", [])]

    # one card per supplier line, named after supplier and label, with the label on its number
    pack = emergency_pack.collect(example)
    assert pack.support_lines
    for line in pack.support_lines:
        card = by_name[f"{line.supplier} — {line.label}"]
        assert labelled(card) == [(line.label, line.number, ["WORK", "VOICE", "PREF"])]
        assert card.org.value == [line.supplier]
        assert f"Hours: {line.hours}" in card.note.value and f"Quote: {line.account}" in card.note.value
        assert "Supplier" in card.categories.value
    # a person's numbers keep their labels too ("on-call" is not a second, unnamed mobile)
    fajar = example.by_id["PER-FAJAR"].record
    got = labelled(by_name[fajar.title])
    assert [(label, number) for label, number, _ in got] == [(p.label, p.number) for p in fajar.phones]
    assert got[0][2] == ["CELL", "PREF"] and "CELL" in got[1][2]
    # the account manager's card holds only her own number; the NOC line is its own card
    siti = labelled(by_name["Siti Rahmawati"])
    assert siti == [("mobile", "+62 813 8899 1200", ["CELL", "PREF"])]
    noc = by_name["PT Lintas Nusa Telekomunikasi — NOC 24x7"]
    assert labelled(noc)[0][:2] == ("NOC 24x7", "+62 21 2955 1500")


def test_support_lines_are_escaped_in_the_vcard():
    line = emergency_pack.SupportEntry("ACME; Inc, \\ ltd", "SC-1", "NOC, 24x7;\nfirst", "+62 21 1", "A;B", "24x7")
    text = "".join(emergency_vcard.fold(x) + "\r\n" for x in emergency_vcard.support_line_entry(line))
    import vobject

    card = vobject.readOne(text)
    assert card.fn.value == "ACME; Inc, \\ ltd — NOC, 24x7;\nfirst"
    label = next(x for x in card.getChildren() if x.name == "X-ABLABEL")
    assert label.value == "NOC, 24x7;\nfirst"
