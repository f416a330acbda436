"""Import benchmark (not a test): ``python -m bench.import_bench [--entries 10000]``.

Writes a synthetic BibTeX library as real exports look (``@string`` venues, month
macros, LaTeX accents and braces, arXiv eprints, Google Scholar "arXiv preprint"
journals, DOIs as URLs, wrapped abstracts on about half the entries, a few entries
repeated), copies content/ to a temporary folder, and times ``python -m generator
import`` on it twice: the first run writes every file, the second must change none.
Seeded, so the same size gives the same library.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import _abstract, _chain, _name

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Ana", "{\\L}ukasz", "J{\\\"o}rg", "Fran{\\c{c}}ois", "Mei", "Ji{\\v{r}}{\\'\\i}",
         "Olu", "Sven", "Priya", "Zo{\\\"e}"]  # fmt: skip
FAMILY = ["M{\\\"u}ller", "Garc{\\'\\i}a", "van der Berg", "Kowalski", "Chen", "Dvo{\\v{r}}{\\'a}k",
          "O'Neil", "Smith", "Nakamura", "Okafor"]  # fmt: skip
VENUES = {"neurips": "Advances in Neural Information Processing Systems",
          "icml": "International Conference on Machine Learning",
          "osdi": "USENIX Symposium on Operating Systems Design and Implementation",
          "tmlr": "Transactions on Machine Learning Research"}  # fmt: skip
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def make_library(n: int, seed: int = 1) -> str:
    """A BibTeX text with ``n`` entries."""
    import yaml

    rng = random.Random(seed)
    seed_papers = [yaml.safe_load(p.read_text(encoding="utf-8"))
                   for p in sorted((ROOT / "content" / "papers").glob("*.yml"))]  # fmt: skip
    chain = _chain([p.get("abstract", "") for p in seed_papers])
    words = sorted({w for p in seed_papers for w in p["title"].split() if w.isalpha()})
    parts = [f'@string{{{k} = "{v}"}}' for k, v in VENUES.items()]
    for i in range(n):
        name = _name(rng)
        title = f"{{{name}}}: " + " ".join(rng.sample(words, rng.randint(4, 9)))
        authors = " and ".join(
            f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 8))
        )
        fields = [f"title = {{{title}}}", f"author = {{{authors}}}",
                  f"year = {{{rng.randint(1990, 2025)}}}", f"month = {rng.choice(MONTHS)}"]  # fmt: skip
        kind = rng.random()
        if kind < 0.3:
            arxiv = f"{rng.randint(15, 25)}{rng.randint(1, 12):02}.{i:05}"
            fields += [f"eprint = {{{arxiv}v{rng.randint(1, 3)}}}", "archivePrefix = {arXiv}"]
        elif kind < 0.5:
            fields.append(f"journal = {{arXiv preprint arXiv:{rng.randint(15, 25)}01.{i:05}}}")
        elif kind < 0.8:
            fields += [f"booktitle = {rng.choice(list(VENUES))}",
                       f"doi = {{https://doi.org/10.5555/bench.{i}}}"]  # fmt: skip
        else:
            fields.append(f"journal = tmlr, url = {{https://example.org/papers/{i}.pdf}}")
        if rng.random() < 0.5:
            text = re.sub(r"[{}\\@%]", "", _abstract(rng, chain, name))  # keep BibTeX balanced
            wrapped = "\n    ".join(text[j : j + 80] for j in range(0, len(text), 80))
            fields.append(f"abstract = {{{wrapped}}}")
        entry = "@article{bench" + str(i) + ",\n  " + ",\n  ".join(fields) + ",\n}"
        parts.append(entry)
        if rng.random() < 0.01:  # the same paper exported twice under another key
            parts.append(entry.replace(f"{{bench{i},", f"{{bench{i}dup,", 1))
    return "\n\n".join(parts) + "\n"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(workdir: Path, library: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one import, and its summary line. CPU time is the
    figure to compare on a busy machine; on an idle one the two are about equal."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu, start = _cpu(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(library)],
        cwd=workdir, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    if result.returncode not in (0, 1):
        sys.exit(f"import failed:\n{result.stderr[-2000:]}")
    return seconds, cpu, "\n".join(result.stderr.splitlines()[-2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="library size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="papercat-import-bench-") as tmp:
        workdir = Path(tmp)
        shutil.copytree(ROOT / "content", workdir / "content")
        library = workdir / "library.bib"
        library.write_text(make_library(args.entries), encoding="utf-8")
        print(f"{args.entries:,} BibTeX entries ({library.stat().st_size / 1e6:.1f} MB) "
              f"into {len(list((workdir / 'content' / 'papers').glob('*.yml')))} papers")  # fmt: skip
        for run in ("first import", "second import (changes nothing)"):
            wall, cpu, summary = _run(workdir, library)
            print(f"{run}: {wall:.1f} s wall, {cpu:.1f} s CPU\n{summary}")


if __name__ == "__main__":
    main()
