"""The survey's analyses (seeds/002) of why multilingual encoders transfer.

Four analyses, each chosen in ``survey.analyses``:

* ``all_pairs``: every language of ``survey.languages`` is the source in turn and
  every one the target (the source x target matrix per task, a heatmap). With
  ``transfer: frozen`` a linear classifier per source on the encoder's cached
  word vectors (``transfer``; seconds per task); with ``transfer: zero_shot``
  the zero-shot family's fine-tuned models (``languages.sources: each``).
* ``overlap``: the Jaccard overlap of the encoder's word pieces inside gold
  entities of a source's train and a target's test data (``overlap``), against
  the pair's zero-shot NER F1 (the survey's Figure 2, after Pires et al. 2019).
* ``word_order``: the number of listed word-order features of the language table
  on which source and target agree (``word_order``), against the pair's POS
  accuracy (Figure 3).
* ``translation``: nearest-neighbour translation per layer on parallel sentences
  (``translation``; Figure 4, after Libovický et al. 2020), on mean-pooled
  sentence vectors cached once per (encoder, text, language).

``correlations`` joins the pairs' measures with their scores (Pearson and
Spearman); ``plots`` draws the four figures.

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
