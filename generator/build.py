"""The build: one straight function, stage by stage.

Order matters: validation must see every file before anything is derived from it;
topics and links are whole-catalogue computations done once, before rendering, so
every page sees the same data; the search index and exports read the finished
catalogue. Output is rendered into a temporary folder and then synced into ``docs/``,
so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import exports, icons, links, render, search
from .load import display_path, load_tree
from .model import Catalogue, ContentError, Problem, frozen_map
from .pages import load_pages
from .validate import validate


@dataclass
class BuildResult:
    catalogue: Catalogue
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


class _Timer:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start
        if self.verbose:
            print(f"  {name:<13} {self.timings[name] * 1000:8.1f} ms", file=sys.stderr)


def _fail_on(problems: list[Problem], strict: bool) -> None:
    if any(p.severity == "error" or strict for p in problems):
        raise ContentError(problems)


def build(
    content: Path,
    out: Path,
    *,
    strict: bool = False,
    verbose: bool = False,
    after_render: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build the Markdown site for ``content`` into ``out``; raise ContentError on errors."""
    timer = _Timer(verbose)
    with timer.stage("load"):
        paper_records, topic_records, problems = load_tree(content)
        pages, page_sources, page_problems = load_pages(content)
        problems += page_problems
    with timer.stage("validate"):
        papers, topics, found = validate(paper_records, topic_records)
        problems = sorted(problems + found)
        _fail_on(problems, strict)
    with timer.stage("topics"):
        pass  # the taxonomy is validated; per-topic lists are derived in render
    with timer.stage("links"):
        related = links.related_papers(papers, topics)
        versions = links.versions(papers)
    catalogue = Catalogue(
        papers=papers,
        topics=topics,
        related=frozen_map(related),
        versions=frozen_map(versions),
        pages=frozen_map(pages),
        page_sources=frozen_map(page_sources),
        topics_source=display_path(content / "topics.yml", content.parent),
    )
    with timer.stage("search"):
        _fail_on(search.missing_lunr(), strict)
        search_files = search.build(catalogue)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out.parent) as tmp:
        staging = Path(tmp)
        with timer.stage("render"):
            render.render_site(catalogue, staging)
            icons.write(staging)
            search_files.write(staging)
        with timer.stage("exports"):
            exports.write(catalogue, staging)
        if after_render:
            after_render(staging)  # test hook: fail "halfway" after rendering
        with timer.stage("write"):
            written = sync_tree(staging, out)
    return BuildResult(catalogue, problems, timer.timings, written)


def sync_tree(src: Path, dst: Path) -> int:
    """Make ``dst`` equal to ``src``, replacing only changed files (each atomically).

    Syncing instead of swapping the folder keeps ``docs/`` the same directory, so
    ``mkdocs serve`` keeps watching it and reloads only what changed.
    """
    dst.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    changed = 0
    for rel in sorted(wanted):
        source, target = src / rel, dst / rel
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
        changed += 1
    for path in sorted(dst.rglob("*"), reverse=True):
        rel = path.relative_to(dst)
        if path.is_file() and rel not in wanted:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
