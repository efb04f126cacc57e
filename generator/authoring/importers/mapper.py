"""From rows to record values: the mapping compiled against an export, applied row by row.

Pure: no files are read or written here. ``compile_mapping`` checks what the mapping means (record
kinds and fields, columns the export has, personal data) and returns a :class:`Compiled` whose
outputs turn a :class:`~generator.authoring.importers.readers.Row` into :class:`Produced` records (or a
:class:`RowProblem`); aggregate outputs collect rows and produce their records at the end.

Field specs, as a mapping writes them:

- ``"{Summary}"`` or ``"Zabbix: {Problem} on {Host}"``: a template over the row's columns (a JSON
  path such as ``{labels.alertname}`` for JSON exports); ``"Planned maintenance"``, ``false``, ``3``:
  constants.
- a list of specs: a list field, each spec one or more entries.
- a mapping with ``column`` (or a list of columns, the first one not empty), ``template`` or
  ``value``, and options: ``type`` (text, datetime, date, month, epoch, bool, int, number, list),
  ``map`` (source value -> record value, compared without case), ``map_other`` (what an unmapped
  value does: error, skip the row, omit the field, keep it), ``default`` (for an empty value),
  ``blank`` (more texts that mean empty), ``when``/``unless`` (conditions on columns for the field to
  be set), ``split`` (list type: a separator), ``pluck`` (list type: take this key of each JSON
  object), ``matches`` (bool type: a regular expression), ``leading`` (number type: the number a
  text starts with, '5 - Very satisfied'), ``max_length`` (text cut to this length).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import typing
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ...content.models import KINDS, Record
from ...content.models.imported import hand_fields, import_spec_of
from .mapping import Coverage, Mapping, Output
from .readers import Row
from .values import (
    DateTimeParser,
    ValueProblem,
    clean_text,
    parse_bool,
    parse_epoch,
    parse_number,
    parse_timezone,
    redact_personal,
)

__all__ = [
    "Compiled",
    "Produced",
    "RowProblem",
    "RowProblems",
    "compile_mapping",
]

class RowProblem(Exception):
    """What is wrong with one row: the column (or field) and the message."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


class RowProblems(Exception):
    """Everything wrong with one row (one RowProblem per field)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class SkipRow(Exception):
    """The row is not for this output (an unmapped value the mapping says to skip)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_OMIT = object()


@dataclass
class Produced:
    """A record made from the export: its kind, identifier in the tool, values, and where it came from."""

    kind: str
    source_id: str
    record: dict[str, Any]   # id, kind, title, the kind's fields (no imported_from yet)
    line: int                # first row it came from (0 for records made at the end)
    labels: dict[str, str]   # field -> column, for messages
    month: str               # YYYY-MM of the kind's month field: the file it goes to
    output: str


# --------------------------------------------------------------------------- reading values


def get_value(values: Any, name: str) -> Any:
    """A column of a CSV row, or a member (dotted path, list positions as numbers) of a JSON object.

    ``Name*`` is every column of that name (Jira writes ``Labels`` once per label): a list of the
    ones not empty."""
    if isinstance(values, dict) and name in values:
        return values[name]
    if name.endswith("*") and isinstance(values, dict):
        base = name[:-1]
        return [v for k, v in values.items() if (k == base or k.startswith(base + "[")) and str(v).strip()]
    if "." not in name:
        return None
    current = values
    for part in name.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def getter(name: str) -> Callable[[Any], Any]:
    """``get_value(values, name)`` with the name taken apart once (it runs for every row)."""
    if name.endswith("*"):
        return lambda values: get_value(values, name)
    if "." not in name:
        def plain(values: Any) -> Any:
            return values.get(name) if type(values) is dict else None
        return plain
    parts = tuple(int(p) if p.isdigit() else p for p in name.split("."))

    def path(values: Any) -> Any:
        if type(values) is dict and name in values:
            return values[name]
        current = values
        for part in parts:
            if type(current) is dict:
                current = current.get(part) if type(part) is str else current.get(str(part))
            elif type(current) is list and type(part) is int and part < len(current):
                current = current[part]
            else:
                return None
        return current
    return path


def _is_empty(value: Any, nulls: frozenset[str]) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        s = value.strip()
        return not s or s in nulls
    if isinstance(value, (list, dict)):
        return not value
    return False


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


