"""Tests for UD release handling: scanning, treebank selection, split rules, download."""

from __future__ import annotations

import io
import tarfile
import urllib.error
from pathlib import Path

import pytest

from xlt.data.conllu_io import read_conllu
from xlt.data.sources import ud


def sentence() -> str:
    return "1\tw1\t_\tNOUN\t_\t_\t0\troot\t_\t_\n2\tw2\t_\tVERB\t_\t_\t1\tdep\t_\t_\n\n"


def conllu(n_sentences: int) -> str:
    return sentence() * n_sentences


def make_treebank(root: Path, name: str, stem: str, sizes: dict[str, int]) -> Path:
    directory = root / name
    directory.mkdir(parents=True, exist_ok=True)
    for split, n in sizes.items():
        (directory / f"{stem}-ud-{split}.conllu").write_text(conllu(n), encoding="utf-8")
    return directory


@pytest.fixture
def sample(shared_data):
    return ud.scan_release(shared_data / "ud" / "ud-treebanks-sample")


@pytest.fixture
def fake_release(tmp_path):
    """Two Finnish treebanks (created in reverse name order), one train-less Yoruba."""
    root = tmp_path / "release"
    make_treebank(root, "UD_Finnish-TDT", "fi_tdt", {"train": 5, "dev": 2, "test": 3})
    make_treebank(root, "UD_Finnish-FTB", "fi_ftb", {"train": 7, "test": 2})
    make_treebank(root, "UD_Finnish-PUD", "fi_pud", {"test": 9})
    make_treebank(root, "UD_Yoruba-YTB", "yo_ytb", {"test": 4})
    make_treebank(root, "UD_Yoruba-Other", "yo_other", {"test": 6})
    (root / "UD_Empty-X").mkdir()
    (root / "UD_Empty-X" / "README.md").write_text("no data\n")
    return root


# --------------------------------------------------------------------------- scanning


def test_scan_sample(sample):
    assert list(sample) == sorted(sample)
    assert len(sample) == 41
    (fi,) = sample["fi"]
    assert fi.name == "UD_Finnish-TDT" and fi.code == "fi" and fi.stem == "fi_tdt"
    assert list(fi.files) == ["dev", "test"]  # train not in the sample
    assert list(sample["en"][0].files) == ["train", "dev", "test"]
    assert list(sample["tr"][0].files) == ["train", "dev", "test"]
    assert list(sample["yo"][0].files) == ["test"]
    (kk,) = sample["kk"]
    assert list(kk.files) == ["train", "test"]
    assert kk.sentences("train") == 31 == len(read_conllu(kk.files["train"][0]))
    assert kk.sentences("dev") == 0


def test_scan_keys_by_file_prefix_not_directory(sample):
    assert sample["yue"][0].name == "UD_Cantonese-HK"
    assert sample["kpv"][0].name == "UD_Komi_Zyrian-IKDP"
    assert sample["gun"][0].name == "UD_Mbya_Guarani-Thomas"
    assert "Empty" not in str(sample)


def test_scan_sorted_and_skips_dirs_without_data(fake_release):
    index = ud.scan_release(fake_release)
    assert list(index) == ["fi", "yo"]
    assert [tb.name for tb in index["fi"]] == ["UD_Finnish-FTB", "UD_Finnish-PUD", "UD_Finnish-TDT"]
    assert index.root == fake_release


def test_scan_release_parent_directory(tmp_path):
    make_treebank(tmp_path / "ud-treebanks-v2.4", "UD_Kazakh-KTB", "kk_ktb", {"test": 1})
    index = ud.scan_release(tmp_path)
    assert list(index) == ["kk"]
    assert index["kk"][0].files["test"][0].parent.parent.name == "ud-treebanks-v2.4"


