"""Tests of the synthetic typology benchmark (xlt.data.sources.synthetic)."""

from __future__ import annotations

import copy
import json
import re

import conllu
import pytest

from conftest import default_synthetic_spec
from xlt.data.conllu_io import read_conllu
from xlt.data.ner_io import read_ner
from xlt.data.sources import synthetic

UD_UPOS = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
}  # fmt: skip
DEPRELS = {
    "root", "nsubj", "obj", "obl", "nmod", "case", "det", "amod",
    "nummod", "advmod", "flat", "cc", "conj", "punct",
}  # fmt: skip
LADDER = ["qaa", "qab", "qac", "qad", "qae", "qaf", "qag"]
SMALL = {"train": 60, "dev": 20, "test": 30, "unlabelled": 400}


def small_spec(**languages) -> dict:
    spec = copy.deepcopy(default_synthetic_spec())
    spec["sizes"] = dict(SMALL)
    spec["pairs"] = None  # as many pairs as sentences
    spec["questions"] = None  # and as many questions
    spec["languages"].update(languages)
    return spec


def outputs(directory, code):
    return {key: directory / code / key for key in synthetic.OUTPUT_KEYS}


def language(**params) -> dict:
    base = {
        "word_order": "SVO",
        "adposition": "preposition",
        "adjective": "before",
        "affix": "none",
        "contractions": False,
        "lexical_overlap": 0.5,
    }
    return base | params


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """All languages of the default ladder, generated once with small sizes."""
    directory = tmp_path_factory.mktemp("synthetic")
    spec = small_spec()
    for code in LADDER:
        synthetic.generate_language(spec, code, outputs(directory, code))
    return directory


def check_tree(heads: list[int]) -> None:
    n = len(heads)
    assert all(0 <= h <= n for h in heads)
    assert heads.count(0) == 1
    for start in range(1, n + 1):  # walking up from every word must reach the root
        seen, node = set(), start
        while node != 0:
            assert node not in seen, f"cycle through word {node}"
            seen.add(node)
            node = heads[node - 1]


# --------------------------------------------------------------------------
# Well-formedness


@pytest.mark.parametrize("code", LADDER)
@pytest.mark.parametrize("split", synthetic.SPLITS)
def test_ud_files_are_valid_trees(generated, code, split):
    path = generated / code / f"ud_{split}"
    sentences = read_conllu(path, upos_tagset=UD_UPOS)
    assert len(sentences) == SMALL[split]
    for s in sentences:
        check_tree(s.heads)
        assert set(s.deprels) <= DEPRELS
        root = s.heads.index(0)
        assert s.upos[root] == "VERB" and s.deprels[root] == "root"
        assert s.upos[-1] == "PUNCT" and s.heads[-1] == root + 1
        assert s.sent_id and s.text
    # the conllu package, an independent parser, reads the files too
    parsed = conllu.parse(path.read_text(encoding="utf-8"))
    assert len(parsed) == SMALL[split]


@pytest.mark.parametrize("code", LADDER)
@pytest.mark.parametrize("split", synthetic.SPLITS)
def test_ner_files_are_iob2(generated, code, split):
    path = generated / code / f"ner_{split}"
    assert path.read_text(encoding="utf-8").startswith(f"{code}:")
    sentences = read_ner(path)
    assert len(sentences) == SMALL[split]
    with_entity = 0
    for s in sentences:
        previous = "O"
        for tag in s.tags:
            assert re.fullmatch(r"O|[BI]-(PER|LOC|ORG)", tag)
            if tag.startswith("I-"):
                assert previous in ("B-" + tag[2:], tag), f"{previous} then {tag}"
            previous = tag
        with_entity += any(tag != "O" for tag in s.tags)
    # WikiANN-like: most sentences contain an entity
    assert with_entity / len(sentences) > 0.7


def test_ner_samples_are_not_the_ud_samples(generated):
    ud = {s.text for s in read_conllu(generated / "qaa" / "ud_train")}
    ner = {" ".join(s.words) for s in read_ner(generated / "qaa" / "ner_train")}
    assert len(ud & ner) < 5  # only chance coincidences of very short sentences


