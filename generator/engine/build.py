"""Building the site with mkdocs, atomically: the previous output survives any failure.

mkdocs writes into a fresh temporary folder beside the target; only a complete build is swapped
in. A build that fails (content errors, a broken link under ``strict``) or is killed midway
leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..checks.pipeline import Checked
from ..content.datafiles import load_mkdocs_values


def read_mkdocs_yaml(config_file: Path) -> dict:
    """The plain values of an mkdocs configuration (for settings under ``extra``)."""
    try:
        data = load_mkdocs_values(config_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def clause8_settings(config_file: Path) -> dict:
    """Our settings in an mkdocs configuration (``extra.clause8``: editions, bundle name...)."""
    settings = (read_mkdocs_yaml(config_file).get("extra") or {}).get("clause8")
    return settings if isinstance(settings, dict) else {}


class BuildError(Exception):
    """The site could not be built; the message says why."""


@contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# How often the cyclic garbage collector runs during an mkdocs build (Python's default is
# (700, 10, 10)). A build keeps every record, page and rendered HTML alive to the end, and the
# collector walked them over and over: the internal edition of 10,000 records took 99.7 s, of
# which a third was collection, and grew faster than the records (x2.32 from 5,000). With these
# thresholds: 65 s (x1.76), same peak memory; see docs/performance.md.
BUILD_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def long_lived_heap() -> Iterator[None]:
    """Fewer cyclic collections while mkdocs builds, and none over what is already loaded."""
    old = gc.get_threshold()
    gc.collect()
    gc.freeze()  # the records, the index and the rendered markdown live to the end of the build
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def swap_in(built: Path, target: Path) -> None:
    """Replace ``target`` with ``built`` (two renames; the old tree is removed afterwards)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    built.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(config_file: Path, site_dir: Path, content: Path, today: dt.date, checked: Checked | None = None,
               verbose: bool = False, offline: bool = False, epoch: int | None = None,
               edition: str | None = None, period: str | None = None, since: str | None = None) -> Built:
    """Run the mkdocs build of ``config_file`` into ``site_dir`` atomically.

    The options go to the clause8 plugin instance of the loaded config, with the content already
    checked (so it is loaded once); Material's offline plugin is turned on for ``offline``.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import find_plugin, set_offline

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a build that was killed midway (one build per output folder at a time).
    for stale in site_dir.parent.glob(f".{site_dir.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.build-", dir=site_dir.parent))
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    if not logger.handlers:  # mkdocs' CLI installs its handler; through the API we do
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    try:
        # mkdocs itself reads SOURCE_DATE_EPOCH (sitemap dates, gzip headers).
        env = {"NO_MKDOCS_2_WARNING": "1"}
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = str(epoch)
        with _env(**env), long_lived_heap():
            cfg = load_config(str(config_file), site_dir=str(tmp))
            plugin = find_plugin(cfg)
            plugin.configure(content=content.resolve(), today=today, edition=edition, period=period,
                             checked=checked, offline=offline, since=since)
            set_offline(cfg, offline)
            try:
                build(cfg)
            finally:
                plugin.reset()
    except (MkDocsException, SystemExit, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(str(exc) or exc.__class__.__name__) from None
    except Exception as exc:  # noqa: BLE001 - mkdocs and Markdown raise plain errors on pages they cannot render
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"{type(exc).__name__}: {exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site_dir)
    return Built(plugin.edition.name, len(plugin.index.records))


@dataclass(frozen=True)
class Built:
    """What a build carries: its edition and how many records it was cleared for."""

    edition: str
    records: int


def serve_site(config_file: Path, content: Path, today: dt.date | None, dev_addr: str) -> None:
    """``mkdocs serve`` of ``config_file`` on ``content``: rebuilds when a record changes."""
    from mkdocs.commands.serve import serve
    from mkdocs.config import load_config

    from .plugin import find_plugin
    from ..publish.provenance import build_epoch

    # Loading the config once creates the plugin instance that serve's own loads reuse (mkdocs
    # keeps plugins with on_startup alive), so the options set here hold for every rebuild.
    plugin = find_plugin(load_config(str(config_file)))
    plugin.configure(content=content.resolve(), today=today)
    plugin.preview(build_epoch())  # rebuild only what a save changed (dirty builds)
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")


def site_policy(config_file: Path, site_dir: Path) -> str:
    """The Content-Security-Policy header for the site built into ``site_dir`` with ``config_file``.

    The same hashes every page of that site carries in its ``<meta>`` policy: the theme's inline
    scripts rendered for each page depth in the site (the pages' paths are read, not their text).
    """
    from mkdocs.config import load_config

    from ..publish.csp import policy
    from .plugin import script_hashes

    config = load_config(str(config_file))
    pages = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")]
    return policy(script_hashes(config.theme.get_env(), config, pages))
