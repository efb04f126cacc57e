"""The tool's own YAML files (catalogues, labels, messages), read with libyaml's safe loader:
several times quicker than PyYAML's pure-Python one. Records are read by :mod:`.yamldoc`."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(text: str) -> Any:
    """The plain value of one YAML document the tool ships."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
