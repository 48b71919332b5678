"""Entity word-piece overlap (Pires et al. 2019, the survey's Figure 2).

E_train is the set of the encoder's word pieces inside the gold entities of a
source's training data, E_eval that of a target's evaluation data; their overlap
is |E_train ∩ E_eval| / |E_train ∪ E_eval|. Entities are read from BIO tags
with seqeval, word pieces with the pipeline's own word tokenisation.
"""

from __future__ import annotations

from seqeval.metrics.sequence_labeling import get_entities

from xlt import tasks
from xlt.encoders.windows import subword_ids


def entity_words(task: str, records: list[dict]) -> list[list[str]]:
    """Per record, the words inside its gold entities (BIO spans, as seqeval reads them)."""
    result = []
    for record in records:
        words = tasks.record_tokens(task, record)
        spans = get_entities(tasks.record_labels(task, record))
        result.append([words[i] for _, start, end in spans for i in range(start, end + 1)])
    return result


def entity_pieces(tokenizer, task: str, records: list[dict]) -> set[str]:
    """The distinct word pieces (as tokens) of every word inside a gold entity."""
    sentences = [words for words in entity_words(task, records) if words]
    if not sentences:
        return set()
    ids = {i for sentence in subword_ids(tokenizer, sentences) for word in sentence for i in word}
    return set(tokenizer.convert_ids_to_tokens(sorted(ids)))


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; NaN when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else float("nan")


def overlap_rows(train_pieces: dict[str, set], eval_pieces: dict[str, set]) -> list[dict]:
    """Rows (source, target, overlap, train_pieces, eval_pieces, shared) for every
    source of ``train_pieces`` and target of ``eval_pieces``."""
    return [
        {"source": source, "target": target, "overlap": jaccard(e_train, e_eval),
         "train_pieces": len(e_train), "eval_pieces": len(e_eval),
         "shared": len(e_train & e_eval)}
        for source, e_train in train_pieces.items()
        for target, e_eval in eval_pieces.items()
    ]  # fmt: skip
