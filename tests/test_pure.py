"""Property tests for the pure transforms: ids, canonical YAML, text checks."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.catalogue import fields
from generator.catalogue.load import parse_mapping
from generator.catalogue.slug import slugify, unique_id
from generator.catalogue.yamlio import dump_paper

printable = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Co", "Cs", "Zl", "Zp")), min_size=1
).filter(lambda s: s.strip() == s and s)


@given(st.text())
def test_slugify_always_gives_a_valid_id(title):
    slug = slugify(title)
    assert fields.ID_RE.match(slug), slug


@given(st.text(), st.sets(st.text(alphabet="abc-", max_size=6), max_size=5))
def test_unique_id_is_not_taken(base, taken):
    assert unique_id(base, taken) not in taken


@settings(max_examples=150)
@given(
    title=printable.filter(lambda s: "\n" not in s),
    abstract=printable,
    topics=st.lists(
        st.from_regex(r"[a-z]{1,8}(-[a-z]{1,8})?", fullmatch=True),
        min_size=1,
        max_size=5,
        unique=True,
    ),
)
def test_canonical_yaml_round_trips(title, abstract, topics):
    data = {"title": title, "abstract": abstract, "topics": topics, "added": dt.date(2026, 11, 28)}
    text = dump_paper(data)
    record, problems = parse_mapping(text, "x.yml")
    assert problems == []
    assert dict(record.data) == data
    assert dump_paper(dict(record.data)) == text  # canonical form is a fixed point


@given(st.text())
def test_url_check_only_accepts_http(value):
    clean, message = fields.url(value)
    if message is None:
        assert clean.lower().startswith(("http://", "https://"))


bmp_text = st.text(
    st.one_of(
        st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cc", "Cs")),
        st.sampled_from("\n\t "),
    ),
    min_size=1,
)


@settings(max_examples=300, deadline=None)
@given(title=bmp_text, abstract=bmp_text, authors=st.lists(bmp_text, max_size=4))
def test_libyaml_emitter_writes_what_pyyaml_writes(title, abstract, authors):
    """dump_paper uses libyaml's emitter for such text: the files must not change."""
    data = {"title": title, "abstract": abstract, "authors": authors, "topics": ["a"],
            "added": dt.date(2026, 11, 28), "links": {"pdf": "https://x.org/a b"}}  # fmt: skip
    assert dump_paper(data) == dump_paper(data, fast=False)
