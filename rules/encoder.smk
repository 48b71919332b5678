# The encoder every method builds on: the embedded default is pretrained here
# offline; hub encoders are fetched once into resources/ (on the login node).


rule pretrain_embedded_encoder:
    """Tokenizer + small BERT, masked-LM pretrained on every language's raw text."""
    input:
        text=pretraining_text,
    output:
        encoder=directory("results/encoder/embedded"),
        summary="results/encoder/embedded.json",
    log:
        "logs/pretrain_embedded_encoder.log",
    conda:
        "../envs/torch.yaml"
    threads: 2
    params:
        settings=config["encoder"].get("embedded"),
    script:
        "../workflow_scripts/pretrain_embedded_encoder.py"


rule download_encoder:
    """Snapshot of a Hugging Face hub encoder; compute jobs then run offline."""
    output:
        encoder=directory("resources/encoders/{slug}"),
    log:
        "logs/download_encoder/{slug}.log",
    retries: 3
    localrule: True
    conda:
        "../envs/torch.yaml"
    params:
        repo_id=lambda wildcards: wildcards.slug.replace("--", "/"),
    script:
        "../workflow_scripts/download_encoder.py"
