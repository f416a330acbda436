"""Facets: the catalogue's papers grouped by year, venue and author, with page slugs.

The grouping is whole-catalogue work shared by the listing pages (render/browse.py)
and the search box's suggestions (exports/searchfiles.py). An author gets a page of
their own from ``AUTHOR_PAGE_MIN`` papers (see render/browse.py for why).
"""

from __future__ import annotations

import functools
import unicodedata
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.catalogue.model import Catalogue, Paper
from generator.catalogue.slug import unique_id

AUTHOR_PAGE_MIN = 2  # papers an author needs for a page of their own


@dataclass(frozen=True)
class Facet:
    """One browsable field (year, venue, author): value -> page slug -> papers."""

    name: str  # "year"
    plural: str  # "years", the folder of its pages
    title: str  # "Papers by year"
    groups: dict[str, tuple[Paper, ...]]  # display value -> papers, in display order
    slugs: dict[str, str]  # display value -> page slug (for every value: slugs never move)
    least: int = 1  # papers a value needs for a page of its own
    filed: str = ""  # a long index by letter of: "name", "family name"; "" not by letter

    @functools.cached_property  # read by every listing and page template
    def paged(self) -> dict[str, tuple[Paper, ...]]:
        """The values that have a page, in display order."""
        return {v: ps for v, ps in self.groups.items() if len(ps) >= self.least}

    def url(self, value: str) -> str:
        """Its page, or for a value without one, the search results that list its papers."""
        if value in self.paged:
            return f"{self.plural}/{self.slugs[value]}/"
        query = f'{self.name}:"{value}"' if " " in value else f"{self.name}:{value}"
        return "search/?q=" + urllib.parse.quote(query, safe="")

    def letter(self, value: str) -> str:
        """The letter ``value`` is filed under in the index (its family name's for an
        author), A to Z with accents dropped, "#" for anything else; "" when the facet
        is not filed by letter (years)."""
        if not self.filed:
            return ""
        return _filing(_sort_name(value) if self.filed == "family name" else value)[0]


# Latin letters that NFKD does not split into an ASCII letter and an accent.
_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
                          "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
                          "Þ": "Th", "þ": "th", "ı": "i"})  # fmt: skip


def _fold(text: str) -> str:
    """Lowercase ASCII, accents and letters like Ł folded: 'Łukasz Özil' -> 'lukasz ozil'."""
    text = text.translate(_LETTERS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _filing(text: str) -> tuple[str, str, str]:
    """Where a name goes in an index: its letter ("#" before A: not a Latin letter),
    then folded, then as written (so ties between spellings keep one order)."""
    folded = _fold(text)
    first = folded[:1]
    return (first.upper() if "a" <= first <= "z" else "#"), folded, text.lower()


def _ascii_slug(text: str) -> str:
    """'Łukasz Kaiser' -> 'lukasz-kaiser'; 'x' when nothing ASCII is left."""
    words = "".join(c if c.isalnum() else " " for c in _fold(text)).split()
    return "-".join(words) or "x"


# Not a value's slug: a long index goes on at <plural>/page/2/ (render/browse.py).
RESERVED = frozenset({"page"})


def _slugs(values: Iterable[str]) -> dict[str, str]:
    taken: set[str] = set(RESERVED)
    out = {}
    for value in values:
        out[value] = unique_id(_ascii_slug(value), taken)
        taken.add(out[value])
    return out


def by_title(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    return tuple(sorted(papers, key=lambda p: (p.title.lower(), p.id)))


def facets(catalogue: Catalogue) -> dict[str, Facet]:
    """The facets that have data, keyed by name; an empty catalogue field has none."""
    years: dict[str, list[Paper]] = defaultdict(list)
    venues: dict[str, list[Paper]] = defaultdict(list)
    authors: dict[str, list[Paper]] = defaultdict(list)
    for p in catalogue.papers:
        if p.year:
            years[str(p.year)].append(p)
        if p.venue:
            venues[p.venue].append(p)
        for name in dict.fromkeys(p.authors):
            authors[name].append(p)
    out: dict[str, Facet] = {}
    # Names sort by their letter, accents folded (Ł with L), so that each letter of an
    # index is one run.
    specs = [
        ("year", "years", "Papers by year", years, lambda v: (-int(v),), 1, ""),
        ("venue", "venues", "Papers by venue", venues, lambda v: (*_filing(v), v), 1, "name"),
        ("author", "authors", "Papers by author", authors,
         lambda v: (*_filing(_sort_name(v)), v), AUTHOR_PAGE_MIN, "family name"),
    ]  # fmt: skip
    for name, plural, title, groups, key, least, filed in specs:
        if groups:
            order = sorted(groups, key=key)
            out[name] = Facet(name, plural, title, {v: by_title(groups[v]) for v in order},
                              _slugs(order), least, filed)  # fmt: skip
    return out


def browsable(found: dict[str, Facet]) -> dict[str, Facet]:
    """The facets with at least one page (the ones "Browse by ..." links offer)."""
    return {name: f for name, f in found.items() if f.paged}


def _sort_name(name: str) -> str:
    """Sort authors by family name: 'Ada Lovelace' and 'Lovelace, Ada' -> 'lovelace ada'."""
    if "," in name:
        family, given = name.split(",", 1)
    else:
        given, _, family = name.rpartition(" ")
    return f"{family.strip()} {given.strip()}".lower()
