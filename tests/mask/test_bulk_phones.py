"""``fake: phone`` and normalizing in bulk (issue 16): a column's usual phone texts are
faked by polars and numpy at once. Each fake must be exactly the one the one-at-a-time path
makes from the same digest (country codes, NANP, UK and other ranges, punctuation kept, digits
run out), and any text the bulk path does not take must come back as None for that path to
decide. Values normalized in bulk must be normalized as one at a time."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sanitizer.mask import pseudonyms
from sanitizer.mask.fakes import bulk_phones, fake_phone
from sanitizer.mask.operators.fake import _generate, take_shape
from sanitizer.mask.pseudonyms import Keyring, normalize, normalize_many

KEY = b"bulk-phone-key-0123456789abcdef"
KEYRING = Keyring(KEY)
FPE = KEYRING.subkey("format")

PIECES = [
    "+", "00", "0", "1", "7", "44", "555", "0123", "20 7946 0958", "(", ")", "-", ".", " ",
    "07", "+1 ", "+44 ", "0044 ", "+(44) ", "001", "x", "é", "ext. 12", "  ", "\t", "٣",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=9).map("".join)
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=22)
NUMBERS = st.builds(
    lambda prefix, digits, seps: prefix + "".join(d + s for d, s in zip(digits, seps)),  # noqa: B905
    st.sampled_from(["", "+", "+1 ", "00", "+44 ", "0044 ", "1-", "(", "+49 (0)"]),
    DIGITS,
    st.lists(st.sampled_from(["", "", "", " ", "-", ".", ") "]), min_size=22, max_size=22),
)


def one_by_one(text: str) -> str:
    digest = KEYRING.digests("phone", [normalize("phone", text)])[0]
    return take_shape(text, _generate(fake_phone, text.strip(), digest, FPE))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXTS, NUMBERS), min_size=16, max_size=60))
@example(["+1 (555) 123-4567", "(415) 555-0199", "555 0199", "+44 20 7946 0958", "00"] * 4)
@example(["07700 900123", "+33 1 23 45 67 89", "0044 7911 123456", "1-800-555-0100"] * 4)
@example(["+" + "9" * 25, "12", "1", "+1", "+999 1234567890123456789012"] * 4)
def test_bulk_phones_are_the_one_by_one_fakes(texts: list[str]) -> None:
    digests = KEYRING.digests("phone", [normalize("phone", t) for t in texts])
    bulk = bulk_phones(texts, digests)
    for text, fake in zip(texts, bulk, strict=True):
        if fake is not None:
            assert fake == one_by_one(text), text


def test_the_usual_numbers_are_taken_in_bulk() -> None:
    texts = [f"+1 ({200 + n}) {n:03d}-{n:04d}" for n in range(100)]
    texts += [f"+44 20 7946 {n:04d}" for n in range(100)]
    digests = KEYRING.digests("phone", [normalize("phone", t) for t in texts])
    bulk = bulk_phones(texts, digests)
    assert sum(fake is not None for fake in bulk) >= 195
    assert [f for f in bulk if f is not None] == [
        one_by_one(t) for t, f in zip(texts, bulk, strict=True) if f is not None
    ]


SPACES = [chr(c) for c in range(128) if chr(c).isspace()]
MESSY = st.lists(
    st.sampled_from([*SPACES, "Jane", "DOE", "o'Neil", "@", ".", "-", "555", "0", "(", "x", "é"]),
    max_size=8,
).map("".join)


def test_ascii_space_is_what_python_calls_space() -> None:
    assert sorted(pseudonyms.ASCII_SPACE) == SPACES


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["email", "name", "phone", "ssn", "uuid", "iban"]), st.lists(MESSY))
def test_normalizing_many_is_normalizing_each(domain: str, texts: list[str]) -> None:
    saved = pseudonyms.BULK_NORMALIZE
    pseudonyms.BULK_NORMALIZE = 0  # every list in bulk
    try:
        assert normalize_many(domain, texts) == [normalize(domain, t) for t in texts]
    finally:
        pseudonyms.BULK_NORMALIZE = saved
