"""The operator registry: one class per file, registered here by name.

``build`` turns one rule as read from YAML (a :class:`RuleSpec`: ``keep``,
``{fake: email, unique: true}``…) into an operator instance, with file:line errors that
suggest the nearest operator name.
"""

from __future__ import annotations

from typing import Any

from sanitizer.config.keys import closest
from sanitizer.config.rule_spec import RuleSpec, read_rule
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.fakes import FAKES
from sanitizer.mask.operators.base import Operator
from sanitizer.mask.operators.constant import Constant
from sanitizer.mask.operators.detect import Detect
from sanitizer.mask.operators.each import Each
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.operators.format import Format
from sanitizer.mask.operators.hash import Hash
from sanitizer.mask.operators.json import Json
from sanitizer.mask.operators.keep import Keep
from sanitizer.mask.operators.noise import Noise
from sanitizer.mask.operators.null import Null
from sanitizer.mask.operators.placeholder import Placeholder
from sanitizer.mask.operators.redact import Redact
from sanitizer.mask.operators.secret import Secret
from sanitizer.mask.operators.shift_date import ShiftDate
from sanitizer.mask.operators.url import Url
from sanitizer.schema import ColumnInfo


def _registry(*classes: type[Operator]) -> dict[str, type[Operator]]:
    registry: dict[str, type[Operator]] = {}
    for cls in classes:
        if cls.name in registry:
            raise RuntimeError(f"two operators are named {cls.name!r}")
        registry[cls.name] = cls
    return registry


OPERATORS = _registry(
    Keep,
    Null,
    Placeholder,
    Redact,
    Constant,
    Hash,
    Fake,
    Format,
    ShiftDate,
    Noise,
    Secret,
    Url,
    Json,
    Each,
    Detect,
)


def _unknown(name: Any, where: Location) -> ConfigError:
    close = closest(name, list(OPERATORS))
    suggestion = f"did you mean {close!r}? " if close else ""
    return ConfigError(
        f"{where}: unknown operator {name!r}.",
        hint=f"{suggestion}Operators: {', '.join(OPERATORS)} (see `sanitize operators`).",
    )


def parse_rule(value: Any, where: Location) -> Operator:
    """One rule from YAML → an operator; raises ConfigError naming ``where``."""
    return build(read_rule(value, where))


def build(spec: RuleSpec) -> Operator:
    """The operator a rule names, configured; raises ConfigError naming where it was written."""
    if len(spec.names) != 1:
        unknown = [n for n in spec.names if n not in OPERATORS]
        if unknown:
            raise _unknown(unknown[0], spec.at(unknown[0]))
        raise ConfigError(
            f"{spec.where}: a rule needs exactly one operator, found {list(spec.names) or 'none'}.",
            hint="keep one operator per field; options go inside it, e.g. "
            "{shift_date: {max_days: 30}}.",
        )
    name = spec.names[0]
    if name not in OPERATORS:
        raise _unknown(name, spec.at(name))
    op = OPERATORS[name](spec.argument, spec.at(name))
    if "on_invalid" in spec.modifiers:
        if not isinstance(op, Json):
            raise ConfigError(
                f"{spec.at('on_invalid')}: on_invalid applies to json rules only.",
                hint="remove on_invalid here.",
            )
        op.set_on_invalid(spec.modifiers["on_invalid"])
    if "unique" in spec.modifiers:
        _set_unique(op, spec.modifiers["unique"], spec.at("unique"))
    return op


def operators_for(column: ColumnInfo) -> list[str]:
    """The operators a column of this kind takes, as a rule check lists them in an error."""
    where = Location("(operators)", 0)
    names = []
    for name, cls in OPERATORS.items():
        if name == "fake":
            kinds = [k for k in FAKES if Fake(k, where).applies_to(column)]
            if kinds:
                names.append("fake: KIND" if len(kinds) > 3 else f"fake: {'/'.join(kinds)}")
        elif name == "each":
            continue  # arrays only: listed with the element rule it takes
        elif name == "constant" or cls.takes(column):
            names.append(name)
    return names


Json.parse_rule = staticmethod(parse_rule)
Each.parse_rule = staticmethod(
    parse_rule
)  # and an each rule, the rule for its elements  # a json rule's paths hold rules of their own


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


__all__ = ["OPERATORS", "Operator", "build", "operators_for", "parse_rule"]
