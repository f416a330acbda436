"""Pure transforms shared by the library importers: names, ids, DOIs, links, text.

Each takes what a BibTeX, CSL-JSON or RIS entry holds and returns the value a paper
file wants, or ``None`` when there is nothing usable. No I/O, so they are tested
directly (and with hypothesis).
"""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from generator.catalogue import fields

# An arXiv id anywhere in a text: after "arXiv:", in an arxiv.org URL, or alone.
# New style 1412.6980(v2), old style hep-th/9901001 or math.GT/0309136.
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_END = r"(?!\d|\.\d)"  # not the start of a longer number
_ARXIV_IN_TEXT = re.compile(rf"(?i:arxiv)(?:\s*:\s*|\.|\s+){_ARXIV_ID}{_END}")
_ARXIV_URL = re.compile(rf"arxiv\.org/(?:abs|pdf|html)/{_ARXIV_ID}{_END}", re.IGNORECASE)
_ARXIV_ALONE = re.compile(rf"^{_ARXIV_ID}$")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)


def one_line(text: object) -> str:
    """Whitespace (line breaks from wrapped fields included) collapsed to single spaces."""
    return " ".join(str(text).split()) if text is not None else ""


def reading_order(name: str) -> str:
    """A person's name as "Given Family": "Kowalski, Łukasz" -> "Łukasz Kowalski".

    BibTeX's rules decide the parts (von particles, "Jr." after a second comma); a name
    already in reading order comes back unchanged.
    """
    flat = one_line(name)
    if "," not in flat:
        return flat
    try:
        parts = parse_single_name_into_parts(flat, strict=False)
    except InvalidNameError:
        return flat
    words = parts.first + parts.von + parts.last
    out = " ".join(words)
    if parts.jr:
        out += ", " + " ".join(parts.jr)
    return out or flat


def arxiv_id(*texts: object) -> str | None:
    """The first arXiv id (without version) found in the given texts.

    Accepts a bare id ("1412.6980v2"), "arXiv:1412.6980", a journal field such as
    "arXiv preprint arXiv:1412.6980", and arxiv.org abs/pdf URLs.
    """
    for text in texts:
        if not text:
            continue
        flat = one_line(text)
        match = _ARXIV_ALONE.match(flat) or _ARXIV_IN_TEXT.search(flat) or _ARXIV_URL.search(flat)
        if match:
            return match.group(1)
    return None


def doi(text: object) -> str | None:
    """A DOI without "https://doi.org/" or "doi:" in front, or None if it is not one."""
    if not text:
        return None
    flat = _DOI_URL.sub("", one_line(text))
    flat = re.sub(r"^doi:\s*", "", flat, flags=re.IGNORECASE)
    match = _DOI.fullmatch(flat.rstrip("."))
    if not match:
        return None
    clean, message = fields.doi(match.group(0))
    return None if message else str(clean)


def link(url: object) -> tuple[str, str] | None:
    """A URL as a ``links:`` entry (kind, url); arXiv and DOI URLs are left to their ids."""
    if not url:
        return None
    clean, message = fields.url(one_line(url))
    if message:
        return None
    lowered = str(clean).lower()
    if "arxiv.org/" in lowered or _DOI_URL.match(lowered):
        return None
    # A library's URL points at the paper (publisher, repository or PDF): its web page.
    return ("pdf" if lowered.split("?")[0].endswith(".pdf") else "url", str(clean))


def year(value: object) -> int | None:
    """The year from "2017", "2017/12/04/", 2017 or a CSL date-parts list."""
    if isinstance(value, list):
        value = value[0] if value else None
        if isinstance(value, list):
            value = value[0] if value else None
    match = re.match(r"^\s*(\d{4})\b", str(value)) if value is not None else None
    if not match:
        return None
    clean, message = fields.year(int(match.group(1)))
    return None if message else int(clean)
