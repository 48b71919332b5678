"""The workflow as a user starts it: dry runs of the shipped configs, config
mistakes caught before any job, a local data directory edited, the analyses of
published scores."""

import time

import pandas as pd
import pytest
import yaml

from workflow_helpers import SMOKE, planned_jobs, smoke_with, snakemake

# every test here starts Snakemake (dry runs and small runs): out of make test-fast
pytestmark = pytest.mark.slow


def test_default_dry_run_plans_the_whole_grid(project):
    jobs = planned_jobs(snakemake(project, "-n"))
    assert jobs["train_zero_shot"] == 6 * 1 * 1  # tasks x source sets x seeds
    assert jobs["evaluate_zero_shot"] == 1 * 1  # source sets x seeds: every task's model
    # qaa-qag, and qah, qai, qaj for the factorization grid (qai, qaj seen in both tasks)
    assert jobs["generate_synthetic_language"] == 10
    assert jobs["plot_per_language"] == jobs["plot_transfer_vs_distance"] == 1
    assert jobs["transfer_analysis"] == jobs["plot_transfer_features"] == 1
    # word vectors: one job per (family, task) encodes the family's languages: the
    # factorization experiment's 2 tagging tasks, the survey's 2, MAN-MoE's NER; dep
    # is zero-shot only
    assert jobs["encode_features"] == 2 + 2 + 1
    # all languages; the similar/different subsets (Table 2) are off in the default
    assert jobs["factorization_partitions"] == 1
    # frozen encoder: one job per seed trains PF-d and PF-lr, x 2 partitions; one
    # more LS and JM
    assert jobs["train_factorization"] == jobs["train_pooled_head"] == 1  # one seed
    assert jobs["train_language_heads"] == 1  # one set of NS/BEA sources per seed
    assert jobs["evaluate_heldout"] == 1  # one per seed, scoring 6 x 2 models
    assert jobs["plot_entropy"] == jobs["plot_language_pca"] == 1
    # few-shot: pos and ner continued on the 6 targets besides the source, seed 1 only;
    # one samples file per (task, target), shared by every seed; one job per zero-shot
    # model runs every target
    assert jobs["few_shot_samples"] == 2 * 6 and jobs["train_few_shot"] == 2
    assert jobs["aggregate_few_shot"] == jobs["plot_few_shot_gains"] == 1
    # interpolation: one pair, 3 of the paper's 4 tasks (not XNLI), seed 1: the
    # target-only and bilingual models (the source model is zero-shot's), one job per
    # pair scoring the grids of both lines and of the plane
    assert jobs["train_interpolation_model"] == 3 * 2 and jobs["interpolate"] == 3
    assert jobs["aggregate_interpolation"] == jobs["plot_interpolation_plane"] == 1
    # MAN-MoE: NER over qab qac qad qaf, target qab, seed 1 (sentiment only in the
    # smoke grid): one job per task trains its 3 single-source models and 6
    # multi-source systems; D reads each language's raw text, encoded once for every
    # task, by one job
    assert jobs["train_man_moe"] == 1 and jobs["encode_man_moe_text"] == 1
    assert jobs["aggregate_man_moe"] == jobs["plot_man_moe_gates"] == 1
    # the survey: a frozen all-pairs job per task (pos, ner; seed 1) on the cached vectors
    # above, one overlap job, sentence vectors of the 4 languages of its 3 translation
    # pairs (one job per parallel text), and its four figures (two scatters from one rule)
    assert jobs["survey_transfer"] == 2 and jobs["entity_wordpiece_overlap"] == 1
    assert jobs["encode_sentence_vectors"] == 1 and jobs["nn_translation"] == 1
    assert jobs["aggregate_survey"] == jobs["plot_survey_all_pairs"] == 1
    assert jobs["plot_survey_measure"] == 2 and jobs["plot_survey_translation"] == 1


