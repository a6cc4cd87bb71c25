"""Work overlapped on threads: a result loaded in the background, a stage run ahead.

A vector run spends its time in three places that need not wait for each other: loading the
embedding model and the detector (imports, weights), masking records (detection: Python and
spaCy) and embedding them (PyTorch, which releases the GIL while it computes). These helpers
let one go on while another runs, without changing what any of them computes or the order
results come out in (docs/design.md, guarantee 8: every vector from its sanitized document).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


class Background(Generic[T]):
    """``work()`` started now on its own thread; :meth:`result` waits for it and returns
    its value, or raises what it raised (the same error a direct call would have)."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name=name)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def ahead(items: Iterable[T], depth: int = 2, name: str = "ahead") -> Iterator[T]:
    """``items``, produced on a thread up to ``depth`` items ahead of the consumer, in order.

    An error raised while producing is raised to the consumer at that point of the sequence;
    a consumer that stops early (an error of its own) makes the producer stop after the item
    it is on, so nothing is left running.
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                handoff.put(item)
        except BaseException as exc:  # re-raised on the consumer's side
            handoff.put(_Failed(exc))
            return
        handoff.put(_DONE)

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                handoff.get(timeout=0.05)
        thread.join()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class InOrder:
    """Calls run on one thread of their own, one at a time in the order submitted, while the
    caller goes on (at most ``depth`` waiting: what they hold stays bounded). A SQL table's
    fidelity profile is polars work, which releases the GIL: it runs beside reading, masking
    and loading, and sees the batches in the order it would have (docs/engine.md).

    Used as a context manager: leaving it waits for every call and raises the first error
    one raised; leaving it on an error drops the calls not yet run."""

    def __init__(self, name: str, depth: int = 4) -> None:
        self._calls: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (call := self._calls.get()) is not _DONE:
            if self._error is None:
                try:
                    call()  # type: ignore[operator]
                except BaseException as exc:  # raised to the caller at its next step
                    self._error = exc

    def submit(self, work: Callable[[], object]) -> None:
        """Queue ``work``; raises an error an earlier call raised."""
        if self._error is not None:
            raise self._error
        self._calls.put(work)

    def __enter__(self) -> InOrder:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:
            self._error = self._error or RuntimeError("stopped")  # the rest are dropped
        self._calls.put(_DONE)
        self._thread.join()
        if error is None and self._error is not None:
            raise self._error
