"""A reader who wants to fix or add a paper, in Chromium on the real catalogue."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.e2e
REPO = "https://github.com/papercat/papercat"


def test_paper_page_has_edit_and_report_buttons(page, site_url):
    page.goto(f"{site_url}papers/distserve/")
    edit = page.get_by_role("link", name="Edit this paper")
    assert edit.is_visible()
    assert edit.get_attribute("href") == f"{REPO}/edit/main/content/papers/distserve.yml"
    report = page.get_by_role("link", name="Report a problem")
    assert report.is_visible()
    url = urlsplit(report.get_attribute("href"))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO}/issues/new"
    assert parse_qs(url.query) == {
        "template": ["report-problem.yml"],
        "title": ["Problem with paper distserve"],
        "paper": ["content/papers/distserve.yml"],
    }


def test_contribute_page_shows_the_three_steps(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name="Contribute").first.click()
    page.wait_for_url(re.compile(r"/contributing/$"))
    # Zensical changes the address before it swaps the content in: wait for the page.
    steps = page.locator("h2", has_text="Add a paper in three steps")
    steps.wait_for(timeout=10000)
    assert steps.is_visible()
    assert "papercat new" in page.locator("article").inner_text()
