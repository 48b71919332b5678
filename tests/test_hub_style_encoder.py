"""The code path for hub encoders, on a tiny XLM-R-style model built offline.

XLM-R uses a SentencePiece (Unigram, Metaspace) tokenizer with <s>/</s>
specials instead of BERT's WordPiece and [CLS]/[SEP]; windows, training and
prediction must not depend on which one they get.
"""

import pytest
from tokenizers import SentencePieceUnigramTokenizer
from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizerFast

from xlt.encoders.loading import load_encoder
from xlt.encoders.windows import IGNORE, make_windows
from xlt.encoders.with_head import TokenClassifier, predict

TEXTS = ["the cat sat on the mat", "a dog ran in the park", "cats and dogs sleep"] * 30


@pytest.fixture(scope="module")
def xlmr_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("xlmr")
    core = SentencePieceUnigramTokenizer()
    core.train_from_iterator(
        TEXTS,
        vocab_size=80,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        unk_token="<unk>",
    )
    tokenizer = XLMRobertaTokenizerFast(tokenizer_object=core._tokenizer)
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=80,
        pad_token_id=tokenizer.pad_token_id,
    )
    XLMRobertaModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def test_windows_use_the_encoders_own_special_tokens(xlmr_dir):
    tokenizer, encoder = load_encoder(xlmr_dir)
    assert type(encoder).__name__ == "XLMRobertaModel"
    windows = make_windows(tokenizer, [["the", "cats", "sleep"]], [[1, 2, 3]], max_length=16)
    [window] = windows
    assert window.input_ids[0] == tokenizer.bos_token_id == tokenizer.cls_token_id
    assert window.input_ids[-1] == tokenizer.eos_token_id
    assert [lab for lab in window.labels if lab != IGNORE] == [1, 2, 3]
    assert [window.labels[i] for i in window.word_starts] == [1, 2, 3]


def test_prediction_gives_one_label_per_word(xlmr_dir):
    tokenizer, encoder = load_encoder(xlmr_dir)
    model = TokenClassifier(encoder, num_labels=4, dropout=0.0)
    sentences = [["the", "cat", "sat"], ["dogs"] * 40]
    pred = predict(model, tokenizer, sentences, max_length=12, device="cpu")
    assert [len(p) for p in pred] == [3, 40]
    assert all(0 <= label < 4 for p in pred for label in p)
