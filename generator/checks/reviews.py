"""Planned reviews: overdue or never done, as of the check date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..due import add_duration, try_add_duration
from ..findings import Finding
from ..index import Index
from ..models.base import Record
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
            interval = record.review.interval
            approved = record.approval.date if record.approval is not None else None
            if approved is None:
                yield finding(loaded, ("review",), "warning", "review-never",
                              f"planned review every {interval} but never reviewed")
                continue
            # The first interval runs from the approval: a record approved today is not overdue.
            first = add_duration(approved, interval)
            if first < ctx.today:
                days = (ctx.today - first).days
                yield finding(loaded, ("review",), "warning", "review-never",
                              f"planned review every {interval} but never reviewed: the first was due on "
                              f"{first.isoformat()}, {interval} after the approval on {approved.isoformat()} "
                              f"({days} days ago, as of {ctx.today.isoformat()})")
        elif due < ctx.today:
            days = (ctx.today - due).days
            yield finding(loaded, ("review", "last_reviewed"), "warning", "review-overdue",
                          f"review was due on {due.isoformat()} ({days} days ago, as of {ctx.today.isoformat()})")
