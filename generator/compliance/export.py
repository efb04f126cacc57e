"""The computed figures as `clause8 export` writes them in JSON: plain values, supplier alignment
and every figure of an edition's records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..content.index import Index
from ..figures.alignment import Alignment, supplier_alignment
from ..figures.availability import availability_table
from ..figures.relationship import complaint_stats, survey_sampling
from ..figures.security import security_incident_stats
from ..figures.service_levels import sla_attainment, workload_table


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
    """The supplier alignment of :func:`generator.figures.alignment.supplier_alignment` (the pairs the records
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
