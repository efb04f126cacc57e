"""Approval integrity, from the git history of the records (``Context.history``).

An approval says who approved *this version* of a record. The history shows whether it still
does: ``approval-outdated`` when a commit after the one that recorded the approval changed the
record's substance while its version and approval stayed the same, or changed its version while
the approval stayed; ``approval-uncommitted-edit`` (a warning) when only the working copy does so,
so an author hears of it before committing; and ``approval-postdated`` when the approval is dated
later than the commit that recorded it (it was written into the record before it was given). Bookkeeping (reviews done, status, evidence filed,
and what a kind adds in ``Record.bookkeeping``) is not substance.

Without history (outside git, a shallow clone, ``check_content`` called without it) nothing is
judged here; ``build`` warns about a shallow clone.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..history import Commit
from ..index import Index
from ..revisions import coverage, raw_record
from . import EVIDENCE, Context, finding

# An approval that does not cover the record as it stands makes it doubtful evidence for everything
# it evidences, like an overdue review.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "approval-outdated": (EVIDENCE,),
    "approval-uncommitted-edit": (EVIDENCE,),
    "approval-postdated": (EVIDENCE,),
}

MAX_COMMITS_NAMED = 3


def _on(commit: Commit) -> str:
    return f"commit {commit.short} of {commit.committed.date().isoformat()}"


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    history = ctx.history
    if history is None or not history.available:
        return
    for loaded in index.records:
        record = loaded.record
        if record.approval is None:
            continue
        cov = coverage(history.of(record.id), raw_record(loaded))
        if cov is None or cov.approval_commit is None:
            continue  # the approval is not committed yet: nothing to compare with
        approved = cov.approval_commit.commit
        if cov.committed_outdated:
            if cov.version_moved:
                yield finding(loaded, ("version",), "error", "approval-outdated",
                              f"version {record.version} carries the approval recorded with version "
                              f"{cov.approved_version} in {_on(approved)}: record who approved version "
                              f"{record.version}, or go back to the approved version")
            else:
                named = [_on(c.commit) for c in cov.changed_after[:MAX_COMMITS_NAMED]]
                more = len(cov.changed_after) - len(named)
                said = ", ".join(named) + (f" and {more} more" if more > 0 else "")
                if cov.uncommitted:
                    said += ", and in changes not committed yet"
                yield finding(loaded, ("approval",), "error", "approval-outdated",
                              f"version {record.version} was approved as recorded in {_on(approved)}, then changed "
                              f"without a new version or approval ({', '.join(cov.fields_after)}) in {said}: give it "
                              "a new version and record its approval, or undo the change")
        elif cov.uncommitted_outdated:
            if cov.version_moved:
                message = (f"version {record.version} (not committed yet) carries the approval recorded with version "
                           f"{cov.approved_version} in {_on(approved)}: record who approved version {record.version}")
            else:
                message = (f"changes not committed yet ({', '.join(cov.fields_after)}) keep version {record.version} "
                           f"and the approval recorded in {_on(approved)}: give it a new version and record its "
                           "approval before committing, or undo the change")
            yield finding(loaded, ("version",) if cov.version_moved else ("approval",), "warning",
                          "approval-uncommitted-edit", message)
        if record.approval.date > approved.committed.date():
            yield finding(loaded, ("approval", "date"), "warning", "approval-postdated",
                          f"approval dated {record.approval.date.isoformat()} was recorded in {_on(approved)}, "
                          "before the date it gives: record an approval when it has been given")
