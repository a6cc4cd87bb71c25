"""Where each scalar of a JSON text sits, so masked values can be written back in place.

Rewriting only the changed scalars keeps everything else byte-for-byte: key order, mixed
indentation (an inline ``{"a": 1}`` inside an indented document), spacing, escapes, and the
text of numbers that did not change (``1.0`` stays ``1.0``).
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Any

Path = tuple[str | int, ...]
_WS = re.compile(r"[ \t\n\r]*")
# Python's json reads (and writes) NaN and ±Infinity too; files made by it can hold them.
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


def leaf_spans(text: str) -> list[tuple[Path, int, int]]:
    """(path, start, end) of every scalar in a valid JSON text, in document order."""
    spans: list[tuple[Path, int, int]] = []

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: Path) -> int:
        i = skip(i)
        char = text[i]
        if char == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                key, i = scanstring(text, skip(i) + 1)
                i = value(skip(i) + 1, (*path, key))  # past the colon
                i = skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # the comma
        if char == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = skip(value(i, (*path, index)))
                if text[i] == "]":
                    return i + 1
                i, index = i + 1, index + 1
        if char == '"':
            end = scanstring(text, i + 1)[1]
        else:
            literal = next((w for w in _LITERALS if text.startswith(w, i)), None)
            number = None if literal else NUMBER_RE.match(text, i)
            end = number.end() if number else i + len(literal or "")
        spans.append((path, i, end))
        return end

    value(0, ())
    return spans


def _at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def write_back(text: str, original: Any, masked: Any) -> str:
    """``text`` with every scalar that masking changed replaced by its masked value."""
    ascii_only = text.isascii() and "\\u" in text
    out, last = [], 0
    for path, start, end in leaf_spans(text):
        before, after = _at(original, path), _at(masked, path)
        if type(before) is type(after) and before == after:
            continue
        out += [text[last:start], json.dumps(after, ensure_ascii=ascii_only)]
        last = end
    out.append(text[last:])
    return "".join(out)
