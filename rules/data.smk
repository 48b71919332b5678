# Raw data -> common corpus format (one JSONL per task, language and split)
# and the language table. The embedded default generates its data; real
# sources (UD, WikiANN) plug in here through the same raw formats.


rule generate_synthetic_language:
    """One artificial language: UD-style treebank, WikiANN-style NER, XNLI-style
    sentence pairs, sentences with a polarity, questions on paragraphs, raw text
    and raw text parallel across the languages."""
    output:
        ud_train=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-train.conllu",
        ud_dev=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-dev.conllu",
        ud_test=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-test.conllu",
        ner_train=f"{SYNTHETIC}/wikiann/{{lang}}/train",
        ner_dev=f"{SYNTHETIC}/wikiann/{{lang}}/dev",
        ner_test=f"{SYNTHETIC}/wikiann/{{lang}}/test",
        xnli_train=f"{SYNTHETIC}/xnli/train-{{lang}}.tsv",
        xnli_dev=f"{SYNTHETIC}/xnli/dev-{{lang}}.tsv",
        xnli_test=f"{SYNTHETIC}/xnli/test-{{lang}}.tsv",
        sentiment_train=f"{SYNTHETIC}/sentiment/train-{{lang}}.tsv",
        sentiment_dev=f"{SYNTHETIC}/sentiment/dev-{{lang}}.tsv",
        sentiment_test=f"{SYNTHETIC}/sentiment/test-{{lang}}.tsv",
        qa_train=f"{SYNTHETIC}/qa/train-{{lang}}.json",
        qa_dev=f"{SYNTHETIC}/qa/dev-{{lang}}.json",
        qa_test=f"{SYNTHETIC}/qa/test-{{lang}}.json",
        unlabelled=f"{SYNTHETIC}/unlabelled/{{lang}}.txt",
        parallel=f"{SYNTHETIC}/parallel/{{lang}}.txt",
        typology=f"{SYNTHETIC}/typology/{{lang}}.json",
    log:
        logs("generate_synthetic_language", "{lang}"),
    benchmark:
        bench("generate_synthetic_language", "{lang}")
    # about a second of work: on a cluster, less than submitting it would cost
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        spec=lambda wildcards: synthetic_spec(wildcards.lang),
    script:
        "../workflow_scripts/generate_synthetic_language.py"


# Checking every corpus comes before any training: a malformed file stops the run
# (no new job starts) before an expensive job has begun (priority 50).
if REAL:

    rule preprocess_corpus:
        """Read one raw split of real data, check it against the task's tag set,
        write JSONL."""
        input:
            raw=raw_corpus,
            tagsets="metadata/tagsets.yaml",
        output:
            corpus=corpus("{task}", "{lang}", "{split}"),
            source=corpus_source("{task}", "{lang}", "{split}"),
        log:
            logs("preprocess_corpus", "{task}/{lang}/{split}"),
        benchmark:
            bench("preprocess_corpus", "{task}/{lang}/{split}")
        priority: 50
        conda:
            "../envs/data.yaml"
        threads: 1
        resources:
            mem_mb=4000,
            runtime=30,
        params:
            role=lambda wildcards: role(config, wildcards.lang),
            data=config["data"],
            root=lambda wildcards: data_root(wildcards.task),
        script:
            "../workflow_scripts/preprocess_corpus.py"

else:

    rule preprocess_synthetic:
        """Read every raw split of one synthetic language (all tasks), check each
        against its task's tag set, write JSONL: one job per language, as its
        corpora are generated together (one process instead of one per split)."""
        input:
            unpack(synthetic_raw_corpora),
            tagsets="metadata/tagsets.yaml",
        output:
            corpora=synthetic_outputs(corpus),
            sources=synthetic_outputs(corpus_source),
        log:
            logs("preprocess_synthetic", "{lang}"),
        benchmark:
            bench("preprocess_synthetic", "{lang}")
        priority: 50
        localrule: True  # a second of work, like the generation
        conda:
            "../envs/data.yaml"
        threads: 1
        resources:
            mem_mb=4000,
            runtime=30,
        params:
            units=SYNTHETIC_UNITS,
            role=lambda wildcards: role(config, wildcards.lang),
        script:
            "../workflow_scripts/preprocess_synthetic.py"


