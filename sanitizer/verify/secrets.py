"""The secrets sweep: no live credential and no production host in staging (guarantee 11).

The leak check looks for production values of masked fields. It cannot see a credential in a
``keep`` column, in a JSON leaf no rule names or in a text ``detect`` missed: nothing told it
the value was sensitive. So before the swap every text staging holds — every SQL column,
``keep`` ones included, JSON leaves and keys, object keys, metadata, tags and contents, vector
ids, documents and metadata — is also run through the credential detectors
(:func:`sanitizer.mask.secrets.find_secrets`, and :func:`~sanitizer.mask.secrets.looks_like_secret`
with the field's name as a hint) and looked for the production hosts learned from masked
fields (:mod:`sanitizer.verify.hosts`).

A credential the run neutralized (``secret``, ``{url: sandbox}``, ``detect``) keeps its shape
on purpose, so the detectors flag it too. What makes one *live* is that production holds it:
a flagged value is confirmed by looking it up in the same store's production data — only the
keyed digests of the flagged values' words are held for that, as in the leak index — and only
a value production holds fails the run; a ``keep`` SQL column needs no lookup (its staging
value is production's). A URL or database URL whose host is a reserved name, a sink or
allowed reaches nothing and is not flagged; an exact value on ``secrets.allow`` passes.

A finding names the store, field and row key (or object key and line, JSON path, record id),
the detector's rule and the rule to change, never the value: a key, path or id that holds a
flagged value is shown with it as ``*``, or replaced by the row's or record's number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sanitizer.config.object_rules import ObjectRule
from sanitizer.extract.objects import ObjectAttributes, ObjectInfo, ObjectSource
from sanitizer.extract.vectors.base import CollectionInfo, Collections, VectorSource
from sanitizer.mask.operators.base import Operator
from sanitizer.mask.plans import CollectionPlan, TablePlan
from sanitizer.mask.secrets import SecretsSettings, find_secrets, looks_like_secret
from sanitizer.mask.secrets.find import live_password, secret_name
from sanitizer.mask.text.known_values import WORD, WordIndex
from sanitizer.schema import BINARY
from sanitizer.verify.binary import binary_text, object_runs
from sanitizer.verify.hosts import HOST_LIKE, URL_HOST, V6_LIKE, HostIndex, ipv6, parents
from sanitizer.verify.leaks import HashMemo, LeakIndex, hashes_of
from sanitizer.verify.objects import JSON_SUFFIXES, TEXT_SUFFIXES, StoreScan, contents
from sanitizer.verify.sql import TEXT_KINDS, shadow_frames
from sanitizer.verify.triage import (
    LINE_PLACE,
    QUIET_LINE,
    Triage,
    could_hold_credential,
    could_name_host,
    hinted,
)
from sanitizer.verify.vectors import SCAN_BATCH, metadata_texts

if TYPE_CHECKING:
    from sanitizer.load.sql import SqlTarget

MAX_FINDINGS = 20  # places (field and fix) reported per run: enough to fix them in one pass
KEYS_SHOWN = 3  # row keys named per place
NAMES_REMEMBERED = 4096  # field names whose secret_name answer is kept
VOUCH_CHUNK = 4096  # object keys asked of the leak index at once (verify/leaks.py, vouch)
URL_KINDS = ("url", "dsn")
FREE_TEXT = re.compile(r"\s")  # a value with spaces is a text, not one credential or URL
PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
EMAIL = re.compile(r"(?:mailto:)?[^@\s/:]+@[^@\s/:]+")  # an address, not a URL's user@host


@dataclass(frozen=True)
class Flag:
    """Something in one text that may act on production: a credential's span, or a host."""

    rule: str  # the detector's rule id, or "production host"
    kind: str  # secret | url | dsn | private_key | jwt | host
    start: int = 0
    end: int = 0
    learned: str = ""  # a host: the production field it was learned from


@dataclass
class Finding:
    """Where staging holds it and what to change; never the value."""

    where: str  # app.integrations.api_key, files:config/app.yaml, memory.agent_memory.document
    key: str  # id=3, line 4 $.smtp.password, id=m-7
    rule: str
    fix: str

    def describe(self) -> str:
        return f"{self.where} ({self.key}): {self.rule} — {self.fix}"