class Template:
    """``"text {Column} text"``: placeholders are columns; ``{{`` and ``}}`` are literal braces."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.parts: list[tuple[bool, str]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            if m.start() > pos:
                self.parts.append((False, text[pos:m.start()]))
            if m.group(0) in ("{{", "}}"):
                self.parts.append((False, m.group(0)[0]))
            else:
                self.parts.append((True, m.group(1).strip()))
            pos = m.end()
        if pos < len(text):
            self.parts.append((False, text[pos:]))
        self.columns = [name for is_col, name in self.parts if is_col]
        self.single = len(self.parts) == 1 and self.parts[0][0]
        self.getters = [(getter(name) if is_col else None, name) for is_col, name in self.parts]

    def render(self, values: Any, extra: dict[str, Any] | None = None) -> Any:
        """The filled text; a template that is one placeholder gives the value itself (a JSON list stays a list)."""
        if extra is None:
            if self.single:
                return self.getters[0][0](values)  # type: ignore[misc]
            out = []
            for get, name in self.getters:
                if get is not None:
                    found = get(values)
                    out.append(found if type(found) is str else _as_text(found))
                else:
                    out.append(name)
            return "".join(out)

        def lookup(name: str) -> Any:
            if extra is not None and name in extra:
                return extra[name]
            return get_value(values, name)

        if self.single:
            return lookup(self.parts[0][1])
        return "".join(_as_text(lookup(name)) if is_col else name for is_col, name in self.parts)


# --------------------------------------------------------------------------- conditions


class Condition:
    """A test on one column: accepted values, values refused, a regular expression, emptiness."""

    def __init__(self, column: str, spec: Any, where: str) -> None:
        self.column = column
        self.get = getter(column)
        self.accept: frozenset[str] | None = None
        self.refuse: frozenset[str] = frozenset()
        self.pattern: re.Pattern[str] | None = None
        self.empty: bool | None = None
        if isinstance(spec, list):
            self.accept = frozenset(_as_text(v).strip().lower() for v in spec)
        elif isinstance(spec, dict):
            unknown = set(spec) - {"in", "not", "matches", "empty"}
            if unknown:
                raise ValueError(f"{where}: unknown condition '{sorted(unknown)[0]}' (in, not, matches, empty)")
            if "in" in spec:
                self.accept = frozenset(_as_text(v).strip().lower() for v in _listed(spec["in"]))
            self.refuse = frozenset(_as_text(v).strip().lower() for v in _listed(spec.get("not", [])))
            if "matches" in spec:
                try:
                    self.pattern = re.compile(str(spec["matches"]), re.IGNORECASE)
                except re.error as exc:
                    raise ValueError(f"{where}: matches: not a regular expression: {exc}") from None
            if "empty" in spec:
                self.empty = bool(spec["empty"])
        else:
            self.accept = frozenset({_as_text(spec).strip().lower()})

    def __call__(self, values: Any) -> bool:
        raw = self.get(values)
        # an object is not a value a condition compares (Alertmanager's status is one in the API, a
        # word in webhook payloads)
        text = raw.strip() if type(raw) is str else "" if type(raw) is dict else _as_text(raw).strip()
        if self.empty is not None and (not text) != self.empty:
            return False
        low = text.lower()
        if self.accept is not None and low not in self.accept:
            return False
        if low in self.refuse:
            return False
        return not (self.pattern is not None and not self.pattern.search(text))


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _conditions(spec: dict[str, Any] | None, where: str) -> list[Condition]:
    if not spec:
        return []
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: conditions are a mapping of column -> accepted values")
    return [Condition(str(col), cond, f"{where}.{col}") for col, cond in spec.items()]


# --------------------------------------------------------------------------- field specs

_FAST = frozenset({"text", "datetime", "date", "month", "bool", "int", "number"})
_TYPES = ("text", "datetime", "date", "month", "epoch", "bool", "int", "number", "list", "raw")
_SPEC_KEYS = {"column", "template", "value", "type", "map", "map_other", "default", "blank", "when", "unless", "split",
              "pluck", "matches", "leading", "max_length"}


@dataclass
class CompileContext:
    """What compiling specs needs: date parsing, personal columns, where problems are reported."""

    dates: DateTimeParser
    zone: dt.tzinfo
    personal: frozenset[str]
    copy_personal: bool
    columns: set[str] = field(default_factory=set)  # every column a spec reads
    any_of: list[tuple[str, ...]] = field(default_factory=list)  # column lists: one of them is enough

    def need(self, columns: Iterable[str]) -> None:
        """Columns the export must have (``each.`` values come from JSON lists, not columns)."""
        self.columns.update(c for c in columns if not c.startswith("each."))


class FieldSpec:
    """One compiled field spec: ``spec(values)`` gives the value, ``_OMIT``, or raises RowProblem / SkipRow."""

    def __init__(self, spec: Any, ctx: CompileContext, where: str, name: str) -> None:
        self.where = where
        self.name = name
        self.constant: Any = _OMIT
        self.sources: list[Template] = []
        self.type = "text"
        self.map: dict[str, Any] | None = None
        self.map_other = "error"
        self.default: Any = _OMIT
        self.nulls: frozenset[str] = frozenset()
        self.when: list[Condition] = []
        self.unless: list[Condition] = []
        self.split: str | None = None
        self.pluck: str | None = None
        self.pattern: re.Pattern[str] | None = None
        self.leading = False
        self.max_length: int | None = None
        self.dates = ctx.dates
        self.zone = ctx.zone
        self.redact = not ctx.copy_personal
        if isinstance(spec, dict):
            self._options(spec, ctx)
        elif isinstance(spec, str) and "{" in spec:
            self.sources = [Template(spec)]
        else:
            self.constant = spec
        columns = [c for t in self.sources for c in t.columns]
        if len(self.sources) > 1:
            ctx.any_of.append(tuple(columns))
        else:
            ctx.need(columns)
        self.label = columns[0] if columns else name
        personal = [c for c in columns if c in ctx.personal]
        if personal and not ctx.copy_personal and (self.map is None or self.map_other == "keep"):
            raise ValueError(f"{where}: column '{personal[0]}' holds personal data (personal_columns): it is only "
                             "read through a map to record ids, unless the mapping sets copy_personal_data: true")
        self._fast = self._fast_path()

    def _fast_path(self) -> Callable[[Any], Any] | None:
        """A shorter way for the common spec (one column read as text, a date or through a map), or None.

        The general ``__call__`` handles everything; this only skips its checks for the shapes most
        rows of a large export go through. Anything unusual falls back to the general path."""
        if (self.constant is not _OMIT or len(self.sources) != 1 or self.when or self.unless
                or self.pattern is not None or self.type not in _FAST):
            return None
        nulls, default, mapped, general = self.nulls, self.default, self.map, self._general
        convert = self._converter()
        missing = object()
        template = self.sources[0]
        if not template.single:
            if mapped is not None or self.type != "text" or any(
                    is_col and name.endswith("*") for is_col, name in template.parts):
                return None
            getters = template.getters

            def fast_template(values: Any) -> Any:
                out = []
                for get, name in getters:
                    if get is None:
                        out.append(name)
                    else:
                        found = get(values)
                        out.append(found if type(found) is str else _as_text(found))
                text = "".join(out).strip()
                if not text or text in nulls:
                    return default
                return convert(text)

            return fast_template
        get = template.getters[0][0]
        assert get is not None

        def fast(values: Any) -> Any:
            raw = get(values)
            if type(raw) is not str:
                return general(values, None)
            text = raw.strip()
            if not text or text in nulls:
                return default
            if mapped is not None:
                found = mapped.get(text.lower(), missing)
                if found is not missing:
                    return found
                return general(values, None)
            return convert(text)

        return fast

    def _converter(self) -> Callable[[str], Any]:
        if self.type == "datetime":
            dates = self.dates
            # The commonest export form, '2026-03-05 14:30:00' in a fixed-offset zone, only needs checking
            # and the offset appended; anything else goes through the parser.
            suffix = (dt.datetime(2000, 1, 1, tzinfo=self.zone).isoformat()[19:]
                      if isinstance(self.zone, dt.timezone) and dates.iso_first else None)

            def to_datetime(text: str) -> Any:
                if (suffix is not None and len(text) == 19 and text[10] in " T" and text[4] == "-"
                        and text[13] == ":"):
                    try:
                        dt.datetime.fromisoformat(text)
                    except ValueError:
                        pass
                    else:
                        return f"{text[:10]}T{text[11:]}{suffix}"
                try:
                    return dates(text).isoformat()
                except ValueProblem as exc:
                    raise RowProblem(self.label, str(exc)) from None
            return to_datetime
        if self.type == "text":
            redact, limit = self.redact, self.max_length

            def to_text(text: str) -> Any:
                text = clean_text(text)
                if redact:
                    text = redact_personal(text)
                if limit and len(text) > limit:
                    text = text[: limit - 1].rstrip() + "…"
                return text if text else self.default
            return to_text
        return self._convert

    def _options(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        unknown = set(spec) - _SPEC_KEYS
        if unknown:
            raise ValueError(f"{self.where}: unknown option '{sorted(unknown)[0]}' (known: {', '.join(sorted(_SPEC_KEYS))})")
        if "column" in spec:
            self.sources = [Template("{" + str(c).replace("{", "{{").replace("}", "}}") + "}")
                            for c in _listed(spec["column"])]
        elif "template" in spec:
            self.sources = [Template(str(spec["template"]))]
        elif "value" in spec:
            self.constant = spec["value"]
        else:
            raise ValueError(f"{self.where}: give column, template or value")
        self.type = str(spec.get("type", "text"))
        if self.type not in _TYPES:
            raise ValueError(f"{self.where}: type '{self.type}' is not one of {', '.join(_TYPES)}")
        if "map" in spec:
            if not isinstance(spec["map"], dict):
                raise ValueError(f"{self.where}: map is a mapping of source value -> record value")
            self.map = {_as_text(k).strip().lower(): v for k, v in spec["map"].items()}
        self.map_other = str(spec.get("map_other", "error"))
        if self.map_other not in ("skip", "omit", "keep", "error"):
            raise ValueError(f"{self.where}: map_other is error, skip, omit or keep")
        if "default" in spec:
            self.default = spec["default"]
        self.nulls = frozenset(_as_text(v).strip() for v in _listed(spec.get("blank", [])))
        self.when = _conditions(spec.get("when"), f"{self.where}.when")
        self.unless = _conditions(spec.get("unless"), f"{self.where}.unless")
        ctx.need(cond.column for cond in (*self.when, *self.unless))
        self.split = spec.get("split")
        self.pluck = spec.get("pluck")
        if "matches" in spec:
            self.pattern = re.compile(str(spec["matches"]), re.IGNORECASE)
        self.leading = bool(spec.get("leading", False))
        self.max_length = spec.get("max_length")

    def __call__(self, values: Any, extra: dict[str, Any] | None = None) -> Any:
        if self._fast is not None and extra is None:
            return self._fast(values)
        return self._general(values, extra)

    def _general(self, values: Any, extra: dict[str, Any] | None = None) -> Any:
        if self.when and not all(c(values) for c in self.when):
            return _OMIT
        if self.unless and any(c(values) for c in self.unless):
            return _OMIT
        if self.constant is not _OMIT:
            return self.constant
        raw: Any = None
        if len(self.sources) == 1:
            raw = self.sources[0].render(values, extra)
        else:
            for source in self.sources:
                raw = source.render(values, extra)
                if not _is_empty(raw, self.nulls):
                    break
        if _is_empty(raw, self.nulls):
            if self.pattern is not None:
                return False
            return self.default
        if type(raw) is str and self.map is None and self.pattern is None and self.type in _FAST:
            return self._convert(raw)
        if self.pattern is not None:
            return any(self.pattern.search(_as_text(item)) for item in (raw if isinstance(raw, list) else [raw]))
        if self.type == "list" or isinstance(raw, list):
            items = raw if isinstance(raw, list) else [raw]
            if self.split is not None:
                items = [part for item in items for part in _as_text(item).split(self.split)]
            if self.pluck is not None:
                items = [item.get(self.pluck) if isinstance(item, dict) else item for item in items]
            out = []
            for item in items:
                if _is_empty(item, self.nulls):
                    continue
                value = self._one(item)
                if value is _OMIT:
                    continue
                for v in value if isinstance(value, list) else [value]:
                    if v not in out:
                        out.append(v)
            return out if out else self.default
        return self._one(raw)

    def _one(self, raw: Any) -> Any:
        if self.map is not None:
            key = _as_text(raw).strip().lower()
            if key in self.map:
                return self.map[key]
            if self.map_other == "skip":
                raise SkipRow(f"{self.label} '{_as_text(raw).strip()}' is not in the map of {self.name}")
            if self.map_other == "omit":
                return self.default
            if self.map_other == "error":
                known = ", ".join(sorted(repr(k) for k in self.map)) or "none"
                raise RowProblem(self.label, f"'{_as_text(raw).strip()}' is not in the mapping's map for "
                                 f"{self.name} (known: {known})")
        return self._convert(raw)

    def _convert(self, raw: Any) -> Any:
        kind = self.type
        try:
            if kind in ("text", "list"):
                text = clean_text(_as_text(raw))
                if self.redact:
                    text = redact_personal(text)
                if self.max_length and len(text) > self.max_length:
                    text = text[: self.max_length - 1].rstrip() + "…"
                return text if text else self.default
            if kind == "raw":
                return raw
            if kind in ("datetime", "date", "month"):
                value = raw if isinstance(raw, dt.datetime) else self.dates(_as_text(raw))
                if kind == "datetime":
                    return value.isoformat()
                return value.date().isoformat() if kind == "date" else f"{value.year:04d}-{value.month:02d}"
            if kind == "epoch":
                return parse_epoch(_as_text(raw), self.zone).replace(microsecond=0).isoformat()
            if kind == "bool":
                return raw if isinstance(raw, bool) else parse_bool(_as_text(raw))
            if kind in ("int", "number"):
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    number: int | float = raw
                else:
                    number = parse_number(_as_text(raw), leading=self.leading)
                if kind == "int":
                    if isinstance(number, float) and not number.is_integer():
                        raise ValueProblem(f"'{raw}' is not a whole number")
                    return int(number)
                return number
        except ValueProblem as exc:
            raise RowProblem(self.label, str(exc)) from None
        raise AssertionError(kind)  # pragma: no cover - types are checked when compiled

    def map_values(self) -> list[Any]:
        """Every value the map gives (for a service map: the services an export covers)."""
        return list(self.map.values()) if self.map else ([self.constant] if self.constant is not _OMIT else [])


class ListSpec:
    """A YAML list of specs: a list field whose entries come from several specs."""

    def __init__(self, specs: list[Any], ctx: CompileContext, where: str, name: str) -> None:
        self.items = [FieldSpec(s, ctx, f"{where}[{i}]", name) for i, s in enumerate(specs)]
        self.label = next((i.label for i in self.items if i.label != name), name)

    def __call__(self, values: Any, extra: dict[str, Any] | None = None) -> Any:
        out: list[Any] = []
        for item in self.items:
            value = item(values, extra)
            if value is _OMIT or value is None:
                continue
            for v in value if isinstance(value, list) else [value]:
                if v not in out:
                    out.append(v)
        return out

    def map_values(self) -> list[Any]:
        return [v for i in self.items for v in i.map_values()]


def compile_spec(spec: Any, ctx: CompileContext, where: str, name: str) -> FieldSpec | ListSpec:
    """A field spec as the mapping wrote it, compiled (ValueError with the place when it is wrong)."""
    if isinstance(spec, list):
        return ListSpec(spec, ctx, where, name)
    return FieldSpec(spec, ctx, where, name)


# --------------------------------------------------------------------------- record ids

_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


def safe_id(text: str) -> str:
    """Text made into a record id: other characters become '-', no leading punctuation."""
    out = _NOT_ID.sub("-", text).strip("-._")
    return re.sub(r"-{2,}", "-", out)


def _field_kinds(model: type[Record]) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Reference fields of a kind: name -> (kinds it may name, is a list)."""
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        kinds = extra.get("x-ref")
        if kinds and name not in ("owner",):
            out[name] = (tuple(kinds), typing.get_origin(info.annotation) is list)  # type: ignore[arg-type]
    out["owner"] = (("person",), False)
    return out


