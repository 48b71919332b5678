"""The embedded encoder: a WordPiece tokenizer and a small BERT, masked-LM
pretrained offline on the benchmark's unlabelled text, saved as a Hugging Face
model directory.

With a ``pretrain.language_alpha``, every masked-LM batch holds the
sentences of one language, language i drawn with probability q_i proportional
to p_i^alpha, p_i its share of the sentences (``xlt.core.sampling``; XLM's and
mBERT's exponential smoothing); without one (the default) the languages'
sentences are concatenated and shuffled. The tokenizer's vocabulary is built from every
sentence either way.
"""

from __future__ import annotations

import logging
import math
from collections import Counter

from xlt.core.progress import Progress
from xlt.core.sampling import language_batches, language_probabilities, resamples

log = logging.getLogger(__name__)

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


MAX_PIECE_CHARS = 12  # longest subword piece the vocabulary builder considers


def wordpiece_vocabulary(words: Counter, vocab_size: int) -> list[str]:
    """A WordPiece vocabulary chosen deterministically from word frequencies.

    Every character (word-initial and ``##`` continuation form) is kept so that
    no word becomes [UNK]; the remaining slots go to the pieces with the highest
    (frequency x length), ties broken by the piece itself. The trainer of the
    ``tokenizers`` library is not used: its ``##`` pieces come out in hash-map
    order, so two processes built different vocabularies from the same text.
    """
    scores: Counter = Counter()
    characters = set()
    for word, count in words.items():
        for start in range(len(word)):
            prefix = "" if start == 0 else "##"
            characters.add(prefix + word[start])
            for end in range(start + 2, min(len(word), start + MAX_PIECE_CHARS) + 1):
                scores[prefix + word[start:end]] += count * (end - start)
    vocabulary = SPECIAL_TOKENS + sorted(characters)
    room = max(0, vocab_size - len(vocabulary))
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return vocabulary + [piece for piece, _ in ranked[:room]]


def train_tokenizer(texts, vocab_size: int):
    """A WordPiece tokenizer built from ``texts`` and wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    normalizer = normalizers.NFC()
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    words: Counter = Counter()
    for text in texts:
        words.update(w for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text)))
    vocabulary = wordpiece_vocabulary(words, vocab_size)
    core = Tokenizer(
        models.WordPiece({piece: i for i, piece in enumerate(vocabulary)}, unk_token="[UNK]")
    )
    core.normalizer = normalizer
    core.pre_tokenizer = pre_tokenizer
    core.decoder = decoders.WordPiece()
    cls, sep = core.token_to_id("[CLS]"), core.token_to_id("[SEP]")
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def masked_lm_loss(model, inputs, attention, chosen, ids):
    """Masked-LM cross-entropy over the ``chosen`` positions, their original
    ``ids`` the targets: the loss BertForMaskedLM computes with labels -100
    elsewhere, but the vocabulary projection (two thirds of a small encoder's
    compute) runs on the chosen positions only, not on every position."""
    from torch.nn import functional as F

    hidden = model.bert(input_ids=inputs, attention_mask=attention).last_hidden_state
    logits = model.cls(hidden[chosen])
    # a batch without a chosen position contributes nothing (not NaN)
    return F.cross_entropy(logits, ids[chosen], reduction="sum") / max(1, int(chosen.sum()))


def pretraining_batches(
    lengths: list[int], pretrain: dict, epoch: int, groups: dict[str, list[int]] | None = None
) -> list[list[int]]:
    """The masked-LM batches (indices of the sentences, ``lengths`` their subwords) of
    ``epoch``, fixed by (pretrain seed, epoch): random batches of similar lengths,
    or with ``groups`` ({language: its sentences}) and a ``language_alpha``,
    as many batches, each of one language drawn from q proportional to
    p^alpha (``xlt.core.sampling.language_batches``)."""
    import numpy as np

    from xlt.encoders.windows import length_batches

    alpha = pretrain.get("language_alpha")
    seed, batch_size = pretrain["seed"], pretrain["batch_size"]
    if groups is not None and resamples(alpha, groups):
        count = math.ceil(len(lengths) / batch_size)
        drawn = language_batches(groups, alpha, batch_size, [seed, epoch], count)
        return [indices for _, indices in drawn]
    return length_batches(lengths, batch_size, np.random.default_rng([seed, epoch]))


def language_groups(languages: list) -> dict[str, list[int]]:
    """{language: indices of its sentences} of ``languages`` (each sentence's)."""
    groups: dict = {}
    for i, lang in enumerate(languages):
        groups.setdefault(lang, []).append(i)
    return groups


def _pretraining_groups(texts: list[str], languages, pretrain: dict):
    """({language: its texts' indices}, q) when batches sample languages by q
    proportional to p^alpha (``pretrain.language_alpha``), else (None, None)."""
    if languages is None:
        return None, None
    if len(languages) != len(texts):
        raise ValueError(f"{len(languages)} languages given for {len(texts)} texts")
    alpha = pretrain.get("language_alpha")
    if not resamples(alpha, set(languages)):
        return None, None
    groups = language_groups(languages)
    q = language_probabilities({k: len(v) for k, v in groups.items()}, alpha)
    log.info("each batch one language, drawn with probabilities %s", q)
    return groups, q


def _bert(tokenizer, settings: dict):
    """A randomly initialised BERT with a masked-LM head, of the configured sizes."""
    from transformers import BertConfig, BertForMaskedLM

    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=settings["hidden_size"],
        num_hidden_layers=settings["num_layers"],
        num_attention_heads=settings["num_heads"],
        intermediate_size=settings["intermediate_size"],
        max_position_embeddings=settings["max_position"],
        pad_token_id=tokenizer.pad_token_id,
    )
    return BertForMaskedLM(config)


