"""Text normalisation and word shingles, the common ground of every similarity measure.

Two copies of a wire story differ in typography (curly or straight quotes, dashes, ligatures,
non-breaking or zero-width spaces, full-width digits, case) far more often than in words, so
``normalise`` maps all of that away before anything is compared: NFKC, removal of invisible format
characters, casefolding, then the runs of letters and digits are the words. Punctuation, quotes and
dashes separate words and are dropped; digits are kept, and thousands separators between digits are
removed so that "1,200", "1.200" and "1 200" are one number.

Shingles are the hashes of every run of ``SHINGLE_SIZE`` consecutive words. Five words is long
enough that two different reports of the same event (which share names, places and topic words)
rarely share one, and short enough that an edited sentence only spoils the few shingles around the
edit. Word hashes use CRC-32 and shingle hashes a fixed mixer, so they are the same in every process
and every run: signatures stored today still compare with signatures computed next year.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
import zlib

import numpy as np
from numpy.typing import NDArray

__all__ = ["SHINGLE_SIZE", "exact_hash", "mix64", "normalise", "shingle_hashes", "shingle_set"]

log = logging.getLogger(__name__)

SHINGLE_SIZE = 5

# Soft hyphen, zero-width spaces and joiners, word joiner, BOM: they split words invisibly.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
# A thousands separator between digit groups: "1,200", "1.200", "1 200", "1'200".
_DIGIT_GROUP = re.compile(r"(?<=\d)[,.'\u2019\s](?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+")

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_HIGH = np.uint64(32)


def normalise(text: str) -> list[str]:
    """Return the words of ``text``: NFKC, casefolded, without punctuation, quotes or dashes."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _WORD.findall(_DIGIT_GROUP.sub("", text).casefold())


def exact_hash(words: list[str]) -> int:
    """Return a 64-bit hash of the normalised words, equal exactly when the words are equal."""
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def mix64(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Scramble 64-bit values (the SplitMix64 finaliser), wrapping around as unsigned integers."""
    values = values ^ (values >> _SHIFTS[0])
    values = values * _MIX_1
    values = values ^ (values >> _SHIFTS[1])
    values = values * _MIX_2
    return values ^ (values >> _SHIFTS[2])


def shingle_hashes(words: list[str], size: int = SHINGLE_SIZE) -> NDArray[np.uint64]:
    """Return the sorted, distinct 32-bit hashes of the word ``size``-grams of ``words``.

    A text shorter than ``size`` words is one shingle; an empty text has none.
    """
    if not words:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint64, len(words))
    width = min(size, len(codes))
    count = len(codes) - width + 1
    combined = codes[:count].copy()
    for offset in range(1, width):
        combined = combined * _MULTIPLIER + codes[offset : offset + count]
    return np.unique(mix64(combined) >> _HIGH)


def shingle_set(text: str, size: int = SHINGLE_SIZE) -> set[int]:
    """Return the shingle hashes of ``text`` as a Python set, for exact set comparisons."""
    return set(shingle_hashes(normalise(text), size).tolist())
