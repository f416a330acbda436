"""Read a reference library (BibTeX, CSL-JSON, RIS) into plain paper fields.

The parsing is the libraries' own: bibtexparser 2 with its middlewares (``@string``
macros, month macros, LaTeX decoding, name splitting), the standard ``json`` module
for CSL-JSON as Zotero exports it, and rispy for RIS. This module only maps their
fields to ours and remembers the line each entry starts on, so a broken entry can be
reported as ``FILE:LINE: message`` while every other entry is still imported.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock
from pylatexenc.latexwalker import get_default_latex_context_db

from generator.sources.importers import normalise as norm

FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json", ".ris": "ris"}
# A journal or venue that only says "this is on arXiv" is not a venue.
_NOT_A_VENUE = re.compile(r"^(?:arxiv\b|corr$|arxiv\.org)", re.IGNORECASE)
# bibtexparser also logs each broken block; we report them ourselves, with file and line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
_RIS_START = re.compile(r"^TY  - ")
_GROUP = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # braces, nested 3 deep
_LATEX_SPAN = re.compile(
    rf"\$[^$]*\$"  # math, kept verbatim by the decoder
    rf"|\\[a-zA-Z]+\*?(?:(?:\s*{_GROUP})+| ?)"  # \textit{x}, \L, \ss (eats one space)
    rf"|\\['\"^`~=.](?:{_GROUP}|\\[a-zA-Z]+|[a-zA-Z])?"  # accents: \'e, \"{o}, \'\\i
    rf"|\\[^a-zA-Z]"  # \%, \&, \_
    rf"|{_GROUP}|---?|``|''|~|[!?]`"
)
_PLAIN_GROUP = re.compile(r"\{[^{}\\$~%&`'-]*\}")
_SEPARATORS = re.compile(r"[\s,]*")  # between the items of a JSON array


@dataclass(frozen=True)
class Entry:
    """One library entry as paper fields (only the fields it has), and where it is."""

    path: str
    line: int
    data: Mapping[str, object]
    label: str = ""  # the entry's own key or id, for messages

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Skipped:
    """An entry that could not be imported; nothing is written for it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _venue(*candidates: object) -> str | None:
    for value in candidates:
        text = norm.one_line(value) if isinstance(value, str) else ""
        if text and not _NOT_A_VENUE.match(text):
            return text
    return None


def _abstract(value: object) -> str | None:
    """Paragraphs kept (blank lines), wrapped lines joined."""
    if not isinstance(value, str):
        return None
    paras = [norm.one_line(p) for p in re.split(r"\n\s*\n", value)]
    return "\n".join(p for p in paras if p) or None


def paper_fields(
    *,
    title: object,
    abstract: object = None,
    authors: Iterable[str] = (),
    year: object = None,
    venues: Iterable[object] = (),
    doi: object = None,
    arxiv_sources: Iterable[object] = (),
    urls: Iterable[object] = (),
    eprint: object = None,
) -> dict[str, object]:
    """The common mapping from any format's values to paper fields (empty ones dropped).

    A DOI or arXiv eprint that is not one is kept as written, so the validator names it.
    """
    names = [n for n in (norm.one_line(a) for a in authors) if n and n.lower() != "others"]
    clean_doi = norm.doi(doi) or (norm.one_line(doi) if isinstance(doi, str) else None)
    urls = list(urls)
    links: dict[str, str] = {}
    for url in urls:
        found = norm.link(url)
        if found:
            links.setdefault(*found)
    data: dict[str, object] = {
        "title": norm.one_line(title) if isinstance(title, str | int) else None,
        "abstract": _abstract(abstract),
        "authors": names,
        "year": norm.year(year),
        "venue": _venue(*venues),
        "arxiv": norm.arxiv_id(*arxiv_sources, *urls, clean_doi)
        or (norm.one_line(eprint) if isinstance(eprint, str) else None),
        "doi": clean_doi,
        "links": links,
    }
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


# --- BibTeX ----------------------------------------------------------------------


