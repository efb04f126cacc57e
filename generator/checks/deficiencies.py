"""Every deficiency acted on: missed supplier and internal agreement targets, ineffective controls
and continuity test deficiencies raise an improvement action, recorded results agree with the
targets they are judged against, and every continuity test and invocation is reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.loader import Loaded
from ..content.localize import Joined, Msg
from ..figures.periods import meets
from . import Context, finding

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "supplier-missed-no-action": ("8.3.4.1-h",),
    "agreement-missed-no-action": ("8.3.4.2-c",),
    "supplier-result-inconsistent": ("8.3.4.1-g",),
    "agreement-result-inconsistent": ("8.3.4.2-b",),
    "control-ineffective-no-action": ("8.7.3.2-f",),
    "continuity-deficiency-no-action": ("8.7.2-k",),
    "continuity-review-missing": ("8.7.2-j",),
}

# review kind -> (field naming what was reviewed, the kind it names, code prefix, what to call it)
_REVIEWS = {
    "supplier_review": ("contract", "supplier_contract", "supplier", "contract"),
    "internal_agreement_review": ("agreement", "internal_agreement", "agreement", "agreement"),
}


_NOUNS = {"contract": Msg("contract", "contract"), "agreement": Msg("agreement", "agreement")}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for kind in _REVIEWS:
        for loaded in index.of_kind(kind):
            yield from _performance_review(index, loaded)
    for loaded in index.of_kind("control_review"):
        review: Any = loaded.record
        if not review.effective and not review.actions:
            yield finding(loaded, ("effective",), "error", "control-ineffective-no-action",
                          Msg("control-ineffective-no-action", "controls {controls} found not effective on "
                              "{date}, and the review names no improvement action: add the actions taken to "
                              "'actions'", controls=", ".join(review.controls) or Msg("none-named", "(none named)"),
                              date=review.date.isoformat()))
    for loaded in index.of_kind("continuity_test"):
        yield from _continuity_test(loaded, ctx)
    for loaded in index.of_kind("continuity_invocation"):
        inv: Any = loaded.record
        if inv.ended is not None and inv.post_review is None:
            ended = inv.ended.date()
            yield from _review_due(loaded, ctx, ended, Msg("invocation-ended", "the invocation ended on {date}",
                                                           date=ended.isoformat()))


def _performance_review(index: Index, loaded: Loaded) -> Iterator[Finding]:
    review: Any = loaded.record
    field, kind, prefix, noun = _REVIEWS[review.kind]
    reviewed = index.get(getattr(review, field))
    if reviewed is None or reviewed.kind != kind:
        return
    targets = {t.id: t for t in reviewed.targets}
    missed: list[str] = []
    for i, res in enumerate(review.results):
        t = targets.get(res.target)
        if t is None:
            yield finding(loaded, ("results", i, "target"), "error", f"{prefix}-result-inconsistent",
                          Msg("result-inconsistent.unknown", "'{target}' is not a target of {id} (its targets: "
                              "{targets}): the result cannot be judged", target=res.target, id=reviewed.id,
                              targets=", ".join(targets) or Msg("none", "none")))
            if not res.met:
                missed.append(f"'{res.target}'")
            continue
        ok = meets(float(res.actual), float(t.target), t.comparison)
        word = Msg("at-least", "at least") if t.comparison == "at_least" else Msg("at-most", "at most")
        if res.met and not ok:
            yield finding(loaded, ("results", i, "met"), "error", f"{prefix}-result-inconsistent",
                          Msg("result-inconsistent.met", "'{target}' recorded as met, but {actual} {unit} misses "
                              "the {noun} target ({word} {limit} {unit})", target=t.id, actual=f"{res.actual:g}",
                              unit=t.unit, noun=_NOUNS[noun], word=word, limit=f"{t.target:g}"))
        if not res.met or not ok:
            missed.append(Msg("missed-result", "'{target}' ({actual} {unit}, target {word} {limit} {unit})",
                              target=t.id, actual=f"{res.actual:g}", unit=t.unit, word=word, limit=f"{t.target:g}"))
    if missed and not review.actions:
        yield finding(loaded, ("results",), "error", f"{prefix}-missed-no-action",
                      Msg("missed-no-action", "{id} missed {missed} in {start}..{end}, and the review names no "
                          "improvement action: add the actions raised to 'actions'", id=reviewed.id,
                          missed=Joined(missed), start=review.period_start.isoformat(),
                          end=review.period_end.isoformat()), key=True)


def _continuity_test(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    test: Any = loaded.record
    reasons = []
    if test.deficiencies:
        n = len(test.deficiencies)
        reasons.append(Msg("deficiency", "1 deficiency recorded") if n == 1
                       else Msg("deficiencies", "{n} deficiencies recorded", n=n))
    if not test.met_requirements:
        reasons.append(Msg("requirements-not-met", "the continuity requirements were not met"))
    if test.result != "passed":
        reasons.append(Msg("result-is", "the result is {result}", result=test.result))
    if reasons and not test.actions:
        yield finding(loaded, ("result",), "error", "continuity-deficiency-no-action",
                      Msg("continuity-deficiency-no-action", "{reasons}, and the test names no improvement action: "
                          "add the actions taken to 'actions'", reasons=Joined(reasons, "; ")))
    if test.post_review is None:
        yield from _review_due(loaded, ctx, test.date, Msg("test-held", "the test was held on {date}",
                                                           date=test.date.isoformat()))


def _review_due(loaded: Loaded, ctx: Context, since: dt.date, what: str) -> Iterator[Finding]:
    """``continuity-review-missing`` once ``ctx.post_review_days`` have passed since ``since``."""
    due = since + dt.timedelta(days=ctx.post_review_days)
    if due < ctx.today:
        yield finding(loaded, ("post_review",), "warning", "continuity-review-missing",
                      Msg("continuity-review-missing", "{what} and no review is recorded; it was due by {due} "
                          "({days} days later): record it under 'post_review'", what=what, due=due.isoformat(),
                          days=ctx.post_review_days), key=True)
