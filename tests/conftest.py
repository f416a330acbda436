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


def build_site(content: Path, workdir: Path) -> Path:
    """Run the generator and a strict MkDocs build; return the site folder."""
    docs, site = workdir / "docs", workdir / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content), "--out", str(docs)],
        cwd=ROOT, check=True, env=env,
    )  # fmt: skip
    config = workdir / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nsite_dir: {site}\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
        cwd=ROOT, check=True, env=env,
    )  # fmt: skip
    return site


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
def seed_site(tmp_path_factory) -> Path:
    """The real catalogue (content/) built once per test session."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("seed-site"))


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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
