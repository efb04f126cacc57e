"""Time and comparison helpers of the figures: service hours in Jakarta time (WIB), months, targets met."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from typing import Literal

__all__ = ["JAKARTA", "as_aware", "meets", "month_bounds", "months"]


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
