"""Plain words for a value a record's model rejects.

pydantic says what went wrong in its own vocabulary ("Input should be a valid date or datetime,
invalid character in year"). Authors of records should read what they wrote and what to write
instead: ``'15/11/2026' is not a date: write YYYY-MM-DD, e.g. 2026-11-15``. :func:`plain_message`
turns one pydantic error into such a sentence; the loader puts it on the finding.

Every error type the models can raise has its own words here (:data:`HANDLED_TYPES`); a test feeds
every field of every model wrong values and fails on any validation-library phrase.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .localize import Joined, Msg, Term, about
from .models.base import nested_model

# What an author may write instead, by the pattern a text field must match: words, and an example
# (None: made from the value). A test fails when a model gains a pattern that has no words here.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
PATTERN_WORDS: dict[str, tuple[str, str | None]] = {
    ID_PATTERN: (Msg("pattern.id", "is not a valid id: use only letters, digits, '.', '_' and '-' (no spaces), "
                     "starting with a letter or digit"), None),
    r"^\d{4}-(0[1-9]|1[0-2])$": (Msg("pattern.month", "is not a month: write YYYY-MM"), "2026-11"),
    r"^\+?[0-9][0-9 ()-]{5,}$": (Msg("pattern.phone", "is not a phone number: write digits, spaces, brackets and "
                                     "'-' (at least 6), optionally after a '+'"), "+62 21 555 0100"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": (Msg("pattern.email", "is not an email address: write name@domain"),
                                    "ani@example.co.id"),
    r"^[A-Za-z0-9][A-Za-z0-9._-]*#[A-Za-z0-9][A-Za-z0-9._-]*$":
        (Msg("pattern.sla-target", "is not an SLA target: write the SLA's id, '#' and the target's key"),
         "SLA-MAIL#avail"),
    r"^[0-9a-f]{64}$": (Msg("pattern.sha256", "is not a SHA-256: write its 64 lower-case hexadecimal digits (as "
                            "sha256sum prints them)"), None),
}
# Evidence file paths: the pattern carries the list of file types.
_EVIDENCE_PATTERN = re.compile(r"\^evidence/.*\\\.\(([a-z0-9|]+)\)\$$")


def pattern_words(pattern: str) -> tuple[str, str | None] | None:
    """Words and example for a field's ``pattern``; None when it has none (a test prevents that)."""
    found = PATTERN_WORDS.get(pattern)
    if found is not None:
        return found
    m = _EVIDENCE_PATTERN.fullmatch(pattern)
    if m:
        types = [f".{t}" for t in m[1].split("|")]
        return (Msg("pattern.evidence", "is not an evidence file name: write evidence/, optional folders, then a "
                    "name of letters, digits, '.', '_' and '-' ending in {types} or {last} (lower case)",
                    types=", ".join(types[:-1]), last=types[-1]),
                f"evidence/sla/SLA-MAIL-signed{types[0]}")
    return None

DATE_EXAMPLE = "2026-11-15"
DATETIME_EXAMPLE = "2026-11-15T14:30"
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n"}

_DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
               "date_past", "date_future"}
_DATETIME_TYPES = {"datetime_type", "datetime_parsing", "datetime_from_date_parsing", "datetime_object_invalid",
                   "datetime_past", "datetime_future", "timezone_naive", "timezone_aware", "timezone_offset"}
_INT_TYPES = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_FLOAT_TYPES = {"float_type", "float_parsing", "finite_number"}
_MAPPING_TYPES = {"model_type", "dict_type", "model_attributes_type"}

# Every pydantic error type with words of its own (the loader words 'missing' and
# 'extra_forbidden' itself, as field-missing and field-unknown).
HANDLED_TYPES: frozenset[str] = frozenset({
    "missing", "extra_forbidden", "string_type", "string_too_short", "string_too_long", "too_short", "too_long",
    "string_pattern_mismatch", "list_type", "bool_type", "bool_parsing", "literal_error", "enum",
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of", "value_error",
    "assertion_error", *_DATE_TYPES, *_DATETIME_TYPES, *_INT_TYPES, *_FLOAT_TYPES, *_MAPPING_TYPES,
})


def shown(value: Any) -> str:
    """A value as the author wrote it: text in quotes (shortened when long), numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(getattr(value, "raw", None) or _number(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, list):
        return Msg("shown.list", "a list")
    if isinstance(value, dict):
        return Msg("shown.mapping", "a mapping (name: value lines)")
    if value is None:
        return Msg("shown.empty", "an empty value")
    return f"'{value}'"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _about(info: FieldInfo | None, name: str | None = None) -> str:
    """The field's description, in brackets, as a reminder of what belongs there."""
    if info is None or not info.description:
        return ""
    return about(info.description, name)


