"""``papercat serve``'s fast pass: the Markdown of the pages an edit touches, in a second.

The server keeps its own copy of ``content/`` (``Sources``: each paper file's record,
reloaded only when the file's size, time or inode changes) and of what the served site
was made from (``Served``: the catalogue, its facets and the related-papers model).
After a save, ``fast_pass`` validates the whole catalogue as the build does (records
checked before are not type-checked again), so a broken file gives the same
``FILE:LINE`` messages and nothing is rendered. Otherwise it relates the edited papers
(and those they name, or that named them) to the others with the kept model
(analysis/linkmodel.py), keeps every other related list, and renders only the pages
whose view the edit changed (render/affected.py) with the build's own renderer. The
map, the search files and the exports wait for the exact pass, which also redoes every
related list and term weight.

A change to ``topics.yml`` is left to the exact pass: topic names are on most pages.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis import facets as facet_groups
from generator.analysis import links
from generator.analysis.facets import Facet
from generator.analysis.linkmodel import Model
from generator.catalogue.handwritten import load_pages
from generator.catalogue.load import display_path, load_mapping, load_sequence
from generator.catalogue.memo import Memo
from generator.catalogue.model import Catalogue, Problem, Record, frozen_map
from generator.catalogue.validate import Typed, validate
from generator.render.affected import Pages, affected, changed_papers
from generator.render.limits import DEFAULT, Limits
from generator.render.pages import render_pages


@dataclass(frozen=True)
class Served:
    """What the served site's pages were made from."""

    catalogue: Catalogue
    facets: dict[str, Facet]
    model: Model

    @classmethod
    def of(cls, catalogue: Catalogue, model: Model) -> Served:
        return cls(catalogue, facet_groups.facets(catalogue), model)


def _signature(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ino


class Sources:
    """The server's copy of ``content/``, read as ``load_tree`` reads it."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self._seen: dict[str, tuple[int, int, int]] = {}
        self._loaded: dict[str, tuple[Record | None, list[Problem]]] = {}
        self._topics: tuple[tuple[int, int, int] | None, list[Record], list[Problem]] = (
            None, [], [])  # fmt: skip
        self._typed: Typed = {}

    def refresh(self) -> None:
        """Read the paper files added or changed since the last call, and ``topics.yml``
        if it changed; forget removed files."""
        root, papers = self.content.parent, self.content / "papers"
        folder = display_path(papers / "_", root).removesuffix("_")
        current = {}
        with os.scandir(papers) as entries:
            for entry in entries:
                if entry.is_file() or entry.is_symlink():
                    current[entry.name] = _signature(entry.stat(follow_symlinks=False))
        for name in self._seen.keys() - current.keys():
            self._loaded.pop(name, None)
        for name, signature in current.items():
            if self._seen.get(name) != signature and name.endswith(".yml"):
                self._loaded[name] = load_mapping(papers / name, root, shown=folder + name)
        self._seen = current
        topics = self.content / "topics.yml"
        try:
            signature: tuple[int, int, int] | None = _signature(topics.stat())
        except OSError:
            signature = None
        if signature is None:
            missing = Problem(display_path(topics, root), 1, "file", "missing topics file")
            self._topics = (None, [], [missing])
        elif signature != self._topics[0]:
            self._topics = (signature, *load_sequence(topics, root))

    def check(self) -> tuple[Catalogue | None, list[Problem]]:
        """The catalogue without related papers, or None if there are errors; with
        every problem (``FILE:LINE``), as ``papercat build`` reports them."""
        root = self.content.parent
        problems = list(self._topics[2])
        folder = display_path(self.content / "papers" / "_", root).removesuffix("_")
        for name in sorted(self._seen):
            if not name.endswith(".yml"):
                problems.append(Problem(folder + name, 1, "file", "paper files must end in .yml"))
        records = []
        for name in sorted(self._loaded):
            record, found = self._loaded[name]
            problems += found
            if record is not None:
                records.append(record)
        pages, page_sources, page_problems = load_pages(self.content)
        papers, topics, found = validate(records, self._topics[1], self._typed)
        problems = sorted(problems + page_problems + found)
        if any(p.severity == "error" for p in problems):
            return None, problems
        catalogue = Catalogue(
            papers=papers, topics=topics, pages=frozen_map(pages),
            page_sources=frozen_map(page_sources),
            topics_source=display_path(self.content / "topics.yml", root),
        )  # fmt: skip
        return catalogue, problems


@dataclass
class Outcome:
    """What a fast pass found: the problems (all of them when there are errors, else the
    warnings about the papers this save changed); the content as checked (None with
    errors: what the next exact pass reads); and the new pages (Markdown by path), the
    pages it covered (``Pages``: paths rendered, or removed when not among them) and
    what the site is now made from. ``exact_only``: nothing to render fast (the taxonomy
    or nothing at all changed); the exact pass decides."""

    problems: list[Problem]
    checked: Catalogue | None = None
    served: Served | None = None
    pages: dict[str, str] = field(default_factory=dict)
    covered: Pages | None = None
    exact_only: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # by step: check, related, pages


def fast_pass(served: Served, sources: Sources, limits: Limits = DEFAULT) -> Outcome:
    """Check the content; if it is good and only papers or hand-written pages changed,
    the pages that changed (see the module docstring); ``limits`` as the build's."""
    start = time.perf_counter()
    sources.refresh()
    checked, problems = sources.check()
    old = served.catalogue
    checked_at = time.perf_counter()
    if checked is None:
        return Outcome(problems)
    if checked.topics != old.topics or checked.topics_source != old.topics_source:
        return Outcome([], checked, exact_only=True)
    changed = changed_papers(old, checked)
    if not changed and checked.pages == old.pages and checked.page_sources == old.page_sources:
        return Outcome([], checked, exact_only=True)
    saved = {p.source for p in (*old.papers, *checked.papers) if p.id in changed}
    problems = [p for p in problems if p.path in saved]
    model = served.model.refresh(checked.papers)
    before = {p.id: p for p in old.papers}
    after = {p.id: p for p in checked.papers}
    ids = after.keys()
    # Lists made again: the edited papers', those of papers they name or named (their
    # backlinks), and those that showed a paper now removed.
    again = {i for i in changed if i in ids}
    for pid in changed:
        for paper in (before.get(pid), after.get(pid)):
            again |= {t for t in (paper.related if paper else ()) if t in ids}
    removed = changed - ids
    if removed:
        again |= {i for i, rel in old.related.items()
                  if i in ids and any(r.id in removed for r in rel)}  # fmt: skip
    related = {i: rel for i, rel in old.related.items() if i in ids}
    related.update(model.related(again))
    related_at = time.perf_counter()
    catalogue = Catalogue(
        papers=checked.papers, topics=checked.topics, related=frozen_map(related),
        versions=frozen_map(links.versions(checked.papers)), pages=checked.pages,
        page_sources=checked.page_sources, topics_source=checked.topics_source,
    )  # fmt: skip
    # The facets of the new catalogue from the old ones: only the edited papers move.
    edited = facet_groups.updated(
        served.facets,
        (p for p in old.papers if p.id in changed),
        (p for p in checked.papers if p.id in changed),
    )
    now = Served(catalogue, edited, model)
    covered = affected(old, catalogue, served.facets, now.facets, changed)
    pages = render_pages(catalogue, Memo(), limits=limits, only=covered, facets=now.facets)
    seconds = {"check": checked_at - start, "related": related_at - checked_at,
               "pages": time.perf_counter() - related_at}  # fmt: skip
    return Outcome(problems, checked, now, pages, covered, seconds=seconds)
