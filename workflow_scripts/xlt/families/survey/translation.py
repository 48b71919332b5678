"""Nearest-neighbour translation between sentence vectors, per layer.

After Libovický et al. (2020): a source sentence's vector, moved by the
offset between the two languages' mean vectors, is "translated" to the
nearest target sentence vector by cosine similarity. The share of sentences
whose nearest neighbour is their own translation measures how far the layer's
vectors are language-neutral up to a constant shift. The offset is fitted on
some sentences and the accuracy measured on others, among those others only.
"""

from __future__ import annotations

import torch


def nearest_neighbours(queries: torch.Tensor, candidates: torch.Tensor) -> torch.Tensor:
    """For each query row, the index of the candidate row most cosine-similar to it.

    Ties go to the lowest index. A zero vector has cosine 0 with everything.
    """
    q = torch.nn.functional.normalize(queries.double(), dim=1)
    c = torch.nn.functional.normalize(candidates.double(), dim=1)
    # torch.argmax returns the first of several maxima: the lowest index
    return (q @ c.T).argmax(dim=1)


def _rows(name: str, index, n: int) -> torch.Tensor:
    rows = torch.arange(n)[index]
    if rows.numel() == 0:
        raise ValueError(f"no {name} sentences")
    return rows


def translation_accuracy(
    source: torch.Tensor, target: torch.Tensor, fit, held_out, offset: bool = True
) -> float:
    """Accuracy (0-100) of nearest-neighbour translation from ``source`` to ``target``.

    ``source`` and ``target`` are [n, d], row i of one the translation of row i
    of the other; ``fit`` and ``held_out`` select rows (a list of indices or a
    slice). The offset mean(target[fit]) - mean(source[fit]) is added to every
    held-out source vector (``offset`` False: nothing is added), which is then
    matched to the most cosine-similar held-out target vector; the accuracy is
    the percentage matched to their own translation. Ties go to the lowest
    index among the held-out targets.
    """
    if source.shape != target.shape or source.dim() != 2:
        raise ValueError(
            f"source and target must be [n, d] of the same shape, not "
            f"{list(source.shape)} and {list(target.shape)}"
        )
    fit_rows = _rows("fitting", fit, len(source))
    test_rows = _rows("held-out", held_out, len(source))
    source, target = source.double(), target.double()
    queries = source[test_rows]
    if offset:
        queries = queries + (target[fit_rows].mean(dim=0) - source[fit_rows].mean(dim=0))
    nearest = nearest_neighbours(queries, target[test_rows])
    correct = (nearest == torch.arange(len(test_rows))).sum().item()
    return 100.0 * correct / len(test_rows)


def accuracy_per_layer(
    vectors_by_lang: dict,
    pairs: list[tuple[str, str]],
    layers: list[int],
    fit_fraction: float = 0.5,
    offset: bool = True,
) -> list[dict]:
    """Translation accuracy for every (source, target) pair and layer.

    ``vectors_by_lang[lang]`` is [len(layers), n, d] (as from
    ``layer_sentence_vectors``), its i-th slice being layer ``layers[i]``, and
    sentence j the same in every language. The split is deterministic: the
    offset is fitted on the first ``int(n * fit_fraction)`` sentences and the
    accuracy measured on the rest (for PUD, whose sentences are in document
    order, the held-out sentences come from other documents). Rows: source,
    target, layer, accuracy, fit and held_out (numbers of sentences).
    """
    shapes = {lang: tuple(v.shape) for lang, v in vectors_by_lang.items()}
    if len(set(shapes.values())) != 1:
        raise ValueError(f"the languages' vectors differ in shape: {shapes}")
    n_layers, n = next(iter(shapes.values()))[:2]
    if n_layers != len(layers):
        raise ValueError(f"{n_layers} layers of vectors but {len(layers)} layer numbers")
    n_fit = int(n * fit_fraction)
    if not 0 < n_fit < n:
        raise ValueError(
            f"fit_fraction {fit_fraction} of {n} sentences leaves no fitting or no "
            "held-out sentence"
        )
    rows = []
    for source, target in pairs:
        for i, layer in enumerate(layers):
            accuracy = translation_accuracy(
                vectors_by_lang[source][i],
                vectors_by_lang[target][i],
                slice(0, n_fit),
                slice(n_fit, n),
                offset,
            )
            rows.append(
                {
                    "source": source,
                    "target": target,
                    "layer": layer,
                    "accuracy": accuracy,
                    "fit": n_fit,
                    "held_out": n - n_fit,
                }
            )
    return rows


def check_aligned(cached: dict[str, dict]) -> None:
    """Cached sentence vectors (``encode_sentence_vectors``' dicts per language) must
    hold the same sentence ids and layers; a ValueError names both files otherwise."""
    (first_lang, first), *rest = cached.items()
    for lang, other in rest:
        for key in ("ids", "layers"):
            if list(other[key]) != list(first[key]):
                raise ValueError(
                    f"the sentence vectors of {first['file']} ({first_lang}) and "
                    f"{other['file']} ({lang}) differ in their {key}: not the same "
                    "sentences or layers"
                )


def text_accuracy(cached: dict[str, dict], pairs, fit_fraction: float) -> list[dict]:
    """``accuracy_per_layer`` on one parallel text's cached vectors (``cached`` maps
    each language to its file's dict), after checking their alignment."""
    check_aligned(cached)
    layers = list(next(iter(cached.values()))["layers"])
    vectors = {lang: item["vectors"] for lang, item in cached.items()}
    return accuracy_per_layer(vectors, pairs, layers, fit_fraction)
