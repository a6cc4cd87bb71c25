"""Production values of masked fields, from any store, into the leak index.

SQL columns, object fields (JSON paths, CSV and Parquet columns, metadata, tags) and vector
fields (documents, metadata) follow one rule: a value whose operator replaces every value
(fake, hash, format, redact…) must not reach staging anywhere, so it is indexed; a ``detect``
text is only scanned — the values it shares with such fields are what it is checked for, as on
the SQL side. The fakes the operators make of indexed values are noted and forgotten from the
index before the scan: a fake may legitimately equal another field's production value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.operators.json import Json
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING, ColumnInfo
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import HashMemo, LeakIndex, first_seen_at, hashes_of

Path = tuple[str | int, ...]
HOLD = 8192  # values held before they are indexed (Tracker.holding)


def tracks(op: Operator | None) -> bool:
    """Whether ``op`` masks a text value so that any trace of the original is a leak."""
    if op is None:
        return False
    if isinstance(op, Json):
        return any(tracks(rule.operator) for rule in op.paths)
    return op.changes_values and op.replaces_every_value and STRING in op.kinds


def strings(value: Any) -> Iterator[str]:
    """The text values inside a field value: itself, or the items of a list."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def leaves(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(path, value) of every scalar leaf of a parsed JSON document."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield from leaves(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from leaves(child, (*path, index))
    else:
        yield path, node


def _path_leaves(op: Json, documents: Iterable[Any]) -> Iterator[tuple[int, str]]:
    """(path rule index, text) of every text leaf a tracked path rule governs."""
    wanted = {i for i, rule in enumerate(op.paths) if tracks(rule.operator)}
    for document in documents:
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError:
                continue
        for path, value in leaves(document):
            if isinstance(value, str):
                index = op.rule_index(path)
                if index in wanted:
                    yield index, value


def tracked_leaves(op: Json, documents: Iterable[Any]) -> Iterator[str]:
    """The text leaves of documents that a tracked path rule governs."""
    return (value for _, value in _path_leaves(op, documents))


class Tracker:
    """Adds a store's tracked values to a run's (or ``verify``'s) index; with ``fakes``, the
    fakes made of them are noted too. Making them costs as much as masking again, so a check
    first scans without them and only when it finds something indexes again with them.
    With ``hosts``, the destination hosts in the values are learned too (docs/operations.md,
    "Secrets and production hosts"), each under ``field``, which the caller sets."""

    def __init__(
        self,
        index: LeakIndex,
        keyring: Keyring,
        fakes: bool = False,
        hosts: HostIndex | None = None,
    ) -> None:
        self.index = index
        self.with_fakes = fakes
        self.hosts = hosts
        self.field = ""  # the field being offered, as a host learned from it is reported
        self.added = 0  # values this tracker offered that the index took
        self.seen = HashMemo()  # hashes of values already offered (objects repeat them)
        self.fakes: list[str] = []
        self.ctx = MaskContext(keyring, ColumnInfo(name="$", kind=STRING, sql_type="TEXT"))
        self._holding = False
        self._held: list[str] = []  # texts offered while holding, in order
        self._held_ops: list[Operator] = []  # the operator of each
        self._held_field = ""

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Within: values offered are held and indexed a few thousand at a time (and when
        ``field`` changes, and on leaving), not per call — a bucket of small objects offers
        a few values per object, and each offer costs lookups of arrays. Held in order, so
        each value is still indexed under the operator it came with first, hosts are
        learned in the same order under the same field, and the index ends the same."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            self.flush()

    def flush(self) -> None:
        """Index the values held (see :meth:`holding`)."""
        if not self._held:
            return
        texts, ops, self._held, self._held_ops = self._held, self._held_ops, [], []
        field, self.field = self.field, self._held_field
        try:
            self._index(texts, ops)
        finally:
            self.field = field

    def values(self, op: Operator | None, values: Iterable[Any]) -> None:
        """Index the text values of one field masked by ``op`` (JSON: by path)."""
        if not tracks(op):
            return
        assert op is not None
        if isinstance(op, Json):
            self.documents(op, values)
            return
        texts = [s for v in values for s in strings(v) if s.strip()]
        if not self._holding:
            self._index(texts, [op] * len(texts))
            return
        if self._held and self.field != self._held_field:
            self.flush()
        self._held_field = self.field
        self._held += texts
        self._held_ops += [op] * len(texts)
        if len(self._held) >= HOLD:
            self.flush()

    def _index(self, texts: list[str], ops: list[Operator]) -> None:
        """Index each text not offered before (the first of equal ones, with its operator)."""
        first = first_seen_at(hashes_of(texts), self.seen)  # type: ignore[arg-type]
        fresh = [texts[i] for i in first.tolist()]
        if self.hosts is not None:
            self.hosts.learn(fresh, self.field)
        taken = self.index.add_many(fresh)
        self.added += int(taken.sum())
        if not self.with_fakes or not taken.any():
            return
        by_op: dict[int, tuple[Operator, list[str]]] = {}
        for i in first[taken].tolist():
            by_op.setdefault(id(ops[i]), (ops[i], []))[1].append(texts[i])
        for op, added in by_op.values():
            self.fakes.extend(f for f in op.mask_values(added, self.ctx) if isinstance(f, str))

    def documents(self, op: Json, documents: Iterable[Any]) -> None:
        """Index the leaves of JSON documents (parsed, or as text) by their path's rule."""
        groups: dict[int, list[Any]] = {}
        for index, value in _path_leaves(op, documents):
            groups.setdefault(index, []).append(value)
        for index, values in groups.items():
            self.values(op.paths[index].operator, values)

    def finish(self) -> None:
        """Forget indexed values a fake of this run contains (see the module docstring)."""
        self.flush()
        self.index.forget_within(self.fakes)
        self.fakes.clear()
