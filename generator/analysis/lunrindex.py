"""The search index's term counts and their compact form, which the browser expands.

lunr.py's ``Builder.add`` wraps every word of every paper in a ``Token`` and runs the
pipeline on each occurrence; at 10,000 papers that is most of the search stage. The
pipeline's functions (trimmer, stop-word filter, spelling, stemmer) map one token to
at most one token and ignore its neighbours, so ``count_terms`` runs lunr's own
pipeline once per distinct word and counts. ``tests/test_search_index.py`` checks
that it gives exactly what lunr.py's builder gives (``TermCounts.from_builder``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lunr import __TARGET_JS_VERSION__ as LUNR_VERSION
from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.tokenizer import Tokenizer

# Varint digits: a "TERM" digit ends a number, "CONT" digits come before it.
TERM = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
CONT = "abcdefghijklmnopqrstuvwxyzWXYZ!#"


@dataclass(frozen=True)
class TermCounts:
    """Per field and paper (by position): its terms' frequencies and its length."""

    boosts: Mapping[str, int]  # field -> boost, in the index's field order
    b: float
    k1: float
    search_pipeline: list[str]
    frequencies: Mapping[str, Sequence[Mapping[str, int]]]
    lengths: Mapping[str, Sequence[int]]

    @classmethod
    def from_builder(cls, builder: Builder) -> TermCounts:
        """The same counts read from a lunr.py builder that has every paper added."""
        n = builder.document_count
        fields = list(builder._fields)
        return cls(
            boosts={f: builder._fields[f].boost for f in fields},
            b=builder._b,
            k1=builder._k1,
            search_pipeline=builder.search_pipeline.serialize(),
            frequencies={
                f: [dict(builder.field_term_frequencies[f"{f}/{k}"]) for k in range(n)]
                for f in fields
            },
            lengths={f: [builder.field_lengths[f"{f}/{k}"] for k in range(n)] for f in fields},
        )


def count_terms(
    docs: Sequence[Mapping[str, Sequence[str]]],
    boosts: Mapping[str, int],
    pipeline: Pipeline,
    search_pipeline: Pipeline,
    b: float = 0.75,
    k1: float = 1.2,
) -> TermCounts:
    """What lunr.py's builder records for ``docs`` (token lists per field), with the
    pipeline run once per distinct word instead of once per occurrence."""
    terms_of: dict[str, list[str]] = {}

    def terms(word: str) -> list[str]:
        found = terms_of.get(word)
        if found is None:
            found = terms_of[word] = [str(t) for t in pipeline.run(Tokenizer([word]))]
        return found

    frequencies: dict[str, list[Mapping[str, int]]] = {f: [] for f in boosts}
    lengths: dict[str, list[int]] = {f: [] for f in boosts}
    for doc in docs:
        for field in boosts:
            counts: Counter[str] = Counter()
            for word in doc[field]:
                counts.update(terms(word))
            frequencies[field].append(counts)
            lengths[field].append(counts.total())
    return TermCounts(dict(boosts), b, k1, search_pipeline.serialize(), frequencies, lengths)


def varint(n: int) -> str:
    """``n`` in base 32: CONT digits, then one TERM digit."""
    return _SMALL[n] if n < len(_SMALL) else _varint(n)


def _varint(n: int) -> str:
    digits = []
    while True:
        digits.append(n & 31)
        n >>= 5
        if not n:
            break
    digits.reverse()
    return "".join(CONT[d] for d in digits[:-1]) + TERM[digits[-1]]


_SMALL = [_varint(n) for n in range(4096)]  # most gaps, frequencies and lengths


def _chunks(counts: TermCounts) -> tuple[list[str], list[str], dict[str, dict[str, list[str]]]]:
    """Per field, each term's postings as varints (gap to the previous paper times two,
    plus one if a term frequency above one follows); the fields; the sorted terms."""
    fields = list(counts.boosts)
    chunks: dict[str, dict[str, list[str]]] = {f: defaultdict(list) for f in fields}
    for field in fields:
        previous: dict[str, int] = {}
        for ref, frequencies in enumerate(counts.frequencies[field]):
            for term, tf in frequencies.items():
                parts = chunks[field][term]
                parts.append(varint((ref - previous.get(term, -1)) * 2 + (tf > 1)))
                if tf > 1:
                    parts.append(varint(tf))
                previous[term] = ref
    terms = sorted(set().union(*(chunks[f] for f in fields)))
    return fields, terms, chunks


def _header(counts: TermCounts, fields: list[str], terms: list[str]) -> dict[str, object]:
    return {
        "format": "papercat-lunr-1",
        "version": LUNR_VERSION,
        "fields": fields,
        "boosts": [counts.boosts[f] for f in fields],
        "b": counts.b,
        "k1": counts.k1,
        "count": len(counts.lengths[fields[0]]) if fields else 0,
        "pipeline": counts.search_pipeline,
        "terms": " ".join(terms),
        "lengths": ["".join(map(varint, counts.lengths[f])) for f in fields],
    }


def compact_index(counts: TermCounts) -> dict[str, object]:
    """The index as postings, term frequencies and field lengths, about a third of
    lunr's serialized size (gzipped).

    lunr's serialized index repeats every (term, field, paper) twice, once as a
    posting and once as a field-vector score with three decimals. Both follow from
    the postings, the term frequencies and the field lengths, so only those are sent;
    the worker recomputes the scores with lunr's formula (BM25, the builder's ``b``
    and ``k1``, field boosts) when a query reads them. Per field, a term's papers are
    one chunk of varints (``_chunks``); chunks are separated by spaces in sorted term
    order.
    """
    fields, terms, chunks = _chunks(counts)
    head = _header(counts, fields, terms)
    lengths = head.pop("lengths")  # the keys in their order of old: same bytes
    head["postings"] = [" ".join("".join(chunks[f].get(t, ())) for t in terms) for f in fields]
    return {**head, "lengths": lengths}


def tiered_index(
    counts: TermCounts, shard_chars: int, min_shards: int = 16
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The same index in tiers: a head with everything but the postings (every term,
    for lunr's term expansion; every field length), and the postings in shards of
    consecutive terms, each about ``shard_chars`` characters (a term is never split).
    Shard k holds, per field, the chunks of terms ``shards[k]`` to ``shards[k + 1]``
    (the head's ``shards``), so a word and its prefixes' expansions fall in one or two
    shards, and a term's idf follows from its shard alone (every field is there). A
    small index is still cut into about ``min_shards`` (a tiered seed, in the tests)."""
    fields, terms, chunks = _chunks(counts)
    sizes = [sum(len(p) for f in fields for p in chunks[f].get(t, ())) + len(fields) for t in terms]
    shard_chars = max(1, min(shard_chars, sum(sizes) // min_shards))
    starts: list[int] = []
    size = shard_chars
    for t, chars in enumerate(sizes):
        if size >= shard_chars:
            starts.append(t)
            size = 0
        size += chars
    ends = [*starts[1:], len(terms)]
    shards = [
        {"postings": [" ".join("".join(chunks[f].get(t, ())) for t in terms[a:b]) for f in fields]}
        for a, b in zip(starts, ends, strict=True)
    ]
    head = {**_header(counts, fields, terms), "format": "papercat-lunr-tiered-1", "shards": starts}
    return head, shards
