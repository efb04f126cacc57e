"""mkdocs adapter: loads the records, adds the generated pages, cleans page HTML.

Listed under ``hooks:`` in ``mkdocs.yml`` so plain ``mkdocs build`` / ``mkdocs serve`` work from
the repository root; ``python -m generator build`` wraps the same build. All logic lives in the
generator package: this module only hands mkdocs events to it.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from generator import editions, site_state
from generator.i18n import Translator
from generator.provenance import provenance
from generator.render import TEMPLATES, render_edition
from generator.csp import meta_tag, theme_script_hashes
from generator.sanitize import clean_html, page_problems, safe_id, safe_text

log = logging.getLogger("mkdocs.plugins.clause8")


def on_config(config: Any) -> Any:
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    content = Path(os.environ.get("CLAUSE8_CONTENT") or root / "content")
    today = site_state.today_from_env()
    checked = site_state.checked_for(content, today)
    errors = [f for f in checked.findings if f.severity == "error"]
    for f in checked.findings:
        (log.error if f.severity == "error" else log.info)(f.text())
    if errors:
        raise PluginError(f"{len(errors)} content error(s): fix them and build again (python -m generator check)")
    lang = (config.theme or {}).get("language", "en") if hasattr(config.theme, "get") else "en"
    clause8 = config.extra.get("clause8", {}) if hasattr(config.extra, "get") else {}
    offline = os.environ.get("CLAUSE8_OFFLINE", "").lower() == "true"
    try:
        edition = editions.pick(clause8, os.environ.get("CLAUSE8_EDITION"),
                                editions.DEFAULT_BUNDLE_EDITION if offline else editions.DEFAULT_BUILD_EDITION)
        period = editions.Period.parse(os.environ["CLAUSE8_PERIOD"]) if os.environ.get("CLAUSE8_PERIOD") else None
    except editions.EditionError as exc:
        raise PluginError(str(exc)) from None
    prov = provenance(content)
    index, site = render_edition(checked.index, checked.findings, edition, today, period, lang=lang,
                                 site_title=config.site_name, built=prov.built)
    site_state.current.site = site
    site_state.current.index = index
    site_state.current.edition = edition
    handwritten = sorted(p.relative_to(config.docs_dir).as_posix() for p in Path(config.docs_dir).glob("*.md")
                         if p.name != "index.md")
    # Home and the emergency pack first, then the hand-written pages, then the sections.
    head = 2 if site.pages.get("emergency/index.md") else 1
    config.nav = site.nav[:head] + handwritten + site.nav[head:]
    t = Translator(lang)
    commit = f" · {t('ui.built_commit')} {html.escape(prov.commit)}" if prov.commit else ""
    config.copyright = (
        f'<span id="clause8-built" data-built="{prov.built_epoch}" '
        f'data-max-age-days="{int(clause8.get("stale_after_days", 30))}" '
        f'data-stale-title="{html.escape(t("ui.stale_title"))}" data-stale-text="{html.escape(t("ui.stale_text"))}">'
        f'{t("ui.built_on")} {prov.built.strftime("%Y-%m-%d %H:%M UTC")}{commit}'
        f' · {t("ui.content_version")} {prov.content_version}'
        f' · {t("ui.edition")}: <strong id="clause8-edition">{html.escape(edition.title)}</strong>'
        + (f' · {t("ui.audit_period")}: <strong id="clause8-period">{period}</strong>' if period else "")
        + "</span>"
    )
    if str(content) not in config.watch:
        config.watch.append(str(content))
    return config


def on_files(files: Files, config: Any) -> Files:
    site = site_state.current.site
    for path, markdown in site.pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    for path, data in sorted(site.files.items()):  # the emergency pack's PDF and vCard
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=data))
    for asset in sorted((TEMPLATES / "assets").glob("*")):
        files.append(File.generated(config, f"assets/clause8/{asset.name}", abs_src_path=str(asset)))
    return files


def script_hashes(env: Any, config: Any, page_urls: Iterable[str]) -> frozenset[str]:
    """Hashes of the inline scripts the theme's templates write at every depth of ``page_urls``.

    Computed from the templates, never from built pages; the 404 page's depth (the site URL's
    path) is always included.
    """
    base_urls = {get_relative_url(".", url) for url in page_urls}
    base_urls.add(urlsplit(config.site_url or "/").path or "/")
    features = config.theme.get("features") or [] if hasattr(config.theme, "get") else []
    return frozenset(theme_script_hashes(env, base_urls, {"config": config, "features": features}))


def on_env(env: Any, config: Any, files: Files) -> Any:
    site_state.current.script_hashes = script_hashes(env, config, (f.url for f in files.documentation_pages()))
    return env


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    # Everything the theme prints around the article becomes escaped plain text. The theme prints
    # the front-matter title as given in <title> (page.title only through striptags, which would
    # decode entities back into markup), so the safe title goes there.
    title = safe_text(page.meta.get("title") or page.title or "")
    page.title = title  # the navigation and the header print it raw
    if "title" in page.meta or not page.is_homepage:  # the home page's <title> is the site name
        page.meta["title"] = title
    for key in ("description", "subtitle"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = safe_text(page.meta[key])
    _clean_toc(page.toc)
    return clean_html(html)


def _clean_toc(items: Any) -> None:
    for item in items:
        item.title = safe_text(item.title)
        item.id = safe_id(item.id)
        _clean_toc(item.children)


def _script_allowed(attrs: dict[str, str], body: str) -> bool:
    if "src" in attrs:
        src = attrs["src"]  # the site's own files: a path, never another host or scheme
        return not src.startswith(("//", "\\")) and "\\" not in src and ":" not in src.split("/")[0]
    if attrs.get("type") == "application/json":
        return attrs.get("id") == "__config"
    from generator.csp import script_hash

    return script_hash(body) in site_state.current.script_hashes


def _finish(output: str, where: str) -> str:
    """Put the policy first in <head>, then refuse a page holding markup the site never writes."""
    head = '<head>\n    ' + meta_tag(site_state.current.script_hashes)
    edition = site_state.current.edition
    if edition is not None and edition.noindex:
        # Non-public editions ask search engines to stay away (and write no sitemap).
        head += '\n    <meta name="robots" content="noindex, nofollow">'
    output = output.replace("<head>", head, 1)
    problems = page_problems(output, _script_allowed)
    if problems:
        raise PluginError(f"{where}: unsafe markup in the finished page (nothing was written): " + "; ".join(problems))
    return output


def on_post_page(output: str, page: Any, config: Any) -> str:
    return _finish(output, page.file.src_uri)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    return _finish(output, template_name) if template_name.endswith(".html") else output


def on_post_build(config: Any) -> None:
    edition = site_state.current.edition
    if edition is not None and edition.noindex:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config.site_dir) / name).unlink(missing_ok=True)
