"""The MAN-MoE family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from pathlib import Path

from xlt.data.corpus import CorpusFormatError, read_raw_sentences
from xlt.families.base import Family, grid_subset, grid_subset_problems
from xlt.families.man_moe.runs import grid_problems, target_runs

METHODS = ("man_moe",)
# tasks of one word sequence per record, with cached word vectors (encode_features)
FEATURE_TASKS = ("pos", "ner", "conll_ner", "sentiment")
SPLITS = ("train", "dev", "test")


def block(config: dict) -> dict:
    """The ``man_moe`` config block (schema defaults filled in)."""
    return config.get("man_moe") or {}


def languages(config: dict) -> list[str]:
    """The leave-one-out set."""
    return list(block(config).get("languages", []))


def targets(config: dict) -> list[str]:
    """The targets (``man_moe.targets``; default every language of the set)."""
    return list(block(config).get("targets") or languages(config))


def systems(config: dict) -> list[str]:
    """The systems trained for every target."""
    return list(block(config).get("systems", []))


def tasks(config: dict) -> list[str]:
    """The tasks (``man_moe.tasks``; default every token task of the config)."""
    return [t for t in grid_subset(config, "man_moe", "tasks") if t in FEATURE_TASKS]


def seeds(config: dict) -> list[int]:
    """The seeds (``man_moe.seeds``; default every seed)."""
    return grid_subset(config, "man_moe", "seeds")


def units(config: dict) -> list[dict]:
    """One training job per (task, target, seed)."""
    return [
        {"task": task, "target": target, "seed": seed}
        for task in tasks(config)
        for target in targets(config)
        for seed in seeds(config)
    ]


def runs(config: dict, target: str):
    """The runs of one target's job."""
    return target_runs(languages(config), target, systems(config))


def settings(config: dict, task: str) -> dict:
    """Layer sizes and training settings of ``task``: the block's, with its per-task
    overrides (the paper's Table 6 tunes lambda1, lambda2 and k per task)."""
    cfg = block(config)
    overrides = (cfg.get("per_task") or {}).get(task, {})
    return {**cfg["model"], **cfg["training"], **cfg["hyper"], **overrides}


def uses_characters(config: dict) -> bool:
    """Whether the words' characters join their vectors (a CharCNN per model)."""
    return bool((block(config).get("model") or {}).get("characters"))


def unlabelled(config: dict) -> dict:
    """The ``man_moe.unlabelled`` block (source, files, max_sentences)."""
    return {"source": "train", "files": {}, "max_sentences": 10000,
            **(block(config).get("unlabelled") or {})}  # fmt: skip


def text_languages(config: dict) -> list[str]:
    """The languages whose discriminator text is raw text rather than a train split:
    every one with ``source: text``, else those ``files`` names."""
    cfg = unlabelled(config)
    if cfg["source"] == "text":
        return languages(config)
    return [lang for lang in languages(config) if lang in cfg["files"]]


def word_corpora(langs: list[str]) -> list[tuple[str, str]]:
    """(language, split) of every corpus whose words the CharCNN reads, in the order
    the rule gives them to the job: every split of every language."""
    return [(lang, split) for lang in langs for split in SPLITS]


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    # sources train and select; a target's train split gives D its unlabelled
    # words (labels never read) and its test split the score
    return [
        (task, lang, split)
        for task in tasks(config)
        for lang, split in word_corpora(languages(config))
    ]


def _role(config: dict, lang: str) -> str | None:
    return "train" if lang in languages(config) else None


def _check(config: dict) -> list[str]:
    problems = grid_problems(languages(config), systems(config))
    listed = {
        "targets": block(config).get("targets") or [],
        "model.lowercase": (block(config).get("model") or {}).get("lowercase") or [],
    }
    for key, codes in listed.items():
        problems += [
            f"config key 'man_moe.{key}[{i}]': {code} is not one of man_moe.languages "
            f"({', '.join(languages(config))})"
            for i, code in enumerate(codes)
            if code not in languages(config)
        ]
    chosen = block(config).get("tasks") or config["tasks"]
    for i, task in enumerate(chosen):
        if task not in FEATURE_TASKS and task in config["tasks"]:
            problems.append(
                f"config key 'man_moe.tasks[{i}]': {task} is not a task of one word sequence "
                f"per record ({', '.join(FEATURE_TASKS)})"
            )
    if not tasks(config):
        problems.append(
            "config key 'man_moe.tasks': none of the config's tasks is one MAN-MoE runs "
            f"({', '.join(FEATURE_TASKS)})"
        )
    problems += _text_problems(config)
    if config["data"]["source"] == "real" and not problems:
        from xlt.data.real_data import target_split_gap

        for i, lang in enumerate(languages(config)):
            for task in tasks(config):
                gap = target_split_gap(task, lang, "train", config["data"])
                if gap:
                    problems.append(
                        f"config key 'man_moe.languages[{i}]': {lang} has no unlabelled "
                        f"{task} text for the discriminator (its train split: {gap})"
                    )
    return problems + grid_subset_problems(config, "man_moe")


def _text_problems(config: dict) -> list[str]:
    """Raw-text files of languages outside the set, missing or without a sentence."""
    problems = []
    for lang, path in unlabelled(config)["files"].items():
        key = f"config key 'man_moe.unlabelled.files.{lang}'"
        if lang not in languages(config):
            problems.append(
                f"{key}: {lang} is not one of man_moe.languages ({', '.join(languages(config))})"
            )
        elif not Path(path).is_file():
            problems.append(f"{key}: no file {path}")
        else:
            try:  # the reader the job uses, up to its first sentence
                read_raw_sentences(path, limit=1)
            except CorpusFormatError as error:
                problems.append(f"{key}: {path} {error.reason}")
    return problems


def _config_languages(config: dict):
    for i, code in enumerate(block(config).get("languages", [])):
        yield f"man_moe.languages[{i}]", code


FAMILY = Family(
    name="man_moe",
    methods=METHODS,
    description="multi-source transfer: MAN-MoE, its baselines and ablations",
    units=units,
    corpora=_corpora,
    role=_role,
    config_key="man_moe",
    check=_check,
    config_languages=_config_languages,
)
