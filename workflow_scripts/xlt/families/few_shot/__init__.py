"""Few-shot transfer (Lauscher et al. 2020, sec. 4): the zero-shot source model,
fine-tuned further on k examples of the target language.

``sampling`` draws the k examples from a target's training data (RAND,
SHORTEST, LONGEST among sentences of 3 to 50 words; XQuAD by whole articles)
as reproducible samples of example indices.
"""
