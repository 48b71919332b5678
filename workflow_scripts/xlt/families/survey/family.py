"""The survey family as the registry sees it: its methods, its grid of training
units, the corpora it reads, its config checks, and ``FAMILY``."""

from __future__ import annotations

from pathlib import Path

from xlt.families.base import Family, grid_subset, grid_subset_problems

METHODS = ("survey",)
ANALYSES = ("all_pairs", "overlap", "word_order", "translation")
# tasks of one label per word, whose cached word vectors a frozen classifier reads
FROZEN_TASKS = ("pos", "ner", "conll_ner")
SPLITS = ("train", "dev", "test")
CORPORA = ("synthetic", "pud", "files")


def block(config: dict) -> dict:
    """The ``survey`` config block (schema defaults filled in)."""
    return config.get("survey") or {}


def analyses(config: dict) -> list[str]:
    """The configured analyses; overlap and word order need the all-pairs scores."""
    return list(block(config).get("analyses", ANALYSES))


def languages(config: dict) -> list[str]:
    """The all-pairs languages (``survey.languages``)."""
    return list(block(config).get("languages") or [])


def transfer_kind(config: dict) -> str:
    """Where the all-pairs scores come from: ``frozen`` or ``zero_shot``."""
    return block(config).get("transfer", "frozen")


def tasks(config: dict) -> list[str]:
    """The all-pairs tasks (``survey.tasks``; default every task of the config)."""
    chosen = grid_subset(config, "survey", "tasks")
    return [t for t in chosen if t in FROZEN_TASKS] if transfer_kind(config) == "frozen" else chosen


def seeds(config: dict) -> list[int]:
    """The seeds of the frozen classifiers (``survey.seeds``; default every seed)."""
    return grid_subset(config, "survey", "seeds")


def scored_tasks(config: dict) -> list[str]:
    """Tasks whose all-pairs matrix is computed: those of ``tasks``, plus the
    overlap's and word order's task where those analyses run."""
    wanted = list(tasks(config)) if "all_pairs" in analyses(config) else []
    for analysis in ("overlap", "word_order"):
        if analysis in analyses(config):
            wanted.append(block(config)[analysis]["task"])
    return list(dict.fromkeys(wanted))


def units(config: dict) -> list[dict]:
    """One frozen all-pairs job per (task, seed) (none with ``transfer: zero_shot``)."""
    if transfer_kind(config) != "frozen":
        return []
    return [{"task": t, "seed": s} for t in scored_tasks(config) for s in seeds(config)]


def translation_block(config: dict) -> dict:
    """The ``survey.translation`` block."""
    return block(config).get("translation") or {}


def translation_pairs(config: dict) -> list[tuple[str, str]]:
    """The (source, target) pairs of nearest-neighbour translation."""
    return [tuple(pair) for pair in translation_block(config).get("pairs", [])]


def text_ids(config: dict) -> list[str]:
    """Names of the parallel texts: the corpus (``synthetic``, ``pud``), or for
    ``files`` one per pair (``<source>-<target>``), each a text of two languages."""
    corpus = translation_block(config).get("corpus", "synthetic")
    if corpus == "files":
        return [f"{s}-{t}" for s, t in translation_pairs(config)]
    return [corpus]


def text_languages(config: dict, text: str) -> list[str]:
    """The languages of one parallel text whose sentence vectors are needed."""
    pairs = translation_pairs(config)
    if translation_block(config).get("corpus") == "files":
        pairs = [p for p in pairs if f"{p[0]}-{p[1]}" == text]
    return list(dict.fromkeys(lang for pair in pairs for lang in pair))


def _corpora(config: dict) -> list[tuple[str, str, str]]:
    wanted = []
    if transfer_kind(config) == "frozen":
        wanted += [
            (task, lang, split)
            for task in scored_tasks(config)
            for lang in languages(config)
            for split in SPLITS
        ]
    if "overlap" in analyses(config):
        task = block(config)["overlap"]["task"]
        wanted += [(task, lang, s) for lang in languages(config) for s in ("train", "test")]
    return list(dict.fromkeys(wanted))


