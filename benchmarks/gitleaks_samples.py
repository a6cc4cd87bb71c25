"""Credentials written by others: gitleaks' own per-rule true-positive samples.

gitleaks (MIT, Copyright (c) 2019 Zachary Rice) tests each of its rules with ``tps`` strings in
``cmd/generate/config/rules/*.go``: literal lines copied from real configs and docs, and
secrets built from a regex (``secrets.NewSecret(utils.AlphaNumeric("36"))``) placed in its
``GenerateSampleSecrets`` templates (``github_api_token = "…"``, YAML, Go, Makefile…). This
module turns a checkout of that folder into ``benchmarks/data/gitleaks_samples.json`` (MIT
permits keeping it, with the notice in ``benchmarks/data/README.md``; the texts are stored in
base64, so the repository holds no key-shaped literal a secret scanner would flag):

    python benchmarks/gitleaks_samples.py /path/to/gitleaks   # a clone, at any commit

Go is not run: a small evaluator reads the expressions these files use (string literals, ``+``,
``utils.Hex("32")``-style helpers, ``secrets.NewSecret``, ``GenerateSampleSecret(s)``,
``[]string{…}``, ``map[string]string{…}``, ``append``, local ``x := …``); a statement it cannot
read is counted as skipped, never guessed. A regex is sampled by :func:`sample_regex` (Python's
own regex parser, a seeded generator: the same file every run). Each sample records its
service (the rule file), gitleaks' rule id, the text and, for a generated one, the secret.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import random
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

try:  # Python 3.11+: the parser moved
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

DATA = Path(__file__).resolve().parent / "data" / "gitleaks_samples.json"
RULES_DIR = "cmd/generate/config/rules"
GENERATE_GO = "cmd/generate/config/utils/generate.go"
MAX_REPEAT = 120  # an open repeat ({100,}) is drawn up to its minimum plus this


@dataclass(frozen=True)
class Sample:
    service: str  # the rule file's name: github, stripe, slack…
    rule: str  # gitleaks' rule id
    text: str  # the line or file gitleaks tests the rule on
    secret: str | None  # the generated secret inside ``text``; None for a literal sample
    origin: str  # generated | literal


# --- regex → one matching string ----------------------------------------------------------

CATEGORIES = {
    sre_c.CATEGORY_DIGIT: "0123456789",
    sre_c.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
    sre_c.CATEGORY_SPACE: " ",
}


def sample_regex(pattern: str, rng: random.Random) -> str:
    """One string ``pattern`` matches, drawn from ``rng`` (the constructs NewSecret uses)."""
    return "".join(_draw(sre_parse.parse(pattern), rng))


def _draw(parsed: Any, rng: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in parsed:
        if op is sre_c.LITERAL:
            out.append(chr(arg))
        elif op is sre_c.IN:
            out.append(rng.choice(_charset(arg)))
        elif op is sre_c.ANY:
            out.append(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789"))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, high, sub = arg
            high = low + MAX_REPEAT if high is sre_c.MAXREPEAT else high
            for _ in range(rng.randint(low, high)):
                out.extend(_draw(sub, rng))
        elif op is sre_c.SUBPATTERN:
            out.extend(_draw(arg[-1], rng))
        elif op is sre_c.BRANCH:
            out.extend(_draw(rng.choice(arg[1]), rng))
        elif op in (sre_c.AT, sre_c.GROUPREF):
            continue
        else:
            raise ValueError(f"regex construct {op} is not sampled")
    return out


def _charset(items: Any) -> str:
    chars: list[str] = []
    for op, arg in items:
        if op is sre_c.NEGATE:
            raise ValueError("negated class is not sampled")
        if op is sre_c.LITERAL:
            chars.append(chr(arg))
        elif op is sre_c.RANGE:
            chars.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is sre_c.CATEGORY:
            chars.extend(CATEGORIES[arg])
    return "".join(chars)


# --- a Go expression reader ---------------------------------------------------------------

TOKEN = re.compile(
    r'\s+|//[^\n]*|/\*.*?\*/|(?P<str>"(?:\\.|[^"\\\n])*")|(?P<raw>`[^`]*`)'
    r"|(?P<ident>[A-Za-z_][\w.]*)|(?P<num>\d+)|(?P<op>\.\.\.|:=|[(){}\[\],+:=])",
    re.DOTALL,
)
HELPERS = {
    "utils.Numeric": "[0-9]{%s}",
    "utils.Hex": "[a-f0-9]{%s}",
    "utils.AlphaNumeric": "[a-z0-9]{%s}",
    "utils.AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
    "utils.AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
    "utils.AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}",
}


class Unreadable(ValueError):
    """A construct this reader does not evaluate (the statement is skipped)."""


def _go_string(token: str) -> str:
    if token.startswith("`"):
        return token[1:-1]
    return (
        json.loads(token)
        if "\\x" not in token
        else bytes(token[1:-1], "utf-8").decode("unicode_escape")
    )


def tokens(source: str) -> list[tuple[str, str]]:
    out = []
    for match in TOKEN.finditer(source):
        kind = match.lastgroup
        if kind is None:
            continue
        text = match.group()
        out.append(("str", _go_string(text)) if kind in ("str", "raw") else (kind, text))
    return out


@dataclass
class Secret:
    """A text holding a generated secret: ``value`` is the secret, ``text`` all of it."""

    value: str
    text: str = ""

    def __post_init__(self) -> None:
        self.text = self.text or self.value


class Reader:
    """Evaluates one expression of a token list from position ``pos``."""

    def __init__(self, toks: list[tuple[str, str]], env: dict[str, Any], ctx: Context) -> None:
        self.toks, self.pos, self.env, self.ctx = toks, 0, env, ctx

    def peek(self) -> tuple[str, str]:
        return self.toks[self.pos] if self.pos < len(self.toks) else ("eof", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if text is not None and tok[1] != text:
            raise Unreadable(f"expected {text!r}, found {tok[1]!r}")
        self.pos += 1
        return tok

    def expr(self) -> Any:
        value = self.term()
        while self.peek()[1] == "+":
            self.take()
            right = self.term()
            value = _concat(value, right)
        return value

    def term(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text
        if kind == "num":
            return text
        if text == "[":
            self.take("]")
            self.take("string")
            return self.composite()
        if text == "map":
            for part in ("[", "string", "]", "string"):
                self.take(part)
            return self.composite(mapping=True)
        if kind == "ident" and self.peek()[1] == "(":
            return self.call(text)
        if kind == "ident" and text in self.env:
            return self.env[text]
        raise Unreadable(f"cannot read {text!r}")

    def arguments(self) -> list[Any]:
        self.take("(")
        args = []
        while self.peek()[1] != ")":
            args.append(self.expr())
            if self.peek()[1] == "...":
                self.take()
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        return args

    def composite(self, mapping: bool = False) -> list[Any]:
        self.take("{")
        items: list[Any] = []
        while self.peek()[1] != "}":
            item = self.expr()
            if mapping:
                self.take(":")
                item = self.expr()
            items.extend(item if isinstance(item, list) else [item])
            if self.peek()[1] == ",":
                self.take()
        self.take("}")
        return items

    def call(self, name: str) -> Any:
        args = self.arguments()
        if name in HELPERS:
            return HELPERS[name] % args[0]
        if name == "utils.Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name == "secrets.NewSecret":
            return Secret(sample_regex(_plain(args[0]), self.ctx.rng))
        if name == "fmt.Sprintf":
            return _sprintf(_plain(args[0]), args[1:])
        if name == "utils.GenerateSampleSecrets":
            return self.ctx.templated(_plain(args[0]), args[1])
        if name == "utils.GenerateSampleSecret":
            secret = args[1]
            return [(f'{_plain(args[0])}_api_token = "{_plain(secret)}"', _secret_of(secret))]
        if name == "append":
            return [item for arg in args for item in (arg if isinstance(arg, list) else [arg])]
        raise Unreadable(f"function {name} is not read")


def _plain(value: Any) -> str:
    if isinstance(value, Secret):
        return value.text
    if isinstance(value, tuple):
        return value[0]
    if isinstance(value, str):
        return value
    raise Unreadable("not a string")


def _sprintf(fmt: str, args: list[Any]) -> Any:
    """``fmt.Sprintf`` with ``%s``/``%d``; a secret argument makes the result the secret,
    less the quotes or spaces around it."""
    parts = iter(args)
    text = re.sub(r"%[sdv]", lambda _: _plain(next(parts)), fmt)
    if not any(isinstance(a, Secret) for a in args):
        return text
    value = text.strip(" \"'`")
    return Secret(value, text)


def _secret_of(value: Any) -> str | None:
    if isinstance(value, Secret):
        return value.value
    return value if isinstance(value, str) else None


CONTEXT_CHARS = re.compile(r"[\s\"'`=:<>(){}\[\],;]")


def _concat(left: Any, right: Any) -> Any:
    """``"ghp_" + NewSecret(…)``: the literal is part of the secret; ``"key = " + …`` (a
    literal with spaces, quotes or operators) is context around it."""
    if isinstance(left, list) or isinstance(right, list):
        raise Unreadable("+ on a list")
    if not isinstance(left, Secret) and not isinstance(right, Secret):
        return _plain(left) + _plain(right)
    if isinstance(left, Secret) and isinstance(right, Secret):
        return Secret(left.value + right.value, left.text + right.text)
    if isinstance(left, Secret):
        glued = not CONTEXT_CHARS.search(right) and left.text.endswith(left.value)
        value = left.value + right if glued else left.value
        return Secret(value, left.text + right)
    glued = not CONTEXT_CHARS.search(left) and right.text.startswith(right.value)
    return Secret(left + right.value if glued else right.value, left + right.text)


class Context:
    """The templates of GenerateSampleSecrets and the seeded generator of one file."""

    def __init__(self, templates: list[str], seed: str) -> None:
        self.templates = templates
        self.rng = random.Random(seed)

    def templated(self, identifier: str, secret: Any) -> list[tuple[str, str | None]]:
        """Two of gitleaks' templates (drawn by the generator) holding ``secret``."""
        value = secret.value if isinstance(secret, Secret) else _plain(secret)
        picks = self.rng.sample(self.templates, 2)
        return [
            (
                t.replace("{i}", identifier)
                .replace("{I}", identifier.upper())
                .replace("{s}", value),
                value,
            )
            for t in picks
        ]


