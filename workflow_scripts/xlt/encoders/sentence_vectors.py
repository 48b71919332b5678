"""Sentence vectors per layer: the mean of a sentence's subword vectors.

Mean-pooled hidden states of every requested layer, as used for probing how
language-neutral each layer is (Libovický et al. 2020). Sentences are read in
the windows of ``xlt.encoders.windows`` like everywhere else; special tokens
([CLS]/[SEP], <s>/</s>) and padding are left out of the mean.
"""

from __future__ import annotations

import torch

from xlt.encoders.windows import label_offsets, make_windows, subword_ids
from xlt.encoders.with_head import word_outputs


def _owned_positions(window, pieces, offsets, budget) -> list[int]:
    """Positions in ``window.input_ids`` of every subword of the words it owns.

    The window lays its words out as ``make_windows`` does: each word's first
    ``budget`` subwords in a row, its label on the ``offset``-th; so a word
    labelled at position p starts at p - offset. Owned words are consecutive
    from ``window.first_word`` (as ``predict`` reads them back).
    """
    positions = []
    for k, labelled in enumerate(window.word_starts):
        word = window.first_word + k
        length = min(len(pieces[window.sentence][word]), budget)
        start = labelled - min(offsets[window.sentence][word], length - 1)
        positions.extend(range(start, start + length))
    return positions


def _check_layers(encoder, layers: list[int]) -> None:
    if not layers:
        raise ValueError("no layers asked for")
    deepest = getattr(encoder.config, "num_hidden_layers", None)
    bad = [x for x in layers if x < 0 or (deepest is not None and x > deepest)]
    if bad:
        raise ValueError(
            f"layers {bad} do not exist: hidden-state layers run from 0 (embeddings) "
            f"to {deepest} (the last)"
        )


@torch.no_grad()
def layer_sentence_vectors(
    encoder,
    tokenizer,
    sentences: list[list[str]],
    layers: list[int],
    max_length: int,
    device,
    batch_size: int = 64,
) -> torch.Tensor:
    """Mean-pooled sentence vectors, float32 [len(layers), len(sentences), hidden].

    ``layers`` index the encoder's hidden states (``output_hidden_states``):
    0 is the embedding layer's output, the encoder's number of layers the last.
    Each vector is the mean of the sentence's subword vectors in that layer,
    without special tokens and padding. ``encoder`` (a transformers model, on
    ``device``) is put in eval mode.

    A sentence longer than ``max_length`` subwords is read in overlapping
    windows (``make_windows``); each word's subwords are taken from the one
    window that owns the word, so every subword counts once and the mean is
    over all of them, each with its context in that window. A single word
    longer than a window keeps only its first subwords there, and only those
    count. A sentence without words is a ValueError.
    """
    _check_layers(encoder, layers)
    empty = [i for i, words in enumerate(sentences) if not words]
    if empty:
        raise ValueError(f"sentences {empty[:5]} have no words (a mean needs at least one)")
    hidden = encoder.config.hidden_size
    sums = torch.zeros(len(layers), len(sentences), hidden, dtype=torch.float64)
    counts = torch.zeros(len(sentences), dtype=torch.float64)
    if not sentences:
        return sums.float()
    encoder.eval()
    pieces = subword_ids(tokenizer, sentences)
    offsets = label_offsets(tokenizer, pieces)
    budget = max_length - tokenizer.num_special_tokens_to_add(pair=False)
    windows = make_windows(tokenizer, sentences, None, max_length)

    def stacked_layers(ids, mask):
        out = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        return torch.stack([out.hidden_states[x] for x in layers], dim=2)

    for window, outputs in word_outputs(
        stacked_layers, tokenizer, sentences, max_length, device, batch_size, windows
    ):
        positions = _owned_positions(window, pieces, offsets, budget)
        # outputs: [length, layers, hidden]
        sums[:, window.sentence] += outputs[positions].double().sum(dim=0)
        counts[window.sentence] += len(positions)
    return (sums / counts[None, :, None]).float()
