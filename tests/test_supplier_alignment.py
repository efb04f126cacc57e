"""Supplier alignment (issue 12, part 3): stated supports, units normalised, series combined,
recorded checks and risk acceptances held against the computation."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.figures.alignment import duration_minutes, quantity
from tests.conftest import PERSON
from tests.test_checks import codes

APPROVED = "status: approved\napproval: {by: PER-ANI, authority: Director, date: 2026-01-10}\n"

BASE = {
    "people/ani.yaml": PERSON,
    "people/org.yaml": "kind: organisation\nid: ORG-C\ntitle: Customer\nowner: PER-ANI\nroles: [customer]\n",
    "people/sup.yaml": "kind: organisation\nid: ORG-S\ntitle: Supplier\nowner: PER-ANI\nroles: [external_supplier]\n",
    "people/ops.yaml": "kind: organisation\nid: ORG-OPS\ntitle: Operations\nowner: PER-ANI\nroles: [internal_supplier]\n",
    "services/a.yaml": "kind: service\nid: SVC-A\ntitle: A\nowner: PER-ANI\ncriticality: high\n",
}

# Line 14: targets[0] (avail); line 15: targets[1] (p1-resolution); line 16: underpinned_by.
SLA = f"""\
kind: sla
id: SLA-A
title: SLA for A
owner: PER-ANI
{APPROVED}service: SVC-A
customer: ORG-C
agreed: 2026-01-01
reporting_interval: P1M
no_exceptions: true
workload_limits: [{{metric: users, limit: 100, unit: users, period: month}}]
targets:
  - {{id: avail, metric: availability, description: d, target: 99.9, unit: "%", comparison: at_least, period: month}}
  - {{id: p1-resolution, metric: resolution_time, description: d, target: 4, unit: hours, comparison: at_most, period: month}}
underpinned_by: [SC-1, IA-1]
"""


def contract(targets: str, extra: str = "") -> str:
    """A supplier contract SC-1 whose targets (YAML list items) start on line 13."""
    return f"""\
kind: supplier_contract
id: SC-1
title: Circuits
owner: PER-ANI
{APPROVED}supplier: ORG-S
reference: R-1
start: 2026-01-01
scope: Circuits.
manager: PER-ANI
targets:
{targets}{extra}{CONTRACT_PARTS}"""


CONTRACT_PARTS = """\
requirements: [Diverse paths]
responsibilities: [{party: supplier, responsibility: Repairs the circuits}]
interfaces: [{name: Fault hand-off, description: Our NOC calls theirs}]
"""


def agreement(targets: str) -> str:
    """An internal agreement IA-1 whose targets start on line 10."""
    return f"""\
