"""SQuAD v1.1 / XQuAD files: reader checks, writer round trip, hub conversion (no network)."""

import copy
import json

import datasets
import pytest

from conftest import without_shared_data
from xlt.data.corpus import CorpusFormatError
from xlt.data.sources.squad import (
    XQUAD_LANGUAGES,
    articles,
    drop_paragraphs_with,
    find_file,
    layout_path,
    read_squad,
    write_squad,
)
from xlt.data.sources.squad_hub import load_qa, load_split, records_from_dataset

# --- a small SQuAD file: 2 articles, 3 paragraphs, 5 questions -------------

PARAGRAPHS = [
    # (article, context, [(id, question, [answer texts])]); offsets are found below
    (
        "Paris",
        "Paris is the capital of France. The Eiffel Tower was built in 1889.",
        [
            ("q1", "What is the capital of France?", ["Paris"]),
            ("q2", "When was the Eiffel Tower built?", ["1889", "in 1889"]),
        ],
    ),
    (
        "Paris",
        "\ufeffLa Seine traverse Paris d'est en ouest.",  # BOM counted by the offsets
        [("q3", "Quel fleuve traverse Paris ?", ["La Seine"])],
    ),
    (
        "Zürich",
        "Zürich liegt am Zürichsee. Die Limmat fließt durch die Stadt.",
        [
            ("q4", "Woran liegt Zürich?", ["Zürichsee"]),
            ("q5", "Welcher Fluss fließt durch Zürich?", ["Limmat"]),
        ],
    ),
]


def _records() -> list[dict]:
    return [
        {
            "id": qid,
            "article": article,
            "context": context,
            "question": question,
            "answers": [{"text": t, "answer_start": context.index(t)} for t in texts],
        }
        for article, context, questions in PARAGRAPHS
        for qid, question, texts in questions
    ]


def _squad_json() -> dict:
    data: list[dict] = []
    for article, context, questions in PARAGRAPHS:
        if not data or data[-1]["title"] != article:
            data.append({"title": article, "paragraphs": []})
        qas = [
            {
                "id": qid,
                "question": question,
                "answers": [{"text": t, "answer_start": context.index(t)} for t in texts],
            }
            for qid, question, texts in questions
        ]
        data[-1]["paragraphs"].append({"context": context, "qas": qas})
    return {"data": data, "version": "1.1"}


def _write(path, obj):
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def test_fixture_reads_as_records(tmp_path):
    records = read_squad(_write(tmp_path / "dev-v1.1.json", _squad_json()))
    assert records == _records()
    assert [r["id"] for r in records] == ["q1", "q2", "q3", "q4", "q5"]
    assert records[1]["answers"] == [
        {"text": "1889", "answer_start": 62},
        {"text": "in 1889", "answer_start": 59},
    ]
    # the context keeps its leading U+FEFF, and the offset counts it
    assert records[2]["context"][0] == "\ufeff"
    assert records[2]["answers"] == [{"text": "La Seine", "answer_start": 1}]


def test_write_read_round_trip(tmp_path):
    path = tmp_path / "out" / "train-v1.1.json"
    write_squad(path, _records())
    assert read_squad(path) == _records()
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == _squad_json()  # 2 articles, 3 paragraphs, in order
    assert "Zürich" in path.read_text(encoding="utf-8")  # not \u-escaped
    assert [p.name for p in path.parent.iterdir()] == ["train-v1.1.json"]  # no temporaries
    with pytest.raises(ValueError, match="no records"):
        write_squad(tmp_path / "empty.json", [])


def test_a_file_level_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_squad_json()).encode())
    assert read_squad(path) == _records()


def _mutated(change):
    obj = _squad_json()
    change(obj)
    return obj


def _qa(obj, a, p, q):
    return obj["data"][a]["paragraphs"][p]["qas"][q]


