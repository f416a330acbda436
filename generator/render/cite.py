"""Citations of a paper: BibTeX (pybtex), RIS (rispy) and CSL-JSON.

User text is plain Unicode; BibTeX needs LaTeX, so every value goes through
pylatexenc's encoder (``%``, ``&``, ``_``, ``{``, ``<`` ... become macros) and
pybtex writes the entries, refusing unbalanced braces. Keys are paper ids, so they
are stable and unique. RIS values are single lines (RIS has no continuation lines).

Entry types follow the venue's kind (``venues.py``): a journal gives ``@article`` /
``JOUR`` / ``article-journal``, a conference ``@inproceedings`` / ``CONF`` /
``paper-conference``, an arXiv preprint ``@misc`` with ``eprint`` / ``GEN`` /
``article``, and any other venue ``@misc`` with ``howpublished``. The URL is the
paper's own (``readlinks.main_link``: arXiv, DOI, PDF, web page); only a paper with
none of them is cited by its catalogue page.
"""

from __future__ import annotations

import functools
import json
import logging
import re

import rispy
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from generator.catalogue.model import Paper
from generator.render import readlinks, venues

# pylatexenc logs a warning per character it keeps as is (emoji): that is expected.
logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
# BibTeX counts every brace, escaped or not, so literal braces must be macros.
_BRACES = UnicodeToLatexConversionRule(
    RULE_DICT, {ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"}
)
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[_BRACES, "defaults"],
    non_ascii_only=False,
    unknown_char_policy="keep",
    replacement_latex_protection="braces-all",
)
# A word with a capital letter after its first character (LLM, AdaMoE, GPT-4):
# braced in titles so bibliography styles do not lowercase it.
_KEEP_CASE = re.compile(r"^\W*\w.*[A-Z]")


