"""The home page: what needs attention (findings, open incidents and complaints, contracts ending,
overdue reviews, drafts) and the sections with their record counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .emergency import pack as emergency_pack
from .links import relative

from ..content.markup import esc
from .records import FINDINGS_PAGE, Renderer


# Findings listed per severity on the home page; the findings page lists all of them.
HOME_FINDINGS = 10

# Supplier contracts ending within this many days are listed on the home page.
CONTRACT_ENDING_DAYS = 90


def home_attention(view: Renderer, here: str) -> dict[str, Any] | None:
    """What needs attention, counted over what this site shows (None on a public site): the open
    findings by severity, then open incidents and complaints by age, contracts ending, overdue
    reviews and drafts, each saying when the edition holds only part of them or none."""
    if view.public:
        return None
    from ..figures import periods as figures_periods, relationship as figures_relationship

    findings: dict[str, list[str]] = {"error": [], "warning": []}
    for f in view.findings:
        if f.record and f.severity in findings:
            findings[f.severity].append(
                f"{view.link(f.record, here, show_title=False)} `{f.code}`: {esc(f.message)}")
    severities = [
        {"severity": sev, "label": view.t(f"view.home.findings_{sev}"), "count": len(rows),
         "rows": rows[:HOME_FINDINGS], "more": max(0, len(rows) - HOME_FINDINGS)}
        for sev, rows in findings.items()]

    def age(days: int) -> str:
        return view.t("view.home.age_one" if days == 1 else "view.home.age_many", n=days)

    items: list[tuple[str, str | None, list[str]]] = []
    incidents = sorted((lr.record for lr in view.index.of_kind("security_incident")
                        if lr.record.state != "closed"), key=lambda r: (figures_periods.as_aware(r.reported), r.id))
    items.append(("open_incidents", "security_incident", [
        f"{view.link(r.id, here)} ({esc(age((figures_periods.as_aware(view.today) - figures_periods.as_aware(r.reported)).days))})"
        for r in incidents]))
    open_complaints = figures_relationship.complaint_stats(view.index, view.today).open if "complaint" in view.kinds else ()
    items.append(("open_complaints", "complaint",
                  [f"{view.link(c.id, here)} ({esc(age(c.age_days))})" for c in open_complaints]))
    horizon = view.today + dt.timedelta(days=CONTRACT_ENDING_DAYS)
    ending = sorted((lr.record for lr in view.index.of_kind("supplier_contract")
                     if lr.record.status != "retired" and lr.record.end is not None and lr.record.end <= horizon),
                    key=lambda r: (r.end, r.id))
    items.append(("contracts_ending", "supplier_contract", [
        f"{view.link(r.id, here)} ({esc(view.t('view.home.ended' if r.end < view.today else 'view.home.ends', date=r.end.isoformat()))})"
        for r in ending]))
    overdue, drafts = [], []
    for loaded in view.index.records:
        rec = loaded.record
        if view.review_info(rec)["overdue"]:
            overdue.append(view.link(rec.id, here))
        if rec.status == "draft":
            drafts.append(view.link(rec.id, here))
    items.append(("overdue", None, overdue))
    items.append(("drafts", None, drafts))
    rows = []
    for key, kind, links in items:
        state = view._kind_state(kind)
        if state is None:
            continue  # not a kind this site carries: no line at all, never a misleading 0
        rows.append({"label": view.t(f"ui.attention_{key}") if view.t.has(f"ui.attention_{key}")
                     else view.t(f"view.home.{key}"), "state": state, "count": len(links), "links": links})
    partial = view.full is not None and len(view.full.records) > len(view.index.records)
    return {"severities": severities, "items": rows, "partial": partial,
            "findings_page": relative(FINDINGS_PAGE, here) if view.dashboards else None}


def render_home(view: Renderer) -> str:
    here = "index.md"
    def count(kind: str) -> int | str:
        # A kind whose records are all in a more restricted edition is not "0".
        return view.t("view.home.withheld") if view._kind_state(kind) == "withheld" else len(view.index.of_kind(kind))

    sections = [
        (key, [(group, [(k, count(k), view.kind_link(k, here)) for k in kinds])
               for group, kinds in groups])
        for key, groups in view.sections()
    ]
    emergency_links = {
        "page": emergency_pack.page_link(emergency_pack.PAGE, here),
        "pdf": emergency_pack.page_link(emergency_pack.PDF, here),
        "vcf": emergency_pack.page_link(emergency_pack.VCF, here),
    } if view.with_emergency else None
    not_met = None
    if view.trace is not None:
        from .compliance_pages import attention as requirements_attention

        not_met = requirements_attention(view.trace, here, view.link, view.t)
    dashboards = relative("dashboards/index.md", here) if view.dashboards else None
    return view.env.get_template("home.md.j2").render(
        site_title=view.site_title, attention=home_attention(view, here), sections=sections, here=here,
        total=len(view.index.records), emergency=emergency_links, not_met=not_met, dashboards=dashboards)
