"""The emergency pack: a page, a PDF and a vCard file with every continuity plan and contact.

Built from the small fixture and from the example organisation under content/; the PDF is read
back with pdftotext (poppler-utils, installed by .ci/install-system-deps) and the vCard with a
small parser written here from RFC 6350 / RFC 2426.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.site.emergency import pack as emergency_pack, pdf as emergency_pdf, vcard as emergency_vcard
from generator.cli import main
from generator.content.i18n import Translator
from generator.checks.pipeline import check_content
from tests.conftest import ROOT, build_bundle
from tests.test_site import active_payloads

FIXTURE = ROOT / "tests" / "fixtures" / "site"
EXAMPLE = ROOT / "content"
TODAY = dt.date(2026, 11, 24)


def build(content: Path, site: Path) -> Path:
    # The continuity edition carries phone numbers (personal data); see tests/test_editions.py.
    assert main(["build", "--content", str(content), "--site-dir", str(site), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml"), "--edition", "continuity"]) == 0
    return site


@pytest.fixture(scope="module", params=["fixture", pytest.param("example", marks=pytest.mark.example)])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    content = FIXTURE if request.param == "fixture" else EXAMPLE
    site = build(content, tmp_path_factory.mktemp(f"emergency-{request.param}") / "site")
    return content, site, check_content(content, TODAY).index


# -- helpers -----------------------------------------------------------------------------------
def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def pdf_dates(data: bytes) -> tuple[str, str]:
    """(CreationDate, ModDate) of a PDF, as ISO dates (pdfinfo -isodates)."""
    out = subprocess.run(["pdfinfo", "-isodates", "-"], input=data, capture_output=True, check=True).stdout.decode()
    info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return info["CreationDate"].strip(), info["ModDate"].strip()


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_plain(value: str, sep: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            current += value[i:i + 2]
            i += 2
            continue
        if ch == sep:
            parts.append(_unescape(current))
            current = ""
        else:
            current += ch
        i += 1
    parts.append(_unescape(current))
    return parts


def parse_vcards(data: bytes) -> list[dict[str, list]]:
    """vCard text -> one dict per card: property name -> [(params, value)]. Checks the framing."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    for physical in text.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75, physical
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]  # unfold
    cards: list[dict[str, list]] = []
    card: dict[str, list] | None = None
    for line in lines:
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        name = name.upper().rsplit(".", 1)[-1]  # "item1.TEL" -> TEL (a group of a TEL and its label)
        if name == "BEGIN":
            assert value.upper() == "VCARD" and card is None
            card = {}
            continue
        if name == "END":
            assert card is not None
            cards.append(card)
            card = None
            continue
        assert card is not None
        card.setdefault(name, []).append((params, value))
    assert card is None
    return cards


def expected_contacts(index) -> dict[str, tuple[str, list[str]]]:
    """Person id -> (name, phone numbers) for everyone the vCard file must hold."""
    ids: list[str] = []
    for loaded in index.of_kind("continuity_plan"):
        plan = loaded.record
        if plan.status == "retired":
            continue
        for c in plan.contacts:
            ids.append(c.person)
            ids.extend(index.by_id[c.person].record.alternates)
        ids.extend(plan.supplier_contacts)
    out = {}
    for pid in ids:
        person = index.by_id[pid].record
        out[person.title] = (person.title, [p.number for p in person.phones])
    return out


# -- tests ---------------------------------------------------------------------------------------
def test_pdf_holds_every_plan_and_every_phone(built):
    _, site, index = built
    pdf = site / "emergency" / "emergency-pack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(pdf)
    plans = [p.record for p in index.of_kind("continuity_plan")]
    assert plans
    for plan in plans:
        assert plan.title in text
        assert f"{plan.version}" in text
        for c in plan.contacts:
            for phone in index.by_id[c.person].record.phones:
                assert phone.number in text, (plan.id, c.person)
        for pid in plan.supplier_contacts:
            for phone in index.by_id[pid].record.phones:
                assert phone.number in text, (plan.id, pid)
    assert "Copy made " in text  # the date the copy was made is printed
    assert "End of the emergency pack." in text


