# Raw data -> common corpus format (one JSONL per task, language and split)
# and the language table. The embedded default generates its data; real
# sources (UD, WikiANN) plug in here through the same raw formats.


rule generate_synthetic_language:
    """One artificial language: UD-style treebank, WikiANN-style NER, raw text."""
    output:
        ud_train=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-train.conllu",
        ud_dev=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-dev.conllu",
        ud_test=f"{SYNTHETIC}/ud-treebanks/UD_Synthetic-{{lang}}/{{lang}}_synth-ud-test.conllu",
        ner_train=f"{SYNTHETIC}/wikiann/{{lang}}/train",
        ner_dev=f"{SYNTHETIC}/wikiann/{{lang}}/dev",
        ner_test=f"{SYNTHETIC}/wikiann/{{lang}}/test",
        unlabelled=f"{SYNTHETIC}/unlabelled/{{lang}}.txt",
        typology=f"{SYNTHETIC}/typology/{{lang}}.json",
    log:
        "logs/generate_synthetic_language/{lang}.log",
    conda:
        "../envs/data.yaml"
    params:
        spec=lambda wildcards: synthetic_spec(wildcards.lang),
    script:
        "../workflow_scripts/generate_synthetic_language.py"


rule preprocess_corpus:
    """Read one raw split, check it against the task's tag set, write JSONL."""
    input:
        raw=raw_corpus,
        tagsets="metadata/tagsets.yaml",
    output:
        corpus="results/data/{task}/{lang}/{split}.jsonl",
    log:
        "logs/preprocess_corpus/{task}/{lang}/{split}.log",
    conda:
        "../envs/data.yaml"
    script:
        "../workflow_scripts/preprocess_corpus.py"


rule corpus_summary:
    """Sentence and token counts of every corpus the grid uses; a gate before training."""
    input:
        corpora=lambda wildcards: needed_corpora(),
    output:
        table=report(
            "results/tables/corpora.csv",
            category="Data",
            caption="../report/corpora.rst",
        ),
    log:
        "logs/corpus_summary.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    script:
        "../workflow_scripts/summarize_corpora.py"


rule language_table:
    """Codes, families and typology vectors of every language in the grid."""
    input:
        typology=lambda wildcards: expand(
            f"{SYNTHETIC}/typology/{{lang}}.json", lang=corpus_languages(config)
        ),
    output:
        table="results/languages/languages.tsv",
    log:
        "logs/language_table.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    script:
        "../workflow_scripts/build_language_table.py"
