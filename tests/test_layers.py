"""The package's layering is enforced, not hoped for: import-linter's contracts in pyproject.toml
(no cycles; layers cli > engine > publish | authoring > site > compliance > checks > figures >
content; only the engine imports mkdocs; the site never imports the engine; content imports nothing
above it) hold, and a wrong import breaks them; every module sits in its layer's package; every
sub-package ships in the wheel."""

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


# A wrong import in each direction the contracts forbid, and what lint-imports says about it.
FORBIDDEN = {
    "generator/content/index.py": ("from generator.site import assemble",
                                   "generator.content is not allowed to import generator.site"),
    "generator/site/records.py": ("from generator.engine import plugin",
                                  "generator.site is not allowed to import generator.engine"),
    "generator/checks/required.py": ("from generator.compliance import trace",
                                     "generator.checks is not allowed to import generator.compliance"),
}


def test_a_forbidden_import_breaks_a_contract(tmp_path: Path):
    # The same contracts on a copy of the package with a wrong import in each of three layers.
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, (line, _) in FORBIDDEN.items():
        module = tmp_path / path
        module.write_text(module.read_text() + f"\n{line}  # noqa: E402,F401\n")
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, '.');"
                           "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    for _, said in FORBIDDEN.values():
        assert said in proc.stdout


def test_the_package_shows_the_flow():
    # Every module sits in the package of its layer (only the command line and its runner at the
    # top), and every such package has its place in the layers contract.
    flat = sorted(p.name for p in (ROOT / "generator").glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "cli.py"]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in config if c["type"] == "layers")
    named = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    packages = {f"generator.{p.parent.name}" for p in (ROOT / "generator").glob("*/__init__.py")
                if p.parent.name not in ("data", "example", "site_templates")}
    assert packages <= named, f"give these packages a layer in pyproject.toml: {sorted(packages - named)}"


def test_every_sub_package_ships_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "generator").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
