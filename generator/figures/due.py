"""Due dates as data: every date the records say something must happen by.

One computation, shared by the checks (``review-overdue``, ``continuity-test-overdue``,
``survey-overdue``, ``action-overdue``, ``complaint-aged``, ``dispute-aged`` judge these dates),
the "Due" page and calendar feed of every edition, and the export. Each :class:`Due` is one
obligation: what is due, for which record, by which day, who answers for it and what the date
counts from. A due date is the *last day that is on time*: an obligation is overdue once the
check date is later (``due.date < today``), the rule every check above already used.

What is due, and the date (README "What is due"):

- ``review``: a record with a planned review interval, the interval after its last review (never
  reviewed: after its approval; neither: no date, the check reports it at once);
- ``continuity_test``: a continuity plan in force, the plan's interval (its review interval, else
  12 months) after its latest test (never tested: after its approval);
- ``survey``: the interval of the latest satisfaction survey (its review interval, else 12 months)
  after it closed;
- ``control_review``: a security control implemented or operating, the interval of the latest
  control review listing it (else 12 months) after that review (never reviewed: after the control's
  approval);
- ``sla_report``: an approved SLA, the reporting interval after the first day past the last reported
  month (no report yet: after the day it was agreed), so a monthly November report is due on
  1 December;
- ``contract_notice`` and ``contract_end``: a supplier contract with an end date, the last day to
  give notice (the end less the notice period) and the end itself;
- ``action``: an improvement action still open or in progress, its due date;
- ``complaint``: a complaint not closed, the last day it is within the allowed age (30 days by
  default) counted in whole days from when it was received, in Western Indonesia Time (WIB);
- ``dispute``: a supplier dispute not closed, the allowed age (90 days by default) after it opened.

Durations are ISO 8601 date durations; month ends are clamped (31 January + P1M = 28 February,
29 February in a leap year; 31 May less P3M = 28/29 February).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..content.index import Index
from ..content.models.base import Record, duration_months_days
from .periods import JAKARTA, as_aware

__all__ = [
    "DEFAULT_INTERVAL",
    "HORIZON_DAYS",
    "WHAT",
    "Due",
    "action_due",
    "add_duration",
    "complaint_due",
    "continuity_test_due",
    "contract_dues",
    "control_review_due",
    "dispute_due",
    "due_items",
    "review_due",
    "sla_report_due",
    "subtract_duration",
    "survey_due",
    "try_add_duration",
    "upcoming",
]

# Interval of periodic evidence that does not carry its own (its review interval).
DEFAULT_INTERVAL = "P12M"
# The Due page lists what is overdue and what falls due within this many days.
HORIZON_DAYS = 90
# Every kind of obligation, in the order pages list them when they fall on one day.
WHAT = ("contract_end", "contract_notice", "action", "complaint", "dispute", "sla_report", "continuity_test",
        "control_review", "survey", "review")


# -- date arithmetic ---------------------------------------------------------------------------
def _shift_months(start: dt.date, months: int) -> dt.date | None:
    """``start`` moved by ``months`` (either sign), the day clamped to the month's last; None when
    outside the years Python can hold."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def try_add_duration(start: dt.date, interval: str) -> dt.date | None:
    """``start`` plus an ISO 8601 date duration; month ends are clamped (Jan 31 + P1M = Feb 28/29).
    None when the result would be after 9999-12-31, the last date Python can hold."""
    months, days = duration_months_days(interval)
    moved = _shift_months(start, months)
    if moved is None:
        return None
    try:
        return moved + dt.timedelta(days=days)
    except OverflowError:
        return None


def add_duration(start: dt.date, interval: str) -> dt.date:
    """``start`` plus an ISO 8601 date duration (see :func:`try_add_duration`). Never raises: a
    result past 9999-12-31 is 9999-12-31, a date that never falls due; the check reports such an
    interval as ``interval-too-long``."""
    due = try_add_duration(start, interval)
    return dt.date.max if due is None else due


