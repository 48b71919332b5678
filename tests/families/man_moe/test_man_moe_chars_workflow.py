"""With man_moe.model.characters the train_man_moe job reads the corpora (every
split of every language of the set) and the raw texts its discriminator reads,
without it only the feature caches."""

import re

import pytest
import yaml

from workflow_helpers import snakemake

# starts Snakemake (a dry run): out of make test-fast
pytestmark = pytest.mark.slow


def _job_inputs(project, model: dict) -> list[str]:
    """The inputs of one train_man_moe job of a dry run (target qab, seed 1)."""
    overlay = project / "characters.yaml"
    overlay.write_text(yaml.safe_dump({"man_moe": {"model": model}}))
    experiment = yaml.safe_load((project / "config.yaml").read_text())["experiment"]
    target = f"results/{experiment}/runs/man_moe/ner/qab/seed1/results.json"
    result = snakemake(project, "-n", "--configfile", str(overlay), "--forcerun", target)
    text = result.stdout + result.stderr
    # a rule's block: its indented lines
    blocks = re.findall(r"^rule train_man_moe:\n((?:    .*\n?)*)", text, flags=re.M)
    block = [b for b in blocks if target in b]  # the default also runs sentiment
    assert len(block) == 1, text[-3000:]
    inputs = re.search(r"^\s+input: (.*)$", block[0], flags=re.M)
    return [path.strip() for path in inputs.group(1).split(",")]


def test_characters_give_the_man_moe_job_every_corpus_of_its_languages(project):
    experiment = yaml.safe_load((project / "config.yaml").read_text())["experiment"]
    corpora = {
        f"results/{experiment}/data/ner/{lang}/{split}.jsonl"
        for lang in ("qab", "qac", "qad", "qaf")
        for split in ("train", "dev", "test")
    }
    with_characters = _job_inputs(project, {"characters": True, "lowercase": ["qad"]})
    assert corpora <= set(with_characters)
    assert f"results/{experiment}/features/man_moe/ner" in with_characters
    # the default's discriminator reads raw text: its vectors, and with characters
    # its words
    texts = {f"resources/synthetic/{experiment}/unlabelled/{lang}.txt"
             for lang in ("qab", "qac", "qad", "qaf")}  # fmt: skip
    assert f"results/{experiment}/features/man_moe_text" in with_characters
    without = _job_inputs(project, {"characters": False})
    assert not corpora & set(without) and not texts & set(without)
    assert set(with_characters) - set(without) == corpora | texts
