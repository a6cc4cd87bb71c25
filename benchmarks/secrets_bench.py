"""Credentials of many services, written by others, in every place staging holds text.

The samples are gitleaks' own true positives (benchmarks/gitleaks_samples.py: literal lines
from real configs and docs, and regex-generated secrets in gitleaks' templates; MIT). Each
sample's secret — the span gitleaks' rule (as vendored in sanitizer/mask/secrets/) extracts
from its text, else the generated value — is placed where a production database, bucket and
vector store hold credentials:

- ``keep_column``: alone in a SQL column named ``value`` whose rule is ``keep`` (the sweep,
  with the column name as its hint, must flag it);
- ``json_leaf``: a leaf of a JSON column no rule names (``$.integration.settings.value``);
- ``free_text``: gitleaks' line inside a ticket body under ``detect``;
- ``object_text``: gitleaks' line in an object's contents (``config/app.env``);
- ``object_key``: inside an object key (``exports/<secret>/settings.json``);
- ``vector_meta``: alone in a vector record's metadata field ``ref``;
- ``blob_column``: between NUL bytes in a ``keep`` bytea/BLOB column (its printable text).

For each place: is it flagged by the fail-closed sweep (sanitizer/verify/secrets.py), and —
where ``detect`` or ``secret`` replaces it — does the stand-in keep the shape (length, the
service's prefix, the class of every character), does gitleaks' own rule no longer find it,
and is the result quiet under the sweep. A "bare" place holds the secret without the
keyword gitleaks' keyword-only rules (``etsy … = <32 chars>``) need, so those are reported
apart: family ``prefixed`` (the rule finds the secret alone) and ``keyword`` (it needs context).

Services are split in two by a hash of their name (gitleaks_samples.held_out); tuning looked
only at the ``tune`` half. Results go to benchmarks/results.json (bench ``secrets``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gitleaks_samples import held_out, load
from results import record

from sanitizer.mask.secrets import (
    SecretsSettings,
    find_secrets,
    neutralize_secret,
    neutralize_text,
)
from sanitizer.mask.secrets.find import rule_spans
from sanitizer.mask.secrets.marker import b64url_decode, char_class
from sanitizer.mask.secrets.neutralize import host_and_path
from sanitizer.mask.secrets.rules import Rule, entropy, ruleset
from sanitizer.mask.secrets.tokens import LIVE, prefix_length
from sanitizer.verify.binary import binary_text
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.objects import contents
from sanitizer.verify.secrets import Sweep, across_lines, key_segments, value_flags

KEY = b"bench-key-secrets-0123456789abcdef"
PLACES = (
    "keep_column",
    "keep_column_named",
    "json_leaf",
    "json_leaf_named",
    "free_text",
    "object_text",
    "object_key",
    "vector_meta",
    "blob_column",
)
PEM_LABEL = re.compile(r"-----BEGIN [A-Z0-9 ]+-----")


@dataclass
class Case:
    """One sample ready to place: its service, rule, secret and gitleaks' text."""

    service: str
    rule: Rule
    secret: str
    text: str
    family: str  # prefixed | keyword
    split: str  # tune | heldout


@dataclass
class Outcome:
    """Per place: flagged, and for replaced values shape kept / rule dead / quiet after."""

    flagged: dict[str, bool] = field(default_factory=dict)
    shape: dict[str, bool] = field(default_factory=dict)
    matches: dict[str, bool] = field(default_factory=dict)
    quiet: dict[str, bool] = field(default_factory=dict)


def cases(samples: list[dict[str, Any]]) -> tuple[list[Case], dict[str, int]]:
    """Samples whose rule sanitizer vendors, with the secret the rule extracts."""
    rules = {r.id: r for r in ruleset().rules}
    out, lost = [], defaultdict(int)
    for sample in samples:
        rule = rules.get(sample["rule"])
        if rule is None:
            lost["rule not vendored"] += 1
            continue
        spans = list(rule_spans(rule, sample["text"]))
        secret = sample["text"][spans[0][0] : spans[0][1]] if spans else sample["secret"]
        if not secret or not secret.strip():
            lost["rule misses its own literal sample"] += 1
            continue
        family = "prefixed" if any(True for _ in rule_spans(rule, secret)) else "keyword"
        split = "heldout" if held_out(sample["service"]) else "tune"
        out.append(Case(sample["service"], rule, secret, sample["text"], family, split))
    return out, dict(lost)


