"""Accessibility: axe-core in Chromium finds no serious or critical violation, in the
light and the dark colour scheme, on a desktop screen and on a phone's (where the header
shows other controls: the search toggle, the menu button), and the site can be used with
the keyboard alone.

axe-core comes inside the axe-playwright-python package (axe.min.js), so this runs
offline.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
PAGES = {
    "home": "",
    "topic": "topics/mixture-of-experts/",
    "paper": "papers/adamoe/",
    "topics index": "topics/",
}
SEARCH_PAGE = "search/?q=mixture%20of%20experts"
# Pages other features add; checked once they exist in the build.
OPTIONAL = {"search results": SEARCH_PAGE, "all papers": "all-papers/", "map": "map/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def violations(page) -> list[str]:
    """Serious and critical axe violations on the page, one readable line each."""
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture(params=[(s, v) for v in VIEWPORTS for s in ("light", "dark")], ids="-".join)
def scheme_page(request, browser):
    scheme, viewport = request.param
    phone = viewport == "phone"
    context = browser.new_context(
        color_scheme=scheme, viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_violations(scheme_page, site_url, name):
    scheme_page.goto(site_url + PAGES[name])
    scheme_page.wait_for_load_state("networkidle")
    assert violations(scheme_page) == []


@pytest.mark.parametrize("name", OPTIONAL)
def test_no_serious_violations_on_added_pages(scheme_page, site_url, seed_site, name):
    path = OPTIONAL[name].split("?")[0]
    if not (seed_site / path / "index.html").is_file():
        pytest.skip(f"no {path} page in this build yet")
    scheme_page.goto(site_url + OPTIONAL[name])
    scheme_page.wait_for_load_state("networkidle")
    assert violations(scheme_page) == []


def test_no_serious_violations_with_search_open(page, site_url):
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture of experts")
    page.locator(".md-search-result__list li").first.wait_for(timeout=15000)
    assert violations(page) == []


def test_no_serious_violations_with_search_open_on_a_phone(browser, site_url):
    """On a phone the box opens from the header's search button, over the page."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(site_url)
        page.locator("label.pc-search-toggle").tap()  # mounted by pc-search-box.js
        expect(page.locator(".pc-search input")).to_be_focused()
        page.keyboard.type("mixture of experts")
        page.locator(".md-search-result__list li").first.wait_for(timeout=15000)
        # The panel fades in: contrast is read once no transition is running.
        page.wait_for_function("() => document.getAnimations().length === 0")
        assert violations(page) == []
    finally:
        context.close()


def _tab_to(page, selector: str, limit: int = 80) -> str:
    """Press Tab until the focused element matches ``selector``; return its href."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.evaluate("() => document.activeElement.getAttribute('href')")
    raise AssertionError(f"{selector} not reachable with Tab in {limit} presses")


def test_keyboard_home_to_topic_to_paper(page, site_url):
    page.goto(site_url)
    href = _tab_to(page, ".pc-card a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.lstrip("./")) + "$"))
    assert page.locator("h1").first.is_visible()
    href = _tab_to(page, ".pc-papers a.pc-item__title")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    assert href.rstrip("/").rsplit("/", 1)[-1] in page.url


def test_keyboard_focus_is_visible(page, site_url):
    page.goto(site_url)
    _tab_to(page, ".pc-card a")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] != "none" and style[1] != "0px", style


def test_one_search_box(page, site_url):
    """One text field in the header on both renderers: our search box, mounted."""
    page.goto(site_url + "papers/adamoe/")
    expect(page.get_by_role("combobox", name="Search papers")).to_have_count(1)
    fields = page.locator("header input:not([type=radio]):not([type=checkbox])")
    expect(fields).to_have_count(1)


def test_keyboard_search(page, site_url):
    """'/' focuses the search box; type, arrow down to a result, Enter opens it."""
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('input')")
    page.keyboard.type("disaggregating prefill decoding")
    page.locator(".md-search-result__list li a, [role=option]").first.wait_for(timeout=15000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/papers/distserve/"))
    expect(page.locator("h1")).to_contain_text(re.compile(r"^DistServe"))


def test_keyboard_paper_table(page, site_url, seed_site):
    """Sort the All papers table and open a paper with the keyboard alone."""
    if not (seed_site / "all-papers" / "index.html").is_file():
        pytest.skip("no all-papers/ table in this build yet")
    page.goto(site_url + "all-papers/")
    page.wait_for_load_state("networkidle")
    _tab_to(page, "th button[data-sort=title]")
    header = page.locator("th:has(button[data-sort=title])")
    before = header.get_attribute("aria-sort")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(b) => document.querySelector('th:has(button[data-sort=title])')"
        ".getAttribute('aria-sort') !== b",
        arg=before,
    )
    href = _tab_to(page, ".pc-table tbody a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.lstrip("./")) + "$"))
