"""Time and bytes to the first results, as a reader meets them: the box focused and a
query entered, from that focus (page already loaded and idle) and from navigating to a
paper page (the box focused as soon as the page's scripts have run). Bytes are what
Chromium received (bodies as sent, gzip-compressed as GitHub Pages sends them, and
headers) from that moment until the results are on screen, worker requests included."""

from __future__ import annotations

QUERY = "mixture of experts"
SETTLE_MS = 1000

# Focus the box, enter the query at once, wait for its results on screen; returns the
# time from the focus, or from the navigation's start (nav).
FIRST_JS = """
async ([q, stock, nav]) => {
  const t0 = nav ? 0 : performance.now();
  const input = document.querySelector(stock ? "[data-md-component=search-query]" : ".pc-search input");
  const done = new Promise((resolve) => {
    if (stock) {
      const meta = document.querySelector(".md-search-result__meta");
      const check = () => (/matching/i.test(meta.textContent) &&
        document.querySelector(".md-search-result__list li")) ? resolve() : setTimeout(check, 5);
      check();
    } else {
      document.querySelector(".pc-search").addEventListener("pc-search:results", function on(e) {
        if (e.detail.query === q) resolve();
      });
    }
  });
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  if (stock) input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "s" }));
  await done;
  await new Promise(requestAnimationFrame);
  return performance.now() - t0;
}
"""


def received(requests: list) -> int:
    """Bytes Chromium received for ``requests`` (bodies as sent, and headers)."""
    total = 0
    for request in requests:
        try:
            sizes = request.sizes()
        except Exception:  # a request without a response (aborted): nothing received
            continue
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def first_results(browser, url: str, page_path: str, stock: bool) -> dict[str, float]:
    """first_focus_ms/_b (box focused on a loaded, idle page) and first_nav_ms/_b (from
    navigating to ``page_path``), in bytes; each in a fresh context: a first visit."""
    out: dict[str, float] = {}
    for nav in (False, True):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        finished: list = []
        page.on("requestfinished", lambda request, into=finished: into.append(request))
        if nav:
            page.goto(url + page_path, wait_until="domcontentloaded")
        else:
            # The worker would start when the browser is idle: count from the focus.
            page.add_init_script("delete window.requestIdleCallback")
            page.goto(url + page_path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(SETTLE_MS)
            finished.clear()
        ms = page.evaluate(FIRST_JS, [QUERY, stock, nav])
        name = "first_nav" if nav else "first_focus"
        out[f"{name}_ms"], out[f"{name}_b"] = ms, received(list(finished))
        context.close()
    return out
