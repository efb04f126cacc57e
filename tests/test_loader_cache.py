"""Loading with a cache (as serve does) reads only the files that changed and gives the same
records and findings as loading from scratch."""

from __future__ import annotations

import os
from pathlib import Path

from generator.content.loader import load_content
from tests.conftest import PERSON, TODAY, write_tree

OTHER = PERSON.replace("PER-ANI", "PER-BUDI").replace("Ani Wijaya", "Budi Santoso")


def settle(content: Path) -> None:
    """Files saved an hour ago (the cache reads a file saved in the last seconds again)."""
    for path in content.rglob("*.yaml"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 3600 * 10**9))


def texts(result) -> tuple[list[str], list[str]]:
    return [f"{x.record.id}:{x.record.title}" for x in result.records], [f.text() for f in result.findings]


def test_cached_load_reads_only_changed_files_and_matches_a_fresh_load(tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON, "people/budi.yaml": OTHER, "people/bad.yaml": "kind: [\n"})
    settle(content)
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


def test_a_file_saved_moments_ago_is_read_again_even_when_its_time_and_size_look_the_same(tmp_path: Path):
    # File times are coarser than two quick writes: an edit of the same length within one tick of
    # the clock leaves the time and size as they were.
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON})
    ani = content / "people/ani.yaml"
    cache: dict = {}
    load_content(content, cache=cache)
    st = ani.stat()
    ani.write_text(PERSON.replace("Ani Wijaya", "Ani Wijoyo"))
    os.utime(ani, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "PER-ANI:Ani Wijoyo" in texts(load_content(content, cache=cache))[0]


def test_cached_records_that_fail_validation_still_have_their_references_checked(tmp_path: Path):
    from generator.checks.pipeline import check_content

    bad = "kind: person\nid: PER-BAD\ntitle: Bad\nowner: PER-NOBODY\nrole: [1]\n"  # invalid, naming no one known
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON, "people/bad.yaml": bad})
    settle(content)
    cache: dict = {}
    fresh = [f.text() for f in check_content(content, TODAY).findings]
    assert any("PER-NOBODY" in line for line in fresh)
    for _ in range(2):  # read, then from the cache
        assert [f.text() for f in check_content(content, TODAY, load_cache=cache).findings] == fresh
