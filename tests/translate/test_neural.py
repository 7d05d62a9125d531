"""The CTranslate2 and Argos engines, with tiny random models built by ``tinymodel`` (no download).

A random model translates into gibberish, so these tests check structure, not meaning: one string
per segment, in order, the same every time and whatever the batching, with the model's special and
language tokens gone, and the text HTML-escaped as translate_article expects.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import ctranslate2
import pytest
from tinymodel import make_argos, make_marian, make_multilingual, sentences, write_json, zip_folder
from typer.testing import CliRunner

from mockserver import MockServer
from newsrelay.cli import app
from newsrelay.config import Settings, load_settings
from newsrelay.errors import ConfigError, FetchError, NotConfigured
from newsrelay.model import Article
from newsrelay.translate import engine_version, load_engine, neural, translate_article
from newsrelay.translate.neural import (
    ArgosEngine,
    CTranslate2Engine,
    install_argos_package,
    install_opus_mt,
    installed_models,
    read_manifest,
)

EN = sentences("en", 12, seed=7)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An OPUS-MT-like en->es model and an NLLB-like model for en, es and fr."""
    root = tmp_path_factory.mktemp("models")
    make_marian(root / "opus-mt-en-es", "en", "es")
    make_multilingual(root / "tiny-multi", ["en", "es", "fr"])
    return root


@pytest.fixture(scope="session")
def copy_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An en->es model that copies source pieces (it only ever says <unk>)."""
    root = tmp_path_factory.mktemp("copy-models")
    make_marian(root / "copy-en-es", "en", "es", copy=True)
    return root


@pytest.fixture(scope="session")
def argos_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two versions of an en->fr Argos package, zipped as Argos ships them."""
    build = tmp_path_factory.mktemp("argos-build")
    old = make_argos(build / "old", "en", "fr", "1.0", target_prefix="__fr__", seed=3)
    new = make_argos(build / "new", "en", "fr", "1.1", seed=4)
    return {
        "1.0": zip_folder(old, build / "translate-en_fr-1_0.argosmodel", top="translate-en_fr-1_0"),
        "1.1": zip_folder(new, build / "en_fr-1_1.argosmodel"),  # files at the archive's root
    }


def settings(tmp_path: Path, models_dir: Path, **translate: Any) -> Settings:
    overrides = {"translate.models_dir": str(models_dir)}
    overrides |= {f"translate.{key}": value for key, value in translate.items()}
    return load_settings(tmp_path / "newsrelay.toml", environ={}, overrides=overrides)


# CTranslate2 models with a manifest


def test_pairs_are_those_of_the_installed_models(tmp_path: Path, models_dir: Path) -> None:
    engine = CTranslate2Engine(settings(tmp_path, models_dir))
    assert engine.pairs() == {("en", "es"), ("en", "fr"), ("es", "en"), ("es", "fr"),
                              ("fr", "en"), ("fr", "es")}  # fmt: skip
    assert engine.card("en", "es").name == "opus-mt-en-es"  # the dedicated model wins
    assert engine.card("es", "fr").kind == "multilingual"
    assert engine.device == "cpu" or ctranslate2.get_cuda_device_count() > 0


def test_one_string_per_segment_and_the_same_every_time(tmp_path: Path, models_dir: Path) -> None:
    engine = CTranslate2Engine(settings(tmp_path, models_dir))
    segments = [EN[0], "", EN[1], "   ", EN[2]]
    first = engine.translate(segments, "en", "es")
    assert len(first) == len(segments)
    assert all(isinstance(text, str) for text in first)
    assert first[1] == first[3] == ""  # blank stays blank; the model never sees it
    assert all(first[i] for i in (0, 2, 4))
    assert engine.translate(segments, "en", "es") == first
    assert engine.translate([], "en", "es") == []
    assert len(set(engine.translate(EN, "en", "es"))) > 1  # the output depends on the input
    scores = engine.last_scores()  # the mean probability of its tokens; none for a blank
    assert all(s is not None and 0 < s <= 1 for s in scores)
    engine.translate(segments, "en", "es")
    assert engine.last_scores()[1] is None and engine.last_scores()[0] is not None


