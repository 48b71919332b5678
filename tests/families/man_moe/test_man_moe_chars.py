"""MAN-MoE+CharCNN (``man_moe.model.characters``): the alphabet by hand, the
character ids of a padded batch, the corpus records checked against the feature
cache, a short run with characters resumed exactly, and no CharCNN without them."""

import copy
import math

import pytest
import torch

from xlt.config import ConfigError, validate_config
from xlt.data.corpus import write_task_corpus
from xlt.encoders.features import FeatureSplit, concatenate
from xlt.families.man_moe import family as man_moe
from xlt.families.man_moe.characters import (
    MAX_CHARS,
    alphabet_size,
    attach_characters,
    build_alphabet,
    char_ids,
)
from xlt.families.man_moe.model import CharCNN
from xlt.families.man_moe.runner import add_characters, build_model, run_identity, run_target
from xlt.families.man_moe.runs import Run
from xlt.families.man_moe.training import TrainingData, padded, predict, train_man_moe

SETTINGS = {
    "batch_size": 8,
    "learning_rate": 1e-3,
    "weight_decay": 1e-8,
    "lambda1": 0.1,
    "lambda2": 0.01,
    "k": 1,
    "max_steps": 6,
    "eval_every_steps": 2,
    "patience": 100,
    "checkpoint_every_steps": 2,
    "dropout": 0.1,
    "hidden": 16,
    "filters": 8,
    "characters": True,
    "lowercase": [],
}


def _ids(word_ids: list[int]) -> list[int]:
    return word_ids + [0] * (MAX_CHARS - len(word_ids))


def test_the_alphabet_numbers_the_train_characters_from_2_and_lowercases_listed_languages():
    # xb is lowercased (as German in the paper), xa is not
    words = {"xb": [["Éc"]], "xa": [["Ab", "ba"], []]}
    alphabet = build_alphabet(words, lowercase=["xb"])
    # code-point order: A (65) a (97) b (98) c (99) é (233); no É, lowercased away
    assert alphabet == {"A": 2, "a": 3, "b": 4, "c": 5, "é": 6}
    assert alphabet_size(alphabet) == 7  # padding 0, unknown 1
    # the same alphabet whatever the order of the languages
    assert build_alphabet(dict(reversed(words.items())), lowercase=["xb"]) == alphabet
    # as read: A and b known; É and z not (unknown 1); padding 0 after a word's end
    ids = char_ids([["Abc", "Éz"], ["a"]], alphabet, lowercase=False)
    assert ids.shape == (3, MAX_CHARS)
    assert ids.tolist() == [_ids([2, 4, 5]), _ids([1, 1]), _ids([3])]
    # lowercased: abc and éz
    assert char_ids([["Abc", "Éz"]], alphabet, lowercase=True).tolist() == [
        _ids([3, 4, 5]),
        _ids([6, 1]),
    ]
    # a long word is cut to its first MAX_CHARS characters, also for the alphabet
    long = "a" * MAX_CHARS + "xyz"
    assert char_ids([[long]], alphabet, lowercase=False).tolist() == [[3] * MAX_CHARS]
    assert "x" not in build_alphabet({"xa": [[long]]})
    assert char_ids([[]], alphabet, lowercase=False).shape == (0, MAX_CHARS)


