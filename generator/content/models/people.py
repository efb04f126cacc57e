"""People and parties: persons and contacts, organisations and other parties."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Int, Part, Record, Ref, Text, empty_list, personal, ref

__all__ = ["Organisation", "Person", "Phone"]

PartyRole = Literal[
    "customer",
    "user_group",
    "interested_party",
    "external_supplier",
    "internal_supplier",
    "customer_as_supplier",
]


class Phone(Part):
    """A telephone number of a person."""

    label: Text = Field(description="What the number is for, e.g. 'mobile', 'office', 'on-call'.")
    number: Text = personal(
        "Number in international format, e.g. +62 812 3456 7890.",
        pattern=r"^\+?[0-9][0-9 ()-]{5,}$",
    )


class Person(Record):
    """A person: an owner of records, a contact in a continuity plan, a relationship or supplier manager."""

    kind: Literal["person"] = Field(description="Record kind: person.")
    section = "people"
    group = "people"
    position = 1
    editions = frozenset({"continuity"})
    role: Text = Field(description="Job title or role in the service management system.")
    organisation: Ref | None = ref("Organisation (id) the person works for.", "organisation", default=None)
    phones: list[Phone] = Field(default_factory=empty_list, description="Telephone numbers (personal data).")
    email: str | None = Field(
        default=None, description="Work email address.", pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    )
    personal_email: str | None = personal(
        "Personal email address, used only when work systems are down.",
        default=None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    )
    home_address: str | None = personal("Home address, for emergencies only.", default=None)
    alternates: list[Ref] = ref(
        "Persons (ids) who stand in when this person cannot be reached.", "person", default_factory=empty_list
    )


class Organisation(Record):
    """An organisation or party: a customer, user group, interested party or supplier."""

    kind: Literal["organisation"] = Field(description="Record kind: organisation.")
    section = "relationship_agreement"
    group = "customers"
    position = 1
    editions = frozenset({"public", "continuity", "customer"})
    roles: list[PartyRole] = Field(
        min_length=1,
        description=(
            "What the party is to us: customer, user_group, interested_party, external_supplier, "
            "internal_supplier or customer_as_supplier."
        ),
    )
    segment: str | None = Field(
        default=None, description="Customer segment used for survey coverage, e.g. 'enterprise', 'public sector'."
    )
    users: Int | None = Field(default=None, ge=0, description="Number of users of our services at this party.")
    relationship_manager: Ref | None = ref(
        "Person (id) accountable for the relationship with this party and its satisfaction.", "person", default=None
    )
    contacts: list[Ref] = ref("Persons (ids) who are contacts at this party.", "person", default_factory=empty_list)
    website: str | None = Field(default=None, description="Public website address.")