def _role(config: dict, lang: str) -> str | None:
    return "train" if lang in languages(config) and transfer_kind(config) == "frozen" else None


def _check(config: dict) -> list[str]:
    cfg = block(config)
    problems = []
    if len(languages(config)) < 2 and {"all_pairs", "overlap", "word_order"} & set(
        analyses(config)
    ):
        problems.append("config key 'survey.languages': the all-pairs analyses need 2 languages")
    if transfer_kind(config) == "frozen":
        chosen = cfg.get("tasks") or config["tasks"]
        problems += [
            f"config key 'survey.tasks[{i}]': {task} has no frozen word-vector classifier "
            f"(transfer: frozen runs {', '.join(FROZEN_TASKS)}; transfer: zero_shot runs any)"
            for i, task in enumerate(chosen)
            if task not in FROZEN_TASKS and task in config["tasks"]
        ]
    else:
        problems += _zero_shot_problems(config)
    for analysis in ("overlap", "word_order"):
        task = cfg[analysis]["task"]
        if analysis not in analyses(config):
            continue
        if task not in config["tasks"]:
            problems.append(
                f"config key 'survey.{analysis}.task': {task} is not among the config's tasks "
                f"({', '.join(config['tasks'])})"
            )
        elif transfer_kind(config) == "frozen" and task not in FROZEN_TASKS:
            problems.append(
                f"config key 'survey.{analysis}.task': {task} has no frozen word-vector "
                f"classifier (transfer: frozen runs {', '.join(FROZEN_TASKS)})"
            )
    if "overlap" in analyses(config):
        from xlt import tasks as task_registry

        if task_registry.get(cfg["overlap"]["task"]).kind != "tagging" or not any(
            label.startswith("B-") for label in task_registry.labels(cfg["overlap"]["task"])
        ):
            problems.append(
                f"config key 'survey.overlap.task': {cfg['overlap']['task']} has no entity spans "
                "(a BIO-tagged task: ner, conll_ner)"
            )
    if (
        "word_order" in analyses(config)
        and config["data"]["source"] == "real"
        and cfg["word_order"]["feature_set"] == "syntax"
    ):
        problems.append(
            "config key 'survey.word_order.feature_set': syntax is the synthetic languages' "
            "set; real languages take a lang2vec set (syntax_wals: WALS's word-order features)"
        )
    if "word_order" in analyses(config):
        problems += _word_order_problems(config)
    if "translation" in analyses(config):
        problems += _translation_problems(config)
    return problems + grid_subset_problems(config, "survey")


def _word_order_problems(config: dict) -> list[str]:
    """The feature set and features of survey.word_order must be columns of the
    language table: the synthetic languages' own sets, or a lang2vec set's names."""
    cfg = block(config)["word_order"]
    feature_set, key = cfg["feature_set"], "config key 'survey.word_order"
    if config["data"]["source"] == "real":
        if feature_set == "syntax":
            return []  # said above: the synthetic set
        from xlt.languages.uriel import set_features

        try:
            known = set_features(feature_set)
        except ValueError as error:
            return [f"{key}.feature_set': {error}"]
    else:
        from xlt.data.sources.synthetic.spec import SYNTHETIC_FEATURES

        if feature_set not in SYNTHETIC_FEATURES:
            return [
                f"{key}.feature_set': {feature_set!r} is no feature set of the synthetic "
                f"languages ({', '.join(SYNTHETIC_FEATURES)})"
            ]
        known = SYNTHETIC_FEATURES[feature_set]
    return [
        f"{key}.features[{i}]': {name} is no feature of the set {feature_set} "
        f"(it has {', '.join(known[:8])}{', ...' if len(known) > 8 else ''})"
        for i, name in enumerate(cfg["features"])
        if name not in known
    ]


