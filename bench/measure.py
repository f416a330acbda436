"""What `make bench` measures on a built site: sizes on disk, and search in headless
Chromium (Debian's /usr/bin/chromium via Playwright): bytes downloaded for search, time
from the first focus of the search box until the index is ready, and the time from
each keystroke to its results on screen."""

from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
from pathlib import Path

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


def paper_page_kb(site: Path) -> float:
    pages = list((site / "papers").glob("*/index.html"))
    return sum(p.stat().st_size for p in pages) / max(1, len(pages)) / 1e3


def largest_pages(site: Path, count: int = 3) -> list[tuple[str, int]]:
    """The ``count`` largest HTML pages of a built site, largest first: (path, bytes)."""
    sizes = []
    for folder, _, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                sizes.append((os.path.getsize(path), os.path.relpath(path, site)))
    return [(rel, size) for size, rel in sorted(sizes, reverse=True)[:count]]


def map_figures(site: Path) -> dict[str, float]:
    """The Map page's HTML, and its data files: how many, all of them and the first one
    (what a phone draws) gzipped."""
    page = site / "map" / "index.html"
    files = sorted((site / "assets" / "map").glob("*.json"))
    first = [f for f in files if f.name.startswith("r.")]
    if not page.is_file() or not first:
        return {}
    return {
        "map_kb": page.stat().st_size / 1e3, "map_files": len(files),
        "map_data_gz_mb": sum(gz(f) for f in files) / 1e6, "map_first_gz_kb": gz(first[0]) / 1e3,
    }  # fmt: skip


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_files(site: Path, stock: bool) -> list[Path]:
    """What a visitor downloads for search before its first answer (besides pages and
    Material's bundle); ours then fetches display shards for the hits it shows."""
    if stock:
        return [
            site / "search" / "search_index.json",
            *site.glob("assets/javascripts/workers/search.*.js"),
        ]
    manifest = json.loads((site / "assets/search/manifest.json").read_text())
    folder = site / "assets/search"
    # A tiered index: "index" is its head; term shards come for the words typed.
    return [
        folder / "manifest.json", folder / manifest["lunr"], folder / manifest["index"],
        folder / manifest["docs"], folder / manifest["spelling"],
        *(site / "assets/javascripts" / f"pc-search{part}.js"
          for part in ("", "-box", "-page", "-worker", "-index", "-engine")),
    ]  # fmt: skip


def site_figures(site: Path, stock: bool) -> dict[str, float]:
    """Sizes of a built site: all of it, a paper page, its largest pages, and what search
    downloads."""
    files = search_files(site, stock)
    index = files[0] if stock else files[2]  # Material's search_index.json; our index
    largest = largest_pages(site)
    figures = {} if stock else map_figures(site)
    return {
        **figures,
        "site_mb": folder_bytes(site) / 1e6, "paper_kb": paper_page_kb(site),
        "largest_pages": largest, "largest_page_kb": largest[0][1] / 1e3 if largest else None,
        "index_raw": index.stat().st_size, "index_gz": gz(index),
        "download_raw": sum(f.stat().st_size for f in files),
        "download_gz": sum(gz(f) for f in files),
    }  # fmt: skip


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

    from bench.firstresult import first_results
    from tests.gzipserve import serve_gzip

    url, server = serve_gzip(site)  # as GitHub Pages serves it: gzip, so bytes are real
    papers = (
        sorted(p.name for p in (site / "papers").iterdir()) if (site / "papers").is_dir() else []
    )
    page_path = f"papers/{papers[0]}/" if papers else "about/"
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
            first = first_results(browser, url, page_path, stock)
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
        **first,
    }