REF_FIELDS = {kind: _field_kinds(model) for kind, model in KINDS.items()}


# --------------------------------------------------------------------------- outputs


def _month_of(value: Any) -> str:
    text = str(value)
    return text[:7] if re.match(r"^\d{4}-\d{2}", text) else ""


class RowOutput:
    """An output whose records are one per row (or per element of ``each``)."""

    aggregate = False

    def __init__(self, name: str, out: Output, mapping: Mapping, ctx: CompileContext) -> None:
        self.name = name
        self.kind = out.kind
        where = f"outputs.{name}"
        model = KINDS[out.kind]
        spec = import_spec_of(model)
        assert spec is not None
        self.month_field = spec.month_field
        self.where = _conditions(out.where, f"{where}.where")
        ctx.need(cond.column for cond in self.where)
        if not out.source_id:
            raise ValueError(f"{where}.source_id: needed: the template of the row's identifier in the tool")
        self.source_id = Template(out.source_id)
        ctx.need(self.source_id.columns)
        self.id = Template(out.id or "{source_id}")
        self.needs_hash = "source_hash" in self.id.columns
        self.each = out.each
        self.fields = _compile_fields(out.fields, out.kind, ctx, where)
        self.defaults = {**mapping.defaults, **out.defaults}
        self.labels = {name: f.label for name, f in self.fields.items()}

    def rows(self, values: Any) -> Iterable[Any]:
        if not self.each:
            yield values
            return
        elements = get_value(values, self.each)
        for element in elements if isinstance(elements, list) else []:
            yield {**values, "each": element} if isinstance(values, dict) else {"each": element}

    def accepts(self, values: Any) -> bool:
        return all(c(values) for c in self.where)

    def produce(self, row: Row) -> list[Produced]:
        """The records of one row (none when it is not for this output); RowProblem when it is wrong."""
        if not self.accepts(row.values):
            return []
        out = []
        for values in self.rows(row.values):
            record: dict[str, Any] = {}
            problems: list[RowProblem] = []
            try:
                for name, spec in self.fields.items():
                    try:
                        value = spec(values)
                    except RowProblem as exc:
                        problems.append(exc)
                        continue
                    if value is not _OMIT and value is not None and value != []:
                        record[name] = value
            except SkipRow:
                continue
            if problems:
                raise RowProblems(problems)
            source_id = clean_text(_as_text(self.source_id.render(values)))
            if not source_id:
                raise RowProblem(self.source_id.columns[0] if self.source_id.columns else "source_id",
                                 "the row has no identifier (source_id is empty)")
            out.append(self._finish(record, source_id, values, row.line))
        return out

    def _finish(self, record: dict[str, Any], source_id: str, values: Any, line: int) -> Produced:
        when = str(record.get(self.month_field, ""))
        month = when[:7] if len(when) >= 7 and when[4] == "-" else ""
        extra = {"source_id": source_id, "month": month, "date": when[:10].replace("-", "")}
        if self.needs_hash:
            extra["source_hash"] = hashlib.sha256(source_id.encode()).hexdigest()[:8]
        record_id = safe_id(_as_text(self.id.render(values, extra)))
        full = {"id": record_id, "kind": self.kind, **record}
        return Produced(self.kind, source_id, full, line, self.labels, month, self.name)


