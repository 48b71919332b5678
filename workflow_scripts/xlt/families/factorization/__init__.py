"""The factorization family (Ponti et al., TACL 2021): PF-d, PF-lr and the
baselines LS, NS, JM and BEA, scored on held-out task-language pairs.

One training unit is a (method, language subset, partition, seed). How a
method trains decides its rule: a generator of classifiers over the seen pairs
(``GENERATORS``), one classifier per task pooled over training languages
(``POOLED``), or a choice among per-language classifiers that are trained once
per seed (``PER_LANGUAGE``).

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