def _item_words(info: FieldInfo | None) -> str:
    """What one entry of a list field is, in words."""
    if info is None:
        return Msg("one-entry", "one entry")
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    kinds = extra.get("x-ref")
    if isinstance(kinds, list) and kinds:
        return Msg("the-id-of-one", "the id of one {kinds}", kinds=Joined(
            [Term(str(k).replace("_", " "), f"kind.{k}") for k in kinds], " ", Msg("or", " or ")))
    return Msg("one-entry", "one entry")


def _fields_of(model: type[BaseModel]) -> str:
    names = [n for n, f in model.model_fields.items() if f.is_required()] or list(model.model_fields)[:5]
    return names[0] if len(names) == 1 else Joined(names, ", ", Msg("and", " and "))


def _model_of(info: FieldInfo | None) -> type[BaseModel] | None:
    return nested_model(info.annotation) if info is not None else None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written in a familiar but wrong form, when it is unambiguous."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 >= b:  # day first (15/11/2026)
            return year, b, a
        if b > 12 >= a:  # month first (11/15/2026)
            return year, a, b
        return None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    return None


def _real_date(parts: tuple[int, int, int] | None) -> dt.date | None:
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _impossible(text: str) -> str | None:
    """Why a date written as YYYY-MM-DD (perhaps with a time) does not exist, or None."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", text.strip())
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= month <= 12:
        return Msg("date.no-month", "there is no month {month}", month=month)
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return Msg("date.no-day", "{month_name} {year} has no day {day}", month_name=Term(
            calendar.month_name[month], f"month.{month}"), year=year, day=day)
    return None


def _date_message(value: Any) -> str:
    if _empty(value):
        return Msg("date.empty", "is empty: write YYYY-MM-DD, e.g. {example}", example=DATE_EXAMPLE)
    text = str(getattr(value, "raw", value)) if not isinstance(value, (list, dict, bool)) else ""
    if isinstance(value, str):
        why = _impossible(value)
        if why is not None:
            return Msg("date.impossible", "{value} is not a date: {why}", value=shown(value), why=why)
        m = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", value.strip())
        if m:
            return Msg("date.has-time", "{value} has a time: write only the date, YYYY-MM-DD, e.g. {example}",
                       value=shown(value), example=m[1])
    example = _real_date(_date_parts(text)) if text else None
    return Msg("date.invalid", "{value} is not a date: write YYYY-MM-DD, e.g. {example}", value=shown(value),
               example=str(example or DATE_EXAMPLE))


def _datetime_message(value: Any) -> str:
    if _empty(value):
        return Msg("datetime.empty", "is empty: write YYYY-MM-DDTHH:MM, e.g. {example}", example=DATETIME_EXAMPLE)
    example = DATETIME_EXAMPLE
    if isinstance(value, str):
        why = _impossible(value)
        if why is not None:
            return Msg("datetime.impossible", "{value} is not a date and time: {why}", value=shown(value), why=why)
        m = re.fullmatch(r"(\S+?)(?:[T ,]+(\d{1,2})[:.](\d{2}))?", value.strip())
        day = _real_date(_date_parts(m[1])) if m else None
        if day is not None and m is not None:
            hour, minute = (int(m[2]), int(m[3])) if m[2] else (0, 0)
            if hour < 24 and minute < 60:
                example = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
    return Msg("datetime.invalid", "{value} is not a date and time: write YYYY-MM-DDTHH:MM, e.g. {example}",
               value=shown(value), example=example)


def _int_message(value: Any) -> str:
    if _empty(value):
        return Msg("int.empty", "is empty: write a whole number, e.g. 12")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"0\d+", text):
            return Msg("int.leading-zero", "{value} is not a whole number: write it without a leading zero, e.g. "
                       "{example}", value=shown(value), example=int(text))
        if re.fullmatch(r"\d{1,3}([,.]\d{3})+", text):
            return Msg("int.separators", "{value} is not a whole number: write digits only, without separators, "
                       "e.g. {example}", value=shown(value), example=re.sub(r'[,.]', '', text))
        return Msg("int.invalid", "{value} is not a whole number: write digits only, e.g. 12", value=shown(value))
    if isinstance(value, float) and not isinstance(value, bool):
        return Msg("int.decimals", "{value} is not a whole number: write it without decimals, e.g. {example}",
                   value=shown(value), example=round(value))
    return Msg("int.invalid", "{value} is not a whole number: write digits only, e.g. 12", value=shown(value))


def _float_message(value: Any) -> str:
    if _empty(value):
        return Msg("float.empty", "is empty: write a number, e.g. 99.9")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+,\d+", text):
            return Msg("float.comma", "{value} is not a number: use a dot for decimals, e.g. {example}",
                       value=shown(value), example=text.replace(',', '.'))
        if re.fullmatch(r"0\d+(\.\d+)?", text):
            return Msg("float.leading-zero", "{value} is not a number: write it without a leading zero, e.g. "
                       "{example}", value=shown(value), example=text.lstrip('0'))
        m = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)\s*(?:%|[^\W\d_]).*", text)  # a unit after it: 99.9%, 4 h
        if m:
            return Msg("float.unit", "{value} is not a number: write the number alone, e.g. {example}",
                       value=shown(value), example=m[1].replace(',', '.'))
    return Msg("float.invalid", "{value} is not a number: write digits, with a dot for decimals, e.g. 99.9",
               value=shown(value))


def _text_message(value: Any, info: FieldInfo | None, name: str | None) -> str:
    if _empty(value):
        return Msg("text.empty", "is empty: write it{about}", about=_about(info, name))
    if isinstance(value, (bool, int, float)):
        raw = shown(value)
        if isinstance(value, bool):
            return Msg("text.bool", "{value} is read as a true/false value, but text is needed here: put it in "
                       "quotes, \"{value}\"", value=raw)
        return Msg("text.number", "{value} is read as a number, but text is needed here: put it in quotes, "
                   "\"{value}\"", value=raw)
    if isinstance(value, list):
        return Msg("text.list", "a list is not allowed here: write one piece of text{about}",
                   about=_about(info, name))
    if isinstance(value, dict):
        return Msg("text.mapping", "a mapping (name: value lines) is not allowed here: write one piece of "
                   "text{about}", about=_about(info, name))
    return Msg("text.invalid", "{value} is not text{about}", value=shown(value), about=_about(info, name))


def _list_message(value: Any, info: FieldInfo | None, name: str | None) -> str:
    if _empty(value):
        return Msg("list.empty", "is empty: write a list ([a, b], or one '- ' line per entry), or leave the field "
                   "out{about}", about=_about(info, name))
    if isinstance(value, str):
        return Msg("list.one-value", "{value} is one value, but a list is needed here: write [{written}]",
                   value=shown(value), written=value)
    if isinstance(value, dict):
        return Msg("list.mapping", "a mapping (name: value lines) is not a list: start each entry with '- '")
    return Msg("list.one-value", "{value} is one value, but a list is needed here: write [{written}]",
               value=shown(value), written=shown(value).strip(chr(39)))


def _mapping_message(value: Any, info: FieldInfo | None, ctx: dict[str, Any]) -> str:
    model = _model_of(info)
    names = _fields_of(model) if model is not None else ""
    if " and " in names or "," in names:
        what = Msg("mapping.fields", "its fields: {names}, each as 'name: value' on its own line, indented under it",
                   names=names)
    elif names:
        what = Msg("mapping.field", "its field: {names}, as 'name: value' on its own line, indented under it",
                   names=names)
    else:
        what = Msg("mapping.any", "its fields, each as 'name: value' on its own line, indented under it")
    if _empty(value):
        return Msg("mapping.empty", "is empty: write {what}, or leave it out", what=what)
    return Msg("mapping.one-value", "{value} is one value, but this part needs {what}", value=shown(value), what=what)


def _range_message(etype: str, value: Any, ctx: dict[str, Any]) -> str:
    bound = next(iter(ctx.values()), None)
    limit = _number(bound)
    words = {
        "greater_than_equal": Msg("range.min", "is too small: write {limit} or more", limit=limit),
        "greater_than": Msg("range.above", "is too small: write a number above {limit}", limit=limit),
        "less_than_equal": Msg("range.max", "is too large: write {limit} or less", limit=limit),
        "less_than": Msg("range.below", "is too large: write a number below {limit}", limit=limit),
        "multiple_of": Msg("range.multiple", "is not a multiple of {limit}", limit=limit),
    }[etype]
    return Msg("value-words", "{value} {words}", value=shown(value), words=words)


def _too_short(value: Any, info: FieldInfo | None, name: str | None) -> str:
    if isinstance(value, str) or value is None:
        return Msg("text.empty", "is empty: write it{about}", about=_about(info, name))
    return Msg("list.no-entry", "is an empty list: add at least {item}{about}", item=_item_words(info),
               about=_about(info, name))


def _pattern_message(value: Any, ctx: dict[str, Any]) -> str:
    pattern = str(ctx.get("pattern", ""))
    found = pattern_words(pattern)
    if found is None:
        return Msg("pattern.other", "{value} is not written in the form this field needs", value=shown(value))
    words, example = found
    if pattern == ID_PATTERN:
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-._")
        example = fixed if fixed and re.match(ID_PATTERN, fixed) else "SLA-MAIL-ACME"
    if example:
        return Msg("value-words-example", "{value} {words}, e.g. {example}", value=shown(value), words=words,
                   example=example)
    return Msg("value-words", "{value} {words}", value=shown(value), words=words)


def _custom(err: dict[str, Any]) -> str:
    error = (err.get("ctx") or {}).get("error")
    if error is not None:
        if isinstance(error, str):
            return error
        m = _DURATION_ERROR.fullmatch(str(error))
        if m:
            return Msg("duration.invalid", "'{value}' is not an ISO 8601 duration such as P12M, P6M, P1Y, P30D or "
                       "PT4H", value=m[1])
        return str(error)
    msg = str(err.get("msg", ""))
    return msg.split(", ", 1)[1] if ", " in msg else msg


# The one value error the models raise (models/base.py, _check_duration), so it can be said in words.
_DURATION_ERROR = re.compile(r"'(.*)' is not an ISO 8601 duration such as P12M, P6M, P1Y, P30D or PT4H", re.S)


def _field_name(err: dict[str, Any]) -> str | None:
    """The name of the field an error is about: the last name in its location that is a field's."""
    return next((p for p in reversed(err.get("loc") or ()) if isinstance(p, str) and _NAME.fullmatch(p)), None)


