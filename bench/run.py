"""The benchmark: `make bench` (or `python -m bench --sizes 200,2000`).

For each catalogue size N it writes a synthetic catalogue (bench/synth.py) into a
temporary folder and times, with peak memory, what `make build` runs: the generator,
then MkDocs and the link check (generator/site/sitebuild.py). It then edits one abstract
and moves another paper to a new topic, and times the rebuild (`make build` again,
with its cache). Beside it, stock MkDocs + Material (its own search plugin
on) builds the same papers as plain Markdown pages. Then `make serve` is timed from
outside beside stock `mkdocs serve --dirty` (bench/serveloop.py): start-up, and for
saves of four kinds the time until the served page shows each and until it settles. Then search is measured in
headless Chromium (Debian's /usr/bin/chromium via Playwright) on both sites: bytes
downloaded for search, time from the first focus of the search box until the index
is ready, and the time from each keystroke to its results on screen.
It is a benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import phone, serveloop
from bench.measure import folder_bytes, measure_browser, paper_page_kb, site_figures
from bench.report import report, verdict
from bench.synth import make_catalogue

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int, str]:
    """Run a command; return (seconds, peak RSS in bytes, stderr)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return seconds, usage.ru_maxrss * 1024, err


def mkdocs_config(work: Path, stock: bool) -> Path:
    """Ours: the project's config on the generated docs/. Stock: MkDocs + Material out
    of the box (its search plugin included) on the same papers as plain pages."""
    if stock:
        path = work / "mkdocs-stock.yml"
        path.write_text(
            f"site_name: stock\ndocs_dir: {work / 'docs-plain'}\nsite_dir: {work / 'site-stock'}\n"
            "theme:\n  name: material\n"
            # Papers out of the nav, as ours: a nav of every paper grows quadratically.
            "nav:\n  - index.md\n  - about.md\nnot_in_nav: |\n  /papers/\n",
            encoding="utf-8",
        )
        return path
    # docs_dir relative to the config: Zensical 0.0.73 panics on some absolute ones.
    lines = [f"INHERIT: {ROOT / 'mkdocs.yml'}", "docs_dir: docs", f"site_dir: {work / 'site'}",
             f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}"]  # fmt: skip
    path = work / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plain_pages(content: Path, out: Path) -> None:
    """Each paper as a plain Markdown page (title, authors, abstract), for stock MkDocs."""
    import yaml

    (out / "papers").mkdir(parents=True)
    (out / "index.md").write_text("# Papers\n\nA synthetic catalogue.\n", encoding="utf-8")
    (out / "about.md").write_text("# About\n\nA synthetic catalogue.\n", encoding="utf-8")
    for path in sorted((content / "papers").glob("*.yml")):
        paper = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        text = f"# {paper['title']}\n\n{', '.join(paper['authors'])}\n\n{paper['abstract']}\n"
        (out / "papers" / f"{path.stem}.md").write_text(text, encoding="utf-8")


def edit_catalogue(content: Path, round_: int) -> None:
    """What a contributor does: one abstract edited, another paper moved to a new topic."""
    import yaml

    papers = sorted((content / "papers").glob("*.yml"))
    topics = [t["id"] for t in yaml.safe_load((content / "topics.yml").read_text())]
    for k, path in enumerate(papers[2 * round_ : 2 * round_ + 2]):
        paper = yaml.safe_load(path.read_text(encoding="utf-8"))
        if k == 0:
            paper["abstract"] = f"Edited in round {round_}. " + paper["abstract"]
        else:
            paper["topics"] = [next(t for t in topics if t not in paper["topics"])]
        path.write_text(yaml.safe_dump(paper, sort_keys=False, allow_unicode=True, width=100),
                        encoding="utf-8")  # fmt: skip


