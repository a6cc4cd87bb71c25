"""The leak index built where batches are masked: keyed digests that are the same in every
process, and pieces indexed by workers that merge into exactly the index the driver builds
from whole batches (docs/engine.md, "What runs where")."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.parallel import MaskPool
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.verify.leaks import HashMemo, LeakIndex, runs
from sanitizer.verify.run import RunLeakCheck

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "mask"))
from test_parallel import KEY, masker

WORDS = ["jane.doe@corp.com", "hauptstraße", "o'neil", "555-0132", "\ud800lone"]
VALUE = "Jane Doe, Hauptstraße 5"


def digests_here(key: bytes) -> list[int]:
    index = LeakIndex(key)
    return [*index.digests.words(WORDS).tolist(), index.digest(VALUE)]


def test_digests_are_the_same_in_another_process_whatever_its_hash_seed():
    script = textwrap.dedent(
        f"""
        from sanitizer.verify.leaks import LeakIndex
        index = LeakIndex({KEY!r})
        print([*index.digests.words({WORDS!r}).tolist(), index.digest({VALUE!r})])
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # Python's own hash() would differ
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(digests_here(KEY))
    assert digests_here(KEY) != digests_here(KEY + b"x")  # keyed


def test_memoised_word_digests_equal_fresh_ones():
    index = LeakIndex(KEY)
    first = index.digests.words(WORDS * 3)
    again = index.digests.words(WORDS)
    assert np.array_equal(first, np.tile(again, 3))
    assert again.tolist() == [index.digests.text(w) for w in WORDS]


def driver_built() -> RunLeakCheck:
    """The index a run without workers builds: whole batches, in this process."""
    check, alone = RunLeakCheck(Keyring(KEY), 100), masker()
    indexer = check.indexer(alone.plan, "app")
    for batch in BATCHES:
        check.observe(indexer, batch, alone.mask(batch))
    return check


def frame(start: int, rows: int) -> pl.DataFrame:
    """Emails at two domains; notes that name one of them late in the table (a host learned
    from two fields is named by the first field in name order, however batches are cut)."""
    ids = list(range(start, start + rows))
    return pl.DataFrame(
        {
            "id": ids,
            "email": [f"user{i % 997}@{'acme-mail.com' if i % 2 else 'corp.net'}" for i in ids],
            "note": [f"Person {i % 13} of {'corp.net' if i > 2000 else 'x'}" for i in ids],
        }
    )


BATCHES = [frame(0, 1500), frame(1500, 70), frame(1570, 900)]


def same_index(got: RunLeakCheck, expected: RunLeakCheck) -> None:
    assert len(expected.index) > 1000  # the notes and the emails, tracked
    assert np.array_equal(got.index.values.values(), expected.index.values.values())
    assert np.array_equal(got.index.firsts.values(), expected.index.firsts.values())
    assert got.index.sizes == expected.index.sizes
    assert len(expected.fakes) > 1000
    assert np.array_equal(got.fakes.values(), expected.fakes.values())
    hosts = {"acme-mail.com": "app.t.email", "corp.net": "app.t.email"}
    assert got.hosts.hosts == expected.hosts.hosts == hosts


@pytest.mark.parametrize("workers", [1, 2])
def test_pieces_indexed_by_pool_workers_merge_into_the_drivers_index(workers):
    expected = driver_built()
    check, pooled = RunLeakCheck(Keyring(KEY), 100), masker()
    indexer = check.indexer(pooled.plan, "app", pooled.ledger_columns)
    with MaskPool(workers, pooled.keyring, NlpSettings()) as pool:
        masked = list(pool.mask(pooled, iter(BATCHES), (check, indexer)))
    assert sum(b.height for b in masked) == 2470
    same_index(check, expected)
    hit = next(v for v in BATCHES[0]["note"].to_list() if expected.index.add(v))
    assert check.index.found_in(f"the note said {hit}.")


@pytest.mark.parametrize("size", [1, 2, 5, 8])
def test_windows_folded_at_once_equal_runs_digested_one_by_one(size):
    index = LeakIndex(KEY)
    tokens = [f"w{i % 37}" for i in range(60)]
    starts = np.arange(0, len(tokens) - size + 1, 3)
    folded = runs(index.digests.words(tokens), starts, size)
    assert folded.tolist() == [index.digests.run(tokens[i : i + size]) for i in starts]
    assert len(set(folded.tolist())) == len({tuple(tokens[i : i + size]) for i in starts})


def test_thousands_of_small_parts_are_merged_once_per_buffer(monkeypatch):
    """A table cut into many pieces must not re-sort the index once per piece."""
    memo, adds = HashMemo(), []
    add = memo.add
    monkeypatch.setattr(memo, "add", lambda hashes: (adds.append(len(hashes)), add(hashes)))
    rng = np.random.default_rng(7)
    parts = [rng.integers(-(2**62), 2**62, 40) for _ in range(5000)]
    for part in parts:
        memo.extend(part)
    every = np.concatenate(parts)
    assert memo.holds(every).all() and not memo.holds(every + 1).any()
    assert len(memo) == len(np.unique(every))
    assert len(adds) <= 5000 * 40 // HashMemo.BUFFER + 1
