"""Real corpora through the pipeline's rules, on the shared samples of real data."""

import copy

import pytest

from xlt.config.validation import ConfigError, validate_config
from xlt.data.corpus import CorpusFormatError
from xlt.data.holdout import split_off_dev
from xlt.data.real_data import records, unlabelled_text
from xlt.data.sources.ud import ud_source
from xlt.data.sources.wikiann import UnlabelledSplitError

DATA = {
    "source": "real",
    "ud": {"version": "2.4", "local_dir": None, "policy": "largest", "treebanks": {}},
    "ner": {"source": "rahimi", "local_dir": None, "split_seed": 1, "eval_split": "dev"},
}


@pytest.fixture
def roots(shared_data):
    return {
        "ud": shared_data / "ud" / "ud-treebanks-sample",
        "panx": shared_data / "ner" / "panx-xtreme" / "download" / "panx",
        "rahimi": shared_data / "ner" / "wikiann-rahimi",
    }


def test_source_language_trains_on_its_train_split(roots):
    train = records("pos", roots["ud"], "en", "train", "train", DATA)
    dev = records("pos", roots["ud"], "en", "dev", "train", DATA)
    assert (len(train), len(dev)) == (600, 200)  # UD_English-EWT sample
    assert {"words", "labels", "heads", "deprels"} <= set(train[0])


def test_treebank_without_train_trains_on_test_when_seen(roots):
    # UD_Finnish-TDT in the sample has dev and test only (Ponti et al. 2021 rule)
    train = records("pos", roots["ud"], "fi", "train", "train", DATA)
    assert len(train) == 300
    with pytest.raises(ValueError, match="fi"):
        records("pos", roots["ud"], "fi", "test", "train", DATA)  # its test is training data
    assert len(records("pos", roots["ud"], "fi", "test", "test", DATA)) == 300


def test_the_source_of_a_split_says_which_treebank_and_which_stand_in(roots):
    ud_cfg = {"policy": "largest", "treebanks": {}}
    # the Amharic sample has only a test split: as a source language it trains on it
    train = ud_source(roots["ud"], "am", "train", "train", ud_cfg)
    assert train["treebanks"] == ["UD_Amharic-ATT"]
    assert [p.rsplit("/", 1)[1] for p in train["files"]] == ["am_att-ud-test.conllu"]
    assert train["notes"] == [
        "treebank chosen by policy largest: UD_Amharic-ATT (300 test sentences)",
        "no dev split: a seeded 10% of the training sentences is the dev split, the rest "
        "the train split",
        "no train split: the test data of UD_Amharic-ATT trains",
    ]
    # as a target it is evaluated on that test split, with no stand-in
    test = ud_source(roots["ud"], "am", "test", "test", ud_cfg)
    assert test["notes"] == [
        "treebank chosen by policy largest: UD_Amharic-ATT (300 test sentences)"
    ]


def test_dev_less_source_holds_out_part_of_train(roots):
    # UD_Kazakh-KTB: 31 train sentences, no dev
    train = records("pos", roots["ud"], "kk", "train", "train", DATA)
    dev = records("pos", roots["ud"], "kk", "dev", "train", DATA)
    assert (len(train), len(dev)) == (28, 3)  # round(0.1 * 31) = 3
    assert not {tuple(r["words"]) for r in dev} & {tuple(r["words"]) for r in train}


def test_holdout_ignores_record_order():
    items = [{"words": [f"w{i}"], "labels": ["X"]} for i in range(50)]
    _, dev = split_off_dev(items, seed=3)
    _, dev_reversed = split_off_dev(items[::-1], seed=3)
    assert sorted(r["words"][0] for r in dev) == sorted(r["words"][0] for r in dev_reversed)
    assert len(dev) == 5


def test_unlabelled_panx_test_is_never_scored(roots):
    data = copy.deepcopy(DATA)
    data["ner"]["eval_split"] = "test"
    with pytest.raises(UnlabelledSplitError, match="unlabelled"):
        records("ner", roots["panx"], "de", "test", "test", data)
    # the explicit choice: score targets on dev
    assert len(records("ner", roots["panx"], "de", "test", "test", DATA)) == 200


