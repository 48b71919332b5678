"""Extractive QA: windows over long contexts, gold positions, span decoding by
hand, and a model that learns to point at an answer."""

import random

import pytest
import torch

from conftest import TOY_SETTINGS, tiny_encoder, train_toy
from xlt.encoders.loading import load_encoder
from xlt.task_models import registry as models
from xlt.task_models.qa import best_span
from xlt.task_models.storage import load_classifier

SETTINGS = TOY_SETTINGS
WORDS = ["kat", "dom", "ruvi", "selo", "mina", "tor", "pel", "vusa"]
ANSWERS = ["zib", "zor", "zumo"]


def toy_question(rng, i, length=None):
    """A context of random words with one word of another set: the answer."""
    words = [rng.choice(WORDS) for _ in range(length or rng.randint(5, 12))]
    at = rng.randrange(len(words))
    answer = rng.choice(ANSWERS)
    words.insert(at, answer)
    context = " ".join(words)
    start = len(" ".join(words[:at])) + (1 if at else 0)
    return {
        "id": f"q{i}",
        "article": f"a{i // 5}",
        "context": context,
        "question": "wo ka zi ?",
        "answers": [{"text": answer, "answer_start": start}],
    }


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    root = tmp_path_factory.mktemp("qa")
    rng = random.Random(0)
    train = [toy_question(rng, i) for i in range(300)]
    dev = [toy_question(rng, 1000 + i) for i in range(60)]
    texts = [r["context"] for r in train] + ["wo ka zi ?"]
    tiny_encoder(texts, root / "encoder", epochs=1)
    return {"train": train, "dev": dev, "encoder": root / "encoder"}


def test_best_span_by_hand():
    # positions: 0 [CLS], 1-2 question, 3 [SEP], 4-7 context, 8 [SEP]
    spans = [None, None, None, None, (0, 3), (4, 7), (8, 11), (12, 15), None]
    start = torch.tensor([9.0, 0, 0, 0, 1.0, 5.0, 0.0, 2.0, 0])
    end = torch.tensor([9.0, 0, 0, 0, 4.0, 0.0, 3.0, 1.0, 0])
    # [CLS] scores 18 but is outside the context; inside, start 5 (pos 5) + end
    # 3 (pos 6) = 8 beats start 1 + end 4 (pos 4-4) = 5 and 5 + 1 (pos 5-7) = 6;
    # an end before its start (start 5 at 5, end 4 at 4: 9) is not a span
    assert best_span(start, end, spans, max_answer=30) == (8.0, (4, 11))
    # answers of at most one subword: 5 + 0 (pos 5) = 5 ties 1 + 4 (pos 4), the
    # first (lower start) wins; 2 + 1 (pos 7) = 3
    assert best_span(start, end, spans, max_answer=1) == (5.0, (0, 3))
    assert best_span(start, end, [None] * 9, max_answer=30) is None


def test_windows_start_every_stride_and_carry_the_answer(toy):
    tokenizer, _ = load_encoder(toy["encoder"])
    qa = models.for_task("qa", tokenizer, 24, {"stride": 6, "max_question": 64})
    record = toy_question(random.Random(3), 0, length=40)
    windows = qa.units([record])
    question = len(tokenizer("wo ka zi ?", add_special_tokens=False)["input_ids"])
    room = 24 - question - 3  # [CLS] q [SEP] c [SEP]
    context = tokenizer(record["context"], add_special_tokens=False, return_offsets_mapping=True)
    firsts = [next(s for s in w.spans if s is not None) for w in windows]
    positions = [context["offset_mapping"].index(s) for s in firsts]
    # windows start 6 subwords apart until one reaches the context's end
    assert positions == list(range(0, 6 * len(windows), 6))
    assert positions[-1] + room >= len(context["input_ids"]) > positions[-2] + room
    assert all(len(w.input_ids) <= 24 for w in windows)
    answer = record["answers"][0]
    holding = [w for w in windows if w.start]
    assert holding  # the answer is inside some windows, and they point at it
    for w in holding:
        text = record["context"][w.spans[w.start][0] : w.spans[w.end][1]]
        assert text == answer["text"]
    # a window without the whole answer points at the first token
    assert all(w.start == w.end == 0 for w in windows if w not in holding)
    assert len(holding) < len(windows)


def test_questions_are_cut(toy):
    tokenizer, _ = load_encoder(toy["encoder"])
    qa = models.for_task("qa", tokenizer, 64, {"max_question": 3})
    long = "wo ka kat dom ruvi ?"
    cut = qa.question_text(long)
    assert len(tokenizer(cut, add_special_tokens=False)["input_ids"]) == 3
    assert long.startswith(cut) and cut != long
    assert qa.question_text("wo") == "wo"


def test_a_window_too_small_for_the_question_names_the_setting(toy):
    tokenizer, _ = load_encoder(toy["encoder"])
    qa = models.for_task("qa", tokenizer, 6, {"max_question": 64})
    with pytest.raises(ValueError, match=r"task_options.qa.max_length"):
        qa.units([{**toy["train"][0], "question": "wo ka kat dom ruvi ?"}])


def test_qa_model_learns_and_scores_by_hand(toy, tmp_path):
    summary = train_toy("qa", toy, tmp_path, SETTINGS, 32, options={"stride": 8})
    # a random span of a dozen words is almost never exactly the answer
    assert summary["best_source_dev_score"] > 80
    model, tokenizer, labels, info = load_classifier(tmp_path / "model", toy["encoder"], "cpu")
    assert info["task"] == "qa" and labels == ["start", "end"]
    qa = models.for_task("qa", tokenizer, 32, info["options"])
    predictions = qa.predict(model, qa.prepare(toy["dev"]), "cpu")
    right = sum(p == r["answers"][0]["text"] for p, r in zip(predictions, toy["dev"], strict=True))
    result = qa.score(toy["dev"], predictions)
    assert result["metric"] == "exact_match" and result["questions"] == 60
    assert result["score"] == pytest.approx(100 * right / 60)
    assert result["f1"] >= result["score"]
    qa.write_predictions(tmp_path / "p.tsv", toy["dev"], predictions)
    lines = (tmp_path / "p.tsv").read_text().splitlines()
    assert lines[0] == "id\tquestion\tgold\tpredicted\texact_match" and len(lines) == 61
    assert sum(line.endswith("\t1") for line in lines[1:]) == right
    # f1 as the headline
    by_f1 = models.for_task("qa", tokenizer, 32, {"metric": "f1"}).score(toy["dev"], predictions)
    assert by_f1["score"] == result["f1"] and by_f1["exact_match"] == result["score"]
