"""docs/assurance.md: per obligation its checks, statuses and what to sample by hand; stays true by test."""

from __future__ import annotations

from generator.compliance.assurance import OUT, assurance_markdown, checks_of, manual_notes, statuses_of
from generator.content.requirements import catalogue


def test_assurance_reference_is_fresh():
    assert OUT.read_text(encoding="utf-8") == assurance_markdown(), \
        "docs/assurance.md is stale: run `python -m generator.compliance.assurance`"


def test_every_requirement_says_what_the_tool_cannot_see():
    assert set(manual_notes()) == set(catalogue())


def test_a_requirement_with_an_error_check_can_be_not_met_and_an_accepted_risk_shows():
    req = catalogue()["8.3.4.1-d"]
    codes = checks_of(req.id)
    assert "supplier-weaker" in codes and "supplier-shortfall-accepted" in codes
    assert {"not_met", "at_risk", "risk_accepted", "met"} <= set(statuses_of(req, codes))
    # Periodic obligations can go stale; one-off ones cannot.
    assert "stale" in statuses_of(catalogue()["8.7.2-g"], checks_of("8.7.2-g"))
    assert "stale" not in statuses_of(catalogue()["8.7.2-e"], checks_of("8.7.2-e"))
    assert statuses_of(catalogue()["8.3.1-info"], []) == ["not_applicable"]


def test_the_page_names_the_checks_of_each_obligation():
    page = assurance_markdown()
    section = page.split("### 8.7.2-g\n", 1)[1].split("\n### ", 1)[0]
    assert "| `continuity-test-misjudged` | error |" in section
    assert "**Sample by hand:** Whether the test scenario was realistic" in section