def test_wikiann_codes_are_mapped(roots):
    assert len(records("ner", roots["rahimi"], "pt", "train", "train", DATA)) == 600


def test_tag_outside_the_tag_set_names_file_and_line(tmp_path):
    (tmp_path / "train-de.tsv").write_text("Berlin\tB-LOC\nist\tO\n\nEU\tB-MISC\n\n")
    with pytest.raises(CorpusFormatError, match=r"train-de\.tsv:4: tag 'B-MISC'"):
        records("ner", tmp_path, "de", "train", "train", DATA)


def test_missing_local_directory_names_the_config_key(tmp_path):
    with pytest.raises(FileNotFoundError, match="data.ud.local_dir"):
        records("pos", tmp_path / "nowhere", "en", "train", "train", DATA)


def test_pretraining_text_leaves_out_evaluated_splits(roots):
    data = {
        **DATA,
        "ud": {**DATA["ud"], "local_dir": str(roots["ud"])},
        "ner": {**DATA["ner"], "local_dir": str(roots["panx"])},
    }
    lines = unlabelled_text("de", ["pos", "ner"], data)
    # German UD sample: dev 200 (no train; test never); PAN-X: train 600 (dev is scored)
    assert len(lines) == 200 + 600


def real_config(**languages):
    config = {
        "experiment": "t",
        "data": {"source": "real"},
        "tasks": ["pos", "ner"],
        "languages": {"sources": [["en"]], "targets": ["de"], "distance_features": ["syntax_knn"]},
        "methods": ["zero_shot"],
        "seeds": [1],
        "encoder": {"name": "xlm-roberta-base"},
        "training": {"epochs": 1, "batch_size": 8, "learning_rate": 1e-5},
    }
    config["languages"].update(languages)
    return config


def test_real_config_gets_data_defaults():
    config = validate_config(real_config())
    assert config["data"]["ud"]["version"] == "2.4"
    assert config["data"]["ner"]["eval_split"] == "test"


def test_unknown_real_language_is_named():
    with pytest.raises(ConfigError, match=r"languages\.targets\[1\]': unknown language 'xx'"):
        validate_config(real_config(targets=["de", "xx"]))


def test_synthetic_distance_features_rejected_for_real_languages():
    with pytest.raises(ConfigError, match="distance_features\\[0\\]': 'syntax' is not a URIEL"):
        validate_config(real_config(distance_features=["syntax"]))


def test_code_variants_name_known_languages_and_lang2vec_codes():
    config = real_config()
    config["zero_shot"] = {"code_variants": {"individual": {"xx": "arb", "de": "zzz"}}}
    with pytest.raises(ConfigError) as error:
        validate_config(config)
    message = str(error.value)
    assert "'zero_shot.code_variants.individual.xx': unknown language 'xx'" in message
    assert "individual.de': lang2vec/URIEL has no language 'zzz'" in message
    config["zero_shot"] = {"code_variants": {"individual": {"de": "gsw"}}}
    assert validate_config(config)["zero_shot"]["code_variants"] == {"individual": {"de": "gsw"}}


def test_a_missing_ner_file_is_named_by_the_split_that_is_scored(tmp_path):
    from xlt.data.real_data import data_gap

    for name in ("train-en.tsv", "dev-en.tsv", "dev-de.tsv"):
        (tmp_path / name).write_text("x:Berlin\tB-LOC\n\n", encoding="utf-8")
    config = real_config(targets=["de"])
    config["data"]["ner"] = {"source": "rahimi", "local_dir": str(tmp_path), "eval_split": "dev"}
    data = validate_config(config)["data"]
    gap = data_gap("ner", "sv", "test", data)
    assert gap == (
        f"no WikiANN dev file of 'sv' in {tmp_path} (the scored split, data.ner.eval_split)"
    )
    assert data_gap("ner", "de", "test", data) is None
