"""What the stores put in the leak index: values of fields whose rule replaces every value,
JSON leaves by their path's rule, list items — and, when asked, the fakes made of them, which
are then forgotten (a fake may equal another field's production value)."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.config.yamlfile import Location
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.verify import tracker as tracker_module
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import LeakIndex
from sanitizer.verify.tracker import Tracker, tracks

KEYRING = Keyring(b"tracker-test-key-0123456789abcdef")
HERE = Location("rules/test.yaml", 1)
EMAIL = parse_rule({"fake": "email"}, HERE)


def test_only_rules_that_replace_every_value_are_tracked() -> None:
    assert tracks(EMAIL) and tracks(parse_rule("hash", HERE))
    assert not tracks(parse_rule("keep", HERE)) and not tracks(parse_rule("detect", HERE))
    assert not tracks(None)
    assert tracks(parse_rule({"json": {"$.a": {"fake": "email"}, "$.**": "keep"}}, HERE))
    assert not tracks(parse_rule({"json": {"$.**": "detect"}}, HERE))


def test_json_leaves_and_list_items_are_indexed_by_their_rule() -> None:
    index = LeakIndex(b"k" * 32)
    tracker = Tracker(index, KEYRING)
    rule = parse_rule({"json": {"$.who.email": {"fake": "email"}, "$.**": "keep"}}, HERE)
    tracker.values(rule, ['{"who": {"email": "ana.silva@corp.com.br", "plan": "pro-2024-x"}}'])
    tracker.values(EMAIL, [["li.wei@example-mail.cn", None], None, 42])
    assert index.found_in("write to ana.silva@corp.com.br") and index.found_in(
        "li.wei@example-mail.cn"
    )
    assert not index.found_in("plan pro-2024-x")  # a kept leaf
    assert tracker.added == 2 and tracker.fakes == []  # fakes only when asked


def test_a_production_value_that_is_another_values_fake_is_forgotten() -> None:
    index = LeakIndex(b"k" * 32)
    tracker = Tracker(index, KEYRING, fakes=True)
    fake = EMAIL.mask_values(["jane.doe@corp-mail.com"], tracker.ctx)[0]
    tracker.values(EMAIL, ["jane.doe@corp-mail.com", fake])  # the fake is also in production
    tracker.finish()
    assert index.found_in("mail jane.doe@corp-mail.com")
    assert not index.found_in(f"mail {fake}")  # staging holds it as a fake: proves nothing


VALUE = st.sampled_from(
    [
        "ana.silva@corp.com.br", "Ana.Silva@corp.com.br", "jane@mail.acme.io", "Jane Roe",
        "Okonkwo Adebayo", "+1 (415) 555-0199", "+44 20 7946 0958", "x", "", " ",
        "bob@shop.example.org", "Émile Müller", "api.acme.io", "Chen Wang",
    ]
)  # fmt: skip
OPS = [EMAIL, parse_rule({"fake": "name"}, HERE), parse_rule({"fake": "phone"}, HERE)]
CALLS = st.lists(
    st.tuples(st.sampled_from(["f:a/*", "f:b/*"]), st.integers(0, 2), st.lists(VALUE)),
    max_size=25,
)


def _offer(calls, holding: bool, hold: int) -> tuple[Tracker, LeakIndex, HostIndex]:
    index, hosts = LeakIndex(b"k" * 32), HostIndex([], frozenset())
    tracker = Tracker(index, KEYRING, fakes=True, hosts=hosts)
    saved = tracker_module.HOLD
    tracker_module.HOLD = hold
    try:
        with tracker.holding() if holding else contextlib.nullcontext():
            for field, op, values in calls:
                tracker.field = field
                tracker.values(OPS[op], values)
    finally:
        tracker_module.HOLD = saved
    return tracker, index, hosts


@settings(max_examples=150, deadline=None)
@given(CALLS, st.integers(1, 12))
def test_holding_values_indexes_learns_and_fakes_as_offering_each(calls, hold) -> None:
    plain, plain_index, plain_hosts = _offer(calls, False, hold)
    held, held_index, held_hosts = _offer(calls, True, hold)
    assert held.added == plain.added
    assert held_index.values.values().tolist() == plain_index.values.values().tolist()
    assert held_index.firsts.values().tolist() == plain_index.firsts.values().tolist()
    assert held_index.sizes == plain_index.sizes
    assert list(held_hosts.hosts.items()) == list(plain_hosts.hosts.items())
    assert sorted(held.fakes) == sorted(plain.fakes)
