"""The MAN-MoE network (Chen et al. 2019, §3 and Appendix B) over word vectors.

Inputs are the pipeline's cached frozen-encoder word vectors (the first
subword's final-layer vector, ``xlt.encoders.features``); the paper used fixed
MUSE embeddings, optionally concatenated with a CharCNN word vector, which
``CharCNN`` offers here too.

* F_s, the shared extractor: a 2-layer BiLSTM (128 = 2 x 64).
* D, the language discriminator: a CNN over F_s's token features (kernel widths
  3, 4, 5 x 200 filters, max-pooling over time) and an MLP with one hidden
  layer of 128, classifying the language of a sentence.
* F_p, the private extractor: a 2-layer BiLSTM (128), then a mixture of one
  expert MLP per source language (2 layers of 128, ReLU then tanh; the
  experts' weights are stacked and run as one batched product) weighted by a
  linear softmax gate on the BiLSTM state of each token.
* C, the predictor: per token, a mixture of expert MLPs (2 layers, 128
  hidden, softmax outputs) over [F_s ⊕ F_p], weighted by its own linear
  softmax gate. For sentence classification (``pooled``) the token features
  are first pooled into one sentence vector by dot-product attention with a
  learned vector as long as [F_s ⊕ F_p] (256 in the paper, Appendix B), and C's
  mixture classifies that vector.

``Variant`` switches the parts off for the baselines and ablations: without
``adversarial`` F_s is shared by weight sharing alone (no D), without
``private`` there is no F_p (C sees F_s), without ``tagger_moe`` C is one MLP.
Dropout (0.5 in the paper) is applied in every component. The sizes above are
the paper's (``Sizes``); the config's ``man_moe.model`` may shrink them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from xlt.encoders.dropout import Dropout
from xlt.families.man_moe.systems import Variant

KERNELS = (3, 4, 5)


@dataclass(frozen=True)
class Sizes:
    """Layer sizes: ``hidden`` of every BiLSTM (both directions together) and MLP,
    ``filters`` per kernel width of the CNNs (D's and the CharCNN's); the paper's
    are 128 and 200."""

    hidden: int = 128
    filters: int = 200


def _mlp(inputs: int, hidden: int, outputs: int, dropout: float, last=None) -> nn.Sequential:
    """Two layers, ``hidden`` units (ReLU), ``last`` after the output layer if given."""
    layers = [Dropout(dropout), nn.Linear(inputs, hidden), nn.ReLU(), Dropout(dropout)]
    layers.append(nn.Linear(hidden, outputs))
    if last is not None:
        layers.append(last)
    return nn.Sequential(*layers)


class BiLSTM(nn.Module):
    """A 2-layer BiLSTM of ``hidden`` units (half per direction) over padded sentences."""

    def __init__(self, inputs: int, hidden: int, dropout: float):
        super().__init__()
        self.lstm = nn.LSTM(
            inputs, hidden // 2, num_layers=2, bidirectional=True, batch_first=True,
            dropout=dropout,
        )  # fmt: skip
        self.dropout = Dropout(dropout)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x [B, T, in] padded, lengths [B] -> [B, T, hidden] (zeros past each end)."""
        packed = pack_padded_sequence(
            self.dropout(x), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return out


class CharCNN(nn.Module):
    """A word's characters -> one ``hidden``-long vector (kernels 3, 4, 5 x ``filters``,
    max-pooled, one linear layer), concatenated to the word vector when
    ``characters`` is on."""

    def __init__(self, alphabet: int, sizes: Sizes, dim: int = 50, dropout: float = 0.5):
        super().__init__()
        self.embed = nn.Embedding(alphabet, dim, padding_idx=0)
        self.hidden = sizes.hidden
        self.convs = nn.ModuleList(nn.Conv1d(dim, sizes.filters, k, padding=k - 1) for k in KERNELS)
        self.out = nn.Sequential(
            Dropout(dropout), nn.Linear(sizes.filters * len(KERNELS), sizes.hidden)
        )

    def forward(self, chars: torch.Tensor) -> torch.Tensor:
        """chars [..., max_chars] (0 = padding) -> [..., hidden]."""
        shape = chars.shape[:-1]
        flat = chars.reshape(-1, chars.shape[-1])
        x = self.embed(flat).transpose(1, 2)
        pooled = [conv(x).relu().amax(-1) for conv in self.convs]
        return self.out(torch.cat(pooled, -1)).reshape(*shape, self.hidden)


class Discriminator(nn.Module):
    """D: which language a sentence's shared features come from."""

    def __init__(self, languages: int, sizes: Sizes, dropout: float):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv1d(sizes.hidden, sizes.filters, k) for k in KERNELS)
        self.mlp = _mlp(sizes.filters * len(KERNELS), sizes.hidden, languages, dropout)

    def forward(self, features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """features [B, T, hidden], mask [B, T] -> language logits [B, languages]."""
        x = features.masked_fill(~mask.unsqueeze(-1), 0.0)
        width = max(KERNELS)
        if x.shape[1] < width:  # a sentence shorter than the widest kernel
            x = F.pad(x, (0, 0, 0, width - x.shape[1]))
        x = x.transpose(1, 2)
        pooled = []
        for kernel, conv in zip(KERNELS, self.convs, strict=True):
            out = conv(x).relu()  # [B, filters, T - k + 1]
            # windows that start past a sentence's end hold only padding: left out
            valid = torch.arange(out.shape[-1], device=x.device)[None, :] < (
                mask.sum(1, keepdim=True) - kernel + 1
            ).clamp(min=1)
            pooled.append(out.masked_fill(~valid.unsqueeze(1), 0.0).amax(-1))
        return self.mlp(torch.cat(pooled, -1))


class ExpertMixture(nn.Module):
    """Experts mixed by a linear softmax gate on the same input.

    The experts are 2-layer MLPs (``hidden`` units, ReLU, ``last`` after the output
    layer) whose weights are stacked, so all of them run as one matrix product
    per layer rather than one small product per expert. The input's dropout
    mask is shared by the experts; the hidden layer's is drawn per expert.
    ``forward`` returns (mixture, gate logits); ``softmax_experts`` mixes the
    experts' softmax outputs (C's experts) instead of their raw outputs (F_p's).
    """

    def __init__(
        self, inputs: int, hidden: int, outputs: int, experts: int, dropout: float, last=None
    ):
        super().__init__()
        self.experts, self.hidden = experts, hidden
        self.hidden_weight = nn.Parameter(torch.empty(inputs, experts * hidden))
        self.hidden_bias = nn.Parameter(torch.empty(experts * hidden))
        self.output_weight = nn.Parameter(torch.empty(experts, hidden, outputs))
        self.output_bias = nn.Parameter(torch.empty(experts, 1, outputs))
        # nn.Linear's default initialisation, expert by expert: U(-1/sqrt(fan_in), +)
        for tensor, fan_in in (
            (self.hidden_weight, inputs),
            (self.hidden_bias, inputs),
            (self.output_weight, hidden),
            (self.output_bias, hidden),
        ):
            nn.init.uniform_(tensor, -(fan_in**-0.5), fan_in**-0.5)
        self.dropout = Dropout(dropout)
        self.last = last if last is not None else nn.Identity()
        self.gate = nn.Linear(inputs, experts)

    def expert_outputs(self, x: torch.Tensor) -> torch.Tensor:
        """Every expert's output: x [..., in] -> [..., experts, out]."""
        flat = self.dropout(x.reshape(-1, x.shape[-1]))
        hidden = (flat @ self.hidden_weight + self.hidden_bias).relu()
        hidden = self.dropout(hidden).reshape(len(flat), self.experts, self.hidden)
        out = torch.baddbmm(self.output_bias, hidden.transpose(0, 1), self.output_weight)
        return self.last(out).transpose(0, 1).reshape(*x.shape[:-1], self.experts, -1)

    def forward(self, x: torch.Tensor, softmax_experts: bool = False):
        """(the gate-weighted mixture of the experts' outputs, the gate's logits)."""
        logits = self.gate(x)
        outputs = self.expert_outputs(x)
        if softmax_experts:
            outputs = outputs.softmax(-1)
        return (logits.softmax(-1).unsqueeze(-1) * outputs).sum(-2), logits


class AttentionPooling(nn.Module):
    """Dot-product attention of one learned vector over a sentence's token features:
    [B, T, F] -> [B, F], padding left out."""

    def __init__(self, features: int):
        super().__init__()
        self.query = nn.Parameter(torch.empty(features))
        nn.init.normal_(self.query, std=features**-0.5)

    def forward(self, features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """features [B, T, F], mask [B, T] (True on words) -> [B, F]."""
        scores = (features @ self.query).masked_fill(~mask, -torch.inf)
        return (scores.softmax(-1).unsqueeze(-1) * features).sum(1)


@dataclass
class Output:
    """One forward pass: label log-probabilities and the gates' logits (None where
    a part is off); with ``pooled`` C's are per sentence."""

    log_probs: torch.Tensor  # [B, T, labels]; [B, labels] when pooled
    private_gate: torch.Tensor | None  # [B, T, sources]
    tagger_gate: torch.Tensor | None  # [B, T, sources]; [B, sources] when pooled


class ManMoE(nn.Module):
    """F_s, F_p, C and D of one variant; ``sources`` experts, ``languages`` classes of D;
    ``pooled``: one label per sentence (C on the attention-pooled tokens)."""

    def __init__(
        self,
        inputs: int,
        labels: int,
        sources: int,
        languages: int,
        variant: Variant,
        *,
        dropout: float = 0.5,
        alphabet: int = 0,
        sizes: Sizes = Sizes(),
        pooled: bool = False,
    ):
        super().__init__()
        self.variant = variant
        hidden = sizes.hidden
        self.chars = CharCNN(alphabet, sizes, dropout=dropout) if alphabet else None
        width = inputs + (hidden if alphabet else 0)
        self.shared = BiLSTM(width, hidden, dropout)
        self.private = None
        if variant.private:
            self.private_lstm = BiLSTM(width, hidden, dropout)
            self.private = ExpertMixture(hidden, hidden, hidden, sources, dropout, last=nn.Tanh())
        features = hidden * (2 if variant.private else 1)
        self.pool = AttentionPooling(features) if pooled else None
        if variant.tagger_moe:
            self.predictor = ExpertMixture(features, hidden, labels, sources, dropout)
        else:
            self.predictor = _mlp(features, hidden, labels, dropout)
        self.discriminator = (
            Discriminator(languages, sizes, dropout) if variant.adversarial else None
        )

    def main_parameters(self) -> list[nn.Parameter]:
        """Everything but D: what the main optimiser updates."""
        skip = {id(p) for p in self.discriminator.parameters()} if self.discriminator else set()
        return [p for p in self.parameters() if id(p) not in skip]

    def words(self, vectors: torch.Tensor, chars: torch.Tensor | None) -> torch.Tensor:
        """A word's input: its vector, and its CharCNN vector when characters are on."""
        if self.chars is None:
            return vectors
        if chars is None:
            raise ValueError("the model has a CharCNN: give it the words' characters (chars)")
        return torch.cat([vectors, self.chars(chars)], -1)

    def shared_features(self, vectors, lengths, chars=None) -> torch.Tensor:
        """F_s's token features [B, T, hidden], what D classifies."""
        return self.shared(self.words(vectors, chars), lengths)

    def forward(self, vectors, lengths, mask, chars=None) -> Output:
        """vectors [B, T, e] padded, lengths [B], mask [B, T] (True on words)."""
        words = self.words(vectors, chars)
        shared = self.shared(words, lengths)
        features, private_gate = shared, None
        if self.private is not None:
            private, private_gate = self.private(self.private_lstm(words, lengths))
            features = torch.cat([shared, private], -1)
        if self.pool is not None:
            features = self.pool(features, mask)
        if self.variant.tagger_moe:
            probs, tagger_gate = self.predictor(features, softmax_experts=True)
            log_probs = probs.clamp_min(1e-12).log()
        else:
            log_probs, tagger_gate = self.predictor(features).log_softmax(-1), None
        return Output(log_probs, private_gate, tagger_gate)


def gate_nll(logits: torch.Tensor, experts) -> torch.Tensor:
    """Each position's NLL of choosing its true source's expert (the paper's L_g per
    token): logits [..., E]; ``experts`` an index, or one per position."""
    experts = torch.as_tensor(experts, device=logits.device).expand(logits.shape[:-1])
    return -logits.log_softmax(-1).gather(-1, experts.unsqueeze(-1)).squeeze(-1)


def gate_loss(logits: torch.Tensor, expert: int, mask: torch.Tensor | None = None) -> torch.Tensor:
    """L_g of one source's batch: ``gate_nll`` averaged over its tokens (``mask``)."""
    nll = gate_nll(logits, expert)
    return nll.mean() if mask is None else nll[mask].mean()


def word_nll(log_probs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Each word's NLL of its gold label: log_probs [words, labels], labels [words]."""
    return -log_probs.gather(-1, labels.unsqueeze(-1)).squeeze(-1)


def task_loss(output: Output, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """L_C of one source's batch: ``word_nll`` averaged over its words (over its
    sentences when C is pooled)."""
    if output.log_probs.dim() == 2:
        return word_nll(output.log_probs, labels).mean()
    return word_nll(output.log_probs[mask], labels[mask]).mean()


def mean_gate_weights(logits: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Per sentence, the mean of its tokens' gate weights (the paper's Figure 4
    aggregation, first step): [B, T, E] -> [B, E]."""
    weights = logits.softmax(-1) * mask.unsqueeze(-1)
    return weights.sum(1) / mask.sum(1, keepdim=True)
