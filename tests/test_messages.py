"""Messages in plain words: what was written, and what to write instead.

Every field of every model is fed wrong values (wrong types, impossible and foreign dates, decimal
commas, empty text and lists, unknown enum values, ids with spaces, out-of-range numbers, unknown
and missing fields); no message may show the validation library's own wording, and every kind of
error the models raise has words of its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.content import loader
from generator.content.messages import HANDLED_TYPES, ID_PATTERN, pattern_words
from generator.content.models import KINDS
from generator.content.models.base import Record as BaseRecord
from generator.content.models.base import nested_model
from generator.checks.pipeline import check_content
from generator.authoring.skeleton import _patterns, _placeholder
from tests.conftest import PERSON, jargon_in, write_tree
from tests import test_loader

SERVICE = "kind: service\nid: SVC-MAIL\ntitle: Mail\nowner: PER-ANI\ncriticality: high\n"
AVAILABILITY = """\
kind: availability_requirement
id: AR-MAIL
title: Mail availability
owner: PER-ANI
service: SVC-MAIL
target: 99.9
period: month
service_hours: 24x7
monitoring_since: 2026-01-01
"""
OUTAGE = """\
kind: outage
id: OUT-1
title: Mail down
owner: PER-ANI
service: SVC-MAIL
start: 2026-11-01T10:00:00+07:00
end: 2026-11-01T11:00:00+07:00
planned: true
summary: Planned upgrade
"""


def _with(record: str, field: str, value: str) -> str:
    lines = [line for line in record.splitlines() if not line.startswith(f"{field}:")]
    return "\n".join([*lines, f"{field}: {value}"]) + "\n"


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("people/ani.yaml", PERSON + "review:\n  interval: P12M\n  last_reviewed: 15/11/2026\n",
         "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '15/11/2026' is not a date: "
         "write YYYY-MM-DD, e.g. 2026-11-15"),
        ("people/ani.yaml", PERSON + "review:\n  interval: P12M\n  last_reviewed: 2026/11/5\n",
         "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '2026/11/5' is not a date: "
         "write YYYY-MM-DD, e.g. 2026-11-05"),
        ("people/ani.yaml", PERSON + "review:\n  interval: P12M\n  last_reviewed: 05/11/2026\n",
         "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '05/11/2026' is not a date: "
         "write YYYY-MM-DD, e.g. 2026-11-15"),  # day or month first? the example does not guess
        ("people/ani.yaml", PERSON + "review:\n  interval: P12M\n  last_reviewed: 2026-13-01\n",
         "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '2026-13-01' is not a date: "
         "there is no month 13"),
        ("people/ani.yaml", PERSON + "review:\n  interval: P12M\n  last_reviewed: 2026-11-15T10:00\n",
         "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '2026-11-15T10:00' has a time: "
         "write only the date, YYYY-MM-DD, e.g. 2026-11-15"),
        ("availability/ar.yaml", _with(AVAILABILITY, "target", "99,9"),
         "content/availability/ar.yaml:9:9: error[field-invalid]: target: '99,9' is not a number: use a dot for "
         "decimals, e.g. 99.9"),
        ("availability/ar.yaml", _with(AVAILABILITY, "target", "99.9%"),
         "content/availability/ar.yaml:9:9: error[field-invalid]: target: '99.9%' is not a number: write the number "
         "alone, e.g. 99.9"),
        ("availability/ar.yaml", _with(AVAILABILITY, "target", "120"),
         "content/availability/ar.yaml:9:9: error[field-invalid]: target: 120 is too large: write 100 or less"),
        ("availability/ar.yaml", _with(AVAILABILITY, "period", "monthly"),
         "content/availability/ar.yaml:9:9: error[field-invalid]: period: 'monthly' is not one of the values allowed "
         "here: 'month', 'quarter' or 'year'"),
        ("availability/out.yaml", _with(OUTAGE, "start", "01/11/2026 10:00"),
         "content/availability/out.yaml:9:8: error[field-invalid]: start: '01/11/2026 10:00' is not a date and time: "
         "write YYYY-MM-DDTHH:MM, e.g. 2026-11-15T14:30"),
        ("availability/out.yaml", _with(OUTAGE, "start", "15/11/2026 10:00"),
         "content/availability/out.yaml:9:8: error[field-invalid]: start: '15/11/2026 10:00' is not a date and time: "
         "write YYYY-MM-DDTHH:MM, e.g. 2026-11-15T10:00"),
        ("availability/out.yaml", _with(OUTAGE, "start", "2026-02-30T10:00"),
         "content/availability/out.yaml:9:8: error[field-invalid]: start: '2026-02-30T10:00' is not a date and "
         "time: February 2026 has no day 30"),
        ("people/ani.yaml", PERSON.replace("id: PER-ANI", "id: PER ANI"),
         "content/people/ani.yaml:2:5: error[field-invalid]: id: 'PER ANI' is not a valid id: use only letters, "
         "digits, '.', '_' and '-' (no spaces), starting with a letter or digit, e.g. PER-ANI"),
        ("people/ani.yaml", PERSON + "email: ani.example.co.id\n",
         "content/people/ani.yaml:6:8: error[field-invalid]: email: 'ani.example.co.id' is not an email address: "
         "write name@domain, e.g. ani@example.co.id"),
        ("people/org.yaml", "kind: organisation\nid: ORG-X\ntitle: X\nowner: PER-ANI\nroles: []\n",
         "content/people/org.yaml:5:8: error[field-invalid]: roles: is an empty list: add at least one entry "
         "(What the party is to us: customer, user_group, interested_party, external_supplier, internal_supplier or "
         "customer_as_supplier.)"),
        ("people/org.yaml", "kind: organisation\nid: ORG-X\ntitle: X\nowner: PER-ANI\nroles: [custmer]\n",
         "content/people/org.yaml:5:9: error[field-invalid]: roles[0]: 'custmer' is not one of the values allowed "
         "here: 'customer', 'user_group', 'interested_party', 'external_supplier', 'internal_supplier' or "
         "'customer_as_supplier'"),
        ("people/org.yaml", "kind: organisation\nid: ORG-X\ntitle: X\nowner: PER-ANI\nroles: [customer]\nusers: -5\n",
         "content/people/org.yaml:6:8: error[field-invalid]: users: -5 is too small: write 0 or more"),
        ("people/ani.yaml", PERSON + "approval: PER-ANI\n",
         "content/people/ani.yaml:6:11: error[field-invalid]: approval: 'PER-ANI' is one value, but this part needs "
         "its fields: by, authority and date, each as 'name: value' on its own line, indented under it"),
    ],
)
def test_plain_message(check_tree, path: str, text: str, expected: str):
    lines = check_tree({"people/ani.yaml": PERSON, "services/mail.yaml": SERVICE, path: text})
    assert expected in lines, lines


def test_messages_name_the_value_and_the_form():
    """The words for dates, decimal commas and enums, straight from a validation error."""
    from generator.content.messages import plain_message

    assert plain_message({"type": "date_from_datetime_parsing"}, "15/11/2026", None) == (
        "'15/11/2026' is not a date: write YYYY-MM-DD, e.g. 2026-11-15")
    assert plain_message({"type": "float_type"}, "99,9", None) == (
        "'99,9' is not a number: use a dot for decimals, e.g. 99.9")
    assert plain_message({"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}}, "c", None) == (
        "'c' is not one of the values allowed here: 'a' or 'b'")


# -- every field of every model, fed wrong values ---------------------------------------------

BAD_VALUES: tuple[Any, ...] = (
    "15/11/2026", "2024-02-30", "2026-13-01", "2026-11-15T25:00", "2026-11-15T10:00", "99,9", "99.9%", "1,000",
    "0777", "abc", "", "   ", "x y", "yes", "P1Y2", 1.5, 42, -1, 0, 1000, 20261115, True, [], ["x y"], [1], {"a": 1},
    {}, None,
)


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) in (list, tuple):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))


def _valid_text(pattern: str) -> str | None:
    if pattern == ID_PATTERN:
        return "X-1"
    if pattern == r"^[0-9a-f]{64}$":
        return "0" * 64
    found = pattern_words(pattern)
    return found[1] if found else None


def _full(model: type[BaseModel]) -> dict[str, Any]:
    """A valid record or part holding every field, optional ones and nested parts too."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        nested = nested_model(info.annotation)
        if nested is not None:
            inner = _full(nested)
            out[name] = [inner] if _is_list(info.annotation) else inner
            continue
        value = _placeholder(info.annotation, info, name, "X-1")
        pattern = _field_pattern(info)
        is_ref = isinstance(info.json_schema_extra, dict) and "x-ref" in info.json_schema_extra
        # References keep their placeholder ('TODO-PERSON'): they point nowhere, and are not judged.
        if pattern and not is_ref and (fixed := _valid_text(pattern)) is not None:
            value = [fixed] if isinstance(value, list) else fixed
        out[name] = value
    return out


