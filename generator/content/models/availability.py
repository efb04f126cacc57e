"""Service availability management (8.7.1): requirements and targets, risks, monitoring coverage, outages and
their investigation."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from .base import Bool, Date, DateTime, Part, Percent, Record, Ref, Text, empty_list, ref
from .imported import ImportSource, ImportSpec, imported_from

__all__ = [
    "AvailabilityRequirement",
    "AvailabilityRiskAssessment",
    "MonitoringCoverage",
    "MonitoringGap",
    "Outage",
    "OutageInvestigation",
    "Risk",
]

Level = Literal["low", "medium", "high"]
Period = Literal["month", "quarter", "year"]


class Risk(Part):
    """One assessed risk: what could happen, how likely, how bad, and how it is treated."""

    risk: Text = Field(description="What could happen, e.g. 'Loss of the primary data centre power feed'.")
    likelihood: Level = Field(description="How likely it is: low, medium or high.")
    impact: Level = Field(description="How bad it would be: low, medium or high.")
    treatment: Text = Field(description="How the risk is treated, e.g. 'UPS and generator, tested quarterly'.")


class AvailabilityRequirement(Record):
    """Documented availability requirements and target for one service."""

    kind: Literal["availability_requirement"] = Field(description="Record kind: availability_requirement.")
    section = "service_assurance"
    group = "availability"
    position = 1
    service: Ref = ref("Service (id) the requirement is for.", "service")
    target: Percent = Field(description="Availability aimed for, in percent, e.g. 99.9.")
    period: Period = Field(description="Period over which availability is measured: month, quarter or year.")
    service_hours: Text = Field(
        description="Hours in which the service must be available, e.g. '24x7' or 'Mon-Fri 07:00-19:00 WIB'."
    )
    requirements: list[Text] = Field(
        default_factory=empty_list,
        description="Business and service requirements the target was derived from, one per line.",
    )
    slas: list[Ref] = ref(
        "SLAs (ids) taken into account when setting the requirement.", "sla", default_factory=empty_list
    )
    risk_assessments: list[Ref] = ref(
        "Availability risk assessments (ids) taken into account when setting the requirement.",
        "availability_risk_assessment",
        default_factory=empty_list,
    )
    monitoring_since: Date = Field(
        description="Date from which availability is reported (YYYY-MM-DD); nothing is reported before it. "
        "Months from then on count as measured only where a monitoring_coverage record covers them; the "
        "others are 'no data'."
    )
    excluded: list[Text] = Field(
        default_factory=empty_list,
        description="Names of SLA exceptions whose planned outages do not count against the target, e.g. 'Planned maintenance'.",
    )


class AvailabilityRiskAssessment(Record):
    """Evidence of a planned assessment of risks to service availability."""

    kind: Literal["availability_risk_assessment"] = Field(description="Record kind: availability_risk_assessment.")
    section = "service_assurance"
    group = "availability"
    position = 2
    event_start = "date"
    evidence_dates = ("date",)
    services: list[Ref] = ref("Services (ids) assessed.", "service", default_factory=empty_list)
    date: Date = Field(description="Date of the assessment (YYYY-MM-DD).")
    risks: list[Risk] = Field(default_factory=empty_list, description="Risks to availability found, with their treatment.")


class MonitoringGap(Part):
    """A time inside a coverage period when monitoring did not run."""

    start: DateTime = Field(description="When monitoring stopped, e.g. 2026-06-14T02:00:00+07:00.")
    end: DateTime = Field(description="When monitoring ran again, e.g. 2026-06-14T04:30:00+07:00.")
    reason: Text = Field(description="Why monitoring did not run, e.g. 'Monitoring server upgrade'.")


class MonitoringCoverage(Record):
    """Evidence that a service's availability was monitored over a period, and when it was not.

    A month counts as measured only for the time such a record covers, less its gaps; a month with
    no covered time is 'no data', never 100 %. Monitoring tools or importers write one record per
    service and period (a month, a quarter)."""

    kind: Literal["monitoring_coverage"] = Field(description="Record kind: monitoring_coverage.")
    section = "service_assurance"
    group = "availability"
    position = 3
    event_start = "start"
    event_end = "end"
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("monitoring-coverage", "start")
    service: Ref = ref("Service (id) whose availability was monitored.", "service")
    source: Text = Field(
        description="The monitoring tool or source that watched the service, e.g. 'Zabbix 6.0, probes in Jakarta "
        "and Bandung, 60 s checks'."
    )
    start: Date = Field(description="First day monitored (YYYY-MM-DD), from 00:00 WIB.")
    end: Date = Field(description="Last day monitored (YYYY-MM-DD), to 24:00 WIB; not before start.")
    gaps: list[MonitoringGap] = Field(
        default_factory=empty_list,
        description="Times inside the period when monitoring did not run; they are not measured time.",
    )
    imported_from: ImportSource | None = imported_from()


class Outage(Record):
    """Evidence from availability monitoring: a period when a service was not available."""

    kind: Literal["outage"] = Field(description="Record kind: outage.")
    section = "service_assurance"
    group = "availability"
    position = 4
    editions = frozenset({"customer"})
    event_start = "start"
    event_end = "end"
    import_spec: ClassVar[ImportSpec | None] = ImportSpec("outages", "start", ("investigation",))
    service: Ref = ref("Service (id) that was unavailable.", "service")
    start: DateTime = Field(description="When the service became unavailable, e.g. 2024-03-05T02:10:00+07:00.")
    end: DateTime | None = Field(
        default=None, description="When the service was available again; empty while the outage is ongoing."
    )
    planned: Bool = Field(description="True if the outage was planned and announced, e.g. maintenance.")
    exception: str | None = Field(
        default=None,
        description="Name of the SLA exception the outage falls under, e.g. 'Planned maintenance'; empty if none.",
    )
    investigation: Ref | None = ref(
        "Outage investigation (id) for this outage; expected for every unplanned outage.",
        "outage_investigation",
        default=None,
    )
    summary: Text = Field(description="What happened and what users experienced.")
    imported_from: ImportSource | None = imported_from()


class OutageInvestigation(Record):
    """Evidence that unplanned unavailability was investigated (root cause) and acted on."""

    kind: Literal["outage_investigation"] = Field(description="Record kind: outage_investigation.")
    section = "service_assurance"
    group = "availability"
    position = 5
    editions = frozenset({"customer"})
    event_start = "date"
    evidence_dates = ("date",)
    outages: list[Ref] = ref("Outages (ids) investigated.", "outage", default_factory=empty_list)
    date: Date = Field(description="Date the investigation was completed (YYYY-MM-DD).")
    root_cause: Text = Field(description="The root cause found, e.g. 'Expired TLS certificate on load balancer'.")
    actions: list[Ref] = ref(
        "Improvement actions (ids) the investigation showed to be needed.", "improvement_action", default_factory=empty_list
    )
