"""Services: the catalogue of services we deliver, their components, customers and suppliers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Part, Record, Ref, Text, empty_list, ref

__all__ = ["Component", "Service"]

Criticality = Literal["low", "medium", "high", "critical"]


class Component(Part):
    """A building block of a service, e.g. a system, a platform or a supplied sub-service."""

    name: Text = Field(description="Name of the component, e.g. 'Mail gateway' or 'Primary database cluster'.")
    description: str = Field(
        default="", description="What the component does for the service, and who runs it if not us."
    )


class Service(Record):
    """A service we deliver: the anchor that agreements, reviews, risks and outages point to."""

    kind: Literal["service"] = Field(description="Record kind: service.")
    section = "services"
    group = "services"
    position = 1
    editions = frozenset({"public", "continuity", "customer"})
    components: list[Component] = Field(
        default_factory=empty_list, description="Parts the service is built from (systems, platforms, supplied services)."
    )
    customers: list[Ref] = ref(
        "Organisations (ids) that receive this service as customers or user groups.",
        "organisation",
        default_factory=empty_list,
    )
    suppliers: list[Ref] = ref(
        "Organisations (ids) that deliver or run the service or any of its components for us.",
        "organisation",
        default_factory=empty_list,
    )
    criticality: Criticality = Field(
        description="How much the business depends on the service: low, medium, high or critical."
    )
