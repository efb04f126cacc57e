"""Shared building blocks of every record model.

Every record kind is a pydantic model that subclasses :class:`Record`. Models are strict about
shape (``extra="forbid"``) and carry a description on every field: those descriptions become the
JSON Schema (``schemas/``) and the authors' reference (``docs/reference.md``).

Scalars are typed so that YAML 1.1 surprises cannot slip through: booleans and numbers are
strict (``on`` or ``"0777"`` never become ``True`` or ``777``), dates go through pydantic's date
parser (``2024-02-30`` is an error, not a crash).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Mapping
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
)

__all__ = [
    "Approval",
    "Attachment",
    "Bool",
    "Classification",
    "Date",
    "DateTime",
    "Duration",
    "Int",
    "Number",
    "Part",
    "Percent",
    "Record",
    "Ref",
    "Review",
    "Status",
    "Text",
    "duration_months_days",
    "personal",
    "ref",
]

Classification = Literal["public", "internal", "confidential"]
Status = Literal["draft", "approved", "retired"]

Bool = StrictBool
Int = StrictInt
Number = StrictFloat | StrictInt
Date = dt.date
DateTime = dt.datetime

_DURATION = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")
_TIME_DURATION = re.compile(r"^PT(?:(?P<h>\d+)H)?(?:(?P<min>\d+)M)?$")


def _check_duration(value: str) -> str:
    if value in ("P", "PT") or not (_DURATION.match(value) or _TIME_DURATION.match(value)):
        raise ValueError(
            f"'{value}' is not an ISO 8601 duration such as P12M, P6M, P1Y, P30D or PT4H"
        )
    return value


Duration = Annotated[
    str,
    AfterValidator(_check_duration),
    Field(json_schema_extra={"pattern": r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$|^PT(?!$)(\d+H)?(\d+M)?$"}),
]


def duration_months_days(value: str) -> tuple[int, int]:
    """Split a date duration into (months, days); weeks count as 7 days, years as 12 months."""
    m = _DURATION.match(value)
    if not m:
        return (0, 0)
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    return g["y"] * 12 + g["m"], g["w"] * 7 + g["d"]


def _version_text(value: object) -> object:
    # `version: 1.10` is written as a number in YAML; keep the text as written.
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return getattr(value, "raw", repr(value))
    if isinstance(value, int):
        return str(value)
    return value


Version = Annotated[
    str,
    BeforeValidator(_version_text),
    Field(min_length=1, json_schema_extra={"type": ["string", "number"]}),
]

Percent = Annotated[float | int, Field(ge=0, le=100)]
Text = Annotated[str, Field(min_length=1)]

# Marks a field as personal data: withheld from editions that do not include personal data.
PERSONAL = {"x-personal-data": True}


def personal(description: str, **kwargs: object):  # noqa: ANN201 - pydantic FieldInfo
    """A field that holds personal data (phone numbers, personal email, home address)."""
    return Field(description=description, json_schema_extra=PERSONAL, **kwargs)  # type: ignore[arg-type]


def ref(description: str, *kinds: str, **kwargs: object):  # noqa: ANN201 - pydantic FieldInfo
    """A field whose value is the id of another record, of one of ``kinds``."""
    return Field(description=description, json_schema_extra={"x-ref": list(kinds)}, **kwargs)  # type: ignore[arg-type]


def empty_list() -> list:
    """A new empty list: the ``default_factory`` of list fields. pydantic reads a factory's signature
    when it builds a model, and a function's is read at once where the builtin ``list``'s is parsed
    from text (0.2 ms each, over a hundred fields)."""
    return []


Ref = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class Part(BaseModel):
    """A nested part of a record: same strictness as a record."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=False)


class Approval(Part):
    """Who approved this version of the record, with which authority, and when."""

    by: Ref = ref("Person (id) who approved this version.", "person")
    authority: Text = Field(
        description="The role or mandate under which they approved it, e.g. 'Board of Directors' or 'Head of IT Operations'."
    )
    date: Date = Field(description="Date of approval (YYYY-MM-DD).")


class Review(Part):
    """The record's planned review interval and when it was last reviewed; the next due date is derived."""

    interval: Duration = Field(
        description="Planned interval between reviews as an ISO 8601 duration, e.g. P12M (yearly), P6M, P3M."
    )
    last_reviewed: Date | None = Field(
        default=None, description="Date of the last completed review (YYYY-MM-DD); empty if never reviewed."
    )