def test_batching_by_tokens_does_not_change_the_result(tmp_path: Path, models_dir: Path) -> None:
    many = CTranslate2Engine(settings(tmp_path, models_dir, batch_tokens=30))  # 1-2 sentences
    one = CTranslate2Engine(settings(tmp_path, models_dir, batch_tokens=100_000))
    for source, target in (("en", "es"), ("en", "fr")):
        assert many.translate(EN[:6], source, target) == one.translate(EN[:6], source, target)


def test_the_multilingual_model_is_steered_by_language_tokens(
    tmp_path: Path, models_dir: Path
) -> None:
    engine = CTranslate2Engine(settings(tmp_path, models_dir))
    spanish = sentences("es", 6, seed=1)
    to_french = engine.translate(spanish, "es", "fr")
    assert to_french != engine.translate(spanish, "es", "en")  # the target prefix matters
    assert to_french != engine.translate(spanish, "en", "fr")  # so does the source token
    for text in to_french:
        assert not any(token in text for token in ("__fr__", "__es__", "__en__", "</s>", "<unk>"))


def test_text_is_unescaped_for_the_model_and_escaped_again(
    tmp_path: Path, copy_models: Path
) -> None:
    engine = CTranslate2Engine(settings(tmp_path, copy_models))
    [text] = engine.translate(["&lt;&amp;&gt;"], "en", "es")
    # The copy model repeats the one source piece "<&>" until the decoding limit (2 x 3 + 16).
    assert text and not text.replace("&lt;&amp;&gt;", "")
    assert 0 < html.unescape(text).count("<&>") <= 22
    assert "<" not in text


def test_version_names_model_version_and_weights(tmp_path: Path, models_dir: Path) -> None:
    engine = CTranslate2Engine(settings(tmp_path, models_dir))
    marian, multi = engine.version("en", "es"), engine.version("es", "fr")
    assert marian.startswith("opus-mt-en-es@1#") and len(marian.split("#")[1]) == 12
    assert multi.startswith("tiny-multi@2024.1#")
    assert engine.version("fr", "en") == multi
    assert engine_version(engine, "en", "es") == f"ctranslate2:{marian}"  # the memory's key
    assert CTranslate2Engine(settings(tmp_path, models_dir)).version("en", "es") == marian
    with pytest.raises(NotConfigured, match="no model for en->de"):
        engine.version("en", "de")
    with pytest.raises(NotConfigured, match="no model for de->en"):
        engine.translate(["Hallo"], "de", "en")


def test_load_engine_and_translate_article(tmp_path: Path, models_dir: Path) -> None:
    config = settings(tmp_path, models_dir, engine="ctranslate2")
    engine = load_engine(config, [("en", "es")])
    assert isinstance(engine, CTranslate2Engine)
    article = Article(
        title="Fish & chips <3 at the harbour",
        body_html="<p>The mayor opened the bridge.</p><p>A storm delayed the <b>ferry</b>.</p>",
    )
    translation = translate_article(engine, article, "en", "es")
    assert translation.engine == "ctranslate2"
    assert translation.title
    assert translation.body_html.count("<p>") == 2
    # the model's own confidence in each sentence, by paragraph (0 the headline)
    assert [p for p, _ in translation.scores] == [0, 1, 2]
    assert all(0 < score <= 1 for _, score in translation.scores)
    with pytest.raises(NotConfigured, match="cannot translate en->de"):
        load_engine(config, [("en", "de")])


def test_no_models_says_how_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured, match="newsrelay models install opus-mt SRC TGT"):
        CTranslate2Engine(settings(tmp_path, tmp_path / "none"))
    with pytest.raises(NotConfigured, match="newsrelay models install argos FILE_OR_URL"):
        ArgosEngine(settings(tmp_path, tmp_path / "none"))


