"""Search alone at a size where the full build is too slow to repeat: the generator's
search stage over a synthetic catalogue, a MkDocs site of three pages around it, and
the same browser measurements as `make bench` (bench/run.py: download, ready after
focus, keystroke p50/p90). No stock Material beside it: its index covers every page.

    python -m bench.search_only --size 10000 [--content DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import TYPED, measure_browser, search_files
from bench.run import ROOT, mkdocs_config, run
from bench.synth import make_catalogue


def catalogue(content: Path):
    """The catalogue of ``content``, loaded and validated as the build does (no links)."""
    sys.path.insert(0, str(ROOT))
    from generator.catalogue.load import load_tree
    from generator.catalogue.model import Catalogue, frozen_map
    from generator.catalogue.validate import validate

    paper_records, topic_records, _ = load_tree(content)
    papers, topics, _ = validate(paper_records, topic_records)
    empty = frozen_map({})
    return Catalogue(papers=papers, topics=topics, related=empty, versions=empty,
                     pages=empty, page_sources=empty, topics_source="topics.yml")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_only")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--content", type=Path, help="an existing synthetic content/ folder")
    parser.add_argument("--tier", type=int, help="tier the index from this many papers")
    parser.add_argument("--compare", type=int, default=0, help="queries to compare with one file")
    parser.add_argument("--keep", type=Path, help="copy the built site to DIR/site")
    args = parser.parse_args(argv)
    if args.tier is not None:
        os.environ["PAPERCAT_SEARCH_TIER"] = str(args.tier)
    from generator.exports import searchfiles

    with tempfile.TemporaryDirectory(prefix="papercat-search-bench-") as tmp:
        work = Path(tmp)
        content = args.content or make_catalogue(args.size, work)
        t0 = time.perf_counter()
        cat = catalogue(content)
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        bundle = searchfiles.build(cat)
        stage = time.perf_counter() - t0
        docs = work / "docs"
        bundle.write(docs)
        # The pages the project's nav names, as stubs (MkDocs runs in strict mode).
        for page in ("index", "about", "topics/index", "all-papers", "map", "contributing"):
            (docs / f"{page}.md").parent.mkdir(parents=True, exist_ok=True)
            (docs / f"{page}.md").write_text(f"# {page}\n", encoding="utf-8")
        run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
             str(mkdocs_config(work, stock=False))])  # fmt: skip
        site = work / "site"
        files = search_files(site, stock=False)
        manifest = json.loads((site / "assets/search/manifest.json").read_text())
        shards = [site / "assets/search" / name for name in manifest["shards"]]
        result = {
            "papers": len(cat.papers), "load_s": loaded, "search_stage_s": stage,
            "files_gz": {f.name: len(gzip.compress(f.read_bytes(), 6)) for f in files},
            "download_gz": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files),
            # What results show, fetched a shard at a time for the hits on screen.
            "shards": len(shards), "shards_gz": sum(len(gzip.compress(f.read_bytes(), 6)) for f in shards),
        }  # fmt: skip
        result["term_shards"] = len(manifest.get("term_shards", []))
        if args.compare:
            result["compare"] = compare(cat, docs, work / "single", args.compare)
        result.update(measure_browser(site, stock=False))
        if args.keep:  # e.g. for python -m bench.search_harness --site DIR/site
            shutil.copytree(site, args.keep / "site", dirs_exist_ok=True)
    print(json.dumps(result, indent=1))


def queries(cat, k: int) -> list[str]:
    """The bench's typed queries, each prefix of them a keystroke gives, then words
    of random titles (one to three, some cut to a prefix), ``k`` in all."""
    from generator.analysis.search import tokenize

    out = list(dict.fromkeys(q[:i] for q in TYPED for i in range(3, len(q) + 1) if q[i - 1] != " "))
    rng = random.Random(7)
    while len(out) < k:
        words = tokenize(rng.choice(cat.papers).title)
        pick = rng.sample(words, min(len(words), rng.randint(1, 3)))
        if rng.random() < 0.3:
            pick[-1] = pick[-1][: max(3, len(pick[-1]) - 2)]
        out.append(" ".join(pick))
    return out[:k]


def compare(cat, tiered_docs: Path, single_docs: Path, k: int) -> dict[str, object]:
    """The top 10 (ids and scores) of ``k`` queries from the tiered index and from one
    file built from the same catalogue, by the worker's engine in node."""
    from generator.exports import searchfiles
    from tests.test_search_index import run_node

    os.environ["PAPERCAT_SEARCH_TIER"] = str(len(cat.papers) + 1)
    searchfiles.build(cat).write(single_docs)
    asked = queries(cat, k)
    request = {"scored": asked, "limit": 10}
    a, b = run_node(single_docs, request)["scored"], run_node(tiered_docs, request)["scored"]
    differ = [q for q, x, y in zip(asked, a, b, strict=True) if x != y]
    return {"queries": len(asked), "same_top10": len(asked) - len(differ), "differ": differ[:5]}


if __name__ == "__main__":
    main()
