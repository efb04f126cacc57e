"""End to end in headless Chromium: search finds a record, tables sort, untrusted text stays inert.

The fixture site (tests/fixtures/site) is built once, served over HTTP on 127.0.0.1 and driven by
one browser session for the whole module. Two extra people are added to a copy of the fixture so
that the people index has several rows whose order a click on a header can visibly change.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException

from generator.cli import main
from tests.browser import serve, start_chrome
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "site"
WAIT = 20  # seconds

EXTRA_PEOPLE = {
    "people/citra.yaml": """\
        kind: person
        id: PER-CITRA
        title: Citra Lestari
        owner: PER-CITRA
        role: Auditor
        """,
    "people/budi.yaml": """\
        kind: person
        id: PER-BUDI
        title: Budi Santoso
        owner: PER-BUDI
        role: Engineer
        """,
}

# Runs before any page script: records every dialog a page tries to open (and still opens it).
DIALOG_SPY = """
window.__dialogs = [];
['alert', 'confirm', 'prompt'].forEach(function (name) {
  var original = window[name];
  window[name] = function (msg) { window.__dialogs.push(name + ':' + msg); return original.apply(window, arguments); };
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser-site")
    content = base / "content"
    shutil.copytree(FIXTURE, content)
    for rel, text in EXTRA_PEOPLE.items():
        (content / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    out = base / "site"
    assert main(["build", "--content", str(content), "--site-dir", str(out), "--today", "2026-11-24",
                 "--config", str(ROOT / "mkdocs.yml")]) == 0
    return out


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as (url, _stop):
        yield url


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    drv = start_chrome(tmp_path_factory.mktemp("chrome"))
    try:
        drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_SPY})
        yield drv
    finally:
        drv.quit()


def wait(driver, condition, message: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition, message)


def open_page(driver, url: str) -> None:
    """Load ``url`` and wait until the document and its scripts have run."""
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{url} did not load")


def test_search_for_a_record_id_leads_to_the_record_page(driver, base_url: str):
    from selenium.webdriver.common.by import By

    open_page(driver, base_url)
    # The header search box opens on focus; on narrow windows it hides behind the toggle label.
    search = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not search.is_displayed():
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
    wait(driver, lambda d: search.is_displayed(), "search input never became visible")
    search.click()
    search.send_keys("CP-1")

    def open_plan_result(d):
        # Results re-render while the query settles: find the link and click it in one step,
        # trying again when it went stale in between.
        try:
            links = d.find_elements(By.CSS_SELECTOR, ".md-search-result__list a")
            link = next((a for a in links if "records/continuity_plan/CP-1/" in (a.get_attribute("href") or "")
                         and a.is_displayed()), None)
            if link is None:
                return False
            link.click()
            return True
        except StaleElementReferenceException:
            return False

    wait(driver, open_plan_result, "no search result links to records/continuity_plan/CP-1/")
    wait(driver, lambda d: "records/continuity_plan/CP-1/" in d.current_url, "the result did not open the plan")
    assert driver.current_url.startswith(base_url + "records/continuity_plan/CP-1/")
    h1 = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "article h1"), "no h1 on the plan page")
    assert "CP-1 — Data centre loss" in h1.text


def test_clicking_a_header_sorts_the_kind_index(driver, base_url: str):
    from selenium.webdriver.common.by import By

    open_page(driver, base_url + "records/person/")
    table = driver.find_element(By.CSS_SELECTOR, "article table")

    def first_column():
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows, r => r.cells[0].textContent.trim());", table)

    before = first_column()
    assert sorted(before) == ["PER-ANI", "PER-BUDI", "PER-CITRA"]
    header = table.find_element(By.CSS_SELECTOR, "thead th")
    assert header.text.strip().startswith("Id")
    assert header.get_attribute("aria-sort") is None
    # A real button inside the header (never role="button" on the th, which also carries aria-sort).
    assert header.get_attribute("role") is None
    button = header.find_element(By.CSS_SELECTOR, "button.clause8-sort")
    assert button.get_attribute("type") == "button"
    assert button.get_attribute("title") == "Sort by Id"
    # The affordance is visible before any sort: a mark drawn beside the header text.
    mark = driver.execute_script(
        "return getComputedStyle(arguments[0].querySelector('.clause8-sort__mark'), '::after').content;", header)
    assert mark.strip('"') == "\u2195"

    button.click()
    wait(driver, lambda d: header.get_attribute("aria-sort") == "ascending", "aria-sort not set to ascending")
    assert first_column() == ["PER-ANI", "PER-BUDI", "PER-CITRA"]

    button.click()
    wait(driver, lambda d: header.get_attribute("aria-sort") == "descending", "aria-sort not set to descending")
    assert first_column() == ["PER-CITRA", "PER-BUDI", "PER-ANI"]  # the rows really moved
    # Only the clicked column carries aria-sort.
    others = table.find_elements(By.CSS_SELECTOR, "thead th[aria-sort]")
    assert [th.text.strip() for th in others] == [header.text.strip()]


