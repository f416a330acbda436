"""How long a page may grow before it is split: no HTML page over 1 MB at 100,000
papers (issue 26). The build takes a ``Limits`` (``build.build(limits=...)``), so tests
can split a small catalogue the way a large one is split."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # Papers on one page of a topic, year, venue or author listing; a longer listing
    # goes on at page/2/, page/3/, ... At 100,000 papers a venue lists about 17,000
    # papers, which was 6 MB of HTML on one page; 500 make about 250 KB.
    listing_page: int = 500
    # Values on one page of an index of years, venues or authors (authors/, then
    # authors/page/2/, ...): at 100,000 synthetic papers 28,000 authors have a page,
    # 2 MB of links on one index; 1,000 make about 100 KB.
    index_page: int = 1000
    # Papers in one of the map's data files (render/maptiles.py): the first file
    # holds this many papers spread over the whole field, each file below it this
    # many more of its quarter of the map, and so on down.
    map_file: int = 1000


DEFAULT = Limits()
