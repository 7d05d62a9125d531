"""The checks on real material: professional translations of real news (NTREX-128's development
documents, FLORES-200 devtest grouped into short documents) as good pairs, and the same
translations with one defect injected programmatically as bad pairs. Shared by bench/real.py and
the test suite's gate (tests/check/test_real_gate.py).

The corpora are read from ``../shared/corpora/mt`` beside the repository (or ``NEWSRELAY_CORPORA``).
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsrelay.check import CheckInput, Policy, check_texts
from newsrelay.model import Decision, Finding
from newsrelay.protect import person_names
from newsrelay.text import numbers

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("NEWSRELAY_CORPORA", ROOT.parent / "shared" / "corpora"))
MT = CORPORA / "mt"
# ISO 639-1 -> the corpora's file names
NTREX = {"es": "spa", "fr": "fra", "pt": "por", "ca": "cat", "gl": "glg", "it": "ita",
         "de": "deu", "uk": "ukr", "ru": "rus"}  # fmt: skip
FLORES = {**{k: f"{v}_Latn" for k, v in NTREX.items() if k not in ("uk", "ru")},
          "uk": "ukr_Cyrl", "ru": "rus_Cyrl", "ro": "ron_Latn", "eu": "eus_Latn",
          "oc": "oci_Latn"}  # fmt: skip
SENTENCES_PER_PARAGRAPH = 2
FLORES_DOCUMENT = 9  # sentences: a headline-sized first one, then four paragraphs of two


@dataclass(frozen=True)
class Pair:
    """One document: its source paragraphs (headline first) and a translation of them."""

    corpus: str
    document: str
    language: str
    source: tuple[str, ...]
    translation: tuple[str, ...]
    defect: str | None = None  # the kind of defect injected, None for the good translation


def available() -> bool:
    """Whether the corpora are there."""
    return (MT / "ntrex-dev" / "eng.txt").exists()


def _paragraphs(lines: list[str]) -> list[str]:
    """A headline, then paragraphs of two sentences."""
    head, rest = lines[0], lines[1:]
    step = SENTENCES_PER_PARAGRAPH
    return [head, *(" ".join(rest[i : i + step]) for i in range(0, len(rest), step))]


def ntrex_pairs(language: str) -> list[Pair]:
    """The 44 NTREX documents, English into ``language``."""
    folder = MT / "ntrex-dev"
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    english = (folder / "eng.txt").read_text(encoding="utf-8").splitlines()
    target = (folder / f"{NTREX[language]}.txt").read_text(encoding="utf-8").splitlines()
    documents: dict[str, list[int]] = {}
    for line, doc in enumerate(ids):
        documents.setdefault(doc, []).append(line)
    return [
        Pair(
            "ntrex",
            doc,
            language,
            tuple(_paragraphs([english[i] for i in lines])),
            tuple(_paragraphs([target[i] for i in lines])),
        )
        for doc, lines in documents.items()
    ]


def flores_pairs(language: str) -> list[Pair]:
    """FLORES-200 devtest, English into ``language``, in documents of nine sentences."""
    folder = MT / "flores200-devtest"
    english = (folder / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    target = (folder / f"{FLORES[language]}.devtest").read_text(encoding="utf-8").splitlines()
    step = FLORES_DOCUMENT
    return [
        Pair(
            "flores",
            str(i // step),
            language,
            tuple(_paragraphs(english[i : i + step])),
            tuple(_paragraphs(target[i : i + step])),
        )
        for i in range(0, len(english) - step + 1, step)
    ]


def good_pairs(languages: list[str] | None = None, *, flores: bool = True) -> list[Pair]:
    """Every good pair of the corpora, for ``languages`` (default: all)."""
    found = []
    for language in languages or sorted(FLORES):
        if language in NTREX:
            found += ntrex_pairs(language)
        if flores:
            found += flores_pairs(language)
    return found


# Defects ------------------------------------------------------------------------------------

PROMOS = {
    "es": "Suscríbete a nuestro boletín para recibir las últimas noticias.",
    "fr": "Abonnez-vous à notre newsletter pour recevoir les dernières nouvelles.",
    "pt": "Assine a nossa newsletter para receber as últimas notícias.",
    "ca": "Subscriu-te al nostre butlletí per rebre les últimes notícies.",
    "gl": "Subscríbete ao noso boletín para recibir as últimas novas.",
    "it": "Iscriviti alla nostra newsletter per ricevere le ultime notizie.",
    "de": "Abonnieren Sie unseren Newsletter, um die neuesten Nachrichten zu erhalten.",
    "uk": "Підпишіться на нашу розсилку, щоб отримувати останні новини.",
    "ru": "Подпишитесь на нашу рассылку, чтобы получать последние новости.",
    "ro": "Abonează-te la newsletterul nostru pentru a primi ultimele știri.",
    "eu": "Harpidetu gure buletinera azken albisteak jasotzeko.",
    "oc": "Abonatz-vos a nòstra letra d'informacion per recebre las darrièras novèlas.",
}  # written for newsrelay: a call to action as sites put them in a story
CYRILLIC_NOT = "\u043d\u0435"  # the Russian and Ukrainian "not"
NEGATORS = {
    "es": r"\bno\b", "fr": r"\bne\b|\bn'|\bpas\b", "pt": r"\bnão\b", "ca": r"\bno\b",
    "gl": r"\bnon\b", "it": r"\bnon\b", "de": r"\bnicht\b", "uk": rf"\b{CYRILLIC_NOT}\b",
    "ru": rf"\b{CYRILLIC_NOT}\b", "ro": r"\bnu\b", "eu": r"\bez\b", "oc": r"\bpas\b|\bnon\b",
}  # fmt: skip
OTHER_PERSON = "Tomasz Wierzbicki"  # a name no document holds


def _swap(pair: Pair, index: int, paragraph: str | None, kind: str) -> Pair:
    paragraphs = list(pair.translation)
    if paragraph is None:
        del paragraphs[index]
    else:
        paragraphs[index] = paragraph
    return Pair(pair.corpus, pair.document, pair.language, pair.source, tuple(paragraphs), kind)


def changed_number(pair: Pair, rng: random.Random) -> Pair | None:
    """A number of the source, changed in the translation (one digit, as a typo or a misread)."""

    def in_source(index: int, digits: str) -> bool:
        source = pair.source[index] if index < len(pair.source) else ""
        return any(digits in token for token, _ in numbers(source, "en"))

    spots = [(i, m) for i, p in enumerate(pair.translation) for m in re.finditer(r"\d+", p)
             if in_source(i, m.group())]  # fmt: skip
    if not spots:
        return None
    index, match = rng.choice(spots)
    digits = match.group()
    position = rng.randrange(len(digits))
    new = str((int(digits[position]) + rng.randrange(1, 9)) % 10)
    if position == 0 and new == "0" and len(digits) > 1:
        new = "9"
    changed = digits[:position] + new + digits[position + 1 :]
    text = pair.translation[index]
    return _swap(pair, index, text[: match.start()] + changed + text[match.end() :],
                 "changed_number")  # fmt: skip


def _person(pair: Pair) -> tuple[int, str] | None:
    """A person's name of the source that the translation carries verbatim."""
    for index, source in enumerate(pair.source):
        for name in person_names(source, "en"):
            if index < len(pair.translation) and name in pair.translation[index]:
                return index, name
    return None


