"""The built site: pages for every record, links both ways, untrusted text stays inert."""

from __future__ import annotations

import json
from html.parser import HTMLParser
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def build(content: Path, site: Path, *extra: str) -> int:
    return main(["build", "--content", str(content), "--site-dir", str(site), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml"), *extra])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    assert build(FIXTURE, out) == 0
    return out


def all_output(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
                     and p.suffix in (".html", ".json", ".xml", ".js"))


def test_every_record_has_a_page_and_kind_index(site: Path):
    for kind, rid in [("person", "PER-ANI"), ("service", "SVC-MAIL"), ("continuity_plan", "CP-1")]:
        assert (site / "records" / kind / rid / "index.html").is_file()
        assert rid in (site / "records" / kind / "index.html").read_text()


def test_links_both_ways(site: Path):
    person = (site / "records/person/PER-ANI/index.html").read_text()
    assert 'href="../../continuity_plan/CP-1/"' in person  # named in the plan's contacts
    assert 'href="../../service/SVC-MAIL/"' in person  # owns the service
    plan = (site / "records/continuity_plan/CP-1/index.html").read_text()
    assert 'href="../../person/PER-ANI/"' in plan


class _Elements(HTMLParser):
    """Collects every element and attribute of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def active_payloads(html_text: str) -> list[str]:
    """Scripts, event handlers and javascript: URLs that would run in a browser."""
    parser = _Elements()
    parser.feed(html_text)
    bad = []
    for tag, attrs in parser.found:
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


def test_untrusted_text_is_inert_in_pages_and_search(site: Path):
    page = (site / "records/person/PER-ANI/index.html").read_text()
    assert active_payloads(page) == []
    assert "xss-script" not in page  # the script element and its body are removed
    body = page.split("Payloads that must stay inert", 1)[1].split("</article>", 1)[0]
    assert "<script" not in body
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "{% for x in range(3) %}loop{% endfor %}" in body and "looploop" not in body
    assert "{{ self." in body and "bound method" not in body and "object at 0x" not in body
    for html_file in site.rglob("*.html"):
        assert active_payloads(html_file.read_text()) == [], html_file
    index = json.loads((site / "search/search_index.json").read_text())
    for doc in index["docs"]:
        assert active_payloads(doc["text"]) == [], doc["location"]
        assert "<script" not in doc["text"]


def test_no_raw_yaml_in_output(site: Path):
    assert not [p for p in site.rglob("*") if p.suffix in (".yaml", ".yml")]


def test_record_pages_stay_out_of_the_navigation(site: Path):
    home = (site / "index.html").read_text()
    before, rest = home.split("<article", 1)
    nav = before + rest.split("</article>", 1)[1]  # everything but the page body
    assert "records/person/" in nav  # the kind index is in the nav
    assert "PER-ANI" not in nav  # the record page is not


def test_record_ids_and_titles_are_searchable(site: Path):
    index = json.loads((site / "search/search_index.json").read_text())
    titles = {d["title"] for d in index["docs"]}
    assert "CP-1 — Data centre loss" in titles


def test_tables_are_sortable_offline(site: Path):
    assert "assets/clause8/tablesort.js" in (site / "records/person/index.html").read_text()
    assert (site / "assets/clause8/tablesort.js").is_file()


def test_content_error_stops_build_and_keeps_previous_site(tmp_path: Path, site: Path, capsys):
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    bad = tmp_path / "content"
    shutil.copytree(FIXTURE, bad)
    (bad / "services/mail.yaml").write_text((bad / "services/mail.yaml").read_text() + "criticalty: low\n")
    assert build(bad, out) == 1
    err = capsys.readouterr().err
    assert "error[field-unknown]: criticalty: unknown field 'criticalty'. Did you mean 'criticality'?" in err
    assert sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before


def test_broken_link_fails_strict_build_and_keeps_previous_site(tmp_path: Path, site: Path, capsys):
    out = tmp_path / "site"
    shutil.copytree(site, out)
    bad = tmp_path / "content"
    shutil.copytree(FIXTURE, bad)
    (bad / "services/mail.yaml").write_text((bad / "services/mail.yaml").read_text()
                                            + 'description: "[plan](../nope.md)"\n')
    assert build(bad, out) == 1
    err = capsys.readouterr().err
    assert "error[link-broken]" in err and "build stopped" in err  # found by check, before mkdocs
    assert (out / "records/service/SVC-MAIL/index.html").read_text() == (
        site / "records/service/SVC-MAIL/index.html").read_text()
    # In a hand-written page the strict build itself refuses it, and the previous site stays.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "notes.md").write_text("# Notes\n\n[plan](nope.md)\n")
    assert build(FIXTURE, out, "--config", str(config_copy(tmp_path, docs_dir=pages))) == 1
    assert "build failed" in capsys.readouterr().err
    assert (out / "records/service/SVC-MAIL/index.html").read_text() == (
        site / "records/service/SVC-MAIL/index.html").read_text()
    assert not list(tmp_path.glob(".site.build-*"))


def config_copy(tmp_path: Path, lang: str = "en", docs_dir: Path | None = None) -> Path:
    """mkdocs.yml with absolute paths, so a test can change the language or the pages folder."""
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text().replace("language: en", f"language: {lang}")
    text = text.replace("docs_dir: content/pages", f"docs_dir: {docs_dir or ROOT / 'content/pages'}")
    text = text.replace("      content: content\n", f"      content: {ROOT / 'content'}\n")
    config.write_text(text)
    return config


def test_indonesian_site(tmp_path: Path):
    out = tmp_path / "site"
    assert build(FIXTURE, out, "--config", str(config_copy(tmp_path, "id"))) == 0
    page = (out / "records/continuity_plan/CP-1/index.html").read_text()
    assert '<html lang="id"' in page
    assert "Pemilik" in page  # "Owner"


def pages(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_macros_pull_record_data_on_opted_in_pages(tmp_path: Path):
    folder = pages(tmp_path, {
        "intro.md": "---\nrender_macros: true\n---\n# Intro\n\nPlan: {{ link('CP-1') }}, "
                    "owner {{ record('CP-1').owner }}.\n\n{{ table('service', 'criticality') }}\n",
        "plain.md": "# Plain\n\nNot evaluated: {{ record('CP-1').owner }}\n",
    })
    out = tmp_path / "site"
    assert build(FIXTURE, out, "--config", str(config_copy(tmp_path, docs_dir=folder))) == 0
    intro = (out / "intro/index.html").read_text()
    assert 'href="../records/continuity_plan/CP-1/"' in intro and "owner PER-ANI." in intro
    assert "<td>high</td>" in intro
    assert "{{ record(&#39;CP-1&#39;).owner }}" in (out / "plain/index.html").read_text() or \
        "{{ record('CP-1').owner }}" in (out / "plain/index.html").read_text()


@pytest.mark.parametrize("body", ["{{ no_such_name }}", "{{ record('NOPE').title }}"])
def test_macro_errors_fail_the_build(tmp_path: Path, body: str, capsys):
    folder = pages(tmp_path, {"intro.md": f"---\nrender_macros: true\n---\n# Intro\n\n{body}\n"})
    assert build(FIXTURE, tmp_path / "site", "--config", str(config_copy(tmp_path, docs_dir=folder))) == 1
    assert not (tmp_path / "site").exists()


_FOLDERS = st.lists(st.sampled_from(["records", "sla", "a", "emergency"]), max_size=3)
_FILES = st.sampled_from(["index.md", "x.md", "emergency-pack.pdf"])


@settings(max_examples=300, deadline=None)
@given(_FOLDERS, _FILES, _FOLDERS, _FILES)
def test_relative_links_match_posixpath(target_dir: list[str], target_file: str, here_dir: list[str], here_file: str):
    """Links between pages (files under folders, as the site has them) are what posixpath says."""
    import posixpath

    from generator.site.links import relative

    t, h = "/".join([*target_dir, target_file]), "/".join([*here_dir, here_file])
    assert relative(t, h) == posixpath.relpath(t, posixpath.dirname(h) or ".")
