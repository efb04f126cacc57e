"""Where the files the tool reads at run time are: package resources, never the working folder.

The wheel installs ``site_templates/`` as the package ``generator.site_templates`` (see
pyproject.toml) and ``generator/data/`` with the code, so an installed ``clause8`` works in any
folder. In a source checkout the same paths resolve to the repository's folders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent


def _package_folder(package: str, checkout: Path) -> Path:
    """The folder of a data-only package (installed or editable), else its place in a checkout."""
    try:
        found = resources.files(package)
    except ModuleNotFoundError:
        return checkout
    # A data package without __init__.py may come back as a MultiplexedPath: take its folder.
    for candidate in (found, *getattr(found, "_paths", ())):
        path = Path(str(candidate))
        if path.is_dir():
            return path
    return checkout


DATA = _HERE / "data"
TEMPLATES = _package_folder("generator.site_templates", _HERE.parent / "site_templates")
