"""Few-shot transfer (Lauscher et al. 2020, sec. 4): the zero-shot source model,
fine-tuned further on k examples of the target language.

The family continues the models the zero-shot family trained (the very
artifacts, never a retrain), so it runs only next to ``zero_shot``. Its grid
is a block of the config (``few_shot``): the tasks, targets and seeds of the
zero-shot grid it continues (all by default), the k values, the sampling
strategies and how many random samples (runs) per k.

* ``samples`` draws the k examples from a target's pool split (``train``, or
  the split ``few_shot.pool_split`` names for a task whose targets have no
  training data, e.g. XNLI's dev) as reproducible samples of example indices:
  one samples file per (task, target), shared by every seed and encoder.
* One training unit is a (task, source set, seed, target); its job runs every
  sample of the target in turn (continue training, score the target's test
  split), keeps each finished point, and resumes at the next when killed.
* k = 0 is the zero-shot model's score, read from the zero-shot evaluation.
* ``tables`` and ``plots``: the paper's Tables 4 and 5 and Figures 1 and 2.

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
