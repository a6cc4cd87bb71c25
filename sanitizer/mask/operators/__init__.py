"""The operator registry: one class per file, registered here by name.

``parse_rule`` turns one YAML rule (``keep``, ``{fake: email, unique: true}``…) into an
operator instance, with file:line errors that suggest the nearest operator name.
"""

from __future__ import annotations

import difflib
from typing import Any

from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators.base import Operator
from sanitizer.mask.operators.constant import Constant
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.format import Format
from sanitizer.mask.operators.hash import Hash
from sanitizer.mask.operators.json import Json
from sanitizer.mask.operators.keep import Keep
from sanitizer.mask.operators.noise import Noise
from sanitizer.mask.operators.null import Null
from sanitizer.mask.operators.redact import Redact
from sanitizer.mask.operators.shift_date import ShiftDate


def _registry(*classes: type[Operator]) -> dict[str, type[Operator]]:
    registry: dict[str, type[Operator]] = {}
    for cls in classes:
        if cls.name in registry:
            raise RuntimeError(f"two operators are named {cls.name!r}")
        registry[cls.name] = cls
    return registry


OPERATORS = _registry(
    Keep, Null, Redact, Constant, Hash, Fake, Format, ShiftDate, Noise, Json, Detect
)
MODIFIERS = ("unique", "on_invalid")


def _unknown(name: Any, where: Location) -> ConfigError:
    close = difflib.get_close_matches(str(name), list(OPERATORS), n=1)
    suggestion = f"did you mean {close[0]!r}? " if close else ""
    return ConfigError(
        f"{where}: unknown operator {name!r}.",
        hint=f"{suggestion}Operators: {', '.join(OPERATORS)} (see `sanitize operators`).",
    )


def parse_rule(spec: Any, where: Location) -> Operator:
    """One rule from YAML → an operator; raises ConfigError naming ``where``."""
    if isinstance(spec, str):
        if spec not in OPERATORS:
            raise _unknown(spec, where)
        return OPERATORS[spec](None, where)
    if not isinstance(spec, dict) or not spec:
        raise ConfigError(
            f"{where}: a rule must be an operator name or a mapping, not {spec!r}.",
            hint="write e.g. keep, or {fake: email}.",
        )
    at = spec.at if isinstance(spec, LocatedDict) else (lambda _key: where)
    names = [key for key in spec if key not in MODIFIERS]
    if len(names) != 1:
        unknown = [n for n in names if n not in OPERATORS]
        if unknown:
            raise _unknown(unknown[0], at(unknown[0]))
        raise ConfigError(
            f"{where}: a rule needs exactly one operator, found {names or 'none'}.",
            hint="keep one operator per field; options go inside it, e.g. "
            "{shift_date: {max_days: 30}}.",
        )
    name = names[0]
    if name not in OPERATORS:
        raise _unknown(name, at(name))
    op = OPERATORS[name](spec[name], at(name))
    if "on_invalid" in spec:
        if not isinstance(op, Json):
            raise ConfigError(
                f"{at('on_invalid')}: on_invalid applies to json rules only.",
                hint="remove on_invalid here.",
            )
        op.set_on_invalid(spec["on_invalid"])
    if "unique" in spec:
        _set_unique(op, spec["unique"], at("unique"))
    return op


def _set_unique(op: Operator, value: Any, where: Location) -> None:
    if not isinstance(value, bool):
        raise ConfigError(
            f"{where}: unique must be true or false, not {value!r}.", hint="write unique: true"
        )
    if value and not op.can_be_unique():
        raise ConfigError(
            f"{where}: {op.label()} cannot guarantee distinct outputs, so unique: true "
            "cannot hold.",
            hint="use an operator that can: keep, hash, format: preserve, or fake with one of "
            "email, username, url, uuid, iban, postcode.",
        )
    op.unique = value


__all__ = ["OPERATORS", "Operator", "parse_rule"]
