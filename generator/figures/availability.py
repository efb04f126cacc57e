"""Availability per service and month, from outages and the months monitoring covers: a month no
monitoring record covers is no_data, never 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..content.index import Index
from .periods import _minutes, as_aware, meets, month_bounds, month_of, months

__all__ = ["Availability", "availability", "availability_table"]


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