def replaced_name(pair: Pair, rng: random.Random) -> Pair | None:
    """A person's name replaced by another person's."""
    found = _person(pair)
    if found is None:
        return None
    index, name = found
    text = pair.translation[index].replace(name, OTHER_PERSON)
    return _swap(pair, index, text, "replaced_name")


def dropped_name(pair: Pair, rng: random.Random) -> Pair | None:
    """A person's name dropped ("said X" becomes "said")."""
    found = _person(pair)
    if found is None:
        return None
    index, name = found
    text = re.sub(r"\s+", " ", pair.translation[index].replace(name, "")).strip()
    return _swap(pair, index, text, "dropped_name")


def dropped_sentence(pair: Pair, rng: random.Random) -> Pair | None:
    """The second sentence of a two-sentence paragraph dropped."""
    from newsrelay.text import sentences

    spots = [i for i, p in enumerate(pair.translation[1:], 1)
             if len(sentences(p, pair.language)) >= 2]  # fmt: skip
    if not spots:
        return None
    index = rng.choice(spots)
    kept = sentences(pair.translation[index], pair.language)[:-1]
    return _swap(pair, index, " ".join(kept), "dropped_sentence")


def untranslated(pair: Pair, rng: random.Random) -> Pair | None:
    """A paragraph left in English."""
    spots = [i for i in range(1, min(len(pair.source), len(pair.translation)))
             if len(pair.source[i].split()) >= 12]  # fmt: skip
    if not spots:
        return None
    index = rng.choice(spots)
    return _swap(pair, index, pair.source[index], "untranslated")


