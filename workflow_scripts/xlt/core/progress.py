"""Progress of a long loop in the job's log: one line every few seconds.

The one convention of every job that runs longer than a few seconds::

    pretraining: step 120/657 (18%) loss 5.8123, 4.1 steps/s, ~131 s left

Follow a running job with ``tail -f logs/<experiment>/<rule>/<wildcards>.log``.
"""

from __future__ import annotations

import logging
import time


class Progress:
    """Log ``step``/``total`` with rate and time left, at most every ``every`` seconds.

    ``update(step, loss=...)`` after each step; the first step, the last one and
    any step ``every`` seconds after the previous line are logged. Extra keyword
    values are printed after the step count (floats with four decimals).
    """

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        total: int,
        *,
        every: float = 10.0,
        start: int = 0,
        clock=time.monotonic,
    ):
        self.log, self.what, self.total, self.every = log, what, total, every
        self.clock = clock
        self.start_step, self.started = start, clock()
        self.last = None

    def update(self, step: int, **values) -> bool:
        """Log this step if it is due; True if a line was written."""
        now = self.clock()
        due = self.last is None or step >= self.total or now - self.last >= self.every
        if not due:
            return False
        self.last = now
        done = step - self.start_step
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        parts = [f"{self.what}: step {step}/{self.total} ({100 * step / max(1, self.total):.0f}%)"]
        parts += [
            f"{name} {value:.4f}" if isinstance(value, float) else f"{name} {value}"
            for name, value in values.items()
        ]
        line = " ".join(parts)
        if rate > 0:
            line += f", {rate:.1f} steps/s, ~{(self.total - step) / rate:.0f} s left"
        self.log.info(line)
        return True