def test_entities_are_propn_phrases():
    spec = small_spec()
    for s in synthetic.ner_sentences(spec, "qaa", "train", 100):
        for word, tag in zip(s.words, s.tags, strict=True):
            if tag != "O":
                assert word[0].isupper(), (word, tag)  # names are capitalised
    ud = synthetic.ud_sentences(spec, "qaa", "train", 300)
    flat_heads = {
        s.upos[s.heads[i] - 1] for s in ud for i, d in enumerate(s.deprels) if d == "flat"
    }
    assert flat_heads == {"PROPN"}


@pytest.mark.parametrize("code", LADDER)
def test_unlabelled_text(generated, code):
    text = (generated / code / "unlabelled").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == SMALL["unlabelled"]
    for line in lines[:-1]:
        assert line and line == " ".join(line.split())


def test_typology_json(generated):
    record = json.loads((generated / "qad" / "typology").read_text(encoding="utf-8"))
    assert record == synthetic.typology_record(small_spec(), "qad")
    # qad: SOV, postpositions, adjectives before, suffixing, no contractions
    syntax = record["features"]["syntax"]
    assert len(syntax) == 10
    assert {k for k, v in syntax.items() if v == 1} == {
        "S_SOV",
        "S_ADPOSITION_AFTER_NOUN",
        "S_ADJECTIVE_BEFORE_NOUN",
    }
    assert record["features"]["morphology"] == {
        "M_ISOLATING": 0,
        "M_PREFIXING": 0,
        "M_SUFFIXING": 1,
        "M_CONTRACTIONS": 0,
        "M_NO_CONTRACTIONS": 1,
    }
    assert record["features"]["lexical"] == {"overlap_with_source": 0.45}
    assert (record["code"], record["name"], record["area"], record["kind"]) == (
        "qad",
        "Verb-final",
        "Synthetic",
        "synthetic",
    )


# --------------------------------------------------------------------------
# Determinism and independence


def read_all(directory, code) -> dict[str, bytes]:
    return {key: path.read_bytes() for key, path in outputs(directory, code).items()}


def test_same_inputs_give_identical_bytes(tmp_path):
    spec = small_spec()
    synthetic.generate_language(spec, "qae", outputs(tmp_path / "a", "qae"))
    synthetic.generate_language(copy.deepcopy(spec), "qae", outputs(tmp_path / "b", "qae"))
    assert read_all(tmp_path / "a", "qae") == read_all(tmp_path / "b", "qae")


def test_a_language_does_not_depend_on_the_others(tmp_path, generated):
    spec = small_spec()
    spec["languages"] = {code: spec["languages"][code] for code in ("qaa", "qab")}
    synthetic.generate_language(spec, "qab", outputs(tmp_path, "qab"))
    assert read_all(tmp_path, "qab") == read_all(generated, "qab")
    # changing another target, or adding one, changes nothing either
    spec["languages"]["qac"] = language(word_order="OSV", lexical_overlap=0.1)
    synthetic.generate_language(spec, "qab", outputs(tmp_path / "again", "qab"))
    assert read_all(tmp_path / "again", "qab") == read_all(generated, "qab")


def test_parameters_and_seed_change_the_output():
    spec = small_spec()
    base = [s.text for s in synthetic.ud_sentences(spec, "qab", "dev")]
    spec["languages"]["qab"]["word_order"] = "VOS"
    assert [s.text for s in synthetic.ud_sentences(spec, "qab", "dev")] != base
    spec = small_spec()
    spec["seed"] = 8
    assert [s.text for s in synthetic.ud_sentences(spec, "qab", "dev")] != base


# --------------------------------------------------------------------------
# Typology is realised as configured


def core_positions(s):
    """(nsubj, obj, verb) indices of the root clause when it has a simple S and O."""
    root = s.heads.index(0)
    deps = {s.deprels[i]: i for i, h in enumerate(s.heads) if h == root + 1}
    if "nsubj" in deps and "obj" in deps:
        return deps["nsubj"], deps["obj"], root
    return None


