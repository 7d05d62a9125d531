"""Neural engines: CTranslate2 models (OPUS-MT, NLLB, M2M100) and Argos Translate packages.

Models live under ``translate.models_dir``, one folder each::

    models/
      opus-mt-en-es/       newsrelay.json, model.bin, config.json, *_vocabulary.json,
                           source.spm, target.spm
      nllb-200-600m/       newsrelay.json, model.bin, ..., sentencepiece.bpe.model
      argos/en_es/         metadata.json, model/ (CTranslate2), sentencepiece.model

A CTranslate2 model folder carries a manifest, ``newsrelay.json``::

    {"format": 1, "name": "opus-mt-en-es", "version": "<any string>", "kind": "marian",
     "pairs": [["en", "es"]], "source_spm": "source.spm", "target_spm": "target.spm"}

    {"format": 1, "name": "nllb-200-600m", "version": "1", "kind": "multilingual",
     "spm": "sentencepiece.bpe.model", "languages": {"en": "eng_Latn", "es": "spa_Latn"},
     "pairs": [["en", "es"]]}

``marian`` models translate one pair: the source is encoded with ``source_spm`` (default
``source.spm``) and ``</s>`` appended; the output is decoded with ``target_spm`` (default
``target.spm``). ``multilingual`` models share one SentencePiece model; ``languages`` maps each
ISO 639-1 code to the model's language token, which is put before the source (``eng_Latn`` ...
``</s>``) and given to the decoder as the target prefix; ``pairs`` defaults to every ordered pair
of ``languages``. Argos Translate packages keep Argos's own layout; their ``metadata.json`` gives
``from_code``, ``to_code``, ``package_version`` and, for some, a ``target_prefix`` token.

``version(source, target)`` names the model behind a pair, weights included, so that the
translation memory never mixes the output of two models.

Segments arrive sentence-split and HTML-escaped; the engines unescape them, encode them with
SentencePiece, let CTranslate2 batch them by token count (``translate.batch_tokens``), and escape
the decoded output again. Each model is loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import itertools
import json
import logging
import math
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import ConfigError, EngineError, FetchError, NotConfigured

__all__ = [
    "MANIFEST",
    "ArgosEngine",
    "CTranslate2Engine",
    "ModelCard",
    "install_argos_package",
    "install_opus_mt",
    "installed_models",
    "read_argos_package",
    "read_manifest",
]

log = logging.getLogger(__name__)
MAX_UNPACKED = 8 << 30  # bytes: the largest package unpacked (a zip bomb is refused)

MANIFEST = "newsrelay.json"
MANIFEST_FORMAT = 1
KINDS = ("marian", "multilingual")
ARGOS_DIR = "argos"
EOS = "</s>"
SPECIAL = frozenset({"<s>", "</s>", "<pad>", "<unk>"})  # never part of the output text
BEAM_SIZE = 4
MAX_INPUT_TOKENS = 512  # the longest input most MT models were trained on; longer is cut
FINGERPRINT_BYTES = 1 << 20
DOWNLOAD_TIMEOUT = 60.0
USER_AGENT = "newsrelay/0.1 (model installer)"
INSTALL_NEURAL = "pip install 'newsrelay[neural]'"
INSTALL_CONVERT = "pip install 'newsrelay[neural,convert]'"


@dataclass(frozen=True)
class ModelCard:
    """An installed model: what it is, where its files are, and how to feed it."""

    name: str
    version: str
    kind: str  # marian, multilingual or argos
    folder: Path
    model_path: Path  # the CTranslate2 model folder (``folder`` itself, or ``folder/model``)
    source_spm: Path
    target_spm: Path
    pairs: frozenset[tuple[str, str]]
    language_tokens: Mapping[str, str] = field(default_factory=dict)  # ISO code -> token
    tag_source: bool = False  # put the source language token before the source
    source_eos: bool = True  # end the source with </s>

    def source_affixes(self, source: str) -> tuple[list[str], list[str]]:
        """The tokens put before and after every source segment."""
        token = self.language_tokens.get(source) if self.tag_source else None
        return ([token] if token else []), ([EOS] if self.source_eos else [])

    def target_prefix(self, target: str) -> list[str]:
        """The tokens the decoder is forced to start with."""
        token = self.language_tokens.get(target)
        return [token] if token else []


# Reading installed models


def read_manifest(folder: Path) -> ModelCard:
    """The model in ``folder``, described by its ``newsrelay.json``; NotConfigured if invalid."""
    path = folder / MANIFEST
    data = _read_json(path)
    kind = _string(data, "kind", path)
    if kind not in KINDS:
        raise NotConfigured(f"{path}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    if data.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
        raise NotConfigured(f"{path}: format {data['format']!r} is newer than this newsrelay")
    if kind == "marian":
        source_spm = _string(data, "source_spm", path, "source.spm")
        target_spm = _string(data, "target_spm", path, "target.spm")
        languages: dict[str, str] = {}
        pairs = _pairs(data.get("pairs"), path)
        if len(pairs) != 1:
            raise NotConfigured(f"{path}: a marian model translates exactly one pair")
    else:
        source_spm = target_spm = _string(data, "spm", path)
        languages = _languages(data.get("languages"), path)
        every = [[s, t] for s, t in itertools.permutations(sorted(languages), 2)]
        pairs = _pairs(data.get("pairs", every), path)
        unknown = sorted({code for pair in pairs for code in pair} - set(languages))
        if unknown:
            raise NotConfigured(f"{path}: no language token for {', '.join(unknown)}")
    card = ModelCard(
        name=_string(data, "name", path, folder.name),
        version=_string(data, "version", path),
        kind=kind,
        folder=folder,
        model_path=folder,
        source_spm=folder / source_spm,
        target_spm=folder / target_spm,
        pairs=pairs,
        language_tokens=languages,
        tag_source=kind == "multilingual",
    )
    _require_files(card, path)
    return card


def read_argos_package(folder: Path) -> ModelCard:
    """The Argos Translate package in ``folder``, from its ``metadata.json``."""
    path = folder / "metadata.json"
    data = _read_json(path)
    source, target = _string(data, "from_code", path), _string(data, "to_code", path)
    prefix = data.get("target_prefix") or ""
    if not isinstance(prefix, str):
        raise NotConfigured(f"{path}: 'target_prefix' must be a string")
    spm = folder / "sentencepiece.model"
    if not spm.is_file():
        raise NotConfigured(
            f"{folder}: no sentencepiece.model; only SentencePiece packages are supported"
        )
    card = ModelCard(
        name=f"argos-{source}-{target}",
        version=str(data.get("package_version") or "0"),
        kind="argos",
        folder=folder,
        model_path=folder / "model",
        source_spm=spm,
        target_spm=spm,
        pairs=frozenset({(source, target)}),
        language_tokens={target: prefix} if prefix else {},
        source_eos=False,  # OpenNMT-py models, as Argos feeds them: pieces only
    )
    _require_files(card, path)
    return card


def installed_models(models_dir: Path) -> list[ModelCard]:
    """Every model under ``models_dir``: CTranslate2 models with a manifest, then Argos packages."""
    return [*_manifest_models(models_dir), *_argos_models(models_dir)]


def _manifest_models(models_dir: Path) -> list[ModelCard]:
    return [read_manifest(f) for f in _folders(models_dir) if (f / MANIFEST).is_file()]


def _argos_models(models_dir: Path) -> list[ModelCard]:
    return [read_argos_package(f) for f in _folders(models_dir / ARGOS_DIR)]


def _folders(parent: Path) -> list[Path]:
    if not parent.is_dir():
        return []
    # Hidden folders are installs in progress (see _stage).
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith("."))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NotConfigured(f"{path}: cannot be read: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotConfigured(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotConfigured(f"{path}: expected a JSON object")
    return data


def _string(data: dict[str, Any], key: str, path: Path, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise NotConfigured(f"{path}: '{key}' is required and must be a non-empty string")
    return value.strip()


def _pairs(value: Any, path: Path) -> frozenset[tuple[str, str]]:
    def is_pair(item: Any) -> bool:
        return isinstance(item, list) and len(item) == 2 and all(isinstance(c, str) for c in item)

    if not isinstance(value, list) or not value or not all(is_pair(i) for i in value):
        raise NotConfigured(f"{path}: 'pairs' must be a list of [source, target] code pairs")
    return frozenset((s, t) for s, t in value)


def _languages(value: Any, path: Path) -> dict[str, str]:
    if (
        not isinstance(value, dict)
        or not value
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items())
    ):
        raise NotConfigured(f"{path}: 'languages' must map language codes to model tokens")
    return dict(value)


def _require_files(card: ModelCard, path: Path) -> None:
    needed = [card.model_path / "model.bin", card.source_spm, card.target_spm]
    missing = [str(p.relative_to(card.folder)) for p in needed if not p.is_file()]
    if missing:
        raise NotConfigured(f"{path}: the model folder lacks {', '.join(missing)}")


# The engines


@dataclass
class _Loaded:
    translator: Any
    source_spm: Any
    target_spm: Any


class CTranslate2Engine:
    """Translates with the CTranslate2 models under ``translate.models_dir``."""

    name = "ctranslate2"
    accepts_markup = False
    install_hint = "newsrelay models install opus-mt SRC TGT"

    def __init__(self, settings: Settings) -> None:
        self._ct2, self._spm = _runtime(self.name)
        config = settings.translate
        self.models_dir = settings.models_dir
        self.device = _device(config.device, self._ct2, self.name)
        self.compute_type = config.compute_type
        self.batch_tokens = max(config.batch_tokens, 1)
        self.cards = _by_pair(self.discover())
        if not self.cards:
            raise NotConfigured(
                f"{self.name}: no models in {self.models_dir}; "
                f"install one with '{self.install_hint}'"
            )
        self._loaded: dict[Path, _Loaded] = {}
        self._fingerprints: dict[Path, str] = {}
        self._lock = threading.Lock()
        self._scores: list[float | None] = []

    def discover(self) -> list[ModelCard]:
        """The models this engine serves."""
        return _manifest_models(self.models_dir)

    def pairs(self) -> set[tuple[str, str]]:
        """The pairs of the installed models."""
        return set(self.cards)

    def card(self, source: str, target: str) -> ModelCard:
        """The model that translates a pair; NotConfigured if none does."""
        try:
            return self.cards[(source, target)]
        except KeyError:
            raise NotConfigured(
                f"{self.name}: no model for {source}->{target} in {self.models_dir}"
            ) from None

    def version(self, source: str, target: str) -> str:
        """Names the exact model used for a pair (the translation memory keys on it):
        ``name@version#`` and 12 hex digits of the SHA-256 of model.bin's first MiB and size."""
        card = self.card(source, target)
        with self._lock:
            if card.folder not in self._fingerprints:
                self._fingerprints[card.folder] = _fingerprint(card.model_path / "model.bin")
        return f"{card.name}@{card.version}#{self._fingerprints[card.folder]}"

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate sentence segments; blank segments stay blank."""
        card = self.card(source, target)
        todo = [i for i, segment in enumerate(segments) if segment.strip()]
        translated = [""] * len(segments)
        self._scores = [None] * len(segments)
        if not todo:
            return translated
        model = self._load(card)
        texts = [html.unescape(segments[i]) for i in todo]
        found = self._translate(model, card, texts, source, target)
        for i, (text, score) in zip(todo, found, strict=True):
            translated[i] = html.escape(text, quote=False)
            self._scores[i] = score
        return translated

    def last_scores(self) -> list[float | None]:
        """The model's confidence in each segment of the last call: the mean probability of the
        tokens it chose (the exponential of its length-normalised log-probability)."""
        return list(self._scores)

    def _translate(
        self, model: _Loaded, card: ModelCard, texts: list[str], source: str, target: str
    ) -> list[tuple[str, float | None]]:
        before, after = card.source_affixes(source)
        tokens = [before + model.source_spm.encode(t, out_type=str) + after for t in texts]
        prefix = card.target_prefix(target)
        try:
            results = model.translator.translate_batch(
                tokens,
                target_prefix=[prefix] * len(tokens) if prefix else None,
                max_batch_size=self.batch_tokens,
                batch_type="tokens",
                beam_size=BEAM_SIZE,
                replace_unknowns=True,  # an unknown word (often a name) is copied from the source
                max_input_length=MAX_INPUT_TOKENS,
                max_decoding_length=_decoding_limit(tokens),
                return_scores=True,  # with length_penalty 1: the mean log-probability a token
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{self.name}: {card.name}: {exc}") from None
        drop = SPECIAL | set(card.language_tokens.values())
        return [(_detokenize(model.target_spm, _unprefixed(r.hypotheses[0], prefix), drop),
                 math.exp(r.scores[0]) if r.scores else None)
                for r in results]  # fmt: skip

    def _load(self, card: ModelCard) -> _Loaded:
        with self._lock:
            if card.folder not in self._loaded:
                self._loaded[card.folder] = self._open(card)
            return self._loaded[card.folder]

    def _open(self, card: ModelCard) -> _Loaded:
        log.info("%s: loading %s on %s (%s)", self.name, card.folder, self.device,
                 self.compute_type)  # fmt: skip
        try:
            translator = self._ct2.Translator(
                str(card.model_path), device=self.device, compute_type=self.compute_type
            )
            source = self._spm.SentencePieceProcessor(model_file=str(card.source_spm))
            target = (
                source
                if card.target_spm == card.source_spm
                else self._spm.SentencePieceProcessor(model_file=str(card.target_spm))
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise NotConfigured(f"{self.name}: cannot load {card.folder}: {exc}") from None
        return _Loaded(translator, source, target)


class ArgosEngine(CTranslate2Engine):
    """Translates with the Argos Translate packages under ``translate.models_dir``/argos."""

    name = "argos"
    install_hint = "newsrelay models install argos FILE_OR_URL"

    def discover(self) -> list[ModelCard]:
        """The installed Argos packages."""
        return _argos_models(self.models_dir)


def _runtime(engine: str) -> tuple[Any, Any]:
    try:
        import ctranslate2
        import sentencepiece
    except ImportError:
        raise NotConfigured(
            f"{engine}: ctranslate2 and sentencepiece are not installed; {INSTALL_NEURAL}"
        ) from None
    return ctranslate2, sentencepiece


def _device(wanted: str, ct2: Any, engine: str) -> str:
    gpus = int(ct2.get_cuda_device_count())
    if wanted == "cuda" and not gpus:
        raise NotConfigured(
            f"{engine}: translate.device is cuda but CTranslate2 sees no CUDA device; "
            'set translate.device = "auto" or "cpu"'
        )
    if wanted == "auto":
        return "cuda" if gpus else "cpu"
    return wanted


def _by_pair(cards: Iterable[ModelCard]) -> dict[tuple[str, str], ModelCard]:
    chosen: dict[tuple[str, str], ModelCard] = {}
    # A model made for a pair beats a multilingual one; then the first by name.
    for card in sorted(cards, key=lambda c: (len(c.pairs), c.name)):
        for pair in card.pairs:
            chosen.setdefault(pair, card)
    return chosen


def _unprefixed(pieces: list[str], prefix: list[str]) -> list[str]:
    # CTranslate2 returns the forced target prefix as part of the hypothesis.
    return pieces[len(prefix) :] if pieces[: len(prefix)] == prefix else pieces


def _decoding_limit(tokens: Sequence[Sequence[str]]) -> int:
    # A translation is rarely twice as long as its source; a model stuck repeating itself stops
    # here instead of at CTranslate2's default of 256 tokens.
    return min(2 * max(len(t) for t in tokens) + 16, 2 * MAX_INPUT_TOKENS)


def _detokenize(spm: Any, pieces: Sequence[str], drop: frozenset[str] | set[str]) -> str:
    kept = [p for p in pieces if p not in drop]
    # Pieces copied from the source (replace_unknowns) may be unknown to the target model, which
    # leaves them as they are, word-boundary marks included.
    return " ".join(str(spm.decode(kept)).replace("\u2581", " ").split())


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        digest.update(file.read(FINGERPRINT_BYTES))
    digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:12]


# Installing models


def install_argos_package(source: str, models_dir: Path, sha256: str | None = None) -> ModelCard:
    """Install an Argos Translate package (a ``.argosmodel`` file or http(s) URL) into
    ``models_dir``/argos/<from>_<to>, replacing an older version of the same pair."""
    expected = _checked_sha256(sha256)
    with _stage(models_dir / ARGOS_DIR, source) as staging:
        archive = _fetch(source, staging / "package.zip")
        actual = _sha256(archive)
        if expected and actual != expected:
            raise FetchError(
                "checksum_mismatch",
                f"{source}: SHA-256 is {actual}, expected {expected}; nothing was installed",
            )
        unpacked = staging / "unpacked"
        _safe_unzip(archive, unpacked, source)
        try:
            card = read_argos_package(_package_root(unpacked, source))
        except NotConfigured as exc:  # name the file inside the package, not the scratch folder
            problem = str(exc).replace(str(unpacked), source)
            raise FetchError("not_a_package", f"not a usable Argos package: {problem}") from None
        source_code, target_code = next(iter(card.pairs))
        destination = models_dir / ARGOS_DIR / f"{source_code}_{target_code}"
        _replace(card.folder, destination, staging)
    log.info("installed %s %s from %s into %s", card.name, card.version, source, destination)
    return read_argos_package(destination)


def install_opus_mt(source_lang: str, target_lang: str, models_dir: Path) -> ModelCard:
    """Download ``Helsinki-NLP/opus-mt-<source>-<target>``, convert it to CTranslate2 and install
    it with its manifest in ``models_dir``/opus-mt-<source>-<target>."""
    needed = ("ctranslate2", "sentencepiece", "transformers", "torch", "huggingface_hub")
    missing = [module for module in needed if importlib.util.find_spec(module) is None]
    if missing:
        raise NotConfigured(
            f"converting OPUS-MT models needs {', '.join(missing)}; {INSTALL_CONVERT}"
        )
    repo = f"Helsinki-NLP/opus-mt-{source_lang}-{target_lang}"
    snapshot = _download_snapshot(repo)
    name = f"opus-mt-{source_lang}-{target_lang}"
    with _stage(models_dir, repo) as staging:
        converted = staging / name
        _convert(snapshot, converted, repo)
        manifest = {"format": MANIFEST_FORMAT, "name": name, "version": snapshot.name,
                    "kind": "marian", "pairs": [[source_lang, target_lang]],
                    "source_spm": "source.spm", "target_spm": "target.spm",
                    "source": f"https://huggingface.co/{repo}"}  # fmt: skip
        (converted / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        read_manifest(converted)
        _replace(converted, models_dir / name, staging)
    return read_manifest(models_dir / name)


def _download_snapshot(repo: str) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    try:
        # The snapshot folder is named after the commit, which becomes the model's version.
        return Path(
            snapshot_download(repo, allow_patterns=["*.json", "*.spm", "*.safetensors", "*.bin"])
        )
    except RepositoryNotFoundError:
        raise NotConfigured(f"{repo} does not exist: OPUS-MT has no model for this pair") from None
    except (OSError, HfHubHTTPError) as exc:
        raise FetchError("download_failed", f"{repo}: {exc}") from None


def _convert(snapshot: Path, output: Path, repo: str) -> None:
    from ctranslate2.converters import TransformersConverter

    converter = TransformersConverter(str(snapshot), copy_files=["source.spm", "target.spm"])
    try:
        converter.convert(str(output))
    except (ValueError, RuntimeError, NotImplementedError, OSError) as exc:
        raise NotConfigured(f"{repo}: cannot be converted to CTranslate2: {exc}") from None


@contextmanager
def _stage(parent: Path, source: str) -> Iterator[Path]:
    """A hidden scratch folder beside the destination, so the final move is a rename; file
    system errors (no space, no permission) while installing ``source`` become NotConfigured."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=".install-", dir=parent))
    except OSError as exc:
        raise NotConfigured(f"{source}: cannot install into {parent}: {exc}") from None
    try:
        yield path
    except OSError as exc:
        raise NotConfigured(f"{source}: cannot install into {parent}: {exc}") from None
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _replace(folder: Path, destination: Path, staging: Path) -> None:
    # Two renames: the old version steps aside into the scratch folder (removed with it), then the
    # new one takes its place. Readers never see a half-written folder.
    if destination.exists():
        destination.rename(staging / "previous")
    folder.rename(destination)


