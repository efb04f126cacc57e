"""Record text never becomes markup anywhere in a page: the article, the title, the table of
contents, the navigation; and a finished page holding markup the site never writes is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.sanitize import clean_html, page_problems, plain_text, safe_text
from tests.conftest import ROOT, TODAY, write_tree


def own_scripts_only(attrs: dict[str, str], body: str) -> bool:
    if attrs.get("type") == "application/json":
        return attrs.get("id") == "__config"
    return attrs.get("src", "").startswith("assets/") or body == "var site = 1"


CLEAN_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'"><title>A &lt;b&gt; - Site</title>
<script>var site = 1</script></head><body><form class="md-search__form" name="search"></form>
<article><p>onerror=alert(1) and javascript:alert(1) written as text &lt;script&gt;</p>
<a href="https://example.org/">x</a><img src="a.png"></article>
<script id="__config" type="application/json">{}</script><script src="assets/x.js"></script></body></html>"""


def test_a_clean_page_passes():
    assert page_problems(CLEAN_PAGE, own_scripts_only) == []


@pytest.mark.parametrize("markup, problem", [
    ("<script>alert(1)</script>", "a script the site does not ship"),
    ('<script src="https://evil.example/x.js"></script>', "a script the site does not ship"),
    ('<img src=x onerror="alert(1)">', "event handler attribute onerror"),
    ("<svg><a xlink:href='javascript:alert(1)'>x</a></svg>", "javascript: URL in xlink:href"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "javascript: URL in href"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript: URL in href"),
    ('<iframe src="data:text/html,<script>alert(1)</script>"></iframe>', "a <iframe> element"),
    ('<base href="http://evil.example/">', "a <base> element"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "a foreign <meta http-equiv>"),
    ('<div id="__config">{}</div>', "the reserved id '__config' appears 2 times"),
    ("<object data='data:text/html,x'></object>", "a <object> element"),
])
def test_markup_the_site_never_writes_is_found(markup: str, problem: str):
    page = CLEAN_PAGE.replace("</article>", markup + "</article>")
    problems = page_problems(page, own_scripts_only)
    assert any(problem in p for p in problems), problems


def test_record_markup_cannot_take_the_ids_the_theme_looks_up():
    cleaned = clean_html('<div id="__config">{}</div><span id="Clause8-built">x</span>'
                         '<h2 id="notes">n</h2><a href="#__search">s</a><a href="page/#clause8-edition">e</a>')
    assert cleaned == ('<div id="user-__config">{}</div><span id="user-Clause8-built">x</span>'
                       '<h2 id="notes">n</h2><a href="#user-__search">s</a><a href="page/#user-clause8-edition">e</a>')


def test_titles_become_escaped_plain_text():
    title = 'Ani &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(2)> R&amp;D "q"'
    assert plain_text(title) == 'Ani </title><script>alert(1)</script> R&D "q"'
    assert safe_text(title) == "Ani &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &quot;q&quot;"


HOSTILE_PERSON = """\
kind: person
id: PER-ANI
title: "Ani </title><script>alert(1)</script><base href='http://evil.example/'>"
owner: PER-ANI
role: Service manager
description: |
  ## Notes <img src=`x` onerror=alert(2)>

  <div id="__config">{"search": "http://evil.example/w.js"}</div>
  <span id="clause8-built" data-built="0">old</span>

  [to the notes](#__config)
"""


def build(content: Path, site: Path) -> int:
    return main(["build", "--content", str(content), "--site-dir", str(site), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml")])


def test_hostile_title_and_headings_stay_text_in_every_part_of_the_page(tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": HOSTILE_PERSON})
    assert build(content, tmp_path / "site") == 0
    page = (tmp_path / "site/records/person/PER-ANI/index.html").read_text()
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert "<" not in title and "&lt;/title&gt;&lt;script&gt;" in title
    toc = page[page.index('data-md-component="toc"'):page.index("<article")]
    assert "<img" not in toc and "Notes" in toc
    assert page.count('id="__config"') == 1 and page.count('id="clause8-built"') == 1
    assert 'id="user-__config"' in page and 'href="#user-__config"' in page
    assert "<base" not in page


def test_a_page_with_unsafe_markup_fails_the_build_and_keeps_the_last_site(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    content = write_tree(tmp_path, {"people/ani.yaml": HOSTILE_PERSON + "  <script>alert(3)</script>\n"})
    site = tmp_path / "site"
    assert build(content, site) == 0
    before = (site / "index.html").read_bytes()
    # Should the article cleaner ever let markup through, the last look at the page stops the build.
    class LetThrough:
        def clean(self, markup: str) -> str:
            return markup

    monkeypatch.setattr("generator.site.sanitize._CLEANER", LetThrough())
    assert build(content, site) == 1
    assert (site / "index.html").read_bytes() == before
