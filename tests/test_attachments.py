"""Evidence files (attachments): what check finds, what the site carries and shows."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from generator.checks import Context, run_checks
from generator.checks.pipeline import check_content
from generator.publish.prepare import prepare_site
from tests.conftest import PERSON, TODAY, write_tree

PDF = b"%PDF-1.7\n% a small test document\n%%EOF\n"
PDF_SHA = hashlib.sha256(PDF).hexdigest()


def record(attachments: str, rid: str = "PER-ANI", classification: str = "internal") -> str:
    return (PERSON.replace("PER-ANI\ntitle", f"{rid}\ntitle", 1).replace("owner: PER-ANI", "owner: PER-ANI")
            + f"classification: {classification}\nattachments:\n{attachments}")


def one(path: str = "evidence/minutes.pdf", sha: str | None = None, signed: str | None = None) -> str:
    out = f"  - path: {path}\n    title: Review minutes\n"
    if sha:
        out += f"    sha256: {sha}\n"
    if signed:
        out += f"    signed: {signed}\n"
    return out


def test_a_present_file_of_its_type_is_clean(check_tree):
    assert check_tree({"people/ani.yaml": record(one(sha=PDF_SHA)), "evidence/minutes.pdf": PDF}) == []


def test_a_missing_file(check_tree):
    assert check_tree({"people/ani.yaml": record(one())}) == [
        "content/people/ani.yaml:8:11: error[attachment-missing]: attachments[0].path: 'evidence/minutes.pdf': no "
        "such file (evidence files live under content/evidence/)"]


def test_a_file_that_is_not_what_its_name_says(check_tree):
    lines = check_tree({"people/ani.yaml": record(one() + one("evidence/list.csv")),
                        "evidence/minutes.pdf": b"<html><script>alert(1)</script>", "evidence/list.csv": b"a,\xff\n"})
    assert [line.split(": ", 2)[1] for line in lines] == ["error[attachment-type]", "error[attachment-type]"]
    assert "'evidence/minutes.pdf' is not a pdf file (its bytes say otherwise)" in lines[0]


def test_a_changed_file_no_longer_matches_its_pinned_hash(check_tree):
    lines = check_tree({"people/ani.yaml": record(one(sha=PDF_SHA)), "evidence/minutes.pdf": PDF + b"% edited\n"})
    assert len(lines) == 1 and lines[0].startswith(
        f"content/people/ani.yaml:10:13: error[attachment-hash-mismatch]: attachments[0].sha256: 'evidence/minutes.pdf' "
        f"no longer matches its pinned SHA-256 {PDF_SHA[:12]}…: the file now has ")


def test_a_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"people/ani.yaml": record(one()), "evidence/minutes.pdf": PDF})
    checked = check_content(Path("content"), TODAY)
    ctx = Context(today=TODAY, evidence=checked.evidence, attachment_max_bytes=10)
    (finding,) = [f for f in run_checks(checked.index, ctx) if f.code.startswith("attachment")]
    assert finding.text() == (f"content/people/ani.yaml:8:11: error[attachment-too-large]: attachments[0].path: "
                              f"'evidence/minutes.pdf' is {len(PDF)} bytes, over the limit of 10 bytes (every edition "
                              "and bundle that carries the record carries the file): compress it or split it")


def test_paths_stay_under_evidence_and_never_leave_the_content_folder(check_tree, tmp_path: Path):
    lines = check_tree({"people/ani.yaml": record(one("../secret.pdf") + one("evidence/page.html"))})
    assert [line.split(": ", 2)[1] for line in lines] == ["error[field-invalid]", "error[field-invalid]"]
    (tmp_path / "secret.pdf").write_bytes(PDF)
    (tmp_path / "content" / "evidence").mkdir(parents=True)
    (tmp_path / "content" / "evidence" / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    lines = check_tree({"people/ani.yaml": record(one("evidence/link.pdf"))})
    assert lines == ["content/people/ani.yaml:8:11: error[attachment-missing]: attachments[0].path: "
                     "'evidence/link.pdf': a symbolic link leads outside the content folder; it is not followed "
                     "(evidence files live under content/evidence/)"]


def test_the_record_page_links_the_file_with_size_and_hash_and_the_site_carries_it(tmp_path: Path):
    content = write_tree(tmp_path, {
        "people/ani.yaml": record(one(sha=PDF_SHA, signed="Signed with e-meterai 10000")),
        "people/conf.yaml": record(one("evidence/secret.pdf"), "PER-CONF", "confidential"),
        "evidence/minutes.pdf": PDF, "evidence/secret.pdf": PDF + b"secret",
    })
    internal = prepare_site(content, TODAY, settings={}, edition="internal")
    page = internal.site.pages["records/person/PER-ANI.md"]
    assert (f"| [Review minutes](../../evidence/minutes.pdf) | minutes.pdf | {len(PDF)} B | `{PDF_SHA}` (pinned in the "
            "record) | Signed with e-meterai 10000 |") in page
    assert internal.site.files["evidence/minutes.pdf"] == PDF
    # The confidential record's file goes with it: not in the internal edition, in the auditor's.
    assert "evidence/secret.pdf" not in internal.site.files
    auditor = prepare_site(content, TODAY, settings={}, edition="auditor")
    assert auditor.site.files["evidence/secret.pdf"] == PDF + b"secret"


def test_a_file_changed_after_the_check_is_not_copied(tmp_path: Path):
    content = write_tree(tmp_path, {"people/ani.yaml": record(one()), "evidence/minutes.pdf": PDF})
    checked = check_content(content, TODAY)
    (content / "evidence/minutes.pdf").write_bytes(PDF + b"later")
    with pytest.raises(ValueError, match="changed while the site was built"):
        prepare_site(content, TODAY, settings={}, checked=dataclasses.replace(checked))
