"""Search alone at a size where the full build is too slow to repeat: the generator's
search stage over a synthetic catalogue, a MkDocs site of three pages around it, and
the same browser measurements as `make bench` (bench/run.py: download, ready after
focus, keystroke p50/p90). No stock Material beside it: its index covers every page.

    python -m bench.search_only --size 10000 [--content DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import measure_browser, search_files
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
    args = parser.parse_args(argv)
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
        result.update(measure_browser(site, stock=False))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