@dataclass
class Place:
    """The findings of one field with one fix: a few row keys, the rules, how many."""

    where: str
    fix: str
    keys: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, finding: Finding, count: int = 1) -> None:
        self.count += count
        if len(self.keys) < KEYS_SHOWN and finding.key not in self.keys:
            self.keys.append(finding.key)
        if finding.rule not in self.rules:
            self.rules.append(finding.rule)

    def shown_keys(self) -> str:
        more = self.count - len(self.keys)
        return ", ".join(self.keys) + (f" and {more} more" if more > 0 else "")

    def summary(self) -> str:
        """``app.integrations.api_key (id=2, id=4 and 9 more): stripe-access-token``."""
        rules = ", ".join(self.rules[:4]) + (", …" if len(self.rules) > 4 else "")
        return f"{self.where} ({self.shown_keys()}): {rules}"

    def describe(self) -> str:
        return f"{self.summary()} — {self.fix}"


class SpanIndex(WordIndex):
    """Flagged values by the keyed hash of their words — any value, however short: a
    detector said it is a credential."""

    def add_words(self, tokens: list[str]) -> str:
        """Index ``tokens``; their label (the same for the same words)."""
        digest = self._hash(tokens)
        label = self.labels.get(digest)
        if label is None:
            label = self.labels[digest] = str(len(self.labels))
            self.sizes.add(len(tokens))
            self.firsts.add(hash((self.salt, tokens[0])))
        return label


@dataclass
class Pending:
    """Flagged values of one store not yet known to be production's: the keyed digests of
    their words, and the findings each would make."""

    index: SpanIndex
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, text: str, flag: Flag, finding: Finding) -> None:
        tokens = _covering_words(text, flag.start, flag.end)
        if not tokens:
            return
        label = self.index.add_words(tokens)
        self.counts[label] = self.counts.get(label, 0) + 1
        kept = self.findings.setdefault(label, [])
        if len(kept) < MAX_FINDINGS:
            kept.append(finding)

    def __bool__(self) -> bool:
        return bool(self.findings)


def _covering_words(text: str, start: int, end: int) -> list[str]:
    """The words of ``text`` that overlap ``[start, end)``, case-folded (a detector's span
    may start or end inside a word; the whole words are what production is searched for)."""
    return [
        m.group().casefold() for m in WORD.finditer(text) if m.end() > start and m.start() < end
    ]


