"""`clause8 render --out`: the generated docs tree for any mkdocs-compatible engine, one edition's
records only, which plain mkdocs (no clause8 plugin) builds with the navigation written beside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from generator.engine.build import read_mkdocs_yaml
from generator.cli import main
from tests.conftest import ROOT, TODAY


def render(content: Path, out: Path, *extra: str) -> int:
    return main(["render", "--content", str(content), "--today", TODAY.isoformat(), "--config",
                 str(ROOT / "mkdocs.yml"), "--out", str(out), *extra])


def confidential_ids(content: Path) -> set[str]:
    from generator.checks.pipeline import check_content

    index = check_content(content, TODAY).index
    return {loaded.record.id for loaded in index.records if loaded.record.classification == "confidential"}


def test_render_writes_one_editions_docs_tree_and_its_navigation(tmp_path: Path, synthetic_content: Path):
    assert render(synthetic_content, tmp_path / "public", "--edition", "public") == 0
    assert render(synthetic_content, tmp_path / "continuity", "--edition", "continuity") == 0
    public = {p.relative_to(tmp_path / "public/docs").as_posix() for p in (tmp_path / "public/docs").rglob("*")}
    assert "index.md" in public and "assets/clause8/freshness.js" in public
    secret = confidential_ids(synthetic_content)
    assert secret and not any(Path(p).stem in secret for p in public)
    assert "emergency/continuity-contacts.vcf" not in public  # personal data stays out of public
    assert (tmp_path / "continuity/docs/emergency/continuity-contacts.vcf").is_file()
    nav = yaml.safe_load((tmp_path / "public/nav.yml").read_text())["nav"]
    assert nav[0] == {"Home": "index.md"}


def test_plain_mkdocs_builds_the_rendered_tree(tmp_path: Path, synthetic_content: Path):
    assert render(synthetic_content, tmp_path / "out", "--edition", "internal") == 0
    base = read_mkdocs_yaml(ROOT / "mkdocs.yml")
    config = {
        "site_name": base["site_name"], "docs_dir": str(tmp_path / "out/docs"), "theme": base["theme"],
        "plugins": ["search"], "markdown_extensions": base["markdown_extensions"],
        "extra_javascript": base["extra_javascript"], "not_in_nav": base["not_in_nav"], "strict": True,
        **yaml.safe_load((tmp_path / "out/nav.yml").read_text()),
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/records/person/index.html").is_file()
