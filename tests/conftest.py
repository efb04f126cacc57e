"""Shared helpers: write small content trees and run the real pipeline on them."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from functools import cache
from pathlib import Path

import pytest

from generator.checks.pipeline import check_content

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

PERSON = """\
kind: person
id: PER-ANI
title: Ani Wijaya
owner: PER-ANI
role: Service manager
"""


# The bundled example organisation is recognised by these records (tests/test_example.py holds the
# tests about it; they skip themselves when content/ holds another organisation's records).
EXAMPLE_IDS = ("ORG-BANK", "SLA-HOST-BANK", "SC-ISP", "IA-NETOPS", "AR-HOST")


RECORD_ID = re.compile(r"^[ -]*id: *['\"]?([A-Z][A-Z0-9-]*)", re.M)


def holds_the_example(folder: Path) -> bool:
    """Whether ``folder`` holds the bundled example organisation (its records name EXAMPLE_IDS)."""
    ids: set[str] = set()
    for path in folder.rglob("*.yaml"):
        ids.update(RECORD_ID.findall(path.read_text(encoding="utf-8")))
    return ids.issuperset(EXAMPLE_IDS)


@cache
def content_is_the_example() -> bool:
    """Whether ``content/`` holds the bundled example organisation (a fork replaces it)."""
    return holds_the_example(ROOT / "content")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``example`` are skipped when content/ is not the example organisation."""
    if content_is_the_example():
        return
    skip = pytest.mark.skip(reason="content/ is not the bundled example organisation (see tests/test_example.py)")
    for item in items:
        if item.get_closest_marker("example") is not None:
            item.add_marker(skip)


# Validation-library wording no message may show (tests/test_messages.py; every test, through
# the plain_words fixture below).
JARGON = ("Input should", "should be a valid", "Value should", "List should", "String should", "should have at least",
          "after validation", "should match pattern", "Value error", "Assertion failed", "Field required",
          "Extra inputs", "type=", "For further information", "errors.pydantic.dev", "pydantic", "valid dictionary",
          "instance of", "Datetimes provided", "unable to parse")


def jargon_in(message: str) -> list[str]:
    """The validation-library phrases in ``message``."""
    return [phrase for phrase in JARGON if phrase.lower() in message.lower()]


@pytest.fixture(autouse=True)
def plain_words(monkeypatch: pytest.MonkeyPatch):
    """Every validation message any test provokes in this process is in plain words."""
    from generator.content import loader

    messages: list[str] = []
    real = loader._error_finding

    def spy(*args, **kwargs):
        path, finding = real(*args, **kwargs)
        messages.append(finding.text())
        return path, finding

    monkeypatch.setattr(loader, "_error_finding", spy)
    yield messages
    bad = [m for m in messages if jargon_in(m)]
    assert not bad, f"validation-library wording reached a user: {bad}"


def build_bundle(content: Path, out: Path, epoch: int, *extra: str) -> Path:
    """Run ``python -m generator bundle`` at ``SOURCE_DATE_EPOCH=epoch``; return the zip."""
    from generator.cli import main

    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(epoch))
        assert main(["bundle", "--content", str(content), "--out", str(out), "--today", TODAY.isoformat(),
                     "--config", str(ROOT / "mkdocs.yml"), *extra]) == 0
    (zip_path,) = out.glob("*.zip")
    return zip_path


def synthesise(count: int, folder: Path, seed: int = 1) -> Path:
    """Write a clean organisation of ``count`` records of every kind (bench/synth.py) to ``folder``:
    what a test that needs many records of every kind reads, whatever ``content/`` holds."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.synthesise(count, folder, seed)
    return folder


@pytest.fixture(scope="session")
def synthetic_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clean synthetic organisation of 300 records, every kind among them (read only)."""
    return synthesise(300, tmp_path_factory.mktemp("synthetic") / "content")


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (path under content/ -> text) and return the content folder."""
    content = base / "content"
    content.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content


@pytest.fixture
def check_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a content tree under a temporary working directory and return the finding lines."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str | bytes], today: dt.date = TODAY) -> list[str]:
        write_tree(tmp_path, files)
        return [f.text() for f in check_content(Path("content"), today).findings]

    return run
