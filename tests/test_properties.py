"""Property tests: findings do not depend on the order files are read in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks import Context, run_checks
from generator.content.findings import sort_findings
from generator.content.index import build_index
from generator.content.loader import LoadResult, load_text
from tests.conftest import PERSON, TODAY

FILES = {
    "a.yaml": PERSON,
    "b.yaml": PERSON.replace("Ani Wijaya", "Dup"),
    "c.yaml": PERSON.replace("PER-ANI", "PER-B") + "alternates: [PER-X, PER-ANI]\nreview:\n  interval: P1M\n  last_reviewed: 2026-01-01\n",
    "d.yaml": PERSON.replace("PER-ANI", "PER-C") + "titel: x\n",
    "e.yaml": "kind: service\nid: PER-B\ntitle: clash\nowner: PER-ANI\ncriticality: low\n",
    "f.yaml": "- " + PERSON.replace("PER-ANI", "PER-D").replace("\n", "\n  ").rstrip() + "\n- kind: person\n  id: PER-ANI\n",
}


def findings_for(order: list[str]) -> list[str]:
    result = LoadResult()
    for name in order:
        load_text(FILES[name], name, result)
    index = build_index(result)
    return [f.text() for f in sort_findings([*result.findings, *run_checks(index, Context(TODAY))])]


BASELINE = findings_for(sorted(FILES))


def test_baseline_has_findings_of_several_kinds():
    assert {line.split("[")[1].split("]")[0] for line in BASELINE} >= {
        "id-duplicate", "ref-unknown", "review-overdue", "field-unknown", "field-missing"}


@settings(max_examples=60, deadline=None)
@given(st.permutations(sorted(FILES)))
def test_shuffled_file_order_gives_identical_findings(order):
    assert findings_for(list(order)) == BASELINE


def test_parallel_loading_gives_the_same_findings(tmp_path, monkeypatch):
    from generator.content import loader
    from tests.conftest import write_tree

    root = write_tree(tmp_path, {f"people/{name}": text for name, text in FILES.items()})
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    serial = loader.load_content(root, workers=1)
    parallel = loader.load_content(root, workers=2)
    assert [f.text() for f in parallel.findings] == [f.text() for f in serial.findings]
    assert [r.record for r in parallel.records] == [r.record for r in serial.records]
    assert len(serial.findings) > 0


def test_fast_reader_gives_the_full_readers_values():
    from generator.content.yamldoc import parse
    from tests.conftest import ROOT

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.yaml"))]
    texts += list(FILES.values()) + ["", "a: 1\nb: [1, 2.50, ~, true, NO, '0777', 0777, -3, .5]\n", "- x\n- {a: }\n"]
    for text in texts:
        fast, full = parse(text, positions=False), parse(text)
        assert fast.value == full.value and [type(v) for v in _leaves(fast.value)] == [type(v) for v in _leaves(full.value)]
        assert fast.problems == full.problems


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_checks_split_over_two_processes_give_the_same_findings_in_the_same_order(monkeypatch, synthetic_content):
    """A large index runs some check modules in a forked copy: the findings (of a synthetic
    organisation checked years later, when reviews, tests and contracts have fallen due) are those
    of one process, in the same order."""
    import datetime as dt

    from generator import checks
    from generator.content.index import build_index
    from generator.content.loader import load_content
    index = build_index(load_content(synthetic_content, workers=1))
    ctx = checks.Context(today=dt.date(2031, 1, 1))  # years later: reviews, tests and contracts fall due
    serial = [f.text() for f in checks.run_checks(index, ctx)]
    monkeypatch.setattr(checks, "PARALLEL_MIN_RECORDS", 1)
    here: list[str] = []  # the modules this process ran itself
    run_here = checks._check_modules
    monkeypatch.setattr(checks, "_check_modules", lambda names, *a: (here.extend(names), run_here(names, *a))[1])
    split = [f.text() for f in checks.run_checks(index, ctx)]
    assert split == serial
    assert 0 < len(here) < len(checks.CHECK_MODULES)  # the others ran in the forked copy
    assert set(checks.CHECK_MODULES) - set(here) == set(checks.FORKED_MODULES)
    assert len({line.split("[")[1].split("]")[0] for line in serial}) >= 5
