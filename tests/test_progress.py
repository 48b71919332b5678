import logging

from xlt.core.progress import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_lines_give_step_rate_and_time_left(caplog):
    clock = Clock()
    progress = Progress(logging.getLogger("t"), "pretraining", 100, every=10.0, clock=clock)
    lines = []
    with caplog.at_level(logging.INFO, logger="t"):
        for step in range(1, 101):
            clock.now += 0.5  # two steps per second
            if progress.update(step, loss=2.0 / step):
                lines.append(caplog.records[-1].getMessage())
    # the first step, every 10 s (20 steps) after the last line, and the last step
    assert lines[0] == "pretraining: step 1/100 (1%) loss 2.0000, 2.0 steps/s, ~50 s left"
    assert lines[1] == "pretraining: step 21/100 (21%) loss 0.0952, 2.0 steps/s, ~40 s left"
    assert len(lines) == 6
    assert lines[-1] == "pretraining: step 100/100 (100%) loss 0.0200, 2.0 steps/s, ~0 s left"


def test_a_resumed_run_counts_its_rate_from_where_it_resumed(caplog):
    clock = Clock()
    progress = Progress(logging.getLogger("t"), "SVI", 1000, start=600, clock=clock)
    clock.now += 4.0
    with caplog.at_level(logging.INFO, logger="t"):
        progress.update(610)
    assert caplog.records[-1].getMessage() == ("SVI: step 610/1000 (61%), 2.5 steps/s, ~156 s left")
