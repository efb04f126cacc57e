"""`clause8 import`: every preset on fixture exports in the tool's own column layout.

Each fixture under tests/fixtures/imports/<tool>/ is written in the layout the tool's export has
(see the preset's format_version and README "Bringing in operational data"); each test runs the
real command in-process against a copy of a small organisation of its own (tests/fixtures/imports/base:
the people, customers, services and SLAs the fixture mappings name, no records of the kinds an import
writes), and asserts what a user sees: exit code, the lines printed, the files written. Only the test
that rebuilds the example organisation's figures from the fixtures reads content/ (marked ``example``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.figures.availability import availability_table
from generator.figures.relationship import complaint_stats
from generator.figures.security import security_incident_stats
from generator.authoring.importers.mapping import list_presets, load_mapping
from generator.authoring.importers.mapper import compile_mapping
from generator.authoring.importers.readers import ReadProblem, read_json
from generator.content.index import build_index
from generator.content.loader import load_content
from generator.checks.pipeline import check_content
from tests.conftest import ROOT, TODAY

FIXTURES = ROOT / "tests" / "fixtures" / "imports"
# The organisation the imports go into: the records the fixture mappings name, whatever content/ holds.
BASE = FIXTURES / "base"
# The example's files of the kinds an import writes: taken out, so that imports start from nothing.
IMPORTED_FILES = ("availability/outages.yaml", "availability/monitoring-coverage.yaml",
                  "relationship/complaints.yaml", "security/security-incidents.yaml")


def working_folder(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leave_out: tuple[str, ...] = ()) -> Path:
    """A working folder (the current directory) holding a copy of ``content`` as content/, less ``leave_out``."""
    shutil.copytree(content, tmp_path / "content")
    for rel in leave_out:
        (tmp_path / "content" / rel).unlink()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base organisation (no records of the kinds an import writes) as content/."""
    return working_folder(BASE, tmp_path, monkeypatch)


@pytest.fixture
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example organisation without its imported kinds, as content/."""
    return working_folder(ROOT / "content", tmp_path, monkeypatch, IMPORTED_FILES)


def test_the_base_organisation_is_clean_and_holds_nothing_an_import_writes():
    """What the imports start from: no finding of its own, so any finding after an import is the import's."""
    assert check_content(BASE, TODAY).findings == []
    kinds = {loaded.record.kind for loaded in load_content(BASE).records}
    assert kinds == {"person", "organisation", "service", "sla"}


