"""WikiANN from the Hugging Face hub (``unimelb-nlp/wikiann``: the Rahimi et al.
split) through ``datasets``, kept apart from ``wikiann`` so that code which
only finds or reads local files never needs ``datasets``."""

from __future__ import annotations

from xlt.data.corpus import NERSentence

HUB_DATASET = "unimelb-nlp/wikiann"
# ClassLabel names of the hub dataset's ner_tags, in id order (its dataset card
# and the original loading script); used only if a copy lacks the ClassLabel.
HUB_LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
HUB_SPLITS = {"train": "train", "dev": "validation", "test": "test"}


def _label_names(dataset) -> list[str]:
    feature = dataset.features["ner_tags"]
    names = getattr(getattr(feature, "feature", None), "names", None)
    return list(names) if names else list(HUB_LABELS)


def hub_to_sentences(dataset) -> list[NERSentence]:
    """Convert rows ``{tokens, ner_tags}`` with ClassLabel ids to NERSentence."""
    names = _label_names(dataset)
    sentences = []
    for i, row in enumerate(dataset):
        tokens, ids = row["tokens"], row["ner_tags"]
        if len(tokens) != len(ids) or not tokens:
            raise ValueError(
                f"hub row {i}: {len(tokens)} tokens and {len(ids)} tags "
                "(need one tag per token and at least one token)"
            )
        sentences.append(NERSentence(list(tokens), [names[t] for t in ids]))
    return sentences


def load_hub(
    code: str, split: str, cache_dir=None, *, path: str = HUB_DATASET
) -> list[NERSentence]:
    """One split of WikiANN language ``code`` from the hub (the Rahimi split).

    ``split`` is train, dev or test (the hub calls dev "validation"); ``path``
    may name a local copy laid out like the hub repository.
    """
    import datasets

    if split not in HUB_SPLITS:
        raise ValueError(f"unknown split '{split}' (known: {', '.join(HUB_SPLITS)})")
    cache = None if cache_dir is None else str(cache_dir)
    dataset = datasets.load_dataset(path, name=code, split=HUB_SPLITS[split], cache_dir=cache)
    return hub_to_sentences(dataset)
