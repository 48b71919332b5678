"""MAN-MoE (Chen et al. 2019): multi-source transfer with a language-adversarial
shared extractor and mixtures of per-source experts, with its baselines and
ablations, on the pipeline's cached word vectors.

``model`` holds the network and its variants, ``training`` Algorithm 1, and
``grid`` the leave-one-out grid.
"""
