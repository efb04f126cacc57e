"""Lifecycle order and completeness: complaints, security incidents, supplier disputes, improvement
actions and contract changes move through their states in order, with the times and outcomes each
state needs, and nothing stays open longer than allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..due import action_due, complaint_due, dispute_due
from ..figures import as_aware
from ..findings import Finding
from ..index import Index
from ..loader import Loaded
from . import EVIDENCE, Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "complaint-order": ("8.3.2-j",),
    "complaint-incomplete": ("8.3.2-j",),
    "complaint-escalation-incomplete": ("8.3.2-l",),
    "complaint-aged": ("8.3.2-j",),
    "incident-order": ("8.7.3.3-d", "8.7.3.3-e"),
    "incident-incomplete": ("8.7.3.3-d", "8.7.3.3-e"),
    "incident-escalation-incomplete": ("8.7.3.3-c",),
    "dispute-order": ("8.3.4.1-k",),
    "dispute-incomplete": ("8.3.4.1-k",),
    "dispute-aged": ("8.3.4.1-k",),
    # An action is evidence for every improvement requirement; which one it serves is in the
    # records that raised it, so it is tied through its own evidence.
    "action-overdue": (EVIDENCE,),
    "action-incomplete": (EVIDENCE,),
    "change-approved-before-assessment": ("8.3.4.1-j",),
}

def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.of_kind("complaint"):
        yield from _handled(loaded, "complaint", ctx)
        yield from _escalation(loaded, "complaint-escalation-incomplete")
    for loaded in index.of_kind("security_incident"):
        yield from _handled(loaded, "incident", ctx)
        yield from _escalation(loaded, "incident-escalation-incomplete")
    for loaded in index.of_kind("supplier_dispute"):
        yield from _dispute(loaded, ctx)
    for loaded in index.of_kind("improvement_action"):
        yield from _action(loaded, ctx)
    for loaded in index.of_kind("supplier_contract"):
        yield from _changes(loaded)


def _text(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _handled(loaded: Loaded, prefix: str, ctx: Context) -> Iterator[Finding]:
    """``<prefix>-order``, ``<prefix>-incomplete`` and (complaints) ``complaint-aged``."""
    rec: Any = loaded.record
    first = "received" if prefix == "complaint" else "reported"
    start = getattr(rec, first)
    # Order: resolved and closed after the first stamp, closed after resolved.
    for name in ("resolved", "closed"):
        value = getattr(rec, name)
        if value is not None and as_aware(value) < as_aware(start):
            yield finding(loaded, (name,), "error", f"{prefix}-order",
                          f"{name} {_text(value)} is before {first} {_text(start)}")
    if rec.resolved is not None and rec.closed is not None and as_aware(rec.closed) < as_aware(rec.resolved):
        yield finding(loaded, ("closed",), "error", f"{prefix}-order",
                      f"closed {_text(rec.closed)} is before resolved {_text(rec.resolved)}")
    # Completeness: the state and the stamps agree.
    if rec.state in ("resolved", "closed") and rec.resolved is None:
        yield finding(loaded, ("state",), "error", f"{prefix}-incomplete",
                      f"state is {rec.state} but 'resolved' (when it was resolved) is empty")
    if rec.state == "closed" and rec.closed is None:
        yield finding(loaded, ("state",), "error", f"{prefix}-incomplete",
                      "state is closed but 'closed' (when it was closed) is empty")
    if rec.state == "open" and rec.resolved is not None:
        yield finding(loaded, ("resolved",), "error", f"{prefix}-incomplete",
                      f"resolved on {_text(rec.resolved)} but the state is still open: set the state")
    if rec.state != "closed" and rec.closed is not None:
        yield finding(loaded, ("closed",), "error", f"{prefix}-incomplete",
                      f"closed on {_text(rec.closed)} but the state is {rec.state}: set the state")
    due = complaint_due(rec, ctx.complaint_max_open_days) if prefix == "complaint" else None
    if due is not None and due.overdue(ctx.today):
        age = (as_aware(ctx.today) - as_aware(start)).days
        yield finding(loaded, ("state",), "warning", "complaint-aged",
                      f"{rec.state} for {age} days since {_text(start)} (more than "
                      f"{ctx.complaint_max_open_days} days, as of {ctx.today.isoformat()}): follow it "
                      "through to closure or escalate it")


def _escalation(loaded: Loaded, code: str) -> Iterator[Finding]:
    rec: Any = loaded.record
    if rec.escalated and rec.escalated_to is None:
        yield finding(loaded, ("escalated",), "error", code,
                      "escalated, but 'escalated_to' does not say to whom")
    elif not rec.escalated and rec.escalated_to is not None:
        yield finding(loaded, ("escalated_to",), "error", code,
                      f"escalated_to names {rec.escalated_to}, but 'escalated' is false")


def _dispute(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    d: Any = loaded.record
    if d.closed is not None and d.closed < d.opened:
        yield finding(loaded, ("closed",), "error", "dispute-order",
                      f"closed {d.closed.isoformat()} is before opened {d.opened.isoformat()}")
    if d.state in ("resolved", "closed") and not (d.resolution or "").strip():
        yield finding(loaded, ("state",), "error", "dispute-incomplete",
                      f"state is {d.state} but 'resolution' (how it was settled) is empty")
    if d.state == "closed" and d.closed is None:
        yield finding(loaded, ("state",), "error", "dispute-incomplete",
                      "state is closed but 'closed' (when) is empty")
    if d.state != "closed" and d.closed is not None:
        yield finding(loaded, ("closed",), "error", "dispute-incomplete",
                      f"closed on {d.closed.isoformat()} but the state is {d.state}: set the state")
    due = dispute_due(d, ctx.dispute_max_open_days)
    if due is not None and due.overdue(ctx.today):
        age = (ctx.today - d.opened).days
        yield finding(loaded, ("state",), "warning", "dispute-aged",
                      f"{d.state} for {age} days since {d.opened.isoformat()} (more than "
                      f"{ctx.dispute_max_open_days} days, as of {ctx.today.isoformat()}): follow it "
                      "through to closure")


def _action(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    a: Any = loaded.record
    if a.status == "retired":
        return
    due = action_due(a)
    if due is not None and due.overdue(ctx.today):
        yield finding(loaded, ("due",), "warning", "action-overdue",
                      f"due on {a.due.isoformat()} and still {a.state.replace('_', ' ')} "
                      f"({(ctx.today - a.due).days} days later, as of {ctx.today.isoformat()}): complete it, "
                      "or record a new due date and why")
    if a.state == "done" and a.completed is None:
        yield finding(loaded, ("state",), "error", "action-incomplete",
                      "state is done but 'completed' (when) is empty")
    if a.state in ("open", "in_progress") and a.completed is not None:
        yield finding(loaded, ("completed",), "error", "action-incomplete",
                      f"completed on {a.completed.isoformat()} but the state is {a.state.replace('_', ' ')}: "
                      "set the state")


def _changes(loaded: Loaded) -> Iterator[Finding]:
    c: Any = loaded.record
    for i, ev in enumerate(c.change_evaluations):
        if ev.decision == "approved" and ev.decided is not None and ev.decided < ev.date:
            yield finding(loaded, ("change_evaluations", i, "decided"), "error", "change-approved-before-assessment",
                          f"approved on {ev.decided.isoformat()}, before its impact was assessed on "
                          f"{ev.date.isoformat()}: a change is assessed before it is approved")
