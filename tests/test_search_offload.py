"""Material's search index made in a forked process (generator/engine/search_offload.py) is the
index Material makes in the build's own process, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.engine import search_offload
from generator.site.background import can_fork
from tests.conftest import ROOT, TODAY


def build(content: Path, site: Path) -> bytes:
    assert main(["build", "--content", str(content), "--site-dir", str(site), "--today", TODAY.isoformat(),
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    return (site / "search" / "search_index.json").read_bytes()


@pytest.mark.skipif(not can_fork(), reason="no fork on this platform")
def test_the_forked_index_is_materials_own(tmp_path: Path, synthetic_content: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    used = []
    real = search_offload.ForkedIndex.generate_search_index

    def spy(self, prev):  # type: ignore[no-untyped-def]
        used.append(len(self._sent))
        return real(self, prev)

    monkeypatch.setattr(search_offload.ForkedIndex, "generate_search_index", spy)
    forked = build(synthetic_content, tmp_path / "forked")
    assert used and used[0] > 100  # every page went to the forked process

    monkeypatch.setattr(search_offload, "can_fork", lambda: False)
    here = build(synthetic_content, tmp_path / "here")
    assert len(used) == 1  # the second build indexed in its own process
    assert forked == here


@pytest.mark.skipif(not can_fork(), reason="no fork on this platform")
def test_a_dead_index_process_costs_nothing(tmp_path: Path, synthetic_content: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    """If the forked process dies, the pages it was sent are indexed in the build's own process."""
    monkeypatch.setattr(search_offload, "_index_pages", lambda conn, index: conn.close())
    dead = build(synthetic_content, tmp_path / "dead")
    monkeypatch.setattr(search_offload, "can_fork", lambda: False)
    assert dead == build(synthetic_content, tmp_path / "here")
