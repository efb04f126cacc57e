"""Trace -> compliance pages: the compliance matrix and one page per requirement, as markdown.

Every status other than met shows its reasons (the findings tied to the requirement and what its
evidence lacks), each linked to the page of the record it is about.

Writes nothing: returns ``{page path: markdown}`` like :func:`generator.site.assemble.render_site`.
Every link points at a page of the site: another compliance page, a record page
(``records/<kind>/<id>.md``) or a kind's index page (``records/<kind>/index.md``).
Record and catalogue text is escaped with :func:`generator.site.assemble.esc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any


from ..compliance.trace import STATUSES, Matcher, Reason, RequirementStatus, Trace, trace
from ..content.i18n import LANGUAGES, Translator, tables
from ..content.index import Index
from ..content.markup import esc, kind_index_path, record_path
from ..content.requirements import subclauses
from .links import relative
from .templates import template_env

MATRIX = "compliance/index.md"
# Evidence links shown per requirement in the matrix; the requirement page lists all of them.
MATRIX_EVIDENCE_LIMIT = 5
# Reasons shown per requirement in the matrix and on the home page; the requirement page lists all.
MATRIX_REASON_LIMIT = 3

# Labels of the compliance pages, per site language (to be merged into labels.yaml as `compliance.*`).


def requirement_path(requirement_id: str) -> str:
    """Page of one requirement, e.g. ``compliance/8.7.2-c.md``."""
    return f"compliance/{requirement_id}.md"


def reason_markdown(reason: Reason, here: str, record_link: Callable[[str, str], str], t: Translator) -> str:
    """One reason as inline markdown: severity, code, message, and a link to the record it is about."""
    about = f" — {record_link(reason.record, here)}" if reason.record else ""
    return f"{esc(t('ui.severity_' + reason.severity))} `{reason.code}`: {esc(reason.message)}{about}"


def reason_list(st: RequirementStatus, here: str, record_link: Callable[[str, str], str], t: Translator,
                limit: int | None = MATRIX_REASON_LIMIT) -> list[str]:
    """The reasons of a status other than met, as inline markdown (at most ``limit``, then a link
    to the requirement page saying how many more there are)."""
    if st.status in ("met", "not_applicable"):
        return []
    shown = st.reasons if limit is None else st.reasons[:limit]
    out = [reason_markdown(r, here, record_link, t) for r in shown]
    if len(st.reasons) > len(shown):
        more = t("compliance.more_reasons", count=len(st.reasons) - len(shown))
        out.append(f"[{esc(more)}]({relative(requirement_path(st.id), here)})")
    return out


def attention(statuses: Iterable[RequirementStatus], here: str, record_link: Callable[[str, str], str],
              t: Translator) -> list[dict[str, Any]]:
    """Requirements not met (every status but met and not applicable), with their reasons: for the
    home page."""
    return [
        {"link": f"[{esc(st.id)}]({relative(requirement_path(st.id), here)})",
         "status_text": t(f"compliance.status_{st.status}"),
         "reasons": reason_list(st, here, record_link, t)}
        for st in statuses if st.status not in ("met", "not_applicable")
    ]


class _Labels:
    """``lab("status_met")`` -> ``compliance.status_met`` of the translation table."""

    def __init__(self, lang: str) -> None:
        self._t = Translator(lang)

    def __call__(self, key: str, **values: object) -> str:
        return self._t(f"compliance.{key}", **values)

    @staticmethod
    def has(key: str) -> bool:
        return f"compliance.{key}" in tables()["en"]


class CompliancePages:
    """Renders the compliance pages of one site from one index and its trace."""

    def __init__(self, index: Index, today: dt.date, lang: str = "en", statuses: Trace | None = None,
                 findings: Iterable[Any] = ()) -> None:
        self.index = index
        self.today = today
        self.lang = lang if lang in LANGUAGES else "en"
        self.statuses = statuses if statuses is not None else trace(index, today, findings=findings)
        self.lab = _Labels(self.lang)
        self.t = Translator(self.lang)
        self.env = template_env()  # markdown: escaping is explicit (esc)
        self.env.globals.update(lab=self.lab, t=self.t, today=today.isoformat())

    # -- links -----------------------------------------------------------------------------
    def record_link(self, record_id: str, here: str) -> str:
        loaded = self.index.by_id.get(record_id)
        if loaded is None:  # not in the index: no page to link to
            return esc(record_id)
        rec = loaded.record
        return f"[{esc(rec.id)} — {esc(rec.title)}]({relative(record_path(rec.kind, rec.id), here)})"

    def requirement_link(self, requirement_id: str, here: str) -> str:
        return f"[{esc(requirement_id)}]({relative(requirement_path(requirement_id), here)})"

    def matcher_text(self, matcher: Matcher, here: str) -> str:
        """A rule as text: the kind (linked to its index page) and its conditions."""
        link = f"[{esc(self.t.kind(matcher.kind, plural=True))}]({relative(kind_index_path(matcher.kind), here)})"
        conditions = [f"{self.t.field(name)}: {value}" for name, value in matcher.where]
        conditions += [f"{self.t.field(name)} {self.lab('given')}" for name in matcher.has]
        if not conditions:
            return link
        return f"{link} \\({esc('; '.join(conditions))}\\)"

    # -- values ----------------------------------------------------------------------------
    def status_text(self, status: str) -> str:
        return self.lab(f"status_{status}")

    def periodicity_text(self, periodicity: str | None) -> str:
        key = f"periodicity_{periodicity or 'none'}"
        return self.lab(key) if _Labels.has(key) else str(periodicity)

    def _row(self, st: RequirementStatus, here: str, limit: int | None) -> dict[str, Any]:
        shown = st.evidence if limit is None else st.evidence[:limit]
        links = [self.record_link(rid, here) for rid in shown]
        if len(st.evidence) > len(shown):
            more = self.lab("more", count=len(st.evidence) - len(shown))
            links.append(f"[{esc(more)}]({relative(requirement_path(st.id), here)})")
        req = st.requirement
        return {
            "id": req.id,
            "link": self.requirement_link(req.id, here),
            "paraphrase_en": req.paraphrase_en,
            "seed_id": req.seed_id or "",
            "status": st.status,
            "status_text": self.status_text(st.status),
            "evidence": links,
            "reasons": reason_list(st, here, self.record_link, self.t),
        }

    # -- pages -----------------------------------------------------------------------------
    def render_matrix(self) -> str:
        here = MATRIX
        titles = subclauses()
        groups: dict[str, list[dict[str, Any]]] = {}
        for st in self.statuses:
            groups.setdefault(st.requirement.subclause, []).append(self._row(st, here, MATRIX_EVIDENCE_LIMIT))
        sections = [
            {"id": sub, "title": titles.get(sub, ""), "rows": rows}
            for sub, rows in groups.items()
        ]
        counts = self.statuses.counts()
        summary = [
            {"status": s, "text": self.status_text(s), "help": self.lab(f"status_help_{s}"), "count": counts[s]}
            for s in STATUSES
        ]
        return self.env.get_template("compliance_matrix.md.j2").render(
            sections=sections, summary=summary, total=len(self.statuses), here=here)

    def render_requirement(self, st: RequirementStatus) -> str:
        here = requirement_path(st.id)
        req = st.requirement
        coverage = []
        for cov in st.coverage:
            provided = [self.matcher_text(m, here) for m in cov.matchers] or [esc(self.lab("explicit_only"))]
            coverage.append({
                "type": cov.type,
                "description": cov.description,
                "provided": provided,
                "covered": self.lab("yes") if cov.covered else self.lab("no"),
                "records": [self.record_link(rid, here) for rid in cov.records],
            })
        reasons = [
            {"severity": self.t(f"ui.severity_{r.severity}"), "code": r.code, "message": r.message,
             "record": self.record_link(r.record, here) if r.record else "—"}
            for r in st.reasons
        ] if st.status not in ("met", "not_applicable") else []
        return self.env.get_template("requirement.md.j2").render(
            r=req,
            st=st,
            reasons=reasons,
            subclause_title=subclauses().get(req.subclause, ""),
            status_text=self.status_text(st.status),
            status_help=self.lab(f"status_help_{st.status}"),
            periodicity=self.periodicity_text(req.periodicity),
            coverage=coverage,
            evidence=[self.record_link(rid, here) for rid in st.evidence],
            explicit=[self.record_link(rid, here) for rid in st.explicit],
            newest=st.newest.isoformat() if st.newest else None,
            due=st.due.isoformat() if st.due else None,
            # The age of periodic evidence is judged once every type is covered: dated, or undated.
            periodic=req.periodicity == "at_planned_intervals"
            and (st.due is not None or any(r.code == "evidence-undated" for r in st.reasons)),
            matrix=relative(MATRIX, here),
            here=here,
        )

    def render(self) -> dict[str, str]:
        pages = {MATRIX: self.render_matrix()}
        for st in self.statuses:
            pages[requirement_path(st.id)] = self.render_requirement(st)
        return pages


def render_compliance(index: Index, today: dt.date, lang: str = "en",
                      statuses: Trace | None = None, findings: Iterable[Any] = ()) -> dict[str, str]:
    """The compliance matrix (``compliance/index.md``) and one page per requirement
    (``compliance/<id>.md``), as markdown. Pass ``statuses`` to reuse a trace already made, else
    the ``findings`` to judge with."""
    return CompliancePages(index, today, lang, statuses, findings).render()


def requirement_links(statuses: Trace, record_id: str, here: str, t: Translator | None = None) -> list[str]:
    """Links from page ``here`` to the requirements ``record_id`` evidences (for record pages), each
    with its status in the matrix when ``t`` is given."""
    out = []
    for rid in statuses.evidenced_by(record_id):
        link = f"[{esc(rid)}]({relative(requirement_path(rid), here)})"
        st = statuses.get(rid) if t is not None else None
        out.append(link if st is None else f"{link} ({esc(t(f'compliance.status_{st.status}'))})")
    return out


def nav_entry(lang: str = "en") -> dict[str, str]:
    """The navigation entry of the compliance matrix (requirement pages stay out, like record pages)."""
    return {_Labels(lang)("title"): MATRIX}


__all__ = [
    "MATRIX",
    "MATRIX_EVIDENCE_LIMIT",
    "MATRIX_REASON_LIMIT",
    "CompliancePages",
    "attention",
    "nav_entry",
    "reason_list",
    "reason_markdown",
    "render_compliance",
    "requirement_links",
    "requirement_path",
]
