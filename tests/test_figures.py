"""Computed figures against hand-computed cases (the arithmetic is written next to each)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from generator.figures import (
    availability as figures_availability, relationship as figures_relationship, security as figures_security,
    service_levels as figures_service_levels
)
from generator.compliance import export as figures_export
from generator.content.index import Index, build_index
from generator.content.loader import LoadResult, load_text

HEAD = "owner: PER-ANI\ntitle: t\n"


def index_of(*texts: str) -> Index:
    """Index the records in ``texts`` (YAML, one file each); the texts must load cleanly."""
    result = LoadResult()
    for i, text in enumerate(texts):
        load_text(textwrap.dedent(text), f"f{i}.yaml", result)
    assert [f.text() for f in result.findings] == []
    return build_index(result)


def rec(kind: str, rid: str, body: str) -> str:
    return f"kind: {kind}\nid: {rid}\n{HEAD}" + textwrap.dedent(body)


def outage(rid: str, start: str, end: str | None, planned: bool = False, exception: str | None = None,
           service: str = "SVC-A") -> str:
    lines = [f"service: {service}", f"start: {start}", f"planned: {'true' if planned else 'false'}",
             "summary: s"]
    if end:
        lines.append(f"end: {end}")
    if exception:
        lines.append(f"exception: {exception}")
    return rec("outage", rid, "\n".join(lines) + "\n")


SERVICE = rec("service", "SVC-A", "criticality: high\n")
REQ = rec("availability_requirement", "AR-A", """\
    service: SVC-A
    target: 99.9
    period: month
    service_hours: 24x7
    monitoring_since: 2026-03-01
    excluded: [Planned maintenance]
""")
# Monitoring watched SVC-A all of 2026 (a month counts as measured only where such a record says so).
COVERAGE = rec("monitoring_coverage", "MON-A", """\
    service: SVC-A
    source: Probe every 60 s
    start: 2026-01-01
    end: 2026-12-31
""")
SLA = rec("sla", "SLA-A", """\
    service: SVC-A
    customer: ORG-C
    agreed: 2026-01-01
    reporting_interval: P1M
    exceptions:
      - {name: Vendor window, description: Supplier maintenance}
    targets:
      - {id: avail, metric: availability, description: d, target: 99.9, unit: "%", comparison: at_least, period: month}
      - {id: p1-response, metric: response_time, description: d, target: 15, unit: minutes, comparison: at_most, period: month}
    workload_limits:
      - {metric: tickets, limit: 500, unit: tickets, period: month}
