"""Properties of every ``fake: KIND``: undeliverable by construction, shape kept, keyed.

Originals come from hypothesis, so these hold for messy production data, not just examples.
"""

from __future__ import annotations

import ipaddress
import re
import string
import uuid

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sanitizer.mask.fakes import EMAIL_DOMAINS, FAKES, TEST_CARDS

KEY, OTHER_KEY = b"unit-test-key-0123456789abcdef", b"another-key-for-rotation-tests"
RESERVED = tuple(f"@{d}" for d in EMAIL_DOMAINS)
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC_NET_V6 = ipaddress.ip_network("2001:db8::/32")

words = st.text(alphabet=string.ascii_letters + "éüñ", min_size=1, max_size=10)
hosts = st.lists(
    st.text(alphabet=string.ascii_lowercase + "-", min_size=1, max_size=8), min_size=1, max_size=3
)
emails = st.builds(
    lambda local, host, tld: f"{local}@{'.'.join(host)}.{tld}",
    st.text(alphabet=string.ascii_letters + string.digits + "._+-", min_size=1, max_size=20),
    hosts,
    st.sampled_from(["com", "org", "com.br", "co.uk", "de", "io"]),
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if index % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def layout(text: str) -> str:
    """Where digits are, and every other character as is."""
    return "".join("d" if ch.isdigit() else ch for ch in text)


@given(
    st.sampled_from(sorted(set(FAKES) - {"point"})),  # points: tests/mask/operators/test_point.py
    st.text(max_size=40).filter(lambda s: s.strip()),
)
@settings(max_examples=300, deadline=None)
def test_every_kind_masks_arbitrary_text_without_errors(mask_one, kind, text):
    out = mask_one({"fake": kind}, text)
    assert isinstance(out, str)
    assert out.strip()


@given(emails)
@example("Maria@X.com")
@example("JANE.DOE@CORP.COM")
@example("josé.müller@correo.es")
def test_well_formed_emails_land_on_reserved_domains(mask_one, original):
    out = mask_one({"fake": "email"}, original)
    assert out.lower().endswith(RESERVED)
    assert out.count("@") == 1
    if original.isupper():
        assert out.isupper()
    elif original.islower():
        assert out.islower()


@given(st.text(max_size=30).filter(lambda s: s.strip()))
@example("not-an-email")
@example("jane@")
@example("jane@localhost")
@example("@corp.com")
def test_any_email_text_is_undeliverable(mask_one, original):
    out = mask_one({"fake": "email"}, original).strip().lower()
    assert ("@" in out) == ("@" in original)
    if "@" in out:
        local, _, domain = out.rpartition("@")
        reserved = (*EMAIL_DOMAINS, "invalid")
        below_reserved = domain.endswith(tuple(f".{d}" for d in reserved))
        assert domain in (*reserved, "") or (not local and below_reserved), out


@given(
    st.integers(min_value=200_000_0000, max_value=999_999_9999),
    st.sampled_from(
        [
            "(AAA) BBB-CCCC",
            "AAA-BBB-CCCC",
            "AAA.BBB.CCCC",
            "+1 AAA BBB CCCC",
            "1-AAA-BBB-CCCC",
            "+1AAABBBCCCC",
            "001 AAA BBB CCCC",
            "AAABBBCCCC",
            " (AAA) BBB-CCCC ",
        ]
    ),
)
def test_north_american_numbers_use_the_fictional_555_01xx_range(mask_one, number, template):
    digits = iter(str(number))
    original = "".join(next(digits) if ch in "ABC" else ch for ch in template)
    out = mask_one({"fake": "phone"}, original)
    assert layout(out) == layout(original)
    national = re.sub(r"\D", "", out)[-10:]
    assert re.fullmatch(r"[2-9]\d\d55501\d\d", national), (original, out)


@given(st.from_regex(r"\+?[0-9 ()\-.]{0,6}[0-9][0-9 ()\-.]{0,16}", fullmatch=True))
@example("+55 (12) 3923-5555")
@example("+49 30 901820")
@example("+33 1 23 45 67 89")
@example("0044 20 7946 0018")
def test_phones_keep_their_punctuation_layout(mask_one, original):
    out = mask_one({"fake": "phone"}, original)
    assert layout(out) == layout(original)


@given(st.from_regex(r"(\+44 ?|0)7\d{3} ?\d{6}", fullmatch=True))
def test_uk_mobiles_use_ofcom_drama_numbers(mask_one, original):
    out = re.sub(r"\D", "", mask_one({"fake": "phone"}, original))
    assert "7700900" in out


@given(st.from_regex(r"[0-9]{4}([ -]?[0-9]{2,6}){1,4}", fullmatch=True))
@example("4111 1111 1111 1111")
@example("3714-496353-98431")
@example("12345678901234567")
def test_cards_are_test_numbers_or_fail_luhn(mask_one, original):
    out = mask_one({"fake": "credit_card"}, original)
    digits = re.sub(r"\D", "", out)
    assert layout(out) == layout(original)
    assert digits in TEST_CARDS.get(len(digits), ()) or not luhn_valid(digits)


@given(st.ip_addresses())
def test_ips_come_from_documentation_ranges(mask_one, address):
    out = ipaddress.ip_address(mask_one({"fake": "ip"}, str(address)))
    if address.version == 4:
        assert any(out in net for net in DOC_NETS)
    else:
        assert out in DOC_NET_V6


@given(
    st.builds(
        lambda s, h, p: f"{s}{'.'.join(h)}.com/{p}",
        st.sampled_from(["", "http://", "https://"]),
        hosts,
        st.text(alphabet=string.ascii_letters, max_size=10),
    )
)
def test_urls_point_at_reserved_domains(mask_one, original):
    out = mask_one({"fake": "url"}, original)
    host = out.split("://", 1)[-1].split("/", 1)[0]
    assert host in EMAIL_DOMAINS
    assert out.startswith(original.split("://", 1)[0] + "://") == ("://" in original)


@given(st.from_regex(r"\d{3}-?\d{2}-?\d{4}", fullmatch=True))
def test_ssns_are_in_the_never_issued_9xx_area(mask_one, original):
    out = mask_one({"fake": "ssn"}, original)
    assert out[0] == "9"
    assert layout(out) == layout(original)


@given(
    st.sampled_from(["DE", "GB", "FR", "NL", "BR"]),
    st.text(alphabet=string.digits + string.ascii_uppercase, min_size=11, max_size=30),
)
def test_ibans_keep_country_length_and_have_valid_check_digits(mask_one, country, body):
    original = f"{country}00{body}"
    out = mask_one({"fake": "iban"}, original)
    assert out[:2] == country and len(out) == len(original)
    rearranged = out[4:] + out[:4]
    assert int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


@given(st.lists(words, min_size=1, max_size=6).map(" ".join))
@example("José Müller")
@example("山田 太郎")
@example("Ana Maria de Souza")
def test_names_keep_their_number_of_parts(mask_one, original):
    out = mask_one({"fake": "name"}, original)
    assert len(out.split()) == min(len(original.split()), 4)
    assert out.isascii()


@given(
    st.from_regex(
        r"[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|\d{5}(-\d{4})?", fullmatch=True
    )
)
@example("H2G 1A7")
def test_postcodes_keep_their_exact_shape(mask_one, original):
    out = mask_one({"fake": "postcode"}, original)
    shape = lambda s: re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", s))  # noqa: E731
    assert shape(out) == shape(original)


@given(st.uuids())
def test_uuids_stay_uuids(mask_one, original):
    out = mask_one({"fake": "uuid"}, str(original))
    assert uuid.UUID(out) != original


@given(emails)
def test_same_input_same_fake_with_fresh_keyrings_and_new_fake_with_a_new_key(mask, original):
    rule = {"fake": "email"}
    first = mask(rule, [original], key=KEY)
    assert first == mask(rule, [original], key=KEY)
    assert first != mask(rule, [original], key=OTHER_KEY)
