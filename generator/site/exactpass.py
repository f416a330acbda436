"""``papercat serve``'s exact pass, in a process of its own so that a save can stop it.

    python -m generator.site.exactpass CONTENT DOCS CONFIG SITE STAGING RECORDS STATE

It runs what ``make build`` runs: the generator (``build.build``, the same function and
cache, so ``docs/`` ends exactly as a clean build leaves it), then MkDocs in-process
(``mkbuild.build``: pages whose Markdown and inputs are unchanged are hard-linked from
the served folder ``SITE``, the others rendered on every core) into ``STAGING``, and
the sitemap split as ``papercat site`` splits it. It leaves the server two files
beside their final names (``.pending``): MkDocs' records for the new site and the
state the next fast pass starts from (the related lists and the related-papers model,
``dump_state``; the server has the papers already). The server swaps ``STAGING`` in,
moves the two files into place and reloads the open pages. Exit status: 0 done, 1 content errors (printed as
``FILE:LINE`` problems), 2 the site could not be rendered.

It is stopped (its process group is killed) when a file is saved meanwhile, and
started again; files it was writing are atomic (docs/ file by file, the pending files
by rename), so a stopped pass leaves nothing half-written that the next one keeps.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

from generator.analysis import links
from generator.analysis.linkmodel import Model
from generator.build import build, cache_folder
from generator.catalogue.memo import fingerprint
from generator.catalogue.model import Catalogue, ContentError, Paper, Related, frozen_map
from generator.catalogue.report import print_problems
from generator.site import mkbuild
from generator.site.sitemaps import split_sitemap


def pending(path: Path) -> Path:
    """Where the exact pass leaves ``path`` until the server takes it."""
    return path.with_name(path.name + ".pending")


def docs_written(state: Path) -> Path:
    """The file the exact pass creates once docs/ is complete (beside ``state``)."""
    return state.with_name(state.name + ".docs-written")


def _mark(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # .cache/ is new on a fresh clone
    path.touch()


class Stale(ValueError):
    """The state was made from another set of papers than ``content/`` has now."""


def digest(paper: Paper) -> bytes:
    """What a paper is, in 16 bytes (its repr covers every field)."""
    return hashlib.blake2b(repr(paper).encode(), digest_size=16).digest()


# Stands in for a paper whose file changed after the exact pass read it: the next fast
# pass then finds it changed, and renders what shows it.
CHANGED = "\0 (changed since the exact pass read it)"


def dump_state(path: Path, catalogue: Catalogue, model: Model) -> None:
    """Write what the fast pass needs besides the papers, which the server reads itself:
    the related lists (as plain tuples, quick to read back), the tf-idf model and a
    digest of each paper as this pass read it (atomically, by rename)."""
    related = {pid: tuple((r.id, r.score, r.reason, r.explicit) for r in rel)
               for pid, rel in catalogue.related.items()}  # fmt: skip
    papers = [(p.id, digest(p)) for p in catalogue.papers]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as out:
        payload = (fingerprint(), papers, related, model.vectors, model.documents,
                   model.incidence)  # fmt: skip
        pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def load_state(path: Path, checked: Catalogue) -> tuple[Catalogue, Model]:
    """``checked`` (the server's own check of the content, without related papers) with
    the related lists and versions of the exact pass that ``dump_state`` wrote, and its
    model. A paper whose file changed since the pass read it gets a title no file has
    (``CHANGED``), so the next fast pass renders it. ``Stale`` if papers came or went
    meanwhile, ``ValueError`` if other code wrote it. (Our own file in .cache/, written
    by the exact pass.)"""
    with path.open("rb") as f:
        code, papers, related, vectors, documents, incidence = pickle.load(f)
    if code != fingerprint():
        raise ValueError("from another version of the generator's code")
    if [i for i, _ in papers] != [p.id for p in checked.papers]:
        raise Stale("made from other papers than content/ has now")
    read = tuple(p if digest(p) == d else replace(p, title=CHANGED)
                 for p, (_, d) in zip(checked.papers, papers, strict=True))  # fmt: skip
    lists = {pid: tuple(Related(*r) for r in items) for pid, items in related.items()}
    catalogue = replace(checked, papers=read, related=frozen_map(lists),
                        versions=frozen_map(links.versions(read)))  # fmt: skip
    topics = {t.id: t for t in checked.topics}
    return catalogue, Model(read, topics, vectors, documents, incidence)


def run(content: Path, docs: Path, config: Path, site: Path, staging: Path,
        records: Path, state: Path) -> int:  # fmt: skip
    """The exact pass (see the module docstring); returns the exit status."""
    start = time.perf_counter()
    try:
        result = build(content, docs, cache_dir=cache_folder(content), keep_model=True,
                       after_write=lambda: _mark(docs_written(state)))  # fmt: skip
    except ContentError as exc:
        print_problems(exc.problems)
        return 1
    generated = time.perf_counter()
    # At its first start the server serves once docs/ is written, rendering pages as
    # they are asked for; the state comes next, then MkDocs renders every page.
    assert result.model is not None
    dump_state(pending(state), result.catalogue, result.model)
    try:
        stats = mkbuild.build(config, staging, previous=site, cache=records)
    except Exception as exc:  # MkDocs' own errors, config errors: say so, serve the old site
        print(f"The site could not be rendered:\n{exc}", file=sys.stderr)
        return 2
    split_sitemap(staging)
    if stats.rendered >= 0:  # -1: plain `mkdocs build` ran (a plugin is on); no records
        mkbuild.save_cache(pending(records), site, stats)
    print(f"Exact pass: generator {generated - start:.1f} s, MkDocs "
          f"{time.perf_counter() - generated:.1f} s ({stats.rendered} pages rendered, "
          f"{stats.reused} unchanged)", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(run(*map(Path, sys.argv[1:8])))
