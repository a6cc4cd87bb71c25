"""One rule as written in a rule file: inert data, built into an operator in ``mask/operators``.

Reading a rule file checks its shape only (a name or a mapping); which operators exist and
what arguments they take is the operators' own business. Every rule and every problem carries
its place in reading order, so the operator errors found later still come out in the order a
reader of the files meets them (one run shows every mistake, file by file, line by line).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sanitizer.config.yamlfile import LocatedDict, Location
from sanitizer.errors import ConfigError

MODIFIERS = ("unique", "on_invalid")


@dataclass(frozen=True)
class RuleSpec:
    """``keep`` or ``{fake: email, unique: true}``: the operator name(s), argument, modifiers.

    ``names`` holds every key that is not a modifier (exactly one in a well-formed rule; the
    operator registry reports the others); ``lines`` is where each key was written.
    """

    where: Location
    names: tuple[Any, ...]
    argument: Any = None
    modifiers: dict[str, Any] = field(default_factory=dict)
    lines: dict[Any, Location] = field(default_factory=dict)
    order: int = 0

    def at(self, key: Any) -> Location:
        """Where ``key`` was written (the rule's own place for a bare name)."""
        return self.lines.get(key, self.where)


def read_rule(value: Any, where: Location, order: int = 0) -> RuleSpec:
    """One YAML rule → a :class:`RuleSpec`; raises ConfigError when it is neither name nor map."""
    if isinstance(value, str):
        return RuleSpec(where, (value,), order=order)
    if not isinstance(value, dict) or not value:
        raise ConfigError(
            f"{where}: a rule must be an operator name or a mapping, not {value!r}.",
            hint="write e.g. keep, or {fake: email}.",
        )
    lines = {key: value.at(key) for key in value} if isinstance(value, LocatedDict) else {}
    names = tuple(key for key in value if key not in MODIFIERS)
    return RuleSpec(
        where,
        names,
        argument=value[names[0]] if len(names) == 1 else None,
        modifiers={key: value[key] for key in MODIFIERS if key in value},
        lines=lines,
        order=order,
    )


R = TypeVar("R")


@dataclass
class Problem(Generic[R]):
    """A problem met while reading, at its place in reading order.

    ``unless`` holds what was read of the same object rule before the problem: if one of
    those rules is itself wrong, that error is the one reported (as the first found).
    ``also`` is a rule read before the problem that is reported as well when it is wrong.
    """

    error: ConfigError
    order: int
    unless: R | None = None
    also: RuleSpec | None = None


class ReadLog:
    """Numbers rules and problems in reading order while rule files are read."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self.problems: list[Problem[Any]] = []

    def next(self) -> int:
        return next(self._counter)

    def rule(self, value: Any, where: Location) -> RuleSpec:
        """Read one rule, numbered."""
        return read_rule(value, where, self.next())

    def add(self, error: ConfigError, unless: Any = None, also: RuleSpec | None = None) -> None:
        self.problems.append(Problem(error, self.next(), unless, also))
