"""Checks on a translation, and the policy that turns findings into a decision.

The spine runs structural checks that need no language knowledge; richer checks (numbers, names,
residue, back-translation) plug in beside them.
"""

from __future__ import annotations

from newsrelay.extract import html_paragraphs
from newsrelay.model import Article, Decision, Finding, Translation, Verdict

__all__ = ["check_translation"]

# What each severity leads to.
POLICY = {"error": Decision.REJECT, "warning": Decision.HOLD}


def check_translation(article: Article, translation: Translation) -> Verdict:
    """Run every check on ``translation`` of ``article`` and decide what happens to it."""
    findings = [*_check_empty(translation), *_check_blocks(article, translation)]
    decisions = {POLICY[f.severity] for f in findings if f.severity in POLICY}
    for decision in (Decision.REJECT, Decision.HOLD):
        if decision in decisions:
            return Verdict(decision, tuple(findings))
    return Verdict(Decision.PUBLISH, tuple(findings))


def _check_empty(translation: Translation) -> list[Finding]:
    if translation.title.strip() and html_paragraphs(translation.body_html):
        return []
    return [Finding("empty", "error", "the translation has no headline or no body")]


def _check_blocks(article: Article, translation: Translation) -> list[Finding]:
    source, target = len(article.paragraphs), len(html_paragraphs(translation.body_html))
    if source == target:
        return []
    return [
        Finding(
            "paragraph_count",
            "warning",
            f"{source} paragraphs in the source, {target} in the translation",
        )
    ]
