"""How a field's rule is proposed: its name and what Presidio finds in a sample of its values.

Shared by every scan — SQL columns (:mod:`.scan`), vector metadata keys (:mod:`.scan_vectors`),
JSON paths and CSV columns of objects (:mod:`.scan_objects`). Evidence is kept as counts
("38/100 sampled values matched EMAIL_ADDRESS"), never as a sampled value.
"""

from __future__ import annotations

import re
import struct
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sanitizer.config.settings import Settings
from sanitizer.extract.vectors.base import kinds_of
from sanitizer.mask import geometry
from sanitizer.mask.fakes import UNIQUE_KINDS
from sanitizer.mask.text.detector import FAKE_FOR_ENTITY
from sanitizer.review.proposals import Proposal
from sanitizer.schema import (
    BINARY,
    DATE,
    DATETIME,
    DECIMAL,
    FLOAT,
    GEOMETRY,
    JSON,
    OTHER,
    STRING,
    ColumnInfo,
    TableInfo,
)

SAMPLE_ROWS = 100
SAMPLE_OBJECTS = 5  # objects read per key shape
MATCH_SHARE = 0.3  # a column is an entity's when this share of its sampled values holds one
WHOLE_VALUE = 0.8  # a finding covering this much of a value makes the value that entity
FREE_TEXT_CHARS = 40  # average length from which text without findings still gets detect
LINK = re.compile(r"://|^www\.|/")  # a URL finding worth counting ('billing.events' is not)
# entity found in most of a column's sample → the fake proposed for the column: the table
# detect replaces findings with, plus street addresses (found by our recognizer, not Presidio)
PROPOSED_FAKE = {**FAKE_FOR_ENTITY, "STREET_ADDRESS": "street"}
FAMILIES = [
    {"name", "first_name", "last_name", "username", "company"},
    {"city", "address", "street", "postcode"},
]
# credentials and live destinations (docs/rules.md: ``secret``, ``{url: sandbox}``)
SECRET_NAME = re.compile(
    r"password|passwd|(^|[-_])secrets?($|[-_])|secret$|token|api[-_]?key|private[-_]?key"
    r"|access[-_]?key"
    r"|credential|signing[-_]?key|client[-_]?secret",
    re.I,
)
DESTINATION_NAME = re.compile(
    r"webhook|callback|redirect[-_]?ur[il]|(^|[-_])dsn$"
    r"|(database|db|redis|broker|amqp|mongo|connection)[-_]?(url|uri|string)$",
    re.I,
)
SANDBOX = {"url": "sandbox"}
# entities detect neutralizes as an operator other than fake does (docs/rules.md, "Secrets")
ENTITY_RULES: dict[str, Any] = {"URL": SANDBOX, "SECRET": "secret"}
URL_TEXT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
CREDENTIAL, DESTINATION = "credential", "live URL"  # what a value's secret hits make it
NOT_TEXT = re.compile(r"[-_](type|id|ids|at|count|length|size|format|encoding|status)$", re.I)
COMPANY_TABLE = re.compile(r"compan|organi[sz]ation|vendor|supplier|merchant|account", re.I)
# tables about people: there a bare ``name`` is a person's name without further evidence
PERSON_TABLE = re.compile(
    r"person|people|user|customer|client|staff|employee|member|contact|author|actor|patient"
    r"|student|teacher|driver|owner|guest|passenger|subscriber|recipient|sender|profile"
    r"|applicant|candidate|lead|tenant|resident|volunteer|donor|buyer|seller|agent",
    re.I,
)
# binary columns that hold a picture of someone (or their signature, their scanned papers)
PHOTO_NAME = re.compile(
    r"photo|picture|pic$|avatar|image|img|portrait|headshot|selfie|face|signature|thumbnail"
    r"|scan|passport|licen[cs]e|document",
    re.I,
)
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM", b"II*\x00", b"MM\x00*")
POINT_NAME = re.compile(r"location|coord|geo|lat[-_]?lo?ng|position|point|home|where", re.I)
LATITUDE = re.compile(r"(^|_)lat(itude)?$", re.I)
LONGITUDE = re.compile(r"(^|_)(lng|lon|long|longitude)$", re.I)
# (pattern on the column name, rule) — first match wins; the names people actually use
NAME_RULES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(p, re.IGNORECASE), rule)
    for p, rule in [
        (r"e[-_]?mail", {"fake": "email"}),
        (r"phone|mobile|^tel|fax|msisdn", {"fake": "phone"}),
        (r"first[-_]?name|given[-_]?name|forename", {"fake": "first_name"}),
        (r"last[-_]?name|surname|family[-_]?name", {"fake": "last_name"}),
        (r"user[-_]?name|login|handle|nick", {"fake": "username"}),
        (r"company|employer|organi[sz]ation", {"fake": "company"}),
        (r"(^|_)name$|full[-_]?name|holder|contact[-_]?name|^name", {"fake": "name"}),
        (r"street|address[-_]?line|^address$|(^|_)addr", {"fake": "address"}),
        (r"city|town", {"fake": "city"}),
        (r"zip|post[-_]?code|postal", {"fake": "postcode"}),
        (r"(^|_)ip([-_]?addr(ess)?)?$", {"fake": "ip"}),
        (r"(^|_)mac([-_]?addr(ess)?)?$", {"fake": "mac"}),
        (r"iban", {"fake": "iban"}),
        (r"card[-_]?(number|no|num)|^pan$|cc[-_]?num", {"fake": "credit_card"}),
        (r"ssn|social[-_]?sec|tax[-_]?id|vat|national[-_]?id|passport|licen[cs]e[-_]?(no|num)",
         {"format": "preserve"}),
        # a password's hash is a login: nobody logs in to staging as a customer
        (r"(password|passwd)[-_]?(hash|digest)|(^|_)hash(ed)?$", {"constant": "!staging-disabled"}),
        (DESTINATION_NAME.pattern, SANDBOX),
        (SECRET_NAME.pattern, "secret"),
        (r"birth|dob", {"shift_date": {"max_days": 180}}),
        (r"note|comment|body|message|description|bio|transcript|summary|content|text"
         r"|subject|file[-_]?name", "detect"),
    ]
]  # fmt: skip


