"""Residue: the source site's calls to action, promos and teasers carried into the translation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsrelay.check import CheckInput
from newsrelay.extract.rules import call_to_action, teaser_heading, teaser_part
from newsrelay.model import Finding
from newsrelay.text import sentences

TEASER_RUN = 3


def check_residue(item: CheckInput) -> list[Finding]:
    """No call to action, promo line or teaser block in the translation, as a paragraph of its
    own or as the last sentence of one (a template's line run into the story's paragraph)."""
    findings = residue_findings(item.translation)
    flagged = {f.paragraph for f in findings}
    for index, paragraph in enumerate(item.translation):
        if index in flagged:
            continue
        for last in _last_sentences(paragraph, item.target_language):
            if language := call_to_action(last):
                message = f"call to action ({language}) at the end of a paragraph: {last}"
                findings.append(Finding("residue", "warning", message, paragraph=index,
                                        translation=last))  # fmt: skip
                break
    return findings


STOP = re.compile(r"(?<=[.!?\u2026])[\s\"'\u00bb\u201d\u2019]*\s(?=\S)")


def _last_sentences(paragraph: str, language: str) -> list[str]:
    """The paragraph's last sentence, by the segmenter and by its last full stop (a quote left
    open, as in a quote that runs over paragraphs, keeps the segmenter from ending a sentence
    there); none for a paragraph of one sentence."""
    parts = sentences(paragraph, language)
    tail = STOP.split(paragraph)
    return [p[-1] for p in (parts, tail) if len(p) > 1]


def residue_findings(paragraphs: Sequence[str]) -> list[Finding]:
    """Findings for each paragraph of a text that is a call to action or part of a teaser."""
    findings = []
    teaser_left, previous = 0, None
    for index, paragraph in enumerate(paragraphs):
        text = " ".join(paragraph.split())
        rule = teaser_part(text, False, previous) if teaser_left else None
        if rule:
            teaser_left -= 1
        elif language := teaser_heading(text):
            rule, teaser_left = f"teaser_heading:{language}", TEASER_RUN
        elif language := call_to_action(text):
            rule, teaser_left = f"call_to_action:{language}", 0
        else:
            teaser_left = 0
        if rule:
            kind = rule.split(":")[0].replace("_", " ")
            findings.append(
                Finding("residue", "warning", f"{kind}: {text}", paragraph=index, translation=text)
            )
        previous = rule
    return findings
