"""Content that used to crash the tool or pass silently: each is a located finding (exit 1) or a
usage error (exit 2), never a traceback. Every test runs the real command on a small tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from markdown.htmlparser import htmlparser

from generator.site.emergency import pack as emergency_pack, vcard as emergency_vcard
from generator.cli import main
from generator.checks.pipeline import check_content
from tests.conftest import PERSON, ROOT, TODAY, write_tree

BUDI = PERSON.replace("PER-ANI\ntitle: Ani Wijaya", "PER-BUDI\ntitle: Budi Santoso")


@pytest.fixture
def run_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Write a tree under content/, run ``python -m generator check`` on it in-process; return
    (exit code, stdout lines without the summary, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str | bytes], *args: str, today: str = TODAY.isoformat()) -> tuple[int, list[str], str]:
        write_tree(tmp_path, files)
        code = main(["check", "--content", "content", "--today", today, *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        lines = out.splitlines()
        if args[:2] in ((), ("--format", "text")):
            assert lines[-1].endswith("warning(s)")
            lines = lines[:-1]
        return code, lines, err

    return run


def _subprocess_check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "generator", "check", "--content", "content",
                           "--today", TODAY.isoformat(), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _raw_html_scan_fails(text: str) -> bool:
    """Whether this Python's html.parser (mkdocs scans every page with it) raises on ``text``."""
    try:
        parser = htmlparser.HTMLParser()
        parser.feed(text)
        parser.close()
    except AssertionError:
        return True
    return False


# -- 1. markdown the site build cannot render -------------------------------------------------
UNRENDERABLE = PERSON + 'description: "see <![> here"\n'
UNRENDERABLE_LINE = (
    "content/people/ani.yaml:6:14: error[markup-unparseable]: description: the markdown cannot be rendered "
    "(AssertionError: expected name token at '<![> here'): the site build would stop on this page; "
    "write &lt; for a '<' that does not start an HTML tag"
)
needs_failing_scan = pytest.mark.skipif(not _raw_html_scan_fails("<![> x"),
                                        reason="this Python's html.parser accepts '<![>'")


@needs_failing_scan
def test_markup_unparseable_description_is_a_located_error(run_check):
    code, lines, _ = run_check({"people/ani.yaml": UNRENDERABLE})
    assert lines == [UNRENDERABLE_LINE]
    assert code == 1


@needs_failing_scan
def test_markup_unparseable_even_in_an_inline_code_span(run_check):
    # mkdocs scans the raw text before code spans are set aside: backticks do not protect it.
    code, lines, _ = run_check({"people/ani.yaml": PERSON + 'description: "see `<![>`"\n'})
    assert [line.split(": description:")[0] for line in lines] == [
        "content/people/ani.yaml:6:14: error[markup-unparseable]"]
    assert code == 1


def test_markup_unparseable_on_a_recursion_error(run_check):
    nested = "".join("    " * i + "- x\n" for i in range(300))
    code, lines, _ = run_check({"people/ani.yaml": PERSON + f"description: {json.dumps(nested)}\n"})
    assert [line.split(" (")[0] for line in lines] == [
        "content/people/ani.yaml:6:14: error[markup-unparseable]: description: the markdown cannot be rendered"]
    assert "RecursionError" in lines[0]
    assert code == 1


@needs_failing_scan
def test_build_stops_before_mkdocs_on_unrenderable_markdown(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"people/ani.yaml": UNRENDERABLE})
    code = main(["build", "--content", "content", "--today", TODAY.isoformat(), "--site-dir", "site",
                 "--config", str(ROOT / "mkdocs.yml")])
    _, err = capsys.readouterr()
    assert code == 1
    assert UNRENDERABLE_LINE in err.splitlines()
    assert "build stopped: 1 content error(s)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_site_markdown_extensions_are_the_sites():
    from generator.engine.build import read_mkdocs_yaml
    from generator.checks.markup import SITE_MARKDOWN_CONFIGS, SITE_MARKDOWN_EXTENSIONS

    config = read_mkdocs_yaml(ROOT / "mkdocs.yml")
    declared: dict[str, dict] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        declared[name] = options or {}
    mkdocs_builtins = {"toc", "tables", "fenced_code"}
    assert set(SITE_MARKDOWN_EXTENSIONS) == set(declared) | mkdocs_builtins
    assert {k: v for k, v in declared.items() if v} == SITE_MARKDOWN_CONFIGS


# -- 2. links the strict mkdocs build rejects --------------------------------------------------
ANI_WITH_HEADING = PERSON + "description: |\n  ## Hours\n\n  Weekdays.\n"


