"""A pull request's preview works under a sub-path (issue 25), in Chromium, on both renderers.

The fixture catalogue is built as CI builds a pull request: ``PAPERCAT_SITE_URL`` set to
the preview address (mkdocs.yml reads it with ``!ENV``) for the generator and the
renderer. It is published with the preview workflow's own code (``previewhost.update``)
into a preview host folder, served on 127.0.0.1 the way GitHub Pages serves a project
site: ``/previews/`` is the host's root, and any missing address gets the root's
``404.html`` with status 404.

Chromium reaches the server as ``http://preview.test/`` (``--host-resolver-rules``), an
address without a port, like the real host's. Material's instant navigation takes over a
link only if its address is in sitemap.xml, whose addresses it moves to the page's
protocol and host name but not its port: at ``127.0.0.1:<port>`` no link would match,
while on the host every one does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import io
import re
import shutil
import threading
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import feedparser
import pytest

from generator.site import previewhost
from generator.site.linkcheck import check_site
from tests.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    build_site,
    checked_page,
    copy_fixture,
)
from tests.e2e.test_search import hits, search_box, type_query

pytestmark = pytest.mark.e2e

PUBLIC = "https://example.github.io/previews/pr-12/"
PREFIX = "/previews/pr-12/"
ORIGIN = "http://preview.test"
HOME = ORIGIN + PREFIX
SHA = "0123456789abcdef0123456789abcdef01234567"


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Files under the host folder; a missing one: /previews/404.html with status 404."""

    not_found: Path

    def log_message(self, *args: object) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:
        # The browser may leave a page before all of it was sent.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().copyfile(source, outputfile)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if path.is_file() or (path.is_dir() and (path / "index.html").is_file()):
            return super().send_head()
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def preview(renderer, tmp_path_factory):
    """(port, site folder) of the fixture site, published as pr-12 under /previews/."""
    work = tmp_path_factory.mktemp(f"preview-{renderer}")
    content = copy_fixture("search-mini", work)
    shutil.copy(ROOT / "CONTRIBUTING.md", work)  # the nav's Contribute page, as in the repository
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PAPERCAT_SITE_URL", PUBLIC)  # as CI sets it; no site_url override
        site = build_site(content, work, renderer)
    host = work / "host" / "previews"
    host.mkdir(parents=True)
    previewhost.update(host, site=site, pr=12, sha=SHA, open_prs={12}, limit=20,
                       max_bytes=10**9, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))  # fmt: skip
    handler = type("Handler", (_PagesHandler,), {"not_found": host / "404.html"})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(work / "host"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], host / "pr-12"
    server.shutdown()


@pytest.fixture(scope="module")
def preview_browser(browser, preview):
    """A second Chromium from the session's Playwright, resolving preview.test to the
    preview server (the flag is per browser, not per context)."""
    port, _ = preview
    rule = f"--host-resolver-rules=MAP preview.test 127.0.0.1:{port}"
    second = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, rule])
    yield second
    second.close()


@pytest.fixture
def page(preview_browser):
    yield from checked_page(preview_browser)


def test_every_internal_link_and_anchor_resolves_under_the_sub_path(preview):
    _, site = preview
    assert check_site(site, base_path=PREFIX) == []


def _failures(page) -> list[str]:
    """What the page asks of the preview host and does not get. Requests cut short by
    leaving the page (the search index, loaded when the browser is idle) do not count."""
    failed: list[str] = []
    ours = re.compile(re.escape(ORIGIN) + "/")

    def response(r) -> None:
        if r.status >= 400 and ours.match(r.url):
            failed.append(f"{r.status} {r.url}")

    def request_failed(r) -> None:
        if ours.match(r.url) and r.failure != "net::ERR_ABORTED":
            failed.append(f"{r.failure} {r.url}")

    page.on("response", response)
    page.on("requestfailed", request_failed)
    return failed


