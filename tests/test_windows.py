"""Subword alignment and windowing, on a tokenizer trained by the test."""

import pytest

from xlt.encoders.embedded import train_tokenizer
from xlt.encoders.windows import IGNORE, make_windows, subword_ids, window_spans


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


def test_a_sentence_three_windows_long_is_read_with_context_on_both_sides(tokenizer):
    words = ["the", "cat", "sat", "on", "the", "mat", "the", "dog", "ran", "in"] * 2
    assert all(len(ids) == 1 for ids in subword_ids(tokenizer, [words])[0])  # 1 subword each
    windows = make_windows(tokenizer, [words], [list(range(20))], max_length=12)
    # 10 subwords a window, each starting 5 words after the last: [0, 10) [5, 15) [10, 20)
    assert window_spans([1] * 20, 10) == [(0, 10), (5, 15), (10, 20)]
    assert [len(w.input_ids) for w in windows] == [12, 12, 12]
    # word 7: 2 words of context on its poorer side in either of the first two windows
    # (tie: the earlier); word 8: 1 in the first, 3 in the second
    assert [w.first_word for w in windows] == [0, 8, 13]
    assert [len(w.word_starts) for w in windows] == [8, 5, 7]
    # the second window holds words 5-14; it labels 8-12, word 10 at position 1 + 5
    second = windows[1]
    assert second.input_ids[1:-1] == windows[0].input_ids[6:-1] + windows[2].input_ids[1:6]
    assert second.word_starts == [4, 5, 6, 7, 8] and second.labels[6] == 10
    assert [lab for w in windows for lab in w.labels if lab != IGNORE] == list(range(20))


def test_word_longer_than_a_window_keeps_its_label(tokenizer):
    words = ["cat", "xqzxqzxqzxqzxqzxqzxqz", "dog"]
    windows = make_windows(tokenizer, [words], [[5, 6, 7]], max_length=5)
    recovered = [lab for w in windows for lab in w.labels if lab != IGNORE]
    assert recovered == [5, 6, 7]
    assert all(len(w.input_ids) <= 5 for w in windows)


def test_too_small_max_length_is_an_error(tokenizer):
    with pytest.raises(ValueError, match="no room"):
        make_windows(tokenizer, [["cat"]], None, max_length=2)


@pytest.fixture(scope="module")
def sentencepiece_tokenizer():
    """An XLM-R-style tokenizer: a SentencePiece unigram model with ``▁`` word
    boundaries and <s> ... </s> around every input. Its vocabulary has English
    words with their boundary (``▁the``) but Chinese words without one, as a
    model trained on Chinese written without spaces has: a Chinese word then
    starts with a bare ``▁`` piece."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    pieces = ["\u2581", "\u2581the", "\u2581cat", "\u2581sat", "我们", "学习", "中文"]
    chars = sorted(set("thecatsa我们学习中文"))
    vocab = [(t, 0.0) for t in specials] + [(p, -2.0) for p in pieces] + [(c, -5.0) for c in chars]
    model = Tokenizer(models.Unigram(vocab, unk_id=3))
    model.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    model.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    model.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    return XLMRobertaTokenizerFast(
        tokenizer_object=model,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
    )


def test_cjk_words_take_their_first_piece_with_characters(sentencepiece_tokenizer):
    tok = sentencepiece_tokenizer
    words = ["我们", "学习", "中文"]
    pieces = [
        tok.convert_ids_to_tokens(tok(w, add_special_tokens=False)["input_ids"]) for w in words
    ]
    assert all(p[0] == "\u2581" and len(p) > 1 for p in pieces)  # the case being fixed
    (window,) = make_windows(tok, [words], [[1, 2, 3]], max_length=32)
    tokens = tok.convert_ids_to_tokens(window.input_ids)
    assert tokens[0] == "<s>" and tokens[-1] == "</s>"
    # each label sits on the piece after the bare boundary, which carries characters
    assert [tokens[i] for i in window.word_starts] == [p[1] for p in pieces]
    labelled = [i for i, lab in enumerate(window.labels) if lab != IGNORE]
    assert labelled == window.word_starts
    assert [window.labels[i] for i in labelled] == [1, 2, 3]
    # the bare pieces stay in the input (the encoder sees the word boundaries)
    assert tokens.count("\u2581") == 3


def test_english_words_keep_their_first_piece(sentencepiece_tokenizer):
    tok = sentencepiece_tokenizer
    (window,) = make_windows(tok, [["the", "cat", "sat"]], [[1, 2, 3]], max_length=32)
    tokens = tok.convert_ids_to_tokens(window.input_ids)
    assert all(tokens[i].startswith("\u2581") and len(tokens[i]) > 1 for i in window.word_starts)
    assert window.word_starts == [1, 2, 3]


def test_every_word_is_owned_once_by_windows_in_order():
    import random

    from xlt.encoders.windows import window_owners

    rng = random.Random(0)
    for _ in range(2000):
        budget = rng.randint(1, 20)
        lengths = [min(rng.randint(1, 6), budget) for _ in range(rng.randint(1, 60))]
        spans = window_spans(lengths, budget)
        assert spans[0][0] == 0 and spans[-1][1] == len(lengths)
        assert all(start < end and sum(lengths[start:end]) <= budget for start, end in spans)
        owners = window_owners(lengths, spans)
        # owners never go back: each window owns one run of consecutive words
        assert owners == sorted(owners)
        assert all(spans[o][0] <= w < spans[o][1] for w, o in enumerate(owners))
