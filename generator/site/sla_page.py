"""What an SLA's page adds to its fields: the answers to an auditor's next questions.

- its targets in words, each with its latest reported result (linked to the report) and whether
  the supplier chain stated to support it can reach it;
- the supplier chain per target (:func:`generator.figures.alignment.supplier_alignment`: the supporting
  contract and agreement targets, combined in series), where the edition carries every contract
  and agreement the SLA names;
- its workload against its limits (the latest month and the highest reported month).

Only what the edition carries is judged: without its reports the result column is left out,
without every underpinning contract or agreement the supplier chain is. Markdown out; record text
escaped with :func:`generator.content.markup.esc`.
"""

from __future__ import annotations

from typing import Any

from ..content.markup import esc, record_path
from ..figures import service_levels as figures_service_levels
from ..figures.alignment import Alignment, TargetAlignment
from . import wording
from .links import relative

__all__ = ["sla_sections"]


def _table(head: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head),
                      *("| " + " | ".join(r) + " |" for r in rows)])


def _chain_visible(view: Any, sla: Any) -> bool:
    """The edition carries every contract and agreement the SLA names (else its chain is not judged here)."""
    kinds = set(view.kinds)
    return ("supplier_contract" in kinds or "internal_agreement" in kinds) and all(
        uid in view.index.by_id for uid in sla.underpinned_by)


def _accepted(sla: Any, key: str, today: Any) -> Any:
    return next((a for a in sla.risk_acceptances if a.target == key and a.until >= today), None)


def chain_words(view: Any, sla: Any, ta: TargetAlignment | None) -> str:
    """One target's supplier chain in a few words: aligned, falls short (how far), or risk accepted."""
    t = view.t
    if ta is None:
        return esc(t("view.sla.chain_unstated"))
    if ta.aligned:
        shown = esc(t("view.sla.chain_aligned"))
        if ta.combined is not None:
            shown += " " + esc(f"({wording.number(ta.combined)} {ta.unit})")
        return shown
    figure = ta.combined if not ta.chain_aligned and ta.combined is not None else None
    what = t("view.sla.chain_short", value=f"{wording.number(figure)} {ta.unit}") if figure is not None \
        else t("view.sla.chain_weaker")
    accepted = _accepted(sla, ta.sla_target, view.today)
    if accepted is not None:
        return esc(t("view.sla.chain_accepted", what=what, until=accepted.until.isoformat()))
    return f"**{esc(what)}**"


def sla_sections(view: Any, sla: Any, here: str, alignment: Alignment) -> str:
    """The targets, supplier chain and workload sections of ``sla``'s page (see the module docstring)."""
    t = view.t
    out: list[str] = []
    with_reports = "sla_report" in view.kinds
    with_chain = _chain_visible(view, sla)
    latest: dict[str, figures_service_levels.Attainment] = {}
    for a in figures_service_levels.sla_attainment(view.index, sla.id) if with_reports else ():
        if a.target not in latest or a.period >= latest[a.target].period:
            latest[a.target] = a
    by_target = {ta.sla_target: ta for ta in alignment.of_sla(sla.id)}
    if sla.targets:
        head = [t("view.sla.target"), t("view.sla.measured"), t("view.sla.agreed")]
        head += [t("view.sla.latest")] if with_reports else []
        head += [t("view.sla.chain")] if with_chain else []
        rows = []
        for target in sla.targets:
            row = [f"`{esc(target.id)}`",
                   f"**{esc(wording.enum_words('metric', target.metric, t))}**: {esc(target.description)}",
                   esc(wording.target_words(target.comparison, target.target, target.unit, t)) + " "
                   + esc(wording.enum_words("period", target.period, t))]
            if with_reports:
                a = latest.get(target.id)
                if a is None:
                    row.append(esc(t("view.sla.no_report")))
                else:
                    result = t(f"dashboard.{'met' if a.met else 'missed' if a.met is False else 'no_data'}")
                    link = relative(record_path("sla_report", a.report), here)
                    shown = f"[{esc(wording.number(a.actual))} {esc(target.unit)}]({link}) {esc(a.period)}: "
                    row.append(shown + (f"**{esc(result)}**" if a.met is False else esc(result)))
            if with_chain:
                row.append(chain_words(view, sla, by_target.get(target.id)))
            rows.append(row)
        out.append(f"## {esc(t('view.sla.targets_title'))}\n\n{_table(head, rows)}\n")
    if with_chain and by_target:
        rows = []
        for target in sla.targets:
            ta = by_target.get(target.id)
            if ta is None:
                continue
            supporters = "<br>".join(
                f"{view.link(s.underpinning, here, show_title=False)} `{esc(s.target)}`: "
                f"{esc(wording.target_words(s.comparison, s.written_value, s.written_unit, t))}"
                + (f" ({esc(t('view.sla.standby'))})" if s.standby else "")
                + ("" if s.aligned or s.value is None else f" **{esc(t('dashboard.suppliers.weaker'))}**")
                for s in ta.supporters)
            combined = "—" if ta.combined is None else esc(f"{wording.number(ta.combined)} {ta.unit}")
            rows.append([f"`{esc(target.id)}`", esc(wording.target_words(ta.comparison, ta.customer_value, ta.unit, t)),
                         supporters, combined, chain_words(view, sla, ta)])
        if rows:
            out.append(f"## {esc(t('view.sla.chain_title'))}\n\n{esc(t('view.sla.chain_intro'))}\n\n"
                       + _table([t("view.sla.target"), t("view.sla.agreed"), t("view.sla.supported_by"),
                                 t("view.sla.in_series"), t("dashboard.result")], rows) + "\n")
    if sla.workload_limits:
        rows = []
        loads = figures_service_levels.workload_table(view.index, sla.id) if "workload_report" in view.kinds else []
        for lim in sla.workload_limits:
            limit = t("view.target.limit", value=wording.number(lim.limit), unit=lim.unit,
                      period=wording.enum_words("period", lim.period, t))
            mine = [w for w in loads if w.metric == lim.metric]
            if not mine:
                rows.append([esc(lim.metric), esc(limit), "—", "—", esc(t("view.sla.no_report"))])
                continue
            last = mine[-1]
            peak = max(mine, key=lambda w: (w.value, w.period))
            over = [w for w in mine if w.within is False]

            def shown(w: figures_service_levels.Workload) -> str:
                link = relative(record_path("workload_report", w.report), here)
                return f"[{esc(wording.number(w.value))} {esc(lim.unit)}]({link}) ({esc(w.period)})"

            verdict = (f"**{esc(t('view.sla.over_limit', count=len(over)))}**" if over
                       else esc(t("view.sla.within_limit")) if last.within is not None else "—")
            rows.append([esc(lim.metric), esc(limit), shown(last), shown(peak), verdict])
        out.append(f"## {esc(t('view.sla.workload_title'))}\n\n"
                   + _table([t("view.sla.workload"), t("view.sla.limit"), t("view.sla.latest_month"),
                             t("view.sla.highest"), t("dashboard.result")], rows) + "\n")
    return "\n".join(out)