@pytest.mark.parametrize("order", synthetic.WORD_ORDERS)
def test_word_order_follows_the_parameter(order):
    spec = small_spec(qah=language(word_order=order))
    checked = 0
    for s in synthetic.ud_sentences(spec, "qah", "train"):
        found = core_positions(s)
        if found is None:
            continue
        subj, obj, verb = found
        by_position = sorted([(subj, "S"), (obj, "O"), (verb, "V")])
        assert "".join(role for _, role in by_position) == order, s.text
        checked += 1
    assert checked >= 20


def test_sov_hand_checked():
    # qad is SOV: in every clause with both, nsubj < obj < verb.
    for s in synthetic.ud_sentences(small_spec(), "qad", "train"):
        if (found := core_positions(s)) is not None:
            subj, obj, verb = found
            assert subj < obj < verb


@pytest.mark.parametrize(
    ("adposition", "adjective"),
    [("preposition", "before"), ("preposition", "after"), ("postposition", "before"),
     ("postposition", "after")],
)  # fmt: skip
def test_adposition_and_modifier_sides(adposition, adjective):
    spec = small_spec(qah=language(adposition=adposition, adjective=adjective))
    counts = {"case": 0, "amod": 0, "det": 0}
    for s in synthetic.ud_sentences(spec, "qah", "train"):
        for i, (head, rel) in enumerate(zip(s.heads, s.deprels, strict=True)):
            if rel == "case":
                # postpositions follow their noun, prepositions precede it
                assert (i + 1 > head) == (adposition == "postposition"), s.text
            elif rel in ("amod", "det"):
                assert (i + 1 < head) == (adjective == "before"), s.text
            else:
                continue
            counts[rel] += 1
    assert min(counts.values()) > 10


@pytest.mark.parametrize("affix", ["suffix", "prefix"])
def test_case_affix_marks_objects(affix):
    spec = small_spec(qah=language(affix=affix))
    objects, subjects = set(), set()
    for s in synthetic.ud_sentences(spec, "qah", "train", 200):
        for form, upos, rel in zip(s.forms, s.upos, s.deprels, strict=True):
            if upos == "NOUN" and rel == "obj":
                objects.add(form)
            elif upos == "NOUN" and rel == "nsubj":
                subjects.add(form)
    # one accusative marker on every object noun; subjects are unmarked
    edges = {form[-2:] if affix == "suffix" else form[:2] for form in objects}
    assert len(edges) == 1 and len(objects) > 20
    marker = edges.pop()
    bare = {form[:-2] if affix == "suffix" else form[2:] for form in objects}
    assert len(bare & subjects) > 5  # the same nouns appear unmarked as subjects
    assert (
        sum((f.endswith(marker) if affix == "suffix" else f.startswith(marker)) for f in subjects)
        < len(subjects) / 2
    )


def test_unaffixed_language_keeps_forms():
    spec = small_spec()
    forms = {}
    for s in synthetic.ud_sentences(spec, "qaa", "train", 200):
        for form, upos, rel in zip(s.forms, s.upos, s.deprels, strict=True):
            if upos == "NOUN":
                forms.setdefault(rel, set()).add(form)
    assert len(forms["obj"] & forms["nsubj"]) > 20


def test_lexical_overlap_decreases_along_the_ladder(generated):
    def vocabulary(code):
        text = (generated / code / "unlabelled").read_text(encoding="utf-8")
        return set(text.split())

    source = vocabulary("qaa")
    overlap = [len(vocabulary(code) & source) / len(vocabulary(code)) for code in LADDER]
    assert overlap[0] == 1.0
    assert overlap == sorted(overlap, reverse=True) and len(set(overlap)) == len(overlap)
    assert overlap[-1] < 0.15


def test_lexical_overlap_one_and_zero():
    spec = small_spec(
        qah=language(word_order="VSO", lexical_overlap=1.0),
        qai=language(lexical_overlap=0.0),
    )
    source_lexicon = set(synthetic._source_forms(spec["seed"], "qaa").values())

    def words(code):
        lines = synthetic.unlabelled_lines(spec, code, 300)
        # names are capitalised forms of the lexicon; digits and punctuation are shared
        return {w.lower() for line in lines for w in line.split() if w.isalpha()}

    assert words("qah") <= source_lexicon  # every word is the source's
    assert not words("qai") & source_lexicon  # none is


