"""Service continuity management (8.7.2): continuity risks and requirements, plans, tests and invocations."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .availability import Risk
from .base import Bool, Date, DateTime, Duration, Int, Part, Percent, Record, Ref, Text, empty_list, ref

__all__ = [
    "Contact",
    "ContinuityInvocation",
    "ContinuityPlan",
    "ContinuityRequirement",
    "ContinuityRiskAssessment",
    "ContinuityTest",
    "DuringInvocationTarget",
    "Invocation",
    "Procedure",
    "ReviewNote",
    "ServiceRecovery",
]

TestResult = Literal["passed", "partial", "failed"]


class ContinuityRiskAssessment(Record):
    """Evidence of a planned assessment of risks to service continuity, with its business impact."""

    kind: Literal["continuity_risk_assessment"] = Field(description="Record kind: continuity_risk_assessment.")
    section = "service_assurance"
    group = "continuity"
    position = 1
    event_start = "date"
    evidence_dates = ("date",)
    services: list[Ref] = ref("Services (ids) assessed.", "service", default_factory=empty_list)
    date: Date = Field(description="Date of the assessment (YYYY-MM-DD).")
    risks: list[Risk] = Field(default_factory=empty_list, description="Risks to continuity found, with their treatment.")
    business_impact: Text = Field(
        description="Business impact of losing the services, e.g. 'Branches cannot take payments after 4 hours'."
    )


class ContinuityRequirement(Record):
    """Agreed continuity requirements for one service: recovery time and point, minimum service."""

    kind: Literal["continuity_requirement"] = Field(description="Record kind: continuity_requirement.")
    section = "service_assurance"
    group = "continuity"
    position = 2
    editions = frozenset({"continuity", "customer"})
    service: Ref = ref("Service (id) the requirement is for.", "service")
    rto: Duration = Field(
        description="Recovery time objective: how soon the service must be back, as an ISO 8601 duration, e.g. PT4H or P1D."
    )
    rpo: Duration = Field(
        description="Recovery point objective: how much data may be lost, as an ISO 8601 duration, e.g. PT1H or PT15M."
    )
    minimum_service: Text = Field(
        description="Minimum service to keep during a disruption, e.g. 'Read-only access to mail for managers'."
    )
    availability_during_invocation: Percent | None = Field(
        default=None, description="Availability aimed for while the continuity plan is in force, in percent, e.g. 95."
    )
    requirements: list[Text] = Field(
        default_factory=empty_list,
        description="Business and service requirements the continuity requirement was derived from, one per line.",
    )
    slas: list[Ref] = ref(
        "SLAs (ids) taken into account when agreeing the requirement.", "sla", default_factory=empty_list
    )
    risk_assessments: list[Ref] = ref(
        "Continuity risk assessments (ids) taken into account when agreeing the requirement.",
        "continuity_risk_assessment",
        default_factory=empty_list,
    )


class Invocation(Part):
    """When the continuity plan is invoked and who may invoke it."""

    criteria: list[Text] = Field(
        min_length=1,
        description="Conditions under which the plan is invoked, e.g. 'Primary site unreachable for over 1 hour'.",
    )
    authorised: list[Ref] = ref("Persons (ids) authorised to invoke the plan.", "person", min_length=1)
    responsibilities: Text = Field(description="Who does what once the plan is invoked.")


class Procedure(Part):
    """One step to take when a service is largely lost."""

    step: Text = Field(description="What to do, e.g. 'Fail DNS over to the secondary site'.")
    responsible: Ref | None = ref("Person (id) who carries out the step.", "person", default=None)


class DuringInvocationTarget(Part):
    """The availability aimed for one service while the plan is in force."""

    service: Ref = ref("Service (id) the target is for.", "service")
    target: Percent = Field(description="Availability aimed for during invocation, in percent, e.g. 95.")
    note: str = Field(default="", description="Conditions or limits, e.g. 'Email only, no archive search'.")


class Contact(Part):
    """One entry of the continuity contact list."""

    person: Ref = ref("Person (id) to contact.", "person")
    duty: Text = Field(description="What the person does in a continuity event, e.g. 'Crisis lead' or 'Notify customers'.")
    priority: Int = Field(ge=1, description="Order in which to call, 1 first.")


class ContinuityPlan(Record):
    """A service continuity plan: invocation, procedures, targets during invocation, recovery, return to normal and contacts."""

    kind: Literal["continuity_plan"] = Field(description="Record kind: continuity_plan.")
    section = "service_assurance"
    group = "continuity"
    position = 3
    editions = frozenset({"continuity"})
    requires_approval = True
    required_parts = {
        "invocation.criteria": "invocation criteria",
        "recovery": "recovery requirements",
        "return_to_normal": "return to normal",
        "contacts": "contacts",
        "procedures": "procedures for a major loss of service",
    }
    bookkeeping: ClassVar[frozenset[str]] = Record.bookkeeping | {"contacts_verified"}

    services: list[Ref] = ref("Services (ids) the plan covers.", "service", default_factory=empty_list)
    requirements: list[Ref] = ref(
        "Continuity requirements (ids) the plan is built to meet.", "continuity_requirement", default_factory=empty_list
    )
    invocation: Invocation | None = Field(
        default=None, description="When the plan is invoked, who may invoke it, and responsibilities once invoked."
    )
    procedures: list[Procedure] = Field(
        default_factory=empty_list, description="Steps to take when a service is largely lost, in order."
    )
    availability_targets: list[DuringInvocationTarget] = Field(
        default_factory=empty_list, description="Availability aimed for per service while the plan is in force."
    )
    recovery: list[Text] = Field(
        default_factory=empty_list,
        description="Requirements for recovering the services, one per line, e.g. 'Restore database from last hourly snapshot'.",
    )
    return_to_normal: list[Text] = Field(
        default_factory=empty_list,
        description="How to return to normal working conditions, one step per line.",
    )
    contacts: list[Contact] = Field(default_factory=empty_list, description="Continuity contact list, in calling order.")
    contacts_verified: Date | None = Field(
        default=None, description="Date the contact list was last checked to be correct (YYYY-MM-DD)."
    )
    supplier_contacts: list[Ref] = ref(
        "Persons (ids) at suppliers to contact in a continuity event.", "person", default_factory=empty_list
    )
    affected_slas: list[Ref] = ref(
        "SLAs (ids) whose targets are affected while the plan is in force.", "sla", default_factory=empty_list
    )
    locations: list[Text] = Field(
        default_factory=empty_list,
        description="Where copies of the plan and contact list are kept, e.g. 'Printed copy at offsite safe', 'Cloud drive'.",
    )
    last_major_change: Date | None = Field(
        default=None,
        description="Date of the last major change to the covered services or their environment (YYYY-MM-DD); the plan should be tested after it.",
    )


class ReviewNote(Part):
    """A review held after a continuity test or invocation."""

    date: Date = Field(description="Date of the review (YYYY-MM-DD).")
    summary: Text = Field(description="What the review concluded, including deficiencies found.")
    by: Ref = ref("Person (id) who led the review.", "person")


class ServiceRecovery(Part):
    """The recovery achieved for one service in a continuity test."""

    service: Ref = ref("Service (id) recovered.", "service")
    achieved_rto: Duration | None = Field(
        default=None, description="Time it took to recover the service, as an ISO 8601 duration, e.g. PT1H55M."
    )
    achieved_rpo: Duration | None = Field(
        default=None, description="Data loss window for the service, as an ISO 8601 duration, e.g. PT5M."
    )


class ContinuityTest(Record):
    """Evidence that a continuity plan was tested against the continuity requirements, with results and review."""

    kind: Literal["continuity_test"] = Field(description="Record kind: continuity_test.")
    section = "service_assurance"
    group = "continuity"
    position = 4
    editions = frozenset({"continuity"})
    event_start = "date"
    evidence_dates = ("date",)
    plan: Ref = ref("Continuity plan (id) tested.", "continuity_plan")
    date: Date = Field(description="Date of the test (YYYY-MM-DD).")
    scenario: Text = Field(description="What was simulated, e.g. 'Loss of primary data centre; failover to DR site'.")
    result: TestResult = Field(description="Outcome: passed, partial or failed.")
    met_requirements: Bool = Field(description="True if the continuity requirements (e.g. RTO and RPO) were met.")
    achieved_rto: Duration | None = Field(
        default=None, description="Recovery time achieved in the test, as an ISO 8601 duration, e.g. PT3H."
    )
    achieved_rpo: Duration | None = Field(
        default=None, description="Data loss window achieved in the test, as an ISO 8601 duration, e.g. PT30M."
    )
    services: list[ServiceRecovery] = Field(
        default_factory=empty_list,
        description=(
            "Recovery achieved per service, when the services came back at different times; a covered "
            "service not listed here is judged by achieved_rto and achieved_rpo."
        ),
    )
    deficiencies: list[Text] = Field(default_factory=empty_list, description="Deficiencies found, one per line.")
    post_review: ReviewNote | None = Field(default=None, description="The review held after the test.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) taken on the deficiencies.", "improvement_action", default_factory=empty_list
    )


class ContinuityInvocation(Record):
    """Evidence of a real invocation of a continuity plan and its review."""

    kind: Literal["continuity_invocation"] = Field(description="Record kind: continuity_invocation.")
    section = "service_assurance"
    group = "continuity"
    position = 5
    editions = frozenset({"continuity"})
    event_start = "invoked"
    event_end = "ended"
    plan: Ref = ref("Continuity plan (id) invoked.", "continuity_plan")
    invoked: DateTime = Field(description="When the plan was invoked, e.g. 2024-03-05T02:30:00+07:00.")
    ended: DateTime | None = Field(
        default=None, description="When normal working was resumed; empty while the plan is still in force."
    )
    reason: Text = Field(description="Why the plan was invoked.")
    invoked_by: Ref = ref("Person (id) who invoked the plan.", "person")
    post_review: ReviewNote | None = Field(default=None, description="The review held after the invocation.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) taken on deficiencies found.", "improvement_action", default_factory=empty_list
    )