def test_split_in_parts(tmp_path):
    # As in the repositories of UD_Czech-PDT and UD_German-HDT.
    make_treebank(tmp_path, "UD_German-HDT", "de_hdt", {"train-a-2": 2, "train-a-1": 1, "test": 1})
    (tb,) = ud.scan_release(tmp_path)["de"]
    assert names(tb.files["train"]) == ["de_hdt-ud-train-a-1.conllu", "de_hdt-ud-train-a-2.conllu"]
    assert tb.sentences("train") == 3
    assert names(ud.split_files([tb], "train", "train")) == names(tb.files["train"])


def test_scan_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ud.scan_release(tmp_path / "nope")


# --------------------------------------------------------------------------- selection


def test_select_largest_prefers_train(fake_release):
    index = ud.scan_release(fake_release)
    (tb,) = ud.select_treebanks(index, "fi", "largest")
    assert tb.name == "UD_Finnish-FTB"  # 7 train sentences beat 5; PUD has no train


def test_select_largest_falls_back_to_test(fake_release):
    index = ud.scan_release(fake_release)
    (tb,) = ud.select_treebanks(index, "yo", "largest")
    assert tb.name == "UD_Yoruba-Other"


def test_select_all_and_explicit(fake_release):
    index = ud.scan_release(fake_release)
    assert [tb.name for tb in ud.select_treebanks(index, "fi", "all")] == [
        "UD_Finnish-FTB",
        "UD_Finnish-PUD",
        "UD_Finnish-TDT",
    ]
    chosen = ud.select_treebanks(index, "fi", "largest", explicit=["fi_pud", "UD_Finnish-TDT"])
    assert [tb.name for tb in chosen] == ["UD_Finnish-PUD", "UD_Finnish-TDT"]


def test_select_explicit_unknown(fake_release):
    index = ud.scan_release(fake_release)
    with pytest.raises(ValueError, match="UD_Finnish-XYZ not found for language 'fi'"):
        ud.select_treebanks(index, "fi", "all", explicit=["UD_Finnish-XYZ"])
    with pytest.raises(ValueError, match="not found for language 'fi'"):
        ud.select_treebanks(index, "fi", "all", explicit=["yo_ytb"])


def test_select_unknown_language(sample, shared_data):
    root = shared_data / "ud" / "ud-treebanks-sample"
    with pytest.raises(ValueError, match=f"language 'xx' has no treebank in {root}"):
        ud.select_treebanks(sample, "xx", "all")


def test_select_unknown_policy(sample):
    with pytest.raises(ValueError, match="unknown treebank policy 'biggest'"):
        ud.select_treebanks(sample, "fi", "biggest")


# --------------------------------------------------------------------------- split rules


def names(paths):
    return [p.name for p in paths]


def test_no_train_seen_language_trains_on_test(sample):
    fi = ud.select_treebanks(sample, "fi", "largest")
    assert names(ud.split_files(fi, "train", "train")) == ["fi_tdt-ud-test.conllu"]
    assert names(ud.split_files(fi, "dev", "train")) == ["fi_tdt-ud-dev.conllu"]
    with pytest.raises(ValueError, match="language 'fi' has no test data for role 'train'"):
        ud.split_files(fi, "test", "train")
    assert ud.split_plan(fi, "train", "train") == [(fi[0], "test")]


def test_no_train_held_out_language_is_evaluated_on_test(sample):
    fi = ud.select_treebanks(sample, "fi", "largest")
    assert names(ud.split_files(fi, "test", "test")) == ["fi_tdt-ud-test.conllu"]
    with pytest.raises(ValueError, match="language 'fi' has no train data for role 'test'"):
        ud.split_files(fi, "train", "test")


def test_no_train_partitioned_language_has_test_as_train_and_as_test(sample):
    """A factorization-grid language: its test data trains it in the partitions
    where it is seen and scores it in those where it is held out."""
    fi = ud.select_treebanks(sample, "fi", "largest")
    assert names(ud.split_files(fi, "train", "partitioned")) == ["fi_tdt-ud-test.conllu"]
    assert names(ud.split_files(fi, "test", "partitioned")) == ["fi_tdt-ud-test.conllu"]
    assert names(ud.split_files(fi, "dev", "partitioned")) == ["fi_tdt-ud-dev.conllu"]


