"""Dependency parsing on an encoder: the biaffine parser of Dozat and Manning (2017).

Each word is represented by its first subword with characters; a learnt
vector stands for the artificial root. Two small MLPs give every word a view
as dependent and as head; a biaffine product scores every (dependent, head)
arc, and a second, bilinear-plus-linear scorer every relation of a dependent
with a given head. Training sums the cross-entropy of each word's gold head
and of its gold relation (with the gold head). Decoding takes the
maximum-spanning tree with one root over the arcs' log-probabilities
(``xlt.tasks.trees``), then each word's best relation with its predicted head;
the root's child is labelled ``root`` and no other word is.

A sentence longer than a window is encoded in several windows (at word
boundaries) whose word vectors are joined again before the biaffine scorers,
so no word is ever left out of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from xlt import tasks
from xlt.core.device import autocast
from xlt.core.fileio import atomic_path
from xlt.encoders.windows import Window, collate, make_windows
from xlt.encoders.with_head import EncoderWithHead
from xlt.tasks.metrics import attachment_scores, one_class
from xlt.tasks.trees import mst_heads

IGNORE = -100
BLOCKED = -1e4  # score of an impossible arc (padding, a word as its own head)


def _mlp(size_in: int, size_out: int, dropout: float) -> nn.Module:
    return nn.Sequential(nn.Linear(size_in, size_out), nn.LeakyReLU(0.1), nn.Dropout(dropout))


class BiaffineHead(nn.Module):
    """Arc and relation scorers over word vectors [batch, words, hidden]."""

    def __init__(self, hidden: int, relations: int, arc_size: int, relation_size: int, dropout):
        super().__init__()
        self.root = nn.Parameter(torch.randn(hidden) * 0.02)
        self.arc_dep = _mlp(hidden, arc_size, dropout)
        self.arc_head = _mlp(hidden, arc_size, dropout)
        self.rel_dep = _mlp(hidden, relation_size, dropout)
        self.rel_head = _mlp(hidden, relation_size, dropout)
        self.arc_weight = nn.Parameter(torch.zeros(arc_size, arc_size))
        self.arc_prior = nn.Linear(arc_size, 1, bias=False)  # how good a head a word is
        self.rel_weight = nn.Parameter(torch.zeros(relations, relation_size, relation_size))
        self.rel_linear = nn.Linear(2 * relation_size, relations)

    def forward(self, words: torch.Tensor, mask: torch.Tensor):
        """Arc scores [batch, words (dependents), 1 + words (heads, 0 the root)] and the
        relation views of dependents and heads."""
        batch, n, _ = words.shape
        nodes = torch.cat([self.root.to(words.dtype).expand(batch, 1, -1), words], dim=1)
        dep, head = self.arc_dep(words), self.arc_head(nodes)
        arcs = torch.einsum("bia,ac,bjc->bij", dep, self.arc_weight.to(dep.dtype), head)
        arcs = arcs.float() + self.arc_prior(head).float().transpose(1, 2)
        head_ok = torch.cat([mask.new_ones(batch, 1), mask], dim=1)  # [batch, 1 + n]
        not_self = ~torch.eye(n + 1, dtype=torch.bool, device=words.device)[1:]  # head i+1 of i
        valid = head_ok[:, None, :] & not_self[None] & mask[:, :, None]
        return arcs.masked_fill(~valid, BLOCKED), self.rel_dep(words), self.rel_head(nodes)

    def relations(self, rel_dep, rel_nodes, heads: torch.Tensor) -> torch.Tensor:
        """Relation scores [batch, words, relations] of each word with head ``heads``."""
        index = heads.clamp(min=0).unsqueeze(-1).expand(-1, -1, rel_nodes.shape[-1])
        chosen = rel_nodes.gather(1, index)
        bilinear = torch.einsum(
            "bwr,lrs,bws->bwl", rel_dep, self.rel_weight.to(rel_dep.dtype), chosen
        )
        return bilinear.float() + self.rel_linear(torch.cat([rel_dep, chosen], -1)).float()


@dataclass
class Sentence:
    """One sentence as the parser reads it: its windows and, when known, its tree."""

    windows: list[Window]
    words: int
    heads: list[int] | None = None
    relations: list[int] | None = None

    @property
    def length(self) -> int:
        """Subwords of all its windows."""
        return sum(len(w.input_ids) for w in self.windows)


class BiaffineParser(EncoderWithHead):
    """Encoder + dropout + biaffine arc and relation scorers."""

    def __init__(self, encoder, relations, dropout, fine_tune=True, frozen_layers=0, **sizes):
        head = BiaffineHead(
            encoder.config.hidden_size,
            relations,
            sizes.get("arc_size", 500),
            sizes.get("relation_size", 100),
            dropout,
        )
        super().__init__(encoder, head, dropout, fine_tune, frozen_layers)

    def forward(self, sentences: list[Sentence], pad_id: int, device):
        """Arc scores and relation views of a batch of sentences, and its word mask."""
        windows = [w for s in sentences for w in s.windows]
        ids, mask, _ = collate(windows, pad_id)
        hidden = self.hidden(ids.to(device), mask.to(device))
        rows, positions, batch_index, word_index = [], [], [], []
        row = 0
        for b, sentence in enumerate(sentences):
            for window in sentence.windows:
                for k, position in enumerate(window.word_starts):
                    rows.append(row)
                    positions.append(position)
                    batch_index.append(b)
                    word_index.append(window.first_word + k)
                row += 1
        n = max(s.words for s in sentences)
        words = hidden.new_zeros(len(sentences), n, hidden.shape[-1])
        words[batch_index, word_index] = hidden[rows, positions]
        word_mask = torch.zeros(len(sentences), n, dtype=torch.bool, device=device)
        word_mask[batch_index, word_index] = True
        arcs, rel_dep, rel_nodes = self.head(words, word_mask)
        return arcs, rel_dep, rel_nodes, word_mask


class ParsingModel:
    """Training and prediction of a parsing task (a ``TaskModel``, ``xlt.task_models.protocol``).

    ``options``: ``arc_size`` and ``relation_size`` (the MLPs' widths; Dozat
    and Manning use 500 and 100), ``exclude_upos`` (gold UPOS classes left out
    of UAS and LAS), ``metric`` (``las``, the default, or ``uas``: the headline
    score that selects the model and fills the tables).
    """

    def __init__(self, task: str, tokenizer, max_length: int, options: dict | None = None):
        self.task = task
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.options = dict(options or {})
        self.labels = tasks.labels(task)
        self.label_id = {label: i for i, label in enumerate(self.labels)}
        self.root_id = self.label_id["root"]
        self._loss = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)

    def build(self, encoder, dropout: float, fine_tune: bool, frozen_layers: int = 0):
        """The encoder with the biaffine scorers."""
        sizes = {k: self.options[k] for k in ("arc_size", "relation_size") if k in self.options}
        return BiaffineParser(encoder, len(self.labels), dropout, fine_tune, frozen_layers, **sizes)

    def _sentences(self, records: list[dict], with_trees: bool) -> list[Sentence]:
        windows = make_windows(self.tokenizer, [r["words"] for r in records], None, self.max_length)
        grouped: list[list[Window]] = [[] for _ in records]
        for window in windows:
            grouped[window.sentence].append(window)
        return [
            Sentence(
                group,
                len(record["words"]),
                list(record["heads"]) if with_trees else None,
                [self.label_id[r] for r in record["deprels"]] if with_trees else None,
            )
            for group, record in zip(grouped, records, strict=True)
        ]

    def units(self, records: list[dict]) -> list[Sentence]:
        """Training units: whole sentences (all their windows) with their trees."""
        return self._sentences(records, with_trees=True)

    def unit_length(self, unit: Sentence) -> int:
        """Subwords of a sentence."""
        return unit.length

    def loss(self, model, units: list[Sentence], device) -> torch.Tensor:
        """Cross-entropy of every word's gold head plus that of its gold relation."""
        n = max(s.words for s in units)
        heads = torch.full((len(units), n), IGNORE, dtype=torch.long)
        relations = torch.full((len(units), n), IGNORE, dtype=torch.long)
        for b, sentence in enumerate(units):
            heads[b, : sentence.words] = torch.tensor(sentence.heads)
            relations[b, : sentence.words] = torch.tensor(sentence.relations)
        heads, relations = heads.to(device), relations.to(device)
        with autocast(device):
            arcs, rel_dep, rel_nodes, _ = model(units, self.tokenizer.pad_token_id, device)
            rel_scores = model.head.relations(rel_dep, rel_nodes, heads)
        arc_loss = self._loss(arcs.reshape(-1, n + 1), heads.view(-1))
        rel_loss = self._loss(rel_scores.reshape(-1, len(self.labels)), relations.view(-1))
        return arc_loss + rel_loss

    def prepare(self, records: list[dict]) -> list[Sentence]:
        """The sentences' windows, without trees."""
        return self._sentences(records, with_trees=False)

    @torch.no_grad()
    def predict(self, model, prepared: list[Sentence], device, batch_size: int = 32):
        """(heads, relations) of every sentence: a tree with one root each."""
        model.eval()
        out: list = [None] * len(prepared)
        order = sorted(range(len(prepared)), key=lambda i: prepared[i].length)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            batch = [prepared[i] for i in chosen]
            with autocast(device):
                arcs, rel_dep, rel_nodes, _ = model(batch, self.tokenizer.pad_token_id, device)
            log_probs = torch.log_softmax(arcs.float(), dim=-1).cpu().numpy()
            heads = torch.zeros(arcs.shape[:2], dtype=torch.long)
            trees = []
            for b, sentence in enumerate(batch):
                n = sentence.words
                scores = log_probs[b, :n, : n + 1].T  # [head, dependent - 1]
                square = torch.full((n + 1, n + 1), BLOCKED, dtype=torch.float64).numpy()
                square[:, 1:] = scores
                tree = mst_heads(square)
                heads[b, :n] = torch.tensor(tree)
                trees.append(tree)
            with autocast(device):
                rel_scores = model.head.relations(rel_dep, rel_nodes, heads.to(device)).float()
            # the root's child is "root", no other word is
            is_root = (heads == 0).to(device)
            rel_scores[..., self.root_id] = torch.where(is_root, torch.inf, -torch.inf)
            best = rel_scores.argmax(-1).cpu()
            for b, (i, tree) in enumerate(zip(chosen, trees, strict=True)):
                rels = [self.labels[r] for r in best[b, : len(tree)].tolist()]
                out[i] = (tree, rels)
        return out

    def score(self, records: list[dict], predictions) -> dict:
        """LAS and UAS (the configured one as the headline) over the scored words."""
        result = attachment_scores(
            [r["heads"] for r in records],
            [r["deprels"] for r in records],
            [heads for heads, _ in predictions],
            [rels for _, rels in predictions],
            [r["upos"] for r in records],
            self.options.get("exclude_upos", ()),
        )
        metric = self.options.get("metric", "las")
        return {
            "metric": metric,
            "score": 100 * result[metric],
            "uas": 100 * result["uas"],
            "las": 100 * result["las"],
            "scored_words": result["words"],
            "excluded_upos": sorted(self.options.get("exclude_upos", ())),
            # one relation for every word: a parser that learned nothing
            "degenerate": one_class([r["deprels"] for r in records], [r for _, r in predictions]),
        }

    def write_predictions(self, path, records: list[dict], predictions) -> None:
        """One row per word (gold and predicted head and relation), a blank line
        after each sentence."""
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
            out.write("word\tupos\tgold_head\tgold_relation\tpredicted_head\tpredicted_relation\n")
            for record, (heads, rels) in zip(records, predictions, strict=True):
                rows = zip(
                    record["words"],
                    record["upos"],
                    record["heads"],
                    record["deprels"],
                    heads,
                    rels,
                    strict=True,
                )
                for row in rows:
                    out.write("\t".join(map(str, row)) + "\n")
                out.write("\n")
