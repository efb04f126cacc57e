"""Dashboards: the computed figures of :mod:`generator.figures` as pages with static SVG charts.

:func:`render_dashboards` returns markdown pages under ``dashboards/`` and the SVG files they
embed. Charts are drawn at build time with matplotlib (Agg, no network, no clock): the same
index and date give the same bytes. Every chart sits beside a markdown table of the same
figures, so the page reads without the image (and in print, where nothing relies on colour:
series differ by marker, line style or hatch, missed points carry their own marker).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from ..figures import (
    availability as figures_availability, periods as figures_periods, relationship as figures_relationship,
    security as figures_security, service_levels as figures_service_levels
)
from ..content.i18n import Translator
from ..content.index import Index
from ..content.markup import esc, record_path
from ..figures.alignment import supplier_alignment
from . import wording
from .charts import Panel, Series, draw_charts
from .links import relative
from .templates import template_env

__all__ = ["PAGES", "render_dashboards"]


FOLDER = "dashboards"
PAGES = ("availability", "sla", "incidents", "complaints", "suppliers")


# --------------------------------------------------------------------------- page helpers


@dataclass
class Section:
    """A heading with an optional chart (file name, alt text), a table and a paragraph."""

    heading: str
    text: str = ""
    chart: str | None = None
    alt: str = ""
    table: str = ""


@dataclass
class Page:
    name: str
    title: str
    intro: str
    sections: list[Section]


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-") or "x"


def _num(value: float | None, digits: int | None = None) -> str:
    if value is None:
        return "—"
    if digits is not None:
        return f"{value:.{digits}f}"
    return f"{value:g}"


def _pct(value: float | None) -> str:
    """Availability percentages: three decimals (99.966), enough to tell 99.95 from 99.949."""
    return _num(value, 3)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table; ``head`` is escaped here, cells must already be markdown."""
    lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


