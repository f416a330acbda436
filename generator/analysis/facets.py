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
from collections.abc import Callable, Iterable
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


@functools.lru_cache(maxsize=1 << 18)  # author names recur in every build of a serve session
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
    papers = tuple(papers)
    if len(papers) < 2:  # most authors have one paper: no key to make
        return papers
    return tuple(sorted(papers, key=lambda p: (p.title.lower(), p.id)))


# name, plural, title, sort key of the values, papers a value needs for a page, what a
# long index is filed by. Names sort by their letter, accents folded (Ł with L), so that
# each letter of an index is one run.
_SPECS: tuple[tuple[str, str, str, Callable[[str], object], int, str], ...] = (
    ("year", "years", "Papers by year", lambda v: (-int(v),), 1, ""),
    ("venue", "venues", "Papers by venue", lambda v: (*_filing(v), v), 1, "name"),
    ("author", "authors", "Papers by author", lambda v: (*_filing(_sort_name(v)), v),
     AUTHOR_PAGE_MIN, "family name"),
)  # fmt: skip


def values(name: str, paper: Paper) -> tuple[str, ...]:
    """The values of the facet ``name`` that ``paper`` has: its year, venue or authors."""
    if name == "year":
        return (str(paper.year),) if paper.year else ()
    if name == "venue":
        return (paper.venue,) if paper.venue else ()
    return tuple(dict.fromkeys(paper.authors))


def facets(catalogue: Catalogue) -> dict[str, Facet]:
    """The facets that have data, keyed by name; an empty catalogue field has none."""
    groups: dict[str, dict[str, list[Paper]]] = {name: defaultdict(list) for name, *_ in _SPECS}
    for p in catalogue.papers:
        for name, *_ in _SPECS:
            for value in values(name, p):
                groups[name][value].append(p)
    out: dict[str, Facet] = {}
    for name, plural, title, key, least, filed in _SPECS:
        if groups[name]:
            order = sorted(groups[name], key=key)
            out[name] = Facet(name, plural, title, {v: by_title(groups[name][v]) for v in order},
                              _slugs(order), least, filed)  # fmt: skip
    return out


def updated(
    found: dict[str, Facet], before: Iterable[Paper], after: Iterable[Paper]
) -> dict[str, Facet]:
    """``facets`` of a catalogue after an edit: ``found``, the facets before it, with the
    papers ``before`` (the old versions of the papers changed or removed) taken out and
    ``after`` (their new versions, and new papers) put in. The same facets as grouping
    every paper again, in a fraction of the time (``papercat serve``'s fast pass)."""
    before, after = tuple(before), tuple(after)
    out: dict[str, Facet] = {}
    for name, plural, title, key, least, filed in _SPECS:
        old = found.get(name)
        groups = dict(old.groups) if old else {}
        for paper in before:
            for value in values(name, paper):
                left = tuple(p for p in groups.get(value, ()) if p.id != paper.id)
                if left:
                    groups[value] = left
                else:
                    groups.pop(value, None)
        for paper in after:
            for value in values(name, paper):
                groups[value] = by_title((*groups.get(value, ()), paper))
        if not groups:
            continue
        if old and groups.keys() == old.groups.keys():  # same values: same order and slugs
            order, slugs = list(old.groups), old.slugs
        else:
            order = sorted(groups, key=key)
            slugs = _slugs(order)
        out[name] = Facet(name, plural, title, {v: groups[v] for v in order}, slugs, least, filed)
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
