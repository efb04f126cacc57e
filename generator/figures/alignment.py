"""Supplier alignment: the SLA targets each supplier or agreement target is stated to support, compared in one unit.

Which underpinning target supports which customer target is written in the records (``supports:
[SLA-ID#target-key]`` on a target of a supplier contract or internal agreement), never guessed
from ids or metrics. Values are converted to a common unit before they are compared
(:func:`quantity`); a unit this module does not know is reported, never passed over.

Several targets that support one SLA target are components *in series* (the customer gets the
service only when every one of them delivers): availabilities multiply, times add up. Contracts
and agreements the SLA lists as ``standby`` (parallel paths, such as a disaster-recovery region)
are compared on their own but left out of the series.

Pure: reads the :class:`~generator.content.index.Index` and returns frozen dataclasses; the check module
:mod:`generator.checks.suppliers` judges them and says where.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..content.index import Index
from ..content.localize import Msg, Term

__all__ = [
    "UNITS",
    "Alignment",
    "Problem",
    "Quantity",
    "Supporter",
    "TargetAlignment",
    "describe",
    "duration_minutes",
    "quantity",
    "supplier_alignment",
    "written",
]

# Float noise must not turn 99.95 x 99.95 or 3 h + 10 min into a miss.
_EPS = 1e-9

UNDERPINNING_KINDS = ("supplier_contract", "internal_agreement")

# unit as written (case and spacing ignored) -> (dimension, factor to the dimension's base unit).
# Percent's base is one percent; a duration's base is one minute.
UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("%", "percent", "per cent", "persen"), ("percent", 1.0)),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "menit"), ("duration", 1.0)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "jam"), ("duration", 60.0)),
    **dict.fromkeys(("d", "day", "days", "hari"), ("duration", 1440.0)),
}

_ISO = re.compile(
    r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


def duration_minutes(value: str) -> float | None:
    """Minutes in an ISO 8601 duration (``PT4H``, ``PT1H30M``, ``P1D``); None if it is not one.

    Weeks are 7 days; a month counts as 30 days and a year as 365 (recovery objectives and
    supplier targets are never that long in practice, and a fixed length keeps them comparable).
    """
    m = _ISO.match(value.strip().upper())
    if not m:
        return None
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    days = g["y"] * 365 + g["mo"] * 30 + g["w"] * 7 + g["d"]
    return days * 1440.0 + g["h"] * 60.0 + g["mi"] + g["s"] / 60.0


@dataclass(frozen=True)
class Quantity:
    """A value in its dimension's base unit: ``percent`` in percent, ``duration`` in minutes.

    A unit this module does not know keeps its own text as dimension (``unit:points of 5``), so
    that two targets written in the same unknown unit still compare, and nothing else does.
    """

    dimension: str
    value: float

    @property
    def known(self) -> bool:
        return not self.dimension.startswith("unit:")


def _unit_key(unit: str) -> str:
    return " ".join(unit.split()).casefold()


def quantity(value: float, unit: str) -> Quantity:
    """``value`` in ``unit`` as a :class:`Quantity` (see :data:`UNITS`; ISO 8601 durations are units too:
    ``4`` in ``PT1H`` is 240 minutes)."""
    key = _unit_key(unit)
    if key in UNITS:
        dimension, factor = UNITS[key]
        return Quantity(dimension, float(value) * factor)
    minutes = duration_minutes(key)
    if minutes is not None:
        return Quantity("duration", float(value) * minutes)
    return Quantity(f"unit:{key}", float(value))


def _in_unit(q: Quantity, unit: str) -> float:
    """``q`` expressed in ``unit`` (the inverse of :func:`quantity`)."""
    base = quantity(1.0, unit).value
    return q.value / base if base else q.value


def _meets(actual: float, threshold: float, comparison: str) -> bool:
    if comparison == "at_most":
        return actual <= threshold + _EPS
    return actual >= threshold - _EPS


@dataclass(frozen=True)
class Supporter:
    """One underpinning target stated to support one customer target.

    ``value`` is converted to the customer target's unit (None when the units cannot be compared);
    ``aligned`` says whether this target on its own is at least as strict as the customer's.
    """

    underpinning: str
    underpinning_kind: str
    target: str
    target_index: int  # position in the underpinning's targets (for locating findings)
    supports_index: int  # position in that target's supports
    comparison: str
    written_value: float
    written_unit: str
    value: float | None
    standby: bool
    aligned: bool


@dataclass(frozen=True)
class TargetAlignment:
    """One customer SLA target against the targets that support it.

    ``combined`` is the figure of the supporters in series (those not on standby), in the
    customer's unit: the product of availabilities, or the sum of times; None when fewer than
    two are in series or the target is neither (each supporter is then compared on its own).
    """

    sla: str
    sla_target: str
    target_index: int
    metric: str
    unit: str
    comparison: str
    customer_value: float
    supporters: tuple[Supporter, ...]
    mode: Literal["product", "sum"] | None
    combined: float | None

    @property
    def weaker(self) -> tuple[Supporter, ...]:
        """Supporters that on their own promise less than the customer target."""
        return tuple(s for s in self.supporters if s.value is not None and not s.aligned)

    @property
    def series(self) -> tuple[Supporter, ...]:
        return tuple(s for s in self.supporters if not s.standby and s.value is not None)

    @property
    def chain_aligned(self) -> bool:
        """True unless the supporters in series, combined, miss the customer target."""
        return self.combined is None or _meets(self.combined, self.customer_value, self.comparison)

    @property
    def aligned(self) -> bool:
        return not self.weaker and self.chain_aligned


ProblemCode = Literal["supports-unknown", "supports-unlisted", "unit-unknown", "supports-incompatible"]


@dataclass(frozen=True)
class Problem:
    """Something that stops a stated pair from being compared, located in a record (id and field path)."""

    code: ProblemCode
    record: str
    path: tuple[str | int, ...]
    message: str


@dataclass(frozen=True)
class Alignment:
    """Every supported customer target, the entries that could not be compared, and the
    (SLA, underpinning) pairs where the SLA names an underpinning none of whose targets supports it."""

    targets: tuple[TargetAlignment, ...]
    problems: tuple[Problem, ...]
    unstated: tuple[tuple[str, str], ...]

    def of_sla(self, sla_id: str) -> tuple[TargetAlignment, ...]:
        return tuple(t for t in self.targets if t.sla == sla_id)


def _fmt(value: float) -> str:
    return f"{round(value, 4):g}"


def _entries(index: Index) -> dict[tuple[str, str], list[tuple[Any, int, Any, int]]]:
    """(SLA id, target key) -> [(underpinning record, target index, target, supports index)]."""
    out: dict[tuple[str, str], list[tuple[Any, int, Any, int]]] = {}
    for kind in UNDERPINNING_KINDS:
        for loaded in index.of_kind(kind):
            under = loaded.record
            if under.status == "retired":
                continue
            for ti, target in enumerate(under.targets):
                # The same entry written twice is one component, not two in series.
                for si, ref in enumerate(target.supports):
                    if ref in target.supports[:si]:
                        continue
                    sla_id, _, key = ref.partition("#")
                    out.setdefault((sla_id, key), []).append((under, ti, target, si))
    return out


def supplier_alignment(index: Index) -> Alignment:
    """Compare every stated (underpinning target, customer SLA target) pair, and each SLA target's series."""
    entries = _entries(index)
    # (SLA id, underpinning id) pairs some supports entry names, valid target key or not.
    named = {(sla_id, under.id) for (sla_id, _), found in entries.items() for under, *_ in found}
    problems: list[Problem] = []
    # Unknown SLA ids and target keys first, so they are reported whatever the SLA says.
    for (sla_id, key), found in sorted(entries.items()):
        sla = index.get(sla_id)
        if sla is None or sla.kind != "sla":
            what = (Msg("supports-unknown", "'{sla}' is not a known SLA", sla=sla_id) if sla is None else
                    Msg("supports-unknown.kind", "'{sla}' is a {kind}, not an SLA", sla=sla_id,
                        kind=Term(sla.kind, f"kind.{sla.kind}")))
            for under, ti, _, si in found:
                problems.append(Problem("supports-unknown", under.id, ("targets", ti, "supports", si), what))
            continue
        if not any(t.id == key for t in sla.targets):
            keys = ", ".join(t.id for t in sla.targets) or Msg("none", "none")
            for under, ti, _, si in found:
                problems.append(Problem("supports-unknown", under.id, ("targets", ti, "supports", si),
                                        Msg("supports-unknown.target", "{sla} has no target '{key}' (its targets: "
                                            "{keys})", sla=sla_id, key=key, keys=keys)))
    reported_units: set[tuple[str, int]] = set()
    targets: list[TargetAlignment] = []
    unstated: list[tuple[str, str]] = []
    for loaded in index.of_kind("sla"):
        sla = loaded.record
        if sla.status == "retired":
            continue
        listed = set(sla.underpinned_by)
        standby = set(sla.standby)
        for pos, ct in enumerate(sla.targets):
            found = entries.get((sla.id, ct.id), [])
            customer = quantity(ct.target, ct.unit)
            supporters: list[Supporter] = []
            for under, ti, st, si in found:
                if under.id not in listed:
                    problems.append(Problem(
                        "supports-unlisted", under.id, ("targets", ti, "supports", si),
                        Msg("supports-unlisted", "supports {sla} '{target}', but {sla} does not list {under} in "
                            "underpinned_by: add it there, or remove this entry", sla=sla.id, target=ct.id,
                            under=under.id)))
                    continue
                theirs = quantity(st.target, st.unit)
                value: float | None = None
                if theirs.dimension != customer.dimension:
                    if not theirs.known:
                        if (under.id, ti) not in reported_units:
                            reported_units.add((under.id, ti))
                            problems.append(Problem("unit-unknown", under.id, ("targets", ti, "unit"),
                                                    _unknown_unit(st.unit)))
                    elif not customer.known:
                        if (sla.id, pos) not in reported_units:
                            reported_units.add((sla.id, pos))
                            problems.append(Problem("unit-unknown", sla.id, ("targets", pos, "unit"),
                                                    _unknown_unit(ct.unit, st.unit)))
                    else:
                        problems.append(Problem(
                            "supports-incompatible", under.id, ("targets", ti, "supports", si),
                            Msg("supports-incompatible.unit", "'{target}' is measured in '{unit}' ({dim}), {sla} "
                                "'{sla_target}' in '{sla_unit}' ({sla_dim}): one cannot support the other",
                                target=st.id, unit=st.unit, dim=_dim(theirs), sla=sla.id, sla_target=ct.id,
                                sla_unit=ct.unit, sla_dim=_dim(customer))))
                elif st.comparison != ct.comparison:
                    problems.append(Problem(
                        "supports-incompatible", under.id, ("targets", ti, "supports", si),
                        Msg("supports-incompatible.comparison", "'{target}' is {comparison}, {sla} '{sla_target}' "
                            "is {sla_comparison}: one promises a floor, the other a ceiling", target=st.id,
                            comparison=_comparison(st.comparison), sla=sla.id, sla_target=ct.id,
                            sla_comparison=_comparison(ct.comparison))))
                else:
                    value = _in_unit(theirs, ct.unit)
                aligned = value is not None and _meets(value, float(ct.target), ct.comparison)
                supporters.append(Supporter(under.id, under.kind, st.id, ti, si, st.comparison,
                                            float(st.target), st.unit, value, under.id in standby, aligned))
            if not supporters:
                continue
            mode, combined = _combine(ct, customer, supporters)
            targets.append(TargetAlignment(sla.id, ct.id, pos, ct.metric, ct.unit, ct.comparison,
                                           float(ct.target), tuple(supporters), mode, combined))
        for uid in dict.fromkeys(sla.underpinned_by):
            under = index.get(uid)
            if (under is not None and under.kind in UNDERPINNING_KINDS and under.status != "retired"
                    and under.targets and (sla.id, uid) not in named):
                unstated.append((sla.id, uid))
    return Alignment(tuple(targets), tuple(problems), tuple(unstated))


