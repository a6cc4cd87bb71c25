"""The sweep's bulk triage (verify/triage.py) changes which texts are looked at, never what a
look finds: a quiet text would have no flags, a triaged look finds what a plain look finds,
and a triaged line pair finds what a plain pair finds."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sanitizer.verify.triage as triage_module
from sanitizer.mask.secrets import SecretsSettings
from sanitizer.mask.secrets.find import _keywords
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.secrets import Sweep, across_lines
from sanitizer.verify.triage import QUIET, Triage

ALNUM = string.ascii_letters + string.digits
LEARNED = ("jane@acme-corp.com", "https://api.Büro-Müller.de/x", "http://[2001:db8:0:1::7]/hook")


def token(prefix: str, size: int) -> str:
    return prefix + "".join(secrets.choice(ALNUM) for _ in range(size))


# pieces a staging text is made of: words that gitleaks' keywords start from, context words,
# learned hosts in other cases, credentials, URLs, non-ASCII letters whose lower case is
# special (İ, the Kelvin sign, a capital sigma), separators and line ends
PIECES = [
    "and", "not", "Mrs.", "key", "KEY", "password=", "Token: ", "secret", "://", "http://",
    "postgres://app:Sup3rS3cret@db.acme-corp.com/prod", "mysql://u:Xy7kQ2mZ@db.internal/x",
    "pwd = Zq8xW2vB9", "ACME-CORP.COM", "api.büro-müller.de",
    "2001:DB8:0:1:0:0:0:7", "::", "İ", "\u212a", "ΑΣ", "Σ", "é", ",", ";", "\t", " ", "\r\n",
    "\n", '"', "eyJhbGciOiJIUzI1NiJ9", "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "ghp_" + "A" * 36, "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_X",
    "AKIA" + "IOSFODNN7EXAMPLE", "jane.smith@example.com",
]  # fmt: skip
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=8).map("".join)


def make_sweep() -> Sweep:
    config = SecretsSettings()
    hosts = HostIndex(config.sinks.values(), config.allow)
    hosts.learn(list(LEARNED), "app.contacts.email")
    return Sweep(hosts, config, b"salt")


SWEEP = make_sweep()
TRIAGE = Triage(SWEEP.hosts)


@contextmanager
def patterns_checked(every: bool) -> Iterator[None]:
    """Rules' patterns asked of polars for every text (``every``), or never (a batch here
    is smaller than the production threshold)."""
    saved = triage_module.CHECKED
    triage_module.CHECKED = 0 if every else 10**9
    try:
        yield
    finally:
        triage_module.CHECKED = saved


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=12))
@pytest.mark.parametrize("every", [True, False])
def test_a_triaged_look_finds_what_a_plain_look_finds(every: bool, texts: list[str]) -> None:
    with patterns_checked(every):
        triaged = TRIAGE.batch(texts)
    for text, seen in zip(texts, triaged, strict=True):
        found = _keywords(text.lower())
        assert seen.keywords <= found  # those whose patterns match
        assert every or seen.keywords == found
        plain = SWEEP.look(text)
        assert SWEEP.look(text, None, hosts=seen.host, keywords=seen.keywords) == plain
        if seen.quiet:
            assert plain == []


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_a_triaged_line_pair_finds_what_a_plain_pair_finds(first: str, second: str) -> None:
    lines = [("line 1", first), ("line 2", second)]
    with patterns_checked(True):
        (_, _, one), (_, _, two) = next(TRIAGE.objects([0], lambda _: lines))[1]
    assert one.pair is None and two.pair is not None
    a = ("line 1", first, SWEEP.look(first))
    b = ("line 2", second, SWEEP.look(second))
    plain = list(across_lines(SWEEP, a, b))
    assert list(across_lines(SWEEP, a, b, two.pair.keywords)) == plain
    if two.pair_quiet:
        assert plain == []


def test_learned_hosts_and_credentials_make_a_text_loud_and_plain_text_is_quiet() -> None:
    lines = [
        "0,Victor Shelton,victor@example.org,free,DE\r\n",
        "1,Jane,JANE@ACME-CORP.COM,pro,DE\r\n",
        "2,x,postgres://app:Sup3rS3cret@db.internal/prod,pro,DE\r\n",
        "3,Ops,2001:db8:0:1:0:0:0:7,pro,DE\r\n",
    ]
    quiet, host, url, v6 = TRIAGE.batch(lines)
    assert (quiet.host, quiet.secretish) == (False, False)
    assert host.host and url.secretish and v6.host
    assert SWEEP.look(lines[1]) and SWEEP.look(lines[3])
    assert QUIET.quiet and TRIAGE.batch([]) == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(TEXTS, max_size=7), max_size=9),
    st.integers(min_value=1, max_value=10),
)
@pytest.mark.parametrize("every", [True, False])
def test_objects_keep_their_texts_in_order_across_batches(every, objects, batch) -> None:
    """Objects with no texts, and batches that end inside an object, keep each text with
    its object and its own triage; a line pair's, found from its two lines' keywords (and
    the line before a batch's first, asked again), is the joined text's own."""
    saved, triage_module.BATCH = triage_module.BATCH, batch
    try:
        with patterns_checked(every):
            got = [
                (n, [(place, text, seen) for place, text, seen in texts])
                for n, texts in TRIAGE.objects(
                    range(len(objects)),
                    lambda n: ((f"line {i}", t) for i, t in enumerate(objects[n])),
                )
            ]
            expected = [
                (
                    TRIAGE.batch(lines),
                    TRIAGE.batch(
                        [f"{a.rstrip(chr(13) + chr(10))}\n{b}" for a, b in pairwise(lines)],
                        hosts=0,
                    ),
                )
                for lines in objects
            ]
    finally:
        triage_module.BATCH = saved
    assert [n for n, _ in got] == list(range(len(objects)))
    for (n, texts), (alone, joined) in zip(got, expected, strict=True):
        assert [text for _, text, _ in texts] == objects[n]
        assert [replace(seen, pair=None) for _, _, seen in texts] == alone
        pairs = [seen.pair for _, _, seen in texts]
        assert pairs[:1] in ([], [None])
        assert pairs[1:] == joined
