"""A field profile's empty, blank and unparsed counts (blank is what stripping empties), and
the shapes of ASCII texts by the steps that can change them."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.schema import INTEGER, STRING
from sanitizer.verify.fidelity.profile import FieldProfile, shape

# every code point polars' strip_chars() removes, and look-alikes it keeps
SPACES = [chr(c) for c in range(0x3400) if not 0xD800 <= c < 0xE000]


def _stripped_counts(values: pl.Series) -> tuple[int, int]:
    stripped = values.drop_nulls().str.strip_chars()
    empty = int((values.drop_nulls() == "").sum())
    return empty, int(((stripped == "") & (values.drop_nulls() != "")).sum())


def test_blank_values_are_those_stripping_empties_in_any_script() -> None:
    values = pl.Series([*SPACES, *(c * 3 for c in SPACES), "", None, " a ", "\u3000\u3000"])
    profile = FieldProfile(STRING)
    profile.observe(values)
    assert (profile.empty, profile.blank) == _stripped_counts(values)
    assert profile.blank > 40  # tabs, no-break and ideographic spaces among them


def test_a_number_field_counts_unparsed_values_but_not_blank_ones() -> None:
    values = pl.Series(["1", " 2 ", "", "  ", "\u00a0", "x", "3.5", None, "\u2003y"])
    profile = FieldProfile(INTEGER)
    profile.observe(values)
    assert (profile.empty, profile.blank, profile.unparsed) == (1, 2, 2)  # "x" and "\u2003y"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40), max_size=20))
def test_an_ascii_text_has_the_same_shape_by_the_ascii_steps(texts: list[str]) -> None:
    series = pl.Series(texts, dtype=pl.String)
    assert shape(series, ascii_only=True).to_list() == shape(series).to_list()