""")


# --------------------------------------------------------------------------- availability


def test_overlapping_outages_are_merged_and_planned_exceptions_excluded():
    index = index_of(SERVICE, COVERAGE, REQ, SLA,
                     outage("O1", "2026-04-10T10:00:00+07:00", "2026-04-10T11:00:00+07:00"),
                     outage("O2", "2026-04-10T10:30:00+07:00", "2026-04-10T11:30:00+07:00"),
                     # planned under the requirement's exclusion, and under the SLA's: neither counts
                     outage("O3", "2026-04-12T01:00:00+07:00", "2026-04-12T05:00:00+07:00", True, "Planned maintenance"),
                     outage("O4", "2026-04-13T01:00:00+07:00", "2026-04-13T05:00:00+07:00", True, "Vendor window"),
                     # planned but under no agreed exception: counts
                     outage("O5", "2026-04-14T01:00:00+07:00", "2026-04-14T01:12:00+07:00", True, "Whim"))
    a = figures_availability.availability(index, "SVC-A", "2026-04")
    # April: 30 * 1440 = 43200 minutes. O1 U O2 = 10:00-11:30 = 90 min; O5 = 12 min -> 102 min.
    # 100 * (1 - 102 / 43200) = 99.763888...%, below 99.9 -> missed.
    assert a.minutes_in_period == 43200
    assert a.downtime_minutes == 102
    assert a.availability_pct == pytest.approx(99.7638889, abs=1e-6)
    assert (a.target, a.met, a.complete, a.outages) == (99.9, False, True, ("O1", "O2", "O5"))


def test_outages_are_clipped_to_the_month_and_naive_times_are_jakarta():
    index = index_of(SERVICE, COVERAGE, REQ,
                     # 2026-04-30T23:00 WIB to 2026-05-01T01:00 WIB: 60 minutes in April, 60 in May
                     outage("O1", "2026-04-30T23:00:00", "2026-05-01T01:00:00"),
                     # 2026-04-30T17:30Z = 2026-05-01T00:30 WIB: a May outage, 00:30-00:45 -> inside O1
                     outage("O2", "2026-04-30T17:30:00Z", "2026-04-30T17:45:00Z"))
    april = figures_availability.availability(index, "SVC-A", "2026-04")
    may = figures_availability.availability(index, "SVC-A", "2026-05")
    assert (april.downtime_minutes, april.outages) == (60, ("O1",))
    # May: 31 * 1440 = 44640 minutes; O1 part 00:00-01:00 contains O2 -> 60 min.
    # 100 * (1 - 60 / 44640) = 99.865591...%
    assert (may.minutes_in_period, may.downtime_minutes, may.outages) == (44640, 60, ("O1", "O2"))
    assert may.availability_pct == pytest.approx(99.8655914, abs=1e-6)
    assert may.met is False


def test_ongoing_outage_counts_until_as_of_or_period_end():
    index = index_of(SERVICE, COVERAGE, REQ, outage("O1", "2026-06-29T00:00:00+07:00", None))
    # As of 2026-06-30 (00:00 WIB): window June 1 - June 30 = 29 days = 41760 min; down 24 h = 1440 min.
    # 100 * (1 - 1440 / 41760) = 96.551724...%; the month is not over.
    partial = figures_availability.availability(index, "SVC-A", "2026-06", as_of=dt.date(2026, 6, 30))
    assert (partial.minutes_in_period, partial.downtime_minutes, partial.complete) == (41760, 1440, False)
    assert partial.availability_pct == pytest.approx(96.5517241, abs=1e-6)
    # Without an as-of time the whole month: 43200 min, down June 29 - July 1 = 2880 min.
    # 100 * (1 - 2880 / 43200) = 93.333...%
    whole = figures_availability.availability(index, "SVC-A", "2026-06")
    assert (whole.minutes_in_period, whole.downtime_minutes, whole.complete) == (43200, 2880, True)
    assert whole.availability_pct == pytest.approx(93.3333333, abs=1e-6)
    # July, as of 2026-07-02T12:00 WIB: 1.5 days = 2160 minutes, all of them down -> 0 %.
    july = figures_availability.availability(index, "SVC-A", "2026-07", as_of=dt.datetime(2026, 7, 2, 12, 0))
    assert (july.minutes_in_period, july.downtime_minutes, july.availability_pct) == (2160, 2160, 0.0)


def test_no_data_before_monitoring_or_without_requirement_is_never_100():
    index = index_of(SERVICE, COVERAGE, REQ, rec("service", "SVC-B", "criticality: low\n"))
    before = figures_availability.availability(index, "SVC-A", "2026-02")  # monitoring_since 2026-03-01
    assert (before.availability_pct, before.met, before.target) == (None, None, 99.9)
    none = figures_availability.availability(index, "SVC-B", "2026-04")
    assert (none.availability_pct, none.met, none.target) == (None, None, None)
    future = figures_availability.availability(index, "SVC-A", "2026-12", as_of=dt.date(2026, 11, 24))
    assert future.availability_pct is None
    # No outage in March: 100 %, met, because it was measured.
    assert figures_availability.availability(index, "SVC-A", "2026-03").availability_pct == 100.0


def test_monitoring_start_mid_month_measures_from_that_day():
    req = REQ.replace("monitoring_since: 2026-03-01", "monitoring_since: 2026-03-21")
    index = index_of(SERVICE, COVERAGE, req, outage("O1", "2026-03-20T23:00:00+07:00", "2026-03-21T00:30:00+07:00"))
    # March 21 00:00 - April 1 00:00 = 11 days = 15840 min; only the 30 minutes after 00:00 count.
    a = figures_availability.availability(index, "SVC-A", "2026-03")
    assert (a.minutes_in_period, a.downtime_minutes) == (15840, 30)


def test_availability_table_runs_from_monitoring_start_to_as_of():
    index = index_of(SERVICE, COVERAGE, REQ, rec("service", "SVC-B", "criticality: low\n"))
    rows = figures_availability.availability_table(index, as_of=dt.date(2026, 5, 10))
    # SVC-A: March, April, May (partial); SVC-B has no requirement -> no rows.
    assert [(r.service, r.period, r.complete) for r in rows] == [
        ("SVC-A", "2026-03", True), ("SVC-A", "2026-04", True), ("SVC-A", "2026-05", False)]
    # As of the first of a month, that month has not started: it is not listed.
    assert [r.period for r in figures_availability.availability_table(index, as_of=dt.date(2026, 5, 1))] == ["2026-03", "2026-04"]
    given = figures_availability.availability_table(index, ["2026-04"])
    assert [(r.service, r.availability_pct) for r in given] == [("SVC-A", 100.0), ("SVC-B", None)]


def coverage(rid: str, start: str, end: str, gaps: str = "") -> str:
    body = f"service: SVC-A\nsource: Probe every 60 s\nstart: {start}\nend: {end}\n"
    return rec("monitoring_coverage", rid, body + (f"gaps:\n{textwrap.indent(gaps, '  ')}" if gaps else ""))


def test_a_month_no_coverage_record_covers_is_no_data_never_100():
    # Covered: March only. April has an outage record but no monitoring: still no data.
    index = index_of(SERVICE, REQ, coverage("MON-1", "2026-03-01", "2026-03-31"),
                     outage("O1", "2026-04-10T10:00:00+07:00", "2026-04-10T11:00:00+07:00"))
    march, april = (figures_availability.availability(index, "SVC-A", p) for p in ("2026-03", "2026-04"))
    assert (march.availability_pct, march.met, march.status, march.coverage) == (100.0, True, "met", ("MON-1",))
    assert (april.availability_pct, april.met, april.status, april.monitored_minutes) == (None, None, "no_data", 0)
    assert april.downtime_minutes == 60  # known downtime is still reported
    rows = figures_availability.availability_table(index, as_of=dt.date(2026, 5, 10))
    assert [(r.period, r.status) for r in rows] == [("2026-03", "met"), ("2026-04", "no_data"), ("2026-05", "no_data")]
    payload = figures_export.figures_payload(index, dt.date(2026, 5, 10))["availability"]
    assert [(r["period"], r["availability_pct"], r["status"]) for r in payload] == [
        ("2026-03", 100.0, "met"), ("2026-04", None, "no_data"), ("2026-05", None, "no_data")]


def test_gaps_are_left_out_of_the_measured_time_but_recorded_outages_count():
    gaps = ("- {start: 2026-04-10T00:00:00+07:00, end: 2026-04-11T00:00:00+07:00, reason: Probe down}\n"
            "- {start: 2026-04-20T00:00:00, end: 2026-04-20T12:00:00, reason: Upgrade}\n")
    # Coverage April 1-15 with two gaps; O1 falls inside the first gap, O2 after the coverage ends.
    index = index_of(SERVICE, REQ, coverage("MON-1", "2026-04-01", "2026-04-15", gaps),
                     outage("O1", "2026-04-10T10:00:00+07:00", "2026-04-10T11:00:00+07:00"),
                     outage("O2", "2026-04-25T10:00:00+07:00", "2026-04-25T10:30:00+07:00"))
    a = figures_availability.availability(index, "SVC-A", "2026-04")
    # Monitored: April 1-15 = 15 days = 21600 min, less the first gap (1440 min; the second lies
    # outside the period) = 20160, plus the outages the monitoring missed: O1 60 (in the gap) and
    # O2 30 (after the period) -> 20250 measured, 90 down: 100 * (1 - 90 / 20250) = 99.555...%
    assert (a.minutes_in_period, a.monitored_minutes, a.downtime_minutes) == (43200, 20250, 90)
    assert a.availability_pct == pytest.approx(99.5555556, abs=1e-6)
    assert (a.met, a.status) == (False, "missed")


def test_overlapping_coverage_records_count_once():
    index = index_of(SERVICE, REQ, coverage("MON-1", "2026-04-01", "2026-04-20"),
                     coverage("MON-2", "2026-04-10", "2026-04-30"),
                     outage("O1", "2026-04-10T10:00:00+07:00", "2026-04-10T11:00:00+07:00"))
    a = figures_availability.availability(index, "SVC-A", "2026-04")
    assert (a.monitored_minutes, a.downtime_minutes, a.coverage) == (43200, 60, ("MON-1", "MON-2"))


# --------------------------------------------------------------------------- SLA attainment and workload


def test_sla_attainment_judges_each_result_in_its_direction():
    report = rec("sla_report", "R-1", """\
        sla: SLA-A
        period: "2026-04"
        results:
          - {target: avail, actual: 99.9}
          - {target: p1-response, actual: 16}
          - {target: nope, actual: 1}
    """)
    rows = figures_service_levels.sla_attainment(index_of(SERVICE, SLA, report))
    # 99.9 >= 99.9 (at_least) met; 16 > 15 (at_most) missed; unknown key: not judged.
    assert [(r.target, r.threshold, r.actual, r.met) for r in rows] == [
        ("avail", 99.9, 99.9, True), ("p1-response", 15.0, 16.0, False), ("nope", None, 1.0, None)]


def test_workload_change_since_the_previous_month():
    def wl(rid: str, period: str, value: float) -> str:
        return rec("workload_report", rid, f'sla: SLA-A\nperiod: "{period}"\nactuals:\n  - {{metric: tickets, value: {value}}}\n')

    rows = figures_service_levels.workload_table(index_of(SERVICE, SLA, wl("W1", "2026-01", 400), wl("W2", "2026-02", 520),
                                     wl("W4", "2026-04", 450)))
    # Feb: 520 - 400 = +120, 120 / 400 = +30 %, over the 500 limit. April: March missing -> no change.
    assert [(r.period, r.within, r.change, r.change_pct) for r in rows] == [
        ("2026-01", True, None, None), ("2026-02", False, 120.0, 30.0), ("2026-04", True, None, None)]
    assert rows[1].previous_period == "2026-01" and rows[1].limit == 500


# --------------------------------------------------------------------------- supplier alignment


def contract(rid: str, avail: float, supports: str = "") -> str:
    return rec("supplier_contract", rid, f"""\
        supplier: ORG-S
        reference: R
        start: 2026-01-01
        scope: s
        manager: PER-ANI
        targets:
          - {{id: up, metric: availability, description: d, target: {avail}, unit: "%", comparison: at_least, period: month{supports}}}
    """)


def test_exported_alignment_holds_only_the_stated_pairs():
    """The export's supplier alignment is generator.figures.alignment's: a contract target that states no
    `supports` is not compared, however well its metric and unit match (the old figure guessed)."""
    sla = SLA.replace("reporting_interval: P1M", "reporting_interval: P1M\nunderpinned_by: [SC-1, SC-2]")
    index = index_of(SERVICE, sla, contract("SC-1", 99.99, ", supports: [SLA-A#avail]"), contract("SC-2", 99.0))
    payload = figures_export.figures_payload(index, dt.date(2026, 11, 24))["supplier_alignment"]
    (target,) = payload["targets"]
    assert (target["sla"], target["sla_target"]) == ("SLA-A", "avail")
    assert [s["underpinning"] for s in target["supporters"]] == ["SC-1"]  # SC-2 (99.0 %) is not guessed in
    assert target["aligned"] is True and target["chain_aligned"] is True
    assert payload["unstated"] == [{"sla": "SLA-A", "underpinning": "SC-2"}]


# --------------------------------------------------------------------------- incidents and complaints


def incident(rid: str, reported: str, type_: str, priority: str, escalated: bool, closed: str | None) -> str:
    state = "closed" if closed else "open"
    body = (f"reported: {reported}\ntype: {type_}\nseverity: low\npriority: {priority}\nimpact: i\n"
            f"escalated: {'true' if escalated else 'false'}\nstate: {state}\n")
    if closed:
        body += f"closed: {closed}\n"
    return rec("security_incident", rid, body)


def test_security_incident_stats():
    index = index_of(
        incident("S1", "2026-01-05T08:00:00+07:00", "phishing", "P3", False, "2026-01-05T18:00:00+07:00"),
        incident("S2", "2026-01-31T20:00:00+07:00", "phishing", "P1", True, "2026-02-02T20:00:00+07:00"),
        incident("S3", "2026-03-10T08:00:00", "malware", "P2", True, None),
    )
    s = figures_security.security_incident_stats(index)
    # closing times: S1 10 h, S2 48 h -> median (10 + 48) / 2 = 29, mean 29; escalated 2 of 3.
    assert (s.total, s.escalated, s.closed) == (3, 2, 2)
    assert s.escalation_rate == pytest.approx(2 / 3)
    assert (s.hours_to_close_median, s.hours_to_close_mean) == (29.0, 29.0)
    assert dict(s.by_type)["phishing"] == 2 and dict(s.by_type)["malware"] == 1 and dict(s.by_type)["other"] == 0
    assert s.by_priority == (("P1", 1), ("P2", 1), ("P3", 1), ("P4", 0))
    assert s.by_month == (("2026-01", 2), ("2026-02", 0), ("2026-03", 1))


def complaint(rid: str, received: str, state: str, escalated: bool = False, closed: str | None = None) -> str:
    body = (f"received: {received}\nchannel: email\ncustomer: ORG-C\nservice: SVC-A\nstate: {state}\n"
            f"escalated: {'true' if escalated else 'false'}\nsummary: s\n")
    if closed:
        body += f"closed: {closed}\n"
    return rec("complaint", rid, body)


def test_complaint_stats():
    index = index_of(
        complaint("C1", "2026-03-01T09:00:00+07:00", "closed", closed="2026-03-02T09:00:00+07:00"),
        complaint("C2", "2026-03-01T09:00:00+07:00", "closed", True, closed="2026-03-03T09:00:00+07:00"),
        complaint("C3", "2026-03-01T09:00:00+07:00", "closed", closed="2026-03-06T09:00:00+07:00"),
        complaint("C4", "2026-11-10T09:00:00+07:00", "open", True),
    )
    c = figures_relationship.complaint_stats(index, dt.date(2026, 11, 24))
    # closing times 24, 48, 120 h: median 48, mean 192 / 3 = 64; escalated 2 of 4 = 0.5.
    assert (c.total, c.closed, c.hours_to_close_median, c.hours_to_close_mean) == (4, 3, 48.0, 64.0)
    assert (c.escalated, c.escalation_rate) == (2, 0.5)
    # C4: 2026-11-10 09:00 to 2026-11-24 00:00 = 13 days 15 hours -> 13 whole days.
    assert [(o.id, o.age_days) for o in c.open] == [("C4", 13)]


# --------------------------------------------------------------------------- surveys


def test_required_sample_size_cochran():
    # z = 1.959964; n0 = 1.959964^2 * 0.25 / 0.05^2 = 384.146; N = 3350:
    # n = 384.146 / (1 + 383.146 / 3350) = 384.146 / 1.114372 = 344.72 -> 345.
    assert figures_relationship.required_sample_size(3350) == 345
    # N = 100: n = 384.146 / (1 + 383.146 / 100) = 384.146 / 4.83146 = 79.51 -> 80.
    assert figures_relationship.required_sample_size(100) == 80
    # 99 % (z = 2.575829), 3 %: n0 = 6.634897 * 0.25 / 0.0009 = 1843.03; N = 10000:
    # n = 1843.03 / (1 + 1842.03 / 10000) = 1843.03 / 1.184203 = 1556.35 -> 1557.
    assert figures_relationship.required_sample_size(10000, 0.99, 0.03) == 1557
    assert figures_relationship.required_sample_size(0) == 0


def test_survey_sampling_and_silent_segments():
    survey = rec("satisfaction_survey", "SV-1", """\
        date: 2026-09-30
        population: 100
        sample_size: 80
        invited: 100
        responses: 70
        analysis: a
        segments:
          - {name: big, population: 90, responses: 70}
          - {name: small, population: 10, responses: 0}
    """)
    (s,) = figures_relationship.survey_sampling(index_of(survey))
    # 70 responses < 80 required for N = 100 (see above).
    assert (s.required, s.responses, s.enough, s.silent_segments) == (80, 70, False, ("small",))
    assert [g.answered for g in s.segments] == [True, False]