_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def plain_message(err: dict[str, Any], value: Any, info: FieldInfo | None) -> str:
    """What is wrong with ``value``, and what to write instead, for one pydantic error ``err``.

    ``info`` is the field the value was written for (a list's field for one of its entries), for
    the description and the kind of entries it holds; None when unknown."""
    etype = str(err.get("type", ""))
    ctx: dict[str, Any] = err.get("ctx") or {}
    name = _field_name(err)
    if etype in _DATE_TYPES:
        return _date_message(value)
    if etype in _DATETIME_TYPES:
        return _datetime_message(value)
    if etype in _INT_TYPES:
        return _int_message(value)
    if etype in _FLOAT_TYPES:
        return _float_message(value)
    if etype in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value.lower() in _YAML11_WORDS:
            return Msg("bool.yaml11", "{value} is text here, not true or false: write true or false",
                       value=shown(value))
        if _empty(value):
            return Msg("bool.empty", "is empty: write true or false")
        return Msg("bool.invalid", "{value} is not true or false: write true or false", value=shown(value))
    if etype in ("string_type", "string_too_short"):
        return _text_message(value, info, name)
    if etype in ("too_short",):
        return _too_short(value, info, name)
    if etype in ("string_too_long", "too_long"):
        return Msg("too-long", "is too long: write at most {max}", max=_number(ctx.get('max_length', '')))
    if etype == "string_pattern_mismatch":
        return _pattern_message(value, ctx)
    if etype == "list_type":
        return _list_message(value, info, name)
    if etype in _MAPPING_TYPES:
        return _mapping_message(value, info, ctx)
    if etype in ("literal_error", "enum"):
        allowed = _allowed(str(ctx.get("expected", "")).strip())
        if _empty(value):
            return Msg("choice.empty", "is empty: write {allowed}", allowed=allowed)
        return Msg("choice.invalid", "{value} is not one of the values allowed here: {allowed}", value=shown(value),
                   allowed=allowed)
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of"):
        return _range_message(etype, value, ctx)
    if etype in ("value_error", "assertion_error"):
        return _custom(err)
    return Msg("not-allowed", "{value} is not allowed here{about}", value=shown(value), about=_about(info, name))


def _allowed(expected: str) -> str:
    """pydantic's list of allowed values ("'a', 'b' or 'c'"), its 'or' translatable."""
    head, sep, last = expected.rpartition(" or ")
    if not sep:
        return expected
    return Joined([head, last], "", Msg("or", " or "))


def field_info_at(model: type[BaseModel], path: tuple[str | int, ...]) -> FieldInfo | None:
    """The field a value at ``path`` inside a ``model`` record was written for (for an entry of a
    list, the list's field); None when the path leaves the models."""
    current: Any = model
    info: FieldInfo | None = None
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        info = current.model_fields[part]
        current = nested_model(info.annotation)
    return info

