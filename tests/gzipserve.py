"""A static server for a built site that answers as GitHub Pages does, for Lighthouse
and the phone tests: text files gzip-compressed when the browser accepts it, a folder
without its slash redirected (301) to it, `index.html` for a folder, `404.html` with
status 404 for anything missing, `Cache-Control: max-age=600`, an ETag, keep-alive.

Run by hand: `python -m tests.gzipserve SITE_DIR [PORT]`.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import mimetypes
import posixpath
import sys
import threading
import urllib.parse
from functools import lru_cache
from pathlib import Path

# What Pages compresses: text, and the text formats served as application/*.
COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml",
              "image/svg+xml", "application/atom+xml", "application/manifest+json")  # fmt: skip
TYPES = {".js": "application/javascript", ".mjs": "application/javascript",
         ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml",
         ".webmanifest": "application/manifest+json", ".woff2": "font/woff2"}  # fmt: skip


@lru_cache(maxsize=4096)
def _body(path: str, mtime_ns: int, size: int, zipped: bool) -> tuple[bytes, str]:
    """A file's bytes (gzipped at level 6 if asked) and its ETag; cached by mtime."""
    data = Path(path).read_bytes()
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + ('-gz"' if zipped else '"')
    return (gzip.compress(data, 6, mtime=0) if zipped else data), etag


class PagesHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as web servers set it (nginx: tcp_nodelay on): the headers and the
    # body go out in two writes, and on a kept-alive connection Nagle's algorithm held
    # the body back until the browser's delayed ACK, about 40 ms on every request.
    disable_nagle_algorithm = True
    root: Path

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _resolve(self, url_path: str) -> tuple[int, Path | None, str | None]:
        """(status, file, redirect location) for a request path, as Pages answers."""
        path = posixpath.normpath(urllib.parse.unquote(url_path))
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        target = self.root.joinpath(*parts)
        if target.is_dir():
            if not url_path.endswith("/"):
                return 301, None, url_path + "/"
            target = target / "index.html"
        if target.is_file() and self.root in target.resolve().parents:
            return 200, target, None
        missing = self.root / "404.html"
        return 404, (missing if missing.is_file() else None), None

    def _answer(self, send_body: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        status, file, location = self._resolve(url.path)
        if location is not None:
            query = f"?{url.query}" if url.query else ""
            self.send_response(301)
            self.send_header("Location", location + query)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if file is None:
            self.send_error(404)
            return
        kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0]
        kind = kind or "application/octet-stream"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        zipped = accepts and kind.startswith(COMPRESSED)
        stat = file.stat()
        body, etag = _body(str(file), stat.st_mtime_ns, stat.st_size, zipped)
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith(("text/", "application/j")) else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def serve_gzip(site: Path, port: int = 0) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``site`` as GitHub Pages would on 127.0.0.1 (a free port unless given), in a
    daemon thread; returns (base URL, server). Stop it with ``server.shutdown()``."""
    handler = type("Handler", (PagesHandler,), {"root": site.resolve()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


if __name__ == "__main__":
    url, server = serve_gzip(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
    print(f"serving {sys.argv[1]} gzip-compressed at {url} (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
