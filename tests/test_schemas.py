"""The shipped JSON Schemas agree with the tool: an editor (or check-jsonschema) accepts what
`check` accepts and rejects what it rejects, for files of one record and lists of records."""

from __future__ import annotations

import subprocess
import sys
import pytest
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT, write_tree

SCHEMAS = ROOT / "schemas"


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=300)


def schema_of(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert "$schema=" in first, f"{path}: no schema comment"
    return (path.parent / first.split("$schema=", 1)[1].strip()).resolve()


@pytest.mark.example
def test_every_example_file_validates_against_its_schema():
    by_schema: dict[Path, list[Path]] = defaultdict(list)
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        by_schema[schema_of(path)].append(path)
    assert len(by_schema) > 20
    for schema, files in sorted(by_schema.items()):
        proc = check_jsonschema(schema, *files)
        assert proc.returncode == 0, proc.stdout + proc.stderr


OUTAGE = """\
# yaml-language-server: $schema={schemas}/outage.schema.json
- kind: outage
  id: OUT-1
  title: Mail down
  owner: PER-ANI
  service: SVC-MAIL
  planned: false
  summary: Users could not open mail.
  start: 2026-01-12T10:20
  end: "2026-01-12 11:05:30+07:00"
"""


def test_a_list_of_records_with_short_date_times_validates(tmp_path: Path):
    content = write_tree(tmp_path, {"outages.yaml": OUTAGE.format(schemas=SCHEMAS)})
    proc = check_jsonschema(SCHEMAS / "outage.schema.json", content / "outages.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_bounds_the_tool_enforces_are_enforced_by_the_schema(tmp_path: Path, synthetic_content: Path):
    survey = synthetic_content.rglob("*.yaml")
    path = next(p for p in survey if "kind: satisfaction_survey" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    bad = write_tree(tmp_path, {"survey.yaml": text.replace("kind: satisfaction_survey",
                                                            "kind: satisfaction_survey\nconfidence: 95", 1)})
    proc = check_jsonschema(SCHEMAS / "satisfaction_survey.schema.json", bad / "survey.yaml")
    assert proc.returncode == 1 and "confidence" in proc.stdout
    from generator.checks.pipeline import check_content

    codes = [(f.code, f.field) for f in check_content(bad).findings if f.severity == "error"]
    assert ("field-invalid", "confidence") in codes