def _checked_sha256(value: str | None) -> str | None:
    if value is None:
        return None
    digest = value.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ConfigError(f"sha256 {value!r} is not a SHA-256 (64 hexadecimal digits)")
    return digest


def _fetch(source: str, destination: Path) -> Path:
    if source.startswith(("http://", "https://")):
        _download(source, destination)
        return destination
    path = Path(source)
    if not path.is_file():
        raise FetchError("not_found", f"{source}: no such file")
    return path


def _download(url: str, destination: Path) -> None:
    try:
        with (
            httpx.stream(
                "GET",
                url,
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
                timeout=DOWNLOAD_TIMEOUT,
            ) as response,  # fmt: skip
            destination.open("wb") as file,
        ):
            if response.status_code >= 400:
                raise FetchError(
                    f"http_{response.status_code}", f"{url}: HTTP {response.status_code}"
                )
            for chunk in response.iter_bytes():
                file.write(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError("timeout", f"{url}: timed out ({exc})", transient=True) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError("bad_url", f"{url}: not a fetchable URL: {exc}") from None
    except httpx.HTTPError as exc:
        raise FetchError("http_error", f"{url}: {exc}", transient=True) from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _safe_unzip(archive: Path, destination: Path, source: str) -> None:
    try:
        with zipfile.ZipFile(archive) as package:
            members = package.infolist()
            for member in members:
                _check_member(member.filename, source)
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNPACKED:
                raise FetchError(
                    "too_large",
                    f"{source}: unpacks to {unpacked:,} bytes, more than {MAX_UNPACKED:,}",
                )
            package.extractall(destination, members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise FetchError("not_a_package", f"{source}: not a zip archive: {exc}") from None


def _check_member(name: str, source: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    # Zip slip: a member named /etc/x, C:x or ../x would land outside the destination.
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise FetchError("unsafe_archive", f"{source}: refuses unsafe member path {name!r}")


def _package_root(unpacked: Path, source: str) -> Path:
    """The folder holding metadata.json: the archive root or its one top folder."""
    if (unpacked / "metadata.json").is_file():
        return unpacked
    tops = [p for p in unpacked.iterdir() if p.is_dir() and p.name != "__MACOSX"]
    if len(tops) == 1 and (tops[0] / "metadata.json").is_file():
        return tops[0]
    raise FetchError("not_a_package", f"{source}: no metadata.json; not an Argos package")
