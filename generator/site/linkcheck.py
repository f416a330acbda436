"""Check that every internal link and anchor in a built HTML site resolves.

    papercat linkcheck SITE_DIR

Every ``href`` and ``src`` that stays inside the site must name a file that exists
(``dir/`` means ``dir/index.html``), and a ``#fragment`` must name an ``id`` (or
``<a name>``) on the target page. External links (``https:``, ``mailto:`` ...) are left
to the weekly external check. Prints ``page: broken link -> target`` for each problem
and exits 1 if there are any.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree

# href and src everywhere, except a canonical link (the public address, not this copy).
LINKS_XPATH = '//*[not(self::link and @rel="canonical")]/@href | //@src'
# Plain strings and plain elements: lxml.html's element classes and "smart" strings
# cost a Python call per element, a third of the parse at 10,000 pages.
_LINKS = lxml.etree.XPath(LINKS_XPATH, smart_strings=False)
_IDS = lxml.etree.XPath("//@id | //a/@name", smart_strings=False)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, order=True)
class Broken:
    """A link on ``page`` (site-relative path) whose ``target`` does not resolve."""

    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: broken link -> {self.target}"


@dataclass(frozen=True)
class Scan:
    """One page's anchors and links, each link resolved to a site path (None if it
    leaves the site) and a fragment. Kept between builds for unchanged pages."""

    stat: tuple[int, int, int]
    ids: frozenset[str]
    links: tuple[tuple[str, str | None, str], ...]


_PARSER = lxml.etree.HTMLParser()
# (base, depth, href) -> the link's entry, or None for a link not ours to resolve, for
# links whose entry is the same on every page at that depth: the theme's links
# ("../../assets/...", "../../topics/") are most of every page's. Shared entries are
# also pickled once per worker's answer, not once per page.
_SHARED: dict[tuple[str, int, str], tuple[str, str | None, str] | None] = {}


def _scan(site: Path, path: Path, base: str, stat: tuple[int, int, int]) -> Scan:
    try:
        root = lxml.etree.fromstring(path.read_bytes(), _PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:  # an empty file: nothing to check
        return Scan(stat, frozenset(), ())
    ids = frozenset(_IDS(root))
    here = base + path.relative_to(site).as_posix()
    folder = here.rsplit("/", 1)[0] + "/"
    depth = folder.count("/") - base.count("/")
    links = []
    for value in _LINKS(root):
        key = (base, depth, value)
        entry = _SHARED.get(key, key)
        if entry is key:
            link = value.strip()
            if not link or SCHEME.match(link) or link.startswith("//"):
                entry = None  # external, or mailto:/tel:/data: - not ours to resolve
                _SHARED[key] = entry
            else:
                target, fragment, from_root = _resolve_climbing(here, folder, link, base)
                entry = (link, target, fragment)
                if from_root:
                    _SHARED[key] = entry
        if entry is not None:
            links.append(entry)
    return Scan(stat, ids, tuple(links))


# A relative link that only climbs ("../" repeated) and then names plain path segments.
_CLIMB = re.compile(r"((?:\.\./)*)((?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*/?)*)(#[A-Za-z0-9_.~-]*)?")


def resolve(here: str, folder: str, link: str, base: str) -> tuple[str | None, str]:
    """The site path ``link`` on page ``here`` (in ``folder``) points to (None if it
    leaves the site), and its fragment; what ``_resolve`` gives, faster for the links
    every page has ("../../papers/x/", "../../assets/..."), which only climb and name
    plain segments."""
    target, fragment, _ = _resolve_climbing(here, folder, link, base)
    return target, fragment


def _resolve_climbing(here: str, folder: str, link: str, base: str) -> tuple[str | None, str, bool]:
    """``resolve``'s answer, and whether the link climbs exactly to the site's root and
    then names plain segments: then it leads to the same place from every page at that
    depth, and ``_scan`` shares its entry."""
    match = _CLIMB.fullmatch(link)
    if match is None or not match.group(2) or "/./" in f"/{match.group(2)}":
        return *_resolve(here if link[0] in "#?" else folder, link, base), False
    up = len(match.group(1)) // 3
    segments = folder[len(base) :].split("/")[:-1]  # folder ends with "/"
    if not folder.startswith(base) or up > len(segments):
        return *_resolve(folder, link, base), False
    kept = segments[: len(segments) - up]
    target = "".join(f"{s}/" for s in kept) + match.group(2)
    return sys.intern(target), (match.group(3) or "#")[1:], up == len(segments)


@functools.lru_cache(maxsize=65536)
def _resolve(here: str, link: str, base: str) -> tuple[str | None, str]:
    """The site path ``link`` on page (or in folder) ``here`` points to (None if it
    leaves the site), and its fragment (urljoin's rules)."""
    parts = urlsplit(urljoin(here, link))
    target = None
    if parts.path.startswith(base):
        rel = PurePosixPath(unquote(parts.path[len(base) :]).lstrip("/"))
        if ".." not in rel.parts:  # else it climbs out of the site
            path_ = "" if str(rel) == "." else rel.as_posix()
            target = sys.intern(path_ + ("/" if parts.path.endswith("/") else ""))
    return target, unquote(parts.fragment)


PARALLEL_FROM = 500  # pages; below this, starting workers costs more than it saves


def _scan_share(job: tuple[Path, str, list[tuple[str, tuple[int, int, int]]]]) -> list:
    site, base, share = job
    return [(rel, _scan(site, site / rel, base, stat)) for rel, stat in share]


def _scan_all(
    site: Path, base: str, todo: list[tuple[str, tuple[int, int, int]]]
) -> dict[str, Scan]:
    """Parse these pages, on every core when there are many (a full build's site)."""
    workers = min(os.cpu_count() or 1, max(1, len(todo) // PARALLEL_FROM))
    if workers == 1:
        return dict(_scan_share((site, base, todo)))
    jobs = [(site, base, todo[k::workers]) for k in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return {rel: scan for part in pool.map(_scan_share, jobs) for rel, scan in part}


def _files(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry]]:
    """Every file under ``folder`` as (its path from the site's root, its entry): with
    ``os.scandir`` a folder's entries say what they are without a ``stat`` each, and no
    ``Path`` is made per file (pathlib's ``rglob`` took 0.7 s at 10,000 papers)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield f"{prefix}{entry.name}", entry


def _base_path(site: Path) -> str:
    """The URL path the site is served under, from the sitemap's first address."""
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        match = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
        if match:
            path = urlsplit(match.group(1).strip()).path
            return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return "/"


def check_site(
    site: Path, base_path: str | None = None, scans: dict[str, Scan] | None = None
) -> list[Broken]:
    """Every broken internal link and anchor in ``site``, sorted by page and target.

    ``scans`` (page -> Scan) is read and updated: a page whose file has the same size,
    modification time and inode as when it was scanned is not parsed again.
    """
    base = base_path or _base_path(site)
    scans = {} if scans is None else scans
    _SHARED.clear()  # it only needs to last one check (workers fork from here)
    files: set[str] = set()
    pages: dict[str, Scan] = {}
    todo: list[tuple[str, tuple[int, int, int]]] = []
    for rel, entry in _files(str(site), ""):
        files.add(rel)
        if rel.endswith(".html"):
            st = entry.stat()
            stat, known = (st.st_size, st.st_mtime_ns, st.st_ino), scans.get(rel)
            if known and known.stat == stat:
                pages[rel] = known
            else:
                todo.append((rel, stat))
    pages.update(_scan_all(site, base, todo))
    scans.clear()
    scans.update(pages)
    folders = {f.rsplit("/", 1)[0] for f in files if "/" in f}
    broken: set[Broken] = set()
    for page, scan in pages.items():
        for link, target, fragment in scan.links:
            if target is None:
                broken.add(Broken(page, link, "outside the site"))
                continue
            if target.endswith("/") or target in folders or not target:
                target = f"{target.rstrip('/')}/index.html".lstrip("/")
            if target not in files:
                broken.add(Broken(page, link, "no such file"))
            elif fragment and target.endswith(".html") and fragment not in pages[target].ids:
                broken.add(Broken(page, link, "no such anchor"))
    return sorted(broken)


def run(site: Path) -> int:
    """Check ``site``, print each broken link and a summary; return the exit status."""
    if not (site / "index.html").is_file():
        print(f"{site}: not a built site (no index.html)", file=sys.stderr)
        return 2
    broken = check_site(site)
    for item in broken:
        print(item)
    pages = len({b.page for b in broken})
    count = sum(1 for _ in site.rglob("*.html"))
    print(f"{len(broken)} broken links on {pages} of {count} pages", file=sys.stderr)
    return 1 if broken else 0


def main(argv: list[str] | None = None) -> int:
    """``papercat linkcheck SITE_DIR``, the same as ``papercat linkcheck``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: papercat linkcheck SITE_DIR", file=sys.stderr)
        return 2
    return run(Path(args[0]))


if __name__ == "__main__":
    sys.exit(main())
