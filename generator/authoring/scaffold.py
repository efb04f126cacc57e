"""``clause8 init``: the files of an organisation's records repository, as text. Writes nothing.

Every function here returns ``{path: text}`` (paths relative to the repository, with ``/``; the
example's evidence files that are not text come as bytes); the command line compares and writes. The templates are package data (``generator/data/scaffold/``),
rendered with Jinja2 using ``[[ ]]`` and ``[% %]`` so that GitHub's ``${{ }}`` and the macros
plugin's ``{{ }}`` pass through untouched.

The files fall in two groups:

- **the organisation's**: ``content/`` (starter records or the example organisation), the start
  page, ``mkdocs.yml``, ``README.md``, ``.gitignore``. Written once; ``init --update`` leaves them
  alone (``mkdocs.yml`` only with ``--force``).
- **the tool's** (:func:`tool_files`): the CI workflow with the pinned version, the pre-commit and
  Dependabot configurations, ``schemas/``. ``init --update`` rewrites them for the installed version.

The repository's own ``mkdocs.yml`` is the same template rendered for the example organisation
(a test compares them), so the two never drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..content.resources import DATA
from ..content.datafiles import load_data, load_mkdocs_values

SCAFFOLD = DATA / "scaffold"
LANGUAGES = ("en", "id")
WORKFLOW = ".github/workflows/clause8.yml"
SCHEMAS = "schemas"
# Template -> path in the organisation's repository, for the files the tool owns.
TOOL_TEMPLATES = {
    "workflow.yml": WORKFLOW,
    "dependabot.yml": ".github/dependabot.yml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}
_BUNDLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TODAY = re.compile(r"^@today(?:\+(\d+)d)?$")
# site_name and site_description per language; the organisation's name is put in.
_SITE_TEXTS = {
    "en": ("{name} — service management records", "ISO/IEC 20000-1:2018 clause 8.3 and 8.7 records of {name}"),
    "id": ("{name} — catatan manajemen layanan", "Catatan ISO/IEC 20000-1:2018 klausul 8.3 dan 8.7 {name}"),
}


class ScaffoldError(ValueError):
    """An option of ``init`` is not usable (the message says why)."""


@dataclass(frozen=True)
class Organisation:
    """What ``mkdocs.yml`` says about the organisation: its name, site language and bundle name."""

    name: str
    language: str = "en"
    bundle_name: str = ""

    def __post_init__(self) -> None:
        name = self.name.strip()
        if not name or "\n" in name or "\r" in name or len(name) > 200:
            raise ScaffoldError("the organisation's name must be one line of 1 to 200 characters")
        if self.language not in LANGUAGES:
            raise ScaffoldError(f"language '{self.language}' is not one of {', '.join(LANGUAGES)}")
        bundle = self.bundle_name or default_bundle_name(name)
        if not _BUNDLE_NAME.match(bundle):
            raise ScaffoldError(f"bundle name '{bundle}' may hold only letters, digits, '.', '_' and '-'")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "bundle_name", bundle)

    @property
    def site_name(self) -> str:
        return _SITE_TEXTS[self.language][0].format(name=self.name)

    @property
    def site_description(self) -> str:
        return _SITE_TEXTS[self.language][1].format(name=self.name)


def default_bundle_name(name: str) -> str:
    """A file-name-safe short name from the organisation's name: 'Acme Ops' -> 'acme-ops-records'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return f"{slug or 'service'}-records"


# The example organisation of `init --example` (and of this repository's mkdocs.yml).
EXAMPLE = Organisation("PT Nusantara Layanan Digital", "en", "nld-records")


def _yaml_scalar(value: str) -> str:
    """``value`` as one YAML scalar: plain when YAML reads it back unchanged, else quoted."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...")


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SCAFFOLD)),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
        trim_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - YAML and markdown, never HTML; names go through |yaml
    )
    env.filters["yaml"] = _yaml_scalar
    return env


def render(template: str, **values: Any) -> str:
    """One scaffold template, rendered with ``values`` and the tool's version."""
    return str(_environment().get_template(template).render(version=__version__, **values))


