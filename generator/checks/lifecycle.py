"""Lifecycle order and completeness: complaints, security incidents, supplier disputes, improvement
actions and contract changes move through their states in order, with the times and outcomes each
state needs, and nothing stays open longer than allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Loaded
from ..content.localize import Msg
from ..figures.due import action_due, complaint_due, dispute_due
from ..figures.periods import as_aware
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
                          Msg("order.before", "{name} {value} is before {first} {start}", name=name,
                              value=_text(value), first=first, start=_text(start)))
    if rec.resolved is not None and rec.closed is not None and as_aware(rec.closed) < as_aware(rec.resolved):
        yield finding(loaded, ("closed",), "error", f"{prefix}-order",
                      Msg("order.closed-before-resolved", "closed {closed} is before resolved {resolved}",
                          closed=_text(rec.closed), resolved=_text(rec.resolved)))
    # Completeness: the state and the stamps agree.
    if rec.state in ("resolved", "closed") and rec.resolved is None:
        yield finding(loaded, ("state",), "error", f"{prefix}-incomplete",
                      Msg("incomplete.resolved-empty", "state is {state} but 'resolved' (when it was resolved) is "
                          "empty", state=rec.state))
    if rec.state == "closed" and rec.closed is None:
        yield finding(loaded, ("state",), "error", f"{prefix}-incomplete",
                      Msg("incomplete.closed-empty", "state is closed but 'closed' (when it was closed) is empty"))
    if rec.state == "open" and rec.resolved is not None:
        yield finding(loaded, ("resolved",), "error", f"{prefix}-incomplete",
                      Msg("incomplete.still-open", "resolved on {resolved} but the state is still open: set the "
                          "state", resolved=_text(rec.resolved)))
    if rec.state != "closed" and rec.closed is not None:
        yield finding(loaded, ("closed",), "error", f"{prefix}-incomplete",
                      Msg("incomplete.not-closed", "closed on {closed} but the state is {state}: set the state",
                          closed=_text(rec.closed), state=rec.state))
    due = complaint_due(rec, ctx.complaint_max_open_days) if prefix == "complaint" else None
    if due is not None and due.overdue(ctx.today):
        age = (as_aware(ctx.today) - as_aware(start)).days
        yield finding(loaded, ("state",), "warning", "complaint-aged",
                      Msg("complaint-aged", "{state} for {age} days since {start} (more than {max} days, as of "
                          "{today}): follow it through to closure or escalate it", state=rec.state, age=age,
                          start=_text(start), max=ctx.complaint_max_open_days, today=ctx.today.isoformat()))


def _escalation(loaded: Loaded, code: str) -> Iterator[Finding]:
    rec: Any = loaded.record
    if rec.escalated and rec.escalated_to is None:
        yield finding(loaded, ("escalated",), "error", code,
                      Msg("escalation.to-whom", "escalated, but 'escalated_to' does not say to whom"))
    elif not rec.escalated and rec.escalated_to is not None:
        yield finding(loaded, ("escalated_to",), "error", code,
                      Msg("escalation.not-escalated", "escalated_to names {to}, but 'escalated' is false",
                          to=rec.escalated_to))


def _dispute(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    d: Any = loaded.record
    if d.closed is not None and d.closed < d.opened:
        yield finding(loaded, ("closed",), "error", "dispute-order",
                      Msg("dispute-order", "closed {closed} is before opened {opened}", closed=d.closed.isoformat(),
                          opened=d.opened.isoformat()))
    if d.state in ("resolved", "closed") and not (d.resolution or "").strip():
        yield finding(loaded, ("state",), "error", "dispute-incomplete",
                      Msg("dispute-incomplete.resolution", "state is {state} but 'resolution' (how it was "
                          "settled) is empty", state=d.state))
    if d.state == "closed" and d.closed is None:
        yield finding(loaded, ("state",), "error", "dispute-incomplete",
                      Msg("incomplete.closed-when", "state is closed but 'closed' (when) is empty"))
    if d.state != "closed" and d.closed is not None:
        yield finding(loaded, ("closed",), "error", "dispute-incomplete",
                      Msg("incomplete.not-closed", "closed on {closed} but the state is {state}: set the state",
                          closed=d.closed.isoformat(), state=d.state))
    due = dispute_due(d, ctx.dispute_max_open_days)
    if due is not None and due.overdue(ctx.today):
        age = (ctx.today - d.opened).days
        yield finding(loaded, ("state",), "warning", "dispute-aged",
                      Msg("dispute-aged", "{state} for {age} days since {opened} (more than {max} days, as of "
                          "{today}): follow it through to closure", state=d.state, age=age,
                          opened=d.opened.isoformat(), max=ctx.dispute_max_open_days, today=ctx.today.isoformat()))


def _action(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    a: Any = loaded.record
    if a.status == "retired":
        return
    due = action_due(a)
    if due is not None and due.overdue(ctx.today):
        yield finding(loaded, ("due",), "warning", "action-overdue",
                      Msg("action-overdue", "due on {due} and still {state} ({days} days later, as of {today}): "
                          "complete it, or record a new due date and why", due=a.due.isoformat(),
                          state=a.state.replace('_', ' '), days=(ctx.today - a.due).days,
                          today=ctx.today.isoformat()))
    if a.state == "done" and a.completed is None:
        yield finding(loaded, ("state",), "error", "action-incomplete",
                      Msg("action-incomplete.completed", "state is done but 'completed' (when) is empty"))
    if a.state in ("open", "in_progress") and a.completed is not None:
        yield finding(loaded, ("completed",), "error", "action-incomplete",
                      Msg("action-incomplete.state", "completed on {completed} but the state is {state}: set the "
                          "state", completed=a.completed.isoformat(), state=a.state.replace('_', ' ')))


def _changes(loaded: Loaded) -> Iterator[Finding]:
    c: Any = loaded.record
    for i, ev in enumerate(c.change_evaluations):
        if ev.decision == "approved" and ev.decided is not None and ev.decided < ev.date:
            yield finding(loaded, ("change_evaluations", i, "decided"), "error", "change-approved-before-assessment",
                          Msg("change-approved-before-assessment", "approved on {decided}, before its impact was "
                              "assessed on {date}: a change is assessed before it is approved",
                              decided=ev.decided.isoformat(), date=ev.date.isoformat()))
