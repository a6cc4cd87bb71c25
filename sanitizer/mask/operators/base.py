"""The operator interface: one small class per operator, self-describing and vectorized.

An operator declares its name, a one-line summary and a YAML example (the CLI and docs read
them, so docs cannot drift), which column kinds it accepts and whether it can keep distinct
values distinct. It masks a *list of unique, non-null values*; :func:`mask_series` maps the
result back onto the batch, so each distinct value is computed once per batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import polars as pl

from sanitizer.config.secret_settings import SecretsSettings
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.codecs import TextCodec
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.schema import STRING, ColumnInfo

ALL_KINDS = frozenset(
    {
        "string",
        "integer",
        "decimal",
        "float",
        "boolean",
        "date",
        "datetime",
        "time",
        "interval",
        "json",
        "binary",
        "geometry",
        "range",
        "other",
    }
)
TEXT_KINDS = frozenset({"string", "json", "other"})
# Every character Python's str.isspace() accepts, so polars and Python agree on "blank".
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


@dataclass
class MaskContext:
    """What an operator may use besides the values: the key, the column, detection settings.

    ``stats`` collects counts (e.g. detected entities) for the receipt; it never holds values.
    """

    keyring: Keyring
    column: ColumnInfo
    attempt: int = 0
    nlp: Any = None
    stats: dict[str, int] = field(default_factory=dict)
    # text → (kind, value) of the person columns of the records it is in: their names' parts
    # are known in that text (``detect``; see mask.text.known_values)
    people: dict[Any, tuple[tuple[str, str], ...]] | None = None

    def count(self, name: str, amount: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + amount


class Operator:
    """Base class; subclasses set the class attributes and implement :meth:`mask_values`."""

    name: ClassVar[str]
    summary: ClassVar[str]
    example: ClassVar[str]
    kinds: ClassVar[frozenset[str]] = TEXT_KINDS
    unique_capable: ClassVar[bool] = False
    changes_values: ClassVar[bool] = True  # False only for keep: values pass through
    strength: ClassVar[int] = 2  # 0 keep, 1 weak (noise, shift), 2 masked — for rules diff
    # True when every non-blank value must come out different (fake, hash, format, redact…),
    # so an unchanged value is a leak; False where unchanged can be right (detect on clean text).
    replaces_every_value: ClassVar[bool] = False
    # sanitize.yaml's ``secrets:`` (sinks for URLs), set on the built rules by the plan step
    # (plan/rules.py ``use_secrets``); None: the defaults. Travels with the operator to workers.
    secrets: SecretsSettings | None = None

    def __init__(self, argument: Any, where: Location) -> None:
        self.argument = argument
        self.where = where
        self.unique = False
        self.configure(argument)

    def operators(self) -> Iterator[Operator]:
        """This operator and every operator inside it (a json rule's paths, each's rule)."""
        yield self

    # -- parsing -------------------------------------------------------------------------
    def configure(self, argument: Any) -> None:
        """Validate the operator's argument; raise :meth:`invalid` on a bad one."""
        if argument not in (None, True, {}):
            raise self.invalid(f"takes no argument, got {argument!r}", f"write just: {self.name}")

    def invalid(self, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{self.where}: {self.name}: {problem}.", hint=fix)

    def can_be_unique(self) -> bool:
        return self.unique_capable

    @property
    def uses_nlp(self) -> bool:
        """Whether masking runs NLP (worth spreading over processes)."""
        return False

    @classmethod
    def takes(cls, column: ColumnInfo) -> bool:
        """Whether the operator (whatever its argument) takes values like ``column``'s."""
        return column.kind in cls.kinds

    def applies_to(self, column: ColumnInfo) -> bool:
        """Whether this rule can mask ``column``: by default, whether it takes the value kind."""
        return self.takes(column)

    def stays(self, value: str, column: ColumnInfo) -> bool:
        """Whether ``value`` may come out unchanged although this rule replaces every value
        (it holds nothing to mask: an ``infinity`` date, an ``empty`` range)."""
        return False

    def label(self) -> str:
        """How receipts and reports name this rule, e.g. ``fake: email``."""
        return self.name

    def domain(self) -> str:
        """The pseudonym domain: which other rules must produce the same outputs."""
        return self.label()

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Operator)
            and self.label() == other.label()
            and self.unique == other.unique
        )

    def __hash__(self) -> int:
        return hash((self.label(), self.unique))

    # -- masking -------------------------------------------------------------------------
    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        """Mask unique, non-null values (empty and whitespace-only strings already kept)."""
        raise NotImplementedError

    def mask_texts(self, texts: pl.Series, ctx: MaskContext, codec: TextCodec) -> pl.Series | None:
        """A bulk path over COPY texts, row by row in polars: each text masked exactly as
        decoding, :meth:`mask_values`, encoding and :func:`fit` would, or NULL where the path does
        not apply (the caller masks those one value at a time). None: the operator has no
        such path (most do not need one)."""
        return None


