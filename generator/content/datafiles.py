"""The tool's own YAML files (catalogues, labels, messages) and the plain values of an mkdocs.yml,
read with libyaml's safe loader: several times quicker than PyYAML's pure-Python one. Records are
read by :mod:`.yamldoc`."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(text: str) -> Any:
    """The plain value of one YAML document the tool ships."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


class _PlainLoader(_LOADER):  # type: ignore[misc, valid-type]
    """mkdocs.yml's plain values: mkdocs' own tags (!ENV, !relative) and Python names (Material's
    emoji settings: !!python/name:material.extensions.emoji.twemoji) read as null."""


_PlainLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_PlainLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_mkdocs_values(text: str) -> Any:
    """The plain value of an mkdocs configuration's text (raises yaml.YAMLError when it is not YAML)."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a safe loader
