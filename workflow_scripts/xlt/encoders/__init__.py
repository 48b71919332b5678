"""Encoders: the embedded one, hub and local ones, subword windows, token classifiers,
their resumable fine-tuning, and cached word vectors."""
