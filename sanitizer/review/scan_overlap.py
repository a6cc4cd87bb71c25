"""Kept text columns that hold the values of masked ones: proposed masked too.

A column scan would keep (``album.title``) can hold the production values of a column it
proposes to mask (``artist.name``): self-titled albums, "The Best Of Billy Cobham". Kept, those
values reach staging through it, and the run's leak check (docs/design.md, step 5) fails with
exit 5 — rightly. So once every column has its proposal, the values of the masked text columns
are looked for in each kept text column the way the leak check looks for them: as runs of whole
words (``sanitizer.mask.text.known_values``), values too short or too common to identify anyone
left out (values a fake could be are compared too: they are real production values all the
same). A kept column whose values are masked values word for word (a copied name) takes the
rule of the masked column it shares the most values with: pseudonyms are consistent for the
same kind (docs/design.md, guarantee 3), so the copy and the original get the same fake. A
column holding masked values inside longer text (titles) gets ``detect``, which replaces them
with what their columns make of them and keeps the rest of the text.

Bounded: one query per text column involved — each masked text column whose rule replaces every
value, each kept text column — reading at most :data:`OVERLAP_ROWS` rows of it
(``SELECT DISTINCT c FROM (SELECT c FROM t LIMIT n)``), never a whole table and no query per
pair of columns; the rows are whichever the database returns first (no ORDER BY, so no sort).
Memory: one hash per distinct masked value read (at most ``OVERLAP_ROWS`` per masked column),
and one kept column's distinct values at a time. A read takes milliseconds even on a table of
millions of rows; the whole comparison took 0.1–0.2 s on Chinook, Pagila and Sakila. A shared
value beyond the rows read can be missed: the leak check of the first run still catches it,
naming the column.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError, SourceError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.text.known_values import ENTITY_OF_KIND, WordIndex, trackable, words
from sanitizer.review.fields import unique_rule
from sanitizer.review.proposals import Proposal
from sanitizer.schema import STRING
from sanitizer.stores.sql import reason
from sanitizer.verify.tracker import tracks

if TYPE_CHECKING:
    from sanitizer.extract.sql import SourceTable, SqlSource

OVERLAP_ROWS = 10_000  # rows read per column to compare kept and masked values
NAMED = 4  # masked columns a comment names (the most shared first)
WHOLE_SHARE = 0.8  # from this share of whole masked values, a column is a copy of them


@dataclass(frozen=True)
class Column:
    """A text column of a scanned table, with the reflected table to read it from."""

    source: SourceTable
    name: str

    @property
    def label(self) -> str:
        return f"{self.source.info.name}.{self.name}"


class SharedValues(WordIndex):
    """The masked columns' values by the hash of their words, labelled with the columns that
    hold them (``a.x`` or, held by two, ``a.x`` SEP ``b.y``): one dict entry per value."""

    SEP = "\x1e"

    def add(self, value: str, label: str = "") -> bool:
        tokens = words(value)
        if not trackable(tokens):
            return False
        digest = self._hash(tokens)
        held = self.labels.setdefault(digest, label)
        if label not in held.split(self.SEP):
            self.labels[digest] = held + self.SEP + label
        self.sizes.add(len(tokens))
        self.firsts.add(hash((self.salt, tokens[0])))
        return True

    def owners_in(self, text: str) -> set[str]:
        """The masked columns whose values occur in ``text`` as runs of whole words."""
        return {owner for *_, held in self.find(text) for owner in held.split(self.SEP)}

    def is_one(self, text: str) -> bool:
        """Whether ``text`` is, word for word, one masked value (not a longer text)."""
        return self._hash(words(text)) in self.labels


@dataclass
class Shared:
    """What a kept column's sampled values share with the masked columns."""

    sampled: int  # distinct values read
    holding: int = 0  # values holding a masked value
    whole: int = 0  # values that are one masked value, word for word
    owners: Counter[str] = field(default_factory=Counter)  # masked column → values


