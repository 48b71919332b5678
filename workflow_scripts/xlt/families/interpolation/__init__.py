"""Under-specified optimisation (Wu, Van Durme and Dredze 2022): models on the
straight line and the plane between a source-only, a target-only and a bilingual
model of one initialisation, scored on the source and the target dev sets.

Per (task, source, target, seed) of ``interpolation.pairs``: theta_src is the
zero-shot family's model of that source (reused, never retrained); theta_tgt
(target data only) and theta_bi (source and target data) are trained with the
same settings and seed, so all three start from the same parameters; model
selection is on the dev sets of the languages each trains on. Then one job per
kind (``source_line``, ``target_line``, ``plane``) evaluates its whole grid.

* ``geometry``: the parameter arithmetic, the alpha grids, the two directions'
  norm ratio and angle;
* ``points``: resumable evaluation of a grid of points, point by point;
* ``runner``: one job's grid over the three models;
* ``analysis``: normalisation by the bilingual model, 95 % bands, variance;
* ``plots``: Figures 2-10 of the paper.

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
