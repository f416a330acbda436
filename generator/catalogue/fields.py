"""Field checkers: each takes a raw YAML value and returns (clean value, message).

A message of ``None`` means the value is fine. Messages are the exact text users see
after ``path:line: field:`` and are covered by table-driven tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 80
# new style 2401.09670(v2); old style hep-th/9901001 or math.GT/0309136
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s]+$")
# "pdf" and "url" lead to the paper itself (its PDF, its web page at the publisher or a
# repository); the others are about it (render/readlinks.py).
LINK_KINDS = ("pdf", "url", "code", "project", "video", "slides", "data", "blog", "demo")
RESERVED_IDS = frozenset({"index", "all", "search", "feeds"})
MAX_TITLE = 300
MAX_ABSTRACT = 20_000
MAX_NAME = 200

Checked = tuple[object, str | None]


def describe(value: object) -> str:
    """How a bad value is quoted in a message: short, repr-like, one line."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _bad_char(text: str, allow_newlines: bool) -> str | None:
    """Name the first control, invisible or direction-changing character, if any."""
    # Fast path: str.isprintable is False for every Cc, Cf, Co and Cs character (and
    # for some harmless ones, such as a no-break space, which the loop then clears).
    if (text.replace("\n", " ").replace("\t", " ") if allow_newlines else text).isprintable():
        return None
    for ch in text:
        if ch in "\n\t" and allow_newlines:
            continue
        cat = unicodedata.category(ch)
        # Cc: control; Cf: format (zero-width, bidi overrides); Co/Cs: private, surrogates
        if cat in ("Cc", "Cf", "Co", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def check_id(value: str) -> str | None:
    """Ids are URL path segments: lowercase ASCII words joined by single hyphens."""
    if not ID_RE.fullmatch(value):  # not match(): `$` also matches before a final newline
        return (
            f"{describe(value)} is not a valid id: use lowercase letters, digits and "
            "single hyphens (e.g. 'distserve-2024')"
        )
    if len(value) > MAX_ID:
        return f"id is {len(value)} characters; the limit is {MAX_ID}"
    if value in RESERVED_IDS:
        return f"'{value}' is reserved for a site page; choose another id"
    return None


def text(value: object, *, limit: int, multiline: bool) -> Checked:
    """A non-empty string without control or invisible characters."""
    if isinstance(value, (bool, int | float)):
        value = str(value)  # `title: 1984` is a fine title; keep it as written
    if not isinstance(value, str):
        return None, f"expected text, got {type(value).__name__}"
    value = value.strip()
    if not value:
        return None, "must not be empty"
    if not multiline and len(value.splitlines()) > 1:  # also U+2028, U+2029
        return None, "must be a single line"
    if len(value) > limit:
        return None, f"is {len(value):,} characters; the limit is {limit:,}"
    bad = _bad_char(value, multiline)
    if bad:
        return None, f"contains an invisible or control character ({bad})"
    return value, None


def title(value: object) -> Checked:
    return text(value, limit=MAX_TITLE, multiline=False)


def abstract(value: object) -> Checked:
    return text(value, limit=MAX_ABSTRACT, multiline=True)


def short_text(value: object) -> Checked:
    return text(value, limit=MAX_NAME, multiline=False)


def year(value: object) -> Checked:
    last = dt.date.today().year + 1
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        return None, f"expected a 4-digit year, got {describe(value)}"
    if not 1800 <= value <= last:
        return None, f"year {value} is outside 1800-{last}"
    return value, None


def added(value: object) -> Checked:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        return None, f"expected a date like 2026-11-28, got {describe(value)}"
    return value, None


def arxiv(value: object) -> Checked:
    if isinstance(value, float):
        # YAML reads 2401.09670 as a number and drops the trailing zero
        return None, f'write the arXiv id in quotes, e.g. arxiv: "{value}"'
    if not isinstance(value, str) or not ARXIV_RE.match(value.strip()):
        return (
            None,
            f"expected an arXiv id like 2401.09670 or hep-th/9901001, got {describe(value)}",
        )
    return value.strip(), None


def doi(value: object) -> Checked:
    if not isinstance(value, str):
        return None, f"expected a DOI like 10.1145/3600006.3613165, got {describe(value)}"
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    if not DOI_RE.match(value):
        return None, f"expected a DOI like 10.1145/3600006.3613165, got {describe(value)}"
    return value, None


def url(value: object) -> Checked:
    """Only absolute http(s) URLs: no javascript:, data:, vbscript: or relative links."""
    if not isinstance(value, str):
        return None, f"expected a URL, got {describe(value)}"
    value = value.strip()
    if _bad_char(value, False) or any(ch.isspace() for ch in value):
        return None, f"URL contains spaces or control characters: {describe(value)}"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None, f"not a valid URL: {describe(value)}"
    if parts.scheme.lower() not in ("http", "https"):
        return None, f"only http and https links are allowed, got {describe(value)}"
    if not parts.netloc or any(c in parts.netloc for c in "<>\"'`"):
        return None, f"expected an absolute URL with a host, got {describe(value)}"
    if "@" in parts.netloc:
        # https://trusted.org@evil.example/ reads as trusted.org but goes to evil.example
        return None, f"URL must not contain a user name or password: {describe(value)}"
    return value, None


def id_list(value: object, *, most: int, least: int = 0) -> Checked:
    """A list of distinct ids (a single string is accepted as a list of one)."""
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, f"expected a list of ids, got {describe(value)}"
    if len(value) < least:
        return None, f"expected at least {least}, got none" if not value else (
            f"expected at least {least}, got {len(value)}"
        )
    if len(value) > most:
        return None, f"expected at most {most}, got {len(value)}"
    seen: set[str] = set()
    for item in value:
        if item in seen:
            return None, f"'{item}' is listed twice"
        seen.add(item)
    return tuple(value), None


def name_list(value: object) -> Checked:
    if value is None:
        return (), None
    if not isinstance(value, list):
        return None, f"expected a list of names, got {describe(value)}"
    names = []
    for item in value:
        clean, message = short_text(item)
        if message:
            return None, f"author {describe(item)}: {message}"
        names.append(clean)
    return tuple(names), None


def links(value: object) -> tuple[dict[str, str] | None, list[tuple[str, str]]]:
    """A mapping kind -> URL; returns the clean mapping and (sub-field, message) pairs."""
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        return None, [
            ("links", f"expected a mapping like code: https://..., got {describe(value)}")
        ]
    clean: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for kind, target in value.items():
        if kind not in LINK_KINDS:
            hint = did_you_mean(str(kind), LINK_KINDS)
            problems.append(
                ("links", f"unknown link kind '{kind}'{hint}; use one of {', '.join(LINK_KINDS)}")
            )
            continue
        checked, message = url(target)
        if message:
            problems.append((f"links.{kind}", message))
        else:
            clean[kind] = checked
    return clean, problems