@dataclass
class Field:
    """A field outside SQL — a metadata key, a JSON path, a CSV column — with its sample."""

    name: str  # as the rule names it (``$.requester.email``)
    values: list[Any]
    kind: str | None = None  # None: read from the values
    word: str | None = None  # what name heuristics read (``email``); None: the name
    parent: str = ""  # the enclosing object (``company`` for ``$.company.name``)


def propose_fields(fields: list[Field], settings: Settings) -> list[Proposal]:
    """The SQL column logic for fields that have no schema: kinds come from the values."""
    kinds = {f.name: f.kind or sampled_kind(f.values) for f in fields}
    texts = {
        f.name: [v for v in f.values if isinstance(v, str) and v.strip()]
        for f in fields
        if kinds[f.name] in (STRING, JSON)
    }
    found = count_findings(texts, settings)
    proposals = []
    for f in fields:
        column = ColumnInfo(name=f.word or f.name, kind=kinds[f.name], sql_type=kinds[f.name])
        table = TableInfo(name=f.parent, columns={column.name: column})
        proposal = propose_column(table, column, f.values, found.get(f.name, {}))
        proposal.column = f.name
        proposals.append(proposal)
    return proposals


def sampled_kind(values: list[Any]) -> str:
    """The kind most sampled values have; text when strings are among them."""
    kinds = Counter(kind for v in values for kind in kinds_of(v))
    if not kinds or STRING in kinds:
        return STRING
    return kinds.most_common(1)[0][0]