def make_build(work: Path, content: Path) -> tuple[float, int, dict[str, float]]:
    """`make build`: the generator, then MkDocs + link check (generator/site/sitebuild.py).
    Returns seconds, peak memory and the stage times."""
    gen_s, gen_rss, err = run(
        [sys.executable, "-m", "generator", "build", "--content", str(content),
         "--out", str(work / "docs"), "--verbose"]
    )  # fmt: skip
    site_s, site_rss, err2 = run(
        [sys.executable, "-m", "generator.site.sitebuild", "--config", str(mkdocs_config(work, False)),
         "--site-dir", str(work / "site"), "--verbose"]
    )  # fmt: skip
    stages = {m[0]: float(m[1]) for m in re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", err, re.M)}
    for name, sec in re.findall(r"^\s+(mkdocs|link check)\s+([\d.]+) s", err2, re.M):
        stages[name] = float(sec) * 1000
    stages["generator"], stages["site"] = gen_s * 1000, site_s * 1000
    return gen_s + site_s, max(gen_rss, site_rss), stages


def rebuilds(work: Path, content: Path, ours: dict) -> None:
    """After an edit: `make build` again (with its caches)."""
    n = ours["papers"]
    print(f"[{n}] make build after an edit (papercat)", file=sys.stderr)
    edit_catalogue(content, 1)
    ours["rebuild_s"], _, ours["rebuild_stages_ms"] = make_build(work, content)


def serve_loop(work: Path, content: Path, result: dict[str, dict], rounds: int) -> None:
    """`make serve` and stock `mkdocs serve --dirty`, timed from outside (serveloop.py)."""
    n = result["papercat"]["papers"]
    print(f"[{n}] make serve: start-up, then {rounds} rounds of four saves", file=sys.stderr)
    result["papercat"]["serve"] = serveloop.ours(work, content, rounds)
    if "stock" in result:
        print(f"[{n}] stock mkdocs serve --dirty: start-up, then {rounds} rounds", file=sys.stderr)
        result["stock"]["serve"] = serveloop.stock(work, mkdocs_config(work, True), rounds)


def zensical_build(work: Path, n: int) -> dict[str, float]:
    """`make build-zensical` on the docs/ just generated: Zensical renders, then the same
    link check. Run twice: Zensical keeps its own cache between runs."""
    out: dict[str, float] = {}
    cmd = [sys.executable, "-m", "generator.site.sitebuild", "--renderer", "zensical", "--config",
           str(mkdocs_config(work, False)), "--site-dir", str(work / "site-zensical")]  # fmt: skip
    for key in ("build_s", "rebuild_s"):
        print(f"[{n}] Zensical site build ({key})", file=sys.stderr)
        out[key], rss, _ = run(cmd)
        out["build_peak_mb"] = max(out.get("build_peak_mb", 0), rss / 1e6)
    out["site_mb"] = folder_bytes(work / "site-zensical") / 1e6
    out["paper_kb"] = paper_page_kb(work / "site-zensical")
    return out


def stock_build(work: Path) -> tuple[float, int]:
    """Stock MkDocs + Material on the plain pages: seconds and peak memory."""
    seconds, rss, _ = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                           str(mkdocs_config(work, True))])  # fmt: skip
    return seconds, rss


def full_builds(work: Path, content: Path, result: dict[str, dict], repeat: int) -> None:
    """``repeat - 1`` more clean full builds, ours then stock in turn, so that both meet
    the same moods of the machine; each side's ``build_s`` becomes the median of its
    runs, which are kept in ``build_runs_s`` (the stage times stay the first run's)."""
    ours, stock = result["papercat"], result.get("stock")
    sides = [ours, *([stock] if stock else [])]
    for side in sides:
        side["build_runs_s"] = [side["build_s"]]
    for k in range(2, repeat + 1):
        print(f"[{ours['papers']}] clean full builds, run {k} of {repeat}", file=sys.stderr)
        for folder in ("docs", "site", ".cache"):
            shutil.rmtree(work / folder, ignore_errors=True)
        ours["build_runs_s"].append(make_build(work, content)[0])
        if stock:
            stock["build_runs_s"].append(stock_build(work)[0])
    for side in sides:
        side["build_s"] = statistics.median(side["build_runs_s"])


