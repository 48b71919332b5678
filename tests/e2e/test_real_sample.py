"""The whole workflow on the shared samples of real UD treebanks, PAN-X, XNLI and
CoNLL NER files."""

import json

import pandas as pd
import pytest
import yaml

from workflow_helpers import copy_project, snakemake

RESULTS = "results/real-sample"  # configs/test/real-sample.yaml's experiment


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    from conftest import SHARED_DATA, without_shared_data

    if not SHARED_DATA.is_dir():
        without_shared_data(f"shared real-data samples not found at {SHARED_DATA}")
    project = copy_project(tmp_path_factory.mktemp("real") / "project")
    paths = project / "paths.yaml"  # the copy is not beside shared/: absolute paths
    paths.write_text(
        yaml.safe_dump(
            {
                "data": {
                    "ud": {"local_dir": str(SHARED_DATA / "ud" / "ud-treebanks-sample")},
                    "ner": {"local_dir": str(SHARED_DATA / "ner/panx-xtreme/download/panx")},
                    "xnli": {"local_dir": str(SHARED_DATA / "xnli/xtreme")},
                    "conll": {"local_dir": str(SHARED_DATA / "ner")},
                },
                "survey": {"translation": {"pud_dir": str(SHARED_DATA / "parallel/pud")}},
            }
        )
    )
    snakemake(project, "--cores", "2", "--configfile", "configs/test/real-sample.yaml", str(paths))
    return project


def summary_text(project) -> str:
    return (project / RESULTS / "tables" / "summary.md").read_text()


@pytest.mark.slow
def test_real_sample_scores(real_run):
    scores = pd.read_csv(real_run / RESULTS / "tables" / "scores.csv")
    # tasks x targets, one seed; XNLI has no Finnish or Korean, CoNLL NER only English
    # of the targets (skipped, listed)
    assert len(scores) == 3 * 7 + 5 + 1
    summary = summary_text(real_run)
    assert "- conll_ner on de:" in summary
    assert "- xnli on fi: XNLI has no 'fi'" in summary and "- xnli on ko:" in summary
    # a skipped pair is said at the run's start, and recorded instead of scored
    (log,) = (real_run / ".snakemake/log").glob("*.snakemake.log")
    assert "zero_shot: xnli is not scored on fi: XNLI has no 'fi'" in log.read_text()
    skipped = json.loads(
        (real_run / RESULTS / "runs/zero_shot/xnli/en/seed1/eval/fi/metrics.json").read_text()
    )
    assert "score" not in skipped and skipped["skipped"].startswith("XNLI has no 'fi'")
    pos = scores[scores.task == "pos"].set_index("target").score
    ner = scores[scores.task == "ner"].set_index("target").score
    las = scores[scores.task == "dep"].set_index("target").score
    # 600 English sentences and a tiny encoder pretrained on 7 x ~1k sentences:
    # modest, but far above chance (17 tags: 6%; the commonest tag ~17%)
    assert pos["en"] > 40 and ner["en"] > 3
    assert (pos.drop("en") < pos["en"]).all()
    # parsing English (about 23 words a sentence: a random head is right 4% of the
    # time, a random labelled arc far less often)
    assert las["en"] > 15 and (las.drop("en") < las["en"]).all()
    metrics = json.loads(
        (real_run / RESULTS / "runs/zero_shot/dep/en/seed1/eval/en/metrics.json").read_text()
    )
    assert metrics["uas"] > metrics["las"] and metrics["scored_words"] == metrics["words"]
    # XNLI on English dev rows (no MultiNLI offline): scored on the 99 rows after
    # those that train and select, in every language
    nli = scores[scores.task == "xnli"].set_index("target")
    assert sorted(nli.index) == ["ar", "de", "en", "tr", "vi"]
    assert (nli.sentences == 99).all() and not nli.scored_on_selection_split.any()