def _sweep() -> Sweep:
    settings = SecretsSettings()
    return Sweep(HostIndex(settings.sinks.values(), settings.allow), settings, b"bench-salt")


def flagged_in(sweep: Sweep, case: Case) -> dict[str, bool]:
    """Whether the sweep flags the secret in each place."""
    secret = case.secret
    document = json.dumps({"integration": {"settings": {"value": secret}}})
    named = json.dumps({"integration": {case.service: {"token": secret}}})
    blob = b"\x00\x01session\x00" + secret.encode() + b"\x00\xff"
    ticket = f"Customer pasted their config, see below.\n{case.text}\nPlease check the sync."
    lines = [
        (place, text, sweep.look(text))
        for place, text in contents("config/app.env", io.BytesIO(ticket.encode()))
    ]
    in_object = any(flags for _, _, flags in lines) or any(
        any(True for _ in across_lines(sweep, a, b)) for a, b in itertools.pairwise(lines)
    )
    return {
        "keep_column": bool(value_flags(sweep, secret, "value")),
        "keep_column_named": bool(value_flags(sweep, secret, f"{case.service}_api_key")),
        "json_leaf": bool(value_flags(sweep, document, "payload")),
        "json_leaf_named": bool(value_flags(sweep, named, "payload")),
        "free_text": bool(sweep.look(ticket)),
        "object_text": in_object,
        "object_key": bool(sweep.look(key_segments(f"exports/{secret}/settings.json"))),
        "vector_meta": bool(value_flags(sweep, secret, "ref")),
        "blob_column": bool(value_flags(sweep, binary_text(blob) or "", "data")),
    }


def same_shape(original: str, standin: str) -> bool:
    """The format kept, by kind: a JWT is still three base64url segments whose header parses;
    a PEM key keeps its label; a URL its scheme and path depth; a token its length, the
    service's prefix and every character's class (digit, lower, upper; others unchanged)."""
    if original.startswith("ey") and original.count(".") == 2:
        return standin.count(".") == 2 and _json_header(standin)
    if "-----BEGIN" in original:
        label = PEM_LABEL.search(original)
        return bool(label) and label.group() in standin  # type: ignore[union-attr]
    if "://" in original or host_and_path(original):
        scheme = original.split("://")[0] if "://" in original else ""
        kept = standin.startswith(scheme)
        return kept and original.count("/") == standin.count("/")
    if len(original) != len(standin):
        return False
    keep = prefix_length(original)
    if LIVE.sub("test", original[: keep + 1].lower())[:keep] != standin[:keep].lower():
        return False
    return all(
        char_class(a) == char_class(b) and (char_class(a) is not None or a == b)
        for a, b in zip(original[keep:], standin[keep:], strict=True)
    )


def _json_header(jwt: str) -> bool:
    try:
        return isinstance(json.loads(b64url_decode(jwt.split(".")[0])), dict)
    except ValueError:
        return False


def _live_left(out: str, production: str) -> bool:
    """Whether the sweep would still fail: a finding in ``out`` that production holds (the
    sweep confirms each flagged value against production before it fails the run)."""
    return any(out[h.start : h.end] in production for h in find_secrets(out))


def replaced(case: Case) -> tuple[dict[str, bool], dict[str, bool], dict[str, bool]]:
    """``secret`` on a bare value, ``detect`` on gitleaks' line: shape kept, the service
    rule still matching the stand-in (expected for a kept format), and nothing live left."""
    shape, matches, quiet = {}, {}, {}
    standin = neutralize_secret(case.secret, KEY)
    in_context = case.text.replace(case.secret, standin)
    shape["secret"] = same_shape(case.secret, standin)
    matches["secret"] = any(True for _ in rule_spans(case.rule, in_context))
    quiet["secret"] = case.secret not in in_context and not _live_left(in_context, case.text)
    ticket = f"Customer pasted their config, see below.\n{case.text}\nPlease check the sync."
    out = neutralize_text(ticket, KEY)
    at = ticket.find(case.secret)
    spans = [h for h in find_secrets(ticket) if h.start <= at < h.end]
    if at >= 0 and spans:
        hit = spans[0]
        tail = len(ticket) - hit.end
        piece = out[hit.start : len(out) - tail]
        shape["detect"] = same_shape(ticket[hit.start : hit.end], piece)
    else:
        shape["detect"] = False
    matches["detect"] = any(True for _ in rule_spans(case.rule, out))
    quiet["detect"] = case.secret not in out and not _live_left(out, ticket)
    return shape, matches, quiet


def rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarize(results: list[tuple[Case, Outcome]]) -> list[dict[str, Any]]:
    """One row per split and family: per-place flag rates and replacement checks."""
    rows = []
    groups: dict[tuple[str, str], list[tuple[Case, Outcome]]] = defaultdict(list)
    for case, outcome in results:
        groups[case.split, case.family].append((case, outcome))
        groups[case.split, "all"].append((case, outcome))
    for (split, family), group in sorted(groups.items()):
        row: dict[str, Any] = {
            "split": split,
            "family": family,
            "samples": len(group),
            "services": len({c.service for c, _ in group}),
        }
        for place in PLACES:
            row[place] = rate([o.flagged[place] for _, o in group])
        for how in ("secret", "detect"):
            row[f"{how}_shape"] = rate([o.shape[how] for _, o in group])
            row[f"{how}_nothing_live"] = rate([o.quiet[how] for _, o in group])
            row[f"{how}_rule_matches"] = rate([o.matches[how] for _, o in group])
        rows.append(row)
    return rows


def per_service(results: list[tuple[Case, Outcome]]) -> dict[str, dict[str, Any]]:
    """Per service: samples, and the places where any sample went unflagged."""
    out: dict[str, dict[str, Any]] = {}
    for case, outcome in results:
        entry = out.setdefault(
            case.service, {"split": case.split, "samples": 0, "missed": defaultdict(int)}
        )
        entry["samples"] += 1
        for place, ok in outcome.flagged.items():
            if not ok:
                entry["missed"][place] += 1
        for how in ("secret", "detect"):
            for name, checks in (("shape", outcome.shape), ("live", outcome.quiet)):
                if not checks[how]:
                    entry["missed"][f"{how}_{name}"] += 1
    return out


def run(samples: list[dict[str, Any]]) -> tuple[list[tuple[Case, Outcome]], dict[str, int]]:
    """Every case measured in every place."""
    sweep = _sweep()
    todo, lost = cases(samples)
    results = []
    for case in todo:
        outcome = Outcome(flagged=flagged_in(sweep, case))
        outcome.shape, outcome.matches, outcome.quiet = replaced(case)
        results.append((case, outcome))
    return results, lost


# --- false positives: ordinary data written by others ------------------------------------

# detect-secrets' HighEntropyString thresholds (bits per character), used by the candidate
# detector of bare values that :func:`bare_entropy_rows` measures (not the product's rule)
BASE64_LIMIT, HEX_LIMIT, BARE_MIN = 4.5, 3.0, 20
BARE = re.compile(r"[A-Za-z0-9+/=_-]{20,}")


def bare_high_entropy(value: str) -> bool:
    """The candidate: one bare token of 20+ characters above detect-secrets' limits."""
    text = value.strip()
    if not BARE.fullmatch(text):
        return False
    hexish = all(c in "0123456789abcdefABCDEF" for c in text)
    return entropy(text) > (HEX_LIMIT if hexish else BASE64_LIMIT)


def chinook_values() -> list[tuple[str, str]]:
    """(column, value) of every text cell of Chinook (MIT, Luis Rocha), from the SQLite file
    at $CHINOOK_SQLITE (a fetched copy; not kept in the repo)."""
    path = os.environ.get("CHINOOK_SQLITE")
    if not path or not Path(path).exists():
        return []
    import sqlite3

    out = []
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            columns = [r[1] for r in db.execute(f'pragma table_info("{table}")')]
            for column in columns:
                for (value,) in db.execute(f'select distinct "{column}" from "{table}"'):
                    if isinstance(value, str):
                        out.append((column, value))
    return out


