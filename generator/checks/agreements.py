"""Agreements state what the standard asks of them: an SLA its targets, workload limits and
exceptions; a supplier contract its requirements, targets or obligations, responsibilities and
interfaces; an internal agreement its targets or commitments, activities and interfaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg
from ..content.models import KINDS
from . import Context, finding

# The parts a complete agreement of each kind states (`stated_parts` on its model; where either of
# two will do, the first): `clause8 new` writes them with placeholders, so a fresh skeleton is not
# reported as incomplete.
PARTS: dict[str, tuple[str, ...]] = {kind: model.stated_parts for kind, model in KINDS.items() if model.stated_parts}

REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "sla-part-missing": ("8.3.3-c",),
    "contract-part-missing": ("8.3.4.1-c",),
    "contract-interfaces-missing": ("8.3.4.1-f",),
    "agreement-part-missing": ("8.3.4.2-a",),
}


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    for loaded in index.of_kind("sla"):
        sla: Any = loaded.record
        if sla.status == "retired":
            continue
        if not sla.targets:
            yield finding(loaded, ("targets",), "error", "sla-part-missing",
                          Msg("sla-part-missing.targets", "an SLA needs its service level targets"), key=True)
        if not sla.workload_limits:
            yield finding(loaded, ("workload_limits",), "error", "sla-part-missing",
                          Msg("sla-part-missing.workload", "an SLA needs the workload limits within which its "
                              "targets apply"), key=True)
        if not sla.exceptions and not sla.no_exceptions:
            yield finding(loaded, ("exceptions",), "error", "sla-part-missing",
                          Msg("sla-part-missing.exceptions", "an SLA needs its exceptions, or 'no_exceptions: "
                              "true' to say it has none"), key=True)
    for loaded in index.of_kind("supplier_contract"):
        c: Any = loaded.record
        if c.status == "retired":
            continue
        if not c.requirements:
            yield finding(loaded, ("requirements",), "error", "contract-part-missing",
                          Msg("contract-part-missing.requirements", "a supplier contract needs the requirements "
                              "the supplier must meet"), key=True)
        if not c.targets and not c.obligations:
            yield finding(loaded, ("targets",), "error", "contract-part-missing",
                          Msg("contract-part-missing.targets", "a supplier contract needs service level targets "
                              "or other obligations"), key=True)
        if not c.responsibilities:
            yield finding(loaded, ("responsibilities",), "error", "contract-part-missing",
                          Msg("contract-part-missing.responsibilities", "a supplier contract needs the "
                              "authorities and responsibilities of each side"), key=True)
        if not c.interfaces:
            yield finding(loaded, ("interfaces",), "error", "contract-interfaces-missing",
                          Msg("contract-interfaces-missing", "a supplier contract needs its interfaces: who talks "
                              "to whom, hand-offs, escalation, information exchanged"), key=True)
    for loaded in index.of_kind("internal_agreement"):
        a: Any = loaded.record
        if a.status == "retired":
            continue
        if not a.targets and not a.commitments:
            yield finding(loaded, ("targets",), "error", "agreement-part-missing",
                          Msg("agreement-part-missing.targets", "an internal agreement needs service level "
                              "targets or other commitments"), key=True)
        if not a.activities:
            yield finding(loaded, ("activities",), "error", "agreement-part-missing",
                          Msg("agreement-part-missing.activities", "an internal agreement needs the activities the "
                              "provider carries out"), key=True)
        if not a.interfaces:
            yield finding(loaded, ("interfaces",), "error", "agreement-part-missing",
                          Msg("agreement-part-missing.interfaces", "an internal agreement needs the interfaces "
                              "between the parties"), key=True)
