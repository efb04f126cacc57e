"""Trace -> compliance pages: the compliance matrix and one page per requirement, as markdown.

Writes nothing: returns ``{page path: markdown}`` like :func:`generator.render.render_site`.
Every link points at a page of the site: another compliance page, a record page
(``records/<kind>/<id>.md``) or a kind's index page (``records/<kind>/index.md``).
Record and catalogue text is escaped with :func:`generator.render.esc`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from typing import Any

import jinja2

from .i18n import LANGUAGES, Translator
from .index import Index
from .render import TEMPLATES, esc, kind_index_path, record_path
from .requirements import subclauses
from .traceability import STATUSES, Matcher, RequirementStatus, Trace, trace

MATRIX = "compliance/index.md"
# Evidence links shown per requirement in the matrix; the requirement page lists all of them.
MATRIX_EVIDENCE_LIMIT = 5

# Labels of the compliance pages, per site language (to be merged into labels.yaml as `compliance.*`).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Compliance matrix",
        "intro": "Each requirement of ISO/IEC 20000-1:2018 clauses 8.3 and 8.7, in our own words (English) "
                 "and in the wording of the Indonesian seed documents, with its status and the records "
                 "that evidence it, as of {today}.",
        "summary": "Summary",
        "requirement": "Requirement",
        "subclause": "Sub-clause",
        "paraphrase_en": "Paraphrase (EN)",
        "wording_id": "Wording (ID)",
        "status": "Status",
        "evidence": "Evidence",
        "count": "Requirements",
        "more": "and {count} more",
        "none": "—",
        "not_in_seed": "(not in the seed documents)",
        "periodicity": "Periodicity",
        "evidence_needed": "Evidence needed",
        "evidence_type": "Evidence type",
        "description": "What it is",
        "record_kinds": "Provided by",
        "covered": "Covered",
        "records": "Records",
        "explicit_only": "records that name this requirement in 'satisfies'",
        "explicit": "Records that name this requirement in 'satisfies'",
        "evidence_records": "Evidence records",
        "no_evidence": "No record evidences this requirement yet.",
        "newest": "Newest evidence: {newest}; renew by {due}.",
        "undated": "No approved evidence carries a date, so its age is unknown.",
        "given": "given",
        "back": "Back to the compliance matrix",
        "as_of": "Status as of {today}.",
        "yes": "yes",
        "no": "no",
        "status_met": "met",
        "status_partly_met": "partly met",
        "status_stale": "stale",
        "status_missing": "missing",
        "status_not_applicable": "not applicable",
        "status_help_met": "every evidence type is covered by approved records",
        "status_help_partly_met": "some evidence type has no record, or drafts only",
        "status_help_stale": "due at planned intervals and the newest evidence is older than its interval",
        "status_help_missing": "no record evidences it",
        "status_help_not_applicable": "informative; nothing is required",
        "periodicity_one_off_then_maintained": "once, then kept up to date",
        "periodicity_continuous": "continuously",
        "periodicity_at_planned_intervals": "at planned intervals",
        "periodicity_event_driven": "on each triggering event",
        "periodicity_none": "not applicable",
    },
    "id": {
        "title": "Matriks kepatuhan",
        "intro": "Setiap persyaratan ISO/IEC 20000-1:2018 klausul 8.3 dan 8.7, dalam kata-kata kami sendiri "
                 "(bahasa Inggris) dan dalam rumusan dokumen acuan berbahasa Indonesia, beserta statusnya dan "
                 "catatan yang membuktikannya, per {today}.",
        "summary": "Ringkasan",
        "requirement": "Persyaratan",
        "subclause": "Subklausul",
        "paraphrase_en": "Parafrasa (EN)",
        "wording_id": "Rumusan (ID)",
        "status": "Status",
        "evidence": "Bukti",
        "count": "Persyaratan",
        "more": "dan {count} lainnya",
        "none": "—",
        "not_in_seed": "(tidak ada dalam dokumen acuan)",
        "periodicity": "Periodisitas",
        "evidence_needed": "Bukti yang diperlukan",
        "evidence_type": "Jenis bukti",
        "description": "Penjelasan",
        "record_kinds": "Disediakan oleh",
        "covered": "Terpenuhi",
        "records": "Catatan",
        "explicit_only": "catatan yang menyebut persyaratan ini di 'satisfies'",
        "explicit": "Catatan yang menyebut persyaratan ini di 'satisfies'",
        "evidence_records": "Catatan bukti",
        "no_evidence": "Belum ada catatan yang membuktikan persyaratan ini.",
        "newest": "Bukti terbaru: {newest}; perbarui paling lambat {due}.",
        "undated": "Tidak ada bukti yang disetujui yang bertanggal, sehingga umurnya tidak diketahui.",
        "given": "terisi",
        "back": "Kembali ke matriks kepatuhan",
        "as_of": "Status per {today}.",
        "yes": "ya",
        "no": "tidak",
        "status_met": "terpenuhi",
        "status_partly_met": "terpenuhi sebagian",
        "status_stale": "kedaluwarsa",
        "status_missing": "tidak ada bukti",
        "status_not_applicable": "tidak berlaku",
        "status_help_met": "setiap jenis bukti dipenuhi oleh catatan yang disetujui",
        "status_help_partly_met": "ada jenis bukti tanpa catatan, atau hanya berupa draf",
        "status_help_stale": "wajib berkala dan bukti terbaru lebih tua dari intervalnya",
        "status_help_missing": "belum ada catatan yang membuktikannya",
        "status_help_not_applicable": "informatif; tidak ada yang diwajibkan",
        "periodicity_one_off_then_maintained": "sekali, lalu dipelihara",
        "periodicity_continuous": "terus-menerus",
        "periodicity_at_planned_intervals": "pada interval terencana",
        "periodicity_event_driven": "pada setiap peristiwa pemicu",
        "periodicity_none": "tidak berlaku",
    },
}


def requirement_path(requirement_id: str) -> str:
    """Page of one requirement, e.g. ``compliance/8.7.2-c.md``."""
    return f"compliance/{requirement_id}.md"


def _rel(target: str, here: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


class _Labels:
    """``lab("status_met")`` -> the label in the site language (English when missing)."""

    def __init__(self, lang: str) -> None:
        self._table = LABELS.get(lang, {})
        self._en = LABELS["en"]

    def __call__(self, key: str, **values: object) -> str:
        text = self._table.get(key) or self._en[key]
        return text.format(**values) if values else text


class CompliancePages:
    """Renders the compliance pages of one site from one index and its trace."""

    def __init__(self, index: Index, today: dt.date, lang: str = "en", statuses: Trace | None = None) -> None:
        self.index = index
        self.today = today
        self.lang = lang if lang in LANGUAGES else "en"
        self.statuses = statuses if statuses is not None else trace(index, today)
        self.lab = _Labels(self.lang)
        self.t = Translator(self.lang)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # output is markdown; escaping is explicit (esc)
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["esc"] = esc
        self.env.globals.update(esc=esc, lab=self.lab, t=self.t, today=today.isoformat())

    # -- links -----------------------------------------------------------------------------
    def record_link(self, record_id: str, here: str) -> str:
        loaded = self.index.by_id.get(record_id)
        if loaded is None:  # not in the index: no page to link to
            return esc(record_id)
        rec = loaded.record
        return f"[{esc(rec.id)} — {esc(rec.title)}]({_rel(record_path(rec.kind, rec.id), here)})"

    def requirement_link(self, requirement_id: str, here: str) -> str:
        return f"[{esc(requirement_id)}]({_rel(requirement_path(requirement_id), here)})"

    def matcher_text(self, matcher: Matcher, here: str) -> str:
        """A rule as text: the kind (linked to its index page) and its conditions."""
        link = f"[{esc(self.t.kind(matcher.kind, plural=True))}]({_rel(kind_index_path(matcher.kind), here)})"
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
        return self.lab(key) if key in LABELS["en"] else str(periodicity)

    def _row(self, st: RequirementStatus, here: str, limit: int | None) -> dict[str, Any]:
        shown = st.evidence if limit is None else st.evidence[:limit]
        links = [self.record_link(rid, here) for rid in shown]
        if len(st.evidence) > len(shown):
            more = self.lab("more", count=len(st.evidence) - len(shown))
            links.append(f"[{esc(more)}]({_rel(requirement_path(st.id), here)})")
        req = st.requirement
        return {
            "id": req.id,
            "link": self.requirement_link(req.id, here),
            "paraphrase_en": req.paraphrase_en,
            "seed_id": req.seed_id or "",
            "status": st.status,
            "status_text": self.status_text(st.status),
            "evidence": links,
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
        return self.env.get_template("requirement.md.j2").render(
            r=req,
            st=st,
            subclause_title=subclauses().get(req.subclause, ""),
            status_text=self.status_text(st.status),
            status_help=self.lab(f"status_help_{st.status}"),
            periodicity=self.periodicity_text(req.periodicity),
            coverage=coverage,
            evidence=[self.record_link(rid, here) for rid in st.evidence],
            explicit=[self.record_link(rid, here) for rid in st.explicit],
            newest=st.newest.isoformat() if st.newest else None,
            due=st.due.isoformat() if st.due else None,
            periodic=req.periodicity == "at_planned_intervals" and st.status in ("met", "stale"),
            matrix=_rel(MATRIX, here),
            here=here,
        )

    def render(self) -> dict[str, str]:
        pages = {MATRIX: self.render_matrix()}
        for st in self.statuses:
            pages[requirement_path(st.id)] = self.render_requirement(st)
        return pages


def render_compliance(index: Index, today: dt.date, lang: str = "en",
                      statuses: Trace | None = None) -> dict[str, str]:
    """The compliance matrix (``compliance/index.md``) and one page per requirement
    (``compliance/<id>.md``), as markdown. Pass ``statuses`` to reuse a trace already made."""
    return CompliancePages(index, today, lang, statuses).render()


def requirement_links(statuses: Trace, record_id: str, here: str) -> list[str]:
    """Links from page ``here`` to the requirements ``record_id`` evidences (for record pages)."""
    return [f"[{esc(rid)}]({_rel(requirement_path(rid), here)})" for rid in statuses.evidenced_by(record_id)]


def nav_entry(lang: str = "en") -> dict[str, str]:
    """The navigation entry of the compliance matrix (requirement pages stay out, like record pages)."""
    return {_Labels(lang)("title"): MATRIX}


__all__ = [
    "LABELS",
    "MATRIX",
    "MATRIX_EVIDENCE_LIMIT",
    "CompliancePages",
    "nav_entry",
    "render_compliance",
    "requirement_links",
    "requirement_path",
]
