"""Record pages: an edition's records as markdown, through the jinja2 templates in ``site_templates/``.

Record text is untrusted: plain fields are escaped here, markdown fields are passed as markdown
and the rendered HTML is cleaned by :mod:`generator.site.sanitize` before it reaches a page or the
search index. Record text is a template *variable*, never template source, so jinja in it is
shown literally. :class:`Renderer` is the view every page builder reads (links, values,
sections); :mod:`generator.site.assemble` composes the site.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..checks.reviews import next_review
from ..content.i18n import Translator
from ..content.index import Index
from ..content.models import KINDS, SECTIONS, Record  # SECTIONS: made from each kind's model
from ..content.models.base import nested_model
from . import wording
from .emergency import pack as emergency_pack
from .links import relative

from ..content.markup import MARKDOWN_FIELDS, esc, group_path, kind_index_path, record_path
from .templates import template_env  # noqa: F401 - the site's vocabulary

__all__ = ["Renderer"]


FINDINGS_PAGE = "compliance/findings.md"
COMMON_FIELDS = ("kind", "id", "title", "owner", "classification", "status", "version", "approval", "review",
                 "satisfies", "description", "attachments")  # attachments: site_templates/_history.md.j2


class Renderer:
    """Renders one site from one index; a new instance per build."""

    def __init__(self, index: Index, lang: str = "en", today: dt.date | None = None,
                 site_title: str = "", built: dt.datetime | None = None,
                 kinds: typing.Iterable[str] | None = None, compliance: bool = False,
                 findings: typing.Sequence[Any] = (), personal_data: bool = True,
                 full: Index | None = None, hidden: typing.Sequence[Any] = (),
                 pdf_cache: Path | None = None, dashboards: bool = False, public: bool = False,
                 changed: dt.datetime | None = None) -> None:
        self.index = index
        # Every record of the content (an edition's build): what "withheld" and "partial" compare with.
        self.full = full
        # The findings page and the dashboards (an edition's `dashboards`, or its compliance pages).
        self.dashboards = dashboards or compliance
        # A public edition's home shows no attention list: nothing internal reaches customers.
        self.public = public
        self._alignment: Any = None
        self.pdf_cache = pdf_cache  # where laid-out emergency-pack PDFs are kept between builds
        self.t = Translator(lang)
        self.today = today or dt.date.today()
        self.site_title = site_title
        self._links: dict[tuple[str, str, bool], str] = {}
        self.kinds = tuple(k for k in KINDS if kinds is None or k in set(kinds))
        # The pack is for calling people in the first hour: it comes with the editions that carry
        # continuity plans *and* phone numbers (the continuity edition and its offline bundle).
        self.with_emergency = "continuity_plan" in self.kinds and personal_data
        # Findings this site may show (an edition passes only those: editions.split_findings); each
        # record page shows those about its record.
        self.findings = list(findings)
        self._findings_of: dict[str, list[Any]] = {}
        for f in self.findings:
            if f.record:
                self._findings_of.setdefault(f.record, []).append(f)
        self.trace = None
        # (code, record, message) of a finding -> the requirements it is tied to (compliance sites).
        self._tied: dict[tuple[str, str, str], list[str]] = {}
        if compliance:
            from ..compliance.trace import trace

            self.trace = trace(index, self.today, findings=self.findings, full=full, hidden=hidden)
            for st in self.trace:
                for reason in st.reasons:
                    self._tied.setdefault((reason.code, reason.record, reason.message), []).append(st.id)
        # Build time shown in the emergency pack's PDF (the hook passes the SOURCE_DATE_EPOCH-aware
        # provenance time); without it, midnight UTC of ``today``, so output stays reproducible.
        self.built = built or dt.datetime.combine(self.today, dt.time(0), dt.timezone.utc)
        # When the content last changed (its last commit; None outside git): the emergency pack
        # states both dates, so a reader knows how current its numbers are.
        self.changed = changed
        self.env = template_env()  # markdown: escaping is explicit (esc) and HTML is cleaned later
        self.env.globals.update(t=self.t, today=self.today)

    # -- links -----------------------------------------------------------------------------
    def link(self, target_id: str, here: str, show_title: bool = True) -> str:
        """Markdown link from page ``here`` to the record ``target_id`` (plain text if unknown)."""
        # Pages live in few folders and records are linked from many pages: compute each once.
        key = (target_id, here.rpartition("/")[0], show_title)
        cached = self._links.get(key)
        if cached is None:
            loaded = self.index.by_id.get(target_id)
            if loaded is None:
                # Not in this edition's index: withheld (checks guarantee the id exists in content),
                # saying why without naming it.
                cached = esc(self.t("view.withheld_link"))
            else:
                rec = loaded.record
                rel = relative(record_path(rec.kind, rec.id), here)
                label = f"{esc(rec.id)} — {esc(rec.title)}" if show_title else esc(rec.id)
                cached = f"[{label}]({rel})"
            self._links[key] = cached
        return cached

    def kind_link(self, kind: str, here: str) -> str:
        rel = relative(kind_index_path(kind), here)
        return f"[{esc(self.t.kind(kind, plural=True))}]({rel})"

    # -- values ----------------------------------------------------------------------------
    def value(self, value: Any, info: Any, here: str, name: str = "") -> str:
        """One field value as inline markdown (lists of scalars joined, refs as links, enumerations
        and durations in words: :mod:`generator.site.wording`)."""
        extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
        if value is None or value == [] or value == "":
            return "—"
        if "x-ref" in extra:
            ids = [value] if isinstance(value, str) else list(value)
            return ", ".join(self.link(i, here) for i in ids)
        if isinstance(value, str) and wording.is_duration(info):
            return esc(wording.duration_words(value, self.t, every=name in wording.INTERVAL_FIELDS))
        if isinstance(value, (str, list, tuple)) and wording.literal_values(info):
            tokens = [value] if isinstance(value, str) else list(value)
            return esc(", ".join(wording.enum_words(name, str(v), self.t) for v in tokens))
        if isinstance(value, bool):
            return self.t("ui.yes") if value else self.t("ui.no")
        if isinstance(value, dt.datetime):
            return esc(value.strftime("%Y-%m-%d %H:%M %z").strip())
        if isinstance(value, dt.date):
            return esc(value.isoformat())
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], BaseModel):
                return "; ".join(self.part_inline(v, here) for v in value)
            return "; ".join(esc(v) for v in value)
        if isinstance(value, BaseModel):
            return self.part_inline(value, here)
        return esc(value)

    def duration(self, value: str, every: bool = False) -> str:
        """An ISO 8601 duration in words ("4 hours"; with ``every``: "every 12 months")."""
        return wording.duration_words(value, self.t, every=every)

    def enum(self, name: str, token: str) -> str:
        """One value of the enumeration field ``name`` in the site's words, escaped."""
        return esc(wording.enum_words(name, token, self.t))

    def part_inline(self, part: BaseModel, here: str) -> str:
        bits = []
        for name, info in type(part).model_fields.items():
            v = getattr(part, name)
            if v is None or v == []:
                continue
            bits.append(f"{self.t.field(name)}: {self.value(v, info, here, name)}")
        return ", ".join(bits)

    def field_block(self, name: str, value: Any, info: Any, here: str) -> str:
        """A field as a block of markdown: heading-less paragraph, list or table."""
        label = f"**{esc(self.t.field(name))}**"
        if name in MARKDOWN_FIELDS:
            return f"{label}\n\n{value}\n" if value else ""
        nested = nested_model(info.annotation)
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], BaseModel) and nested:
            return f"{label}\n\n{self.part_table(value, nested, here)}\n"
        if isinstance(value, BaseModel):
            rows = [f"- {esc(self.t.field(n))}: {self.value(getattr(value, n), i, here, n)}"
                    for n, i in type(value).model_fields.items() if getattr(value, n) not in (None, [])]
            return f"{label}\n\n" + "\n".join(rows) + "\n"
        if isinstance(value, (list, tuple)) and value and "x-ref" not in (info.json_schema_extra or {}):
            if wording.literal_values(info):
                return f"{label}\n\n" + "\n".join(f"- {esc(wording.enum_words(name, str(v), self.t))}"
                                                    for v in value) + "\n"
            return f"{label}\n\n" + "\n".join(f"- {self.value(v, None, here)}" for v in value) + "\n"
        return f"{label}: {self.value(value, info, here, name)}\n"

    def part_table(self, items: typing.Sequence[BaseModel], model: type[BaseModel], here: str) -> str:
        names = [n for n in model.model_fields if any(getattr(i, n) not in (None, []) for i in items)]
        # A threshold, its unit and its direction read as one value: "at least 99.9 %".
        merged = {"target": ("unit", "comparison"), "limit": ("unit", "period")}
        for main, parts in merged.items():
            if main in names and all(p in model.model_fields for p in parts):
                names = [n for n in names if n not in parts]
        head = "| " + " | ".join(esc(self.t.field(n)) for n in names) + " |"
        sep = "|" + "---|" * len(names)

        def cell(item: BaseModel, n: str) -> str:
            if n == "target" and "comparison" in model.model_fields and "unit" in model.model_fields:
                return esc(wording.target_words(item.comparison, item.target, item.unit, self.t))  # type: ignore[attr-defined]
            if n == "limit" and "unit" in model.model_fields and "period" in model.model_fields:
                return esc(self.t("view.target.limit", value=wording.number(item.limit), unit=item.unit,  # type: ignore[attr-defined]
                                  period=wording.enum_words("period", item.period, self.t)))  # type: ignore[attr-defined]
            return self.value(getattr(item, n), model.model_fields[n], here, n)

        rows = ["| " + " | ".join(cell(i, n) for n in names) + " |" for i in items]
        return "\n".join([head, sep, *rows])

    def fields(self, record: Record, here: str, skip: typing.Iterable[str] = ()) -> list[str]:
        """Every kind-specific field of ``record`` as markdown blocks, in model order."""
        skipped = set(COMMON_FIELDS) | set(skip)
        out = []
        for name, info in type(record).model_fields.items():
            if name in skipped:
                continue
            value = getattr(record, name)
            if value is None or value == [] or value == "":
                continue
            if value is False and name.startswith("no_"):  # "No exceptions: no" says nothing
                continue
            block = self.field_block(name, value, info, here)
            if block:
                out.append(block)
        return out

    def backlinks(self, record: Record, here: str) -> list[tuple[str, list[str]]]:
        """Records that refer to ``record``, grouped by their kind: [(kind label, [links])]."""
        groups: dict[str, list[str]] = {}
        for ref in self.index.referrers(record.id):
            src = ref.source.record
            if src.id == record.id:
                continue
            groups.setdefault(src.kind, [])
            link = self.link(src.id, here)
            if link not in groups[src.kind]:
                groups[src.kind].append(link)
        return [(self.t.kind(k, plural=True), v) for k, v in sorted(groups.items())]

    def requirements(self, record: Record, here: str) -> list[str]:
        """The requirements a record evidences: linked from the compliance pages when the site
        has them, else the ids it names in ``satisfies``."""
        if self.trace is None:
            return [esc(r) for r in record.satisfies]
        from .compliance_pages import requirement_links

        return requirement_links(self.trace, record.id, here, self.t)

    def record_findings(self, record: Record, here: str) -> list[dict[str, str]]:
        """The findings about ``record``, each with the requirements it is tied to (linked, when the
        site has compliance pages)."""
        from .compliance_pages import requirement_path

        out = []
        for f in self._findings_of.get(record.id, ()):
            reqs = self._tied.get((f.code, f.record, f.message), [])
            out.append({
                "severity": esc(self.t(f"ui.severity_{f.severity}")),
                "code": f.code,
                "field": esc(f.field) if f.field else "—",
                "message": esc(f.message),
                "requirements": ", ".join(f"[{esc(r)}]({relative(requirement_path(r), here)})" for r in reqs) or "—",
            })
        return out

    def phone_lines(self, record: Record, here: str) -> list[str]:
        """What the top of a person's, organisation's or continuity plan's page offers to call, one
        markdown list item each, every number a ``tel:`` link: a person's phones; a plan's contacts
        in calling order with theirs; an organisation's contacts with theirs, then the support
        lines of its supplier contracts (label, hours, what to quote)."""
        def tels(phones: typing.Iterable[Any]) -> str:
            return " · ".join(f"{esc(p.label)} [{esc(p.number)}]({emergency_pack.tel_uri(p.number)})" for p in phones)

        if record.kind == "person":
            return [tels([p]) for p in getattr(record, "phones", [])]
        if record.kind == "continuity_plan":
            out = []
            for c in sorted(record.contacts, key=lambda c: c.priority):
                loaded = self.index.by_id.get(c.person)
                if loaded is not None and loaded.record.phones:
                    out.append(f"**{c.priority}.** {self.link(c.person, here, show_title=False)} "
                               f"{esc(loaded.record.title)}, {esc(c.duty)}: {tels(loaded.record.phones)}")
            return out
        out = []
        for pid in getattr(record, "contacts", []):
            loaded = self.index.by_id.get(pid)
            if loaded is not None and loaded.record.phones:
                person = loaded.record
                out.append(f"{self.link(pid, here, show_title=False)} {esc(person.title)}"
                           + (f", {esc(person.role)}" if person.role else "") + f": {tels(person.phones)}")
        contracts = sorted({ref.source.record.id for ref in self.index.referrers(record.id)
                            if ref.source.record.kind == "supplier_contract"
                            and ref.source.record.supplier == record.id and ref.source.record.status != "retired"})
        for cid in contracts:
            for line in self.index.by_id[cid].record.support_lines:
                out.append(f"**{esc(line.label)}** [{esc(line.number)}]({emergency_pack.tel_uri(line.number)})"
                           + (f" · {esc(self.t('field.hours'))}: {esc(line.hours)}" if line.hours else "")
                           + (f" · {esc(self.t('field.account'))}: {esc(line.account)}" if line.account else "")
                           + f" ({self.link(cid, here, show_title=False)})")
        return out

    def sla_sections(self, record: Record, here: str) -> str:
        """An SLA's targets, supplier chain and workload (generator/site/sla_page.py)."""
        from ..figures.alignment import supplier_alignment
        from .sla_page import sla_sections

        if self._alignment is None:
            self._alignment = supplier_alignment(self.index)
        return sla_sections(self, record, here, self._alignment)

    def record_attention(self, record: Record) -> list[str]:
        """The errors and warnings about ``record``, one line each, for the box at the top of its page."""
        return [f"**{esc(self.t('ui.severity_' + f.severity))}** `{f.code}`: {esc(f.message)}"
                for f in self._findings_of.get(record.id, ()) if f.severity in ("error", "warning")]

    def review_info(self, record: Record) -> dict[str, Any]:
        due = next_review(record)
        return {
            "due": due,
            "overdue": bool(due and due < self.today and record.status != "retired"),
            "never": bool(record.review and record.review.last_reviewed is None),
        }

    # -- pages -----------------------------------------------------------------------------
    def render_record(self, loaded: Any) -> str:
        record = loaded.record
        here = record_path(record.kind, record.id)
        template = self.env.get_template(f"{record.kind}.md.j2")
        return template.render(r=record, here=here, view=self, review=self.review_info(record))

    def render_kind_index(self, kind: str) -> str:
        from .kind_index import columns

        here = kind_index_path(kind)
        extra = columns(self, kind, here)  # the columns people sort this kind by (generator/site/kind_index.py)
        rows = []
        for loaded in sorted(self.index.of_kind(kind), key=lambda item: item.record.id):
            rec = loaded.record
            info = self.review_info(rec)
            rows.append({
                "link": self.link(rec.id, here, show_title=False),
                "title": esc(rec.title),
                "owner": self.link(rec.owner, here, show_title=False),
                "status": esc(self.t(f"ui.status_{rec.status}")),
                "due": info["due"].isoformat() if info["due"] else "—",
                "overdue": info["overdue"],
                "extra": [column.cell(rec) for column in extra],
            })
        model = KINDS[kind]
        return self.env.get_template("kind_index.md.j2").render(
            kind=kind, doc=(model.__doc__ or "").strip().splitlines()[0], rows=rows, here=here,
            columns=[esc(column.label) for column in extra],
            # "No records yet" only where there are none: an edition that holds some or none of them
            # says so (a public site says nothing of what it does not publish).
            scope="shown" if self.public else self._kind_state(kind))

    def plan_test(self, plan: Record) -> Any:
        """A continuity plan's last test, its result and the next test due, as this edition shows them
        (None when it carries no continuity tests; generator/site/kind_index.py)."""
        from .kind_index import plan_test

        return plan_test(self, plan)

    def render_group(self, group: str, kinds: list[str]) -> str:
        """A group's page (``sections/<group>.md``): its kinds, what each holds, how many records."""
        here = group_path(group)
        entries = [(self.kind_link(k, here), esc((KINDS[k].__doc__ or "").strip().splitlines()[0]),
                    len(self.index.of_kind(k))) for k in kinds]
        return self.env.get_template("section.md.j2").render(group=group, entries=entries)

    def _kind_state(self, kind: str | None) -> str | None:
        """How far this site shows the records of ``kind``: "shown" (all of them), "partial" (some are
        in a restricted edition), "withheld" (all are), None (the kind is not part of this site)."""
        if kind is None:
            return "shown"
        if kind not in self.kinds:
            return None
        mine = len(self.index.of_kind(kind))
        total = len(self.full.of_kind(kind)) if self.full is not None else mine
        return "withheld" if mine == 0 and total else "partial" if mine < total else "shown"

    def sections(self) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """SECTIONS cut down to the kinds this site shows (empty groups and sections dropped)."""
        out = []
        for key, groups in SECTIONS:
            kept = [(group, [k for k in kinds if k in self.kinds]) for group, kinds in groups]
            kept = [(group, kinds) for group, kinds in kept if kinds]
            if kept:
                out.append((key, kept))
        return out
