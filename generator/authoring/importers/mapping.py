"""Import mappings: how one tool's export becomes records.

A mapping is a YAML file. The tool ships one per supported export (a *preset*, in
``generator/data/import_presets/``); a user's own mapping names a preset in ``extends:`` and
changes only what differs (their host names, organisations, owner), because mappings are merged
key by key: a mapping's ``outputs.complaints.fields.customer.map`` replaces just that map.

The mapping's shape is checked here (pydantic, unknown keys refused) and every problem is given as
``mapping-file:line: path: message``; what the values mean (columns, kinds, fields) is checked when
the mapping is compiled against an export (``mapper.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...content.loader import format_path
from ...content.resources import DATA
from ...content.yamldoc import parse

__all__ = ["Coverage", "GapSpec", "Mapping", "MappingError", "Output", "list_presets", "load_mapping", "preset_path"]

PRESETS = DATA / "import_presets"


class MappingError(Exception):
    """The mapping cannot be used; ``problems`` are lines for the user (file:line: path: message)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A field spec is written as a template string ("{Summary}", "Zabbix: {Problem}"), a constant
# (false, 3, "Planned maintenance") or a mapping of options; see mapper.compile_spec.
Spec = Any
# A condition on a column: a list of accepted values, or {in, not, matches, empty}.
Condition = Any


class Output(_Strict):
    """One kind of record made from the export's rows."""

    kind: str = Field(description="Record kind written, e.g. outage, complaint, workload_report.")
    enabled: bool = Field(default=True, description="false leaves this output out (a preset's optional part).")
    where: dict[str, Condition] = Field(default_factory=dict,
                                        description="Only rows meeting every condition become records.")
    source_id: str | None = Field(default=None, description="Template of the row's identifier in the tool.")
    id: str | None = Field(default=None, description="Template of the record id; {source_id}, {source_hash}, "
                           "{date} (YYYYMMDD) and {month} (YYYY-MM) are available besides the columns.")
    each: str | None = Field(default=None, description="JSON only: one record per element of this list, whose "
                             "values are {each.name} and so on.")
    fields: dict[str, Spec] = Field(default_factory=dict, description="Record field -> how to fill it.")
    defaults: dict[str, Any] = Field(default_factory=dict,
                                     description="Fields set when a record is created (owner, status, ...).")
    aggregate: Literal["count", "results", "survey"] | None = Field(
        default=None, description="count: rows counted per group and month (workload reports); results: one "
        "result per row, grouped (SLA reports); survey: one response per row (satisfaction surveys).")
    group: dict[str, Spec] = Field(default_factory=dict, description="Aggregates: fields whose values make a group.")
    time: Spec = Field(default=None, description="count: the row's date (its month is counted); survey: the "
                       "response time (the record's date is the latest).")
    metric: str | None = Field(default=None, description="count: the workload metric, e.g. tickets.")
    item: dict[str, Spec] = Field(default_factory=dict, description="results: one entry of results per row.")
    questions: dict[str, Spec] = Field(default_factory=dict, description="survey: question -> the answer column.")
    scale_max: float = Field(default=5, description="survey: the highest answer, e.g. 5.")
    segment: Spec = Field(default=None, description="survey: the segment a response belongs to.")
    segments: dict[str, int] = Field(default_factory=dict, description="survey: segment name -> population.")


class GapSpec(_Strict):
    """Rows that mean monitoring itself stopped: gaps in the coverage, not outages."""

    where: dict[str, Condition]
    services: Spec = None
    start: Spec
    end: Spec
    reason: Spec


class Coverage(_Strict):
    """What a monitoring export covered: which services, described how; the period comes from --period."""

    source: str = Field(description="Text for monitoring_coverage.source, e.g. 'Zabbix 7.0 problem export'.")
    services: list[str] | None = Field(default=None, description="Services covered; default every service the "
                                       "outputs' service maps name.")
    id: str = "MON-{service}-{start}-{end}"
    gaps: GapSpec | None = None


