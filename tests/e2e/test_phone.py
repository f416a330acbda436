"""The seed site on a phone (issue 26), the parts that do not depend on timing: Lighthouse
scores accessibility and SEO at 100 with its mobile defaults, nothing shifts on screen
as the pages load (layout shift, measured in Chromium), and the site logs no error.
Both renderers; pages served gzip-compressed as GitHub Pages serves them.

Lighthouse's performance score depends on the machine's speed and load; it is measured
by `make bench` (bench/phone.py), never asserted here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_CI
from tests.gzipserve import serve_gzip
from tests.lighthouse import PAGES, available, failing, lighthouse, score

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MAX_SHIFT = 0.05  # the target, for the sum of every shift (Lighthouse: a window)
# What each page's script fills in; waited for before the shifts are read.
SETTLED = {
    "search results": ".pc-search-page__results li",
    "All papers": ".pc-browse__controls:not([hidden])",
    "Map": ".pc-map__tools:not([hidden])",
}
# Every layout shift from the start of the page, kept for the test to read.
OBSERVE_SHIFTS = """
window.pcShifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.pcShifts.push({ value: e.value, sources: e.sources.map((s) => {
      const n = s.node, r = s.currentRect;
      const name = n ? n.nodeName + (n.className && n.className.baseVal === undefined ? "." + n.className : "") : "?";
      return name + " now at y=" + Math.round(r.y); }) });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture(scope="module")
def gzip_url(seed_site):
    """The seed site, served gzip-compressed like GitHub Pages (tests/gzipserve.py)."""
    url, server = serve_gzip(seed_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def lighthouse_reports(gzip_url) -> dict[str, dict]:
    """Lighthouse's accessibility and SEO audits of the six pages, in one Chromium,
    with its mobile defaults (a phone's screen; the slow network and CPU are only
    simulated, so they change no audit of these two)."""
    if reason := available():
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    urls = [gzip_url + path for path in PAGES.values()]
    reports = lighthouse(urls, onlyCategories=["accessibility", "seo"])
    return dict(zip(PAGES, reports, strict=True))


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_accessibility_and_seo_are_100(lighthouse_reports, name):
    report = lighthouse_reports[name]
    assert report["configSettings"]["formFactor"] == "mobile"
    for category in ("accessibility", "seo"):
        assert score(report, category) == 100, failing(report, category)


def _own_errors(messages: list[tuple[str, str]], site: str) -> list[str]:
    """Errors from the site itself: all but failed loads of other hosts, which this
    closed network cannot reach (the theme asks GitHub for the repository's stars)."""
    host = urlsplit(site).netloc
    return [
        text
        for text, url in messages
        if not (url and urlsplit(url).netloc not in ("", host) and "Failed to load" in text)
    ]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_no_layout_shift_and_no_console_error(browser, gzip_url, name, viewport):
    """Sum of the page's layout shifts until its script has filled it in: at most
    0.05. On the phone the CPU runs 4x slower, as in Lighthouse's mobile profile, so
    scripts arrive well after the first paint, where a shift would show."""
    phone = viewport == "phone"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )  # fmt: skip
    context.route(lambda url: not url.startswith(gzip_url), lambda route: route.abort())
    page = context.new_page()
    messages: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda m: (
            messages.append((m.text, m.location.get("url", ""))) if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: messages.append((f"uncaught: {exc}", "")))
    if phone:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.add_init_script(OBSERVE_SHIFTS)
    try:
        page.goto(gzip_url + PAGES[name])
        page.wait_for_load_state("networkidle")
        if name in SETTLED:
            page.locator(SETTLED[name]).first.wait_for(state="attached", timeout=20000)
        # Two frames, so the last change has been laid out and reported.
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        shifts = page.evaluate("window.pcShifts")
    finally:
        context.close()
    total = sum(s["value"] for s in shifts)
    assert total <= MAX_SHIFT, shifts
    assert _own_errors(messages, gzip_url) == []


def test_search_button_on_a_phone(browser, gzip_url):
    """The header's search button (shown below 60em) opens the box focused, over the
    page; results come as one types; the back arrow closes it again."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(gzip_url + PAGES["a paper"])
        box = page.locator(".pc-search .md-search__inner")
        expect(box).not_to_be_visible()
        page.get_by_title("Search", exact=True).tap()
        expect(page.get_by_role("combobox", name="Search papers")).to_be_focused()
        page.keyboard.type("mixture of experts")
        expect(page.locator(".pc-search [role=option]").first).to_be_visible(timeout=15000)
        page.wait_for_function("() => document.getAnimations().length === 0")  # it slides in
        assert box.bounding_box()["width"] == PHONE["width"]  # the whole screen, no wider
        page.locator(".pc-search label.md-search__icon").tap()
        expect(box).not_to_be_visible()
    finally:
        context.close()