def page_texts(data: bytes) -> list[str]:
    """The text of every page of a PDF, in order (pdftotext, one page at a time)."""
    from pypdf import PdfReader
    import io

    pages = len(PdfReader(io.BytesIO(data)).pages)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    texts = [" ".join(page.split()) for page in out.stdout.decode("utf-8").split("\f")]
    assert len(texts) >= pages
    return texts[:pages]


def test_pdf_contents_give_each_plans_page_and_link_to_it(built):
    """The contents (pages i, ii, ...) give every plan's page number and link there; the footers
    number the pages from 1 after the contents, name the plan, and the plans end with a marker."""
    import io

    from pypdf import PdfReader

    _, site, index = built
    data = (site / "emergency" / "emergency-pack.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    texts = page_texts(data)
    labels = reader.page_labels
    front = next(i for i, label in enumerate(labels) if label == "1")
    assert labels[:front] == ["i", "ii", "iii", "iv", "v", "vi", "vii"][:front]
    assert labels[front:] == [str(n) for n in range(1, len(labels) - front + 1)]
    body = len(labels) - front
    contents = " ".join(texts[:front])
    assert f"pages 1-{body};" in contents
    plans = sorted((p.record for p in index.of_kind("continuity_plan") if p.record.status != "retired"),
                   key=lambda plan: plan.id)
    starts = []
    for plan in plans:
        heading = f"{plan.id} — {plan.title}"
        number = int(re.search(re.escape(heading) + r" ?\.+ ?(\d+)", contents).group(1))
        starts.append(number)
        page = texts[front + number - 1]
        assert page.startswith(heading), (plan.id, number, page[:80])
        assert page.rstrip().endswith(f"{plan.id} {number}")  # footer: the plan and the page number
    assert starts == sorted(starts) and starts[0] == 1
    for plan, nxt in zip(plans, [*starts[1:], None]):
        last_page = texts[front + (nxt or body + 1) - 2] if nxt else None
        if last_page is not None:
            assert f"End of {plan.id}." in last_page
    assert "End of the emergency pack." in texts[-1]
    # the contents link to the pages they name
    targets = []
    for page in reader.pages[:front]:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                targets.append(reader.get_page_number(annot["/Dest"][0].get_object()))
    assert targets[:len(plans)] == [front + n - 1 for n in starts]
    # and the outline (bookmarks) lists every plan at its page
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    for plan, number in zip(plans, starts):
        assert outline[f"{plan.id} — {plan.title}"] == front + number - 1


@pytest.mark.parametrize("lang", ["en", "id"])
def test_pdf_text_stays_inside_the_printed_area(lang: str):
    """No word runs past the page margins (a table wider than the page cuts words off in print)."""
    pack = emergency_pack.collect(check_content(EXAMPLE, TODAY).index)
    data = emergency_pdf.pdf_bytes(pack, Translator(lang), "PT Nusantara Layanan Digital",
                               dt.datetime(2026, 9, 21, tzinfo=dt.timezone.utc))
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    margin = 16 / 25.4 * 72  # the print style's left and right margins, 16 mm, in points
    words = 0
    for width, page in re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S):
        for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', page):
            words += 1
            assert margin - 1 <= float(x_min) and float(x_max) <= float(width) - margin + 1, word
    assert words > 500


