"""Corpora: readers and writers (CoNLL-U, NER columns, the common JSONL format),
preprocessing, the synthetic benchmark and the real sources (UD, WikiANN, XNLI)."""
