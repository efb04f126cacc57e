"""Machine values as words in the site's language: enumerations, ISO 8601 durations, targets.

Records hold ``at_least``, ``response_time`` and ``P12M``; pages say "at least 99.9 %", "response
time" and "every 12 months" (Indonesian: "minimal 99.9 %", "waktu respons", "setiap 12 bulan").
Every word comes from ``view.*`` of ``generator/data/labels.yaml``. A leaf module: it imports
nothing of the generator but the models' base, so every page builder may use it.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from ..content.models.base import _check_duration  # the validator that marks a Duration field

__all__ = ["DURATION", "duration_words", "enum_words", "is_duration", "literal_values", "number", "target_words"]

DURATION = re.compile(r"^P(?:(?P<year>\d+)Y)?(?:(?P<month>\d+)M)?(?:(?P<week>\d+)W)?(?:(?P<day>\d+)D)?"
                      r"(?:T(?:(?P<hour>\d+)H)?(?:(?P<minute>\d+)M)?)?$")
_UNITS = ("year", "month", "week", "day", "hour", "minute")
# Fields whose duration is a repeat ("every 12 months"), not a length ("4 hours").
INTERVAL_FIELDS = frozenset({"interval", "reporting_interval", "frequency"})


def is_duration(info: Any) -> bool:
    """Whether a pydantic field (or its optional form) is a :data:`generator.content.models.base.Duration`."""
    if info is None:
        return False
    if any(getattr(m, "func", None) is _check_duration for m in getattr(info, "metadata", ())):
        return True
    return _annotation_has_duration(getattr(info, "annotation", None))


def _annotation_has_duration(annotation: Any) -> bool:
    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(meta, "func", None) is _check_duration:
            return True
    return any(_annotation_has_duration(arg) for arg in typing.get_args(annotation))


def literal_values(info: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` field (also inside ``Optional`` or ``list``); () for other fields."""
    def find(annotation: Any) -> tuple[str, ...]:
        if typing.get_origin(annotation) is typing.Literal:
            return tuple(str(v) for v in typing.get_args(annotation))
        for arg in typing.get_args(annotation):
            found = find(arg)
            if found:
                return found
        return ()

    return find(getattr(info, "annotation", None)) if info is not None else ()


def duration_words(value: str, t: Any, every: bool = False) -> str:
    """``PT1H30M`` -> "1 hour 30 minutes"; with ``every``, ``P12M`` -> "every 12 months" and ``P1M`` ->
    "every month". A value that is not a duration is returned as it is."""
    m = DURATION.match(value or "")
    if not m or value in ("P", "PT"):
        return value
    parts = [(unit, int(n)) for unit in _UNITS if (n := m.group(unit)) and int(n)]
    if not parts:
        return t("view.duration.none")
    if every and len(parts) == 1 and parts[0][1] == 1:
        return t(f"view.duration.every_{parts[0][0]}")
    text = " ".join(t(f"view.duration.{unit}_{'one' if n == 1 else 'many'}", n=n) for unit, n in parts)
    return t("view.duration.every", text=text) if every else text


def enum_words(name: str, token: str, t: Any) -> str:
    """The words for one value of an enumeration field: ``view.values.<field>.<value>``, else
    ``view.values.<value>``, else the value with spaces for underscores."""
    for key in (f"view.values.{name}.{token}", f"view.values.{token}"):
        if t.has(key):
            return str(t(key))
    return str(token).replace("_", " ")


def number(value: float | int) -> str:
    """99.95 -> "99.95", 4.0 -> "4", 19 / 6 -> "3.167" (at most three decimals: 99.949 stays apart from 99.95)."""
    return f"{round(float(value), 3):g}"


def target_words(comparison: str, value: float | int, unit: str, t: Any) -> str:
    """``at_least``, 99.9, ``%`` -> "at least 99.9 %" (Indonesian: "minimal 99.9 %")."""
    key = f"view.target.{comparison}" if t.has(f"view.target.{comparison}") else "view.target.other"
    return t(key, value=number(value), unit=unit).strip()
