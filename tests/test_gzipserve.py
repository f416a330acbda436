"""tests/gzipserve.py answers as GitHub Pages does: what the phone tests and the bench
measure Lighthouse against (tests/e2e/test_phone.py, bench/phone.py)."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

import pytest

from tests.gzipserve import serve_gzip

PAGE = "<!doctype html><title>Paper</title>" + "<p>mixture of experts</p>" * 50


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "site"
    (site / "papers" / "a").mkdir(parents=True)
    (site / "papers" / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "404.html").write_text("<p>Not here</p>", encoding="utf-8")
    (site / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    url, server = serve_gzip(site)
    yield urlsplit(url).netloc
    server.shutdown()


def get(host: str, path: str, gzip_ok: bool = True) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(host, timeout=10)
    headers = {"Accept-Encoding": "gzip, deflate, br"} if gzip_ok else {}
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_text_is_gzipped_when_accepted(served):
    answer = get(served, "/papers/a/")
    assert answer.status == 200
    assert answer.getheader("Content-Encoding") == "gzip"
    assert answer.getheader("Content-Type") == "text/html; charset=utf-8"
    assert answer.getheader("Cache-Control") == "max-age=600"
    body = answer.read()
    assert gzip.decompress(body).decode() == PAGE and len(body) < len(PAGE) / 4
    plain = get(served, "/papers/a/", gzip_ok=False)
    assert plain.getheader("Content-Encoding") is None and plain.read().decode() == PAGE


def test_images_are_sent_as_they_are(served):
    answer = get(served, "/logo.png")
    assert answer.getheader("Content-Type") == "image/png"
    assert answer.getheader("Content-Encoding") is None and answer.read().startswith(b"\x89PNG")


def test_a_folder_without_its_slash_is_redirected_with_its_query(served):
    answer = get(served, "/papers/a?q=moe")
    assert answer.status == 301 and answer.getheader("Location") == "/papers/a/?q=moe"


def test_missing_and_outside_paths_get_the_404_page(served):
    for path in ("/papers/b/", "/../secret.txt", "/papers/%2e%2e/%2e%2e/secret.txt"):
        answer = get(served, path, gzip_ok=False)
        assert answer.status == 404, path
        assert answer.read() == b"<p>Not here</p>"


def test_connections_send_at_once(monkeypatch, tmp_path):
    """Each connection has TCP_NODELAY: without it, a kept-alive connection's body
    waited for the browser's delayed ACK (about 40 ms a request, in every figure the
    bench took of search's shard fetches)."""
    import socket

    from tests import gzipserve

    seen = []
    setup = gzipserve.PagesHandler.setup

    def recording(self):
        setup(self)
        seen.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(gzipserve.PagesHandler, "setup", recording)
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    url, server = serve_gzip(tmp_path)
    try:
        assert get(urlsplit(url).netloc, "/").status == 200
    finally:
        server.shutdown()
    assert seen and all(seen)
