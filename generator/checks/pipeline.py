"""The pipeline stages the commands share: load -> index -> check."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path

from typing import Any

from ..content.evidence import Evidence, inspect_evidence
from ..content.findings import Finding, sort_findings
from ..content.index import Index, build_index
from ..content.loader import Reading, load_content
from . import Context, run_checks


@dataclass(frozen=True)
class Checked:
    """The loaded index and every finding, sorted."""

    index: Index
    findings: list[Finding]
    files: int
    history: Any = None  # generator.content.history.History the checks and pages used; None: none was read
    evidence: Evidence | None = None  # the evidence files the records name


def check_content(content: Path, today: dt.date | None = None, history: Any = None,
                  load_cache: dict[str, Any] | None = None, reading: Reading | None = None,
                  settings: dict[str, Any] | None = None) -> Checked:
    """Load every record under ``content``, index them, and run every check.

    ``history`` (:func:`generator.content.history.read_history`) adds the approval-integrity checks and
    travels on to the pages; without it the check reads no git history. ``reading``
    (:func:`generator.content.loader.start_reading`) is the same folder's files already being parsed.
    ``settings``: ages and intervals the checks judge against (:func:`generator.checks.check_settings`)."""
    # Loading allocates hundreds of thousands of objects that all stay alive: the cyclic garbage
    # collector would walk them again and again for nothing (a quarter of a large check).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = load_content(content, cache=load_cache, reading=reading)
        index = build_index(result)
        evidence = inspect_evidence(content, index.records)
        ctx = Context(today=today or dt.date.today(), history=history, evidence=evidence, **(settings or {}))
        findings = sort_findings([*result.findings, *run_checks(index, ctx)])
    finally:
        if was_enabled:
            gc.enable()
    return Checked(index, findings, result.files, history, evidence)