# A table the test puts into a page, then hands to the site's own script (loaded again, as the
# page's CSP allows): decimals, units, an empty cell and a closing totals row.
SORT_TABLE = """
var article = document.querySelector('article');
var wrap = document.createElement('div');
wrap.innerHTML = '<table id="t-sort"><thead><tr><th>Name</th><th>Value</th><th>Time</th></tr></thead><tbody>'
  + '<tr><td>a</td><td>4.3</td><td>4 hours</td></tr>'
  + '<tr><td>b</td><td>4.25 (met)</td><td>30 minutes</td></tr>'
  + '<tr><td>c</td><td>—</td><td>1 day</td></tr>'
  + '<tr><td>d</td><td>10</td><td>90 min</td></tr>'
  + '<tr><td>e</td><td>4.5</td><td>—</td></tr>'
  + '<tr><td><strong>Total</strong></td><td>23.05</td><td>—</td></tr></tbody></table>';
article.appendChild(wrap);
var s = document.createElement('script');
s.src = document.querySelector('script[src$="tablesort.js"]').src + '?again';
document.head.appendChild(s);
"""


def test_sorting_numbers_units_empties_and_totals(driver, base_url: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(driver, base_url + "records/person/")
    driver.execute_script(SORT_TABLE)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#t-sort th button"), "the script did not run")
    table = driver.find_element(By.CSS_SELECTOR, "#t-sort")

    def names():
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows, r => r.cells[0].textContent.trim());", table)

    # The totals row left the body for a footer: sorting never moves it.
    assert driver.execute_script("return arguments[0].tFoot && arguments[0].tFoot.rows[0].cells[0].textContent",
                                 table) == "Total"
    value, time = table.find_elements(By.CSS_SELECTOR, "thead th button")[1:]
    value.send_keys(Keys.ENTER)  # the keyboard works: the button has the focus and Enter presses it
    wait(driver, lambda d: names()[0] == "b", "Enter on the header button did not sort")
    assert names() == ["b", "a", "e", "d", "c"]  # 4.25 < 4.3 < 4.5 < 10, the empty cell last
    value.send_keys(Keys.SPACE)
    wait(driver, lambda d: names()[0] == "d", "Space did not reverse the order")
    assert names() == ["d", "e", "a", "b", "c"]  # reversed, the empty cell still last
    time.click()
    wait(driver, lambda d: names()[0] == "b", "sorting by time failed")
    assert names() == ["b", "d", "a", "c", "e"]  # 30 min < 90 min < 4 h < 1 day
    assert driver.execute_script("return arguments[0].tFoot.rows.length", table) == 1
    ths = table.find_elements(By.CSS_SELECTOR, "thead th")
    assert [th.get_attribute("aria-sort") for th in ths] == [None, None, "ascending"]
    # Each cell carries its column's name, shown when rows stack on a phone.
    assert driver.execute_script("return arguments[0].tBodies[0].rows[0].cells[2].dataset.label", table) == "Time"


def test_untrusted_text_runs_no_script_on_the_person_page(driver, base_url: str):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(driver, base_url + "records/person/PER-ANI/")
    h1 = driver.find_element(By.CSS_SELECTOR, "article h1")
    assert "PER-ANI" in h1.text and "Ani Wijaya" in h1.text
    article = driver.find_element(By.CSS_SELECTOR, "article")
    assert "Payloads that must stay inert" in article.text
    # Move the pointer across the article's paragraphs (onmouseover payloads would fire here).
    for para in article.find_elements(By.CSS_SELECTOR, "p")[:10]:
        if para.is_displayed():
            ActionChains(driver).move_to_element(para).perform()

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert
    assert driver.execute_script("return window.__dialogs") == []
    assert driver.execute_script("return typeof window.__xss") == "undefined"
