"""Stage 5: what the site search knows about each page.

At this stage the header search is Material's own (lunr built in the browser). We
shape its input: one entry per paper (no headings with ids on paper pages), topic
names as tags (Material boosts tags above titles), paper pages boosted above
everything else, and listing pages excluded.
"""

from __future__ import annotations

from .model import Catalogue, Paper

PAPER_BOOST = 2
EXCLUDE = {"search": {"exclude": True}}


def paper_meta(catalogue: Catalogue, paper: Paper) -> dict[str, object]:
    """Front-matter keys that steer search for one paper page."""
    names = [catalogue.topic(t).name for t in paper.topics]
    return {"tags": names + list(paper.topics), "search": {"boost": PAPER_BOOST}}


def listing_meta() -> dict[str, object]:
    """Front matter for listing pages (topics index): kept out of search results."""
    return dict(EXCLUDE)
