"""Under-specified optimisation (Wu, Van Durme and Dredze 2022): models on the
straight line and the plane between a source-only, a target-only and a bilingual
model of one initialisation, scored on the source and the target dev sets.

So far the library part: the parameter arithmetic, the alpha grids and the
geometry of the two directions (``geometry``) and the resumable evaluation of
a grid of points (``grid``). Its training units, rules, tables and figures are
still to come; the family is not yet in the registry.
"""