class _Builder:
    def __init__(self, index: Index, today: dt.date, t: Translator) -> None:
        self.index = index
        self.today = today
        self.t = t
        self.charts: dict[str, Sequence[Panel]] = {}  # file path -> the panels it draws

    def link(self, record_id: str) -> str:
        """Link from a dashboard page to a record page (plain text when the record is unknown)."""
        rec = self.index.get(record_id)
        if rec is None:
            return esc(self.t("ui.withheld"))
        rel = relative(record_path(rec.kind, rec.id), f"{FOLDER}/index.md")
        return f"[{esc(rec.id)}]({rel})"

    def result(self, met: bool | None) -> str:
        key = "no_data" if met is None else ("met" if met else "missed")
        text = esc(self.t(f"dashboard.{key}"))
        return f"**{text}**" if met is False else text

    def chart(self, name: str, panels: Sequence[Panel]) -> str:
        file_name = f"{name}.svg"
        self.charts[f"{FOLDER}/{file_name}"] = panels
        return file_name

    # -- availability ----------------------------------------------------------------------
    def availability(self) -> Page:
        t = self.t
        by_service: dict[str, list[figures_availability.Availability]] = defaultdict(list)
        for row in figures_availability.availability_table(self.index, as_of=self.today):
            by_service[row.service].append(row)
        sections = []
        for sid, rows in by_service.items():
            target = next((r.target for r in reversed(rows) if r.target is not None), None)
            missed = [r.period for r in rows if r.met is False]
            nodata = [r.period for r in rows if r.availability_pct is None]
            panel = Panel(
                title=t("dashboard.availability.chart_title", service=sid), categories=tuple(r.period for r in rows),
                series=(Series(t("dashboard.availability.measured"), tuple(r.availability_pct for r in rows),
                               tuple(r.met is False for r in rows)),),
                ylabel=t("dashboard.percent"), target=target,
                target_label=t("dashboard.target_value", value=_num(target)))
            alt = t("dashboard.availability.alt", service=sid, first=rows[0].period, last=rows[-1].period,
                    target=_num(target), missed=len(missed), nodata=len(nodata))
            table_rows = []
            for r in rows:
                month = esc(r.period) if r.complete else esc(t("dashboard.to_date", period=r.period, date=self.today))
                # Share of the month's window that was monitored (coverage less gaps, plus outages).
                watched = 100.0 * r.monitored_minutes / r.minutes_in_period if r.minutes_in_period else None
                table_rows.append([
                    month, esc(_pct(r.availability_pct)) if r.availability_pct is not None else esc(t("dashboard.no_data")),
                    esc(_num(r.target)), self.result(r.met), esc(_num(watched, 1)), esc(_num(r.downtime_minutes, 1)),
                    ", ".join(self.link(o) for o in r.outages) or "—"])
            table = _table([t("dashboard.month"), t("dashboard.availability.measured"), t("dashboard.target"),
                            t("dashboard.result"), t("dashboard.availability.monitored"),
                            t("dashboard.availability.downtime"), t("dashboard.availability.outages")], table_rows)
            sections.append(Section(heading=f"{self.link(sid)}", chart=self.chart(f"availability-{_slug(sid)}", [panel]),
                                    alt=alt, table=table,
                                    text=esc(t("dashboard.availability.summary", months=len(rows), missed=len(missed),
                                               nodata=len(nodata)))))
        return Page("availability", t("dashboard.availability.title"),
                    t("dashboard.availability.intro", today=self.today), sections)

    # -- SLA attainment --------------------------------------------------------------------
    def sla(self) -> Page:
        t = self.t
        by_sla: dict[str, list[figures_service_levels.Attainment]] = defaultdict(list)
        for row in figures_service_levels.sla_attainment(self.index):
            by_sla[row.sla].append(row)
        sections = []
        for sla_id, rows in by_sla.items():
            periods = figures_periods.months(min(r.period for r in rows), max(r.period for r in rows))
            keys = list(dict.fromkeys(r.target for r in rows))
            cell: dict[tuple[str, str], figures_service_levels.Attainment] = {}
            reports: dict[str, list[str]] = defaultdict(list)
            for r in rows:
                cell.setdefault((r.period, r.target), r)
                if r.report not in reports[r.period]:
                    reports[r.period].append(r.report)
            heads = []
            for key in keys:
                sample = next(r for r in rows if r.target == key)
                rule = (t(f"dashboard.sla.{sample.comparison}", value=_num(sample.threshold), unit=sample.unit or "")
                        if sample.threshold is not None else t("dashboard.sla.unknown_target"))
                heads.append(f"{key} ({rule})")
            table_rows = []
            for p in periods:
                cells = [", ".join(self.link(rid) for rid in reports[p]) or "—", esc(p)]
                for key in keys:
                    a = cell.get((p, key))
                    cells.append(esc(t("dashboard.no_data")) if a is None
                                 else f"{esc(_num(a.actual))} ({self.result(a.met)})")
                table_rows.append(cells)
            missed = sum(1 for r in rows if r.met is False)
            sections.append(Section(
                heading=self.link(sla_id), text=esc(t("dashboard.sla.summary", results=len(rows), missed=missed)),
                table=_table([t("dashboard.sla.report"), t("dashboard.month"), *heads], table_rows)))
        if sections:
            sections.insert(0, self.sla_overview([r for rows in by_sla.values() for r in rows]))
        return Page("sla", t("dashboard.sla.title"), t("dashboard.sla.intro"), sections)

    def sla_overview(self, rows: Sequence[figures_service_levels.Attainment]) -> Section:
        """One chart for every agreement: the share of SLA targets met each month.

        A chart per agreement cost a fifth of a second each (hundreds in a large organisation) and
        said less than one line; each agreement's table below keeps every value.
        """
        t = self.t
        periods = figures_periods.months(min(r.period for r in rows), max(r.period for r in rows))
        judged: dict[str, list[bool]] = defaultdict(list)
        for r in rows:
            if r.met is not None:
                judged[r.period].append(r.met)
        share = [100.0 * sum(judged[p]) / len(judged[p]) if judged[p] else None for p in periods]
        panel = Panel(
            title=t("dashboard.sla.share_met"), categories=tuple(periods),
            series=(Series(t("dashboard.sla.share_met"), tuple(share), tuple(v is not None and v < 100 for v in share)),),
            ylabel="%", target=100.0, target_label=t("dashboard.target_value", value="100"), zoom=True)
        table = _table([t("dashboard.month"), t("dashboard.sla.results"), t("dashboard.sla.missed_count"),
                        t("dashboard.sla.share_met")],
                       [[esc(p), str(len(judged[p])), str(judged[p].count(False)),
                         esc(_num(s, 1)) if s is not None else esc(t("dashboard.no_data"))]
                        for p, s in zip(periods, share)])
        return Section(heading=esc(t("dashboard.sla.overview")), chart=self.chart("sla-overview", [panel]),
                       alt=t("dashboard.sla.overview_alt", first=periods[0], last=periods[-1]), table=table)

    # -- security incidents ----------------------------------------------------------------
    def incidents(self) -> Page:
        t = self.t
        stats = figures_security.security_incident_stats(self.index)
        if not stats.total:
            return Page("incidents", t("dashboard.incidents.title"), t("dashboard.incidents.intro"), [])
        incidents = sorted((lr.record for lr in self.index.of_kind("security_incident")), key=lambda r: r.id)
        per = Counter((figures_periods.month_of(i.reported), i.type) for i in incidents)
        per_prio = Counter((figures_periods.month_of(i.reported), i.priority) for i in incidents)
        month_list = [m for m, _ in stats.by_month]
        types = [ty for ty, n in stats.by_type if n]
        prios = [p for p, _ in stats.by_priority]
        sections = []
        for name, keys, counter, label in (("type", types, per, lambda k: t(f"dashboard.incidents.type_{k}")),
                                           ("priority", prios, per_prio, lambda k: k)):
            panel = Panel(t(f"dashboard.incidents.by_{name}"), tuple(month_list),
                          tuple(Series(label(k), tuple(float(counter[(m, k)]) for m in month_list)) for k in keys),
                          t("dashboard.incidents.count"), kind="bar", stacked=True, integer=True)
            rows = [[esc(m), *(str(counter[(m, k)]) for k in keys), str(total)] for m, total in stats.by_month]
            rows.append([f"**{esc(t('dashboard.total'))}**",
                         *(str(sum(counter[(m, k)] for m in month_list)) for k in keys), str(stats.total)])
            alt = t(f"dashboard.incidents.alt_{name}", total=stats.total, first=month_list[0], last=month_list[-1],
                    counts="; ".join(f"{label(k)} {sum(counter[(m, k)] for m in month_list)}" for k in keys))
            sections.append(Section(esc(t(f"dashboard.incidents.by_{name}")), chart=self.chart(f"incidents-{name}", [panel]),
                                    alt=alt, table=_table([t("dashboard.month"), *map(label, keys),
                                                           t("dashboard.total")], rows)))
        summary = _table([t("dashboard.figure"), t("dashboard.value")], [
            [esc(t("dashboard.total")), str(stats.total)],
            [esc(t("dashboard.escalated")), f"{stats.escalated} ({esc(_rate(stats.escalation_rate))})"],
            [esc(t("dashboard.closed")), str(stats.closed)],
            [esc(t("dashboard.hours_median")), esc(_num(stats.hours_to_close_median, 1))],
            [esc(t("dashboard.hours_mean")), esc(_num(stats.hours_to_close_mean, 1))],
        ])
        listing = _table([t("dashboard.record"), t("dashboard.month"), t("dashboard.incidents.type"),
                          t("dashboard.incidents.priority"), t("dashboard.state")],
                         [[self.link(i.id), esc(figures_periods.month_of(i.reported)), esc(t(f"dashboard.incidents.type_{i.type}")),
                           esc(i.priority), esc(t(f"dashboard.state_{i.state}"))] for i in incidents])
        sections += [Section(esc(t("dashboard.handling")), table=summary),
                     Section(esc(t("dashboard.incidents.list")), table=listing)]
        return Page("incidents", t("dashboard.incidents.title"), t("dashboard.incidents.intro"), sections)

    # -- complaints ------------------------------------------------------------------------
    def complaints(self) -> Page:
        t = self.t
        stats = figures_relationship.complaint_stats(self.index, self.today)
        if not stats.total:
            return Page("complaints", t("dashboard.complaints.title"), t("dashboard.complaints.intro"), [])
        records = [lr.record for lr in self.index.of_kind("complaint")]
        received = Counter(figures_periods.month_of(c.received) for c in records)
        closed = Counter(figures_periods.month_of(c.closed) for c in records if c.state == "closed" and c.closed is not None)
        month_list = figures_periods.months(min(received | closed), max(received | closed))
        panel = Panel(t("dashboard.complaints.per_month"), tuple(month_list),
                      (Series(t("dashboard.complaints.received"), tuple(float(received[m]) for m in month_list)),
                       Series(t("dashboard.closed"), tuple(float(closed[m]) for m in month_list))),
                      t("dashboard.complaints.count"), kind="bar", integer=True)
        sections = [Section(
            esc(t("dashboard.complaints.per_month")), chart=self.chart("complaints-per-month", [panel]),
            alt=t("dashboard.complaints.alt_month", first=month_list[0], last=month_list[-1],
                  received=stats.total, closed=stats.closed),
            table=_table([t("dashboard.month"), t("dashboard.complaints.received"), t("dashboard.closed")],
                         [[esc(m), str(received[m]), str(closed[m])] for m in month_list]))]
        if stats.open:
            age_panel = Panel(t("dashboard.complaints.open_age"), tuple(o.id for o in stats.open),
                              (Series(t("dashboard.complaints.age_days"), tuple(float(o.age_days) for o in stats.open)),),
                              t("dashboard.complaints.age_days"), kind="bar", integer=True)
            rows = [[self.link(o.id), self.link(o.service), self.link(o.customer), esc(t(f"dashboard.state_{o.state}")),
                     esc(o.received.strftime("%Y-%m-%d %H:%M %z")), str(o.age_days)] for o in stats.open]
            sections.append(Section(
                esc(t("dashboard.complaints.open_age")), chart=self.chart("complaints-open-age", [age_panel]),
                alt=t("dashboard.complaints.alt_age", count=len(stats.open), today=self.today,
                      oldest=stats.open[0].id, days=stats.open[0].age_days),
                text=esc(t("dashboard.complaints.open_as_of", today=self.today)),
                table=_table([t("dashboard.record"), t("dashboard.service"), t("dashboard.customer"),
                              t("dashboard.state"), t("dashboard.complaints.received"),
                              t("dashboard.complaints.age_days")], rows)))
        else:
            sections.append(Section(esc(t("dashboard.complaints.open_age")),
                                    text=esc(t("dashboard.complaints.none_open", today=self.today))))
        sections.append(Section(esc(t("dashboard.handling")), table=_table([t("dashboard.figure"), t("dashboard.value")], [
            [esc(t("dashboard.total")), str(stats.total)],
            [esc(t("dashboard.escalated")), f"{stats.escalated} ({esc(_rate(stats.escalation_rate))})"],
            [esc(t("dashboard.closed")), str(stats.closed)],
            [esc(t("dashboard.hours_median")), esc(_num(stats.hours_to_close_median, 1))],
            [esc(t("dashboard.hours_mean")), esc(_num(stats.hours_to_close_mean, 1))],
        ])))
        return Page("complaints", t("dashboard.complaints.title"), t("dashboard.complaints.intro"), sections)

    # -- suppliers -------------------------------------------------------------------------
    def suppliers(self) -> Page:
        t = self.t
        # Only the pairs the records state (a contract target's `supports:`), never guessed.
        align = supplier_alignment(self.index)
        sections = []
        pairs = [(ta, s) for ta in align.targets for s in ta.supporters]
        if pairs:
            rows = [[self.link(ta.sla), esc(ta.sla_target),
                     esc(wording.target_words(ta.comparison, ta.customer_value, ta.unit, t)),
                     f"{self.link(s.underpinning)} {esc(s.target)}",
                     esc(wording.target_words(s.comparison, s.written_value, s.written_unit, t))
                     + ("" if s.value is None or s.written_unit.strip() == ta.unit.strip()
                        else esc(f" (= {wording.number(s.value)} {ta.unit})")),
                     esc(t("dashboard.no_data")) if s.value is None
                     else esc(t("dashboard.suppliers.aligned")) if s.aligned
                     else f"**{esc(t('dashboard.suppliers.weaker'))}**"]
                    for ta, s in pairs]
            sections.append(Section(esc(t("dashboard.suppliers.links")), text=esc(t("dashboard.suppliers.links_text")),
                                    table=_table([t("dashboard.suppliers.sla"), t("dashboard.target"),
                                                  t("dashboard.suppliers.customer_value"),
                                                  t("dashboard.suppliers.underpinning"),
                                                  t("dashboard.suppliers.supplier_value"), t("dashboard.result")], rows)))
        chains = [ta for ta in align.targets if ta.mode == "product" and ta.combined is not None]
        if chains:
            cats = tuple(f"{c.sla} {c.sla_target}" for c in chains)
            panel = Panel(t("dashboard.suppliers.chains"), cats,
                          (Series(t("dashboard.suppliers.customer_value"), tuple(c.customer_value for c in chains)),
                           Series(t("dashboard.suppliers.product"), tuple(c.combined for c in chains),
                                  tuple(not c.chain_aligned for c in chains))),
                          t("dashboard.percent"), kind="bar", zoom=True)
            rows = [[self.link(c.sla), esc(c.sla_target), esc(_pct(c.customer_value)),
                     " × ".join(f"{self.link(s.underpinning)} {esc(s.target)} {esc(_num(s.value))}" for s in c.series),
                     esc(_pct(c.combined)), self.result(c.chain_aligned)] for c in chains]
            sections.append(Section(
                esc(t("dashboard.suppliers.chains")), chart=self.chart("suppliers-series", [panel]),
                alt=t("dashboard.suppliers.alt_chains", count=len(chains),
                      weaker=sum(1 for c in chains if not c.chain_aligned)),
                text=esc(t("dashboard.suppliers.chains_text")),
                table=_table([t("dashboard.suppliers.sla"), t("dashboard.target"), t("dashboard.suppliers.customer_value"),
                              t("dashboard.suppliers.links_in_series"), t("dashboard.suppliers.product"),
                              t("dashboard.result")], rows)))
        reviews = sorted((lr.record for kind in ("supplier_review", "internal_agreement_review")
                          for lr in self.index.of_kind(kind)), key=lambda r: (r.period_end, r.id))
        if reviews:
            met: Counter[str] = Counter()
            missed: Counter[str] = Counter()
            rows = []
            for r in reviews:
                q = _quarter(r.period_end)
                n_met = sum(1 for res in r.results if res.met)
                misses = [res.target for res in r.results if not res.met]
                met[q] += n_met
                missed[q] += len(misses)
                reviewed = getattr(r, "contract", None) or getattr(r, "agreement", None)
                rows.append([esc(q), self.link(r.id), self.link(reviewed), esc(f"{r.period_start} – {r.period_end}"),
                             str(n_met), str(len(misses)), esc(", ".join(misses)) or "—"])
            quarters = _quarters(_quarter(reviews[0].period_end), _quarter(reviews[-1].period_end))
            held = {_quarter(r.period_end) for r in reviews}
            panel = Panel(t("dashboard.suppliers.reviews"), tuple(quarters),
                          tuple(Series(t(f"dashboard.{name}"),
                                       tuple(float(counter[q]) if q in held else None for q in quarters))
                                for name, counter in (("met", met), ("missed", missed))),
                          t("dashboard.suppliers.results"), kind="bar", stacked=True, integer=True)
            sections.append(Section(
                esc(t("dashboard.suppliers.reviews")), chart=self.chart("suppliers-reviews", [panel]),
                alt=t("dashboard.suppliers.alt_reviews", reviews=len(reviews), first=quarters[0], last=quarters[-1],
                      met=sum(met.values()), missed=sum(missed.values())),
                text=esc(t("dashboard.suppliers.reviews_text")),
                table=_table([t("dashboard.suppliers.quarter"), t("dashboard.record"),
                              t("dashboard.suppliers.reviewed"), t("dashboard.suppliers.period"), t("dashboard.met"),
                              t("dashboard.missed"), t("dashboard.suppliers.missed_targets")], rows)))
        return Page("suppliers", t("dashboard.suppliers.title"), t("dashboard.suppliers.intro"), sections)


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f} %"


