"""Which texts of a column the secrets sweep must look at one by one: an exact test over a
whole column at once (docs/operations.md, "Secrets and production hosts"; guarantee 11).

:meth:`sanitizer.verify.secrets.Sweep.look` can only flag a text that holds one of these:

- a keyword of a gitleaks rule (a rule runs only when one is in the lowercased text), a
  keyword-context word (``pass``, ``pwd``, ``secret``, ``token``, ``key``, ``credential``:
  both context patterns need one) or ``://`` (every URL finding needs one);
- a production host the run learned, as a substring (every name a host match is looked up
  under is a part of the text), or two colons (an IPv6 address, compared once normalized).

Each is a literal, so one Aho-Corasick pass of polars (``str.contains_any``, ASCII case
folded) answers it for every distinct value of a column. Where that folding is not the
lowercasing the detectors do, the text is looked at one by one as before: a character whose
lowercase is ASCII though it is not (``İ``, the Kelvin sign), a non-ASCII needle, and JSON
(``{`` or ``[``: its leaves are looked at decoded, ``\\u0070assword`` is ``password``). A text
this test clears cannot be flagged; any other is looked at exactly as without it.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

import polars as pl

from sanitizer.mask.secrets.find import CONTEXT_WORDS
from sanitizer.mask.secrets.rules import ruleset

# characters that are not ASCII but lowercase to ASCII (str.lower): an ASCII-folding search
# would miss the keyword they become; checked against every code point in the tests
FOLDS_TO_ASCII = "\u0130\u212a"
ALWAYS_LOOK = ("{", "[", *FOLDS_TO_ASCII)
NON_ASCII = r"[^\x00-\x7F]"


@functools.cache
def credential_needles() -> tuple[str, ...]:
    """Every literal one of which a credential finding needs (the detectors' own keywords)."""
    words = {*ruleset().by_keyword, *CONTEXT_WORDS, "://"}
    return tuple(sorted(words))


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
