"""Service level management (8.3.3): SLAs, their targets, workload limits and exceptions, and reports against them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from .base import Bool, Date, Duration, Number, Part, Record, Ref, Text, empty_list, ref
from .imported import ImportSource, ImportSpec, imported_from

__all__ = [
    "RiskAcceptance",
    "Sla",
    "SlaException",
    "SlaReport",
    "Target",
    "TargetResult",
    "WorkloadActual",
    "WorkloadLimit",
    "WorkloadReport",
]

Metric = Literal[
    "availability",
    "response_time",
    "resolution_time",
    "first_contact_resolution",
    "satisfaction",
    "other",
]
Comparison = Literal["at_least", "at_most"]
Period = Literal["month", "quarter", "year"]

# A short key that names a target inside its agreement (not a record id).
Key = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
# A calendar month, YYYY-MM.
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class Target(Part):
    """One measurable service level target: metric, threshold, direction and measurement period."""

    id: Key = Field(
        description="Short key of the target, unique within its agreement, e.g. 'avail' or 'p1-response'."
    )
    metric: Metric = Field(
        description=(
            "What is measured: availability, response_time, resolution_time, first_contact_resolution, "
            "satisfaction or other."
        )
    )
    description: Text = Field(description="The target in words, e.g. 'Priority 1 incidents answered within 1 hour'.")
    target: Number = Field(description="The threshold value, e.g. 99.9 or 4.")
    unit: Text = Field(description="Unit of the threshold, e.g. '%', 'hours', 'minutes', 'points of 5'.")
    comparison: Comparison = Field(
        description="at_least if the actual must be at or above the target (e.g. availability), at_most if at or below (e.g. response time)."
    )
    period: Period = Field(description="Period over which it is measured: month, quarter or year.")


class WorkloadLimit(Part):
    """A workload limit within which the service level targets apply."""

    metric: Text = Field(description="What workload is counted, e.g. 'tickets', 'mailboxes', 'API calls'.")
    limit: Number = Field(description="Highest workload covered by the targets, e.g. 500.")
    unit: Text = Field(description="Unit of the limit, e.g. 'tickets', 'users', 'GB'.")
    period: Period = Field(description="Period the limit applies to: month, quarter or year.")


class SlaException(Part):
    """A situation in which the targets do not apply, e.g. a planned maintenance window."""

    name: Text = Field(description="Short name of the exception, e.g. 'Planned maintenance'. Outages refer to it by this name.")
    description: Text = Field(
        description="When the exception applies, e.g. 'Sundays 22:00-02:00, announced 5 days ahead'."
    )
    max_hours_per_month: Number | None = Field(
        default=None, ge=0, description="Most hours per month the exception may cover, e.g. 4; empty if unbounded."
    )


class RiskAcceptance(Part):
    """A documented decision to accept that the supplier chain falls short of one SLA target, for a time."""

    target: Key = Field(description="Key of the SLA target whose supplier shortfall is accepted, e.g. 'avail'.")
    by: Ref = ref("Person (id) who accepted the risk.", "person")
    authority: Text = Field(
        description="The role or mandate under which they accepted it, e.g. 'Head of Service Management'."
    )
    date: Date = Field(description="Date the risk was accepted (YYYY-MM-DD).")
    until: Date = Field(
        description="Last day the acceptance holds (YYYY-MM-DD); after it the shortfall is a finding again."
    )
    reason: Text = Field(
        description="Why the risk is accepted and how it is contained, e.g. 'LTE backup at every site; second route ordered'."
    )
    accepted_value: Number | None = Field(
        default=None,
        description=(
            "The weakest supplier figure accepted, in the SLA target's unit, e.g. 99.89; a shortfall beyond it "
            "is a finding again. Empty: any shortfall of this target is accepted."
        ),
    )


class Sla(Record):
    """A service level agreement: evidence that services were agreed and of their targets, workload limits and exceptions."""

    kind: Literal["sla"] = Field(description="Record kind: sla.")
    section = "relationship_agreement"
    group = "service_levels"
    position = 1
    editions = frozenset({"public", "continuity", "customer"})
    requires_approval = True
    stated_parts = ("targets", "workload_limits", "exceptions")

    service: Ref = ref("Service (id) the agreement covers.", "service")
    customer: Ref = ref("Organisation (id) of the customer the agreement is with.", "organisation")
    agreed: Date = Field(description="Date the customer agreed the services to be delivered (YYYY-MM-DD).")
    agreement_evidence: str | None = Field(
        default=None,
        description="How the agreement was made, e.g. 'Signed contract C-2024-17', 'Minutes of 2024-01-10', 'Accepted terms of service'.",
    )
    targets: list[Target] = Field(default_factory=empty_list, description="Service level targets.")
    workload_limits: list[WorkloadLimit] = Field(
        default_factory=empty_list, description="Workload limits within which the targets apply."
    )
    exceptions: list[SlaException] = Field(
        default_factory=empty_list, description="Situations in which the targets do not apply, e.g. planned maintenance windows."
    )
    no_exceptions: Bool = Field(
        default=False, description="Set to true to state explicitly that the agreement has no exceptions."
    )
    reporting_interval: Duration = Field(
        description="How often performance is reported, as an ISO 8601 duration, e.g. P1M (monthly) or P3M."
    )
    underpinned_by: list[Ref] = ref(
        "Supplier contracts and internal agreements (ids) the service depends on to meet these targets.",
        "supplier_contract",
        "internal_agreement",
        default_factory=empty_list,
    )
    standby: list[Ref] = ref(
        "Underpinning contracts and agreements (ids, also listed in underpinned_by) that are standby or "
        "parallel paths, e.g. a disaster-recovery region: each is still compared with the targets, but "
        "they are left out of the series (the product of availability targets, the sum of times).",
        "supplier_contract",
        "internal_agreement",
        default_factory=empty_list,
    )
    requirements: list[Text] = Field(
        default_factory=empty_list,
        description="Documented service requirements the agreement is based on, one per line.",
    )
    risk_acceptances: list[RiskAcceptance] = Field(
        default_factory=empty_list,
        description=(
            "Documented acceptances of the risk that the underpinning contracts and agreements fall short "
            "of a target: while in force, the shortfall is reported as an accepted risk instead of a finding."
        ),
    )


class TargetResult(Part):
    """The actual result for one target of an SLA in the reported month."""

    target: Key = Field(description="Key of the SLA target this result is for, e.g. 'avail'.")
    actual: Number = Field(description="Measured value, in the target's unit, e.g. 99.93.")
    note: str = Field(default="", description="Explanation, e.g. why the target was missed.")


class SlaReport(Record):
    """Evidence of monthly monitoring and reporting of actual performance against an SLA's targets."""

    kind: Literal["sla_report"] = Field(description="Record kind: sla_report.")
    section = "relationship_agreement"
    group = "service_levels"
    position = 2
    editions = frozenset({"customer"})
    event_start = "period"
    evidence_dates = ("period",)
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("sla-reports", "period", ("actions",))
    sla: Ref = ref("SLA (id) reported on.", "sla")
    period: Month = Field(description="Month reported, as YYYY-MM, e.g. 2024-03.")
    results: list[TargetResult] = Field(default_factory=empty_list, description="Actual value per SLA target.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised for missed targets.", "improvement_action", default_factory=empty_list
    )
    imported_from: ImportSource | None = imported_from()


class WorkloadActual(Part):
    """The actual workload for one workload metric of an SLA in the reported month."""

    metric: Text = Field(description="Workload metric, as named in the SLA's workload limits, e.g. 'tickets'.")
    value: Number = Field(description="Actual workload in the month, in the limit's unit, e.g. 432.")


class WorkloadReport(Record):
    """Evidence of monthly monitoring and reporting of actual workload against an SLA's workload limits."""

    kind: Literal["workload_report"] = Field(description="Record kind: workload_report.")
    section = "relationship_agreement"
    group = "service_levels"
    position = 3
    editions = frozenset({"customer"})
    event_start = "period"
    evidence_dates = ("period",)
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("workload-reports", "period")
    sla: Ref = ref("SLA (id) whose workload limits apply.", "sla")
    period: Month = Field(description="Month reported, as YYYY-MM, e.g. 2024-03.")
    actuals: list[WorkloadActual] = Field(default_factory=empty_list, description="Actual workload per metric.")
    imported_from: ImportSource | None = imported_from()