def clause8(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    """Run the command; exit code, standard output lines, standard error lines."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def fixture(tool: str, name: str) -> str:
    return str(FIXTURES / tool / name)


def import_args(tool: str, export: str, *extra: str, mapping: str = "mapping.yaml") -> list[str]:
    folder = "generic" if tool.startswith("generic") else tool
    return ["import", tool, fixture(folder, export), "--mapping", fixture(folder, mapping), "--no-check", *extra]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def records(path: Path) -> list[dict]:
    from generator.content.yamldoc import parse

    return parse(path.read_text(encoding="utf-8")).value


ZABBIX = ("zabbix", "zbx_problems_export.csv", "--period", "2026-01-01..2026-11-23")


# --------------------------------------------------------------------------- Zabbix (monitoring, CSV)


def test_zabbix_writes_outages_and_coverage_per_month(site: Path, capsys):
    code, out, err = clause8(capsys, *import_args(*ZABBIX))
    assert code == 0, err
    assert out[:4] == ["imported from zabbix: 14 row(s) read",
                       "monitoring_coverage: 2 gap rows, 44 new",
                       "outage: 8 new",
                       "rows: 4 not for any output"]
    assert "wrote content/availability/outages-2026-01.yaml" in out
    outages = sorted(p.name for p in (site / "content/availability").glob("outages-*.yaml"))
    assert outages == [f"outages-2026-{m}.yaml" for m in ("01", "02", "04", "05", "06", "07", "09", "10")]
    text = (site / "content/availability/outages-2026-05.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/outage.schema.json\n")
    (outage,) = records(site / "content/availability/outages-2026-05.yaml")
    assert outage["service"] == "SVC-MAIL"
    assert (outage["start"], outage["end"]) == ("2026-05-06T08:10:00+07:00", "2026-05-06T08:31:00+07:00")
    assert outage["imported_from"]["system"] == "zabbix"
    assert outage["imported_from"]["id"] == "mail-gw-01|TLS certificate on mail gateway has expired|2026-05-06 08:10:00"
    # every service of the host map, every month of the period; the probe rows became gaps, not outages
    june = records(site / "content/availability/monitoring-coverage-2026-06.yaml")
    assert [c["service"] for c in june] == ["SVC-MAIL", "SVC-HOST", "SVC-WAN", "SVC-DESK"]  # the host map's order
    assert all(c["gaps"] == [{"start": "2026-06-14T01:00:00+07:00", "end": "2026-06-14T03:30:00+07:00",
                              "reason": "Monitoring probe probe-jkt-01 was not reachable: Zabbix agent is not "
                                        "available (for 3m)"}] for c in june)
    november = records(site / "content/availability/monitoring-coverage-2026-11.yaml")
    assert {(c["start"], c["end"]) for c in november} == {("2026-11-01", "2026-11-23")}
    january_desk = [c for c in records(site / "content/availability/monitoring-coverage-2026-01.yaml")
                    if c["service"] == "SVC-DESK"]
    assert january_desk[0]["gaps"][0]["start"] == "2026-01-27T07:30:00+07:00"
    assert all("gaps" not in c for c in records(site / "content/availability/monitoring-coverage-2026-01.yaml")
               if c["service"] != "SVC-DESK")


def test_zabbix_without_period_writes_no_coverage_and_says_so(site: Path, capsys):
    code, out, err = clause8(capsys, *import_args("zabbix", "zbx_problems_export.csv"))
    assert code == 0
    assert not list((site / "content/availability").glob("monitoring-coverage-*.yaml"))
    assert err == ["no monitoring coverage written: give --period FROM..TO (the time the export covers); until a "
                   "coverage record covers a month, its availability is 'no data'"]


def test_zabbix_bad_rows_are_all_reported_and_nothing_is_written(site: Path, capsys):
    before = snapshot(site / "content")
    bad = fixture("zabbix", "zbx_problems_export-bad.csv")
    code, out, err = clause8(capsys, *import_args("zabbix", "zbx_problems_export-bad.csv"))
    assert code == 1
    assert out == []
    assert err == [
        f"{bad}:2: Time: '2026-02-30 10:00:00' is not a valid date and time: day is out of range for month",
        f"{bad}:2: Recovery time: '2026-02-30 10:20:00' is not a valid date and time: day is out of range for month",
        f"{bad}:3: Recovery time: 'yesterday' is not a date and time written like '2026-03-05 14:30:00' or "
        "'2026-03-05 02:30:00 PM'",
        f"{bad}:4: the row has 11 cells but the header names 10 columns (a value with the delimiter in it, not in "
        "quotes?)",
        "import stopped: 4 problem(s); nothing was written",
    ]
    assert snapshot(site / "content") == before


def test_zabbix_repeated_import_changes_nothing(site: Path, capsys):
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    before = snapshot(site / "content")
    code, out, _ = clause8(capsys, *import_args(*ZABBIX))
    assert code == 0
    assert out == ["imported from zabbix: 14 row(s) read", "monitoring_coverage: 2 gap rows, 44 unchanged",
                   "outage: 8 unchanged", "rows: 4 not for any output", "nothing changed"]
    assert snapshot(site / "content") == before


def _newer_zabbix_export(tmp_path: Path) -> Path:
    """The export a week later: the SIP problem of 2 June recovered 10 minutes later than first exported."""
    text = Path(fixture("zabbix", "zbx_problems_export.csv")).read_text(encoding="utf-8")
    newer = text.replace('"2026-06-02 10:00:00","2026-06-02 11:20:00","RESOLVED","sip-trunk-01",'
                         '"SIP trunk registration lost","1h 20m"',
                         '"2026-06-02 10:00:00","2026-06-02 11:30:00","RESOLVED","sip-trunk-01",'
                         '"SIP trunk registration lost","1h 30m"')
    assert newer != text
    path = tmp_path / "zbx_problems_export-newer.csv"
    path.write_text(newer, encoding="utf-8")
    return path


def test_zabbix_changed_row_updates_its_record_and_keeps_hand_fields(site: Path, capsys):
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    june = site / "content/availability/outages-2026-06.yaml"
    # after the import, someone links the investigation (a hand-kept field) and adds a comment
    june.write_text(june.read_text(encoding="utf-8").replace("  planned: false\n",
                                                             "  planned: false\n  investigation: INV-2026-05\n")
                    + "# reviewed in the June service review\n", encoding="utf-8")
    others = {p: p.read_bytes() for p in (site / "content").rglob("*.yaml") if p != june}
    newer = _newer_zabbix_export(site)
    code, out, err = clause8(capsys, "import", "zabbix", str(newer), "--mapping", fixture("zabbix", "mapping.yaml"),
                             "--no-check", "--period", "2026-01-01..2026-11-23")
    assert code == 0, err
    assert out == ["imported from zabbix: 14 row(s) read", "monitoring_coverage: 2 gap rows, 44 unchanged",
                   "outage: 1 updated, 7 unchanged", "rows: 4 not for any output",
                   "wrote content/availability/outages-2026-06.yaml"]
    (outage,) = records(june)
    assert outage["end"] == "2026-06-02T11:30:00+07:00"
    assert outage["investigation"] == "INV-2026-05"
    assert june.read_text(encoding="utf-8").endswith("# reviewed in the June service review\n")
    assert {p: p.read_bytes() for p in others} == others


def test_record_edited_by_hand_is_reported_not_overwritten(site: Path, capsys):
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    june = site / "content/availability/outages-2026-06.yaml"
    edited = june.read_text(encoding="utf-8").replace("end: 2026-06-02T11:20:00+07:00",
                                                      "end: 2026-06-02T11:25:00+07:00")
    june.write_text(edited, encoding="utf-8")
    record_id = records(june)[0]["id"]
    newer = _newer_zabbix_export(site)
    code, out, err = clause8(capsys, "import", "zabbix", str(newer), "--mapping", fixture("zabbix", "mapping.yaml"),
                             "--no-check", "--period", "2026-01-01..2026-11-23")
    assert code == 0
    assert err == [f"content/availability/outages-2026-06.yaml: {record_id}: edited by hand since it was imported; "
                   f"the zabbix export changed it too (row {newer.name}:8): not updated. Copy the change by hand, or "
                   "delete the record to import it again."]
    assert "outage: 7 unchanged, 1 edited by hand, not updated" in out
    assert june.read_text(encoding="utf-8") == edited
    # the same export again: the edit is kept, quietly counted
    _, out, err = clause8(capsys, *import_args(*ZABBIX))
    assert "outage: 7 unchanged, 1 edited by hand, kept" in out
    assert june.read_text(encoding="utf-8") == edited


def test_dry_run_reads_everything_and_writes_nothing(site: Path, capsys):
    before = snapshot(site / "content")
    code, out, _ = clause8(capsys, *import_args(*ZABBIX), "--dry-run")
    assert code == 0
    assert out[:3] == ["would import from zabbix: 14 row(s) read", "monitoring_coverage: 2 gap rows, 44 new",
                       "outage: 8 new"]
    assert snapshot(site / "content") == before


def test_import_then_check_prints_the_findings(site: Path, capsys):
    code, out, _ = clause8(capsys, "import", "zabbix", fixture("zabbix", "zbx_problems_export.csv"), "--mapping",
                           fixture("zabbix", "mapping.yaml"), "--period", "2026-01-01..2026-11-23",
                           "--today", TODAY.isoformat())
    findings = [line for line in out if re.match(r"content/.*: (error|warning|info)\[", line)]
    assert code == 1  # the base is clean: the findings are the imported outages', none of them investigated yet
    months = ("01", "02", "04", "05", "06", "07", "09", "10")
    assert [re.sub(r":\d+:\d+: .*", "", line) for line in findings] == [
        f"content/availability/outages-2026-{m}.yaml" for m in months]
    assert all("error[outage-uninvestigated]" in line for line in findings)
    assert findings[4].startswith("content/availability/outages-2026-06.yaml:14:12: error[outage-uninvestigated]: "
                                  "[0].planned: unplanned outage of SVC-DESK has no investigation")
    assert out[-1] == "8 error(s), 0 warning(s)"


# --------------------------------------------------------------------------- status page (JSON)


def test_statuspage_maintenances_are_planned_outages(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("statuspage", "scheduled-maintenances.json"))
    assert code == 0
    assert out[:3] == ["imported from statuspage: 5 row(s) read", "outage: 4 new", "rows: 1 not for any output"]
    (outage,) = records(site / "content/availability/outages-2026-08.yaml")
    assert (outage["service"], outage["planned"], outage["exception"]) == ("SVC-HOST", True, "Planned maintenance")
    assert (outage["start"], outage["end"]) == ("2026-08-16T01:00:00+07:00", "2026-08-16T03:30:00+07:00")
    assert not (site / "content/availability/outages-2026-11.yaml").exists()  # the still-scheduled one


def test_statuspage_incident_per_component_and_ongoing_without_end(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("statuspage", "incidents.json"))
    assert code == 0
    assert out[1] == "outage: 3 new"
    october = records(site / "content/availability/outages-2026-10.yaml")
    assert sorted(o["service"] for o in october) == ["SVC-DESK", "SVC-HOST"]
    assert {o["planned"] for o in october} == {False}
    (ongoing,) = records(site / "content/availability/outages-2026-11.yaml")
    assert ongoing["start"] == "2026-11-23T09:05:00+07:00" and "end" not in ongoing


# --------------------------------------------------------------------------- Alertmanager (JSON)


def test_alertmanager_firing_alert_later_resolved_by_a_webhook_payload(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("alertmanager", "alerts.json", "--period", "2026-03-01..2026-03-31"))
    assert code == 0
    assert out[1:4] == ["monitoring_coverage: 2 new", "outage: 2 new", "rows: 2 not for any output"]
    march = site / "content/availability/outages-2026-03.yaml"
    by_service = {o["service"]: o for o in records(march)}
    assert by_service["SVC-MAIL"]["start"] == "2026-03-10T08:02:00+07:00"  # UTC in the export, WIB in the record
    assert by_service["SVC-MAIL"]["end"] == "2026-03-10T08:25:00+07:00"
    assert "end" not in by_service["SVC-HOST"]  # still active: endsAt is only a timeout
    code, out, _ = clause8(capsys, *import_args("alertmanager", "webhook.json"))
    assert code == 0
    assert out[1] == "outage: 1 updated"
    assert {o["service"]: o for o in records(march)}["SVC-HOST"]["end"] == "2026-03-20T14:52:00+07:00"


def test_json_arrays_are_streamed_with_the_line_each_element_starts_on():
    text = '{"page": {"id": "x", "n": [1, 2]},\n "data": {"skip": 1,\n  "events": [\n   {"a": 1},\n   {"a": 2}]}}'
    rows = list(read_json(io.StringIO(text), ["data.events"]))
    assert [(r.line, r.values) for r in rows] == [(4, {"a": 1}), (5, {"a": 2})]
    with pytest.raises(ReadProblem) as exc:
        list(read_json(io.StringIO('[\n {"a": 1},\n {"a": 2,,}\n]'), [""]))
    assert exc.value.line == 3


def test_json_reader_keeps_one_element_in_memory(tmp_path: Path):
    import tracemalloc

    path = tmp_path / "big.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write("[")
        for i in range(50_000):
            f.write(("," if i else "") + json.dumps({"fingerprint": f"{i:016x}", "labels": {"x": "y" * 50}}))
        f.write("]")
    tracemalloc.start()
    with open(path, encoding="utf-8") as f:
        count = sum(1 for _ in read_json(f, [""]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 50_000
    assert path.stat().st_size > 4_000_000
    assert peak < 1_000_000  # a few chunks, never the file


# --------------------------------------------------------------------------- ticketing (CSV)


def test_freshdesk_complaints_and_workload_without_personal_data(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("freshdesk", "tickets.csv", "--period", "2026-11-01..2026-11-30"))
    assert code == 0
    assert out[1:3] == ["complaint: 11 new", "workload_report: 2 new"]
    (complaint,) = records(site / "content/relationship/complaints-2026-04.yaml")
    assert complaint["id"] == "CMP-FD-1157"
    assert (complaint["customer"], complaint["service"], complaint["channel"]) == ("ORG-LOGI", "SVC-HOST", "portal")
    assert (complaint["escalated"], complaint["escalated_to"]) == (True, "PER-RINA")
    assert (complaint["resolved"], complaint["closed"]) == ("2026-05-08T17:00:00+07:00", "2026-05-12T10:00:00+07:00")
    letters = records(site / "content/relationship/complaints-2026-05.yaml")
    assert [c["channel"] for c in letters] == ["letter"]
    workload = {w["sla"]: w for w in records(site / "content/service_levels/workload-reports-2026-11.yaml")}
    assert {k: w["actuals"] for k, w in workload.items()} == {
        "SLA-DESK-GOV": [{"metric": "tickets", "value": 2}], "SLA-DESK-HOSP": [{"metric": "tickets", "value": 2}]}
    written = "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*-2026-*.yaml"))
    for personal in ("Wayan", "wayan.putra", "@", "0812", "+62", "Ratih", "Yosef"):
        assert personal not in written
    assert "Caller found an agent unhelpful (call back on [phone])" in written


def test_mapping_that_copies_a_personal_column_is_refused(site: Path, capsys, tmp_path: Path):
    mapping = tmp_path / "copy-names.yaml"
    mapping.write_text(Path(fixture("freshdesk", "mapping.yaml")).read_text(encoding="utf-8")
                       + "    # wrongly copying the requester\n", encoding="utf-8")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(
        "  complaints:\n    fields:\n", "  complaints:\n    fields:\n      summary: \"{Subject}, from {Full name}\"\n"),
        encoding="utf-8")
    code, _, err = clause8(capsys, "import", "freshdesk", fixture("freshdesk", "tickets.csv"), "--mapping", str(mapping))
    assert code == 2
    assert err == [f"error: {mapping}: outputs.complaints.fields.summary: column 'Full name' holds personal data "
                   "(personal_columns): it is only read through a map to record ids, unless the mapping sets "
                   "copy_personal_data: true"]


def test_freshdesk_unknown_status_names_the_line_and_column(site: Path, capsys, tmp_path: Path):
    export = tmp_path / "tickets.csv"
    export.write_text(Path(fixture("freshdesk", "tickets.csv")).read_text(encoding="utf-8").replace(
        "1043,Night-shift nurses wait over 30 minutes for password resets,Closed,",
        "1043,Night-shift nurses wait over 30 minutes for password resets,Frozen,"), encoding="utf-8")
    code, out, err = clause8(capsys, "import", "freshdesk", str(export), "--mapping", fixture("freshdesk", "mapping.yaml"))
    assert code == 1
    assert err[0].startswith("tickets.csv:3: Status: 'Frozen' is not in the mapping's map for state (known: ")
    assert err[-1] == "import stopped: 1 problem(s); nothing was written"


def test_unmapped_service_is_a_row_problem_naming_the_column(site: Path, capsys, tmp_path: Path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(Path(fixture("freshdesk", "mapping.yaml")).read_text(encoding="utf-8").replace(
        "Cloud Hosting: SVC-HOST", "Cloud Hosting: SVC-HOSTING"), encoding="utf-8")
    code, _, err = clause8(capsys, "import", "freshdesk", fixture("freshdesk", "tickets.csv"), "--mapping", str(mapping))
    assert code == 1
    tickets = fixture("freshdesk", "tickets.csv")
    assert err[0] == (f"{tickets}:5: Product: 'SVC-HOSTING' is not a known service (no record has this id): map the "
                      "value to an existing id")


def test_jira_sm_complaints_repeated_labels_and_workload(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("jira-sm", "jira.csv", "--period", "2026-10-01..2026-10-31"))
    assert code == 0
    assert out[1:3] == ["complaint: 3 new", "workload_report: 1 new"]
    (escalated,) = records(site / "content/relationship/complaints-2026-10.yaml")
    assert escalated["id"] == "CMP-NLDSD-533"
    assert (escalated["state"], escalated["escalated"], escalated["escalated_to"]) == ("open", True, "PER-RINA")
    assert escalated["received"] == "2026-10-19T10:15:00+07:00"  # 19/Oct/26 10:15 AM
    (closed,) = records(site / "content/relationship/complaints-2026-05.yaml")
    assert (closed["state"], closed["closed"]) == ("closed", "2026-05-20T09:00:00+07:00")
    (workload,) = records(site / "content/service_levels/workload-reports-2026-10.yaml")
    assert (workload["sla"], workload["period"], workload["actuals"]) == (
        "SLA-DESK-GOV", "2026-10", [{"metric": "tickets", "value": 2}])
    written = "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*-2026-*.yaml"))
    assert "kominfo.example" not in written and "3456" not in written and "Syamsul" not in written


def test_glpi_security_incidents_semicolon_csv(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("glpi", "tickets.csv"))
    assert code == 0
    assert out[1:3] == ["rows: 1 not for any output", "security_incident: 9 new"]
    (ddos,) = records(site / "content/security/security-incidents-2026-10.yaml")
    assert (ddos["type"], ddos["severity"], ddos["priority"]) == ("denial_of_service", "high", "P1")
    assert ddos["services"] == ["SVC-HOST", "SVC-MAIL"]
    assert (ddos["escalated"], ddos["escalated_to"], ddos["classification"]) == (True, "PER-HENDRA", "confidential")
    november = {i["state"]: i for i in records(site / "content/security/security-incidents-2026-11.yaml")}
    assert "closed" not in november["resolved"] and november["open"]["services"] == ["SVC-MAIL", "SVC-DESK"]
    assert "[email]" in november["open"]["impact"] and "[phone]" in november["open"]["impact"]


# --------------------------------------------------------------------------- surveys


def test_google_forms_responses_become_one_survey(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("google-forms", "responses.csv"))
    assert code == 0
    (survey,) = records(site / "content/relationship/satisfaction-surveys-2026-09.yaml")
    assert (survey["id"], survey["date"], survey["responses"]) == ("SURVEY-2026-Q3", "2026-09-29", 8)
    assert survey["results"] == [
        {"question": "Overall, how satisfied are you with NLD's services?", "score": 4.25, "scale_max": 5.0},
        {"question": "How satisfied are you with incident handling?", "score": 3.86, "scale_max": 5.0}]
    assert {s["name"]: s["responses"] for s in survey["segments"]} == {
        "financial services": 2, "healthcare": 2, "enterprise": 2, "public sector": 2}
    text = (site / "content/relationship/satisfaction-surveys-2026-09.yaml").read_text(encoding="utf-8")
    assert "@" not in text and "0812" not in text


# --------------------------------------------------------------------------- generic mappings


def test_generic_csv_register_with_dd_mm_yyyy_dates(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("generic-csv", "incident-register.csv", mapping="mapping-incidents.yaml"))
    assert code == 0
    assert out[0] == "imported from sec-register: 4 row(s) read"
    (april,) = records(site / "content/security/security-incidents-2026-04.yaml")  # 03/04/2026 is 3 April
    assert (april["id"], april["reported"], april["type"]) == ("SEC-IR-26-03", "2026-04-03T14:00:00+07:00",
                                                               "unauthorised_access")
    assert (april["state"], april["resolved"]) == ("resolved", "2026-04-03T16:30:00+07:00")
    (leak,) = records(site / "content/security/security-incidents-2026-11.yaml")
    assert leak["services"] == ["SVC-MAIL", "SVC-DESK"] and leak["escalated_to"] == "PER-AGUS"


def test_generic_csv_sla_results_grouped_per_sla_and_month(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("generic-csv", "sla-results.csv", mapping="mapping-sla.yaml"))
    assert code == 0
    assert out[1] == "sla_report: 2 new"
    reports = {r["sla"]: r for r in records(site / "content/service_levels/sla-reports-2026-11.yaml")}
    assert reports["SLA-DESK-GOV"]["results"] == [
        {"target": "avail", "actual": 99.98}, {"target": "p1-response", "actual": 7},
        {"target": "fcr", "actual": 71.5, "note": "Below 75 %: two new agents in training"}]


def test_generic_json_nested_list(site: Path, capsys):
    code, out, _ = clause8(capsys, *import_args("generic-json", "events.json", mapping="mapping-events.yaml"))
    assert code == 0
    ongoing = {o["id"]: o for o in records(site / "content/availability/outages-2026-11.yaml")}["OUT-EV-2"]
    assert ongoing["service"] == "SVC-WAN" and "end" not in ongoing


# --------------------------------------------------------------------------- the example, from exports


@pytest.mark.example
def test_example_outages_incidents_and_complaints_come_back_from_the_fixtures(example_site: Path, capsys):
    """Imported into a folder without them, the fixtures give the example's availability figures,
    its security incident statistics and its complaint statistics."""
    for args in (import_args(*ZABBIX), import_args("statuspage", "scheduled-maintenances.json"),
                 import_args("freshdesk", "tickets.csv"), import_args("glpi", "tickets.csv")):
        assert clause8(capsys, *args)[0] == 0
    example = build_index(load_content(ROOT / "content"))
    imported = build_index(load_content(example_site / "content"))

    def figures(index):  # ids differ (OUT-2026-002 is OUT-ZBX-20260127-...), everything else must not
        rows = availability_table(index, as_of=TODAY)
        return [dataclasses.replace(r, outages=(), coverage=()) for r in rows]

    assert figures(imported) == figures(example)
    assert len(figures(example)) == 100 and {r.status for r in figures(example)} == {"met", "missed", "no_data"}
    assert security_incident_stats(imported) == security_incident_stats(example)
    a, b = complaint_stats(imported, TODAY), complaint_stats(example, TODAY)
    assert dataclasses.replace(a, open=tuple(dataclasses.replace(o, id="") for o in a.open)) == \
        dataclasses.replace(b, open=tuple(dataclasses.replace(o, id="") for o in b.open))
    # the imported files themselves are clean: their only findings are outages awaiting investigation
    findings = check_content(Path("content"), TODAY).findings
    imported_files = [f for f in findings
                      if re.search(r"/(outages|monitoring-coverage|complaints|security-incidents)-2026-\d\d\.yaml$", f.file)]
    assert {f.code for f in imported_files} == {"outage-uninvestigated"}


# --------------------------------------------------------------------------- the mappings themselves


def test_every_preset_loads_and_documents_its_format():
    presets = dict(list_presets())
    assert set(presets) == {"zabbix", "statuspage", "alertmanager", "jira-sm", "freshdesk", "glpi", "google-forms",
                            "generic-csv", "generic-json"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bringing in operational data", 1)[1].split("\n## ", 1)[0]
    for name in presets:
        mapping = load_mapping(name)
        assert mapping.format_version, name
        assert f"`{name}`" in section, f"README 'Bringing in operational data' does not cover the {name} preset"
        compiled, problems = compile_mapping(mapping.model_copy(update={"defaults": {**mapping.defaults,
                                                                                      "owner": "PER-MAYA"}}))
        # what a user's mapping has to add before the preset can be used: nothing else
        if name.startswith("generic"):
            assert problems == ["outputs: the mapping makes no records (every output is disabled or none is given)"]
        elif name == "google-forms":
            assert problems == ["outputs.survey: a survey needs questions"]
        elif name in ("zabbix", "alertmanager"):
            assert problems == ["coverage.services: no service to record coverage for: map hosts to services in the "
                                "outage output, or list coverage.services"]
        else:
            assert problems == [], (name, problems)


def test_unknown_preset_and_missing_owner_are_usage_errors(site: Path, capsys):
    code, _, err = clause8(capsys, "import", "zabix", fixture("zabbix", "zbx_problems_export.csv"))
    assert code == 2
    assert err[0].startswith("error: 'zabix' is not a preset (known: alertmanager, freshdesk, generic-csv")
    code, _, err = clause8(capsys, "import", "zabbix", fixture("zabbix", "zbx_problems_export.csv"))
    assert code == 2
    assert err == ["error: preset zabbix: outputs.outages: defaults.owner: every record needs an owner (a person id, "
                   "e.g. PER-MAYA): set defaults: {owner: ...} in your mapping",
                   "error: preset zabbix: coverage.services: no service to record coverage for: map hosts to services "
                   "in the outage output, or list coverage.services"]


def test_missing_column_is_reported_on_the_header_line(site: Path, capsys, tmp_path: Path):
    export = tmp_path / "old-zabbix.csv"
    export.write_text(Path(fixture("zabbix", "zbx_problems_export.csv")).read_text(encoding="utf-8")
                      .replace('"Recovery time",', '"Recovery",', 1), encoding="utf-8")
    code, _, err = clause8(capsys, "import", "zabbix", str(export), "--mapping", fixture("zabbix", "mapping.yaml"))
    assert code == 1
    assert err[0].startswith("old-zabbix.csv:1: Recovery time: no such column in the export (its columns: Severity, Time, "
                             "Recovery, Status")


def test_a_month_file_is_split_before_the_loader_limit(site: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    from generator.authoring.importers import writer

    monkeypatch.setattr(writer, "SPLIT_BYTES", 1500)
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    parts = sorted(p.name for p in (site / "content/availability").glob("monitoring-coverage-2026-06*.yaml"))
    assert parts == ["monitoring-coverage-2026-06-2.yaml", "monitoring-coverage-2026-06.yaml"]
    assert sum(len(records(site / "content/availability" / name)) for name in parts) == 4
    # split files are found again: a repeated import changes nothing
    before = snapshot(site / "content")
    assert clause8(capsys, *import_args(*ZABBIX))[1][-1] == "nothing changed"
    assert snapshot(site / "content") == before


def test_a_new_layout_of_the_same_values_is_not_an_edit(site: Path, capsys):
    """An editor that re-saves a month file with quotes and another key order changes no value:
    the next import finds every record unchanged."""
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    may = site / "content/availability/outages-2026-05.yaml"
    text = may.read_text(encoding="utf-8")
    relaid = text.replace("  service: SVC-MAIL\n", "").replace("  planned: false\n",
                                                                  "  planned: false\n  service: \"SVC-MAIL\"\n")
    assert relaid != text
    may.write_text(relaid, encoding="utf-8")
    code, out, err = clause8(capsys, *import_args(*ZABBIX))
    assert code == 0 and err == []
    assert "outage: 8 unchanged" in out
    assert may.read_text(encoding="utf-8") == relaid


def test_a_file_that_cannot_be_changed_stops_the_import_before_anything_is_written(site: Path, capsys):
    """The June record is updated (ready first), then October's file turns out broken: nothing is
    renamed into place, and the message names the file to fix."""
    assert clause8(capsys, *import_args(*ZABBIX))[0] == 0
    october = site / "content/availability/outages-2026-10.yaml"
    october.write_text(october.read_text(encoding="utf-8") + "  broken: [\n", encoding="utf-8")
    before = snapshot(site / "content")
    newer = _newer_zabbix_export(site)
    newer.write_text(newer.read_text(encoding="utf-8") + '"High","2026-10-20 10:00:00","2026-10-20 10:05:00",'
                     '"RESOLVED","lb-jkt-01","Load balancer VIP unreachable from probes","5m","No","",""\n',
                     encoding="utf-8")
    code, out, err = clause8(capsys, "import", "zabbix", str(newer), "--mapping", fixture("zabbix", "mapping.yaml"),
                             "--no-check", "--period", "2026-01-01..2026-11-23")
    assert code == 1
    assert err[0].startswith("content/availability/outages-2026-10.yaml:21:1: ")
    assert err[0].endswith("fix the file, then import again")
    assert snapshot(site / "content") == before
    assert not list((site / "content").glob(".clause8-import-*"))


def test_a_mapped_value_the_model_refuses_is_named_in_plain_words(site: Path, capsys, tmp_path: Path):
    from tests.conftest import jargon_in

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(Path(fixture("freshdesk", "mapping.yaml")).read_text(encoding="utf-8").replace(
        "  complaints:\n    fields:\n",
        "  complaints:\n    fields:\n      state: {map: {closed: finished, open: open, pending: open, resolved: resolved}}\n"),
        encoding="utf-8")
    code, _, err = clause8(capsys, "import", "freshdesk", fixture("freshdesk", "tickets.csv"), "--mapping", str(mapping))
    assert code == 1
    tickets = fixture("freshdesk", "tickets.csv")
    assert err[0] == (f"{tickets}:2: Status: 'finished' is not one of the values allowed here: 'open', 'resolved' or "
                      "'closed'")
    assert not [line for line in err if jargon_in(line)]