@pytest.mark.parametrize("module", ["ctranslate2", "sentencepiece"])
def test_missing_runtime_says_which_extra_to_install(
    tmp_path: Path, models_dir: Path, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(NotConfigured, match=r"pip install 'newsrelay\[neural\]'"):
        CTranslate2Engine(settings(tmp_path, models_dir))


def test_cuda_is_refused_without_a_gpu(tmp_path: Path, models_dir: Path) -> None:
    if ctranslate2.get_cuda_device_count() > 0:
        assert CTranslate2Engine(settings(tmp_path, models_dir, device="cuda")).device == "cuda"
        return
    with pytest.raises(NotConfigured, match="no CUDA device"):
        CTranslate2Engine(settings(tmp_path, models_dir, device="cuda"))


def _broken(manifest: dict[str, Any]) -> dict[str, Any]:
    base = {"format": 1, "name": "broken", "version": "1", "kind": "marian",
            "pairs": [["en", "es"]]}  # fmt: skip
    return {k: v for k, v in (base | manifest).items() if v is not None}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (_broken({"kind": None}), "'kind' is required"),
        (_broken({"kind": "seq2seq"}), "'kind' must be one of marian, multilingual"),
        (_broken({"version": ""}), "'version' is required"),
        (_broken({"pairs": [["en", "es"], ["en", "fr"]]}), "exactly one pair"),
        (_broken({"pairs": "en-es"}), "'pairs' must be a list"),
        (_broken({"format": 2}), "newer than this newsrelay"),
        (_broken({"source_spm": "missing.spm"}), "lacks missing.spm"),
        (
            _broken({"kind": "multilingual", "spm": "source.spm", "languages": {"en": "__en__"}}),
            "no language token for es",
        ),
    ],
)
def test_a_broken_manifest_is_named_at_start_up(
    tmp_path: Path, models_dir: Path, manifest: dict[str, Any], message: str
) -> None:
    folder = tmp_path / "models" / "broken"
    shutil.copytree(models_dir / "opus-mt-en-es", folder)
    write_json(folder / "newsrelay.json", manifest)
    with pytest.raises(NotConfigured, match=message) as raised:
        CTranslate2Engine(settings(tmp_path, tmp_path / "models"))
    assert "broken/newsrelay.json" in str(raised.value)


def test_a_manifest_that_is_not_json(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "newsrelay.json").write_text("{kind: marian", encoding="utf-8")
    with pytest.raises(NotConfigured, match="not valid JSON"):
        read_manifest(tmp_path / "m")


# Argos Translate packages


def test_install_an_argos_package_and_translate(
    tmp_path: Path, argos_files: dict[str, Path]
) -> None:
    models = tmp_path / "models"
    card = install_argos_package(str(argos_files["1.0"]), models)
    assert (card.name, card.version, card.kind) == ("argos-en-fr", "1.0", "argos")
    assert card.folder == models / "argos" / "en_fr"
    assert (card.folder / "model" / "model.bin").is_file()
    engine = ArgosEngine(settings(tmp_path, models))
    assert engine.pairs() == {("en", "fr")}
    assert engine.version("en", "fr").startswith("argos-en-fr@1.0#")
    french = engine.translate(EN[:4], "en", "fr")
    assert len(french) == 4 and all(french)
    assert not any("__fr__" in text for text in french)  # the target prefix is stripped
    assert engine.translate(EN[:4], "en", "fr") == french
    with pytest.raises(NotConfigured, match="no models"):
        CTranslate2Engine(settings(tmp_path, models))  # Argos packages are the argos engine's


