"""An in-memory locality-sensitive hashing index of recent articles' MinHash signatures.

The store keeps each article's signature bytes and time; every process rebuilds this index from the
rows of the last ``window`` (:meth:`DedupeIndex.from_rows`, about a second for 100,000 rows), then
adds what it processes. Nothing here touches the store.

Banding: the 128 minimums are cut into 64 bands of 2. Two articles become candidates when any band
is equal, which happens with probability ``1 - (1 - J**2)**64``: 0.88 at a Jaccard of 0.18, 0.98
at 0.25, above 0.999 from 0.35. Copies of one wire story whose leads and tails were both edited
have Jaccard around 0.15 to 0.25 yet high containment, so the bands must be this narrow; the
different-story candidates that narrow bands let through are cheap to reject on their estimates.

Memory per article: the minimums kept as their low 16 bits (256 bytes; two different shingles'
minimums agree by chance once in 65,536 positions, a negligible bias), 64 band keys of 32 bits with
a 32-bit row number (512 bytes) and a few numbers, about 800 bytes, plus the key string.
Band keys live in one sorted array, searched for all 64 bands of a query at once; articles added
since the last sort sit in a small dictionary that is merged into the array every few thousand.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from newsrelay.dedupe.rule import (
    Estimates,
    Overlap,
    Relation,
    estimate_many,
    exact_overlap,
    is_same_story,
    overlap_at,
    passing,
)
from newsrelay.dedupe.signature import (
    MAGIC,
    NUM_PERM,
    RECORD_HEADER,
    VERSION,
    Signature,
    SignatureError,
    record_dtype,
)
from newsrelay.dedupe.text import SHINGLE_SIZE, mix64, shingle_set

__all__ = ["BAND_WIDTH", "DEFAULT_WINDOW", "DedupeIndex", "Match", "StoredRow", "band_keys"]

log = logging.getLogger(__name__)

BAND_WIDTH = 2  # minimums per band: 128 permutations make 64 bands
DEFAULT_WINDOW = timedelta(days=3)
MERGE_ROWS = 2048  # articles kept in the dictionary before they are merged into the sorted array
CHUNK_ROWS = 2048  # rows converted at a time when (re)building, to bound temporary memory

StoredRow = tuple[str, bytes, datetime]
TextLoader = Callable[[str], str | None]

_HIGH = np.uint64(32)
_LOW_32 = np.uint64(0xFFFFFFFF)
_Scalar = TypeVar("_Scalar", bound=np.generic)


@dataclass(frozen=True)
class Match:
    """The known article a new one is the same story as, and how sure the index is."""

    key: str
    relation: Relation
    jaccard: float  # estimated from the signatures
    containment: float  # estimated, or exact when ``verified``
    verified: bool  # confirmed on the two texts because the estimate was too close to call
    when: datetime

    @property
    def reason(self) -> str:
        """The stable reason code to store with the outcome: ``duplicate`` or ``update``."""
        return self.relation.value


def _epoch(when: datetime) -> float:
    """Seconds since the epoch; a naive datetime is taken as UTC."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def band_keys(minimums: NDArray[np.uint16], bands: int) -> NDArray[np.uint32]:
    """Return the 32-bit key of each band of each row of 16-bit minimums, shape (rows, bands)."""
    count = minimums.shape[0]
    width = BAND_WIDTH
    values = minimums[:, : bands * width].reshape(count, bands, width).astype(np.uint64)
    combined = np.broadcast_to(np.arange(bands, dtype=np.uint64), (count, bands)).copy()
    for column in range(width):
        combined = (combined << np.uint64(16)) | values[:, :, column]
    return (mix64(combined) >> _HIGH).astype(np.uint32)