def test_broken_links_in_a_description_are_located_errors(run_check):
    budi = BUDI + (
        "description: |\n"
        "  [see](../nowhere.md) [x](PER-ANI.md#missing) [y](#missing) [abs](/x.md)\n"
        "  [ok](PER-ANI.md#hours) [ok](PER-ANI.md) [ok](index.md) [ok](../../index.md) [ok](#hours)\n"
        "  [web](https://example.org/a.md) [mail](mailto:a@example.org) [tel](tel:+6221)\n"
        "\n"
        "  ## Hours\n"
    )
    code, lines, _ = run_check({"people/ani.yaml": ANI_WITH_HEADING, "people/budi.yaml": budi})
    at = "content/people/budi.yaml:6:14: error[link-broken]: description: link"
    use = "; use a link to a record page (e.g. ../sla/SLA-1.md) or a full https:// address"
    assert lines == [
        f"{at} '#missing' names no heading of this record's title or description (#missing)",
        f"{at} '../nowhere.md' leads to 'records/nowhere.md', which is not a page generated from the records{use}",
        f"{at} '/x.md' is an absolute path, which the site cannot resolve{use}",
        f"{at} 'PER-ANI.md#missing' names no heading of PER-ANI's title or description (#missing)",
    ]
    assert code == 1


def test_link_to_a_record_an_edition_leaves_out_is_broken(run_check):
    secret = BUDI + "classification: confidential\n"
    ani = PERSON + "description: See [Budi](PER-BUDI.md).\n"
    code, lines, _ = run_check({"people/ani.yaml": ani, "people/budi.yaml": secret})
    assert lines == [
        "content/people/ani.yaml:6:14: error[link-broken]: description: link 'PER-BUDI.md' leads to "
        "'records/person/PER-BUDI.md', which the internal edition leaves out while it shows this record: its "
        "build would fail; use a link to a record page (e.g. ../sla/SLA-1.md) or a full https:// address"
    ]
    assert code == 1


# -- 3. symbolic-link loops, intervals past year 9999, --today out of range ----------------------
def test_symlink_to_its_own_folder_is_a_loop(run_check, tmp_path: Path):
    write_tree(tmp_path, {"people/ani.yaml": PERSON})
    os.symlink(".", tmp_path / "content" / "loop")
    code, lines, _ = run_check({})
    assert lines == ["content/loop:1:1: error[symlink-loop]: symbolic link leads to a folder that holds it, "
                     "a loop; it is not followed"]
    assert code == 1


def test_symlinks_leading_to_each_other_are_a_loop(run_check, tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON})
    os.symlink("b.yaml", content / "a.yaml")
    os.symlink("a.yaml", content / "b.yaml")
    code, lines, _ = run_check({})
    loop = "error[symlink-loop]: symbolic link loops: following it leads back to it; it is not read"
    assert lines == [f"content/a.yaml:1:1: {loop}", f"content/b.yaml:1:1: {loop}"]
    assert code == 1


@pytest.mark.parametrize(("review", "line"), [
    ("  interval: P99999Y\n  last_reviewed: 2020-01-01\n",
     "content/people/ani.yaml:7:13: error[interval-too-long]: review.interval: interval P99999Y is too long: "
     "counted from 9000-12-31, the latest check date, it passes 9999-12-31, the last date that can be computed "
     "(P12M is yearly)"),
    ("  interval: P1000000W\n",
     "content/people/ani.yaml:7:13: error[interval-too-long]: review.interval: interval P1000000W is too long: "
     "counted from 9000-12-31, the latest check date, it passes 9999-12-31, the last date that can be computed "
     "(P12M is yearly)"),
    ("  interval: P12M\n  last_reviewed: 9999-12-31\n",
     "content/people/ani.yaml:7:13: error[interval-too-long]: review.interval: the next review, P12M after "
     "9999-12-31, would be after 9999-12-31, the last date that can be computed: check last_reviewed and the "
     "interval"),
])
def test_interval_past_year_9999_is_a_located_error(run_check, review: str, line: str):
    code, lines, _ = run_check({"people/ani.yaml": PERSON + "review:\n" + review})
    assert lines == [line]
    assert code == 1


def test_add_duration_never_overflows():
    import datetime as dt

    from generator.checks.reviews import add_duration, try_add_duration

    assert try_add_duration(dt.date(2020, 1, 1), "P99999Y") is None
    assert try_add_duration(dt.date(2020, 1, 1), "P1000000W") is None
    assert try_add_duration(dt.date(2020, 1, 1), "P" + "9" * 30 + "D") is None
    assert add_duration(dt.date(9999, 12, 31), "P1M") == dt.date.max
    assert try_add_duration(dt.date(9000, 12, 31), "P999Y") == dt.date(9999, 12, 31)