def test_a_newer_package_replaces_the_older(tmp_path: Path, argos_files: dict[str, Path]) -> None:
    models = tmp_path / "models"
    old = install_argos_package(str(argos_files["1.0"]), models)
    fingerprint = ArgosEngine(settings(tmp_path, models)).version("en", "fr")
    new = install_argos_package(str(argos_files["1.1"]), models)
    assert new.folder == old.folder and new.version == "1.1"
    assert [p.name for p in (models / "argos").iterdir()] == ["en_fr"]  # no scratch left behind
    engine = ArgosEngine(settings(tmp_path, models))
    assert engine.version("en", "fr").startswith("argos-en-fr@1.1#")
    assert engine.version("en", "fr").split("#")[1] != fingerprint.split("#")[1]
    assert len(engine.translate(EN[:3], "en", "fr")) == 3


def test_install_from_a_url_with_its_checksum(
    tmp_path: Path, argos_files: dict[str, Path], server: MockServer
) -> None:
    data = argos_files["1.0"].read_bytes()
    url = server.route("/packages/en_fr.argosmodel", data,
                       headers={"Content-Type": "application/zip"})  # fmt: skip
    card = install_argos_package(url, tmp_path / "models", sha256=hashlib.sha256(data).hexdigest())
    assert card.pairs == {("en", "fr")}
    assert server.paths() == ["/packages/en_fr.argosmodel"]


def test_a_failed_download_installs_nothing(tmp_path: Path, server: MockServer) -> None:
    with pytest.raises(FetchError) as raised:
        install_argos_package(server.url("/status/404"), tmp_path / "models")
    assert raised.value.reason == "http_404"
    assert list((tmp_path / "models" / "argos").iterdir()) == []


def test_a_checksum_mismatch_installs_nothing(tmp_path: Path, argos_files: dict[str, Path]) -> None:
    with pytest.raises(FetchError, match="nothing was installed") as raised:
        install_argos_package(str(argos_files["1.0"]), tmp_path / "models", sha256="0" * 64)
    assert raised.value.reason == "checksum_mismatch"
    assert list((tmp_path / "models" / "argos").iterdir()) == []
    with pytest.raises(ConfigError, match="not a SHA-256"):
        install_argos_package(str(argos_files["1.0"]), tmp_path / "models", sha256="abc")


@pytest.mark.parametrize("member", ["../escaped.txt", "pkg/../../escaped.txt", "/tmp/escaped.txt",
                                    "C:/escaped.txt", "..\\escaped.txt"])  # fmt: skip
def test_zip_slip_is_refused(tmp_path: Path, argos_files: dict[str, Path], member: str) -> None:
    archive = tmp_path / "evil.argosmodel"
    archive.write_bytes(argos_files["1.1"].read_bytes())
    with zipfile.ZipFile(archive, "a") as package:
        package.writestr(member, "gotcha")
    models = tmp_path / "deep" / "models"
    with pytest.raises(FetchError, match="unsafe member path") as raised:
        install_argos_package(str(archive), models)
    assert raised.value.reason == "unsafe_archive"
    assert not list(tmp_path.rglob("escaped.txt"))
    assert list((models / "argos").iterdir()) == []


def test_a_package_that_unpacks_too_large_is_refused(
    tmp_path: Path, argos_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neural, "MAX_UNPACKED", 1000)  # the real limit is 8 GiB
    with pytest.raises(FetchError, match=r"unpacks to [\d,]+ bytes, more than 1,000") as raised:
        install_argos_package(str(argos_files["1.1"]), tmp_path / "models")
    assert raised.value.reason == "too_large"
    assert list((tmp_path / "models" / "argos").iterdir()) == []


def test_what_is_not_an_argos_package_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(FetchError, match="not a zip archive"):
        install_argos_package(str(junk), tmp_path / "models")
    empty = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(empty, "w") as package:
        package.writestr("pkg/README.md", "no metadata here")
    with pytest.raises(FetchError, match=r"no metadata\.json"):
        install_argos_package(str(empty), tmp_path / "models")
    with pytest.raises(FetchError, match="no such file"):
        install_argos_package(str(tmp_path / "absent.argosmodel"), tmp_path / "models")


