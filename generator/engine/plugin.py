"""The ``clause8`` mkdocs plugin: loads the records, adds the generated pages, cleans every page.

Registered through the ``mkdocs.plugins`` entry point, so an ``mkdocs.yml`` names it like any
plugin and plain ``mkdocs build`` / ``mkdocs serve`` work::

    plugins:
      - search
      - clause8:
          content: content      # the records, relative to mkdocs.yml
          edition: internal     # default: extra.clause8.default_edition, else internal

``clause8 build`` and ``bundle`` set the same options on the plugin instance (and hand it the
content they already checked); nothing travels through environment variables or module state.
All logic lives in the generator package: this module only hands mkdocs events to it.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from generator.content import editions
from generator.publish.csp import meta_tag, script_hash, theme_script_hashes
from generator.content.history import SinceError, read_history
from generator.engine.incremental import Incremental
from generator.engine import search
from generator.engine.search_offload import offload_search
from generator.content.i18n import Translator
from generator.content.findings import localize_findings
from generator.checks import check_settings
from generator.checks.pipeline import Checked, check_content
from generator.publish.provenance import build_day, stated_dates
from generator.publish.prepare import prepare_site
from generator.content.resources import TEMPLATES
from generator.site.sanitize import clean_html, page_problems, safe_id, safe_text

log = logging.getLogger("mkdocs.plugins.clause8")
TABLES_CSS = "assets/clause8/tables.css"


class Clause8Config(base.Config):
    """The plugin's options in ``mkdocs.yml`` (validated by mkdocs)."""

    content = c.Type(str, default="content")
    # Laid-out emergency-pack PDFs are kept here (relative to mkdocs.yml; "" for none), so a
    # build and a bundle of the same inputs lay the pack out once.
    cache_dir = c.Type(str, default=".cache/clause8")
    edition = c.Optional(c.Type(str))
    period = c.Optional(c.Type(str))
    today = c.Optional(c.Type(str))
    # A commit, tag, branch or date: adds a "Changes since" page (clause8 build --since).
    since = c.Optional(c.Type(str))


def script_hashes(env: Any, config: Any, page_urls: Iterable[str]) -> frozenset[str]:
    """Hashes of the inline scripts the theme's templates write at every depth of ``page_urls``.

    Computed from the templates, never from built pages; the 404 page's depth (the site URL's
    path) is always included.
    """
    base_urls = {get_relative_url(".", url) for url in page_urls}
    base_urls.add(urlsplit(config.site_url or "/").path or "/")
    features = config.theme.get("features") or [] if hasattr(config.theme, "get") else []
    return frozenset(theme_script_hashes(env, base_urls, {"config": config, "features": features}))


