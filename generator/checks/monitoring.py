"""Availability monitoring: months with nothing to judge from, and coverage records that cannot be read.

A month counts as measured only where a ``monitoring_coverage`` record covers it (see
:func:`generator.figures.availability.availability`); silence is not 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg
from ..figures.availability import availability_table
from ..figures.periods import as_aware
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    # Unmonitored months: availability was neither monitored and recorded (e) nor can it be
    # compared with the target (f).
    "availability-unmonitored": ("8.7.1-e", "8.7.1-f"),
    "coverage-invalid": ("8.7.1-e",),
}
ONE_DAY = dt.timedelta(days=1)
# An unmonitored month gives nothing to judge from: "no data", not "at risk".
VERDICTS: dict[str, str] = {"availability-unmonitored": "no_data"}


def _ranges(months: list[str]) -> str:
    """``2024-06..2025-12, 2026-03``: consecutive months joined."""
    parts: list[list[str]] = []
    for month in months:
        y, m = (int(p) for p in month.split("-"))
        if parts:
            ly, lm = (int(p) for p in parts[-1][-1].split("-"))
            if (ly * 12 + lm) + 1 == y * 12 + m:
                parts[-1].append(month)
                continue
        parts.append([month])
    return ", ".join(p[0] if len(p) == 1 else f"{p[0]}..{p[-1]}" for p in parts)


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    yield from coverage_invalid(index)
    yield from availability_unmonitored(index, ctx)


def coverage_invalid(index: Index) -> Iterator[Finding]:
    """``coverage-invalid``: a coverage period that ends before it starts, or a gap that ends
    before it starts or lies outside its period."""
    for loaded in index.of_kind("monitoring_coverage"):
        cov = loaded.record
        if cov.end < cov.start:
            yield finding(loaded, ("end",), "error", "coverage-invalid",
                          Msg("coverage-invalid.period", "the period ends on {end}, before it starts on {start}",
                              end=cov.end.isoformat(), start=cov.start.isoformat()))
        for i, gap in enumerate(cov.gaps):
            # Naive times are WIB (generator.figures): compare them as the figures do.
            if as_aware(gap.end) <= as_aware(gap.start):
                yield finding(loaded, ("gaps", i, "end"), "error", "coverage-invalid",
                              Msg("coverage-invalid.gap", "the gap ends before (or when) it starts"))
            elif as_aware(gap.start) >= as_aware(cov.end) + ONE_DAY or as_aware(gap.end) <= as_aware(cov.start):
                yield finding(loaded, ("gaps", i, "start"), "error", "coverage-invalid",
                              Msg("coverage-invalid.outside", "the gap lies outside the period {start}..{end}",
                                  start=cov.start.isoformat(), end=cov.end.isoformat()))


def availability_unmonitored(index: Index, ctx: Context) -> Iterator[Finding]:
    """``availability-unmonitored``: finished months (from the requirement's ``monitoring_since``)
    that no monitoring coverage record covers: one finding per service, naming the months."""
    requirements = {loaded.record.service: loaded for loaded in reversed(index.of_kind("availability_requirement"))
                    if loaded.record.status != "retired"}
    unmonitored: dict[str, list[str]] = {}
    for row in availability_table(index, as_of=ctx.today):
        if row.complete and row.status == "no_data" and row.service in requirements:
            unmonitored.setdefault(row.service, []).append(row.period)
    for service, months in unmonitored.items():
        yield finding(requirements[service], ("monitoring_since",), "warning", "availability-unmonitored",
                      Msg("availability-unmonitored", "no monitoring coverage record covers {service} in {n} "
                          "finished month(s) ({months}): their availability is unknown (no data), not 100 %",
                          service=service, n=len(months), months=_ranges(months)))
