"""The pipeline stages the commands share: load -> index -> check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .checks import Context, run_checks
from .findings import Finding, sort_findings
from .index import Index, build_index
from .loader import load_content


@dataclass(frozen=True)
class Checked:
    """The loaded index and every finding, sorted."""

    index: Index
    findings: list[Finding]
    files: int


def check_content(content: Path, today: dt.date | None = None) -> Checked:
    """Load every record under ``content``, index them, and run every check."""
    result = load_content(content)
    index = build_index(result)
    ctx = Context(today=today or dt.date.today())
    findings = sort_findings([*result.findings, *run_checks(index, ctx)])
    return Checked(index, findings, result.files)
