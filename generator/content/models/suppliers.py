"""Supplier management (8.3.4): contracts with external suppliers, internal agreements, their reviews and disputes."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from .base import Bool, Date, Duration, Number, Part, Record, Ref, Text, empty_list, ref
from .service_levels import Key, Target

__all__ = [
    "AlignmentCheck",
    "ChangeEvaluation",
    "ContractReview",
    "Interface",
    "InternalAgreement",
    "InternalAgreementReview",
    "Responsibility",
    "ReviewResult",
    "SupplierContract",
    "SupplierDispute",
    "SupplierReview",
    "SupportLine",
    "UnderpinningTarget",
]

Party = Literal["us", "supplier", "both"]
Decision = Literal["approved", "rejected", "pending"]
DisputeState = Literal["open", "resolved", "closed"]

# "SLA-ID#target-key": one target of one customer SLA.
SlaTargetRef = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*#[A-Za-z0-9][A-Za-z0-9._-]*$")
]


class UnderpinningTarget(Target):
    """A target of a supplier contract or internal agreement, with the customer SLA targets it supports."""

    supports: list[SlaTargetRef] = Field(
        default_factory=empty_list,
        description=(
            "Customer SLA targets this target supports, each written 'SLA-ID#target-key', e.g. "
            "'SLA-MAIL-BANK#avail'. Only these pairs are compared (units are converted: %, minutes, "
            "hours, days, ISO 8601 durations). Targets of several contracts or agreements that support "
            "one SLA target are in series: their availabilities multiply and their times add up, "
            "except those of contracts the SLA lists as standby."
        ),
    )


class Responsibility(Part):
    """One authority or responsibility and which side of the contract holds it."""

    party: Party = Field(description="Who holds it: us, supplier or both.")
    responsibility: Text = Field(
        description="The authority or responsibility, e.g. 'Approves emergency changes to the firewall'."
    )


class Interface(Part):
    """An interface with a supplier: a hand-off, escalation route, contact point or data exchange."""

    name: Text = Field(description="Name of the interface, e.g. 'Incident hand-off' or 'Monthly usage data'.")
    description: Text = Field(
        description="How it works: who talks to whom, through which channel, what is exchanged and how escalation runs."
    )
    contact: Ref | None = ref("Person (id) who is the contact point for this interface.", "person", default=None)


class SupportLine(Part):
    """A number to call the supplier on in an incident: its NOC, service desk or account manager."""

    label: Text = Field(
        description="What the line is, as a phone's address book shows it, e.g. 'NOC 24x7', 'Account manager', "
        "'Service desk'."
    )
    number: Text = Field(
        description="Number in international format, e.g. +62 21 2955 1500.", pattern=r"^\+?[0-9][0-9 ()-]{5,}$"
    )
    account: str | None = Field(
        default=None,
        description="The account, customer or circuit id to quote when calling, e.g. 'Customer NLD-0042' or "
        "'Circuit LNT-CKR-TR-01'.",
    )
    hours: str | None = Field(
        default=None, description="When the line answers, e.g. '24x7' or 'Mon-Fri 08:00-17:00 WIB'."
    )


class ContractReview(Part):
    """A planned review of the contract against current service requirements."""

    date: Date = Field(description="Date of the review (YYYY-MM-DD).")
    outcome: Text = Field(description="What the review found, e.g. 'Still meets requirements; renew at same terms'.")
    changes_needed: Bool = Field(description="True if the review found that the contract needs to change.")


class ChangeEvaluation(Part):
    """An assessment of the impact of a proposed contract change, made before the change was decided."""

    date: Date = Field(description="Date the impact was assessed (YYYY-MM-DD).")
    change: Text = Field(description="The proposed change, e.g. 'Reduce support hours to business days only'.")
    impact: Text = Field(description="Impact of the change on the service management system and the services.")
    decision: Decision = Field(description="Outcome: approved, rejected or pending.")
    decided: Date | None = Field(
        default=None, description="Date the change was approved or rejected (YYYY-MM-DD); empty while pending."
    )


class AlignmentCheck(Part):
    """A check that the supplier's targets and obligations support the SLAs agreed with customers."""

    date: Date = Field(description="Date of the check (YYYY-MM-DD).")
    slas: list[Ref] = ref("SLAs (ids) compared with this contract.", "sla", default_factory=empty_list)
    aligned: Bool = Field(description="True if the contract fully supports those SLAs.")
    gaps: str = Field(
        default="", description="Where the contract falls short, e.g. 'Supplier fix time 8h, SLA resolution 4h'."
    )
    risk_treatment: str = Field(
        default="", description="How the risk from any gap is managed, e.g. 'Standby second supplier; accepted by CIO'."
    )