def bench_size(
    n: int,
    base: Path,
    with_stock: bool,
    browser: bool = True,
    zensical: bool = True,
    edits: bool = True,
    repeat: int = 1,
    lighthouse: bool = True,
    serve_rounds: int = 5,
    keep: Path | None = None,
) -> dict[str, dict]:
    work = base / f"n{n}"
    work.mkdir()
    t0 = time.perf_counter()
    content = make_catalogue(n, work)
    shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")  # the nav's Contribute page
    print(f"[{n}] synthetic catalogue written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(f"[{n}] make build (papercat)", file=sys.stderr)
    build_s, build_rss, stages = make_build(work, content)
    site = work / "site"
    ours = {"papers": n, "build_s": build_s, "build_peak_mb": build_rss / 1e6,
            "stages_ms": stages, **site_figures(site, stock=False)}  # fmt: skip
    if edits:
        rebuilds(work, content, ours)
    result = {"papercat": ours}
    if zensical:
        result["zensical"] = zensical_build(work, n)
    if with_stock:
        print(f"[{n}] mkdocs build (stock Material, plain pages)", file=sys.stderr)
        plain_pages(content, work / "docs-plain")
        stock_s, stock_rss = stock_build(work)
        result["stock"] = {"build_s": stock_s, "build_peak_mb": stock_rss / 1e6,
                           **site_figures(work / "site-stock", stock=True)}  # fmt: skip
    if repeat > 1:
        full_builds(work, content, result, repeat)
    if edits and serve_rounds > 0:
        serve_loop(work, content, result, serve_rounds)
    if browser:
        for name, folder in (("papercat", site), ("stock", work / "site-stock")):
            if name in result:
                print(f"[{n}] measuring search in Chromium ({name})", file=sys.stderr)
                try:
                    result[name].update(measure_browser(folder, name == "stock"))
                except Exception as exc:  # e.g. the tab crashed: say so and go on
                    print(f"[{n}] search in Chromium ({name}) failed: {exc}", file=sys.stderr)
                    result[name]["browser_error"] = str(exc).splitlines()[0]
    if browser and lighthouse and n >= 10_000:
        print(f"[{n}] Lighthouse on a phone: {', '.join(phone.LARGE_PAGES)}", file=sys.stderr)
        result["phone"] = phone.measure_site(site, phone.LARGE_PAGES)
    if keep:  # moved, not copied: at 100,000 papers the two sites are 4 GB
        for folder in ("site", "site-stock"):
            if (work / folder).is_dir():
                keep.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(keep / f"n{n}-{folder}", ignore_errors=True)
                shutil.move(work / folder, keep / f"n{n}-{folder}")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="200,2000,10000", help="catalogue sizes, comma-separated"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock MkDocs build")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timings")
    parser.add_argument("--no-zensical", action="store_true", help="skip the Zensical build")
    parser.add_argument(
        "--no-edits", action="store_true",
        help="skip the rebuild after an edit and the serve measurements",
    )  # fmt: skip
    parser.add_argument(
        "--serve-rounds", type=int, default=5, metavar="N",
        help="rounds of the four saves timed in make serve (0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="N clean full builds of each, ours and stock in turn; medians are reported",
    )  # fmt: skip
    parser.add_argument(
        "--no-lighthouse", action="store_true",
        help="skip Lighthouse's phone scores (seed pages; 10,000 papers and more)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="keep the built sites as DIR/n<size>-site and DIR/n<size>-site-stock "
        "(e.g. for python -m bench.search_harness)",
    )  # fmt: skip
    parser.add_argument("--record", type=Path, help="write the figures into this Markdown page")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "results.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, dict]] = {}
    lighthouse = not args.no_browser and not args.no_lighthouse
    seed = None
    with tempfile.TemporaryDirectory(prefix="papercat-bench-") as tmp:
        if lighthouse:
            print("seed catalogue: build, then Lighthouse on a phone", file=sys.stderr)
            seed = phone.measure_site(phone.seed_site(Path(tmp) / "seed"), phone.SEED_PAGES)
        for n in sizes:
            results[n] = bench_size(
                n,
                Path(tmp),
                not args.no_stock,
                not args.no_browser,
                not args.no_zensical,
                not args.no_edits,
                max(1, args.repeat),
                lighthouse,
                args.serve_rounds,
                args.keep,
            )
            print(report({n: results[n]}), file=sys.stderr)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"Run {when} on {machine}.\n\n" + report(results) + "\n" + verdict(results) + "\n"
    large = {n: r["phone"] for n, r in results.items() if "phone" in r}
    phone_text = phone.report(seed, large) if lighthouse else ""
    print(text + ("\n### On a phone\n\n" + phone_text if phone_text else ""))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    out = {"when": when, "machine": machine, "results": results, "phone_seed": seed}
    args.json.write_text(json.dumps(out, indent=1))
    if args.record:
        page = args.record.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        before, rest = page.split(start, 1)
        after = rest.split(end, 1)[1]
        args.record.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")
        if phone_text:
            phone.record(args.record, f"Run {when} on {machine}.\n\n{phone_text}")
