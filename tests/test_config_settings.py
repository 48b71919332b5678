"""Where each training setting comes from, and user settings a more specific key
overrides (xlt.config.settings)."""

import logging
from types import SimpleNamespace

from xlt.config.settings import describe, effective, log_effective, shadowed, user_keys

CONFIG = {
    "tasks": ["pos", "xnli"],
    "methods": ["zero_shot", "few_shot"],
    "training": {"epochs": 4, "learning_rate": 1e-3},
    "task_options": {"pos": {"training": {"epochs": 12}}},
    "few_shot": {"tasks": ["pos"], "training": {"learning_rate": 1e-4}},
}


def test_each_setting_names_the_key_that_won():
    assert effective(CONFIG, "pos") == {
        "epochs": (12, "task_options.pos.training.epochs"),
        "learning_rate": (1e-3, "training.learning_rate"),
    }
    assert effective(CONFIG, "pos", few_shot=True)["learning_rate"] == (
        1e-4,
        "few_shot.training.learning_rate",
    )
    assert describe(CONFIG, "xnli") == [
        "epochs = 4 (training.epochs)",
        "learning_rate = 0.001 (training.learning_rate)",
    ]


def test_a_user_setting_that_a_specific_key_overrides_is_named_with_it(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("training: {epochs: 4, learning_rate: 1.0e-3}\nseeds: [1]\n")
    keys = user_keys([overlay])
    assert keys == {"training.epochs", "training.learning_rate", "seeds"}
    assert shadowed(CONFIG, keys) == [
        "config key 'training.epochs' (4) has no effect on pos: "
        "'task_options.pos.training.epochs' (12) overrides it",
        "config key 'training.learning_rate' (0.001) has no effect on pos: "
        "'few_shot.training.learning_rate' (0.0001) overrides it for few-shot continuation",
    ]
    # keys the user did not set, or set to the value that wins, say nothing
    assert shadowed(CONFIG, set()) == []
    same = {**CONFIG, "task_options": {"pos": {"training": {"epochs": 4}}}}
    assert shadowed(same, {"training.epochs"}) == []


def test_a_job_logs_its_settings_with_their_keys(caplog):
    job = SimpleNamespace(config=CONFIG, params=SimpleNamespace(settings={}))
    with caplog.at_level(logging.INFO):
        log_effective(logging.getLogger("t"), job, "pos")
    assert "epochs = 12 (task_options.pos.training.epochs)" in caplog.text
    by_hand = SimpleNamespace(params=SimpleNamespace(settings={"epochs": 2}))
    with caplog.at_level(logging.INFO):
        log_effective(logging.getLogger("t"), by_hand, "pos")
    assert "epochs = 2 (params)" in caplog.text