class Sweep:
    """One sweep: detectors, the ``secrets:`` settings (sinks, allow), the learned hosts and
    the findings so far. ``salt`` keys the digests of flagged values (the run's verification
    key)."""

    def __init__(
        self,
        hosts: HostIndex,
        settings: SecretsSettings,
        salt: bytes,
        leaks: WordIndex | None = None,
    ) -> None:
        self.hosts = hosts
        self.settings = settings
        self.allow = settings.allow
        self.salt = salt
        self.leaks = leaks  # the leak index: its values are hidden in places too
        self.places: dict[tuple[str, str], Place] = {}
        self.total = 0
        self.scanned = 0
        self._named: dict[str | None, bool] = {}

    # -- detection -------------------------------------------------------------------------
    def look(
        self,
        text: str,
        hint: str | None = None,
        *,
        credentials: bool = True,
        hosts: bool = True,
        keywords: frozenset[str] | None = None,
    ) -> list[Flag]:
        """What ``text`` holds that could act on production; ``hint`` is the field's name
        (a column, a metadata field, a JSON key), which raises a detector's prior.
        What a look at many texts at once already knows: ``credentials`` / ``hosts`` False,
        the text holds nothing the detectors / the learned hosts could find, so they are not
        run (a column's texts: verify/triage.py); ``keywords``, the rule keywords in it
        (an object's texts: verify/triage.py)."""
        self.scanned += 1
        if not text or text in self.allow:
            return []
        flags = []
        found = find_secrets(text, settings=self.settings, keywords=keywords) if credentials else []
        for hit in found:  # allowed, sinks: not hits
            span = text[hit.start : hit.end]
            if span in self.allow:
                continue
            nowhere = hit.kind in URL_KINDS and self._reaches_nothing(span)
            if nowhere and not live_password(span, self.settings):
                continue
            flags.append(Flag(hit.rule, hit.kind, hit.start, hit.end))
        if not flags and self._secret_name(hint):  # else: find_secrets said it all
            rule = looks_like_secret(text, hint)
            if rule is not None and not self._reaches_nothing(text):
                kind = "url" if URL_HOST.match(text.strip()) else "secret"  # a webhook_url
                flags.append(Flag(rule, kind, 0, len(text)))
        learned = self.hosts.found_in(text) if hosts else None
        if learned is not None:
            flags.append(Flag("production host", "host", learned=learned))
        return flags

    def _secret_name(self, hint: str | None) -> bool:
        """:func:`secret_name`, remembered per name: a column's every value asks it."""
        named = self._named.get(hint)
        if named is None:
            if len(self._named) >= NAMES_REMEMBERED:  # JSON keys can be values: bounded
                self._named.clear()
            named = self._named[hint] = secret_name(hint)
        return named

    def _reaches_nothing(self, span: str) -> bool:
        """A URL whose host is reserved (``.invalid``), a sink or allowed."""
        match = URL_HOST.search(span)
        return match is not None and not self.hosts.is_destination(match.group(1).lower())

    def hidden(self, text: str) -> str:
        """``text`` (a key, a path, an id) with every flagged span, learned host and value
        the leak index tracks as ``*``: names in staging are data too."""
        if not text:
            return text
        if self.leaks is not None:
            for start, end, _ in reversed(self.leaks.find(text)):
                text = f"{text[:start]}*{text[end:]}"
        flags = self.look(text)
        self.scanned -= 1
        if not flags:
            return text
        spans = sorted((f.start, f.end) for f in flags if f.kind != "host" and f.end > f.start)
        for start, end in reversed(spans):
            text = f"{text[:start]}*{text[end:]}"
        if any(f.kind == "host" for f in flags):
            text = _hide_hosts(text, self.hosts)
        return text

    # -- findings --------------------------------------------------------------------------
    def record(self, finding: Finding, count: int = 1) -> None:
        """Count ``count`` values like ``finding`` (a place past the first 20 only counts)."""
        self.total += count
        place = self.places.get((finding.where, finding.fix))
        if place is None and len(self.places) < MAX_FINDINGS:
            place = self.places[finding.where, finding.fix] = Place(finding.where, finding.fix)
        if place is not None:
            place.add(finding, count)

    def pending(self) -> Pending:
        return Pending(SpanIndex(salt=self.salt))

    def confirm(self, pending: Pending, production: Iterable[str]) -> None:
        """Record the pending findings whose value production holds (``production``: every
        text of the store's production data)."""
        if not pending:
            return
        left = set(pending.findings)
        for text in production:
            if not left:
                break
            for _, _, label in pending.index.find(text):
                if label in left:
                    left.discard(label)
                    findings = pending.findings[label]
                    for finding in findings:
                        self.record(finding)
                    self.record(findings[0], pending.counts[label] - len(findings))

    def flagged(self, where: str, key: str, flag: Flag, fix: str) -> Finding:
        rule = flag.rule
        if flag.kind == "host":
            rule = f"production host (learned from {flag.learned})"
        return Finding(where, key, rule, fix)

    def describe(self) -> str:
        places = "; ".join(p.describe() for p in self.places.values())
        counted = sum(p.count for p in self.places.values())
        more = f"; and {self.total - counted} more elsewhere" if self.total > counted else ""
        return (
            f"{self.total} staging value(s) could act on production (a live credential or a "
            f"production host): {places}{more}"
        )


def _hide_hosts(text: str, hosts: HostIndex) -> str:
    def hide(match: Any) -> str:
        name = match.group().lower()
        return "*" if any(p in hosts.hosts for p in parents(name)) else match.group()

    def hide_v6(match: Any) -> str:
        return "*" if ipv6(match.group()) in hosts.hosts else match.group()

    return V6_LIKE.sub(hide_v6, HOST_LIKE.sub(hide, text))


