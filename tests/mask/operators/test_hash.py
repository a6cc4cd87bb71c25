"""``hash``: a keyed hex token, consistent across tables and lengths."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule

WHERE = Location("rules/app.yaml", 30)
OTHER_KEY = b"a-rotated-staging-key-000000000"


@given(st.text(min_size=1).filter(lambda s: s.strip()))
def test_hash_is_hex_of_the_configured_length(mask, text):
    short, long = mask("hash", [text])[0], mask({"hash": {"length": 40}}, [text])[0]
    assert re.fullmatch(r"[0-9a-f]{16}", short)
    assert re.fullmatch(r"[0-9a-f]{40}", long)
    assert long.startswith(short)  # one pseudonym domain: lengths agree, so prefixes join


def test_hash_is_deterministic_and_keyed(mask):
    values = ["cust-001", "cust-002", "CUST-001"]
    first, again = mask("hash", values), mask("hash", values)
    assert first == again
    assert len(set(first)) == 3  # case matters for a hash
    rotated = mask("hash", values, key=OTHER_KEY)
    assert all(a != b for a, b in zip(first, rotated, strict=True))


def test_hash_ignores_surrounding_whitespace(mask):
    assert mask("hash", ["abc"]) == mask("hash", ["  abc\t"])


@pytest.mark.parametrize(
    ("spec", "label"),
    [("hash", "hash"), ({"hash": 24}, "hash: 24"), ({"hash": {"length": 16}}, "hash")],
)
def test_hash_labels(spec, label):
    op = parse_rule(spec, WHERE)
    assert op.label() == label
    assert op.domain() == "hash"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"hash": {"length": 3}}, "length must be an integer from 4 to 64"),
        ({"hash": {"length": 65}}, "length must be an integer from 4 to 64"),
        ({"hash": {"length": "long"}}, "length must be an integer from 4 to 64"),
        ({"hash": "sha256"}, "length must be an integer from 4 to 64"),
        ({"hash": {"algo": "md5"}}, "unknown option 'algo'"),
    ],
)
def test_hash_rejects_bad_options(spec, message):
    with pytest.raises(ConfigError, match=rf"rules/app\.yaml:30: hash: {message}"):
        parse_rule(spec, WHERE)


def test_short_hash_cannot_be_unique_but_long_can():
    assert parse_rule({"hash": {"length": 12}, "unique": True}, WHERE).unique
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:30: hash: 8 cannot guarantee"):
        parse_rule({"hash": {"length": 8}, "unique": True}, WHERE)