def subtract_duration(end: dt.date, interval: str) -> dt.date:
    """``end`` less an ISO 8601 date duration: the months first (clamped: May 31 - P3M = Feb 28, or
    29 in a leap year), then the days. A result before 0001-01-01 is 0001-01-01."""
    months, days = duration_months_days(interval)
    moved = _shift_months(end, -months)
    if moved is None:
        return dt.date.min
    try:
        return moved - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def _local_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar day a time falls on in WIB (a naive time is WIB already)."""
    if isinstance(value, dt.datetime):
        return as_aware(value).astimezone(JAKARTA).date()
    return value


# -- one obligation ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    """One obligation the records imply."""

    date: dt.date  # the last day that is on time
    what: str  # one of WHAT
    record: str  # the record the obligation is about (a page links to it)
    owner: str  # the person (id) who answers for it
    since: dt.date | None  # what the date counts from: the last review, test, report...; None when none
    interval: str  # the interval or age it counts: "P12M", "P30D", "P3M" (a notice period)
    key: str  # what it is, stably: the same obligation keeps its key when its date moves

    def overdue(self, today: dt.date) -> bool:
        return self.date < today

    def days(self, today: dt.date) -> int:
        """Days until it is due (negative: days overdue)."""
        return (self.date - today).days

    def as_json(self, today: dt.date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key, "what": self.what, "record": self.record, "owner": self.owner,
            "date": self.date.isoformat(), "since": self.since.isoformat() if self.since else None,
            "interval": self.interval,
        }
        if today is not None:
            out["overdue"] = self.overdue(today)
            out["days"] = self.days(today)
        return out


def _interval_of(record: Any) -> str:
    return record.review.interval if getattr(record, "review", None) is not None else DEFAULT_INTERVAL


def _approved(record: Any) -> dt.date | None:
    return record.approval.date if record.approval is not None else None


# -- per obligation ----------------------------------------------------------------------------
def review_due(record: Record) -> Due | None:
    """The record's next planned review (None: no review interval, retired, or neither reviewed nor
    approved, which the check reports at once)."""
    review = record.review
    if review is None or record.status == "retired":
        return None
    since = review.last_reviewed or _approved(record)
    if since is None:
        return None
    return Due(add_duration(since, review.interval), "review", record.id, record.owner, since, review.interval,
               f"review.{record.id}")


def continuity_test_due(index: Index, plan: Any) -> Due | None:
    """A plan's next test: its interval after the latest test, else after its approval."""
    if plan.status == "retired":
        return None
    tests = [ref.source.record for ref in index.referrers(plan.id)
             if ref.source.record.kind == "continuity_test" and ref.path == ("plan",)]
    last = max((t.date for t in tests), default=None)
    since = last if last is not None else _approved(plan)
    if since is None:
        return None
    interval = _interval_of(plan)
    return Due(add_duration(since, interval), "continuity_test", plan.id, plan.owner, since, interval,
               f"continuity_test.{plan.id}")


def survey_due(index: Index) -> Due | None:
    """The next satisfaction survey: the latest survey's interval after it closed."""
    surveys = [loaded.record for loaded in index.of_kind("satisfaction_survey")]
    if not surveys:
        return None
    latest = max(surveys, key=lambda s: (s.date, s.id))
    interval = _interval_of(latest)
    return Due(add_duration(latest.date, interval), "survey", latest.id, latest.owner, latest.date, interval,
               "survey")


def control_review_due(index: Index, control: Any) -> Due | None:
    """A control's next effectiveness review: the latest review's interval after it (never reviewed:
    12 months after the control's approval). Planned and retired controls have none."""
    if control.status == "retired" or control.state not in ("implemented", "operating"):
        return None
    reviews = [ref.source.record for ref in index.referrers(control.id)
               if ref.source.record.kind == "control_review" and ref.path[:1] == ("controls",)]
    latest = max(reviews, key=lambda r: (r.date, r.id), default=None)
    since = latest.date if latest is not None else _approved(control)
    if since is None:
        return None
    interval = _interval_of(latest) if latest is not None else DEFAULT_INTERVAL
    return Due(add_duration(since, interval), "control_review", control.id, control.owner, since, interval,
               f"control_review.{control.id}")