def test_man_moe_dry_run_plans_one_job_per_target(project):
    overlay = project / "man-moe.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "seeds": [1, 2],
                "man_moe": {"targets": None, "seeds": [1, 2], "tasks": ["ner", "sentiment"]},
            }
        )
    )
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", str(overlay)))
    # every language of the set the target once, two tasks, two seeds
    assert jobs["train_man_moe"] == 4 * 2 * 2
    assert jobs["aggregate_man_moe"] == jobs["plot_man_moe_gates"] == 1
    # a target outside the set is refused, naming the key, before any job
    overlay.write_text(yaml.safe_dump({"man_moe": {"targets": ["qab", "qae"]}}))
    result = snakemake(project, "-n", "--configfile", str(overlay), check=False)
    assert result.returncode != 0
    assert (
        "'man_moe.targets[1]': qae is not one of man_moe.languages" in result.stdout + result.stderr
    )


def test_slurm_profile_dry_run_without_slurm(project):
    result = snakemake(project, "--profile", "profiles/slurm", "-n")
    assert planned_jobs(result)["train_zero_shot"] == 6 * 1  # tasks x seeds


def test_config_typo_fails_before_any_job(project):
    bad = project / "bad.yaml"
    bad.write_text(yaml.safe_dump({"training": {"lerning_rate": 0.1}}))
    result = snakemake(project, "--cores", "1", *smoke_with(bad), check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "training.lerning_rate" in output and "did you mean 'learning_rate'" in output
    assert not (project / "results").exists() and not (project / "resources").exists()


def test_unknown_target_language_fails_before_any_job(project):
    bad = project / "bad.yaml"
    bad.write_text(yaml.safe_dump({"languages": {"targets": ["qaa", "xx"]}}))
    result = snakemake(project, "--cores", "1", *smoke_with(bad), check=False)
    assert result.returncode != 0
    assert "languages.targets[1]': unknown language 'xx'" in result.stdout + result.stderr
    assert not (project / "results").exists()


def test_a_partition_outside_the_configured_count_fails_before_any_job(project):
    # The smoke config has two partitions, numbered 1 and 2.
    for partition in (0, 3):
        target = f"results/smoke/factorization/all/ls/partition{partition}/seed1/train.json"
        result = snakemake(project, target, "--cores", "1", *SMOKE, check=False)
        assert result.returncode != 0
        assert f"No rule to produce {target}" in result.stdout + result.stderr
    assert not (project / "results").exists()


def test_editing_one_file_of_a_local_directory_reruns_only_its_corpus(project, tmp_path):
    # a user's own UD directory: two languages, train/dev/test each
    word = "1\tw\t_\tNOUN\t_\t_\t0\troot\t_\t_\n\n"
    ud_dir = tmp_path / "my-ud"
    for name, stem in [("UD_English-A", "en_a"), ("UD_German-B", "de_b")]:
        (ud_dir / name).mkdir(parents=True)
        for split in ("train", "dev", "test"):
            (ud_dir / name / f"{stem}-ud-{split}.conllu").write_text(word * 5)
    overlay = project / "local.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "experiment": "local-edit",
                "data": {"source": "real", "ud": {"local_dir": str(ud_dir)}},
                "tasks": ["pos"],
                "languages": {
                    "sources": [["en"]],
                    "targets": ["en", "de"],
                    "distance_features": ["syntax_knn"],
                },
                "methods": ["zero_shot"],
                "encoder": {"embedded": {"pretrain": {"languages": ["en", "de"]}}},
            }
        )
    )
    corpora = [
        f"results/local-edit/data/pos/{lang}/{split}.jsonl"
        for lang in ("en", "de")
        for split in ("train", "dev", "test")
    ]
    texts = [f"resources/pretraining-text/local-edit/{lang}.txt" for lang in ("en", "de")]
    config = ["--configfile", "configs/test/smoke.yaml", str(overlay)]
    snakemake(project, *corpora, *texts, "--cores", "2", *config)
    assert planned_jobs(snakemake(project, *corpora, *texts, "-n", *config)) == {}
    # fixing one file inside the directory (its mtime changes, the directory's not)
    time.sleep(1)
    (ud_dir / "UD_German-B" / "de_b-ud-test.conllu").write_text(word * 6)
    result = snakemake(project, *corpora, *texts, "-n", *config)
    assert planned_jobs(result) == {"preprocess_corpus": 1}  # test text never pretrains
    assert "results/local-edit/data/pos/de/test.jsonl" in result.stdout
    snakemake(project, *corpora, *texts, "--cores", "2", *config)
    (ud_dir / "UD_German-B" / "de_b-ud-train.conllu").write_text(word * 7)
    result = snakemake(project, *corpora, *texts, "-n", *config)
    assert planned_jobs(result) == {"preprocess_corpus": 1, "real_pretraining_text": 1}
    assert "resources/pretraining-text/local-edit/de.txt" in result.stdout


