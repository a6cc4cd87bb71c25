"""Literal escapes read as separators by the recognizers that match characters."""

from __future__ import annotations

from sanitizer.mask.text.recognizers.escapes import blank_escapes


def test_each_literal_escape_becomes_a_space_and_a_line_break_of_the_same_length():
    text = r"Name: Ida\nPhone:\t555 31 208\r\nE-mail: x"
    blanked = blank_escapes(text)
    assert len(blanked) == len(text)
    assert blanked == "Name: Ida \nPhone: \n555 31 208 \n \nE-mail: x"


def test_text_without_a_backslash_is_returned_as_it_is():
    text = "Phone: 555 31 208\n"
    assert blank_escapes(text) is text
