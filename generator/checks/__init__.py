"""Checks over the whole index: pure functions that yield findings with a stable code.

Each module holds one concern and exposes ``check(index, ctx) -> Iterator[Finding]``.
``CODES`` documents every code the loader and the checks can emit; the README lists them
(a test keeps the two in step).

Tying findings to requirements (the compliance verdicts of :mod:`generator.compliance.trace`):

- every check module declares ``REQUIREMENTS: dict[str, tuple[str, ...]]``, mapping each code it
  emits to what the code bears on: catalogue requirement ids (``"8.3.4.1-d"``), and/or the marker
  :data:`EVIDENCE` ("every requirement the finding's record is evidence for", for generic codes
  such as ``review-overdue`` or ``ref-unknown``). An empty tuple declares that the code bears on
  no requirement;
- a module may declare ``VERDICTS: dict[str, str]``, mapping a code to the status it gives a
  requirement it is tied to (``"no_data"``, ``"risk_accepted"``); otherwise an error gives
  ``not_met``, a warning ``at_risk``, and an info finding changes nothing;
- :func:`requirement_codes` and :func:`verdict_codes` collect the declarations; a test fails when
  a code of ``CODES`` is declared nowhere, so no code is forgotten.

Loader codes bear on no requirement (:data:`LOADER_REQUIREMENTS`): a record that failed to load
is not in the index, so it evidences nothing and the requirements it would evidence are judged
without it (``missing`` or ``partly_met``); and any load error stops ``build`` and ``export``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ..content.findings import Finding, Severity
from ..content.index import Index
from ..content.loader import Loaded, format_path

CHECK_MODULES: tuple[str, ...] = ("references", "required", "reviews", "compliance", "suppliers", "markup",
                                   "lifecycle", "achievement", "deficiencies", "coverage", "currency",
                                   "workload", "agreements", "monitoring", "approval", "attachments",
                                   "placeholders")

# In a module's REQUIREMENTS: the requirements the finding's record is evidence for.
EVIDENCE = "evidence"


# Defaults of the ages and intervals the checks judge against (README "Check settings").
COMPLAINT_MAX_OPEN_DAYS = 30
DISPUTE_MAX_OPEN_DAYS = 90
CONTACTS_VERIFY_INTERVAL = "P6M"
POST_REVIEW_DAYS = 14
ATTACHMENT_MAX_BYTES = 10 * 2**20


@dataclass(frozen=True)
class Context:
    """What a check may depend on besides the records: the date reviews are judged against, and the
    ages and intervals some checks allow (defaults above; a caller may pass others)."""

    today: dt.date
    # A complaint not closed this many days after it was received is complaint-aged.
    complaint_max_open_days: int = COMPLAINT_MAX_OPEN_DAYS
    # A supplier dispute not closed this many days after it was opened is dispute-aged.
    dispute_max_open_days: int = DISPUTE_MAX_OPEN_DAYS
    # A continuity plan's contact list must have been verified within this ISO 8601 interval.
    contacts_verify_interval: str = CONTACTS_VERIFY_INTERVAL
    # Days after a continuity test or the end of an invocation by which its review must be recorded.
    post_review_days: int = POST_REVIEW_DAYS
    # An evidence file over this size is attachment-too-large (each edition and bundle carries it).
    attachment_max_bytes: int = ATTACHMENT_MAX_BYTES
    # The git history of the records (generator.content.history.History), for approval integrity; None: not judged.
    history: Any = None
    # The facts of the evidence files the records name (generator.content.evidence.Evidence); None: not judged.
    evidence: Any = None


# The settings an organisation may change, in mkdocs.yml under extra.clause8.checks.
SETTINGS: tuple[str, ...] = ("complaint_max_open_days", "dispute_max_open_days", "contacts_verify_interval",
                             "post_review_days", "attachment_max_bytes")


def check_settings(clause8: Any) -> dict[str, Any]:
    """The check settings of an mkdocs configuration's ``extra.clause8`` (its ``checks`` mapping),
    as :class:`Context` fields. Raises ValueError naming every value that cannot be used."""
    raw = clause8.get("checks") if isinstance(clause8, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("extra.clause8.checks: write a mapping of setting: value "
                         f"(settings: {', '.join(SETTINGS)})")
    from ..figures.due import try_add_duration
    from ..content.models.base import duration_months_days

    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in raw.items():
        where = f"extra.clause8.checks.{name}"
        if name not in SETTINGS:
            problems.append(f"{where}: unknown setting (settings: {', '.join(SETTINGS)})")
        elif name == "contacts_verify_interval":
            if (not isinstance(value, str) or duration_months_days(value) == (0, 0)
                    or try_add_duration(dt.date(2000, 1, 1), value) is None):
                problems.append(f"{where}: {value!r} is not an ISO 8601 duration such as P6M or P90D")
            else:
                out[name] = value
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(f"{where}: {value!r} is not a whole number of at least 1")
        else:
            out[name] = value
    if problems:
        raise ValueError("; ".join(problems))
    return out


def finding(loaded: Loaded, path: tuple[str | int, ...], severity: Severity, code: str, message: str,
            key: bool = False) -> Finding:
    """A finding located at ``path`` inside ``loaded``'s record."""
    line, col = loaded.source.pos(*path, key=key)
    return Finding(loaded.source.file, line, col, severity, code, format_path(loaded.source.base + path), message,
                   record=loaded.record.id)