class _LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, applied to each LaTeX construct on its own.

    pylatexenc takes about 10 ms to read a 1,300-character abstract, which would
    dominate a 10,000-entry import; the text between constructs comes out of it
    unchanged, so only the constructs are decoded. This also keeps a bare ``50%``
    (which LaTeX would read as a comment) as written.
    """

    def __init__(self) -> None:
        super().__init__()
        self._walker_context = get_default_latex_context_db()  # built once, not per call
        self._done: dict[str, str] = {}  # names and venues repeat across a library

    def _decode(self, span: str, errors: list[str]) -> str:
        if span in self._done:
            return self._done[span]
        if _PLAIN_GROUP.fullmatch(span):
            text = span[1:-1]  # {GPU}: braces only protect case
        else:
            try:
                text = self._decoder.latex_to_text(span, latex_context=self._walker_context)
            except Exception as exc:  # as the middleware itself does: keep the text
                errors.append(str(exc))
                return span
        self._done[span] = text
        return text

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        errors: list[str] = []
        text = _LATEX_SPAN.sub(lambda m: self._decode(m[0], errors), python_string)
        return text, "; ".join(errors)


def _bibtex_stack() -> list:
    return [
        middlewares.MonthIntMiddleware(),  # `month = jan` (a macro) -> 1
        _LatexDecoding(),  # {\L}ukasz -> Łukasz, {GPU} -> GPU
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
        middlewares.MergeNameParts(style="first"),  # "Kowalski, Łukasz" -> "Łukasz Kowalski"
    ]


def load_bibtex(text: str) -> bibtexparser.Library:
    """A BibTeX text parsed with our middlewares (also used by ``new --bibtex``)."""
    return bibtexparser.parse_string(text, append_middleware=_bibtex_stack())


def bib_fields(entry) -> dict[str, object]:
    """Paper fields of one parsed BibTeX entry."""
    values = {k.lower(): v.value for k, v in entry.fields_dict.items()}
    authors = values.get("author") or []
    prefix = norm.one_line(values.get("archiveprefix") or values.get("eprinttype")).lower()
    eprint = values.get("eprint") if prefix in ("arxiv", "") else None
    return paper_fields(
        title=values.get("title"),
        abstract=values.get("abstract"),
        authors=authors if isinstance(authors, list) else [authors],
        year=values.get("year") or values.get("date"),
        venues=(values.get("booktitle"), values.get("journal"), values.get("journaltitle")),
        doi=values.get("doi"),
        arxiv_sources=(eprint, values.get("journal"), values.get("note"),
                       values.get("howpublished")),
        urls=(values.get("url"),),
        eprint=eprint,
    )  # fmt: skip


def _bib_entry(entry, path: str) -> Entry | Skipped:
    line = (entry.start_line or 0) + 1  # bibtexparser counts from 0
    data = bib_fields(entry)
    if "title" not in data:
        return Skipped(path, line, f"@{entry.entry_type}{{{entry.key}}}: no title; entry skipped")
    return Entry(path, line, data, entry.key)


def _bib_failure(block, path: str) -> Skipped:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return Skipped(path, line, f"duplicate entry key '{block.key}'; entry skipped")
    if isinstance(block, DuplicateFieldKeyBlock):
        keys = ", ".join(sorted(block.duplicate_keys))
        return Skipped(path, line, f"field {keys} given twice; entry skipped")
    error = block.error
    reason = " ".join(str(getattr(error, "abort_reason", "") or error).split()) or "syntax error"
    return Skipped(path, line, f"not valid BibTeX ({reason}); entry skipped")


def parse_bibtex(text: str, path: str) -> Parsed:
    """Every entry of a BibTeX text; broken blocks become Skipped with their line."""
    library = load_bibtex(text)
    out = Parsed()
    for entry in library.entries:
        result = _bib_entry(entry, path)
        (out.skipped if isinstance(result, Skipped) else out.entries).append(result)
    out.skipped += [_bib_failure(b, path) for b in library.failed_blocks]
    out.entries.sort(key=lambda e: e.line)
    out.skipped.sort(key=lambda s: s.line)
    return out


# --- CSL-JSON --------------------------------------------------------------------


def _csl_name(person: object) -> str:
    if not isinstance(person, dict):
        return ""
    if person.get("literal"):
        return norm.one_line(person["literal"])
    parts = [person.get(k) for k in ("given", "dropping-particle", "non-dropping-particle",
                                      "family")]  # fmt: skip
    name = " ".join(norm.one_line(p) for p in parts if isinstance(p, str) and p.strip())
    suffix = person.get("suffix")
    return f"{name} {norm.one_line(suffix)}" if isinstance(suffix, str) and suffix else name


def _csl_item(item: object, path: str, line: int) -> Entry | Skipped:
    if not isinstance(item, dict):
        return Skipped(path, line, "expected a CSL-JSON item (an object); entry skipped")
    label = norm.one_line(item.get("id", ""))
    if not isinstance(item.get("title"), str) or not norm.one_line(item["title"]):
        return Skipped(path, line, f"item '{label}': no title; entry skipped")
    issued = item.get("issued") if isinstance(item.get("issued"), dict) else {}
    data = paper_fields(
        title=item["title"],
        abstract=item.get("abstract"),
        authors=[_csl_name(p) for p in item.get("author") or [] if p],
        year=issued.get("date-parts") or issued.get("raw") or issued.get("literal"),
        venues=(item.get("container-title"), item.get("event-title"), item.get("event")),
        doi=item.get("DOI"),
        arxiv_sources=(item.get("number"), item.get("archive_location"), item.get("note")),
        urls=(item.get("URL"),),
    )
    return Entry(path, line, data, label)


def parse_csl_json(text: str, path: str) -> Parsed:
    """Items of a CSL-JSON array, each with the line its object starts on."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        return Parsed(
            skipped=[Skipped(path, exc.lineno, f"not valid JSON ({exc.msg}); file skipped")]
        )
    if not isinstance(items, list):
        return Parsed(
            skipped=[Skipped(path, 1, "expected a CSL-JSON array of items; file skipped")]
        )
    # The file is valid JSON: decode it again item by item to learn where each starts.
    decoder, out = json.JSONDecoder(), Parsed()
    pos, line, counted = text.index("[") + 1, 1, 0
    for item in items:
        pos = _SEPARATORS.match(text, pos).end()
        line, counted = line + text.count("\n", counted, pos), pos
        _, pos = decoder.raw_decode(text, pos)
        result = _csl_item(item, path, line)
        (out.skipped if isinstance(result, Skipped) else out.entries).append(result)
    return out


