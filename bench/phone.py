"""Pages on a phone (issue 26): Lighthouse's scores with its mobile defaults (a Moto G
Power's screen, simulated slow 4G and a 4x slower CPU) on a site served gzip-compressed
as GitHub Pages serves it (tests/gzipserve.py), each page the median of three runs.

`make bench` measures the six pages of the seed catalogue (content/) and All papers,
search results and the Map of each synthetic catalogue of 10,000 papers or more;
`python -m bench.phone` measures the seed alone (`--sizes 10000` adds a synthetic
catalogue; `--record FILE` writes the table into the Performance page). A benchmark,
not a test: scores depend on the machine and on what else runs on it, so the load
average is printed with them. The parts that do not depend on timing (accessibility,
SEO, layout shift, console errors) are tests: tests/e2e/test_phone.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
SEED_TARGET, LARGE_TARGET = 95, 90  # performance, as issue 26 asks
SEED_PAGES = ("home", "a paper", "a topic", "search results", "All papers", "Map")
LARGE_PAGES = ("search results", "All papers", "Map")  # tests/lighthouse.py: PAGES
START, END = "<!-- phone:start -->", "<!-- phone:end -->"


def _warm(urls: list[str]) -> None:
    """Load each page once, so the server has compressed what they fetch: Pages serves
    compressed files from its cache, and a first compression is no part of a visit."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        browser.close()


def measure_site(site: Path, names: tuple[str, ...], runs: int = RUNS) -> dict[str, dict]:
    """Lighthouse ``runs`` times over the pages ``names`` (tests/lighthouse.py: PAGES) of
    the built ``site``, each run in a fresh Chromium; per page the median of each figure
    and the performance score of every run, with the load average before and after."""
    from tests.gzipserve import serve_gzip
    from tests.lighthouse import PAGES, lighthouse, metrics, score

    url, server = serve_gzip(site)
    try:
        urls = [url + PAGES[name] for name in names]
        _warm(urls)
        load_before = os.getloadavg()[0]
        figures: dict[str, list[dict]] = {name: [] for name in names}
        for k in range(runs):
            print(f"  Lighthouse run {k + 1} of {runs}", file=sys.stderr)
            for name, report in zip(names, lighthouse(urls), strict=True):
                row = metrics(report)
                row["accessibility"] = score(report, "accessibility")
                row["seo"] = score(report, "seo")
                figures[name].append(row)
        load_after = os.getloadavg()[0]
    finally:
        server.shutdown()
    out: dict[str, dict] = {}
    for name, rows in figures.items():
        out[name] = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        out[name]["runs"] = [r["performance"] for r in rows]
        out[name]["load"] = [round(load_before, 1), round(load_after, 1)]
    return out


def table(title: str, result: dict[str, dict], target: int) -> str:
    """One catalogue's figures as Markdown, with the target met or not."""
    rows = [
        f"| {name} | {r['performance']:.0f} ({', '.join(str(s) for s in r['runs'])}) | "
        f"{r['accessibility']:.0f} | {r['seo']:.0f} | {r['cls']:.2f} | {r['fcp'] / 1000:.1f} s | "
        f"{r['lcp'] / 1000:.1f} s | {r['tbt']:.0f} ms |"
        for name, r in result.items()
    ]
    lowest = min(r["performance"] for r in result.values())
    load = next(iter(result.values()))["load"]
    return "\n".join([
        f"#### {title}",
        "",
        "| page | performance (runs) | accessibility | SEO | layout shift | first paint | largest paint | blocking time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Lowest median performance {lowest:.0f} (target ≥ {target}: "
        f"{'met' if lowest >= target else 'not met'}); load average {load[0]} before the "
        f"runs, {load[1]} after (2 cores).",
        "",
    ])  # fmt: skip


def report(seed: dict[str, dict] | None, large: dict[int, dict[str, dict]]) -> str:
    """The phone figures of a run as Markdown: the seed, then each synthetic catalogue."""
    parts = [
        f"Lighthouse 12.2.3, mobile defaults, gzip as on GitHub Pages; medians of {RUNS} runs.",
        "",
    ]
    if seed:
        parts.append(table("Seed catalogue (content/)", seed, SEED_TARGET))
    for n, result in large.items():
        parts.append(table(f"{n:,} synthetic papers", result, LARGE_TARGET))
    return "\n".join(parts)


def seed_site(work: Path) -> Path:
    """The seed catalogue built as `make build` builds it, into ``work``."""
    from tests.conftest import build_site

    return build_site(ROOT / "content", work)


def record(page: Path, text: str) -> None:
    """Put ``text`` between the phone markers of ``page`` (the Performance page)."""
    content = page.read_text(encoding="utf-8")
    before, rest = content.split(START, 1)
    after = rest.split(END, 1)[1]
    page.write_text(f"{before}{START}\n{text}\n{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.phone", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", default="", help="synthetic catalogue sizes, comma-separated")
    parser.add_argument("--record", type=Path, help="write the figures into this Markdown page")
    args = parser.parse_args(argv)
    from bench.run import make_build
    from bench.synth import make_catalogue

    large: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="papercat-phone-") as tmp:
        print("seed catalogue: build, then Lighthouse", file=sys.stderr)
        seed = measure_site(seed_site(Path(tmp) / "seed"), SEED_PAGES)
        for n in [int(s) for s in args.sizes.split(",") if s]:
            work = Path(tmp) / f"n{n}"
            work.mkdir()
            shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")  # the nav's page
            print(f"[{n}] synthetic catalogue: build, then Lighthouse", file=sys.stderr)
            make_build(work, make_catalogue(n, work))
            large[n] = measure_site(work / "site", LARGE_PAGES)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"Run {when} on {platform.machine()}, {os.cpu_count()} cores.\n\n" + report(seed, large)
    print(text)
    if args.record:
        record(args.record, text)


if __name__ == "__main__":
    main()
