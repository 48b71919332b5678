"""Word-level labels on subword encoders.

Each word's label sits on its first subword that carries characters; the
other subwords are ignored (-100). SentencePiece tokenizers (XLM-R and its
relatives) often begin a word with a bare word-boundary piece ``▁`` (most
Chinese and Japanese words): its vector says nothing about the word, so the
label goes to the next piece.

A sentence longer than the encoder's limit is read in overlapping windows of
whole words, each starting about half a window after the one before (a
sliding window of context, Wu et al. 2022, App. A). Every word belongs to the
window where it has the most context on both sides, min(subwords before it,
subwords after it), ties to the earlier window: it is labelled, and later
predicted, there only. No word is ever dropped, and none is read at the very
edge of a window when another window holds it in the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

IGNORE = -100


@dataclass
class Window:
    """One encoder input: consecutive words of one sentence as subword ids with the
    special tokens, each word's label on its first subword."""

    sentence: int  # index of the sentence this window belongs to
    first_word: int  # index (in the sentence) of the first word the window owns
    input_ids: list[int]
    word_starts: list[int]  # position of each owned word's labelled subword in input_ids
    labels: list[int]  # aligned with input_ids; IGNORE except on owned words' subwords


def subword_ids(tokenizer, sentences: list[list[str]]) -> list[list[list[int]]]:
    """Subword ids of every word (a word yielding none gets the unknown token)."""
    encoded = tokenizer(
        sentences, is_split_into_words=True, add_special_tokens=False, return_attention_mask=False
    )
    result = []
    for i, words in enumerate(sentences):
        per_word: list[list[int]] = [[] for _ in words]
        for token_id, w in zip(encoded["input_ids"][i], encoded.word_ids(i), strict=True):
            if w is not None:
                per_word[w].append(token_id)
        result.append([ids or [tokenizer.unk_token_id] for ids in per_word])
    return result


# Word-boundary markers that are not characters of the word: SentencePiece's
# U+2581 and byte-level BPE's "Ġ" (a space).
_BOUNDARY_MARKERS = str.maketrans("", "", "\u2581\u0120")


def label_offsets(tokenizer, words: list[list[list[int]]]) -> list[list[int]]:
    """For every word (its subword ids), the index of its first subword with
    characters; 0 when none has any (the word then keeps its first subword)."""
    distinct = sorted({i for sentence in words for ids in sentence for i in ids})
    tokens = tokenizer.convert_ids_to_tokens(distinct)
    bare = {
        i
        for i, token in zip(distinct, tokens, strict=True)
        if token is not None and not token.translate(_BOUNDARY_MARKERS).strip()
    }
    return [
        [next((k for k, i in enumerate(ids) if i not in bare), 0) for ids in sentence]
        for sentence in words
    ]


def window_spans(lengths: list[int], budget: int) -> list[tuple[int, int]]:
    """Word ranges [start, end) of one sentence's windows: each takes as many whole
    words as ``budget`` subwords hold (``lengths``: each word's subwords, each at
    most ``budget``); the next starts at the first word past half of this
    window's subwords, so consecutive windows overlap by about half."""
    spans, start = [], 0
    while True:
        end, used = start, 0
        while end < len(lengths) and used + lengths[end] <= budget:
            used += lengths[end]
            end += 1
        spans.append((start, end))
        if end == len(lengths):
            return spans
        step, half = start, 0
        while step < end - 1 and half + lengths[step] <= used // 2:
            half += lengths[step]
            step += 1
        start = max(step, start + 1)


def window_owners(lengths: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """For each word, the index of the span where it has the most context:
    the largest min(subwords before it, subwords after it) inside the span,
    ties to the earlier span."""
    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + n)
    owners = []
    for w in range(len(lengths)):
        best, owner = -1, 0
        for i, (start, end) in enumerate(spans):
            if start <= w < end:
                context = min(offsets[w] - offsets[start], offsets[end] - offsets[w + 1])
                if context > best:
                    best, owner = context, i
        owners.append(owner)
    return owners