kind: internal_agreement
id: IA-1
title: Network operations
owner: PER-ANI
{APPROVED}provider: ORG-OPS
manager: PER-ANI
targets:
{targets}activities: [Network monitoring]
interfaces: [{{name: Incident hand-off, description: Tickets in the NetOps queue}}]
"""


def target(key: str, metric: str, value: float, unit: str, comparison: str, supports: str) -> str:
    return (f"  - {{id: {key}, metric: {metric}, description: d, target: {value}, unit: \"{unit}\", "
            f"comparison: {comparison}, period: month, supports: [{supports}]}}\n")


def avail(value: float, unit: str = "%", supports: str = "SLA-A#avail", key: str = "avail") -> str:
    return target(key, "availability", value, unit, "at_least", supports)


def fix(value: float, unit: str, supports: str = "SLA-A#p1-resolution", key: str = "fix") -> str:
    return target(key, "resolution_time", value, unit, "at_most", supports)


def tree(sla: str = SLA, sc: str | None = None, ia: str | None = None, **files: str) -> dict[str, str]:
    out = {**BASE, "service_levels/sla.yaml": sla, **files}
    out["suppliers/sc.yaml"] = sc if sc is not None else contract(avail(99.99) + fix(3, "hours"))
    out["suppliers/ia.yaml"] = ia if ia is not None else agreement(avail(99.95) + fix(30, "minutes", key="pickup"))
    return out


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(("value", "unit", "dimension", "base"), [
    (99.9, "%", "percent", 99.9), (99.9, "percent", "percent", 99.9), (99.9, "Persen", "percent", 99.9),
    (15, "min", "duration", 15), (15, "minutes", "duration", 15), (15, "menit", "duration", 15),
    (4, "h", "duration", 240), (4, "hours", "duration", 240), (4, "jam", "duration", 240),
    (2, "d", "duration", 2880), (2, "days", "duration", 2880), (2, "hari", "duration", 2880),
    (1, "PT4H", "duration", 240), (2, "PT1H30M", "duration", 180), (1, "P1D", "duration", 1440),
])
def test_units_normalised(value, unit, dimension, base):
    q = quantity(value, unit)
    assert (q.dimension, q.value, q.known) == (dimension, base, True)


def test_unknown_unit_is_not_a_known_quantity():
    assert not quantity(5, "working days").known
    assert duration_minutes("PT") is None and duration_minutes("4 hours") is None


# --------------------------------------------------------------------------- stated supports


def test_aligned_chain_is_clean(check_tree):
    # 99.99 % x 99.95 % = 99.940 % >= 99.9 %; 3 h + 30 min = 3.5 h <= 4 h.
    assert check_tree(tree()) == []


def test_percent_written_as_a_word_is_compared(check_tree):
    # The issue's silent pass: 'percent' was never compared with '%'.
    lines = check_tree(tree(sc=contract(avail(99.5, "percent") + fix(3, "hours"))))
    assert lines == [
        "content/service_levels/sla.yaml:14:63: warning[supplier-chain-weaker]: targets[0].target: 'avail' needs "
        "at least 99.9 %, but the underpinning targets in series, multiplied, give only 99.450 % (SC-1 'avail' "
        "99.5 percent (= 99.5 %) x IA-1 'avail' 99.95 %)",
        "content/service_levels/sla.yaml:16:18: error[supplier-weaker]: underpinned_by[0]: SC-1 'avail' promises "
        "at least 99.5 percent (= 99.5 %), weaker than this SLA's 'avail' (at least 99.9 %)",
    ]


def test_indonesian_and_iso_units_compare(check_tree):
    sc = contract(avail(99.99, "persen") + fix(1, "PT3H"))
    ia = agreement(avail(99.95) + fix(30, "menit", key="pickup"))
    assert check_tree(tree(sc=sc, ia=ia)) == []


def test_no_pairing_by_metric_or_id(check_tree):
    # A same-metric, same-id target that supports nothing is not compared: no made-up supplier-weaker.
    sc = contract(avail(99.99) + fix(3, "hours") + target("p1-resolution", "resolution_time", 24, "hours",
                                                          "at_most", "SLA-B#x").replace(", supports: [SLA-B#x]", ""))
    assert check_tree(tree(sc=sc)) == []


def test_underpinning_that_states_no_support(check_tree):
    sc = contract("  - {id: avail, metric: availability, description: d, target: 99.99, unit: '%', "
                  "comparison: at_least, period: month}\n")
    lines = check_tree(tree(sc=sc))
    assert lines == [
        "content/service_levels/sla.yaml:16:18: warning[alignment-unstated]: underpinned_by[0]: SC-1 underpins "
        "this SLA, but none of its targets says which target of SLA-A it supports: add 'supports: [SLA-A#<target>]' "
        "to the targets of SC-1 that this SLA depends on",
    ]


def test_unknown_unit_is_a_finding(check_tree):
    lines = check_tree(tree(sc=contract(avail(99.99) + fix(3, "jams"))))
    assert lines == [
        "content/suppliers/sc.yaml:14:73: error[unit-unknown]: targets[1].unit: unit 'jams' is not known, so this "
        "target cannot be compared with the SLA target it supports; known units: %, percent, persen; min, "
        "minutes, menit; h, hours, jam; d, days, hari; ISO 8601 durations such as PT1H",
    ]


def test_supports_unknown_sla_or_target(check_tree):
    sc = contract(avail(99.99, supports="SLA-A#avial") + fix(3, "hours", supports="SLA-Z#fix"))
    lines = check_tree(tree(sc=sc))
    assert codes(lines) == [("supports-unknown", 13, 129), ("supports-unknown", 14, 129)]
    assert lines[0].endswith("targets[0].supports[0]: SLA-A has no target 'avial' (its targets: avail, p1-resolution)")
    assert lines[1].endswith("targets[1].supports[0]: 'SLA-Z' is not a known SLA")


def test_supports_an_sla_that_does_not_list_the_contract(check_tree):
    lines = check_tree(tree(sla=SLA.replace("underpinned_by: [SC-1, IA-1]", "underpinned_by: [IA-1]")))
    assert codes(lines) == [("supports-unlisted", 13, 129), ("supports-unlisted", 14, 129)]
    assert lines[0].endswith("targets[0].supports[0]: supports SLA-A 'avail', but SLA-A does not list SC-1 in "
                             "underpinned_by: add it there, or remove this entry")


def test_supports_incompatible(check_tree):
    sc = contract(target("avail", "availability", 15, "minutes", "at_most", "SLA-A#avail")
                  + target("fix", "resolution_time", 3, "hours", "at_least", "SLA-A#p1-resolution"))
    lines = check_tree(tree(sc=sc))
    assert codes(lines) == [("supports-incompatible", 13, 131), ("supports-incompatible", 14, 130)]
    assert lines[0].endswith("'avail' is measured in 'minutes' (a time), SLA-A 'avail' in '%' (a percentage): "
                             "one cannot support the other")
    assert lines[1].endswith("'fix' is at least, SLA-A 'p1-resolution' is at most: one promises a floor, the "
                             "other a ceiling")


def test_times_in_series_add_up(check_tree):
    # 3.5 h + 45 min = 4.25 h > 4 h, though each alone is within 4 h.
    lines = check_tree(tree(sc=contract(avail(99.99) + fix(3.5, "hours")),
                            ia=agreement(avail(99.95) + fix(45, "minutes", key="pickup"))))
    assert lines == [
        "content/service_levels/sla.yaml:15:74: warning[supplier-chain-weaker]: targets[1].target: "
        "'p1-resolution' needs at most 4 hours, but the underpinning targets in series, added up, give only "
        "4.25 hours (SC-1 'fix' 3.5 hours + IA-1 'pickup' 45 minutes (= 0.75 hours))",
    ]


def test_standby_is_compared_alone_and_left_out_of_the_series(check_tree):
    # As standby, IA-1 (99.5 %) is still weaker on its own, but the series is SC-1 alone.
    sla = SLA + "standby: [IA-1]\n"
    lines = check_tree(tree(sla=sla, ia=agreement(avail(99.5) + fix(30, "minutes", key="pickup"))))
    assert codes(lines) == [("supplier-weaker", 16, 24)]


# --------------------------------------------------------------------------- recorded checks


ALIGNMENT_CHECK = """\
alignment_checks:
  - {date: 2026-03-01, slas: [SLA-A], aligned: false, gaps: 'Old terms.'}
  - {date: 2026-07-01, slas: [SLA-A], aligned: true}
