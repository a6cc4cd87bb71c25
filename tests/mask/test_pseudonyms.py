"""The keyed derivation under every pseudonym: deterministic, keyed, domain-separated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sanitizer.mask.pseudonyms import DIGEST_SIZE, Draw, Keyring, normalize

KEY, OTHER_KEY = b"unit-test-key-0123456789abcdef", b"another-key-for-rotation-tests"
domains = st.sampled_from(["email", "name", "phone", "hash", "format", "fake: email"])
values = st.text()
attempts = st.integers(min_value=0, max_value=63)


@given(domains, values, attempts)
def test_digest_is_deterministic_across_fresh_keyrings(domain, value, attempt):
    digest = Keyring(KEY).digest(domain, value, attempt)
    assert digest == Keyring(KEY).digest(domain, value, attempt)
    assert len(digest) == DIGEST_SIZE


@given(domains, st.lists(values, max_size=20), attempts)
def test_batch_digests_equal_single_digests(domain, batch, attempt):
    ring = Keyring(KEY)
    assert ring.digests(domain, batch, attempt) == [ring.digest(domain, v, attempt) for v in batch]


def test_digests_are_pinned_one_at_a_time_and_in_batches():
    """The bytes every pseudonym starts from: a change to how they are made (say, a state
    copied per value) changes every fake, so both paths are pinned to the same values."""
    ring = Keyring(KEY)
    pinned = {
        ("email", "jane@corp.com", 0): "086ad69f0dfb8ab1dde3d2f0ab9d1cbe"
        "0f6a112fdf64760678a2ace7256aceca",
        ("name", "\ud800lone Zoë", 3): "39ecc6755d90aa5f352b61eb4a5fb43f"
        "f45ad2e68b9e64c4f4a3d1fa051e116a",
    }
    for (domain, value, attempt), digest in pinned.items():
        assert ring.digest(domain, value, attempt).hex() == digest
        assert ring.digests(domain, ["x", value], attempt)[1].hex() == digest


@given(domains, values)
def test_a_different_key_changes_the_digest(domain, value):
    assert Keyring(KEY).digest(domain, value) != Keyring(OTHER_KEY).digest(domain, value)


@given(st.binary(min_size=1, max_size=200), st.binary(min_size=1, max_size=200))
def test_any_secret_length_works_and_distinct_secrets_differ(a, b):
    da, db = Keyring(a).digest("email", "x"), Keyring(b).digest("email", "x")
    assert (da == db) == (a == b)


@given(values, values)
def test_domains_and_attempts_separate_pseudonyms(value, other):
    ring = Keyring(KEY)
    assert ring.digest("email", value) != ring.digest("name", value)
    assert ring.digest("email", value, 0) != ring.digest("email", value, 1)
    assert (ring.digest("email", value) == ring.digest("email", other)) == (value == other)


def test_subkeys_are_per_purpose_and_per_secret():
    ring = Keyring(KEY)
    assert ring.subkey("format") == Keyring(KEY).subkey("format")
    assert ring.subkey("format") != ring.subkey("iban")
    assert ring.subkey("format") != Keyring(OTHER_KEY).subkey("format")
    assert len(ring.subkey("format")) == 32


def test_the_secret_is_not_kept_on_the_keyring():
    ring = Keyring(KEY)
    assert not hasattr(ring, "__dict__")
    assert KEY not in repr(ring).encode()
    assert ring._key != KEY


NORMALIZE = [
    # (domain, a, b, same identity?)
    ("email", "Jane.Doe@Corp.com", " jane.doe@corp.com\t", True),
    ("email", "MARIA@X.COM", "maria@x.com", True),
    ("email", "jane@corp.com", "jane@corp.org", False),
    ("name", "José  Müller", "josé müller", True),
    ("name", "Jose\u0301 Müller", "José Müller", True),  # NFC: combining accent == precomposed
    ("phone", "(555) 010-4477", "555.010.4477", True),
    ("phone", "+1 555 010 4477", "555 010 4477", False),
    ("phone", "n/a", "N/A", False),
    ("uuid", "{123E4567-E89B-12D3-A456-426614174000}", "123e4567e89b12d3a456426614174000", True),
    ("hash", " abc ", "abc", True),
    ("hash", "ABC", "abc", False),
    ("format", "AB-1", "ab-1", False),
]


def test_normalize_table():
    for domain, a, b, same in NORMALIZE:
        assert (normalize(domain, a) == normalize(domain, b)) is same, (domain, a, b)


@given(st.binary(min_size=32, max_size=32), st.integers(min_value=1, max_value=10**6))
def test_draw_stays_in_bounds_and_is_reproducible(digest, n):
    first, second = Draw(digest), Draw(digest)
    for _ in range(20):  # more than one digest's worth: exercises the rehash
        value = first.below(n)
        assert 0 <= value < n
        assert value == second.below(n)
    assert 0.0 <= Draw(digest).unit() < 1.0


@given(st.binary(min_size=32, max_size=32), st.integers(min_value=0, max_value=40))
def test_draw_digits_and_tokens_have_the_requested_length(digest, length):
    draw = Draw(digest)
    digits, token = draw.digits(length), draw.token(length)
    assert len(digits) == length and (not length or digits.isdigit())
    assert len(token) == length and token == token.lower()
    assert not length or token.isalnum()


def test_remembered_subkeys_are_the_derived_ones() -> None:
    keyring = Keyring(b"subkey-test-key-0123456789abcdef")
    purposes = [f"format\x00{n}" for n in range(200)] + ["format", "verify"]
    first = [keyring.subkey(p) for p in purposes * 2]  # past the memo's bound, and back
    fresh = [Keyring(b"subkey-test-key-0123456789abcdef").subkey(p) for p in purposes * 2]
    assert first == fresh and len(set(first)) == len(purposes)
