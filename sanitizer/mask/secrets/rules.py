"""gitleaks' rule set, read once from the vendored ``gitleaks.toml`` and compiled for ``re``,
with the few rules sanitizer adds in the same format (``extra_rules.toml``).

A rule is what gitleaks calls one: an id, a regex whose first non-empty capture group is the
secret (or the whole match), an optional entropy floor, keywords (a rule runs only on text that
holds one of them, lower-cased: that keeps 200 patterns cheap), and allowlists (regexes on the
secret, the match or the line; stopwords in the secret). Path-only rules (file names) do not
apply to values and are left out; a rule whose pattern cannot be translated is skipped and
counted (:func:`skipped`), never silently lost.
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sanitizer.mask.secrets.re2 import Untranslatable, translate

FLAGS = re.ASCII  # RE2's \w \d \s \b are ASCII


@dataclass(frozen=True)
class Allowlist:
    """One of gitleaks' allowlists: a finding it matches is not a secret."""

    regexes: tuple[re.Pattern[str], ...] = ()
    target: str = "secret"  # secret | match | line
    stopwords: tuple[str, ...] = ()
    condition_and: bool = False

    def allows(self, secret: str, match: str, line: str) -> bool:
        target = {"match": match, "line": line}.get(self.target, secret)
        by_regex = any(r.search(target) for r in self.regexes) if target else False
        lowered = secret.lower()
        by_word = any(w in lowered for w in self.stopwords)
        if self.condition_and:
            checks = ([by_regex] if self.regexes else []) + ([by_word] if self.stopwords else [])
            return bool(checks) and all(checks)
        return by_regex or by_word


LEAD = r"[\w.-]{0,50}?"  # gitleaks' lead-in before a keyword: part of the match, never the secret


@dataclass(frozen=True)
class Rule:
    r"""One gitleaks rule, compiled.

    ``regex`` is what is searched. For the half of gitleaks' rules that start with
    ``[\w.-]{0,50}?`` (up to 50 word characters before the keyword), that lead-in is left out
    of the search — with it, ``re`` tries up to 50 lengths at every position, which took a
    minute on a megabyte of base64 — and ``lead`` says to add it back to the match text the
    allowlists read (:func:`matched_text`). The secrets found are the same.
    """

    id: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...]
    entropy: float = 0.0
    secret_group: int = 0
    allowlists: tuple[Allowlist, ...] = ()
    lead: bool = False
    source: str = ""  # the RE2 pattern ``regex`` was translated from (verify/triage.py)

    def matched_text(self, text: str, match: re.Match[str]) -> str:
        """The match as gitleaks sees it (with the word characters before it, up to 50)."""
        start = match.start()
        if self.lead:
            floor = max(0, start - 50)
            while start > floor and (text[start - 1] in "_.-" or text[start - 1].isalnum()):
                start -= 1
        return text[start : match.end()]

    def secret_span(self, match: re.Match[str]) -> tuple[int, int]:
        """Where the secret is inside a match (gitleaks: the first non-empty group)."""
        if self.secret_group:
            return match.span(self.secret_group)
        named = set(self.regex.groupindex.values())
        for group in range(1, (self.regex.groups or 0) + 1):
            if group not in named and match.group(group):
                return match.span(group)
        return match.span()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    global_allow: tuple[Allowlist, ...]
    keyword_pattern: re.Pattern[str]  # any keyword of any rule, for one pass over the text
    by_keyword: dict[str, tuple[Rule, ...]]
    # a keyword found at a position → every keyword that starts there too (its prefixes)
    prefixes: dict[str, tuple[str, ...]]
    skipped: dict[str, str]  # rule id → why it was not loaded


def entropy(text: str) -> float:
    """Shannon entropy in bits per character (gitleaks' measure)."""
    if not text:
        return 0.0
    counts = Counter(text)
    size = len(text)
    return -sum(c / size * math.log2(c / size) for c in counts.values())


