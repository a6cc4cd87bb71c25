"""Literal escape sequences read as the separators they stand for.

Text exported from JSON or CSV often holds ``\\n``, ``\\t`` and ``\\r`` typed as a backslash and
a letter. To a regular expression ``Phone:\\n491 182 002`` then has a word character (``n``)
glued to the number, so ``\\b``-style boundaries fail and the number is missed; and a pattern
that stops at line breaks runs straight through the escaped one. Recognizers that match on
characters read a copy of the text in which every such escape is a space and a line break: the
same length, so every offset found in the copy is an offset in the original.
"""

from __future__ import annotations

import re

LITERAL_ESCAPE = re.compile(r"\\[ntr]")


def blank_escapes(text: str) -> str:
    """``text`` with each literal ``\\n``/``\\t``/``\\r`` replaced by ``' \\n'`` (same length)."""
    return LITERAL_ESCAPE.sub(" \n", text) if "\\" in text else text


# Each escape as the separator it stands for, plus a space (the same length), for the name
# recognizer, where a tab still parts two names and a line break ends one ('Eduard
# Kvarda\nPhone: …'); an escaped backslash ('\\n') stays as it is.
_SEPARATOR_ESCAPE = re.compile(r"(?<!\\)\\[ntr]")
_AS_SEPARATOR = {"\\n": "\n ", "\\t": "\t ", "\\r": "\r "}


def unescaped(text: str) -> str:
    """``text`` with each literal ``\\n``, ``\\t``, ``\\r`` made the separator it stands for
    (plus a space: the same length)."""
    if "\\" not in text:
        return text
    return _SEPARATOR_ESCAPE.sub(lambda m: _AS_SEPARATOR[m.group()], text)