# From this many records on, half of the check modules run in a forked process (see run_checks).
PARALLEL_MIN_RECORDS = 2000
# The modules the forked process runs: about half of the checking time of a large tree (measured on
# 10,000 synthetic records: these ~0.4 s, the rest ~0.45 s, this process starting sooner).
FORKED_MODULES = ("required", "compliance", "markup", "achievement", "coverage", "workload", "attachments")
# What the forked process checks: set just before it is forked, read by _check_forked in it.
_FORKED: tuple[Index, Context] | None = None


def _check_modules(names: tuple[str, ...], index: Index, ctx: Context) -> dict[str, list[Finding]]:
    return {name: list(import_module(f"{__name__}.{name}").check(index, ctx)) for name in names}


def _check_forked(names: tuple[str, ...]) -> dict[str, list[Finding]]:
    assert _FORKED is not None
    return _check_modules(names, *_FORKED)


def run_checks(index: Index, ctx: Context) -> Iterator[Finding]:
    """Every finding of every check module, module by module in :data:`CHECK_MODULES` order.

    Checks are pure functions of the index: on a large index, and in a process that runs no other
    thread, the modules of FORKED_MODULES run in a forked copy of this process (which sees the index without
    copying it) while this one runs the rest; the findings come back in the same order."""
    import threading

    if len(index.records) < PARALLEL_MIN_RECORDS or threading.active_count() > 1:
        for name in CHECK_MODULES:
            yield from import_module(f"{__name__}.{name}").check(index, ctx)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _FORKED
    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        mp = None
    results: dict[str, list[Finding]] = {}
    forked = tuple(n for n in CHECK_MODULES if n in FORKED_MODULES) if mp is not None else ()
    _FORKED = (index, ctx)
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=mp) as pool:
            future = pool.submit(_check_forked, forked) if forked else None
            results.update(_check_modules(tuple(n for n in CHECK_MODULES if n not in forked), index, ctx))
            if future is not None:
                try:
                    results.update(future.result())
                except (BrokenProcessPool, OSError):  # the copy died or could not start: check here
                    results.update(_check_modules(forked, index, ctx))
    except OSError:  # no process could be forked at all
        results.update(_check_modules(tuple(n for n in CHECK_MODULES if n not in results), index, ctx))
    finally:
        _FORKED = None
    for name in CHECK_MODULES:
        yield from results[name]


def requirement_codes() -> dict[str, tuple[str, ...]]:
    """Code -> what it bears on: requirement ids and/or :data:`EVIDENCE` (empty: nothing).

    The loader's declaration and every check module's ``REQUIREMENTS``; a code declared by two
    modules bears on everything either says."""
    out: dict[str, tuple[str, ...]] = dict(LOADER_REQUIREMENTS)
    for name in CHECK_MODULES:
        module = import_module(f"{__name__}.{name}")
        for code, ties in getattr(module, "REQUIREMENTS", {}).items():
            out[code] = tuple(dict.fromkeys((*out.get(code, ()), *ties)))
    return out


def verdict_codes() -> dict[str, str]:
    """Code -> the status it gives a requirement it is tied to, where that is not decided by its
    severity (every check module's ``VERDICTS``)."""
    out: dict[str, str] = {}
    for name in CHECK_MODULES:
        out.update(getattr(import_module(f"{__name__}.{name}"), "VERDICTS", {}))
    return out