@pytest.mark.slow
def test_real_sample_few_shot_samples_each_targets_own_data(real_run):
    tables = real_run / RESULTS / "tables"
    few = pd.read_csv(tables / "few_shot_scores.csv")
    continued = few.groupby("task").target.unique().map(sorted).to_dict()
    # POS where the target's sample treebank has a train file
    assert continued == {"pos": ["ko", "tr", "vi"]}
    summary = (tables / "few_shot.md").read_text()
    assert "- pos on de: no train split to sample from (no UD train file of 'de'" in summary
    samples = json.loads((real_run / RESULTS / "few_shot/samples/pos/ko.json").read_text())
    assert samples["split"] == "train" and samples["records"] == 600  # the sample's train file
    # every point a model that predicts more than one tag (no failed run)
    assert not few.degenerate.any()
    pos = few[few.task == "pos"].set_index(["target", "strategy", "k"]).score
    # 50 Korean sentences lift Korean POS far above the zero-shot transfer from English
    assert pos["ko", "rand", 50] > pos["ko", "zero-shot", 0] + 8


@pytest.mark.slow
def test_real_sample_corpora_match_the_files(real_run):
    corpora = pd.read_csv(real_run / RESULTS / "tables" / "corpora.csv")
    counts = corpora.set_index(["task", "language", "split"]).sentences
    assert counts["pos", "en", "train"] == 600 and counts["pos", "en", "dev"] == 200
    assert counts["pos", "ar", "test"] == 300  # UD_Arabic-PUD sample
    assert counts["ner", "en", "train"] == 600
    assert counts["ner", "tr", "test"] == 200  # PAN-X dev: its test files are unlabelled


@pytest.mark.slow
def test_real_sample_records_which_data_was_used(real_run):
    corpora = pd.read_csv(real_run / RESULTS / "tables" / "corpora.csv").fillna("")
    rows = corpora.set_index(["task", "language", "split"])
    assert rows.loc[("pos", "en", "train"), "treebanks"] == "UD_English-EWT"
    assert rows.loc[("pos", "en", "train"), "files"] == "en_ewt-ud-train.conllu"
    assert (
        "treebank chosen by policy largest: UD_English-EWT (600 train sentences)"
        in (rows.loc[("pos", "en", "train"), "notes"])
    )
    # PAN-X test files are unlabelled: the targets are scored on dev, and say so
    assert rows.loc[("ner", "tr", "test"), "notes"] == (
        "evaluated on the dev split (data.ner.eval_split)"
    )
    # English NER is scored on the dev split that selected its model: marked everywhere
    scores = pd.read_csv(real_run / RESULTS / "tables" / "scores.csv")
    flagged = scores[scores.scored_on_selection_split]
    assert set(zip(flagged.task, flagged.target, strict=True)) == {("ner", "en")}
    ner_table = (real_run / RESULTS / "tables" / "summary.md").read_text().split("### ner")[1]
    en_row = next(line for line in ner_table.splitlines() if line.startswith("| en |"))
    assert en_row.endswith(" † |") and "† scored on the dev split" in ner_table
    # the factorization family's runs say which seen language trains on its test data
    notes = {}
    for summary in (real_run / RESULTS / "factorization/all").glob(
        "pf_*/partition*/seed1/train.json"
    ):
        for key, found in json.loads(summary.read_text())["data_sources"].items():
            notes.setdefault(key, set()).update(found["notes"])
    assert "no train split: the test data of UD_Finnish-TDT trains" in notes["pos/fi/train"]
    run = json.loads((real_run / RESULTS / "runs/zero_shot/pos/en/seed1/train.json").read_text())
    (train,) = [v for k, v in run["data_sources"].items() if k.endswith("pos/en/train")]
    assert train["treebanks"] == ["UD_English-EWT"] and train["role"] == "train"


@pytest.mark.slow
def test_real_sample_language_table_from_uriel(real_run):
    table = pd.read_csv(real_run / RESULTS / "languages" / "languages.tsv", sep="\t")
    # the targets (MAN-MoE's leave-one-out set en, ko, tr, vi is among them)
    assert set(table.code) == {"en", "de", "tr", "fi", "ar", "ko", "vi"}
    assert any(column.startswith("syntax_knn:") for column in table.columns)
    scores = pd.read_csv(real_run / RESULTS / "tables" / "scores.csv")
    distance = scores.drop_duplicates("target").set_index("target").distance
    assert distance["en"] == 0 and (distance.drop("en") > 0).all()


