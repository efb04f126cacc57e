"""`clause8 init`: a records repository that checks clean and builds, `--update`, `--example`, the wheel."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.authoring import scaffold
from generator.content.models import FAMILIES, KINDS
from tests.conftest import ROOT

EXAMPLE_TODAY = "2026-11-24"  # the example organisation's own date (tests/test_example.py)
TOOL_FILES = {".github/workflows/clause8.yml", ".github/dependabot.yml", ".pre-commit-config.yaml"}


def clause8(*args: str, cwd: Path, pythonpath: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command in ``cwd``, with no terminal on standard input."""
    env = {"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


def files_under(root: Path) -> dict[str, str | bytes]:
    """Every file under ``root`` but a built site: text, or bytes where it is not UTF-8 (evidence PDFs)."""
    files: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "site" not in path.relative_to(root).parts[:1]:
            data = path.read_bytes()
            try:
                files[path.relative_to(root).as_posix()] = data.decode("utf-8")
            except UnicodeDecodeError:
                files[path.relative_to(root).as_posix()] = data
    return files


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh `clause8 init` of a made-up organisation (shared: tests that change it copy it)."""
    base = tmp_path_factory.mktemp("init")
    proc = clause8("init", "acme", "--name", "Acme Managed Services", cwd=base)
    assert proc.returncode == 0, proc.stderr
    assert "Next: cd acme; clause8 check" in proc.stdout
    return base / "acme"


def test_a_fresh_init_checks_clean_and_builds(org: Path):
    check = clause8("check", "--format", "json", cwd=org)
    assert check.returncode == 0, check.stdout
    findings = json.loads(check.stdout)["findings"]
    # Only reminders that the plan, policy and agreements are drafts, as they should be.
    assert {(f["severity"], f["code"]) for f in findings} == {("warning", "approval-draft")}
    # --config defaults to the new mkdocs.yml in the working folder.
    build = clause8("build", "--site-dir", "site", cwd=org)
    assert build.returncode == 0, build.stderr
    assert "built site: internal edition, 11 of 11 records" in build.stdout
    home = (org / "site" / "index.html").read_text(encoding="utf-8")
    assert "Acme Managed Services — service management records" in home
    intro = (org / "site" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert "Example service (replace with a service you provide)" in intro  # the start page's macro table


def test_the_example_tests_know_the_starter_records_are_not_the_example(org: Path):
    """The tests about the example organisation skip themselves for any other content/: a fresh
    organisation's starter records are not taken for the example (tests/test_example.py: the
    example's are)."""
    from tests.conftest import holds_the_example

    assert not holds_the_example(org / "content")


def test_init_writes_the_repository_of_an_organisation(org: Path):
    written = set(files_under(org))
    assert {"mkdocs.yml", "README.md", ".gitignore", "content/pages/introduction.md", *TOOL_FILES} <= written
    assert {f"schemas/{kind}.schema.json" for kind in KINDS} <= written
    # One starter record per family, each a commented skeleton pointing at the schemas init wrote.
    families = {path.split("/")[1] for path in written if path.startswith("content/") and path.endswith(".yaml")}
    assert families == set(FAMILIES)
    sla = (org / "content/service_levels/SLA-EXAMPLE.yaml").read_text(encoding="utf-8")
    assert sla.startswith("# yaml-language-server: $schema=../../schemas/sla.schema.json\n")
    assert "# targets (list of Target): Service level targets." in sla
    config = yaml.safe_load((org / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Acme Managed Services — service management records"
    assert config["theme"]["language"] == "en"
    assert config["extra"]["clause8"]["bundle_name"] == "acme-managed-services-records"
    assert {"clause8": {"content": "content"}} in config["plugins"]
    workflow = (org / ".github/workflows/clause8.yml").read_text(encoding="utf-8")
    assert f'pip install "clause8-docs=={scaffold.__version__}"' in workflow
    assert "clause8 check --format github" in workflow and "pytest" not in workflow and "make " not in workflow
    hooks = yaml.safe_load((org / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks["repos"][0]["hooks"]
    assert hook["entry"] == "clause8 check"
    assert hook["additional_dependencies"] == [f"clause8-docs=={scaffold.__version__}"]


def test_init_in_indonesian_with_its_own_bundle_name(tmp_path: Path):
    proc = clause8("init", "nld", "--name", "PT Contoh", "--language", "id", "--bundle-name", "contoh", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load((tmp_path / "nld/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "id"
    assert config["site_name"] == "PT Contoh — catatan manajemen layanan"
    assert config["extra"]["clause8"]["bundle_name"] == "contoh"
    assert "# Pendahuluan" in (tmp_path / "nld/content/pages/introduction.md").read_text(encoding="utf-8")
    assert clause8("check", cwd=tmp_path / "nld").returncode == 0


def test_update_rewrites_only_the_tool_files_and_says_which(org: Path, tmp_path: Path):
    repo = tmp_path / "repo"
    for rel, text in files_under(org).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    # The organisation's own edits, an old version's tool files, and a schema of a kind since gone.
    edits = {
        "content/services/SVC-EXAMPLE.yaml": "kind: service\n",
        "mkdocs.yml": (repo / "mkdocs.yml").read_text(encoding="utf-8") + "# our own setting\n",
        "README.md": "# Ours\n",
        ".gitignore": "/site/\n",
        ".github/workflows/clause8.yml": "# clause8-docs 0.0.9\n",
        ".pre-commit-config.yaml": "repos: []\n",
        "schemas/retired_kind.schema.json": "{}\n",
    }
    for rel, text in edits.items():
        (repo / rel).write_text(text, encoding="utf-8")
    (repo / ".github/dependabot.yml").unlink()

    proc = clause8("init", "--update", ".", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "created  .github/dependabot.yml",
        "updated  .github/workflows/clause8.yml",
        "updated  .pre-commit-config.yaml",
        "removed  schemas/retired_kind.schema.json",
    ]
    assert "mkdocs.yml differs from the one clause8-docs" in proc.stderr
    after = files_under(repo)
    for rel in TOOL_FILES:
        assert after[rel] == files_under(org)[rel]
    for rel in ("content/services/SVC-EXAMPLE.yaml", "mkdocs.yml", "README.md", ".gitignore"):
        assert after[rel] == edits[rel], f"{rel}: the organisation's file was changed"
    assert "schemas/retired_kind.schema.json" not in after

    again = clause8("init", "--update", ".", cwd=repo)
    assert again.stdout == f"nothing to change: the tool's files are those of clause8-docs {scaffold.__version__}\n"

    # --force rewrites mkdocs.yml too, for the organisation its site name says.
    forced = clause8("init", "--update", "--force", ".", cwd=repo)
    assert forced.stdout.splitlines() == ["updated  mkdocs.yml"]
    assert files_under(repo)["mkdocs.yml"] == files_under(org)["mkdocs.yml"]
    assert forced.stderr == ""


def test_init_never_overwrites_a_repository(org: Path):
    before = files_under(org)
    proc = clause8("init", ".", "--name", "Other", cwd=org)
    assert proc.returncode == 2
    assert "already holds mkdocs.yml: `clause8 init --update .` refreshes" in proc.stderr
    assert files_under(org) == before


def test_init_needs_a_name_when_it_cannot_ask(tmp_path: Path):
    proc = clause8("init", "org", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "error: give the organisation's name with --name (on a terminal, init asks for it)\n"
    assert not (tmp_path / "org").exists()
    bad = clause8("init", "org", "--name", "A", "--bundle-name", "no spaces", cwd=tmp_path)
    assert bad.returncode == 2 and "bundle name 'no spaces'" in bad.stderr
    update = clause8("init", "--update", "org", cwd=tmp_path)
    assert update.returncode == 2 and "run `clause8 init org` first" in update.stderr
    both = clause8("init", "--update", "--example", "org", cwd=tmp_path)
    assert both.returncode == 2 and "--update only refreshes the tool's files" in both.stderr


def test_init_asks_for_the_name_and_language_on_a_terminal(tmp_path: Path):
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, with a terminal on standard input
        try:
            os.chdir(tmp_path)
            os.environ["PYTHONPATH"] = str(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "generator", "init", "org"])
        finally:
            os._exit(127)  # never back into pytest
    seen = b""

    def until(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while text not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    break

    until(b"Organisation's name: ")
    os.write(fd, b"PT Uji Coba\n")
    until(b"Site language (en or id) [en]: ")
    os.write(fd, b"id\n")
    until(b"Next: cd org")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode()
    config = yaml.safe_load((tmp_path / "org/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "PT Uji Coba — catatan manajemen layanan"
    assert config["extra"]["clause8"]["bundle_name"] == "pt-uji-coba-records"


@pytest.mark.example
def test_example_init_is_the_example_organisation_and_checks_clean(tmp_path: Path):
    proc = clause8("init", "nld", "--example", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    repo = tmp_path / "nld"
    copied = {k.removeprefix("content/"): v for k, v in files_under(repo).items() if k.startswith("content/")}
    assert copied == files_under(ROOT / "content")
    # The same mkdocs.yml as this repository's.
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8") == (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    check = clause8("check", "--today", EXAMPLE_TODAY, cwd=repo)
    assert check.returncode == 0, check.stdout
    assert "0 error(s)" in check.stdout


def test_the_repository_mkdocs_yml_is_the_init_template():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert scaffold.organisation_of(text) == scaffold.EXAMPLE
    assert scaffold.mkdocs_yml(scaffold.EXAMPLE) == text, (
        "mkdocs.yml and generator/data/scaffold/mkdocs.yml disagree: change both (init writes the template)")


@pytest.mark.parametrize("name", ['Acme: "Ops" #1', "- yes", "PT Maju & Co. {EN}", "'quoted'", "100"])
def test_any_name_stays_one_yaml_string(name: str):
    org = scaffold.Organisation(name)
    config = yaml.safe_load(scaffold.mkdocs_yml(org))
    assert config["site_name"] == f"{name} — service management records"
    assert config["site_description"].endswith(f" {name}")
    assert scaffold.organisation_of(scaffold.mkdocs_yml(org)) == org


def test_starter_dates_follow_the_day_of_init():
    files = scaffold.starter_records(dt.date(2030, 1, 31))
    action = yaml.safe_load(files["content/improvement/IMP-EXAMPLE.yaml"])
    assert action["due"] == "2030-05-01"
    assert yaml.safe_load(files["content/service_levels/SLA-EXAMPLE.yaml"])["agreed"] == "2030-01-31"


@pytest.mark.slow
def test_the_installed_wheel_carries_everything(tmp_path: Path):
    """Build the wheel, install it outside the repository, and use it as an organisation would."""
    # From a copy of what the build reads: no build/ left over in the repository (stale files there
    # would go into later wheels), and nothing from it in this one.
    source = tmp_path / "source"
    for rel in ("pyproject.toml", "README.md"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, source / rel)
    for rel in ("generator", "site_templates", "content"):
        shutil.copytree(ROOT / rel, source / rel, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheels), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("clause8_docs-*.whl")
    site = tmp_path / "site-packages"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                                str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as zf:
        assert "clause8 = generator.engine.plugin:Clause8Plugin" in zf.read(entry_points).decode()
    example = {n.removeprefix("generator/example/") for n in names if n.startswith("generator/example/")}
    assert example == set(files_under(ROOT / "content")), "content/ and the wheel's example differ (pyproject.toml)"

    work = tmp_path / "elsewhere"
    work.mkdir()
    probe = subprocess.run([sys.executable, "-c", "import generator, importlib.metadata as m; print(generator.__file__); "
                            "print([e.value for e in m.entry_points(group='mkdocs.plugins', name='clause8')])"],
                           cwd=work, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True,
                           text=True, timeout=60)
    assert probe.stdout.splitlines()[0].startswith(str(site)), probe.stdout + probe.stderr
    assert "generator.engine.plugin:Clause8Plugin" in probe.stdout

    assert clause8("init", "acme", "--name", "Acme", cwd=work, pythonpath=site).returncode == 0
    repo = work / "acme"
    check = clause8("check", cwd=repo, pythonpath=site)
    assert check.returncode == 0, check.stdout + check.stderr
    build = clause8("build", cwd=repo, pythonpath=site)
    assert build.returncode == 0, build.stderr
    assert (repo / "site" / "assets" / "clause8" / "tablesort.js").is_file()
    bundle = clause8("bundle", cwd=repo, pythonpath=site)
    assert bundle.returncode == 0, bundle.stderr
    (zip_path,) = (repo / "dist").glob("acme-records-continuity-*.zip")
    verify = clause8("verify", str(zip_path), cwd=repo, pythonpath=site)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    assert clause8("init", "nld", "--example", cwd=work, pythonpath=site).returncode == 0
    assert clause8("check", "--today", EXAMPLE_TODAY, cwd=work / "nld", pythonpath=site).returncode == 0
