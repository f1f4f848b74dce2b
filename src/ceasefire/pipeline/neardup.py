"""Near-duplicate detection for syndicated copies of one story: MinHash with LSH banding."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ceasefire.pipeline.lines import comparable

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs above ~0.42 Jaccard become candidates
ROWS = NUM_PERM // BANDS
SHINGLE = 3


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: bytes  # NUM_PERM little-endian uint64 values
    bands: tuple[int, ...]  # one signed 63-bit hash per band, for indexed lookup


def fingerprint(text: str) -> Fingerprint:
    from datasketch import MinHash  # imported here: it pulls in scipy, which commands rarely need

    words = comparable(text).split()
    minhash = MinHash(num_perm=NUM_PERM)
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    for gram in sorted(grams):
        minhash.update(gram.encode("utf-8"))
    values = np.asarray(minhash.hashvalues, dtype="<u8")
    bands = tuple(
        int.from_bytes(
            hashlib.blake2b(values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest(),
            "little",
        )
        >> 1
        for b in range(BANDS)
    )
    return Fingerprint(values.tobytes(), bands)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    left = np.frombuffer(a, dtype="<u8")
    right = np.frombuffer(b, dtype="<u8")
    if left.shape != right.shape:
        raise ValueError("signatures of different sizes")
    return float(np.count_nonzero(left == right)) / len(left)


@dataclass(frozen=True, slots=True)
class Match:
    article_id: str
    group_id: str | None  # None when the matched article was not yet in a group
    similarity: float


def merge_groups(article_id: str, matches: list[Match]) -> tuple[str, set[str]]:
    """The group an article joins and the old group ids merged into it.

    A group is a connected set of near-duplicates and is named by its smallest article id, so the
    grouping does not depend on the order in which articles arrive.
    """
    members = {article_id} | {m.article_id for m in matches}
    old_groups = {m.group_id for m in matches if m.group_id is not None}
    group = min(members | old_groups)
    return group, old_groups - {group}