"""


def test_recorded_check_saying_aligned_while_it_is_not(check_tree):
    # The issue's SC-ISP: the chain gives 99.450 % and the latest recorded check says aligned.
    lines = check_tree(tree(sc=contract(avail(99.5) + fix(3, "hours"), ALIGNMENT_CHECK)))
    assert "content/suppliers/sc.yaml:17:48: error[alignment-record-contradicted]: alignment_checks[1].aligned: " \
        "the alignment check of 2026-07-01 says aligned, but the targets of SC-1 fall short of SLA-A 'avail' " \
        "(see the supplier-weaker and supplier-chain-weaker findings of those SLAs): record the gap and its " \
        "treatment" in lines


def test_recorded_check_that_states_the_gap(check_tree):
    honest = ALIGNMENT_CHECK.replace("aligned: true}", "aligned: false, gaps: 'Circuits 99.5 %.'}")
    lines = check_tree(tree(sc=contract(avail(99.5) + fix(3, "hours"), honest)))
    assert "alignment-record-contradicted" not in " ".join(lines)
    # An aligned record is fine while the computation agrees.
    assert check_tree(tree(sc=contract(avail(99.99) + fix(3, "hours"), ALIGNMENT_CHECK))) == []


def test_strongest_link_of_a_short_series_is_not_blamed(check_tree):
    # 99.99 % x 99.9 % = 99.890 %: the agreement's 99.9 % is the weakest link, not the contract's 99.99 %.
    lines = check_tree(tree(sc=contract(avail(99.99) + fix(3, "hours"), ALIGNMENT_CHECK),
                            ia=agreement(avail(99.9) + fix(30, "minutes", key="pickup"))))
    assert codes(lines) == [("supplier-chain-weaker", 14, 63)]


# --------------------------------------------------------------------------- risk acceptance


def accepted(until: str, value: str = "") -> str:
    extra = f", accepted_value: {value}" if value else ""
    return SLA + (f"risk_acceptances:\n  - {{target: avail, by: PER-ANI, authority: Director, date: 2026-07-01, "
                  f"until: {until}, reason: Second route ordered{extra}}}\n")


def test_shortfall_accepted_while_in_force(check_tree):
    lines = check_tree(tree(sla=accepted("2027-03-31", "99.4"), sc=contract(avail(99.5, "percent") + fix(3, "hours"))))
    assert lines == [
        "content/service_levels/sla.yaml:18:5: info[supplier-shortfall-accepted]: risk_acceptances[0]: accepted "
        "risk until 2027-03-31 by PER-ANI (Director) on 2026-07-01: SC-1 'avail' promises at least 99.5 percent "
        "(= 99.5 %), weaker than this SLA's 'avail' (at least 99.9 %); 'avail' needs at least 99.9 %, but the "
        "underpinning targets in series, multiplied, give only 99.450 % (SC-1 'avail' 99.5 percent (= 99.5 %) x "
        "IA-1 'avail' 99.95 %). Reason: Second route ordered",
    ]


def test_shortfall_again_once_the_acceptance_expires(check_tree):
    files = tree(sla=accepted("2026-10-31"), sc=contract(avail(99.5) + fix(3, "hours")))
    lines = check_tree(files)
    assert codes(lines) == [("supplier-chain-weaker", 14, 63), ("supplier-weaker", 16, 18)]
    assert lines[1].endswith("(the risk acceptance by PER-ANI expired on 2026-10-31)")
    # The day before it expires it still holds.
    assert codes(check_tree(files, today=dt.date(2026, 10, 31))) == [("supplier-shortfall-accepted", 18, 5)]


def test_shortfall_beyond_the_accepted_value(check_tree):
    lines = check_tree(tree(sla=accepted("2027-03-31", "99.8"), sc=contract(avail(99.5) + fix(3, "hours"))))
    assert codes(lines) == [("supplier-chain-weaker", 14, 63), ("supplier-weaker", 16, 18)]
    assert lines[1].endswith("(worse than the 99.8 % accepted by PER-ANI until 2027-03-31)")


def test_acceptance_of_an_unknown_target(check_tree):
    sla = accepted("2027-03-31").replace("{target: avail,", "{target: avial,")
    lines = check_tree(tree(sla=sla))
    assert codes(lines) == [("acceptance-target-unknown", 18, 14)]
