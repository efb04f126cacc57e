"""Security incidents by type and priority, and how fast they were handled."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import get_args

from ..content.index import Index
from ..content.models.security import IncidentType, Priority
from .periods import _hours, _median_mean, as_aware, month_of, months

__all__ = ["IncidentStats", "security_incident_stats"]


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
