"""Bad input: each case asserts the exact message line a user sees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PERSON


def test_clean_person_has_no_findings(check_tree):
    assert check_tree({"people/ani.yaml": PERSON}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kind: person\nid: PER-ANI\n  title: x\n",
            "content/people/ani.yaml:3:8: error[yaml-syntax]: mapping values are not allowed in this context",
        ),
        (
            PERSON + "phones:\n\t- label: mobile\n",
            "content/people/ani.yaml:7:1: error[yaml-tab]: tab characters are not allowed for indentation: use spaces",
        ),
        (
            PERSON + "role: Engineer\n",
            "content/people/ani.yaml:6:1: error[key-duplicate]: role: duplicate key 'role' (first defined at line 5, column 1)",
        ),
        (
            PERSON + "titel: Ani\n",
            "content/people/ani.yaml:6:1: error[field-unknown]: titel: unknown field 'titel'. Did you mean 'title'?",
        ),
        (
            PERSON + "alternates: PER-BUDI\n",
            "content/people/ani.yaml:6:13: error[field-invalid]: alternates: 'PER-BUDI' is one value, but a list is needed here: write [PER-BUDI]",
        ),
        (
            PERSON + "review:\n  interval: P12M\n  last_reviewed: 2024-02-30\n",
            "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '2024-02-30' is not a date: February 2024 has no day 30",
        ),
        (
            PERSON + "review:\n  interval: every year\n",
            "content/people/ani.yaml:7:13: error[field-invalid]: review.interval: 'every year' is not an ISO 8601 duration such as P12M, P6M, P1Y, P30D or PT4H",
        ),
        (
            PERSON.replace("role: Service manager", "role: 42"),
            "content/people/ani.yaml:5:7: error[field-invalid]: role: 42 is read as a number, but text is needed here: put it in quotes, \"42\"",
        ),
        (
            PERSON.replace("title: Ani Wijaya", "title:"),
            "content/people/ani.yaml:3:7: error[field-invalid]: title: is empty: write it (Short human-readable title.)",
        ),
        (
            "kind: persn\nid: X\n",
            "content/people/ani.yaml:1:7: error[kind-unknown]: kind: unknown kind 'persn'. Did you mean 'person'?",
        ),
        (
            "id: X\ntitle: y\n",
            "content/people/ani.yaml:1:1: error[kind-missing]: every record needs a 'kind' field",
        ),
        (
            "kind: person\nid: PER-ANI\nowner: PER-ANI\nrole: x\n",
            "content/people/ani.yaml:1:1: error[field-missing]: title: required field 'title' is missing: add it (Short human-readable title.)",
        ),
        (
            "just text\n",
            "content/people/ani.yaml:1:1: error[record-shape]: a file holds one record (a mapping) or a list of records",
        ),
        (
            PERSON + "alternates: &a [PER-ANI]\ndescription: *a\n",
            "content/people/ani.yaml:6:13: error[yaml-alias]: anchors (&a) are not allowed: write the value out",
        ),
        (
            PERSON + "description: !!python/object/apply:os.system [ls]\n",
            "content/people/ani.yaml:6:14: error[yaml-tag]: explicit tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed",
        ),
        (
            PERSON + "description: " + "[" * 60 + "]" * 60 + "\n",
            "content/people/ani.yaml:6:53: error[yaml-depth]: nesting deeper than 40 levels is not allowed",
        ),
        (
            "",
            "content/people/ani.yaml:1:1: error[file-empty]: file holds no record",
        ),
        (
            "# only a comment\n",
            "content/people/ani.yaml:1:1: error[file-empty]: file holds no record",
        ),
        (
            PERSON + "---\n" + PERSON,
            "content/people/ani.yaml:6:1: error[yaml-multi-document]: only one YAML document per file is allowed",
        ),
    ],
)
def test_bad_input_message(check_tree, text, expected):
    lines = check_tree({"people/ani.yaml": text})
    assert expected in lines, lines


def test_alias_use_is_reported_too(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON + "alternates: &a [PER-ANI]\ndescription: *a\n"})
    assert "content/people/ani.yaml:7:14: error[yaml-alias]: aliases (*a) are not allowed: write the value out" in lines


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "on", "status: 'on' is not one of the values allowed here: 'draft', 'approved' or 'retired'"),
        ("classification", "NO", "classification: 'NO' is not one of the values allowed here: 'public', 'internal' or 'confidential'"),
    ],
)
def test_yaml11_words_stay_text(check_tree, field, value, message):
    lines = check_tree({"people/ani.yaml": PERSON + f"{field}: {value}\n"})
    assert f"content/people/ani.yaml:6:{len(field) + 3}: error[field-invalid]: {message}" in lines


def test_yaml11_boolean_word_is_not_a_boolean(check_tree):
    org = (
        "kind: service\nid: SVC-X\ntitle: X\nowner: PER-ANI\ncriticality: high\n"
    )
    lines = check_tree({"people/ani.yaml": PERSON, "services/x.yaml": org})
    assert lines == []
    outage = (
        "kind: outage\nid: OUT-1\ntitle: o\nowner: PER-ANI\nservice: SVC-X\n"
        "start: 2026-01-01T00:00:00+07:00\nend: 2026-01-01T01:00:00+07:00\nplanned: yes\nsummary: s\n"
    )
    lines = check_tree({"availability/out.yaml": outage})
    assert (
        "content/availability/out.yaml:8:10: error[field-invalid]: planned: 'yes' is text here, not true or false:"
        " write true or false"
    ) in lines


def test_octal_like_value_is_not_a_number(check_tree):
    org = "kind: organisation\nid: ORG-X\ntitle: X\nowner: PER-ANI\nroles: [customer]\nusers: 0777\n"
    lines = check_tree({"people/ani.yaml": PERSON, "people/org.yaml": org})
    assert lines == [
        "content/people/org.yaml:6:8: error[field-invalid]: users: '0777' is not a whole number: write it without a leading zero, e.g. 777"
    ]


def test_time_like_value_is_not_a_number():
    from generator.content.loader import LoadResult, load_text

    result = LoadResult()
    load_text(PERSON + "version: 1:30\n", "x.yaml", result)
    assert result.findings == []
    assert result.records[0].record.version == "1:30"  # YAML 1.1 would have made it 90


def test_version_number_keeps_its_written_form(tmp_path, monkeypatch):
    from generator.content.loader import LoadResult, load_text

    result = LoadResult()
    load_text(PERSON + "version: 1.10\n", "x.yaml", result)
    assert result.records[0].record.version == "1.10"


def test_not_utf8(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON.encode() + b"description: caf\xe9\n"})
    assert "content/people/ani.yaml:6:17: error[encoding]: byte 0xe9 is not valid UTF-8: save the file as UTF-8" in lines


def test_bom_is_fine(check_tree):
    assert check_tree({"people/ani.yaml": b"\xef\xbb\xbf" + PERSON.encode()}) == []


def test_file_too_large(check_tree):
    big = PERSON + "description: " + "x" * (1024 * 1024) + "\n"
    lines = check_tree({"people/ani.yaml": big})
    assert lines == [
        f"content/people/ani.yaml:1:1: error[file-too-large]: file is {len(big)} bytes, over the limit of 1048576 bytes: split it"
    ]


def test_symlink_outside_content(check_tree, tmp_path: Path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(PERSON.replace("PER-ANI", "PER-X"))
    (tmp_path / "content" / "people").mkdir(parents=True)
    os.symlink(outside, tmp_path / "content" / "people" / "link.yaml")
    lines = check_tree({"people/ani.yaml": PERSON})
    assert lines == [
        "content/people/link.yaml:1:1: error[symlink-outside]: symbolic link leads outside the content folder; it is not read"
    ]


def test_duplicate_ids_name_both_places(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON, "people/ani2.yaml": "# c\n" + PERSON})
    assert lines == [
        "content/people/ani.yaml:2:5: error[id-duplicate]: id: id 'PER-ANI' is also used at content/people/ani2.yaml:3",
        "content/people/ani2.yaml:3:5: error[id-duplicate]: id: id 'PER-ANI' is also used at content/people/ani.yaml:2",
    ]


def test_unknown_reference_with_suggestion(check_tree):
    lines = check_tree({"people/ani.yaml": PERSON + "alternates: [PER-AMI]\n"})
    assert lines == [
        "content/people/ani.yaml:6:14: error[ref-unknown]: alternates[0]: 'PER-AMI' is not a known person. Did you mean 'PER-ANI'?"
    ]


def test_reference_of_wrong_kind(check_tree):
    svc = "kind: service\nid: SVC-X\ntitle: X\nowner: PER-ANI\ncriticality: high\n"
    lines = check_tree({"people/ani.yaml": PERSON + "alternates: [SVC-X]\n", "services/x.yaml": svc})
    assert lines == [
        "content/people/ani.yaml:6:14: error[ref-kind]: alternates[0]: 'SVC-X' is a service, but a person is needed here"
    ]


def test_list_file_locates_each_record(check_tree):
    text = "- " + PERSON.replace("\n", "\n  ").rstrip() + "\n- kind: person\n  id: PER-B\n  title: B\n  owner: PER-ANI\n  role: x\n  rol: y\n"
    lines = check_tree({"people/all.yaml": text})
    assert lines == ["content/people/all.yaml:11:3: error[field-unknown]: [1].rol: unknown field 'rol'. Did you mean 'role'?"]


def test_every_problem_reported_in_one_run(check_tree):
    lines = check_tree({
        "people/a.yaml": PERSON + "titel: x\n",
        "people/b.yaml": "kind: person\nid: [PER-B\n",
        "people/c.yaml": PERSON.replace("PER-ANI", "PER-C") + "alternates: [PER-NOPE]\n",
    })
    codes = [line.split(": ")[1] for line in lines]
    assert codes == ["error[field-unknown]", "error[yaml-syntax]", "error[ref-unknown]"]
