"""Where each scalar of a JSON text sits, so masked values can be written back in place.

Rewriting only the changed scalars keeps everything else byte-for-byte: key order, mixed
indentation (an inline ``{"a": 1}`` inside an indented document), spacing, escapes, and the
text of numbers that did not change (``1.0`` stays ``1.0``). Parts of the document where
masking changed nothing are stepped over by the standard library's C scanner instead of
being walked scalar by scalar.
"""

from __future__ import annotations

import json
import re
from json.decoder import JSONDecoder, scanstring
from json.scanner import NUMBER_RE
from typing import Any

Path = tuple[str | int, ...]
_WS = re.compile(r"[ \t\n\r]*")
# Python's json reads (and writes) NaN and ±Infinity too; files made by it can hold them.
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")
_SCAN = JSONDecoder().scan_once  # (value, end) of the JSON value at an index


def leaf_spans(text: str, within: set[Path] | None = None) -> list[tuple[Path, int, int]]:
    """(path, start, end) of every scalar in a valid JSON text, in document order; with
    ``within``, only below those paths (the others are skipped whole)."""
    spans: list[tuple[Path, int, int]] = []

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: Path) -> int:
        i = skip(i)
        if within is not None and path not in within:
            return _SCAN(text, i)[1]
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


def _changed(before: Any, after: Any, path: Path, paths: set[Path]) -> bool:
    """Add to ``paths`` every path (and its parents) where ``after`` differs from ``before``;
    a container whose shape changed counts as changed, so it is walked as before."""
    if isinstance(before, dict):
        if not isinstance(after, dict):
            changed = True
        else:
            changed = False
            for key, value in before.items():
                if key not in after or _changed(value, after[key], (*path, key), paths):
                    changed = True
    elif isinstance(before, list):
        changed = not isinstance(after, list) or len(after) != len(before)
        for index, value in enumerate(before if not changed else ()):
            changed = _changed(value, after[index], (*path, index), paths) or changed
    else:
        changed = not (type(before) is type(after) and before == after)
    if changed:
        paths.add(path)
    return changed


def write_back(text: str, original: Any, masked: Any) -> str:
    """``text`` with every scalar that masking changed replaced by its masked value."""
    paths: set[Path] = set()
    if not _changed(original, masked, (), paths):
        return text
    ascii_only = text.isascii() and "\\u" in text
    out, last = [], 0
    for path, start, end in leaf_spans(text, paths):
        before, after = _at(original, path), _at(masked, path)
        if type(before) is type(after) and before == after:
            continue
        out += [text[last:start], json.dumps(after, ensure_ascii=ascii_only)]
        last = end
    out.append(text[last:])
    return "".join(out)