def mask_shared(
    sql: SqlSource,
    tables: list[SourceTable],
    proposals: list[Proposal],
    derived: set[tuple[str, str]],
    rows: int = OVERLAP_ROWS,
) -> list[Proposal]:
    """``proposals`` with each kept text column that holds a masked column's values masked
    like that column (``derived``: (table, column) the database computes, left as proposed)."""
    by_name = {t.info.name: t for t in tables}
    masked: list[tuple[Column, Proposal]] = []
    kept: list[tuple[int, Column]] = []
    for i, p in enumerate(proposals):
        source = by_name.get(p.table)
        column = source.info.columns.get(p.column) if source is not None else None
        if column is None or column.kind != STRING or (p.table, p.column) in derived:
            continue
        if p.rule == "keep":
            kept.append((i, Column(source, p.column)))
        elif _replaces_every_value(p.rule):
            masked.append((Column(source, p.column), p))
    if not masked or not kept:
        return proposals
    index = SharedValues()
    for column, _ in masked:
        for value in read_values(sql, column, rows):
            index.add(value, column.label)
    if not len(index):
        return proposals
    rules = {column.label: p.rule for column, p in masked}
    out = list(proposals)
    for i, column in kept:
        values = read_values(sql, column, rows)
        shared = Shared(len(values))
        for value in values:
            owners = index.owners_in(value)
            if owners:
                shared.holding += 1
                shared.whole += index.is_one(value)
                shared.owners.update(owners)
        if shared.holding:
            out[i] = _masked_like(column, out[i], shared, rules)
    return out


def read_values(sql: SqlSource, column: Column, rows: int) -> list[str]:
    """The distinct text values among the first ``rows`` rows of one column."""
    table = column.source.table
    first = sa.select(table.c[column.name].label("v")).limit(rows).subquery()
    query = sa.select(first.c.v).where(first.c.v.is_not(None)).distinct()
    try:
        return [v for v in sql.connection.execute(query).scalars() if isinstance(v, str)]
    except SQLAlchemyError as exc:
        raise SourceError(
            f"source {sql.name!r}: reading {column.label} to compare it with the masked "
            f"columns failed: {reason(exc)}.",
            hint="check the connection and the role's SELECT privilege.",
            transient=True,
        ) from None


def _replaces_every_value(rule: Any) -> bool:
    """Whether the leak check tracks a column with this rule (fake, hash, format…)."""
    if rule in ("keep", "detect", "null"):
        return False
    try:
        return tracks(parse_rule(rule, Location("scan", 0)))
    except ConfigError:
        return False


def _masked_like(
    column: Column, proposal: Proposal, shared: Shared, rules: dict[str, Any]
) -> Proposal:
    """The kept column's new proposal.

    Values that are masked values word for word (a copied name): the rule of the masked column
    it shares most with — the same value of the same kind gets the same fake. Masked values
    inside longer texts (titles naming an artist): ``detect``, which replaces the run's known
    values (columns masked with ``fake`` or ``format``) with what their columns make of them
    and keeps the rest of the text — unless the column is unique (``detect`` cannot keep
    values distinct) or a masked column's values are not known values (``hash``…).
    """
    owner = shared.owners.most_common(1)[0][0]
    ranked = shared.owners.most_common()
    counts = ", ".join(f"{o} {c}" for o, c in ranked[:NAMED])
    counts += f" and {len(ranked) - NAMED} more" if len(ranked) > NAMED else ""
    target = column.source.info.columns[column.name]
    texts = shared.whole < WHOLE_SHARE * shared.holding
    if texts and not target.unique and all(known_rule(rules[o]) for o in shared.owners):
        return replace(
            proposal,
            rule="detect",
            evidence=f"{shared.holding}/{shared.sampled} sampled values hold values of masked "
            f"columns inside longer text ({counts}): detect replaces them with the fakes their "
            "columns get and keeps the rest",
        )
    rule = rules[owner]
    if isinstance(rule, dict) and rule.get("unique") and not target.unique:
        rule = {k: v for k, v in rule.items() if k != "unique"}
    return replace(
        proposal,
        rule=unique_rule(rule, target),
        evidence=f"{shared.holding}/{shared.sampled} sampled values hold values of masked "
        f"columns ({counts}): masked like {owner} so that none reaches staging through this "
        "column (an equal value gets the same fake)",
    )


def known_rule(rule: Any) -> bool:
    """Whether ``detect`` finds this rule's values in other texts: ``fake`` of a kind that
    has an entity, or ``format`` (the run's known values: :mod:`sanitizer.run.faked_values`)."""
    if not isinstance(rule, dict):
        return False
    return rule.get("fake") in ENTITY_OF_KIND or "format" in rule
