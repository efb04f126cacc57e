"""`clause8 check` as a pre-commit hook: the hook definition pre-commit accepts, and a check that stays light."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from generator.authoring import scaffold
from tests.conftest import ROOT, TODAY

# What the hook must never load: the site engine, the charts and the PDF writer. `check` runs on
# every commit that touches content/, so it stays a records-only program.
HEAVY = ("mkdocs", "material", "mkdocs_macros", "matplotlib", "weasyprint")

_PROBE = """
import json, sys
from generator.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_hook_runs_clause8_check_on_content_changes():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "clause8-check"
    assert hook["entry"] == "clause8 check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["files"] == "^content/"
    # The entry names the console script the package installs.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["clause8"] == "generator.cli:main"


def loaded_by(*args: str, probe: str = _PROBE) -> tuple[int, list[str]]:
    """Run the CLI in a fresh interpreter; return its exit code and every module it imported."""
    proc = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["code"], result["modules"]


def heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_check_imports_no_site_engine_charts_or_pdf():
    code, modules = loaded_by("check", "--content", "content", "--today", TODAY.isoformat(), "--format", "json")
    assert code in (0, 1)  # it ran to the end (whatever the example's findings are today)
    assert "generator.checks" in modules and "generator.content.loader" in modules  # it did check the records
    assert heavy(modules) == []


def test_the_probe_sees_the_site_engine():
    # The same probe catches a run that loads the engine (as `build` does).
    probe = _PROBE.replace("code = main(sys.argv[1:])", "import generator.engine.plugin\ncode = 0")
    _, modules = loaded_by(probe=probe)
    assert "mkdocs" in heavy(modules)


def pre_commit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.fail("pre-commit is not installed: pip install -c constraints.txt -e '.[test]' (make test does)")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_pre_commit_accepts_the_hook_and_the_config_init_writes(tmp_path: Path):
    assert pre_commit("validate-manifest", ".pre-commit-hooks.yaml").returncode == 0
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(scaffold.tool_files()[".pre-commit-config.yaml"], encoding="utf-8")
    proc = pre_commit("validate-config", str(config))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_rejects_a_broken_hook(tmp_path: Path):
    broken = tmp_path / ".pre-commit-hooks.yaml"
    broken.write_text((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").replace(
        "language: python", "language: pythn"), encoding="utf-8")
    proc = pre_commit("validate-manifest", str(broken))
    assert proc.returncode != 0 and "pythn" in proc.stdout + proc.stderr