# An evidence file: under content/evidence/, in a type a browser shows without running anything
# (no HTML, SVG or script), named with letters, digits, '.', '_' and '-' (no hidden files, no '..').
EVIDENCE_SUFFIXES = ("pdf", "png", "jpg", "jpeg", "gif", "webp", "csv", "txt", "xlsx", "xls", "ods", "docx", "odt")
EvidencePath = Annotated[str, Field(
    pattern=r"^evidence/([A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*\.(" + "|".join(EVIDENCE_SUFFIXES) + ")$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Attachment(Part):
    """An evidence file kept with the record (a signed agreement, a test report, review minutes)."""

    path: EvidencePath = Field(
        description="The file, relative to the content folder, under evidence/: e.g. "
                    "'evidence/sla/SLA-MAIL-BANK-schedule-signed.pdf'. PDF, image (png, jpg, gif, webp), spreadsheet "
                    "(xlsx, xls, ods, csv), document (docx, odt) or text; lower-case extension.")
    title: Text = Field(description="What the file is, e.g. 'Signed service level schedule'.")
    sha256: Sha256 | None = Field(
        default=None, description="The file's SHA-256 (64 lower-case hex digits), pinned when the evidence is final: "
                                  "check reports a file whose content no longer matches it.")
    signed: Text | None = Field(
        default=None, description="How the file is signed, if it is: e.g. 'Signed by both parties with e-meterai "
                                  "10000, 2026-01-08'.")


class Record(BaseModel):
    """Fields common to every record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Overridden by every concrete kind with a Literal of its own name.
    kind: str
    # The family a kind belongs to (its module under generator/content/models/, the docs' order), set by
    # generator.content.models when it collects the kinds.
    family: ClassVar[str] = ""

    # What the rest of the tool knows about a kind is declared here, on its model, and nowhere
    # else: a concrete kind sets these (without annotation) next to its `kind`. tests/test_kinds.py
    # fails for a kind without a place in the site or with a declaration naming a missing field.
    #
    # Where the site shows it (navigation, home page, the changes page): a section and one of its
    # groups from generator.content.models.SITE_SECTIONS, and its place among the group's kinds (1 first).
    section: ClassVar[str] = ""
    group: ClassVar[str] = ""
    position: ClassVar[int] = 0
    # The shipped editions that carry it, besides those that carry every kind (internal, auditor):
    # "public", "continuity" and "customer" (each customer's portal). An edition declared in
    # mkdocs.yml lists its own kinds.
    editions: ClassVar[frozenset[str]] = frozenset()
    # An event's dates, for an audit period (generator.content.editions.in_force): the field it starts at
    # and the field it ends at (the start when empty); a YYYY-MM `period` counts as its first day.
    # None for a standing document (policy, plan, agreement, person): in force from its approval
    # until retired.
    event_start: ClassVar[str | None] = None
    event_end: ClassVar[str | None] = None
    # The fields that date what the record evidences (a YYYY-MM `period` by its last day): the
    # latest of them, its review and its approval decides whether periodic evidence is stale
    # (generator.compliance.trace.evidence_date).
    evidence_dates: ClassVar[tuple[str, ...]] = ()
    # Whether its records must carry an approval (policies, plans, agreements): approval-missing,
    # approval-draft.
    requires_approval: ClassVar[bool] = False
    # Parts that must not be empty, as dotted field paths, with what each is to a reader:
    # part-missing (generator/checks/required.py); `clause8 new` writes them with placeholders.
    required_parts: ClassVar[Mapping[str, str]] = {}
    # The parts a complete agreement states, judged by its own check (generator/checks/agreements.py,
    # where either of two will do, the first named); `clause8 new` writes them with placeholders.
    stated_parts: ClassVar[tuple[str, ...]] = ()
    # Fields that record activity around the document rather than its substance (reviews done,
    # status, evidence filed): changing them after an approval needs no new version
    # (approval-outdated, generator/checks/approval.py). Kinds add their own.
    bookkeeping: ClassVar[frozenset[str]] = frozenset({"review", "status", "attachments"})

    id: Ref = Field(
        description="Unique, stable identifier of the record across all content, e.g. SLA-MAIL-ACME. Letters, digits, '.', '_' and '-'."
    )
    title: Text = Field(description="Short human-readable title.")
    owner: Ref = ref("Person (id) accountable for this record.", "person")
    classification: Classification = Field(
        default="internal",
        description="Who may read it: public (customers and anyone), internal (staff), confidential (named roles and auditors).",
    )
    status: Status = Field(default="draft", description="Lifecycle state: draft, approved or retired.")
    version: Version = Field(default="0.1", description="Document version, e.g. '1.0' or '2.3'.")
    approval: Approval | None = Field(default=None, description="Who approved this version, with which authority, when.")
    review: Review | None = Field(default=None, description="Planned review interval and last review date.")
    satisfies: list[str] = Field(
        default_factory=empty_list,
        description="Requirement ids (e.g. '8.7.2-c') this record is explicit evidence for, beyond the rules per kind.",
    )
    description: str = Field(
        default="", description="Free text in markdown. Raw HTML is removed when rendered."
    )
    publish: Bool | None = Field(
        default=None,
        description="true: publish this record in the public edition although it concerns a customer (an SLA, "
                    "report or review the customer agreed to make public); the record must be public too. "
                    "Without it, the public edition carries no record that concerns a customer.",
    )
    attachments: list[Attachment] = Field(
        default_factory=empty_list,
        description="Evidence files kept with the record under content/evidence/ (signed agreements, test reports, "
                    "minutes): each edition that carries the record carries its files, shown with size and SHA-256.",
    )


def nested_model(annotation: object) -> type[BaseModel] | None:
    """The model class inside a field annotation (``Part``, ``list[Part]``, ``Part | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = nested_model(arg)
        if found is not None:
            return found
    return None
