"""The assembler: an edition's whole site from its view (:class:`generator.site.records.Renderer`):
home page, emergency pack, compliance pages, dashboards, group, kind and record pages, and the
navigation. Writes nothing: the clause8 plugin hands the pages to mkdocs, `clause8 render` to a folder.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.index import Index
from .emergency import files as emergency_files, pack as emergency_pack, pdf as emergency_pdf

from ..content.markup import group_path, kind_index_path, record_path
from .background import Later
from .home import render_home
from .records import FINDINGS_PAGE, Renderer

__all__ = ["RenderedSite", "render_site"]


@dataclass
class RenderedSite:
    """What the hook adds to mkdocs: pages (path -> markdown), other files (path -> bytes, e.g. the
    emergency pack's PDF and vCard) and the navigation."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    # Files still being made (the dashboard charts, drawn in a forked process on a build): in
    # ``files`` once :meth:`settle` collected them.
    pending: list[tuple[tuple[str, ...], Later[dict[str, bytes]]]] = field(default_factory=list)

    def later(self, paths: typing.Iterable[str], fn: typing.Callable[..., dict[str, bytes]], *args: Any) -> None:
        """Have ``fn(*args)`` make the files ``paths`` (path -> bytes) in a forked process, while the
        other pages are rendered and converted (:class:`generator.site.background.Later`)."""
        self.pending.append((tuple(paths), Later(fn, *args)))

    def pending_files(self) -> list[str]:
        """The paths of the files still being made."""
        return [path for paths, _ in self.pending for path in paths]

    def settle(self) -> RenderedSite:
        """Wait for the files still being made; then ``files`` holds every file."""
        for _, later in self.pending:
            self.files.update(later.result())
        self.pending = []
        return self


def render_site(index: Index, lang: str = "en", today: dt.date | None = None, site_title: str = "",
                built: dt.datetime | None = None, kinds: typing.Iterable[str] | None = None,
                compliance: bool = False, findings: typing.Sequence[Any] = (),
                personal_data: bool = True, full: Index | None = None,
                hidden: typing.Sequence[Any] = (), pdf_cache: Path | None = None,
                dashboards: bool = False, public: bool = False, changed: dt.datetime | None = None) -> RenderedSite:
    """Every generated page of the site, as markdown, the other generated files and the navigation.

    ``kinds`` limits the sections to those kinds (an edition's); the emergency pack is part of
    the site when continuity plans are. ``findings`` are shown on the pages of the records they
    are about (and judged in the compliance pages); for an edition, ``full`` and ``hidden`` let
    its verdicts say "withheld" (see :func:`generator.compliance.trace.trace`).
    """
    return assemble(Renderer(index, lang, today, site_title, built, kinds, compliance, findings, personal_data,
                    full, hidden, pdf_cache, dashboards, public, changed)).settle()


def render_emergency(view: Renderer, pack: emergency_pack.Pack) -> str:
    """The emergency pack page (``emergency/index.md``)."""
    here = emergency_pack.PAGE
    return view.env.get_template("emergency.md.j2").render(
        pack=pack, people=emergency_pack.person_cards(pack), here=here,
        dates=emergency_pdf.dates_text(view.t, view.built, view.changed),
        link=lambda target: emergency_pack.page_link(target, here), pdf=emergency_pack.PDF, vcf=emergency_pack.VCF)


def assemble(view: Renderer) -> RenderedSite:
    site = RenderedSite()
    site.pages["index.md"] = render_home(view)
    if view.with_emergency:
        pack = emergency_pack.collect(view.index, view.t("ui.withheld"))
        site.pages[emergency_pack.PAGE] = render_emergency(view, pack)
        site.files.update(emergency_files.files(pack, view.t, view.site_title, view.built, view.pdf_cache,
                                          changed=view.changed))
    if view.trace is not None:
        from .compliance_pages import render_compliance

        site.pages.update(render_compliance(view.index, view.today, view.t.lang, view.trace))
    if view.dashboards:
        # Each finding links to the page of its record, never to a file of the records.
        site.pages[FINDINGS_PAGE] = view.env.get_template("findings.md.j2").render(
            findings=view.findings, today=view.today,
            links={f.record: view.link(f.record, FINDINGS_PAGE) for f in view.findings if f.record})
        from .charts import draw_charts
        from .dashboards import dashboard_pages

        pages, charts = dashboard_pages(view.index, view.today, view.t)
        site.pages.update(pages)
        if charts:
            site.later(charts, draw_charts, charts, view.t)
    for key, groups in view.sections():
        for group, kinds in groups:
            if len(groups) > 1 or len(kinds) > 1:
                site.pages[group_path(group)] = view.render_group(group, kinds)
    for kind in view.kinds:
        site.pages[kind_index_path(kind)] = view.render_kind_index(kind)
        for loaded in view.index.of_kind(kind):
            site.pages[record_path(kind, loaded.record.id)] = view.render_record(loaded)
    site.nav = nav(view)
    return site


def nav(view: Renderer) -> list[Any]:
    """Navigation: home, the emergency pack, sections, kind index pages. Record pages stay out
    (see README)."""
    nav: list[Any] = [{view.t("ui.home"): "index.md"}]
    if view.with_emergency:
        nav.append({view.t("ui.emergency_title"): emergency_pack.PAGE})
    # One entry per group of kinds (its page lists the kinds), not per kind: Material renders
    # the whole navigation into every page, so every entry costs once per page.
    for key, groups in view.sections():
        if len(groups) == 1 and len(groups[0][1]) == 1:
            nav.append({view.t(f"section.{key}"): kind_index_path(groups[0][1][0])})
            continue
        entries = [{view.t(f"section.{group}"): group_path(group)} for group, _ in groups]
        nav.append({view.t(f"section.{key}"): entries} if len(entries) > 1 else entries[0])
    if view.trace is not None:
        nav.append({view.t("compliance.title"): [{view.t("compliance.title"): "compliance/index.md"},
                                                  {view.t("ui.findings"): FINDINGS_PAGE},
                                                  {view.t("dashboard.title"): "dashboards/index.md"}]})
    elif view.dashboards:
        nav.append({view.t("dashboard.title"): [{view.t("ui.findings"): FINDINGS_PAGE},
                                                {view.t("dashboard.title"): "dashboards/index.md"}]})
    return nav