class DedupeIndex:
    """Recent articles' signatures, to find the one a new article is the same story as.

    ``window``: only articles at most this much older than the new one can match it.
    ``texts``: optional; returns the stored text of a key, so that a match whose estimate is too
    close to the threshold is confirmed on the texts (exactly as :func:`compare` decides) before
    two stories are merged on chance.
    ``num_perm``: the signatures' size; :meth:`from_rows` takes it from the stored rows.
    An index is not thread-safe: match and add one article at a time.
    """

    def __init__(
        self,
        *,
        window: timedelta = DEFAULT_WINDOW,
        num_perm: int = NUM_PERM,
        texts: TextLoader | None = None,
    ) -> None:
        self.window, self.num_perm, self.texts = window, num_perm, texts
        self.bands = num_perm // BAND_WIDTH
        self._minimums = np.empty((0, num_perm), dtype=np.uint16)
        self._sizes = np.empty(0, dtype=np.uint32)
        self._exact = np.empty(0, dtype=np.uint64)
        self._when = np.empty(0, dtype=np.float64)
        self._alive = np.empty(0, dtype=np.bool_)
        self._keys: list[str] = []
        self._row_of: dict[str, int] = {}
        self._count = 0
        self._table_keys = np.empty(0, dtype=np.uint32)
        self._table_rows = np.empty(0, dtype=np.uint32)
        self._sorted_rows = 0  # rows [0, _sorted_rows) are in the sorted table
        self._pending: dict[int, list[int]] = {}
        self._last_query: tuple[Signature, list[int]] | None = None  # band keys, reused by add

    # ---- building ------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[StoredRow],
        *,
        window: timedelta = DEFAULT_WINDOW,
        now: datetime | None = None,
        texts: TextLoader | None = None,
    ) -> DedupeIndex:
        """Rebuild the index from stored (key, signature bytes, time) rows within ``window``.

        A later row for the same key replaces an earlier one; rows older than ``now - window``
        are skipped. Raises SignatureError naming the key of a row that is not a signature.
        """
        started = time.perf_counter()
        oldest = _epoch(now or datetime.now(UTC)) - window.total_seconds()
        latest: dict[str, tuple[bytes, float]] = {}
        for key, blob, when in rows:
            stamp = _epoch(when)
            if stamp >= oldest:
                latest.pop(key, None)  # keep insertion order = order of the last occurrence
                latest[key] = (blob, stamp)
        num_perm = _common_num_perm(latest)
        index = cls(window=window, num_perm=num_perm, texts=texts)
        index._load(list(latest), [b for b, _ in latest.values()], [w for _, w in latest.values()])
        log.info(
            "dedupe index rebuilt from %d stored signatures in %.2f s",
            len(index),
            time.perf_counter() - started,
        )
        return index

    def _load(self, keys: list[str], blobs: list[bytes], stamps: list[float]) -> None:
        count = len(keys)
        self._grow(count)
        dtype = record_dtype(self.num_perm)
        for start in range(0, count, CHUNK_ROWS):  # in chunks, to keep the peak memory low
            end = min(start + CHUNK_ROWS, count)
            records = np.frombuffer(b"".join(blobs[start:end]), dtype=dtype)
            _check_records(records, keys[start:end])
            self._minimums[start:end] = records["minimums"]  # keeps the low 16 bits
            self._sizes[start:end] = records["shingles"]
            self._exact[start:end] = records["exact"]
        self._when[:count] = stamps
        self._alive[:count] = True
        self._keys = keys
        self._row_of = {key: row for row, key in enumerate(keys)}
        self._count = count
        self._sort_table()

    def add(self, key: str, signature: Signature, when: datetime) -> None:
        """Index an article's signature; a key already indexed is replaced (an update)."""
        self._check_num_perm(signature)
        old = self._row_of.get(key)
        if old is not None:
            self._alive[old] = False
        row = self._count
        self._grow(row + 1)
        self._minimums[row] = signature.minimums.astype(np.uint16)
        self._sizes[row] = signature.shingles
        self._exact[row] = signature.exact
        self._when[row] = _epoch(when)
        self._alive[row] = True
        self._keys.append(key)
        self._row_of[key] = row
        self._count = row + 1
        for band_key in self._band_keys_of(signature):
            self._pending.setdefault(band_key, []).append(row)
        if self._count - self._sorted_rows >= MERGE_ROWS:
            self._merge_pending()

    def evict(self, before: datetime) -> int:
        """Forget articles older than ``before`` (call it with now - window); return how many."""
        stale = self._alive[: self._count] & (self._when[: self._count] < _epoch(before))
        dropped = int(np.count_nonzero(stale))
        if dropped:
            keep = np.flatnonzero(self._alive[: self._count] & ~stale)
            self._compact(keep)
            log.info("dedupe index evicted %d articles older than %s", dropped, before)
        return dropped

    def __len__(self) -> int:
        return int(np.count_nonzero(self._alive[: self._count]))

    def __contains__(self, key: object) -> bool:
        return key in self._row_of

    # ---- querying ------------------------------------------------------------------------

    def candidates(self, signature: Signature) -> list[str]:
        """Return the keys of indexed articles sharing at least one band (any age)."""
        return [self._keys[row] for row in self._candidate_rows(signature).tolist()]

    def match(
        self,
        signature: Signature,
        *,
        when: datetime | None = None,
        key: str | None = None,
        text: str | None = None,
    ) -> Match | None:
        """Return the indexed article ``signature`` is the same story as, or None for a new story.

        ``key`` is the new article's own key (its URL or feed GUID): an indexed article with the
        same key is an earlier version, so the result is an UPDATE whatever the text. Otherwise
        only articles at most ``window`` older than ``when`` (default: now) are considered, and
        the best one by containment that passes the rule is a DUPLICATE. ``text`` (the new
        article's text) lets a match on an uncertain estimate be confirmed on the texts, when the
        index has a text loader.
        """
        self._check_num_perm(signature)
        if key is not None and key in self._row_of:
            return self._update(key, signature)
        if signature.empty:
            return None
        rows = self._recent(self._candidate_rows(signature), when, exclude=key)
        return self._best(rows, signature, text)

    def _update(self, key: str, signature: Signature) -> Match:
        row = self._row_of[key]
        found = self._estimates(np.array([row], dtype=np.intp), signature)
        jaccard, containment = float(found.jaccard[0]), float(found.containment[0])
        return self._match(row, Relation.UPDATE, jaccard, containment)

    def _match(
        self,
        row: int,
        relation: Relation,
        jaccard: float,
        containment: float,
        verified: bool = False,
    ) -> Match:
        when = datetime.fromtimestamp(float(self._when[row]), UTC)
        return Match(self._keys[row], relation, jaccard, containment, verified, when)

    def _band_keys_of(self, signature: Signature) -> list[int]:
        """The signature's band keys; a match() followed by add() computes them once."""
        if self._last_query is not None and self._last_query[0] is signature:
            return self._last_query[1]
        minimums = signature.minimums.astype(np.uint16)[None, :]
        keys: list[int] = band_keys(minimums, self.bands)[0].tolist()
        self._last_query = (signature, keys)
        return keys

    def _candidate_rows(self, signature: Signature) -> NDArray[np.intp]:
        keys = self._band_keys_of(signature)
        query = np.array(keys, dtype=np.uint32)
        low = np.searchsorted(self._table_keys, query, side="left")
        high = np.searchsorted(self._table_keys, query, side="right")
        hits = np.flatnonzero(high > low)
        found = [self._table_rows[low[i] : high[i]] for i in hits.tolist()]
        pending = [self._pending.get(k) for k in keys]
        found += [np.array(p, dtype=np.uint32) for p in pending if p]
        if not found:
            return np.empty(0, dtype=np.intp)
        rows = np.unique(np.concatenate(found)).astype(np.intp)
        return rows[self._alive[rows]]

    def _recent(
        self, rows: NDArray[np.intp], when: datetime | None, exclude: str | None
    ) -> NDArray[np.intp]:
        oldest = _epoch(when or datetime.now(UTC)) - self.window.total_seconds()
        rows = rows[self._when[rows] >= oldest]
        if exclude is not None and exclude in self._row_of:
            rows = rows[rows != self._row_of[exclude]]
        return rows

    def _estimates(self, rows: NDArray[np.intp], signature: Signature) -> Estimates:
        """Estimated overlaps of ``signature`` with each of ``rows``."""
        query = signature.minimums.astype(np.uint16)
        jaccard = np.count_nonzero(self._minimums[rows] == query, axis=1) / self.num_perm
        sizes = self._sizes[rows].astype(np.float64)
        return estimate_many(jaccard, sizes, signature.shingles, self.num_perm)

    def _best(self, rows: NDArray[np.intp], signature: Signature, text: str | None) -> Match | None:
        if rows.size == 0:
            return None
        identical = rows[self._exact[rows] == np.uint64(signature.exact)]
        if identical.size:
            return self._match(int(identical[0]), Relation.DUPLICATE, 1.0, 1.0)
        found = self._estimates(rows, signature)
        reach = np.flatnonzero(passing(found))
        checker = _TextChecker(text, self.texts)
        for i in reach[np.argsort(-found.containment[reach], kind="stable")].tolist():
            row = int(rows[i])
            estimate = overlap_at(found, i, int(self._sizes[row]), signature.shingles)
            decided = self._decide(row, estimate, checker)
            if decided is not None:
                return decided
        return None

    def _decide(self, row: int, estimate: Overlap, checker: _TextChecker) -> Match | None:
        exact = checker.overlap(self._keys[row]) if estimate.uncertain else None
        decided = exact if exact is not None else estimate
        if not is_same_story(decided):
            return None
        log.debug("dedupe: same story as %s (%.3f)", self._keys[row], decided.containment)
        verified = exact is not None
        return self._match(row, Relation.DUPLICATE, estimate.jaccard, decided.containment, verified)

    # ---- storage -------------------------------------------------------------------------

    def _check_num_perm(self, signature: Signature) -> None:
        if signature.num_perm != self.num_perm:
            raise SignatureError(
                f"signature of {signature.num_perm} permutations; the index uses {self.num_perm}"
            )

    def _grow(self, needed: int) -> None:
        capacity = len(self._sizes)
        if needed <= capacity:
            return
        capacity = max(needed, capacity * 2, 1024)
        self._minimums = _resized(self._minimums, capacity)
        self._sizes = _resized(self._sizes, capacity)
        self._exact = _resized(self._exact, capacity)
        self._when = _resized(self._when, capacity)
        self._alive = _resized(self._alive, capacity)

    def _sort_table(self) -> None:
        """Sort every row's band keys into the table and empty the dictionary."""
        self._table_keys = self._table_rows = np.empty(0, dtype=np.uint32)
        self._pending, self._sorted_rows = {}, self._count
        # Sort (key << 32 | row) as one uint64 array, built and split in chunks.
        combined = np.empty(self._count * self.bands, dtype=np.uint64)
        for start in range(0, self._count, CHUNK_ROWS):
            end = min(start + CHUNK_ROWS, self._count)
            keys = band_keys(self._minimums[start:end], self.bands).astype(np.uint64)
            rows = np.arange(start, end, dtype=np.uint64)[:, None]
            combined[start * self.bands : end * self.bands] = ((keys << _HIGH) | rows).ravel()
        combined.sort()
        table_keys = np.empty(combined.size, dtype=np.uint32)
        table_rows = np.empty(combined.size, dtype=np.uint32)
        for start in range(0, combined.size, CHUNK_ROWS * self.bands):
            part = combined[start : start + CHUNK_ROWS * self.bands]
            table_keys[start : start + part.size] = part >> _HIGH
            table_rows[start : start + part.size] = part & _LOW_32
        self._table_keys, self._table_rows = table_keys, table_rows

    def _merge_pending(self) -> None:
        """Merge the rows added since the last merge into the sorted band table."""
        first = self._sorted_rows
        keys = band_keys(self._minimums[first : self._count], self.bands).ravel()
        rows = np.repeat(np.arange(first, self._count, dtype=np.uint32), self.bands)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        places = np.searchsorted(self._table_keys, keys)
        self._table_keys = np.insert(self._table_keys, places, keys)
        self._table_rows = np.insert(self._table_rows, places, rows)
        self._sorted_rows = self._count
        self._pending = {}

    def _compact(self, keep: NDArray[np.intp]) -> None:
        self._minimums = self._minimums[keep]
        self._sizes, self._exact = self._sizes[keep], self._exact[keep]
        self._when, self._alive = self._when[keep], self._alive[keep]
        self._keys = [self._keys[row] for row in keep.tolist()]
        self._row_of = {key: row for row, key in enumerate(self._keys)}
        self._count = len(self._keys)
        self._sort_table()


