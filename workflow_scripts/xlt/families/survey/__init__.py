"""The survey's analyses (seeds/002): library code for its figures on parallel sentences.

``translation``: nearest-neighbour translation per layer (the survey's Figure 4,
after Libovický et al. 2020). Not yet registered as a family in
``xlt.families.FAMILIES``: no rule, config key or schema uses it so far.
"""