checkpoint corpus_summary:
    """Sentence and token counts of every corpus the grid uses; a corpus a
    family cannot use (a few-shot pool smaller than its k) fails here, before
    any model trains. A checkpoint: every job below takes its table as ancient
    input, and when it reruns (a family setting changed) Snakemake would not
    look at those jobs' own changes in the same invocation; after a checkpoint
    it re-evaluates them."""
    input:
        corpora=lambda wildcards: [corpus(*c) for c in needed_corpora(config)],
        sources=lambda wildcards: [corpus_source(*c) for c in needed_corpora(config)],
    output:
        table=CORPORA_CHECKED,
    log:
        logs("corpus_summary"),
    benchmark:
        bench("corpus_summary")
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        # the families' settings decide what a corpus must hold (few-shot k):
        # rechecked when they change (training rules take the table as ancient)
        families={
            family.config_key: config.get(family.config_key)
            for family in active_families(config)
            if family.config_key
        },
    script:
        "../workflow_scripts/corpus_summary.py"


rule language_table:
    """Codes, families and typology vectors of every language in the grid."""
    input:
        typology=lambda wildcards: (
            []
            if REAL
            else expand(
                f"{SYNTHETIC}/typology/{{lang}}.json", lang=corpus_languages(config)
            )
        ),
        codes="metadata/language_codes.tsv",
    output:
        table=LANGUAGE_TABLE,
    log:
        logs("language_table"),
    benchmark:
        bench("language_table")
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        real=REAL,
        languages=corpus_languages(config),
        feature_sets=language_feature_sets(),
    script:
        "../workflow_scripts/language_table.py"


rule download_ud_release:
    """An official UD release from LINDAT (skipped when data.ud.local_dir is set)."""
    output:
        release=directory("resources/ud/ud-treebanks-v{version}"),
    log:
        logs("download_ud_release", "{version}"),
    benchmark:
        bench("download_ud_release", "{version}")
    retries: 3
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    script:
        "../workflow_scripts/download_ud_release.py"


rule download_wikiann:
    """One language of WikiANN's Rahimi et al. split, from its archive or the hub."""
    output:
        files=directory("resources/wikiann/{ner_source}/{wikiann_code}"),
    log:
        logs("download_wikiann", "{ner_source}/{wikiann_code}"),
    benchmark:
        bench("download_wikiann", "{ner_source}/{wikiann_code}")
    retries: 3
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    script:
        "../workflow_scripts/download_wikiann.py"


rule download_conll2002:
    """CoNLL-2002 (Spanish esp.*, Dutch ned.*) from NLTK's data, where its files are
    not in data.conll.local_dir (CoNLL-2003 is licensed: never downloaded)."""
    output:
        files=expand(
            "resources/conll/conll2002/{prefix}.{file_split}",
            prefix=["esp", "ned"],
            file_split=["train", "testa", "testb"],
        ),
    log:
        logs("download_conll2002"),
    benchmark:
        bench("download_conll2002")
    retries: 3
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    script:
        "../workflow_scripts/download_conll2002.py"


rule download_xnli:
    """One XNLI file in XTREME's layout from the hub: English MultiNLI train, a
    language's XNLI dev or test (data.xnli.source hub)."""
    output:
        tsv="resources/xnli/hub/{xnli_split}-{lang}.tsv",
    log:
        logs("download_xnli", "{xnli_split}-{lang}"),
    benchmark:
        bench("download_xnli", "{xnli_split}-{lang}")
    retries: 3
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../workflow_scripts/download_xnli.py"


rule download_qa:
    """One QA file from the hub in SQuAD v1.1 JSON: English SQuAD v1.1 train or
    dev, or a language's XQuAD (data.qa.source hub)."""
    output:
        json="resources/qa/hub/{qa_file}",
    log:
        logs("download_qa", "{qa_file}"),
    benchmark:
        bench("download_qa", "{qa_file}")
    retries: 3
    localrule: True
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../workflow_scripts/download_qa.py"


rule real_pretraining_text:
    """Unlabelled text (train and dev splits, never test) for the embedded encoder."""
    input:
        sources=lambda wildcards: pretraining_sources(wildcards.lang),
    output:
        text=f"resources/pretraining-text/{EXPERIMENT}/{{lang}}.txt",
    log:
        logs("real_pretraining_text", "{lang}"),
    benchmark:
        bench("real_pretraining_text", "{lang}")
    conda:
        "../envs/data.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        tasks=config["tasks"],
        data=config["data"],
    script:
        "../workflow_scripts/real_pretraining_text.py"
