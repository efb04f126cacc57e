"""Computed figures: availability, SLA attainment, workload and handling statistics (supplier alignment:
:mod:`generator.alignment`, exported from here).

Every function here is pure: it reads the :class:`~generator.index.Index` (and the as-of date it is
given, never the clock) and returns small frozen dataclasses that dashboards, exports and checks
render or judge. Nothing here knows about findings or pages.

Times: naive datetimes in records are read as Western Indonesia Time (UTC+07:00, Asia/Jakarta,
which has no daylight saving), and calendar months (``YYYY-MM``) are months in that zone.
An as-of *date* means the start (00:00 WIB) of that day: nothing on or after it is known yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .alignment import Alignment, supplier_alignment
from .index import Index
from .models.security import IncidentType, Priority

__all__ = [
    "JAKARTA",
    "Attainment",
    "Availability",
    "ComplaintStats",
    "IncidentStats",
    "OpenComplaint",
    "SegmentCoverage",
    "SurveySampling",
    "Workload",
    "as_aware",
    "availability",
    "availability_table",
    "complaint_stats",
    "meets",
    "month_bounds",
    "months",
    "required_sample_size",
    "security_incident_stats",
    "sla_attainment",
    "survey_sampling",
    "workload_table",
]

JAKARTA = dt.timezone(dt.timedelta(hours=7), "WIB")

# Percent comparisons tolerate float noise: 100 * (1 - 21.6 / 43200) must meet 99.95.
_EPS = 1e-9

Comparison = Literal["at_least", "at_most"]


# --------------------------------------------------------------------------- time helpers


def as_aware(value: dt.datetime | dt.date) -> dt.datetime:
    """A timezone-aware datetime: naive datetimes are WIB, a date is 00:00 WIB that day."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=JAKARTA)
    return value if value.tzinfo is not None else value.replace(tzinfo=JAKARTA)