def _combine(ct: Any, customer: Quantity, supporters: Sequence[Supporter]) -> tuple[Literal["product", "sum"] | None, float | None]:
    series = [s.value for s in supporters if not s.standby and s.value is not None]
    if len(series) < 2:
        return None, None
    if customer.dimension == "percent" and ct.metric == "availability" and ct.comparison == "at_least":
        return "product", 100.0 * math.prod(v / 100.0 for v in series)
    if customer.dimension == "duration" and ct.comparison == "at_most":
        return "sum", math.fsum(series)
    return None, None


def _dim(q: Quantity) -> Msg:
    if q.dimension == "percent":
        return Msg("dimension.percent", "a percentage")
    if q.dimension == "duration":
        return Msg("dimension.duration", "a time")
    return Msg("dimension.unknown", "an unknown unit")


def _comparison(comparison: str) -> Msg:
    """'at least' / 'at most' (as a finding says it)."""
    if comparison == "at_least":
        return Msg("at-least", "at least")
    if comparison == "at_most":
        return Msg("at-most", "at most")
    return Msg("comparison.other", "{comparison}", comparison=comparison.replace("_", " "))


def _unknown_unit(unit: str, other: str | None = None) -> Msg:
    what = (Msg("unit-unknown.supporting", "'{other}' targets that support it", other=other) if other
            else Msg("unit-unknown.supported", "the SLA target it supports"))
    return Msg("unit-unknown", "unit '{unit}' is not known, so this target cannot be compared with {what}; known "
               "units: {units}", unit=unit, what=what, units=KNOWN_UNITS)


# The units a target may be written in (as written: they are values, not words of a sentence).
KNOWN_UNITS = "%, percent, persen; min, minutes, menit; h, hours, jam; d, days, hari; ISO 8601 durations such as PT1H"


def written(s: Supporter, unit: str) -> str:
    """``99.95 %``, or ``4 jam (= 4 hours)`` when written in another unit than the customer's ``unit``."""
    shown = f"{_fmt(s.written_value)} {s.written_unit}"
    if s.value is not None and _unit_key(s.written_unit) != _unit_key(unit):
        shown += f" (= {_fmt(s.value)} {unit})"
    return shown


def describe(s: Supporter, unit: str) -> str:
    """``SC-ISP 'avail' 99.95 %``: the supporter and its value (see :func:`written`)."""
    return f"{s.underpinning} '{s.target}' {written(s, unit)}"
