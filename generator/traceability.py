"""Requirement -> evidence: which records evidence each catalogue requirement, and how well.

Pure: reads only the shipped data files (``generator/data/requirements.yaml`` for the catalogue
and its evidence type descriptions, ``generator/data/evidence_rules.yaml`` for which record kinds
provide each evidence type) and the index it is given.

A record evidences a requirement when it matches a rule for one of the requirement's evidence
types, or when it names the requirement in its own ``satisfies`` list. Retired records evidence
nothing. Each evidence type is *covered* when an approved record provides it. Statuses:

- ``not_applicable``: informative requirement (``obligation: false``) or ruled so;
- ``missing``: no record evidences it;
- ``partly_met``: some evidence type is not covered (no record at all, or drafts only);
- ``stale``: due at planned intervals, and the newest evidence is older than its interval
  (the record's ``review.interval``, default P12M) as of ``today``;
- ``met``: otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from .checks.reviews import add_duration
from .index import Index
from .models import Record
from .requirements import Requirement, catalogue

DATA = Path(__file__).resolve().parent / "data"

Status = Literal["met", "partly_met", "missing", "stale", "not_applicable"]
STATUSES: tuple[Status, ...] = ("met", "partly_met", "stale", "missing", "not_applicable")

# Interval used to age evidence of a record without its own review interval.
DEFAULT_INTERVAL = "P12M"
PLANNED = "at_planned_intervals"


# -- rules ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Matcher:
    """One rule: records of ``kind`` whose ``where`` fields hold the values and ``has`` fields are filled in."""

    kind: str
    where: tuple[tuple[str, Any], ...] = ()
    has: tuple[str, ...] = ()

    def matches(self, record: Record) -> bool:
        if record.kind != self.kind:
            return False
        for name, wanted in self.where:
            value = getattr(record, name, None)
            if isinstance(value, (list, tuple)):
                if wanted not in value:
                    return False
            elif value != wanted:
                return False
        return all(getattr(record, name, None) not in (None, "", [], (), False) for name in self.has)


@dataclass(frozen=True)
class Override:
    """Per-requirement deviations from the general rules."""

    evidence_kinds: Mapping[str, tuple[Matcher, ...]] = field(default_factory=dict)
    aged: tuple[str, ...] | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class Rules:
    """The evidence rules: evidence type -> matchers, plus overrides per requirement."""

    evidence_kinds: Mapping[str, tuple[Matcher, ...]]
    overrides: Mapping[str, Override]

    def matchers(self, requirement_id: str, evidence_type: str) -> tuple[Matcher, ...]:
        override = self.overrides.get(requirement_id)
        if override and evidence_type in override.evidence_kinds:
            return override.evidence_kinds[evidence_type]
        return self.evidence_kinds.get(evidence_type, ())

    def aged(self, requirement: Requirement) -> tuple[str, ...]:
        """Evidence types whose age decides whether a periodic requirement is stale."""
        override = self.overrides.get(requirement.id)
        if override and override.aged is not None:
            return override.aged
        return requirement.evidence

    def applies(self, requirement: Requirement) -> bool:
        override = self.overrides.get(requirement.id)
        return requirement.obligation and not (override and override.not_applicable)


def _matcher(spec: str | Mapping[str, Any]) -> Matcher:
    if isinstance(spec, str):
        return Matcher(spec)
    return Matcher(
        kind=spec["kind"],
        where=tuple(sorted((spec.get("where") or {}).items())),
        has=tuple(spec.get("has") or ()),
    )


def _matchers(table: Mapping[str, Iterable[Any]] | None) -> dict[str, tuple[Matcher, ...]]:
    return {etype: tuple(_matcher(s) for s in (specs or ())) for etype, specs in (table or {}).items()}


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """Rules from the parsed ``evidence_rules.yaml`` mapping."""
    overrides = {
        str(rid): Override(
            evidence_kinds=_matchers(spec.get("evidence_kinds")),
            aged=tuple(spec["aged"]) if spec.get("aged") is not None else None,
            not_applicable=bool(spec.get("not_applicable", False)),
        )
        for rid, spec in (data.get("requirements") or {}).items()
    }
    return Rules(_matchers(data.get("evidence_kinds")), overrides)


@cache
def rules() -> Rules:
    """The shipped evidence rules (``generator/data/evidence_rules.yaml``)."""
    return parse_rules(yaml.safe_load((DATA / "evidence_rules.yaml").read_text(encoding="utf-8")))


@cache
def evidence_types() -> dict[str, str]:
    """Evidence type -> what it is, from the catalogue."""
    data = yaml.safe_load((DATA / "requirements.yaml").read_text(encoding="utf-8"))
    return {str(k): " ".join(str(v).split()) for k, v in (data.get("evidence_types") or {}).items()}


# -- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceCoverage:
    """One evidence type a requirement needs, and the records that provide it."""

    type: str
    description: str
    matchers: tuple[Matcher, ...]  # the rules for this type (empty: only explicit `satisfies`)
    records: list[str]  # non-retired records providing it, sorted by id
    covered: bool  # some approved record provides it


@dataclass(frozen=True)
class RequirementStatus:
    """Where one requirement stands, with its evidence."""

    requirement: Requirement
    status: Status
    evidence: list[str]  # every non-retired record evidencing it, sorted by id
    coverage: list[EvidenceCoverage]  # one per evidence type, in catalogue order
    explicit: list[str]  # the records among ``evidence`` that name the requirement in `satisfies`
    newest: dt.date | None = None  # periodic requirements: date of the newest aged evidence
    due: dt.date | None = None  # periodic requirements: evidence must be renewed by then

    @property
    def id(self) -> str:
        return self.requirement.id


class Trace(list[RequirementStatus]):
    """The statuses of every catalogue requirement, in catalogue order, with a reverse lookup."""

    def __init__(self, statuses: Iterable[RequirementStatus] = ()) -> None:
        super().__init__(statuses)
        self._by_record: dict[str, list[str]] = {}
        for st in self:
            for rid in st.evidence:
                self._by_record.setdefault(rid, []).append(st.requirement.id)

    def evidenced_by(self, record_id: str) -> list[str]:
        """Requirement ids (catalogue order) that ``record_id`` is evidence for."""
        return list(self._by_record.get(record_id, ()))

    def get(self, requirement_id: str) -> RequirementStatus | None:
        return next((st for st in self if st.requirement.id == requirement_id), None)

    def counts(self) -> dict[str, int]:
        """Status -> number of requirements, for every status (zeros included)."""
        out = dict.fromkeys(STATUSES, 0)
        for st in self:
            out[st.status] += 1
        return out


# -- tracing ----------------------------------------------------------------------------------
def _last_day(month: str) -> dt.date | None:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        return None
    return add_duration(first, "P1M") - dt.timedelta(days=1)


def evidence_date(record: Record) -> dt.date | None:
    """When the record was last done or confirmed: the latest of its review, its own date,
    the end of the period it covers, and its approval."""
    found: list[dt.date] = []
    if record.review and record.review.last_reviewed:
        found.append(record.review.last_reviewed)
    if record.approval:
        found.append(record.approval.date)
    for name in ("date", "period_end"):
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            found.append(value.date() if isinstance(value, dt.datetime) else value)
    period = getattr(record, "period", None)
    if isinstance(period, str):
        end = _last_day(period)
        if end:
            found.append(end)
    return max(found) if found else None


def _collect(index: Index, rules_: Rules, requirement: Requirement) -> tuple[list[EvidenceCoverage], list[str]]:
    """Per-type coverage and the explicit evidence of one requirement (independent of the date)."""
    explicit = sorted(
        loaded.record.id for loaded in index.records
        if requirement.id in loaded.record.satisfies and loaded.record.status != "retired"
    )
    coverage = []
    all_kinds = {m.kind for t in requirement.evidence for m in rules_.matchers(requirement.id, t)}
    for etype in requirement.evidence:
        matchers = rules_.matchers(requirement.id, etype)
        kinds = {m.kind for m in matchers}
        ids: set[str] = set()
        for kind in sorted(kinds):
            for loaded in index.of_kind(kind):
                rec = loaded.record
                if rec.status != "retired" and any(m.matches(rec) for m in matchers):
                    ids.add(rec.id)
        for rid in explicit:
            # A record that names the requirement provides the types its kind provides; a record of
            # a kind no rule of the requirement knows is taken at its word for every type.
            kind = index.by_id[rid].record.kind
            if kind in kinds or kind not in all_kinds:
                ids.add(rid)
        records = sorted(ids)
        covered = any(index.by_id[rid].record.status == "approved" for rid in records)
        coverage.append(EvidenceCoverage(etype, evidence_types().get(etype, ""), matchers, records, covered))
    return coverage, explicit


def _age(index: Index, rules_: Rules, requirement: Requirement,
         coverage: list[EvidenceCoverage]) -> tuple[dt.date | None, dt.date | None]:
    """(date of the newest aged evidence, date it must be renewed by); due is None when no aged
    evidence carries a date. With several aged types, the one due first decides."""
    aged = set(rules_.aged(requirement))
    newest: dt.date | None = None
    due: dt.date | None = None
    undated = False
    for cov in coverage:
        if cov.type not in aged:
            continue
        dated = []
        for rid in cov.records:
            rec = index.by_id[rid].record
            when = evidence_date(rec)
            if rec.status == "approved" and when is not None:
                dated.append((when, rid, rec))
        if not dated:
            undated = True
            continue
        when, _, rec = max(dated, key=lambda item: (item[0], item[1]))
        interval = rec.review.interval if rec.review else DEFAULT_INTERVAL
        type_due = add_duration(when, interval)
        newest = when if newest is None else max(newest, when)
        due = type_due if due is None else min(due, type_due)
    return newest, (None if undated else due)


def _status(index: Index, rules_: Rules, requirement: Requirement, today: dt.date) -> RequirementStatus:
    coverage, explicit = _collect(index, rules_, requirement)
    evidence = sorted({rid for cov in coverage for rid in cov.records} | set(explicit))
    newest = due = None
    status: Status
    if not rules_.applies(requirement):
        status = "not_applicable"
    elif not evidence:
        status = "missing"
    elif not all(cov.covered for cov in coverage):
        status = "partly_met"
    elif not any(index.by_id[rid].record.status == "approved" for rid in evidence):
        status = "partly_met"  # only draft evidence (a requirement without evidence types)
    else:
        status = "met"
        if requirement.periodicity == PLANNED:
            newest, due = _age(index, rules_, requirement, coverage)
            if due is None or due < today:
                status = "stale"
    return RequirementStatus(requirement, status, evidence, coverage, explicit, newest, due)


def trace(index: Index, today: dt.date, rules_: Rules | None = None) -> Trace:
    """The status of every catalogue requirement as of ``today``, in catalogue order."""
    rules_ = rules_ or rules()
    return Trace(_status(index, rules_, req, today) for req in catalogue().values())


def evidenced_by(index: Index, record_id: str, rules_: Rules | None = None) -> list[str]:
    """Requirement ids (catalogue order) that ``record_id`` is evidence for.

    For many records, build one :func:`trace` and use :meth:`Trace.evidenced_by` instead."""
    rules_ = rules_ or rules()
    out = []
    for req in catalogue().values():
        coverage, explicit = _collect(index, rules_, req)
        if record_id in explicit or any(record_id in cov.records for cov in coverage):
            out.append(req.id)
    return out


# -- export -----------------------------------------------------------------------------------
def matrix_rows(statuses: Iterable[RequirementStatus]) -> list[dict[str, Any]]:
    """One plain mapping per requirement: id, subclause, status, evidence (record ids)."""
    return [
        {"id": st.requirement.id, "subclause": st.requirement.subclause, "status": st.status,
         "evidence": list(st.evidence)}
        for st in statuses
    ]


def matrix_json(statuses: Iterable[RequirementStatus], today: dt.date,
                figures: Mapping[str, Any] | None = None) -> str:
    """The compliance matrix as JSON: stable (sorted keys, catalogue order), newline-terminated."""
    payload = {
        "version": 1,
        "generated_for": today.isoformat(),
        "requirements": matrix_rows(statuses),
        "figures": dict(figures or {}),
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def matrix_csv(statuses: Iterable[RequirementStatus]) -> str:
    """The compliance matrix as CSV: header, then id,subclause,status,evidence (ids joined by space)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "subclause", "status", "evidence"])
    for row in matrix_rows(statuses):
        writer.writerow([row["id"], row["subclause"], row["status"], " ".join(row["evidence"])])
    return out.getvalue()


__all__ = [
    "DEFAULT_INTERVAL",
    "STATUSES",
    "EvidenceCoverage",
    "Matcher",
    "RequirementStatus",
    "Rules",
    "Status",
    "Trace",
    "evidence_date",
    "evidence_types",
    "evidenced_by",
    "matrix_csv",
    "matrix_json",
    "matrix_rows",
    "parse_rules",
    "rules",
    "trace",
]
