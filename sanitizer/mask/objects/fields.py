"""Object metadata and tags: each field masked by its rule, and dropped when it has none.

Metadata and tags are small free-form maps anybody can write to (``uploaded-by: jane@…``), so
nothing is copied unless a rule says how: a named field's rule, else the ``"*"`` rule, else
the field is left out of the staging object (and counted as dropped in the receipt).
"""

from __future__ import annotations

from sanitizer.mask.objects import ObjectContext
from sanitizer.mask.operators.base import Operator

WILDCARD = "*"


def mask_fields(
    rules: dict[str, Operator | None], values: dict[str, str], ctx: ObjectContext, kind: str
) -> tuple[dict[str, str], int]:
    """(masked fields, how many were dropped) for one object's metadata or tags."""
    lowered = {name.lower(): op for name, op in rules.items()}
    out: dict[str, str] = {}
    dropped = 0
    for name, value in values.items():
        op = lowered.get(name.lower(), lowered.get(WILDCARD))
        if op is None:
            dropped += 1
            continue
        out[name] = ctx.apply(op, [value], f"{kind}.{name}")[0]
    return out, dropped