def test_factorization_paper_config_dry_runs_its_full_grid_without_data(project):
    config = "configs/ponti2021-factorization.yaml"
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", config))
    assert "train_zero_shot" not in jobs
    # mBERT is fine-tuned by every method: no cached vectors, no linear heads
    assert "encode_features" not in jobs and "train_language_heads" not in jobs
    assert jobs["train_language_model"] == 2 * 33 * 3  # NS/BEA sources: task x language x seed
    assert jobs["factorization_partitions"] == 1 + 2 * 2  # all + similar/different 11 and 22
    # 6 methods on all 33 languages, PF-lr on 4 subsets; 2 partitions, 3 seeds
    assert jobs["evaluate_heldout"] == 3  # one per seed, scoring (6 + 4) x 2 models
    assert jobs["train_factorization"] == (2 + 4) * 2 * 3
    assert jobs["train_pooled_head"] == 2 * 2 * 3
    assert jobs["download_encoder"] == 1 and jobs["download_ud_release"] == 1
    # the same grid with mBERT frozen caches its vectors once per task and language
    frozen = project / "frozen.yaml"
    frozen.write_text(yaml.safe_dump({"factorization": {"encoder": "frozen"}}))
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", config, str(frozen)))
    assert jobs["encode_features"] == 2  # a task's 33 languages and English (LS) each
    assert jobs["train_language_heads"] == 3 and "train_language_model" not in jobs
    assert jobs["train_factorization"] == jobs["train_pooled_head"] == 3  # one per seed


@pytest.mark.parametrize("name", ["lauscher2020-mbert", "lauscher2020-xlmr"])
def test_paper_config_dry_runs_without_any_data(project, name):
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", f"configs/{name}.yaml"))
    assert jobs["train_zero_shot"] == 5 * 3  # tasks (dep, pos, ner, xnli, qa) x seeds
    assert jobs["evaluate_zero_shot"] == 3  # one per seed, scoring the five models
    # few-shot: one job per zero-shot model (task, seed), running every (strategy, k,
    # run) of every target besides English: 12 DEP, POS and NER targets, 14 XNLI, 10 XQuAD
    targets = 3 * 12 + 14 + 10
    assert jobs["train_few_shot"] == 5 * 3 and jobs["few_shot_samples"] == targets
    # MultiNLI train, English dev (model selection) and test; the 14 targets' test,
    # and their dev sets (the few-shot pool)
    assert jobs["download_xnli"] == 3 + 14 + 14
    # SQuAD v1.1 train and dev, English XQuAD (kept out of dev), the 10 XQuAD targets
    # (their reserved articles are the few-shot pool)
    assert jobs["download_qa"] == 13
    assert jobs["download_encoder"] == 1 and jobs["download_ud_release"] == 1


@pytest.mark.parametrize("name", ["wu2022-interpolation", "wu2022-interpolation-xlmr"])
def test_interpolation_paper_config_dry_runs_without_any_data(project, name):
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", f"configs/{name}.yaml"))
    # the source models: XNLI, NER, POS, DEP from English and from Arabic, 3 seeds
    assert jobs["train_zero_shot"] == 4 * 2 * 3
    # 15 pairs (English to 8 targets, Arabic to 7) x 4 tasks x 3 seeds: a target-only
    # and a bilingual model each, and one job scoring the grids of two lines and a plane
    assert jobs["train_interpolation_model"] == 15 * 4 * 3 * 2
    assert jobs["interpolate"] == 15 * 4 * 3
    assert jobs["download_ud_release"] == 1 and jobs["download_wikiann"] == 9
    # XNLI: MultiNLI (English) and XNLI-MT's 8 other languages train; all 9 languages'
    # dev sets select and score the grids, their test sets score the zero-shot models
    assert jobs["download_xnli"] == 9 + 9 + 9


