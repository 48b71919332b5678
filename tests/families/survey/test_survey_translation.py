"""Nearest-neighbour translation accuracy on small hand-checked examples."""

import pytest
import torch

from xlt.families.survey.translation import (
    accuracy_per_layer,
    nearest_neighbours,
    translation_accuracy,
)


def t(rows):
    return torch.tensor(rows, dtype=torch.float64)


# Sentence 0 fits the offset, 1-3 are held out. Targets are the sources moved by
# (3, 3): (4, 3), (3, 4), (2, 3) for the held-out ones, no two in one direction.
SOURCE = t([[0, 0], [1, 0], [0, 1], [-1, 0]])
SHIFTED = SOURCE + t([3, 3])


def test_a_constant_shift_is_undone_by_the_offset():
    assert translation_accuracy(SOURCE, SHIFTED, [0], [1, 2, 3]) == 100.0


def test_without_the_offset_the_shifted_data_fails_once():
    # (0, 1) against (4, 3), (3, 4), (2, 3): cosines 3/5, 4/5 and 3/sqrt(13) = 0.83,
    # so it lands on sentence 3; (1, 0) finds (4, 3) (4/5 against 3/5 and 0.55) and
    # (-1, 0) finds (2, 3) (-0.55 against -0.8 and -0.6): 2 of 3 right.
    accuracy = translation_accuracy(SOURCE, SHIFTED, [0], [1, 2, 3], offset=False)
    assert accuracy == pytest.approx(200 / 3)
    queries = SOURCE[1:]
    assert nearest_neighbours(queries, SHIFTED[1:]).tolist() == [0, 2, 2]


def test_one_mismatched_sentence_of_three():
    # offset (1, 1) - (0, 0) = (1, 1); held-out sources + offset: (2, 1), (1, 2), (-1, 0)
    source = t([[0, 0], [1, 0], [0, 1], [-2, -1]])
    target = t([[1, 1], [2, 1], [1, 2], [2, -1]])
    # (2, 1) and (1, 2) meet their own translations exactly (cosine 1). (-1, 0) has
    # cosine -2/sqrt(5) with (2, 1) and with its own (2, -1), but -1/sqrt(5) with
    # (1, 2): it is translated as sentence 2.
    assert translation_accuracy(source, target, [0], [1, 2, 3]) == pytest.approx(200 / 3)
    queries = source[1:] + t([1, 1])
    assert nearest_neighbours(queries, target[1:]).tolist() == [0, 1, 1]


def test_the_offset_is_the_difference_of_the_fitting_means_and_slices_select():
    # held out first (0-2), then two fitting sentences whose means are (1, 1) for
    # the source and (2, 2) for the target: the same offset (1, 1) as above
    source = t([[1, 0], [0, 1], [-2, -1], [0, 0], [2, 2]])
    target = t([[2, 1], [1, 2], [2, -1], [1, 0], [3, 4]])
    accuracy = translation_accuracy(source, target, slice(3, 5), slice(0, 3))
    assert accuracy == pytest.approx(200 / 3)


def test_ties_go_to_the_lowest_index():
    # (2, 0) and (5, 0) both have cosine 1 with (1, 0)
    assert nearest_neighbours(t([[1, 0]]), t([[0, 1], [2, 0], [5, 0]])).tolist() == [1]


def test_shapes_and_empty_selections_are_checked():
    with pytest.raises(ValueError, match="same shape"):
        translation_accuracy(SOURCE, SHIFTED[:3], [0], [1, 2])
    with pytest.raises(ValueError, match="no held-out sentences"):
        translation_accuracy(SOURCE, SHIFTED, [0], [])


def test_accuracy_per_layer_fits_on_the_first_half():
    generator = torch.Generator().manual_seed(0)
    en = torch.randn(8, 4, generator=generator, dtype=torch.float64)
    # layer 0: German = English + a constant; layer 4: the fitting half identical
    # (offset 0), the held-out translations swapped in pairs (4 <-> 5, 6 <-> 7)
    de_0 = en + t([5, -2, 1, 0])
    de_4 = en[[0, 1, 2, 3, 5, 4, 7, 6]]
    vectors = {"en": torch.stack([en, en]), "de": torch.stack([de_0, de_4])}
    rows = accuracy_per_layer(vectors, [("en", "de"), ("de", "en")], [0, 4])
    expected = [
        ("en", "de", 0, 100.0),
        ("en", "de", 4, 0.0),
        ("de", "en", 0, 100.0),
        ("de", "en", 4, 0.0),
    ]
    assert [(r["source"], r["target"], r["layer"], r["accuracy"]) for r in rows] == expected
    assert all(r["fit"] == 4 and r["held_out"] == 4 for r in rows)


def test_the_fitting_half_is_the_first():
    generator = torch.Generator().manual_seed(1)
    en = torch.randn(8, 4, generator=generator, dtype=torch.float64)
    # German: English moved far along (1, 0, 0, 0) in the first half only. Fitted on
    # the first half, that shift moves every held-out query to about (1, 0, 0, 0),
    # whose nearest held-out German vector is the same for all four: 1 of 4 right
    # (25 %). Fitted on the second half (offset 0), each query would stay on its
    # own translation (100 %).
    de = en.clone()
    de[:4, 0] += 1e6
    rows = accuracy_per_layer({"en": en[None], "de": de[None]}, [("en", "de")], [7])
    assert [(r["layer"], r["accuracy"]) for r in rows] == [(7, 25.0)]
    assert translation_accuracy(en, de, slice(4, 8), slice(4, 8)) == 100.0


def test_accuracy_per_layer_needs_both_halves_and_matching_layers():
    vectors = {"en": torch.zeros(2, 8, 4), "de": torch.zeros(2, 8, 4)}
    with pytest.raises(ValueError, match="no fitting or no held-out"):
        accuracy_per_layer(vectors, [("en", "de")], [0, 1], fit_fraction=0.1)
    with pytest.raises(ValueError, match="2 layers of vectors but 3 layer numbers"):
        accuracy_per_layer(vectors, [("en", "de")], [0, 1, 2])


def test_cached_vectors_of_other_sentences_are_refused_naming_both_files():
    from xlt.families.survey.translation import text_accuracy

    def cached(file, ids):
        return {"vectors": torch.zeros(1, len(ids), 2), "layers": [0], "ids": ids, "file": file}

    with pytest.raises(ValueError, match=r"en_pud.conllu \(en\) and de_pud.conllu \(de\).*ids"):
        text_accuracy(
            {
                "en": cached("en_pud.conllu", ["s1", "s2"]),
                "de": cached("de_pud.conllu", ["s2", "s1"]),
            },
            [("en", "de")],
            0.5,
        )
    rows = text_accuracy({"en": cached("a", ["1", "2"]), "de": cached("b", ["1", "2"])},
                         [("en", "de")], 0.5)  # fmt: skip
    assert [(r["layer"], r["fit"], r["held_out"]) for r in rows] == [(0, 1, 1)]