def test_every_page_in_chromium_loads_and_links_only_inside_the_preview(page):
    """Crawl from the home page: every page and what it loads answers 200, and every
    link of the page as the browser sees it (scripts ran) stays under /previews/pr-12/."""
    failed = _failures(page)
    todo, seen, outside = [HOME], set(), []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url, wait_until="load")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            target = href.split("#")[0]
            if not target.startswith(ORIGIN):
                continue  # another site: the weekly external check's job
            if not urlsplit(target).path.startswith(PREFIX):
                outside.append(f"{url} -> {href}")
            elif re.search(r"/(index\.html)?$", urlsplit(target).path) and "?" not in target:
                todo.append(target)
    assert len(seen) > 20  # home, topics, papers, years ...
    assert outside == [] and failed == []


def test_search_box_and_results_page_find_a_paper(page):
    failed = _failures(page)
    titles = type_query(page, HOME, "distil")
    assert titles[0].startswith("Tiny Student")
    page.locator(".pc-search .pc-hit__title").first.click()  # the first paper, not a topic row
    page.wait_for_url(re.compile(re.escape(HOME) + r"papers/[a-z0-9-]+/$"))
    page.wait_for_function("document.querySelector('h1')?.textContent.includes('Tiny Student')")
    page.goto(HOME + "search/?q=" + quote("distil"))
    result = page.locator(".pc-search-page__results li a").first
    result.wait_for(timeout=10000)
    assert result.inner_text().startswith("Tiny Student")
    assert urlsplit(result.evaluate("a => a.href")).path.startswith(PREFIX + "papers/")
    assert failed == []


def test_instant_navigation_reaches_a_paper_page(page):
    page.goto(HOME + "topics/")
    page.wait_for_load_state("networkidle")  # the sitemap has been read
    page.evaluate("window.pcSameWindow = true")
    page.locator("a[href*='topics/']").filter(has_text="Mixture of experts").first.click()
    page.wait_for_url(re.compile(r"/topics/mixture-of-experts/$"))
    paper = page.locator("article a[href*='papers/']").first
    target, title = paper.evaluate("a => a.href"), paper.inner_text()
    paper.click()
    page.wait_for_function("t => location.href === t", arg=target)
    page.wait_for_function("t => document.querySelector('h1')?.textContent.trim() === t", arg=title)
    assert urlsplit(target).path.startswith(PREFIX + "papers/")
    assert page.evaluate("window.pcSameWindow === true")  # no page load on the way


def test_the_404_page_works_under_the_sub_path(page):
    failed = _failures(page)
    response = page.goto(HOME + "papers/no-such-paper/")
    assert response.status == 404
    page.locator("h1", has_text="404").wait_for()
    # The theme's stylesheet applied (absolute /previews/pr-12/ addresses) ...
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky", "fixed")  # fmt: skip
    # ... search works from it, and its links lead into the preview.
    search_box(page).click()
    search_box(page).press_sequentially("distil")
    assert hits(page)[0].startswith("Tiny Student")
    home = page.locator(".md-header__button.md-logo").first.evaluate("a => a.href")
    assert urlsplit(home).path == PREFIX
    assert [f for f in failed if "no-such-paper" not in f] == []


def test_a_removed_preview_says_so(page):
    assert page.goto(ORIGIN + "/previews/pr-99/papers/x/").status == 404
    page.wait_for_function("document.body.textContent.includes('There is no such preview')")


@pytest.mark.parametrize("feed", ["feed.xml", "topics/mixture-of-experts/feed.xml"])
def test_feeds_link_to_the_preview(preview, feed):
    """Entries link to the preview's pages, which the preview serves."""
    port, _ = preview
    local = f"http://127.0.0.1:{port}{PREFIX}"
    with urllib.request.urlopen(local + feed) as answer:
        parsed = feedparser.parse(answer.read())
    assert parsed.entries and not parsed.bozo
    for entry in parsed.entries:
        assert entry.link.startswith(PUBLIC + "papers/"), entry.link
        with urllib.request.urlopen(local + entry.link[len(PUBLIC) :]) as answer:
            assert answer.status == 200
