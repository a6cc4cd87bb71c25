"""Which staging texts the secrets sweep must look at, decided for a batch of texts at once.

The sweep (verify/secrets.py) runs every text of an object through the credential detectors
and the learned production hosts, one text at a time — a CSV line, a JSON leaf. Most texts
hold nothing any detector can start from, and that is decidable in bulk (docs/design.md,
"Data flow", step 5): a gitleaks rule only runs on a text whose lower case holds one of its
keywords, a keyword context needs one of a few words, a URL finding needs ``://``, and a
learned host can only be found in a text whose lower case holds that host. One Aho-Corasick
pass of polars over a batch finds, per text, the rule keywords it holds (the set the detectors
would find themselves; a keyword whose rules' patterns cannot match the text is dropped, see
:class:`Triage`) and whether the other triggers are there; a text with none of them is
quiet, and the sweep counts it without looking (the answer would be "nothing"). This changes
which texts are looked at, never what a look finds.

A column of a database is cleared the same way, whole (:func:`could_hold_credential`,
:func:`could_name_host`), but without lowercasing each value in Python first: one pass of
polars with ASCII case folding answers it for every distinct value. Where that folding is not
the lowercasing the detectors do, the text is looked at one by one as before: a character whose
lowercase is ASCII though it is not (``İ``, the Kelvin sign), a non-ASCII needle, and JSON
(``{`` or ``[``: its leaves are looked at decoded, ``\\u0070assword`` is ``password``). A text
either test clears cannot be flagged; any other is looked at exactly as without it
(docs/operations.md, "Secrets and production hosts"; guarantee 11).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np
import polars as pl

from sanitizer.mask.secrets.find import CONTEXT_WORDS, secret_name
from sanitizer.mask.secrets.rules import ruleset
from sanitizer.verify.hosts import HostIndex

T = TypeVar("T")
LINE_PLACE = re.compile(r"line \d+")  # a line of a text object (JSON Lines leaves: "line 3 $.a")
BATCH = 8192  # texts triaged together: big enough for one polars pass to pay, flat memory
# a rule's pattern is asked of polars when this many texts of a batch hold its keywords:
# compiling a gitleaks pattern for Rust takes milliseconds, more than looking at a few texts
CHECKED = 512
# Python lowers a capital sigma by its context (final or not); a learned host is compared
# with a part of the lowered text, so a text holding one is looked at the slow way
CONTEXT_CASED = "\u03a3"


# what starts a look besides a rule keyword: a keyword context needs one of these words, a URL
# finding "://"
TRIGGER_WORDS = tuple(sorted({*CONTEXT_WORDS, "://"}))

# characters that are not ASCII but lowercase to ASCII (str.lower): an ASCII-folding search
# would miss the keyword they become; checked against every code point in the tests
FOLDS_TO_ASCII = "\u0130\u212a"
ALWAYS_LOOK = ("{", "[", *FOLDS_TO_ASCII)
NON_ASCII = r"[^\x00-\x7F]"


@functools.cache
def credential_needles() -> tuple[str, ...]:
    """Every literal one of which a credential finding needs (the detectors' own keywords)."""
    return tuple(sorted({*ruleset().by_keyword, *TRIGGER_WORDS}))


def could_hold_credential(texts: pl.Series) -> pl.Series:
    """Per text: whether :func:`~sanitizer.mask.secrets.find_secrets` could find anything."""
    return _holds_any(texts, credential_needles())


def could_name_host(texts: pl.Series, hosts: Collection[str]) -> pl.Series:
    """Per text: whether it could hold one of the learned ``hosts`` (HostIndex.found_in)."""
    if not hosts:
        return pl.Series(texts.name, [False] * texts.len(), dtype=pl.Boolean)
    needles = tuple(sorted({h.lower() for h in hosts}))
    return _holds_any(texts, needles) | (texts.str.count_matches(":", literal=True) >= 2)


def _holds_any(texts: pl.Series, needles: tuple[str, ...]) -> pl.Series:
    """Whether each text holds a needle (ASCII case folded), or must be looked at anyway."""
    found = texts.str.contains_any(list(needles), ascii_case_insensitive=True)
    found = found | texts.str.contains_any(list(ALWAYS_LOOK))
    if not all(n.isascii() for n in needles):  # folding is ASCII only: look at the rest
        found = found | texts.str.contains(NON_ASCII)
    return found.fill_null(True)


@dataclass(frozen=True)
class Triaged:
    """What one text may hold: the rule keywords in it whose rules' patterns match it, and
    whether a keyword context or URL (``secretish``) or a learned host (``host``) could be
    found there; ``pair``: the same of the text joined to the line before it, for a line of
    an object (verify/secrets.across_lines), None for the first line and for other texts."""

    keywords: frozenset[str]
    secretish: bool
    host: bool
    pair: Triaged | None = None

    @property
    def quiet(self) -> bool:
        return not (self.keywords or self.secretish or self.host)

    @property
    def pair_quiet(self) -> bool:
        return self.pair is None or not (self.pair.keywords or self.pair.secretish)


QUIET = Triaged(frozenset(), False, False)
QUIET_LINE = Triaged(frozenset(), False, False, QUIET)  # a quiet line after a quiet pair
NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def hinted(hint: str | None) -> bool:
    """Whether a field's name (a JSON key) makes the sweep look at any value of it."""
    return secret_name(hint)


class Triage:
    """The triggers of one sweep: gitleaks' keywords and patterns, context words, the
    learned hosts.

    A keyword only says a rule *may* match; whether its pattern does is asked of polars
    (Rust's regex engine, which reads gitleaks' RE2 patterns as written) for all the texts
    holding the keyword at once. On ASCII text RE2, Rust and the ``re`` translation the
    detectors run agree on whether a pattern matches anywhere (the character classes differ
    only beyond ASCII), so a rule whose pattern polars finds nowhere in an ASCII text would
    find nothing there; other texts, and a pattern polars cannot compile, keep every keyword.
    """

    def __init__(self, hosts: HostIndex) -> None:
        rules = ruleset()
        keywords = sorted(rules.by_keyword)
        # a line pair's keywords and trigger words are its two lines' (batch(pairs=...)): none
        # spans the newline that joins them, and lowering ASCII is lowering each character
        assert not any("\n" in k or "\r" in k for k in (*keywords, *TRIGGER_WORDS))
        self.joinable = all(k.isascii() for k in (*keywords, *TRIGGER_WORDS))
        self.keywords = keywords
        number = {id(rule): n for n, rule in enumerate(rules.rules)}
        self.rules_of = {k: tuple(number[id(r)] for r in rs) for k, rs in rules.by_keyword.items()}
        self.patterns: list[str | None] = [rule.source or None for rule in rules.rules]
        self.keywords_of = [rule.keywords for rule in rules.rules]
        self.keyword_rules = pl.DataFrame(
            [(k, r) for k, rs in self.rules_of.items() for r in rs],
            schema={"word": pl.String, "rule": pl.Int64},
            orient="row",
        )
        self.words = list(TRIGGER_WORDS)
        self.hosts = sorted({h.lower() for h in hosts.hosts})
        self.v6 = any(":" in h for h in self.hosts)  # found as addresses, in any spelling
        self._last: tuple[int, str] | None = None  # the last line seen: (object, text)

    def batch(
        self,
        texts: list[str],
        hosts: int | None = None,
        pairs: list[tuple[int, int]] | None = None,
    ) -> list[Triaged]:
        """One :class:`Triaged` per text, in order (``hosts``: only the first so many texts
        are looked at for learned hosts; by default all). Quiet texts share one instance.
        ``pairs``: the last ``len(pairs)`` texts each join two earlier ones (a line, its line
        end cut, a newline, the next line: :meth:`_flush`), given by their positions; their
        keywords and trigger words are those two texts' — none spans the joining newline —
        so only their patterns are asked of the joined text itself."""
        if not texts:
            return []
        series = pl.Series(texts, dtype=pl.String)
        alone = len(texts) - len(pairs or ())
        lowered = pl.Series([t.lower() for t in texts[:alone]], dtype=pl.String)
        found = lowered.str.extract_many(self.keywords, overlapping=True)
        secretish = lowered.str.contains_any(self.words)
        if pairs:
            first = pl.Series([a for a, _ in pairs], dtype=pl.UInt32)
            second = pl.Series([b for _, b in pairs], dtype=pl.UInt32)
            both = pl.DataFrame({"a": found.gather(first), "b": found.gather(second)})
            joined = both.select(pl.concat_list("a", "b").alias(found.name)).to_series()
            found = pl.concat([found, joined])
            secretish = pl.concat([secretish, secretish.gather(first) | secretish.gather(second)])
        may = self._may_match(series, found)  # rule → texts its pattern may match
        host = self._hosts(texts[:hosts], lowered[:hosts])
        host += [False] * (len(texts) - len(host))
        loud = secretish.to_numpy() | np.array(host, dtype=bool)
        for flags in may.values():
            loud |= flags
        out: list[Triaged] = [QUIET] * len(texts)
        loud_at = np.flatnonzero(loud).tolist()
        if not loud_at:
            return out
        at = pl.Series(loud_at, dtype=pl.UInt32)
        words = found.gather(at).to_list()
        maybe = {rule: flags[loud_at].tolist() for rule, flags in may.items()}
        secret = secretish.gather(at).to_list()
        for n, i in enumerate(loud_at):
            kept = frozenset(
                w for w in words[n] or () if any(maybe[r][n] for r in self.rules_of[w])
            )
            out[i] = Triaged(kept, secret[n], host[i])
        return out

    def _may_match(self, texts: pl.Series, found: pl.Series) -> dict[int, np.ndarray]:
        """Per rule whose keywords the batch holds: which texts hold one of them and, when
        ASCII, match its pattern too (Rust's engine on gitleaks' RE2 pattern). Which texts
        hold which rules' keywords is one join of the (text, keyword) pairs with the
        (keyword, rule) pairs, not a pass over the batch per keyword; a pattern is asked of
        only the texts that hold one of its rule's keywords."""
        lengths = found.list.len().fill_null(0).to_numpy()
        rows = pl.DataFrame(
            {
                "row": np.repeat(np.arange(len(found), dtype=np.int64), lengths),
                "word": found.explode(empty_as_null=False),
            }
        )
        pairs = rows.join(self.keyword_rules, on="word").select("rule", "row").unique()
        rule_of, row_of = (pairs.get_column(c).to_numpy() for c in ("rule", "row"))
        order = np.argsort(rule_of, kind="stable")
        rule_of, row_of = rule_of[order], row_of[order]
        rules, starts = np.unique(rule_of, return_index=True)
        ends = [*starts[1:].tolist(), len(rule_of)][: len(starts)]
        other: np.ndarray | None = None
        may = {}
        for rule, start, end in zip(rules.tolist(), starts.tolist(), ends, strict=True):
            holds = np.zeros(len(texts), dtype=bool)
            holds[row_of[start:end]] = True
            pattern = self.patterns[rule]
            if pattern is not None and end - start >= CHECKED:
                if other is None:  # not ASCII: every rule asked
                    other = (~texts.str.contains(r"^[\x00-\x7f]*$")).to_numpy()
                at = np.flatnonzero(holds)
                try:
                    matched = texts.gather(at).str.contains(pattern).to_numpy()
                except pl.exceptions.PolarsError:  # too large for Rust's engine: always asked
                    self.patterns[rule] = None
                else:
                    holds[at[~(matched | other[at])]] = False
            may[rule] = holds
        return may

    def _hosts(self, texts: list[str], lowered: pl.Series) -> list[bool]:
        if not self.hosts:
            return [False] * len(texts)
        host = lowered.str.contains_any(self.hosts).to_list() if texts else []
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
        self._last = None
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
        """The events with each text's triage added (an object's info is no tuple), a
        line's with its pair's (the text across_lines looks at: the line before, its line
        end cut, a newline, this line)."""
        texts: list[str] = []
        pairs: list[str | None] = []
        of: list[tuple[int, int]] = []  # each pair's two lines, by position in ``texts``
        carried = self._last  # the line before this batch's first
        last = -1  # the position of the line in self._last, when it is this batch's
        for number, event in events:
            if isinstance(event, tuple):
                place, text = event
                texts.append(text)
                pair = None
                if LINE_PLACE.fullmatch(place):
                    if self._last is not None and self._last[0] == number:
                        pair = f"{self._last[1].rstrip(chr(13) + chr(10))}\n{text}"
                        of.append((last, len(texts) - 1))
                    self._last, last = (number, text), len(texts) - 1
                pairs.append(pair)
        joined = [p for p in pairs if p is not None]
        singles = texts
        if joined and self.joinable:  # pairs from their lines' keywords (see batch)
            if of[0][0] < 0:  # the first pair's line came in the batch before: asked again
                assert carried is not None
                singles = [*texts, carried[1]]
                of[0] = (len(texts), of[0][1])
            triaged = self.batch(singles + joined, hosts=len(texts), pairs=of)
        else:
            triaged = self.batch(texts + joined, hosts=len(texts))  # pairs: hosts are per line
        triaged = triaged[: len(texts)] + triaged[len(singles) :]
        alone, together = iter(triaged[: len(texts)]), iter(triaged[len(texts) :])
        plain = iter(pairs)
        for number, event in events:
            if not isinstance(event, tuple):
                yield number, event
                continue
            seen = next(alone)
            if next(plain) is not None:
                pair = next(together)
                if seen is QUIET and pair is QUIET:
                    seen = QUIET_LINE  # most lines: one shared instance
                else:
                    seen = Triaged(seen.keywords, seen.secretish, seen.host, pair)
            yield number, (*event, seen)
