"""Which staging texts the secrets sweep must look at, decided for a batch of texts at once.

The sweep (verify/secrets.py) runs every text of an object through the credential detectors
and the learned production hosts, one text at a time — a CSV line, a JSON leaf. Most texts
hold nothing any detector can start from, and that is decidable in bulk (docs/design.md,
"Verification"): a gitleaks rule only runs on a text whose lower case holds one of its
keywords, a keyword context needs one of a few words, a URL finding needs ``://``, and a
learned host can only be found in a text whose lower case holds that host. One Aho-Corasick
pass of polars over a batch finds, per text, the rule keywords it holds (the set the detectors
would find themselves) and whether the other triggers are there; a text with none of them is
quiet, and the sweep counts it without looking (the answer would be "nothing"). This changes
which texts are looked at, never what a look finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

import polars as pl

from sanitizer.mask.secrets.find import CONTEXT_WORDS, secret_name
from sanitizer.mask.secrets.rules import ruleset
from sanitizer.verify.hosts import HostIndex

T = TypeVar("T")
BATCH = 8192  # texts triaged together: big enough for one polars pass to pay, flat memory
# Python lowers a capital sigma by its context (final or not); a learned host is compared
# with a part of the lowered text, so a text holding one is looked at the slow way
CONTEXT_CASED = "\u03a3"


@dataclass(frozen=True)
class Triaged:
    """What one text may hold: the rule keywords in it, and whether a keyword context or
    URL (``secretish``) or a learned host (``host``) could be found there."""

    keywords: frozenset[str]
    secretish: bool
    host: bool

    @property
    def quiet(self) -> bool:
        return not (self.keywords or self.secretish or self.host)


QUIET = Triaged(frozenset(), False, False)


@lru_cache(maxsize=4096)
def hinted(hint: str | None) -> bool:
    """Whether a field's name (a JSON key) makes the sweep look at any value of it."""
    return secret_name(hint)


class Triage:
    """The triggers of one sweep: gitleaks' keywords, context words, the learned hosts."""

    def __init__(self, hosts: HostIndex) -> None:
        keywords = sorted(ruleset().by_keyword)
        # a line pair (verify/secrets.across_lines) holds exactly its lines' keywords
        assert not any("\n" in k or "\r" in k for k in keywords)
        self.keywords = keywords
        self.words = sorted({*CONTEXT_WORDS, "://"})
        self.hosts = sorted({h.lower() for h in hosts.hosts})
        self.v6 = any(":" in h for h in self.hosts)  # found as addresses, in any spelling

    def batch(self, texts: list[str]) -> list[Triaged]:
        """One :class:`Triaged` per text, in order."""
        if not texts:
            return []
        lowered = pl.Series([t.lower() for t in texts], dtype=pl.String)
        found = lowered.str.extract_many(self.keywords, overlapping=True).to_list()
        secretish = lowered.str.contains_any(self.words).to_list()
        host = self._hosts(texts, lowered)
        return [
            Triaged(frozenset(f) if f else frozenset(), s, h)
            for f, s, h in zip(found, secretish, host, strict=True)
        ]

    def _hosts(self, texts: list[str], lowered: pl.Series) -> list[bool]:
        if not self.hosts:
            return [False] * len(texts)
        host = lowered.str.contains_any(self.hosts).to_list()
        for i, text in enumerate(texts):
            if not host[i] and (CONTEXT_CASED in text or (self.v6 and text.count(":") >= 2)):
                host[i] = True
        return host

    def objects(
        self, infos: Iterable[T], texts_of: Callable[[T], Iterable[tuple[str, str]]]
    ) -> Iterator[tuple[T, Iterator[tuple[str, str, Triaged]]]]:
        """Each of ``infos`` with its (place, text, triaged) texts, in order. Texts are
        triaged a batch at a time across objects (building a batch's automaton costs about
        a millisecond: per small JSON object it would cost more than it saves), so the texts
        of the next objects are read before this one is handed on."""
        events = self._events(infos, texts_of)
        for _, group in groupby(events, key=itemgetter(0)):
            info = next(group)[1]
            yield info, (item for _, item in group)  # noqa: B031 (read before the next)

    def _events(
        self, infos: Iterable[T], texts_of: Callable[[T], Iterable[tuple[str, str]]]
    ) -> Iterator[tuple[int, Any]]:
        """(n, info) of the n-th object, then (n, (place, text, triaged)) of its texts."""
        pending: list[tuple[int, Any]] = []
        for number, info in enumerate(infos):
            pending.append((number, info))
            for item in texts_of(info):
                pending.append((number, item))
                if len(pending) >= BATCH:
                    yield from self._flush(pending)
                    pending = []
        yield from self._flush(pending)

    def _flush(self, events: list[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """The events with each text's triage added (an object's info is no tuple)."""
        triaged = iter(self.batch([e[1] for _, e in events if isinstance(e, tuple)]))
        for number, event in events:
            yield number, (*event, next(triaged)) if isinstance(event, tuple) else event
