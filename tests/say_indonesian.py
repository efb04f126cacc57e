"""A pytest plugin: every finding any test provokes is also said in Indonesian, and must be.

``python -m pytest -p tests.say_indonesian --say-report FILE tests/...`` runs those tests as they
are and, on the side, says each finding of the loader and the checks in Indonesian
(:func:`generator.content.localize.say`). A finding whose message has no translation, is not a message
template at all (a plain English string), or whose Indonesian words still hold English words is
written to ``FILE`` (one JSON object: problems, counts), and the run fails.
tests/test_messages_id.py runs the check and loader tests so. Import it only as a plugin: it
wraps the pipeline's entry points when imported, before the test modules import them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import checks
from generator.content import loader
from generator.checks import pipeline
from generator.content.localize import Joined, Msg, say
from tests.indonesian_words import english_words

class Watch:
    """Every finding seen, said in Indonesian, with what is wrong with it."""

    def __init__(self) -> None:
        self.seen = 0
        self.codes: set[str] = set()
        self.msgids: set[str] = set()
        self.problems: dict[str, str] = {}

    def findings(self, findings: Any) -> None:
        for f in list(findings):
            self.seen += 1
            self.codes.add(f.code)
            message = f.message
            if isinstance(message, Msg) and not isinstance(message, Joined):
                self.msgids.add(message.msgid)
            if not isinstance(message, Msg):
                self.problems.setdefault(f"not a template: {message}", f.text())
                continue
            misses: set[str] = set()
            said = say(message, "id", misses)
            if misses:
                self.problems.setdefault(f"no translation for {sorted(misses)}", f"{f.text()}\n  -> {said}")
                continue
            left = english_words(message)
            if left:
                self.problems.setdefault(f"English words {left} in {message.msgid}", f"{f.text()}\n  -> {said}")


WATCH = Watch()


def _watching(function: Any, findings_of: Any) -> Any:
    def watched(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        WATCH.findings(findings_of(result, args, kwargs))
        return result

    watched.__wrapped__ = function  # type: ignore[attr-defined]
    return watched


def _run_checks(function: Any) -> Any:
    def watched(*args: Any, **kwargs: Any) -> Any:
        for f in function(*args, **kwargs):
            WATCH.findings([f])
            yield f

    return watched


# Patched when the plugin is imported, before the test modules import these names.
pipeline.check_content = _watching(pipeline.check_content, lambda r, a, k: r.findings)
loader.load_content = _watching(loader.load_content, lambda r, a, k: r.findings)
loader.load_text = _watching(loader.load_text, lambda r, a, k: a[2].findings if len(a) > 2 else k["result"].findings)
checks.run_checks = _run_checks(checks.run_checks)
pipeline.run_checks = checks.run_checks


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--say-report", default=None, help="write what could not be said in Indonesian to this file")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    report = session.config.getoption("--say-report")
    if report:
        Path(report).write_text(json.dumps({
            "seen": WATCH.seen, "codes": sorted(WATCH.codes), "msgids": sorted(WATCH.msgids),
            "problems": WATCH.problems, "exitstatus": int(exitstatus),
        }, indent=1, ensure_ascii=False), encoding="utf-8")
    if WATCH.problems and session.exitstatus == 0:
        session.exitstatus = 1
