"""Record models: one pydantic model per ``kind``, grouped in one module per record family.

``KINDS`` maps every ``kind:`` value to its model class. It is built from the family modules
listed in ``FAMILIES`` (in site order), so adding a model to one of them registers it.
"""

from __future__ import annotations

import typing
from importlib import import_module

from .base import Record

# Family modules in the order the site and the docs present them.
FAMILIES: tuple[str, ...] = (
    "people",
    "services",
    "relationship",
    "service_levels",
    "suppliers",
    "availability",
    "continuity",
    "security",
    "improvement",
)


def _kind_of(model: type[Record]) -> str | None:
    ann = model.model_fields["kind"].annotation
    if typing.get_origin(ann) is typing.Literal:
        return typing.get_args(ann)[0]
    return None


def _collect() -> dict[str, type[Record]]:
    kinds: dict[str, type[Record]] = {}
    for family in FAMILIES:
        module = import_module(f"{__name__}.{family}")
        for name in getattr(module, "__all__", ()):
            model = getattr(module, name)
            if isinstance(model, type) and issubclass(model, Record) and _kind_of(model):
                model.family = family
                kinds[_kind_of(model)] = model  # type: ignore[index]
    return kinds


KINDS: dict[str, type[Record]] = _collect()

# The site's sections and the groups in each, in site order (labels `section.<key>` in
# generator/data/labels.yaml). Each kind names its section and group on its model.
SITE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("relationship_agreement", ("customers", "service_levels", "suppliers")),
    ("service_assurance", ("availability", "continuity", "security")),
    ("people", ("people",)),
    ("services", ("services",)),
    ("improvement", ("improvement",)),
)


def _sections() -> list[tuple[str, list[tuple[str, list[str]]]]]:
    placed = sorted(KINDS.items(), key=lambda item: item[1].position)
    return [(section, [(group, [kind for kind, model in placed if (model.section, model.group) == (section, group)])
                       for group in groups])
            for section, groups in SITE_SECTIONS]


# Site sections in order, each kind in its group: [(section key, [(group key, [kinds])])], made
# from the kinds' own `section`, `group` and `position` (navigation, home page, changes page).
SECTIONS: list[tuple[str, list[tuple[str, list[str]]]]] = _sections()

__all__ = ["FAMILIES", "KINDS", "SECTIONS", "SITE_SECTIONS", "Record"]
