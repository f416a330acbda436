"""Check that every internal link and anchor in a built HTML site resolves.

    python -m generator.linkcheck SITE_DIR

Every ``href`` and ``src`` that stays inside the site must name a file that exists
(``dir/`` means ``dir/index.html``), and a ``#fragment`` must name an ``id`` (or
``<a name>``) on the target page. External links (``https:``, ``mailto:`` ...) are left
to the weekly external check. Prints ``page: broken link -> target`` for each problem
and exits 1 if there are any.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRS = {"href", "src"}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, order=True)
class Broken:
    """A link on ``page`` (site-relative path) whose ``target`` does not resolve."""

    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: broken link -> {self.target}"


class _Scan(HTMLParser):
    """Collects the links and the anchor names of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRS and not (tag == "link" and _rel(attrs) == "canonical"):
                self.links.append(value.strip())


def _rel(attrs: list[tuple[str, str | None]]) -> str:
    return next((v or "" for k, v in attrs if k == "rel"), "")


def _base_path(site: Path) -> str:
    """The URL path the site is served under, from the sitemap's first address."""
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        match = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
        if match:
            path = urlsplit(match.group(1).strip()).path
            return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return "/"


def _target_file(site: Path, path: str) -> Path | None:
    """The file a site-relative URL path names, or None if there is none."""
    rel = PurePosixPath(unquote(path).lstrip("/"))
    if ".." in rel.parts:
        return None  # climbs out of the site
    candidate = site.joinpath(*rel.parts)
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path, base_path: str | None = None) -> list[Broken]:
    """Every broken internal link and anchor in ``site``, sorted by page and target."""
    base = base_path or _base_path(site)
    pages: dict[Path, _Scan] = {}
    for path in sorted(site.rglob("*.html")):
        scan = _Scan()
        scan.feed(path.read_text(encoding="utf-8", errors="replace"))
        scan.close()
        pages[path] = scan
    broken: set[Broken] = set()
    for path, scan in pages.items():
        page = path.relative_to(site).as_posix()
        here = base + page
        for link in scan.links:
            if not link or SCHEME.match(link) or link.startswith("//"):
                continue  # external, or mailto:/tel:/data: - not ours to resolve
            parts = urlsplit(urljoin(here, link))
            if not parts.path.startswith(base):
                broken.add(Broken(page, link, "outside the site"))
                continue
            target = _target_file(site, parts.path[len(base) :])
            if target is None:
                broken.add(Broken(page, link, "no such file"))
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.add(Broken(page, link, "no such anchor"))
    return sorted(broken)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m generator.linkcheck SITE_DIR``; exit 1 on broken links."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m generator.linkcheck SITE_DIR", file=sys.stderr)
        return 2
    site = Path(args[0])
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


if __name__ == "__main__":
    sys.exit(main())
