"""Complaints (open, ageing, handled) and satisfaction surveys (sample sizes per segment)."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from ..content.index import Index
from .periods import _hours, _median_mean, as_aware

__all__ = ["ComplaintStats", "OpenComplaint", "SegmentCoverage", "SurveySampling", "complaint_stats", "required_sample_size", "survey_sampling"]


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
