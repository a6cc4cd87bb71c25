"""Go RE2 patterns (gitleaks' rules) → Python ``re`` patterns with the same meaning.

RE2 and Python agree on most syntax; what differs, and what this module does about it:

- A flag group in the middle of a pattern (``\\b(p8e-(?i)[a-z0-9]{32})``) applies in RE2 to
  the rest of the enclosing group, alternatives included; Python 3.11 accepts flags only at the
  very start. It becomes a scoped group ``(?i:…)`` closed and reopened around each ``|`` of
  that group, and closed where the group closes.
- POSIX classes inside brackets (``[[:alnum:]]``) are spelled out; ``\\z`` is ``\\Z``;
  ``(?<name>`` is ``(?P<name>``; ``\\x{41}`` is ``\\x41`` / ``\\u…``; ``\\Q…\\E`` is escaped
  literally; a ``[``, ``&``, ``~`` or ``|`` inside brackets is escaped (Python warns of set
  operations there).
- RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII: patterns compile with ``re.ASCII``.

What has no Python equivalent (Unicode classes ``\\p{…}``, the ungreedy flag ``U``) raises
:class:`Untranslatable`; the loader skips that rule and counts it (docs/rules.md).
"""

from __future__ import annotations

import re

POSIX = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "ascii": "\\x00-\\x7f",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "word": "a-zA-Z0-9_",
    "xdigit": "0-9A-Fa-f",
}
_FLAG_GROUP = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)")
_HEX_BRACED = re.compile(r"\\x\{([0-9a-fA-F]+)\}")


class Untranslatable(ValueError):
    """A pattern uses RE2 syntax Python's ``re`` cannot express."""


def translate(pattern: str) -> str:
    """The Python spelling of an RE2 pattern (raises :class:`Untranslatable`)."""
    out: list[str] = []
    # one entry per open group: how many scoped-flag groups this translation opened in it
    opened: list[int] = [0]
    # the flag text of the scoped groups open at each level, to reopen them after a ``|``
    scoped: list[list[str]] = [[]]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i = _escape(pattern, i, out)
            continue
        if ch == "[":
            i = _bracket(pattern, i, out)
            continue
        if ch == "(":
            flags = _FLAG_GROUP.match(pattern, i)
            if flags:
                on, off = flags.group(1), flags.group(2) or ""
                if "U" in on + off:
                    raise Untranslatable("the ungreedy flag (?U) has no Python equivalent")
                spec = on + (f"-{off}" if off else "")
                if not out and not off:
                    out.append(f"(?{on})")  # leading global flags: Python takes them as is
                else:
                    out.append(f"(?{spec}:")
                    opened[-1] += 1
                    scoped[-1].append(spec)
                i = flags.end()
                continue
            if pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
                out.append("(?P<")
                i += 3
            else:
                out.append("(")
                i += 1
            opened.append(0)
            scoped.append([])
            continue
        if ch == ")":
            out.append(")" * opened.pop())
            scoped.pop()
            if not opened:
                raise Untranslatable("unbalanced parenthesis")
            out.append(")")
            i += 1
            continue
        if ch == "|" and opened[-1]:
            specs = scoped[-1]
            out.append(")" * len(specs) + "|" + "".join(f"(?{s}:" for s in specs))
            i += 1
            continue
        out.append(ch)
        i += 1
    if len(opened) != 1:
        raise Untranslatable("unbalanced parenthesis")
    out.append(")" * opened[0])
    return "".join(out)


def _escape(pattern: str, i: int, out: list[str]) -> int:
    """Copy one escape starting at ``pattern[i] == '\\'``; return the index after it."""
    nxt = pattern[i + 1 : i + 2]
    if nxt in ("p", "P"):
        raise Untranslatable("Unicode classes (\\p{…}) have no Python re equivalent")
    if nxt == "z":
        out.append("\\Z")
        return i + 2
    if nxt == "C":
        raise Untranslatable("\\C (any byte) has no Python equivalent")
    if nxt == "Q":
        end = pattern.find("\\E", i + 2)
        end = len(pattern) if end < 0 else end
        out.append(re.escape(pattern[i + 2 : end]))
        return min(end + 2, len(pattern))
    if nxt == "x":
        braced = _HEX_BRACED.match(pattern, i)
        if braced:
            code = int(braced.group(1), 16)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\U{code:08x}")
            return braced.end()
    out.append(pattern[i : i + 2])
    return i + 2


def _bracket(pattern: str, i: int, out: list[str]) -> int:
    """Copy one bracket expression starting at ``pattern[i] == '['``; return the index after."""
    parts = ["["]
    i += 1
    if pattern.startswith("^", i):
        parts.append("^")
        i += 1
    if pattern.startswith("]", i):  # a leading ] is a literal
        parts.append("\\]")
        i += 1
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]":
            parts.append("]")
            out.append("".join(parts))
            return i + 1
        if ch == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            name = pattern[i + 2 : end] if end > 0 else ""
            negated = name.startswith("^")
            if name.lstrip("^") not in POSIX or negated:
                raise Untranslatable(f"POSIX class [:{name}:] is not translated")
            parts.append(POSIX[name])
            i = end + 2
            continue
        if ch == "\\":
            sub: list[str] = []
            i = _escape(pattern, i, sub)
            parts.extend(sub)
            continue
        if ch in "[&~|":
            parts.append("\\" + ch)
        else:
            parts.append(ch)
        i += 1
    raise Untranslatable("unterminated character class")
