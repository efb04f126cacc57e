"""Requirement -> evidence -> verdict: which records evidence each catalogue requirement, what the
checks say about them, and where the requirement stands.

Pure: reads only the shipped data files (``generator/data/requirements.yaml`` for the catalogue
and its evidence type descriptions, ``generator/data/evidence_rules.yaml`` for which record kinds
provide each evidence type), the index and the findings it is given.

A record evidences a requirement when it matches a rule for one of the requirement's evidence
types, or when it names the requirement in its own ``satisfies`` list. Retired records evidence
nothing. Each evidence type is *covered* when an approved record provides it.

A finding is *tied* to a requirement when its code names the requirement, or when its code bears
on the evidence (:data:`generator.checks.EVIDENCE`) and the finding's record evidences the
requirement (see :func:`generator.checks.requirement_codes`). Statuses, worst first (the worst
that applies is the verdict; every cause is kept as a :class:`Reason`):

- ``not_applicable``: informative requirement (``obligation: false``) or ruled so; nothing else
  is judged;
- ``not_met``: an error-level finding is tied to it (the evidence says the obligation is failed);
- ``withheld``: only in an edition: the verdict on all the content differs from the verdict on
  what the edition may show, because records (or findings about them) are withheld from it;
- ``missing``: no record evidences it;
- ``partly_met``: some evidence type is not covered (no record at all, or drafts only);
- ``no_data``: a tied finding says there is nothing to judge from (e.g. months of availability
  without monitoring; a code's ``VERDICTS`` entry);
- ``stale``: due at planned intervals, and the newest evidence is older than its interval
  (the record's ``review.interval``, default P12M) as of ``today``;
- ``at_risk``: a warning-level finding is tied to it;
- ``risk_accepted``: the only tied findings record a documented, unexpired risk acceptance of a
  shortfall (a code whose ``VERDICTS`` entry is ``risk_accepted``);
- ``met``: evidence exists, is covered by approved records, is current, and no finding that
  changes the verdict is tied to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal


from ..checks import EVIDENCE, requirement_codes, verdict_codes
from ..checks.reviews import add_duration
from ..content.findings import Finding
from ..content.index import Index
from ..content.models import Record
from ..content.requirements import Requirement, catalogue
from ..content.datafiles import load_data

__all__ = ["DEFAULT_INTERVAL", "STATUSES", "REASON_CODES", "EvidenceCoverage", "Matcher", "Reason", "RequirementStatus", "Rules", "Status", "Trace", "evidence_date", "evidence_types", "evidenced_by", "finding_status", "parse_rules", "rules", "tie_findings", "trace"]


DATA = Path(__file__).resolve().parent.parent / "data"

Status = Literal["met", "risk_accepted", "at_risk", "stale", "no_data", "partly_met", "missing", "withheld",
                 "not_met", "not_applicable"]
# In the order the matrix summary lists them (best first).
STATUSES: tuple[Status, ...] = ("met", "risk_accepted", "at_risk", "stale", "no_data", "partly_met", "missing",
                                "withheld", "not_met", "not_applicable")
# Which status wins when several apply (higher wins); not_applicable is decided before anything else.
_RANK: dict[str, int] = {status: rank for rank, status in enumerate(
    ("met", "risk_accepted", "at_risk", "stale", "no_data", "partly_met", "missing", "not_met"))}
# The status a tied finding gives, by severity, unless its code declares one (VERDICTS).
_BY_SEVERITY: dict[str, Status] = {"error": "not_met", "warning": "at_risk"}
# Codes of the reasons the evidence itself gives (not findings; README "Verdict reasons").
REASON_CODES: dict[str, str] = {
    "evidence-missing": "No record evidences the requirement.",
    "evidence-uncovered": "An evidence type the requirement needs has no approved record.",
    "evidence-draft": "A record that would provide the evidence is still a draft.",
    "evidence-stale": "The newest periodic evidence is older than its interval.",
    "evidence-undated": "No approved periodic evidence carries a date, so its age is unknown.",
    "evidence-withheld": "Records or findings that decide the verdict are not in this edition.",
}

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
    return parse_rules(load_data((DATA / "evidence_rules.yaml").read_text(encoding="utf-8")))


@cache
def evidence_types() -> dict[str, str]:
    """Evidence type -> what it is, from the catalogue."""
    data = load_data((DATA / "requirements.yaml").read_text(encoding="utf-8"))
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
class Reason:
    """Why a requirement is not simply met: a finding tied to it, or what its evidence lacks.

    ``record`` is the id of the record it is about ("" when there is none, e.g. no evidence at
    all); ``status`` the status this reason alone gives (None: it changes nothing)."""

    code: str
    severity: str
    message: str
    record: str = ""
    status: Status | None = None

    def text(self) -> str:
        """``severity[code] RECORD: message``, one line (the CSV export's form)."""
        about = f" {self.record}" if self.record else ""
        return f"{self.severity}[{self.code}]{about}: {self.message}"


@dataclass(frozen=True)
class RequirementStatus:
    """Where one requirement stands, with its evidence and the reasons for its status."""

    requirement: Requirement
    status: Status
    evidence: list[str]  # every non-retired record evidencing it, sorted by id
    coverage: list[EvidenceCoverage]  # one per evidence type, in catalogue order
    explicit: list[str]  # the records among ``evidence`` that name the requirement in `satisfies`
    newest: dt.date | None = None  # periodic requirements: date of the newest aged evidence
    due: dt.date | None = None  # periodic requirements: evidence must be renewed by then
    reasons: tuple[Reason, ...] = ()  # worst first; empty when met with nothing to say

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
    for name in type(record).evidence_dates:  # each kind names them on its model
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            found.append(value.date() if isinstance(value, dt.datetime) else value)
        elif isinstance(value, str) and (end := _last_day(value)):  # a YYYY-MM period
            found.append(end)
    return max(found) if found else None


class _Evidence:
    """What one index offers every requirement, computed once: records per matcher and the records
    naming each requirement in ``satisfies``."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._matched: dict[Matcher, frozenset[str]] = {}
        self.explicit: dict[str, list[str]] = {}
        for loaded in index.records:
            rec = loaded.record
            if rec.status == "retired":
                continue
            for rid in rec.satisfies:
                self.explicit.setdefault(rid, []).append(rec.id)

    def matched(self, matcher: Matcher) -> frozenset[str]:
        found = self._matched.get(matcher)
        if found is None:
            found = frozenset(loaded.record.id for loaded in self.index.of_kind(matcher.kind)
                              if loaded.record.status != "retired" and matcher.matches(loaded.record))
            self._matched[matcher] = found
        return found


def _collect(evidence: _Evidence, rules_: Rules, requirement: Requirement) -> tuple[list[EvidenceCoverage], list[str]]:
    """Per-type coverage and the explicit evidence of one requirement (independent of the date)."""
    index = evidence.index
    explicit = sorted(set(evidence.explicit.get(requirement.id, ())))
    coverage = []
    all_kinds = {m.kind for t in requirement.evidence for m in rules_.matchers(requirement.id, t)}
    for etype in requirement.evidence:
        matchers = rules_.matchers(requirement.id, etype)
        kinds = {m.kind for m in matchers}
        ids: set[str] = set()
        for m in matchers:
            ids |= evidence.matched(m)
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
         coverage: list[EvidenceCoverage]) -> tuple[dt.date | None, dt.date | None, str, str]:
    """(date of the newest aged evidence, date it must be renewed by, the record that decides it,
    an aged type without dated approved evidence). due is None when some aged type has no dated
    approved evidence. With several aged types, the one due first decides."""
    aged = set(rules_.aged(requirement))
    newest: dt.date | None = None
    due: dt.date | None = None
    decides = undated = ""
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
            undated = undated or cov.type
            continue
        when, rid, rec = max(dated, key=lambda item: (item[0], item[1]))
        interval = rec.review.interval if rec.review else DEFAULT_INTERVAL
        type_due = add_duration(when, interval)
        newest = when if newest is None else max(newest, when)
        if due is None or type_due < due:
            due, decides = type_due, rid
    return newest, (None if undated else due), decides, undated


@cache
def _ties() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    return requirement_codes(), verdict_codes()


def tie_findings(findings: Iterable[Finding], by_record: Mapping[str, list[str]],
                 known: Iterable[str] = ()) -> dict[str, list[Finding]]:
    """Requirement id -> the findings tied to it (each once, in the order given).

    ``by_record`` maps a record id to the requirements it evidences; only findings about records
    in ``known`` count (all findings with a record when ``known`` is empty)."""
    ties, _ = _ties()
    keep = set(known)
    out: dict[str, dict[Finding, None]] = {}
    for f in findings:
        if not f.record or (keep and f.record not in keep):
            continue
        for tie in ties.get(f.code, ()):
            for rid in (by_record.get(f.record, ()) if tie == EVIDENCE else (tie,)):
                out.setdefault(rid, {})[f] = None
    return {rid: list(fs) for rid, fs in out.items()}


def finding_status(finding: Finding) -> Status | None:
    """The status one tied finding gives a requirement (None: it changes nothing)."""
    _, verdicts = _ties()
    declared = verdicts.get(finding.code)
    return declared if declared is not None else _BY_SEVERITY.get(finding.severity)  # type: ignore[return-value]


def _evidence_reasons(index: Index, requirement: Requirement, evidence: list[str],
                      coverage: list[EvidenceCoverage]) -> list[Reason]:
    """What the evidence itself lacks: none at all, uncovered types (and the drafts among them)."""
    if not evidence:
        kinds = sorted({m.kind for cov in coverage for m in cov.matchers})
        what = f" (a record of kind {', '.join(kinds)}, or one naming it in 'satisfies')" if kinds else \
            " (a record naming it in 'satisfies')"
        return [Reason(code="evidence-missing", severity="error", status="missing",
                       message=f"no record evidences {requirement.id}{what}")]
    out = []
    for cov in coverage:
        if cov.covered:
            continue
        out.append(Reason(code="evidence-uncovered", severity="error", status="partly_met",
                          message=f"no approved record provides {cov.type}"
                                  + (f" ({cov.description})" if cov.description else "")))
    if out or not any(index.by_id[rid].record.status == "approved" for rid in evidence):
        for rid in evidence:
            if index.by_id[rid].record.status == "draft":
                out.append(Reason(code="evidence-draft", severity="warning", record=rid, status="partly_met",
                                  message=f"{rid} would evidence {requirement.id} but is still a draft"))
    return out


def _status(evidence_: _Evidence, rules_: Rules, requirement: Requirement, today: dt.date,
            coverage: list[EvidenceCoverage], explicit: list[str], tied: list[Finding]) -> RequirementStatus:
    index = evidence_.index
    evidence = sorted({rid for cov in coverage for rid in cov.records} | set(explicit))
    if not rules_.applies(requirement):
        return RequirementStatus(requirement, "not_applicable", evidence, coverage, explicit)
    reasons = [Reason(f.code, f.severity, f.message, f.record, finding_status(f)) for f in tied]
    reasons += _evidence_reasons(index, requirement, evidence, coverage)
    newest = due = None
    if not any(r.status in ("missing", "partly_met") for r in reasons) and requirement.periodicity == PLANNED:
        newest, due, decides, undated = _age(index, rules_, requirement, coverage)
        if due is None:
            reasons.append(Reason(code="evidence-undated", severity="warning", status="stale",
                                  message=f"no approved {undated} evidence carries a date, so its age is unknown"))
        elif due < today:
            reasons.append(Reason(code="evidence-stale", severity="warning", record=decides, status="stale",
                                  message=f"the newest evidence ({decides}, {newest}) had to be renewed by {due}"))
    status: Status = "met"
    for r in reasons:
        if r.status is not None and _RANK[r.status] > _RANK[status]:
            status = r.status
    # Worst first; those that change nothing last; otherwise in the order found (findings sorted).
    order = sorted(range(len(reasons)), key=lambda i: (-_RANK.get(reasons[i].status or "", -1), i))
    return RequirementStatus(requirement, status, evidence, coverage, explicit, newest, due,
                             tuple(reasons[i] for i in order))


def _trace(index: Index, today: dt.date, rules_: Rules, findings: Iterable[Finding]) -> Trace:
    evidence = _Evidence(index)
    collected = [(req, *_collect(evidence, rules_, req)) for req in catalogue().values()]
    by_record: dict[str, list[str]] = {}
    for req, coverage, explicit in collected:
        for rid in sorted({r for cov in coverage for r in cov.records} | set(explicit)):
            by_record.setdefault(rid, []).append(req.id)
    tied = tie_findings(findings, by_record, index.by_id)
    return Trace(_status(evidence, rules_, req, today, coverage, explicit, tied.get(req.id, []))
                 for req, coverage, explicit in collected)


def trace(index: Index, today: dt.date, rules_: Rules | None = None, *, findings: Iterable[Finding] = (),
          full: Index | None = None, hidden: Iterable[Finding] = ()) -> Trace:
    """The status of every catalogue requirement as of ``today``, in catalogue order.

    ``findings`` are the findings this view may show (those about records outside ``index`` are
    ignored). For an edition, ``full`` is the index of all content (for the same period) and
    ``hidden`` the findings the edition may not show: a requirement whose verdict on ``full`` with
    every finding differs from its verdict here (and is not ``not_met`` here) is ``withheld``.
    """
    rules_ = rules_ or rules()
    shown = list(findings)
    statuses = _trace(index, today, rules_, shown)
    if full is None or full is index:
        return statuses
    whole = _trace(full, today, rules_, [*shown, *hidden])
    out = []
    for mine, all_ in zip(statuses, whole):
        if mine.status in ("not_met", "not_applicable") or mine.status == all_.status:
            out.append(mine)
            continue
        # What the evidence lacks here is no reason: it exists, out of sight. Findings shown stay.
        why = Reason(code="evidence-withheld", severity="info", status="withheld",
                     message="records or findings that decide this verdict are not in this edition; judged "
                             f"only on what it shows, it would be '{mine.status}'")
        found = tuple(r for r in mine.reasons if r.code not in REASON_CODES)
        out.append(dataclasses.replace(mine, status="withheld", reasons=(why, *found)))
    return Trace(out)


def evidenced_by(index: Index, record_id: str, rules_: Rules | None = None) -> list[str]:
    """Requirement ids (catalogue order) that ``record_id`` is evidence for.

    For many records, build one :func:`trace` and use :meth:`Trace.evidenced_by` instead."""
    rules_ = rules_ or rules()
    evidence = _Evidence(index)
    out = []
    for req in catalogue().values():
        coverage, explicit = _collect(evidence, rules_, req)
        if record_id in explicit or any(record_id in cov.records for cov in coverage):
            out.append(req.id)
    return out