class Mapping(_Strict):
    """One export format and how its rows become records."""

    extends: str | None = Field(default=None, description="Preset this mapping adapts.")
    title: str = Field(default="", description="What export this reads, for people.")
    format_version: str = Field(default="", description="Which version of the tool's export format this follows.")
    system: str = Field(description="Name kept in every record's imported_from.system, e.g. zabbix.")
    format: Literal["csv", "json", "jsonl"] = "csv"
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    items: list[str] = Field(default_factory=lambda: [""], description="JSON: paths of the arrays to read.")
    timezone: str = Field(default="+07:00", description="Zone of times written without one.")
    date_formats: list[str] = Field(default_factory=list, description="strptime-style formats, tried in order.")
    personal_columns: list[str] = Field(default_factory=list, description="Columns holding personal data.")
    copy_personal_data: bool = Field(default=False, description="true lets personal data into records.")
    defaults: dict[str, Any] = Field(default_factory=dict, description="Fields every new record gets.")
    outputs: dict[str, Output] = Field(default_factory=dict)
    coverage: Coverage | None = None


def preset_path(name: str) -> Path | None:
    """The shipped preset called ``name``, if there is one."""
    path = PRESETS / f"{name}.yaml"
    return path if path.is_file() else None


def list_presets() -> list[tuple[str, str]]:
    """(name, title) of every shipped preset, sorted by name."""
    out = []
    for path in sorted(PRESETS.glob("*.yaml")):
        doc = parse(path.read_text(encoding="utf-8"), positions=False)
        title = doc.value.get("title", "") if isinstance(doc.value, dict) else ""
        out.append((path.stem, str(title)))
    return out


def _read(path: Path, shown: str) -> tuple[dict[str, Any], Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError([f"{shown}: cannot be read: {exc}"]) from None
    doc = parse(text)
    if doc.problems:
        raise MappingError([f"{shown}:{p.line}:{p.col}: {p.message}" for p in doc.problems])
    if not isinstance(doc.value, dict):
        raise MappingError([f"{shown}:1: a mapping file holds a mapping of options (system, format, outputs, ...)"])
    return doc.value, doc


def _merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: mappings merged key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def load_mapping(source: str, mapping_file: Path | None = None) -> Mapping:
    """The mapping for ``source`` (a preset name, or 'generic' with ``mapping_file``), with
    ``mapping_file`` merged over the preset it extends. Raises MappingError with every problem."""
    layers: list[tuple[dict[str, Any], Any, str]] = []
    if mapping_file is not None:
        data, doc = _read(mapping_file, str(mapping_file))
        layers.append((data, doc, str(mapping_file)))
        base = data.get("extends") or (source if preset_path(source) else None)
    else:
        base = source
    seen: set[str] = set()
    while base:
        if not isinstance(base, str) or base in seen:
            raise MappingError([f"extends: '{base}' is not a preset name (or preset extends itself)"])
        seen.add(base)
        path = preset_path(base)
        if path is None:
            known = ", ".join(name for name, _ in list_presets())
            raise MappingError([f"'{base}' is not a preset (known: {known}); give your own mapping with --mapping"])
        data, doc = _read(path, f"preset {base}")
        layers.append((data, doc, f"preset {base} ({path.name})"))
        base = data.get("extends")
    merged: dict[str, Any] = {}
    for data, _, _ in reversed(layers):
        merged = _merge(merged, data)
    try:
        return Mapping.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            where = _where(loc, layers)
            problems.append(f"{where}: {format_path(loc)}: {err['msg']}")
        raise MappingError(problems) from None


def _where(loc: tuple[Any, ...], layers: list[tuple[dict[str, Any], Any, str]]) -> str:
    """The file (and line) that wrote the value at ``loc``: the topmost layer that has it."""
    for _, doc, shown in layers:
        path = loc
        while path:
            if path in doc.value_pos:
                return f"{shown}:{doc.value_pos[path][0]}"
            path = path[:-1]
    return layers[0][2] if layers else "mapping"
