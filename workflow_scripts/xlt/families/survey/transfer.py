"""All-pairs transfer on a frozen encoder: one linear classifier per source language
on its cached word vectors (selected on its own dev split), scored on the test
split of every language, itself included (the matrix's diagonal)."""

from __future__ import annotations

from xlt.encoders.features import FeatureSplit, split_score
from xlt.families.factorization.heads import train_linear_head


def all_pairs_scores(
    task: str, splits_by_lang: dict[str, dict[str, FeatureSplit]], settings: dict, seed: int
) -> list[dict]:
    """Rows (task, source, target, seed, score) for every ordered pair of the
    languages of ``splits_by_lang`` (each with train, dev and test splits), in
    their order: the source's classifier, trained on its train split with the
    epoch chosen on its dev split, scores every language's test split."""
    rows = []
    for source, splits in splits_by_lang.items():
        head, _ = train_linear_head(task, splits["train"], [splits["dev"]], settings, seed)
        for target, target_splits in splits_by_lang.items():
            test = target_splits["test"]
            predicted = head.predict_proba(test.vectors).argmax(-1)
            rows.append(
                {"task": task, "source": source, "target": target, "seed": seed,
                 "score": split_score(task, test, predicted)}
            )  # fmt: skip
    return rows
