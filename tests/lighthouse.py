"""Lighthouse (npm, pinned in package-lock.json; 12.2.3 is the last release for Node 20)
run on Debian's Chromium with its mobile defaults: a Moto G Power's screen, simulated
slow 4G and a 4x slower CPU. Used by tests/e2e/test_phone.py (accessibility and SEO,
which do not depend on timing) and by `make bench` (performance scores, bench/phone.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "package.json"
RUNNER = ROOT / "tests" / "js" / "lighthouse_pages.mjs"
# The six pages of issue 26, relative to the site's root.
PAGES = {
    "home": "",
    "a paper": "papers/adamoe/",
    "a topic": "topics/mixture-of-experts/",
    "search results": "search/?q=mixture%20of%20experts",
    "All papers": "all-papers/",
    "Map": "map/",
}
# The network here is closed: any host but this machine fails at once instead of
# waiting on DNS (the theme asks api.github.com for the repository's stars after load).
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]  # fmt: skip


def available() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.parent} missing (npm ci)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    return None


def lighthouse(urls: list[str], timeout: float = 600, **settings: object) -> list[dict]:
    """Lighthouse's JSON reports for ``urls``, in order, run one after another in one
    Chromium (tests/js/lighthouse_pages.mjs), with Lighthouse ``settings`` (such as
    ``onlyCategories=["seo"]``) over its defaults."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "PAPERCAT_CHROME_FLAGS": json.dumps(CHROME_FLAGS)}
    with tempfile.TemporaryDirectory(prefix="papercat-lighthouse-") as out:
        done = subprocess.run(
            ["node", str(RUNNER), out, json.dumps(settings), *urls],
            env=env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"lighthouse failed ({done.returncode}): {done.stderr[-3000:]}")
        reports = [json.loads((Path(out) / f"{n}.json").read_text()) for n in range(len(urls))]
    for url, report in zip(urls, reports, strict=True):
        if error := report.get("runtimeError"):
            raise RuntimeError(f"lighthouse {url}: {error}")
    return reports


def score(report: dict, category: str) -> int:
    """A category's score out of 100, as Lighthouse shows it."""
    return round(report["categories"][category]["score"] * 100)


def failing(report: dict, category: str) -> list[str]:
    """The weighted audits of ``category`` that did not pass, with their elements."""
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            items = (audit.get("details") or {}).get("items", [])
            nodes = [i["node"].get("snippet", "") for i in items if isinstance(i.get("node"), dict)]
            lines.append(f"{ref['id']} ({audit['score']}): {audit['title']} {nodes[:3]}")
    return lines


def metrics(report: dict) -> dict[str, float]:
    """The performance score and the metrics it weighs (ms; layout shift unitless)."""
    audits = report["audits"]
    keys = {"fcp": "first-contentful-paint", "lcp": "largest-contentful-paint",
            "tbt": "total-blocking-time", "cls": "cumulative-layout-shift",
            "si": "speed-index"}  # fmt: skip
    out = {name: audits[key]["numericValue"] for name, key in keys.items()}
    out["performance"] = score(report, "performance")
    return out
