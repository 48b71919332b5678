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
