"""Tiny translation models built for the tests, in the layouts newsrelay installs.

Nothing is downloaded: SentencePiece models are trained on sentences generated here from small
word lists, and the Transformer behind them (one layer, 16 dimensions, 2 heads) gets random,
seeded weights through CTranslate2's model-spec API. Its output is gibberish, but real gibberish:
the same loading, tokenising, batching and decoding code runs as with a real model.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import transformer_spec

DIM, FFN, HEADS, LAYERS = 16, 32, 2, 1
GAIN = 2.0  # large enough weights that different inputs give different gibberish
EOS_BIAS = 1.0  # leaning towards ending the sentence keeps the gibberish short, the tests fast

WORDS = {
    "en": {
        "subjects": "the mayor|the council|a teacher|the ferry|the library|our reporter|the farmers|a storm",
        "verbs": "opened|closed|visited|repaired|praised|delayed|announced|welcomed",
        "objects": "the bridge|a new school|the harbour|the market|the festival|two roads|the museum",
        "times": "on Monday|last week|in the morning|after the rain|before the vote|at noon",
    },
    "es": {
        "subjects": "la alcaldesa|el consejo|una maestra|el ferri|la biblioteca|los agricultores",
        "verbs": "abrió|cerró|visitó|reparó|elogió|retrasó|anunció|recibió",
        "objects": "el puente|una escuela nueva|el puerto|el mercado|la fiesta|dos caminos",
        "times": "el lunes|la semana pasada|por la mañana|después de la lluvia|al mediodía",
    },
    "fr": {
        "subjects": "la maire|le conseil|une institutrice|le bac|la bibliothèque|les paysans",
        "verbs": "a ouvert|a fermé|a visité|a réparé|a salué|a retardé|a annoncé",
        "objects": "le pont|une nouvelle école|le port|le marché|la fête|deux routes",
        "times": "lundi|la semaine dernière|le matin|après la pluie|à midi",
    },
}


def sentences(language: str, count: int, seed: int = 0) -> list[str]:
    """``count`` short news sentences in ``language``, made from the word lists above."""
    rng = random.Random(f"{language}-{seed}")
    parts = {key: value.split("|") for key, value in WORDS[language].items()}
    made = []
    for _ in range(count):
        subject, verb, thing, time = (rng.choice(parts[k]) for k in parts)
        made.append(f"{subject.capitalize()} {verb} {thing} {time}.")
    return made


def train_sentencepiece(languages: Sequence[str], path: Path, vocab_size: int = 120) -> list[str]:
    """Train a SentencePiece model on generated sentences; return its pieces, in id order."""
    text = [s for language in languages for s in sentences(language, 300)]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text), model_writer=model, vocab_size=vocab_size,
        hard_vocab_limit=False, num_threads=1, minloglevel=2,
    )  # fmt: skip
    path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def save_transformer(
    folder: Path, source_vocab: list[str], target_vocab: list[str], seed: int, copy: bool = False
) -> None:
    """Write a randomly initialised CTranslate2 Transformer with these vocabularies; a ``copy``
    model says <unk> at every step, which the engine replaces with a source piece."""
    spec = transformer_spec.TransformerSpec.from_config(LAYERS, HEADS)
    weights = _Weights(seed)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = weights.matrix(len(source_vocab), DIM)
    weights.norm(encoder.layer_norm)
    for layer in encoder.layer:
        weights.self_attention(layer.self_attention)
        weights.feed_forward(layer.ffn)
    decoder.embeddings.weight = weights.matrix(len(target_vocab), DIM)
    weights.norm(decoder.layer_norm)
    for layer in decoder.layer:
        weights.self_attention(layer.self_attention)
        weights.norm(layer.attention.layer_norm)
        weights.linear(layer.attention.linear[0], DIM, DIM)  # queries
        weights.linear(layer.attention.linear[1], 2 * DIM, DIM)  # keys and values of the source
        weights.linear(layer.attention.linear[2], DIM, DIM)
        weights.feed_forward(layer.ffn)
    weights.linear(decoder.projection, len(target_vocab), DIM)
    decoder.projection.bias[target_vocab.index("</s>")] = EOS_BIAS
    if copy:
        decoder.projection.bias[target_vocab.index("<unk>")] = 10.0
    spec.register_source_vocabulary(source_vocab)
    spec.register_target_vocabulary(target_vocab)
    spec.validate()
    spec.optimize()
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


class _Weights:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def matrix(self, rows: int, columns: int) -> Any:
        scale = GAIN / np.sqrt(columns)
        return (self.rng.standard_normal((rows, columns)) * scale).astype(np.float32)

    def norm(self, spec: Any) -> None:
        spec.gamma = np.ones(DIM, np.float32)
        spec.beta = np.zeros(DIM, np.float32)

    def linear(self, spec: Any, rows: int, columns: int) -> None:
        spec.weight = self.matrix(rows, columns)
        spec.bias = np.zeros(rows, np.float32)

    def self_attention(self, spec: Any) -> None:
        self.norm(spec.layer_norm)
        self.linear(spec.linear[0], 3 * DIM, DIM)  # queries, keys and values
        self.linear(spec.linear[1], DIM, DIM)

    def feed_forward(self, spec: Any) -> None:
        self.norm(spec.layer_norm)
        self.linear(spec.linear_0, FFN, DIM)
        self.linear(spec.linear_1, DIM, FFN)


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def make_marian(folder: Path, source: str, target: str, seed: int = 1, copy: bool = False) -> Path:
    """An OPUS-MT-like model: two SentencePiece models, one pair, a newsrelay.json."""
    folder.mkdir(parents=True)
    source_vocab = train_sentencepiece([source], folder / "source.spm")
    target_vocab = train_sentencepiece([target], folder / "target.spm")
    save_transformer(folder, source_vocab, target_vocab, seed, copy)
    write_json(folder / "newsrelay.json", {
        "format": 1, "name": folder.name, "version": "1", "kind": "marian",
        "pairs": [[source, target]], "source_spm": "source.spm", "target_spm": "target.spm",
    })  # fmt: skip
    return folder


def make_multilingual(folder: Path, languages: Sequence[str], seed: int = 2) -> Path:
    """An NLLB-like model: one SentencePiece model, a token per language, every pair."""
    folder.mkdir(parents=True)
    vocab = train_sentencepiece(languages, folder / "sentencepiece.bpe.model")
    tokens = {language: f"__{language}__" for language in languages}
    vocab += list(tokens.values())  # language tokens live in the model's vocabulary only
    save_transformer(folder, vocab, vocab, seed)
    write_json(folder / "newsrelay.json", {
        "format": 1, "name": folder.name, "version": "2024.1", "kind": "multilingual",
        "spm": "sentencepiece.bpe.model", "languages": tokens,
    })  # fmt: skip
    return folder


def make_argos(
    folder: Path, source: str, target: str, version: str, target_prefix: str = "", seed: int = 3
) -> Path:
    """An Argos Translate package folder: metadata.json, model/, sentencepiece.model."""
    folder.mkdir(parents=True)
    vocab = train_sentencepiece([source, target], folder / "sentencepiece.model")
    if target_prefix:
        vocab.append(target_prefix)
    save_transformer(folder / "model", vocab, vocab, seed)
    metadata = {"package_version": version, "argos_version": "1.9", "from_code": source,
                "from_name": source.upper(), "to_code": target, "to_name": target.upper(),
                "target_prefix": target_prefix}  # fmt: skip
    write_json(folder / "metadata.json", metadata)
    (folder / "README.md").write_text(f"Test package {source}->{target}\n", encoding="utf-8")
    return folder


def zip_folder(folder: Path, archive: Path, top: str | None = None) -> Path:
    """Zip ``folder`` as an .argosmodel, its files under ``top``/ as Argos packages are."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                package.write(path, f"{top}/{name}" if top else name)
    return archive
