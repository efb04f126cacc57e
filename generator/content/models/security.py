"""Information security management (8.7.3): policy, risks, controls and their reviews, incidents and their reviews."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .availability import Level
from .base import Bool, Date, DateTime, Part, Record, Ref, Text, empty_list, ref
from .imported import ImportSource, ImportSpec, imported_from

__all__ = [
    "Audience",
    "ControlReview",
    "IncidentReview",
    "SecurityControl",
    "SecurityIncident",
    "SecurityPolicy",
    "SecurityRisk",
]

Treatment = Literal["mitigate", "accept", "transfer", "avoid"]
ControlDecision = Literal["implement", "reject", "accept_risk"]
ControlState = Literal["planned", "implemented", "operating", "retired"]
IncidentType = Literal[
    "malware",
    "phishing",
    "unauthorised_access",
    "data_leak",
    "denial_of_service",
    "loss_or_theft",
    "misconfiguration",
    "other",
]
IncidentSeverity = Literal["low", "medium", "high", "critical"]
Priority = Literal["P1", "P2", "P3", "P4"]
IncidentState = Literal["open", "resolved", "closed"]


class Audience(Part):
    """The communication of the policy to one audience."""

    audience: Text = Field(
        description="Who was told, e.g. 'Staff', 'Customers and users', 'Suppliers and other interested parties'."
    )
    communicated: Date = Field(description="Date it was communicated (YYYY-MM-DD).")
    method: Text = Field(description="How, e.g. 'Induction briefing and intranet notice', 'Clause in supplier contracts'.")
    version: str | None = Field(
        default=None, description="Policy version that was communicated, e.g. '2.0'; empty means the current version."
    )


class SecurityPolicy(Record):
    """The information security policy: its approval, publication, communication and the obligations it reflects."""

    kind: Literal["security_policy"] = Field(description="Record kind: security_policy.")
    section = "service_assurance"
    group = "security"
    position = 1
    editions = frozenset({"public", "customer"})
    requires_approval = True
    # Communicating the approved policy to an audience is not a change of the policy.
    bookkeeping: ClassVar[frozenset[str]] = Record.bookkeeping | {"audiences"}

    audiences: list[Audience] = Field(
        default_factory=empty_list, description="How and when the policy was communicated to each audience."
    )
    available_at: list[Text] = Field(
        default_factory=empty_list,
        description="Where the policy can be read, e.g. 'https://intranet.example/policies/infosec', 'Customer portal'.",
    )
    obligations: list[Text] = Field(
        default_factory=empty_list,
        description="Legal, regulatory and contractual obligations the policy takes into account, one per line.",
    )
    summary: Text = Field(description="Public summary of the policy, suitable for customers.")


class SecurityRisk(Record):
    """An assessed information security risk to the services or the service management system, and its treatment."""

    kind: Literal["security_risk"] = Field(description="Record kind: security_risk.")
    section = "service_assurance"
    group = "security"
    position = 2
    services: list[Ref] = ref("Services (ids) exposed to the risk.", "service", default_factory=empty_list)
    likelihood: Level = Field(description="How likely it is: low, medium or high.")
    impact: Level = Field(description="How bad it would be: low, medium or high.")
    treatment: Treatment = Field(description="How the risk is treated: mitigate, accept, transfer or avoid.")
    rationale: Text = Field(description="Why this treatment was chosen.")


class SecurityControl(Record):
    """An information security control: the decision taken about it, why, and where it stands."""

    kind: Literal["security_control"] = Field(description="Record kind: security_control.")
    section = "service_assurance"
    group = "security"
    position = 3
    risks: list[Ref] = ref("Security risks (ids) the control treats.", "security_risk", default_factory=empty_list)
    decision: ControlDecision = Field(description="Decision taken: implement, reject or accept_risk.")
    rationale: Text = Field(description="Why the decision was taken.")
    state: ControlState = Field(description="Where the control stands: planned, implemented, operating or retired.")
    external_organisation: Ref | None = ref(
        "Organisation (id) of the external party the control was agreed with, if any.", "organisation", default=None
    )
    contract: Ref | None = ref(
        "Supplier contract (id) in which the control is agreed, if any.", "supplier_contract", default=None
    )
    agreed: Date | None = Field(
        default=None, description="Date the control was agreed with the external organisation (YYYY-MM-DD)."
    )
    reference: str | None = Field(
        default=None, description="Reference in a control catalogue, e.g. 'A.8.13' (ISO/IEC 27001:2022 Annex A)."
    )


class ControlReview(Record):
    """Evidence that the effectiveness of security controls was monitored and reviewed, and acted on."""

    kind: Literal["control_review"] = Field(description="Record kind: control_review.")
    section = "service_assurance"
    group = "security"
    position = 4
    event_start = "date"
    evidence_dates = ("date",)
    controls: list[Ref] = ref("Security controls (ids) reviewed.", "security_control", default_factory=empty_list)
    date: Date = Field(description="Date of the review (YYYY-MM-DD).")
    effective: Bool = Field(description="True if the controls were found effective.")
    findings: Text = Field(description="What the review found.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised by the review.", "improvement_action", default_factory=empty_list
    )


class SecurityIncident(Record):
    """Evidence that an information security incident was logged, classified, prioritised, escalated, resolved and closed."""

    kind: Literal["security_incident"] = Field(description="Record kind: security_incident.")
    section = "service_assurance"
    group = "security"
    position = 5
    editions = frozenset({"customer"})
    event_start = "reported"
    event_end = "closed"
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("security-incidents", "reported", ("risks", "incident_review"))
    reported: DateTime = Field(description="When the incident was reported, e.g. 2024-03-05T10:15:00+07:00.")
    type: IncidentType = Field(
        description=(
            "Type of incident: malware, phishing, unauthorised_access, data_leak, denial_of_service, "
            "loss_or_theft, misconfiguration or other."
        )
    )
    severity: IncidentSeverity = Field(
        description="Classification of the incident by severity: low, medium, high or critical."
    )
    priority: Priority = Field(description="Handling priority, P1 (most urgent) to P4.")
    risks: list[Ref] = ref(
        "Security risks (ids) considered when setting the priority.", "security_risk", default_factory=empty_list
    )
    services: list[Ref] = ref("Services (ids) affected.", "service", default_factory=empty_list)
    impact: Text = Field(
        description="Impact on the service management system, the services and interested parties."
    )
    escalated: Bool = Field(description="True if the incident was escalated.")
    escalated_to: Ref | None = ref("Person (id) it was escalated to.", "person", default=None)
    state: IncidentState = Field(description="Where the incident stands: open, resolved or closed.")
    resolved: DateTime | None = Field(default=None, description="When it was resolved; empty while open.")
    closed: DateTime | None = Field(default=None, description="When it was formally closed; empty until then.")
    incident_review: Ref | None = ref("Incident review (id) that covered this incident.", "incident_review", default=None)
    imported_from: ImportSource | None = imported_from()


class IncidentReview(Record):
    """Evidence that security incidents were reported and reviewed to find improvements."""

    kind: Literal["incident_review"] = Field(description="Record kind: incident_review.")
    section = "service_assurance"
    group = "security"
    position = 6
    event_start = "date"
    evidence_dates = ("date",)
    incidents: list[Ref] = ref("Security incidents (ids) reviewed.", "security_incident", default_factory=empty_list)
    date: Date = Field(description="Date of the review (YYYY-MM-DD).")
    summary: Text = Field(description="What the review found, e.g. patterns by type, volume and impact.")
    improvements: list[Text] = Field(
        default_factory=empty_list, description="Improvement opportunities identified, one per line."
    )
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised by the review.", "improvement_action", default_factory=empty_list
    )
