"""Rendered markdown of representative records equals the golden files (`make golden` updates)."""

from __future__ import annotations

import pytest

from tests.golden import GOLDEN, PAGES, golden_name, rendered

CURRENT = rendered()


@pytest.mark.parametrize("page", PAGES)
def test_rendered_markdown_matches_golden(page: str):
    expected = (GOLDEN / golden_name(page)).read_text(encoding="utf-8")
    assert CURRENT[page] == expected, "rendering changed: run `make golden` and review the diff"


def test_golden_files_are_exactly_the_pages():
    assert sorted(p.name for p in GOLDEN.glob("*.md")) == sorted(golden_name(p) for p in PAGES)