def _label(label: str, name: str) -> str:
    """A rule as a message shows it: whole when short (``keep``, ``fake: email``), else its
    operator's name (a json rule lists every path)."""
    return label if len(label) <= 40 else name


def wanted(flag: Flag, text: str) -> str:
    """The operator that keeps ``flag`` out of staging, for the flagged ``text``: ``detect``
    for a free text (it finds SECRET and URL), ``{fake: email}`` for an address on a
    production host, ``{url: sandbox}`` for a URL or host, ``secret`` for a credential."""
    value = text.strip()
    whole = flag.kind != "host" and text[flag.start : flag.end].strip() == value
    if FREE_TEXT.search(value) and not whole:  # a PEM key has lines, and is one value
        return "detect"
    if flag.kind == "host" and EMAIL.fullmatch(value):
        return "{fake: email}"  # a fake address lands on a reserved domain
    return "{url: sandbox}" if flag.kind in (*URL_KINDS, "host") else "secret"


def advice(
    flag: Flag,
    field_name: str,
    op: Operator | None,
    path: str = "",
    text: str = "",
    binary: bool = False,
) -> str:
    """The rule to change so ``flag`` does not reach staging again (``text``: the flagged
    text; ``path``: its JSON path inside the field; ``binary``: a bytea/BLOB column, whose
    bytes are replaced whole)."""
    want = "placeholder` or `null" if binary else wanted(flag, text)
    now = f" ({op.where}, now `{_label(op.label(), op.name)}`)" if op is not None else ""
    if path and op is not None and op.name == "json":
        return f'add `"{path}": {want}` to the json rule of {field_name}{now}'
    if path:
        return f'set `{{json: {{"{path}": {want}, "$.**": keep}}}}` on {field_name}{now}'
    if op is not None and op.name == "detect":
        entity = "SECRET" if flag.kind not in (*URL_KINDS, "host") else "URL"
        return f"let `detect` on {field_name}{now} find {entity}, or set `{want}` there"
    return f"set `{want}` on {field_name}{now}"


# --- texts of one value ------------------------------------------------------------------


def json_leaves(
    node: Any, path: str = "$", under: str | None = None
) -> Iterator[tuple[str, str | None, str]]:
    """(path, the key it sits under, text) of every string leaf and object key; a key that
    is not a plain name is written ``["…"]``, so a value inside it stays a word of its own."""
    if isinstance(node, dict):
        for key, child in node.items():
            name = str(key)
            yield path, None, name
            step = f".{name}" if PLAIN_KEY.fullmatch(name) else f"[{json.dumps(name)}]"
            yield from json_leaves(child, path + step, name)
    elif isinstance(node, list):
        for number, child in enumerate(node):
            yield from json_leaves(child, f"{path}[{number}]", under)
    elif isinstance(node, str):
        yield path, under, node


