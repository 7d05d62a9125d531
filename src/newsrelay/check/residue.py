"""Residue: the source site's calls to action, promos and teasers carried into the translation."""

from __future__ import annotations

from collections.abc import Sequence

from newsrelay.check import CheckInput
from newsrelay.extract.rules import call_to_action, teaser_heading, teaser_part
from newsrelay.model import Finding

TEASER_RUN = 3


def check_residue(item: CheckInput) -> list[Finding]:
    """No call to action, promo line or teaser block in the translation."""
    return residue_findings(item.translation)


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
