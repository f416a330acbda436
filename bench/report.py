"""The figures of `make bench` as Markdown: a table per size, ours beside stock."""

from __future__ import annotations

import statistics

from bench.measure import READY_RUNS


def fmt_row(label: str, ours: float | None, stock: float | None, unit: str, digits: int = 0) -> str:
    def f(x: float | None) -> str:
        return "" if x is None else f"{x:,.{digits}f} {unit}".strip()

    if ours is None:
        return ""
    ratio = f"{ours / stock:.2f}×" if ours and stock else ""
    return f"| {label} | {f(ours)} | {f(stock)} | {ratio} |"


def report(results: dict[int, dict[str, dict]]) -> str:
    """A Markdown table per size: ours, stock (MkDocs + Material, plain pages with its
    own search), and ours / stock."""
    lines = []
    for n, r in results.items():
        ours, stock = r["papercat"], r.get("stock", {})
        o, s = ours.get, stock.get
        mb = lambda d, k: d.get(k) / 1e6 if d.get(k) is not None else None  # noqa: E731
        stages = ", ".join(f"{k} {v:,.0f}" for k, v in ours["stages_ms"].items())
        again = ", ".join(f"{k} {v:,.0f}" for k, v in ours.get("rebuild_stages_ms", {}).items())
        runs = len(ours.get("build_runs_s", [])) or 1
        median = f", median of {runs} clean runs" if runs > 1 else ""
        rows = [
            fmt_row(f"`make build` (generator + MkDocs + link check){median}", o("build_s"), s("build_s"), "s", 1),
            fmt_row("rebuild after editing one abstract and one paper's topics", o("rebuild_s"), s("build_s"), "s", 1),
            fmt_row("peak memory of the build", o("build_peak_mb"), s("build_peak_mb"), "MB"),
            fmt_row("site size", o("site_mb"), s("site_mb"), "MB", 1),
            fmt_row("paper page, average HTML", o("paper_kb"), s("paper_kb"), "KB", 1),
            fmt_row("largest HTML page", o("largest_page_kb"), s("largest_page_kb"), "KB", 1),
            fmt_row(f"search ready (median of {READY_RUNS} cold loads)", o("ready_ms"), s("ready_ms"), "ms"),
            fmt_row("search ready, focused at the load event", o("ready_at_load_ms"), s("ready_ms"), "ms"),
            fmt_row("keystroke to results, p50", o("p50_ms"), s("p50_ms"), "ms", 1),
            fmt_row("keystroke to results, p90", o("p90_ms"), s("p90_ms"), "ms", 1),
            fmt_row("first results, from the box's focus", o("first_focus_ms"), s("first_focus_ms"), "ms"),
            fmt_row("first results, from navigating to a paper page", o("first_nav_ms"), s("first_nav_ms"), "ms"),
            fmt_row("downloaded before the first results, from focus (gzip)", mb(ours, "first_focus_b"), mb(stock, "first_focus_b"), "MB", 2),
            fmt_row("downloaded before the first results, from navigation (gzip)", mb(ours, "first_nav_b"), mb(stock, "first_nav_b"), "MB", 2),
            fmt_row("downloaded for search (gzip)", mb(ours, "download_gz"), mb(stock, "download_gz"), "MB", 2),
            fmt_row("index file, gzip", mb(ours, "index_gz"), mb(stock, "index_gz"), "MB", 2),
        ]  # fmt: skip
        rows += _serve_rows(ours.get("serve"), stock.get("serve"))
        lines += [
            f"### {n:,} papers",
            "",
            "| | papercat | stock MkDocs + Material | papercat / stock |",
            "| --- | ---: | ---: | ---: |",
            *[row for row in rows if row],
            "",
            f"Full build stages (ms): {stages}.",
            "",
        ]
        if ours.get("largest_pages"):
            pages = ", ".join(
                f"`{rel}` {size / 1e3:,.1f} KB" for rel, size in ours["largest_pages"]
            )
            lines[-1:] = [f"Largest HTML pages: {pages}.", ""]
        if "map_kb" in ours:
            lines[-1:] = [
                f"Map: the page {ours['map_kb']:,.1f} KB of HTML; {ours['map_files']:,} data "
                f"file{'' if ours['map_files'] == 1 else 's'}, {ours['map_data_gz_mb']:,.2f} MB gzipped in all, the first (what a "
                f"phone draws) {ours['map_first_gz_kb']:,.1f} KB.",
                "",
            ]
        if "rebuild_s" in ours:
            lines[-1:] = [f"Rebuild after the edit (ms): {again}.", ""]
        if "serve" in ours:
            lines += [_serve_runs(ours["serve"], stock.get("serve")), ""]
        if runs > 1:
            lines += [_runs(ours, stock), ""]
        if z := r.get("zensical"):
            gen = ours["stages_ms"]["generator"] / 1000
            lines += [
                f"Zensical on the same docs/ (`make build-zensical`, the site step only; the "
                f"generator's {gen:.1f} s comes first): {z['build_s']:.1f} s, "
                f"{z['rebuild_s']:.1f} s on a second run, peak memory {z['build_peak_mb']:,.0f} MB, "
                f"site {z['site_mb']:,.1f} MB, paper page {z['paper_kb']:.1f} KB "
                f"(MkDocs site step: {ours['stages_ms']['site'] / 1000:.1f} s).",
                "",
            ]
    return "\n".join(lines)


