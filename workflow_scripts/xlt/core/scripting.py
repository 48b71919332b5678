"""Run a rule script from Snakemake's ``script:`` directive or by hand.

Under Snakemake the script receives the ``snakemake`` object; by hand the same
names are given on the command line, e.g. redrawing the per-language figure from a
run's scores (``style.yaml`` holding the rule's params, ``style:`` and config.yaml's
``figures`` block; tests/test_scripting.py runs it)::

    PYTHONPATH=workflow_scripts python workflow_scripts/plot_per_language.py \
        --input scores=results/default/tables/scores.csv \
        --output png=per_language.png --output pdf=per_language.pdf --params style.yaml
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import yaml


def _named(pairs: list[str] | None) -> SimpleNamespace:
    values: dict[str, object] = {}
    for pair in pairs or []:
        name, _, value = pair.partition("=")
        if not value:
            raise SystemExit(f"expected NAME=VALUE, got '{pair}'")
        if name in values:  # a repeated name collects a list, like Snakemake's named lists
            old = values[name]
            values[name] = (old if isinstance(old, list) else [old]) + [value]
        else:
            values[name] = value
    return SimpleNamespace(**values)


def _from_command_line(argv) -> SimpleNamespace:
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--input", action="append", metavar="NAME=PATH")
    parser.add_argument("--output", action="append", metavar="NAME=PATH")
    parser.add_argument("--params", metavar="FILE", help="YAML/JSON file of the rule's params")
    parser.add_argument("--wildcard", action="append", metavar="NAME=VALUE")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--log", metavar="FILE", help="log file (default: stderr)")
    args = parser.parse_args(argv)
    params = yaml.safe_load(Path(args.params).read_text()) if args.params else {}
    return SimpleNamespace(
        input=_named(args.input),
        output=_named(args.output),
        params=SimpleNamespace(**params),
        wildcards=_named(args.wildcard),
        threads=args.threads,
        log=[args.log] if args.log else [],
    )


def run(main, snakemake=None, argv=None) -> None:
    """Call ``main(job)``; ``job`` has .input .output .params .wildcards .threads.

    Log records and any traceback go to the rule's log file.
    """
    job = snakemake if snakemake is not None else _from_command_line(argv)
    log_file = job.log[0] if len(job.log) else None
    with contextlib.ExitStack() as stack:
        if log_file:
            Path(log_file).parent.mkdir(parents=True, exist_ok=True)
            stream = stack.enter_context(open(log_file, "w", encoding="utf-8"))
            stack.enter_context(contextlib.redirect_stderr(stream))
        logging.basicConfig(
            stream=sys.stderr,
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            force=True,
        )
        log = logging.getLogger("xlt")
        use_threads(job.threads)
        # One progress convention in logs: xlt.core.progress lines. Hugging Face's
        # terminal progress bars (loading or writing weights) would only add
        # carriage-return noise to a log file.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        started = time.time()
        startup = seconds_since_process_start()
        if startup is not None:
            log.info("start-up (interpreter and imports): %.2f s", startup)
        try:
            main(job)
        except Exception:
            log.exception("job failed")
            raise
        log.info("work: %.2f s", time.time() - started)


# The thread pools a job may start: OpenMP (torch's intra-op pool), MKL,
# OpenBLAS (numpy, scipy) and its GotoBLAS ancestor, Apple's Accelerate, numexpr.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def use_threads(threads: int) -> None:
    """Hold this job to its ``threads:`` and let idle OpenMP threads sleep.

    Under Snakemake the job starts with these variables already set (Snakemake
    exports the ``*_NUM_THREADS`` of the rule's threads; rules/common.smk sets
    ``OMP_WAIT_POLICY=PASSIVE`` for every job); a script run by hand gets them
    here, for every library loaded from now on and every child process. A
    torch that is already loaded is told directly.
    """
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
        flush_denormals(torch)


def flush_denormals(torch) -> None:
    """Round float results below the smallest normal number (1.2e-38 in float32)
    to zero on CPU. Arithmetic on such subnormal values runs in microcode, tens of
    times slower: the factorization generator's variances decay into that range
    and made its SVI steps take 2.3 times as long, to change nothing a score shows
    (bench/denormals.py measures both)."""
    torch.set_flush_denormal(True)


def seconds_since_process_start() -> float | None:
    """Seconds since this process started (Linux /proc; None elsewhere)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except OSError:
        return None
    # Field 22 (starttime, in clock ticks after boot); the command name in
    # parentheses may contain spaces, so count fields after its closing one.
    start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def named(values) -> dict:
    """Named entries of a Snakemake named list or of a command-line namespace."""
    return dict(values.items()) if hasattr(values, "items") else dict(vars(values))


def as_list(value) -> list:
    """A named input that may hold one path (a string) or several."""
    return (
        [value] if isinstance(value, str | bytes) or not hasattr(value, "__iter__") else list(value)
    )