# --- RIS -------------------------------------------------------------------------


def _ris_record(record: dict, path: str, line: int) -> Entry | Skipped:
    kind = record.get("type_of_reference", "")
    title = record.get("title") or record.get("primary_title") or record.get("translated_title")
    if not norm.one_line(title):
        return Skipped(path, line, f"{kind} record: no title (TI or T1); entry skipped")
    authors = record.get("authors") or record.get("first_authors") or []
    data = paper_fields(
        title=title,
        abstract=record.get("abstract") or record.get("notes_abstract"),
        authors=[norm.reading_order(a) for a in authors],
        year=record.get("year") or record.get("publication_year") or record.get("date"),
        venues=(record.get("secondary_title"), record.get("journal_name"),
                record.get("alternate_title3"), record.get("alternate_title1")),
        doi=record.get("doi"),
        arxiv_sources=(record.get("number"), *record.get("notes", [])),
        urls=record.get("urls", []),
    )  # fmt: skip
    return Entry(path, line, data, record.get("id", ""))


def parse_ris(text: str, path: str) -> Parsed:
    """Records of a RIS text; each starts at a ``TY  -`` line, as rispy reads them."""
    try:
        records = rispy.loads(text)
    except (OSError, ValueError) as exc:  # rispy raises IOError for a malformed file
        return Parsed(skipped=[Skipped(path, 1, f"not valid RIS ({exc}); file skipped")])
    starts = [n for n, line in enumerate(text.splitlines(), 1) if _RIS_START.match(line)]
    out = Parsed()
    for n, record in enumerate(records):
        line = starts[n] if n < len(starts) else 1
        result = _ris_record(record, path, line)
        (out.skipped if isinstance(result, Skipped) else out.entries).append(result)
    return out


PARSERS = {"bibtex": parse_bibtex, "csl-json": parse_csl_json, "ris": parse_ris}


def file_format(path: Path) -> str | None:
    """The format a file name says, or None for an unknown extension."""
    return FORMATS.get(path.suffix.lower())


def read_library(path: Path, shown: str) -> Parsed:
    """Parse one library file by its extension (see ``FORMATS``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return Parsed(skipped=[Skipped(shown, line, "not UTF-8 text; file skipped")])
    return PARSERS[FORMATS[path.suffix.lower()]](text, shown)
