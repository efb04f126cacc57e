"""The one pipeline every site caller uses: content -> checked -> an edition's view -> rendered pages.

``clause8 build``/``bundle`` (through the mkdocs plugin), ``clause8 render``, ``clause8 export``
and the benchmarks all call these functions, so an edition means the same records, findings and
verdicts everywhere. Pure apart from reading the content folder (and git, for provenance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..checks.pipeline import Checked, check_content
from ..content import editions
from ..content.history import read_history
from .provenance import Provenance, provenance


@dataclass(frozen=True)
class Scoped:
    """An edition's view of checked content: what a build or an export of it may use."""

    edition: editions.Edition
    period: editions.Period | None
    view: editions.View


@dataclass(frozen=True)
class Prepared:
    """A site ready for an engine: the edition's view, its pages and files, and where it came from."""

    scoped: Scoped
    site: Any  # generator.site.assemble.RenderedSite
    provenance: Provenance
    control: Any = None  # generator.site.document_control.DocumentControl: history tables for the finished pages

    def filled_pages(self) -> dict[str, str]:
        """The pages with their history tables in place, for an engine that runs no plugin (clause8 render)."""
        if self.control is None:
            return dict(self.site.pages)
        return {path: self.control.fill_markdown(path, text) for path, text in self.site.pages.items()}

    @property
    def edition(self) -> editions.Edition:
        return self.scoped.edition

    @property
    def index(self) -> Any:
        return self.scoped.view.index

    def nav(self, handwritten: list[str]) -> list[Any]:
        """The navigation: home and the emergency pack first, then the hand-written pages, then the sections."""
        head = 2 if "emergency/index.md" in self.site.pages else 1
        return [*self.site.nav[:head], *handwritten, *self.site.nav[head:]]


def scope_content(checked: Checked, settings: dict[str, Any] | None, edition: str | None, period: str | None,
                  today: dt.date, default_edition: str = editions.DEFAULT_BUILD_EDITION) -> Scoped:
    """The edition ``edition`` (else the settings' default) of ``checked``, optionally for an audit period.

    Raises :class:`generator.content.editions.EditionError` for an edition the settings do not declare or a
    malformed period.
    """
    chosen = editions.pick(settings, edition, default_edition)
    audit = editions.Period.parse(period) if period else None
    return Scoped(chosen, audit, editions.view(checked.index, checked.findings, chosen, today, audit))


def prepare_site(content: Path, today: dt.date, *, settings: dict[str, Any] | None = None,
                 edition: str | None = None, period: str | None = None,
                 default_edition: str = editions.DEFAULT_BUILD_EDITION, lang: str = "en", site_title: str = "",
                 checked: Checked | None = None, pdf_cache: Path | None = None,
                 since: str | None = None, epoch: int | None = None,
                 attach: Callable[[Any], None] | None = None, settle: bool = True) -> Prepared:
    """Check ``content`` (or take ``checked``), scope it to the edition and render its pages.

    ``pdf_cache``: a folder where laid-out emergency-pack PDFs are kept between builds.
    ``epoch``: the build time (default: :func:`generator.publish.provenance.build_epoch`).
    ``since``: a commit, tag, branch or date; adds the "Changes since" page (raises
    :class:`generator.content.history.SinceError` when git cannot tell).
    ``attach``: called with the renderer before it renders (serve takes unchanged pages from its
    last build: generator/engine/incremental.py).
    ``settle=False``: files still being drawn in another process (the charts) stay in
    ``site.pending``, for an engine that collects them when it writes files (the plugin).
    """
    from ..site.document_control import CHANGES_PAGE
    from ..site.due_page import add_due
    from ..site.review_pack import add_review_packs
    from ..site.records import Renderer
    from ..site.assemble import assemble

    if checked is None:
        from ..checks import check_settings

        checked = check_content(content, today, history=read_history(content), settings=check_settings(settings))
    if lang != "en":  # the findings the pages show, in the site's language
        from dataclasses import replace

        from ..content.findings import localize_findings

        checked = replace(checked, findings=localize_findings(checked.findings, lang))
    scoped = scope_content(checked, settings, edition, period, today, default_edition)
    prov = provenance(content, epoch)
    seen, chosen = scoped.view, scoped.edition
    renderer = Renderer(seen.index, lang=lang, today=seen.today, site_title=site_title, built=prov.built,
                        changed=prov.changed,
                        kinds=chosen.kinds, compliance=chosen.compliance, findings=seen.findings,
                        personal_data=chosen.personal_data, full=seen.full, hidden=seen.hidden, pdf_cache=pdf_cache,
                        dashboards=chosen.dashboards, public=chosen.classification == "public")
    # Record pages show the history, approvals and evidence files (site_templates/_history.md.j2).
    control = document_control(content, checked, chosen, seen.index, renderer.t, since)
    renderer.env.globals["control"] = control
    if attach is not None:
        attach(renderer)
    site = assemble(renderer)
    control.make_tables()  # on a large site in another process, while the engine converts the pages
    add_due(site, renderer, str((settings or {}).get("bundle_name") or "clause8"))
    if chosen.customer is not None:
        add_review_packs(site, renderer, chosen.customer, checked.index)
    site.files.update(control.files())
    if control.since is not None:
        site.pages[CHANGES_PAGE] = renderer.env.get_template("changes_since.md.j2").render(view=renderer,
                                                                                           here=CHANGES_PAGE)
        site.nav.append({renderer.t("control.since_nav"): CHANGES_PAGE})
    if settle:
        site.settle()  # the charts drawn meanwhile on another CPU
    return Prepared(scoped, site, prov, control)


def document_control(content: Path, checked: Checked, edition: editions.Edition, index: Any, t: Any,
                     since: str | None = None) -> Any:  # generator.site.document_control.DocumentControl
    """What ``edition``'s pages show about the records' history, approvals and evidence files (the
    history ``checked`` carries, else read now), with the changes since ``since`` when given."""
    from ..site.document_control import DocumentControl
    from ..content.history import records_at, resolve
    from ..content.revisions import Scope, changes_since, current_records

    history = checked.history if checked.history is not None else read_history(content)
    changes = None
    if since is not None:
        commit = resolve(content, since)
        changes = changes_since(since, commit, records_at(content, commit), current_records(checked.index.records),
                                Scope(edition, frozenset(index.by_id)))
    return DocumentControl(history, edition, index, checked.index, t, checked.evidence, changes)