def mkdocs_yml(org: Organisation) -> str:
    """The site configuration: the clause8 plugin and every setting the site relies on."""
    return render("mkdocs.yml", site_name=org.site_name, site_description=org.site_description,
                  language=org.language, bundle_name=org.bundle_name)


def organisation_of(mkdocs_text: str) -> Organisation | None:
    """The organisation an ``mkdocs.yml`` written by :func:`mkdocs_yml` is for (None if unknown)."""
    try:
        data = load_mkdocs_values(mkdocs_text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    language = str((data.get("theme") or {}).get("language") or "en")
    bundle = str(((data.get("extra") or {}).get("clause8") or {}).get("bundle_name") or "")
    site_name = str(data.get("site_name") or "")
    if language not in LANGUAGES:
        return None
    prefix, _, suffix = _SITE_TEXTS[language][0].partition("{name}")
    if not (site_name.startswith(prefix) and site_name.endswith(suffix)) or len(site_name) <= len(prefix + suffix):
        return None
    try:
        return Organisation(site_name[len(prefix):len(site_name) - len(suffix)], language, bundle)
    except ScaffoldError:
        return None


def _dates(value: Any, today: dt.date) -> Any:
    """'@today' and '@today+Nd' in starter values become ISO dates."""
    if isinstance(value, str) and (m := _TODAY.match(value)):
        return (today + dt.timedelta(days=int(m.group(1) or 0))).isoformat()
    if isinstance(value, list):
        return [_dates(v, today) for v in value]
    if isinstance(value, dict):
        return {k: _dates(v, today) for k, v in value.items()}
    return value


def starter_records(today: dt.date) -> dict[str, str]:
    """One commented starter record per family (plus the people and organisations they name)."""
    from ..content.models import KINDS
    from .skeleton import skeleton

    starters = load_data((SCAFFOLD / "starters.yaml").read_text(encoding="utf-8"))
    files = {}
    for starter in starters:
        kind, record_id = starter["kind"], starter["id"]
        values = _dates(starter.get("values") or {}, today)
        path = f"content/{KINDS[kind].family}/{record_id}.yaml"
        files[path] = skeleton(kind, record_id, owner="PER-SERVICE-MANAGER", values=values)
    return files


def example_content() -> dict[str, str | bytes]:
    """The example organisation's content (records, pages, evidence files), as the package carries it.

    Text files come back as text, anything else (a PDF of evidence) as bytes.
    """
    root = _example_root()
    files: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes()
            try:
                files[f"content/{path.relative_to(root).as_posix()}"] = data.decode("utf-8")
            except UnicodeDecodeError:
                files[f"content/{path.relative_to(root).as_posix()}"] = data
    return files


def _example_root() -> Path:
    # The wheel installs content/ as the data package generator.example (pyproject.toml); a source
    # checkout without an install reads the folder itself.
    try:
        found = resources.files("generator.example")
        for candidate in (found, *getattr(found, "_paths", ())):
            if Path(str(candidate)).is_dir():
                return Path(str(candidate))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent.parent / "content"


def tool_files() -> dict[str, str]:
    """The files ``init --update`` rewrites: the workflow, pre-commit and Dependabot configs, schemas."""
    from .schemas import export_schemas

    files = {path: render(template) for template, path in TOOL_TEMPLATES.items()}
    files.update({f"{SCHEMAS}/{name}": text for name, text in export_schemas().items()})
    return dict(sorted(files.items()))


def scaffold(org: Organisation, today: dt.date, example: bool = False) -> dict[str, str | bytes]:
    """Every file of a new records repository for ``org``: content, site, CI, hooks, README."""
    files: dict[str, str | bytes] = dict(example_content()) if example else {
        **starter_records(today),
        "content/pages/introduction.md": render(f"introduction.{org.language}.md", name=org.name),
    }
    files["mkdocs.yml"] = mkdocs_yml(org)
    files["README.md"] = render("README.md", name=org.name, bundle_name=org.bundle_name)
    files[".gitignore"] = render("gitignore")
    files.update(tool_files())
    return dict(sorted(files.items()))


def is_tool_file(path: str) -> bool:
    """Whether ``init --update`` owns ``path`` (relative, with '/')."""
    return path in TOOL_TEMPLATES.values() or (path.startswith(f"{SCHEMAS}/") and path.endswith(".schema.json"))