def make_windows(
    tokenizer,
    sentences: list[list[str]],
    labels: list[list[int]] | None,
    max_length: int,
) -> list[Window]:
    """Read every sentence in windows of at most ``max_length`` subwords.

    ``max_length`` counts the special tokens the encoder adds ([CLS]/[SEP] or
    <s>/</s>). A sentence that fits is one window; a longer one gets
    overlapping windows (``window_spans``), each word labelled in the one that
    owns it (``window_owners``). A single word longer than a window keeps only
    its first subwords: its label is on the first with characters, so nothing
    scored is lost.
    """
    n_special = tokenizer.num_special_tokens_to_add(pair=False)
    budget = max_length - n_special
    if budget < 1:
        raise ValueError(f"max_length {max_length} leaves no room for subwords")
    cls = [tokenizer.cls_token_id] if tokenizer.cls_token_id is not None else []
    sep = [tokenizer.sep_token_id] if tokenizer.sep_token_id is not None else []
    windows = []
    pieces = subword_ids(tokenizer, sentences)
    offsets = label_offsets(tokenizer, pieces)
    for s, words in enumerate(pieces):
        lengths = [min(len(ids), budget) for ids in words]
        spans = window_spans(lengths, budget) if words else []
        owners = window_owners(lengths, spans)
        for i, (start, end) in enumerate(spans):
            owned = [w for w in range(start, end) if owners[w] == i]
            if not owned:
                continue  # every word it holds has more context in another window
            ids, starts, labs = list(cls), [], [IGNORE] * len(cls)
            for w in range(start, end):
                piece = words[w][:budget]
                offset = min(offsets[s][w], len(piece) - 1)
                label = IGNORE
                if owners[w] == i:
                    starts.append(len(ids) + offset)
                    label = labels[s][w] if labels is not None else IGNORE
                ids.extend(piece)
                labs.extend([IGNORE] * offset + [label] + [IGNORE] * (len(piece) - 1 - offset))
            ids.extend(sep)
            labs.extend([IGNORE] * len(sep))
            windows.append(Window(s, owned[0], ids, starts, labs))
    return windows


def collate(windows: list[Window], pad_id: int):
    """Pad a batch of windows into tensors (input_ids, attention_mask, labels)."""
    width = max(len(w.input_ids) for w in windows)
    ids = torch.full((len(windows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    labels = torch.full((len(windows), width), IGNORE, dtype=torch.long)
    for i, w in enumerate(windows):
        n = len(w.input_ids)
        ids[i, :n] = torch.tensor(w.input_ids)
        mask[i, :n] = 1
        labels[i, :n] = torch.tensor(w.labels)
    return ids, mask, labels


def pad_inputs(units, pad_id: int, device):
    """(input_ids, attention_mask, token_type_ids or None) of a batch of encoder
    inputs (objects with ``input_ids`` and ``token_type_ids``, the latter None
    for an encoder without them), padded to the longest."""
    width = max(len(u.input_ids) for u in units)
    ids = torch.full((len(units), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(units), width), dtype=torch.long)
    with_types = any(u.token_type_ids is not None for u in units)
    types = torch.zeros_like(ids) if with_types else None
    for i, unit in enumerate(units):
        n = len(unit.input_ids)
        ids[i, :n] = torch.tensor(unit.input_ids)
        mask[i, :n] = 1
        if types is not None and unit.token_type_ids is not None:
            types[i, :n] = torch.tensor(unit.token_type_ids)
    return ids.to(device), mask.to(device), None if types is None else types.to(device)


def length_batches(lengths, batch_size: int, rng, pool: int = 50) -> list[list[int]]:
    """Every index of ``lengths`` once, in random batches of similar lengths.

    A random order (``rng``, a NumPy Generator) is cut into pools of ``pool``
    batches; each pool is sorted by length and cut into batches, and the
    batches are shuffled. Padding every batch to its longest item then costs
    little (random batches of the default's sentences pad to 2.5 times their
    tokens), while which items share a batch stays random. ceil(n /
    batch_size) batches, as with plain random batches.
    """
    order = rng.permutation(len(lengths)).tolist()
    span = batch_size * pool
    batches = []
    for start in range(0, len(order), span):
        chunk = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches)).tolist()]
