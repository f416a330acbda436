"""A polite client for the arXiv API (https://info.arxiv.org/help/api/user-manual.html).

The API answers ``GET <base>?search_query=...&id_list=...&start=&max_results=`` with an
Atom feed: one ``<entry>`` per e-print (id, title, summary, published, authors, links,
``arxiv:doi``, ``arxiv:journal_ref``, ``arxiv:primary_category``) and
``opensearch:totalResults``. A bad query comes back as a single entry whose id is
``.../api/errors#...``. The feed is parsed with feedparser.

Politeness, as arXiv asks: a User-Agent naming the project, a delay between requests
(not between cache hits), retries with exponential backoff on 429/5xx honouring
``Retry-After``, a timeout, and an on-disk HTTP cache (requests-cache) so re-runs and
CI ask again only when a cached answer has expired.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import feedparser
import requests
import requests_cache

API_ENV = "PAPERCAT_ARXIV_API"
DEFAULT_API = "https://export.arxiv.org/api/query"
CACHE_ENV = "PAPERCAT_CACHE_DIR"
DEFAULT_CACHE = Path(".cache/papercat")
USER_AGENT = "papercat/0.1 (+https://github.com/papercat/papercat; metadata for a paper catalogue)"
CACHE_DAYS = 30  # a weekly run picks up a new DOI or venue within a month
RETRIED = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 300.0  # seconds; a longer wait is a failure, not a pause
TITLE_RESULTS = 10  # the right paper is often not the first result of a title search
_VERSION = re.compile(r"v\d+$")


class ArxivError(Exception):
    """The service cannot answer: unreachable, or errors after every retry."""


@dataclass(frozen=True)
class Entry:
    """One e-print of an arXiv answer, as paper fields (empty when arXiv has none)."""

    arxiv: str  # without version
    title: str
    abstract: str
    authors: tuple[str, ...]
    year: int | None
    doi: str
    journal_ref: str
    pdf: str
    primary_category: str


def api_base() -> str:
    """The API address: ``$PAPERCAT_ARXIV_API`` (mirrors, tests) or arXiv's own."""
    return os.environ.get(API_ENV) or DEFAULT_API


def cache_dir(option: Path | None = None) -> Path:
    """Where the HTTP cache lives: the option, ``$PAPERCAT_CACHE_DIR``, or .cache/papercat."""
    if option is not None:
        return option
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else DEFAULT_CACHE


def normalise(title: str) -> str:
    """Title key for matching: case, accents, punctuation, TeX braces and arXiv's
    line wrapping (newline + run of spaces) do not count."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def strip_version(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id.strip())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _arxiv_id(entry_id: str) -> str:
    """``http://arxiv.org/abs/2401.09670v2`` -> ``2401.09670``."""
    _, _, tail = entry_id.partition("/abs/")
    return strip_version(tail)