def test_complete_treebank_uses_its_own_splits(sample):
    en = ud.select_treebanks(sample, "en", "largest")
    for role in ud.ROLES:
        for split in ud.SPLITS:
            assert names(ud.split_files(en, split, role)) == [f"en_ewt-ud-{split}.conllu"]


def test_missing_dev_returns_empty_list(sample):
    kk = ud.select_treebanks(sample, "kk", "largest")
    assert ud.split_files(kk, "dev", "train") == []
    assert ud.split_files(kk, "dev", "test") == []
    assert names(ud.split_files(kk, "train", "train")) == ["kk_ktb-ud-train.conllu"]
    assert names(ud.split_files(kk, "test", "train")) == ["kk_ktb-ud-test.conllu"]


def test_test_only_language(sample):
    yo = ud.select_treebanks(sample, "yo", "largest")
    assert names(ud.split_files(yo, "train", "train")) == ["yo_ytb-ud-test.conllu"]
    assert names(ud.split_files(yo, "test", "test")) == ["yo_ytb-ud-test.conllu"]
    assert names(ud.split_files(yo, "test", "dev")) == ["yo_ytb-ud-test.conllu"]


def test_all_policy_mixes_rules_per_treebank(fake_release):
    fi = ud.select_treebanks(ud.scan_release(fake_release), "fi", "all")
    assert names(ud.split_files(fi, "train", "train")) == [
        "fi_ftb-ud-train.conllu",
        "fi_pud-ud-test.conllu",
        "fi_tdt-ud-train.conllu",
    ]
    assert names(ud.split_files(fi, "test", "train")) == [
        "fi_ftb-ud-test.conllu",
        "fi_tdt-ud-test.conllu",
    ]
    assert names(ud.split_files(fi, "test", "test")) == [
        "fi_ftb-ud-test.conllu",
        "fi_pud-ud-test.conllu",
        "fi_tdt-ud-test.conllu",
    ]


def test_split_and_role_validated(sample):
    en = sample["en"]
    with pytest.raises(ValueError, match="unknown split 'validation'"):
        ud.split_files(en, "validation", "train")
    with pytest.raises(ValueError, match="unknown role 'seen'"):
        ud.split_files(en, "train", "seen")


# --------------------------------------------------------------------------- releases


def test_release_urls():
    assert ud.release_url("2.4") == (
        "https://lindat.mff.cuni.cz/repository/xmlui/bitstream/handle/11234/1-2988/"
        "ud-treebanks-v2.4.tgz"
    )
    assert ud.release_handle("2.4") == "http://hdl.handle.net/11234/1-2988"
    for version, url in ud.UD_RELEASES.items():
        assert url.endswith(f"/ud-treebanks-v{version}.tgz")
    with pytest.raises(ValueError, match="unknown UD release '9.9'"):
        ud.release_url("9.9")


def make_tarball(path: Path, members: dict[str, str], mode="w:gz") -> Path:
    with tarfile.open(path, mode) as tar:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


RELEASE_MEMBERS = {
    "ud-treebanks-v2.4/UD_Kazakh-KTB/kk_ktb-ud-train.conllu": conllu(3),
    "ud-treebanks-v2.4/UD_Kazakh-KTB/kk_ktb-ud-test.conllu": conllu(2),
    "ud-treebanks-v2.4/UD_Kazakh-KTB/README.md": "readme\n",
}


def no_sleep(_seconds):
    pass


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_download_release_from_file_url(tmp_path):
    tarball = make_tarball(tmp_path / "ud.tgz", RELEASE_MEMBERS)
    dest = tmp_path / "out" / "ud-2.4"
    result = ud.download_release("2.4", dest, url=tarball.as_uri(), sleep=no_sleep)
    assert result == dest
    index = ud.scan_release(dest)
    assert list(index) == ["kk"] and index["kk"][0].sentences("train") == 3
    assert leftovers(dest.parent) == []


