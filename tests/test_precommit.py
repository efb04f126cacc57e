"""`clause8 check` as a pre-commit hook: the hook definition, and a check that stays light."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import yaml

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
    assert code == 0
    assert "generator.checks" in modules and "generator.loader" in modules  # it did check the records
    assert heavy(modules) == []


def test_the_probe_sees_the_site_engine():
    # The same probe catches a run that loads the engine (as `build` does).
    probe = _PROBE.replace("code = main(sys.argv[1:])", "import generator.engine.plugin\ncode = 0")
    _, modules = loaded_by(probe=probe)
    assert "mkdocs" in heavy(modules)