class _Compiled(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory by the plugin instance: mkdocs makes a new
    template environment for every build (serve: every save) and for the policy's hashes, and
    compiling Material's templates again took longer than rendering a changed page. Jinja checks
    each template's source against its checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def _script_src_allowed(src: str) -> bool:
    # The site's own files: a path, never another host or scheme.
    return not src.startswith(("//", "\\")) and "\\" not in src and ":" not in src.split("/")[0]


def _clean_toc(items: Any) -> None:
    for item in items:
        item.title = safe_text(item.title)
        item.id = safe_id(item.id)
        _clean_toc(item.children)


class Clause8Plugin(BasePlugin[Clause8Config]):
    """mkdocs events -> the generator. State lives on the instance, one build at a time."""

    def __init__(self) -> None:
        # Options the command line gives (they win over mkdocs.yml). The instance outlives one
        # config load (it has on_startup, so mkdocs keeps it across serve's rebuilds), so the
        # options live here rather than in self.config, which each load re-reads from mkdocs.yml.
        self.overrides: dict[str, Any] = {}
        self.checked: Checked | None = None  # content the CLI already checked, used once
        self.index: Any = None
        self.site: Any = None
        self.control: Any = None
        self.edition: Any = None
        self.hashes: frozenset[str] = frozenset()
        self.incremental: Incremental | None = None  # serve's state between rebuilds (preview())
        self._files: Files | None = None
        self.search_label = "Search"
        self.compiled = _Compiled()  # the theme's templates, compiled once per process
        self._hashes: tuple[Any, frozenset[str]] | None = None  # serve: the last policy hashes and their inputs

    # -- options ------------------------------------------------------------------------------
    def configure(self, *, content: Path | None = None, today: dt.date | None = None, edition: str | None = None,
                  period: str | None = None, checked: Checked | None = None, offline: bool = False,
                  since: str | None = None) -> None:
        """Options from the command line for the next builds (``None``: as ``mkdocs.yml`` says)."""
        self.overrides = {"content": content, "today": today, "edition": edition, "period": period,
                          "offline": offline, "since": since}
        self.checked = checked

    def reset(self) -> None:
        """Back to what ``mkdocs.yml`` says (after a command's build)."""
        self.configure()
        self.incremental = None

    def preview(self, epoch: int) -> None:
        """Serve's incremental rebuilds (see generator/engine/incremental.py), dated ``epoch`` throughout."""
        self.incremental = Incremental()
        self.overrides["epoch"] = epoch
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)

    def _option(self, name: str) -> Any:
        value = self.overrides.get(name)
        return value if value is not None else self.config.get(name)

    def _content(self, config: Any) -> Path:
        root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        return (root / self._option("content")).resolve()

    def _cache_dir(self, config: Any) -> Path | None:
        if not self.config.cache_dir:
            return None
        root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        return root / self.config.cache_dir

    def _today(self) -> dt.date:
        today = self._option("today")
        if today is None or isinstance(today, dt.date):
            return today or build_day(self.overrides.get("epoch"))  # the day the copy is made
        try:
            return dt.date.fromisoformat(today)
        except ValueError:
            raise PluginError(f"clause8: today: '{today}' is not a date (YYYY-MM-DD)") from None

    def _attach(self, *key: Any) -> Any:
        """serve: the renderer takes the record pages whose inputs did not change from the last build."""
        if self.incremental is None:
            return None
        key = (*key, self._option("edition"), self._option("period"), self._option("since"))
        return lambda renderer: self.incremental.attach(renderer, key)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    # -- events -------------------------------------------------------------------------------
    def on_config(self, config: Any) -> Any:
        content, today = self._content(config), self._today()
        checked, self.checked = self.checked, None  # handed over for one build; serve reloads
        clause8 = config.extra.get("clause8", {}) if hasattr(config.extra, "get") else {}
        if checked is None:
            incremental = self.incremental
            history = incremental.history(content, read_history) if incremental else read_history(content)
            try:
                settings = check_settings(clause8)
            except ValueError as exc:
                raise PluginError(str(exc)) from None
            checked = check_content(content, today, history=history, settings=settings,
                                    load_cache=incremental.load_cache if incremental else None)
        lang = (config.theme or {}).get("language", "en") if hasattr(config.theme, "get") else "en"
        errors = [f for f in checked.findings if f.severity == "error"]
        for f in localize_findings(checked.findings, lang):  # in the site's language, as its pages say them
            (log.error if f.severity == "error" else log.info)(f.text())
        if errors:
            raise PluginError(f"{len(errors)} content error(s): fix them and build again (clause8 check)")
        default = editions.DEFAULT_BUNDLE_EDITION if self.overrides.get("offline") else editions.DEFAULT_BUILD_EDITION
        try:
            prepared = prepare_site(content, today, settings=clause8, edition=self._option("edition"),
                                    period=self._option("period"), default_edition=default, lang=lang,
                                    site_title=config.site_name, checked=checked, pdf_cache=self._cache_dir(config),
                                    since=self._option("since"), epoch=self.overrides.get("epoch"),
                                    attach=self._attach(today, lang, config.site_name, checked.history),
                                    # A build collects the charts (drawn on another CPU) in on_env; serve
                                    # compares every file with its last build's now.
                                    settle=self.incremental is not None)
        except (editions.EditionError, SinceError) as exc:
            raise PluginError(str(exc)) from None
        self.index, self.site, self.edition = prepared.index, prepared.site, prepared.edition
        self.control = prepared.control  # record pages' history tables, put in the finished pages
        handwritten = sorted(p.relative_to(config.docs_dir).as_posix() for p in Path(config.docs_dir).glob("*.md")
                             if p.name != "index.md")
        config.nav = prepared.nav(handwritten)
        self.search_label = Translator(lang)("view.search_dialog")
        # The site's own style sheet for tables, links and search (site_templates/assets/tables.css).
        if TABLES_CSS not in config.extra_css:
            config.extra_css.append(TABLES_CSS)
        config.copyright = _footer(Translator(lang), prepared.provenance, prepared.edition, prepared.scoped.period,
                                   clause8, preview=self.incremental is not None, today=today)
        if self.incremental is not None:
            self.incremental.plan(config.site_dir, {**self.site.pages, **self.site.files}, config.nav)
        for watched in (content, TEMPLATES):  # serve rebuilds when a record or a template changes
            if watched.is_dir() and str(watched) not in config.watch:
                config.watch.append(str(watched))
        if self.incremental is None:  # a build: Material's search index made on the second CPU
            offload_search(config)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        for path, data in [*self.site.pages.items(), *sorted(self.site.files.items())]:  # pages, PDF, vCard
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=data))
        for path in self.site.pending_files():  # their content comes in on_env
            files.append(File.generated(config, path, content=b""))
        for asset in sorted((TEMPLATES / "assets").glob("*")):
            files.append(File.generated(config, f"assets/clause8/{asset.name}", abs_src_path=str(asset)))
        # The CSP's hashes depend on the page depths: known now, before any page is rendered.
        self.hashes = self._script_hashes(config, [f.url for f in files.documentation_pages()])
        if self.incremental is not None and self.incremental.check_hashes(self.hashes):
            for f in files:
                if self.incremental.unchanged(f.src_uri):
                    f.is_modified = _not_modified  # a dirty build skips it: the last build's page stands
                elif f.is_documentation_page() and f.src_uri not in self.site.pages:
                    # A hand-written page: its title (from its heading) is in every page's navigation.
                    f.is_modified = _modified
        self._files = files
        return files

    def _script_hashes(self, config: Any, urls: list[str]) -> frozenset[str]:
        env = config.theme.get_env()
        env.bytecode_cache = self.compiled
        if self.incremental is None:
            return script_hashes(env, config, urls)
        # serve: the same depths, theme and settings give the same hashes (a save rarely adds a depth).
        key = (frozenset(get_relative_url(".", url) for url in urls), config.site_url, repr(dict(config.theme)),
               tuple(config.theme.dirs))
        if self._hashes is None or self._hashes[0] != key:
            self._hashes = (key, script_hashes(env, config, urls))
        return self._hashes[1]

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        env.bytecode_cache = self.compiled  # before the first template is loaded
        # Every page is converted; the files are written next: the charts drawn meanwhile.
        pending = self.site.pending_files() if self.site is not None else []
        if pending:
            self.site.settle()
            for path in pending:
                written = files.get_file_from_path(path)
                if written is not None:
                    written.content_bytes = self.site.files[path]
        return env

    def on_page_content(self, html_text: str, page: Any, config: Any, files: Files) -> str:
        # Everything the theme prints around the article becomes escaped plain text. The theme
        # prints the front-matter title as given in <title> (page.title only through striptags,
        # which would decode entities back into markup), so the safe title goes there.
        title = safe_text(page.meta.get("title") or page.title or "")
        page.title = title  # the navigation and the header print it raw
        if "title" in page.meta or not page.is_homepage:  # the home page's <title> is the site name
            page.meta["title"] = title
        for key in ("description", "subtitle"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = safe_text(page.meta[key])
        _clean_toc(page.toc)
        return clean_html(html_text)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        if self.control is not None:  # the history table, then the page guard over all of it
            output = self.control.fill_html(page.file.src_uri, output)
        return self._finish(output, page.file.src_uri)

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        return self._finish(output, template_name) if template_name.endswith(".html") else output

    @event_priority(-150)  # after Material's search and offline plugins (-100) wrote the search index
    def on_post_build(self, config: Any) -> None:
        search.after_build(config)  # file:// search: the index built here, loaded by a worker
        if self.incremental is not None and self._files is not None:
            self.incremental.finish(Path(config.site_dir), self._files, self.hashes)
        if self.edition is not None and self.edition.noindex:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (Path(config.site_dir) / name).unlink(missing_ok=True)

    # -- the finished page ---------------------------------------------------------------------
    def _script_allowed(self, attrs: dict[str, str], body: str) -> bool:
        if "src" in attrs:
            return _script_src_allowed(attrs["src"])
        if attrs.get("type") == "application/json":
            return attrs.get("id") == "__config"
        return script_hash(body) in self.hashes

    def _finish(self, output: str, where: str) -> str:
        """Put the policy first in <head>, then refuse a page holding markup the site never writes."""
        policy = meta_tag(self.hashes)
        # Right after the character encoding, which HTML wants within a page's first 1024 bytes.
        charset = '<meta charset="utf-8">'
        anchor = charset if charset in output.split("</head>", 1)[0] else "<head>"
        head = anchor + "\n    " + policy
        if self.edition is not None and self.edition.noindex:
            # Non-public editions ask search engines to stay away (and write no sitemap).
            head += '\n    <meta name="robots" content="noindex, nofollow">'
        output = output.replace(anchor, head, 1)
        # The theme's search dialog has no name (axe aria-dialog-name): give it one.
        output = output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                                f'<div class="md-search" data-md-component="search" role="dialog" '
                                f'aria-label="{html.escape(self.search_label)}">', 1)
        problems = page_problems(output, self._script_allowed, known_markup=(policy,))
        if problems:
            raise PluginError(f"{where}: unsafe markup in the finished page (nothing was written): "
                              + "; ".join(problems))
        return output


