"""Improvement: actions and opportunities for improvement raised from reviews, reports, incidents and complaints."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Date, Record, Ref, empty_list, ref

__all__ = ["ImprovementAction"]

ActionState = Literal["open", "in_progress", "done", "cancelled"]


class ImprovementAction(Record):
    """An improvement opportunity or corrective action: evidence that findings were acted on."""

    kind: Literal["improvement_action"] = Field(description="Record kind: improvement_action.")
    section = "improvement"
    group = "improvement"
    position = 1
    editions = frozenset({"customer"})
    source: list[Ref] = ref(
        "Records (ids) of any kind that gave rise to the action, e.g. an SLA report, review or incident.",
        default_factory=empty_list,
    )
    due: Date = Field(description="Date the action is due (YYYY-MM-DD).")
    state: ActionState = Field(description="Where the action stands: open, in_progress, done or cancelled.")
    completed: Date | None = Field(default=None, description="Date the action was completed (YYYY-MM-DD).")
    benefit: str | None = Field(
        default=None, description="Benefit expected or achieved, e.g. 'P1 response within target for 3 months'."
    )
