"""A reader's walk through the real catalogue in Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_home_topic_paper_related_search(page, site_url):
    page.goto(site_url)
    assert page.locator("h1").first.inner_text().startswith("A catalogue of research papers")
    assert "189" in page.locator(".pc-counts").inner_text()

    # Follow a topic from the home grid.
    page.locator(".pc-card a", has_text="Mixture of experts").click()
    page.wait_for_url(re.compile(r"/topics/mixture-of-experts/$"))
    expect(page.locator("h1")).to_contain_text(re.compile(r"^Mixture of experts"))
    items = page.locator(".pc-papers .pc-item__title")
    assert items.count() >= 5

    # Open a paper, then one of its related papers.
    page.locator(".pc-papers .pc-item__title", has_text="AdaMoE").click()
    page.wait_for_url(re.compile(r"/papers/adamoe/$"))
    expect(page.locator("h1")).to_contain_text(re.compile(r"^AdaMoE"))
    related = page.locator(".pc-related li a")
    assert 3 <= related.count() <= 8
    target = related.first.get_attribute("href")
    related.first.click()
    page.wait_for_url(re.compile(r"/papers/[a-z0-9-]+/$"))
    assert target.rstrip("/").split("/")[-1] in page.url
    assert "adamoe" not in page.url

    # Search from the header (the prebuilt index) and open the hit.
    page.keyboard.press("/")
    search = page.get_by_role("combobox", name="Search papers")
    search.press_sequentially("disaggregating prefill decoding")
    hit = page.locator(".pc-search a[role=option]").first
    hit.wait_for(timeout=15000)
    assert "DistServe" in hit.inner_text()
    hit.click()
    page.wait_for_url(re.compile(r"/papers/distserve/"))
    expect(page.locator("h1")).to_contain_text(re.compile(r"^DistServe"))


@pytest.mark.parametrize(
    ("paper_id", "expected"),
    [
        ("lucy", "delimited by <think> and </think> tags"),
        ("adamoe", '(e.g., "<EOS>" vs. "apple")'),
        ("lmm-r1", "achieves 4.83% and 4.5% average improvements"),
        ("densing-law-llms", "the concept of “capacity density”"),
    ],
)
def test_abstract_is_shown_verbatim(page, site_url, paper_id, expected):
    page.goto(f"{site_url}papers/{paper_id}/")
    assert expected in page.locator(".pc-abstract").inner_text()