@pytest.mark.parametrize("today", ["9999-12-31", "9001-01-01", "0001-01-01"])
def test_today_out_of_range_is_a_usage_error(tmp_path: Path, monkeypatch, capsys, today: str):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"people/ani.yaml": PERSON})
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--content", "content", "--today", today])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert (f"error: argument --today: '{today}' is out of range: the date must be from 1000-01-01 to "
            "9000-12-31, so that review dates up to 999 years after it (and periods before it) can still be "
            "computed") in err
    assert "Traceback" not in err


def test_latest_today_with_the_longest_interval_checks(run_check):
    review = "review:\n  interval: P999Y\n  last_reviewed: 9000-12-31\n"
    code, lines, _ = run_check({"people/ani.yaml": PERSON + review}, today="9000-12-31")
    assert lines == [] and code == 0


# -- 4. files that hold nothing, lead nowhere, or are not files ----------------------------------
@pytest.mark.parametrize(("text", "what"), [
    ("---\n", "only an empty value (null)"),
    ("~\n", "only an empty value (null)"),
    ("null\n", "only an empty value (null)"),
    ("[]\n", "an empty list"),
])
def test_file_of_only_an_empty_value_is_reported(run_check, text: str, what: str):
    code, lines, _ = run_check({"people/ani.yaml": PERSON, "people/empty.yaml": text})
    assert lines == [f"content/people/empty.yaml:1:1: error[file-empty]: file holds {what}, no record"]
    assert code == 1


def test_dangling_yaml_symlink_is_reported(run_check, tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON})
    os.symlink("gone.yaml", content / "people" / "budi.yaml")
    code, lines, _ = run_check({})
    assert lines == ["content/people/budi.yaml:1:1: error[file-unreadable]: symbolic link leads to a file "
                     "that does not exist; it is not read"]
    assert code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_reported_without_hanging(tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": PERSON})
    os.mkfifo(content / "people" / "pipe.yaml")
    proc = _subprocess_check(tmp_path)  # a read that blocked would time out, failing the test
    assert proc.stdout.splitlines()[:-1] == [
        "content/people/pipe.yaml:1:1: error[file-unreadable]: a named pipe, not a regular file; it is not read"]
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


# -- 5. file names and messages that would break the output formats -----------------------------
ODD_NAME = "odd\nname%,:\x01.yaml"
ODD_RECORD = 'kind: "no\\x0bpe"\n'


def test_text_format_keeps_one_finding_on_one_line(run_check):
    code, lines, _ = run_check({f"people/{ODD_NAME}": ODD_RECORD, "people/ani.yaml": PERSON})
    assert lines == ["content/people/odd\\nname%,:\\x01.yaml:1:7: error[kind-unknown]: kind: "
                     "unknown kind 'no\\x0bpe'."]
    assert code == 1


def test_github_format_escapes_the_file_property(run_check):
    code, lines, _ = run_check({f"people/{ODD_NAME}": ODD_RECORD, "people/ani.yaml": PERSON},
                               "--format", "github")
    assert lines == ["::error file=content/people/odd%0Aname%25%2C%3A\\x01.yaml,line=1,col=7,title=kind-unknown"
                     "::kind: unknown kind 'no\\x0bpe'."]
    assert code == 1


def test_junit_and_json_stay_valid(run_check):
    files = {f"people/{ODD_NAME}": ODD_RECORD, "people/ani.yaml": PERSON}
    code, lines, _ = run_check(files, "--format", "junit")
    root = ElementTree.fromstring("\n".join(lines))
    (failure,) = root.iter("failure")
    assert failure.text == ("content/people/odd\\nname%,:\\x01.yaml:1:7: error[kind-unknown]: kind: "
                            "unknown kind 'no\\x0bpe'.")
    assert code == 1
    code, lines, _ = run_check(files, "--format", "json")
    (found,) = json.loads("\n".join(lines))["findings"]
    assert (found["file"], found["message"]) == (f"content/people/{ODD_NAME}", "unknown kind 'no\x0bpe'.")
    assert code == 1


# -- 6. line breaks inside vCard values -------------------------------------------------------
def test_vcard_values_hold_no_line_breaking_characters(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", content)
    ani = (content / "people" / "ani.yaml").read_text(encoding="utf-8")
    role = 'role: "Lead\\x0bone\\x0ctwo\\x85three\\u2028four\\u2029five\\x1csix\\x01seven"'
    (content / "people" / "ani.yaml").write_text(ani.replace("role: Service manager", role), encoding="utf-8")
    vcf = emergency_vcard.vcard(emergency_pack.collect(check_content(content, TODAY).index))
    assert "TITLE:Lead one two three four five sixseven\r\n" in vcf
    for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x01":
        assert ch not in vcf, repr(ch)
    assert vcf.count("\n") == vcf.count("\r\n") == len(vcf.splitlines())