def count_findings(
    texts: dict[str, list[str]], settings: Settings
) -> dict[str, dict[str, Counter]]:
    """Per column: entity → counts of sampled values with a finding, and with a whole-value one.

    Quasi-identifiers (dates, ages, nationalities, honorifics, companies) are left out: a
    column of them is no reason to propose a fake or ``detect`` (a ``language`` column of
    'English', 'Italian' is kept); the column's type and name decide."""
    from sanitizer.mask.text.detector import QUASI_ENTITIES, find_all

    flat = [(name, text) for name, items in texts.items() for text in items]
    if not flat:
        return {}
    findings = find_all([text for _, text in flat], None, settings.nlp)
    out: dict[str, dict[str, Counter]] = {}
    for (name, text), found in zip(flat, findings, strict=True):
        counts = out.setdefault(name, {"any": Counter(), "whole": Counter()})
        count_secrets(name, text, counts)
        found = [f for f in found if f.entity != "URL" or LINK.search(text[f.start : f.end])]
        found = [f for f in found if f.entity not in QUASI_ENTITIES]
        size = len(text.strip()) or 1
        for entity in {f.entity for f in found}:
            counts["any"][entity] += 1
            covered = sum(f.end - f.start for f in found if f.entity == entity)
            if covered / size >= WHOLE_VALUE:
                counts["whole"][entity] += 1
    return out


def count_secrets(name: str, text: str, counts: dict[str, Counter]) -> None:
    """Credentials and live destinations in one sampled value, counted by what they make it.

    A value that is one (a hit covering it, or a value the name ``api_key``… makes a
    credential) counts under ``secret_whole``; one pasted into longer text under
    ``secret_any``. The rule ids that fired are counted too: evidence names rules, never values.
    """
    from sanitizer.mask.secrets import find_secrets, looks_like_secret

    for part in ("secret_whole", "secret_any", "rules"):
        counts.setdefault(part, Counter())
    hint = _hint(name)
    size = len(text.strip()) or 1
    kinds = set()
    for hit in find_secrets(text):
        kind = DESTINATION if URL_TEXT.match(text[hit.start : hit.end]) else CREDENTIAL
        kinds.add(kind)
        counts["rules"][hit.rule] += 1
        if (hit.end - hit.start) / size >= WHOLE_VALUE:
            counts["secret_whole"][kind] += 1
            return _count_any(counts, kinds)
    if kinds:  # pasted into longer text
        return _count_any(counts, kinds)
    rule = looks_like_secret(text.strip(), hint)  # no pattern: entropy and the name's hint
    if rule is not None:
        kind = DESTINATION if URL_TEXT.match(text.strip()) else CREDENTIAL
        kinds.add(kind)
        counts["rules"][rule] += 1
        counts["secret_whole"][kind] += 1
    _count_any(counts, kinds)


def _count_any(counts: dict[str, Counter], kinds: set[str]) -> None:
    for kind in kinds:
        counts["secret_any"][kind] += 1


