"""A pytest plugin: every finding any test provokes is also said in Indonesian, and must be.

``python -m pytest -p tests.say_indonesian --say-report FILE tests/...`` runs those tests as they
are and, on the side, says each finding of the loader and the checks in Indonesian
(:func:`generator.localize.say`). A finding whose message has no translation, is not a message
template at all (a plain English string), or whose Indonesian words still hold English words is
written to ``FILE`` (one JSON object: problems, counts), and the run fails.
tests/test_messages_id.py runs the check and loader tests so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator import checks, loader, pipeline
from generator.localize import Joined, Msg, Term, catalogue, say

# Words of English that no Indonesian message holds outside the values it quotes (a value such as
# a field name, an id or a date is a parameter, and is left out before the words are looked at).
ENGLISH = frozenset("""
the is are not must should needs need write was were has have but with which when missing unknown empty
allowed file found expected while and or of to an in on for by it its this did you mean there no than
before after until every days ago due never only still add set record contains cannot could would
""".split())
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_WORD = re.compile(r"[A-Za-z_.]+")  # a name with '_' or '.' in it (escalated_to) is a field's, not a word

SLOT = "\u00a7"  # stands for a value in the words looked at


def words_of(message: str) -> str:
    """``message`` said in Indonesian with every value it inserts as it is replaced by a mark: only
    the words the catalogue supplies are left (a Term's word, a nested message's words)."""
    if isinstance(message, Joined):
        parts = [words_of(p) if isinstance(p, (Msg, Term)) else SLOT for p in message.parts]
        last = words_of(message.last) if message.last is not None else None
        return (message.sep.join(parts[:-1]) + last + parts[-1]) if last is not None and len(parts) > 1 \
            else message.sep.join(parts)
    if isinstance(message, Term):
        return say(message, "id")
    if not isinstance(message, Msg):
        return SLOT
    template = catalogue("id").get(message.msgid, str(message))
    if not message.params:
        return template
    return template.format(**{name: words_of(value) if isinstance(value, (Msg, Term)) else SLOT
                              for name, value in message.params.items()})


def english_words(message: str) -> list[str]:
    """The English words left in the Indonesian words of ``message``."""
    text = _QUOTED.sub(SLOT, words_of(message))
    return sorted({w for w in _WORD.findall(text) if w.lower().strip(".") in ENGLISH and "_" not in w})


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
