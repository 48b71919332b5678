"""Extractive question answering on an encoder (SQuAD v1.1 train, XQuAD targets).

The encoder reads a question and a window of its context as one input
(``[CLS] question [SEP] context [SEP]``); a linear layer on every subword gives
a start and an end logit (Devlin et al. 2019). Contexts longer than a window
are split into windows that start every ``stride`` subwords (BERT's
``doc_stride``; seeds/004 and XTREME: windows of 384 subwords, a stride of 128,
questions cut at 64 subwords). Training: cross-entropy of the gold start and
end, on the first special token when the window does not hold the whole
answer. Prediction: over every window of a question, the span (start <= end,
at most ``max_answer`` subwords, inside the context) with the largest start +
end logit; its text is the context's characters from the start subword's first
to the end subword's last. Scores: exact match and F1 of SQuAD v1.1
(``xlt.tasks.metrics.squad_scores``).

Needs a fast tokenizer (character offsets of subwords).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from xlt import tasks
from xlt.core.device import autocast
from xlt.core.fileio import atomic_path
from xlt.encoders.windows import pad_inputs
from xlt.encoders.with_head import EncoderWithHead
from xlt.tasks.metrics import exact_match, squad_scores

# seeds/004 (Lauscher et al. 2020) and XTREME's settings
DEFAULTS = {"stride": 128, "max_question": 64, "max_answer": 30, "metric": "exact_match"}
NEG = -1e4  # a logit no real one reaches: padding and positions outside the context


class SpanScorer(EncoderWithHead):
    """Encoder + dropout + a linear layer giving each subword a start and an end logit."""

    def __init__(self, encoder, dropout: float, fine_tune=True, frozen_layers=0):
        head = nn.Linear(encoder.config.hidden_size, 2)
        super().__init__(encoder, head, dropout, fine_tune, frozen_layers)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        """(start, end) logits, each [batch, length]."""
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **extra)
        logits = self.head(self.dropout(out.last_hidden_state))
        return logits[..., 0], logits[..., 1]


@dataclass
class Window:
    """A question with one window of its context, as the encoder reads it."""

    question: int  # index of the record
    input_ids: list[int]
    token_type_ids: list[int] | None
    spans: list[tuple[int, int] | None]  # a context subword's characters; None elsewhere
    start: int = 0  # gold start and end positions (0, the first token: not in this window)
    end: int = 0


class QAModel:
    """Training and prediction of extractive QA (a ``TaskModel``, ``xlt.task_models.protocol``).

    ``max_length`` is the window (subwords, special tokens included);
    ``options``: ``stride``, ``max_question``, ``max_answer`` (subwords) and
    ``metric`` (``exact_match`` or ``f1``: the headline that selects the model).
    """

    def __init__(self, task: str, tokenizer, max_length: int, options: dict | None = None):
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError(
                f"{task}: extractive QA needs a fast tokenizer (character offsets of subwords)"
            )
        self.task = task
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.labels = tasks.labels(task)  # the two outputs of every subword
        settings = {**DEFAULTS, **{k: v for k, v in (options or {}).items() if v is not None}}
        self.stride = settings["stride"]
        self.max_question = settings["max_question"]
        self.max_answer = settings["max_answer"]
        self.metric = settings["metric"]
        self.pair_specials = tokenizer.num_special_tokens_to_add(pair=True)
        self.with_types = "token_type_ids" in tokenizer.model_input_names
        self._loss = nn.CrossEntropyLoss()

    def build(self, encoder, dropout: float, fine_tune: bool, frozen_layers: int = 0):
        """The encoder with a start/end layer over every subword."""
        return SpanScorer(encoder, dropout, fine_tune, frozen_layers)

    def question_text(self, question: str) -> str:
        """The question cut after its first ``max_question`` subwords (at that
        subword's last character)."""
        found = self.tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)[
            "offset_mapping"
        ]
        if len(found) <= self.max_question:
            return question
        return question[: found[self.max_question - 1][1]]

    def windows(self, records: list[dict], with_answers: bool) -> list[Window]:
        """Every record's windows; with ``with_answers``, the first answer's
        positions in each (0 where the window does not hold all of it)."""
        questions = [self.question_text(r["question"]) for r in records]
        lengths = [
            len(ids) for ids in self.tokenizer(questions, add_special_tokens=False)["input_ids"]
        ]
        by_length: dict[int, list[int]] = {}
        for i, n in enumerate(lengths):
            by_length.setdefault(n, []).append(i)
        out: list[Window] = []
        # One tokenizer call per question length: the overlap of consecutive
        # windows that makes them start every `stride` subwords depends on it.
        for n, chosen in sorted(by_length.items()):
            room = self.max_length - n - self.pair_specials
            if room < 1:
                raise ValueError(
                    f"{self.task}: a window of {self.max_length} subwords leaves no room for "
                    f"the context after a question of {n} (task_options.{self.task}.max_length, "
                    f".max_question)"
                )
            encoded = self.tokenizer(
                [questions[i] for i in chosen],
                [records[i]["context"] for i in chosen],
                truncation="only_second",
                max_length=self.max_length,
                stride=max(0, room - self.stride),
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
            )
            types = encoded.get("token_type_ids") if self.with_types else None
            for k, ids in enumerate(encoded["input_ids"]):
                index = chosen[encoded["overflow_to_sample_mapping"][k]]
                sequence = encoded.sequence_ids(k)
                spans = [
                    tuple(span) if part == 1 else None
                    for span, part in zip(encoded["offset_mapping"][k], sequence, strict=True)
                ]
                window = Window(index, ids, types[k] if types is not None else None, spans)
                if with_answers:
                    answer = records[index]["answers"][0]
                    first = answer["answer_start"]
                    window.start, window.end = _positions(spans, first, first + len(answer["text"]))
                out.append(window)
        out.sort(key=lambda w: w.question)  # stable: a question's windows stay in order
        return out

    def units(self, records: list[dict]) -> list[Window]:
        """Training units: every window of every question, with the answer's positions."""
        return self.windows(records, with_answers=True)

    def unit_length(self, unit: Window) -> int:
        """Subwords of a window."""
        return len(unit.input_ids)

    def _batch(self, units, device):
        return pad_inputs(units, self.tokenizer.pad_token_id, device)

    def loss(self, model, units: list[Window], device) -> torch.Tensor:
        """Mean cross-entropy of the gold start and the gold end over the window."""
        ids, mask, types = self._batch(units, device)
        with autocast(device):
            start, end = model(ids, mask, types)
        padding = mask == 0
        start = start.float().masked_fill(padding, NEG)
        end = end.float().masked_fill(padding, NEG)
        gold_start = torch.tensor([u.start for u in units], device=device)
        gold_end = torch.tensor([u.end for u in units], device=device)
        return (self._loss(start, gold_start) + self._loss(end, gold_end)) / 2

    def prepare(self, records: list[dict]) -> tuple[list[dict], list[Window]]:
        """The records and their windows, made once."""
        return records, self.windows(records, with_answers=False)

    @torch.no_grad()
    def predict(self, model, prepared, device, batch_size: int = 64) -> list[str]:
        """The answer text of every question: its best span over all its windows."""
        records, windows = prepared
        model.eval()
        best: list[tuple[float, str]] = [(-float("inf"), "") for _ in records]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        for first in range(0, len(order), batch_size):
            batch = [windows[i] for i in order[first : first + batch_size]]
            ids, mask, types = self._batch(batch, device)
            with autocast(device):
                start, end = model(ids, mask, types)
            start, end = start.float().cpu(), end.float().cpu()
            for row, window in enumerate(batch):
                found = best_span(start[row], end[row], window.spans, self.max_answer)
                if found is None:
                    continue
                score, (first_char, last_char) = found
                if score > best[window.question][0]:
                    context = records[window.question]["context"]
                    best[window.question] = (score, context[first_char:last_char])
        return [text for _, text in best]

    def score(self, records: list[dict], predictions: list[str]) -> dict:
        """Exact match and F1 (SQuAD v1.1), the configured one as the headline."""
        golds = [[a["text"] for a in r["answers"]] for r in records]
        result = squad_scores(predictions, golds)
        other = "f1" if self.metric == "exact_match" else "exact_match"
        return {
            "metric": self.metric,
            "score": result[self.metric],
            other: result[other],
            "questions": result["questions"],
        }

    def write_predictions(self, path, records: list[dict], predictions) -> None:
        """One row per question: id, question, gold answers (``|``-separated),
        prediction, exact match (0/1)."""

        def cell(text: str) -> str:
            return " ".join(text.split())

        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
            out.write("id\tquestion\tgold\tpredicted\texact_match\n")
            for record, predicted in zip(records, predictions, strict=True):
                golds = [a["text"] for a in record["answers"]]
                row = [
                    record["id"],
                    cell(record["question"]),
                    " | ".join(cell(g) for g in golds),
                    cell(predicted),
                    str(int(exact_match(predicted, golds))),
                ]
                out.write("\t".join(row) + "\n")


