"""Shards split article ids (hex sha256) into disjoint slices that cover them all, so every
article is extracted by exactly one shard, the same one on every run."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.services.process import HASH_SPACE, Shard, shard_of

hex_ids = st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha256(b).hexdigest())


def _in_bounds(article_id: str, shard: Shard) -> bool:
    low, high = shard.bounds()
    return low <= article_id and (high is None or article_id < high)


@given(article_id=hex_ids, count=st.integers(min_value=1, max_value=HASH_SPACE))
def test_an_id_is_in_exactly_the_shard_shard_of_names(article_id: str, count: int) -> None:
    index = shard_of(article_id, count)
    assert 0 <= index < count
    assert _in_bounds(article_id, Shard(index, count))
    for other in {index - 1, index + 1} & set(range(count)):
        assert not _in_bounds(article_id, Shard(other, count))


@pytest.mark.parametrize("count", [1, 2, 3, 7, 64, 1000, HASH_SPACE])
def test_shards_cover_the_hash_space_without_overlap(count: int) -> None:
    bounds = [Shard(i, count).bounds() for i in range(count)]
    assert bounds[0][0] == "0000"
    assert bounds[-1][1] is None
    for (_, high), (low, _) in itertools.pairwise(bounds):
        assert high == low  # each shard starts where the one before ends
    for prefix in (0, 1, 0x7FFF, 0x8000, HASH_SPACE - 1):
        article_id = f"{prefix:04x}" + "0" * 60
        assert sum(_in_bounds(article_id, Shard(i, count)) for i in range(count)) == 1


def test_a_shard_outside_its_count_is_refused() -> None:
    with pytest.raises(ValueError, match="no shard"):
        Shard(4, 4)
    with pytest.raises(ValueError, match="no shard"):
        Shard(0, 0)
