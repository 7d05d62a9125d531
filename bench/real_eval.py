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
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
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
# Each language's plain clause negator, as the parts removed together (French "ne ... pas").
NEGATORS = {
    "es": (r"\bno\b",), "fr": (r"\bne\s+|\bn['\u2019]", r"\s+pas\b"), "pt": (r"\bnão\b",),
    "ca": (r"\bno\b",), "gl": (r"\bnon\b",), "it": (r"\bnon\b",), "de": (r"\bnicht\b",),
    "uk": (rf"\b{CYRILLIC_NOT}\b",), "ru": (rf"\b{CYRILLIC_NOT}\b",), "ro": (r"\bnu\b",),
    "eu": (r"\bez\b",), "oc": (r"\bpas\b",),
}  # fmt: skip
# A finite verb form of each language, and how a negator goes with it: "es" -> "no es".
FINITE = {
    "es": (
        r"\b(es|son|fue|fueron|era|eran|ha|han|había|habían|está|están|será|serán|puede|"
        r"pueden|tiene|tienen)\b",
        r"no \1",
    ),
    "ca": (
        r"\b(és|són|era|eren|ha|han|havia|va|van|està|estan|serà|seran|pot|poden|té|tenen)\b",
        r"no \1",
    ),
    "gl": (r"\b(é|son|foi|foron|era|eran|ten|teñen|está|están|será|serán|pode|poden)\b", r"non \1"),
    "pt": (r"\b(é|são|foi|foram|era|eram|tem|têm|está|estão|será|serão|pode|podem)\b", r"não \1"),
    "it": (r"\b(è|sono|era|erano|ha|hanno|aveva|avevano|sarà|saranno|può|possono)\b", r"non \1"),
    "fr": (r"\b(est|sont|était|étaient|sera|seront|peut|peuvent|doit|doivent)\b", r"n'\1 pas"),
    "de": (r"\b(ist|sind|war|waren|wird|werden|kann|können|hat|haben)\b", r"\1 nicht"),
    "ro": (r"\b(este|sunt|era|erau|va|vor|poate|pot)\b", r"nu \1"),
    "ru": (
        r"\b(был|была|было|были|будет|будут|является|являются|может|могут)\b",
        rf"{CYRILLIC_NOT} \1",
    ),
    "uk": (r"\b(був|була|було|були|буде|будуть|є|може|можуть)\b", rf"{CYRILLIC_NOT} \1"),
    "eu": (r"\b(da|dira|zen|ziren|du|dute|zuen|zuten)\b", r"ez \1"),
    "oc": (r"\b(es|son|èra|èran|serà|seràn|pòt|pòdon)\b", r"\1 pas"),
}
SOURCE_NEGATION = (
    r"\bnot\b|n['\u2019]t\b|\bcannot\b|\bnever\b|\bno\b|\bnobody\b|\bnothing\b|\bnone\b|\bnor\b"
)
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
    """The last sentence of a paragraph of two or more dropped (a sentence has words: the
    segmenter may leave a closing quote alone)."""
    from newsrelay.text import sentences

    def said(paragraph: str) -> list[str]:
        return [s for s in sentences(paragraph, pair.language) if re.search(r"\w", s)]

    spots = [i for i, p in enumerate(pair.translation[1:], 1) if len(said(p)) >= 2]
    if not spots:
        return None
    index = rng.choice(spots)
    kept = said(pair.translation[index])[:-1]
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
    """The negation of a paragraph that negates once, removed (in French "ne" and "pas")."""
    parts = NEGATORS[pair.language]
    spots = [i for i, (s, t) in enumerate(zip(pair.source, pair.translation, strict=False))
             if re.search(r"\bnot\b|n['\u2019]t\b|\bcannot\b|\bnever\b", s)
             and all(len(re.findall(part, t, re.I)) == 1 for part in parts)]  # fmt: skip
    if not spots:
        return None
    index = rng.choice(spots)
    text = pair.translation[index]
    for part in parts:
        text = re.sub(part, " ", text, flags=re.I)
    return _swap(pair, index, re.sub(r"\s+", " ", text).strip(), "removed_negation")


def added_negation(pair: Pair, rng: random.Random) -> Pair | None:
    """A negator put before the first verb of the first paragraph after the headline that
    negates nothing, in the source or the translation."""
    verb, negated = FINITE[pair.language]
    plain = "|".join(NEGATORS[pair.language])
    for index, (source, target) in enumerate(zip(pair.source, pair.translation, strict=False)):
        if index == 0 or re.search(SOURCE_NEGATION, source, re.I) or re.search(plain, target, re.I):
            continue
        text, made = re.subn(verb, negated, target, count=1)
        if made:
            return _swap(pair, index, text, "added_negation")
    return None