# (name, change to the fixture, text the message must contain, question id or None)
BAD = [
    ("no data", lambda o: o.pop("data"), "no top-level 'data' list", None),
    ("data not a list", lambda o: o.update(data={}), "no top-level 'data' list", None),
    ("article title", lambda o: o["data"][1].pop("title"), "article 2: missing key 'title'", None),
    (
        "paragraphs",
        lambda o: o["data"][1].pop("paragraphs"),
        "missing key 'paragraphs'",
        None,
    ),
    (
        "context",
        lambda o: o["data"][0]["paragraphs"][1].pop("context"),
        "article 1 (Paris), paragraph 2: missing key 'context'",
        None,
    ),
    (
        "empty context",
        lambda o: o["data"][1]["paragraphs"][0].update(context=" \n"),
        "paragraph 1: empty context",
        None,
    ),
    ("qas", lambda o: o["data"][0]["paragraphs"][0].pop("qas"), "missing key 'qas'", None),
    (
        "question id",
        lambda o: _qa(o, 0, 0, 1).pop("id"),
        "paragraph 1, question 2: missing key 'id'",
        None,
    ),
    ("question text", lambda o: _qa(o, 0, 0, 1).pop("question"), "missing key 'question'", "q2"),
    ("empty question", lambda o: _qa(o, 1, 0, 0).update(question="  "), "empty question", "q4"),
    ("answers key", lambda o: _qa(o, 0, 0, 0).pop("answers"), "missing key 'answers'", "q1"),
    ("no answers", lambda o: _qa(o, 0, 0, 0).update(answers=[]), "SQuAD v2 is not supported", "q1"),
    (
        "is_impossible",
        lambda o: _qa(o, 1, 0, 1).update(answers=[], is_impossible=True),
        "SQuAD v2 is not supported",
        "q5",
    ),
    (
        "answer_start a string",
        lambda o: _qa(o, 0, 0, 1)["answers"][0].update(answer_start="62"),
        "answer_start '62' is not an integer offset",
        "q2",
    ),
    (
        "answer_start missing",
        lambda o: _qa(o, 0, 0, 1)["answers"][1].pop("answer_start"),
        "answer_start None is not an integer offset",
        "q2",
    ),
    (
        "answer_start past the end",
        lambda o: _qa(o, 1, 0, 1)["answers"][0].update(answer_start=58),
        "answer_start 58 with answer length 6 lies outside the context (61 characters)",
        "q5",
    ),
    (
        "answer_start negative",
        lambda o: _qa(o, 1, 0, 1)["answers"][0].update(answer_start=-1),
        "lies outside the context",
        "q5",
    ),
    ("empty answer", lambda o: _qa(o, 1, 0, 1)["answers"][0].update(text=""), "empty answer", "q5"),
    (
        "answer not at its offset",
        lambda o: _qa(o, 0, 0, 1)["answers"][1].update(answer_start=58),
        "answer at offset 58 should be 'in 1889', but the context has ' in 188' there",
        "q2",
    ),
    (
        "offset ignoring the context's U+FEFF",
        lambda o: _qa(o, 0, 1, 0)["answers"][0].update(answer_start=0),
        "answer at offset 0 should be 'La Seine', but the context has '\\ufeffLa Sein' there",
        "q3",
    ),
    ("repeated id", lambda o: _qa(o, 1, 0, 1).update(id="q2"), "question id q2 occurs twice", "q2"),
    ("no questions", lambda o: o.update(data=[]), "no questions", None),
]


