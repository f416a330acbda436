"""A stand-in for the arXiv API on 127.0.0.1, answering in arXiv's Atom format.

It knows a few e-prints and answers ``id_list=`` and ``search_query=ti:"..."`` the
way the real service does (https://info.arxiv.org/help/api/user-manual.html): a feed
with ``opensearch:totalResults`` and one ``<entry>`` per e-print, titles and
summaries wrapped over lines with runs of spaces, an error entry for a malformed id.
Scripted statuses (503, 429 ...) are answered before the normal ones; every request
is counted and its path and User-Agent recorded.
"""

from __future__ import annotations

import http.server
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ATOM_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{query}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {query}</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2026-11-28T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{per_page}</opensearch:itemsPerPage>
"""
ERROR_ENTRY = """  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{bad}</id>
    <title>Error</title>
    <summary>incorrect id format for {bad}</summary>
    <updated>2026-11-28T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{bad}" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>
"""
ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass
class Eprint:
    """One e-print the stand-in knows. ``title`` may contain arXiv's line wrapping."""

    arxiv: str
    title: str
    summary: str = "We study a problem.\n  We solve it."
    authors: tuple[str, ...] = ("Ada Lovelace",)
    published: str = "2024-01-16T18:59:58Z"
    doi: str = ""
    journal_ref: str = ""
    rank: int = 0  # lower comes first in search results (a decoy ranks above the paper)

    def atom(self) -> str:
        version = f"{self.arxiv}v2"
        extra = ""
        if self.doi:
            extra += f'    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{escape(self.doi)}</arxiv:doi>\n'
        if self.journal_ref:
            extra += (f"    <arxiv:journal_ref xmlns:arxiv=\"http://arxiv.org/schemas/atom\">"
                      f"{escape(self.journal_ref)}</arxiv:journal_ref>\n")  # fmt: skip
        authors = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n"
                          for a in self.authors)  # fmt: skip
        return (
            "  <entry>\n"
            f"    <id>http://arxiv.org/abs/{version}</id>\n"
            f"    <updated>2024-06-06T17:30:52Z</updated>\n"
            f"    <published>{self.published}</published>\n"
            f"    <title>{escape(self.title)}</title>\n"
            f"    <summary>  {escape(self.summary)}\n</summary>\n"
            f"{authors}{extra}"
            f'    <link href="http://arxiv.org/abs/{version}" rel="alternate" type="text/html"/>\n'
            f'    <link title="pdf" href={quoteattr("http://arxiv.org/pdf/" + version)} '
            'rel="related" type="application/pdf"/>\n'
            '    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>\n'
            '    <category term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>\n'
            "  </entry>\n"
        )


@dataclass
class Stub:
    """The stand-in's state: e-prints, scripted answers, and what it was asked."""

    eprints: list[Eprint] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    always: tuple[int, dict[str, str]] | None = None
    fail_after: int | None = None  # answers this many normally, then 503 for ever
    paths: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def requests(self) -> int:
        return len(self.paths)

    def answer(self, query: str) -> tuple[int, dict[str, str], bytes]:
        if self.fail_after is not None and self.requests > self.fail_after:
            return 503, {}, b"Service Unavailable"
        if self.always:
            return self.always[0], self.always[1], b"Service Unavailable"
        if self.script:
            status, headers = self.script.pop(0)
            return status, headers, b"try again later"
        params = urllib.parse.parse_qs(query)
        found: list[Eprint] = []
        body = ""
        for wanted in ",".join(params.get("id_list", [])).split(","):
            if not wanted:
                continue
            if not ID_RE.match(wanted):
                body = ERROR_ENTRY.format(bad=escape(wanted))
                head = ATOM_HEAD.format(query=escape(query), total=1, per_page=1)
                return 400, {}, (head + body + "</feed>\n").encode()
            found += [e for e in self.eprints if e.arxiv == re.sub(r"v\d+$", "", wanted)]
        search = params.get("search_query", [""])[0]
        match = re.fullmatch(r'ti:"(.*)"', search)
        if match:
            # Like arXiv's phrase search: every word of the query is in the title.
            asked = set(words(match.group(1)))
            found += sorted((e for e in self.eprints if asked <= set(words(e.title))),
                            key=lambda e: e.rank)  # fmt: skip
        limit = int(params.get("max_results", ["10"])[0])
        head = ATOM_HEAD.format(query=escape(query), total=len(found), per_page=limit)
        body = "".join(e.atom() for e in found[:limit])
        return (
            200,
            {"Content-Type": "application/atom+xml; charset=utf-8"},
            (head + body + "</feed>\n").encode("utf-8"),
        )


def start(stub: Stub) -> http.server.ThreadingHTTPServer:
    """Serve ``stub`` on 127.0.0.1 (a free port) in a thread; sets ``stub.url``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            stub.paths.append(self.path)
            stub.agents.append(self.headers.get("User-Agent", ""))
            path, _, query = self.path.partition("?")
            if path != "/api/query":
                status, headers, body = 404, {}, b"not found"
            else:
                status, headers, body = stub.answer(query)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/api/query"
    return server


def point_at(monkeypatch, url: str, cache: Path) -> None:
    """Send the generator's arXiv client to ``url`` with its HTTP cache in ``cache``."""
    monkeypatch.setenv("PAPERCAT_ARXIV_API", url)
    monkeypatch.setenv("PAPERCAT_CACHE_DIR", str(cache))


@contextmanager
def serving(stub: Stub) -> Iterator[Stub]:
    """``stub`` served on 127.0.0.1 for the duration of the block."""
    server = start(stub)
    try:
        yield stub
    finally:
        server.shutdown()
