"""British and American spellings meet in search: both index and queries use one form.

The word list is breame's (PyPI ``breame``, Apache-2.0): about 1,700 British words
with their American spelling (colour/color, centre/center, modelling/modeling,
analyse/analyze, organisation/organization, ...). Every British form found there is
replaced by its American form before stemming, in lunr.py when the index is built and
in the browser when a query is run (``pc-search-worker.js``), so "behaviour" finds
papers that say "behavior" and the other way round. Words not in the list are left as
they are, so "tour", "four", "our", "premise" or "expertise" never change.

breame lacks the technical vocabulary of the field (quantise, tokenise, parallelise).
For those, pairs are derived from the catalogue's own words, with one pattern only:
an American -ize/-yze word of the catalogue (quantized, tokenizer) gives its family
in both spellings (quantisation -> quantization, tokeniser -> tokenizer). British -ise
words are never rewritten on their own, so "premise", "expertise" or "compromise" stay
as they are unless a paper writes "premized".

The browser needs the same mapping: ``mapping()`` keeps only the pairs whose American
form matters for this catalogue (its stem is an index term), and search.py ships them
as a content-hashed JSON file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS
from lunr.pipeline import Pipeline
from lunr.token import Token

LABEL = "papercat-spelling"
# breame's list, single lowercase words only (it has a few phrases).
WORD_LIST: dict[str, str] = {
    b: a for b, a in BRITISH_ENGLISH_SPELLINGS.items() if b.isalpha() and a.isalpha() and b != a
}
_AMERICAN_FORMS = frozenset(WORD_LIST.values())
# The -ize and -yze families: American endings and their British spelling.
_FAMILIES: dict[str, list[tuple[str, str]]] = {
    "iz": [("ize", "ise"), ("izes", "ises"), ("ized", "ised"), ("izing", "ising"),
           ("ization", "isation"), ("izations", "isations"), ("izer", "iser"),
           ("izers", "isers")],
    "yz": [("yze", "yse"), ("yzes", "yses"), ("yzed", "ysed"), ("yzing", "ysing"),
           ("yzer", "yser"), ("yzers", "ysers")],
}  # fmt: skip
_ENDS = sorted({a[2:] for family in _FAMILIES.values() for a, _ in family}, key=len, reverse=True)
_AMERICAN = re.compile("(iz|yz)(" + "|".join(_ENDS) + ")$")
MIN_STEM = 3  # letters before the ending: "size", "seize" and "prize" are no pairs


def derived_pairs(vocabulary: Iterable[str]) -> dict[str, str]:
    """British -> American pairs of the -ize family that the word list lacks, from the
    words of a catalogue: every American -ize/-yze word (quantized, tokenizer) gives its
    whole family in both spellings (quantisation -> quantization, ...)."""
    american = _AMERICAN_FORMS
    bases = set()
    for word in vocabulary:
        m = _AMERICAN.search(word)
        if m and m.start() >= MIN_STEM and word not in WORD_LIST and word not in american:
            bases.add((word[: m.start()], m.group(1)))
    pairs: dict[str, str] = {}
    for base, family in sorted(bases):
        for a, b in _FAMILIES[family]:
            british = base + b
            if british not in WORD_LIST and british not in american:
                pairs[british] = base + a
    return pairs


class Spelling:
    """The lunr pipeline function: a British word becomes its American form.

    One instance is registered under ``LABEL`` (lunr looks pipeline functions up by
    label when an index is loaded); ``use`` sets the mapping of the catalogue being
    indexed.
    """

    def __init__(self) -> None:
        self.mapping: dict[str, str] = dict(WORD_LIST)

    def use(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    def word(self, word: str) -> str:
        return self.mapping.get(word, word)

    def __call__(self, token: Token, i: int | None = None, tokens: list | None = None) -> Token:
        return token.update(lambda text, metadata=None: self.mapping.get(text, text))


SPELLING = Spelling()
Pipeline.register_function(SPELLING, LABEL)


def full_mapping(vocabulary: Iterable[str]) -> dict[str, str]:
    """The word list plus the pairs derived from ``vocabulary``."""
    return {**WORD_LIST, **derived_pairs(vocabulary)}


def mapping(vocabulary: Iterable[str], stem: Callable[[str], str]) -> dict[str, str]:
    """The pairs that matter for a catalogue with these (lowercase) words: those whose
    American form stems to a term of the index. Sorted, so the file is deterministic."""
    words = set(vocabulary)
    full = full_mapping(words)
    terms = {stem(full.get(w, w)) for w in words}
    return {b: a for b, a in sorted(full.items()) if stem(a) in terms}
