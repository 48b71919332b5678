"""Under-specified optimisation (Wu, Van Durme and Dredze 2022): models on the
straight line and the plane between a source-only, a target-only and a bilingual
model of one initialisation, scored on the source and the target dev sets.

So far the library part: the parameter arithmetic, the alpha grids and the
geometry of the two directions (``geometry``), the resumable evaluation of a
grid of points (``grid``), one job's grid over the three models (``runner``),
normalisation by the bilingual model with 95 % bands and the variance over
seeds (``analysis``) and the figures (``plots``). Its training units, config
block and rules are still to come; the family is not yet in the registry.
"""
