"""The columns a kind's index page adds to id, title, owner, status and next review: what people
sort a list of such records by (a test's date and result, an incident's severity, priority and
date, a contract's end, an SLA's service, customer and latest attainment...).

Values are shown in the site's words (:mod:`generator.site.wording`), dates as ISO dates (they sort as
text), links through the renderer (withheld records say so). A column that needs other records
(a plan's last test, an SLA's latest report) is judged only over what the edition carries: where
the edition holds only some of them, the cell says "—" rather than "not tested yet".
Markdown out; record text escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..content.markup import esc, record_path
from ..figures import periods as figures_periods, service_levels as figures_service_levels
from ..figures.due import _local_date as local_date
from ..figures.due import continuity_test_due
from . import wording
from .links import relative

__all__ = ["Column", "columns", "plan_test"]


@dataclass(frozen=True)
class Column:
    """One added column: its heading and a function record -> markdown cell."""

    label: str
    cell: Callable[[Any], str]


@dataclass(frozen=True)
class PlanTest:
    """A continuity plan's latest test as the edition shows it, and its next test's due date."""

    last: Any | None  # the latest continuity_test record, None when the edition has none
    complete: bool  # the edition carries every test of the plan (else "not tested yet" is not said)
    due: dt.date | None
    overdue: bool


def _referrers(index: Any, target: str, kind: str, path: tuple[str, ...]) -> list[Any]:
    return [ref.source.record for ref in index.referrers(target)
            if ref.source.record.kind == kind and ref.path == path]


def _complete(view: Any, target: str, kind: str, path: tuple[str, ...]) -> bool:
    """The edition carries every ``kind`` record that names ``target`` at ``path``."""
    if view.full is None:
        return True
    return len(_referrers(view.index, target, kind, path)) >= len(_referrers(view.full, target, kind, path))


def plan_test(view: Any, plan: Any) -> PlanTest | None:
    """A plan's last test and next due test (None when the edition carries no continuity tests)."""
    if "continuity_test" not in view.kinds:
        return None
    tests = _referrers(view.index, plan.id, "continuity_test", ("plan",))
    last = max(tests, key=lambda r: (r.date, r.id), default=None)
    complete = _complete(view, plan.id, "continuity_test", ("plan",))
    due = continuity_test_due(view.index, plan) if complete else None
    return PlanTest(last, complete, due.date if due else None, bool(due and due.overdue(view.today)))


def _date(value: Any) -> str:
    return local_date(value).isoformat() if value is not None else "—"


def _enum(view: Any, name: str, token: Any) -> str:
    return esc(wording.enum_words(name, str(token), view.t)) if token is not None else "—"


def _yes_no(view: Any, value: bool) -> str:
    return esc(view.t("ui.yes" if value else "ui.no"))


def _result(view: Any, test: Any) -> str:
    words = _enum(view, "result", test.result)
    return words if test.result == "passed" else f"**{words}**"


def _link(view: Any, target: str | None, here: str) -> str:
    return view.link(target, here, show_title=False) if target else "—"


