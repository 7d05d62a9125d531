"""Checks on a translation, and the policy that turns their findings into a decision.

Each check is a plugin: a function taking a :class:`CheckInput` and returning findings, registered
under the entry-point group ``newsrelay.checks`` (the built-in ones register the same way). The
policy (settings ``check.hold`` and ``check.reject``) maps finding kinds to hold or reject; a kind
in neither list is reported but does not stop publishing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from newsrelay.config import CheckSettings
from newsrelay.markup import html_paragraphs
from newsrelay.model import Article, Decision, Finding, Translation, Verdict
from newsrelay.rights import rights_findings

__all__ = [
    "CheckInput",
    "Policy",
    "available_checks",
    "check_texts",
    "check_translation",
    "decide",
]

log = logging.getLogger(__name__)
CHECK_GROUP = "newsrelay.checks"


@dataclass(frozen=True)
class CheckInput:
    """A source text and its translation, as paragraphs, with what the checks may use."""

    source: Sequence[str]
    translation: Sequence[str]
    source_language: str
    target_language: str
    source_html: str | None = None
    translation_html: str | None = None
    keep: Sequence[str] = ()  # names that must appear verbatim (settings, the source's own)
    forced: Mapping[str, str] = field(default_factory=dict)  # glossary term -> its translation
    # The translation engine: its lexicon() helps find names, its reverse pair lets the
    # meaning_drift check translate back.
    engine: Any = None
    # Whether a machine made the translation (newsrelay's engine): a name it rendered in words
    # that no dictionary justifies is then held ("Star Wars" as "Guerras de Estrella"); a
    # person's rendering of a place or an organisation is only reported.
    machine: bool = False
    # What the engine marked, by paragraph of the translation (0 the headline): "*word" it did
    # not know, "@word" a lemma without a translation, "#word" a form it could not generate.
    marks: Sequence[tuple[int, str]] = ()
    # The engine's own confidence in each sentence, where it gives one: (paragraph, 0 to 1);
    # a sentence below ``min_confidence`` is a low_confidence finding.
    scores: Sequence[tuple[int, float]] = ()
    min_confidence: float = 0.3
    # the share of the body's words left unknown above which the story is untranslated
    max_untranslated: float = 0.01


Check = Callable[[CheckInput], Iterable[Finding]]


@dataclass(frozen=True)
class Policy:
    """Which finding kinds hold a translation for a person, which reject it, and which checks
    do not run; the defaults are those of the settings ``check.*``."""

    hold: frozenset[str]
    reject: frozenset[str]
    disabled: frozenset[str] = frozenset()
    min_confidence: float = 0.3  # the engine's confidence below which a sentence is reported
    max_untranslated: float = 0.01  # the share of a body's words left unknown that holds it

    @classmethod
    def from_settings(cls, settings: CheckSettings | None = None) -> Policy:
        """The policy the settings describe."""
        settings = settings or CheckSettings()
        return cls(
            frozenset(settings.hold), frozenset(settings.reject), frozenset(settings.disabled),
            settings.min_confidence, settings.max_untranslated,
        )  # fmt: skip


@cache
def available_checks() -> dict[str, Check]:
    """The checks registered under ``newsrelay.checks``, by name."""
    return {ep.name: ep.load() for ep in entry_points(group=CHECK_GROUP)}


def check_texts(item: CheckInput, policy: Policy | None = None) -> Verdict:
    """Run every enabled check on ``item`` and decide what happens to it."""
    policy = policy or Policy.from_settings()
    findings: list[Finding] = []
    for name, check in sorted(available_checks().items()):
        if name in policy.disabled:
            continue
        findings.extend(check(item))
    return decide(findings, policy)


def decide(findings: Sequence[Finding], policy: Policy) -> Verdict:
    """The policy's decision for a set of findings."""
    kinds = {f.kind for f in findings}
    if kinds & policy.reject:
        decision = Decision.REJECT
    elif kinds & policy.hold:
        decision = Decision.HOLD
    else:
        decision = Decision.PUBLISH
    return Verdict(decision, tuple(findings))


def check_translation(
    article: Article,
    translation: Translation,
    *,
    policy: Policy | None = None,
    engine: Any = None,
    keep: Sequence[str] = (),
    forced: Mapping[str, str] | None = None,
    machine: bool = True,
    license: str = "",
    feed_rights: str | None = None,
) -> Verdict:
    """Check a translation of an article (headline and body); ``machine``: it is an engine's.
    With the source's configured ``license``, what the feed (``feed_rights``) and the page
    state about reuse is compared with it (a ``rights`` finding when they disagree)."""
    policy = policy or Policy.from_settings()
    item = CheckInput(
        source=[article.title, *article.paragraphs],
        translation=[translation.title, *html_paragraphs(translation.body_html)],
        source_language=translation.source_language,
        target_language=translation.language,
        source_html=article.body_html,
        translation_html=translation.body_html,
        keep=keep,
        forced=forced or {},
        engine=engine,
        machine=machine,
        marks=translation.marks,
        scores=translation.scores,
        min_confidence=policy.min_confidence,
        max_untranslated=policy.max_untranslated,
    )
    verdict = check_texts(item, policy)
    if not license or "rights" in policy.disabled:
        return verdict
    rights = rights_findings(license, {"feed": feed_rights, "page": article.meta.rights})
    return decide([*verdict.findings, *rights], policy) if rights else verdict
