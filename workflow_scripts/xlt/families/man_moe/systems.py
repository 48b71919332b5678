"""The systems of the MAN-MoE grid and the parts each trains (no torch here: the
workflow reads this while it builds the DAG)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Variant:
    """Which parts of MAN-MoE a system trains."""

    adversarial: bool  # F_s trained against D (MAN); else weight sharing only
    private: bool  # the private MoE extractor F_p
    tagger_moe: bool  # C as a mixture of experts; else one MLP

    def as_dict(self) -> dict:
        """The switches by name."""
        return asdict(self)


# The paper's systems (Tables 2-4): baselines share one BiLSTM tagger; "1-to-1"
# trains it on each source alone, "3-to-1" on the pooled sources.
VARIANTS = {
    "one_to_one": Variant(adversarial=False, private=False, tagger_moe=False),
    "pooled": Variant(adversarial=False, private=False, tagger_moe=False),
    "man": Variant(adversarial=True, private=False, tagger_moe=False),
    "man_moe": Variant(adversarial=True, private=True, tagger_moe=True),
    "no_tagger_moe": Variant(adversarial=True, private=True, tagger_moe=False),
    "no_private_moe": Variant(adversarial=True, private=False, tagger_moe=True),
    "no_man": Variant(adversarial=False, private=True, tagger_moe=True),
}
# Systems whose gates choose among source experts: they need two sources or more.
MOE_SYSTEMS = tuple(name for name, v in VARIANTS.items() if v.private or v.tagger_moe)
