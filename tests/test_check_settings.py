"""Check settings from mkdocs.yml (``extra.clause8.checks``): an organisation sets the ages and
intervals the checks judge against, and a value that cannot be used is said, never ignored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_tree

COMPLAINT = """\
- id: CMP-SETTINGS
  kind: complaint
  title: Night-shift staff waited two days for an answer
  owner: PER-X
  classification: internal
  status: approved
  version: "1.0"
  received: 2026-10-01T09:00:00+07:00
  channel: phone
  customer: ORG-X
  service: SVC-X
  state: open
  escalated: false
  summary: Night-shift staff waited two days for a first answer.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture()
def org(tmp_path: Path) -> Path:
    """A records folder with one complaint received 2026-10-01 and still open (its references
    lead nowhere: only the complaint's age matters here)."""
    write_tree(tmp_path, {"relationship/complaints.yaml": COMPLAINT})
    return tmp_path


def config(folder: Path, checks: str) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text("site_name: Test\nextra:\n  clause8:\n    checks:\n" + checks, encoding="utf-8")
    return path


def aged(out: str) -> list[str]:
    return [line for line in out.splitlines() if "[complaint-aged]" in line]


def test_the_age_a_complaint_may_stay_open_follows_the_configuration(org):
    # 2026-11-24 is 54 days after the complaint was received.
    config(org, "      complaint_max_open_days: 60\n")
    patient = run("check", "--content", "content", "--today", "2026-11-24", cwd=org)
    assert not aged(patient.stdout), patient.stdout + patient.stderr
    config(org, "      complaint_max_open_days: 30\n")
    strict = run("check", "--content", "content", "--today", "2026-11-24", cwd=org)
    assert aged(strict.stdout), strict.stdout + strict.stderr


def test_values_that_cannot_be_used_are_named_at_once_and_nothing_is_checked(org):
    config(org, "      complaint_max_open_day: 60\n      post_review_days: -3\n"
                "      contacts_verify_interval: six months\n      attachment_max_bytes: true\n")
    result = run("check", "--content", "content", "--today", "2026-11-24", cwd=org)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for name in ("complaint_max_open_day: unknown setting", "post_review_days: -3 is not a whole number",
                 "contacts_verify_interval: 'six months' is not an ISO 8601 duration",
                 "attachment_max_bytes: True is not a whole number"):
        assert f"extra.clause8.checks.{name}" in result.stderr, result.stderr
    assert not result.stdout


def test_check_settings_reads_only_the_known_settings():
    from generator.checks import SETTINGS, Context, check_settings

    assert check_settings({}) == {} and check_settings({"checks": None}) == {}
    assert check_settings({"checks": {"attachment_max_bytes": 2048, "contacts_verify_interval": "P90D"}}) == {
        "attachment_max_bytes": 2048, "contacts_verify_interval": "P90D"}
    assert set(SETTINGS) <= set(Context.__dataclass_fields__)
    with pytest.raises(ValueError, match="write a mapping"):
        check_settings({"checks": ["complaint_max_open_days", 3]})
