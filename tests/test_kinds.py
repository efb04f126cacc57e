"""A record kind is never forgotten: every kind the models declare has a place in the site's
sections (its index page is in the navigation and on the home page) and in the reference."""

from __future__ import annotations

import datetime as dt

from generator.index import build_index
from generator.loader import LoadResult
from generator.models import KINDS
from generator.render import SECTIONS, render_site


def test_every_kind_is_in_a_section():
    placed = [kind for _, groups in SECTIONS for _, kinds in groups for kind in kinds]
    assert sorted(placed) == sorted(KINDS), "add the kind to a group in generator/render.py SECTIONS"
    assert len(placed) == len(set(placed))


def test_every_kind_index_is_reachable_from_the_navigation():
    site = render_site(build_index(LoadResult()), today=dt.date(2026, 11, 24))

    def paths(nav: object) -> set[str]:
        if isinstance(nav, str):
            return {nav}
        if isinstance(nav, dict):
            return set().union(*(paths(v) for v in nav.values()))
        if isinstance(nav, list):
            return set().union(*(paths(v) for v in nav)) if nav else set()
        return set()

    in_nav = paths(site.nav)
    group_pages = {p for p in in_nav if p.startswith("sections/")}
    reachable = set(in_nav)
    for page in group_pages:
        reachable |= {kind for kind in KINDS if f"records/{kind}/index.md" in page or
                      f"../records/{kind}/" in site.pages[page]}
    missing = [kind for kind in KINDS if f"records/{kind}/index.md" not in in_nav and kind not in reachable]
    assert missing == []