def _month_after(period: str) -> dt.date:
    year, month = (int(p) for p in period.split("-"))
    return dt.date(year + month // 12, month % 12 + 1, 1)


def sla_report_due(index: Index, sla: Any) -> Due | None:
    """An approved SLA's next performance report: the reporting interval after the first day past
    the last reported month (no report yet: after the day the SLA was agreed)."""
    if sla.status != "approved":
        return None
    months = [ref.source.record.period for ref in index.referrers(sla.id)
              if ref.source.record.kind == "sla_report" and ref.path == ("sla",)]
    since = _month_after(max(months)) if months else sla.agreed
    return Due(add_duration(since, sla.reporting_interval), "sla_report", sla.id, sla.owner, since,
               sla.reporting_interval, f"sla_report.{sla.id}")


def contract_dues(contract: Any) -> list[Due]:
    """A supplier contract's end and the last day to give notice (the end less ``notice_period``)."""
    if contract.status == "retired" or contract.end is None:
        return []
    owner = contract.manager or contract.owner
    out = []
    notice = getattr(contract, "notice_period", None)
    if notice:
        out.append(Due(subtract_duration(contract.end, notice), "contract_notice", contract.id, owner, None, notice,
                       f"contract_notice.{contract.id}"))
    out.append(Due(contract.end, "contract_end", contract.id, owner, contract.start, "", f"contract_end.{contract.id}"))
    return out


def action_due(action: Any) -> Due | None:
    """An improvement action still open or in progress: its own due date."""
    if action.status == "retired" or action.state not in ("open", "in_progress"):
        return None
    return Due(action.due, "action", action.id, action.owner, None, "", f"action.{action.id}")


def complaint_due(complaint: Any, max_open_days: int) -> Due | None:
    """A complaint not closed: the last day it is at most ``max_open_days`` whole days old, counted
    from the moment it was received, with days starting at 00:00 WIB (so a complaint received at
    09:00 on 2 November is 30 days old until the end of 3 December)."""
    if complaint.state == "closed":
        return None
    received = as_aware(complaint.received)
    limit = (received + dt.timedelta(days=max_open_days + 1)).astimezone(JAKARTA)
    # The first day that starts at or after the limit is the first day it is too old.
    first_late = limit.date() if limit.time() == dt.time(0) else limit.date() + dt.timedelta(days=1)
    return Due(first_late - dt.timedelta(days=1), "complaint", complaint.id, complaint.owner,
               _local_date(complaint.received), f"P{max_open_days}D", f"complaint.{complaint.id}")


def dispute_due(dispute: Any, max_open_days: int) -> Due | None:
    """A supplier dispute not closed: ``max_open_days`` after it was opened."""
    if dispute.state == "closed":
        return None
    return Due(dispute.opened + dt.timedelta(days=max_open_days), "dispute", dispute.id, dispute.owner,
               dispute.opened, f"P{max_open_days}D", f"dispute.{dispute.id}")


# -- all of them -------------------------------------------------------------------------------
def _all(index: Index, complaint_max_open_days: int, dispute_max_open_days: int) -> Iterator[Due | None]:
    for loaded in index.records:
        yield review_due(loaded.record)
    for loaded in index.of_kind("continuity_plan"):
        yield continuity_test_due(index, loaded.record)
    yield survey_due(index)
    for loaded in index.of_kind("security_control"):
        yield control_review_due(index, loaded.record)
    for loaded in index.of_kind("sla"):
        yield sla_report_due(index, loaded.record)
    for loaded in index.of_kind("supplier_contract"):
        yield from contract_dues(loaded.record)
    for loaded in index.of_kind("improvement_action"):
        yield action_due(loaded.record)
    for loaded in index.of_kind("complaint"):
        yield complaint_due(loaded.record, complaint_max_open_days)
    for loaded in index.of_kind("supplier_dispute"):
        yield dispute_due(loaded.record, dispute_max_open_days)


def due_items(index: Index, complaint_max_open_days: int, dispute_max_open_days: int) -> list[Due]:
    """Every obligation the records of ``index`` imply, earliest first (then by kind and record).

    Computed from ``index`` alone: an edition's index gives only what the edition may show."""
    order = {what: i for i, what in enumerate(WHAT)}
    items = [d for d in _all(index, complaint_max_open_days, dispute_max_open_days) if d is not None]
    return sorted(items, key=lambda d: (d.date, order[d.what], d.record))


def upcoming(items: Iterable[Due], today: dt.date, days: int = HORIZON_DAYS) -> tuple[list[Due], list[Due]]:
    """(overdue, due within ``days`` from ``today``, today included), each earliest first."""
    overdue, soon = [], []
    horizon = today + dt.timedelta(days=days)
    for d in items:
        if d.overdue(today):
            overdue.append(d)
        elif d.date <= horizon:
            soon.append(d)
    return overdue, soon
