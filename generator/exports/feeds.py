"""Atom feeds of the newest additions: ``feed.xml`` and ``topics/<id>/feed.xml``.

Built with feedgen (which escapes every value). Dates come from each paper's
``added`` field, never from the clock, so the same content gives the same bytes.
Entries carry the paper's authors and its abstract when it has one. No second link
to the paper itself: feedgen 1.0 drops ``rel`` from entry links, and two rel-less
links would be two ``alternate`` links of the same type, which Atom forbids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from feedgen.feed import FeedGenerator

from generator.catalogue.model import Catalogue, Paper, newest_first
from generator.render.siteinfo import paper_url, site_url

FEED_SIZE = 50
SITE_NAME = "papercat"


def newest(papers: Sequence[Paper], n: int = FEED_SIZE) -> list[Paper]:
    """The ``n`` most recently added papers (``model.newest_first``)."""
    return newest_first(papers)[:n]


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom(
    catalogue: Catalogue,
    papers: Sequence[Paper],
    *,
    path: str,
    title: str,
    subtitle: str,
    page: str,
) -> bytes:
    """An Atom feed of ``papers`` (newest first), published at ``site_url()/path``."""
    base = site_url()
    entries = newest(papers)
    fg = FeedGenerator()
    fg.id(base + path)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": SITE_NAME})
    fg.link(href=base + page, rel="alternate")
    fg.link(href=base + path, rel="self")
    fg.generator(SITE_NAME)
    fg.language("en")
    latest = max((p.added for p in entries), default=dt.date(1970, 1, 1))
    fg.updated(_stamp(latest))
    # feedgen prepends entries; add oldest first so the file lists newest first.
    for paper in reversed(entries):
        fe = fg.add_entry()
        fe.id(paper_url(paper.id))
        fe.title(paper.title)
        fe.link(href=paper_url(paper.id), rel="alternate")
        if paper.abstract:  # optional; an empty <summary> says nothing
            fe.summary(paper.abstract)
        fe.published(_stamp(paper.added))
        fe.updated(_stamp(paper.added))
        for name in paper.authors:
            fe.author({"name": name})
        for tid in paper.topics:
            fe.category(term=tid, label=catalogue.topic(tid).name)
    return fg.atom_str(pretty=True)


def write_feeds(catalogue: Catalogue, out: Path) -> list[str]:
    """Write the site feed and one feed per topic; return their paths."""
    written = ["feed.xml"]
    (out / "feed.xml").write_bytes(
        atom(catalogue, catalogue.papers, path="feed.xml", page="",
             title=f"{SITE_NAME}: newest papers",
             subtitle="Papers most recently added to the catalogue.")
    )  # fmt: skip
    for topic in catalogue.topics:
        rel = f"topics/{topic.id}/feed.xml"
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            atom(catalogue, catalogue.papers_in(topic.id), path=rel,
                 page=f"topics/{topic.id}/", title=f"{SITE_NAME}: {topic.name}",
                 subtitle=topic.description)
        )  # fmt: skip
        written.append(rel)
    return written