class SupplierContract(Record):
    """A documented contract with an external supplier: scope, requirements, targets, responsibilities and interfaces."""

    kind: Literal["supplier_contract"] = Field(description="Record kind: supplier_contract.")
    section = "relationship_agreement"
    group = "suppliers"
    position = 1
    editions = frozenset({"continuity"})
    event_start = "start"
    event_end = "end"
    requires_approval = True
    stated_parts = ("requirements", "targets", "responsibilities", "interfaces")
    # Checks, reviews and evaluations done under the contract, not its terms.
    bookkeeping: ClassVar[frozenset[str]] = Record.bookkeeping | {"alignment_checks", "contract_reviews",
                                                                   "change_evaluations"}

    supplier: Ref = ref("Organisation (id) of the external supplier.", "organisation")
    services: list[Ref] = ref(
        "Services (ids) the supplier delivers, runs or supports for us.", "service", default_factory=empty_list
    )
    reference: Text = Field(description="Contract number or reference, e.g. 'C-2024-017'.")
    start: Date = Field(description="Date the contract takes effect (YYYY-MM-DD).")
    end: Date | None = Field(default=None, description="Date the contract ends (YYYY-MM-DD); empty if open-ended.")
    notice_period: Duration | None = Field(
        default=None,
        description="Notice to give before the end to terminate or renegotiate, as an ISO 8601 duration, e.g. P3M or "
                    "P90D: the last day to give it (the end less the notice) is on the Due page and in the calendar.",
    )
    scope: Text = Field(description="What the supplier provides or operates.")
    requirements: list[Text] = Field(
        default_factory=empty_list, description="Requirements the supplier must meet, one per line."
    )
    targets: list[UnderpinningTarget] = Field(
        default_factory=empty_list, description="Service level targets the supplier must meet."
    )
    obligations: list[Text] = Field(
        default_factory=empty_list, description="Other contractual obligations of the supplier, one per line."
    )
    responsibilities: list[Responsibility] = Field(
        default_factory=empty_list, description="Authorities and responsibilities of each side."
    )
    interfaces: list[Interface] = Field(default_factory=empty_list, description="Interfaces with the supplier.")
    support_lines: list[SupportLine] = Field(
        default_factory=empty_list,
        description="The supplier's lines to call in an incident, each with its label, the account or circuit id "
        "to quote and the hours it answers. The emergency pack lists them with every continuity plan for the "
        "contract's services, and the continuity vCard file has one card per line.",
    )
    manager: Ref = ref("Person (id) who manages the supplier relationship, contract and performance.", "person")
    security_controls: list[Text] = Field(
        default_factory=empty_list,
        description="Information security controls agreed with the supplier, e.g. 'NDA signed 2024-01-05', 'MFA on all admin access'.",
    )
    alignment_checks: list[AlignmentCheck] = Field(
        default_factory=empty_list, description="Checks that the contract supports the dependent customer SLAs."
    )
    contract_reviews: list[ContractReview] = Field(
        default_factory=empty_list, description="Planned reviews of the contract against current service requirements."
    )
    change_evaluations: list[ChangeEvaluation] = Field(
        default_factory=empty_list, description="Impact assessments of proposed changes to the contract."
    )


class ReviewResult(Part):
    """The actual result for one target of a contract or internal agreement over the reviewed period."""

    target: Key = Field(description="Key of the target this result is for, e.g. 'fix-time'.")
    actual: Number = Field(description="Measured value, in the target's unit, e.g. 6.5.")
    met: Bool = Field(description="True if the target was met.")