def test_man_moe_paper_config_dry_runs_without_any_data(project):
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", "configs/chen2019-man-moe.yaml"))
    # CoNLL NER leave-one-out over en de es nl, targets de es nl (Table 4), 3 seeds:
    # one job per (target, seed) trains its 3 single-source models and 6 systems
    assert jobs["train_man_moe"] == 3 * 3
    assert jobs["aggregate_man_moe"] == jobs["plot_man_moe_gates"] == 1
    # mBERT's vectors of the 4 languages in one job; CoNLL-2002 (es, nl) downloaded,
    # CoNLL-2003 (en, de) is licensed: read from resources/conll, never fetched
    assert jobs["encode_features"] == 1 and jobs["download_encoder"] == 1
    assert "encode_man_moe_text" not in jobs  # D reads the train splits' words
    assert jobs["download_conll2002"] == 1 and "train_zero_shot" not in jobs


def test_man_moe_amazon_paper_config_dry_runs_without_any_data(project):
    config = "configs/chen2019-man-moe-amazon.yaml"
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", config))
    # sentiment leave-one-out over en de fr ja, targets de fr ja (Table 5), 3 seeds
    assert jobs["train_man_moe"] == 3 * 3 and jobs["encode_features"] == 1
    assert jobs["aggregate_man_moe"] == jobs["plot_man_moe_gates"] == 1
    assert "encode_man_moe_text" not in jobs and "train_zero_shot" not in jobs


def test_published_scores_config_trains_nothing(project):
    jobs = planned_jobs(
        snakemake(project, "-n", "--configfile", "configs/lauscher2020-published.yaml")
    )
    assert jobs == {
        "language_table": 1,
        "transfer_analysis": 1,
        "plot_transfer_features": 1,
        "findings": 1,
        "rule_runtimes": 1,
        "report_pages": 1,
        "all": 1,
    }


