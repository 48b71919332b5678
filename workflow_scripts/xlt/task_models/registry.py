"""Which task model a task uses: ``for_task`` gives the object (a ``TaskModel``,
``xlt.task_models.protocol``) that trains, predicts and scores a task on an
encoder, by the task's kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlt import tasks

if TYPE_CHECKING:
    from xlt.task_models.protocol import TaskModel


def for_task(task: str, tokenizer, max_length: int, options: dict | None = None) -> TaskModel:
    """The model object of ``task`` (``options``: the task's config block)."""
    kind = tasks.get(task).kind
    if kind == "tagging":
        from xlt.task_models.tagging import TaggingModel

        return TaggingModel(task, tokenizer, max_length, options)
    if kind == "parsing":
        from xlt.task_models.parsing import ParsingModel

        return ParsingModel(task, tokenizer, max_length, options)
    if kind in ("classification", "pair_classification"):
        from xlt.task_models.classification import ClassificationModel

        return ClassificationModel(task, tokenizer, max_length, options)
    if kind == "extractive_qa":
        from xlt.task_models.qa import QAModel

        return QAModel(task, tokenizer, max_length, options)
    raise ValueError(f"task '{task}': no model for kind '{kind}'")
