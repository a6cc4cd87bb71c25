"""COPY text escaping (mask/codecs.py): what PostgreSQL's COPY FROM reads back as the value."""

from __future__ import annotations

import polars as pl
import pytest

from sanitizer.mask.codecs import escape, unescape

SPECIAL = ["\\", "\n", "\r", "\t", "\b", "\f", "\v"]


@pytest.mark.parametrize("char", SPECIAL)
def test_each_special_character_is_escaped_even_in_one_value_of_many(char: str) -> None:
    values = [f"fake{i}@example.com" for i in range(999)] + [f"a{char}b", None]
    out = escape(pl.Series("c", values))
    assert out[999] != f"a{char}b" and out[1000] == "\\N"
    assert out[:999].to_list() == values[:999]
    assert unescape(out).to_list() == values


def test_plain_values_pass_unchanged_and_nulls_become_copy_nulls() -> None:
    assert escape(pl.Series("c", ["Ana Silva", None, ""])).to_list() == ["Ana Silva", "\\N", ""]
