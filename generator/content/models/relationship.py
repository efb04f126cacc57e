"""Business relationship management (8.3.2): interested parties, communication, reviews, satisfaction, complaints."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Bool, Date, DateTime, Duration, Int, Number, Part, Record, Ref, Text, empty_list, ref
from .imported import ImportSource, ImportSpec, imported_from

__all__ = [
    "Channel",
    "CommunicationPlan",
    "CommunicationRecord",
    "Complaint",
    "SatisfactionSurvey",
    "Segment",
    "ServiceReview",
    "StakeholderEntry",
    "StakeholderRegister",
    "SurveyResult",
]

ComplaintChannel = Literal["email", "phone", "portal", "meeting", "letter"]
ComplaintState = Literal["open", "resolved", "closed"]


class StakeholderEntry(Part):
    """One customer, user group or other interested party and the services it is concerned with."""

    party: Ref = ref("Organisation (id) of the customer, user group or interested party.", "organisation")
    services: list[Ref] = ref(
        "Services (ids) this party receives, uses or has an interest in.", "service", default_factory=empty_list
    )
    interest: Text = Field(
        description="What the party needs or expects from us, e.g. 'Uses mail and calendar for 400 staff'."
    )
    relationship_manager: Ref = ref(
        "Person (id) who owns the relationship with this party and its satisfaction.", "person"
    )


class StakeholderRegister(Record):
    """Evidence of who the customers, users and other interested parties of each service are, and who manages each relationship."""

    kind: Literal["stakeholder_register"] = Field(description="Record kind: stakeholder_register.")
    section = "relationship_agreement"
    group = "customers"
    position = 2
    entries: list[StakeholderEntry] = Field(
        default_factory=empty_list, description="One entry per party: the party, its services, its interest and its manager."
    )


class Channel(Part):
    """One agreed way of talking with an audience: how, how often and who runs it."""

    audience: Text = Field(description="Who is addressed, e.g. 'Customer IT managers' or 'All end users'.")
    channel: Text = Field(description="How we communicate, e.g. 'Quarterly service meeting', 'Status page', 'Newsletter'.")
    frequency: Duration = Field(
        description="How often, as an ISO 8601 duration, e.g. P1M (monthly), P3M (quarterly), P1W (weekly)."
    )
    owner: Ref = ref("Person (id) who runs this channel.", "person")


class CommunicationPlan(Record):
    """Evidence of the arrangements for communicating with customers and other interested parties."""

    kind: Literal["communication_plan"] = Field(description="Record kind: communication_plan.")
    section = "relationship_agreement"
    group = "customers"
    position = 3
    channels: list[Channel] = Field(
        default_factory=empty_list, description="Agreed channels, each with audience, frequency and owner."
    )
    complaint_escalation: list[Text] = Field(
        default_factory=empty_list,
        description=(
            "Escalation route for complaints that normal handling has not resolved, one step per line, "
            "e.g. 'Service desk lead within 2 working days', 'Head of IT Operations'."
        ),
    )


class CommunicationRecord(Record):
    """Evidence of a communication with customers (e.g. meeting minutes) and the business and requirement changes discussed."""

    kind: Literal["communication_record"] = Field(description="Record kind: communication_record.")
    section = "relationship_agreement"
    group = "customers"
    position = 4
    editions = frozenset({"customer"})
    event_start = "date"
    evidence_dates = ("date",)
    date: Date = Field(description="Date of the communication (YYYY-MM-DD).")
    plan: Ref | None = ref(
        "Communication plan (id) this communication was held under.", "communication_plan", default=None
    )
    participants: list[Ref] = ref("Persons (ids) who took part.", "person", default_factory=empty_list)
    parties: list[Ref] = ref(
        "Organisations (ids) represented, e.g. the customer.", "organisation", default_factory=empty_list
    )
    topics: list[Text] = Field(default_factory=empty_list, description="Topics discussed, one per line.")
    business_changes: str = Field(
        default="",
        description="Changes in the customer's business that were discussed, e.g. 'Opening two new branch offices in Q3'.",
    )
    requirement_changes: list[Text] = Field(
        default_factory=empty_list,
        description="New or changed service requirements that came out of the communication, one per line.",
    )
    none_arose: Bool = Field(
        default=False,
        description="Set to true to state explicitly that no new or changed service requirements arose.",
    )
    actions: list[Ref] = ref(
        "Improvement actions (ids) agreed as a result.", "improvement_action", default_factory=empty_list
    )


class ServiceReview(Record):
    """Evidence of a planned review of service performance trends and outcomes over a period."""

    kind: Literal["service_review"] = Field(description="Record kind: service_review.")
    section = "relationship_agreement"
    group = "customers"
    position = 5
    editions = frozenset({"customer"})
    event_start = "date"
    event_end = "period_end"
    evidence_dates = ("date", "period_end")
    customer: Ref | None = ref(
        "Organisation (id) of the customer the review was held with; its portal (customer edition) shows the "
        "review. Empty for a review of several customers' services together.", "organisation", default=None
    )
    services: list[Ref] = ref("Services (ids) reviewed.", "service", default_factory=empty_list)
    period_start: Date = Field(description="First day of the period reviewed (YYYY-MM-DD).")
    period_end: Date = Field(description="Last day of the period reviewed (YYYY-MM-DD).")
    date: Date = Field(description="Date the review was held (YYYY-MM-DD).")
    trends: Text = Field(
        description="Performance trends seen over the period, e.g. 'Availability stable at 99.95%; tickets up 12%'."
    )
    outcomes: Text = Field(description="What the services achieved for the customer and what the review concluded.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised by the review.", "improvement_action", default_factory=empty_list
    )


class Segment(Part):
    """One part of the customer base, used to show that survey responses represent the whole."""

    name: Text = Field(description="Segment name, e.g. 'enterprise' or 'public sector'.")
    population: Int = Field(ge=0, description="Number of customers or users in the segment.")
    responses: Int = Field(ge=0, description="Number of responses received from the segment.")


class SurveyResult(Part):
    """The score for one survey question."""

    question: Text = Field(description="The question asked, e.g. 'How satisfied are you with incident handling?'.")
    score: Number = Field(ge=0, description="Average score received, e.g. 4.2.")
    scale_max: Number = Field(gt=0, description="Highest possible score on the scale, e.g. 5 or 10.")


class SatisfactionSurvey(Record):
    """Evidence of a customer satisfaction measurement: sampling, responses, results, analysis and distribution."""

    kind: Literal["satisfaction_survey"] = Field(description="Record kind: satisfaction_survey.")
    section = "relationship_agreement"
    group = "customers"
    position = 6
    event_start = "date"
    evidence_dates = ("date",)
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("satisfaction-surveys", "date",
                                                          ("analysis", "distributed_to", "actions"))
    services: list[Ref] = ref("Services (ids) the survey covered.", "service", default_factory=empty_list)
    date: Date = Field(description="Date the survey closed (YYYY-MM-DD).")
    population: Int = Field(ge=0, description="Total number of customers or users the survey is meant to represent.")
    sample_size: Int = Field(ge=0, description="Number of responses needed for the chosen confidence and margin.")
    invited: Int = Field(ge=0, description="Number of customers or users invited to respond.")
    responses: Int = Field(ge=0, description="Number of responses received.")
    segments: list[Segment] = Field(
        default_factory=empty_list, description="Breakdown of population and responses by customer segment."
    )
    results: list[SurveyResult] = Field(default_factory=empty_list, description="Score per question.")
    analysis: Text = Field(
        description="What the results mean and which improvement opportunities they point to."
    )
    distributed_to: list[Text] = Field(
        default_factory=empty_list,
        description="Who the results were reported to, e.g. 'Management review board', 'All customer contacts'.",
    )
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised from the results.", "improvement_action", default_factory=empty_list
    )
    confidence: Number = Field(
        default=0.95, gt=0, lt=1, description="Confidence level used to size the sample, e.g. 0.95 for 95%."
    )
    margin: Number = Field(
        default=0.05, gt=0, lt=1, description="Margin of error used to size the sample, e.g. 0.05 for ±5%."
    )
    imported_from: ImportSource | None = imported_from()


class Complaint(Record):
    """Evidence that a service complaint was logged, handled, escalated where needed and closed."""

    kind: Literal["complaint"] = Field(description="Record kind: complaint.")
    section = "relationship_agreement"
    group = "customers"
    position = 7
    editions = frozenset({"customer"})
    event_start = "received"
    event_end = "closed"
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("complaints", "received", ("actions",))
    received: DateTime = Field(description="When the complaint was received, e.g. 2024-03-05T09:30:00+07:00.")
    channel: ComplaintChannel = Field(description="How it arrived: email, phone, portal, meeting or letter.")
    customer: Ref = ref("Organisation (id) that complained.", "organisation")
    service: Ref = ref("Service (id) the complaint is about.", "service")
    state: ComplaintState = Field(description="Where the complaint stands: open, resolved or closed.")
    escalated: Bool = Field(
        default=False, description="True if the complaint was escalated beyond normal handling."
    )
    escalated_to: Ref | None = ref("Person (id) it was escalated to.", "person", default=None)
    resolved: DateTime | None = Field(default=None, description="When it was resolved; empty while open.")
    closed: DateTime | None = Field(
        default=None, description="When it was formally closed (e.g. after the customer confirmed); empty until then."
    )
    summary: Text = Field(description="What the customer complained about and how it was handled.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised from the complaint.", "improvement_action", default_factory=empty_list
    )
    imported_from: ImportSource | None = imported_from()