def templates(generate_go: str) -> list[str]:
    """The (uncommented) ``"name": "template"`` entries of GenerateSampleSecrets."""
    body = generate_go.split("func GenerateSampleSecrets", 1)[1].split("replacer :=", 1)[0]
    out = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("//") or ":" not in line:
            continue
        toks = tokens(line)
        if len(toks) >= 3 and toks[0][0] == "str" and toks[1][1] == ":" and toks[2][0] == "str":
            out.append(toks[2][1])
    return out


FUNC = re.compile(r"^func (\w+)\(\) \*config\.Rule \{$", re.MULTILINE)
RULE_ID = re.compile(r'RuleID:\s*"([^"]+)"')
STATEMENT = re.compile(r"^\t+(\w+) :?= ", re.MULTILINE)


def rule_samples(service: str, source: str, tmpl: list[str], skipped: list[str]) -> list[Sample]:
    """The tps of every rule function of one file."""
    starts = [m.start() for m in FUNC.finditer(source)] + [len(source)]
    samples: list[Sample] = []
    for begin, end in itertools.pairwise(starts):
        body = source[begin:end]
        rule = RULE_ID.search(body)
        if not rule:
            continue
        ctx = Context(tmpl, f"{service}/{rule.group(1)}")
        env: dict[str, Any] = {"tps": []}
        for stmt in STATEMENT.finditer(body):
            name = stmt.group(1)
            if name in ("r", "fps", "fns"):
                continue
            try:
                value = Reader(tokens(body[stmt.end() :]), env, ctx).expr()
            except (Unreadable, ValueError, IndexError, KeyError) as error:
                if name == "tps":
                    skipped.append(f"{service}/{rule.group(1)}: {error}")
                continue
            env[name] = value
        for item in env["tps"]:
            text, secret = item if isinstance(item, tuple) else (_plain(item), None)
            if isinstance(item, Secret):
                secret = item.value
            if secret is not None and secret not in text:
                continue
            origin = "generated" if secret is not None else "literal"
            samples.append(Sample(service, rule.group(1), text, secret, origin))
    return samples