# The loader's codes bear on no requirement (see the module docstring).
LOADER_REQUIREMENTS: dict[str, tuple[str, ...]] = dict.fromkeys((
    "content-missing", "file-unreadable", "symlink-outside", "file-too-large", "file-empty", "encoding",
    "yaml-syntax", "yaml-tab", "yaml-alias", "yaml-tag", "yaml-depth", "yaml-key", "yaml-multi-document",
    "key-duplicate", "record-shape", "kind-missing", "kind-unknown", "field-missing", "field-unknown",
    "field-invalid", "symlink-loop",
), ())

# code -> (severity, what it means). Loader codes first, then check codes.
CODES: dict[str, tuple[str, str]] = {
    "content-missing": ("error", "The content folder does not exist."),
    "file-unreadable": ("error", "A file or folder could not be read: a .yaml symbolic link that leads nowhere, a .yaml that is not a regular file (a named pipe, a socket, a device), no permission."),
    "symlink-outside": ("error", "A symbolic link leads outside the content folder; it is not followed."),
    "symlink-loop": ("error", "A symbolic link loops: it leads back to itself, or to a folder that holds it; it is not followed."),
    "file-too-large": ("error", "A file is over the size limit (1 MiB); split it."),
    "file-empty": ("error", "A file holds no record (empty, comments only, or only '---', '~', 'null' or '[]')."),
    "encoding": ("error", "A file holds bytes that are not UTF-8 (a UTF-8 byte order mark is fine)."),
    "yaml-syntax": ("error", "The YAML cannot be parsed."),
    "yaml-tab": ("error", "A tab character is used for indentation; YAML needs spaces."),
    "yaml-alias": ("error", "An anchor (&name) or alias (*name) is used; write values out instead."),
    "yaml-tag": ("error", "An explicit YAML tag (!!python/object, !!str...) is used."),
    "yaml-depth": ("error", "Nesting is deeper than the limit (40 levels)."),
    "yaml-key": ("error", "A mapping key is not plain text."),
    "yaml-multi-document": ("error", "A file holds more than one YAML document (---)."),
    "key-duplicate": ("error", "The same key appears twice in one mapping; both places are named."),
    "record-shape": ("error", "A file is not one record (a mapping) or a list of records."),
    "kind-missing": ("error", "A record has no 'kind' field."),
    "kind-unknown": ("error", "A record's kind is not one of the known kinds."),
    "field-missing": ("error", "A required field is missing."),
    "field-unknown": ("error", "A field is not part of the kind (with a 'did you mean' suggestion)."),
    "field-invalid": ("error", "A value has the wrong type or form (e.g. an impossible date, text where a number is needed, 'on' where true/false is needed)."),
    "id-duplicate": ("error", "Two records share one id; both places are named."),
    "ref-unknown": ("error", "A field refers to an id that no record has."),
    "ref-kind": ("error", "A field refers to a record of the wrong kind."),
    "requirement-unknown": ("error", "'satisfies' names a requirement id that is not in the catalogue."),
    "markup-unparseable": ("error", "A markdown field (description) cannot be rendered as the site renders it (e.g. '<![>'): the build would stop on that page."),
    "link-broken": ("error", "A link in a markdown field leads to no page of the site: a relative link must name a record page, a kind's index page or the home page present in every edition that shows the record; no absolute paths (/x); an anchor (#x) must be a heading of the record's title or description."),
    "part-missing": ("error", "A required part of a record is empty (e.g. a continuity plan without invocation criteria, recovery requirements, return to normal or contacts)."),
    "approval-missing": ("error", "A policy, plan or agreement marked approved has no approval record (who, with which authority, when)."),
    "approval-draft": ("warning", "A policy, plan or agreement is still a draft."),
    "review-overdue": ("warning", "A record's planned review is overdue as of the check date."),
    "review-never": ("warning", "A record with a planned review interval has never been reviewed, and its first review (the interval counted from its approval date; at once when it has none) is due."),
    "interval-too-long": ("error", "A review interval is too long to compute with: from the latest check date (9000-12-31), or from the last review, it passes 9999-12-31."),
    "outage-uninvestigated": ("error", "An unplanned outage that has ended has no investigation (neither its 'investigation' nor an outage investigation listing it)."),
    "availability-missed": ("warning", "A service's measured availability was below its target in a finished month, and no investigation of the outages behind it raised an improvement action."),
    "availability-unmonitored": ("warning", "Finished months from an availability requirement's monitoring_since that no monitoring coverage record covers: their availability is unknown ('no data', never 100 %); the requirements it bears on are 'no data'."),
    "coverage-invalid": ("error", "A monitoring coverage period ends before it starts, or one of its gaps ends before it starts or lies outside the period."),
    "sla-missed-no-action": ("error", "An SLA report result misses its target and the report names no improvement action."),
    "survey-overdue": ("warning", "No satisfaction survey within the planned interval (the survey's review interval, else 12 months) as of the check date."),
    "survey-undersampled": ("warning", "A satisfaction survey has fewer responses than its population needs at its confidence and margin (Cochran, p = 0.5, finite population correction)."),
    "survey-segment-silent": ("warning", "A customer segment of a satisfaction survey gave no response."),
    "continuity-test-overdue": ("warning", "A continuity plan was not tested within its planned interval (the plan's review interval, else 12 months) as of the check date."),
    "plan-untested-since-change": ("warning", "A continuity plan's last major change is after its latest continuity test."),
    "supplier-weaker": ("error", "A target of a supplier contract or internal agreement is weaker than the SLA target it supports ('supports: SLA-ID#target'), compared in one unit."),
    "supplier-chain-weaker": ("warning", "The targets that support one SLA target in series (all but standby contracts) fall short of it when combined: availabilities multiplied, times added up."),
    "supplier-shortfall-accepted": ("info", "A supplier shortfall of an SLA target is covered by a documented risk acceptance in force (who, with which authority, until when, why); it is shown as an accepted risk until the acceptance expires."),
    "supports-unknown": ("error", "A 'supports' entry names an SLA or an SLA target key that does not exist."),
    "supports-unlisted": ("error", "A contract or agreement target supports an SLA that does not list the contract or agreement in 'underpinned_by'."),
    "supports-incompatible": ("error", "A target supports an SLA target measured in another dimension (a percentage against a time) or in the other direction (at_least against at_most)."),
    "unit-unknown": ("error", "A target that has to be compared is written in a unit that is not known (known: %, percent, persen; min, minutes, menit; h, hours, jam; d, days, hari; ISO 8601 durations), so it cannot be compared."),
    "alignment-unstated": ("warning", "An SLA names an underpinning contract or agreement, but none of that contract's targets says which SLA target it supports."),
    "alignment-record-contradicted": ("error", "A contract's latest recorded alignment check says 'aligned' while the computation finds its targets short of a listed SLA."),
    "acceptance-target-unknown": ("error", "A risk acceptance of an SLA names a target key the SLA does not have."),
    "complaint-order": ("error", "A complaint's times are out of order: resolved or closed before it was received, or closed before it was resolved."),
    "complaint-incomplete": ("error", "A complaint's state and times disagree: resolved or closed without the time it was, or a resolved or closed time while the state says otherwise."),
    "complaint-escalation-incomplete": ("error", "A complaint marked escalated does not say to whom (escalated_to), or names someone while it is not marked escalated."),
    "complaint-aged": ("warning", "A complaint is still not closed more than 30 days after it was received (README 'Check settings')."),
    "incident-order": ("error", "A security incident's times are out of order: resolved or closed before it was reported, or closed before it was resolved."),
    "incident-incomplete": ("error", "A security incident's state and times disagree: resolved or closed without the time it was, or a resolved or closed time while the state says otherwise."),
    "incident-escalation-incomplete": ("error", "A security incident marked escalated does not say to whom (escalated_to), or names someone while it is not marked escalated."),
    "dispute-order": ("error", "A supplier dispute is closed before it was opened."),
    "dispute-incomplete": ("error", "A supplier dispute is resolved or closed without a resolution, closed without a closing date, or has a closing date while still open."),
    "dispute-aged": ("warning", "A supplier dispute is still not closed more than 90 days after it was opened (README 'Check settings')."),
    "action-overdue": ("warning", "An improvement action is past its due date and still open or in progress."),
    "action-incomplete": ("error", "An improvement action is done without a completion date, or has one while still open or in progress."),
    "change-approved-before-assessment": ("error", "A contract change was approved before its impact on the SMS and the services was assessed."),
    "continuity-test-misjudged": ("error", "A continuity test is marked as meeting the continuity requirements while its achieved recovery time or data loss exceeds the RTO or RPO of a service its plan covers, or its result is failed."),
    "continuity-test-unmeasured": ("warning", "A continuity test records no achieved recovery time or data loss for a service with continuity requirements, so it cannot be judged against them."),
    "availability-target-below-sla": ("error", "An availability requirement's target is below the availability target of an SLA it is based on (its slas, and every SLA of the service)."),
    "plan-availability-short": ("error", "A continuity plan has no availability target, or a lower one, for a service whose continuity requirement asks for availability while the plan is in force."),
    "supplier-missed-no-action": ("error", "A supplier review shows a missed contract target and names no improvement action."),
    "agreement-missed-no-action": ("error", "An internal agreement review shows a missed target and names no improvement action."),
    "supplier-result-inconsistent": ("error", "A supplier review result is recorded as met while its actual misses the contract target, or names a target the contract does not have."),
    "agreement-result-inconsistent": ("error", "An internal agreement review result is recorded as met while its actual misses the agreement's target, or names a target the agreement does not have."),
    "control-ineffective-no-action": ("error", "A control review found controls not effective and names no improvement action."),
    "continuity-deficiency-no-action": ("error", "A continuity test found deficiencies, did not meet the requirements or did not pass, and names no improvement action."),
    "continuity-review-missing": ("warning", "No review is recorded 14 days after a continuity test or the end of an invocation (README 'Check settings')."),
    "service-without-sla": ("error", "An approved service names a customer no SLA for that service and customer covers."),
    "supplier-without-contract": ("error", "An external supplier has no supplier contract in force on the check date (none, ended, or not yet started)."),
    "internal-supplier-without-agreement": ("error", "An internal supplier, or a customer acting as a supplier, has no internal agreement."),
    "risk-untreated": ("error", "A high security risk (likelihood or impact high) to be mitigated has no implemented or operating control and no decision to accept it."),
    "contact-unreachable": ("warning", "A contact of an approved continuity plan (or a supplier contact) has no phone number."),
    "contacts-unverified": ("warning", "An approved continuity plan's contact list was never verified, or not within 6 months (README 'Check settings')."),
    "contract-ended-underpinning": ("error", "A supplier contract has ended while an SLA that is not retired still lists it in underpinned_by."),
    "invocation-unauthorised": ("error", "A continuity plan was invoked by someone not among those its invocation authorises."),
    "policy-communicated-outdated": ("warning", "The security policy was communicated to an audience at an older version than the current one (or before the current version was approved)."),
    "workload-over-limit": ("warning", "A month's reported workload is over the SLA's monthly workload limit, above which its targets do not apply."),
    "workload-metric-unknown": ("error", "A workload report names a metric the SLA has no workload limit for."),
    "sla-part-missing": ("error", "An SLA has no service level targets, no workload limits, or no exceptions (and does not say no_exceptions: true)."),
    "contract-part-missing": ("error", "A supplier contract has no requirements, no targets and no obligations, or no authorities and responsibilities."),
    "contract-interfaces-missing": ("error", "A supplier contract defines no interfaces with the supplier."),
    "agreement-part-missing": ("error", "An internal agreement has no targets and no commitments, no activities, or no interfaces."),
    "placeholder": ("error", "A value still holds the fill-me marker of a `clause8 new` skeleton ('TODO: ...' text, a 'TODO-PERSON' id): the message says what to write there."),
    "control-agreement-undated": ("error", "A security control to be implemented with an external organisation or under a supplier contract does not say when it was agreed."),
    "approval-outdated": ("error", "An approved record changed after its approval without a new one (git history): a later commit changed its substance (anything but review, status, evidence files and what the kind counts as bookkeeping) while its version and approval stayed the same, or changed its version while the approval stayed."),
    "approval-uncommitted-edit": ("warning", "The working copy (not committed yet) changes an approved record's substance, or its version, while keeping its approval: committed so, it would be approval-outdated."),
    "approval-postdated": ("warning", "An approval is dated later than the commit that recorded it (git history): it was written into the record before it was given."),
    "attachment-missing": ("error", "An evidence file a record lists under attachments does not exist under the content folder (or is not a regular file, or a symbolic link leads outside)."),
    "attachment-type": ("error", "An evidence file's bytes are not of the type its name says (a .pdf that is not a PDF, a .csv that is not UTF-8 text)."),
    "attachment-too-large": ("error", "An evidence file is over the size limit (10 MiB, README 'Check settings'): every edition and bundle that carries its record carries it."),
    "attachment-hash-mismatch": ("error", "An evidence file no longer matches the SHA-256 pinned in its record."),
}
