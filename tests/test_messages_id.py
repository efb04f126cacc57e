"""Finding messages in Indonesian (``check --lang id``, and the Indonesian site's findings).

Every message is a template with a msgid (generator/content/localize.py), translated in
generator/data/messages.yaml. These tests hold the catalogue to the code, run the suite's bad input
in Indonesian, and keep English exactly as it was.
"""

from __future__ import annotations

import ast
import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.checks import CODES
from generator.cli import main
from generator.content.findings import localize_findings
from generator.content.localize import CATALOGUE, Msg, say
from generator.checks.pipeline import check_content
from generator.content.yamldoc import _YAML_WORDS, parse
from tests.conftest import PERSON, ROOT, TODAY, write_tree
from tests.indonesian_words import english_words

GENERATOR = ROOT / "generator"
# Where a Msg is made from a table rather than from literals (the table is checked instead).
TABLES = {"generator/content/yamldoc.py": dict(_YAML_WORDS)}
# Calls that put a message on a finding: its message must be a Msg (or a variable holding one), never
# text written out (an f-string, or a literal with a space: codes and field names have none).
FINDING_CALLS = {"finding", "Finding", "_finding", "_failed_finding", "_failed", "problem", "Problem"}


# msgid -> the parameters every Msg(...) of it passes (None: passed as **values)
PARAMS: dict[str, set[str] | None] = {}


