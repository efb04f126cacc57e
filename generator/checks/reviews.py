"""Planned reviews: overdue or never done, as of the check date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.limits import EARLIEST_TODAY, LATEST_TODAY
from ..content.localize import Msg
from ..content.models.base import Record
from ..figures.due import add_duration, try_add_duration
from . import EVIDENCE, Context, finding

# A record not reviewed as planned is doubtful evidence for everything it evidences.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "review-overdue": (EVIDENCE,),
    "review-never": (EVIDENCE,),
    "interval-too-long": (EVIDENCE,),
}


def interval_too_long(record: Record) -> str | None:
    """Why the record's review interval cannot be computed with, or None when it can."""
    review = record.review
    if review is None:
        return None
    if try_add_duration(LATEST_TODAY, review.interval) is None:
        return Msg("interval-too-long", "interval {interval} is too long: counted from {latest}, the latest "
                   "check date, it passes 9999-12-31, the last date that can be computed (P12M is yearly)",
                   interval=review.interval, latest=LATEST_TODAY.isoformat())
    if review.last_reviewed is not None and try_add_duration(review.last_reviewed, review.interval) is None:
        return Msg("interval-too-long.next", "the next review, {interval} after {last}, would be after "
                   "9999-12-31, the last date that can be computed: check last_reviewed and the interval",
                   interval=review.interval, last=review.last_reviewed.isoformat())
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
                              Msg("review-never", "planned review every {interval} but never reviewed",
                                  interval=interval))
                continue
            # The first interval runs from the approval: a record approved today is not overdue.
            first = add_duration(approved, interval)
            if first < ctx.today:
                days = (ctx.today - first).days
                yield finding(loaded, ("review",), "warning", "review-never",
                              Msg("review-never.due", "planned review every {interval} but never reviewed: the "
                                  "first was due on {first}, {interval} after the approval on {approved} ({days} "
                                  "days ago, as of {today})", interval=interval, first=first.isoformat(),
                                  approved=approved.isoformat(), days=days, today=ctx.today.isoformat()))
        elif due < ctx.today:
            days = (ctx.today - due).days
            yield finding(loaded, ("review", "last_reviewed"), "warning", "review-overdue",
                          Msg("review-overdue", "review was due on {due} ({days} days ago, as of {today})",
                              due=due.isoformat(), days=days, today=ctx.today.isoformat()))
