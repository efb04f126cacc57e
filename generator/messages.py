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

from .models.base import nested_model

# What an author may write instead, by the pattern a text field must match: words, and an example
# (None: made from the value). A test fails when a model gains a pattern that has no words here.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
PATTERN_WORDS: dict[str, tuple[str, str | None]] = {
    ID_PATTERN: ("is not a valid id: use only letters, digits, '.', '_' and '-' (no spaces), starting with a "
                 "letter or digit", None),
    r"^\d{4}-(0[1-9]|1[0-2])$": ("is not a month: write YYYY-MM", "2026-11"),
    r"^\+?[0-9][0-9 ()-]{5,}$": ("is not a phone number: write digits, spaces, brackets and '-' (at least 6), "
                                 "optionally after a '+'", "+62 21 555 0100"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": ("is not an email address: write name@domain", "ani@example.co.id"),
    r"^[A-Za-z0-9][A-Za-z0-9._-]*#[A-Za-z0-9][A-Za-z0-9._-]*$":
        ("is not an SLA target: write the SLA's id, '#' and the target's key", "SLA-MAIL#avail"),
    r"^[0-9a-f]{64}$": ("is not a SHA-256: write its 64 lower-case hexadecimal digits (as sha256sum prints them)",
                        None),
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
        return (f"is not an evidence file name: write evidence/, optional folders, then a name of letters, digits, "
                f"'.', '_' and '-' ending in {', '.join(types[:-1])} or {types[-1]} (lower case)",
                f"evidence/sla/SLA-MAIL-signed{types[0]}")
    return None

DATE_FORM = "write YYYY-MM-DD"
DATE_EXAMPLE = "2026-11-15"
DATETIME_FORM = "write YYYY-MM-DDTHH:MM"
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
        return "a list"
    if isinstance(value, dict):
        return "a mapping (name: value lines)"
    if value is None:
        return "an empty value"
    return f"'{value}'"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _about(info: FieldInfo | None) -> str:
    """The field's description, in brackets, as a reminder of what belongs there."""
    if info is None or not info.description:
        return ""
    return f" ({info.description.strip()})"


def _item_words(info: FieldInfo | None) -> str:
    """What one entry of a list field is, in words."""
    if info is None:
        return "one entry"
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    kinds = extra.get("x-ref")
    if isinstance(kinds, list) and kinds:
        return "the id of one " + " or ".join(str(k).replace("_", " ") for k in kinds)
    return "one entry"


def _fields_of(model: type[BaseModel]) -> str:
    names = [n for n, f in model.model_fields.items() if f.is_required()] or list(model.model_fields)[:5]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
        return f"there is no month {month}"
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return f"{calendar.month_name[month]} {year} has no day {day}"
    return None


def _date_message(value: Any) -> str:
    if _empty(value):
        return f"is empty: {DATE_FORM}, e.g. {DATE_EXAMPLE}"
    text = str(getattr(value, "raw", value)) if not isinstance(value, (list, dict, bool)) else ""
    if isinstance(value, str):
        why = _impossible(value)
        if why is not None:
            return f"{shown(value)} is not a date: {why}"
        m = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", value.strip())
        if m:
            return f"{shown(value)} has a time: write only the date, YYYY-MM-DD, e.g. {m[1]}"
    example = _real_date(_date_parts(text)) if text else None
    return f"{shown(value)} is not a date: {DATE_FORM}, e.g. {(example or DATE_EXAMPLE)!s}"


def _datetime_message(value: Any) -> str:
    if _empty(value):
        return f"is empty: {DATETIME_FORM}, e.g. {DATETIME_EXAMPLE}"
    example = DATETIME_EXAMPLE
    if isinstance(value, str):
        why = _impossible(value)
        if why is not None:
            return f"{shown(value)} is not a date and time: {why}"
        m = re.fullmatch(r"(\S+?)(?:[T ,]+(\d{1,2})[:.](\d{2}))?", value.strip())
        day = _real_date(_date_parts(m[1])) if m else None
        if day is not None and m is not None:
            hour, minute = (int(m[2]), int(m[3])) if m[2] else (0, 0)
            if hour < 24 and minute < 60:
                example = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
    return f"{shown(value)} is not a date and time: {DATETIME_FORM}, e.g. {example}"


def _int_message(value: Any) -> str:
    if _empty(value):
        return "is empty: write a whole number, e.g. 12"
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"0\d+", text):
            return f"{shown(value)} is not a whole number: write it without a leading zero, e.g. {int(text)}"
        if re.fullmatch(r"\d{1,3}([,.]\d{3})+", text):
            return (f"{shown(value)} is not a whole number: write digits only, without separators, "
                    f"e.g. {re.sub(r'[,.]', '', text)}")
        return f"{shown(value)} is not a whole number: write digits only, e.g. 12"
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{shown(value)} is not a whole number: write it without decimals, e.g. {round(value)}"
    return f"{shown(value)} is not a whole number: write digits only, e.g. 12"


def _float_message(value: Any) -> str:
    if _empty(value):
        return "is empty: write a number, e.g. 99.9"
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+,\d+", text):
            return f"{shown(value)} is not a number: use a dot for decimals, e.g. {text.replace(',', '.')}"
        if re.fullmatch(r"0\d+(\.\d+)?", text):
            return f"{shown(value)} is not a number: write it without a leading zero, e.g. {text.lstrip('0')}"
        m = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)\s*(?:%|[^\W\d_]).*", text)  # a unit after it: 99.9%, 4 h
        if m:
            return f"{shown(value)} is not a number: write the number alone, e.g. {m[1].replace(',', '.')}"
        return f"{shown(value)} is not a number: write digits, with a dot for decimals, e.g. 99.9"
    return f"{shown(value)} is not a number: write digits, with a dot for decimals, e.g. 99.9"


