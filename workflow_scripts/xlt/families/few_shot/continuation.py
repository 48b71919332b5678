"""One few-shot job: a zero-shot model continued on each sample of one target.

Every point (strategy, k, run) starts from the same zero-shot model (its head,
and its encoder when fine-tuned), trains on the sample's examples of the
target's pool for the configured epochs with no model selection (a few-shot
target has no dev data of its own; the weights after the last step count) and
is scored on the target's test split. A point's result is kept as soon as it
is known, keyed by everything that decides it, so a job killed during a later
point, or rerun after a new k was configured, trains only the points not yet
done. The models themselves are not written: a point is its sample, its
settings and its scores.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from xlt.core.device import resolve_device
from xlt.core.fileio import read_json, write_json
from xlt.core.provenance import file_digest, fingerprint
from xlt.families.few_shot.samples import point_name
from xlt.task_models.storage import HEAD_FILE
from xlt.task_models.training import fit_task_model

log = logging.getLogger(__name__)


def _result(point: dict, scores: dict, sample: dict, training: dict, started: float) -> dict:
    """One point's row: its sample, scores, and how its training went."""
    return {
        **point,
        **scores,
        "examples": len(sample["indices"]),
        "units": sample["units"],
        "steps": training["total_steps"],
        "final_loss": training["history"][-1].get("loss") if training["history"] else None,
        "train_seconds": training["seconds"],
        "seconds": round(time.time() - started, 2),
    }


def run_points(
    *,
    task: str,
    zero_shot_model,
    encoder_dir,
    samples: dict,
    pool_records: list[dict],
    test_records: list[dict],
    settings: dict,
    options: dict | None,
    max_length: int,
    fine_tune: bool,
    seed: int,
    threads: int,
    cache_dir,
    identity: dict,
) -> list[dict]:
    """Continue ``zero_shot_model`` on each sample of ``samples`` (a document of
    ``sampling.sample_all``); one result per point, in the samples' order.

    ``identity`` (data digests, settings) and the zero-shot model's head key
    each point's kept result in ``cache_dir``; a kept result of other inputs is
    trained again.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    device = resolve_device(settings["device"])
    start = file_digest(Path(zero_shot_model) / HEAD_FILE)
    test_inputs = None  # tokenised once, by the first point's task model
    results = []
    total = len(samples["samples"])
    for done, sample in enumerate(samples["samples"], start=1):
        name = point_name(sample)
        point = {key: sample[key] for key in ("strategy", "k", "run")}
        point_id = fingerprint(
            {**identity, "start": start, "seed": seed, "indices": sample["indices"], **point}
        )
        kept = cache_dir / f"{name}.json"
        if kept.exists() and read_json(kept).get("fingerprint") == point_id:
            results.append(read_json(kept)["result"])
            log.info("point %d/%d %s: kept from an earlier run", done, total, name)
            continue
        started = time.time()
        fitted = fit_task_model(
            task=task,
            train_records=[pool_records[i] for i in sample["indices"]],
            dev_records=None,
            encoder_dir=encoder_dir,
            settings=settings,
            fine_tune=fine_tune,
            max_length=max_length,
            seed=seed,
            checkpoint_dir=cache_dir / name,
            threads=threads,
            identity={**identity, "point": point_id},
            options=options,
            init_from=zero_shot_model,
        )
        if test_inputs is None:
            test_inputs = fitted.task_model.prepare(test_records)
        predicted = fitted.task_model.predict(fitted.model, test_inputs, device)
        scores = fitted.task_model.score(test_records, predicted)
        result = _result(point, scores, sample, fitted.summary, started)
        write_json(kept, {"fingerprint": point_id, "result": result})
        results.append(result)
        log.info("point %d/%d %s: %s %.2f after %d steps on %d examples (%.1f s)", done, total,
                 name, scores["metric"], scores["score"], result["steps"], result["examples"],
                 time.time() - started)  # fmt: skip
    return results
