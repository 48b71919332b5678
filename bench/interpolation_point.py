"""What one point of an interpolation grid costs at BERT-base size, and what the
paper's grid would cost at that rate.

    python bench/interpolation_point.py --encoder results/default/encoder/embedded \
        --corpus results/default/data/pos/qaa/test.jsonl [--sentences 300] [--repeats 3]

Builds a randomly initialised 12-layer, 768-wide BERT POS tagger (the embedded
tokenizer, 128 subwords a window) and three copies of its state dict standing
for theta_src, theta_tgt and theta_bi; then times, on CUDA when there is one,
else on the CPU: (a) building one interpolated state (``geometry.plane``) and
loading it, (b) tagging ``--sentences`` sentences of ``--corpus`` (a
preprocessed POS corpus of a finished run, e.g. the default's). Prints both,
seconds per 1000 scored sentences, and the estimate for the grid of
configs/wu2022-interpolation.yaml: 180 (task, pair, seed) units x (2 lines x 33
alphas + 21 x 21 plane points) x the dev sentences of source and target
(``--dev-sentences``, default 3000: UD 2.7 dev sets of the paper's treebanks
are 500-2000 sentences, WikiANN's Rahimi dev sets 1000-10000).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow_scripts"))

UNITS = 15 * 4 * 3  # pairs x tasks (XNLI, NER, POS, DEP) x seeds
POINTS = 2 * 33 + 21 * 21


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", required=True, help="a directory with the tokenizer")
    parser.add_argument("--corpus", required=True, help="a preprocessed POS corpus (.jsonl)")
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dev-sentences", type=int, default=3000)
    args = parser.parse_args()

    import torch
    from transformers import BertConfig, BertModel

    from xlt.data.corpus import read_task_corpus
    from xlt.encoders.loading import load_encoder
    from xlt.families.interpolation import geometry
    from xlt.task_models import registry as models

    tokenizer, _ = load_encoder(args.encoder)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
    )
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    tagger = models.for_task("pos", tokenizer, 128, None)
    model = tagger.build(BertModel(config), 0.1, True).to(device)
    bilingual = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def moved(sign: float) -> dict:
        return {
            k: v + sign * 0.01 * torch.randn_like(v) if v.is_floating_point() else v
            for k, v in bilingual.items()
        }

    source, target = moved(1.0), moved(-1.0)
    records = read_task_corpus(args.corpus)[: args.sentences]
    inputs = tagger.prepare(records)

    build, score = [], []
    for repeat in range(args.repeats + 1):  # the first: warm-up
        sync()
        started = time.time()
        model.load_state_dict(geometry.plane(bilingual, source, target, 0.3, -0.2))
        sync()
        built = time.time()
        tagger.score(records, tagger.predict(model, inputs, device))
        sync()
        if repeat:
            build.append(built - started)
            score.append(time.time() - built)
    per_state, per_sentence = min(build), min(score) / len(records)
    per_point = per_state + per_sentence * args.dev_sentences
    hours = UNITS * POINTS * per_point / 3600
    name = torch.cuda.get_device_name() if device.type == "cuda" else "CPU"
    print(f"device: {device} ({name}), torch threads {torch.get_num_threads()}")
    print(f"interpolated state built and loaded: {per_state:.3f} s")
    print(f"scoring: {1000 * per_sentence:.2f} s per 1000 sentences ({len(records)} timed)")
    print(f"one point, {args.dev_sentences} dev sentences: {per_point:.1f} s")
    total = UNITS * POINTS
    print(f"wu2022 grid: {UNITS} units x {POINTS} points = {total} points: {hours:.0f} h")


if __name__ == "__main__":
    main()