@pytest.mark.parametrize(
    ("change", "message", "qid"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_files(tmp_path, change, message, qid):
    path = _write(tmp_path / "xquad.xx.json", _mutated(change))
    with pytest.raises(CorpusFormatError) as caught:
        read_squad(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: "), text
    assert message in text
    if qid is not None:
        assert f"question {qid}" in text or f"question id {qid}" in text


def test_not_json_names_the_line(tmp_path):
    path = tmp_path / "dev-v1.1.json"
    path.write_text('{"data": [\n  {"title": "x",\n  "paragraphs": [}\n', encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"dev-v1\.1\.json:3: not JSON") as caught:
        read_squad(path)
    assert caught.value.line == 3


def test_not_utf8_is_a_format_error(tmp_path):
    path = tmp_path / "dev-v1.1.json"
    obj = _squad_json()
    del obj["data"][0]["paragraphs"][1]  # the U+FEFF context, which Latin-1 lacks
    path.write_bytes(json.dumps(obj, ensure_ascii=False).encode("latin-1"))
    with pytest.raises(CorpusFormatError, match="is not UTF-8"):
        read_squad(path)


def test_drop_paragraphs_with():
    records = _records()
    # q2 drops its whole paragraph (q1 too); q4 drops the Zürich paragraph (q5 too)
    kept = drop_paragraphs_with(records, ["q2", "q4", "unknown"])
    assert [r["id"] for r in kept] == ["q3"]
    assert drop_paragraphs_with(records, []) == records
    # a paragraph is article + context: the same context in another article stays
    twin = {**records[0], "id": "q6", "article": "Other"}
    assert [r["id"] for r in drop_paragraphs_with([*records, twin], {"q1"})] == [
        "q3",
        "q4",
        "q5",
        "q6",
    ]


def test_articles():
    assert articles(_records()) == ["Paris", "Zürich"]
    assert articles(list(reversed(_records()))) == ["Zürich", "Paris"]


def test_layout(tmp_path):
    assert layout_path(tmp_path, "en", "train") == tmp_path / "train-v1.1.json"
    assert layout_path(tmp_path, "en", "dev") == tmp_path / "dev-v1.1.json"
    assert layout_path(tmp_path, "th", "test") == tmp_path / "xquad.th.json"
    with pytest.raises(ValueError, match="SQuAD v1.1 is English only"):
        layout_path(tmp_path, "de", "train")
    with pytest.raises(ValueError, match="SQuAD v1.1 is English only"):
        layout_path(tmp_path, "de", "dev")
    with pytest.raises(ValueError, match="unknown QA split 'validation' .known: train, dev, test"):
        layout_path(tmp_path, "en", "validation")
    with pytest.raises(FileNotFoundError, match="xquad.de.json does not exist"):
        find_file(tmp_path, "de", "test")
    _write(tmp_path / "xquad.de.json", _squad_json())
    assert find_file(tmp_path, "de", "test") == tmp_path / "xquad.de.json"
    assert len(XQUAD_LANGUAGES) == 12 and "ro" in XQUAD_LANGUAGES


# --- the real XQuAD files (../shared/data/qa/xquad; PROVENANCE.md "qa/xquad") ---

# language -> (questions, articles, paragraphs); ru and th keep the first 12 articles
XQUAD_COUNTS = {
    "en": (1190, 48, 240),
    "de": (1190, 48, 240),
    "es": (1190, 48, 240),
    "zh": (1190, 48, 240),
    "ru": (322, 12, 60),
    "th": (322, 12, 60),
}


@pytest.fixture
def xquad_dir(shared_data):
    path = shared_data / "qa" / "xquad"
    if not path.is_dir():
        without_shared_data(f"XQuAD sample not found at {path}")
    return path


@pytest.mark.parametrize("lang", sorted(XQUAD_COUNTS))
def test_real_xquad_files(xquad_dir, lang):
    records = read_squad(find_file(xquad_dir, lang, "test"))
    paragraphs = {(r["article"], r["context"]) for r in records}
    assert (len(records), len(articles(records)), len(paragraphs)) == XQUAD_COUNTS[lang]
    for r in records:
        for a in r["answers"]:
            start = a["answer_start"]
            assert r["context"][start : start + len(a["text"])] == a["text"], r["id"]
    if lang in ("es", "ru", "th", "de", "zh"):
        # contexts starting with U+FEFF are kept as they are, offsets counting it
        assert any(r["context"].startswith("\ufeff") for r in records)


def test_real_xquad_ids_are_parallel(xquad_dir):
    en, de, ru, th = (
        [r["id"] for r in read_squad(xquad_dir / f"xquad.{lang}.json")]
        for lang in ("en", "de", "ru", "th")
    )
    assert en == de
    assert ru == en[: len(ru)] and th == en[: len(th)]


def test_real_xquad_file_written_back_is_the_same_json(xquad_dir, tmp_path):
    source = xquad_dir / "xquad.es.json"
    write_squad(tmp_path / "xquad.es.json", read_squad(source))
    original = json.loads(source.read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "xquad.es.json").read_text(encoding="utf-8")) == original


# --- Hugging Face hub format (rajpurkar/squad, google/xquad), local copies ------

HUB_FEATURES = {
    "id": datasets.Value("string"),
    "title": datasets.Value("string"),
    "context": datasets.Value("string"),
    "question": datasets.Value("string"),
    "answers": datasets.Sequence(
        {"text": datasets.Value("string"), "answer_start": datasets.Value("int32")}
    ),
}


def _hub_dataset(records, title=True):
    """Records as hub rows; google/xquad has no title column (title=False)."""
    columns = [c for c in HUB_FEATURES if title or c != "title"]
    data = {c: [] for c in columns}
    for r in records:
        row = {**r, "title": r["article"]}
        row["answers"] = {
            "text": [a["text"] for a in r["answers"]],
            "answer_start": [a["answer_start"] for a in r["answers"]],
        }
        for c in columns:
            data[c].append(row[c])
    features = datasets.Features({c: HUB_FEATURES[c] for c in columns})
    return datasets.Dataset.from_dict(data, features=features)


def test_records_from_hub_dataset():
    assert records_from_dataset(_hub_dataset(_records())) == _records()
    titles = {r["id"]: r["article"] for r in _records()}
    assert records_from_dataset(_hub_dataset(_records(), title=False), titles) == _records()


def test_answers_of_a_stripped_context_are_moved_back():
    # google/xquad's script stripped contexts but kept answer_start: a context
    # that began with a space has every answer one character early
    record = {
        "id": "z1",
        "article": "Zh",
        "context": " 1769年，瓦特改良了蒸汽机。",
        "question": "谁改良了蒸汽机？",
        "answers": [{"text": "瓦特", "answer_start": 7}],
    }
    hub_row = {**record, "context": record["context"].strip()}
    (converted,) = records_from_dataset(_hub_dataset([hub_row]))
    assert converted["answers"] == [{"text": "瓦特", "answer_start": 6}]
    assert converted["context"][6:8] == "瓦特"


def test_hub_dataset_errors():
    records = _records()
    with pytest.raises(ValueError, match="lacks column.s. title"):
        records_from_dataset(_hub_dataset(records, title=False))
    titles = {r["id"]: r["article"] for r in records[:4]}  # q5 has none
    with pytest.raises(ValueError, match=r"row 4 \(question q5\): no article title"):
        records_from_dataset(_hub_dataset(records, title=False), titles)
    bad = copy.deepcopy(records)
    bad[2]["answers"] = []
    with pytest.raises(ValueError, match=r"row 2 \(question q3\): no answers"):
        records_from_dataset(_hub_dataset(bad))
    bad = copy.deepcopy(records)
    bad[4]["answers"][0]["answer_start"] = 10
    with pytest.raises(
        ValueError, match=r"row 4 \(question q5\): answer at offset 10 should be 'Limmat'"
    ):
        records_from_dataset(_hub_dataset(bad))
    bad = copy.deepcopy(records)
    bad[3]["id"] = "q1"
    with pytest.raises(ValueError, match="row 3: question id q1 occurs twice"):
        records_from_dataset(_hub_dataset(bad))
    unequal = datasets.Dataset.from_dict(
        {
            "id": ["x"],
            "title": ["t"],
            "context": ["abc"],
            "question": ["?"],
            "answers": [{"text": ["a", "b"], "answer_start": [0]}],
        }
    )
    with pytest.raises(ValueError, match=r"row 0 \(question x\): 2 answer texts but 1"):
        records_from_dataset(unequal)


@pytest.fixture
def hub_copy(tmp_path):
    """rajpurkar/squad (plain_text/...) and google/xquad (xquad.de/...) side by side,
    laid out as on the hub."""
    root = tmp_path / "hub"
    for config, split, dataset in (
        ("plain_text", "train", _hub_dataset(_records()[:3])),
        ("plain_text", "validation", _hub_dataset(_records())),
        ("xquad.de", "validation", _hub_dataset(_records()[2:], title=False)),
    ):
        (root / config).mkdir(parents=True, exist_ok=True)
        dataset.to_parquet(str(root / config / f"{split}-00000-of-00001.parquet"))
    return {"root": root, "cache": tmp_path / "cache"}


def test_load_qa_from_local_parquet(hub_copy, tmp_path):
    root, cache = hub_copy["root"], hub_copy["cache"]
    assert load_qa("en", "train", source=root, cache_dir=cache) == _records()[:3]
    assert load_qa("en", "dev", source=root, cache_dir=cache) == _records()
    # XQuAD has no titles: they come from SQuAD dev (same question ids)
    xquad = load_qa("de", "test", source=root, cache_dir=cache)
    assert xquad == _records()[2:]
    titles = {"q3": "A", "q4": "B", "q5": "B"}
    given = load_qa("de", "test", source=root / "xquad.de", cache_dir=cache, titles=titles)
    assert articles(given) == ["A", "B"]
    write_squad(layout_path(tmp_path / "qa", "de", "test"), xquad)
    assert read_squad(find_file(tmp_path / "qa", "de", "test")) == xquad


def test_load_split_sources(hub_copy, tmp_path):
    single = hub_copy["root"] / "plain_text" / "train-00000-of-00001.parquet"
    assert load_split("en", "train", source=single, cache_dir=hub_copy["cache"]).num_rows == 3
    datasets.DatasetDict({"validation": _hub_dataset(_records())}).save_to_disk(
        str(tmp_path / "saved" / "xquad.el")
    )
    assert len(load_qa("el", "test", source=tmp_path / "saved")) == 5


def test_load_qa_argument_errors(hub_copy):
    root = hub_copy["root"]
    with pytest.raises(ValueError, match="SQuAD v1.1 is English only"):
        load_qa("de", "train", source=root)
    with pytest.raises(ValueError, match="XQuAD has no language 'fi'"):
        load_qa("fi", "test", source=root)
    with pytest.raises(ValueError, match="unknown QA split 'validation'"):
        load_qa("en", "validation", source=root)
    with pytest.raises(FileNotFoundError, match="no 'validation' data of 'xquad.ar'"):
        load_qa("ar", "test", source=root, cache_dir=hub_copy["cache"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_qa("de", "test", source=root / "missing")


def test_stripped_contexts_of_real_xquad_are_realigned(xquad_dir):
    # google/xquad's loading script: context.strip(), answer_start kept
    records = read_squad(xquad_dir / "xquad.zh.json")
    stripped = [{**r, "context": r["context"].strip()} for r in records]
    dataset = _hub_dataset(stripped, title=False)
    converted = records_from_dataset(dataset, {r["id"]: r["article"] for r in records})
    expected = [
        {
            **r,
            "context": r["context"].strip(),
            "answers": [
                {"text": a["text"], "answer_start": a["answer_start"] - lead} for a in r["answers"]
            ],
        }
        for r in records
        for lead in [len(r["context"]) - len(r["context"].lstrip())]
    ]
    # 22 contexts begin with a space; they hold 100 of the 1190 questions
    assert sum(e != r for e, r in zip(expected, records, strict=True)) == 100
    assert converted == expected


# --- pipeline splits (xlt.data.real_data) -----------------------------------

QA_DATA = {
    "ud": {},
    "ner": {"local_dir": None, "source": "rahimi"},
    "qa": {"source": "local", "reserved_articles": 0},
}


def test_xquad_targets_are_scored_without_the_reserved_articles(xquad_dir):
    from xlt.data import real_data
    from xlt.data.sources.squad import qa_source, qa_split

    cfg = {**QA_DATA["qa"], "local_dir": str(xquad_dir)}
    every = read_squad(xquad_dir / "xquad.en.json")
    first = articles(every)[:10]
    kept = qa_split(xquad_dir, "en", "test", "test", {**cfg, "reserved_articles": 10})
    assert len(articles(kept)) == 38 and not set(articles(kept)) & set(first)
    assert kept == [r for r in every if r["article"] not in first]
    source = qa_source(xquad_dir, "de", "test", "test", {**cfg, "reserved_articles": 10})
    assert source["files"] == [str(xquad_dir / "xquad.de.json")]
    assert "without its first 10 articles" in source["notes"][0]
    # ru's sample has 12 articles: two are left to score
    ru = real_data.records(
        "qa", xquad_dir, "ru", "test", "test", {"qa": {**cfg, "reserved_articles": 10}}
    )
    assert len(articles(ru)) == 2
    # a target's train split is the reserved articles: the few-shot pool, disjoint from test
    de = real_data.records(
        "qa", xquad_dir, "de", "train", "test", {"qa": {**cfg, "reserved_articles": 10}}
    )
    assert articles(de) == articles(read_squad(xquad_dir / "xquad.de.json"))[:10]
    scored = qa_split(xquad_dir, "de", "test", "test", {**cfg, "reserved_articles": 10})
    assert not {r["id"] for r in de} & {r["id"] for r in scored}
    assert len(de) + len(scored) == len(read_squad(xquad_dir / "xquad.de.json"))
    source = qa_source(xquad_dir, "de", "train", "test", {**cfg, "reserved_articles": 10})
    assert source["notes"] == ["XQuAD's first 10 articles (data.qa.reserved_articles)"]


def test_squad_dev_leaves_out_xquad_paragraphs(tmp_path):
    from xlt.data.sources.squad import qa_source, qa_split

    xquad = _records()[:2]  # the first paragraph's questions
    extra = {**xquad[0], "id": "dev-only", "question": "Another question?"}
    write_squad(tmp_path / "xquad.en.json", xquad)
    write_squad(tmp_path / "dev-v1.1.json", [*_records(), extra])
    write_squad(tmp_path / "train-v1.1.json", _records())
    dev = qa_split(tmp_path, "en", "dev", "test", QA_DATA["qa"])
    # the XQuAD paragraph goes, with its question that XQuAD did not take
    assert dev == [r for r in _records() if r["context"] != xquad[0]["context"]]
    assert qa_split(tmp_path, "en", "train", "test", QA_DATA["qa"]) == _records()
    source = qa_source(tmp_path, "en", "dev", "test", QA_DATA["qa"])
    assert source["files"] == [str(tmp_path / "dev-v1.1.json"), str(tmp_path / "xquad.en.json")]


def test_qa_data_gaps(tmp_path):
    from xlt.data.real_data import data_gap

    write_squad(tmp_path / "xquad.de.json", _records())
    data = {**QA_DATA, "qa": {**QA_DATA["qa"], "local_dir": str(tmp_path)}}
    assert data_gap("qa", "de", "test", data) is None
    assert "XQuAD has no 'fi'" in data_gap("qa", "fi", "test", data)
    assert "no XQuAD articles are reserved" in data_gap("qa", "de", "train", data)
    reserving = {**data, "qa": {**data["qa"], "reserved_articles": 10}}
    assert data_gap("qa", "de", "train", reserving) is None  # the reserved articles
    assert "English only" in data_gap("qa", "de", "dev", reserving)
    assert data_gap("qa", "es", "test", data) == f"no xquad.es.json in {tmp_path}"
    assert data_gap("qa", "en", "train", data) == f"no train-v1.1.json in {tmp_path}"


def test_an_answer_off_its_offset_stops_preprocessing(tmp_path):
    from xlt.data.preprocess import preprocess

    broken = _records()
    broken[3]["answers"][0]["answer_start"] += 2
    write_squad(tmp_path / "xquad.de.json", broken)
    with pytest.raises(CorpusFormatError, match=broken[3]["id"]) as error:
        preprocess("qa", tmp_path / "xquad.de.json", tmp_path / "out.jsonl", "de")
    assert "xquad.de.json" in str(error.value)
    assert not (tmp_path / "out.jsonl").exists()
