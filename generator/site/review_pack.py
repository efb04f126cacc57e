"""The service review pack (8.3.2-e, 8.3.3-d): per customer and review period, a page and a PDF for
the review meeting with that customer, assembled from the records of the customer's portal.

One pack per service review held with the customer (its period): attainment against each SLA
target month by month, with the two periods before it for the trend; workload against each limit;
the complaints it raised and their closure; the outages and security incidents of its services
with their investigations; the improvement actions still open; changes to its SLAs since the
previous review; and the latest satisfaction survey's results with the row of the customer's
segment. Built only in a customer edition (``--customer``), from that edition's records, plus the
survey's aggregate scores and the customer's own segment (never another segment's row, never the
survey's text). The PDF is laid out with WeasyPrint from ``site_templates/review_pack_print.html.j2``,
loading nothing from anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..content.index import Index
from ..content.markup import esc
from ..content.resources import TEMPLATES
from ..figures.periods import as_aware
from .links import relative

__all__ = ["INDEX", "Pack", "collect_packs", "pack_pdf", "render_packs"]

INDEX = "review-pack/index.md"
STYLE = TEMPLATES / "review_pack_print.css"
TREND_MONTHS = 6  # months before the period shown for the trend (two quarters)


@dataclass
class Pack:
    """One review pack: plain values (record text unescaped; the templates escape it)."""

    review: str  # the service review's id
    title: str
    customer: str
    customer_title: str
    start: dt.date
    end: dt.date
    held: dt.date
    months: list[str] = field(default_factory=list)  # the trend window, oldest first
    attainment: list[dict[str, Any]] = field(default_factory=list)  # per SLA target: cells per month
    workload: list[dict[str, Any]] = field(default_factory=list)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    outages: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    sla_changes: list[dict[str, Any]] = field(default_factory=list)
    survey: dict[str, Any] | None = None

    @property
    def path(self) -> str:
        return f"review-pack/{self.review}.md"

    @property
    def pdf(self) -> str:
        return f"review-pack/{self.review}.pdf"


def _month(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _months(first: dt.date, last: dt.date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _back(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 - months, 12)
    return dt.date(d.year + y, m + 1, 1)


def _meets(actual: float, target: float, comparison: str) -> bool:
    return actual >= target if comparison == "at_least" else actual <= target


def _num(value: float) -> str:
    """A figure as written: 1769760, 99.952 (never 1.76976e+06)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")


def collect_packs(index: Index, customer: str, everything: Index) -> list[Pack]:
    """The packs of ``customer``: one per service review with it in ``index`` (its portal's records);
    ``everything`` gives only the survey's aggregate scores and the customer's segment row."""
    org = index.get(customer)
    reviews = sorted((loaded.record for loaded in index.of_kind("service_review")
                      if loaded.record.customer == customer), key=lambda r: (r.period_start, r.id))
    slas = sorted((loaded.record for loaded in index.of_kind("sla") if loaded.record.customer == customer),
                  key=lambda s: s.id)
    services = {s.service for s in slas} | {sid for r in reviews for sid in r.services}
    reports: dict[tuple[str, str], Any] = {}
    workloads: dict[tuple[str, str], Any] = {}
    for loaded in index.of_kind("sla_report"):
        reports[(loaded.record.sla, loaded.record.period)] = loaded.record
    for loaded in index.of_kind("workload_report"):
        workloads[(loaded.record.sla, loaded.record.period)] = loaded.record
    packs = []
    previous: Any = None
    for review in reviews:
        pack = Pack(review.id, review.title, customer, org.title if org is not None else customer,
                    review.period_start, review.period_end, review.date)
        pack.months = _months(_back(review.period_start, TREND_MONTHS), review.period_end)
        in_period = set(_months(review.period_start, review.period_end))
        for sla in slas:
            for target in sla.targets:
                cells = []
                for month in pack.months:
                    rep = reports.get((sla.id, month))
                    result = next((r for r in rep.results if r.target == target.id), None) if rep else None
                    if result is None:
                        cells.append({"value": "—", "met": None, "current": month in in_period})
                    else:
                        cells.append({"value": _num(result.actual), "current": month in in_period,
                                      "met": _meets(result.actual, target.target, target.comparison)})
                pack.attainment.append({"sla": sla.id, "target": target.id, "description": target.description,
                                        "goal": f"{'≥' if target.comparison == 'at_least' else '≤'} "
                                                f"{_num(target.target)} {target.unit}", "cells": cells})
            for limit in sla.workload_limits:
                cells = []
                for month in pack.months:
                    rep = workloads.get((sla.id, month))
                    actual = next((a for a in rep.actuals if a.metric == limit.metric), None) if rep else None
                    cells.append({"value": "—" if actual is None else _num(actual.value), "current": month in in_period,
                                  "met": None if actual is None else actual.value <= limit.limit})
                pack.workload.append({"sla": sla.id, "metric": limit.metric,
                                      "goal": f"≤ {_num(limit.limit)} {limit.unit}", "cells": cells})
            changed = sla.approval.date if sla.approval is not None else None
            since = previous.date if previous is not None else None
            if changed is not None and (since is None or changed > since) and changed <= review.date:
                pack.sla_changes.append({"sla": sla.id, "version": sla.version, "approved": changed.isoformat()})
        start, end = as_aware(review.period_start), as_aware(review.period_end + dt.timedelta(days=1))
        for loaded in sorted(index.of_kind("complaint"), key=lambda item: item.record.received):
            c = loaded.record
            if c.customer == customer and start <= as_aware(c.received) < end or (
                    c.customer == customer and c.state != "closed" and as_aware(c.received) < end):
                closed = c.closed.date().isoformat() if c.closed else "—"
                days = (as_aware(c.closed) - as_aware(c.received)).days if c.closed else None
                pack.complaints.append({"id": c.id, "title": c.title, "received": _month_day(c.received),
                                        "state": c.state, "closed": closed, "days": "—" if days is None else days})
        for loaded in sorted(index.of_kind("outage"), key=lambda item: item.record.start):
            o = loaded.record
            if o.service in services and start <= as_aware(o.start) < end:
                inv = index.get(o.investigation) if o.investigation else None
                if inv is None:
                    inv = next((ref.source.record for ref in index.referrers(o.id)
                                if ref.source.record.kind == "outage_investigation"), None)
                minutes = round((as_aware(o.end) - as_aware(o.start)).total_seconds() / 60) if o.end else None
                pack.outages.append({"id": o.id, "title": o.title, "service": o.service, "start": _month_day(o.start),
                                     "minutes": "—" if minutes is None else minutes, "planned": o.planned,
                                     "investigation": inv.id if inv is not None else None,
                                     "root_cause": inv.root_cause if inv is not None else ""})
        for loaded in sorted(index.of_kind("security_incident"), key=lambda item: item.record.reported):
            i = loaded.record
            if set(i.services) & services and start <= as_aware(i.reported) < end:
                pack.incidents.append({"id": i.id, "title": i.title, "reported": _month_day(i.reported),
                                       "priority": i.priority, "state": i.state})
        for loaded in sorted(index.of_kind("improvement_action"), key=lambda item: (item.record.due, item.record.id)):
            a = loaded.record
            if a.state in ("open", "in_progress") and a.status != "retired":
                pack.actions.append({"id": a.id, "title": a.title, "due": a.due.isoformat(),
                                     "state": a.state.replace("_", " ")})
        pack.survey = _survey(everything, org, review.period_end)
        packs.append(pack)
        previous = review
    return packs


