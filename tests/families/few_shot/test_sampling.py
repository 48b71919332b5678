"""Few-shot samples: the length filter, the strategies' order and ties, nested
random samples, QA by whole articles, and the errors of impossible requests."""

import pytest

from xlt.families.few_shot.samples import draw, pool

# words per sentence: 2 and 51 fall outside 3-50
LENGTHS = [2, 3, 5, 50, 51, 4, 3, 10]
RECORDS = [{"words": ["w"] * n, "labels": ["X"] * n} for n in LENGTHS]


def test_the_pool_keeps_sentences_of_3_to_50_words():
    assert pool("pos", RECORDS) == [1, 2, 3, 5, 6, 7]
    pair = {"premise": "a b", "hypothesis": "c d", "label": "neutral"}  # 4 words together
    assert pool("xnli", [pair, {**pair, "hypothesis": "c"}]) == [0, 1]
    assert pool("xnli", [{**pair, "premise": "a", "hypothesis": "b"}]) == []


def test_shortest_and_longest_by_hand_ties_to_the_earlier_sentence():
    # (words, index) in the pool: (3,1) (3,6) (4,5) (5,2) (10,7) (50,3)
    assert draw("pos", RECORDS, 3, "shortest", seed=0, run=1)["indices"] == [1, 5, 6]
    assert draw("pos", RECORDS, 2, "longest", seed=0, run=1)["indices"] == [3, 7]
    # deterministic strategies ignore the run
    assert draw("pos", RECORDS, 3, "shortest", 0, 2) == draw("pos", RECORDS, 3, "shortest", 0, 1)


def test_random_samples_are_reproducible_nested_and_from_the_pool():
    small = draw("pos", RECORDS, 2, "rand", seed=7, run=1)
    large = draw("pos", RECORDS, 5, "rand", seed=7, run=1)
    assert small == draw("pos", RECORDS, 2, "rand", seed=7, run=1)
    assert set(small["indices"]) < set(large["indices"]) <= set(pool("pos", RECORDS))
    assert large["pool"] == 6 and large["units"] is None
    runs = {tuple(draw("pos", RECORDS, 3, "rand", seed=7, run=r)["indices"]) for r in range(8)}
    assert len(runs) > 1  # other runs, other samples


def test_qa_samples_whole_articles():
    questions = [("a1", 2), ("a2", 1), ("a3", 3)]
    records = [
        {"article": name, "id": f"{name}-{i}", "context": "c", "question": "q", "answers": []}
        for name, n in questions
        for i in range(n)
    ]
    sample = draw("qa", records, 2, "rand", seed=1, run=1)
    assert len(sample["units"]) == 2 and sample["pool"] == 3
    chosen = [i for i, r in enumerate(records) if r["article"] in sample["units"]]
    assert sample["indices"] == chosen  # every question of a chosen article, no other
    with pytest.raises(ValueError, match="samples whole articles at random"):
        draw("qa", records, 2, "longest", seed=1, run=1)
    with pytest.raises(ValueError, match="k = 4 articles, but the split has 3"):
        draw("qa", records, 4, "rand", seed=1, run=1)


def test_impossible_requests_are_named():
    with pytest.raises(ValueError, match="only 6 of the split's 8 examples have 3 to 50 words"):
        draw("pos", RECORDS, 7, "rand", seed=0, run=1)
    with pytest.raises(ValueError, match="unknown sampling strategy 'random'"):
        draw("pos", RECORDS, 2, "random", seed=0, run=1)
    with pytest.raises(ValueError, match="k must be at least 1"):
        draw("pos", RECORDS, 0, "rand", seed=0, run=1)