def is_blank(value: Any) -> bool:
    """Empty and whitespace-only strings are shape, not content: they stay as they are."""
    return isinstance(value, str) and not value.strip()


def mask_series(
    op: Operator,
    series: pl.Series,
    ctx: MaskContext,
    codec: TextCodec | None = None,
    memo: dict[Any, Any] | None = None,
) -> pl.Series:
    """Apply ``op`` to a batch column: NULL stays NULL, blanks stay, each value computed once.

    ``memo`` carries results across the batches of one column (values repeat across batches:
    the same customer's email in many orders); it is a cache of a pure function, so bounded
    by the caller and safe to drop at any time.
    """
    if not op.changes_values or series.len() == 0:
        return series
    fast = op.mask_texts(series, ctx, codec) if _bulk(series, codec) else None
    if fast is not None:
        if not fast.null_count() or fast.null_count() == series.null_count():
            return fast
        rest = pl.select(pl.when(fast.is_null()).then(series).alias(series.name)).to_series()
        return fast.fill_null(_mask_each(op, rest, ctx, codec, memo))
    return _mask_each(op, series, ctx, codec, memo)


def _bulk(series: pl.Series, codec: TextCodec | None) -> bool:
    return codec is not None and series.dtype == pl.String


def _mask_each(
    op: Operator,
    series: pl.Series,
    ctx: MaskContext,
    codec: TextCodec | None = None,
    memo: dict[Any, Any] | None = None,
) -> pl.Series:
    """:func:`mask_series` one distinct value at a time."""
    todo = unique_values(series)
    if not todo:
        return series
    memo = {} if memo is None else memo
    fresh = [v for v in todo if v not in memo]
    if fresh:
        inputs, outputs = (
            decoded_uniques(op, fresh, ctx, codec) if codec else mask_uniques(op, fresh, ctx)
        )
        memo.update(zip(inputs, outputs, strict=True))
    inputs = [v for v in todo if v in memo]
    outputs = [memo[v] for v in inputs]
    if series.dtype == pl.Object:
        mapping = dict(zip(inputs, outputs, strict=True))
        return pl.Series(
            series.name, [mapping.get(v, v) for v in series.to_list()], dtype=pl.Object
        )
    return series.replace(inputs, pl.Series(outputs, dtype=series.dtype, strict=False))


def unique_values(series: pl.Series) -> list[Any]:
    """The distinct non-NULL values that need masking (blanks are shape: they stay)."""
    uniques = series.drop_nulls().unique(maintain_order=True)
    if uniques.dtype == pl.String:
        blank = uniques.str.strip_chars(PY_WHITESPACE).str.len_chars() == 0
        return uniques.filter(~blank).to_list()
    return [v for v in uniques.to_list() if not is_blank(v)]


def mask_uniques(
    op: Operator, values: list[Any], ctx: MaskContext, codec: TextCodec | None = None
) -> tuple[list[Any], list[Any]]:
    """(inputs, outputs) for unique values; with a codec, values travel as text.

    A value the codec cannot type (PostgreSQL's ``infinity`` date, say) is left out, so it
    passes unchanged: such values carry no personal data.
    """
    if codec is None:
        return values, [fit(v, ctx.column) for v in op.mask_values(values, ctx)]
    texts = pl.Series(values, dtype=pl.String) if values else None
    fast = op.mask_texts(texts, ctx, codec) if texts is not None else None
    if fast is None:
        return decoded_uniques(op, values, ctx, codec)
    outputs = fast.to_list()
    misses = [value for value, out in zip(values, outputs, strict=True) if out is None]
    done = dict(zip(*decoded_uniques(op, misses, ctx, codec), strict=True)) if misses else {}
    inputs, results = [], []
    for value, out in zip(values, outputs, strict=True):
        if out is None:
            if value not in done:
                continue  # the codec could not type it: it passes unchanged
            out = done[value]
        inputs.append(value)
        results.append(fit(out, ctx.column))
    return inputs, results


def decoded_uniques(
    op: Operator, values: list[Any], ctx: MaskContext, codec: TextCodec
) -> tuple[list[Any], list[Any]]:
    """:func:`mask_uniques` through the codec: decode, mask, encode (one value at a time)."""
    typed, decoded = codec.decode(values)
    outputs = codec.encode(op.mask_values(typed, ctx)) if typed else []
    return [values[i] for i in decoded], [fit(v, ctx.column) for v in outputs]


# A reserved domain cut short can be a real one: example.co is registered, .ne is Niger's.
_CUT_DOMAIN = re.compile(r"example\.[a-z]{1,2}$", re.IGNORECASE)


def fit(value: Any, column: ColumnInfo) -> Any:
    """Trim a string to the column's declared length so the load never fails on it.

    A cut through a reserved domain stops before its dot, so masked text never ends in a
    deliverable ``example.co``.
    """
    limit = column.max_length if column.kind == STRING else None
    if limit and isinstance(value, str) and len(value) > limit:
        cut = value[:limit]
        partial = _CUT_DOMAIN.search(cut)
        return cut[: partial.start() + len("example")] if partial else cut
    return value