def _positions(spans: list, first: int, last: int) -> tuple[int, int]:
    """Positions of the subwords holding the answer's first and last characters
    ([first, last) in the context), or (0, 0) when the window lacks part of it."""
    inside = [i for i, span in enumerate(spans) if span is not None]
    if not inside or spans[inside[0]][0] > first or spans[inside[-1]][1] < last:
        return 0, 0
    start = next(i for i in inside if spans[i][1] > first)
    end = next(i for i in reversed(inside) if spans[i][0] < last)
    return start, max(start, end)


def best_span(start, end, spans: list, max_answer: int):
    """(score, (first char, end char)) of the best answer span in one window:
    start <= end, at most ``max_answer`` subwords, both in the context; None
    when the window has no context subword."""
    inside = torch.tensor([span is not None for span in spans])
    if not inside.any():
        return None
    n = len(spans)
    start = start[:n].masked_fill(~inside, NEG)
    end = end[:n].masked_fill(~inside, NEG)
    pair = start[:, None] + end[None, :]
    allowed = torch.ones(n, n, dtype=torch.bool).triu().tril(max_answer - 1)
    allowed &= inside[:, None] & inside[None, :]
    pair = pair.masked_fill(~allowed, -float("inf"))
    flat = int(pair.argmax())
    i, j = divmod(flat, n)
    return float(pair[i, j]), (spans[i][0], spans[j][1])
