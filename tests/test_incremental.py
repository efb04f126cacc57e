"""serve's incremental rebuilds: after each edit only the pages whose text changed are rebuilt,
and the site is byte-identical to a full build of the same content (a change of a field, a new
record, a deleted record, a renamed id, an error introduced and fixed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.engine.plugin import find_plugin
from tests.conftest import ROOT, TODAY, synthesise

FIXTURE = ROOT / "tests" / "fixtures" / "site"
EPOCH = 1790000000
SECOND = """\
kind: person
id: PER-BUDI
title: Budi Santoso
owner: PER-ANI
role: Network engineer
phones:
  - {label: mobile, number: "+62 812 0000 2222"}
"""


def preview_build(site: Path, content: Path, fresh: bool = False):  # -> the plugin
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    plugin = find_plugin(config)
    if fresh or plugin.incremental is None:
        plugin.reset()
        plugin.configure(content=content, today=TODAY)
        plugin.preview(EPOCH)
    build(config, dirty=True)
    return plugin


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_full_build(tmp_path: Path, site: Path, content: Path) -> None:
    full = tmp_path / f"full-{len(list(tmp_path.glob('full-*')))}"
    plugin = find_plugin(load_config(str(ROOT / "mkdocs.yml")))
    kept = plugin.incremental  # the one plugin instance serves both sites: keep the preview's state
    preview_build(full, content, fresh=True)
    plugin.incremental = kept
    wanted, got = tree(full), tree(site)
    assert sorted(got) == sorted(wanted)
    assert [name for name in wanted if wanted[name] != got[name]] == []


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_each_edit_rebuilds_what_changed_and_matches_a_full_build(tmp_path: Path, content: Path):
    site = tmp_path / "site"
    plugin = preview_build(site, content, fresh=True)
    try:
        assert plugin.incremental.last is not None

        # A field: the person's page and the pages that name the person are rebuilt, no others.
        edit(content / "people/ani.yaml", "title: Ani Wijaya", "title: Ani Wijaya-Putri")
        site_map = tree(site)
        preview_build(site, content)
        rebuilt = plugin.incremental.last_rebuilt
        assert "records/person/PER-ANI.md" in rebuilt
        assert "records/continuity_plan/CP-1.md" in rebuilt  # its contact list names her
        assert "records/service/SVC-MAIL.md" in rebuilt or "records/service/SVC-MAIL.md" not in plugin.site.pages
        assert len(rebuilt) < len(plugin.site.pages)
        assert "Ani Wijaya-Putri" in (site / "records/person/PER-ANI/index.html").read_text()
        assert tree(site) != site_map
        assert_same_as_full_build(tmp_path, site, content)

        # A new record, then the same record deleted.
        (content / "people/budi.yaml").write_text(SECOND)
        preview_build(site, content)
        assert (site / "records/person/PER-BUDI/index.html").is_file()
        assert_same_as_full_build(tmp_path, site, content)
        (content / "people/budi.yaml").unlink()
        preview_build(site, content)
        assert not (site / "records/person/PER-BUDI").exists()
        assert_same_as_full_build(tmp_path, site, content)

        # A renamed id (every reference follows).
        for path in content.rglob("*.yaml"):
            path.write_text(path.read_text().replace("SVC-MAIL", "SVC-EMAIL"))
        preview_build(site, content)
        assert not (site / "records/service/SVC-MAIL").exists()
        assert_same_as_full_build(tmp_path, site, content)

        # An error: the build fails and the last good site stays; fixed, the site catches up.
        before = tree(site)
        edit(content / "people/ani.yaml", "role: Service manager", "role: Service manager\ntitel: typo")
        with pytest.raises(MkDocsException):
            preview_build(site, content)
        assert tree(site) == before
        edit(content / "people/ani.yaml", "\ntitel: typo", "")
        edit(content / "people/ani.yaml", "title: Ani Wijaya-Putri", "title: Ani W.")
        preview_build(site, content)
        assert "Ani W." in (site / "records/person/PER-ANI/index.html").read_text()
        assert_same_as_full_build(tmp_path, site, content)
    finally:
        plugin.reset()


@pytest.mark.parametrize("edition", ["internal", "auditor", "continuity"])
def test_pages_taken_from_the_last_build_are_those_a_full_render_gives(tmp_path: Path, edition: str):
    """serve renders again only the record pages an edit can reach: after edits of records of many
    kinds (a title every page naming the record shows, a status), every page equals a full render,
    and the pages that name the edited record show the edit."""
    from generator.engine.incremental import Incremental
    from generator.checks.pipeline import check_content
    from generator.publish.prepare import prepare_site
    from generator.content.markup import record_path

    content = tmp_path / "content"
    synthesise(240, content)
    state = Incremental()

    def render() -> tuple[dict[str, str], set[str]]:
        checked = check_content(content, TODAY, load_cache=state.load_cache)
        quick = prepare_site(content, TODAY, edition=edition, checked=checked, epoch=EPOCH,
                             attach=lambda renderer: state.attach(renderer, ("key",)))
        state.rendered, state.rendering = state.rendering, None  # as a good build keeps it
        full = prepare_site(content, TODAY, edition=edition, checked=checked, epoch=EPOCH)
        assert quick.filled_pages() == full.filled_pages()
        return quick.site.pages, set(state.rerendered)

    pages, rendered = render()
    assert rendered == {p for p in pages if p.startswith("records/") and not p.endswith("/index.md")}  # all, at first
    files = {}
    for path in sorted(content.rglob("*.yaml")):
        kind = next(line[6:] for line in path.read_text().splitlines() if line.startswith("kind: "))
        files.setdefault(kind, path)
    for kind in ("person", "organisation", "sla", "supplier_contract", "internal_agreement", "service",
                 "continuity_plan", "outage", "sla_report", "security_control", "improvement_action"):
        path = files[kind]
        text = path.read_text()
        rid = next(line[4:] for line in text.splitlines() if line.startswith("id: "))
        title = next(line for line in text.splitlines() if line.startswith("title: "))
        marker = f"Edited {kind.replace('_', ' ')}"
        path.write_text(text.replace(title, f"title: {marker}", 1))
        pages, rendered = render()
        if record_path(kind, rid) not in pages:
            continue  # not in this edition
        assert record_path(kind, rid) in rendered
        assert len(rendered) < len(pages) / 2
        naming = [p for p, md in pages.items() if p.startswith("records/") and marker in md]
        assert record_path(kind, rid) in naming
        assert set(naming) - {p for p in naming if p.endswith("/index.md")} <= rendered
        if "status: approved" in path.read_text():
            path.write_text(path.read_text().replace("status: approved", "status: retired", 1))
            render()


def test_the_history_is_read_again_only_when_head_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A save reads no git history; a commit does, and every record page shows the new history
    (as a full build of the same commit would)."""
    from generator.engine import plugin as plugin_module
    from tests.gitrepo import Repo

    repo = Repo(tmp_path / "repo")
    shutil.copytree(FIXTURE, repo.content, dirs_exist_ok=True)
    repo.commit("Records as first written")
    reads = []
    real = plugin_module.read_history
    monkeypatch.setattr(plugin_module, "read_history", lambda content: reads.append(content) or real(content))
    site = tmp_path / "site"
    plugin = preview_build(site, repo.content, fresh=True)
    try:
        assert len(reads) == 1
        edit(repo.content / "people/ani.yaml", "title: Ani Wijaya", "title: Ani Wijaya-Putri")
        preview_build(site, repo.content)
        assert len(reads) == 1  # the same HEAD: the history read at the last save
        assert_same_as_full_build(tmp_path, site, repo.content)
        reads.clear()
        commit = repo.commit("Ani's new name", date="2026-02-01T09:00:00+07:00")
        preview_build(site, repo.content)
        assert len(reads) == 1
        # Her page's markdown is as at the last save; its history table now names the commit.
        assert commit[:7] in (site / "records/person/PER-ANI/index.html").read_text()
        assert_same_as_full_build(tmp_path, site, repo.content)
    finally:
        plugin.reset()