def _compile_fields(specs: dict[str, Any], kind: str, ctx: CompileContext,
                    where: str) -> dict[str, FieldSpec | ListSpec]:
    model = KINDS[kind]
    spec = import_spec_of(model)
    hand = hand_fields(model)
    out = {}
    for name, spec in specs.items():
        if name in ("id", "kind", "imported_from"):
            raise ValueError(f"{where}.fields.{name}: set by the import itself")
        if name not in model.model_fields:
            raise ValueError(f"{where}.fields.{name}: {kind} has no field '{name}'")
        if name in hand:
            raise ValueError(f"{where}.fields.{name}: kept by hand after an import; set its first value in "
                             "defaults instead (written when a record is created, never updated)")
        out[name] = compile_spec(spec, ctx, f"{where}.fields.{name}", name)
    return out


class AggregateOutput:
    """An output that collects rows and makes its records at the end (counts, results, survey answers)."""

    aggregate = True

    def __init__(self, name: str, out: Output, mapping: Mapping, ctx: CompileContext) -> None:
        self.name = name
        self.kind = out.kind
        self.mode = out.aggregate
        where = f"outputs.{name}"
        model = KINDS[out.kind]
        self.model = model
        self.where = _conditions(out.where, f"{where}.where")
        ctx.need(cond.column for cond in self.where)
        self.group = {k: compile_spec(v, ctx, f"{where}.group.{k}", k) for k, v in out.group.items()}
        # An aggregate's fields are filled from its group and month ({sla}, {month}), not from columns.
        self.fields = _compile_fields(out.fields, out.kind, dataclasses.replace(ctx, columns=set(), any_of=[]), where)
        self.defaults = {**mapping.defaults, **out.defaults}
        self.time = compile_spec(out.time, ctx, f"{where}.time", "time") if out.time is not None else None
        self.item = {k: compile_spec(v, ctx, f"{where}.item.{k}", k) for k, v in out.item.items()}
        self.questions = {q: compile_spec(v, ctx, f"{where}.questions.{q}", q) for q, v in out.questions.items()}
        self.segment = compile_spec(out.segment, ctx, f"{where}.segment", "segment") if out.segment else None
        self.segments = dict(out.segments)
        self.scale_max = out.scale_max
        self.metric = out.metric
        # Without a source_id template, a group's identifier is its group values (and month and metric).
        self.custom_source_id = bool(out.source_id)
        self.source_id = Template(out.source_id or name)
        self.id = Template(out.id or "{source_id}")
        if self.mode == "count" and (self.time is None or not self.metric or not self.group):
            raise ValueError(f"{where}: a count needs group (e.g. sla), time (the row's date) and metric")
        if self.mode == "results" and not self.item:
            raise ValueError(f"{where}: results need item (target, actual, note)")
        if self.mode == "survey" and not self.questions:
            raise ValueError(f"{where}: a survey needs questions")
        self.counts: Counter[tuple[tuple[Any, ...], str]] = Counter()
        self.first_line: dict[tuple[Any, ...], int] = {}
        self.results: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        self.result_lines: dict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
        self.sums: dict[str, list[float]] = {q: [0.0, 0] for q in self.questions}  # type: ignore[misc]
        self.segment_counts: Counter[str] = Counter()
        self.responses = 0
        self.latest: str | None = None
        self.labels = {k: s.label for k, s in {**self.group, **self.fields}.items()}

    def accepts(self, values: Any) -> bool:
        return all(c(values) for c in self.where)

    def add(self, row: Row) -> None:
        """Count or collect one row (RowProblem when it is wrong; rows not for this output are left out)."""
        values = row.values
        if not self.accepts(values):
            return
        try:
            key = tuple(_as_text(spec(values)) for spec in self.group.values())
            if self.mode == "count":
                assert self.time is not None
                when = self.time(values)
                if when is _OMIT or when is None:
                    raise RowProblem(self.time.label, "empty: the row's date is needed to count it in a month")
                self.counts[(key, _month_of(when))] += 1
                self.first_line.setdefault(key, row.line)
            elif self.mode == "results":
                entry = {}
                for name, spec in self.item.items():
                    value = spec(values)
                    if value is not _OMIT and value is not None:
                        entry[name] = value
                target = str(entry.get("target", ""))
                seen = self.result_lines[key]
                if target in seen:
                    raise RowProblem(self.item["target"].label if "target" in self.item else "target",
                                     f"'{target}' is reported twice for {' '.join(key)} (also on line {seen[target]})")
                seen[target] = row.line
                self.results[key].append(entry)
                self.first_line.setdefault(key, row.line)
            else:
                self.responses += 1
                for question, spec in self.questions.items():
                    answer = spec(values)
                    if answer is _OMIT or answer is None or answer == "":
                        continue
                    if not isinstance(answer, (int, float)) or isinstance(answer, bool):
                        raise RowProblem(spec.label, f"'{answer}' is not a score: give the question type: number")
                    if not 0 <= answer <= self.scale_max:
                        raise RowProblem(spec.label, f"{answer} is outside the scale 0..{self.scale_max:g}")
                    sums = self.sums[question]
                    sums[0] += answer
                    sums[1] += 1
                if self.segment is not None:
                    seg = self.segment(values)
                    if seg is not _OMIT and seg:
                        self.segment_counts[str(seg)] += 1
                if self.time is not None:
                    when = self.time(values)
                    if isinstance(when, str) and (self.latest is None or when > self.latest):
                        self.latest = when
                self.first_line.setdefault((), row.line)
        except SkipRow:
            return

    def produce(self, period: tuple[dt.date, dt.date] | None, notes: list[str]) -> list[Produced]:
        """The records of everything collected."""
        if self.mode == "count":
            return self._counts(period, notes)
        if self.mode == "results":
            return [self._record(dict(zip(self.group, key)) | {"results": entries}, key, self.first_line[key])
                    for key, entries in sorted(self.results.items())]
        if not self.responses:
            return []
        results = []
        for question, (total, n) in self.sums.items():
            if n:
                results.append({"question": question, "score": round(total / n, 2), "scale_max": self.scale_max})
        segments = [{"name": name, "population": population, "responses": self.segment_counts.get(name, 0)}
                    for name, population in self.segments.items()]
        values: dict[str, Any] = {"responses": self.responses, "results": results}
        if segments:
            values["segments"] = segments
        if self.latest and "date" not in self.fields:  # a date the mapping gives (the closing day) wins
            values["date"] = self.latest[:10]
        return [self._record(values, (), self.first_line.get((), 0))]

    def _counts(self, period: tuple[dt.date, dt.date] | None, notes: list[str]) -> list[Produced]:
        if period is None:
            if self.counts:
                notes.append(f"{self.name}: {self.kind} not written: give --period FROM..TO (the time the export "
                             "covers) to count whole months")
            return []
        whole = _whole_months(period)
        groups = sorted({key for key, _ in self.counts})
        out = []
        partial = sorted({m for _, m in self.counts if m not in whole})
        if partial:
            notes.append(f"{self.name}: not counted for {', '.join(partial)}: the month is not wholly inside "
                         f"--period {period[0]}..{period[1]}")
        for key in groups:
            for month in whole:
                n = self.counts.get((key, month), 0)
                values = dict(zip(self.group, key)) | {"period": month,
                                                       "actuals": [{"metric": self.metric, "value": n}]}
                out.append(self._record(values, key + (month,), self.first_line.get(key, 0)))
        return out

    def _record(self, values: dict[str, Any], key: tuple[Any, ...], line: int) -> Produced:
        month_field = import_spec_of(KINDS[self.kind]).month_field  # type: ignore[union-attr]
        names = {k: _as_text(v) for k, v in values.items() if not isinstance(v, (list, dict))}
        names["metric"] = self.metric or ""
        record: dict[str, Any] = {}
        for name, spec in self.fields.items():
            value = spec(names, names)
            if value is not _OMIT and value is not None and value != []:
                record[name] = value
        record.update(values)
        month = _month_of(record.get(month_field, ""))
        names["month"] = month
        if self.fields.get("title") is not None:  # the title may name the month
            title = self.fields["title"](names, names)
            if title is not _OMIT and title:
                record["title"] = title
        default_id = "|".join([*map(str, key)] + ([self.metric or ""] if self.mode == "count" else []))
        source_id = (clean_text(_as_text(self.source_id.render(names, names))) if self.custom_source_id
                     else default_id) or self.name
        extra = {**names, "source_id": source_id,
                 "source_hash": hashlib.sha256(source_id.encode()).hexdigest()[:8],
                 "date": str(record.get(month_field, ""))[:10].replace("-", "")}
        record_id = safe_id(_as_text(self.id.render(names, extra)))
        ordered = {"id": record_id, "kind": self.kind, **record}
        return Produced(self.kind, source_id or default_id or self.name, ordered, line, self.labels, month, self.name)


