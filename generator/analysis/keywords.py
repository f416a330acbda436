"""Keyword rules of topic suggestions: a topic's keyword phrases found in a paper.

A phrase matches whole words, case-insensitively, with a plural ending allowed or, with
a trailing ``*``, as a prefix; an abbreviation also matches spelled out
(``ABBREVIATIONS``). A title match counts ``TITLE_WEIGHT`` times an abstract match, and
an abstract match counts at most ``MAX_HITS`` times. Also the word analysis the
suggester's tf-idf profiles and neighbours use (``analyse``). Used by suggest.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lunr.stemmer import porter_stemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from generator.catalogue.model import Topic

TITLE_WEIGHT = 3  # a keyword in the title counts as much as three in the abstract
MAX_HITS = 3  # per keyword in an abstract: repetition says little more after that


@cache
def _stem(word: str) -> str:
    return porter_stemmer.stem(word)


def analyse(text: str) -> list[str]:
    """Words of ``text`` as the suggester compares them: lowercase, stemmed, no stop words."""
    return [
        _stem(w)
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in ENGLISH_STOP_WORDS and not w.isdigit()
    ]


# Abbreviations used inside keyword phrases, and what they stand for.
ABBREVIATIONS = {
    "llm": "large language model",
    "moe": "mixture of experts",
    "rl": "reinforcement learning",
    "ssm": "state space model",
    "rag": "retrieval-augmented generation",
}


def _spelled_out(word: str) -> str:
    long = ABBREVIATIONS.get(word.lower())
    if long is None:
        return re.escape(word)
    long = re.escape(long).replace(r"\ ", r"[\s-]+")
    return rf"(?:{re.escape(word)}|{long})s?"


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive pattern; a trailing '*' matches a prefix, otherwise a
    plural ending ('mechanism' matches 'mechanisms'); abbreviations also match spelled out."""
    body = r"[\s-]+".join(_spelled_out(w) for w in phrase.rstrip("*").split(" "))
    tail = r"[\w-]*" if phrase.endswith("*") else r"(?:e?s)?(?![\w])"
    return re.compile(rf"(?<![\w-]){body}{tail}", re.IGNORECASE)


@cache
def anchors(phrase: str) -> tuple[tuple[str, ...], ...]:
    """Per word of ``phrase``, lowercase strings one of which a text must contain for
    ``phrase`` to match (a cheap test before the regular expression, the slow part)."""
    out = []
    for word in phrase.rstrip("*").lower().split(" "):
        long = ABBREVIATIONS.get(word)
        out.append((word, long.split(" ")[0]) if long else (word,))
    return tuple(out)


def _may_match(phrase: str, present: set[str]) -> bool:
    """Whether every word of ``phrase`` has an anchor among the strings ``present``."""
    return all(not present.isdisjoint(word) for word in anchors(phrase))


def present_anchors(anchors: Iterable[str], lowered: str) -> set[str]:
    """The ``anchors`` that occur in ``lowered``."""
    return {w for w in anchors if w in lowered}


def all_anchors(keywords: Iterable[str]) -> set[str]:
    return {w for k in keywords for word in anchors(k) for w in word}


def _claim(pattern: re.Pattern[str], text: str, taken: list[tuple[int, int]], most: int) -> int:
    """Count matches of ``pattern`` not overlapping spans already counted (synonyms
    such as 'mixture-of-experts' and 'mixture of experts' match the same words)."""
    hits = 0
    for match in pattern.finditer(text):
        if hits == most:
            break
        start, end = match.span()
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        hits += 1
    return hits


def rule_scores(
    topic: Topic, title: str, abstract: str, present: tuple[set[str], set[str]] | None = None
) -> tuple[float, str]:
    """Score of one topic's keyword rules on a paper, and the reason in words.

    ``present``: anchor strings found in the lowercased title and abstract, when the
    caller has looked them up for every topic at once.
    """
    if present is None:
        anchors = all_anchors(topic.keywords)
        present = (
            present_anchors(anchors, title.lower()),
            present_anchors(anchors, abstract.lower()),
        )
    score = 0.0
    in_title: list[str] = []
    in_abstract: list[str] = []
    title_spans: list[tuple[int, int]] = []
    abstract_spans: list[tuple[int, int]] = []
    for phrase in topic.keywords:
        pattern = _pattern(phrase)
        if _may_match(phrase, present[0]) and _claim(pattern, title, title_spans, 1):
            score += TITLE_WEIGHT
            in_title.append(phrase.rstrip("*"))
        hits = _may_match(phrase, present[1]) and _claim(
            pattern, abstract, abstract_spans, MAX_HITS
        )
        if hits:
            score += hits
            in_abstract.append(phrase.rstrip("*") + (f" ×{hits}" if hits > 1 else ""))
    parts = []
    if in_title:
        parts.append("title mentions " + ", ".join(f"'{p}'" for p in in_title[:3]))
    if in_abstract:
        parts.append("abstract mentions " + ", ".join(f"'{p}'" for p in in_abstract[:3]))
    return score, "; ".join(parts)


def surface(title: str, abstract: str) -> dict[str, str]:
    """Stem -> the first word in the paper that has it (to name matched words)."""
    out: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z0-9]+", f"{title} {abstract}"):
        out.setdefault(_stem(word.lower()), word.lower())
    return out


def topic_text(topic: Topic) -> str:
    """The taxonomy's own words for a topic: name (twice), description, keywords."""
    keywords = " ".join(k.rstrip("*") for k in topic.keywords)
    return f"{topic.name} {topic.name} {topic.description} {keywords}"


def paper_text(title: str, abstract: str) -> str:
    """A paper as the neighbour search sees it: the title counts twice."""
    return f"{title} {title} {abstract}"
