"""Workload: reported workload within the SLA's limits, reported against limits the SLA has.

The figures are :func:`generator.figures.service_levels.workload_table`'s; this module judges them and says where.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg
from ..figures.service_levels import workload_table
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "workload-over-limit": ("8.3.3-e",),
    "workload-metric-unknown": ("8.3.3-e",),
}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for row in workload_table(index):
        loaded = index.by_id[row.report]
        report = loaded.record
        pos = next(i for i, a in enumerate(report.actuals) if a.metric == row.metric)  # type: ignore[attr-defined]
        sla = index.get(row.sla)
        if sla is None or sla.kind != "sla":
            continue
        if row.limit is None:
            names = ", ".join(f"'{w.metric}'" for w in sla.workload_limits) or Msg("none", "none")  # type: ignore[attr-defined]
            yield finding(loaded, ("actuals", pos, "metric"), "error", "workload-metric-unknown",
                          Msg("workload-metric-unknown", "'{metric}' is not a workload limit of {sla} (its limits: "
                              "{names}): the workload cannot be compared with a limit", metric=row.metric,
                              sla=row.sla, names=names))
        elif row.within is False:
            change = (Msg("change-on", ", {pct} % on {period}", pct=f"{row.change_pct:+.1f}",
                          period=row.previous_period) if row.change_pct is not None else "")
            yield finding(loaded, ("actuals", pos, "value"), "warning", "workload-over-limit",
                          Msg("workload-over-limit", "'{metric}' was {value} {unit} in {period}{change}, over the "
                              "{limit} {unit} per month {sla} covers: its targets do not apply above the limit; "
                              "review the SLA with the customer", metric=row.metric, value=f"{row.value:g}",
                              unit=row.unit, period=row.period, change=change, limit=f"{row.limit:g}",
                              sla=row.sla))