def flat(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


# Printable ASCII characters the encoder leaves as they are: text made only of these
# needs no encoding, which skips pylatexenc's slow per-character loop for most words.
_UNCHANGED = frozenset(c for c in map(chr, range(32, 127)) if _LATEX.unicode_to_latex(c) == c)


# Runs of characters the encoder changes, each with the character before it when the
# run starts with a combining mark (the encoder may fold "e" + U+0301 into one macro).
_CHANGED = re.compile(
    "(?:.(?=[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]))?"
    "[^" + re.escape("".join(sorted(_UNCHANGED))) + "]+"
)


@functools.lru_cache(maxsize=65536)
def _encode(run: str) -> str:
    return _LATEX.unicode_to_latex(run)


@functools.lru_cache(maxsize=65536)
def latex(text: str) -> str:
    """Plain text as LaTeX: special characters escaped, whitespace collapsed.

    Only the runs of characters that change go through pylatexenc (its per-character
    loop costs milliseconds on an abstract); what it returns for them is what it
    returns for the whole text (tested)."""
    return _CHANGED.sub(lambda m: _encode(m.group(0)), flat(text))


def verbatim(text: str) -> str:
    """URLs and DOIs as written (biblatex reads them verbatim), unless that would break
    the entry's braces or quotes; then escaped like any other text."""
    return latex(text) if any(c in text for c in '{}"\\') else flat(text)


def latex_title(title: str) -> str:
    """A title in LaTeX, with mixed-case words and acronyms protected by braces."""
    words = []
    for word in flat(title).split(" "):
        encoded = latex(word)
        words.append(f"{{{encoded}}}" if _KEEP_CASE.match(word) else encoded)
    return " ".join(words)


def bib_key(paper: Paper) -> str:
    """The citation key: the paper id, which is unique and never changes."""
    return paper.id


def cite_url(paper: Paper, page_url: str) -> str:
    """The URL a citation gives: the paper's own, else its catalogue page."""
    return readlinks.main_link(paper) or page_url


# BibTeX entry type and the field that names the venue, by venue kind.
_BIB_KINDS = {
    "journal": ("article", "journal"),
    "conference": ("inproceedings", "booktitle"),
    "other": ("misc", "howpublished"),
}


def bib_entry(paper: Paper, url: str, topic_names: list[str], abstract: bool = True) -> Entry:
    """A pybtex entry: @article with a journal, @inproceedings with a conference, else
    @misc (an arXiv preprint with ``eprint``, another venue as ``howpublished``)."""
    fields: dict[str, str] = {"title": latex_title(paper.title)}
    kind = venues.kind(paper)
    entry_type, venue_field = _BIB_KINDS.get(kind or "", ("misc", ""))
    if paper.venue and (venue_field or not paper.arxiv):
        # A preprint server named as venue ("arXiv preprint") says nothing eprint does not.
        fields[venue_field or "howpublished"] = latex(paper.venue)
    if paper.year:
        fields["year"] = str(paper.year)
    if paper.doi:
        fields["doi"] = verbatim(paper.doi)
    if paper.arxiv:
        fields.update(eprint=paper.arxiv, archivePrefix="arXiv")
        archive = venues.arxiv_archive(paper.arxiv)
        if archive:
            fields["primaryClass"] = archive
    fields["url"] = verbatim(cite_url(paper, url))
    if topic_names:
        fields["keywords"] = latex(", ".join(topic_names))
    if abstract and paper.abstract:  # abstracts are optional
        fields["abstract"] = latex(paper.abstract)
    persons = {"author": [_person(a) for a in paper.authors]} if paper.authors else None
    return Entry(entry_type, fields=fields, persons=persons)


@functools.lru_cache(maxsize=1 << 17)
def _person(name: str) -> Person:
    """An author as pybtex parses them, once per name: parsing is most of an entry's
    time, and names repeat across papers. Entries only read these objects."""
    return Person(latex(name))


_BRACE = re.compile(r"[{}]")


class _BibWriter(Writer):
    def _encode(self, text: str) -> str:
        return text  # values are LaTeX already (see latex()); pybtex would escape % twice

    def check_braces(self, s: str) -> None:
        """pybtex's check walks every character in Python (seconds for 10,000 abstracts);
        braces that never close more than they opened and all close are balanced for it
        too, so only other strings go to its check (and its error)."""
        depth = 0
        for brace in _BRACE.finditer(s):
            depth += 1 if brace.group() == "{" else -1
            if depth < 0:
                break
        if depth != 0:
            super().check_braces(s)


def bibtex(entries: list[tuple[str, Entry]]) -> str:
    """Entries (key, entry) as one BibTeX string, in the given order."""
    return _BibWriter().to_string(BibliographyData(entries=entries))


def paper_bibtex(paper: Paper, url: str, topic_names: list[str], abstract: bool = True) -> str:
    return bibtex([(bib_key(paper), bib_entry(paper, url, topic_names, abstract))])


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers references ("1."); reference managers do not need it


_RIS_TYPES = {"journal": "JOUR", "conference": "CONF"}


def _ris_record(paper: Paper, url: str, names: list[str], abstract: bool) -> dict[str, object]:
    kind = venues.kind(paper)
    record: dict[str, object] = {
        "type_of_reference": _RIS_TYPES.get(kind or "", "GEN"),
        "id": paper.id,
        "title": flat(paper.title),
    }
    if paper.authors:
        record["authors"] = [flat(a) for a in paper.authors]
    if paper.year:
        record["year"] = str(paper.year)
    if paper.venue:
        record["secondary_title"] = flat(paper.venue)  # T2: journal or proceedings title
        if kind == "journal":
            record["journal_name"] = flat(paper.venue)  # JO
    if paper.doi:
        record["doi"] = paper.doi
    if paper.arxiv:
        record["notes"] = [f"arXiv:{paper.arxiv}"]
    record["urls"] = list(dict.fromkeys([cite_url(paper, url), url]))
    if names:
        record["keywords"] = names
    if abstract and paper.abstract:  # abstracts are optional
        record["abstract"] = flat(paper.abstract)
    return record


def paper_ris(paper: Paper, url: str, topic_names: list[str], abstract: bool = True) -> str:
    """One RIS reference (TY ... ER), every value on one line."""
    record = _ris_record(paper, url, topic_names, abstract)
    text = rispy.dumps([record], implementation=_RisWriter)
    return text.lstrip("\n")


def _csl_name(name: str) -> dict[str, str]:
    return dict(_csl_parts(name))  # a copy: callers may change their item


@functools.lru_cache(maxsize=1 << 17)
def _csl_parts(name: str) -> dict[str, str]:
    person = Person(name)
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    if not family:
        return {"literal": name}
    return {"family": family, "given": given} if given else {"family": family}


_CSL_TYPES = {"journal": "article-journal", "conference": "paper-conference"}


def paper_csl(
    paper: Paper, url: str, topic_names: list[str], abstract: bool = True
) -> dict[str, object]:
    """One CSL-JSON item (the format of citeproc, Zotero and pandoc); a preprint is
    CSL's ``article`` with arXiv as publisher, as Zotero exports it."""
    kind = venues.kind(paper)
    item: dict[str, object] = {
        "id": paper.id,
        "type": _CSL_TYPES.get(kind or "", "article"),
        "title": flat(paper.title),
    }
    if paper.authors:
        item["author"] = [_csl_name(a) for a in paper.authors]
    if paper.year:
        item["issued"] = {"date-parts": [[paper.year]]}
    if paper.venue and kind != "preprint":
        item["container-title"] = flat(paper.venue)
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.arxiv:
        item["number"] = f"arXiv:{paper.arxiv}"
        if kind == "preprint":
            item["publisher"] = "arXiv"
    item["URL"] = cite_url(paper, url)
    if topic_names:
        item["keyword"] = ", ".join(topic_names)
    if abstract and paper.abstract:  # abstracts are optional
        item["abstract"] = flat(paper.abstract)
    return item


def csl_json(items: list[dict[str, object]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2)
