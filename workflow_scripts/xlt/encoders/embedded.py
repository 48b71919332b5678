"""The embedded encoder: a WordPiece tokenizer and a small BERT, masked-LM
pretrained offline on the benchmark's unlabelled text, saved as a Hugging Face
model directory."""

from __future__ import annotations

import logging
import math
from collections import Counter

from xlt.core.progress import Progress

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


def build_embedded_encoder(texts: list[str], settings: dict, out_dir, threads: int = 1) -> dict:
    """Train a tokenizer and pretrain a small BERT with masked-LM on ``texts``.

    Returns a summary (steps, losses, timings) for the log. Deterministic for a
    given seed and thread count.
    """
    import time

    import numpy as np
    import torch
    from transformers import BertConfig, BertForMaskedLM, get_linear_schedule_with_warmup

    from xlt.core.fileio import atomic_path
    from xlt.encoders.windows import length_batches

    pretrain = settings["pretrain"]
    torch.manual_seed(pretrain["seed"])
    torch.set_num_threads(threads)
    started = time.time()
    log.info("training the tokenizer on %d sentences", len(texts))
    tokenizer = train_tokenizer(texts, settings["vocab_size"])
    log.info("tokenizer: %d subwords in %.1f s", len(tokenizer), time.time() - started)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=settings["hidden_size"],
        num_hidden_layers=settings["num_layers"],
        num_attention_heads=settings["num_heads"],
        intermediate_size=settings["intermediate_size"],
        max_position_embeddings=settings["max_position"],
        pad_token_id=tokenizer.pad_token_id,
    )
    model = BertForMaskedLM(config)
    encoded = tokenizer(
        texts, truncation=True, max_length=settings["max_position"], return_attention_mask=False
    )["input_ids"]
    batch_size = pretrain["batch_size"]
    steps_per_epoch = math.ceil(len(encoded) / batch_size)
    total = steps_per_epoch * pretrain["epochs"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=pretrain["learning_rate"], fused=True)
    schedule = get_linear_schedule_with_warmup(optimizer, max(1, total // 10), max(1, total))
    generator = torch.Generator().manual_seed(pretrain["seed"])
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
    losses = []
    progress = Progress(log, "pretraining", total)
    model.train()
    lengths = [len(seq) for seq in encoded]
    for epoch in range(pretrain["epochs"]):
        rng = np.random.default_rng([pretrain["seed"], epoch])
        for indices in length_batches(lengths, batch_size, rng):
            batch = [encoded[i] for i in indices]
            width = max(map(len, batch))
            ids = torch.full((len(batch), width), tokenizer.pad_token_id)
            for row, seq in enumerate(batch):
                ids[row, : len(seq)] = torch.tensor(seq)
            attention = (ids != tokenizer.pad_token_id).long()
            chosen = torch.rand(ids.shape, generator=generator) < pretrain["mask_probability"]
            chosen &= ~torch.isin(ids, special)
            roll = torch.rand(ids.shape, generator=generator)
            random_ids = torch.randint(len(tokenizer), ids.shape, generator=generator)
            inputs = torch.where(chosen & (roll < 0.8), tokenizer.mask_token_id, ids)
            inputs = torch.where(chosen & (roll >= 0.8) & (roll < 0.9), random_ids, inputs)
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
    return {
        "vocab_size": len(tokenizer),
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": total,
        "first_loss": sum(losses[:window]) / len(losses[:window]) if losses else None,
        "last_loss": sum(losses[-window:]) / len(losses[-window:]) if losses else None,
        "seconds": round(time.time() - started, 1),
    }
