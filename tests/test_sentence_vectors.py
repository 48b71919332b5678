"""Mean-pooled sentence vectors per layer, checked against the encoder run by hand."""

import pytest
import torch
from torch.testing import assert_close

from xlt.encoders.embedded import train_tokenizer
from xlt.encoders.sentence_vectors import layer_sentence_vectors
from xlt.encoders.windows import subword_ids

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def tokenizer():
    texts = ["the cat sat on the mat", "a dog ran in the park", "cats and dogs"] * 20
    return train_tokenizer(texts, vocab_size=60)


def tiny_bert(vocab_size: int):
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
    )
    return BertModel(config).eval()


def hidden_states(encoder, ids: list[int]):
    """Every layer's vectors [length, hidden] of one unpadded input, run directly."""
    with torch.no_grad():
        out = encoder(input_ids=torch.tensor([ids]), output_hidden_states=True)
    return [h[0] for h in out.hidden_states]


def with_specials(tokenizer, words):
    return tokenizer(words, is_split_into_words=True)["input_ids"]


def test_vectors_are_means_over_subwords_without_specials_or_padding(tokenizer):
    encoder = tiny_bert(len(tokenizer))
    sentences = [["the", "parks", "sat"], ["a", "dog", "ran", "in", "the", "catdog"], ["mat"]]
    pieces = subword_ids(tokenizer, sentences)
    assert [len(pieces[0][1]), len(pieces[1][5])] == [2, 3]  # words of several subwords
    layers = [2, 0, 1]
    vectors = layer_sentence_vectors(encoder, tokenizer, sentences, layers, 32, CPU)
    assert vectors.shape == (3, 3, 16) and vectors.dtype == torch.float32
    for s, words in enumerate(sentences):
        ids = with_specials(tokenizer, words)
        assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
        states = hidden_states(encoder, ids)
        for i, layer in enumerate(layers):
            # [CLS] at 0 and [SEP] at the end are left out; the batch's padding too
            assert_close(vectors[i, s], states[layer][1:-1].mean(dim=0), atol=1e-5, rtol=1e-5)


def test_a_long_sentence_counts_each_subword_once_from_the_window_owning_it(tokenizer):
    encoder = tiny_bert(len(tokenizer))
    words = ["the", "cat", "sat", "on", "the", "mat", "the", "dog", "ran", "in"] * 2
    assert all(len(ids) == 1 for ids in subword_ids(tokenizer, [words])[0])
    short = ["a", "dog"]
    vectors = layer_sentence_vectors(encoder, tokenizer, [short, words], [1], 12, CPU)
    # As in test_windows: windows over words [0, 10), [5, 15), [10, 20) own words
    # 0-7, 8-12 and 13-19; one subword a word, [CLS] first, so word w of a window
    # starting at word a sits at position 1 + w - a.
    first = hidden_states(encoder, with_specials(tokenizer, words[0:10]))[1]
    second = hidden_states(encoder, with_specials(tokenizer, words[5:15]))[1]
    third = hidden_states(encoder, with_specials(tokenizer, words[10:20]))[1]
    total = first[1:9].sum(0) + second[4:9].sum(0) + third[4:11].sum(0)
    assert_close(vectors[0, 1], total / 20, atol=1e-5, rtol=1e-5)
    alone = hidden_states(encoder, with_specials(tokenizer, short))[1]
    assert_close(vectors[0, 0], alone[1:-1].mean(0), atol=1e-5, rtol=1e-5)


@pytest.fixture(scope="module")
def sentencepiece_tokenizer():
    """An XLM-R-style tokenizer (as in test_windows) whose Chinese words start with
    a bare ``▁`` piece: their label sits on the second piece, yet both count."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    pieces = ["\u2581", "\u2581the", "\u2581cat", "我们", "学习", "中文"]
    chars = sorted(set("thecat我们学习中文"))
    vocab = [(t, 0.0) for t in specials] + [(p, -2.0) for p in pieces] + [(c, -5.0) for c in chars]
    model = Tokenizer(models.Unigram(vocab, unk_id=3))
    model.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    model.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
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


def test_bare_word_boundary_pieces_count_too(sentencepiece_tokenizer):
    tok = sentencepiece_tokenizer
    encoder = tiny_bert(len(tok))
    words = ["我们", "学习", "中文"]
    ids = with_specials(tok, words)
    tokens = tok.convert_ids_to_tokens(ids)
    assert tokens == ["<s>", "\u2581", "我们", "\u2581", "学习", "\u2581", "中文", "</s>"]
    vectors = layer_sentence_vectors(encoder, tok, [words, ["the", "cat"]], [0, 2], 32, CPU)
    states = hidden_states(encoder, ids)
    assert_close(vectors[0, 0], states[0][1:7].mean(0), atol=1e-5, rtol=1e-5)
    assert_close(vectors[1, 0], states[2][1:7].mean(0), atol=1e-5, rtol=1e-5)


def test_empty_sentences_and_missing_layers_are_refused(tokenizer):
    encoder = tiny_bert(len(tokenizer))
    with pytest.raises(ValueError, match=r"sentences \[1\] have no words"):
        layer_sentence_vectors(encoder, tokenizer, [["cat"], []], [0], 32, CPU)
    with pytest.raises(ValueError, match=r"layers \[3\] do not exist.*to 2 \(the last\)"):
        layer_sentence_vectors(encoder, tokenizer, [["cat"]], [0, 3], 32, CPU)
