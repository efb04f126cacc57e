"""Required parts: plans must be complete, policies and plans approved."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg, Term, kind_term
from ..content.models import KINDS
from . import EVIDENCE, Context, finding

# kind -> fields that must not be empty, with what each means to a reader: each kind declares
# its own (`required_parts` on its model).
REQUIRED_PARTS: dict[str, Mapping[str, str]] = {kind: model.required_parts for kind, model in KINDS.items()
                                                if model.required_parts}

# part-missing ties to the requirement that names a plan's parts (a test fails when another kind
# declares required parts, so that kind's requirement is added here). An unapproved or draft
# record is a shortfall of everything it evidences.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "part-missing": ("8.7.2-e",),
    "approval-missing": (EVIDENCE,),
    "approval-draft": (EVIDENCE,),
}


def _value(record: object, dotted: str) -> object:
    for name in dotted.split("."):
        record = getattr(record, name, None)
        if record is None:
            return None
    return record


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for kind, parts in REQUIRED_PARTS.items():
        for loaded in index.of_kind(kind):
            for dotted, label in parts.items():
                if not _value(loaded.record, dotted):
                    path = tuple(dotted.split("."))
                    yield finding(loaded, path, "error", "part-missing",
                                  Msg("part-missing", "a {kind} needs {part}", kind=kind_term(kind),
                                      part=Term(label, f"part.{kind}.{dotted}")), key=True)
    for kind, model in KINDS.items():
        if not model.requires_approval:
            continue
        for loaded in index.of_kind(kind):
            record = loaded.record
            if record.status == "retired":
                continue
            if record.approval is None and record.status == "approved":
                yield finding(loaded, ("status",), "error", "approval-missing",
                              Msg("approval-missing", "a {kind} needs an approval (who, with which authority, "
                                  "when)", kind=kind_term(kind)))
            if record.status == "draft":
                yield finding(loaded, ("status",), "warning", "approval-draft",
                              Msg("approval-draft", "this {kind} is still a draft", kind=kind_term(kind)))
