"""The prebuilt search index: every paper tokenized, spelled and stemmed for lunr.

The browser never builds an index: it loads the one built here (``term_counts``, then
``lunrindex.compact_index``) with lunr.js 2.3.9's ``lunr.Index.load`` in a Web Worker.
exports/searchfiles.py writes it, with what the results show, into ``assets/search/``.

The tokenizer splits on whitespace and punctuation (``SEPARATOR``), so "RAG" finds
"(RAG)". Text is split here and handed to lunr.py as token lists, because lunr.py's
builder has no separator option; the browser splits queries with the same pattern
(sent in the manifest), then runs lunr's own trimmer, stop-word filter and stemmer, as
the builder's default pipeline does here.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from lunr import get_default_builder
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.stemmer import porter_stemmer, stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.trimmer import trimmer

from generator.analysis import spelling
from generator.analysis.lunrindex import TermCounts, count_terms
from generator.catalogue.model import Catalogue

# Whitespace, hyphens and punctuation; a dot only when no digit follows ("3.5" stays).
# Written so Python's re and JavaScript's RegExp read it the same way.
SEPARATOR = r"[\s\-–—/\\()\[\]{}<>:;,!?\"'“”‘’«»|+=*&^~`@#$%…]+|\.(?![0-9])"
# Field boosts: title and topic matches rank first.
FIELDS = {"title": 10, "topics": 6, "authors": 3, "venue": 2, "year": 1, "abstract": 1}
# Abstract terms in the index: at most this many (paper, term) pairs (30 per paper at
# 10,000 papers). A larger
# catalogue keeps, per paper, only its most distinctive abstract terms (tf-idf), never
# fewer than MIN_ABSTRACT_TERMS; the words dropped are those most papers share, which
# rank little. The seed catalogue (about 20,000 pairs) keeps every word.
ABSTRACT_BUDGET = 300_000
MIN_ABSTRACT_TERMS = 24

_SPLIT = re.compile(SEPARATOR)


def tokenize(text: str) -> list[str]:
    """Lowercased tokens of ``text``, split as the browser splits queries."""
    return [t for t in _SPLIT.split(text.lower()) if t]


def _documents(catalogue: Catalogue) -> list[dict[str, object]]:
    names = {t.id: t.name for t in catalogue.topics}
    docs = []
    for n, p in enumerate(catalogue.papers):
        topics = " ".join(f"{names[t]} {t}" for t in p.topics)
        docs.append(
            {
                "ref": str(n),
                "title": tokenize(p.title),
                "topics": tokenize(topics),
                "authors": tokenize(" ".join(p.authors)),
                "venue": tokenize(p.venue or ""),
                "year": [str(p.year)] if p.year else [],
                "abstract": tokenize(p.abstract),
            }
        )
    return docs


@functools.cache
def _stem(word: str) -> str:
    return porter_stemmer.stem(word)


def cached_stemmer(token: Token, i: int | None = None, tokens: list | None = None) -> Token:
    """lunr's Porter stemmer with a cache: a catalogue repeats the same few words."""
    return token.update(lambda word, metadata=None: _stem(word))


Pipeline.register_function(cached_stemmer, "papercat-cached-stemmer")


def _spellings(docs: list[dict[str, object]]) -> dict[str, str]:
    words: set[str] = set()
    for doc in docs:
        for name in FIELDS:
            words.update(doc[name])  # type: ignore[call-overload]
    return spelling.mapping(words, _stem)


def spellings(catalogue: Catalogue) -> dict[str, str]:
    """British -> American pairs that matter for this catalogue (spelling.py)."""
    return _spellings(_documents(catalogue))


def _prune_abstracts(docs: list[dict[str, object]], budget: int) -> None:
    """Over ``budget`` (paper, term) pairs, keep in each abstract only the tokens of its
    most distinctive terms (tf-idf over the catalogue's abstracts; ties by term)."""
    terms: dict[str, str | None] = {}

    def term(word: str) -> str | None:
        if word not in terms:
            token = stop_word_filter(trimmer(Token(word)))
            terms[word] = _stem(spelling.SPELLING.word(str(token))) if token else None
        return terms[word]

    counts = [Counter(t for t in map(term, doc["abstract"]) if t) for doc in docs]  # type: ignore[call-overload]
    df = Counter(t for c in counts for t in c)
    if sum(df.values()) <= budget:
        return
    keep = max(MIN_ABSTRACT_TERMS, budget // len(docs))
    idf = {t: math.log(len(docs) / n) for t, n in df.items()}
    for doc, count in zip(docs, counts, strict=True):
        if len(count) <= keep:
            continue
        ranked = sorted(count, key=lambda t: (-count[t] * idf[t], t))
        kept = set(ranked[:keep])
        doc["abstract"] = [w for w in doc["abstract"] if term(w) in kept]  # type: ignore[attr-defined]


def _pipelines() -> tuple[Pipeline, Pipeline]:
    """lunr's default pipeline (trimmer, stop-word filter, stemmer) with British
    spellings made American before the stemmer, and the query pipeline's two steps."""
    pipeline, search_pipeline = Pipeline(), Pipeline()
    pipeline.add(trimmer, stop_word_filter, spelling.SPELLING, cached_stemmer)
    search_pipeline.add(spelling.SPELLING, stemmer)
    return pipeline, search_pipeline


def _prepared(catalogue: Catalogue) -> list[dict[str, object]]:
    docs = _documents(catalogue)
    spelling.SPELLING.use(_spellings(docs))
    _prune_abstracts(docs, ABSTRACT_BUDGET)
    return docs


def builder(catalogue: Catalogue) -> Builder:
    """A lunr.py builder with every paper added: tokenized, then the pipeline of
    ``_pipelines``. Queries run the same two steps (the serialized search pipeline
    names both; the browser registers the same spelling function). The build uses
    ``term_counts``, which gives the same counts faster; this is its reference."""
    docs = _prepared(catalogue)
    lunr_builder = get_default_builder()
    lunr_builder.pipeline, lunr_builder.search_pipeline = _pipelines()
    lunr_builder.ref("ref")
    for name, boost in FIELDS.items():
        lunr_builder.field(name, boost=boost)
    for doc in docs:
        lunr_builder.add(doc)
    return lunr_builder


def term_counts(catalogue: Catalogue) -> TermCounts:
    """What ``builder`` records, counted by ``lunrindex.count_terms``."""
    reference = get_default_builder()  # for lunr's defaults of b and k1
    return count_terms(_prepared(catalogue), FIELDS, *_pipelines(), reference._b, reference._k1)  # type: ignore[arg-type]
