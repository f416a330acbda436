"""Citations: BibTeX escaping survives a real BibTeX parser, RIS stays one line per
value, CSL-JSON names are split, and the Cite box of a fixture paper is golden."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from pylatexenc.latex2text import LatexNodes2Text

from generator.catalogue.model import Paper
from generator.render import cite

GOLDEN = Path(__file__).parent / "golden" / "readers"
NASTY = 'AdaMoE: 100% {fast} & a_b <EOS> "q" \\cite #1 ~x^2 $5 café “quoted” — 😀'


def make(**fields) -> Paper:
    base = {"id": "x-1", "title": NASTY, "abstract": NASTY + "\nsecond line",
            "topics": ("t",), "added": dt.date(2026, 1, 2)}  # fmt: skip
    return Paper(**(base | fields))


def parsed_fields(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == 1
    return {f.key: f.value for f in library.entries[0].fields}


def test_bibtex_escapes_specials_and_parses():
    paper = make(authors=("Ada Lovelace", "van der Berg, Jan"), year=2024, venue="OSDI & co",
                 arxiv="2401.09670", doi="10.5555/a_b")  # fmt: skip
    text = cite.paper_bibtex(paper, "https://example.org/papers/x-1/", ["Mix & match"])
    fields = parsed_fields(text)
    assert text.startswith("@inproceedings{x-1,")
    for raw in ("100%", " & ", "a_b", "#1", "$5"):
        assert raw not in fields["title"], raw  # every special character is a macro
    assert "100{\\%}" in fields["title"]
    assert "{AdaMoE:}" in fields["title"]  # mixed case protected from lowercasing
    assert fields["doi"] == "10.5555/a_b"  # verbatim field
    assert fields["eprint"] == "2401.09670"
    # pybtex (a second, stricter parser) reads the same entry and its authors.
    entry = parse_string(text, "bibtex").entries["x-1"]
    assert [str(p) for p in entry.persons["author"]] == ["Lovelace, Ada", "van der Berg, Jan"]


def test_bibtex_text_decodes_back_to_the_original():
    fields = parsed_fields(cite.paper_bibtex(make(), "https://e/", []))
    decoded = LatexNodes2Text().latex_to_text(fields["abstract"])
    for word in ("100%", "fast", "a_b", "<EOS>", "#1", "café", "“quoted”", "second line"):
        assert word in decoded, word
    # Literal braces are macros: BibTeX counts escaped braces too, so \{ would unbalance.
    assert "{\\textbraceleft}fast{\\textbraceright}" in fields["abstract"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1))
def test_bibtex_never_breaks_on_any_text(text):
    if not text.strip():
        return
    fields = parsed_fields(cite.paper_bibtex(make(title=text, abstract=text), "https://e/", []))
    assert set(fields) >= {"title", "abstract", "url"}


def test_bibtex_without_optional_fields_is_misc():
    text = cite.paper_bibtex(make(), "https://e/", [], abstract=False)
    fields = parsed_fields(text)
    assert text.startswith("@misc{x-1,")
    assert "abstract" not in fields and "year" not in fields and "author" not in fields


def test_ris_values_are_single_lines():
    text = cite.paper_ris(make(authors=("Ada Lovelace",), year=2020), "https://e/", ["T"])
    lines = text.strip("\n").split("\n")
    assert lines[0] == "TY  - GEN" and lines[-1].startswith("ER  -")
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert "AB  - " + NASTY + " second line" in lines


def test_csl_json_names_and_fields():
    item = cite.paper_csl(make(authors=("Ada Lovelace", "van der Berg, Jan", "Plato"), year=2024,
                               venue="OSDI", doi="10.1/x"), "https://e/", ["T"])  # fmt: skip
    assert item["type"] == "paper-conference"
    assert item["author"] == [
        {"family": "Lovelace", "given": "Ada"},
        {"family": "van der Berg", "given": "Jan"},
        {"family": "Plato"},
    ]
    assert item["issued"] == {"date-parts": [[2024]]}
    assert item["DOI"] == "10.1/x" and item["title"] == NASTY


@pytest.fixture(scope="module")
def mini_docs(tmp_path_factory) -> Path:
    from generator.build import build

    out = tmp_path_factory.mktemp("mini") / "docs"
    build(Path(__file__).parent / "fixtures" / "readers-mini", out)
    return out


def test_cite_box_golden(mini_docs):
    """The Cite box of a fixture paper, byte for byte (UPDATE_GOLDEN=1 rewrites it)."""
    page = (mini_docs / "papers" / "distserve" / "index.md").read_text(encoding="utf-8")
    start = page.index('<section class="pc-cite"')
    box = page[start : page.index("</section>", start) + len("</section>")]
    golden = GOLDEN / "distserve-cite.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(box + "\n", encoding="utf-8")
    assert box + "\n" == golden.read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("abcXYZ 019%&_{}#$~^\\<>\"'-–—é\u0301\u0308ŁßΩ≥🙂\n\t"),
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
        ),
        max_size=60,
    )
)
def test_latex_encodes_only_what_changes_as_the_encoder_would_the_whole(text):
    """cite.latex sends only runs of changed characters to pylatexenc (for speed):
    the result must be exactly pylatexenc's for the whole text."""
    assert cite.latex(text) == cite._LATEX.unicode_to_latex(cite.flat(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab{}\\% ", max_size=30))
def test_brace_check_agrees_with_pybtex(text):
    """The writer's quick brace check accepts and refuses exactly what pybtex does."""
    from pybtex.bibtex.exceptions import BibTeXError
    from pybtex.database.output.bibtex import Writer

    def verdict(writer) -> bool:
        try:
            writer.check_braces(text)
        except BibTeXError:
            return False
        return True

    assert verdict(cite._BibWriter()) == verdict(Writer())
