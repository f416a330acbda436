"""Library parsers and the pure transforms behind them: exact messages for broken
entries, field mapping per format, and properties of names and arXiv ids."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.sources.importers import library
from generator.sources.importers import normalise as norm

BROKEN = [
    ("BibTeX without title", "bibtex",
     "@comment{x}\n\n@article{nobody,\n  author = {Doe, Jane},\n  year = {2020},\n}\n",
     ["a.bib:3: @article{nobody}: no title; entry skipped"], 0),
    ("BibTeX unclosed value", "bibtex",
     "@misc{ok, title = {Fine}}\n@article{bad,\n  title = {Broken\n}\n@misc{next, title = {Next}}\n",
     ["a.bib:2: not valid BibTeX (Unexpected block start: `@misc`. Was still looking for "
      "field-value closing `,` or `}`); entry skipped"], 2),
    ("BibTeX duplicate key", "bibtex",
     "@misc{k, title = {One}}\n\n@misc{k, title = {Two}}\n",
     ["a.bib:3: duplicate entry key 'k'; entry skipped"], 1),
    ("BibTeX duplicate field", "bibtex",
     "@misc{k,\n  title = {One},\n  title = {Two}\n}\n",
     ["a.bib:1: field title given twice; entry skipped"], 0),
    ("JSON syntax error", "csl-json", '[\n  {"title": "A"}\n  {"title": "B"}\n]\n',
     ["a.bib:3: not valid JSON (Expecting ',' delimiter); file skipped"], 0),
    ("JSON not an array", "csl-json", '{"title": "A"}',
     ["a.bib:1: expected a CSL-JSON array of items; file skipped"], 0),
    ("CSL item not an object", "csl-json", '[\n  {"title": "A"},\n  "B"\n]',
     ["a.bib:3: expected a CSL-JSON item (an object); entry skipped"], 1),
    ("CSL item without title", "csl-json",
     '[\n  {"id": "ok", "title": "A"},\n\n  {\n    "id": "item-2",\n    "title": "  "\n  }\n]',
     ["a.bib:4: item 'item-2': no title; entry skipped"], 1),
    ("RIS record without title", "ris",
     "TY  - JOUR\nTI  - Fine\nER  - \n\nTY  - CONF\nAU  - Doe, J.\nER  - \n",
     ["a.bib:5: CONF record: no title (TI or T1); entry skipped"], 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "fmt", "text", "expected", "good"), BROKEN, ids=[c[0] for c in BROKEN]
)
def test_broken_entry_message(case, fmt, text, expected, good):
    parsed = library.PARSERS[fmt](text, "a.bib")
    assert [str(s) for s in parsed.skipped] == expected
    assert len(parsed.entries) == good  # every other entry is still read


def test_bibtex_entry_lines_and_fields():
    text = (
        '@string{icml = "International Conference on Machine Learning"}\n'
        "@inproceedings{a,\n  title = {{Mixture} of {E}xperts},\n  booktitle = icml,\n"
        "  author = {de la Cruz, Mar{\\'\\i}a and Smith, Jr., John and others},\n"
        "  year = 2024, month = jan,\n  eprint = {2401.09670v2}, archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2401.09670},\n}\n"
    )
    [entry] = library.parse_bibtex(text, "lib.bib").entries
    assert entry.where == "lib.bib:2"
    assert dict(entry.data) == {
        "title": "Mixture of Experts",
        "authors": ["María de la Cruz", "John Smith Jr."],
        "year": 2024,
        "venue": "International Conference on Machine Learning",
        "arxiv": "2401.09670",
    }


def test_csl_json_fields_and_lines():
    text = """[
  {"id": "a", "type": "article-journal", "title": "A  wrapped\\n title",
   "author": [{"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"},
              {"literal": "The Consortium"}],
   "issued": {"date-parts": [["2019", 4]]}, "container-title": "CoRR",
   "URL": "https://example.org/paper", "DOI": "doi:10.1000/XYZ.1"}
]"""
    [entry] = library.parse_csl_json(text, "lib.json").entries
    assert entry.line == 2
    assert dict(entry.data) == {
        "title": "A wrapped title",
        "authors": ["Ludwig van Beethoven", "The Consortium"],
        "year": 2019,
        "doi": "10.1000/XYZ.1",
        "links": {"url": "https://example.org/paper"},
    }


def test_ris_alternative_tags():
    text = "TY  - CONF\nT1  - Second Title\nA1  - Doe, J.\nY1  - 2020///\nJO  - Journal X\nER  - \n"
    [entry] = library.parse_ris(text, "lib.ris").entries
    assert dict(entry.data) == {
        "title": "Second Title", "authors": ["J. Doe"], "year": 2020, "venue": "Journal X",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("arXiv preprint arXiv:1412.6980",), "1412.6980"),
        (("https://arxiv.org/pdf/2401.09670v3.pdf",), "2401.09670"),
        (("10.48550/arXiv.2001.08361",), "2001.08361"),
        (("arXiv:hep-th/9901001v2 [hep-th]",), "hep-th/9901001"),
        ((None, "", "2312.07104"), "2312.07104"),
        (("Journal of Machine Learning Research",), None),
        (("arXiv:1412.69801234",), None),
    ],
)
def test_arxiv_id_examples(texts, expected):
    assert norm.arxiv_id(*texts) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://doi.org/10.1145/3600006.3613165", "10.1145/3600006.3613165"),
        ("http://dx.doi.org/10.1162/neco.1997.9.8.1735", "10.1162/neco.1997.9.8.1735"),
        ("doi: 10.1109/5.726791.", "10.1109/5.726791"),
        ("not a doi", None),
    ],
)
def test_doi_examples(raw, expected):
    assert norm.doi(raw) == expected


NEW_STYLE = st.from_regex(r"\A(0[7-9]|1\d|2[0-5])(0[1-9]|1[0-2])\.\d{4,5}\Z")
WORD = st.from_regex(r"\A[A-ZÀ-Ý][a-zà-ÿ]{1,10}\Z")


@given(NEW_STYLE, st.integers(1, 20), st.sampled_from(
    ["arXiv preprint arXiv:{}", "https://arxiv.org/abs/{}", "arXiv:{} [cs.LG]", "{}",
     "http://arxiv.org/pdf/{}.pdf", "10.48550/arXiv.{}"]))  # fmt: skip
def test_arxiv_id_is_found_without_version(arxiv, version, template):
    for text in (template.format(arxiv), template.format(f"{arxiv}v{version}")):
        found = norm.arxiv_id(text)
        assert found == arxiv
        assert not re.search(r"v\d+$", found)


@given(st.lists(WORD, min_size=1, max_size=3), WORD)
def test_reading_order_puts_given_names_first(given_names, family):
    given_text = " ".join(given_names)
    assert norm.reading_order(f"{family}, {given_text}") == f"{given_text} {family}"
    # a name already in reading order is left as it is
    assert norm.reading_order(f"{given_text} {family}") == f"{given_text} {family}"
    # and the result is stable
    once = norm.reading_order(f"{family}, {given_text}")
    assert norm.reading_order(once) == once
