"""Compliance over the evidence: outages investigated, targets met or acted on, surveys and
continuity tests done on time and well sampled (supplier alignment: :mod:`.suppliers`).

The figures come from :mod:`generator.figures`; this module only judges them and says where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Loaded
from ..content.localize import Msg
from ..figures.availability import availability_table
from ..figures.due import continuity_test_due, survey_due
from ..figures.relationship import required_sample_size
from ..figures.service_levels import sla_attainment
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
                          Msg("outage-uninvestigated", "unplanned outage of {service} has no investigation: set "
                              "'investigation' or list it in an outage investigation's 'outages'",
                              service=out.service))


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
                      Msg("availability-missed", "{service} availability in {period} was {pct} % ({down} of "
                          "{minutes} minutes down: {outages}), below the target {target} %, and no investigation of "
                          "those outages raised an improvement action", service=row.service, period=row.period,
                          pct=f"{row.availability_pct:.3f}", down=f"{row.downtime_minutes:g}",
                          minutes=f"{row.minutes_in_period:g}",
                          outages=", ".join(row.outages) or Msg("no-outage-ids", "no outage ids"),
                          target=f"{row.target:g}"))


def sla_missed_without_action(index: Index) -> Iterator[Finding]:
    """``sla-missed-no-action``: a reported result misses its SLA target and the report raises no action."""
    for row in sla_attainment(index):
        if row.met is not False:
            continue
        loaded = index.by_id[row.report]
        if loaded.record.actions:
            continue
        word = Msg("at-least", "at least") if row.comparison == "at_least" else Msg("at-most", "at most")
        yield finding(loaded, ("results", row.result_index, "actual"), "error", "sla-missed-no-action",
                      Msg("sla-missed-no-action", "'{target}' missed in {period}: {actual} {unit}, target {word} "
                          "{limit} {unit}; add the improvement action raised to 'actions'", target=row.target,
                          period=row.period, actual=f"{row.actual:g}", unit=row.unit, word=word,
                          limit=f"{row.threshold:g}"))


def surveys(index: Index, ctx: Context) -> Iterator[Finding]:
    """``survey-overdue``, ``survey-undersampled``, ``survey-segment-silent``."""
    all_surveys = index.of_kind("satisfaction_survey")
    next_survey = survey_due(index)
    if next_survey is not None and next_survey.overdue(ctx.today):
        latest = index.by_id[next_survey.record]
        s, interval, due = latest.record, next_survey.interval, next_survey.date
        yield finding(latest, ("date",), "warning", "survey-overdue",
                      Msg("survey-overdue", "the latest satisfaction survey closed on {closed}; the next was due "
                          "on {due} (every {interval}), {days} days ago as of {today}", closed=s.date.isoformat(),
                          due=due.isoformat(), interval=interval, days=(ctx.today - due).days,
                          today=ctx.today.isoformat()))
    for loaded in all_surveys:
        s = loaded.record
        required = required_sample_size(s.population, s.confidence, s.margin)
        if s.responses < required:
            yield finding(loaded, ("responses",), "warning", "survey-undersampled",
                          Msg("survey-undersampled", "{responses} responses, but a population of {population} "
                              "needs {required} for {confidence} % confidence within {margin} %",
                              responses=s.responses, population=s.population, required=required,
                              confidence=f"{s.confidence * 100:g}", margin=f"{s.margin * 100:g}"))
        for i, seg in enumerate(s.segments):
            if seg.responses == 0 and seg.population > 0:
                yield finding(loaded, ("segments", i, "responses"), "warning", "survey-segment-silent",
                              Msg("survey-segment-silent", "segment '{segment}' ({population} people) gave no "
                                  "response: the results do not represent it", segment=seg.name,
                                  population=seg.population))


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
        # A plan never tested is due one interval after it was approved (generator/figures/due.py).
        next_test = continuity_test_due(index, plan)
        if next_test is not None:
            since, interval, due = next_test.since, next_test.interval, next_test.date
            if due < ctx.today:
                what = (Msg("last-tested", "last tested on {date}", date=last.isoformat()) if last else
                        Msg("never-tested", "never tested since approval on {date}", date=since.isoformat()))
                yield finding(loaded, ("id",), "warning", "continuity-test-overdue",
                              Msg("continuity-test-overdue", "plan {what}; a test was due on {due} (every "
                                  "{interval}), {days} days ago as of {today}", what=what, due=due.isoformat(),
                                  interval=interval, days=(ctx.today - due).days, today=ctx.today.isoformat()))
        change = plan.last_major_change
        if change is not None and (last is None or last < _date_after(change)):
            tested = (Msg("latest-test", "its latest test was on {date}", date=last.isoformat()) if last else
                      Msg("never-been-tested", "it has never been tested"))
            yield finding(loaded, ("last_major_change",), "warning", "plan-untested-since-change",
                          Msg("plan-untested-since-change", "major change on {date}, but {tested}",
                              date=change.isoformat(), tested=tested))
