"""Dashboards: pages and SVG charts agree with generator.figures, are offline, reproducible and translated."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.figures import (
    availability as figures_availability, relationship as figures_relationship, security as figures_security,
    service_levels as figures_service_levels
)
from generator.figures.alignment import supplier_alignment
from generator.site.dashboards import PAGES, render_dashboards
from generator.content.i18n import Translator, tables
from generator.checks.pipeline import check_content
from tests.conftest import PERSON, ROOT, TODAY, write_tree
from tests.test_figures import COVERAGE, REQ, SERVICE, SLA, complaint, incident, outage, rec

IMAGE = re.compile(r"!\[([^\]]*(?:\\\][^\]]*)*)\]\(([^)\s]+)\)")
URL = re.compile(r"https?://[^\s\"'<>)]+")

SMALL = {
    "people/ani.yaml": PERSON,
    "services/a.yaml": SERVICE,
    "availability/req.yaml": REQ,
    "availability/mon.yaml": COVERAGE,
    # April 2026: O1 is 90 minutes of 43200 -> 99.791666...%, below 99.9.
    "availability/o1.yaml": outage("O1", "2026-04-10T10:00:00+07:00", "2026-04-10T11:30:00+07:00"),
    "service_levels/sla.yaml": SLA,
    "service_levels/r1.yaml": rec("sla_report", "R-1", """\
        sla: SLA-A
        period: "2026-04"
        results:
          - {target: avail, actual: 99.79}
          - {target: p1-response, actual: 16}
    """),
    "service_levels/r3.yaml": rec("sla_report", "R-3", """\
        sla: SLA-A
        period: "2026-06"
        results:
          - {target: avail, actual: 100}
          - {target: p1-response, actual: 9}
    """),
    "security/s1.yaml": incident("S1", "2026-01-05T08:00:00+07:00", "phishing", "P3", False, "2026-01-05T18:00:00+07:00"),
    "security/s2.yaml": incident("S2", "2026-03-10T08:00:00+07:00", "malware", "P1", True, None),
    "relationship/c1.yaml": complaint("C1", "2026-03-01T09:00:00+07:00", "closed", closed="2026-03-02T09:00:00+07:00"),
    "relationship/c2.yaml": complaint("C2", "2026-11-10T09:00:00+07:00", "open", True),
}


def render(content: Path, lang: str = "en", today: dt.date = TODAY):
    index = check_content(content, today).index
    return index, *render_dashboards(index, today, Translator(lang))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    return render(write_tree(tmp_path_factory.mktemp("small"), SMALL))


@pytest.fixture(scope="module")
def example():
    return render(ROOT / "content")


def images(page: str) -> list[tuple[str, str]]:
    return IMAGE.findall(page)


def assert_sound(pages: dict[str, str], files: dict[str, bytes]) -> None:
    """Every image is a produced SVG, every SVG is used, parses, and names no host but w3.org."""
    assert set(pages) == {"dashboards/index.md", *(f"dashboards/{p}.md" for p in PAGES)}
    used = set()
    for path, page in pages.items():
        for alt, src in images(page):
            assert src.endswith(".svg") and "/" not in src, src
            target = f"dashboards/{src}"
            assert target in files, f"{path} shows {src}, which was not produced"
            assert len(alt) > 40, f"alt text of {src} says too little: {alt!r}"
            used.add(target)
    assert used == set(files)
    for name, data in files.items():
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        text = data.decode("utf-8")
        hosts = {re.sub(r"^https?://([^/]+).*", r"\1", u) for u in URL.findall(text)}
        assert hosts <= {"www.w3.org"}, (name, hosts)
        assert "<image" not in text and "@import" not in text
        assert "<text" in text  # svg.fonttype none: labels stay text


def table_row(page: str, first_cell: str) -> list[str]:
    for line in page.splitlines():
        if line.startswith(f"| {first_cell} |"):
            return [c.strip() for c in line.strip().strip("|").split("|")]
    raise AssertionError(f"no table row for {first_cell!r}")


# --------------------------------------------------------------------------- small content


def test_small_content_pages_and_charts(small):
    _, pages, files = small
    assert_sound(pages, files)
    assert set(files) == {"dashboards/availability-svc-a.svg", "dashboards/sla-overview.svg",
                          "dashboards/incidents-type.svg", "dashboards/incidents-priority.svg",
                          "dashboards/complaints-per-month.svg", "dashboards/complaints-open-age.svg"}
    index_page = pages["dashboards/index.md"]
    for name in PAGES:
        assert f"]({name}.md)" in index_page


def test_small_tables_show_the_figures(small):
    index, pages, _ = small
    april = figures_availability.availability(index, "SVC-A", "2026-04", TODAY)
    assert april.met is False
    row = table_row(pages["dashboards/availability.md"], "2026-04")
    assert row[1] == f"{april.availability_pct:.3f}" == "99.792"
    assert row[3] == "**missed**"
    assert row[4] == "100.0"  # monitored share of the month
    assert row[6] == "[O1](../records/outage/O1.md)"
    # The month in progress is labelled as such.
    assert "2026-11 \\(to 2026-11-24\\)" in pages["dashboards/availability.md"]

    sla = pages["dashboards/sla.md"]
    # 99.79 < 99.9 and 16 > 15: both missed.
    assert table_row(sla, "[R-1](../records/sla_report/R-1.md)")[2:] == ["99.79 (**missed**)", "16 (**missed**)"]
    # May has no report: shown as no data, never as a value.
    may = table_row(sla, "—")
    assert may[1:] == ["2026-05", "no data", "no data"]

    stats = figures_security.security_incident_stats(index)
    inc = pages["dashboards/incidents.md"]
    assert table_row(inc, "2026-02")[-1] == "0"
    assert table_row(inc, "2026-03")[-1] == str(dict(stats.by_month)["2026-03"]) == "1"
    assert f"| {stats.escalated} (50.0 %) |" in inc

    cs = figures_relationship.complaint_stats(index, TODAY)
    cmp_page = pages["dashboards/complaints.md"]
    c2 = table_row(cmp_page, "[C2](../records/complaint/C2.md)")
    assert c2[-1] == str(cs.open[0].age_days) == "13"
    assert c2[1] == "[SVC-A](../records/service/SVC-A.md)"
    assert f"| {cs.hours_to_close_median:.1f} |" in cmp_page


def test_small_sla_figures_match_attainment(small):
    index, pages, _ = small
    for a in figures_service_levels.sla_attainment(index):
        row = table_row(pages["dashboards/sla.md"], f"[{a.report}](../records/sla_report/{a.report}.md)")
        assert any(cell.startswith(f"{a.actual:g} (") for cell in row[2:])


def test_rendering_twice_gives_identical_bytes(tmp_path: Path, small):
    _, pages, files = small
    _, pages2, files2 = render(write_tree(tmp_path, SMALL))
    assert pages2 == pages
    assert files2 == files


def test_empty_content_gives_pages_without_charts(tmp_path: Path):
    _, pages, files = render(write_tree(tmp_path, {"people/ani.yaml": PERSON}))
    assert files == {}
    assert set(pages) == {"dashboards/index.md", *(f"dashboards/{p}.md" for p in PAGES)}
    t = Translator("en")
    for name in PAGES:
        page = pages[f"dashboards/{name}.md"]
        assert not images(page)
        assert t("dashboard.nothing") in page
    assert "100.000" not in pages["dashboards/availability.md"]


def test_indonesian_pages(small, tmp_path: Path):
    _, pages, files = render(write_tree(tmp_path, SMALL), lang="id")
    assert_sound(pages, files)
    assert pages["dashboards/index.md"].startswith("# Dasbor")
    assert "tidak ada data" in pages["dashboards/sla.md"]


# --------------------------------------------------------------------------- example content


@pytest.mark.example
def test_example_content(example):
    index, pages, files = example
    assert_sound(pages, files)
    for name in PAGES:
        assert images(pages[f"dashboards/{name}.md"]), name
    rows = figures_availability.availability_table(index, as_of=TODAY)
    missed = next(r for r in rows if r.met is False)
    page = pages["dashboards/availability.md"]
    assert f"## [{missed.service}](../records/service/{missed.service}.md)" in page
    section = page.split(f"## [{missed.service}]")[1].split("\n## ")[0]
    assert table_row(section, missed.period)[1] == f"{missed.availability_pct:.3f}"
    assert table_row(section, missed.period)[3] == "**missed**"
    chains = [ta for ta in supplier_alignment(index).targets if ta.mode == "product"]
    sup = pages["dashboards/suppliers.md"]
    assert chains and f"{chains[0].combined:.3f}" in sup
    assert "](../records/supplier_review/" in sup and "](../records/internal_agreement_review/" in sup
    stats = figures_security.security_incident_stats(index)
    assert table_row(pages["dashboards/incidents.md"], "**Total**")[-1] == str(stats.total)


def test_example_is_reproducible(example):
    index, pages, files = example
    assert render_dashboards(index, TODAY, Translator("en")) == (pages, files)


# --------------------------------------------------------------------------- labels


def test_dashboard_labels_exist_in_both_languages():
    en = {k for k in tables()["en"] if k.startswith("dashboard.")}
    id_ = {k for k in tables()["id"] if k.startswith("dashboard.")}
    assert en and en == id_
    used = {key for module in ("dashboards.py", "charts.py") for key in
            re.findall(r'"(dashboard\.[a-z_.]+)"', (ROOT / "generator" / "site" / module).read_text())}
    used |= set(re.findall(r'"(dashboard\.[a-z_.]+)"', (ROOT / "site_templates" / "dashboard.md.j2").read_text()))
    assert used <= en, used - en
    # Keys built at run time.
    for name in PAGES:
        assert {f"dashboard.{name}.title", f"dashboard.{name}.summary_line"} <= en
    from typing import get_args

    from generator.content.models.security import IncidentType

    assert {f"dashboard.incidents.type_{k}" for k in get_args(IncidentType)} <= en
    for state in ("open", "resolved", "closed"):
        assert f"dashboard.state_{state}" in en


def test_a_chart_is_drawn_once_for_the_same_data(monkeypatch):
    from generator.site import charts as dashboards_charts
    from generator.content.i18n import Translator

    drawn = []
    real = dashboards_charts._draw_svg
    monkeypatch.setattr(dashboards_charts, "_draw_svg", lambda panels, t: drawn.append(1) or real(panels, t))
    panel = dashboards_charts.Panel(title="Availability", categories=("2026-01", "2026-02"),
                             series=(dashboards_charts.Series("SVC-X", (99.5, 99.9)),), ylabel="%")
    first = dashboards_charts.chart_svg([panel], Translator("en"))
    assert dashboards_charts.chart_svg([panel], Translator("en")) == first and len(drawn) == 1
    dashboards_charts.chart_svg([panel], Translator("id"))  # other labels: drawn again
    assert len(drawn) == 2


# --------------------------------------------------------------------------- charts drawn on another CPU


def test_charts_drawn_in_a_forked_process_are_the_ones_drawn_here(tmp_path: Path, synthetic_content: Path):
    """A build draws the charts in a forked process while it renders and converts the pages: the site
    it writes carries the very bytes this process draws, at the paths the pages show."""
    from generator.cli import main
    from generator.publish.prepare import prepare_site
    from generator.site import charts
    from generator.site.background import can_fork

    charts._DRAWN.clear()  # nothing drawn yet: the forked process draws every chart
    prepared = prepare_site(synthetic_content, TODAY, settings={}, edition="internal", settle=False)
    assert all(later.forked for _, later in prepared.site.pending) == can_fork()
    pages, files = render_dashboards(prepared.index, TODAY, Translator("en"))  # drawn here
    assert len(files) > 5 and sorted(prepared.site.pending_files()) == sorted([*files, "calendar.ics"])
    assert not set(files) & set(prepared.site.files)  # not there until collected
    prepared.site.settle()
    assert {path: prepared.site.files[path] for path in files} == files and not prepared.site.pending
    assert {path: prepared.site.pages[path] for path in pages} == pages

    site = tmp_path / "site"
    assert main(["build", "--content", str(synthetic_content), "--site-dir", str(site), "--today",
                 TODAY.isoformat(), "--edition", "internal", "--config", str(ROOT / "mkdocs.yml")]) == 0
    for path, data in files.items():
        assert (site / path).read_bytes() == data, path
