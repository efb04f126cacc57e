"""The package's layering is enforced, not hoped for: import-linter's contracts in pyproject.toml
(no cycles, only the engine imports mkdocs, the site never imports the engine, content imports
nothing above it) hold; every sub-package ships in the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_import_contracts_hold():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_a_forbidden_import_breaks_a_contract(tmp_path: Path):
    # The same contracts on a copy of the package where the content layer imports the pages.
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    index = tmp_path / "generator/index.py"
    index.write_text(index.read_text() + "\nfrom generator import render  # noqa: E402,F401\n")
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, '.');"
                           "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "generator.index is not allowed to import generator.render" in proc.stdout


def test_every_sub_package_ships_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "generator").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
