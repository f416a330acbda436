"""Split a built site's ``sitemap.xml`` into a sitemap index once it is too long.

Past ``INSTANT_LIMIT`` addresses the renderer's ``sitemap.xml`` becomes a sitemap index
naming ``sitemap-1.xml``, ``sitemap-2.xml``, ... of at most ``LIMIT`` addresses each
(the sitemap protocol's limit, sitemaps.org), in the renderer's order.

The threshold is set by Material's instant navigation (Zensical's too): it fetches
``sitemap.xml`` on every page load and reads it on the main thread, and it only
intercepts links to addresses it found there. That costs about 0.06 ms an address on
a phone's CPU (Lighthouse's mobile profile: 650 ms of blocking at 10,863 addresses,
10,000 papers; 17.7 MB at 100,000 papers held the search box for seconds). An index has
no page addresses, so links load pages normally and nothing is read: above 1,000
addresses (about 800 papers), where reading it would be one long task, a page's
first load matters more than quicker clicks between pages. Below, nothing changes.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from xml.sax.saxutils import escape

LIMIT = 50_000  # addresses per sitemap file, the protocol's limit
INSTANT_LIMIT = 1_000  # past this many addresses, an index (instant navigation off)
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_URL = re.compile(rb"<url>.*?</url>", re.S)
_LOC = re.compile(rb"<loc>([^<]*)</loc>")


def split_sitemap(site: Path, limit: int = LIMIT, index_above: int = INSTANT_LIMIT) -> int:
    """Rewrite ``site/sitemap.xml`` as an index of files of at most ``limit`` entries if
    it has more than ``index_above`` or ``limit``; return how many sitemap files the site
    has now (0 without one)."""
    path = site / "sitemap.xml"
    if not path.is_file():
        return 0
    text = path.read_bytes()
    entries = _URL.findall(text)
    if len(entries) <= min(limit, index_above):
        return 1
    first = _LOC.search(entries[0])
    # The chunks sit beside sitemap.xml, at the address the home page has.
    home = first.group(1).decode("utf-8").strip() if first else ""
    base = home if home.endswith("/") else home.rsplit("/", 1)[0] + "/"
    names = []
    for k, start in enumerate(range(0, len(entries), limit), 1):
        name = f"sitemap-{k}.xml"
        body = b"\n".join(entries[start : start + limit])
        (site / name).write_bytes(_wrap(b"urlset", body))
        names.append(name)
    index = _wrap(b"sitemapindex", b"\n".join(
        f"<sitemap><loc>{escape(base + name)}</loc></sitemap>".encode() for name in names
    ))  # fmt: skip
    path.write_bytes(index)
    # MkDocs writes a gzip beside it; no timestamp inside, so equal sitemaps, equal files.
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(index, mtime=0))
    return len(names)


def _wrap(root: bytes, body: bytes) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return head + b'<%s xmlns="%s">\n%s\n</%s>\n' % (root, NAMESPACE.encode(), body, root)
