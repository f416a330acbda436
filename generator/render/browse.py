"""Browsing pages: "All papers" (a sortable, filterable table) and, only when the
catalogue has the data, pages per year, venue and author.

Which values get a page is decided in ``analysis/facets.py``: an author gets a page
once they have two papers (``AUTHOR_PAGE_MIN``): a page for a
one-paper author would repeat that paper's own page, and they are most authors (24,000
of 25,000 at 10,000 synthetic papers, about half in real catalogues), so such pages
would outnumber the papers and dominate the build and the site's size. Their name links
to the search results for ``author:"Name"`` instead, which lists their paper(s).

The table must stay usable at 10,000 papers, so the page holds just its first rows
(the no-script fallback) and ``all-papers.json``, a compact row list the browser pages
through (``overrides/assets/papercat-readers.js``). Year, venue and author pages exist
only for values that occur: a catalogue without years has no year pages and no links
to them, so no page or section is ever empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from generator.analysis.facets import Facet, browsable, by_title, facets
from generator.catalogue.model import Catalogue, Paper
from generator.render.limits import DEFAULT, Limits
from generator.render.pagemeta import listing_head

FIRST_ROWS = 50  # rows rendered into the HTML (no-script fallback and first paint)
TABLE_DATA = "all-papers.json"
TABLE_DESCRIPTION = "Every paper of the catalogue in one sortable, filterable table."

Writer = Callable[..., None]
T = TypeVar("T")


class Entry(NamedTuple):
    """What a listing page shows of a paper (``paper_item`` in ``_macros.j2``)."""

    id: str
    title: str
    topics: tuple[str, ...]


def entries(papers: Iterable[Paper]) -> tuple[Entry, ...]:
    """The listing entries of these papers, in order."""
    return tuple(Entry(p.id, p.title, p.topics) for p in papers)


@dataclass(frozen=True)
class Pager:
    """Where one page of a long listing stands: page ``number`` of ``count`` (from 1),
    holding papers ``first`` to ``last`` of ``total``. Page 1 is the listing's own URL
    (``venues/acl/``), page n is ``page/<n>/`` below it."""

    number: int
    count: int
    first: int
    last: int
    total: int

    def title(self, name: str) -> str:
        """The listing's title on this page: ``name``, then "(page n of m)" after page 1."""
        return name if self.number == 1 else f"{name} (page {self.number} of {self.count})"

    def markdown(self, listing: str) -> str:
        """This page's Markdown file (``render.page_path`` form) for ``listing``, the
        page 1 URL's path without its slash (``venues/acl``)."""
        return page_markdown(listing, self.number)

    def summary(self, noun: str = "paper") -> str:
        """How many papers (or ``noun``s) the listing has, and which this page shows."""
        text = f"{self.total} {noun}{'' if self.total == 1 else 's'}"
        return text + (f" ({self.first} to {self.last} on this page)" if self.count > 1 else "")

    @property
    def up(self) -> str:
        """From this page to the folder of the listing's page 1 (prefix for ``base``)."""
        return "" if self.number == 1 else "../../"

    def href(self, number: int) -> str:
        """A link from this page to page ``number`` of the same listing."""
        target = "" if number == 1 else f"page/{number}/"
        return (self.up + target) or "./"

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and ``around`` either side of this
        one; None where numbers are left out."""
        shown = [n for n in range(1, self.count + 1)
                 if n in (1, self.count) or abs(n - self.number) <= around]  # fmt: skip
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def page_markdown(listing: str, number: int) -> str:
    """The Markdown file of page ``number`` of ``listing`` (see ``Pager.markdown``)."""
    return f"{listing}.md" if number == 1 else f"{listing}/page/{number}.md"


def page_count(total: int, size: int) -> int:
    """Pages of at most ``size`` that ``total`` items fill; always at least one."""
    return max(1, -(-total // size))


def paginate(items: Sequence[T], size: int) -> list[tuple[Pager, tuple[T, ...]]]:
    """``items`` (papers, or an index's values) in pages of at most ``size``, in order;
    always at least one page."""
    count = page_count(len(items), size)
    return [
        (Pager(n + 1, count, n * size + 1, min(len(items), (n + 1) * size), len(items)),
         tuple(items[n * size : (n + 1) * size]))
        for n in range(count)
    ]  # fmt: skip


def table_rows(catalogue: Catalogue) -> list[list[object]]:
    """[id, title, topic ids, year or null, added] per paper, in id order."""
    return [[p.id, p.title, list(p.topics), p.year, p.added.isoformat()] for p in catalogue.papers]


def table_json(catalogue: Catalogue) -> str:
    """The data behind the All papers table, compact (it grows with the catalogue)."""
    data = {
        "columns": ["id", "title", "topics", "year", "added"],
        "topics": {t.id: t.name for t in catalogue.topics},
        "rows": table_rows(catalogue),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def wanted_listing(folder: str, total: int, size: int, wanted: Callable[[str], bool]) -> bool:
    """Whether any page of a listing of ``total`` papers, ``size`` a page, at ``folder``
    is ``wanted``."""
    return any(wanted(page_markdown(folder, n)) for n in range(1, page_count(total, size) + 1))


def write_pages(
    catalogue: Catalogue,
    write: Writer,
    emit: Callable[[str, str], None],
    listing: Writer,
    limits: Limits = DEFAULT,
    found: dict[str, Facet] | None = None,
    wanted: Callable[[str], bool] = lambda rel: True,
) -> dict[str, Facet]:
    """Write All papers, its data file and the facet pages; return the facets (``found``,
    if already known). A value's pages go through ``listing``, with only what they show
    (render.py keeps them); ``limits`` says how many papers a listing page and how many
    values an index page shows. Only files ``wanted`` (by Markdown path) are made."""
    found = facets(catalogue) if found is None else found
    if wanted(TABLE_DATA):
        emit(TABLE_DATA, table_json(catalogue))
    paged = browsable(found)
    if wanted("all-papers.md"):
        write("all-papers.md", "all-papers.md.j2", base="../",
              first=by_title(catalogue.papers)[:FIRST_ROWS], has_years="year" in found,
              data=TABLE_DATA, facets=paged,
              head=listing_head("All papers", TABLE_DESCRIPTION))  # fmt: skip
    for facet in paged.values():
        _index_pages(facet, write, limits.index_page)
        label = {"name": facet.name, "plural": facet.plural, "title": facet.title}
        for value, papers in facet.paged.items():
            folder = f"{facet.plural}/{facet.slugs[value]}"
            if not wanted_listing(folder, len(papers), limits.listing_page, wanted):
                continue
            for pager, shown in paginate(papers, limits.listing_page):
                listing(pager.markdown(f"{facet.plural}/{facet.slugs[value]}"), "facet.md.j2",
                        base="../../" + pager.up, facet=label, value=value,
                        papers=entries(shown), pager=pager)  # fmt: skip
    return found


def _index_pages(facet: Facet, write: Writer, size: int) -> None:
    """A facet's index (``authors/``), in pages of ``size`` values (``authors/page/2/``
    ...; ``facets.RESERVED`` keeps "page" from being a value's slug). A paged index of
    names also links each letter to where it starts: the first value filed under it
    gets the anchor ``pc-letter-a`` (``-other`` for "#")."""
    pages = paginate(list(facet.paged), size)
    anchors: dict[str, str] = {}  # value -> anchor, for the first value of each letter
    letters: list[tuple[str, int, str]] = []  # (letter, page number, anchor)
    if len(pages) > 1 and facet.filed:
        for pager, shown in pages:
            for value in shown:
                letter = facet.letter(value)
                if not letters or letters[-1][0] != letter:
                    anchor = "pc-letter-" + (letter.lower() if letter != "#" else "other")
                    anchors[value] = anchor
                    letters.append((letter, pager.number, anchor))
    rest = len(facet.groups) - len(facet.paged)  # values without a page (one-paper authors)
    for pager, shown in pages:
        write(pager.markdown(facet.plural), "facet-index.md.j2", base="../" + pager.up,
              facet=facet, values=shown, pager=pager, letters=letters, anchors=anchors,
              rest=rest)  # fmt: skip
