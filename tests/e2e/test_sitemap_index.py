"""Past 1,000 addresses sitemap.xml is an index (generator/site/sitemaps.py): in Chromium,
instant navigation then leaves links to the browser, and search still works."""

from __future__ import annotations

import pytest

from generator.site.sitemaps import split_sitemap
from tests.conftest import build_site, copy_fixture, serve
from tests.e2e.test_search import hits, search_box

pytestmark = pytest.mark.e2e


@pytest.fixture
def mini(renderer, tmp_path_factory):
    """The fixture site, built with site_url where it is served (instant navigation
    only takes over links to addresses in sitemap.xml under site_url)."""
    work = tmp_path_factory.mktemp(f"sitemap-index-{renderer}")
    url, server = serve(work / "site")
    site = build_site(copy_fixture("search-mini", work), work, renderer, site_url=url)
    yield site, url
    server.shutdown()


def follow_a_related_paper(page, url: str) -> bool:
    """Open a paper page, click its first related paper; True if the click was
    handled in the same window (instant navigation), False for a page load."""
    page.goto(url + "papers/graph-rag/")
    page.wait_for_load_state("networkidle")  # the sitemap has been read
    page.evaluate("window.pcSameWindow = true")
    link = page.locator(".pc-related a").first
    target, title = link.evaluate("a => a.href"), link.inner_text()
    link.click()
    page.wait_for_function("t => location.href === t", arg=target)
    page.wait_for_function("t => document.querySelector('h1')?.textContent.trim() === t", arg=title)
    return page.evaluate("window.pcSameWindow === true")


def test_links_load_pages_once_sitemap_is_an_index(page, mini):
    site, url = mini
    assert follow_a_related_paper(page, url)  # a plain sitemap: instant navigation
    assert split_sitemap(site, limit=2) > 1
    assert not follow_a_related_paper(page, url)  # an index: ordinary page loads
    search_box(page).click()
    search_box(page).press_sequentially("distil")
    assert hits(page)[0].startswith("Tiny Student")