def _hint(name: str) -> str | None:
    """The last word of a field's name (``$.smtp.password`` → ``password``) for name hints."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_-]*", name)
    return words[-1] if words else None


def _secret_rule(found: dict[str, Counter], n: int) -> tuple[Any, str] | None:
    """``secret`` / ``{url: sandbox}`` for a field whose sampled values are credentials or
    live destinations; ``detect`` for one where they are pasted into longer text."""
    whole, anywhere = found.get("secret_whole", Counter()), found.get("secret_any", Counter())
    rules = found.get("rules", Counter())
    named = ", ".join(r for r, _ in rules.most_common(3))
    credentials, destinations = whole[CREDENTIAL], whole[DESTINATION]
    if credentials + destinations and (credentials + destinations) / n >= MATCH_SHARE:
        rule = SANDBOX if destinations > credentials else "secret"
        what = (
            f"{destinations}/{n} sampled values are live URLs"
            if rule == SANDBOX
            else f"{credentials}/{n} sampled values are credentials"
        )
        return rule, f"{what} ({named})"
    pasted = max(anywhere[CREDENTIAL], anywhere[DESTINATION])
    if pasted:
        return "detect", (
            f"{pasted}/{n} sampled values hold a credential or a live URL ({named}); detect "
            "neutralizes them in place"
        )
    return None


def propose_column(
    table: TableInfo, column: ColumnInfo, values: list[Any], found: dict[str, Counter]
) -> Proposal:
    sampled = [v for v in values if v is not None]
    n = len(sampled)
    special = _typed_rule(column, sampled)
    if special is not None:
        rule, why = special
        rule = unique_rule(rule, column) if isinstance(rule, dict) else rule
        return Proposal(table.name, column.name, rule, why)
    named = _named_rule(table, column)
    evidence: list[str] = []
    rule: Any = None
    secrets = _secret_rule(found, n) if found and n else None
    if secrets is not None and secrets[0] != "detect":
        rule, why = secrets  # a credential or a live URL: whatever else its text resembles
        return Proposal(table.name, column.name, rule, why)
    if found and n:
        whole, anywhere = found["whole"], found["any"]
        entity, count = (whole.most_common(1) or [("", 0)])[0]
        if count / n >= MATCH_SHARE and entity in PROPOSED_FAKE:
            rule = ENTITY_RULES.get(entity) or {"fake": PROPOSED_FAKE[entity]}
            evidence.append(f"{count}/{n} sampled values are {entity}")
            numbered = sum(any(ch.isdigit() for ch in str(v)) for v in sampled)
            if entity == "LOCATION" and numbered / n >= 0.5:  # a house number: a street
                rule = {"fake": "street"}
                evidence.append(f"{numbered}/{n} with a house number")
        else:
            hits = [e for e, c in anywhere.most_common() if c / n >= MATCH_SHARE]
            if hits:
                rule = "detect"
                evidence.append(
                    ", ".join(f"{anywhere[e]}/{n} sampled values contain {e}" for e in hits)
                )
    if named is not None and _fits(named, column):
        evidence.append(f"the name {column.name!r} suggests it")
        if (
            rule is None
            or (rule == "detect" and named != "detect")
            or _same_family(rule, named)
            or named in ("secret", SANDBOX)  # a webhook is a URL, but not one to fake
        ):
            rule = named  # the name is more specific: 'first_name' over a PERSON finding
    if secrets is not None and rule in (None, "keep", "detect"):
        rule = "detect"  # pasted into text: kept, the fail-closed sweep would stop the run
        evidence.append(secrets[1])
    if rule is None and column.kind == STRING and sampled:
        average = sum(len(str(v)) for v in sampled) / n
        if average >= FREE_TEXT_CHARS:
            rule = "detect"
            evidence.append(f"free text (average {average:.0f} characters)")
    if rule is None:
        rule = "keep"
        if column.name in table.primary_key:
            evidence.append("primary key")
        evidence.append(f"0/{n} sampled values matched any entity" if n else "no sampled values")
    return Proposal(table.name, column.name, unique_rule(rule, column), "; ".join(evidence))


def _typed_rule(column: ColumnInfo, sampled: list[Any]) -> tuple[Any, str] | None:
    """Photos, coordinates: columns whose type says more than any text detection could.

    A picture column (by name, or holding image bytes) is masked whole: ``null`` where the
    column allows it, else ``placeholder``. A point (geometry/point column, or text or bytes
    that parse as points under a location-like name) takes ``fake: point``; numeric
    latitude/longitude columns take ``noise`` (a point rule needs one column holding both).
    """
    if column.kind == BINARY:
        images = sum(bytes(v[:8]).startswith(IMAGE_MAGIC) for v in sampled)
        named = PHOTO_NAME.search(column.name)
        if named or (sampled and images / len(sampled) >= MATCH_SHARE):
            why = f"{images}/{len(sampled)} sampled values are images" if images else ""
            why = why or f"the name {column.name!r} suggests a picture of a person"
            return ("null" if column.nullable else "placeholder"), why
        if sampled and _points(sampled) == len(sampled):
            return {"fake": "point"}, f"{len(sampled)}/{len(sampled)} sampled values are points"
        return None
    if column.kind == GEOMETRY:
        points = _points(sampled)
        if column.sql_type.upper() in ("POINT", "GEOMETRY", "GEOGRAPHY") and points == len(sampled):
            evidence = f"{points}/{len(sampled)} sampled values are points" if sampled else ""
            return {"fake": "point"}, evidence or f"a {column.sql_type} column: coordinates"
        return ("null" if column.nullable else "keep"), (
            f"a {column.sql_type} column that is not only points"
            + ("" if column.nullable else ": NOT NULL, choose a rule (no fake for shapes)")
        )
    if column.kind in (STRING, OTHER) and sampled and POINT_NAME.search(column.name):
        points = _points(sampled)
        if points / len(sampled) >= WHOLE_VALUE:
            return {"fake": "point"}, f"{points}/{len(sampled)} sampled values are points"
    if column.kind in (FLOAT, DECIMAL) and (
        LATITUDE.search(column.name) or LONGITUDE.search(column.name)
    ):
        return {"noise": {"ratio": 0.1}}, (
            f"the name {column.name!r} suggests a coordinate (moved by up to 10%; "
            "fake: point needs one column holding the point)"
        )
    return None


def _points(values: list[Any]) -> int:
    """How many sampled values are points (any format fake: point reads)."""
    count = 0
    for value in values:
        try:
            geometry.parse(value)
            count += 1
        except (geometry.NotAPoint, ValueError, TypeError, struct.error):
            continue
    return count


def _named_rule(table: TableInfo, column: ColumnInfo) -> Any:
    """The rule a column's name suggests (``name`` in a companies table is a company).

    A bare ``name`` is a person's only in a table about people (customers, staff…); in
    ``category`` or ``language`` it names a thing, and only the sampled values (PERSON
    findings) can make it a person's name.
    """
    if column.name.lower() == "name" and COMPANY_TABLE.search(table.name):
        return {"fake": "company"}
    if column.name.lower() == "name" and not PERSON_TABLE.search(table.name.rsplit(".")[-1]):
        return None
    rule = next((rule for pattern, rule in NAME_RULES if pattern.search(column.name)), None)
    if rule in ("detect", "secret", SANDBOX) and NOT_TEXT.search(column.name):
        return None  # content_type, message_id, token_type: about the value, not the value
    return rule


def _same_family(found: Any, named: Any) -> bool:
    """Whether a value-based fake and a name-based one describe the same kind of thing."""
    kinds = [r.get("fake") for r in (found, named) if isinstance(r, dict)]
    return len(kinds) == 2 and any(set(kinds) <= family for family in FAMILIES)


def _fits(rule: Any, column: ColumnInfo) -> bool:
    """A name-based rule only where it can work (a date rule on a date column, etc.)."""
    if isinstance(rule, dict) and "shift_date" in rule:
        return column.kind in (DATE, DATETIME)
    return column.kind in (STRING, JSON) or (isinstance(rule, dict) and "format" in rule)


def unique_rule(rule: Any, column: ColumnInfo) -> Any:
    """Unique columns get a rule that keeps values distinct."""
    if not column.unique or rule in ("keep", "secret", SANDBOX):
        return rule  # secret and url: keyed one to one, so distinct values stay distinct
    if isinstance(rule, dict) and rule.get("fake") in UNIQUE_KINDS:
        return {**rule, "unique": True}
    if isinstance(rule, dict) and ("hash" in rule or "format" in rule):
        return rule
    return {"format": "preserve"}  # distinct in, distinct out, same shape