@pytest.mark.slow
def test_published_scores_reproduce_the_papers_tables_2_and_3(project):
    snakemake(project, "--cores", "1", "--configfile", "configs/lauscher2020-published.yaml")
    tables = project / "results/lauscher2020-published/tables"
    # the findings stage puts the paper's Table 2 (metadata/lauscher2020_table2.csv)
    # beside ours, coefficient by coefficient
    comparison = pd.read_csv(tables / "findings_comparison.csv")
    table2 = comparison[comparison.table == "Table 2: correlations beside the paper's"]
    assert len(table2) == 7 * 6  # 7 (task, model) rows of the paper x 6 features
    gaps = pd.concat([table2.pearson_gap, table2.spearman_gap])
    per_feature = comparison[comparison.table == "Table 2: mean absolute difference per feature"]
    mean = per_feature.set_index("feature").mean_absolute_difference
    # 84 coefficients; measured 0.198 (SYN 0.06, GEO 0.07, FAM 0.16, SIZE 0.28,
    # PHON 0.20, INV 0.41): other URIEL and Wikipedia versions than the paper's
    assert mean["SYN"] < 0.08 and mean["GEO"] < 0.08
    assert (per_feature.coefficients == 14).all() and len(gaps) == 84
    # Arabic is lang2vec's ara (its own code for ar), which has inventory_average values
    # (the individual language arb has none): every target counts
    variants_table = pd.read_csv(tables / "transfer_variants.csv")
    inv = variants_table[(variants_table.variant == "inventory_average")
                         & (variants_table.feature == "INV")]  # fmt: skip
    expected = {"dep": 12, "pos": 12, "ner": 12, "qa": 10, "xnli": 14}
    assert len(inv) == 2 * 7 and (inv.languages == inv.task.map(expected)).all()
    # every other choice side by side, one at a time, each with missing values pairwise and
    # listwise: feature sets, ISO codes (individual: arb, cmn, swh), every size measure
    variants = comparison[
        comparison.table == "Table 2 under each feature variant: mean absolute difference"
    ]
    overall = (
        variants[variants.feature == "all"]
        .set_index(["variant", "codes", "size_measure", "missing"])
        .coefficients
    )
    choices = [
        ("used", "used", "used"),
        ("average", "used", "used"),
        ("inventory_average", "used", "used"),
        ("used", "individual", "used"),
    ]
    measures = {
        "wiki_dump_bytes": 60,
        "wiki_tokens": 60,
        "wiki_articles": 60,
        "cc100_tokens_m": 24,
    }  # 5 mBERT tasks or 2 XLM-R tasks x 6 features x 2
    expected = {(*c, m): 84 for c in choices for m in ("pairwise", "listwise")}
    expected |= {("used", "used", measure, m): n for measure, n in measures.items()
                 for m in ("pairwise", "listwise")}  # fmt: skip
    assert overall.to_dict() == expected
    # Table 3: the features the paper's greedy selection chose come first here too, but
    # mBERT's QA picks SIZE first only when SIZE counts Wikipedia articles, tokens or dump
    # bytes; with extracted text bytes (the measure in use) SYN comes first
    fits = pd.read_csv(tables / "meta_regression.csv").set_index(["experiment", "task"])
    first = fits.selected.str.split(" ").str[0]
    assert first["lauscher2020-mbert", "ner"] == "PHON"
    assert first["lauscher2020-mbert", "dep"] == first["lauscher2020-mbert", "pos"] == "SYN"
    assert (
        first["lauscher2020-xlmr", "qa"] == "PHON" and first["lauscher2020-xlmr", "xnli"] == "SYN"
    )
    regressions = pd.read_csv(tables / "transfer_variants_regression.csv")
    qa = regressions[(regressions.experiment == "lauscher2020-mbert") & (regressions.task == "qa")
                     & (regressions.variant == "used") & (regressions.codes == "used")
                     & (regressions.missing == "pairwise")]  # fmt: skip
    assert qa.set_index("size_measure").selected.str.split(" ").str[0].to_dict() == {
        "used": "SYN",
        "wiki_dump_bytes": "SIZE",
        "wiki_tokens": "SIZE",
        "wiki_articles": "SIZE",
    }


def test_survey_paper_config_plans_the_all_pairs_grid_and_pud_translation(project):
    # PUD treebanks come with the UD release the run downloads: on a fresh clone the dry run
    # plans the download and the encoding jobs find the treebanks in it
    jobs = planned_jobs(snakemake(project, "-n", "--configfile", "configs/survey-mbert.yaml"))
    # every language the source in turn: 2 tasks x 9 sources x 3 seeds, fine-tuned
    assert jobs["train_zero_shot"] == 2 * 9 * 3
    assert jobs["evaluate_zero_shot"] == 9 * 3  # per (source, seed): both tasks' models
    assert "survey_transfer" not in jobs  # the pairs' scores are the zero-shot table's
    assert jobs["encode_sentence_vectors"] == 1 and jobs["nn_translation"] == 1  # PUD
    assert jobs["entity_wordpiece_overlap"] == jobs["aggregate_survey"] == 1
    assert jobs["download_encoder"] == 1 and jobs["download_ud_release"] == 1


def test_a_grid_that_reads_no_corpus_gets_an_empty_corpus_table(project):
    # the survey's translation analysis alone reads parallel text, no task corpus
    overlay = project / "translation-only.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {"methods": ["survey"], "survey": {"analyses": ["translation"], "tasks": ["pos"]}}
        )
    )
    args = ["--configfile", "configs/test/smoke.yaml", str(overlay)]
    snakemake(project, "--cores", "1", *args, "--until", "corpus_summary")
    table = (project / "results/smoke/tables/corpora.csv").read_text().splitlines()
    assert table == ["task,language,split,sentences,words,labels,treebanks,files,notes"]
