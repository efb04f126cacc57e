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

from ..content.findings import Finding
from ..content.history import Commit
from ..content.index import Index
from ..content.localize import Joined, Msg
from ..content.revisions import coverage, raw_record
from . import EVIDENCE, Context, finding

# An approval that does not cover the record as it stands makes it doubtful evidence for everything
# it evidences, like an overdue review.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "approval-outdated": (EVIDENCE,),
    "approval-uncommitted-edit": (EVIDENCE,),
    "approval-postdated": (EVIDENCE,),
}

MAX_COMMITS_NAMED = 3


def _on(commit: Commit) -> Msg:
    return Msg("commit-of", "commit {commit} of {date}", commit=commit.short, date=commit.committed.date().isoformat())


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
                              Msg("approval-outdated.version", "version {version} carries the approval recorded "
                                  "with version {approved_version} in {on}: record who approved version {version}, "
                                  "or go back to the approved version", version=record.version,
                                  approved_version=cov.approved_version, on=_on(approved)))
            else:
                named = [_on(c.commit) for c in cov.changed_after[:MAX_COMMITS_NAMED]]
                more = len(cov.changed_after) - len(named)
                said: list[str] = [Joined(named)]
                if more > 0:
                    said.append(Msg("and-more", " and {more} more", more=more))
                if cov.uncommitted:
                    said.append(Msg("and-uncommitted", ", and in changes not committed yet"))
                yield finding(loaded, ("approval",), "error", "approval-outdated",
                              Msg("approval-outdated", "version {version} was approved as recorded in {on}, then "
                                  "changed without a new version or approval ({fields}) in {said}: give it a new "
                                  "version and record its approval, or undo the change", version=record.version,
                                  on=_on(approved), fields=", ".join(cov.fields_after), said=Joined(said, "")))
        elif cov.uncommitted_outdated:
            if cov.version_moved:
                message = Msg("approval-uncommitted-edit.version", "version {version} (not committed yet) carries "
                              "the approval recorded with version {approved_version} in {on}: record who approved "
                              "version {version}", version=record.version, approved_version=cov.approved_version,
                              on=_on(approved))
            else:
                message = Msg("approval-uncommitted-edit", "changes not committed yet ({fields}) keep version "
                              "{version} and the approval recorded in {on}: give it a new version and record its "
                              "approval before committing, or undo the change", fields=", ".join(cov.fields_after),
                              version=record.version, on=_on(approved))
            yield finding(loaded, ("version",) if cov.version_moved else ("approval",), "warning",
                          "approval-uncommitted-edit", message)
        if record.approval.date > approved.committed.date():
            yield finding(loaded, ("approval", "date"), "warning", "approval-postdated",
                          Msg("approval-postdated", "approval dated {date} was recorded in {on}, before the date "
                              "it gives: record an approval when it has been given",
                              date=record.approval.date.isoformat(), on=_on(approved)))