def month_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of the calendar month ``YYYY-MM`` in WIB."""
    year, month = (int(p) for p in period.split("-"))
    start = dt.datetime(year, month, 1, tzinfo=JAKARTA)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=JAKARTA)
    return start, end


def month_of(value: dt.datetime | dt.date) -> str:
    """The ``YYYY-MM`` (in WIB) that ``value`` falls in."""
    aware = as_aware(value).astimezone(JAKARTA)
    return f"{aware.year:04d}-{aware.month:02d}"


def months(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, both included (empty if ``last`` is earlier)."""
    y, m = (int(p) for p in first.split("-"))
    ly, lm = (int(p) for p in last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _previous_month(period: str) -> str:
    y, m = (int(p) for p in period.split("-"))
    return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"


def _minutes(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 60


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def meets(actual: float, threshold: float, comparison: str) -> bool:
    """True if ``actual`` satisfies ``threshold`` in the direction ``comparison`` (at_least / at_most)."""
    if comparison == "at_most":
        return actual <= threshold + _EPS
    return actual >= threshold - _EPS


def _median_mean(values: Sequence[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.median(values), statistics.fmean(values)


# --------------------------------------------------------------------------- 1. availability


@dataclass(frozen=True)
class Availability:
    """Measured availability of one service in one calendar month.

    ``minutes_in_period`` is the window: the month, clipped to the requirement's
    ``monitoring_since`` and to the as-of time. Only *monitored* time is measured: the time a
    ``monitoring_coverage`` record of the service covers, less its gaps, plus the time recorded
    outages took (known downtime counts even when the monitoring missed it).
    ``monitored_minutes`` is that time; availability is ``1 - downtime / monitored``.

    ``status`` is ``no_data`` (and ``availability_pct`` and ``met`` None, never 100 %) when there
    is nothing to judge from: no availability requirement, the month lies outside the window, or
    no coverage record covers any of it; else ``met`` or ``missed``. ``complete`` is True once the
    month has ended as of the as-of time.
    """

    service: str
    period: str
    minutes_in_period: float
    downtime_minutes: float
    availability_pct: float | None
    target: float | None
    met: bool | None
    complete: bool
    outages: tuple[str, ...]  # ids of the outages that counted as downtime
    monitored_minutes: float = 0.0
    status: Literal["met", "missed", "no_data"] = "no_data"
    coverage: tuple[str, ...] = ()  # ids of the monitoring coverage records that cover the month


def _naming(index: Index, service_id: str, kind: str) -> list[Any]:
    """Records of ``kind`` whose ``service`` field names ``service_id``, in id order (via back-references)."""
    found = {ref.source.record.id: ref.source.record for ref in index.referrers(service_id)
             if ref.path == ("service",) and ref.source.record.kind == kind}
    return [found[k] for k in sorted(found)]


def _requirement(index: Index, service_id: str) -> Any | None:
    for req in _naming(index, service_id, "availability_requirement"):
        if req.status != "retired":
            return req
    return None


def agreed_exceptions(index: Index, service_id: str) -> frozenset[str]:
    """Exception names under which planned outages of the service do not count.

    The union of the exceptions of every SLA for the service and the availability requirement's
    ``excluded`` list.
    """
    names = {e.name for sla in _naming(index, service_id, "sla") for e in sla.exceptions}
    req = _requirement(index, service_id)
    if req is not None:
        names.update(req.excluded)
    return frozenset(names)


def _merge(intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _total(spans: Iterable[tuple[dt.datetime, dt.datetime]]) -> float:
    return sum((_minutes(e - s) for s, e in spans), 0.0)


def _subtract(spans: list[tuple[dt.datetime, dt.datetime]],
              holes: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Merged ``spans`` less merged ``holes``."""
    out = []
    for start, end in spans:
        for h_start, h_end in holes:
            if h_end <= start or h_start >= end:
                continue
            if h_start > start:
                out.append((start, h_start))
            start = max(start, h_end)
            if start >= end:
                break
        if start < end:
            out.append((start, end))
    return out


def monitored_spans(index: Index, service_id: str, start: dt.datetime,
                    end: dt.datetime) -> tuple[list[tuple[dt.datetime, dt.datetime]], tuple[str, ...]]:
    """The times between ``start`` and ``end`` that monitoring coverage records of the service cover,
    less their gaps (merged, in order), and the ids of the records that cover any of it."""
    return _monitored(_naming(index, service_id, "monitoring_coverage"), start, end)


def _monitored(coverage: Iterable[Any], start: dt.datetime,
               end: dt.datetime) -> tuple[list[tuple[dt.datetime, dt.datetime]], tuple[str, ...]]:
    covered = []
    gaps = []
    ids = []
    for cov in coverage:
        if cov.status == "retired":
            continue
        c_start = max(as_aware(cov.start), start)
        c_end = min(as_aware(cov.end + dt.timedelta(days=1)), end)
        if c_end <= c_start:
            continue
        covered.append((c_start, c_end))
        ids.append(cov.id)
        gaps += [(as_aware(g.start), as_aware(g.end)) for g in cov.gaps if as_aware(g.end) > as_aware(g.start)]
    return _subtract(_merge(covered), _merge(gaps)), tuple(ids)


def availability(index: Index, service_id: str, period: str,
                 as_of: dt.date | dt.datetime | None = None) -> Availability:
    """Availability of ``service_id`` in the month ``period`` (``YYYY-MM``), as known at ``as_of``.

    Outages are clipped to the window and overlapping ones merged (their union counts once).
    Planned outages under an agreed exception (see :func:`agreed_exceptions`) do not count.
    An ongoing outage (no end) counts until the end of the window. Without ``as_of`` the whole
    month is measured. Only monitored time is measured (see :class:`Availability`).
    """
    return _availability(_ServiceRecords.of(index, service_id), period, as_of)


@dataclass(frozen=True)
class _ServiceRecords:
    """What one service's availability is computed from, looked up once for all its months."""

    service: str
    requirement: Any | None
    excepted: frozenset[str]
    outages: list[Any]
    coverage: list[Any]

    @classmethod
    def of(cls, index: Index, service_id: str) -> _ServiceRecords:
        return cls(service_id, _requirement(index, service_id), agreed_exceptions(index, service_id),
                   _naming(index, service_id, "outage"), _naming(index, service_id, "monitoring_coverage"))


def _availability(records: _ServiceRecords, period: str, as_of: dt.date | dt.datetime | None) -> Availability:
    service_id, req = records.service, records.requirement
    month_start, month_end = month_bounds(period)
    cutoff = as_aware(as_of) if as_of is not None else None
    complete = cutoff is None or month_end <= cutoff
    target = float(req.target) if req is not None else None
    if req is None:
        return Availability(service_id, period, 0.0, 0.0, None, None, None, complete, ())
    start = max(month_start, as_aware(req.monitoring_since))
    end = month_end if cutoff is None else min(month_end, cutoff)
    if end <= start:
        return Availability(service_id, period, 0.0, 0.0, None, target, None, complete, ())
    excepted = records.excepted
    spans = []
    counted = []
    for out in records.outages:
        if out.planned and out.exception is not None and out.exception in excepted:
            continue
        o_start = as_aware(out.start)
        o_end = as_aware(out.end) if out.end is not None else end
        s, e = max(o_start, start), min(o_end, end)
        if e > s:
            spans.append((s, e))
            counted.append(out.id)
    down_spans = _merge(spans)
    down = _total(down_spans)
    total = _minutes(end - start)
    watched, coverage = _monitored(records.coverage, start, end)
    if not watched:
        return Availability(service_id, period, total, down, None, target, None, complete, tuple(sorted(counted)),
                            0.0, "no_data", coverage)
    measured = _total(_merge([*watched, *down_spans]))
    pct = 100.0 * (1 - down / measured)
    met = meets(pct, target, "at_least")
    return Availability(service_id, period, total, down, pct, target, met, complete, tuple(sorted(counted)),
                        measured, "met" if met else "missed", coverage)


def availability_table(index: Index, periods: Sequence[str] | None = None, *,
                       as_of: dt.date | dt.datetime | None = None) -> list[Availability]:
    """Availability of every service, sorted by service then month.

    With ``periods``, every service in each of those months (services without an availability
    requirement show no data). Without, each service with a requirement in every month from its
    ``monitoring_since`` to the month of ``as_of`` (then required).
    """
    if periods is None and as_of is None:
        raise ValueError("availability_table needs periods or as_of")
    rows = []
    for loaded in index.of_kind("service"):
        sid = loaded.record.id
        records = _ServiceRecords.of(index, sid)
        if periods is not None:
            wanted = list(periods)
        else:
            req = records.requirement
            if req is None:
                continue
            assert as_of is not None
            last = month_of(as_aware(as_of) - dt.timedelta(microseconds=1))
            wanted = months(month_of(req.monitoring_since), last)
        rows.extend(_availability(records, p, as_of) for p in wanted)
    return rows


# --------------------------------------------------------------------------- 2. SLA attainment


@dataclass(frozen=True)
class Attainment:
    """One reported result of an SLA target in one month, judged against the target.

    ``threshold``, ``comparison``, ``metric``, ``unit`` and ``met`` are None when the result
    names a target key the SLA does not have.
    """

    sla: str
    period: str
    target: str
    metric: str | None
    unit: str | None
    comparison: str | None
    threshold: float | None
    actual: float
    met: bool | None
    report: str
    result_index: int  # position in the report's results (for locating findings)


def sla_attainment(index: Index, sla_id: str | None = None) -> list[Attainment]:
    """Every result of every SLA report (of ``sla_id`` only, if given), sorted by SLA, month, target."""
    rows = []
    for loaded in index.of_kind("sla_report"):
        rep = loaded.record
        if sla_id is not None and rep.sla != sla_id:
            continue
        sla = index.get(rep.sla)
        targets = {t.id: t for t in getattr(sla, "targets", [])} if sla is not None and sla.kind == "sla" else {}
        for i, res in enumerate(rep.results):
            t = targets.get(res.target)
            if t is None:
                rows.append(Attainment(rep.sla, rep.period, res.target, None, None, None, None,
                                       float(res.actual), None, rep.id, i))
            else:
                rows.append(Attainment(rep.sla, rep.period, res.target, t.metric, t.unit, t.comparison,
                                       float(t.target), float(res.actual),
                                       meets(res.actual, t.target, t.comparison), rep.id, i))
    rows.sort(key=lambda a: (a.sla, a.period, a.report, a.result_index))
    return rows


# --------------------------------------------------------------------------- 3. workload


@dataclass(frozen=True)
class Workload:
    """The reported workload for one SLA workload metric in one month, against its limit.

    ``within`` is None when the SLA has no limit of that name or the limit is not monthly.
    ``change`` and ``change_pct`` compare with the month before; None when that month has no
    report (the first month, or a gap) or, for the percentage, when the previous value was 0.
    """

    sla: str
    period: str
    metric: str
    value: float
    limit: float | None
    unit: str | None
    limit_period: str | None
    within: bool | None
    previous_period: str | None
    change: float | None
    change_pct: float | None
    report: str


def workload_table(index: Index, sla_id: str | None = None) -> list[Workload]:
    """Every workload actual of every workload report (of ``sla_id`` only, if given), sorted by SLA, metric, month."""
    values: dict[tuple[str, str, str], tuple[float, str]] = {}
    for loaded in index.of_kind("workload_report"):
        rep = loaded.record
        if sla_id is not None and rep.sla != sla_id:
            continue
        for act in rep.actuals:
            values.setdefault((rep.sla, act.metric, rep.period), (float(act.value), rep.id))
    rows = []
    for (sla_ref, metric, period), (value, report) in sorted(values.items()):
        sla = index.get(sla_ref)
        limits = getattr(sla, "workload_limits", []) if sla is not None and sla.kind == "sla" else []
        lim = next((w for w in limits if w.metric == metric), None)
        within = value <= lim.limit + _EPS if lim is not None and lim.period == "month" else None
        prev_period = _previous_month(period)
        prev = values.get((sla_ref, metric, prev_period))
        change = change_pct = None
        if prev is not None:
            change = value - prev[0]
            change_pct = 100.0 * change / prev[0] if prev[0] else None
        rows.append(Workload(sla_ref, period, metric, value,
                             float(lim.limit) if lim else None, lim.unit if lim else None,
                             lim.period if lim else None, within,
                             prev_period if prev is not None else None, change, change_pct, report))
    return rows


# --------------------------------------------------------------------------- 5. security incidents


@dataclass(frozen=True)
class IncidentStats:
    """Security incidents counted by type, priority and month (WIB, of ``reported``), with escalation and closing times.

    ``by_type`` and ``by_priority`` list every possible value (zeros included); ``by_month``
    every month from the first to the last reported. Rates are fractions (0..1), None without
    incidents; closing times are hours from reported to closed, over closed incidents only.
    """

    total: int
    by_type: tuple[tuple[str, int], ...]
    by_priority: tuple[tuple[str, int], ...]
    by_month: tuple[tuple[str, int], ...]
    escalated: int
    escalation_rate: float | None
    closed: int
    hours_to_close_median: float | None
    hours_to_close_mean: float | None


def security_incident_stats(index: Index) -> IncidentStats:
    """Statistics over every security incident."""
    incidents = [loaded.record for loaded in index.of_kind("security_incident")]
    types = Counter(i.type for i in incidents)
    prios = Counter(i.priority for i in incidents)
    per_month = Counter(month_of(i.reported) for i in incidents)
    month_list = months(min(per_month), max(per_month)) if per_month else []
    hours = [_hours(as_aware(i.closed) - as_aware(i.reported)) for i in incidents
             if i.state == "closed" and i.closed is not None]
    escalated = sum(1 for i in incidents if i.escalated)
    median, mean = _median_mean(hours)
    return IncidentStats(
        total=len(incidents),
        by_type=tuple((t, types[t]) for t in get_args(IncidentType)),
        by_priority=tuple((p, prios[p]) for p in get_args(Priority)),
        by_month=tuple((m, per_month[m]) for m in month_list),
        escalated=escalated,
        escalation_rate=escalated / len(incidents) if incidents else None,
        closed=len(hours),
        hours_to_close_median=median,
        hours_to_close_mean=mean,
    )


# --------------------------------------------------------------------------- 6. complaints


@dataclass(frozen=True)
class OpenComplaint:
    """A complaint not closed as of the date, with its age in whole days since it was received."""

    id: str
    service: str
    customer: str
    state: str
    received: dt.datetime
    age_days: int


@dataclass(frozen=True)
class ComplaintStats:
    """Complaint handling: closing times (hours, closed ones only), escalation, and what is still open.

    ``open`` lists complaints whose state is not 'closed' (open or resolved awaiting closure),
    oldest first.
    """

    total: int
    closed: int
    hours_to_close_median: float | None
    hours_to_close_mean: float | None
    escalated: int
    escalation_rate: float | None
    open: tuple[OpenComplaint, ...]


def complaint_stats(index: Index, as_of: dt.date | dt.datetime) -> ComplaintStats:
    """Statistics over every complaint, with open ones aged as of ``as_of``."""
    complaints = [loaded.record for loaded in index.of_kind("complaint")]
    cutoff = as_aware(as_of)
    hours = [_hours(as_aware(c.closed) - as_aware(c.received)) for c in complaints
             if c.state == "closed" and c.closed is not None]
    open_ = sorted(
        (OpenComplaint(c.id, c.service, c.customer, c.state, as_aware(c.received),
                       (cutoff - as_aware(c.received)).days)
         for c in complaints if c.state != "closed"),
        key=lambda o: (o.received, o.id),
    )
    escalated = sum(1 for c in complaints if c.escalated)
    median, mean = _median_mean(hours)
    return ComplaintStats(len(complaints), len(hours), median, mean, escalated,
                          escalated / len(complaints) if complaints else None, tuple(open_))


# --------------------------------------------------------------------------- 7. satisfaction surveys


def required_sample_size(population: int, confidence: float = 0.95, margin: float = 0.05) -> int:
    """Responses needed to estimate a proportion in ``population`` at ``confidence`` within ``margin``.

    Cochran's formula with p = 0.5 (the most demanding case) and the finite population
    correction, rounded up: n0 = z^2 p (1 - p) / e^2, n = n0 / (1 + (n0 - 1) / N).
    """
    if population <= 0:
        return 0
    z = statistics.NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * 0.25 / (margin * margin)
    n = n0 / (1 + (n0 - 1) / population)
    # Float noise must not push an exact whole number up by one.
    return min(population, math.ceil(n - 1e-9))


@dataclass(frozen=True)
class SegmentCoverage:
    """Responses from one customer segment."""

    name: str
    population: int
    responses: int
    answered: bool


@dataclass(frozen=True)
class SurveySampling:
    """A survey's responses against the sample size its population, confidence and margin require."""

    survey: str
    date: dt.date
    population: int
    confidence: float
    margin: float
    required: int
    declared_sample_size: int
    responses: int
    enough: bool
    segments: tuple[SegmentCoverage, ...]
    silent_segments: tuple[str, ...]  # segments with people in them and no response


def survey_sampling(index: Index) -> list[SurveySampling]:
    """Sampling figures of every satisfaction survey, oldest first."""
    rows = []
    for loaded in index.of_kind("satisfaction_survey"):
        s = loaded.record
        required = required_sample_size(s.population, s.confidence, s.margin)
        segs = tuple(SegmentCoverage(g.name, g.population, g.responses, g.responses > 0) for g in s.segments)
        silent = tuple(g.name for g in segs if not g.answered and g.population > 0)
        rows.append(SurveySampling(s.id, s.date, s.population, float(s.confidence), float(s.margin), required,
                                   s.sample_size, s.responses, s.responses >= required, segs, silent))
    rows.sort(key=lambda r: (r.date, r.survey))
    return rows


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and dates -> JSON-ready values (dates as ISO text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def alignment_payload(result: Alignment) -> dict[str, Any]:
    """The supplier alignment of :func:`generator.alignment.supplier_alignment` (the pairs the records
    state with ``supports:``) as plain data, with each target's verdicts spelt out."""
    return {
        "targets": [{**_plain(ta), "aligned": ta.aligned, "chain_aligned": ta.chain_aligned} for ta in result.targets],
        "problems": _plain(result.problems),
        "unstated": [{"sla": sla, "underpinning": under} for sla, under in result.unstated],
    }


def figures_payload(index: Index, today: dt.date) -> dict[str, Any]:
    """Every computed figure, as plain data for the JSON export."""
    return {
        "availability": _plain(availability_table(index, as_of=today)),
        "sla_attainment": _plain(sla_attainment(index)),
        "workload": _plain(workload_table(index)),
        "supplier_alignment": alignment_payload(supplier_alignment(index)),
        "security_incidents": _plain(security_incident_stats(index)),
        "complaints": _plain(complaint_stats(index, today)),
        "surveys": _plain(survey_sampling(index)),
    }