@pytest.mark.slow
def test_real_sample_factorization_scores_every_held_out_pair(real_run):
    import json

    partitions = json.loads((real_run / RESULTS / "factorization/all/partitions.json").read_text())
    # every one of the 6 languages has data for both tasks: 12 pairs, 6 held out per partition
    assert len(partitions["available"]) == 12
    assert all(len(p["heldout"]) == 6 for p in partitions["partitions"])
    scores = pd.read_csv(real_run / RESULTS / "tables/factorization_scores.csv")
    assert set(scores.method) == {"pf_d", "pf_lr", "ls", "ns", "jm", "bea"}
    assert len(scores) == 6 * 2 * 6  # methods x partitions x held-out pairs, one seed
    assert scores.score.between(0, 100).all()
    # NS picks a seen language of the same task by URIEL similarity, never the target
    ns = scores[scores.method == "ns"]
    assert (ns.nearest != ns.language).all()
    # LS transfers from English: POS far above the 6 % of chance on every target
    ls = scores[(scores.method == "ls") & (scores.task == "pos")]
    assert ls.score.min() > 15
    assert (real_run / RESULTS / "figures/factorization_language_pca.png").stat().st_size > 1000


@pytest.mark.slow
def test_real_sample_man_moe_leave_one_out_on_pos(real_run):
    corpora = pd.read_csv(real_run / RESULTS / "tables" / "corpora.csv")
    counts = corpora.set_index(["task", "language", "split"]).sentences
    # the CoNLL-2003 sample (zero-shot's conll_ner): eng.train 600 sentences
    assert counts["conll_ner", "en", "train"] == 600
    scores = pd.read_csv(real_run / RESULTS / "tables" / "man_moe_scores.csv")
    # Turkish the target: 3 single-source models and 6 systems from en+ko+vi
    assert scores.target.unique().tolist() == ["tr"]
    assert len(scores) == 3 + 6
    assert sorted(scores[scores.system == "one_to_one"].sources) == ["en", "ko", "vi"]
    # no failed run: every model predicts more than one tag, each above the
    # commonest tag's share of the Turkish test words (NOUN, 27.4 %)
    assert not scores.degenerate.any() and scores.score.min() > 35
    # Figure 4's weights: MAN-MoE's gate spreads 1 over the three sources
    gates = pd.read_csv(real_run / RESULTS / "tables" / "man_moe_gates.csv")
    assert sorted(gates.expert) == ["en", "ko", "vi"]
    assert gates.weight.sum() == pytest.approx(1.0, abs=1e-4)
    table = (real_run / RESULTS / "tables" / "man_moe.md").read_text()
    assert "### pos" in table and "| man_moe |" in table and "Failed runs" not in table
    assert (real_run / RESULTS / "figures/man_moe_gates.png").stat().st_size > 1000
    # the discriminator read each language's raw text (config.yaml's man_moe.unlabelled:
    # on real data the corpora's train and dev sentences), its first 1000 lines at most
    import torch

    text = real_run / "resources/pretraining-text/real-sample/ko.txt"
    lines = [line for line in text.read_text(encoding="utf-8").splitlines() if line.split()]
    cached = torch.load(real_run / RESULTS / "features/man_moe_text/ko.pt", weights_only=True)
    assert cached["info"]["sentences"]["text"] == min(len(lines), 1000) > 0


@pytest.mark.slow
def test_real_sample_translates_pud_sentences_by_nearest_neighbour_per_layer(real_run):
    accuracy = pd.read_csv(real_run / RESULTS / "tables" / "survey_translation.csv")
    # two pairs x the embeddings and 2 layers; PUD's 1000 sentences: 500 fit, 500 matched
    assert len(accuracy) == 2 * 3 and (accuracy.text == "pud").all()
    assert (accuracy.fit == 500).all() and (accuracy.held_out == 500).all()
    first = accuracy[accuracy.layer == 0].set_index("target").accuracy
    # chance is 1 in 500 (0.2 %); German shares names, numbers and some words with
    # English and was pretrained on; Russian, unseen and in Cyrillic, shares less
    # (measured: 6.6 and 2.0)
    assert first["de"] > 5 * 0.2 and first["de"] > first["ru"]
    assert (real_run / RESULTS / "figures" / "survey_translation.png").stat().st_size > 1000
