"""Compliance over the evidence: outages investigated, targets met or acted on, surveys and
continuity tests done on time and well sampled (supplier alignment: :mod:`.suppliers`).

The figures come from :mod:`generator.figures`; this module only judges them and says where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..due import continuity_test_due, survey_due
from ..figures import (
    availability_table,
    required_sample_size,
    sla_attainment,
)
from ..findings import Finding
from ..index import Index
from ..loader import Loaded
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "outage-uninvestigated": ("8.7.1-g",),
    "availability-missed": ("8.7.1-h",),
    "sla-missed-no-action": ("8.3.3-f",),
    "survey-overdue": ("8.3.2-f",),
    "survey-undersampled": ("8.3.2-f",),
    "survey-segment-silent": ("8.3.2-f",),
    "continuity-test-overdue": ("8.7.2-g",),
    "plan-untested-since-change": ("8.7.2-h",),
}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    yield from outages_uninvestigated(index)
    yield from availability_missed(index, ctx)
    yield from sla_missed_without_action(index)
    yield from surveys(index, ctx)
    yield from continuity_tests(index, ctx)


def _investigations(index: Index, outage_id: str) -> list[Loaded]:
    """Investigations that cover the outage: the one it names and every one listing it."""
    found = [ref.source for ref in index.referrers(outage_id)
             if ref.source.record.kind == "outage_investigation" and ref.path[:1] == ("outages",)]
    named = index.by_id.get(getattr(index.get(outage_id), "investigation", None) or "")
    if named is not None and named.record.kind == "outage_investigation" and named not in found:
        found.append(named)
    return found


def outages_uninvestigated(index: Index) -> Iterator[Finding]:
    """``outage-uninvestigated``: an unplanned outage that has ended and no investigation covers."""
    for loaded in index.of_kind("outage"):
        out = loaded.record
        # While an outage is ongoing nobody can have investigated it yet.
        if out.planned or out.end is None:
            continue
        if out.investigation is None and not _investigations(index, out.id):
            yield finding(loaded, ("planned",), "error", "outage-uninvestigated",
                          f"unplanned outage of {out.service} has no investigation: set 'investigation' "
                          "or list it in an outage investigation's 'outages'")


def availability_missed(index: Index, ctx: Context) -> Iterator[Finding]:
    """``availability-missed``: a finished month below the availability target that was not acted on.

    A miss is acted on when every outage that counted in the month is covered by an
    investigation that raised at least one improvement action.
    """
    requirements = {loaded.record.service: loaded for loaded in reversed(index.of_kind("availability_requirement"))
                    if loaded.record.status != "retired"}
    for row in availability_table(index, as_of=ctx.today):
        if not row.complete or row.met is not False or row.service not in requirements:
            continue
        acted_on = all(any(inv.record.actions for inv in _investigations(index, oid)) for oid in row.outages)
        if row.outages and acted_on:
            continue
        yield finding(requirements[row.service], ("target",), "warning", "availability-missed",
                      f"{row.service} availability in {row.period} was {row.availability_pct:.3f} % "
                      f"({row.downtime_minutes:g} of {row.minutes_in_period:g} minutes down: "
                      f"{', '.join(row.outages) or 'no outage ids'}), below the target {row.target:g} %, "
                      "and no investigation of those outages raised an improvement action")


def sla_missed_without_action(index: Index) -> Iterator[Finding]:
    """``sla-missed-no-action``: a reported result misses its SLA target and the report raises no action."""
    for row in sla_attainment(index):
        if row.met is not False:
            continue
        loaded = index.by_id[row.report]
        if loaded.record.actions:
            continue
        word = "at least" if row.comparison == "at_least" else "at most"
        yield finding(loaded, ("results", row.result_index, "actual"), "error", "sla-missed-no-action",
                      f"'{row.target}' missed in {row.period}: {row.actual:g} {row.unit}, target {word} "
                      f"{row.threshold:g} {row.unit}; add the improvement action raised to 'actions'")


def surveys(index: Index, ctx: Context) -> Iterator[Finding]:
    """``survey-overdue``, ``survey-undersampled``, ``survey-segment-silent``."""
    all_surveys = index.of_kind("satisfaction_survey")
    next_survey = survey_due(index)
    if next_survey is not None and next_survey.overdue(ctx.today):
        latest = index.by_id[next_survey.record]
        s, interval, due = latest.record, next_survey.interval, next_survey.date
        yield finding(latest, ("date",), "warning", "survey-overdue",
                      f"the latest satisfaction survey closed on {s.date.isoformat()}; the next was due "
                      f"on {due.isoformat()} (every {interval}), {(ctx.today - due).days} days ago "
                      f"as of {ctx.today.isoformat()}")
    for loaded in all_surveys:
        s = loaded.record
        required = required_sample_size(s.population, s.confidence, s.margin)
        if s.responses < required:
            yield finding(loaded, ("responses",), "warning", "survey-undersampled",
                          f"{s.responses} responses, but a population of {s.population} needs {required} "
                          f"for {s.confidence * 100:g} % confidence within {s.margin * 100:g} %")
        for i, seg in enumerate(s.segments):
            if seg.responses == 0 and seg.population > 0:
                yield finding(loaded, ("segments", i, "responses"), "warning", "survey-segment-silent",
                              f"segment '{seg.name}' ({seg.population} people) gave no response: "
                              "the results do not represent it")


def _date_after(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def continuity_tests(index: Index, ctx: Context) -> Iterator[Finding]:
    """``continuity-test-overdue`` and ``plan-untested-since-change`` for every plan in force."""
    for loaded in index.of_kind("continuity_plan"):
        plan = loaded.record
        if plan.status == "retired":
            continue
        tests = [ref.source.record for ref in index.referrers(plan.id)
                 if ref.source.record.kind == "continuity_test" and ref.path == ("plan",)]
        last = max((t.date for t in tests), default=None)
        # A plan never tested is due one interval after it was approved (generator/due.py).
        next_test = continuity_test_due(index, plan)
        if next_test is not None:
            since, interval, due = next_test.since, next_test.interval, next_test.date
            if due < ctx.today:
                what = f"last tested on {last.isoformat()}" if last else f"never tested since approval on {since.isoformat()}"
                yield finding(loaded, ("id",), "warning", "continuity-test-overdue",
                              f"plan {what}; a test was due on {due.isoformat()} (every {interval}), "
                              f"{(ctx.today - due).days} days ago as of {ctx.today.isoformat()}")
        change = plan.last_major_change
        if change is not None and (last is None or last < _date_after(change)):
            tested = f"its latest test was on {last.isoformat()}" if last else "it has never been tested"
            yield finding(loaded, ("last_major_change",), "warning", "plan-untested-since-change",
                          f"major change on {change.isoformat()}, but {tested}")