class _TextChecker:
    """Exact overlap of the new text with stored texts, computed only when an estimate is unsure."""

    def __init__(self, text: str | None, texts: TextLoader | None) -> None:
        self.text, self.texts = text, texts
        self._own: set[int] | None = None

    def overlap(self, key: str) -> Overlap | None:
        if self.text is None or self.texts is None:
            return None
        other = self.texts(key)
        if other is None:
            return None
        if self._own is None:
            self._own = shingle_set(self.text)
        return exact_overlap(self._own, shingle_set(other))


def _resized(array: NDArray[_Scalar], capacity: int) -> NDArray[_Scalar]:
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _common_num_perm(latest: dict[str, tuple[bytes, float]]) -> int:
    """Return the permutation count of the stored signatures, which must all be alike."""
    sizes = Counter(len(blob) for blob, _ in latest.values())
    if not sizes:
        return NUM_PERM
    size = sizes.most_common(1)[0][0]
    for key, (blob, _) in latest.items():
        if len(blob) != size or size < RECORD_HEADER.size + 4:
            _raise_for(key, blob)
    return (size - RECORD_HEADER.size) // 4


def _check_records(records: NDArray[np.void], keys: list[str]) -> None:
    bad = (
        (records["magic"] != MAGIC)
        | (records["version"] != VERSION)
        | (records["shingle_size"] != SHINGLE_SIZE)
        | (records["num_perm"] != (records.dtype.itemsize - RECORD_HEADER.size) // 4)
    )
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        _raise_for(keys[row], records[row : row + 1].tobytes())


def _raise_for(key: str, blob: bytes) -> None:
    try:
        Signature.from_bytes(blob)
    except SignatureError as error:
        raise SignatureError(f"stored signature of {key!r}: {error}") from error
    raise SignatureError(f"stored signature of {key!r} differs in size from the others")
