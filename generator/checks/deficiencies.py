"""Every deficiency acted on: missed supplier and internal agreement targets, ineffective controls
and continuity test deficiencies raise an improvement action, recorded results agree with the
targets they are judged against, and every continuity test and invocation is reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..figures import meets
from ..findings import Finding
from ..index import Index
from ..loader import Loaded
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


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for kind in _REVIEWS:
        for loaded in index.of_kind(kind):
            yield from _performance_review(index, loaded)
    for loaded in index.of_kind("control_review"):
        review: Any = loaded.record
        if not review.effective and not review.actions:
            yield finding(loaded, ("effective",), "error", "control-ineffective-no-action",
                          f"controls {', '.join(review.controls) or '(none named)'} found not effective on "
                          f"{review.date.isoformat()}, and the review names no improvement action: add the "
                          "actions taken to 'actions'")
    for loaded in index.of_kind("continuity_test"):
        yield from _continuity_test(loaded, ctx)
    for loaded in index.of_kind("continuity_invocation"):
        inv: Any = loaded.record
        if inv.ended is not None and inv.post_review is None:
            ended = inv.ended.date()
            yield from _review_due(loaded, ctx, ended, f"the invocation ended on {ended.isoformat()}")


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
                          f"'{res.target}' is not a target of {reviewed.id} (its targets: "
                          f"{', '.join(targets) or 'none'}): the result cannot be judged")
            if not res.met:
                missed.append(f"'{res.target}'")
            continue
        ok = meets(float(res.actual), float(t.target), t.comparison)
        word = "at least" if t.comparison == "at_least" else "at most"
        if res.met and not ok:
            yield finding(loaded, ("results", i, "met"), "error", f"{prefix}-result-inconsistent",
                          f"'{t.id}' recorded as met, but {res.actual:g} {t.unit} misses the {noun} target "
                          f"({word} {t.target:g} {t.unit})")
        if not res.met or not ok:
            missed.append(f"'{t.id}' ({res.actual:g} {t.unit}, target {word} {t.target:g} {t.unit})")
    if missed and not review.actions:
        yield finding(loaded, ("results",), "error", f"{prefix}-missed-no-action",
                      f"{reviewed.id} missed {', '.join(missed)} in {review.period_start.isoformat()}.."
                      f"{review.period_end.isoformat()}, and the review names no improvement action: add the "
                      "actions raised to 'actions'", key=True)


def _continuity_test(loaded: Loaded, ctx: Context) -> Iterator[Finding]:
    test: Any = loaded.record
    reasons = []
    if test.deficiencies:
        reasons.append(f"{len(test.deficiencies)} deficienc{'y' if len(test.deficiencies) == 1 else 'ies'} recorded")
    if not test.met_requirements:
        reasons.append("the continuity requirements were not met")
    if test.result != "passed":
        reasons.append(f"the result is {test.result}")
    if reasons and not test.actions:
        yield finding(loaded, ("result",), "error", "continuity-deficiency-no-action",
                      f"{'; '.join(reasons)}, and the test names no improvement action: add the actions taken "
                      "to 'actions'")
    if test.post_review is None:
        yield from _review_due(loaded, ctx, test.date, f"the test was held on {test.date.isoformat()}")


def _review_due(loaded: Loaded, ctx: Context, since: dt.date, what: str) -> Iterator[Finding]:
    """``continuity-review-missing`` once ``ctx.post_review_days`` have passed since ``since``."""
    due = since + dt.timedelta(days=ctx.post_review_days)
    if due < ctx.today:
        yield finding(loaded, ("post_review",), "warning", "continuity-review-missing",
                      f"{what} and no review is recorded; it was due by {due.isoformat()} "
                      f"({ctx.post_review_days} days later): record it under 'post_review'", key=True)
