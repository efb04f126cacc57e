"""What `clause8 import` needs from a record kind: where it came from, and how it is kept.

A kind the importer can write declares ``import_spec`` (an :class:`ImportSpec`: its month files
and the fields people keep by hand) and an optional ``imported_from`` field (an
:class:`ImportSource`). Records written by hand have no ``imported_from``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from .base import Part, Ref, Text

__all__ = ["COMMON_HAND_FIELDS", "ImportSource", "ImportSpec", "hand_fields", "import_spec_of", "imported_from",
           "owned_values"]


class ImportSource(Part):
    """Where an imported record came from, so that importing again updates it instead of adding a copy."""

    system: Ref = Field(description="The tool the record was imported from, as the import mapping names it, "
                        "e.g. 'zabbix', 'freshdesk', 'jira-sm'.")
    id: Text = Field(description="The record's identifier in that tool, e.g. a ticket number ('4521'), an issue key "
                     "('SD-123') or, where the export has none, the values that identify the row "
                     "('mail-gw-01|SMTP service is down|2026-05-06 08:10:00').")
    hash: Text = Field(description="Fingerprint of the values the import wrote (sha256, shortened). When the record's "
                       "values no longer match it, the record was edited by hand: a later import reports it and "
                       "leaves it alone instead of overwriting the edit.")


def imported_from():  # noqa: ANN201 - pydantic FieldInfo
    """The optional ``imported_from`` field of a kind that `clause8 import` writes."""
    return Field(default=None, description="Set by `clause8 import`: the tool and identifier the record was imported "
                 "from and a fingerprint of the imported values. Leave it as it is: it lets a later import update "
                 "the record and notice hand edits. Records written by hand have none.")


@dataclass(frozen=True)
class ImportSpec:
    """How `clause8 import` keeps records of a kind: the file stem under the kind's family folder (one file per
    month, ``<stem>-YYYY-MM.yaml``), the field whose month decides the file, and the fields people add by hand
    after an import (an import never writes them, keeps them when it updates a record, and does not count them
    as hand edits)."""

    file_stem: str
    month_field: str
    hand_fields: tuple[str, ...] = ()


def import_spec_of(model: type) -> ImportSpec | None:
    """The kind's ImportSpec, None for kinds the importer does not write."""
    spec = getattr(model, "import_spec", None)
    return spec if isinstance(spec, ImportSpec) else None


# Fields of every record that people keep after an import: the import sets them when it creates a
# record (from the mapping's defaults) and never again, and an edit to them is not a conflict.
COMMON_HAND_FIELDS = frozenset({"owner", "classification", "status", "version", "approval", "review", "satisfies",
                                "description", "attachments"})
_IDENTITY = frozenset({"id", "kind", "imported_from"})


def hand_fields(model: type) -> frozenset[str]:
    """The fields of a kind an import leaves to people (common ones and the kind's own)."""
    spec = import_spec_of(model)
    return COMMON_HAND_FIELDS | frozenset(spec.hand_fields if spec else ())


def owned_values(model: type, record: dict) -> dict:
    """The values of ``record`` an import owns: everything but identity and the hand-kept fields."""
    hand = hand_fields(model)
    return {k: v for k, v in record.items() if k not in hand and k not in _IDENTITY}