def _split(lengths: list[int], dim: int = 1) -> FeatureSplit:
    offsets = torch.zeros(len(lengths) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(torch.tensor(lengths), 0)
    words = int(offsets[-1])
    vectors = torch.arange(words * dim, dtype=torch.float).reshape(words, dim)
    return FeatureSplit(vectors, torch.zeros(words, dtype=torch.long), offsets)


def test_a_padded_batch_holds_every_words_characters_and_zeros_past_each_end():
    sentences = [["ab", "c"], ["b"]]
    split = _split([2, 1])
    files = {"xa": "xa.pt"}
    features = {"xa": {"train": split}}
    alphabet = attach_characters(
        features, {"xa": {"train": sentences}}, [], {"xa": {"train": "xa.jsonl"}}, files
    )
    assert alphabet == {"a": 2, "b": 3, "c": 4}
    batch = padded(split)
    assert batch.chars.shape == (2, 2, MAX_CHARS) and batch.chars.dtype == torch.long
    assert batch.chars.tolist() == [
        [_ids([2, 3]), _ids([4])],
        [_ids([3]), _ids([])],  # the second sentence's padding word: all zeros
    ]
    # chosen and reordered sentences keep their words' characters
    assert padded(split, [1, 0]).chars[:, 0].tolist() == [_ids([3]), _ids([2, 3])]
    both = concatenate([split.select([1]), split.select([0])])
    assert torch.equal(padded(both).chars, padded(split, [1, 0]).chars)
    # a split without characters pads none, as before
    assert padded(_split([2, 1])).chars is None
    assert concatenate([split, _split([1])]).chars is None


def _write_language(tmp_path, lang: str, sentences: dict[str, list[list[str]]]) -> list[str]:
    paths = []
    for split in man_moe.SPLITS:
        path = tmp_path / f"{lang}-{split}.jsonl"
        records = [{"words": s, "labels": ["O"] * len(s)} for s in sentences[split]]
        write_task_corpus(path, records)
        paths.append(str(path))
    return paths


def test_records_that_do_not_match_the_feature_cache_are_an_error_naming_both_files(tmp_path):
    text = {"train": [["Ab", "c"], ["d"]], "dev": [["e", "f", "g"]], "test": [["h"], []]}
    corpora = _write_language(tmp_path, "xa", text)

    def features(dev: list[int]):
        return {"xa": {"train": _split([2, 1]), "dev": _split(dev), "test": _split([1, 0])}}

    files = {"xa": str(tmp_path / "xa.pt")}
    matched = features([3])
    alphabet = add_characters(matched, files, corpora, lowercase=["xa"], task="ner")
    # the train words' characters only, lowercased: dev's e f g and test's h unknown
    assert alphabet == {"a": 2, "b": 3, "c": 4, "d": 5}
    assert matched["xa"]["dev"].chars.tolist() == [_ids([1])] * 3
    assert matched["xa"]["test"].chars.shape == (1, MAX_CHARS)  # the empty sentence: none
    # a sentence of another length, then a sentence too many
    for dev, found in (([2], "1 sentences, 2 word vectors"), ([3, 0], "2 sentences, 3 word")):
        with pytest.raises(ValueError) as error:
            add_characters(features(dev), files, corpora, lowercase=[], task="ner")
        message = str(error.value)
        assert f"{corpora[1]}: 1 sentences, 3 words" in message
        assert f"{files['xa']} holds {found}" in message

    # a raw text for the discriminator: its words get characters too, and a cache
    # that does not match it is named
    raw = tmp_path / "xa.txt"
    raw.write_text("c Ab\n\nd d e\n", encoding="utf-8")
    with_text = features([3])
    with_text["xa"]["text"] = _split([2, 3])
    add_characters(with_text, files, corpora, ["xa"], "ner", {"xa": str(raw)}, None,
                   {"xa": "xa-text.pt"})  # fmt: skip
    assert with_text["xa"]["text"].chars.tolist()[:2] == [_ids([4]), _ids([2, 3])]
    with_text["xa"]["text"] = _split([2, 2])
    with pytest.raises(ValueError, match=r"xa.txt: 2 sentences, 5 words, but xa-text.pt holds"):
        add_characters(with_text, files, corpora, [], "ner", {"xa": str(raw)}, None,
                       {"xa": "xa-text.pt"})  # fmt: skip


def _language(seed: int, sentences: int = 24, dim: int = 8):
    """Sentences of 3-6 random words (letters of the language's own half of the
    alphabet and a few shared) with random vectors; label 1 for a capitalised word."""
    g = torch.Generator().manual_seed(seed)
    letters = "abcdefghij"[5 * (seed % 2) :][:5] + "xyz"
    words, lengths, labels = [], [], []
    for _ in range(sentences):
        n = int(torch.randint(3, 7, (1,), generator=g))
        sentence = []
        for _ in range(n):
            size = int(torch.randint(1, 8, (1,), generator=g))
            chars = torch.randint(0, len(letters), (size,), generator=g)
            word = "".join(letters[i] for i in chars.tolist())
            if torch.rand(1, generator=g).item() < 0.5:
                word = word.capitalize()
            sentence.append(word)
            labels.append(int(word[0].isupper()))
        words.append(sentence)
        lengths.append(n)
    split = _split(lengths, dim)
    split.vectors = torch.randn(split.vectors.shape, generator=g)
    split.labels = torch.tensor(labels)
    return split, words


def _toy_with_characters():
    langs = ("xa", "xb", "xc")
    features, sentences = {}, {}
    for i, lang in enumerate(langs):
        (train, train_words), (dev, dev_words) = _language(i), _language(10 + i, 8)
        features[lang] = {"train": train, "dev": dev, "test": dev}
        sentences[lang] = {"train": train_words, "dev": dev_words, "test": dev_words}
    corpora = {lang: {s: f"{lang}-{s}.jsonl" for s in sentences[lang]} for lang in langs}
    files = {lang: f"{lang}.pt" for lang in langs}
    alphabet = attach_characters(features, sentences, ["xc"], corpora, files)
    data = TrainingData(
        task="pos",
        sources=["xa", "xb"],
        languages=list(langs),
        labelled={s: (features[s]["train"], features[s]["dev"]) for s in ("xa", "xb")},
        unlabelled={lang: features[lang]["train"] for lang in langs},
    )
    return data, alphabet


def _char_model(data, alphabet, seed: int):
    torch.manual_seed(seed)
    return build_model(Run("man_moe", "xc", ("xa", "xb")), data, 8, 17, SETTINGS, alphabet)


def test_a_run_with_characters_trains_its_charcnn_and_resumes_exactly(tmp_path):
    data, alphabet = _toy_with_characters()
    straight = _char_model(data, alphabet, seed=3)
    assert isinstance(straight.chars, CharCNN)
    assert straight.chars.embed.num_embeddings == alphabet_size(alphabet)
    embedding = straight.chars.embed.weight.detach().clone()
    torch.manual_seed(11)
    summary = train_man_moe(straight, data, SETTINGS, 5, tmp_path / "one", "run")
    assert len(summary["history"]) == 3
    for entry in summary["history"]:
        assert all(math.isfinite(entry[k]) for k in ("task", "gate", "adversary", "dev"))
    assert not torch.equal(embedding, straight.chars.embed.weight)  # the characters train
    killed = _char_model(data, alphabet, seed=3)
    torch.manual_seed(11)
    train_man_moe(killed, data, {**SETTINGS, "max_steps": 2}, 5, tmp_path / "two", "run")
    resumed = _char_model(data, alphabet, seed=99)  # the checkpoint replaces its weights
    torch.manual_seed(12345)  # and the RNG state
    again = train_man_moe(resumed, data, SETTINGS, 5, tmp_path / "two", "run")
    assert again["history"] == summary["history"]
    for key, value in straight.state_dict().items():
        assert torch.equal(value, resumed.state_dict()[key]), key
    dev = data.labelled["xa"][1]
    assert torch.equal(predict(resumed, dev)[0], predict(straight, dev)[0])
    # a model with a CharCNN refuses sentences without characters
    batch = padded(FeatureSplit(dev.vectors, dev.labels, dev.offsets), [0])
    with pytest.raises(ValueError, match="CharCNN"):
        resumed(batch.vectors, batch.lengths, batch.mask)


def test_without_characters_no_charcnn_is_built_and_the_alphabet_is_part_of_a_runs_identity():
    data, alphabet = _toy_with_characters()
    run = Run("man_moe", "xc", ("xa", "xb"))
    off = {**SETTINGS, "characters": False, "lowercase": ["xc"]}
    assert build_model(run, data, 8, 17, off, alphabet).chars is None
    on = build_model(run, data, 8, 17, SETTINGS, alphabet)
    assert on.shared.lstm.input_size == 8 + SETTINGS["hidden"]
    # a run is its unit and settings: a checkpoint of other settings is another run's
    assert run_identity("pos", "xc", run, 1, off, digest="d1") == (
        f"pos/xc/man_moe/seed1/{sorted(off.items())}/data-d1"
    )
    assert run_identity("pos", "xc", run, 1, off) != run_identity("pos", "xc", run, 1, SETTINGS)
    # ... and so is one of other vectors (another encoder, another raw text)
    assert run_identity("pos", "xc", run, 1, off, digest="d1") != run_identity(
        "pos", "xc", run, 1, off, digest="d2"
    )
    # with characters, another alphabet is another run
    other = {**alphabet, "é": len(alphabet) + 2}
    assert run_identity("pos", "xc", run, 1, SETTINGS, alphabet) != run_identity(
        "pos", "xc", run, 1, SETTINGS, other
    )
    # characters on but no alphabet: refused before any training
    features = {lang: {"train": split} for lang, split in data.unlabelled.items()}
    with pytest.raises(ValueError, match="characters is on"):
        run_target("pos", "xc", [run], features, SETTINGS, 1, "cpu", "unused")


def test_the_config_keys_reach_the_settings_and_a_stray_lowercase_language_is_refused(
    default_config,
):
    config = copy.deepcopy(default_config)
    assert "man_moe" in config["methods"]
    settings = man_moe.settings(validate_config(copy.deepcopy(config)), "ner")
    assert (settings["characters"], settings["lowercase"]) == (False, [])
    config["man_moe"]["model"].update(characters=True, lowercase=["qad"])
    valid = validate_config(copy.deepcopy(config))
    assert man_moe.uses_characters(valid)
    settings = man_moe.settings(valid, "ner")
    assert (settings["characters"], settings["lowercase"]) == (True, ["qad"])
    config["man_moe"]["model"]["lowercase"] = ["qad", "qae"]
    with pytest.raises(ConfigError, match=r"'man_moe.model.lowercase\[1\]': qae is not one of"):
        validate_config(config)
