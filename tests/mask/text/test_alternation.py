"""Forms matched one pattern each give exactly the matches of their alternation."""

from __future__ import annotations

import regex as re
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.mask.text.recognizers import address_lines
from sanitizer.mask.text.recognizers.alternation import first_matches
from sanitizer.mask.text.recognizers.quasi_cued import AGE_FINDERS, AGE_FORMS

# pieces of the texts the forms are about, and of what stops them
AGE_PIECES = (
    "I'm ", "I am ", "he was ", "she's ", "aged ", "age: ", "turned ", "the age of ", "At ",
    "patient (", "our son, ", "years old", " yrs", "-year-old", " years ago", "y/o", " bday",
    "(", ")", "[", "]", "M", "F", "/", ",", ".", " ", "\t", "\n", "\\n", "and", " I ",
    "4", "13", "28", "45", "62", "101", "1.5", "30th", "x", "é",
)  # fmt: skip
STREET_PIECES = (
    "ul. ", "Rua das Flores", "Via ", "Długa ", "Rynkebyvej ", "Laugavegur", " Street", " St.",
    "Calle de Marina", "address: ", "lives on ", "on ", "USS ", "PSC 7245, Box 8033",
    "FPO AE 67601", "山梨県三鷹市浅草29丁目22番19号", "Apt ", "12", "4", "/", "-", ", ", " ",
    "\n", "Maria ", "Planner ", "Gate ", "8", "830",
)  # fmt: skip


def _texts(pieces: tuple[str, ...]):
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


def _same_as_alternation(finders, forms, text: str) -> None:
    (flags,) = {finder.flags for finder in finders}  # the forms' own flags (MULTILINE: '^')
    joined = re.compile("|".join(f"(?:{form})" for form in forms), flags)
    expected = [m.span() for m in joined.finditer(text)]
    assert [m.span() for _, m in first_matches(finders, text)] == expected


@settings(max_examples=400)
@given(_texts(AGE_PIECES))
def test_ages_split_into_forms_match_as_their_alternation(text):
    _same_as_alternation(AGE_FINDERS, AGE_FORMS, text)


@settings(max_examples=150, deadline=None)
@given(_texts(STREET_PIECES))
def test_street_forms_match_as_their_alternation(text):
    finders = address_lines._finders()
    _same_as_alternation(finders, [f.pattern for f in finders], text)


def test_a_street_after_a_cue_and_before_a_line_break():
    """Hypothesis's counterexample once the oracle forgot the forms' MULTILINE flag."""
    finders = address_lines._finders()
    text = "address: Rua das Flores\nul. "
    _same_as_alternation(finders, [f.pattern for f in finders], text)
    assert [m.span() for _, m in first_matches(finders, text)] == [(9, 23)]


def test_the_first_form_wins_a_tie_and_the_next_match_starts_after_the_end():
    finders = [re.compile(r"ab"), re.compile(r"abc"), re.compile(r"c\d")]
    found = first_matches(finders, "abc1 c2")
    assert [(index, m.group()) for index, m in found] == [(0, "ab"), (2, "c1"), (2, "c2")]


def test_a_form_that_cannot_match_is_not_searched():
    class Never:
        def search(self, *args):
            raise AssertionError("searched")

    assert first_matches([Never(), re.compile("b")], "ab", [False, True])[0][0] == 1
