"""``fake: KIND``: a realistic, keyed, consistent fake of the same kind (email, name, phone…).

The same original of the same kind becomes the same fake everywhere (the digest is keyed by
kind and normalized value). The fake then takes the original's shape: surrounding whitespace,
and letter case when the original was all upper or all lower case.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import Any

from sanitizer.errors import MaskingError
from sanitizer.mask import geometry
from sanitizer.mask.fakes import FAKES, UNIQUE_KINDS, FakeFn, bulk_emails, bulk_phones
from sanitizer.mask.operators.base import MaskContext, Operator
from sanitizer.mask.pseudonyms import Draw, normalize_many
from sanitizer.schema import BINARY, DATE, DATETIME, GEOMETRY, OTHER, STRING, ColumnInfo

# PostgreSQL's other geometric types: a point fake would not be a valid value of them.
NOT_POINTS = frozenset({"LINE", "LSEG", "BOX", "PATH", "POLYGON", "CIRCLE"})


class Fake(Operator):
    """Shaped like the original; the kinds are listed under ``fake`` kinds."""

    name = "fake"
    summary = "A consistent fake of the given kind: " + ", ".join(FAKES) + "."
    example = "email: {fake: email, unique: true}"
    replaces_every_value = True
    kinds = frozenset({STRING, OTHER, DATE, DATETIME, GEOMETRY, BINARY})

    def configure(self, argument: Any) -> None:
        if argument not in FAKES:
            close = difflib.get_close_matches(str(argument), FAKES, n=1)
            fix = f"did you mean {{fake: {close[0]}}}?" if close else ""
            raise self.invalid(
                f"unknown kind {argument!r}",
                f"{fix} Kinds: {', '.join(FAKES)}.".strip(),
            )
        self.kind: str = argument

    def can_be_unique(self) -> bool:
        return self.kind in UNIQUE_KINDS

    def applies_to(self, column: ColumnInfo) -> bool:
        """Date columns take ``fake: date`` only; an email cannot be stored as a date.

        Geometry and binary columns take ``fake: point`` only (a point is stored as bytes in
        MySQL/MariaDB), and ``fake: point`` goes nowhere a point cannot be stored.
        """
        if self.kind == "point":
            points = column.kind in (GEOMETRY, BINARY, STRING, OTHER)
            return points and column.sql_type.upper() not in NOT_POINTS
        if self.kind == "date":
            return column.kind in (STRING, OTHER, DATE, DATETIME)
        return column.kind in (STRING, OTHER)

    def label(self) -> str:
        return f"fake: {self.kind}"

    def mask_values(self, values: list[Any], ctx: MaskContext) -> list[Any]:
        if self.kind == "point":
            return fake_points(values, ctx)
        generate = FAKES[self.kind]
        # a unique column's re-draw needs a fresh permutation for the kinds that scramble
        # (postcode, iban), or the same collision would come back on every attempt
        fpe_key = ctx.keyring.subkey(f"format\x00{ctx.attempt}" if ctx.attempt else "format")
        plain = all(type(v) is str for v in values)  # text columns: nothing to convert
        texts = values if plain else [_as_text(v) for v in values]
        digests = ctx.keyring.digests(self.kind, normalize_many(self.kind, texts), ctx.attempt)
        quick: list[str | None] = [None] * len(texts)
        if self.kind == "email":
            quick = bulk_emails(texts, digests)
        elif self.kind == "phone":
            quick = bulk_phones(texts, digests)
        fakes = [
            take_shape(text, _generate(generate, text.strip(), digest, fpe_key))
            if fake is None
            else fake
            for text, digest, fake in zip(texts, digests, quick, strict=True)
        ]
        limit = ctx.column.max_length
        if self.kind == "email" and limit:
            fakes = [shorten_email(fake, limit) for fake in fakes]
        if plain:
            return fakes
        return [_as_original_type(fake, value) for fake, value in zip(fakes, values, strict=True)]


def _generate(generate: FakeFn, original: str, digest: bytes, fpe_key: bytes) -> str:
    """A fake that never equals its own original (a pool can hold the real name)."""
    draw = Draw(digest)
    fake = generate(original, draw, fpe_key)
    for _ in range(8):
        if fake.casefold() != original.casefold():
            break
        fake = generate(original, draw, fpe_key)  # the draw continues: a fresh choice
    return fake


def _as_text(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _as_original_type(fake: str, original: Any) -> Any:
    if isinstance(original, dt.datetime):
        day = dt.date.fromisoformat(fake[:10])
        return original.replace(year=day.year, month=day.month, day=min(day.day, 28))
    if isinstance(original, dt.date):
        return dt.date.fromisoformat(fake[:10])
    return fake


def shorten_email(email: str, limit: int) -> str:
    """Fit a fake email into VARCHAR(limit) by trimming the name, never the domain or tag.

    ``first.last.tag@example.com`` → ``tag@example.com`` when the column is short, so the
    result stays on a reserved domain and keeps its distinguishing tag.
    """
    if len(email) <= limit or "@" not in email:
        return email
    local, _, domain = email.rpartition("@")
    tag = local.rsplit(".", 1)[-1]
    room = limit - len(domain) - 1  # characters left for the local part
    if room > len(tag) + 1:
        name = local[: room - len(tag) - 1].rstrip(".")
        return f"{name}.{tag}@{domain}"
    return f"{tag[: max(room, 1)]}@{domain}"


def take_shape(original: str, fake: str) -> str:
    """Give ``fake`` the original's surrounding whitespace and all-upper/all-lower case."""
    if original.isupper():
        fake = fake.upper()
    elif original.islower():
        fake = fake.lower()
    if original[:1].isspace() or original[-1:].isspace():
        lead = original[: len(original) - len(original.lstrip())]
        trail = original[len(original.rstrip()) :]
        return f"{lead}{fake}{trail}"
    return fake


def fake_points(values: list[Any], ctx: MaskContext) -> list[Any]:
    """Keyed points, each in its original's format (text or bytes) and SRID.

    The digest is keyed on the point itself (SRID and coordinates), so the same place gives
    the same fake whether it came as WKT, hex EWKB or MySQL bytes. An empty point stays empty.
    """
    points = []
    for value in values:
        try:
            points.append(geometry.parse(value))
        except geometry.NotAPoint as exc:
            raise MaskingError(
                f"fake: point cannot mask column {ctx.column.name!r} ({ctx.column.sql_type}): "
                f"a value is {exc}, not a point.",
                hint="fake: point masks points (PostgreSQL point, WKT/EWKT, (E)WKB, "
                "MySQL/MariaDB geometry values); use null for other geometries.",
            ) from None
    digests = ctx.keyring.digests("point", [p.identity for p in points], ctx.attempt)
    out: list[Any] = []
    for value, point, digest in zip(values, points, digests, strict=True):
        if not (math.isfinite(point.x) and math.isfinite(point.y)):
            out.append(value)  # POINT EMPTY: nothing to hide
            continue
        draw = Draw(digest)
        out.append(point.moved(*geometry.fake_coordinates(point, draw.unit(), draw.unit())))
    return out