def test_download_release_keeps_existing(tmp_path):
    dest = tmp_path / "ud-2.4"
    dest.mkdir()

    def opener(*args, **kwargs):
        raise AssertionError("must not download")

    assert ud.download_release("2.4", dest, opener=opener) == dest


@pytest.mark.parametrize(
    "make_url, error",
    [
        (lambda tmp: (tmp / "missing.tgz").as_uri(), ConnectionError),
        (lambda tmp: _write(tmp / "bad.tgz", b"not a tarball").as_uri(), tarfile.ReadError),
        (
            lambda tmp: make_tarball(tmp / "evil.tgz", {"../evil.txt": "x"}).as_uri(),
            ValueError,
        ),
        (
            lambda tmp: make_tarball(tmp / "other.tgz", {"data/file.txt": "x"}).as_uri(),
            ValueError,
        ),
    ],
    ids=["missing", "corrupt", "unsafe-path", "not-a-release"],
)
def test_failed_download_leaves_no_destination(tmp_path, make_url, error):
    url = make_url(tmp_path)
    dest = tmp_path / "out" / "ud-2.4"
    with pytest.raises(error):
        ud.download_release("2.4", dest, url=url, retries=1, sleep=no_sleep)
    assert not dest.exists()
    assert leftovers(dest.parent) == []
    assert not (tmp_path / "out" / "evil.txt").exists()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_unsafe_link_refused(tmp_path):
    tarball = tmp_path / "link.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        info = tarfile.TarInfo("UD_X-Y/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(ValueError, match="not a regular file"):
        ud.safe_extract(tarball, tmp_path / "x")


class FakeResponse(io.BytesIO):
    def __init__(self, data: bytes, length: int | None = None):
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data) if length is None else length)}


def test_fetch_retries_transient_failures(tmp_path):
    calls, sleeps = [], []

    def opener(url, timeout):
        calls.append(url)
        if len(calls) == 1:
            raise urllib.error.URLError("temporary failure")
        if len(calls) == 2:
            return FakeResponse(b"part", length=10)  # truncated transfer
        return FakeResponse(b"0123456789")

    dest = ud.fetch_url("http://x/y", tmp_path / "f", opener=opener, sleep=sleeps.append, backoff=1)
    assert dest.read_bytes() == b"0123456789"
    assert len(calls) == 3 and sleeps == [1, 2]
    assert leftovers(tmp_path) == []


def test_fetch_gives_up(tmp_path):
    def opener(url, timeout):
        raise TimeoutError("slow")

    with pytest.raises(ConnectionError, match="failed after 3 attempt"):
        ud.fetch_url("http://x/y", tmp_path / "f", opener=opener, retries=2, sleep=no_sleep)
    assert list(tmp_path.iterdir()) == []


def test_fetch_does_not_retry_client_errors(tmp_path):
    calls = []

    def opener(url, timeout):
        calls.append(url)
        raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)

    with pytest.raises(ConnectionError, match="after 1 attempt"):
        ud.fetch_url("http://x/y", tmp_path / "f", opener=opener, sleep=no_sleep)
    assert len(calls) == 1


def test_files_the_scan_does_not_read_are_named(fake_release, caplog):
    directory = fake_release / "UD_Finnish-TDT"
    (directory / "fi_tdt-ud-trian.conllu").write_text(conllu(1), encoding="utf-8")
    (directory / "fi_tdt-ud-train.conll").write_text(conllu(1), encoding="utf-8")
    with caplog.at_level("WARNING", logger="xlt.data.sources.ud"):
        index = ud.scan_release(fake_release)
    assert f"{directory}: not read, the name is not" in caplog.text
    assert "fi_tdt-ud-train.conll, fi_tdt-ud-trian.conllu" in caplog.text
    (tdt,) = [tb for tb in index["fi"] if tb.name == "UD_Finnish-TDT"]
    assert set(tdt.files) == {"train", "dev", "test"} and tdt.sentences("train") == 5
