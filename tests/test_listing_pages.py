"""Long listings (a topic, year, venue or author) in pages: browse.paginate and Pager."""

from __future__ import annotations

import itertools
from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render import browse

LISTING = "https://example.org/site/venues/acl/"


def _url(pager: browse.Pager) -> str:
    return urljoin(LISTING, "" if pager.number == 1 else f"page/{pager.number}/")


@given(total=st.integers(0, 60), size=st.integers(1, 12))
def test_pages_split_the_list_in_order(total, size):
    papers = list(range(total))
    pages = browse.paginate(papers, size)  # type: ignore[arg-type]
    assert [p for _, shown in pages for p in shown] == papers
    assert len(pages) == max(1, -(-total // size))
    for n, (pager, shown) in enumerate(pages, start=1):
        assert (pager.number, pager.count, pager.total) == (n, len(pages), total)
        assert len(shown) <= size and (len(shown) == size or n == len(pages))
        assert list(shown) == papers[pager.first - 1 : pager.last]


@given(count=st.integers(1, 40), data=st.data())
def test_every_pager_link_reaches_its_page(count, data):
    """From any page, the link to page n resolves to page n's own URL; page 1 is the
    listing's URL itself, never .../page/1/."""
    pages = [pager for pager, _ in browse.paginate(list(range(count)), 1)]  # type: ignore[arg-type]
    here = data.draw(st.sampled_from(pages))
    for there in pages:
        assert urljoin(_url(here), here.href(there.number)) == _url(there)
    assert _url(pages[0]) == LISTING
    assert here.markdown("venues/acl") == (
        "venues/acl.md" if here.number == 1 else f"venues/acl/page/{here.number}.md"
    )


@given(count=st.integers(1, 60), data=st.data())
def test_the_window_names_first_last_and_neighbours(count, data):
    number = data.draw(st.integers(1, count))
    pager = browse.Pager(number, count, 1, 1, count)
    window = pager.window()
    shown = [n for n in window if n is not None]
    assert shown == sorted(set(shown)) and {1, count, number} <= set(shown)
    assert {n for n in range(number - 2, number + 3) if 1 <= n <= count} <= set(shown)
    for before, after in itertools.pairwise(window):
        if before is None or after is None:
            assert before is not None or after is not None  # never two gaps in a row
        else:
            assert after == before + 1  # a skipped number is always shown as a gap


def test_titles_say_the_page_after_the_first():
    first, second = (pager for pager, _ in browse.paginate(list(range(3)), 2))  # type: ignore[arg-type]
    assert first.title("ACL") == "ACL"
    assert second.title("ACL") == "ACL (page 2 of 2)"


@pytest.mark.parametrize(
    ("total", "size", "number", "text"),
    [
        (1, 500, 1, "1 paper"),
        (7, 500, 1, "7 papers"),
        (7, 3, 1, "7 papers (1 to 3 on this page)"),
        (7, 3, 3, "7 papers (7 to 7 on this page)"),
    ],
)
def test_summary_says_how_many_and_which(total, size, number, text):
    pager, _ = browse.paginate(list(range(total)), size)[number - 1]  # type: ignore[arg-type]
    assert pager.summary() == text
