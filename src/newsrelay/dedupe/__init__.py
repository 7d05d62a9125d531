"""Near-duplicate detection: the same wire story from several outlets becomes one story.

An article's text is normalised (:func:`normalise`), cut into 5-word shingles and summarised in a
:class:`Signature` (128 MinHash minimums, the shingle count and an exact hash: 532 bytes to store).
A :class:`DedupeIndex` of the recent signatures finds the article a new one repeats
(:meth:`DedupeIndex.match`); :func:`compare` explains the decision for two texts. The rule and its
thresholds are documented in :mod:`newsrelay.dedupe.rule`.

Typical use in the dedupe stage (``rows`` are the stored (key, signature bytes, time) of the
last ``window``; ``load_text`` reads a stored article's text by key)::

    index = DedupeIndex.from_rows(rows, window=timedelta(days=3), texts=load_text)
    signature = Signature.of_text(text)
    found = index.match(signature, when=published, key=entry_key, text=text)
    # None: a new story; found.relation: DUPLICATE of found.key, or UPDATE of the same entry
    index.add(entry_key, signature, published)  # and store signature.to_bytes() with the article
"""

from newsrelay.dedupe.compare import Comparison, compare
from newsrelay.dedupe.index import DEFAULT_WINDOW, DedupeIndex, Match, StoredRow
from newsrelay.dedupe.rule import MIN_CONTAINMENT, MIN_JACCARD, MIN_SHARED, Relation
from newsrelay.dedupe.signature import NUM_PERM, Signature, SignatureError
from newsrelay.dedupe.text import SHINGLE_SIZE, exact_hash, normalise
from newsrelay.markup import story_text

__all__ = [
    "DEFAULT_WINDOW",
    "MIN_CONTAINMENT",
    "MIN_JACCARD",
    "MIN_SHARED",
    "NUM_PERM",
    "SHINGLE_SIZE",
    "Comparison",
    "DedupeIndex",
    "Match",
    "Relation",
    "Signature",
    "SignatureError",
    "StoredRow",
    "compare",
    "exact_hash",
    "normalise",
    "story_text",
]