def test_ambiguous_forms_need_context():
    spec = small_spec()
    tags: dict[str, set[str]] = {}
    for s in synthetic.ud_sentences(spec, "qaa", "train", 300):
        for form, upos in zip(s.forms, s.upos, strict=True):
            tags.setdefault(form, set()).add(upos)
    assert any({"NOUN", "VERB"} <= t for t in tags.values())
    types: dict[str, set[str]] = {}
    for s in synthetic.ner_sentences(spec, "qaa", "train", 300):
        for word, tag in zip(s.words, s.tags, strict=True):
            if tag != "O":
                types.setdefault(word, set()).add(tag[2:])
    assert any({"PER", "LOC"} <= t for t in types.values())


# --------------------------------------------------------------------------
# Contractions


def test_fuse_like_spanish():
    assert synthetic._fuse("de", "el") == "del"


def test_contractions_are_multiword_tokens(generated):
    sentences = read_conllu(generated / "qae" / "ud_train")
    mwts = [(s, mwt) for s in sentences for mwt in s.multiword_tokens]
    assert mwts
    for s, (start, end, surface) in mwts:
        assert end == start + 1
        words = s.upos[start - 1 : end]
        # qae has prepositions: the adposition comes first
        assert words[0] == "ADP" and words[1] in ("DET", "PRON")
        assert surface in s.text.split()
    # the conllu package sees the same ranges
    parsed = conllu.parse((generated / "qae" / "ud_train").read_text(encoding="utf-8"))
    ranges = [t["id"] for sent in parsed for t in sent if isinstance(t["id"], tuple)]
    assert len(ranges) == len(mwts)


def test_contractions_with_determiners_and_postpositions():
    # ADP and DET are adjacent with prepositions and prenominal determiners
    # ("de el" -> "del") or postpositions and postnominal ones.
    for adposition, adjective in (("preposition", "before"), ("postposition", "after")):
        params = language(adposition=adposition, adjective=adjective, contractions=True)
        spec = small_spec(qah=params)
        pairs = set()
        for s in synthetic.ud_sentences(spec, "qah", "train", 200):
            tokens = s.text.split()
            for start, end, surface in s.multiword_tokens:
                pairs.add(tuple(s.upos[start - 1 : end]))
                assert surface in tokens
        adp_first = adposition == "preposition"
        assert (("ADP", "DET") if adp_first else ("DET", "ADP")) in pairs
        assert all((p[0] == "ADP") == adp_first for p in pairs)


def test_no_contractions_unless_configured(generated):
    for code in LADDER:
        if code != "qae":
            text = (generated / code / "ud_train").read_text(encoding="utf-8")
            assert not re.search(r"^\d+-\d+\t", text, re.M)


def test_ner_tokens_are_surface_tokens():
    spec = small_spec()
    words = {w for s in synthetic.ner_sentences(spec, "qae", "train", 200) for w in s.words}
    fused = {
        surface
        for s in synthetic.ud_sentences(spec, "qae", "train", 200)
        for _, _, surface in s.multiword_tokens
    }
    assert words & fused


