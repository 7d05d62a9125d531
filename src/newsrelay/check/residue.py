"""Residue: the source site's calls to action, promos and teasers carried into the translation."""

from __future__ import annotations

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
        parts = sentences(paragraph, item.target_language) if index not in flagged else []
        language = call_to_action(parts[-1]) if len(parts) > 1 else None
        if language:
            message = f"call to action ({language}) at the end of a paragraph: {parts[-1]}"
            findings.append(Finding("residue", "warning", message, paragraph=index,
                                    translation=parts[-1]))  # fmt: skip
    return findings


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
