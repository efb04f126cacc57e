"""Findings: every problem the loader or a check reports, and its renderings.

A finding is data. Text, GitHub workflow annotations, JSON and JUnit XML are renderings of the
same list, so every output format says the same thing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal

from .localize import LANGUAGES, Msg, say

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

# Characters that would break "one finding, one line" or cannot be written out: C0 and C1
# controls (tab is harmless), the Unicode line and paragraph separators (str.splitlines breaks
# on all of these) and lone surrogates (bytes of a file name that are not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_VISIBLE = {"\r": "\\r", "\n": "\\n"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible_char(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _VISIBLE:
        return _VISIBLE[ch]
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` on one printable line: CR and LF as ``\\r`` and ``\\n``, other line breaks and
    control characters as ``\\xNN`` / ``\\uNNNN``, a file name's undecodable byte as ``\\xNN``.
    Characters in ``keep`` are left as they are (for an output that escapes them its own way)."""
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _visible_char(m), text)


def _github_property(text: str) -> str:
    """A workflow command property value (GitHub's escaping: %, CR, LF, colon, comma)."""
    return (text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _github_data(text: str) -> str:
    """A workflow command's message (GitHub's escaping: %, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        where = f"{visible(self.field)}: " if self.field else ""
        return (f"{visible(self.file)}:{self.line}:{self.col}: {self.severity}[{self.code}]: "
                f"{where}{visible(self.message)}")

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the line."""
        level = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        msg = (f"{self.field}: " if self.field else "") + self.message
        # CR and LF get GitHub's own escapes; other breaks and controls are made visible.
        msg = _github_data(visible(msg, keep="\r\n"))
        file = _github_property(visible(self.file, keep="\r\n"))
        return f"::{level} file={file},line={self.line},col={self.col},title={self.code}::{msg}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Stable order (file, line, col, code, ...) so output never depends on load order."""
    return sorted(set(findings))


def localize_findings(findings: Iterable[Finding], lang: str) -> list[Finding]:
    """``findings`` with their messages in ``lang`` (the same list, as it is, for English)."""
    if lang == "en" or lang not in LANGUAGES:
        return list(findings)
    return [replace(f, message=say(f.message, lang)) for f in findings]


def render_text(findings: Sequence[Finding], lang: str = "en") -> str:
    """One line per finding, then how many errors and warnings (said in ``lang``)."""
    lines = [f.text() for f in findings]
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    lines.append(say(Msg("summary", "{errors} error(s), {warnings} warning(s)", errors=errors, warnings=warnings),
                     lang))
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
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    # A file name's undecodable bytes are lone surrogates: write them as JSON escapes, or the
    # output could not be encoded as UTF-8.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


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
        out.append(f"<testcase classname={_xml_attr('check.' + code)} name={_xml_attr(code)}>")
        body = "\n".join(f.text() for f in fs)
        if any(f.severity != "info" for f in fs):
            out.append(
                f"<failure type={_xml_attr(code)} message={_xml_attr(f'{len(fs)} finding(s)')}>"
                f"{_xml_text(body)}</failure>"
            )
        else:
            out.append(f"<system-out>{_xml_text(body)}</system-out>")
        out.append("</testcase>")
    out += ["</testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def _xml_text(s: str) -> str:
    return _xml_chars(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(s: str) -> str:
    from xml.sax.saxutils import quoteattr  # only JUnit output needs it (and it imports urllib)

    return quoteattr(_xml_chars(s))  # quoteattr escapes quotes, &, <, >, tab, CR and LF


def _xml_chars(s: str) -> str:
    """``s`` with the characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates,
    U+FFFE, U+FFFF) made visible; the text rendering already did so for findings."""
    return _XML_INVALID.sub(lambda m: visible(m.group()) if m.group() not in "\ufffe\uffff"
                            else f"\\u{ord(m.group()):04x}", s)


RENDERERS = {"text": render_text, "github": render_github, "json": render_json, "junit": render_junit}


def fails(findings: Iterable[Finding], fail_on: str = "error") -> bool:
    """Whether findings at or above ``fail_on`` severity are present."""
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