def _not_modified() -> bool:
    return False


def _modified() -> bool:
    return True


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    # serve's rebuilds are dirty on purpose (generator/engine/incremental.py); under strict mode
    # mkdocs' warning about dirty builds would fail them.
    return "'dirty' build" not in record.getMessage()


def _footer(t: Translator, prov: Any, edition: Any, period: Any, clause8: dict, preview: bool = False,
            today: dt.date | None = None) -> str:
    """When, from what and for whom this copy was built (read by freshness.js).

    A preview (serve) names neither the commit nor the content version: they change with every
    save, and the footer is on every page.
    """
    return (
        f'<span id="clause8-built" data-built="{prov.built_epoch}" '
        f'data-max-age-days="{int(clause8.get("stale_after_days", 30))}" '
        f'data-stale-title="{html.escape(t("ui.stale_title"))}" data-stale-text="{html.escape(t("ui.stale_text"))}" '
        # Words of tablesort.js, in the site's language.
        f'data-sort-title="{html.escape(t("view.sort_title"))}" '
        f'data-sort-ascending="{html.escape(t("view.sort_ascending"))}" '
        f'data-sort-descending="{html.escape(t("view.sort_descending"))}">'
        + stated_dates(t, prov, today or prov.built.date(), preview)  # generator/publish/provenance.py
        + ("" if preview else f' · {t("ui.content_version")} {prov.content_version}')
        + f' · {t("ui.edition")}: <strong id="clause8-edition">{html.escape(edition.title)}</strong>'
        + (f' · {t("ui.audit_period")}: <strong id="clause8-period">{period}</strong>' if period else "")
        + "</span>"
    )


def find_plugin(config: Any) -> Clause8Plugin:
    """The clause8 plugin instance of a loaded mkdocs config (the config must list it)."""
    for plugin in config.plugins.values():
        if isinstance(plugin, Clause8Plugin):
            return plugin
    raise PluginError("mkdocs.yml does not list the clause8 plugin (plugins: [clause8: {content: content}])")


def set_offline(config: Any, enabled: bool) -> None:
    """Turn Material's offline plugin on or off (file:// links and search) for this build."""
    for name, plugin in config.plugins.items():
        if name.endswith("offline"):
            plugin.config.enabled = enabled
