"""Shared fixtures: tiny fixture catalogues, a built site served on 127.0.0.1, and
a real browser (Debian's /usr/bin/chromium driven by Playwright for Python)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.site.sitebuild import render

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("PAPERCAT_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Flags for a closed network: no background fetches, no sandbox (we run as root).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy tests/fixtures/<name>/ (a content folder) to dest/content and return it."""
    target = dest / "content"
    shutil.copytree(FIXTURES / name, target)
    return target


RENDERERS = ("mkdocs", "zensical")


def build_docs(content: Path, docs: Path) -> Path:
    """Run the generator: content/ -> docs/ (Markdown). ``--no-cache``: the generator's
    memo would go beside ``content`` (into tests/fixtures/ for fixture catalogues) and
    let one test's pages stand in for another's; tests/test_incremental.py tests it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content), "--out", str(docs),
         "--no-cache"],
        cwd=ROOT, check=True, env=env,
    )  # fmt: skip
    return docs


def render_docs(
    docs: Path, site: Path, renderer: str = "mkdocs", site_url: str | None = None
) -> Path:
    """Render ``docs`` strictly with MkDocs or Zensical (the project's mkdocs.yml and
    overrides/, as generator/site/sitebuild.py does) into ``site``. The config sits beside
    ``docs``; Zensical wants ``site`` inside that folder too, and ``docs_dir`` relative
    (0.0.73 panics on some catalogues with an absolute one)."""
    config = docs.parent / f"mkdocs-{renderer}.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs.name}\nsite_dir: {site}\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n  variant: classic\n"
        + (f"site_url: {site_url}\n" if site_url else ""),
        encoding="utf-8",
    )
    render(renderer, config, site)
    return site


def build_site(
    content: Path, workdir: Path, renderer: str = "mkdocs", site_url: str | None = None
) -> Path:
    """Run the generator and a strict render; return the site folder."""
    docs = build_docs(content, workdir / "docs")
    return render_docs(docs, workdir / "site", renderer, site_url)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path):
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread; returns (url, server)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def seed_docs_built(tmp_path_factory) -> Path:
    """The real catalogue (content/) through the generator, once per test session."""
    return build_docs(ROOT / "content", tmp_path_factory.mktemp("seed-docs") / "docs")


@pytest.fixture(scope="session", params=RENDERERS)
def renderer(request) -> str:
    """MkDocs + Material, then Zensical: every test on a built site runs on both."""
    return request.param


@pytest.fixture(scope="session")
def seed_site(renderer, seed_docs_built, tmp_path_factory) -> Path:
    """The seed docs/ rendered by ``renderer``."""
    return render_docs(seed_docs_built, seed_docs_built.parent / f"site-{renderer}", renderer)


@pytest.fixture(scope="session")
def site_url(seed_site):
    url, server = serve(seed_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. Missing browser: skip locally, fail in CI."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def checked_page(browser):
    """A desktop-sized page in a new context of ``browser``, for a ``page`` fixture to
    yield: after the test, any JavaScript error it raised fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser):
    yield from checked_page(browser)


# A catalogue split the way a large one is: bench/synth.py's synthetic papers, with the
# split thresholds lowered (render/limits.py), so that every long listing, every index
# of names and the map come in several pages or files, as at 100,000 papers.
LARGE_PAPERS = 900
LARGE_LIMITS = {"listing_page": 20, "index_page": 2, "map_file": 40}


@pytest.fixture(scope="session")
def large_docs(tmp_path_factory) -> Path:
    """The synthetic catalogue's docs/, built in-process with ``LARGE_LIMITS``."""
    from bench.synth import make_catalogue
    from generator.build import build
    from generator.render.limits import Limits

    work = tmp_path_factory.mktemp("large")
    content = make_catalogue(LARGE_PAPERS, work)
    shutil.copy(ROOT / "CONTRIBUTING.md", work / "CONTRIBUTING.md")  # the nav's Contribute page
    build(content, work / "docs", limits=Limits(**LARGE_LIMITS))
    return work / "docs"


@pytest.fixture(scope="session")
def large_site(renderer, large_docs) -> Path:
    """``large_docs`` rendered by ``renderer``."""
    return render_docs(large_docs, large_docs.parent / f"site-{renderer}", renderer)