def parse_feed(payload: bytes, where: str) -> list[Entry]:
    """Entries of an arXiv Atom answer; ArxivError for an error entry or a non-feed."""
    feed = feedparser.parse(payload)
    if feed.get("bozo") and not feed.entries and not feed.feed.get("id"):
        raise ArxivError(f"arXiv API at {where} answered something that is not an Atom feed")
    entries = []
    for item in feed.entries:
        if "/api/errors" in item.get("id", ""):
            summary = _one_line(item.get("summary", "")) or "unknown error"
            raise ArxivError(f"arXiv API at {where} reported an error: {summary}")
        published = item.get("published_parsed")
        pdf = next((link.get("href", "") for link in item.get("links", [])
                    if link.get("title") == "pdf"), "")  # fmt: skip
        entries.append(
            Entry(
                arxiv=_arxiv_id(item.get("id", "")),
                title=_one_line(item.get("title", "")),
                abstract=_one_line(item.get("summary", "")),
                authors=tuple(
                    _one_line(a.get("name", "")) for a in item.get("authors", []) if a.get("name")
                ),
                year=published.tm_year if published else None,
                doi=_one_line(item.get("arxiv_doi", "")),
                journal_ref=_one_line(item.get("arxiv_journal_ref", "")),
                pdf=pdf,
                primary_category=(item.get("arxiv_primary_category") or {}).get("term", ""),
            )
        )
    return entries


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words (the innermost cause is the telling one)."""
    seen = exc
    while seen.__cause__ or seen.__context__:
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text:
        return "timed out"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return "host not found"
    if "Connection refused" in text:
        return "connection refused"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _retry_after(value: str, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class Client:
    """arXiv API client; one per command run (it keeps the time of the last request)."""

    def __init__(
        self,
        base: str | None = None,
        *,
        delay: float = 3.0,
        retries: int = 3,
        timeout: float = 30.0,
        cache: Path | None = None,
        sleep=time.sleep,
    ):
        self.base = base or api_base()
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.requests = 0  # answers that came from the network, not the cache
        self._sleep = sleep
        self._ready_at = 0.0  # monotonic time before which no request is sent
        if cache is None:
            self.session: requests.Session = requests.Session()
        else:
            cache.mkdir(parents=True, exist_ok=True)
            # Only good answers are kept: an error or a 503 is asked again next time.
            self.session = requests_cache.CachedSession(
                str(cache / "arxiv-api"), backend="sqlite",
                expire_after=dt.timedelta(days=CACHE_DAYS), allowable_codes=(200,),
            )  # fmt: skip
        self.session.headers["User-Agent"] = USER_AGENT

    def by_id(self, arxiv_id: str) -> Entry | None:
        """The e-print with this id (latest version), or None if arXiv has none."""
        found = self._query({"id_list": strip_version(arxiv_id), "max_results": "1"})
        return found[0] if found else None

    def by_title(self, title: str) -> list[Entry]:
        """Results of a title search (arXiv's ranking: the first is often another paper)."""
        words = normalise(title)
        if not words:
            return []
        return self._query({"search_query": f'ti:"{words}"', "start": "0",
                            "max_results": str(TITLE_RESULTS)})  # fmt: skip

    def match(self, title: str, arxiv_id: str | None = None) -> Entry | None:
        """The e-print whose title matches ``title`` (by id if given, else by title)."""
        key = normalise(title)
        candidates = [self.by_id(arxiv_id)] if arxiv_id else self.by_title(title)
        return next((e for e in candidates if e is not None and normalise(e.title) == key), None)

    def _wait(self) -> None:
        pause = self._ready_at - time.monotonic()
        if pause > 0:
            self._sleep(pause)

    def _query(self, params: dict[str, str]) -> list[Entry]:
        attempt = 0
        while True:
            self._wait()
            try:
                response = self.session.get(self.base, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                self._ready_at = time.monotonic() + self.delay
                if attempt >= self.retries:
                    raise ArxivError(
                        f"arXiv API at {self.base} is unreachable: {_reason(exc)}"
                    ) from None
                self._backoff(attempt, None)
                attempt += 1
                continue
            if not getattr(response, "from_cache", False):
                self._ready_at = time.monotonic() + self.delay
                self.requests += 1
            if response.status_code in RETRIED and attempt < self.retries:
                self._backoff(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            if response.status_code >= 400:
                try:  # a bad query is an Atom error entry that says what was wrong
                    parse_feed(response.content, self.base)
                except ArxivError as exc:
                    if "reported an error" in str(exc):
                        raise
                tries = f" (after {attempt + 1} attempts)" if attempt else ""
                status = f"{response.status_code} {response.reason or ''}".rstrip()
                raise ArxivError(f"arXiv API at {self.base} answered {status}{tries}")
            return parse_feed(response.content, self.base)

    def _backoff(self, attempt: int, retry_after: str | None) -> None:
        """Wait before retry ``attempt + 1``: Retry-After if the server said, else
        exponential (delay, 2 x delay, 4 x delay ...)."""
        wait = self.delay * 2**attempt
        if retry_after is not None:
            wait = _retry_after(retry_after, wait)
        if wait > MAX_RETRY_AFTER:
            raise ArxivError(
                f"arXiv API at {self.base} asks to wait {wait:.0f} s before asking again"
            )
        # The backoff replaces the usual delay before the retry; never wait less.
        wait = max(wait, self._ready_at - time.monotonic())
        if wait > 0:
            self._sleep(wait)
        self._ready_at = 0.0
