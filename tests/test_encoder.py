import pytest

from xlt.encoders.loading import download_hub_encoder, encoder_directory, hub_patterns


def test_where_encoders_live(tmp_path):
    assert encoder_directory("embedded", "results/x") == "results/x/encoder/embedded"
    assert (
        encoder_directory("xlm-roberta-base", "results/x") == "resources/encoders/xlm-roberta-base"
    )
    assert (
        encoder_directory("google-bert/bert-base-multilingual-cased", "results/x")
        == "resources/encoders/google-bert--bert-base-multilingual-cased"
    )
    assert encoder_directory(str(tmp_path) + "/", "results/x") == str(tmp_path)
    with pytest.raises(ValueError, match="encoder.name"):
        encoder_directory("not a model!", "results/x")


def test_hub_patterns_fetch_one_copy_of_the_weights():
    both = ["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5"]
    assert hub_patterns(both)[-1] == "*.safetensors"
    assert "pytorch_model*.bin" not in hub_patterns(both)
    assert hub_patterns(["config.json", "pytorch_model.bin"])[-1] == "pytorch_model*.bin"


class FakeApi:
    def list_repo_files(self, repo_id, revision=None):
        return ["config.json", "model.safetensors", "tokenizer.json"]


def test_download_writes_the_snapshot_atomically(tmp_path, monkeypatch):
    calls = []

    def fake_snapshot(repo_id, revision, local_dir, allow_patterns):
        calls.append((repo_id, allow_patterns))
        for name in ["config.json", "model.safetensors", "tokenizer.json"]:
            (local_dir / name).write_text("{}")

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot)
    files = download_hub_encoder("xlm-roberta-base", tmp_path / "enc")
    assert files == ["config.json", "model.safetensors", "tokenizer.json"]
    assert calls[0][0] == "xlm-roberta-base" and "*.safetensors" in calls[0][1]


def test_failed_download_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken_snapshot(repo_id, revision, local_dir, allow_patterns):
        (local_dir / "config.json").write_text("{}")
        raise ConnectionError("network unreachable")

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", broken_snapshot)
    with pytest.raises(ConnectionError):
        download_hub_encoder("xlm-roberta-base", tmp_path / "enc")
    assert list(tmp_path.iterdir()) == []
