"""Subword alignment and windowing, on a tokenizer trained by the test."""

import pytest

from xlt.encoders.embedded import train_tokenizer
from xlt.encoders.windows import IGNORE, make_windows


@pytest.fixture(scope="module")
def tokenizer():
    texts = ["the cat sat on the mat", "a dog ran in the park", "cats and dogs"] * 20
    return train_tokenizer(texts, vocab_size=60)


def test_label_sits_on_first_subword_only(tokenizer):
    sentences = [["the", "cats", "sat"]]
    windows = make_windows(tokenizer, sentences, [[1, 2, 3]], max_length=32)
    assert len(windows) == 1
    w = windows[0]
    assert w.input_ids[0] == tokenizer.cls_token_id and w.input_ids[-1] == tokenizer.sep_token_id
    labelled = [(i, lab) for i, lab in enumerate(w.labels) if lab != IGNORE]
    assert [lab for _, lab in labelled] == [1, 2, 3]
    assert [i for i, _ in labelled] == w.word_starts
    # every word's first subword is where its label is; continuation pieces are ignored
    assert len(w.input_ids) - 2 >= 3


def test_long_sentence_is_split_at_word_boundaries_without_losing_words(tokenizer):
    words = ["the", "cat", "sat", "on", "the", "mat"] * 10
    labels = list(range(len(words)))
    windows = make_windows(tokenizer, [words], [labels], max_length=12)
    assert len(windows) > 1
    assert all(len(w.input_ids) <= 12 for w in windows)
    recovered = [lab for w in windows for lab in w.labels if lab != IGNORE]
    assert recovered == labels
    firsts = [w.first_word for w in windows]
    assert firsts == sorted(firsts) and firsts[0] == 0


def test_word_longer_than_a_window_keeps_its_label(tokenizer):
    words = ["cat", "xqzxqzxqzxqzxqzxqzxqz", "dog"]
    windows = make_windows(tokenizer, [words], [[5, 6, 7]], max_length=5)
    recovered = [lab for w in windows for lab in w.labels if lab != IGNORE]
    assert recovered == [5, 6, 7]
    assert all(len(w.input_ids) <= 5 for w in windows)


def test_too_small_max_length_is_an_error(tokenizer):
    with pytest.raises(ValueError, match="no room"):
        make_windows(tokenizer, [["cat"]], None, max_length=2)
