"""The build: one straight function, stage by stage.

Order matters: validation must see every file before anything is derived from it;
topics and links are whole-catalogue computations done once, before rendering, so
every page sees the same data; the search index and exports read the finished
catalogue (the search index and the map, which need no related papers, are made in a
forked child while links run). Pages are rendered into memory and the other files into
a temporary folder; only then is ``docs/`` synced, so a failed build never leaves a
half-written site.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.analysis import fieldmap, links
from generator.analysis.linkmodel import Model
from generator.catalogue.handwritten import load_pages
from generator.catalogue.load import display_path, load_tree
from generator.catalogue.memo import Memo, Part
from generator.catalogue.model import Catalogue, ContentError, Problem, frozen_map
from generator.catalogue.validate import validate
from generator.exports import papers as exports
from generator.exports import searchfiles
from generator.render import icons
from generator.render import pages as render
from generator.render.forked import Forked
from generator.render.limits import DEFAULT, Limits


@dataclass
class BuildResult:
    catalogue: Catalogue
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    seconds: float = 0.0  # wall time: search overlaps links
    reused: int = 0  # per-paper results taken from the memo (memo.py)
    computed: int = 0  # ... and computed
    model: Model | None = None  # with build(keep_model=True): for serve's fast pass


class _Timer:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.timings: dict[str, float] = {}
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def record(self, name: str, seconds: float) -> None:
        self.timings[name] = seconds
        if self.verbose:
            print(f"  {name:<13} {seconds * 1000:8.1f} ms", file=sys.stderr)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.record(name, time.perf_counter() - start)


def cache_folder(content: Path) -> Path:
    """``.cache/papercat/`` beside ``content/`` (where sitebuild keeps its cache too)."""
    return content.resolve().parent / ".cache" / "papercat"


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
    cache_dir: Path | None = None,
    limits: Limits = DEFAULT,
    keep_model: bool = False,
    after_write: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the Markdown site for ``content`` into ``out``; raise ContentError on errors.

    With ``cache_dir``, per-paper results (citations, paper pages) whose inputs did not
    change since the last build come from the memo there (memo.py); the output is the
    same as without it. ``limits`` says when a long page is split (tests lower them).
    With ``keep_model``, the result keeps the tf-idf model that
    related papers came from (``linkmodel``, for ``papercat serve``); ``after_write`` is
    called once ``out`` is complete, before the memo is saved (``papercat serve``
    serves from then on)."""
    timer = _Timer(verbose)
    memo = Memo.in_folder(cache_dir)
    with timer.stage("load"):
        paper_records, topic_records, problems = load_tree(content, memo)
        pages, page_sources, page_problems = load_pages(content)
        problems += page_problems
    with timer.stage("validate"):
        papers, topics, found = validate(paper_records, topic_records)
        problems = sorted(problems + found)
        _fail_on(problems, strict)
    with timer.stage("topics"):
        pass  # the taxonomy is validated; per-topic lists are derived in render
    _fail_on(searchfiles.missing_lunr(), strict)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out.parent) as tmp:
        staging = Path(tmp)

        def search_and_map() -> tuple[tuple[dict[str, float], fieldmap.FieldMap], Part]:
            side = _Timer(verbose=False)
            bare = Catalogue(papers=papers, topics=topics)
            with side.stage("search"):
                searchfiles.build(bare).write(staging)
            with side.stage("map"):
                field_map = fieldmap.field_map(bare)
            with side.stage("bibtex"):
                exports.write_bib(bare, staging, memo)
            return side.timings, field_map

        # The search index, the map and papers.bib need neither related papers nor
        # pages: they are made on the other core while links run, forked while the heap
        # is still small (after a fork, every page either process writes to is copied)
        # and before the parent has started any thread pool. The memo entries made in
        # the child go back to the parent (memo.Part), which saves the memo.
        child = Forked(lambda: memo.apart(search_and_map))
        try:
            with timer.stage("links"):
                related, vectors = links.related(papers, topics, keep=keep_model)
                versions = links.versions(papers)
        except BaseException:
            child.cancel()
            raise
        catalogue = Catalogue(
            papers=papers,
            topics=topics,
            related=frozen_map(related),
            versions=frozen_map(versions),
            pages=frozen_map(pages),
            page_sources=frozen_map(page_sources),
            topics_source=display_path(content / "topics.yml", content.parent),
        )
        waited = 0.0

        def map_from_child() -> fieldmap.FieldMap:
            nonlocal waited
            start = time.perf_counter()
            (side_timings, field_map), part = child.result()
            waited = time.perf_counter() - start
            memo.merge(part)
            for name, seconds in side_timings.items():
                timer.record(name, seconds)
            return field_map

        # Exports and every page but the map need nothing from the child, so they are
        # made while it finishes (at 10,000 papers it can outlast related papers).
        try:
            with timer.stage("exports"):
                exports.write(catalogue, staging)
            start = time.perf_counter()
            rendered = render.render_pages(catalogue, memo, map_from_child, limits)
            icons.write(staging)
            timer.record("render", time.perf_counter() - start - waited)
            timer.record("waiting", waited)  # for the forked child, after all the above
        except BaseException:
            child.cancel()
            raise
        if after_render:
            after_render(staging)  # test hook: fail "halfway" after rendering
        with timer.stage("write"):
            written = sync_tree(staging, out, rendered)
            if after_write:
                after_write()
            memo.save()
    model = Model.of(papers, topics, vectors) if keep_model else None
    return BuildResult(
        catalogue, problems, timer.timings, written, timer.elapsed(), memo.hits, memo.misses, model
    )


def sync_tree(src: Path, dst: Path, extra: Mapping[str, str] | None = None) -> int:
    """Make ``dst`` equal to ``src`` plus the ``extra`` files (path relative to ``dst``
    -> text), replacing only changed files (each atomically); return how many changed.

    Syncing instead of swapping the folder keeps ``docs/`` the same directory, so
    ``mkdocs serve`` keeps watching it and reloads only what changed.
    """
    dst.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path | bytes] = {
        p.relative_to(src).as_posix(): p for p in src.rglob("*") if p.is_file()
    }
    wanted.update((rel, text.encode("utf-8")) for rel, text in (extra or {}).items())
    changed = 0
    for rel in sorted(wanted):
        source, target = wanted[rel], dst / rel
        data = source.read_bytes() if isinstance(source, Path) else source
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except OSError:  # not there yet (or a folder in the way: replaced below)
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed += 1
    # Stale files, then folders left empty, deepest first (os.walk: pathlib's rglob of
    # docs/ and sorting its paths took a second at 10,000 papers; the staging folder
    # above holds only search files, exports and icons).
    for folder, _, names in os.walk(dst, topdown=False):
        base = os.path.relpath(folder, dst)
        for name in names:
            rel = name if base == "." else f"{base}/{name}"
            if rel not in wanted:
                os.unlink(os.path.join(folder, name))
                changed += 1
        if folder != str(dst) and not os.listdir(folder):
            os.rmdir(folder)
    return changed