def _zero_shot_problems(config: dict) -> list[str]:
    """``transfer: zero_shot`` reads the zero-shot family's scores of every pair."""
    if "zero_shot" not in config["methods"]:
        return ["config key 'survey.transfer': zero_shot needs methods to list zero_shot"]
    singles = {group[0] for group in config["languages"]["sources"] if len(group) == 1}
    missing = [lang for lang in languages(config) if lang not in singles]
    return (
        [
            f"config key 'survey.transfer': zero_shot needs each of survey.languages as a "
            f"single source; languages.sources lacks {', '.join(missing)} "
            "(languages.sources: each makes every target a source)"
        ]
        if missing
        else []
    )


def _translation_problems(config: dict) -> list[str]:
    cfg = translation_block(config)
    problems, corpus = [], cfg.get("corpus", "synthetic")
    if not translation_pairs(config):
        problems.append("config key 'survey.translation.pairs': no language pair")
    if corpus == "synthetic" and config["data"]["source"] != "synthetic":
        problems.append(
            "config key 'survey.translation.corpus': synthetic parallel text needs "
            "data.source: synthetic (pud or files for real languages)"
        )
    if corpus == "pud":
        # PUD from pud_dir, else from the UD release: one the user has (data.ud.local_dir)
        # is checked now, one still to be downloaded when its job reads it
        key, root = "survey.translation.pud_dir", cfg.get("pud_dir")
        if not root and config["data"]["source"] != "real":
            problems.append(
                f"config key '{key}': corpus pud needs it unless data.source is real (a real "
                "run reads the PUD treebanks of its UD release)"
            )
        elif not root:
            key = "data.ud.local_dir"
            root = ((config.get("data") or {}).get("ud") or {}).get("local_dir")
        if root and Path(root).is_dir():
            from xlt.data.sources.parallel import check_pud_parallel, pud_files

            langs = list(dict.fromkeys(lang for pair in translation_pairs(config) for lang in pair))
            try:
                check_pud_parallel(pud_files(root, langs))
            except (FileNotFoundError, ValueError) as error:  # CorpusFormatError included
                problems.append(f"config key '{key}': {error}")
        elif root and key == "survey.translation.pud_dir":
            problems.append(f"config key '{key}': no directory {root}")
    if corpus == "files":
        for s, t in translation_pairs(config):
            name = f"{s}-{t}"
            paths = (cfg.get("files") or {}).get(name)
            key = f"config key 'survey.translation.files.{name}'"
            if not paths:
                problems.append(f"{key}: corpus files needs the pair's two files")
                continue
            missing = [f"{key}: no file {p}" for p in paths if not Path(p).is_file()]
            problems += missing
            if not missing and len(paths) == 2:
                from xlt.data.sources.parallel import read_parallel_lines

                try:  # aligned line by line, no blank line: before any job
                    read_parallel_lines({s: paths[0], t: paths[1]})
                except ValueError as error:  # CorpusFormatError included
                    problems.append(f"{key}: {error}")
    if not 0 < cfg.get("fit_fraction", 0.5) < 1:
        problems.append("config key 'survey.translation.fit_fraction': must be in (0, 1)")
    return problems


def _config_languages(config: dict):
    for i, code in enumerate(languages(config)):
        yield f"survey.languages[{i}]", code
    for i, pair in enumerate(translation_pairs(config)):
        for j, code in enumerate(pair):
            yield f"survey.translation.pairs[{i}][{j}]", code


FAMILY = Family(
    name="survey",
    methods=METHODS,
    description="the survey's analyses: all-pairs transfer, word-piece overlap, word order, "
    "nearest-neighbour translation per layer",
    units=units,
    corpora=_corpora,
    role=_role,
    config_key="survey",
    check=_check,
    config_languages=_config_languages,
)