def repeated_paragraph(pair: Pair, rng: random.Random) -> Pair | None:
    """A paragraph's text given twice (the engine repeating itself)."""
    spots = [i for i, p in enumerate(pair.translation[1:], 1) if len(p) > 60]
    if not spots:
        return None
    index = rng.choice(spots)
    text = pair.translation[index]
    return _swap(pair, index, f"{text} {text}", "repeated_paragraph")


# The Apertium pairs installed with newsrelay's tests: a name rendered word by word by the engine.
LITERAL_MODES = {"es": "eng-spa", "ca": "eng-cat"}


def literal_words(good: list[Pair]) -> dict[tuple[str, str], str]:
    """Each word of the persons' names of ``good`` that Apertium renders as another word when it
    reads it as a common word ("magic" as "magia"), by (language, word); one Apertium process
    a language. Languages without a pair, or without Apertium, have none."""
    found: dict[tuple[str, str], str] = {}
    for language, mode in LITERAL_MODES.items():
        names = {
            n
            for p in good
            if p.language == language
            for n in person_names(p.source[0] + "\n" + "\n".join(p.source[1:]), "en")
        }
        words = sorted({w for n in names for w in n.split() if w.isalpha()})
        if not words or not shutil.which("apertium"):
            continue
        run = subprocess.run(["apertium", "-u", mode], input="\n\n".join(w.lower() for w in words),
                             capture_output=True, text=True, check=True)  # fmt: skip
        rendered = run.stdout.strip().split("\n\n")  # a word a paragraph: read alone
        if len(rendered) != len(words):
            continue
        for word, literal in zip(words, rendered, strict=True):
            literal = literal.strip()
            if literal and literal != word.lower():
                found[(language, word)] = literal[0].upper() + literal[1:]
    return found


def name_word_by_word(
    pair: Pair, rng: random.Random, literal: dict[tuple[str, str], str]
) -> Pair | None:
    """A person's name whose words the engine took for common words, rendered as those words
    ("Magic Johnson" as "Magia Johnson", "Rose Hart" as "Rosa Ciervo")."""
    for index, source in enumerate(pair.source):
        for name in person_names(source, "en"):
            words = name.split()
            rendered = " ".join(literal.get((pair.language, w), w) for w in words)
            if (
                rendered != name
                and index < len(pair.translation)
                and name in pair.translation[index]
            ):
                text = pair.translation[index].replace(name, rendered)
                return _swap(pair, index, text, "name_word_by_word")
    return None


DEFECTS: list[Callable[[Pair, random.Random], Pair | None]] = [
    changed_number, replaced_name, dropped_name, dropped_sentence, untranslated,
    inserted_promo, removed_negation, repeated_paragraph, added_negation,
]  # fmt: skip


def bad_pairs(good: list[Pair], seed: int = 2026) -> Iterator[Pair]:
    """Each good pair with each defect that applies to it, one at a time. Each defect of each
    pair draws from its own generator, so that a change to one kind leaves the others' draws
    as they were."""
    literal = partial(name_word_by_word, literal=literal_words(good))
    defects: list[tuple[str, Callable[[Pair, random.Random], Pair | None]]] = [
        *((inject.__name__, inject) for inject in DEFECTS),
        ("name_word_by_word", literal),
    ]
    for pair in good:
        for name, inject in defects:
            rng = random.Random(f"{seed}:{pair.corpus}:{pair.document}:{pair.language}:{name}")
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
    # a negation added or lost holds an engine's translation only: caught when the same text
    # is one
    engine_caught: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Finding]] = field(default_factory=dict)

    def false_hold_rate(self, language: str) -> float:
        return self.held[language] / self.good[language] if self.good[language] else 0.0

    def recall(self, kind: str) -> float:
        return self.caught[kind] / self.defects[kind] if self.defects[kind] else 0.0


ENGINE_ONLY = frozenset({"added_negation", "removed_negation"})  # see RealScores.engine_caught


def verdict(
    pair: Pair, policy: Policy, *, machine: bool = False
) -> tuple[Decision, tuple[Finding, ...]]:
    """The checks' verdict on one pair (a person's translation, unless ``machine``)."""
    item = CheckInput(source=pair.source, translation=pair.translation, source_language="en",
                      target_language=pair.language, machine=machine)  # fmt: skip
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
        if pair.defect in ENGINE_ONLY:
            _, findings = verdict(pair, policy, machine=True)
            scores.engine_caught[pair.defect] += any(f.kind == "negation" for f in findings)
    return scores


__all__ = ["Pair", "RealScores", "available", "bad_pairs", "good_pairs", "score"]
