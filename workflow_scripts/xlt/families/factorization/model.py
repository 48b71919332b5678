"""Parameter space factorization (Ponti et al., TACL 2021, §2–3).

Every task i and language j has a latent vector (t_i, l_j in R^h, prior
N(0, I)). A generator turns a pair into the mean and the variance of the
weights of a linear classifier over encoder vectors, theta_ij in R^(e*c + c);
the variational family shares that generator (eq. 3), so the KL of theta is
zero and the ELBO (eq. 6) is the expected log-likelihood minus the closed-form
KL of the task and language posteriors. Those posteriors are Gaussian with a
diagonal (PF-d) or diagonal-plus-rank-k (PF-lr) covariance
S = diag(delta^2) + B B^T with delta^2 = softplus(rho) (eqs. 7–10).

Unseen (task, language) pairs are predicted from the posterior means
(§3.2) or by Bayesian model averaging over posterior samples.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

VARIANCE_OF_MEANS = 0.1  # the variational means' initial distribution N(0, 0.1)


class LatentGaussians(nn.Module):
    """``count`` independent Gaussians in R^dim with covariance diag(softplus(rho)) + B B^T."""

    def __init__(self, count: int, dim: int, rank: int = 0, generator=None):
        super().__init__()
        # §4.2: means from N(0, 0.1), read as N(mu, sigma^2): variance 0.1 (read as
        # standard deviation 0.1 until 2026-12-06, the latents started as little
        # more than their noise and SVI took twice the steps to reach the same
        # seen-pair dev score); covariance parameters rho and B from U(0, 0.5).
        mean = VARIANCE_OF_MEANS**0.5 * torch.randn(count, dim, generator=generator)
        self.mean = nn.Parameter(mean)
        self.rho = nn.Parameter(0.5 * torch.rand(count, dim, generator=generator))
        self.rank = rank
        factor = 0.5 * torch.rand(count, dim, rank, generator=generator)
        self.factor = nn.Parameter(factor) if rank else None

    @property
    def count(self) -> int:
        """Number of Gaussians."""
        return self.mean.shape[0]

    @property
    def dim(self) -> int:
        """Dimension of each Gaussian."""
        return self.mean.shape[1]

    def diagonal(self) -> torch.Tensor:
        """delta^2 = softplus(rho): the diagonal part of each covariance [count, dim]."""
        return F.softplus(self.rho)

    def covariance(self) -> torch.Tensor:
        """Dense covariances [count, dim, dim] (for checks; training never builds them)."""
        dense = torch.diag_embed(self.diagonal())
        if self.rank:
            dense = dense + self.factor @ self.factor.transpose(1, 2)
        return dense

    def log_det(self) -> torch.Tensor:
        """ln det S per Gaussian [count], by the matrix-determinant lemma (eq. 10):
        ln det(I_k + B^T diag(delta^-2) B) + sum ln delta^2, never forming S."""
        diagonal = self.diagonal()
        result = torch.log(diagonal).sum(-1)
        if self.rank:
            scaled = self.factor / diagonal.unsqueeze(-1)  # diag(delta^-2) B
            identity = torch.eye(self.rank, device=self.factor.device)
            capacitance = identity + self.factor.transpose(1, 2) @ scaled
            chol = torch.linalg.cholesky(capacitance)
            result = result + 2 * torch.log(torch.diagonal(chol, dim1=-2, dim2=-1)).sum(-1)
        return result

    def kl_to_standard_normal(self) -> torch.Tensor:
        """sum over the Gaussians of KL(q || N(0, I)), eq. 9."""
        trace = self.diagonal().sum(-1)
        if self.rank:
            trace = trace + self.factor.pow(2).sum((-2, -1))
        per_gaussian = 0.5 * (self.mean.pow(2).sum(-1) + trace - self.dim - self.log_det())
        return per_gaussian.sum()

    def sample(self, samples: int, index=None) -> torch.Tensor:
        """Reparameterised draws [samples, count, dim] (eq. 12): m + delta*eps + B zeta.

        (Eq. 12 prints diag(delta^2 * eps); the standard deviation delta is what
        makes the draws have covariance S.)
        """
        mean, diagonal = self.mean, self.diagonal()
        factor = self.factor
        if index is not None:
            mean, diagonal = mean[index], diagonal[index]
            factor = factor[index] if self.rank else None
        eps = torch.randn(samples, *mean.shape, device=mean.device)
        draws = mean + diagonal.sqrt() * eps
        if self.rank:
            zeta = torch.randn(samples, *mean.shape[:-1], self.rank, 1, device=mean.device)
            draws = draws + (factor @ zeta).squeeze(-1)
        return draws


class ParameterGenerator(nn.Module):
    """f_psi (mean) and f_phi (variance): one tied ReLU trunk, separate last layers.

    The input is t + l + (t - l) + (t * l) concatenated (Stolee and Patterson 2019).
    """

    def __init__(self, latent_dim: int, hidden_sizes: list[int], out_dim: int):
        super().__init__()
        layers, width = [], 4 * latent_dim
        for size in hidden_sizes:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        self.trunk = nn.Sequential(*layers)
        self.mean_head = nn.Linear(width, out_dim)
        self.variance_head = nn.Linear(width, out_dim)
        # Start with small parameter noise: a softplus of 0 (variance 0.69) on
        # every classifier weight would drown the first gradients in noise.
        nn.init.constant_(self.variance_head.bias, -6.0)

    def forward(self, task_vector: torch.Tensor, language_vector: torch.Tensor):
        """Mean and variance [..., out_dim] of the classifier weights for a task and
        a language vector."""
        t, v = task_vector, language_vector
        hidden = self.trunk(torch.cat([t, v, t - v, t * v], dim=-1))
        return self.mean_head(hidden), F.softplus(self.variance_head(hidden))


class FactorizationModel(nn.Module):
    """Latent task and language Gaussians + the parameter generator."""

    def __init__(
        self,
        tasks: list[str],
        languages: list[str],
        *,
        feature_dim: int,
        num_classes: int,
        latent_dim: int = 100,
        rank: int = 0,
        hidden_sizes=(400, 768, 768, 768, 768),
        generator=None,
    ):
        super().__init__()
        self.task_names, self.language_names = list(tasks), list(languages)
        self.feature_dim, self.num_classes = feature_dim, num_classes
        self.tasks = LatentGaussians(len(tasks), latent_dim, rank, generator)
        self.languages = LatentGaussians(len(languages), latent_dim, rank, generator)
        out_dim = feature_dim * num_classes + num_classes
        self.generator = ParameterGenerator(latent_dim, list(hidden_sizes), out_dim)

    def config(self) -> dict:
        """The model's shape (names, sizes, rank, hidden sizes), as ``from_config`` takes it."""
        return {
            "tasks": self.task_names,
            "languages": self.language_names,
            "feature_dim": self.feature_dim,
            "num_classes": self.num_classes,
            "latent_dim": self.tasks.dim,
            "rank": self.tasks.rank,
            "hidden_sizes": [
                m.out_features for m in self.generator.trunk if hasattr(m, "out_features")
            ],
        }

    @classmethod
    def from_config(cls, config: dict) -> FactorizationModel:
        """A model of the shape ``config()`` describes (untrained weights)."""
        return cls(
            config["tasks"],
            config["languages"],
            feature_dim=config["feature_dim"],
            num_classes=config["num_classes"],
            latent_dim=config["latent_dim"],
            rank=config["rank"],
            hidden_sizes=config["hidden_sizes"],
        )

    def saved(self) -> dict:
        """What ``load_model`` reads back: the shape and the weights."""
        return {"config": self.config(), "state": self.state_dict()}

    def index(self, task: str, language: str) -> tuple[int, int]:
        """Row indices of ``task`` and ``language``; KeyError if the model lacks the pair."""
        try:
            return self.task_names.index(task), self.language_names.index(language)
        except ValueError:
            raise KeyError(f"({task}, {language}) is not a pair of this model") from None

    def kl(self) -> torch.Tensor:
        """KL of the task and language posteriors to N(0, I): the ELBO's KL term."""
        return self.tasks.kl_to_standard_normal() + self.languages.kl_to_standard_normal()

    def sample_parameters(self, task: str, language: str, samples: int) -> torch.Tensor:
        """theta draws [samples, d]: t, l and then theta, all reparameterised."""
        i, j = self.index(task, language)
        task_vector = self.tasks.sample(samples, [i])[:, 0]
        language_vector = self.languages.sample(samples, [j])[:, 0]
        mean, variance = self.generator(task_vector, language_vector)
        return mean + variance.sqrt() * torch.randn_like(mean)

    def mean_parameters(self, task: str, language: str) -> torch.Tensor:
        """theta at the posterior means of t and l (the paper's test-time plug-in) [1, d]."""
        i, j = self.index(task, language)
        mean, _ = self.generator(self.tasks.mean[i : i + 1], self.languages.mean[j : j + 1])
        return mean

    def logits(self, features: torch.Tensor, theta: torch.Tensor, num_labels: int):
        """Logits [samples, words, num_labels] of the classifiers theta [samples, d].

        Classes beyond a task's own are padding (footnote 3) and are dropped.
        """
        e, c = self.feature_dim, self.num_classes
        weight = theta[:, : e * c].view(-1, e, c)[..., :num_labels]
        bias = theta[:, e * c :][..., :num_labels]
        return features.unsqueeze(0) @ weight + bias.unsqueeze(1)

    def loss(
        self,
        features: torch.Tensor,
        labels: torch.Tensor,
        task: str,
        language: str,
        num_labels: int,
        samples: int,
        kl_weight: float,
    ) -> tuple[torch.Tensor, dict]:
        """Negative ELBO of one minibatch of one pair: Monte-Carlo NLL (summed over
        words, averaged over ``samples`` draws) + kl_weight * KL (eq. 6, 11)."""
        theta = self.sample_parameters(task, language, samples)
        logits = self.logits(features, theta, num_labels)
        nll = (
            F.cross_entropy(logits.reshape(-1, num_labels), labels.repeat(samples), reduction="sum")
            / samples
        )
        kl = self.kl()
        return nll + kl_weight * kl, {"nll": nll.item(), "kl": kl.item()}

    @torch.no_grad()
    def predict_proba(
        self,
        features: torch.Tensor,
        task: str,
        language: str,
        num_labels: int,
        mode: str = "mean",
        samples: int = 100,
    ) -> torch.Tensor:
        """Class probabilities [words, num_labels]: plug-in posterior mean, or
        Bayesian model averaging of ``samples`` classifiers drawn from q."""
        if mode == "mean":
            theta = self.mean_parameters(task, language)
            return torch.softmax(self.logits(features, theta, num_labels)[0], -1)
        if mode == "bma":
            total = torch.zeros(len(features), num_labels, device=features.device)
            for _ in range(samples):  # one draw at a time keeps memory flat
                theta = self.sample_parameters(task, language, 1)
                total += torch.softmax(self.logits(features, theta, num_labels)[0], -1)
            return total / samples
        raise ValueError(f"unknown prediction mode {mode!r} (mean or bma)")


def entropy(probabilities: torch.Tensor) -> torch.Tensor:
    """H(p) = -sum p ln p per row, in nats (0 ln 0 = 0)."""
    logs = torch.where(probabilities > 0, probabilities.log(), torch.zeros_like(probabilities))
    return -(probabilities * logs).sum(-1)


def max_entropy(num_labels: int) -> float:
    """The largest entropy (nats) over ``num_labels`` labels: ln num_labels."""
    return math.log(num_labels)


def load_model(path) -> FactorizationModel:
    """A trained model from a file written with ``torch.save(model.saved())``."""
    saved = torch.load(path, map_location="cpu", weights_only=True)
    model = FactorizationModel.from_config(saved["config"])
    model.load_state_dict(saved["state"])
    return model.eval()
