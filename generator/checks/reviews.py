"""Planned reviews: overdue or never done, as of the check date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Finding
from ..index import Index
from ..models.base import Record, duration_months_days
from . import EVIDENCE, Context, finding

# A record not reviewed as planned is doubtful evidence for everything it evidences.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "review-overdue": (EVIDENCE,),
    "review-never": (EVIDENCE,),
    "interval-too-long": (EVIDENCE,),
}

# The check dates accepted (``--today``): an interval of up to 999 years after the latest one is
# still a date Python can hold (its calendar ends on 9999-12-31); a longer interval is a finding.
EARLIEST_TODAY = dt.date(1000, 1, 1)
LATEST_TODAY = dt.date(9000, 12, 31)


def try_add_duration(start: dt.date, interval: str) -> dt.date | None:
    """``start`` plus an ISO 8601 date duration; month ends are clamped (Jan 31 + P1M = Feb 28/29).
    None when the result would be after 9999-12-31, the last date Python can hold."""
    months, days = duration_months_days(interval)
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    if year > dt.MAXYEAR:
        return None
    for day in (start.day, 30, 29, 28):
        try:
            end_of_months = dt.date(year, month, min(start.day, day))
        except ValueError:
            continue
        try:
            return end_of_months + dt.timedelta(days=days)
        except OverflowError:
            return None
    raise AssertionError("unreachable")


def add_duration(start: dt.date, interval: str) -> dt.date:
    """``start`` plus an ISO 8601 date duration (see :func:`try_add_duration`). Never raises: a
    result past 9999-12-31 is 9999-12-31, a date that never falls due; the check reports such an
    interval as ``interval-too-long``."""
    due = try_add_duration(start, interval)
    return dt.date.max if due is None else due


def interval_too_long(record: Record) -> str | None:
    """Why the record's review interval cannot be computed with, or None when it can."""
    review = record.review
    if review is None:
        return None
    if try_add_duration(LATEST_TODAY, review.interval) is None:
        return (f"interval {review.interval} is too long: counted from {LATEST_TODAY.isoformat()}, the latest "
                "check date, it passes 9999-12-31, the last date that can be computed (P12M is yearly)")
    if review.last_reviewed is not None and try_add_duration(review.last_reviewed, review.interval) is None:
        return (f"the next review, {review.interval} after {review.last_reviewed.isoformat()}, would be after "
                "9999-12-31, the last date that can be computed: check last_reviewed and the interval")
    return None


def next_review(record: Record) -> dt.date | None:
    """When the record is next due for review, derived from its last review and interval."""
    review = record.review
    if review is None or review.last_reviewed is None:
        return None
    return add_duration(review.last_reviewed, review.interval)


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.records:
        record = loaded.record
        too_long = interval_too_long(record)
        if too_long is not None:
            yield finding(loaded, ("review", "interval"), "error", "interval-too-long", too_long)
            continue
        if record.review is None or record.status == "retired":
            continue
        due = next_review(record)
        if due is None:
            yield finding(loaded, ("review",), "warning", "review-never",
                          f"planned review every {record.review.interval} but never reviewed")
        elif due < ctx.today:
            days = (ctx.today - due).days
            yield finding(loaded, ("review", "last_reviewed"), "warning", "review-overdue",
                          f"review was due on {due.isoformat()} ({days} days ago, as of {ctx.today.isoformat()})")
