"""`python -m generator export`: the compliance matrix as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.requirements import catalogue
from tests.conftest import PERSON, ROOT, write_tree

STATUSES = {"met", "risk_accepted", "at_risk", "stale", "no_data", "partly_met", "missing", "withheld", "not_met",
            "not_applicable"}
REASON_FIELDS = {"code", "severity", "message", "record", "status"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.example
def test_json_of_the_example(capsys: pytest.CaptureFixture[str]):
    assert main(["export", "--format", "json", "--content", str(ROOT / "content"), "--today", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"version", "generated_for", "requirements", "figures", "due"}
    assert (data["version"], data["generated_for"]) == (1, "2026-11-24")
    assert isinstance(data["figures"], dict)
    # Every obligation of the edition's records, earliest first (generator/figures/due.py).
    dates = [d["date"] for d in data["due"]]
    assert dates and dates == sorted(dates) and {d["what"] for d in data["due"]} >= {"review", "sla_report", "action"}
    assert [r["id"] for r in data["requirements"]] == list(catalogue())
    for row in data["requirements"]:
        assert set(row) == {"id", "subclause", "status", "evidence", "reasons"}
        assert row["status"] in STATUSES
        assert row["evidence"] == sorted(row["evidence"])
        assert all(set(reason) == REASON_FIELDS for reason in row["reasons"])
        # Every status but met and not applicable says why.
        assert bool(row["reasons"]) or row["status"] in ("met", "not_applicable"), row
    cp = next(r for r in data["requirements"] if r["id"] == "8.7.2-d")
    assert (cp["subclause"], cp["status"], cp["evidence"]) == ("8.7.2", "met", ["CP-DC-LOSS", "CP-OPS-LOSS"])
    # Stable: a second run gives the same bytes.
    assert main(["export", "--content", str(ROOT / "content"), "--today", "2026-11-24"]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.example
def test_csv_of_the_example(capsys: pytest.CaptureFixture[str]):
    assert main(["export", "--format", "csv", "--content", str(ROOT / "content"), "--today", "2026-11-24"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["id", "subclause", "status", "evidence", "reasons"]
    assert [r[0] for r in rows[1:]] == list(catalogue())
    assert all(len(r) == 5 and r[2] in STATUSES for r in rows[1:])
    cp = next(r for r in rows if r[0] == "8.7.2-d")
    assert cp == ["8.7.2-d", "8.7.2", "met", "CP-DC-LOSS CP-OPS-LOSS", ""]


def test_real_command_writes_stdout_or_file(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON + "status: approved\nsatisfies: [8.3.2-b]\n"})
    proc = run("export", "--format", "csv", "--today", "2026-11-24", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    rows = {r[0]: r for r in csv.reader(io.StringIO(proc.stdout))}
    assert rows["8.3.2-b"] == ["8.3.2-b", "8.3.2", "met", "PER-ANI", ""]
    assert rows["8.3.2-c"][:4] == ["8.3.2-c", "8.3.2", "missing", ""]
    assert rows["8.3.2-c"][4].startswith("error[evidence-missing]: no record evidences 8.3.2-c")

    proc = run("export", "--format", "json", "--out", "out/matrix.json", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 0
    assert "matrix.json" in proc.stdout
    data = json.loads((tmp_path / "out" / "matrix.json").read_text(encoding="utf-8"))
    assert len(data["requirements"]) == len(catalogue())


def test_content_errors_exit_1_with_findings_on_stderr(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON + "titel: x\n"})
    proc = run("export", "--format", "json", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "content/people/ani.yaml:6:1: error[field-unknown]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_warnings_go_to_stderr_and_do_not_fail(tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON + "status: approved\nsatisfies: [8.3.2-b]\nreview:\n  interval: P1M\n"
                                                        "  last_reviewed: 2026-01-01\n"})
    proc = run("export", "--format", "json", "--today", "2026-11-24", cwd=tmp_path)
    assert proc.returncode == 0
    assert "review-overdue" in proc.stderr
    # The overdue review makes what the person evidences at risk, and says so.
    row = next(r for r in json.loads(proc.stdout)["requirements"] if r["id"] == "8.3.2-b")
    assert row["status"] == "at_risk"
    assert [(r["code"], r["severity"], r["record"]) for r in row["reasons"]] == [
        ("review-overdue", "warning", "PER-ANI")]
    assert row["reasons"][0]["message"].startswith("review was due on 2026-02-01")


def test_usage_errors_exit_2(tmp_path: Path):
    assert run("export", "--format", "xml", cwd=tmp_path).returncode == 2
    assert run("export", "--today", "2026-02-30", cwd=tmp_path).returncode == 2


@pytest.mark.example
def test_figures_come_from_generator_compliance_export(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]):
    import types

    seen = []

    def figures_payload(index, today):  # noqa: ANN001, ANN202 - stand-in for generator.compliance.export
        seen.append(today.isoformat())
        return {"records": len(index.records)}

    fake = types.ModuleType("generator.compliance.export")
    fake.figures_payload = figures_payload  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "generator.compliance.export", fake)
    assert main(["export", "--content", str(ROOT / "content"), "--today", "2026-11-24"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert seen == ["2026-11-24"]
    assert data["figures"]["records"] > 0
