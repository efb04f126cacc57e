"""The compliance matrix as `clause8 export` writes it: one row per requirement (JSON and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .trace import Reason, RequirementStatus

__all__ = ["matrix_csv", "matrix_json", "matrix_rows", "reason_row"]


# -- export -----------------------------------------------------------------------------------
def reason_row(reason: Reason) -> dict[str, Any]:
    """One reason as plain data: code, severity, message, record (id, "" for none), status."""
    return {"code": reason.code, "severity": reason.severity, "message": reason.message,
            "record": reason.record, "status": reason.status}


def matrix_rows(statuses: Iterable[RequirementStatus]) -> list[dict[str, Any]]:
    """One plain mapping per requirement: id, subclause, status, evidence (record ids), reasons."""
    return [
        {"id": st.requirement.id, "subclause": st.requirement.subclause, "status": st.status,
         "evidence": list(st.evidence), "reasons": [reason_row(r) for r in st.reasons]}
        for st in statuses
    ]


def matrix_json(statuses: Iterable[RequirementStatus], today: dt.date,
                figures: Mapping[str, Any] | None = None) -> str:
    """The compliance matrix as JSON: stable (sorted keys, catalogue order), newline-terminated."""
    payload = {
        "version": 1,
        "generated_for": today.isoformat(),
        "requirements": matrix_rows(statuses),
        "figures": dict(figures or {}),
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def matrix_csv(statuses: Iterable[RequirementStatus]) -> str:
    """The compliance matrix as CSV: header, then id,subclause,status,evidence (ids joined by space),
    reasons (one ``severity[code] RECORD: message`` per line of the cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "subclause", "status", "evidence", "reasons"])
    for st in statuses:
        writer.writerow([st.requirement.id, st.requirement.subclause, st.status, " ".join(st.evidence),
                         "\n".join(r.text() for r in st.reasons)])
    return out.getvalue()