def _quarter(day: dt.date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _quarters(first: str, last: str) -> list[str]:
    y, q = int(first[:4]), int(first[-1])
    ly, lq = int(last[:4]), int(last[-1])
    out = []
    while (y, q) <= (ly, lq):
        out.append(f"{y:04d}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def _environment(t: Translator) -> jinja2.Environment:
    env = template_env()
    env.globals.update(t=t)
    return env


def render_dashboards(index: Index, today: dt.date, t: Translator) -> tuple[dict[str, str], dict[str, bytes]]:
    """Dashboard pages (``dashboards/*.md`` -> markdown) and their charts (``dashboards/*.svg`` -> bytes).

    ``dashboards/index.md`` links to the others. A page without data says so and has no chart.
    """
    pages, charts = dashboard_pages(index, today, t)
    return pages, draw_charts(charts, t)


def dashboard_pages(index: Index, today: dt.date, t: Translator) -> tuple[dict[str, str], dict[str, Sequence[Panel]]]:
    """The dashboard pages and, still to draw (:func:`generator.site.charts.draw_charts`), their charts:
    file path -> panels."""
    builder = _Builder(index, today, t)
    built = [getattr(builder, name)() for name in PAGES]
    template = _environment(t).get_template("dashboard.md.j2")
    pages = {f"{FOLDER}/{p.name}.md": template.render(page=p, overview=None) for p in built}
    overview = [(f"{p.name}.md", p.title, t(f"dashboard.{p.name}.summary_line"), bool(p.sections)) for p in built]
    pages[f"{FOLDER}/index.md"] = template.render(
        page=Page("index", t("dashboard.title"), t("dashboard.intro", today=today), []), overview=overview)
    return dict(sorted(pages.items())), dict(sorted(builder.charts.items()))
