"""Local copies of Hugging Face datasets, in the formats the hub loaders accept.

A loader (``xnli_hub``, ``squad_hub``) given a local ``source`` instead of the
hub reads one split of one subset from there:

* the hub's parquet layout, ``<source>/<subset>/<split>-*.parquet`` (the split
  files may also lie directly in ``<source>``), loaded with
  ``datasets.load_dataset("parquet", ...)``; ``source`` may also be one
  parquet file;
* a dataset written with ``save_to_disk``: a DatasetDict (the split picked by
  its hub name) or a single Dataset, at ``<source>/<subset>`` or ``<source>``.

Parquet files written by ``datasets`` carry the features (say, ClassLabel
names) in their schema metadata, so they survive the round trip.
"""

from __future__ import annotations

from pathlib import Path


def load_parquet(files: list[Path], cache_dir):
    """One dataset of the rows of ``files``."""
    import datasets

    return datasets.load_dataset(
        "parquet",
        data_files={"data": [str(f) for f in sorted(files)]},
        split="data",
        cache_dir=None if cache_dir is None else str(cache_dir),
    )


def _load_saved(path: Path, hub_split: str):
    import datasets

    saved = datasets.load_from_disk(str(path))
    if isinstance(saved, datasets.DatasetDict):
        if hub_split not in saved:
            raise ValueError(f"{path}: no split {hub_split!r} (splits: {', '.join(saved)})")
        return saved[hub_split]
    return saved


def _is_saved(path: Path) -> bool:
    return (path / "dataset_dict.json").is_file() or (path / "state.json").is_file()


def load_local(source, subset: str, hub_split: str, cache_dir, name: str):
    """The split ``hub_split`` of ``subset`` from the local copy ``source`` of the
    dataset ``name`` (for messages); FileNotFoundError saying where it looked."""
    source = Path(source)
    if source.is_file():
        if source.suffix != ".parquet":
            raise ValueError(f"{source}: not a parquet file")
        return load_parquet([source], cache_dir)
    if not source.is_dir():
        raise FileNotFoundError(f"{name} source {source} does not exist")
    for directory in (source / subset, source):
        if directory.is_dir() and _is_saved(directory):
            return _load_saved(directory, hub_split)
        files = sorted(directory.glob(f"{hub_split}-*.parquet"))
        if files:
            return load_parquet(files, cache_dir)
    raise FileNotFoundError(
        f"{source}: no {hub_split!r} data of {subset!r} (looked for "
        f"{subset}/{hub_split}-*.parquet, {hub_split}-*.parquet and save_to_disk directories)"
    )
