import pytest

from xlt.encoders.loading import download_hub_encoder, hub_patterns
from xlt.encoders.locations import encoder_directory


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


def test_masked_lm_loss_equals_the_library_loss_on_masked_positions():
    import torch
    from transformers import BertConfig, BertForMaskedLM

    from xlt.encoders.embedded import masked_lm_loss

    torch.manual_seed(0)
    model = BertForMaskedLM(
        BertConfig(
            vocab_size=50,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=16,
        )
    ).eval()
    ids = torch.randint(5, 50, (3, 7))
    attention = torch.ones_like(ids)
    attention[2, 5:] = 0
    chosen = torch.zeros_like(ids, dtype=torch.bool)
    chosen[0, 1] = chosen[1, 3] = chosen[1, 4] = chosen[2, 2] = True
    inputs = torch.where(chosen, 4, ids)  # [MASK] at the chosen positions
    labels = torch.where(chosen, ids, -100)
    expected = model(input_ids=inputs, attention_mask=attention, labels=labels).loss
    assert masked_lm_loss(model, inputs, attention, chosen, ids).item() == pytest.approx(
        expected.item(), rel=1e-5
    )
    # nothing chosen: no loss, not NaN
    nothing = torch.zeros_like(chosen)
    assert masked_lm_loss(model, inputs, attention, nothing, ids).item() == 0.0