def compile_re2(pattern: str) -> re.Pattern[str]:
    """Translate and compile; Python's warnings about a pattern count as a failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return re.compile(translate(pattern), FLAGS)
        except (re.error, FutureWarning, DeprecationWarning) as exc:
            raise Untranslatable(str(exc)) from None


def _allowlists(raw: list[dict] | dict | None) -> tuple[Allowlist, ...]:
    if not raw:
        return ()
    lists = [raw] if isinstance(raw, dict) else raw
    out = []
    for entry in lists:
        regexes = []
        for pattern in entry.get("regexes", []):
            try:
                regexes.append(compile_re2(pattern))
            except Untranslatable:
                continue  # an allowlist pattern we cannot read only makes us stricter
        out.append(
            Allowlist(
                regexes=tuple(regexes),
                target=entry.get("regexTarget", "secret"),
                stopwords=tuple(w.lower() for w in entry.get("stopwords", [])),
                condition_and=str(entry.get("condition", "OR")).upper() == "AND",
            )
        )
    return tuple(out)


@cache
def ruleset() -> RuleSet:
    """The vendored rules, translated and compiled once per process."""
    files = resources.files(__package__)
    config = tomllib.loads(files.joinpath("gitleaks.toml").read_text("utf-8"))
    extra = tomllib.loads(files.joinpath("extra_rules.toml").read_text("utf-8"))
    rules: list[Rule] = []
    skipped: dict[str, str] = {}
    for raw in [*config.get("rules", []), *extra.get("rules", [])]:
        rule_id = raw["id"]
        if "regex" not in raw:
            skipped[rule_id] = "matches file paths only"
            continue
        pattern, lead = without_lead(raw["regex"])
        try:
            regex = compile_re2(pattern)
        except Untranslatable as exc:
            skipped[rule_id] = f"pattern not translatable: {exc}"
            continue
        keywords = tuple(k.lower() for k in raw.get("keywords", []))
        if not keywords:
            skipped[rule_id] = "no keywords (would run on every text)"
            continue
        rules.append(
            Rule(
                id=rule_id,
                regex=regex,
                keywords=keywords,
                entropy=float(raw.get("entropy", 0.0)),
                secret_group=int(raw.get("secretGroup", 0)),
                allowlists=_allowlists(raw.get("allowlists")),
                lead=lead,
                source=pattern,
            )
        )
    by_keyword: dict[str, list[Rule]] = {}
    for rule in rules:
        for keyword in rule.keywords:
            by_keyword.setdefault(keyword, []).append(rule)
    words = sorted(by_keyword, key=len, reverse=True)
    return RuleSet(
        rules=tuple(rules),
        global_allow=_allowlists(config.get("allowlist")),
        # a lookahead finds keywords that overlap; at one position the longest is taken
        keyword_pattern=re.compile(f"(?=({trie_pattern(words)}))"),
        by_keyword={k: tuple(v) for k, v in by_keyword.items()},
        prefixes={w: tuple(k for k in words if w.startswith(k)) for w in words},
        skipped=skipped,
    )


def without_lead(pattern: str) -> tuple[str, bool]:
    r"""An RE2 pattern without gitleaks' ``[\w.-]{0,50}?`` lead-in (at its start, and again
    at the start of a ``(?i:`` group right after it), and whether there was one."""
    flags = ""
    if pattern.startswith("(?i)"):
        flags, pattern = "(?i)", pattern[4:]
    if not pattern.startswith(LEAD):
        return flags + pattern, False
    pattern = pattern[len(LEAD) :]
    if pattern.startswith("(?i:" + LEAD):
        pattern = "(?i:" + pattern[len("(?i:" + LEAD) :]
    return flags + pattern, True


def skipped() -> dict[str, str]:
    """Rule id → why the rule was not loaded (tests keep this list honest)."""
    return dict(ruleset().skipped)


def trie_pattern(words: list[str]) -> str:
    """One regex for many literal words, factored by common prefixes (``re`` tries the
    alternatives of a flat alternation one by one at every position; a trie fails at once)."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(tree)
