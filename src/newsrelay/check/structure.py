"""Checks of shape: nothing empty, nothing dropped or added, no degenerate output, markup intact."""

from __future__ import annotations

import re
import statistics
from collections import Counter

import lxml.html

from newsrelay.check import CheckInput
from newsrelay.model import Finding
from newsrelay.text import sentence_count, sentences, words

LENGTH_FACTOR = 2.0  # a paragraph this many times longer or shorter than the article's norm
MIN_LENGTH = 40  # characters: shorter paragraphs vary too much to judge by length
OMISSION_SHARE = 0.85  # a paragraph that lost a sentence is shorter than this share of its norm
ADDITION_SHARE = 1.15  # a paragraph that gained a sentence is longer than this share of its norm
REPEATS = 3  # a word trigram this often in one paragraph, close together, is degenerate
NEAR = 12  # words: repeats of a trigram this close are a loop, farther apart they are style


def check_empty(item: CheckInput) -> list[Finding]:
    """The translation has a headline and a body."""
    if (
        item.translation
        and item.translation[0].strip()
        and any(p.strip() for p in item.translation[1:])
    ):
        return []
    return [Finding("empty", "error", "the translation has no headline or no body")]


def check_paragraphs(item: CheckInput) -> list[Finding]:
    """Paragraph counts match; no paragraph lost a sentence or is far longer or shorter than
    the article's norm."""
    if len(item.source) != len(item.translation):
        return [
            Finding(
                "paragraph_count",
                "warning",
                f"{len(item.source)} paragraphs in the source, "
                f"{len(item.translation)} in the translation",
            )
        ]
    return [*_sentence_counts(item), *_length_outliers(item)]


def _sentence_counts(item: CheckInput) -> list[Finding]:
    """Paragraphs with fewer sentences than their source and shorter than the norm says (a
    segmenter can merge two sentences; a dropped sentence also shortens the paragraph), or
    with more and longer than it says."""
    norm = _length_norm(item)
    findings = []
    for index, (source, target) in enumerate(zip(item.source, item.translation, strict=True)):
        have = sentence_count(target, item.target_language)
        want = sentence_count(source, item.source_language)
        short = len(target) < OMISSION_SHARE * norm * len(source)
        # an added sentence makes the paragraph longer too; a segmenter that cuts at "z.B." or
        # "cu.ft." only makes more of the same text
        long = len(target) > ADDITION_SHARE * norm * len(source)
        if have < want and short:
            findings.append(
                Finding(
                    "omission",
                    "warning",
                    f"{want} sentences in the source, {have} here",
                    paragraph=index,
                    source=source,
                    translation=target,
                )
            )
        elif have > want + (1 if item.machine else 3) and long:  # a translator may split one
            findings.append(
                Finding(
                    "addition",
                    "warning",
                    f"{want} sentences in the source, {have} here",
                    paragraph=index,
                    source=source,
                    translation=target,
                )
            )
    return findings


def _length_norm(item: CheckInput) -> float:
    """The article's median ratio of translated to source paragraph length (1 when unknown)."""
    ratios = [len(t) / len(s) for s, t in zip(item.source, item.translation, strict=True)
              if len(s) >= MIN_LENGTH]  # fmt: skip
    return statistics.median(ratios) if ratios else 1.0


def _length_outliers(item: CheckInput) -> list[Finding]:
    pairs = [
        (i, s, t)
        for i, (s, t) in enumerate(zip(item.source, item.translation, strict=True))
        if len(s) >= MIN_LENGTH
    ]
    norm = _length_norm(item)
    if len(pairs) < 3 or norm == 0:
        return []  # an empty translation is the empty check's finding
    findings = []
    for index, source, target in pairs:
        ratio = len(target) / len(source) / norm
        if ratio > LENGTH_FACTOR or ratio < 1 / LENGTH_FACTOR:
            findings.append(
                Finding(
                    "length",
                    "warning",
                    f"{len(target)} characters for {len(source)} in the source, "
                    "far from this article's norm",
                    paragraph=index,
                    source=source,
                    translation=target,
                )
            )
    return findings


def check_repetition(item: CheckInput) -> list[Finding]:
    """No word sequence or sentence repeats in the translation more than in the source."""
    source_trigrams = Counter(_trigrams(" ".join(item.source)))
    findings = []
    for index, paragraph in enumerate(item.translation):
        grams = _trigrams(paragraph)
        counts = Counter(grams)
        repeated = [g for g, n in counts.items()
                    if n >= REPEATS and source_trigrams[g] < n and _close(grams, g)]  # fmt: skip
        doubled = _repeated_sentences(paragraph, item.target_language)
        if repeated or doubled:
            quote = doubled[0] if doubled else " ".join(repeated[0])
            findings.append(
                Finding(
                    "repetition",
                    "warning",
                    f"repeated output: {quote!r}",
                    paragraph=index,
                    translation=quote,
                )
            )
    return findings


def _close(grams: list[tuple[str, ...]], gram: tuple[str, ...]) -> bool:
    """Whether ``REPEATS`` of the occurrences of ``gram`` come within ``NEAR`` words of each
    other ("de de de de", a phrase looping), not spread over a paragraph ("en el condado")."""
    at = [i for i, g in enumerate(grams) if g == gram]
    return any(at[i + REPEATS - 1] - at[i] <= NEAR for i in range(len(at) - REPEATS + 1))


def _trigrams(text: str) -> list[tuple[str, ...]]:
    tokens = words(text)
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def _repeated_sentences(paragraph: str, language: str) -> list[str]:
    counts = Counter(s.casefold() for s in sentences(paragraph, language) if len(s) > 10)
    return [s for s, n in counts.items() if n > 1]


def check_markup(item: CheckInput) -> list[Finding]:
    """Links and emphasis of the source survive, those a reader sees: a link or an emphasis
    with words in it (an empty anchor, an icon's, is nothing to lose). A link target lost or
    changed holds the story (a reader is sent elsewhere, or not to the source's reference);
    emphasis the engine dropped is only reported (the words are all there), and one it split
    in two around words it reordered is none."""
    if not item.source_html or not item.translation_html:
        return []
    (source_tags, source_links), (tags, links) = (
        _markup(item.source_html), _markup(item.translation_html))  # fmt: skip
    if source_links != links:
        lost = sorted(set(source_links) - set(links)) or links
        return [Finding("markup", "warning", "links differ: " + ", ".join(lost[:3]))]
    if any(tags.get(tag, 0) < count for tag, count in source_tags.items()):
        return [Finding("emphasis", "info",
                        f"emphasis lost: source {source_tags}, translation {tags}")]  # fmt: skip
    return []


def _markup(html: str) -> tuple[dict[str, int], list[str]]:
    """The inline tags of a body that hold words, counted (b as strong, i as em), and the
    targets of its links that hold words."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    worded = [e for e in tree.iter("em", "i", "strong", "b") if e.text_content().strip()]
    tags = Counter(re.sub(r"^(b|strong)$", "strong", re.sub(r"^(i|em)$", "em", e.tag))
                   for e in worded)  # fmt: skip
    links = sorted(a.get("href", "") for a in tree.iter("a") if a.text_content().strip())
    return dict(sorted(tags.items())), links