def parsed_json(text: str) -> Any:
    """A text that holds a JSON object or array, parsed; None otherwise."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def value_flags(
    sweep: Sweep, text: str, hint: str | None, credentials: bool = True, hosts: bool = True
) -> list[tuple[str, str, Flag]]:
    """(JSON path or "", the text the flag's span is in, flag) of one cell or field value:
    a JSON document by leaf (so the path is named), anything else whole (``credentials``,
    ``hosts``: as :meth:`Sweep.look` takes them, for a text that is not JSON)."""
    document = parsed_json(text)
    if document is None:
        return [
            ("", text, flag)
            for flag in sweep.look(text, hint, credentials=credentials, hosts=hosts)
        ]
    found = []
    for path, key, leaf in json_leaves(document):
        for flag in sweep.look(leaf, key):
            found.append((path if key is not None else f"{path} (a key)", leaf, flag))
    return found


def frame_findings(
    sweep: Sweep,
    where: str,
    keys: list[str],
    columns: dict[str, Operator | None],
    frames: Iterable[pl.DataFrame],
    pending: Pending,
    binary: frozenset[str] = frozenset(),
    first: int = 1,
    clean: dict[str, HashMemo] | None = None,
) -> None:
    """Sweep the text columns of SQL frames; a ``keep`` column's finding is production's
    value, any other waits in ``pending`` for production to confirm it. Each distinct text
    is looked at once per frame; the rows holding a flagged one are found in one pass.
    ``binary`` columns (bytea, BLOB) are read for the printable text in their bytes. Rows
    are numbered from ``first`` (a frame read for the leak scan too starts further on).
    ``clean``: per column, the hashes of texts an earlier frame of the table showed to hold
    nothing (a value repeated over frames — one customer's email in many orders — is looked
    at once; counted as looked at again, so the receipt's counts stay those of looking)."""
    clean = {} if clean is None else clean
    for frame in frames:
        for name, op in columns.items():
            column = frame.get_column(name)
            if column.dtype != pl.String:
                column = pl.Series(name, [_text(v) for v in column.to_list()], dtype=pl.String)
            field_name = f"{where}.{name}"
            flagged: dict[str, list[tuple[str, Flag, str, str]]] = {}
            is_binary = name in binary
            memo = clean.setdefault(name, HashMemo())
            unique = column.drop_nulls().unique()
            distinct = unique.to_list()
            hashes = hashes_of(distinct)
            known = memo.holds(hashes)
            sweep.scanned += int(known.sum())  # what looking at those plain texts would count
            credentials, hosts = _could_flag(sweep, unique, is_binary)
            cleared = ~known & ~credentials & ~hosts & (unique != "").to_numpy()
            sweep.scanned += int(cleared.sum())  # looked at, as a whole column
            memo.add(hashes[cleared])
            fresh = []
            for i in np.flatnonzero(~known & ~cleared).tolist():
                value = distinct[i]
                text = binary_text(value) if is_binary else value
                if not text:
                    continue
                found = []
                flags = value_flags(sweep, text, name, bool(credentials[i]), bool(hosts[i]))
                for path, span_text, flag in flags:
                    shown_path = sweep.hidden(path) if path else ""
                    place = f"{field_name} {shown_path}" if path else field_name
                    fix = advice(flag, field_name, op, shown_path, span_text, is_binary)
                    found.append((span_text, flag, place, fix))
                if found:
                    flagged[value] = found
                elif parsed_json(text) is None:  # looked at whole, once: clean
                    fresh.append(hash(value))
            memo.add(np.array(fresh, dtype=np.int64))
            if not flagged:
                continue
            mask = column.is_in(list(flagged))
            rows = frame.with_row_index("__row", offset=first).filter(mask)
            values = column.filter(mask).to_list()
            for row, value in zip(rows.select("__row", *keys).iter_rows(), values, strict=True):
                key = row_key(sweep, keys, row)
                for span_text, flag, place, fix in flagged[value]:
                    finding = sweep.flagged(place, key, flag, fix)
                    if flag.kind == "host" or (op is not None and not op.changes_values):
                        sweep.record(finding)
                    else:
                        pending.add(span_text, flag, finding)
        first += frame.height


def _could_flag(sweep: Sweep, unique: pl.Series, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct text: whether the detectors, and the learned hosts, could flag it
    (:mod:`sanitizer.verify.triage`); a binary column's bytes are read one by one."""
    if binary:
        every = np.ones(unique.len(), dtype=bool)
        return every, every
    credentials = could_hold_credential(unique).to_numpy()
    return credentials, could_name_host(unique, sweep.hosts.hosts).to_numpy()


def _text(value: object) -> str | None:
    """A cell as text: a driver may hand JSON back parsed; bytes become ``\\x…`` hex (a
    bytea's text form, which :func:`binary_text` reads)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    return str(value)


def row_key(sweep: Sweep, keys: list[str], row: tuple) -> str:
    """``id=3`` — or ``row 7`` when a key value itself is flagged."""
    shown = ", ".join(f"{k}={v}" for k, v in zip(keys, row[1:], strict=True))
    if not shown or sweep.hidden(shown) != shown:
        return f"row {row[0]}"
    return shown


def production_texts(frames: Iterable[pl.DataFrame], copy_text: bool = False) -> Iterator[str]:
    """Every distinct text of production frames, for :meth:`Sweep.confirm` (``copy_text``:
    PostgreSQL COPY text, whose escapes are undone first, as the shadow's are)."""
    from sanitizer.extract.sql import copy_unescape  # SQL's: runs without SQL never load it

    for frame in frames:
        for name in frame.columns:
            column = frame.get_column(name)
            if column.dtype == pl.String:
                values = column.drop_nulls().unique().to_list()
                for value in (copy_unescape(v) for v in values) if copy_text else values:
                    yield value
                    if value.startswith("\\x"):  # a bytea as text: its bytes' text too
                        yield binary_text(value) or ""
            elif column.dtype == pl.Binary:
                yield from (binary_text(v) or "" for v in column.drop_nulls().to_list())
            elif column.dtype == pl.Object or column.dtype.is_nested():
                yield from (_text(v) or "" for v in column.drop_nulls().to_list())


# --- objects -----------------------------------------------------------------------------


def object_advice(flag: Flag, rule: ObjectRule | None, place: str, text: str = "") -> str:
    """What to change in the ``objects:`` rule of the key (``place``: key, field, line…;
    ``text``: the flagged text)."""
    want = wanted(flag, text)
    if rule is None and place == "bytes":
        return "add an `objects:` rule that drops these objects: their bytes hold flagged text"
    if rule is None:
        return f"add an `objects:` rule masking this key's field with `{want}`"
    now = _label(rule.label(), rule.handler)
    named = f'the `objects:` rule "{rule.glob}" ({rule.where}, now `{now}`)'
    if place == "key":
        keys = "hash" if flag.kind == "host" else "detect"  # detect in keys leaves hosts be
        return f"set `keys: {keys}` in {named}, or `drop` those objects"
    if place.startswith(("metadata.", "tags.")):
        kind, _, name = place.partition(".")
        return f"set `{name}: {want}` under `{kind}:` in {named}"
    if place == "bytes":
        return f"`drop` these objects in {named}: their bytes hold flagged text"
    path = place.split(" ", 2)[-1] if "$" in place else ""
    if path.startswith("$") and rule.handler == "json":
        return f'add `"{path}": {want}` to {named}'
    if path.startswith("$"):
        return f'set `{{json: {{"{path}": {want}, "$.**": keep}}}}` in {named}'
    return f"mask these texts with `detect` (it finds SECRET and URL) in {named}, or `drop` them"


def sweep_objects(
    sweep: Sweep,
    reader: ObjectSource,
    store: str,
    rule_of: Callable[[str], ObjectRule | None],
    pending: Pending,
    scan: StoreScan | None = None,
) -> None:
    """Every object of a staging store (a shadow, or live): key, metadata, tags, contents
    (the contents triaged in batches: verify/triage.py). With ``scan``, the leak scan of
    the store is told each object's key, attributes and texts as they are read: one read
    of each object for both (its :meth:`StoreScan.finish` is the caller's)."""
    triage = Triage(sweep.hosts)
    held: dict[str, ObjectAttributes] = {}  # read with the contents, ahead of the sweep
    texts_of = partial(_texts_of_info, reader, held, scan)
    for info, texts in triage.objects(_vouched(reader.list(), sweep.leaks), texts_of):
        segments = key_segments(info.key)
        where = f"{store}:{sweep.hidden(segments).replace(chr(10), '/')}"
        rule = rule_of(info.key)
        found: list[tuple[str, str, Flag]] = [(segments, "key", f) for f in sweep.look(segments)]
        attributes = held.pop(info.key)
        for kind, fields in (("metadata", attributes.metadata), ("tags", attributes.tags)):
            for name, value in fields.items():
                for path, text, flag in value_flags(sweep, value, name):
                    place = f"{kind}.{name}" + (f" {path}" if path else "")
                    found.append((text, place, flag))
        previous: tuple[str, str, list[Flag]] | None = None
        for place, text, seen in texts:
            if seen is QUIET_LINE:  # a line, and its pair, with nothing a look starts from
                sweep.scanned += 1  # (a line's place names no field: no hint either)
                previous = (place, text, [])
                continue
            hint = place.rsplit(".", 1)[-1] if place.startswith("$") else None
            if seen.quiet and not hinted(hint):  # nothing a look could start from
                sweep.scanned += 1
                flags: list[Flag] = []
            else:
                flags = sweep.look(text, hint, hosts=seen.host, keywords=seen.keywords)
            found.extend((text, place, flag) for flag in flags)
            if LINE_PLACE.fullmatch(place):
                line = (place, text, flags)
                if previous is not None and text.strip() and not seen.pair_quiet:
                    pair = seen.pair.keywords if seen.pair else None
                    found.extend(across_lines(sweep, previous, line, pair))
                previous = line
        for text, place, flag in found:
            shown = sweep.hidden(place)
            finding = sweep.flagged(where, shown, flag, object_advice(flag, rule, shown, text))
            if flag.kind == "host":
                sweep.record(finding)
            else:
                pending.add(text, flag, finding)


def _vouched(infos: Iterable[ObjectInfo], index: WordIndex | None) -> Iterator[ObjectInfo]:
    """The listing, its keys asked of the leak index a chunk at a time before they are shown
    (:meth:`LeakIndex.vouch`: the key, and its segments on lines, as :func:`sweep_objects`
    and the leak scan show them)."""
    listed = iter(infos)
    while chunk := list(islice(listed, VOUCH_CHUNK)):
        if isinstance(index, LeakIndex):
            index.vouch([t for info in chunk for t in (info.key, key_segments(info.key))])
        yield from chunk


def across_lines(
    sweep: Sweep,
    first: tuple[str, str, list[Flag]],
    second: tuple[str, str, list[Flag]],
    keywords: frozenset[str] | None = None,
) -> Iterator[tuple[str, str, Flag]]:
    """Findings that need two lines (``<token>`` on one, the value on the next; a YAML key,
    its value below): each (place, text, the line's own flags) pair is looked at together,
    and what neither line holds alone is kept, named by the line its span is in.
    ``keywords``: the rule keywords of the joined text whose patterns match it, when
    triaged (verify/triage.py)."""
    head = first[1].rstrip("\r\n")
    cut = len(head)
    joined = f"{head}\n{second[1]}"
    alone = {(f.start, f.end) for f in first[2]}
    alone |= {(f.start + cut + 1, f.end + cut + 1) for f in second[2]}
    sweep.scanned -= 1  # the pair is not another text of the store
    for flag in sweep.look(joined, keywords=keywords, hosts=False):  # hosts: per line
        if (flag.start, flag.end) in alone:
            continue
        if flag.end <= cut:
            yield head, first[0], flag
        elif flag.start > cut:
            shifted = Flag(flag.rule, flag.kind, flag.start - cut - 1, flag.end - cut - 1)
            yield second[1], second[0], shifted
        else:
            yield joined, second[0], flag


def _texts_of_info(
    source: ObjectSource,
    held: dict[str, ObjectAttributes],
    scan: StoreScan | None,
    info: ObjectInfo,
) -> Iterator[tuple[str, str]]:
    """An object's texts; its attributes are read first, into ``held``, and with its key
    told to ``scan``, which then hears each text of its contents as it is read."""
    attributes = held[info.key] = source.attributes(info.key)
    if scan is None:
        return object_texts_of(source, info.key)
    scan.start(info.key, attributes)
    return object_texts_of(source, info.key, scan.text)


def object_texts_of(
    source: ObjectSource, key: str, heard: Callable[[str, str], None] | None = None
) -> Iterator[tuple[str, str]]:
    """(place, text) of one object's contents: its texts (verify/objects.contents), or, for
    an object that has none and is not a text format, the printable runs of its bytes
    (``heard``: told each of the contents' texts, not the runs)."""
    empty = True
    with source.open(key) as stream:
        for place, text in contents(key, stream):
            empty = False
            if heard is not None:
                heard(place, text)
            yield place, text
    if empty and not key.lower().endswith((*TEXT_SUFFIXES, *JSON_SUFFIXES, ".parquet")):
        with source.open(key) as stream:
            yield from (("bytes", run) for run in object_runs(stream))


def key_segments(key: str) -> str:
    """An object key with its path segments on lines of their own, same length: a token
    that is a whole segment (``exports/ghp_…/x.json``) ends where gitleaks' rules expect a
    boundary, as it does when ``keys: detect`` masks the key segment by segment."""
    return key.replace("/", "\n")


def object_texts(source: ObjectSource) -> Iterator[str]:
    """Every text of a production object store: keys, metadata, tags, contents."""
    for info in source.list():
        yield info.key
        attributes = source.attributes(info.key)
        yield from attributes.metadata.values()
        yield from attributes.tags.values()
        yield from (text for _, text in object_texts_of(source, info.key))


# --- vectors -----------------------------------------------------------------------------


def sweep_collections(
    sweep: Sweep,
    reader: VectorSource,
    collections: Collections,
    store: str,
    plans: dict[str, CollectionPlan],
    pending: Pending,
) -> None:
    """Every record's id, document and metadata texts of ``collections``."""
    for info, shown in collections:
        plan = plans.get(shown) or plans.get(info.name)
        number = 0
        for batch in reader.batches(info, SCAN_BATCH):
            for record, (rid, document, metadata) in enumerate(
                zip(batch.ids, batch.documents, batch.metadatas, strict=True), start=number + 1
            ):
                key = f"id={rid}" if sweep.hidden(str(rid)) == str(rid) else f"record {record}"
                found: list[tuple[str, str, str, Operator | None]] = []
                for flag in sweep.look(str(rid)):
                    found.append(("id", str(rid), flag, None))  # type: ignore[arg-type]
                if isinstance(document, str):
                    op = plan.document.operator if plan and plan.document else None
                    found.extend(("document", document, f, op) for f in sweep.look(document))
                for name, value in (metadata or {}).items():
                    fp = plan.metadata.get(name) if plan else None
                    for text in metadata_texts(value):
                        for path, span_text, flag in value_flags(sweep, text, name):
                            place = f"metadata.{name}" + (f" {sweep.hidden(path)}" if path else "")
                            found.append((place, span_text, flag, fp.operator if fp else None))
                for place, text, flag, op in found:  # type: ignore[misc]
                    field_name = f"{store}.{shown}.{place}"
                    fix = advice(flag, field_name, op, text=text)
                    finding = sweep.flagged(field_name, key, flag, fix)
                    if flag.kind == "host":
                        sweep.record(finding)
                    else:
                        pending.add(text, flag, finding)
            number += len(batch)


def record_texts(source: VectorSource, collections: Iterable[CollectionInfo]) -> Iterator[str]:
    """Every id, document and metadata text of production collections."""
    for info in collections:
        for batch in source.batches(info, SCAN_BATCH):
            yield from (str(rid) for rid in batch.ids)
            yield from (d for d in batch.documents if isinstance(d, str))
            for metadata in batch.metadatas:
                for value in (metadata or {}).values():
                    yield from metadata_texts(value)


# --- SQL ---------------------------------------------------------------------------------


def sweep_table(
    sweep: Sweep, target: SqlTarget, source: str, plan: TablePlan, pending: Pending
) -> None:
    """Every text column of one loaded shadow table (``keep`` ones included)."""
    texts = swept_columns(plan)
    if not texts:
        return
    frames = shadow_frames(target, plan.table.name, list(plan.table.primary_key), texts)
    sweep_frames(sweep, source, plan, frames, pending)


def swept_columns(plan: TablePlan) -> list[str]:
    """The columns of a shadow table the sweep reads: text, JSON, other and binary ones."""
    kinds = (*TEXT_KINDS, BINARY)
    return [name for name, column in plan.table.columns.items() if column.kind in kinds]


def sweep_frames(
    sweep: Sweep,
    source: str,
    plan: TablePlan,
    frames: Iterable[pl.DataFrame],
    pending: Pending,
    first: int = 1,
    clean: dict[str, HashMemo] | None = None,
) -> None:
    """:func:`sweep_table` over frames already read (holding the :func:`swept_columns`);
    ``clean`` as :func:`frame_findings` takes it, kept by the caller over a table's frames."""
    table, texts = plan.table, swept_columns(plan)
    binary = frozenset(n for n in texts if table.columns[n].kind == BINARY)
    keys = list(table.primary_key)
    columns = {n: plan.columns[n].operator if n in plan.columns else None for n in texts}
    where = f"{source}.{table.name}"
    frame_findings(sweep, where, keys, columns, frames, pending, binary, first, clean)
