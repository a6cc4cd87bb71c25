"""The leak check at scale, in bounded memory (issue 16): the index, the masked values'
digests, the run's unique ledger and the fidelity key sets hold 64-bit hashes in arrays (or
files), and still find every production value, refuse every taken pseudonym and count every
orphan exactly as the dicts and sets they replaced did."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.engine import UniqueLedger
from sanitizer.verify.fidelity.relations import KeySet, key_hashes, orphans
from sanitizer.verify.leaks import HashMemo, LeakIndex, LeakReport
from sanitizer.verify.sql import scan_frames

KEY = b"verify-test-key-0123456789abcdef"
ROUNDS = 20  # index, then look up, in rounds: as a run's batches do, past the array merges
PER_ROUND = 15_000  # 300,000 distinct production values in all


def _email(n: int) -> str:
    return f"user{n}@corp{n % 97}.example.com"


def test_a_leak_is_caught_among_300k_indexed_values_and_200k_staging_texts():
    index = LeakIndex(KEY)
    for round_ in range(ROUNDS):
        index.add_all(_email(n) for n in range(round_ * PER_ROUND, (round_ + 1) * PER_ROUND))
        assert not index.found_in("a clean staging text")  # lookups between rounds
    total = ROUNDS * PER_ROUND
    assert len(index) == total
    assert index.values.values().nbytes == 8 * total  # 8 bytes a value, no Python objects
    # the masked values equal to production's are forgotten, the rest stay tracked
    index.forget(np.array([index.digest(_email(n)) for n in range(0, total, 1000)]))
    leaked = {7: _email(1), 90_000: f"write to {_email(total - 1)} today", 199_999: _email(150_001)}
    forgotten = {5: _email(2000)}
    texts = [f"fake{n}@staging.invalid" for n in range(200_000)]
    for row, text in {**leaked, **forgotten}.items():
        texts[row] = text
    found = np.flatnonzero(index.found_in_many(texts)).tolist()
    assert found == sorted(leaked)
    report = LeakReport()
    frame = pl.DataFrame({"id": range(1, len(texts) + 1), "email": texts})
    scan_frames(index, report, "app.customers", ["id"], ["email"], [frame])
    assert report.total == len(leaked)
    assert sorted(hit.key for hit in report.hits) == sorted(f"id={row + 1}" for row in leaked)
    assert all("@" not in hit.key for hit in report.hits)  # where, never what


def test_find_marks_the_longest_tracked_runs_of_words():
    index = LeakIndex(KEY)
    index.add_all(["Jane Mary Doe", "jane.doe@corp.com"])
    text = "JANE mary doe wrote from jane.doe@corp.com"
    spans = [text[start:end] for start, end, _ in index.find(text)]
    assert spans == ["JANE mary doe", "jane.doe@corp.com"]


def _ledger_one_at_a_time(batches: list[list[tuple[int, int]]]) -> list[list[bool]]:
    """The dict the ledger was: the first value to claim an output keeps it."""
    owners: dict[int, int] = {}
    return [[owners.setdefault(hash(o), hash(v)) == hash(v) for v, o in batch] for batch in batches]


@given(
    st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), max_size=25), max_size=12)
)
@settings(max_examples=200, deadline=None)
def test_the_ledger_claims_as_the_dict_did_with_collisions_across_batches(batches):
    ledger = UniqueLedger()
    got = [
        ledger.claim_many("email", [v for v, _ in b], [o for _, o in b]).tolist() for b in batches
    ]
    assert got == _ledger_one_at_a_time(batches)


def test_the_ledger_keeps_16_bytes_a_claim():
    ledger = UniqueLedger()
    for start in range(0, 200_000, 20_000):
        values = [f"v{n}" for n in range(start, start + 20_000)]
        assert ledger.claim_many("d", values, [f"o{n}" for n in range(start, start + 20_000)]).all()
    assert not ledger.claim("d", "someone else", "o123")
    held = sum(keys.nbytes + owners.nbytes for keys, owners in ledger.claims["d"])
    assert held == 16 * 200_000


def test_orphans_are_counted_exactly_when_the_key_sets_spill_to_files():
    rng = random.Random(16)
    parents = list(range(1, 300_001))
    children = [rng.choice(parents) for _ in range(500_000)] + [-n for n in range(1, 1235)]
    parent, child = KeySet(), KeySet()
    for start in range(0, len(parents), 20_000):
        parent.add(key_hashes([pl.Series(parents[start : start + 20_000])]))
    for start in range(0, len(children), 20_000):
        child.add(key_hashes([pl.Series(children[start : start + 20_000])]))
    folder = Path(child._folder.name)  # spilled: past the buffer
    assert len(list(folder.glob("*.u64"))) > 1
    written = sum(p.stat().st_size for p in folder.glob("*.u64"))
    assert written + 8 * child._held == 8 * len(children)  # files, and a buffer of the rest
    assert child._held < KeySet.BUFFER
    assert orphans(child, parent) == {"references": len(children), "orphans": 1234}
    del child
    assert not folder.exists()  # the temporary folder goes with the key set


def test_a_small_key_set_stays_in_memory():
    parent, child = KeySet(), KeySet()
    parent.add(key_hashes([pl.Series([1, 2, 3])]))
    child.add(key_hashes([pl.Series([1, 4, None])]))
    assert child._folder is None
    assert orphans(child, parent) == {"references": 2, "orphans": 1}


def test_the_hash_memo_forgets_and_counts_distinct_hashes():
    memo = HashMemo()
    for n in [5, 3, 5, 9]:
        memo.push(n)
    memo.add(np.array([3, 11]))
    assert len(memo) == 4
    memo.discard(np.array([3, 42]))
    assert memo.values().tolist() == [5, 9, 11]
    assert memo.holds(np.array([9, 3])).tolist() == [True, False]


def test_texts_without_words_do_not_shift_which_text_holds_a_hit():
    index = LeakIndex(KEY)
    index.add_all(["jane.doe@corp.com", "Jane Mary Doe"])
    texts = ["", "…", "mail jane.doe@corp.com", "", "!!", "from jane MARY doe", "jane"]
    assert index.found_in_many(texts).tolist() == [False, False, True, False, False, True, False]
