"""The search benchmark: `make bench` (or `python -m bench --sizes 200,2000`).

For each catalogue size N it writes a synthetic catalogue (bench/synth.py) into a
temporary folder, runs the generator and a MkDocs build (time and peak memory of
each), then measures search in headless Chromium (Debian's /usr/bin/chromium via
Playwright): bytes downloaded for search, time from the first focus of the search box
until the index is ready, and the time from each keystroke to its results on screen.
The same catalogue is then built with Material's own search plugin and measured the
same way (its worker builds the index in the page), and both are printed side by side.
It is a benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import make_catalogue

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PAPERCAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
# Queries typed one character at a time; every keystroke is one measurement.
TYPED = [
    "mixture of experts", "distillation", "serving throughput", "kv cache",
    "reinforcement learning", "quantization", "retrieval augmented", "scaling laws",
    "sparse attention", "language model",
]  # fmt: skip
READY_RUNS = 3  # cold loads per site; the median is reported
SETTLE_MS = 1000  # after network idle, before the first focus
TARGETS = {"ready_ms": 1000, "p90_ms": 50, "download_gz": 2_000_000}


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
    """A config inheriting the project's: ours as is, or with Material's search plugin
    and no papercat search (an empty custom_dir)."""
    site = work / ("site-stock" if stock else "site")
    lines = [f"INHERIT: {ROOT / 'mkdocs.yml'}", f"docs_dir: {work / 'docs'}", f"site_dir: {site}"]
    if stock:
        (work / "no-overrides").mkdir(exist_ok=True)
        lines += [
            f"theme:\n  name: material\n  custom_dir: {work / 'no-overrides'}",
            "plugins:\n  - search",
        ]
    else:
        lines += [f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}"]
    path = work / ("mkdocs-stock.yml" if stock else "mkdocs.yml")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_files(site: Path, stock: bool) -> list[Path]:
    """What a visitor downloads for search (besides pages and Material's bundle)."""
    if stock:
        return [
            site / "search" / "search_index.json",
            *site.glob("assets/javascripts/workers/search.*.js"),
        ]
    manifest = json.loads((site / "assets/search/manifest.json").read_text())
    folder = site / "assets/search"
    return [
        folder / "manifest.json", folder / manifest["lunr"], folder / manifest["index"],
        folder / manifest["docs"], site / "assets/javascripts/pc-search.js",
        site / "assets/javascripts/pc-search-worker.js",
    ]  # fmt: skip


# Page-side measurement: type each query a character at a time; for each keystroke the
# time from the input event to its results on screen.
KEYSTROKES_JS = """
async ([queries, stock]) => {
  const input = document.querySelector(stock ? "[data-md-component=search-query]" : ".pc-search input");
  const list = document.querySelector(stock ? "[data-md-component=search-result]" : ".pc-search");
  const times = [];
  for (const q of queries) {
    for (let i = 1; i <= q.length; i++) {
      const text = q.slice(0, i);
      if (text.endsWith(" ")) continue;
      const done = new Promise((resolve) => {
        if (stock) {
          const obs = new MutationObserver(() => { obs.disconnect(); resolve(); });
          obs.observe(list, { childList: true, subtree: true, characterData: true });
          setTimeout(() => { obs.disconnect(); resolve(); }, 2000);
        } else {
          const on = (e) => { if (e.detail.query === text) { list.removeEventListener("pc-search:results", on); resolve(); } };
          list.addEventListener("pc-search:results", on);
        }
      });
      const t0 = performance.now();
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      if (stock) input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: text.slice(-1) }));
      await done;
      await new Promise(requestAnimationFrame);
      times.push(performance.now() - t0);
    }
    input.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}
"""


def _ready(page, url: str, stock: bool, settle: bool) -> float:
    """Milliseconds until search answers: from the first focus (ours), or from the
    page start (Material's worker starts at page load). With ``settle``, the first focus
    comes once the page is idle; without, right at the load event, while Material's
    instant navigation is still reading sitemap.xml on the main thread."""
    # Cold start: no loading while idle, so the time counts from the first focus.
    page.add_init_script("delete window.requestIdleCallback")
    page.goto(url + "about/")
    page.wait_for_load_state("load")
    if settle and not stock:
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(SETTLE_MS)
    if stock:
        # Material's worker starts building at page load; time until it answers.
        return page.evaluate(
            """async () => {
              const input = document.querySelector("[data-md-component=search-query]");
              const meta = document.querySelector(".md-search-result__meta");
              input.focus();
              input.value = "model";
              input.dispatchEvent(new Event("input", { bubbles: true }));
              input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "l" }));
              while (!/matching/.test(meta.textContent)) await new Promise(r => setTimeout(r, 5));
              return performance.now();  // since the page started loading
            }"""
        )
    return page.evaluate(
        """async () => {
              const t0 = performance.now();
              document.querySelector(".pc-search input").focus();
              await window.pcSearch.ready;
              return performance.now() - t0;
            }"""
    )


def measure_browser(site: Path, stock: bool) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.conftest import serve

    url, server = serve(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            readies: dict[bool, list[float]] = {False: [], True: []}
            for settle in (False, True) if not stock else (True,):
                for _ in range(READY_RUNS):
                    # A fresh context each time: a cold cache, as for a first visit.
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    readies[settle].append(_ready(page, url, stock, settle))
                    if len(readies[settle]) < READY_RUNS or not settle:
                        context.close()
            times = page.evaluate(KEYSTROKES_JS, [TYPED, stock])
            browser.close()
    finally:
        server.shutdown()
    times.sort()
    return {
        "ready_ms": statistics.median(readies[True]),
        "ready_runs_ms": readies[True],
        "ready_at_load_ms": statistics.median(readies[False]) if readies[False] else None,
        "p50_ms": statistics.median(times),
        "p90_ms": times[int(len(times) * 0.9) - 1],
        "keystrokes": len(times),
    }


def bench_size(n: int, base: Path, with_stock: bool) -> dict[str, dict]:
    work = base / f"n{n}"
    work.mkdir()
    t0 = time.perf_counter()
    content = make_catalogue(n, work)
    print(f"[{n}] synthetic catalogue written in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    gen_s, gen_rss, err = run(
        [sys.executable, "-m", "generator", "build", "--content", str(content),
         "--out", str(work / "docs"), "--verbose"]
    )  # fmt: skip
    stages = {m[0]: float(m[1]) for m in re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", err, re.M)}
    out: dict[str, dict] = {}
    for stock in (False, True) if with_stock else (False,):
        name = "stock" if stock else "papercat"
        print(f"[{n}] mkdocs build ({name})", file=sys.stderr)
        mk_s, mk_rss, _ = run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                               str(mkdocs_config(work, stock))])  # fmt: skip
        site = work / ("site-stock" if stock else "site")
        files = search_files(site, stock)
        index = files[0] if stock else files[2]
        result = {
            "generator_s": gen_s, "generator_peak_mb": gen_rss / 1e6, "stages_ms": stages,
            "mkdocs_s": mk_s, "mkdocs_peak_mb": mk_rss / 1e6, "site_mb": folder_bytes(site) / 1e6,
            "index_raw": index.stat().st_size, "index_gz": gz(index),
            "download_raw": sum(f.stat().st_size for f in files),
            "download_gz": sum(gz(f) for f in files),
        }  # fmt: skip
        print(f"[{n}] measuring in Chromium ({name})", file=sys.stderr)
        result.update(measure_browser(site, stock))
        out[name] = result
    return out


def fmt_row(label: str, ours: float, stock: float | None, unit: str, digits: int = 0) -> str:
    def f(x: float) -> str:
        return f"{x:,.{digits}f} {unit}".strip()

    if stock is None:
        return f"| {label} | {f(ours)} | | |"
    ratio = f"{stock / ours:.1f}×" if ours else ""
    return f"| {label} | {f(ours)} | {f(stock)} | {ratio} |"


def report(results: dict[int, dict[str, dict]]) -> str:
    """A Markdown table per size: ours, stock Material, and stock / ours."""
    lines = []
    for n, r in results.items():
        ours, stock = r["papercat"], r.get("stock", {})
        s = stock.get
        stages = ", ".join(f"{k} {v:,.0f}" for k, v in ours["stages_ms"].items())
        lines += [
            f"### {n:,} papers",
            "",
            "| | papercat (prebuilt index) | Material search | Material / papercat |",
            "| --- | ---: | ---: | ---: |",
            fmt_row(f"search ready (median of {READY_RUNS} cold loads)", ours["ready_ms"], s("ready_ms"), "ms"),
            fmt_row("search ready, focused at the load event", ours["ready_at_load_ms"], s("ready_ms"), "ms"),
            fmt_row("keystroke to results, p50", ours["p50_ms"], s("p50_ms"), "ms", 1),
            fmt_row("keystroke to results, p90", ours["p90_ms"], s("p90_ms"), "ms", 1),
            fmt_row("downloaded for search (gzip)", ours["download_gz"] / 1e6, (s("download_gz") or 0) / 1e6 or None, "MB", 2),
            fmt_row("index file, raw", ours["index_raw"] / 1e6, (s("index_raw") or 0) / 1e6 or None, "MB", 2),
            fmt_row("index file, gzip", ours["index_gz"] / 1e6, (s("index_gz") or 0) / 1e6 or None, "MB", 2),
            fmt_row("mkdocs build", ours["mkdocs_s"], s("mkdocs_s"), "s", 1),
            fmt_row("mkdocs peak memory", ours["mkdocs_peak_mb"], s("mkdocs_peak_mb"), "MB"),
            fmt_row("site size", ours["site_mb"], s("site_mb"), "MB", 1),
            fmt_row("generator build", ours["generator_s"], None, "s", 1),
            fmt_row("generator peak memory", ours["generator_peak_mb"], None, "MB"),
            "",
            f"Generator stages (ms): {stages}. Keystrokes measured: {ours['keystrokes']}.",
            "",
        ]  # fmt: skip
    return "\n".join(lines)


def verdict(results: dict[int, dict[str, dict]]) -> str:
    biggest = max(results)
    ours = results[biggest]["papercat"]
    checks = [
        f"ready {ours['ready_ms']:.0f} ms (target ≤ {TARGETS['ready_ms']})",
        f"p90 keystroke {ours['p90_ms']:.1f} ms (target ≤ {TARGETS['p90_ms']})",
        f"download {ours['download_gz'] / 1e6:.2f} MB gzip (target ≤ {TARGETS['download_gz'] / 1e6:.0f})",
    ]
    ok = all(ours[k] <= v for k, v in TARGETS.items())
    return (
        f"At {biggest:,} papers: "
        + "; ".join(checks)
        + (". All targets met." if ok else ". NOT all targets met.")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="200,2000,10000", help="catalogue sizes, comma-separated"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip stock Material search")
    parser.add_argument("--record", type=Path, help="write the figures into this Markdown page")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "results.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="papercat-bench-") as tmp:
        for n in sizes:
            results[n] = bench_size(n, Path(tmp), not args.no_stock)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"Run {when} on {machine}.\n\n" + report(results) + "\n" + verdict(results) + "\n"
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"when": when, "machine": machine, "results": results}, indent=1)
    )
    if args.record:
        page = args.record.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        before, rest = page.split(start, 1)
        after = rest.split(end, 1)[1]
        args.record.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")
