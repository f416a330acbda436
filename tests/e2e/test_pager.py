"""Long listings in pages, on a built site: links, the pager's markup, axe, a click.

The fixture catalogue is small, so the generator runs here (in-process) with listing
pages of 2 papers (render/limits.py); the Markdown is then rendered by MkDocs and by
Zensical as usual.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from generator.build import build
from generator.render.limits import Limits
from generator.site.linkcheck import check_site
from tests.conftest import FIXTURES, render_docs, serve
from tests.e2e.test_a11y import violations

pytestmark = pytest.mark.e2e

TOPIC = "mixture-of-experts"  # 3 papers in the fixture: pages of 2 and 1


@pytest.fixture(scope="module")
def paged_site(renderer, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"paged-{renderer}")
    build(FIXTURES / "search-mini", work / "docs", limits=Limits(listing_page=2))
    site = render_docs(work / "docs", work / "site", renderer)
    url, server = serve(site)
    yield site, url
    server.shutdown()


def test_every_page_of_every_listing_links_right(paged_site):
    site, _ = paged_site
    # The fixture has no Contribute page, which every page's shell links to.
    assert [b for b in check_site(site) if not b.target.endswith("contributing.md")] == []
    second = (site / "topics" / TOPIC / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'aria-current="page"[^>]*>2<', second)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert not (site / "topics" / TOPIC / "page" / "1").exists()  # page 1 is the topic's URL


@pytest.mark.parametrize(("listing", "count"), [(f"topics/{TOPIC}", 3), ("years/2024", 4)])
def test_the_pages_together_list_each_paper_once(paged_site, listing, count):
    site, _ = paged_site
    listed = []
    for html in (site / listing / "index.html", site / listing / "page/2/index.html"):
        text = html.read_text(encoding="utf-8")
        listed += re.findall(r'class="pc-item__title" href="[./]*papers/([^/]+)/"', text)
    assert len(listed) == len(set(listed)) == count


def test_pager_passes_axe_and_goes_to_the_next_page(page, paged_site):
    _, url = paged_site
    page.goto(url + f"topics/{TOPIC}/")
    assert violations(page) == []
    page.get_by_role("navigation", name="Pages of Mixture of experts").first.get_by_role(
        "link", name="Next"
    ).click()
    page.wait_for_url(re.compile(rf"topics/{TOPIC}/page/2/$"))
    expect(page.locator("h1").first).to_have_text("Mixture of experts (page 2 of 2)")
    assert violations(page) == []