def _field_pattern(info: FieldInfo) -> str:
    found = _patterns([info])
    for arg in _args(info.annotation):
        found += _patterns(typing.get_args(arg)[1:]) if typing.get_origin(arg) is typing.Annotated else ""
    return found


def _args(annotation: Any) -> list[Any]:
    out = [annotation]
    for arg in typing.get_args(annotation):
        out += _args(arg)
    return out


def _slots(model: type[BaseModel], data: dict[str, Any], prefix: tuple[str | int, ...] = ()):
    """(path, field) of every value inside a full record, entries of lists included."""
    for name, info in model.model_fields.items():
        path = prefix + (name,)
        yield path, info
        value = data.get(name)
        nested = nested_model(info.annotation)
        if isinstance(value, list) and value:
            yield path + (0,), info
            if nested is not None and isinstance(value[0], dict):
                yield from _slots(nested, value[0], path + (0,))
        elif nested is not None and isinstance(value, dict):
            yield from _slots(nested, value, path)


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple[str | int, ...]) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


def _required(model: type[BaseModel], full: dict[str, Any]) -> dict[str, Any]:
    """The part of ``full`` a valid record needs: its required fields, and their required fields."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        nested = nested_model(info.annotation)
        value = full[name]
        if nested is not None and isinstance(value, dict):
            value = _required(nested, value)
        elif nested is not None and isinstance(value, list):
            value = [_required(nested, v) for v in value]
        out[name] = copy.deepcopy(value)
    return out


def _reach(record: dict[str, Any], full: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """Make the parts that hold ``path`` exist in ``record`` (copied from ``full``)."""
    here: Any = record
    there: Any = full
    for part in path[:-1]:
        if isinstance(here, dict) and part not in here:
            here[part] = copy.deepcopy(there[part])
        here, there = here[part], there[part]
    last = path[-1]
    if isinstance(here, dict) and last not in here:
        here[last] = copy.deepcopy(there[last])


def _bad_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    common = set(BaseRecord.model_fields)
    for n, (kind, model) in enumerate(KINDS.items()):
        full = _full(model)
        full["kind"] = kind
        model.model_validate(full)  # every field can hold a valid value...
        base = _required(model, full)
        base["kind"] = kind
        model.model_validate(base)  # ...and so can the smallest record: each mistake below is its only one
        for path, info in _slots(model, full):
            if path == ("kind",) or (n > 0 and path[0] in common):  # the common fields once, not per kind
                continue
            start = copy.deepcopy(base)
            _reach(start, full, path)
            for bad in BAD_VALUES:
                record = copy.deepcopy(start)
                _set(record, path, bad)
                records.append(record)
            if isinstance(path[-1], str):
                if info.is_required():
                    record = copy.deepcopy(start)
                    _delete(record, path)
                    records.append(record)
                record = copy.deepcopy(start)
                _set(record, path[:-1] + (path[-1] + "x",), "extra")
                records.append(record)
    for n, record in enumerate(records):
        if record.get("id") == "X-1":
            record["id"] = f"R-{n}"
    return records


def test_every_bad_value_of_every_field_is_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    records = _bad_records()
    files: dict[str, str | bytes] = {}
    for start in range(0, len(records), 200):  # files stay under the size limit
        chunk = records[start:start + 200]
        files[f"bad/{start:06d}.yaml"] = "[\n" + ",\n".join(json.dumps(r) for r in chunk) + "\n]\n"
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    seen: dict[str, str] = {}
    real = loader._error_finding

    def spy(err, *args, **kwargs):
        path, finding = real(err, *args, **kwargs)
        seen.setdefault(err["type"], finding.text())
        return path, finding

    monkeypatch.setattr(loader, "_error_finding", spy)
    findings = check_content(Path("content"), dt.date(2026, 11, 24)).findings
    assert len(findings) > len(records) // 2
    bad = [f.text() for f in findings if jargon_in(f.message)]
    assert not bad, bad[:20]
    # Every kind of error the models raised has words of its own...
    assert set(seen) <= HANDLED_TYPES, {t: seen[t] for t in set(seen) - HANDLED_TYPES}
    # ...and the mistakes above keep raising each kind that matters (a test that cannot fail is not a test).
    assert {
        "missing", "extra_forbidden", "string_type", "string_too_short", "too_short", "string_pattern_mismatch",
        "list_type", "bool_type", "literal_error", "model_type", "greater_than", "greater_than_equal", "less_than",
        "less_than_equal", "value_error", "int_type", "float_type", "float_parsing", "int_parsing", "date_type",
        "date_from_datetime_parsing", "date_from_datetime_inexact", "datetime_type", "datetime_from_date_parsing",
    } <= set(seen), sorted(seen)


def test_every_bad_input_case_of_the_loader_tests_is_in_plain_words(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    """The loader tests' bad input, run again here: none of it shows validation-library words."""
    (mark,) = [m for m in test_loader.test_bad_input_message.pytestmark if m.name == "parametrize"]
    monkeypatch.chdir(tmp_path)
    for n, (text, _) in enumerate(mark.args[1]):
        write_tree(tmp_path / str(n), {"people/ani.yaml": text})
        findings = check_content(Path(str(n)) / "content", dt.date(2026, 11, 24)).findings
        assert findings, text
        assert not [f.text() for f in findings if jargon_in(f.message)]


def test_every_pattern_of_the_models_has_words():
    patterns: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            if pattern := _field_pattern(info):
                patterns.add(pattern)
            if (nested := nested_model(info.annotation)) is not None:
                walk(nested)

    for model in KINDS.values():
        walk(model)
    # Duration is checked by its own validator, which words its message itself.
    patterns = {p for p in patterns if not p.startswith("^P(")}
    assert patterns, "the scan found no pattern: it is stale"
    assert [p for p in patterns if pattern_words(p) is None] == []
