"""The offline bundle: opens from file:// with the network cut off, search works, no other host is asked.

Also: the manifest catches every changed, missing or extra file; same content and
SOURCE_DATE_EPOCH give a byte-identical zip; an old copy warns its reader.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from selenium.common.exceptions import (
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from generator.cli import main
from tests.browser import start_chrome
from tests.conftest import ROOT, build_bundle

FIXTURE = ROOT / "tests" / "fixtures" / "site"
WAIT = 20


def bundle(out: Path, epoch: int, *extra: str) -> Path:
    return build_bundle(FIXTURE, out, epoch, *extra)


@pytest.fixture(scope="module")
def fresh_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import time

    return bundle(tmp_path_factory.mktemp("dist"), int(time.time()) - 3600)


def test_bundle_name_and_manifest(fresh_bundle: Path):
    assert fresh_bundle.name.startswith("nld-records-continuity-") and fresh_bundle.suffix == ".zip"
    with zipfile.ZipFile(fresh_bundle) as zf:
        names = zf.namelist()
    assert "index.html" in names and "MANIFEST.sha256" in names and "search/search_index.js" in names
    assert main(["verify", str(fresh_bundle)]) == 0


def test_verify_names_changed_missing_and_extra(tmp_path: Path, fresh_bundle: Path, capsys):
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(fresh_bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            if info.filename == "404.html":
                continue  # missing
            data = src.read(info)
            if info.filename == "index.html":
                data = data.replace(b"</body>", b"<p>tampered</p></body>")  # changed
            dst.writestr(info, data)
        dst.writestr("evil.html", b"<script>alert(1)</script>")  # extra
    capsys.readouterr()
    assert main(["verify", str(tampered)]) == 1
    err = capsys.readouterr().err.splitlines()  # diagnostics on stderr
    assert err[:3] == ["changed: index.html", "missing: 404.html", "extra: evil.html"]


def test_same_content_same_epoch_gives_identical_zip(tmp_path: Path):
    first = bundle(tmp_path / "a", 1790000000)
    second = bundle(tmp_path / "b", 1790000000)
    assert first.name == second.name == "nld-records-continuity-2026-09-21.zip"
    assert first.read_bytes() == second.read_bytes()


def test_signed_bundle_verifies_with_allowed_signers(tmp_path: Path, capsys):
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "continuity@nld.example", "-f", str(key)],
                   check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"continuity@nld.example {(tmp_path / 'key.pub').read_text().strip()}\n")
    signed = bundle(tmp_path / "dist", 1790000000, "--sign-key", str(key))
    capsys.readouterr()
    assert main(["verify", str(signed), "--allowed-signers", str(allowed)]) == 0
    assert "signed by continuity@nld.example" in capsys.readouterr().out
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(other)], check=True)
    allowed.write_text(f"someone@else.example {(tmp_path / 'other.pub').read_text().strip()}\n")
    assert main(["verify", str(signed), "--allowed-signers", str(allowed)]) == 1


def unzip(bundle_zip: Path, into: Path) -> Path:
    with zipfile.ZipFile(bundle_zip) as zf:
        zf.extractall(into)
    return into


@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("chrome-offline")
    driver = start_chrome(tmp)
    driver.execute_cdp_cmd("Network.enable", {})
    # Cut the network off: any request to another host fails.
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    yield driver
    driver.quit()


def other_host_requests(driver) -> list[str]:
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat(Array.from(document.querySelectorAll('iframe')).flatMap(f => {"
        "  try { return f.contentWindow.performance.getEntriesByType('resource').map(e => e.name); }"
        "  catch (e) { return []; } }))")
    return [url for url in entries if not url.startswith(("file:", "data:", "blob:", "about:"))]


@pytest.mark.browser
@pytest.mark.parametrize(("start", "query", "expected"), [
    ("index.html", "CP-1", "records/continuity_plan/CP-1.html"),
    ("records/continuity_plan/CP-1.html", "Ani Wijaya", "records/person/PER-ANI.html"),
])
def test_offline_search_from_file_url(offline_browser, fresh_bundle: Path, tmp_path: Path, start, query, expected):
    folder = unzip(fresh_bundle, tmp_path / "copy")
    driver = offline_browser
    driver.get((folder / start).as_uri())
    box = WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, "input.md-search__input")))
    box.click()
    box.send_keys(query)
    def open_result(d):
        try:  # results re-render while the query settles: retry when the link went stale
            d.find_element(By.CSS_SELECTOR, f'.md-search-result__list a[href*="{expected}"]').click()
            return True
        except (StaleElementReferenceException, NoSuchElementException, ElementNotInteractableException):
            return False

    WebDriverWait(driver, WAIT).until(open_result)
    WebDriverWait(driver, WAIT).until(lambda d: expected in d.current_url)
    assert driver.current_url.startswith("file://")
    assert other_host_requests(driver) == []
    assert driver.find_elements(By.ID, "clause8-stale") == []  # a fresh copy does not warn


@pytest.mark.browser
def test_old_copy_warns_its_reader(offline_browser, tmp_path: Path):
    old = bundle(tmp_path / "dist", 1700000000)  # November 2023
    folder = unzip(old, tmp_path / "old")
    offline_browser.get((folder / "index.html").as_uri())
    banner = WebDriverWait(offline_browser, WAIT).until(ec.presence_of_element_located((By.ID, "clause8-stale")))
    assert "This copy may be outdated" in banner.text
    assert "days ago" in banner.text


def test_footer_shows_provenance(fresh_bundle: Path):
    with zipfile.ZipFile(fresh_bundle) as zf:
        page = zf.read("records/continuity_plan/CP-1.html").decode()
    assert 'id="clause8-built"' in page and "content version" in page and "Copy made " in page
    # search_index.js holds only the configuration; the documents are in search_index.json (http)
    # and in clause8-index.js (file://, see tests/test_offline_search.py)
    index = json.loads(zipfile.ZipFile(fresh_bundle).read("search/search_index.json"))
    assert any(d["title"].startswith("CP-1") for d in index["docs"])
