"""The bundled example organisation: clean, covering every kind, and it builds.

Every test here is about the example itself and is skipped when ``content/`` holds another
organisation's records (tests/conftest.py, ``content_is_the_example``). So are the tests elsewhere
marked ``@pytest.mark.example``: they check a feature on the example's records (a page, a
mutation of one of its records) and sit beside that feature's other tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.models import KINDS
from generator.checks.pipeline import check_content
from tests.conftest import ROOT

pytestmark = pytest.mark.example

# The example's own date: records are written as of this day.
EXAMPLE_TODAY = dt.date(2026, 11, 24)


def test_example_content_has_no_errors_and_only_its_known_gap():
    checked = check_content(ROOT / "content", EXAMPLE_TODAY)
    assert [f.text() for f in checked.findings if f.severity == "error"] == []
    # The example company's one real gap, left in to show the check: its ISP (99.95 %), the data
    # centre and the network OLA in series cannot carry 99.9 % SLAs (README "The example organisation").
    # The SD-WAN SLA's shortfall is a documented, unexpired risk acceptance; the other four stay open.
    warnings = [f for f in checked.findings if f.severity == "warning"]
    assert {f.code for f in warnings} == {"supplier-chain-weaker", "availability-unmonitored"}
    chain = [f for f in warnings if f.code == "supplier-chain-weaker"]
    assert all("SC-ISP" in f.message for f in chain) and len(chain) == 4
    # The second gap: monitoring records begin with Zabbix on 2026-01-01; every month before, from
    # each requirement's monitoring_since, is "no data" (one warning per service).
    unmonitored = sorted((f.record, f.message.split("month(s) (")[1].split(")")[0]) for f in warnings
                         if f.code == "availability-unmonitored")
    assert unmonitored == [("AR-DESK", "2024-09..2025-12"), ("AR-HOST", "2024-06..2025-12"),
                           ("AR-MAIL", "2024-06..2025-12"), ("AR-WAN", "2025-11..2025-12")]
    accepted = [(f.record, f.code) for f in checked.findings if f.code == "supplier-shortfall-accepted"]
    assert accepted == [("SLA-WAN-LOGI", "supplier-shortfall-accepted")]


def test_example_states_which_supplier_target_supports_which_sla_target():
    from generator.figures.alignment import supplier_alignment

    checked = check_content(ROOT / "content", EXAMPLE_TODAY)
    result = supplier_alignment(checked.index)
    assert result.problems == () and result.unstated == ()
    # Every SLA's availability target is carried by the ISP, the data centre and the network OLA in
    # series (the IaaS DR region is standby for hosting and email), and the P1 resolution times of the
    # network-dependent SLAs by the NetOps pick-up plus the ISP restore.
    by_target = {(t.sla, t.sla_target): t for t in result.targets}
    for sla in ("SLA-HOST-BANK", "SLA-HOST-LOGI", "SLA-MAIL-BANK", "SLA-MAIL-GOV", "SLA-WAN-LOGI",
                "SLA-DESK-GOV", "SLA-DESK-HOSP"):
        chain = by_target[(sla, "avail")]
        assert sorted(s.underpinning for s in chain.series) == ["IA-NETOPS", "SC-COLO", "SC-ISP"]
        assert round(chain.combined, 3) == 99.89
    fix = by_target[("SLA-MAIL-BANK", "p1-resolution")]
    assert fix.mode == "sum" and fix.combined == 190 / 60 and fix.aligned
    # The logistics customer's site team writes its OLA in Indonesian: 4 jam = 4 hours.
    site = by_target[("SLA-WAN-LOGI", "p2-resolution")]
    assert [(s.written_unit, s.value) for s in site.supporters] == [("jam", 4.0)]


def test_the_example_is_recognised_wherever_it_is_copied(tmp_path: Path):
    """What the skip of the example's tests goes by: the example's records, wherever they are."""
    import shutil

    from tests.conftest import holds_the_example

    shutil.copytree(ROOT / "content", tmp_path / "copy")
    assert holds_the_example(tmp_path / "copy")
    (tmp_path / "copy/service_levels/sla-host-bank.yaml").unlink()
    assert not holds_the_example(tmp_path / "copy")


def test_example_covers_every_kind():
    checked = check_content(ROOT / "content", EXAMPLE_TODAY)
    missing = [kind for kind in KINDS if not checked.index.of_kind(kind)]
    assert missing == []


def test_example_files_carry_a_schema_comment():
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../../schemas/"), path
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.is_file(), (path, schema)


def test_example_site_builds(tmp_path: Path):
    from generator.cli import main

    assert main(["build", "--content", str(ROOT / "content"), "--site-dir", str(tmp_path / "site"),
                 "--today", EXAMPLE_TODAY.isoformat(), "--config", str(ROOT / "mkdocs.yml")]) == 0
    assert (tmp_path / "site/records/continuity_plan/index.html").is_file()