def _runs(ours: dict, stock: dict) -> str:
    """The clean full builds one by one (ours and stock alternated), with each pair's
    ratio; the stage times above are the first run's."""

    def seconds(runs: list[float]) -> str:
        return ", ".join(f"{x:.1f}" for x in runs)

    text = f"Clean full builds (s), in turn: papercat {seconds(ours['build_runs_s'])}"
    if stock.get("build_runs_s"):
        pairs = zip(ours["build_runs_s"], stock["build_runs_s"], strict=True)
        text += (f"; stock {seconds(stock['build_runs_s'])}; papercat / stock run by run: "
                 + ", ".join(f"{a / b:.2f}×" for a, b in pairs))  # fmt: skip
    return text + ". Stage times are the first run's."


def verdict(results: dict[int, dict[str, dict]]) -> str:
    out = []
    for n, r in results.items():
        ours, stock = r["papercat"], r.get("stock")
        checks = []
        if stock:
            checks.append(
                f"full build {ours['build_s'] / stock['build_s']:.2f}× stock (target ≤ 2)"
            )
        if stock and "rebuild_s" in ours:
            checks.append(f"rebuild after an edit {ours['rebuild_s'] / stock['build_s']:.2f}×")
        if "serve" in ours:
            checks.append(_serve_verdict(ours["serve"], (stock or {}).get("serve")))
        if "build_peak_mb" in ours and n >= 100_000:
            checks.append(f"build peak memory {ours['build_peak_mb']:,.0f} MB (CI runner: 7 GB)")
        checks.append(f"paper page {ours['paper_kb']:.1f} KB")
        if ours.get("largest_page_kb") is not None:
            checks.append(f"largest HTML page {ours['largest_page_kb']:,.1f} KB (target ≤ 1,000)")
        if "ready_ms" in ours:
            checks += [
                f"search ready {ours['ready_ms']:.0f} ms",
                f"p90 keystroke {ours['p90_ms']:.1f} ms"
                + (f" (stock {stock['p90_ms']:.1f})" if stock and "p90_ms" in stock else ""),
                f"search download {ours['download_gz'] / 1e6:.2f} MB gzip",
            ]
        for name, side in (("papercat", ours), ("stock", stock or {})):
            if "browser_error" in side:
                checks.append(f"search in Chromium failed for {name}: {side['browser_error']}")
        out.append(f"At {n:,} papers: " + "; ".join(checks) + ".")
    return "\n\n".join(out)


SAVES = {"abstract": "an abstract edit", "topic": "a topic change", "new": "a new paper",
         "delete": "a deleted paper"}  # fmt: skip


def _all(side: dict, key: str) -> list[float]:
    return [x for kind in side.get(key, {}).values() for x in kind["runs"]]


def _serve_rows(ours: dict | None, stock: dict | None) -> list[str]:
    """`make serve` beside stock `mkdocs serve --dirty` (bench/serveloop.py)."""
    if not ours:
        return []
    stock = stock or {}
    first, theirs = ours["first_view_s"], stock.get("first_view_s", {})
    runs = len(next(iter(first.values()))["runs"])
    rows = [fmt_row("`make serve`: start to the first page served (cold)",
                    ours["startup_s"], stock.get("startup_s"), "s", 1)]  # fmt: skip
    for kind, label in ((k, v) for k, v in SAVES.items() if k in first):
        rows.append(fmt_row(f"`make serve`: save to the page showing {label}, median of {runs}",
                            first[kind]["median"], theirs.get(kind, {}).get("median"), "s",
                            2))  # fmt: skip
    rows.append(fmt_row("`make serve`: the slowest of these saves", max(_all(ours, "first_view_s")),
                        max(_all(stock, "first_view_s"), default=None), "s", 2))  # fmt: skip
    rows.append(fmt_row("`make serve`: save to settled (the exact pass swapped in), median",
                        statistics.median(_all(ours, "settle_s")), None, "s", 1))  # fmt: skip
    return rows


def _serve_runs(ours: dict, stock: dict | None) -> str:
    def seconds(runs: list[float]) -> str:
        return ", ".join(f"{x:.2f}" for x in runs)

    parts = [f"{k} {seconds(v['runs'])}" for k, v in ours["first_view_s"].items()]
    settle = [f"{k} {seconds(v['runs'])}" for k, v in ours["settle_s"].items()]
    text = f"Serve: {ours['error']}. " if ours.get("error") else ""
    text += ("Serve, save to shown (s), each save in turn: " + "; ".join(parts)
            + ". Save to settled (s): " + "; ".join(settle) + ".")  # fmt: skip
    if stock:
        theirs = [f"{kind} {seconds(v['runs'])}" for kind, v in stock["first_view_s"].items()]
        text += " Stock `mkdocs serve --dirty`, save to shown (s): " + "; ".join(theirs) + "."
        if stock.get("deleted_page_kept"):
            text += " Stock keeps serving a deleted page (a dirty build removes nothing)."
    return text


def _serve_verdict(ours: dict, stock: dict | None) -> str:
    shown = _all(ours, "first_view_s")
    text = (f"`make serve` shows a save after {statistics.median(shown):.2f} s (median of "
            f"{len(shown)} saves of four kinds; target ≤ 2), the slowest after "
            f"{max(shown):.2f} s (target ≤ 5)")  # fmt: skip
    if stock:
        theirs = statistics.median(_all(stock, "first_view_s"))
        text += f", stock `mkdocs serve --dirty` after {theirs:.2f} s; start-up "
        text += f"{ours['startup_s'] / stock['startup_s']:.2f}× stock's (target ≤ 1.5)"
    return text + f"; settled after {statistics.median(_all(ours, 'settle_s')):.1f} s"
