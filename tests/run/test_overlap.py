"""Overlapped stages give the same items in the same order, and errors where they happened."""

from __future__ import annotations

import threading

import pytest

from sanitizer.run.overlap import Background, InOrder, ahead


def test_ahead_yields_every_item_in_order_from_another_thread() -> None:
    threads = []

    def produce():
        for n in range(50):
            threads.append(threading.current_thread())
            yield n

    assert list(ahead(produce(), depth=2)) == list(range(50))
    assert threading.current_thread() not in threads


def test_a_producer_error_reaches_the_consumer_after_the_items_before_it() -> None:
    def produce():
        yield 1
        yield 2
        raise ValueError("batch 3 is malformed")

    seen = []
    with pytest.raises(ValueError, match="batch 3"):
        for item in ahead(produce()):
            seen.append(item)
    assert seen == [1, 2]


def test_a_consumer_that_stops_early_stops_the_producer() -> None:
    produced = []

    def produce():
        for n in range(1000):
            produced.append(n)
            yield n

    with pytest.raises(RuntimeError):
        for item in ahead(produce(), depth=2):
            if item == 3:
                raise RuntimeError("embedding failed")
    assert len(produced) < 10  # it stopped a few items ahead, not at the end
    assert not any(t.name == "ahead" for t in threading.enumerate())


def test_background_returns_the_value_or_raises_the_error() -> None:
    assert Background(lambda: 6 * 7, "answer").result() == 42

    def broken() -> None:
        raise LookupError("model not installed")

    with pytest.raises(LookupError, match="not installed"):
        Background(broken, "broken").result()


def _sources(*kinds: str) -> dict:
    from sanitizer.config.settings import Endpoint

    return {f"s{i}": Endpoint(f"s{i}", kind, "x", None) for i, kind in enumerate(kinds)}  # type: ignore[arg-type]


def test_only_a_runs_single_vector_store_planned_last_loads_ahead() -> None:
    from sanitizer.run.vectors import _plans_last

    # SQL plans first, so a vector store after or before SQL sources is still last
    assert _plans_last("s1", _sources("postgresql", "lancedb"))
    assert _plans_last("s0", _sources("lancedb", "postgresql"))
    # an object store planned after it could import spaCy (key detection) meanwhile
    assert not _plans_last("s0", _sources("lancedb", "objects"))
    assert _plans_last("s1", _sources("objects", "lancedb"))
    # two vector stores would load two models and warm detection twice
    assert not _plans_last("s1", _sources("chroma", "lancedb"))


def test_in_order_runs_calls_in_order_beside_the_caller_and_raises_their_error() -> None:
    seen: list[int] = []
    with InOrder("t", depth=2) as beside:
        for n in range(50):
            beside.submit(lambda n=n: seen.append(n))
    assert seen == list(range(50))

    def fail() -> None:
        raise ValueError("profile failed")

    with pytest.raises(ValueError, match="profile failed"), InOrder("t") as beside:
        beside.submit(fail)
        beside.submit(lambda: seen.append(-1))  # not run: an earlier call failed
    assert -1 not in seen

    with pytest.raises(KeyError), InOrder("t") as beside:  # the caller's own error wins
        beside.submit(lambda: seen.append(99))
        raise KeyError("load failed")
