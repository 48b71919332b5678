"""The CharCNN's input (the paper's MAN-MoE+CharCNN for CoNLL NER): per word its
character ids, aligned with the cached word vectors.

* The alphabet: every character of the train words of the job's languages (the
  leave-one-out set: each multi-source run's sources and target; a target's
  train split is unlabelled text, its labels are never read), ids 2, 3, ... in
  code-point order; ``UNKNOWN`` (1) is any other character, ``PADDING`` (0)
  fills a word up to ``MAX_CHARS``.
* A word is cut to its first ``MAX_CHARS`` characters (after lowercasing), so
  every word is ``MAX_CHARS`` ids wide whichever batch it is in; the
  languages of ``lowercase`` (the paper: German, which capitalises every noun)
  are lowercased first.
* The words are the corpus records' (``read_task_corpus``), record by record:
  exactly the rows of the feature cache (``xlt.encoders.features``), which
  ``attach_characters`` checks sentence by sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

import torch

from xlt.encoders.features import FeatureSplit

MAX_CHARS = 20  # characters per word the CharCNN reads; longer words are cut
PADDING, UNKNOWN = 0, 1
FIRST = 2  # the id of the alphabet's first character


def word_form(word: str, lowercase: bool) -> str:
    """The characters of ``word`` the CharCNN reads."""
    return (word.lower() if lowercase else word)[:MAX_CHARS]


def build_alphabet(
    words: dict[str, Iterable[list[str]]], lowercase: Collection[str] = ()
) -> dict[str, int]:
    """{character: id} of every character of ``words`` ({language: sentences}; a
    language of ``lowercase`` lowercased), ids from ``FIRST`` in code-point order."""
    characters = set()
    for lang, sentences in words.items():
        for sentence in sentences:
            for word in sentence:
                characters.update(word_form(word, lang in lowercase))
    return {char: i for i, char in enumerate(sorted(characters), start=FIRST)}


def alphabet_size(alphabet: dict[str, int]) -> int:
    """Rows of the CharCNN's embedding: padding, unknown and the alphabet."""
    return FIRST + len(alphabet)


def alphabet_digest(alphabet: dict[str, int]) -> str:
    """A short fingerprint of the alphabet (a checkpoint of another is another run's)."""
    text = "".join(sorted(alphabet, key=alphabet.__getitem__))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def char_ids(sentences: list[list[str]], alphabet: dict[str, int], lowercase: bool) -> torch.Tensor:
    """[words, MAX_CHARS] character ids of every word, sentences concatenated in order
    (``UNKNOWN`` outside the alphabet, ``PADDING`` after a word's end)."""
    rows, known = [], {}  # a word's ids computed once
    for sentence in sentences:
        for word in sentence:
            if word not in known:
                ids = [alphabet.get(c, UNKNOWN) for c in word_form(word, lowercase)]
                known[word] = ids + [PADDING] * (MAX_CHARS - len(ids))
            rows.append(known[word])
    return torch.tensor(rows, dtype=torch.int32).reshape(len(rows), MAX_CHARS)


def check_alignment(sentences: list[list[str]], split: FeatureSplit, corpus, features) -> None:
    """An error naming both files unless ``split`` (from ``features``) has a row per
    word of the corpus ``corpus``'s sentences, sentence by sentence."""
    words = [len(s) for s in sentences]
    rows = (split.offsets[1:] - split.offsets[:-1]).tolist()
    if words == rows:
        return
    first = next((i for i, (a, b) in enumerate(zip(words, rows, strict=False)) if a != b), None)
    detail = ""
    if first is not None:
        detail = f" (sentence {first + 1}: {words[first]} words, {rows[first]} vectors)"
    raise ValueError(
        f"{corpus}: {len(words)} sentences, {sum(words)} words, but {features} holds "
        f"{len(rows)} sentences, {sum(rows)} word vectors for it{detail}; the feature "
        "cache is not of this corpus: encode it again"
    )


def attach_characters(
    features: dict[str, dict[str, FeatureSplit]],
    sentences: dict[str, dict[str, list[list[str]]]],
    lowercase: Collection[str],
    corpora: dict[str, dict[str, str]],
    feature_files: dict[str, str | dict[str, str]],
) -> dict[str, int]:
    """Give every split of ``features`` ({language: {split: FeatureSplit}}) the
    character ids of its words (``sentences``, same keys, read from ``corpora``;
    ``feature_files`` per language, or per language and split, for the alignment
    error); returns the alphabet, built from the train words of every language."""
    for lang, splits in features.items():
        for name, split in splits.items():
            where = feature_files[lang]
            where = where[name] if isinstance(where, dict) else where
            check_alignment(sentences[lang][name], split, corpora[lang][name], where)
    alphabet = build_alphabet({lang: s["train"] for lang, s in sentences.items()}, lowercase)
    for lang, splits in features.items():
        for name, split in splits.items():
            split.chars = char_ids(sentences[lang][name], alphabet, lang in lowercase)
    return alphabet