class SupplierReview(Record):
    """Evidence of a planned review of an external supplier's performance against its contract."""

    kind: Literal["supplier_review"] = Field(description="Record kind: supplier_review.")
    section = "relationship_agreement"
    group = "suppliers"
    position = 2
    event_start = "date"
    event_end = "period_end"
    evidence_dates = ("date", "period_end")
    contract: Ref = ref("Supplier contract (id) reviewed.", "supplier_contract")
    period_start: Date = Field(description="First day of the period reviewed (YYYY-MM-DD).")
    period_end: Date = Field(description="Last day of the period reviewed (YYYY-MM-DD).")
    date: Date = Field(description="Date the review was held (YYYY-MM-DD).")
    results: list[ReviewResult] = Field(default_factory=empty_list, description="Actual result per contract target.")
    findings: Text = Field(description="What the review found, including missed targets or obligations.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised by the review.", "improvement_action", default_factory=empty_list
    )


class SupplierDispute(Record):
    """Evidence that a dispute with an external supplier was logged and followed through to closure."""

    kind: Literal["supplier_dispute"] = Field(description="Record kind: supplier_dispute.")
    section = "relationship_agreement"
    group = "suppliers"
    position = 3
    event_start = "opened"
    event_end = "closed"
    contract: Ref = ref("Supplier contract (id) the dispute is about.", "supplier_contract")
    opened: Date = Field(description="Date the dispute was raised (YYYY-MM-DD).")
    state: DisputeState = Field(description="Where the dispute stands: open, resolved or closed.")
    summary: Text = Field(description="What the dispute is about.")
    resolution: str | None = Field(default=None, description="How the dispute was settled; empty while open.")
    closed: Date | None = Field(default=None, description="Date the dispute was closed (YYYY-MM-DD).")


class InternalAgreement(Record):
    """A documented agreement (OLA) with an internal supplier or a customer acting as a supplier."""

    kind: Literal["internal_agreement"] = Field(description="Record kind: internal_agreement.")
    section = "relationship_agreement"
    group = "suppliers"
    position = 4
    editions = frozenset({"continuity"})
    requires_approval = True
    stated_parts = ("targets", "activities", "interfaces")

    provider: Ref = ref(
        "Organisation (id) of the internal supplier or customer acting as a supplier.", "organisation"
    )
    services: list[Ref] = ref("Services (ids) the agreement supports.", "service", default_factory=empty_list)
    targets: list[UnderpinningTarget] = Field(
        default_factory=empty_list, description="Service level targets the provider must meet."
    )
    commitments: list[Text] = Field(
        default_factory=empty_list, description="Other commitments of the provider, one per line."
    )
    activities: list[Text] = Field(
        default_factory=empty_list, description="Activities the provider carries out, e.g. 'Nightly database backup'."
    )
    interfaces: list[Interface] = Field(default_factory=empty_list, description="Interfaces between the parties.")
    manager: Ref = ref("Person (id) who manages the agreement and the provider's performance.", "person")


class InternalAgreementReview(Record):
    """Evidence of a planned review of an internal supplier's performance against its agreement."""

    kind: Literal["internal_agreement_review"] = Field(description="Record kind: internal_agreement_review.")
    section = "relationship_agreement"
    group = "suppliers"
    position = 5
    event_start = "date"
    event_end = "period_end"
    evidence_dates = ("date", "period_end")
    agreement: Ref = ref("Internal agreement (id) reviewed.", "internal_agreement")
    period_start: Date = Field(description="First day of the period reviewed (YYYY-MM-DD).")
    period_end: Date = Field(description="Last day of the period reviewed (YYYY-MM-DD).")
    date: Date = Field(description="Date the review was held (YYYY-MM-DD).")
    results: list[ReviewResult] = Field(default_factory=empty_list, description="Actual result per agreement target.")
    findings: Text = Field(description="What the review found, including missed targets or commitments.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) raised by the review.", "improvement_action", default_factory=empty_list
    )
