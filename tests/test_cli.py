"""The real command: exit codes and output formats."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from tests.conftest import PERSON, ROOT, write_tree


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    write_tree(tmp_path, {
        "people/ani.yaml": PERSON + "titel: x\n",
        "people/budi.yaml": PERSON.replace("PER-ANI", "PER-BUDI") + "review:\n  interval: P1M\n  last_reviewed: 2026-01-01\n",
    })
    return tmp_path


def test_clean_content_exits_0(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON})
    proc = run("check", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == "0 error(s), 0 warning(s)\n"
    assert proc.stderr == ""


def test_errors_exit_1_without_traceback(bad_tree: Path):
    proc = run("check", "--today", "2026-11-24", cwd=bad_tree)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "content/people/ani.yaml:6:1: error[field-unknown]: titel: unknown field 'titel'. Did you mean 'title'?",
        "content/people/budi.yaml:8:18: warning[review-overdue]: review.last_reviewed: review was due on 2026-02-01 (296 days ago, as of 2026-11-24)",
        "1 error(s), 1 warning(s)",
    ]
    assert "Traceback" not in proc.stderr


def test_warnings_fail_only_when_strict(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON + "review:\n  interval: P1M\n  last_reviewed: 2026-01-01\n"})
    assert run("check", "--today", "2026-11-24", cwd=tmp_path).returncode == 0
    assert run("check", "--today", "2026-11-24", "--strict", cwd=tmp_path).returncode == 1
    assert run("check", "--today", "2026-11-24", "--fail-on", "warning", cwd=tmp_path).returncode == 1


def test_usage_error_exits_2(tmp_path: Path):
    assert run("check", "--today", "2026-02-30", cwd=tmp_path).returncode == 2
    assert run("check", "--format", "xml", cwd=tmp_path).returncode == 2
    assert run("frobnicate", cwd=tmp_path).returncode == 2
    assert run("new", "slaa", "X", cwd=tmp_path).returncode == 2


def test_missing_content_folder_is_a_finding(tmp_path: Path):
    proc = run("check", "--content", "nope", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == "nope:1:1: error[content-missing]: content folder not found"


def test_json_output_is_stable(bad_tree: Path):
    proc = run("check", "--today", "2026-11-24", "--format", "json", cwd=bad_tree)
    data = json.loads(proc.stdout)
    assert data["summary"] == {"errors": 1, "warnings": 1, "infos": 0}
    assert data["findings"][0] == {
        "file": "content/people/ani.yaml", "line": 6, "col": 1, "severity": "error",
        "code": "field-unknown", "field": "titel", "message": "unknown field 'titel'. Did you mean 'title'?",
        "record": "",
    }
    assert proc.stdout == run("check", "--today", "2026-11-24", "--format", "json", cwd=bad_tree).stdout


def test_github_annotations(bad_tree: Path):
    proc = run("check", "--today", "2026-11-24", "--format", "github", cwd=bad_tree)
    assert proc.stdout.splitlines()[0] == (
        "::error file=content/people/ani.yaml,line=6,col=1,title=field-unknown::titel: unknown field 'titel'. Did you mean 'title'?"
    )
    assert proc.stdout.splitlines()[1].startswith("::warning file=content/people/budi.yaml,line=8,col=18,title=review-overdue::")


def test_junit_output(bad_tree: Path):
    proc = run("check", "--today", "2026-11-24", "--format", "junit", cwd=bad_tree)
    root = ElementTree.fromstring(proc.stdout)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"field-unknown", "review-overdue"}
    assert "content/people/ani.yaml:6:1" in cases["field-unknown"].find("failure").text


def test_new_writes_a_valid_skeleton(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON})
    proc = run("new", "continuity_plan", "CP-NEW", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "content/continuity/CP-NEW.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/continuity_plan.schema.json\n")
    assert "# invocation (Invocation): When the plan is invoked" in text
    data = yaml.safe_load(text)
    assert data["kind"] == "continuity_plan" and data["id"] == "CP-NEW"
    # the skeleton validates; its findings are the placeholders to fill in (and that it is a draft)
    out = run("check", "--today", "2026-11-24", cwd=tmp_path).stdout
    found = {line.split("[", 1)[1].split("]")[0] for line in out.splitlines()[:-1]}
    assert found == {"placeholder", "approval-draft"}, out
    line = text.splitlines().index('    - "TODO: criteria"') + 1
    assert (f"content/continuity/CP-NEW.yaml:{line}:7: error[placeholder]: invocation.criteria[0]: still holds the "
            "skeleton's placeholder: write the text here (Conditions under which the plan is invoked, e.g. "
            "'Primary site unreachable for over 1 hour'.)") in out.splitlines(), out
    assert run("new", "continuity_plan", "CP-NEW", cwd=tmp_path).returncode == 1  # no overwrite


@pytest.mark.parametrize("kind", sorted(__import__("generator.content.models", fromlist=["KINDS"]).KINDS))
def test_every_kind_has_a_valid_skeleton(kind: str):
    from generator.content.loader import LoadResult, load_text
    from generator.authoring.skeleton import skeleton

    result = LoadResult()
    load_text(skeleton(kind, "X-1"), "x.yaml", result)
    assert result.findings == []
    assert result.records[0].record.kind == kind


def test_version_and_program_name(tmp_path: Path):
    proc = run("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert re.fullmatch(r"clause8 \d+\.\d+\.\d+\S*\n", proc.stdout)
    assert run("check", "--help", cwd=tmp_path).stdout.startswith("usage: clause8 check")


def test_internal_error_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from generator.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("generator.checks.pipeline.check_content", broken)
    assert main(["check", "--content", "nowhere"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("clause8: internal error: ZeroDivisionError: division by zero.")
    assert "--debug" in err
    # With --debug (before or after the command) the traceback is shown instead.
    for argv in (["--debug", "check"], ["check", "--debug"]):
        with pytest.raises(ZeroDivisionError):
            main([*argv, "--content", "nowhere"])
