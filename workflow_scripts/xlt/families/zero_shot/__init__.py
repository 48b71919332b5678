"""The zero-shot family: fine-tune on source language(s), score every target.

One training unit is a (method, task, source set, seed); its model is scored on
the test split of every target of its task. ``languages.targets`` is one list
for every task, or a list per task (tasks cover different languages: UD,
WikiANN, XNLI each their own). With one list, a (task, target) pair without
data (say, a language WikiANN lacks) is skipped, logged when the DAG is built
and recorded as skipped in the metrics file, instead of stopping the grid; a
language in a task's own list must have the data.

``zero_shot.published_scores`` names a scores table (say, a paper's) to
analyse instead: the family then trains and scores nothing, and its transfer
analysis (``analysis``) runs on that table alone.

``family`` holds what the registry needs of it: its methods, training units,
corpora, config checks and the ``Family`` they make.
"""
