"""Compare two article texts and explain whether newsrelay treats them as one story.

This is what ``newsrelay dedupe explain A B`` prints: the exact shingle overlap that the rule
uses, the MinHash estimate that the index sees, which paragraphs of one text reappear in the other,
and the decision with its reasons in plain words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from newsrelay.dedupe.rule import (
    MIN_CONTAINMENT,
    MIN_JACCARD,
    MIN_SHARED,
    Overlap,
    Relation,
    estimate_overlap,
    exact_overlap,
    is_same_story,
)
from newsrelay.dedupe.signature import Signature
from newsrelay.dedupe.text import SHINGLE_SIZE, shingle_set

__all__ = ["Comparison", "compare", "paragraphs"]

log = logging.getLogger(__name__)

# A paragraph "reappears" in the other text when most of its shingles are there.
PARAGRAPH_SHARE = 0.5
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Comparison:
    """The similarity of two texts, the decision and its reasons."""

    same_story: bool
    relation: Relation
    identical: bool
    shingles_a: int
    shingles_b: int
    shared: int
    jaccard: float
    containment: float
    minhash_jaccard: float
    minhash_containment: float
    paragraphs_a: int
    paragraphs_b: int
    paragraphs_a_in_b: int
    paragraphs_b_in_a: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the comparison as JSON-ready data, with the thresholds used."""
        data = asdict(self)
        data["relation"] = self.relation.value
        data["reasons"] = list(self.reasons)
        data["thresholds"] = {
            "shingle_size": SHINGLE_SIZE,
            "min_containment": MIN_CONTAINMENT,
            "min_jaccard": MIN_JACCARD,
            "min_shared": MIN_SHARED,
        }
        return data


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines, or at line breaks if it has no blank lines."""
    parts = _PARAGRAPH_BREAK.split(text) if _PARAGRAPH_BREAK.search(text) else text.splitlines()
    return [p.strip() for p in parts if p.strip()]


def compare(text_a: str, text_b: str, *, same_key: bool = False) -> Comparison:
    """Compare two texts; ``same_key`` says they come from the same URL or feed GUID."""
    set_a, set_b = shingle_set(text_a), shingle_set(text_b)
    sig_a, sig_b = Signature.of_text(text_a), Signature.of_text(text_b)
    overlap = exact_overlap(set_a, set_b)
    estimate = estimate_overlap(
        sig_a.jaccard(sig_b), sig_a.shingles, sig_b.shingles, sig_a.num_perm
    )
    identical = sig_a.exact == sig_b.exact and not sig_a.empty
    same = identical or is_same_story(overlap)
    relation = Relation.UPDATE if same_key else Relation.DUPLICATE if same else Relation.DISTINCT
    pars_a, pars_b = paragraphs(text_a), paragraphs(text_b)
    a_in_b, b_in_a = _paragraphs_within(pars_a, set_b), _paragraphs_within(pars_b, set_a)
    reasons = _reasons(overlap, estimate, identical, same_key)
    reasons.append(_paragraph_reason(len(pars_a), a_in_b, len(pars_b), b_in_a))
    return Comparison(
        same_story=same or same_key,
        relation=relation,
        identical=identical,
        shingles_a=overlap.size_a,
        shingles_b=overlap.size_b,
        shared=int(overlap.shared),
        jaccard=round(overlap.jaccard, 4),
        containment=round(overlap.containment, 4),
        minhash_jaccard=round(estimate.jaccard, 4),
        minhash_containment=round(estimate.containment, 4),
        paragraphs_a=len(pars_a),
        paragraphs_b=len(pars_b),
        paragraphs_a_in_b=a_in_b,
        paragraphs_b_in_a=b_in_a,
        reasons=tuple(reasons),
    )


def _paragraphs_within(pars: list[str], other: set[int]) -> int:
    """Count the paragraphs most of whose shingles are in ``other``."""
    count = 0
    for paragraph in pars:
        own = shingle_set(paragraph)
        if own and len(own & other) >= PARAGRAPH_SHARE * len(own):
            count += 1
    return count


def _reasons(overlap: Overlap, estimate: Overlap, identical: bool, same_key: bool) -> list[str]:
    reasons = []
    if same_key:
        reasons.append("same URL or feed GUID: a revision of the same article (an update)")
    if identical:
        reasons.append("identical text after normalisation (case, punctuation, typography)")
    reasons.append(_containment_reason(overlap))
    reasons.append(_jaccard_reason(overlap))
    reasons.append(
        f"the index's MinHash estimates: containment {estimate.containment:.3f}, "
        f"Jaccard {estimate.jaccard:.3f}"
    )
    return reasons


def _containment_reason(overlap: Overlap) -> str:
    smaller = min(overlap.size_a, overlap.size_b)
    if smaller == 0:
        return "one text has no words: an empty text is never a duplicate"
    share = (
        f"{int(overlap.shared)} of the shorter text's {smaller} {SHINGLE_SIZE}-word shingles "
        f"reappear in the other (containment {overlap.containment:.3f})"
    )
    if overlap.containment < MIN_CONTAINMENT:
        return (
            f"{share}, below {MIN_CONTAINMENT}: common names, places or phrases but not the "
            "same sentences"
        )
    if overlap.shared < MIN_SHARED:
        return f"{share}, but fewer than {MIN_SHARED}: too little text to call it one story"
    return f"{share}, at least {MIN_CONTAINMENT}: the same sentences"


def _jaccard_reason(overlap: Overlap) -> str:
    jaccard = f"shingle Jaccard (shared / all distinct) {overlap.jaccard:.3f}"
    if overlap.jaccard >= MIN_JACCARD:
        return f"{jaccard}, at least {MIN_JACCARD}: the shared text is a real part of both"
    return (
        f"{jaccard}, below {MIN_JACCARD}: the shared text is a small part of the longer text, "
        "as with stock phrases or boilerplate"
    )


def _paragraph_reason(count_a: int, a_in_b: int, count_b: int, b_in_a: int) -> str:
    return (
        f"{a_in_b} of {count_a} paragraphs of A reappear in B; "
        f"{b_in_a} of {count_b} paragraphs of B reappear in A"
    )
