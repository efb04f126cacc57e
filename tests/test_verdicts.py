"""Verdicts that follow the evidence: findings tied to requirements, statuses, and their reasons."""

from __future__ import annotations

import re

from generator.checks import CHECK_MODULES, CODES, EVIDENCE, requirement_codes, verdict_codes
from generator.checks.required import REQUIRED_PARTS
from generator.requirements import catalogue
from generator.traceability import STATUSES
from tests.conftest import ROOT


# -- the tie mechanism ------------------------------------------------------------------------
def test_every_code_declares_what_it_bears_on():
    declared = requirement_codes()
    assert set(CODES) - set(declared) == set(), "codes tied to nothing and not declared as bearing on none"
    assert set(declared) - set(CODES) == set(), "declared codes that CODES does not document"


def test_every_code_a_check_module_emits_is_declared_by_that_module():
    for name in CHECK_MODULES:
        path = ROOT / "generator" / "checks" / f"{name}.py"
        emitted = set(re.findall(r'"(?:error|warning|info)", "([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
        module = __import__(f"generator.checks.{name}", fromlist=["REQUIREMENTS"])
        assert emitted <= set(getattr(module, "REQUIREMENTS", {})), (name, emitted - set(module.REQUIREMENTS))


def test_ties_name_catalogue_requirements_and_verdicts_name_statuses():
    known = set(catalogue()) | {EVIDENCE}
    for code, ties in requirement_codes().items():
        assert set(ties) <= known, (code, set(ties) - known)
    for code, status in verdict_codes().items():
        assert code in CODES and status in STATUSES, (code, status)


def test_part_missing_is_tied_to_the_requirement_of_the_only_kind_it_checks():
    # part-missing is tied to 8.7.2-e (a continuity plan's parts); another kind needs its own tie.
    assert set(REQUIRED_PARTS) == {"continuity_plan"}


def test_every_reason_code_is_documented_in_the_readme_compliance_section():
    from generator.traceability import REASON_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Compliance", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert documented == set(REASON_CODES)
    for status in STATUSES:
        assert f"| **{status.replace('_', ' ')}** |" in section or status == "not_applicable", status