def _text_message(value: Any, info: FieldInfo | None) -> str:
    if _empty(value):
        return f"is empty: write it{_about(info)}"
    if isinstance(value, (bool, int, float)):
        raw = shown(value)
        return f"{raw} is read as a {'true/false value' if isinstance(value, bool) else 'number'}, but text is " \
               f"needed here: put it in quotes, \"{raw}\""
    if isinstance(value, list):
        return f"a list is not allowed here: write one piece of text{_about(info)}"
    if isinstance(value, dict):
        return f"a mapping (name: value lines) is not allowed here: write one piece of text{_about(info)}"
    return f"{shown(value)} is not text{_about(info)}"


def _list_message(value: Any, info: FieldInfo | None) -> str:
    if _empty(value):
        return f"is empty: write a list ([a, b], or one '- ' line per entry), or leave the field out{_about(info)}"
    if isinstance(value, str):
        return f"{shown(value)} is one value, but a list is needed here: write [{value}]"
    if isinstance(value, dict):
        return "a mapping (name: value lines) is not a list: start each entry with '- '"
    return f"{shown(value)} is one value, but a list is needed here: write [{shown(value).strip(chr(39))}]"


def _mapping_message(value: Any, info: FieldInfo | None, ctx: dict[str, Any]) -> str:
    model = _model_of(info)
    names = _fields_of(model) if model is not None else ""
    if " and " in names or "," in names:
        what = f"its fields: {names}, each as 'name: value' on its own line, indented under it"
    elif names:
        what = f"its field: {names}, as 'name: value' on its own line, indented under it"
    else:
        what = "its fields, each as 'name: value' on its own line, indented under it"
    if _empty(value):
        return f"is empty: write {what}, or leave it out"
    return f"{shown(value)} is one value, but this part needs {what}"


def _range_message(etype: str, value: Any, ctx: dict[str, Any]) -> str:
    bound = next(iter(ctx.values()), None)
    limit = _number(bound)
    words = {
        "greater_than_equal": f"is too small: write {limit} or more",
        "greater_than": f"is too small: write a number above {limit}",
        "less_than_equal": f"is too large: write {limit} or less",
        "less_than": f"is too large: write a number below {limit}",
        "multiple_of": f"is not a multiple of {limit}",
    }[etype]
    return f"{shown(value)} {words}"


def _too_short(value: Any, info: FieldInfo | None) -> str:
    if isinstance(value, str) or value is None:
        return f"is empty: write it{_about(info)}"
    return f"is an empty list: add at least {_item_words(info)}{_about(info)}"


def _pattern_message(value: Any, ctx: dict[str, Any]) -> str:
    pattern = str(ctx.get("pattern", ""))
    found = pattern_words(pattern)
    if found is None:
        return f"{shown(value)} is not written in the form this field needs"
    words, example = found
    if pattern == ID_PATTERN:
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip("-._")
        example = fixed if fixed and re.match(ID_PATTERN, fixed) else "SLA-MAIL-ACME"
    return f"{shown(value)} {words}" + (f", e.g. {example}" if example else "")


def _custom(err: dict[str, Any]) -> str:
    error = (err.get("ctx") or {}).get("error")
    if error is not None:
        return str(error)
    msg = str(err.get("msg", ""))
    return msg.split(", ", 1)[1] if ", " in msg else msg


def plain_message(err: dict[str, Any], value: Any, info: FieldInfo | None) -> str:
    """What is wrong with ``value``, and what to write instead, for one pydantic error ``err``.

    ``info`` is the field the value was written for (a list's field for one of its entries), for
    the description and the kind of entries it holds; None when unknown."""
    etype = str(err.get("type", ""))
    ctx: dict[str, Any] = err.get("ctx") or {}
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
            return f"{shown(value)} is text here, not true or false: write true or false"
        if _empty(value):
            return "is empty: write true or false"
        return f"{shown(value)} is not true or false: write true or false"
    if etype in ("string_type", "string_too_short"):
        return _text_message(value, info)
    if etype in ("too_short",):
        return _too_short(value, info)
    if etype in ("string_too_long", "too_long"):
        return f"is too long: write at most {_number(ctx.get('max_length', ''))}"
    if etype == "string_pattern_mismatch":
        return _pattern_message(value, ctx)
    if etype == "list_type":
        return _list_message(value, info)
    if etype in _MAPPING_TYPES:
        return _mapping_message(value, info, ctx)
    if etype in ("literal_error", "enum"):
        allowed = str(ctx.get("expected", "")).strip()
        if _empty(value):
            return f"is empty: write {allowed}"
        return f"{shown(value)} is not one of the values allowed here: {allowed}"
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of"):
        return _range_message(etype, value, ctx)
    if etype in ("value_error", "assertion_error"):
        return _custom(err)
    return f"{shown(value)} is not allowed here{_about(info)}"


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

