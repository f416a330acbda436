"""Typed, frozen models shared by every pipeline stage.

Papers refer to each other by id (a string), never by object, so any stage can be
tested on its own with plain data and the catalogue has no reference cycles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, pointing at a file, a line and a field."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


def frozen_map(data: Mapping | None = None) -> Mapping:
    """A read-only mapping, so frozen models cannot be mutated through a dict field."""
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Record:
    """A loaded YAML mapping with the line of each top-level key (1-based)."""

    path: str
    data: Mapping[str, object]
    lines: Mapping[str, int]

    def line(self, key: str) -> int:
        """Line of ``key``; for a missing key, the line where the entry starts."""
        return self.lines.get(key, self.lines.get("", 1))


@dataclass(frozen=True)
class Paper:
    """One catalogue entry. ``id`` is the file stem and the page URL.

    ``abstract`` is ``""`` when the paper has none (it is optional in paper files);
    every stage treats the empty string as "no abstract".
    """

    id: str
    title: str
    abstract: str
    topics: tuple[str, ...]
    added: dt.date
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    links: Mapping[str, str] = field(default_factory=frozen_map)
    related: tuple[str, ...] = ()
    version_of: str | None = None
    duplicate_of: str | None = None
    source: str = ""

    @property
    def appeared(self) -> tuple[int, int, int]:
        """When the paper first appeared, as (year, month, number): an arXiv id gives
        all three (arXiv numbers a month's papers in order), else the year alone."""
        match = _ARXIV_ORDER.match(self.arxiv or "")
        if match:
            yy, mm, number = (int(g) for g in match.group("yy", "mm", "n"))
            return (1900 + yy if yy >= 91 else 2000 + yy), mm, number
        return self.year or 0, 0, 0


# New-style ids (2401.09670) and old-style ones (hep-th/9901001): yymm, then a number.
_ARXIV_ORDER = re.compile(
    r"^(?:[a-z-]+(?:\.[A-Z]{2})?/)?(?P<yy>\d{2})(?P<mm>\d{2})\.?(?P<n>\d{3,5})$"
)


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Papers by the day they were added, newest first; papers added on the same day
    (an import brings many) by when they appeared, newest first; then by id."""
    return sorted(papers, key=lambda p: (-p.added.toordinal(), *(-v for v in p.appeared), p.id))


@dataclass(frozen=True)
class Topic:
    """A node of the taxonomy in ``content/topics.yml``."""

    id: str
    name: str
    description: str
    parent: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A suggested topic for a paper, with a human-readable reason."""

    topic: str
    score: float
    reason: str


@dataclass(frozen=True)
class Related:
    """A link from one paper to another, with why it was made."""

    id: str
    score: float
    reason: str
    explicit: bool = False


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderer needs, computed once before any page is written."""

    papers: tuple[Paper, ...]
    topics: tuple[Topic, ...]
    related: Mapping[str, tuple[Related, ...]] = field(default_factory=frozen_map)
    versions: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_map)
    pages: Mapping[str, str] = field(default_factory=frozen_map)
    page_sources: Mapping[str, str] = field(default_factory=frozen_map)
    topics_source: str = "content/topics.yml"

    def paper(self, paper_id: str) -> Paper:
        return self._papers_by_id[paper_id]

    def topic(self, topic_id: str) -> Topic:
        return self._topics_by_id[topic_id]

    def papers_in(self, topic_id: str) -> tuple[Paper, ...]:
        """Papers tagged with ``topic_id``, in catalogue (id) order."""
        return self._papers_by_topic.get(topic_id, ())

    def topic_names(self, paper: Paper) -> list[str]:
        """Names of a paper's topics, in the paper's order."""
        return [self.topic(t).name for t in paper.topics]

    # Indices are derived once per catalogue. cached_property stores into the instance
    # __dict__ directly, which a frozen dataclass allows.
    @cached_property
    def _papers_by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def _topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def _papers_by_topic(self) -> dict[str, tuple[Paper, ...]]:
        index: dict[str, list[Paper]] = {}
        for paper in self.papers:
            for tid in paper.topics:
                index.setdefault(tid, []).append(paper)
        return {tid: tuple(papers) for tid, papers in index.items()}


class ContentError(Exception):
    """Raised by the build when content problems stop it; carries the problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