def many_plans(count: int) -> emergency_pack.Pack:
    """The example organisation's pack with its plans repeated under new ids: a long pack."""
    import dataclasses

    pack = emergency_pack.collect(check_content(EXAMPLE, TODAY).index)
    plans = [dataclasses.replace(plan, id=f"{plan.id}-{n:02d}")
             for n in range(count // len(pack.plans) + 1) for plan in pack.plans][:count]
    return dataclasses.replace(pack, plans=tuple(plans))


def test_laying_the_pack_out_in_batches_changes_nothing(monkeypatch: pytest.MonkeyPatch):
    pack = many_plans(9)
    built_at = dt.datetime(2026, 9, 21, 8, 30, tzinfo=dt.timezone.utc)
    one = emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", built_at)
    monkeypatch.setattr(emergency_pdf, "BATCH_PAGES", 1)  # every plan written on its own, then joined
    many = emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", built_at)
    assert page_texts(one) == page_texts(many)
    assert len(page_texts(one)) > 9


@pytest.mark.example
def test_directory_in_runs_of_rows_keeps_every_contact(monkeypatch: pytest.MonkeyPatch):
    pack = many_plans(3)
    monkeypatch.setattr(emergency_pdf, "DIRECTORY_ROWS", 2)
    data = emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", dt.datetime(2026, 9, 21, tzinfo=dt.timezone.utc))
    texts = page_texts(data)
    # the directory's pages: their footer names the directory
    directory = [text for text in texts if text.endswith(tuple(f"All continuity contacts {n}" for n in range(1, 99)))]
    assert len(pack.contacts) > 4 and len(directory) >= 3  # laid out in three runs or more
    assert texts[-len(directory):] == directory  # at the end of the pack
    joined = " ".join(directory)
    for person in pack.contacts:
        assert person.name in joined
        for phone in person.phones:
            assert phone.number in joined
    assert "End of the emergency pack." in directory[-1]
    assert " ".join(texts).count("End of the emergency pack.") == 1


def test_css_string_is_one_css_string_whatever_the_text():
    import tinycss2

    for text in ['Pack"; } </style><script>alert(1)</script> \\ é', "a\nb", "\\", "'", "", "x" * 200]:
        out = str(emergency_pdf.css_string(text))
        assert "<" not in out and ">" not in out and "\n" not in out
        (token,) = [t for t in tinycss2.parse_component_value_list(out) if t.type != "whitespace"]
        assert token.type == "string" and token.value == text



def test_vcard_parses_back_into_the_contacts(built):
    _, site, index = built
    cards = parse_vcards((site / "emergency" / "continuity-contacts.vcf").read_bytes())
    got = {}
    cards = [card for card in cards if "Supplier" not in card["CATEGORIES"][0][1]]  # support lines: test_responder
    for card in cards:
        assert card["VERSION"] == [([], "3.0")]
        (fn,) = card["FN"]
        name = _unescape(fn[1])
        assert "N" in card and "UID" in card
        got[name] = (name, [_unescape(v) for _, v in card.get("TEL", [])])
    assert got == expected_contacts(index)
    assert len(cards) == len(got)  # nobody twice


def test_pack_page_has_tel_and_mailto_links(built):
    _, site, index = built
    page = (site / "emergency" / "index.html").read_text()
    assert active_payloads(page) == []
    for loaded in index.of_kind("continuity_plan"):
        for c in loaded.record.contacts:
            person = index.by_id[c.person].record
            for phone in person.phones:
                assert f'href="{emergency_pack.tel_uri(phone.number)}"' in page
            if person.email:
                assert f'href="mailto:{person.email}"' in page
    assert 'href="emergency-pack.pdf"' in page and 'href="continuity-contacts.vcf"' in page


def test_home_links_to_the_pack_pdf_and_vcard(built):
    _, site, _ = built
    home = (site / "index.html").read_text()
    for href in ('href="emergency/"', 'href="emergency/emergency-pack.pdf"',
                 'href="emergency/continuity-contacts.vcf"'):
        assert href in home.split("<article", 1)[1], href
    before, rest = home.split("<article", 1)
    nav = before + rest.split("</article>", 1)[1]
    links = re.findall(r'href="([^"]+)"', nav)
    assert "emergency/" in links  # the pack is in the navigation
    assert links.index("emergency/") < min(links.index(h) for h in links if h.startswith("records/"))


def test_pdf_is_reproducible_and_dated():
    index = check_content(FIXTURE, TODAY).index
    pack = emergency_pack.collect(index)
    built = dt.datetime(2026, 9, 21, 8, 30, tzinfo=dt.timezone.utc)
    first = emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", built)
    second = emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", built)
    assert first == second
    assert pdf_dates(first) == ("2026-09-21T08:30:00Z", "2026-09-21T08:30:00Z")  # the build time, not the clock


HOSTILE_PERSON = """\
kind: person
id: PER-ANI
title: "Ani <script>alert('x')</script>; Wijaya, Jr\\\\"
owner: PER-ANI
role: "Lead; <b>bold</b>, \\"quoted\\"\\nsecond line"
email: "ani+ops@example.org"
phones:
  - {label: mobile, number: "+62 812 0000 1111"}
"""


def test_hostile_text_is_escaped_in_page_pdf_html_and_vcard(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "people/ani.yaml").write_text(HOSTILE_PERSON)
    site = build(content, tmp_path / "site")
    page = (site / "emergency/index.html").read_text()
    body = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<script" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;" in body
    assert active_payloads(page) == []
    assert 'href="mailto:ani+ops@example.org"' in body

    index = check_content(content, TODAY).index
    html = "".join(emergency_pdf.print_parts(emergency_pack.collect(index), Translator("en"), "<i>Site</i>",
                                         dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert "<script" not in html and "<b>bold</b>" not in html and "<i>Site</i>" not in html
    assert "&lt;script&gt;" in html

    vcf = (site / "emergency/continuity-contacts.vcf").read_bytes()
    (card,) = parse_vcards(vcf)
    unfolded = vcf.decode().replace("\r\n ", "")
    assert "FN:Ani <script>alert('x')</script>\\; Wijaya\\, Jr\\\\\r\n" in unfolded
    assert _unescape(card["FN"][0][1]) == "Ani <script>alert('x')</script>; Wijaya, Jr\\"
    assert _unescape(card["TITLE"][0][1]) == 'Lead; <b>bold</b>, "quoted"\nsecond line'
    assert "\\n" in card["TITLE"][0][1] and "\\;" in card["TITLE"][0][1]
    assert _split_plain(card["N"][0][1], ";") == ["Jr\\", "Ani <script>alert('x')</script>; Wijaya,", "", "", ""]


def test_fold_never_splits_a_character():
    line = "NOTE:" + "é" * 100 + "x" * 80
    folded = emergency_vcard.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert emergency_vcard.vcard_escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_offline_bundle_carries_the_pack(tmp_path: Path):
    zip_path = build_bundle(FIXTURE, tmp_path, 1790000000)
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        assert {"emergency/index.html", "emergency/emergency-pack.pdf", "emergency/continuity-contacts.vcf"} <= names
        home = zf.read("index.html").decode()
        manifest = zf.read("MANIFEST.sha256").decode()
        pdf = zf.read("emergency/emergency-pack.pdf")
    assert 'href="emergency/index.html"' in home and 'href="emergency/emergency-pack.pdf"' in home
    assert "emergency/emergency-pack.pdf" in manifest
    assert pdf_dates(pdf)[0].startswith("2026-09-21T")  # built at SOURCE_DATE_EPOCH, not now


# -- tagged PDF, unbroken numbers, stated dates --------------------------------------------------
def tag_problems(data: bytes) -> list[str]:
    """What keeps a PDF's tags from being one sound structure tree, read with pypdf (a second parser,
    not the one that wrote it): the catalog marks it tagged with a language and the PDF/UA-1 XMP
    packet; every page's /StructParents entry lists elements on that page; every link annotation is
    the OBJR of its parent-tree element; every element points at its parent."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    problems = []
    marked = catalog.get("/MarkInfo", {}).get("/Marked")
    if getattr(marked, "value", marked) is not True:
        problems.append("not marked as tagged (/MarkInfo /Marked true)")
    if not str(catalog.get("/Lang", "")):
        problems.append("no /Lang")
    if "/Metadata" not in catalog or b"pdfuaid:part" not in catalog["/Metadata"].get_object().get_data():
        problems.append("no PDF/UA identification in the XMP metadata")
    if "/StructTreeRoot" not in catalog:
        return [*problems, "no /StructTreeRoot"]
    root = catalog["/StructTreeRoot"].get_object()
    nums = root["/ParentTree"].get_object()["/Nums"]
    tree = dict(zip((int(k) for k in nums[0::2]), nums[1::2]))

    def kids(element) -> list:
        k = element.get("/K")
        return list(k) if isinstance(k, ArrayObject) else [] if k is None else [k]

    for number, page in enumerate(reader.pages):
        if "/StructParents" not in page:
            problems.append(f"page {number}: no /StructParents")
            continue
        for element in tree[int(page["/StructParents"])].get_object():
            if element.get_object().raw_get("/Pg").idnum != page.indirect_reference.idnum:
                problems.append(f"page {number}: an element of another page in its parent-tree entry")
        for annot in page.get("/Annots", []):
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            if "/StructParent" not in a:
                problems.append(f"page {number}: a link without /StructParent")
                continue
            element = tree[int(a["/StructParent"])].get_object()
            objects = [k.get_object().raw_get("/Obj").idnum for k in kids(element)
                       if isinstance(k.get_object(), DictionaryObject) and k.get_object().get("/Type") == "/OBJR"]
            if annot.idnum not in objects:
                problems.append(f"page {number}: a link not the OBJR of its element")
    stack, seen = [(ref, root.indirect_reference.idnum) for ref in kids(root)], 0
    while stack:
        ref, parent = stack.pop()
        element = ref.get_object()
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            continue
        seen += 1
        if element.raw_get("/P").idnum != parent:
            problems.append(f"element {element['/S']}: /P is not its parent")
        stack.extend((k, ref.idnum) for k in kids(element) if hasattr(k, "idnum"))
    if seen < 100:
        problems.append(f"only {seen} elements")
    return problems


def test_pdf_is_tagged_pdf_ua(monkeypatch: pytest.MonkeyPatch):
    pack = many_plans(4)
    built_at = dt.datetime(2026, 9, 21, 8, 30, tzinfo=dt.timezone.utc)
    assert tag_problems(emergency_pdf.pdf_bytes(pack, Translator("id"), "Site", built_at)) == []
    monkeypatch.setattr(emergency_pdf, "BATCH_PAGES", 1)  # many parts joined: still one sound tree
    assert tag_problems(emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", built_at)) == []


def test_tag_check_finds_an_untagged_pdf():
    pack = many_plans(1)
    built_at = dt.datetime(2026, 9, 21, 8, 30, tzinfo=dt.timezone.utc)
    printer = emergency_pdf.Printer(pack, Translator("en"), "Site", built_at)
    from weasyprint import HTML

    untagged = HTML(string=printer.contents_html({}, 0)).render().write_pdf()
    problems = tag_problems(untagged)
    assert "no /StructTreeRoot" in problems and "not marked as tagged (/MarkInfo /Marked true)" in problems


def pdf_lines(data: bytes) -> list[str]:
    """Every line of text of a PDF, read with pypdf."""
    import io

    from pypdf import PdfReader

    return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]


@pytest.mark.example
@pytest.mark.parametrize("lang", ["en", "id"])
def test_pdf_never_breaks_an_address_or_a_number(lang: str):
    """Each e-mail address and phone number of the content is on one line of the PDF (read with
    pypdf): a number broken over two lines is misdialled."""
    pack = emergency_pack.collect(check_content(EXAMPLE, TODAY).index)
    data = emergency_pdf.pdf_bytes(pack, Translator(lang), "PT Nusantara Layanan Digital",
                               dt.datetime(2026, 9, 21, tzinfo=dt.timezone.utc))
    text = "\n".join(pdf_lines(data))
    wanted = {x for c in pack.contacts for x in (c.email, c.personal_email, *(p.number for p in c.phones)) if x}
    wanted |= {line.number for line in pack.support_lines}
    assert len([w for w in wanted if "@" in w]) > 10 and len(wanted) > 30
    assert sorted(w for w in wanted if w not in text) == []


def test_pack_states_when_the_copy_was_made_and_when_the_records_changed():
    pack = emergency_pack.collect(check_content(FIXTURE, TODAY).index)
    made = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.timezone.utc)
    changed = dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.timezone.utc)
    text = " ".join(" ".join(pdf_lines(emergency_pdf.pdf_bytes(pack, Translator("en"), "Site", made, changed))).split())
    assert ("This copy was made on 2026-11-30 09:15 UTC. Its plans and phone numbers are what the records held "
            "when they last changed, on 2026-11-02") in text
    assert text.count("Copy made 2026-11-30 09:15 UTC") >= 2  # every page's foot
    assert "Built" not in text
    outside_git = " ".join(" ".join(pdf_lines(emergency_pdf.pdf_bytes(pack, Translator("id"), "Site", made))).split())
    assert "Salinan ini dibuat pada 2026-11-30 09:15 UTC, dari catatan sebagaimana adanya saat itu" in outside_git