# --------------------------------------------------------------------------
# Configuration errors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["languages"]["qab"].update(word_order="SVX"),
            "synthetic.languages.qab.word_order: 'SVX' is not one of SVO, SOV",
        ),
        (
            lambda s: s["languages"]["qac"].update(adposition="circumposition"),
            "synthetic.languages.qac.adposition",
        ),
        (lambda s: s["languages"]["qad"].update(affix="infix"), "synthetic.languages.qad.affix"),
        (
            lambda s: s["languages"]["qae"].update(lexical_overlap=1.5),
            "synthetic.languages.qae.lexical_overlap: 1.5",
        ),
        (
            lambda s: s["languages"]["qab"].update(contractions="yes"),
            "synthetic.languages.qab.contractions",
        ),
        (lambda s: s["languages"]["qab"].pop("adjective"), "synthetic.languages.qab.adjective"),
        (lambda s: s["languages"]["qab"].update(tones=3), "synthetic.languages.qab.tones"),
        (lambda s: s.update(source="qtz"), "synthetic.source: 'qtz' is not one of"),
        (lambda s: s["sizes"].update(train=0), "synthetic.sizes.train"),
        (lambda s: s.update(seed="7"), "synthetic.seed"),
        (lambda s: s["languages"].update(en=language()), "synthetic.languages: 'en'"),
        (
            lambda s: s["languages"]["qaa"].update(lexical_overlap=0.9),
            "synthetic.languages.qaa.lexical_overlap",
        ),
    ],
)
def test_bad_config_names_the_key(change, message):
    spec = small_spec()
    change(spec)
    with pytest.raises(ValueError) as error:
        synthetic.generate_language(spec, "qab", {})
    assert message in str(error.value)


def test_unknown_language_code():
    with pytest.raises(ValueError, match=r"synthetic\.languages: no language 'qtz'"):
        synthetic.typology_record(small_spec(), "qtz")


def test_missing_output_path(tmp_path):
    out = outputs(tmp_path, "qab")
    del out["typology"]
    with pytest.raises(ValueError, match="typology"):
        synthetic.generate_language(small_spec(), "qab", out)


# --------------------------------------------------------------------------
# Performance


# --------------------------------------------------------------------------
# Sentence pairs (xnli)


def _subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(token in rest for token in short)


@pytest.mark.parametrize("code", LADDER)
def test_sentence_pairs_have_their_labels_by_construction(generated, code):
    from xlt.data.sources.xnli import read_xtreme

    pairs = read_xtreme(generated / code / "xnli_train")
    assert len(pairs) == SMALL["train"]
    by_premise: dict[str, dict[str, list[str]]] = {}
    for pair in pairs:
        by_premise.setdefault(pair["premise"], {})[pair["label"]] = pair["hypothesis"].split()
    for premise, hypotheses in by_premise.items():
        assert sorted(hypotheses) == ["contradiction", "entailment", "neutral"]
        words = premise.split()
        entailed, contradicted = hypotheses["entailment"], hypotheses["contradiction"]
        # what the premise says without its details: its words, in its order
        assert _subsequence(entailed, words)
        # the same clause with one word (the verb) replaced by its antonym
        assert len(contradicted) == len(entailed)
        assert sum(a != b for a, b in zip(entailed, contradicted, strict=True)) == 1
    # a neutral hypothesis is about another sentence: almost never inside the premise
    neutral = [_subsequence(h["neutral"], p.split()) for p, h in by_premise.items()]
    assert sum(neutral) <= 0.05 * len(neutral)


def test_pair_counts_follow_the_pairs_sizes():
    from xlt.data.sources.synthetic.nli import nli_pairs

    spec = small_spec()
    spec["pairs"] = {"train": 7, "dev": 3, "test": 3}
    assert len(nli_pairs(spec, "qab", "train")) == 7
    assert len(nli_pairs(spec, "qab", "dev")) == 3


@pytest.mark.parametrize("code", LADDER)
def test_sentiment_sentences_carry_their_polarity(generated, code):
    from xlt.data.sources.sentences import read_sentences

    examples = read_sentences(generated / code / "sentiment_train", ("negative", "positive"))
    assert len(examples) == SMALL["train"]
    labels = [e["label"] for e in examples]
    assert 0.25 < labels.count("positive") / len(labels) < 0.75


def test_sentiment_adjectives_follow_the_label():
    from xlt.data.sources.synthetic import sentiment
    from xlt.data.sources.synthetic.realisation import _Language

    spec = small_spec()
    forms = _Language(spec, "qaa").forms
    positive = {forms[("ADJ", i)] for i in range(0, 50, 2)}
    negative = {forms[("ADJ", i)] for i in range(1, 50, 2)}
    for example in sentiment.sentiment_sentences(spec, "qaa", "dev", 40):
        words = set(example["text"].split())
        own, other = (
            (positive, negative) if example["label"] == "positive" else (negative, positive)
        )
        assert words & own and not words & other