def _msgs_in_code() -> tuple[dict[str, str], list[str]]:
    """msgid -> English template of every ``Msg(...)`` in the generator; and what is wrong: a Msg
    whose msgid or template is not a literal, one msgid with two templates, a finding given text."""
    found: dict[str, str] = {}
    wrong: list[str] = []
    for path in sorted(GENERATOR.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("generator/authoring/importers/"):
            continue  # import problems are reported by `clause8 import`, not by check
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Msg":
                args = node.args[:2]
                if len(args) == 2 and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                    msgid, template = args[0].value, args[1].value  # type: ignore[attr-defined]
                    names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                    before = PARAMS.get(msgid, names)
                    PARAMS[msgid] = None if before is None or names is None else before & names  # type: ignore[operator]
                    if found.setdefault(msgid, template) != template:
                        wrong.append(f"{rel}:{node.lineno}: msgid {msgid!r} has two English templates")
                elif rel not in TABLES:
                    wrong.append(f"{rel}:{node.lineno}: Msg needs a literal msgid and template")
            elif name in FINDING_CALLS and (rel.startswith("generator/checks/") or rel in (
                    "generator/content/loader.py", "generator/content/yamldoc.py", "generator/figures/alignment.py")):
                if any(" " in _literal_text(a) for a in node.args):
                    wrong.append(f"{rel}:{node.lineno}: a finding's message is plain text, not a Msg")
    for table in TABLES.values():
        found.update(table)
        PARAMS.update({msgid: _fields(template) for msgid, template in table.items()})
    return found, wrong


def _literal_text(node: ast.expr) -> str:
    """The text a literal or an f-string writes out itself ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values)
    return ""


def _catalogue() -> dict[str, dict[str, str]]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def _fields(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:  # a lone brace: a template without parameters, never formatted
        return set()


# -- (2) every message in the code has its Indonesian words ---------------------------------------

def test_every_message_in_the_code_has_an_indonesian_translation():
    in_code, wrong = _msgs_in_code()
    assert not wrong, "\n".join(wrong)
    assert len(in_code) > 250  # the scan finds the messages (a test that cannot fail is not a test)
    entries = _catalogue()
    missing = sorted(m for m in in_code if not (entries.get(m) or {}).get("id"))
    assert not missing, f"messages without an Indonesian translation in {CATALOGUE.name}: {missing}"
    # The translation was made from the English the code says now: an English message that changed
    # asks for its translation again (update 'en' and 'id' together).
    stale = {m: (entries[m]["en"], t) for m, t in in_code.items() if entries[m]["en"] != t}
    assert not stale, stale
    # A translation names only parameters every message of its msgid passes (another would fail at
    # run time); the English may leave some out (a field's label) or use more (an article).
    for msgid in in_code:
        passed = PARAMS.get(msgid)
        extra = _fields(entries[msgid]["id"]) - passed if passed is not None else set()
        assert not extra, f"{msgid}: the translation names {extra}, which the message does not pass"


def test_the_catalogue_holds_nothing_the_code_does_not_say():
    in_code, _ = _msgs_in_code()
    from generator.checks.required import REQUIRED_PARTS

    words = {f"month.{m}" for m in range(1, 13)}
    words |= {f"part.{kind}.{dotted}" for kind, parts in REQUIRED_PARTS.items() for dotted in parts}
    entries = _catalogue()
    assert words <= set(entries), sorted(words - set(entries))  # every Term the messages insert
    assert set(entries) - set(in_code) - words == set()
    for msgid, entry in entries.items():
        assert set(entry) == {"en", "id"} and entry["id"].strip(), msgid


def test_a_part_label_changed_in_a_model_asks_for_its_translation_again():
    from generator.checks.required import REQUIRED_PARTS

    entries = _catalogue()
    for kind, parts in REQUIRED_PARTS.items():
        for dotted, label in parts.items():
            assert entries[f"part.{kind}.{dotted}"]["en"] == label, (kind, dotted)


# -- (1) the suite's bad input, said in Indonesian ------------------------------------------------

# The tests whose content is wrong on purpose: every finding they provoke is said in Indonesian on
# the side (tests/say_indonesian.py) and must have no English left.
BAD_INPUT_TESTS = [
    "tests/test_loader.py", "tests/test_messages.py", "tests/test_all_at_once.py", "tests/test_robustness.py",
    "tests/test_checks.py", "tests/test_check_mutations.py", "tests/test_lifecycle_checks.py",
    "tests/test_achievement_checks.py", "tests/test_compliance_checks.py", "tests/test_coverage_checks.py",
    "tests/test_deficiency_checks.py", "tests/test_supplier_alignment.py", "tests/test_monitoring.py",
    "tests/test_attachments.py", "tests/test_verdicts.py",
    "tests/test_history.py::test_substance_changed_after_approval_is_approval_outdated",
    "tests/test_history.py::test_an_uncommitted_edit_of_an_approved_record_is_a_warning",
    "tests/test_history.py::test_a_new_version_under_the_old_approval_is_approval_outdated",
    "tests/test_history.py::test_an_approval_dated_after_its_commit_is_postdated",
]


def test_every_finding_of_the_bad_input_tests_is_said_in_indonesian(tmp_path: Path):
    report = tmp_path / "said.json"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.say_indonesian",
                          "--say-report", str(report), *BAD_INPUT_TESTS],
                         cwd=ROOT, capture_output=True, text=True, timeout=1200)
    said = json.loads(report.read_text(encoding="utf-8"))
    problems = "\n".join(f"{what}\n    {where}" for what, where in said["problems"].items())
    assert not problems, problems
    assert run.returncode == 0, run.stdout[-3000:]
    # The tests provoke (nearly) every code: a message the corpus never shows is not judged here.
    unseen = set(CODES) - set(said["codes"])
    assert unseen <= {"content-missing", "yaml-key"}, sorted(unseen)  # both are covered below
    assert said["seen"] > 10000


YAML_MISTAKES = [
    "a: b: c\n", "a: [1, 2\n", "a: {b: 1\n", 'a: "x\\q"\n', "- a\nb: 1\n", "a: \x07\n", "a: 'b\n", "? [a]\n: 1\n",
    "a: *x\n", "a: &x 1\n", "a: !!str x\n", "a: 1\na: 2\n", "---\na: 1\n---\nb: 2\n", "a:\n\t- b\n", "a: @x\n",
    "a: |0\n  x\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a: !x!y z\n", "key: [a, b]]\n",
    "a:\n  - b\n c: d\n", "'a\n", "a: \"\\u00zz\"\n",
]


@pytest.mark.parametrize("text", YAML_MISTAKES)
def test_what_the_yaml_reader_says_is_said_in_indonesian(text: str):
    doc = parse(text)
    assert doc.problems, text
    for p in doc.problems:
        assert isinstance(p.message, Msg), p.message
        misses: set[str] = set()
        said = say(p.message, "id", misses)
        assert not misses and not english_words(p.message), (p.message, said)
        assert p.message.msgid != "yaml.other", f"PyYAML's words not in generator/content/yamldoc.py: {p.message}"


def test_a_missing_content_folder_and_a_key_that_is_not_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (missing,) = localize_findings(check_content(Path("nowhere"), TODAY).findings, "id")
    assert missing.text() == "nowhere:1:1: error[content-missing]: folder konten tidak ditemukan"
    write_tree(tmp_path, {"people/ani.yaml": PERSON + "[a, b]: 1\n"})
    lines = [f.text() for f in localize_findings(check_content(Path("content"), TODAY).findings, "id")]
    assert "content/people/ani.yaml:6:1: error[yaml-key]: kunci mapping harus berupa teks biasa" in lines, lines


# -- (3) check --lang id, and the language of mkdocs.yml ------------------------------------------

MISTAKE = {"people/ani.yaml": PERSON + "review:\n  interval: P12M\n  last_reviewed: 15/11/2026\nalternates: [PER-BUDY]\n"}
INDONESIAN = [
    "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '15/11/2026' bukan tanggal: tulis "
    "YYYY-MM-DD, mis. 2026-11-15",
    "content/people/ani.yaml:9:14: error[ref-unknown]: alternates[0]: 'PER-BUDY' bukan orang yang dikenal.",
]
ENGLISH = [
    "content/people/ani.yaml:8:18: error[field-invalid]: review.last_reviewed: '15/11/2026' is not a date: write "
    "YYYY-MM-DD, e.g. 2026-11-15",
    "content/people/ani.yaml:9:14: error[ref-unknown]: alternates[0]: 'PER-BUDY' is not a known person.",
]


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", "--today", TODAY.isoformat(), *args])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def mistaken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, MISTAKE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_lang_id_says_the_messages_in_indonesian(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    code, lines = _check(mistaken, capsys, "--lang", "id")
    assert code == 1
    assert lines == [*INDONESIAN, "2 kesalahan, 0 peringatan"]


def test_check_follows_the_language_of_mkdocs_yml(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    (mistaken / "mkdocs.yml").write_text("site_name: Acme\ntheme:\n  name: material\n  language: id\n"
                                         "markdown_extensions:\n  - pymdownx.emoji:\n"
                                         "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
                                         encoding="utf-8")
    assert _check(mistaken, capsys)[1][:2] == INDONESIAN
    assert _check(mistaken, capsys, "--lang", "en")[1][:2] == ENGLISH  # --lang wins
    other = mistaken / "site-en.yml"
    other.write_text("theme:\n  language: en\n", encoding="utf-8")
    assert _check(mistaken, capsys, "--config", str(other))[1][:2] == ENGLISH


def test_json_and_github_output_carry_the_indonesian_message(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    _, lines = _check(mistaken, capsys, "--lang", "id", "--format", "json")
    findings = json.loads("\n".join(lines))["findings"]
    assert findings[0]["message"] == INDONESIAN[0].split("review.last_reviewed: ", 1)[1]
    assert (findings[0]["code"], findings[0]["severity"]) == ("field-invalid", "error")
    _, lines = _check(mistaken, capsys, "--lang", "id", "--format", "github")
    assert lines[1] == ("::error file=content/people/ani.yaml,line=9,col=14,title=ref-unknown::alternates[0]: "
                        "'PER-BUDY' bukan orang yang dikenal.")


def test_a_config_that_is_not_there_is_a_usage_error(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["check", "--config", "nowhere.yml"]) == 2
    assert "nowhere.yml not found" in capsys.readouterr().err


def test_an_unsupported_site_language_gives_english(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    (mistaken / "mkdocs.yml").write_text("theme:\n  language: fr\n", encoding="utf-8")
    assert _check(mistaken, capsys)[1][:2] == ENGLISH


# -- (4) English as it was ------------------------------------------------------------------------

def test_english_is_the_text_as_it_was(mistaken: Path, capsys: pytest.CaptureFixture[str]):
    assert _check(mistaken, capsys)[1] == [*ENGLISH, "2 error(s), 0 warning(s)"]
    findings = check_content(Path("content"), TODAY).findings
    assert localize_findings(findings, "en") == findings
    # English reads no catalogue: a Msg is its English text, and saying it in English returns it.
    assert all(say(f.message, "en") is f.message for f in findings)


def test_a_message_keeps_its_english_and_its_parameters_across_processes():
    import pickle

    message = Msg("review-overdue", "review was due on {due} ({days} days ago, as of {today})", due="2026-01-01",
                  days=3, today="2026-01-04")
    again = pickle.loads(pickle.dumps(message))
    assert again == "review was due on 2026-01-01 (3 days ago, as of 2026-01-04)"
    assert say(again, "id") == "tinjauan jatuh tempo pada 2026-01-01 dan sudah lewat 3 hari (per 2026-01-04)"


# -- the Indonesian site -------------------------------------------------------------------------

def test_the_indonesian_site_shows_the_findings_in_indonesian(mistaken: Path):
    from generator.publish.prepare import prepare_site

    write_tree(mistaken, {"people/ani.yaml": PERSON + "alternates: [PER-BUDY]\n"})
    pages = prepare_site(Path("content"), TODAY, lang="id", edition="auditor").site.pages
    shown = "\n".join(text for path, text in pages.items() if "PER-ANI" in path or "findings" in path)
    assert "bukan orang yang dikenal" in shown
    assert "is not a known person" not in shown
    english = prepare_site(Path("content"), TODAY, lang="en", edition="auditor").site.pages
    assert "is not a known person" in "\n".join(english.values())


def test_the_catalogue_is_package_data():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"generator\.data" = \[[^]]*"\*\.yaml"', text)
    assert CATALOGUE.parent == GENERATOR / "data"


def test_a_build_stopped_by_content_errors_says_them_in_the_sites_language(mistaken: Path,
                                                                          capsys: pytest.CaptureFixture[str]):
    (mistaken / "mkdocs.yml").write_text("site_name: Acme\ntheme:\n  name: material\n  language: id\n",
                                         encoding="utf-8")
    assert main(["build", "--today", TODAY.isoformat(), "--site-dir", str(mistaken / "site")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "error[" in line] == INDONESIAN
    assert "2 kesalahan, 0 peringatan" in err


def test_the_indonesian_site_build_logs_its_findings_in_indonesian(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    import shutil

    from tests.test_site import FIXTURE, config_copy

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    with (content / "people" / "ani.yaml").open("a", encoding="utf-8") as f:
        f.write("review:\n  interval: P12M\n")
    caplog.set_level("INFO", logger="mkdocs.plugins.clause8")
    assert main(["build", "--content", str(content), "--site-dir", str(tmp_path / "site"), "--today",
                 TODAY.isoformat(), "--config", str(config_copy(tmp_path, "id"))]) == 0
    logged = [r.getMessage() for r in caplog.records if "review-never" in r.getMessage()]
    assert logged and all("tetapi belum pernah ditinjau" in line for line in logged), logged