def _minutes_words(view: Any, minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    return esc(wording.duration_words(f"PT{hours}H{rest}M" if hours or rest else "PT0M", view.t))


def _outage_duration(view: Any, outage: Any) -> str:
    if outage.end is None:
        return esc(view.t("view.index.ongoing"))
    seconds = (figures_periods.as_aware(outage.end) - figures_periods.as_aware(outage.start)).total_seconds()
    return _minutes_words(view, int(seconds // 60))


def _open_days(view: Any, opened: Any, closed: Any) -> str:
    if closed is not None:
        return "—"
    return esc(view.t("view.index.days", days=(view.today - local_date(opened)).days))


def _attainment(view: Any, sla: Any, here: str) -> str:
    if not _complete(view, sla.id, "sla_report", ("sla",)):
        return "—"
    results = figures_service_levels.sla_attainment(view.index, sla.id)
    if not results:
        return esc(view.t("view.index.no_report"))
    period = max(a.period for a in results)
    latest = [a for a in results if a.period == period]
    met = sum(1 for a in latest if a.met)
    text = esc(view.t("view.index.targets_met", met=met, total=len(latest), period=period))
    link = relative(record_path("sla_report", latest[0].report), here)
    shown = f"[{text}]({link})"
    return shown if met == len(latest) else f"**{shown}**"


def _plan_cells(view: Any) -> list[Column]:
    cache: dict[str, PlanTest | None] = {}

    def info(plan: Any) -> PlanTest | None:
        if plan.id not in cache:
            cache[plan.id] = plan_test(view, plan)
        return cache[plan.id]

    def last(plan: Any) -> str:
        pt = info(plan)
        if pt is None or pt.last is None:
            return esc(view.t("view.index.no_test")) if pt is not None and pt.complete else "—"
        return pt.last.date.isoformat()

    def result(plan: Any) -> str:
        pt = info(plan)
        return _result(view, pt.last) if pt is not None and pt.last is not None else "—"

    def due(plan: Any) -> str:
        pt = info(plan)
        if pt is None or pt.due is None:
            return "—"
        return pt.due.isoformat() + (f" **{esc(view.t('ui.overdue'))}**" if pt.overdue else "")

    return [Column(view.t("view.index.last_test"), last), Column(view.t("view.index.test_result"), result),
            Column(view.t("view.index.next_test"), due)]


def columns(view: Any, kind: str, here: str) -> list[Column]:
    """The columns ``kind``'s index page adds, for this edition (``view``: the renderer)."""
    t = view.t
    f = t.field
    if kind == "continuity_plan":
        return _plan_cells(view) if "continuity_test" in view.kinds else []
    if kind == "continuity_test":
        return [Column(f("plan"), lambda r: _link(view, r.plan, here)),
                Column(t("view.index.date"), lambda r: r.date.isoformat()),
                Column(t("view.index.test_result"), lambda r: _result(view, r)),
                Column(f("met_requirements"), lambda r: _yes_no(view, r.met_requirements))]
    if kind == "continuity_invocation":
        return [Column(f("plan"), lambda r: _link(view, r.plan, here)),
                Column(f("invoked"), lambda r: _date(r.invoked)),
                Column(f("ended"), lambda r: _date(r.ended))]
    if kind == "security_incident":
        return [Column(f("reported"), lambda r: _date(r.reported)),
                Column(f("severity"), lambda r: _enum(view, "severity", r.severity)),
                Column(f("priority"), lambda r: _enum(view, "priority", r.priority)),
                Column(f("state"), lambda r: _enum(view, "state", r.state)),
                Column(t("view.index.open_days"), lambda r: _open_days(view, r.reported, r.closed))]
    if kind == "outage":
        return [Column(f("service"), lambda r: _link(view, r.service, here)),
                Column(t("view.index.start"), lambda r: _date(r.start)),
                Column(t("view.index.duration"), lambda r: _outage_duration(view, r)),
                Column(t("view.index.planned"), lambda r: _yes_no(view, r.planned))]
    if kind == "complaint":
        return [Column(f("received"), lambda r: _date(r.received)),
                Column(f("customer"), lambda r: _link(view, r.customer, here)),
                Column(f("service"), lambda r: _link(view, r.service, here)),
                Column(f("state"), lambda r: _enum(view, "state", r.state)),
                Column(t("view.index.open_days"), lambda r: _open_days(view, r.received, r.closed))]
    if kind == "supplier_contract":
        return [Column(f("supplier"), lambda r: _link(view, r.supplier, here)),
                Column(t("view.index.end"), lambda r: r.end.isoformat() if r.end else esc(t("view.index.open_ended"))),
                Column(t("view.index.notice_by"), lambda r: _notice_by(r))]
    if kind == "sla":
        cols = [Column(f("service"), lambda r: _link(view, r.service, here)),
                Column(f("customer"), lambda r: _link(view, r.customer, here))]
        if "sla_report" in view.kinds:
            cols.append(Column(t("view.index.latest_attainment"), lambda r: _attainment(view, r, here)))
        return cols
    if kind == "sla_report":
        return [Column(f("sla"), lambda r: _link(view, r.sla, here)), Column(f("period"), lambda r: esc(r.period))]
    if kind == "improvement_action":
        return [Column(f("due"), lambda r: r.due.isoformat()), Column(f("state"), lambda r: _enum(view, "state", r.state))]
    if kind == "supplier_dispute":
        return [Column(f("contract"), lambda r: _link(view, r.contract, here)),
                Column(f("opened"), lambda r: r.opened.isoformat()),
                Column(f("state"), lambda r: _enum(view, "state", r.state))]
    if kind == "security_risk":
        return [Column(f("likelihood"), lambda r: _enum(view, "likelihood", r.likelihood)),
                Column(f("impact"), lambda r: _enum(view, "impact", r.impact)),
                Column(f("treatment"), lambda r: _enum(view, "treatment", r.treatment))]
    if kind == "supplier_review":
        return [Column(f("contract"), lambda r: _link(view, r.contract, here)),
                Column(t("view.index.date"), lambda r: r.date.isoformat())]
    if kind in ("service_review", "control_review", "incident_review", "outage_investigation",
                "satisfaction_survey", "continuity_risk_assessment", "availability_risk_assessment"):
        return [Column(t("view.index.date"), lambda r: _date(getattr(r, "date", None)))]
    return []


def _notice_by(contract: Any) -> str:
    from ..figures.due import subtract_duration

    if contract.end is None or not contract.notice_period:
        return "—"
    return subtract_duration(contract.end, contract.notice_period).isoformat()