def test_an_unwritable_models_folder_is_named(tmp_path: Path, argos_files: dict[str, Path]) -> None:
    (tmp_path / "models").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(NotConfigured, match="cannot install into"):
        install_argos_package(str(argos_files["1.0"]), tmp_path / "models")


def test_argos_metadata_is_validated(tmp_path: Path) -> None:
    package = tmp_path / "package.argosmodel"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"from_code": "en", "package_version": "1"}))
        archive.writestr("sentencepiece.model", b"")
        archive.writestr("model/model.bin", b"")
    with pytest.raises(
        FetchError, match=r"package\.argosmodel/metadata\.json: 'to_code' is required"
    ):
        install_argos_package(str(package), tmp_path / "models")
    assert list((tmp_path / "models" / "argos").iterdir()) == []


def test_opus_mt_needs_the_convert_extra(tmp_path: Path) -> None:
    if all(importlib.util.find_spec(m) for m in ("transformers", "torch", "huggingface_hub")):
        pytest.skip("transformers and torch are installed: converting would download a model")
    with pytest.raises(NotConfigured, match=r"pip install 'newsrelay\[neural,convert\]'"):
        install_opus_mt("en", "es", tmp_path / "models")
    assert not (tmp_path / "models").exists()


# The command line


def test_models_install_and_list(
    tmp_path: Path, models_dir: Path, argos_files: dict[str, Path]
) -> None:
    config = tmp_path / "newsrelay.toml"
    config.write_text(f'[translate]\nmodels_dir = "{tmp_path / "models"}"\n', encoding="utf-8")
    for folder in ("opus-mt-en-es", "tiny-multi"):
        shutil.copytree(models_dir / folder, tmp_path / "models" / folder)
    runner = CliRunner()
    installed = runner.invoke(app, ["-c", str(config), "models", "install", "argos",
                                    str(argos_files["1.0"])])  # fmt: skip
    assert installed.exit_code == 0, installed.output
    assert "argos-en-fr 1.0 (argos, en->fr)" in installed.output
    listed = runner.invoke(app, ["-c", str(config), "models", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {row["name"]: row for row in json.loads(listed.output)}
    assert rows["opus-mt-en-es"]["kind"] == "marian"
    assert rows["tiny-multi"]["pairs"] == ["en->es", "en->fr", "es->en", "es->fr", "fr->en",
                                           "fr->es"]  # fmt: skip
    assert rows["argos-en-fr"]["folder"] == str(tmp_path / "models" / "argos" / "en_fr")
    table = runner.invoke(app, ["-c", str(config), "models", "list"])
    assert table.exit_code == 0 and "tiny-multi" in table.output and "argos" in table.output
    assert [c.name for c in installed_models(tmp_path / "models")] == [
        "opus-mt-en-es", "tiny-multi", "argos-en-fr"]  # fmt: skip


def test_models_install_exit_codes(tmp_path: Path, argos_files: dict[str, Path]) -> None:
    config = tmp_path / "newsrelay.toml"
    config.write_text('[translate]\nmodels_dir = "models"\n', encoding="utf-8")

    def newsrelay(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "newsrelay", "-c", str(config), *args],
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    mismatch = newsrelay(
        "models", "install", "argos", str(argos_files["1.0"]), "--sha256", "0" * 64
    )
    assert mismatch.returncode == 5, mismatch.stderr  # the input could not be used
    assert "SHA-256" in mismatch.stderr
    good = hashlib.sha256(argos_files["1.0"].read_bytes()).hexdigest()
    done = newsrelay("models", "install", "argos", str(argos_files["1.0"]), "--sha256", good)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "models" / "argos" / "en_fr" / "metadata.json").is_file()
    engines = newsrelay("engines", "list", "--json")
    assert engines.returncode == 0, engines.stderr
    rows = {row["engine"]: row for row in json.loads(engines.stdout)}
    assert rows["argos"]["pairs"] == ["en->fr"]
    assert "newsrelay models install opus-mt" in rows["ctranslate2"]["problem"]