def inserted_promo(pair: Pair, rng: random.Random) -> Pair | None:
    """A call to action appended to a paragraph, as a site's template puts it in the body."""
    index = rng.randrange(1, len(pair.translation)) if len(pair.translation) > 1 else 0
    text = pair.translation[index] + " " + PROMOS[pair.language]
    return _swap(pair, index, text, "inserted_promo")


def removed_negation(pair: Pair, rng: random.Random) -> Pair | None:
    """The negation of a paragraph that negates, removed."""
    pattern = NEGATORS[pair.language]
    spots = [i for i, (s, t) in enumerate(zip(pair.source, pair.translation, strict=False))
             if re.search(r"\bnot\b|n't\b|\bnever\b", s)
             and len(re.findall(pattern, t, re.I)) == 1]  # fmt: skip
    if not spots:
        return None
    index = rng.choice(spots)
    text = re.sub(r"\s+", " ", re.sub(pattern, "", pair.translation[index], flags=re.I)).strip()
    return _swap(pair, index, text, "removed_negation")


def repeated_paragraph(pair: Pair, rng: random.Random) -> Pair | None:
    """A paragraph's text given twice (the engine repeating itself)."""
    spots = [i for i, p in enumerate(pair.translation[1:], 1) if len(p) > 60]
    if not spots:
        return None
    index = rng.choice(spots)
    text = pair.translation[index]
    return _swap(pair, index, f"{text} {text}", "repeated_paragraph")


DEFECTS: list[Callable[[Pair, random.Random], Pair | None]] = [
    changed_number, replaced_name, dropped_name, dropped_sentence, untranslated,
    inserted_promo, removed_negation, repeated_paragraph,
]  # fmt: skip


def bad_pairs(good: list[Pair], seed: int = 2026) -> Iterator[Pair]:
    """Each good pair with each defect that applies to it, one at a time."""
    rng = random.Random(seed)
    for pair in good:
        for inject in DEFECTS:
            bad = inject(pair, rng)
            if bad is not None:
                yield bad


# Scoring ------------------------------------------------------------------------------------


@dataclass
class RealScores:
    """Per language: good pairs and those held; per defect kind: pairs and those caught."""

    good: Counter[str] = field(default_factory=Counter)
    held: Counter[str] = field(default_factory=Counter)
    hold_kinds: Counter[tuple[str, str]] = field(default_factory=Counter)  # (language, kind)
    defects: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Finding]] = field(default_factory=dict)

    def false_hold_rate(self, language: str) -> float:
        return self.held[language] / self.good[language] if self.good[language] else 0.0

    def recall(self, kind: str) -> float:
        return self.caught[kind] / self.defects[kind] if self.defects[kind] else 0.0


def verdict(pair: Pair, policy: Policy) -> tuple[Decision, tuple[Finding, ...]]:
    """The checks' verdict on one pair (no engine: these are a person's translations)."""
    item = CheckInput(source=pair.source, translation=pair.translation, source_language="en",
                      target_language=pair.language)  # fmt: skip
    result = check_texts(item, policy)
    return result.decision, result.findings


def score(good: list[Pair], policy: Policy | None = None) -> RealScores:
    """False holds on the good pairs, recall on the same pairs with a defect injected."""
    policy = policy or Policy.from_settings()
    scores = RealScores()
    for pair in good:
        decision, findings = verdict(pair, policy)
        scores.good[pair.language] += 1
        if decision is not Decision.PUBLISH:
            scores.held[pair.language] += 1
            kinds = {f.kind for f in findings if f.kind in policy.hold | policy.reject}
            for kind in kinds:
                scores.hold_kinds[(pair.language, kind)] += 1
                scores.examples.setdefault(f"{pair.language}:{kind}", []).extend(
                    f for f in findings if f.kind == kind
                )
    for pair in bad_pairs(good):
        assert pair.defect is not None
        decision, _ = verdict(pair, policy)
        scores.defects[pair.defect] += 1
        scores.caught[pair.defect] += decision is not Decision.PUBLISH
    return scores


__all__ = ["Pair", "RealScores", "available", "bad_pairs", "good_pairs", "score"]
