"""MinHash signatures of article texts, and their byte form for the store.

A signature holds, for each of ``num_perm`` hash functions, the smallest hash over the text's word
shingles; the share of positions where two signatures agree estimates the Jaccard similarity of
the two shingle sets (standard error about ``sqrt(J(1-J)/num_perm)``, 0.04 at J=0.3 with 128).
It also keeps the number of distinct shingles, which turns an estimated Jaccard into an estimated
overlap and containment, and a 64-bit hash of the normalised text for exact duplicates.

The hash functions are multiply-add-shift hashes ``(a*x + b) mod 2**64 >> 32`` of the 32-bit
shingle hash ``x``, with ``a`` and ``b`` derived from BLAKE2b of fixed labels: they never depend on
a random generator's stream or on the process, so stored signatures stay comparable forever.

Byte layout (little-endian), 20 bytes of header then the minimums, 532 bytes with 128 permutations::

    magic "NM" | version u8 | shingle size u8 | num_perm u16 | reserved u16 |
    shingles u32 | exact hash u64 | num_perm x u32 minimums
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct

import numpy as np
from numpy.typing import NDArray

from newsrelay.dedupe.text import SHINGLE_SIZE, exact_hash, normalise, shingle_hashes
from newsrelay.errors import SignatureError

__all__ = [
    "EMPTY_MINIMUM",
    "MAGIC",
    "NUM_PERM",
    "RECORD_HEADER",
    "VERSION",
    "Signature",
    "SignatureError",
    "minhash",
    "record_dtype",
]

log = logging.getLogger(__name__)

NUM_PERM = 128
MAGIC = b"NM"
VERSION = 1
RECORD_HEADER = struct.Struct("<2sBBHHIQ")
EMPTY_MINIMUM = 0xFFFFFFFF
_HIGH = np.uint64(32)


@functools.cache
def _permutations(num_perm: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Return the ``a`` (odd) and ``b`` coefficients of the first ``num_perm`` hash functions."""
    a = [_label_hash(f"newsrelay-minhash-a-{i}") | 1 for i in range(num_perm)]
    b = [_label_hash(f"newsrelay-minhash-b-{i}") for i in range(num_perm)]
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


def _label_hash(label: str) -> int:
    return int.from_bytes(hashlib.blake2b(label.encode(), digest_size=8).digest(), "little")


def minhash(shingles: NDArray[np.uint64], num_perm: int = NUM_PERM) -> NDArray[np.uint32]:
    """Return the MinHash minimums of 32-bit shingle hashes (all ``EMPTY_MINIMUM`` if none)."""
    if shingles.size == 0:
        return np.full(num_perm, EMPTY_MINIMUM, dtype=np.uint32)
    a, b = _permutations(num_perm)
    hashed: NDArray[np.uint64] = np.multiply.outer(shingles, a)
    hashed += b
    hashed >>= _HIGH
    minimums: NDArray[np.uint64] = hashed.min(axis=0)
    return minimums.astype(np.uint32)


@functools.cache
def record_dtype(num_perm: int = NUM_PERM) -> np.dtype[np.void]:
    """Return the numpy record type of one stored signature, to parse many at once."""
    return np.dtype(
        [
            ("magic", "S2"),
            ("version", "u1"),
            ("shingle_size", "u1"),
            ("num_perm", "<u2"),
            ("reserved", "<u2"),
            ("shingles", "<u4"),
            ("exact", "<u8"),
            ("minimums", "<u4", (num_perm,)),
        ]
    )


class Signature:
    """The MinHash signature, shingle count and exact hash of one article's text."""

    __slots__ = ("exact", "minimums", "shingles")

    def __init__(self, minimums: NDArray[np.uint32], shingles: int, exact: int) -> None:
        self.minimums = minimums
        self.shingles = shingles
        self.exact = exact

    @classmethod
    def of_text(cls, text: str, num_perm: int = NUM_PERM) -> Signature:
        """Compute the signature of an article's extracted text."""
        words = normalise(text)
        shingles = shingle_hashes(words)
        return cls(minhash(shingles, num_perm), int(shingles.size), exact_hash(words))

    @property
    def num_perm(self) -> int:
        """Number of hash functions (permutations) in the signature."""
        return int(self.minimums.size)

    @property
    def empty(self) -> bool:
        """Whether the text had no words at all (such a text matches nothing)."""
        return self.shingles == 0

    def jaccard(self, other: Signature) -> float:
        """Estimate the Jaccard similarity of the two texts' shingle sets."""
        if self.num_perm != other.num_perm:
            raise SignatureError(
                f"cannot compare signatures of {self.num_perm} and {other.num_perm} permutations"
            )
        if self.empty or other.empty:
            return 0.0
        return float(np.count_nonzero(self.minimums == other.minimums)) / self.num_perm

    def to_bytes(self) -> bytes:
        """Return the signature's stored form (532 bytes with 128 permutations)."""
        header = RECORD_HEADER.pack(
            MAGIC, VERSION, SHINGLE_SIZE, self.num_perm, 0, self.shingles, self.exact
        )
        return header + self.minimums.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Read a signature written by :meth:`to_bytes`; raise SignatureError if it is not one."""
        if len(data) < RECORD_HEADER.size:
            raise SignatureError(f"a signature needs at least 20 bytes, got {len(data)}")
        magic, version, size, num_perm, _, shingles, exact = RECORD_HEADER.unpack_from(data)
        _check_header(magic, version, size)
        if len(data) != RECORD_HEADER.size + 4 * num_perm:
            raise SignatureError(
                f"a signature of {num_perm} permutations has {RECORD_HEADER.size + 4 * num_perm} "
                f"bytes, got {len(data)}"
            )
        minimums = np.frombuffer(data, dtype="<u4", offset=RECORD_HEADER.size).astype(np.uint32)
        return cls(minimums, int(shingles), int(exact))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def __repr__(self) -> str:
        return (
            f"Signature(shingles={self.shingles}, num_perm={self.num_perm}, exact={self.exact:#x})"
        )


def _check_header(magic: bytes, version: int, shingle_size: int) -> None:
    if magic != MAGIC:
        raise SignatureError(f"not a newsrelay signature: starts with {magic!r}, not {MAGIC!r}")
    if version != VERSION:
        raise SignatureError(f"signature format version {version} is not {VERSION}")
    if shingle_size != SHINGLE_SIZE:
        raise SignatureError(
            f"signature of {shingle_size}-word shingles; this version uses {SHINGLE_SIZE}"
        )