def _month_day(value: dt.datetime | dt.date) -> str:
    return as_aware(value).strftime("%Y-%m-%d %H:%M")


def _survey(everything: Index, org: Any, until: dt.date) -> dict[str, Any] | None:
    """The latest survey closed by ``until``: its scores, and the customer's segment only."""
    segment = getattr(org, "segment", None)
    surveys = [loaded.record for loaded in everything.of_kind("satisfaction_survey") if loaded.record.date <= until
               and loaded.record.status != "retired"]
    if not surveys:
        return None
    s = max(surveys, key=lambda r: (r.date, r.id))
    row = next((seg for seg in s.segments if segment and seg.name == segment), None)
    return {
        "date": s.date.isoformat(),
        "segment": segment, "population": row.population if row else None, "responses": row.responses if row else None,
        "results": [{"question": r.question, "score": _num(r.score), "scale": _num(r.scale_max)} for r in s.results],
    }


# -- output ------------------------------------------------------------------------------------
def render_packs(packs: list[Pack], env: jinja2.Environment, t: Any, link: Callable[..., str],
                 site_title: str, built: dt.datetime, customer_title: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """The pages (an index and one per pack, markdown) and the PDFs."""
    pages: dict[str, str] = {}
    files: dict[str, bytes] = {}
    rows = [{"link": f"[{esc(p.review)} — {esc(p.title)}]({relative(p.path, INDEX)})",
             "period": f"{p.start.isoformat()}..{p.end.isoformat()}", "pdf": relative(p.pdf, INDEX)} for p in packs]
    pages[INDEX] = env.get_template("review_pack_index.md.j2").render(rows=rows, customer=customer_title)
    for pack in packs:
        here = pack.path
        pages[here] = env.get_template("review_pack.md.j2").render(
            p=pack, here=here, link=lambda rid, here=here: link(rid, here, show_title=False),
            pdf=relative(pack.pdf, here))
        files[pack.pdf] = pack_pdf(pack, t, site_title, built)
    return pages, files


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the review pack loads no resource ({url})")


def pack_pdf(pack: Pack, t: Any, site_title: str, built: dt.datetime) -> bytes:
    """The pack as PDF (the same pack and build time give the same bytes)."""
    import logging

    from weasyprint import CSS, HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    stamp = built.astimezone(dt.timezone.utc)
    html_text = env.get_template("review_pack_print.html.j2").render(
        p=pack, t=t, lang=t.lang, site_title=site_title, built=stamp.strftime("%Y-%m-%d %H:%M UTC"),
        built_w3c=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    style = CSS(string=STYLE.read_text(encoding="utf-8"), url_fetcher=_no_fetch)
    document = HTML(string=html_text, base_url=None, url_fetcher=_no_fetch).render(stylesheets=[style])
    return document.write_pdf(pdf_identifier=None)


def add_review_packs(site: Any, renderer: Any, customer: str, everything: Index) -> None:
    """Add a customer portal's review packs (pages, PDFs, navigation) to a rendered site."""
    packs = collect_packs(renderer.index, customer, everything)
    org = renderer.index.get(customer)
    pages, files = render_packs(packs, renderer.env, renderer.t, renderer.link, renderer.site_title, renderer.built,
                                org.title if org is not None else customer)
    site.pages.update(pages)
    site.files.update(files)
    site.nav.append({renderer.t("pack.title"): INDEX})
