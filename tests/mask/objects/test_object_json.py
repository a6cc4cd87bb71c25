"""JSON objects keep their bytes except the masked scalars: BOM, CRLF, order, indentation."""

from __future__ import annotations

import json

import pytest
from helpers.object_handlers import mask, rule
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.mask.objects import MalformedObject
from sanitizer.mask.objects.jsontext import leaf_spans, write_back

EMAIL_RULE = rule("*.json", '{json: {"$.email": {fake: email}, "$.**": keep}}')


def test_only_the_masked_value_changes() -> None:
    text = '{"z": 1.0, "email": "jane@corp.com",\n   "inline": {"a": [1, 2]},  "b": "\\u00e9"}\n'
    out = mask(EMAIL_RULE, "a.json", text.encode()).decode()
    start = text.index('"jane@corp.com"')
    assert out[:start] == text[:start]
    fake = json.loads(out)["email"]
    assert fake != "jane@corp.com" and "@" in fake
    assert out[start:].replace(json.dumps(fake), '"jane@corp.com"', 1) == text[start:]


def test_bom_and_crlf_are_kept() -> None:
    text = json.dumps({"email": "jane@corp.com", "n": [1, 2]}, indent=4).replace("\n", "\r\n")
    data = b"\xef\xbb\xbf" + text.encode() + b"\r\n"
    out = mask(EMAIL_RULE, "a.json", data)
    assert out.startswith(b"\xef\xbb\xbf") and out.endswith(b"}\r\n")
    assert out.count(b"\r\n") == data.count(b"\r\n") and out.count(b"\n") == data.count(b"\n")
    assert list(json.loads(out[3:])) == ["email", "n"]


def test_unlisted_paths_without_fallback_are_not_copied() -> None:
    strict = rule("*.json", '{json: {"$.id": keep}}')
    out = json.loads(mask(strict, "a.json", b'{"id": 7, "note": "call Jane Doe"}'))
    assert out["id"] == 7 and out["note"] != "call Jane Doe"


@pytest.mark.parametrize(
    ("data", "where"),
    [(b'{"a": 1,', "line 1"), (b'{"a": \n [1, 2}', "line 2"), (b"", "line 1")],
)
def test_malformed_json_names_the_place_not_the_content(data: bytes, where: str) -> None:
    with pytest.raises(MalformedObject, match=where) as caught:
        mask(EMAIL_RULE, "a.json", data)
    assert "[1, 2" not in str(caught.value)


def test_not_utf8_is_malformed() -> None:
    with pytest.raises(MalformedObject, match="not UTF-8"):
        mask(EMAIL_RULE, "a.json", b'{"a": "\xff"}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 0, 2, 4, "\t"]), st.booleans())
def test_write_back_without_changes_is_the_identity(doc, indent, ascii_only) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii_only)
    assert write_back(text, json.loads(text), json.loads(text)) == text  # NaN != NaN too
    for _, start, end in leaf_spans(text):
        json.loads(text[start:end])  # every span is exactly one scalar


def test_one_document_per_line_in_a_json_object_is_ndjson() -> None:
    data = b'{"email": "a@corp.com"}\n{"email": "b@corp.com"}\n'
    out = mask(EMAIL_RULE, "a.json", data).decode().splitlines()
    assert len(out) == 2 and not any("corp.com" in line for line in out)
    assert all(json.loads(line)["email"] for line in out)


def _full_walk(text: str, original, masked) -> str:
    """write_back as it was before it skipped unchanged parts: every scalar visited."""
    ascii_only = text.isascii() and "\\u" in text
    out, last = [], 0
    for path, start, end in leaf_spans(text):
        before, after = original, masked
        for step in path:
            before, after = before[step], after[step]
        if type(before) is type(after) and before == after:
            continue
        out += [text[last:start], json.dumps(after, ensure_ascii=ascii_only)]
        last = end
    out.append(text[last:])
    return "".join(out)


@given(json_values, st.sampled_from([None, 2, "\t"]), st.booleans(), st.randoms())
def test_skipping_unchanged_parts_writes_what_the_full_walk_wrote(doc, indent, ascii, rng) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=ascii)
    masked = json.loads(text)
    leaves = leaf_spans(text)
    for path, _, _ in rng.sample(leaves, min(len(leaves), rng.randint(0, 3))):
        if not path:
            masked = "masked"
            continue
        parent = masked
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = rng.choice(["masked é", 7, None, 1.5, True])
    assert write_back(text, json.loads(text), masked) == _full_walk(text, json.loads(text), masked)