def _whole_months(period: tuple[dt.date, dt.date]) -> list[str]:
    start, end = period
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first = dt.date(y, m, 1)
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        if first >= start and nxt - dt.timedelta(days=1) <= end:
            out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# --------------------------------------------------------------------------- coverage


@dataclass
class Gap:
    services: list[str] | None
    start: dt.datetime
    end: dt.datetime
    reason: str
    line: int


class CoverageOutput:
    """monitoring_coverage records for the period an export covers, with the gaps its rows show."""

    def __init__(self, cov: Coverage, services: list[str], ctx: CompileContext) -> None:
        self.source = cov.source
        self.services = services
        self.id = Template(cov.id)
        self.gap_where: list[Condition] = []
        self.gaps: list[Gap] = []
        if cov.gaps is not None:
            where = "coverage.gaps"
            self.gap_where = _conditions(cov.gaps.where, f"{where}.where")
            ctx.need(cond.column for cond in self.gap_where)
            self.gap_services = (compile_spec(cov.gaps.services, ctx, f"{where}.services", "services")
                                 if cov.gaps.services is not None else None)
            self.gap_start = compile_spec(cov.gaps.start, ctx, f"{where}.start", "start")
            self.gap_end = compile_spec(cov.gaps.end, ctx, f"{where}.end", "end")
            self.gap_reason = compile_spec(cov.gaps.reason, ctx, f"{where}.reason", "reason")

    def is_gap(self, values: Any) -> bool:
        return bool(self.gap_where) and all(c(values) for c in self.gap_where)

    def add_gap(self, row: Row) -> None:
        values = row.values
        services = None
        if self.gap_services is not None:
            found = self.gap_services(values)
            services = [] if found is _OMIT or found is None else _listed(found)
        start, end = self.gap_start(values), self.gap_end(values)
        if start is _OMIT or start is None:
            raise RowProblem(self.gap_start.label, "a monitoring gap needs its start")
        if end is _OMIT or end is None:
            raise RowProblem(self.gap_end.label, "a monitoring gap needs its end (monitoring ran again)")
        reason = self.gap_reason(values)
        self.gaps.append(Gap(services, dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end),
                             str(reason) if reason not in (_OMIT, None) else "Monitoring did not run", row.line))

    def produce(self, period: tuple[dt.date, dt.date], zone: dt.tzinfo, system: str) -> list[Produced]:
        out = []
        start, end = period
        for service in self.services:
            y, m = start.year, start.month
            while (y, m) <= (end.year, end.month):
                first = max(start, dt.date(y, m, 1))
                last = min(end, dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))
                out.append(self._record(service, first, last, zone, system))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def _record(self, service: str, first: dt.date, last: dt.date, zone: dt.tzinfo, system: str) -> Produced:
        span_start = dt.datetime.combine(first, dt.time(), zone)
        span_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
        gaps = []
        for gap in sorted(self.gaps, key=lambda g: (g.start, g.end)):
            if gap.services is not None and service not in gap.services:
                continue
            s, e = max(gap.start, span_start), min(gap.end, span_end)
            if e > s:
                gaps.append({"start": s.astimezone(zone).isoformat(), "end": e.astimezone(zone).isoformat(),
                             "reason": gap.reason})
        whole = first.day == 1 and (last + dt.timedelta(days=1)).day == 1 and first.month == last.month
        when = f"{first:%Y-%m}" if whole else f"{first} to {last}"
        record: dict[str, Any] = {"title": f"Monitoring coverage - {service} - {when}", "service": service,
                                  "source": self.source, "start": first.isoformat(), "end": last.isoformat()}
        if gaps:
            record["gaps"] = gaps
        source_id = f"{service}|{first}|{last}"
        names = {"service": service, "start": f"{first:%Y%m%d}", "end": f"{last:%Y%m%d}", "system": system}
        record_id = safe_id(_as_text(self.id.render(names, names)))
        return Produced("monitoring_coverage", source_id, {"id": record_id, "kind": "monitoring_coverage", **record},
                        0, {"gaps": "coverage.gaps"}, f"{first:%Y-%m}", "coverage")


