"""An independent check of search as a reader meets it (issue 27), apart from `make
bench`'s in-page measurement (bench/measure.py sets the box's value and listens to the
box's own ``pc-search:results`` event): here Chromium types real key presses into the
header box, and the harness watches only what a reader sees.

- **First results**: a fresh visit (cold cache), the page loaded and left idle for a
  second with idle preloading off (the worst case: nothing fetched before the focus),
  then a click into the box and the first query typed key by key. Reported: the time
  from the click until the results list first shows results, and the bytes Chromium
  received from the navigation's start until then (the page, its assets and the search
  files, as sent: gzip-compressed, as GitHub Pages sends them).
- **Keystrokes**: each later key of each query pressed at a typing pace, the time from
  the key's ``keydown`` to the next frame after the results list changed, with no
  query left pending (a key is pressed once the last one's results are shown).

    python -m bench.search_harness --site SITE_DIR [--delay MS] [--latency MS]

``--latency`` adds that many milliseconds to every request (Chromium's own network
emulation), as a phone network's round trip would: 127.0.0.1 answers in about 5 ms,
so without it a key that fetches a shard costs almost nothing for the fetch.

``SITE_DIR`` is a built site: ``make build``'s ``site/`` or ``python -m
bench.search_only --size 100000 --keep DIR``'s ``DIR/site``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Not the bench's TYPED: other words, a typo, a prefix, a field search.
QUERIES = [
    "speculative decoding", "graph neural network", "vision transformer",
    "federated learning", "diffusion model", "atention", "benchmark for code",
    "protein", "robot manipulation", "year:2024 agents",
]  # fmt: skip

# Key presses and renders, timed in the page: a render is the results list or its count
# line being rewritten, counted at the next frame, i.e. when it is painted.
WATCH_JS = """
window.__harness = { keys: [], shown: [] };
document.addEventListener("keydown", (e) => {
  if (e.target.closest && e.target.closest(".pc-search")) window.__harness.keys.push(e.timeStamp);
}, true);
new MutationObserver(() => {
  const list = document.querySelector(".pc-search [role=listbox]");
  const meta = document.querySelector(".pc-search .md-search-result__meta");
  if (!list || !meta || window.__harness.watching) return;
  window.__harness.watching = true;
  // Every answer rewrites the count line ("No matching papers" again too) and the list.
  const seen = new MutationObserver(() => {
    if (list.hasAttribute("aria-busy") || /Searching/.test(meta.textContent)) return;
    requestAnimationFrame(() => window.__harness.shown.push(performance.now()));
  });
  seen.observe(list, { childList: true });
  seen.observe(meta, { childList: true, characterData: true, subtree: true });
}).observe(document, { childList: true, subtree: true });
"""


def _shown_after(page, t: float, timeout_ms: float = 30_000) -> float:
    """The time of the first render painted after ``t`` (page clock, ms)."""
    page.wait_for_function(
        "(t) => window.__harness.shown.some((s) => s > t)", arg=t, timeout=timeout_ms
    )
    return page.evaluate("(t) => window.__harness.shown.find((s) => s > t)", t)


def _last_key(page) -> float:
    return page.evaluate("window.__harness.keys[window.__harness.keys.length - 1]")


def _type(page, text: str, delay_ms: float) -> list[float]:
    """Press each key of ``text``; each key's time from keydown to its results painted."""
    times = []
    for key in text:
        page.keyboard.press(key if key != " " else "Space")
        t = _last_key(page)
        times.append(_shown_after(page, t) - t)
        page.wait_for_timeout(delay_ms)
    return times


def measure(site: Path, delay_ms: float = 150, latency_ms: float = 0) -> dict[str, object]:
    """The figures above for ``site``, served gzip-compressed on 127.0.0.1."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from bench.firstresult import received
    from bench.measure import CHROMIUM, CHROMIUM_ARGS
    from tests.gzipserve import serve_gzip

    url, server = serve_gzip(site)
    page_path = "about/" if (site / "about").is_dir() else ""
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            if latency_ms:
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", {
                    "offline": False, "latency": latency_ms,
                    "downloadThroughput": -1, "uploadThroughput": -1,
                })  # fmt: skip
            finished: list = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.add_init_script("delete window.requestIdleCallback")
            page.add_init_script(WATCH_JS)
            page.goto(url + page_path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            box = page.locator(".pc-search input")
            t0 = page.evaluate("performance.now()")
            box.click()
            # The first key: the index loads. Its results, not the box's "Type to start
            # searching" on focus, are the first results.
            first_ms = _type(page, QUERIES[0][:1], delay_ms)[0] + _last_key(page) - t0
            first_bytes = received(list(finished))
            keys = _type(page, QUERIES[0][1:], delay_ms)
            for query in QUERIES[1:]:
                box.fill("")
                page.wait_for_timeout(delay_ms)
                keys += _type(page, query, delay_ms)
            browser.close()
    finally:
        server.shutdown()
    ordered = sorted(keys)
    return {
        "latency_ms": latency_ms,
        "first_results_ms": round(first_ms, 1),
        "bytes_before_first_results": first_bytes,
        "keystrokes": len(keys),
        "keystroke_p50_ms": round(statistics.median(ordered), 1),
        "keystroke_p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 1),
        "keystroke_max_ms": round(ordered[-1], 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_harness")
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--delay", type=float, default=150, help="ms between key presses")
    parser.add_argument("--latency", type=float, default=0, help="ms added to every request")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site, args.delay, args.latency), indent=1))


if __name__ == "__main__":
    main()
