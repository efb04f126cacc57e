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
}


def add_duration(start: dt.date, interval: str) -> dt.date:
    """``start`` plus an ISO 8601 date duration; month ends are clamped (Jan 31 + P1M = Feb 28/29)."""
    months, days = duration_months_days(interval)
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(start.day, day)) + dt.timedelta(days=days)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_review(record: Record) -> dt.date | None:
    """When the record is next due for review, derived from its last review and interval."""
    review = record.review
    if review is None or review.last_reviewed is None:
        return None
    return add_duration(review.last_reviewed, review.interval)


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.records:
        record = loaded.record
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
