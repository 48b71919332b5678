"""MAN-MoE (Chen et al. 2019): multi-source transfer with a language-adversarial
shared extractor and mixtures of per-source experts, with its baselines and
ablations, on the pipeline's cached frozen-encoder word vectors.

Every language of ``man_moe.languages`` (or of ``man_moe.targets``) is the
target once, the other languages its labelled sources (leave-one-out); one job
per (task, target, seed) trains every configured system of that target, each
from its own checkpoint, and scores it on the target's test split.

* ``systems``: the systems (baselines, MAN, MAN-MoE and its ablations) and the
  parts each trains;
* ``runs``: the leave-one-out runs;
* ``model``: the network; ``training``: Algorithm 1 with exact resume;
* ``characters``: the CharCNN's character ids (``man_moe.model.characters``);
* ``tables`` and ``plots``: the results table and the gate-weight figure.

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
