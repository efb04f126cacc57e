"""Synthesise a large, valid content tree for benchmarks.

    python bench/synth.py --records 10000 --out /tmp/content

writes ``N`` records, one per file, as ``OUT/<family>/<id>.yaml``, across every kind in
:data:`generator.content.models.KINDS`. Every reference field (``x-ref`` in the field's
``json_schema_extra``) points at an existing record of an allowed kind, policies, plans and
agreements are approved, continuity plans are complete and planned reviews are recent, so that
``python -m generator check --content OUT --today 2026-11-24`` reports no errors and no warnings.

The content also passes the compliance checks (``generator/checks/compliance.py``):

- each SLA target is no stricter than the matching targets (same metric and unit) of the
  contracts and agreements in its ``underpinned_by``, and its availability target no stricter
  than the product of the first two underpinnings' availability targets; further ones with an
  availability target are listed as ``standby`` (``supplier-weaker``, ``supplier-chain-weaker``);
- an SLA report result that misses its target carries a note, and the report names an improvement
  action in ``actions`` (``sla-missed-no-action``);
- every unplanned outage names an investigation, and every investigation raises an improvement
  action, so a month below the availability target is acted on (``outage-uninvestigated``,
  ``availability-missed``);
- surveys have at least the responses Cochran's formula needs, every segment answered, and the
  latest one is recent (``survey-undersampled``, ``survey-segment-silent``, ``survey-overdue``);
- every continuity plan has a test within the last 170 days, after its ``last_major_change``
  (``continuity-test-overdue``, ``plan-untested-since-change``).

and the content checks (``generator/checks/``: suppliers, lifecycle, achievement, deficiencies,
coverage, currency, workload, agreements):

- each contract and agreement underpins a few planned SLAs and every one of its targets states
  ``supports: [SLA-ID#key]`` for them; each SLA is underpinned by exactly those, has a target for
  every key they support, and its thresholds are no stricter than each supporter on its own, the
  product of the availabilities in series, or the sum of the times in series;
- every customer of a service has an SLA for it, every external supplier a contract in force,
  every internal supplier (or customer acting as one) an agreement, every high risk to be mitigated
  a working control (else the risk is accepted);
- complaints and disputes still open are recent; missed review results, ineffective controls and
  test deficiencies raise actions; tests and invocations are reviewed, passed tests meet every RTO
  and RPO; plans are invoked by someone they authorise; the policy is communicated after its approval;
  workload stays within the limits; contracts and agreements have all their parts.

Values are generated from the models themselves (so a new kind or field is covered without
touching this file) and then made coherent per kind (a closed complaint has resolved/closed
times after it was received, an SLA report has a result per target of its SLA, ...).
Output is deterministic for a given ``seed``.

Other benchmarks reuse it::

    from bench.synth import synthesise      # or sys.path.insert(0, "bench"); from synth import ...
    synthesise(10_000, Path("/tmp/content"), seed=1)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
import typing
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402

from generator.figures.relationship import required_sample_size  # noqa: E402
from generator.content.models import KINDS  # noqa: E402
from generator.content.requirements import catalogue  # noqa: E402
from generator.authoring.schemas import schema_filename  # noqa: E402

__all__ = ["POOL_KINDS", "TODAY", "allocate", "build_records", "synthesise"]

# The date the benchmark judges reviews against (`check --today`).
TODAY = dt.date(2026, 11, 24)
HISTORY_START = dt.date(2024, 1, 1)

# Kinds everything else points at: ~5% of all records, created first.
POOL_KINDS: dict[str, float] = {"person": 0.5, "organisation": 0.25, "service": 0.25}
POOL_SHARE = 0.05

# Relative frequency of the other kinds in a mature records repository (kinds not listed: 1).
WEIGHTS: dict[str, float] = {
    "sla_report": 14, "workload_report": 8, "outage": 9, "outage_investigation": 4,
    "improvement_action": 10, "complaint": 6, "security_incident": 6, "communication_record": 5,
    "sla": 4, "service_review": 3, "supplier_contract": 2, "supplier_review": 3, "supplier_dispute": 1,
    "internal_agreement": 1.5, "internal_agreement_review": 1.5, "availability_requirement": 2,
    "availability_risk_assessment": 1, "continuity_requirement": 1.5, "continuity_risk_assessment": 1,
    "continuity_plan": 1, "continuity_test": 1.5, "continuity_invocation": 0.5, "security_risk": 3,
    "security_control": 3, "control_review": 1.5, "incident_review": 1.5, "security_policy": 0.3,
    "satisfaction_survey": 1, "stakeholder_register": 0.3, "communication_plan": 0.5,
}

# Kinds whose details later kinds copy (target keys, workload metrics): generated first. Contracts and
# agreements come before the SLAs they underpin, so that each SLA's targets can be set no stricter
# than what its underpinning promises.
PARENTS_FIRST = ("supplier_contract", "internal_agreement", "sla")

PREFIX: dict[str, str] = {
    "person": "PER", "organisation": "ORG", "service": "SVC", "communication_plan": "COMPLAN",
    "communication_record": "COMREC", "complaint": "CMP", "satisfaction_survey": "SURVEY",
    "service_review": "SVCREV", "stakeholder_register": "STAKE", "sla": "SLA", "sla_report": "SLAREP",
    "workload_report": "WLREP", "internal_agreement": "OLA", "internal_agreement_review": "OLAREV",
    "supplier_contract": "CON", "supplier_dispute": "DISP", "supplier_review": "SUPREV",
    "availability_requirement": "AVREQ", "availability_risk_assessment": "AVRISK", "outage": "OUT",
    "outage_investigation": "OUTINV", "continuity_invocation": "CINV", "continuity_plan": "BCP",
    "continuity_requirement": "CREQ", "continuity_risk_assessment": "CRISK", "continuity_test": "CTEST",
    "control_review": "CTLREV", "incident_review": "INCREV", "security_control": "CTL",
    "security_incident": "SEC", "security_policy": "POL", "security_risk": "SRISK", "improvement_action": "ACT",
}

DURATION_FIELDS = {
    "interval": ["P3M", "P6M", "P12M"], "reporting_interval": ["P1M", "P1M", "P3M"],
    "frequency": ["P1W", "P1M", "P3M"], "rto": ["PT2H", "PT4H", "PT8H", "P1D"], "rpo": ["PT15M", "PT1H", "PT4H"],
    "achieved_rto": ["PT1H", "PT3H", "PT6H"], "achieved_rpo": ["PT10M", "PT30M", "PT1H"],
}

FIRST = ["Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lestari",
         "Made", "Nur", "Oka", "Putri", "Rizky", "Sari", "Taufik", "Utami", "Wahyu", "Yusuf", "Zainal", "Agus"]
LAST = ["Wijaya", "Santoso", "Pratama", "Kusuma", "Hidayat", "Nugroho", "Siregar", "Lubis", "Saputra",
        "Halim", "Gunawan", "Setiawan", "Purnomo", "Harahap", "Tanjung", "Wibowo", "Sembiring", "Rahman"]
ORG_WORDS = ["Nusantara", "Samudra", "Garuda", "Mitra", "Cipta", "Karya", "Sentosa", "Mandiri", "Bumi", "Cahaya",
             "Prima", "Jaya", "Lintas", "Data", "Awan", "Sinergi"]
ORG_KINDS = ["PT", "CV", "Koperasi", "Yayasan", "Dinas"]
SERVICES = ["Email and calendar", "Core banking", "Payroll", "Service desk", "Document management", "VPN access",
            "Customer portal", "Data warehouse", "Video conferencing", "Network", "Hosting", "Backup",
            "Identity and access", "File sharing", "ERP", "Point of sale", "Mobile app API", "Telephony"]
ROLES = ["Service manager", "Head of IT Operations", "Relationship manager", "Supplier manager",
         "Information security officer", "Network engineer", "Service desk lead", "Database administrator",
         "Continuity coordinator", "CIO", "Quality manager", "Systems engineer", "Account manager"]
INTERFACES = ["Incident hand-off", "Monthly usage data", "Escalation line", "Change notification"]
TEXT: dict[str, list[str]] = {
    "role": ROLES,
    "risk": ["Loss of the primary data centre power feed", "Ransomware on file servers", "Key engineer unavailable",
             "Fibre cut between head office and data centre", "Supplier insolvency", "Expired TLS certificates",
             "Database corruption after failed upgrade", "Flooding of the ground-floor server room"],
    "treatment": ["UPS and generator, tested quarterly", "Immutable offsite backups, restore tested monthly",
                  "Cross-training and documented runbooks", "Second carrier on a diverse route",
                  "Certificate expiry monitoring with 30-day alerts", "Second supplier on standby"],
    "service_hours": ["24x7", "Mon-Fri 07:00-19:00 WIB", "Mon-Sat 06:00-22:00 WIB", "Business days 08:00-17:00 WIB"],
    "requirements": ["Branches must be able to take payments during opening hours",
                     "Mail must be available to all staff 24x7", "Month-end payroll run must complete by the 25th",
                     "Data must be kept in Indonesia", "Support in Bahasa Indonesia and English"],
    "excluded": ["Planned maintenance"],
    "summary": ["Users could not log in for 40 minutes after a certificate expired on the load balancer.",
                "Slow responses during month-end peak; resolved by adding capacity.",
                "Customer reported repeated failed payments at two branches; handled by the service desk.",
                "Phishing e-mail reached 30 mailboxes; links blocked and passwords reset."],
    "root_cause": ["Expired TLS certificate on load balancer", "Disk full on the primary database node",
                   "Misconfigured firewall rule after a change", "Upstream carrier fibre cut"],
    "business_impact": ["Branches cannot take payments after 4 hours", "Staff cannot send or receive mail",
                        "Salaries are paid late if lost for more than one day"],
    "minimum_service": ["Read-only access to mail for managers", "Payments at head office only",
                        "Manual ticket logging by phone"],
    "criteria": ["Primary site unreachable for over 1 hour", "Data centre power lost and generator failed",
                 "Core database unrecoverable within the RTO"],
    "responsibilities": ["Crisis lead coordinates; engineers fail over; relationship managers inform customers."],
    "step": ["Fail DNS over to the secondary site", "Restore the database from the last hourly snapshot",
             "Announce the invocation on the status page", "Start the standby application servers"],
    "recovery": ["Restore database from last hourly snapshot", "Rebuild application servers from images",
                 "Verify data integrity with the application owner"],
    "return_to_normal": ["Fail back to the primary site in a maintenance window", "Confirm monitoring is green",
                         "Close the invocation and schedule the post-invocation review"],
    "duty": ["Crisis lead", "Notify customers", "Technical recovery", "Supplier liaison"],
    "locations": ["Printed copy at offsite safe", "Cloud drive (continuity folder)", "Crisis lead's laptop"],
    "scenario": ["Loss of primary data centre; failover to DR site", "Ransomware on file servers; restore from backup",
                 "Loss of the main internet link"],
    "deficiencies": ["Runbook missing the DNS TTL step", "Two contacts had outdated numbers"],
    "reason": ["Power loss at the primary data centre", "Flooding in the server room", "Major network outage"],
    "interest": ["Uses mail and calendar for 400 staff", "Needs payments available in all branches",
                 "Regulator: expects incident reports within 24 hours"],
    "audience": ["Customer IT managers", "All end users", "Staff", "Customers and users",
                 "Suppliers and other interested parties"],
    "channel": ["Quarterly service meeting", "Status page", "Newsletter", "Monthly service report"],
    "complaint_escalation": ["Service desk lead within 2 working days", "Head of IT Operations", "CIO"],
    "topics": ["Availability last quarter", "Planned data centre move", "New branch openings", "Ticket backlog"],
    "business_changes": ["Opening two new branch offices in Q3", "Merging with a regional cooperative"],
    "requirement_changes": ["Extend service hours to Saturdays", "Add 50 mailboxes for new staff"],
    "trends": ["Availability stable at 99.95%; tickets up 12%", "Response times improved after staffing change"],
    "outcomes": ["Services met all targets; customer satisfied with the trend.",
                 "Two missed response targets; actions agreed."],
    "question": ["How satisfied are you with incident handling?", "How satisfied are you with availability?",
                 "How likely are you to recommend the service?"],
    "analysis": ["Scores stable; incident communication is the main improvement opportunity."],
    "distributed_to": ["Management review board", "All customer contacts", "Service owners"],
    "available_at": ["https://intranet.example/policies/infosec", "Customer portal"],
    "obligations": ["UU PDP (personal data protection)", "OJK regulation on IT risk", "Customer contract clauses"],
    "rationale": ["Risk above appetite; cost of control proportionate", "Residual risk accepted by the CIO"],
    "impact": ["Staff mailboxes exposed for 2 hours; no data left the organisation.",
               "Change would lengthen fix times beyond the SLA."],
    "findings": ["All targets met; one late report.", "Fix time missed twice; supplier agreed a corrective plan."],
    "improvements": ["Add phishing simulation to induction", "Enforce MFA for all admin accounts"],
    "scope": ["Managed network and 24x7 monitoring", "Data centre colocation and remote hands",
              "Cloud hosting of the customer portal"],
    "responsibility": ["Approves emergency changes to the firewall", "Maintains the monitoring platform"],
    "outcome": ["Still meets requirements; renew at same terms", "Needs a shorter fix time for P1"],
    "change": ["Reduce support hours to business days only", "Move hosting to a new region"],
    "gaps": ["Supplier fix time 8h, SLA resolution 4h"],
    "risk_treatment": ["Standby second supplier; accepted by CIO"],
    "security_controls": ["NDA signed", "MFA on all admin access", "Quarterly access review"],
    "commitments": ["Restore from backup within 4 hours", "Patch servers monthly"],
    "activities": ["Nightly database backup", "Monthly patching", "Capacity monitoring"],
    "resolution": ["Service credit agreed for the missed month", "Invoice corrected"],
    "benefit": ["P1 response within target for 3 months", "Fewer repeat incidents"],
    "agreement_evidence": ["Signed contract", "Minutes of the kick-off meeting", "Accepted terms of service"],
    "authority": ["Board of Directors", "Head of IT Operations", "CIO"],
    "method": ["Induction briefing and intranet notice", "Clause in supplier contracts", "E-mail to all staff"],
    "note": ["", "", "Missed because of the fibre cut on the 12th"],
    "home_address": ["Jl. Merdeka 12, Bandung", "Jl. Sudirman 45, Jakarta", "Jl. Diponegoro 7, Surabaya"],
    "segment": ["enterprise", "public sector", "SME"],
    "label": ["mobile", "office", "on-call"],
    "name": INTERFACES,
}
COMPONENTS = ["Mail gateway", "Primary database cluster", "Load balancer", "Application servers", "Storage array",
              "Monitoring platform", "Backup appliance"]
TARGET_TEMPLATES = [  # key, metric, description, (lo, hi), unit, comparison
    ("avail", "availability", "Service available in service hours", (99.0, 99.99), "%", "at_least"),
    ("p1-response", "response_time", "Priority 1 incidents answered within the target", (0.25, 1.0), "hours", "at_most"),
    ("p1-resolution", "resolution_time", "Priority 1 incidents resolved within the target", (2.0, 8.0), "hours", "at_most"),
    ("fcr", "first_contact_resolution", "Tickets resolved at first contact", (60.0, 85.0), "%", "at_least"),
    ("csat", "satisfaction", "Average satisfaction score", (3.5, 4.5), "points of 5", "at_least"),
]
WORKLOAD = [("tickets", "tickets", 300, 1500), ("mailboxes", "users", 100, 2000), ("API calls", "calls", 10**5, 10**7),
            ("storage", "GB", 500, 20000)]


class _Ctx:
    """What the generator needs while writing one tree: the random source and every planned id."""

    def __init__(self, seed: int, ids: dict[str, list[str]]) -> None:
        self.rng = random.Random(seed)
        self.ids = ids
        self.all_ids = [i for v in ids.values() for i in v]
        self.sla_targets: dict[str, list[dict[str, Any]]] = {}
        self.sla_workload: dict[str, list[str]] = {}
        self.targets: dict[str, list[dict[str, Any]]] = {}  # contract / agreement id -> targets
        self.requirements = sorted(catalogue())
        # Parties by role (organisations come first), what each must be covered by, and the plans'
        # authorised invokers (invocations are written before their plans).
        self.customers: list[str] = []
        self.external: list[str] = []
        self.internal: list[str] = []
        self.sla_pairs: list[tuple[str, str]] = []  # (service, customer) pairs an SLA must cover
        self.underpins: dict[str, list[str]] = {}  # SLA id -> contracts and agreements that support it
        self.limits: dict[str, dict[str, int]] = {}  # SLA id -> workload metric -> monthly limit
        self.treated: set[str] = set()  # security risks with a working control or an accept decision
        self._authorised: dict[str, list[str]] = {}
        # Services whose availability is monitored, and since when: the first monitoring_coverage
        # records cover them from then to the last finished month (`availability-unmonitored`).
        self.monitored: dict[str, dt.date] = {}

    def authorised(self, plan: str) -> list[str]:
        """The persons who may invoke ``plan`` (the same list for the plan and its invocations)."""
        if plan not in self._authorised:
            self._authorised[plan] = self.picks(["person"], 1, 2)
        return self._authorised[plan]

    # random helpers -----------------------------------------------------------------------
    def pick(self, kinds: typing.Sequence[str]) -> str | None:
        pool = self._pool(kinds)
        return self.rng.choice(pool) if pool else None

    def picks(self, kinds: typing.Sequence[str], lo: int = 1, hi: int = 3, exclude: str | None = None) -> list[str]:
        pool = self._pool(kinds)
        k = min(len(pool), self.rng.randint(lo, hi))
        out = self.rng.sample(pool, k) if k else []
        return [i for i in out if i != exclude]

    def _pool(self, kinds: typing.Sequence[str]) -> list[str]:
        if not kinds:
            return self.all_ids
        if len(kinds) == 1:
            return self.ids.get(kinds[0], [])
        return [i for k in kinds for i in self.ids.get(k, [])]

    def date(self, start: dt.date = HISTORY_START, end: dt.date = TODAY) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def datetime(self, start: dt.date = HISTORY_START, end: dt.date = TODAY) -> dt.datetime:
        d = self.date(start, end)
        return dt.datetime(d.year, d.month, d.day, self.rng.randint(0, 23), self.rng.choice((0, 10, 15, 30, 45)),
                           tzinfo=dt.timezone(dt.timedelta(hours=7)))

    def text(self, name: str) -> str:
        bank = TEXT.get(name)
        if bank:
            return self.rng.choice(bank)
        return f"{name.replace('_', ' ').capitalize()} as recorded on {self.date().isoformat()}"


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


# ------------------------------------------------------------------------------------------
# Generic generation from the models
# ------------------------------------------------------------------------------------------

def _constraints(items: typing.Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in items:
        if isinstance(m, FieldInfo):
            out.update(_constraints(m.metadata))
            if isinstance(m.json_schema_extra, dict):
                out.update(m.json_schema_extra)
            continue
        for attr in ("ge", "gt", "le", "lt", "min_length", "pattern"):
            v = getattr(m, attr, None)
            if v is not None:
                out[attr] = v
        func = getattr(m, "func", None)
        if func is not None and getattr(func, "__name__", "") == "_check_duration":
            out["duration"] = True
    return out


def _is_number(ann: Any) -> bool:
    if typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann in (int, float)


def _gen(ann: Any, cons: dict[str, Any], name: str, ctx: _Ctx) -> Any:
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        return _gen(args[0], {**cons, **_constraints(args[1:])}, name, ctx)
    if origin is typing.Literal:
        return ctx.rng.choice(args)
    if origin in (list, tuple):
        if "x-ref" in cons:
            return ctx.picks(cons["x-ref"], max(1, cons.get("min_length", 1)), 3)
        n = ctx.rng.randint(max(1, cons.get("min_length", 1)), 3)
        return [_gen(args[0], {}, name, ctx) for _ in range(n)]
    if args:  # a union
        members = [a for a in args if a is not type(None)]
        if all(_is_number(a) for a in members):
            return _number(cons, name, ctx, integer=False)
        return _gen(members[0], cons, name, ctx)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return _gen_model(ann, ctx)
    if ann is dt.datetime:
        return _iso(ctx.datetime())
    if ann is dt.date:
        return ctx.date()
    if ann is bool:
        return ctx.rng.random() < 0.5
    if ann is int:
        return _number(cons, name, ctx, integer=True)
    if ann is float:
        return _number(cons, name, ctx, integer=False)
    # text
    if "x-ref" in cons:
        return ctx.pick(cons["x-ref"])
    if cons.get("duration") or name in DURATION_FIELDS:
        return ctx.rng.choice(DURATION_FIELDS.get(name, ["P12M"]))
    pattern = str(cons.get("pattern", ""))
    if pattern.startswith("^\\d{4}-"):
        d = ctx.date(dt.date(2025, 1, 1))
        return f"{d.year}-{d.month:02d}"
    if "@" in pattern:
        return f"{ctx.rng.choice(FIRST).lower()}.{ctx.rng.choice(LAST).lower()}@example.co.id"
    if pattern.startswith("^\\+?"):
        return f"+62 8{ctx.rng.randint(11, 59)} {ctx.rng.randint(1000, 9999)} {ctx.rng.randint(1000, 9999)}"
    if pattern.startswith("^[A-Za-z0-9]"):
        return name.replace("_", "-") + f"-{ctx.rng.randint(1, 9)}"
    return ctx.text(name)


def _number(cons: dict[str, Any], name: str, ctx: _Ctx, integer: bool) -> Any:
    lo = cons.get("ge", cons.get("gt", 0))
    hi = cons.get("le", cons.get("lt", lo + 100))
    if integer:
        return ctx.rng.randint(int(lo) + (1 if "gt" in cons else 0), max(int(lo) + 1, int(hi) - (1 if "lt" in cons else 0)))
    value = round(ctx.rng.uniform(lo, hi), 2)
    if ("gt" in cons and value <= lo) or ("lt" in cons and value >= hi):
        value = (lo + hi) / 2
    return value


# Optional fields the per-kind fixers set themselves (dates that must follow others, etc.).
_LEAVE_OPTIONAL = {"end", "ended", "resolved", "closed", "completed", "decided", "resolution", "escalated_to",
                   "exception", "investigation", "incident_review", "approval", "review", "agreed"}


def _gen_model(model: type[BaseModel], ctx: _Ctx, skip: typing.Container[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        if not info.is_required():
            if name in _LEAVE_OPTIONAL or ctx.rng.random() < 0.3:
                continue
        cons = _constraints(info.metadata)
        if isinstance(info.json_schema_extra, dict):
            cons.update(info.json_schema_extra)
        value = _gen(info.annotation, cons, name, ctx)
        if value is None or value == []:
            if info.is_required():
                raise ValueError(f"{model.__name__}.{name}: no record to refer to")
            continue
        out[name] = value
    return out


# ------------------------------------------------------------------------------------------
# Per-kind coherence
# ------------------------------------------------------------------------------------------

def _after(ctx: _Ctx, start: dt.datetime, max_hours: int = 72) -> dt.datetime:
    return start + dt.timedelta(minutes=ctx.rng.randint(10, max_hours * 60))


def _targets(ctx: _Ctx, keys: typing.Collection[str] = ()) -> list[dict[str, Any]]:
    """Random targets, with at least one per key in ``keys`` (the keys its supporters support)."""
    chosen = ctx.rng.sample(TARGET_TEMPLATES, ctx.rng.randint(2, len(TARGET_TEMPLATES)))
    chosen += [t for t in TARGET_TEMPLATES if t[0] in keys and t not in chosen]
    out = []
    for key, metric, desc, (lo, hi), unit, comparison in chosen:
        value = round(ctx.rng.uniform(lo, hi), 2)
        out.append({"id": key, "metric": metric, "description": f"{desc}: {value} {unit}", "target": value,
                    "unit": unit, "comparison": comparison, "period": ctx.rng.choice(["month", "quarter"])})
    return out


def _actual(ctx: _Ctx, target: dict[str, Any]) -> float:
    value = float(target["target"])
    spread = max(abs(value) * 0.03, 0.1)
    actual = value + ctx.rng.uniform(-0.3, 1.0) * spread * (1 if target["comparison"] == "at_least" else -1)
    if target["unit"] == "%":
        actual = min(actual, 100.0)
    return round(actual, 2)


def _met(actual: float, target: dict[str, Any]) -> bool:
    return actual >= target["target"] if target["comparison"] == "at_least" else actual <= target["target"]


def _results(ctx: _Ctx, targets: list[dict[str, Any]], with_met: bool) -> list[dict[str, Any]]:
    out = []
    for t in targets:
        actual = _actual(ctx, t)
        row: dict[str, Any] = {"target": t["id"], "actual": actual}
        if with_met:
            row["met"] = _met(actual, t)
        out.append(row)
    return out


def _floor2(value: float) -> float:
    """``value`` rounded down to 2 decimals (never up, so a derived target stays within its bound)."""
    return math.floor((value - 1e-9) * 100) / 100


def _ceil2(value: float) -> float:
    return math.ceil((value + 1e-9) * 100) / 100


def _underpin(ctx: _Ctx, r: dict[str, Any]) -> None:
    """Make an SLA's targets no stricter than the contracts and agreements in its ``underpinned_by``.

    Every target of an underpinning supports the SLA's target of the same key (``supports``), and
    must be at least as strict on its own (at_least: >=, at_most: <=), so the SLA's threshold is
    clipped to the weakest of them. Underpinnings beyond the first two with an availability target
    are listed as ``standby`` (parallel paths); the rest are in series, so the SLA's availability
    target is clipped to the product of theirs and its times to the sum (``supplier-chain-weaker``).
    """
    unders = list(dict.fromkeys(r.get("underpinned_by") or []))
    r.pop("standby", None)
    if not unders:
        r.pop("underpinned_by", None)
        return
    r["underpinned_by"] = unders
    with_avail = [u for u in unders if any(t["metric"] == "availability" for t in ctx.targets.get(u, []))]
    standby = with_avail[2:]
    if standby:
        r["standby"] = standby
    for t in r["targets"]:
        stated = [(u, st["target"]) for u in unders for st in ctx.targets.get(u, []) if st["id"] == t["id"]]
        theirs = [v for _, v in stated]
        series = [v for u, v in stated if u not in standby]
        if not theirs:
            continue
        if t["comparison"] == "at_least":
            bound = min(theirs)
            if t["metric"] == "availability" and len(series) >= 2:
                bound = min(bound, 100.0 * math.prod(v / 100.0 for v in series))
            t["target"] = min(t["target"], _floor2(bound))
        else:
            bound = max(theirs)
            if t["unit"] == "hours" and len(series) >= 2:
                bound = max(bound, math.fsum(series))
            t["target"] = max(t["target"], _ceil2(bound))
        t["description"] = t["description"].rsplit(":", 1)[0] + f": {t['target']} {t['unit']}"


def _period(ctx: _Ctx) -> tuple[dt.date, dt.date, dt.date]:
    start = ctx.date(HISTORY_START, TODAY - dt.timedelta(days=120))
    end = start + dt.timedelta(days=ctx.rng.choice((29, 90, 180)))
    end = min(end, TODAY - dt.timedelta(days=15))
    return start, end, end + dt.timedelta(days=ctx.rng.randint(1, 14))


def _state_times(ctx: _Ctx, r: dict[str, Any], start_field: str, states: tuple[str, str, str]) -> None:
    # What is not closed yet is recent (`complaint-aged`).
    start = ctx.datetime() if r["state"] == states[2] else ctx.datetime(TODAY - dt.timedelta(days=25),
                                                                         TODAY - dt.timedelta(days=4))
    r[start_field] = _iso(start)
    state = r["state"]
    if state in states[1:]:
        resolved = _after(ctx, start)
        r["resolved"] = _iso(resolved)
        if state == states[2]:
            r["closed"] = _iso(_after(ctx, resolved, 24 * 5))


def _fix(kind: str, r: dict[str, Any], ctx: _Ctx, serial: int) -> None:
    rng = ctx.rng
    rid = r["id"]
    if kind == "person":
        first, last = rng.choice(FIRST), rng.choice(LAST)
        r["title"] = f"{first} {last}"
        r["owner"] = rid
        r["email"] = f"{first.lower()}.{last.lower()}.{serial}@example.co.id"
        if "personal_email" in r:
            r["personal_email"] = f"{first.lower()}{serial}@mail.example.com"
        r["alternates"] = ctx.picks(["person"], 0, 2, exclude=rid)
        if not r.get("phones"):  # every continuity contact can be called (`contact-unreachable`)
            r["phones"] = [{"label": "mobile", "number": f"+62 812 {1000 + serial % 9000} {serial % 10000:04d}"}]
        if not r["alternates"]:
            del r["alternates"]
    elif kind == "organisation":
        name = f"{rng.choice(ORG_KINDS)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)}"
        r["title"] = f"{name} ({serial})"
        r["roles"] = sorted(set(r["roles"]))
        if "customer" in r["roles"]:
            ctx.customers.append(rid)
        if "external_supplier" in r["roles"]:
            ctx.external.append(rid)
        if {"internal_supplier", "customer_as_supplier"} & set(r["roles"]):
            ctx.internal.append(rid)
        r["website"] = f"https://www.{name.split()[1].lower()}{serial}.co.id"
        r["users"] = rng.randint(20, 5000)
    elif kind == "service":
        r["title"] = f"{rng.choice(SERVICES)} ({serial})"
        r["components"] = [{"name": c, "description": f"{c} run by the infrastructure team"}
                           for c in rng.sample(COMPONENTS, rng.randint(1, 4))]
        # Every customer of a service gets an SLA for it (`service-without-sla`): as many pairs as SLAs.
        room = len(ctx.ids.get("sla", [])) - len(ctx.sla_pairs)
        r["customers"] = rng.sample(ctx.customers, min(len(ctx.customers), max(0, min(room, 2))))
        if not r["customers"]:
            del r["customers"]
        ctx.sla_pairs += [(rid, c) for c in r.get("customers", [])]
    elif kind == "sla":
        if serial <= len(ctx.sla_pairs):
            r["service"], r["customer"] = ctx.sla_pairs[serial - 1]
        r["underpinned_by"] = ctx.underpins.get(rid, [])
        r["targets"] = _targets(ctx, {t["id"] for u in r["underpinned_by"] for t in ctx.targets.get(u, [])})
        r.pop("risk_acceptances", None)
        limits = rng.sample(WORKLOAD, rng.randint(1, 2))
        r["workload_limits"] = [{"metric": m, "limit": rng.randint(lo, hi), "unit": u,
                                 "period": "month"} for m, u, lo, hi in limits]
        ctx.limits[rid] = {w["metric"]: w["limit"] for w in r["workload_limits"]}
        r["exceptions"] = [{"name": "Planned maintenance", "description": "Sundays 22:00-02:00, announced 5 days ahead",
                            "max_hours_per_month": 4}]
        r.pop("no_exceptions", None)
        r["reporting_interval"] = "P1M"
        _underpin(ctx, r)
        ctx.sla_targets[rid] = r["targets"]
        ctx.sla_workload[rid] = [m for m, *_ in limits]
    elif kind == "sla_report":
        targets = {t["id"]: t for t in ctx.sla_targets.get(r["sla"], [])}
        r["results"] = _results(ctx, list(targets.values()), with_met=False)
        missed = [row for row in r["results"] if not _met(row["actual"], targets[row["target"]])]
        for row in missed:
            row["note"] = "Missed because of the fibre cut on the 12th"
        # A missed target is acted on: the report names the improvement action raised.
        if missed:
            r["actions"] = r.get("actions") or ctx.picks(["improvement_action"], 1, 2)
        elif rng.random() < 0.7:
            r.pop("actions", None)
    elif kind == "workload_report":
        limit = ctx.limits.get(r["sla"], {})
        r["actuals"] = [{"metric": m, "value": rng.randint(min(50, limit[m]), limit[m])}
                        for m in ctx.sla_workload.get(r["sla"], [])]
    elif kind in ("supplier_contract", "internal_agreement"):
        r["targets"] = _targets(ctx)
        ctx.targets[rid] = r["targets"]
        # It underpins a few planned SLAs, and says which of their targets each of its targets supports.
        slas = ctx.picks(["sla"], 1, 3)
        for sla in slas:
            ctx.underpins.setdefault(sla, []).append(rid)
        for t in r["targets"]:
            t["supports"] = [f"{sla}#{t['id']}" for sla in slas]
        r.setdefault("interfaces", [{"name": "Incident hand-off", "description": "Tickets in the shared queue"}])
        if kind == "internal_agreement":
            if serial <= len(ctx.internal):  # every internal supplier has an agreement
                r["provider"] = ctx.internal[serial - 1]
            r.setdefault("activities", list(TEXT["activities"][:2]))
        if kind == "supplier_contract":
            if serial <= len(ctx.external):  # every external supplier has a contract in force
                r["supplier"] = ctx.external[serial - 1]
            r.setdefault("requirements", list(TEXT["requirements"][:2]))
            r.setdefault("responsibilities", [{"party": "supplier", "responsibility": ctx.text("responsibility")}])
            r["reference"] = f"C-{rng.randint(2019, 2026)}-{serial:03d}"
            start = ctx.date(dt.date(2020, 1, 1), dt.date(2026, 1, 1))
            r["start"] = start
            if rng.random() < 0.6:  # contracts in force: none ends before the SLAs they underpin
                r["end"] = max(start + dt.timedelta(days=365 * rng.randint(2, 5)), TODAY + dt.timedelta(days=90))
            for ev in r.get("change_evaluations", []):
                if ev["decision"] != "pending":
                    ev["decided"] = ev["date"] + dt.timedelta(days=rng.randint(1, 30))
            for chk in r.get("alignment_checks", []):
                if chk["aligned"]:
                    chk.pop("gaps", None)
                    chk.pop("risk_treatment", None)
    elif kind in ("supplier_review", "internal_agreement_review"):
        parent = r["contract" if kind == "supplier_review" else "agreement"]
        r["period_start"], r["period_end"], r["date"] = _period(ctx)
        r["results"] = _results(ctx, ctx.targets.get(parent, []), with_met=True)
        if any(not row["met"] for row in r["results"]):  # a missed target is acted on
            r["actions"] = r.get("actions") or ctx.picks(["improvement_action"], 1, 2)
    elif kind == "service_review":
        r["period_start"], r["period_end"], r["date"] = _period(ctx)
    elif kind == "supplier_dispute":
        # Disputes still open are recent (`dispute-aged`).
        opened = ctx.date() if r["state"] == "closed" else ctx.date(TODAY - dt.timedelta(days=80))
        r["opened"] = opened
        if r["state"] != "open":
            r["resolution"] = ctx.text("resolution")
        if r["state"] == "closed":
            r["closed"] = opened + dt.timedelta(days=rng.randint(5, 90))
    elif kind == "complaint":
        _state_times(ctx, r, "received", ("open", "resolved", "closed"))
        if r.get("escalated"):
            r["escalated_to"] = ctx.pick(["person"])
    elif kind == "security_incident":
        _state_times(ctx, r, "reported", ("open", "resolved", "closed"))
        if r["escalated"]:
            r["escalated_to"] = ctx.pick(["person"])
        if rng.random() < 0.5 and ctx.ids.get("incident_review"):
            r["incident_review"] = ctx.pick(["incident_review"])
    elif kind == "outage":
        start = ctx.datetime()
        r["start"] = _iso(start)
        r["end"] = _iso(_after(ctx, start, 8))
        if r["planned"]:
            r["exception"] = "Planned maintenance"
        elif ctx.ids.get("outage_investigation"):
            r["investigation"] = ctx.pick(["outage_investigation"])
    elif kind == "monitoring_coverage":
        # A period that ends after it starts, its gaps inside it (`coverage-invalid`). The first
        # ones cover the monitored services of the availability requirements from their
        # `monitoring_since` to the last finished month, so no finished month is "no data".
        planned = list(ctx.monitored.items())
        if serial <= len(planned):
            r["service"], start = planned[serial - 1]
            r["status"] = "approved"  # a retired coverage record covers nothing
            end = TODAY.replace(day=1) - dt.timedelta(days=1)
        else:
            start = ctx.date()
            end = start + dt.timedelta(days=rng.randint(28, 92))
        r["start"], r["end"] = start.isoformat(), end.isoformat()
        for gap in r.get("gaps", []):
            stop = ctx.datetime(start, end - dt.timedelta(days=1))
            gap["start"], gap["end"] = _iso(stop), _iso(stop + dt.timedelta(hours=rng.randint(1, 6)))
    elif kind == "outage_investigation":
        # Every investigation raises at least one improvement action, so a month below the
        # availability target is acted on (`availability-missed`).
        r["actions"] = r.get("actions") or ctx.picks(["improvement_action"], 1, 2)
    elif kind == "improvement_action":
        if r["state"] == "done":
            r["completed"] = ctx.date(dt.date(2025, 1, 1))
        if r["state"] in ("open", "in_progress"):
            r["due"] = ctx.date(TODAY, TODAY + dt.timedelta(days=180))
    elif kind == "continuity_plan":
        persons = ["person"]
        r["invocation"] = {"criteria": rng.sample(TEXT["criteria"], 2), "authorised": ctx.authorised(rid),
                           "responsibilities": ctx.text("responsibilities")}
        r["procedures"] = [{"step": s, "responsible": ctx.pick(persons)} for s in TEXT["step"]]
        r["recovery"] = list(TEXT["recovery"])
        r["return_to_normal"] = list(TEXT["return_to_normal"])
        r["contacts"] = [{"person": p, "duty": TEXT["duty"][i % len(TEXT["duty"])], "priority": i + 1}
                         for i, p in enumerate(ctx.picks(persons, 2, 4))]
        r["contacts_verified"] = ctx.date(TODAY - dt.timedelta(days=90))
        r["availability_targets"] = [{"service": s, "target": round(rng.uniform(90, 99), 1)}
                                     for s in r.get("services") or ctx.picks(["service"], 1, 2)]
        # Major changes lie before the window in which every plan gets its latest test (see below).
        if "last_major_change" in r:
            r["last_major_change"] = ctx.date(dt.date(2024, 6, 1), TODAY - dt.timedelta(days=200))
    elif kind == "continuity_test":
        # The first tests cover every plan once, recently (within the shortest planned interval,
        # P6M, and after any major change); the rest test random plans at random dates.
        plans = ctx.ids.get("continuity_plan", [])
        if serial <= len(plans):
            r["plan"] = plans[serial - 1]
            r["date"] = ctx.date(TODAY - dt.timedelta(days=170), TODAY - dt.timedelta(days=12))
        elif r["date"] > TODAY - dt.timedelta(days=11):
            r["date"] = TODAY - dt.timedelta(days=11)
        r["met_requirements"] = r["result"] == "passed"
        if r["result"] == "passed":
            r.pop("deficiencies", None)
        else:  # deficiencies are acted on
            r["actions"] = r.get("actions") or ctx.picks(["improvement_action"], 1, 2)
        # A passed test meets every RTO (PT2H and up) and RPO (PT15M and up) of its plan's services.
        r["achieved_rto"], r["achieved_rpo"] = ("PT1H", "PT10M") if r["met_requirements"] else ("PT9H", "PT4H")
        r.pop("services", None)
        r["post_review"] = {"date": r["date"] + dt.timedelta(days=rng.randint(1, 10)),
                            "summary": "Test reviewed with the crisis team; deficiencies assigned.",
                            "by": ctx.pick(["person"])}
    elif kind == "continuity_invocation":
        start = ctx.datetime(HISTORY_START, TODAY - dt.timedelta(days=20))
        r["invoked"] = _iso(start)
        ended = _after(ctx, start, 48)
        r["ended"] = _iso(ended)
        r["invoked_by"] = rng.choice(ctx.authorised(r["plan"]))
        r["post_review"] = {"date": ended.date() + dt.timedelta(days=rng.randint(1, 10)),
                            "summary": "Invocation reviewed with the crisis team.", "by": ctx.pick(["person"])}
    elif kind == "satisfaction_survey":
        population = rng.randint(200, 5000)
        required = required_sample_size(population)  # 95 % confidence, 5 % margin (the defaults)
        invited = rng.randint(max(population // 2, min(population, required * 2)), population)
        responses = rng.randint(required, max(required, min(invited, required * 3 // 2)))
        r.update(population=population, invited=invited, responses=responses, sample_size=required)
        if serial == len(ctx.ids["satisfaction_survey"]):  # the latest survey is recent (`survey-overdue`)
            r["date"] = ctx.date(TODAY - dt.timedelta(days=150), TODAY - dt.timedelta(days=1))
        segs = rng.sample(TEXT["segment"], 2)
        r["segments"] = [{"name": segs[0], "population": population // 2, "responses": responses // 2},
                         {"name": segs[1], "population": population - population // 2,
                          "responses": responses - responses // 2}]
        r["results"] = [{"question": q, "score": round(rng.uniform(3.2, 4.8), 1), "scale_max": 5}
                        for q in TEXT["question"]]
        r.pop("confidence", None)
        r.pop("margin", None)
    elif kind == "security_control":
        if r.get("external_organisation") or r.get("contract"):
            r["agreed"] = ctx.date()
        r["reference"] = f"A.{rng.randint(5, 8)}.{rng.randint(1, 34)}"
        working = r["decision"] == "implement" and r["state"] in ("implemented", "operating")
        if r["status"] != "retired" and (working or r["decision"] == "accept_risk"):
            ctx.treated.update(r.get("risks", []))
    elif kind == "security_risk":
        # A high risk to be mitigated without a working control is accepted instead (`risk-untreated`).
        if "high" in (r["likelihood"], r["impact"]) and r["treatment"] == "mitigate" and rid not in ctx.treated:
            r["treatment"] = "accept"
    elif kind == "control_review":
        if not r["effective"]:  # an ineffective control is acted on
            r["actions"] = r.get("actions") or ctx.picks(["improvement_action"], 1, 2)
    elif kind == "security_policy":
        for a in r.get("audiences", []):
            a.pop("version", None)
            a["communicated"] = min(TODAY, r["approval"]["date"] + dt.timedelta(days=rng.randint(0, 30)))
    elif kind == "availability_requirement":
        # At least every SLA availability target (`availability-target-below-sla`).
        r["target"] = 99.99
        r["excluded"] = ["Planned maintenance"]
        # Reported from a month that monitoring coverage records cover; when there are fewer
        # coverage records than services, from this month on (nothing finished to report yet).
        service = r["service"]
        if service not in ctx.monitored and len(ctx.monitored) < len(ctx.ids.get("monitoring_coverage", [])):
            ctx.monitored[service] = dt.date(rng.choice((2025, 2026)), rng.randint(1, 9), 1)
        r["monitoring_since"] = ctx.monitored.get(service, TODAY.replace(day=1)).isoformat()
    elif kind == "continuity_requirement":
        r.pop("availability_during_invocation", None)
    elif kind == "stakeholder_register":
        r["entries"] = [{"party": o, "services": ctx.picks(["service"], 1, 3), "interest": ctx.text("interest"),
                         "relationship_manager": ctx.pick(["person"])} for o in ctx.picks(["organisation"], 3, 10)]
    elif kind == "communication_record":
        if not r.get("requirement_changes"):
            r["none_arose"] = True
        else:
            r.pop("none_arose", None)


def _common(kind: str, rid: str, ctx: _Ctx, serial: int) -> dict[str, Any]:
    rng = ctx.rng
    model = KINDS[kind]
    label = kind.replace("_", " ").capitalize()
    r: dict[str, Any] = {"kind": kind, "id": rid, "title": f"{label} {serial}: {rng.choice(SERVICES)}",
                         "owner": ctx.pick(["person"])}
    r["classification"] = rng.choice(("public", "internal", "internal", "confidential"))
    if model.requires_approval:
        r["status"] = "approved"
    else:
        r["status"] = rng.choices(("approved", "draft", "retired"), (80, 18, 2))[0]
    r["version"] = rng.choice(("0.1", "1.0", "1.1", "1.2", "2.0"))
    if r["status"] == "approved" or model.requires_approval:
        r["approval"] = {"by": ctx.pick(["person"]), "authority": ctx.text("authority"),
                         "date": ctx.date(dt.date(2025, 6, 1), TODAY - dt.timedelta(days=1))}
    if model.requires_approval or rng.random() < 0.3:
        interval = rng.choice(("P6M", "P12M"))
        r["review"] = {"interval": interval,
                       "last_reviewed": ctx.date(dt.date(2026, 6, 1), TODAY - dt.timedelta(days=1))}
    if rng.random() < 0.2:
        r["satisfies"] = rng.sample(ctx.requirements, rng.randint(1, 2))
    if rng.random() < 0.5:
        r["description"] = (f"Record of the **{label.lower()}** for {rng.choice(SERVICES).lower()}.\n\n"
                            f"- Prepared by the service management office\n- See the monthly report\n")
    return r


# Common fields (set by _common), and attachments: evidence files would have to exist under content/evidence/.
_COMMON = {"kind", "id", "title", "owner", "classification", "status", "version", "approval", "review",
           "satisfies", "description", "attachments"}


def build_record(kind: str, rid: str, ctx: _Ctx, serial: int) -> dict[str, Any]:
    """One valid record of ``kind`` as a plain dict (dates as ``datetime.date``)."""
    r = _common(kind, rid, ctx, serial)
    r.update(_gen_model(KINDS[kind], ctx, skip=_COMMON))
    _fix(kind, r, ctx, serial)
    return r


# ------------------------------------------------------------------------------------------
# Whole tree
# ------------------------------------------------------------------------------------------

def allocate(n: int) -> dict[str, int]:
    """How many records of each kind: ~5% pool kinds, the rest by :data:`WEIGHTS`, every kind at least 1."""
    others = [k for k in KINDS if k not in POOL_KINDS]
    pool_n = max(len(POOL_KINDS), round(n * POOL_SHARE))
    if n < pool_n + len(others):
        raise ValueError(f"need at least {pool_n + len(others)} records to cover all {len(KINDS)} kinds")
    counts = {k: max(1, round(pool_n * share)) for k, share in POOL_KINDS.items()}
    counts["person"] += pool_n - sum(counts.values())
    rest = n - sum(counts.values()) - len(others)
    weights = {k: WEIGHTS.get(k, 1.0) for k in others}
    total = sum(weights.values())
    exact = {k: rest * w / total for k, w in weights.items()}
    for k in others:
        counts[k] = 1 + int(exact[k])
    leftover = n - sum(counts.values())
    for k in sorted(others, key=lambda k: exact[k] - int(exact[k]), reverse=True)[:leftover]:
        counts[k] += 1
    return counts


def _order() -> list[str]:
    first = [k for k in (*POOL_KINDS, *PARENTS_FIRST) if k in KINDS]
    return first + [k for k in KINDS if k not in first]


def plan_ids(n: int) -> dict[str, list[str]]:
    counts = allocate(n)
    width = max(4, len(str(n)))
    ids = {k: [f"{PREFIX.get(k, k.upper().replace('_', '-'))}-{i:0{width}d}" for i in range(1, counts[k] + 1)]
           for k in _order()}
    flat = [i for v in ids.values() for i in v]
    assert len(flat) == len(set(flat)), "id prefixes collide"
    return ids


def build_records(n: int, seed: int = 1) -> typing.Iterator[tuple[str, dict[str, Any]]]:
    """Yield (kind, record dict) for ``n`` records, parents before the records that copy from them."""
    ids = plan_ids(n)
    ctx = _Ctx(seed, ids)
    for kind, kind_ids in ids.items():
        for serial, rid in enumerate(kind_ids, 1):
            yield kind, build_record(kind, rid, ctx, serial)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe dumper (libyaml when available) that writes multi-line text as literal blocks."""


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_record(kind: str, record: dict[str, Any]) -> str:
    """YAML text of one record file, starting with the editor's schema comment."""
    body = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return f"# yaml-language-server: $schema=../../schemas/{schema_filename(kind)}\n{body}"


def synthesise(n: int, out: Path, seed: int = 1) -> None:
    """Write ``n`` valid records, one per file, as ``out/<family>/<id>.yaml``."""
    out = Path(out)
    made: set[Path] = set()
    for kind, record in build_records(n, seed):
        folder = out / KINDS[kind].family
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        (folder / f"{record['id']}.yaml").write_text(dump_record(kind, record), encoding="utf-8")


def main(argv: typing.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000, help="number of records (default: 10000)")
    parser.add_argument("--out", type=Path, required=True, help="content folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    try:
        allocate(args.records)
    except ValueError as exc:
        parser.error(str(exc))
    start = time.perf_counter()
    synthesise(args.records, args.out, args.seed)
    counts = Counter(allocate(args.records))
    print(f"wrote {args.records} records of {len(counts)} kinds to {args.out} "
          f"in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