def _masked(batch: list[list[int]], tokenizer, special, generator, probability: float):
    """(gold ids, attention mask, inputs, chosen) of a batch of sequences: each
    non-special subword chosen with ``probability``, and a chosen one masked (80 %),
    replaced by a random subword (10 %) or kept (10 %), as BERT's pretraining does."""
    import torch

    width = max(map(len, batch))
    ids = torch.full((len(batch), width), tokenizer.pad_token_id)
    for row, seq in enumerate(batch):
        ids[row, : len(seq)] = torch.tensor(seq)
    attention = (ids != tokenizer.pad_token_id).long()
    chosen = torch.rand(ids.shape, generator=generator) < probability
    chosen &= ~torch.isin(ids, special)
    roll = torch.rand(ids.shape, generator=generator)
    random_ids = torch.randint(len(tokenizer), ids.shape, generator=generator)
    inputs = torch.where(chosen & (roll < 0.8), tokenizer.mask_token_id, ids)
    inputs = torch.where(chosen & (roll >= 0.8) & (roll < 0.9), random_ids, inputs)
    return ids, attention, inputs, chosen


def build_embedded_encoder(
    texts: list[str], settings: dict, out_dir, threads: int = 1, languages: list | None = None
) -> dict:
    """Train a tokenizer and pretrain a small BERT with masked-LM on ``texts``;
    ``languages``: each text's language, for ``pretrain.language_alpha``
    (``pretraining_batches``).

    Returns a summary (steps, losses, timings) for the log. Deterministic for a
    given seed and thread count.
    """
    import time

    import torch
    from transformers import get_linear_schedule_with_warmup

    from xlt.core.fileio import atomic_path
    from xlt.core.optimisers import AdamW

    pretrain = settings["pretrain"]
    groups, q = _pretraining_groups(texts, languages, pretrain)
    torch.manual_seed(pretrain["seed"])
    torch.set_num_threads(threads)
    started = time.time()
    log.info("training the tokenizer on %d sentences", len(texts))
    tokenizer = train_tokenizer(texts, settings["vocab_size"])
    log.info("tokenizer: %d subwords in %.1f s", len(tokenizer), time.time() - started)
    model = _bert(tokenizer, settings)
    encoded = tokenizer(
        texts, truncation=True, max_length=settings["max_position"], return_attention_mask=False
    )["input_ids"]
    batch_size = pretrain["batch_size"]
    steps_per_epoch = math.ceil(len(encoded) / batch_size)
    total = steps_per_epoch * pretrain["epochs"]
    optimizer = AdamW(model.parameters(), lr=pretrain["learning_rate"], fused=True)
    schedule = get_linear_schedule_with_warmup(optimizer, max(1, total // 10), max(1, total))
    generator = torch.Generator().manual_seed(pretrain["seed"])
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
    losses = []
    progress = Progress(log, "pretraining", total)
    model.train()
    lengths = [len(seq) for seq in encoded]
    for epoch in range(pretrain["epochs"]):
        for indices in pretraining_batches(lengths, pretrain, epoch, groups):
            ids, attention, inputs, chosen = _masked(
                [encoded[i] for i in indices], tokenizer, special, generator,
                pretrain["mask_probability"],
            )  # fmt: skip
            loss = masked_lm_loss(model, inputs, attention, chosen, ids)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            progress.update(len(losses), loss=losses[-1])
    with atomic_path(out_dir, directory=True) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    window = max(1, steps_per_epoch // 4)
    sampling = {} if groups is None else {"language_probabilities": q}
    return {
        "vocab_size": len(tokenizer),
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": total,
        "first_loss": sum(losses[:window]) / len(losses[:window]) if losses else None,
        "last_loss": sum(losses[-window:]) / len(losses[-window:]) if losses else None,
        "seconds": round(time.time() - started, 1),
        **sampling,
    }
