"""Findings: every problem the loader or a check reports, and its renderings.

A finding is data. Text, GitHub workflow annotations, JSON and JUnit XML are renderings of the
same list, so every output format says the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal
from xml.sax.saxutils import quoteattr

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, located at ``file:line:col`` with the field path inside the record."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    field: str
    message: str
    # The id of the record the finding is about ("" when it is about a file, not a record).
    record: str = ""

    def text(self) -> str:
        """``file:line:col: severity[code]: field.path: message`` (yamllint's parsable style)."""
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}[{self.code}]: {where}{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the line."""
        level = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        msg = (f"{self.field}: " if self.field else "") + self.message
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.file.replace(",", "%2C").replace(":", "%3A")
        return f"::{level} file={file},line={self.line},col={self.col},title={self.code}::{msg}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Stable order (file, line, col, code, ...) so output never depends on load order."""
    return sorted(set(findings))


def render_text(findings: Sequence[Finding]) -> str:
    lines = [f.text() for f in findings]
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"


def render_github(findings: Sequence[Finding]) -> str:
    return "".join(f.github() + "\n" for f in findings)


def render_json(findings: Sequence[Finding]) -> str:
    payload = {
        "version": 1,
        "summary": {
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
            "infos": sum(f.severity == "info" for f in findings),
        },
        "findings": [asdict(f) for f in findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_junit(findings: Sequence[Finding]) -> str:
    """JUnit XML: one test case per finding code, failing with every finding of that code."""
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    failures = sum(1 for fs in by_code.values() if any(f.severity != "info" for f in fs))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<testsuites name="clause8-check" tests="{max(len(by_code), 1)}" failures="{failures}">',
        f'<testsuite name="check" tests="{max(len(by_code), 1)}" failures="{failures}">',
    ]
    if not by_code:
        out.append('<testcase classname="check" name="content"/>')
    for code, fs in sorted(by_code.items()):
        out.append(f"<testcase classname={quoteattr('check.' + code)} name={quoteattr(code)}>")
        body = "\n".join(f.text() for f in fs)
        if any(f.severity != "info" for f in fs):
            out.append(
                f"<failure type={quoteattr(code)} message={quoteattr(f'{len(fs)} finding(s)')}>"
                f"{_xml_text(body)}</failure>"
            )
        else:
            out.append(f"<system-out>{_xml_text(body)}</system-out>")
        out.append("</testcase>")
    out += ["</testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def _xml_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RENDERERS = {"text": render_text, "github": render_github, "json": render_json, "junit": render_junit}


def fails(findings: Iterable[Finding], fail_on: str = "error") -> bool:
    """Whether findings at or above ``fail_on`` severity are present."""
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
