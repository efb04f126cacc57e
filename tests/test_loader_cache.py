"""Loading with a cache (as serve does) reads only the files that changed and gives the same
records and findings as loading from scratch."""

from __future__ import annotations

import os
from pathlib import Path

from generator.loader import load_content
from tests.conftest import PERSON, write_tree

OTHER = PERSON.replace("PER-ANI", "PER-BUDI").replace("Ani Wijaya", "Budi Santoso")


def texts(result) -> tuple[list[str], list[str]]:
    return [f"{x.record.id}:{x.record.title}" for x in result.records], [f.text() for f in result.findings]


def test_cached_load_reads_only_changed_files_and_matches_a_fresh_load(tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON, "people/budi.yaml": OTHER, "people/bad.yaml": "kind: [\n"})
    cache: dict = {}
    first = load_content(content, cache=cache)
    assert texts(first) == texts(load_content(content))
    budi = next(x for x in first.records if x.record.id == "PER-BUDI")

    ani = content / "people/ani.yaml"
    ani.write_text(PERSON.replace("Ani Wijaya", "Ani W."))
    os.utime(ani, ns=(ani.stat().st_atime_ns, ani.stat().st_mtime_ns + 1_000_000))
    (content / "people/new.yaml").write_text(PERSON.replace("PER-ANI", "PER-CITRA"))
    (content / "people/bad.yaml").unlink()
    second = load_content(content, cache=cache)
    assert texts(second) == texts(load_content(content))
    assert "PER-ANI:Ani W." in texts(second)[0] and "PER-CITRA:Ani Wijaya" in texts(second)[0]
    assert not any("bad.yaml" in line for line in texts(second)[1])
    # The unchanged file was not read again: the same record object comes back.
    assert next(x for x in second.records if x.record.id == "PER-BUDI") is budi
    assert set(cache) == {str(p) for p in (content / "people").glob("*.yaml")}