def extract(root: Path) -> tuple[list[Sample], list[str]]:
    """Every sample of a gitleaks checkout at ``root``, and the statements skipped."""
    tmpl = templates((root / GENERATE_GO).read_text())
    samples: list[Sample] = []
    skipped: list[str] = []
    for path in sorted((root / RULES_DIR).glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        samples.extend(rule_samples(path.stem, path.read_text(), tmpl, skipped))
    return samples, skipped


def held_out(service: str) -> bool:
    """Half the services, chosen by a hash of their name, are never looked at while tuning."""
    return hashlib.sha256(service.encode()).digest()[0] % 2 == 1


ENCODED = ("text", "secret")  # base64 in the file: no key-shaped literal in the repository


def encode(value: str | None) -> str | None:
    return None if value is None else base64.b64encode(value.encode()).decode("ascii")


def decode(value: str | None) -> str | None:
    return None if value is None else base64.b64decode(value).decode()


def load() -> dict[str, Any]:
    """The committed samples file, its texts decoded."""
    data = json.loads(DATA.read_text())
    for sample in data["samples"]:
        for name in ENCODED:
            sample[name] = decode(sample[name])
    return data


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python benchmarks/gitleaks_samples.py GITLEAKS_CHECKOUT [COMMIT]")
        return 2
    root = Path(argv[1])
    samples, skipped = extract(root)
    commit = (
        argv[2]
        if len(argv) == 3
        else subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
    )
    DATA.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "source": "gitleaks cmd/generate/config/rules/*.go (MIT, Copyright (c) 2019 Zachary Rice)",
        "commit": commit or "unknown",
        "skipped": skipped,
        "encoding": "text and secret are base64 (secret scanners would flag the repository)",
        "samples": [{**asdict(s), **{n: encode(getattr(s, n)) for n in ENCODED}} for s in samples],
    }
    DATA.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    services = {s.service for s in samples}
    print(f"{len(samples)} samples of {len(services)} services, {len(skipped)} skipped → {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