def presidio_documents(count: int) -> list[str]:
    """Held-out documents of the outside text corpus (presidio-evaluator's templates and
    FakeNameGenerator people; benchmarks/outside_corpus.py fetches the pinned wheel)."""
    try:
        import outside_corpus
    except ImportError:
        return []
    try:
        return [outside_corpus.build_doc("fng", "heldout", 0, i).text for i in range(count)]
    except (OSError, RuntimeError):
        return []


def identifiers(count: int) -> list[str]:
    """Ids and digests every database holds: UUIDs, hex digests, base64 digests."""
    rng = random.Random(11)
    out = []
    for _ in range(count):
        raw = rng.randbytes(32)
        out += [
            str(uuid.UUID(bytes=raw[:16], version=4)),
            hashlib.md5(raw).hexdigest(),
            hashlib.sha1(raw).hexdigest(),
            hashlib.sha256(raw).hexdigest(),
            base64.b64encode(hashlib.sha256(raw).digest()).decode(),
        ]
    return out


def false_positive_rows(results: list[tuple[Case, Outcome]]) -> list[dict[str, Any]]:
    """How often ordinary values are flagged by the sweep (with their column name as the
    hint), and what a bare-entropy detector would flag and find."""
    sweep = _sweep()
    rows = []
    sources = {
        "chinook cells (column hint)": chinook_values(),
        "presidio-evaluator documents": [("", d) for d in presidio_documents(2000)],
        "uuid/md5/sha1/sha256/base64 digests": [("id", v) for v in identifiers(400)],
    }
    for name, values in sources.items():
        if not values:
            continue
        flagged = sum(1 for column, v in values if value_flags(sweep, v, column or None))
        bare = sum(1 for _, v in values if bare_high_entropy(v))
        rows.append(
            {
                "split": "false positives",
                "family": name,
                "samples": len(values),
                "sweep_flagged": round(flagged / len(values), 4),
                "bare_entropy_flagged": round(bare / len(values), 4),
            }
        )
    keyword = [c for c, _ in results if c.family == "keyword" and c.split == "tune"]
    if keyword:
        rows.append(
            {
                "split": "tune",
                "family": "keyword (bare, entropy candidate)",
                "samples": len(keyword),
                "bare_entropy_flagged": rate([bare_high_entropy(c.secret) for c in keyword]),
            }
        )
    return rows


def detect_secrets_rows() -> list[dict[str, Any]]:
    """detect-secrets' plugin test cases (Apache-2.0; benchmarks/detect_secrets_samples.py):
    its positives as a line of text and alone in a ``keep`` column named ``value``, and how
    many of its plugins' negatives sanitizer flags (some on purpose: a live ``pk_live_`` key,
    a legacy npm token after ``_authToken=``)."""
    import detect_secrets_samples

    sweep = _sweep()
    samples = detect_secrets_samples.load()["samples"]
    rows = []
    for flag in (True, False):
        group = [s for s in samples if s["should_flag"] is flag]
        in_text = [bool(find_secrets(s["payload"])) for s in group]
        alone = [bool(value_flags(sweep, s["payload"].strip(), "value")) for s in group]
        rows.append(
            {
                "split": "detect-secrets",
                "family": "flagged by its plugin" if flag else "not flagged by its plugin",
                "samples": len(group),
                "services": len({s["plugin"] for s in group}),
                "free_text": rate(in_text),
                "keep_column": rate(alone),
            }
        )
    return rows


def main() -> int:
    data = load()
    started = time.perf_counter()
    results, lost = run(data["samples"])
    seconds = time.perf_counter() - started
    rows = summarize(results) + detect_secrets_rows() + false_positive_rows(results)
    for row in rows:
        print(json.dumps(row))
    services = per_service(results)
    weak = {
        name: dict(entry["missed"])
        for name, entry in sorted(services.items())
        if entry["split"] == "heldout" and entry["missed"]
    }
    print("held-out services with a miss:", json.dumps(weak, indent=1))
    record(
        "secrets",
        baseline="none (rates, 1.0 = every sample)",
        rows=rows,
        params={
            "samples": len(data["samples"]),
            "measured": len(results),
            "lost": json.dumps(lost),
            "source": f"gitleaks@{data['commit'][:12]} tps (MIT)",
            "seconds": round(seconds, 1),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
