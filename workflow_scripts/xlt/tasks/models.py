"""Task models: the head, loss, decoding and scoring of each task kind.

``for_task`` gives the object that trains and predicts a task on an encoder;
the training loop (``xlt.encoders.training``) and the evaluation scripts talk
to it only through these methods:

* ``build(encoder, dropout, fine_tune, frozen_layers)``: the model (an
  ``EncoderWithHead``: its ``head`` is what a frozen-encoder run trains);
* ``units(records)`` / ``unit_length(unit)``: training units and their lengths
  in subwords (batches group similar lengths);
* ``loss(model, units, device)``: the training loss of a batch;
* ``prepare(records)`` / ``predict(model, prepared, device)``: predictions for
  every record (prepared once, e.g. a dev set scored every epoch);
* ``score(records, predictions)``: ``metric``, ``score`` (0-100) and details;
* ``write_predictions(path, records, predictions)``: a TSV a person can read.
"""

from __future__ import annotations

from xlt import tasks


def for_task(task: str, tokenizer, max_length: int, options: dict | None = None):
    """The model object of ``task`` (``options``: the task's config block)."""
    kind = tasks.get(task).kind
    if kind == "tagging":
        from xlt.tasks.tagging import TaggingModel

        return TaggingModel(task, tokenizer, max_length, options)
    if kind == "parsing":
        from xlt.tasks.parsing import ParsingModel

        return ParsingModel(task, tokenizer, max_length, options)
    if kind in ("classification", "pair_classification"):
        from xlt.tasks.classification import ClassificationModel

        return ClassificationModel(task, tokenizer, max_length, options)
    if kind == "extractive_qa":
        from xlt.tasks.qa import QAModel

        return QAModel(task, tokenizer, max_length, options)
    raise ValueError(f"task '{task}': no model for kind '{kind}'")
