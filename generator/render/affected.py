"""Which pages an edit changes: what ``papercat serve``'s fast pass renders again.

A page is rendered from its view alone (pages.py), so it changes only when something
it shows changes. Given the catalogue before and after an edit (same taxonomy; the
fast pass leaves a changed taxonomy to the exact pass), these are:

- a changed, added or removed paper's own page;
- pages of papers whose related list or versions changed, or that show a changed
  paper in them (its title);
- pages of papers with an author, venue or year whose link changed (an author with a
  second paper gets a page; a new value can take another's slug);
- when a paper's title, topics, year, venue, authors or date changed (or it came or
  went): every page of the listings that show it, before or after the edit (its
  topics and their parents, which count their sub-topics; its year, venue and
  authors; and listings whose link changed), and the pages that show the whole
  catalogue in brief: home, topics, All papers and its data, the facet indexes (every
  page of a paged one);
- any hand-written page whose text changed.

The map is not in it: the fast pass keeps map positions as they were, and the exact
pass redraws it. ``tests/test_fastpass.py`` renders the whole site after edits of every
kind and checks that no other page differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.analysis.facets import Facet, values
from generator.catalogue.model import Catalogue
from generator.render.browse import TABLE_DATA
from generator.render.pages import page_path

# What listings, counts and All papers show of a paper: a change to any other field
# (an abstract, a link) shows on the paper's own page alone.
LISTED = ("title", "topics", "year", "venue", "authors", "added")
# Rendered after every edit of a listed field: they show every paper, or counts of them.
ALWAYS = ("index.md", "topics/index.md", page_path("all-papers.md"), TABLE_DATA)


@dataclass(frozen=True)
class Pages:
    """Page paths (relative to docs/), and folders all of whose pages are in."""

    paths: frozenset[str]
    folders: tuple[str, ...]  # each ends in "/"

    def __contains__(self, rel: object) -> bool:
        return isinstance(rel, str) and (rel in self.paths or rel.startswith(self.folders))


def _paper_page(pid: str) -> str:
    return page_path(f"papers/{pid}.md")


def changed_papers(
    old: Catalogue, new: Catalogue, fields: tuple[str, ...] = (), among: set[str] | None = None
) -> set[str]:
    """Ids of the papers added, removed or changed: in any field, or in one of
    ``fields``; ``among``: the papers changed in any field, if known."""
    before = {p.id: p for p in old.papers}
    after = {p.id: p for p in new.papers}
    if among is None:
        among = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    if not fields:
        return among
    return {
        i for i in among
        if i not in before or i not in after
        or any(getattr(before[i], f) != getattr(after[i], f) for f in fields)
    }  # fmt: skip


def _moved(before: Facet | None, after: Facet | None) -> set[str]:
    """Values whose link changed: a value without a page links to its search results
    (the same before and after), one with a page to its slug's folder."""
    old = {v: before.slugs[v] for v in before.paged} if before else {}
    new = {v: after.slugs[v] for v in after.paged} if after else {}
    return {v for v in old.keys() | new.keys() if old.get(v) != new.get(v)}


def affected(
    old: Catalogue,
    new: Catalogue,
    old_facets: Mapping[str, Facet],
    new_facets: Mapping[str, Facet],
    changed: set[str] | None = None,
) -> Pages:
    """The pages that differ between the sites of ``old`` and ``new`` (see above),
    removed ones included; the map is left out. ``changed``: ``changed_papers``, if
    known."""
    changed = changed_papers(old, new, among=changed)
    retitled = changed_papers(old, new, ("title",), changed)  # what other papers show
    listed = changed_papers(old, new, LISTED, changed)
    pages = {_paper_page(i) for i in changed}
    for pid in (p.id for p in new.papers):
        shown = {r.id for r in new.related.get(pid, ())} | set(new.versions.get(pid, ()))
        if (
            shown & retitled
            or new.related.get(pid) != old.related.get(pid)
            or new.versions.get(pid) != old.versions.get(pid)
        ):
            pages.add(_paper_page(pid))
    pages |= {_page_of(name) for name in _changed_texts(old, new)}
    if not listed:
        return Pages(frozenset(pages), ())
    edited = [p for c in (old, new) for p in c.papers if p.id in listed]
    folders: set[str] = set()
    topics = {t for p in edited for t in p.topics}
    parents = {t.id: t.parent for t in (*old.topics, *new.topics)}
    topics |= {parents[t] for t in topics if parents.get(t)}
    folders |= {f"topics/{t}/" for t in topics}
    for name in old_facets.keys() | new_facets.keys():
        before, after = old_facets.get(name), new_facets.get(name)
        moved = _moved(before, after)
        for value in {v for p in edited for v in values(name, p)} | moved:
            for facet in (before, after):
                if facet and value in facet.slugs:
                    folders.add(f"{facet.plural}/{facet.slugs[value]}/")
        if moved and after:
            pages |= {_paper_page(p.id) for v in moved for p in after.groups.get(v, ())}
        for f in (before, after):  # the index, and its later pages when it is paged
            if f:
                pages.add(page_path(f"{f.plural}/index.md"))
                folders.add(f"{f.plural}/page/")
    pages |= set(ALWAYS)
    return Pages(frozenset(pages), tuple(sorted(folders)))


def _changed_texts(old: Catalogue, new: Catalogue) -> Iterable[str]:
    """Hand-written pages added, removed or changed (text or source file)."""
    for name in old.pages.keys() | new.pages.keys():
        before = (old.pages.get(name), old.page_sources.get(name))
        if before != (new.pages.get(name), new.page_sources.get(name)):
            yield name


def _page_of(name: str) -> str:
    """A hand-written page's path in docs/: the home page's text is the home page's."""
    return "index.md" if name == "home" else f"{name}.md"