# --------------------------------------------------------------------------- the compiled mapping


@dataclass
class Compiled:
    """A mapping ready to apply: its outputs, and what it needs from the export."""

    mapping: Mapping
    rows: list[RowOutput]
    aggregates: list[AggregateOutput]
    coverage: CoverageOutput | None
    columns: set[str]
    any_of: list[tuple[str, ...]]
    zone: dt.tzinfo
    defaults: dict[str, dict[str, Any]]  # output name -> defaults (owner, status, ...)

    def outputs(self) -> list[RowOutput | AggregateOutput]:
        return [*self.rows, *self.aggregates]


def compile_mapping(mapping: Mapping) -> tuple[Compiled | None, list[str]]:
    """The mapping compiled, or the problems that stop it (each 'path: message')."""
    problems: list[str] = []
    try:
        zone = parse_timezone(mapping.timezone)
    except ValueError as exc:
        return None, [f"timezone: {exc}"]
    try:
        dates = DateTimeParser(mapping.date_formats, zone)
    except ValueError as exc:
        return None, [f"date_formats: {exc}"]
    ctx = CompileContext(dates, zone, frozenset(mapping.personal_columns), mapping.copy_personal_data)
    rows: list[RowOutput] = []
    aggregates: list[AggregateOutput] = []
    for name, out in mapping.outputs.items():
        if not out.enabled:
            continue
        model = KINDS.get(out.kind)
        if model is None or import_spec_of(model) is None:
            importable = sorted(k for k, m in KINDS.items() if import_spec_of(m) is not None)
            problems.append(f"outputs.{name}.kind: '{out.kind}' cannot be imported (importable: "
                            f"{', '.join(importable)})")
            continue
        try:
            if out.aggregate:
                aggregates.append(AggregateOutput(name, out, mapping, ctx))
            else:
                rows.append(RowOutput(name, out, mapping, ctx))
        except (ValueError, re.error) as exc:
            problems.append(str(exc))
    for name, out in mapping.outputs.items():
        if out.enabled and "owner" not in {**mapping.defaults, **out.defaults}:
            problems.append(f"outputs.{name}: defaults.owner: every record needs an owner (a person id, e.g. "
                            "PER-MAYA): set defaults: {owner: ...} in your mapping")
    coverage = None
    if mapping.coverage is not None:
        services = mapping.coverage.services
        if services is None:
            found: list[str] = []
            for out in rows:
                spec = out.fields.get("service")
                for value in spec.map_values() if spec is not None else []:
                    if isinstance(value, str) and value not in found:
                        found.append(value)
            services = found
        if not services:
            problems.append("coverage.services: no service to record coverage for: map hosts to services in the "
                            "outage output, or list coverage.services")
        try:
            coverage = CoverageOutput(mapping.coverage, list(services), ctx)
        except (ValueError, re.error) as exc:
            problems.append(str(exc))
    if not rows and not aggregates and problems == []:
        problems.append("outputs: the mapping makes no records (every output is disabled or none is given)")
    if problems:
        return None, problems
    defaults = {o.name: o.defaults for o in [*rows, *aggregates]}
    return Compiled(mapping, rows, aggregates, coverage, ctx.columns, ctx.any_of, zone, defaults), []


Checker = Callable[[Produced], list[RowProblem]]
