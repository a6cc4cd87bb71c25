"""The masking pool: pieces in source order, the same result as masking in one process."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.engine import TableMasker, UniqueLedger
from sanitizer.mask.parallel import MIN_TAIL_ROWS, MaskPool, _pieces, _shrinking
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.plan.rules import rules_from_texts
from sanitizer.plan.sql import build_plan
from sanitizer.schema import ColumnInfo, TableInfo

KEY = b"unit-test-key-0123456789abcdef"
RULES = """\
source: app
tables:
  t:
    id: keep
    email: {fake: email, unique: true}
    note: {fake: name}
"""
TABLE = TableInfo(
    "t",
    {
        "id": ColumnInfo("id", "integer", "INTEGER", nullable=False, unique=True),
        "email": ColumnInfo("email", "string", "TEXT"),
        "note": ColumnInfo("note", "string", "TEXT"),
    },
)


def frame(start: int, rows: int) -> pl.DataFrame:
    ids = list(range(start, start + rows))
    return pl.DataFrame(
        {
            "id": ids,
            "email": [f"user{i % 997}@corp.example" for i in ids],  # repeats: the ledger
            "note": [f"Person {i % 13}" for i in ids],
        }
    )


def masker() -> TableMasker:
    rules = rules_from_texts({"rules/app.yaml": textwrap.dedent(RULES)}, ["app"])["app"]
    plan = build_plan(rules, [TABLE]).tables["t"]
    return TableMasker(plan, Keyring(KEY), NlpSettings(), UniqueLedger())


@pytest.mark.parametrize("rows,size,share", [(2000, 500, 4), (1000, 250, 4), (7, 500, 4)])
def test_shrinking_pieces_cover_every_row_in_order_and_shrink(rows, size, share):
    whole = frame(0, rows)
    pieces = list(_shrinking(whole, size, share))
    assert pl.concat(pieces).equals(whole)
    heights = [p.height for p in pieces]
    assert all(h <= size for h in heights)
    assert heights[:-1] == sorted(heights[:-1], reverse=True)
    assert all(h >= max(MIN_TAIL_ROWS, size // 8) for h in heights[:-1])


def test_pieces_cut_a_batch_in_order():
    whole = frame(0, 1050)
    assert [p.height for p in _pieces(whole, 500)] == [500, 500, 50]
    assert pl.concat(list(_pieces(whole, 500))).equals(whole)


def test_the_pool_masks_like_one_process_in_source_order():
    batches = [frame(0, 3000), frame(3000, 70), frame(3070, 0), frame(3070, 1234)]
    alone = masker()
    expected = pl.concat([alone.mask(b) for b in batches])
    pooled = masker()
    with MaskPool(2, pooled.keyring, NlpSettings()) as pool:
        got = pl.concat(list(pool.mask(pooled, iter(batches))))
    assert got.equals(expected)
    assert {n: (s.rows, s.masked) for n, s in pooled.stats.items()} == {
        n: (s.rows, s.masked) for n, s in alone.stats.items()
    }