# --------------------------------------------------------------------------
# Questions on paragraphs (qa)


@pytest.mark.parametrize("code", LADDER)
def test_qa_answers_are_spans_of_their_paragraphs(generated, code):
    from xlt.data.sources.squad import read_squad
    from xlt.data.sources.synthetic.qa import ARTICLE_PARAGRAPHS, QUESTIONS

    # read_squad refuses an answer whose offset does not hold its text
    records = read_squad(generated / code / "qa_train")
    assert len(records) == SMALL["train"]
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        answer = record["answers"][0]
        start = answer["answer_start"]
        # a whole phrase: it starts and ends at token boundaries
        assert start == 0 or record["context"][start - 1] == " "
        assert record["context"][start + len(answer["text"]) :][:1] in ("", " ")
        assert record["question"].endswith(" ?")
    # paragraphs come in articles of ARTICLE_PARAGRAPHS
    per_article: dict[str, set] = {}
    for record in records:
        per_article.setdefault(record["article"], set()).add(record["context"])
    assert all(len(p) <= ARTICLE_PARAGRAPHS for p in per_article.values())
    per_paragraph: dict[str, int] = {}
    for record in records:
        per_paragraph[record["context"]] = per_paragraph.get(record["context"], 0) + 1
    assert max(per_paragraph.values()) <= QUESTIONS


def test_qa_questions_ask_in_situ_with_the_question_word_of_the_role():
    from xlt.data.sources.synthetic.qa import qa_records
    from xlt.data.sources.synthetic.realisation import _Language

    spec = small_spec()
    forms = _Language(spec, "qaa").forms
    who, what, where = (forms[("WH", k)] for k in range(3))
    asked = {"who": 0, "what": 0, "where": 0}
    for record in qa_records(spec, "qaa", "dev", 60):
        words = record["question"].split()
        answer = record["answers"][0]
        tokens = record["context"].split()
        first = len(record["context"][: answer["answer_start"]].split())
        after = tokens[first + len(answer["text"].split()) :]
        assert sum(w in (who, what, where) for w in words) == 1
        if words[0] == who:  # SVO: a subject question starts with its word
            asked["who"] += 1
            verb = words[1]
            # in the paragraph the verb follows the answer (an adverb may come between)
            assert verb in after[:2]
        elif words[-2] == what:  # the object, after the verb
            asked["what"] += 1
        else:
            assert words[-2] == where  # the oblique, at the clause's end
            asked["where"] += 1
    assert min(asked.values()) > 0


def test_qa_question_counts_follow_the_questions_sizes():
    from xlt.data.sources.synthetic.qa import qa_records

    spec = small_spec()
    spec["questions"] = {"train": 7, "dev": 3, "test": 4}
    assert len(qa_records(spec, "qab", "train")) == 7
    assert len(qa_records(spec, "qab", "test")) == 4
    assert qa_records(spec, "qab", "test") == qa_records(spec, "qab", "test")


def test_parallel_text_realises_the_same_sentences_in_every_language(generated):
    spec = small_spec(qtz=language(lexical_overlap=1.0), qty=language(word_order="SOV",
                      adposition="postposition", lexical_overlap=1.0))  # fmt: skip
    source = synthetic.parallel_lines(spec, "qaa", 50)
    # a language with the source's parameters and all its words says the same thing
    twin = synthetic.parallel_lines(spec, "qtz", 50)
    assert twin == source
    # the same words in verb-final order: line by line the same multiset of words
    sov = synthetic.parallel_lines(spec, "qty", 50)
    assert sov != source
    assert [sorted(a.split()) for a in sov] == [sorted(b.split()) for b in source]
    # its own stream, not the raw text's; the written file holds the configured number
    assert source != synthetic.unlabelled_lines(spec, "qaa", 50)
    written = (generated / "qaa" / "parallel").read_text(encoding="utf-8").splitlines()
    assert len(written) == synthetic.PARALLEL_SIZE
    assert written[:50] == source
