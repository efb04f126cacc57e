"""Service levels attained (SLA reports against targets) and workload against the agreed limits."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.index import Index
from .periods import _EPS, _previous_month, meets

__all__ = ["Attainment", "Workload", "sla_attainment", "workload_table"]


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
