"""Where each effective training setting comes from, and the settings a user set
that a more specific key overrides.

A task's training settings are layered: the ``training`` block, then the task's
own ``task_options.<task>.training``, then (for few-shot continuation)
``few_shot.training``. The more specific key wins; these helpers name, per
setting, the key that won (for a job's log), and find the keys a user's config
file set that a more specific key of the merged config overrides with another
value (a warning when the workflow starts).
"""

from __future__ import annotations

from pathlib import Path

import yaml

FEW_SHOT = "few_shot.training"


def layers(config: dict, task: str, few_shot: bool = False) -> list[tuple[str, dict]]:
    """(config key, settings) from the most general layer to the most specific."""
    result = [
        ("training", config.get("training", {})),
        (f"task_options.{task}.training",
         config.get("task_options", {}).get(task, {}).get("training", {})),
    ]  # fmt: skip
    if few_shot:
        result.append((FEW_SHOT, config.get("few_shot", {}).get("training", {})))
    return result


def effective(config: dict, task: str, few_shot: bool = False) -> dict[str, tuple[object, str]]:
    """Per setting its effective value and the config key it came from."""
    result: dict[str, tuple[object, str]] = {}
    for key, settings in layers(config, task, few_shot):
        for name, value in settings.items():
            result[name] = (value, f"{key}.{name}")
    return result


def describe(config: dict, task: str, few_shot: bool = False) -> list[str]:
    """One line per setting for a job's log: ``epochs = 50 (task_options.pos.training.epochs)``."""
    return [
        f"{name} = {value!r} ({origin})"
        for name, (value, origin) in sorted(effective(config, task, few_shot).items())
    ]


def user_keys(paths) -> set[str]:
    """Dotted keys (``training.epochs``, ``task_options.pos.training.epochs``) that the
    config files ``paths`` set, the leaves of their mappings."""
    keys: set[str] = set()

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict) and value:
            for name, inner in value.items():
                walk(f"{prefix}.{name}" if prefix else str(name), inner)
        elif prefix:
            keys.add(prefix)

    for path in paths:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        walk("", loaded if isinstance(loaded, dict) else {})
    return keys


def shadowed(config: dict, set_by_user: set[str]) -> list[str]:
    """Warnings for settings a user's config file set in a general layer that a more
    specific layer of ``config`` (the merged config) overrides with another value,
    for the tasks that train: which key was set, which one wins, both values."""
    warnings = []
    few_shot_tasks = set(config.get("few_shot", {}).get("tasks") or config.get("tasks", []))
    for task in config.get("tasks", []):
        few = "few_shot" in config.get("methods", []) and task in few_shot_tasks
        stack = layers(config, task, few)
        for level, (key, settings) in enumerate(stack):
            for name, value in settings.items():
                if f"{key}.{name}" not in set_by_user:
                    continue
                for winner, specific in stack[level + 1 :]:
                    if name in specific and specific[name] != value:
                        warnings.append(
                            f"config key '{key}.{name}' ({value!r}) has no effect on {task}: "
                            f"'{winner}.{name}' ({specific[name]!r}) overrides it"
                            + (" for few-shot continuation" if winner == FEW_SHOT else "")
                        )
                        break
    return warnings


def log_effective(log, job, task: str, few_shot: bool = False) -> None:
    """Log a training job's effective settings, each with the config key it came
    from (a job run by hand, without the workflow's config, names its params)."""
    config = getattr(job, "config", None)
    if config:
        lines = describe(config, task, few_shot)
    else:
        lines = [f"{k} = {v!r} (params)" for k, v in sorted(dict(job.params.settings).items())]
    log.info("effective training settings for %s:\n    %s", task, "\n    ".join(lines))
