"""terms.count_terms gives scikit-learn's CountVectorizer matrix, column for column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from generator.analysis import links
from generator.analysis.terms import count_terms
from generator.catalogue.load import load_tree
from generator.catalogue.memo import Memo
from generator.catalogue.validate import validate

ROOT = Path(__file__).resolve().parent.parent

# Words that make the cases that matter: stop words between words (bigrams form across
# them), one-letter words (no token), digits and underscores (word characters),
# letters outside ASCII and case (lowered), prefixes of each other (sort order of
# "ab x" against "abc"), and separators that are not word characters.
WORDS = ["the", "of", "a", "x", "ab", "abc", "ab_c", "Ab", "ÉTÉ", "été", "ß", "ǅx", "42",
         "model", "models", "scaling", "laws", "is", "über", "naïve", "ĳk"]  # fmt: skip
SEPARATORS = [" ", "  ", "-", ", ", ". ", "\n", "/", "'", "(", ")", "—", "\u00a0"]
DOCUMENT = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30
).map(lambda parts: "".join(w + s for w, s in parts))


def sklearn_counts(documents: list[str], max_df: float):
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), max_df=max_df)
    matrix = vectorizer.fit_transform(documents)
    return matrix, list(vectorizer.get_feature_names_out())


def assert_same(documents: list[str], max_df: float) -> None:
    try:
        expected, names = sklearn_counts(documents, max_df)
    except ValueError:  # no terms, none left, or max_df below one paper: refused too
        with pytest.raises(ValueError):
            count_terms(documents, max_df=max_df)
        return
    matrix, terms = count_terms(documents, max_df=max_df)
    assert list(terms.names()) == names
    assert matrix.shape == expected.shape
    assert matrix.dtype == np.int64
    assert (matrix != expected).nnz == 0
    assert matrix.has_sorted_indices


@settings(max_examples=300, deadline=None)
@given(documents=st.lists(DOCUMENT, min_size=1, max_size=8), max_df=st.sampled_from([0.5, 1.0]))
def test_same_as_scikit_learn(documents: list[str], max_df: float) -> None:
    assert_same(documents, max_df)


@given(documents=st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_same_as_scikit_learn_on_any_text(documents: list[str]) -> None:
    assert_same(documents, 1.0)


def test_the_seed_catalogue() -> None:
    """The documents related papers are made of, all 189 seed papers."""
    records, topic_records, _ = load_tree(ROOT / "content", Memo())
    papers, topics, _ = validate(records, topic_records)
    documents = links._documents(papers, {t.id: t for t in topics})
    assert_same(documents, 0.5)


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        (["the of and", "a b c"], "empty vocabulary; perhaps the documents only contain stop words"),
        (["", ""], "empty vocabulary; perhaps the documents only contain stop words"),
        (["model", "model"], "After pruning, no terms remain. Try a lower min_df or a higher max_df."),
    ],
)  # fmt: skip
def test_errors(documents: list[str], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        count_terms(documents, max_df=0.5)
    assert str(caught.value) == message


def test_names_of_some_columns() -> None:
    matrix, terms = count_terms(["scaling laws for models", "scaling laws"])
    assert list(terms.names()) == ["laws", "laws models", "models", "scaling", "scaling laws"]
    assert list(terms.names([4, 0])) == ["scaling laws", "laws"]
    assert matrix.toarray().tolist() == [[1, 1, 1, 1, 1], [1, 0, 0, 1, 1]]
