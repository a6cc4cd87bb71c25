"""What ``sanitize scan`` proposes, and its YAML: rules as people write them, each commented
with its evidence as counts.

Kept apart from the scanners so that ``--write`` (:mod:`sanitizer.review.merge`) renders the
same lines as the printed proposal without importing any store client. Nothing here holds a
sampled value: a proposal is a field name, a rule and a sentence of counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@dataclass
class Proposal:
    """One field's rule: a column, a metadata key, a JSON path or a CSV column."""

    table: str  # the table, collection or object glob it belongs to
    column: str
    rule: Any  # a rule as YAML would load it, or :class:`Paths`
    evidence: str


@dataclass
class Paths:
    """A ``json:`` rule proposed path by path (a vector metadata key holding documents)."""

    paths: list[Proposal]


@dataclass
class CollectionProposal:
    """A vector collection: its document's rule and one per metadata key, or ``drop``."""

    name: str
    evidence: str
    drop: bool = False
    document: Proposal | None = None
    metadata: list[Proposal] = field(default_factory=list)


@dataclass
class ObjectProposal:
    """One key shape of an object source (``tickets/**/*.json``) and how to mask it."""

    glob: str
    handler: str  # json, columns, detect, keep or drop
    evidence: str
    fields: list[Proposal] = field(default_factory=list)  # JSON paths or columns
    keys: Proposal | None = None  # set when key segments hold personal data
    metadata: list[Proposal] = field(default_factory=list)  # S3 user metadata
    header: bool = True  # False: a CSV whose first row is data
    listed: list[str] = field(default_factory=list, repr=False)  # its keys; never printed


@dataclass
class Scan:
    """Everything proposed for one source."""

    source: str
    tables: list[Proposal] = field(default_factory=list)
    collections: list[CollectionProposal] = field(default_factory=list)
    objects: list[ObjectProposal] = field(default_factory=list)


def render(scan: Scan) -> str:
    """A whole rule file for the scanned source."""
    lines = [f"source: {scan.source}"]
    if scan.tables:
        lines.append("tables:")
        current = None
        for p in scan.tables:
            if p.table != current:
                lines.append(f"  {p.table}:")
                current = p.table
            lines.append(f"    {rule_line(p)}")
    if scan.collections:
        lines.append("vectors:")
        for c in scan.collections:
            lines += collection_lines(c, "  ")
    if scan.objects:
        lines.append("objects:")
        for o in scan.objects:
            lines += object_lines(o, "  ")
    return "\n".join(lines) + "\n"


def rule_line(p: Proposal) -> str:
    """One ``name: rule    # scan: evidence`` line (flat rules only)."""
    return f"{yaml_key(p.column)}: {flow(p.rule)}    # scan: {p.evidence}"


def entry_lines(p: Proposal, indent: str) -> list[str]:
    """A proposal as lines: one line, or a ``json:`` block with one line per path."""
    if not isinstance(p.rule, Paths):
        return [indent + rule_line(p)]
    lines = [f"{indent}{yaml_key(p.column)}:    # scan: {p.evidence}", f"{indent}  json:"]
    for path in p.rule.paths:
        lines += entry_lines(path, indent + "    ")
    return lines


def collection_lines(c: CollectionProposal, indent: str) -> list[str]:
    if c.drop:
        return [f"{indent}{yaml_key(c.name)}: drop    # scan: {c.evidence}"]
    lines = [f"{indent}{yaml_key(c.name)}:    # scan: {c.evidence}"]
    if c.document is not None:
        lines += entry_lines(c.document, indent + "  ")
    if c.metadata:
        lines.append(f"{indent}  metadata:")
        for p in c.metadata:
            lines += entry_lines(p, indent + "    ")
    return lines


def object_lines(o: ObjectProposal, indent: str) -> list[str]:
    """An ``objects:`` entry in block style: handler, its fields, then options."""
    inner = indent + "  "
    glob = json.dumps(o.glob, ensure_ascii=False)
    if o.handler not in ("json", "columns") and o.keys is None and not o.metadata:
        return [f"{indent}{glob}: {o.handler}    # scan: {o.evidence}"]
    lines = [f"{indent}{glob}:    # scan: {o.evidence}"]
    if o.handler in ("json", "columns"):
        lines.append(f"{inner}{o.handler}:")
        lines += [line for p in o.fields for line in entry_lines(p, inner + "  ")]
        if o.handler == "columns" and not o.header:
            lines.append(f"{inner}header: false    # scan: the first row holds data, not names")
    else:
        lines.append(f"{inner}{o.handler}: true")
    if o.keys is not None:
        lines.append(inner + rule_line(o.keys))
    if o.metadata:
        lines.append(f"{inner}metadata:")
        lines += [f"{inner}  {rule_line(p)}" for p in o.metadata]
    return lines


def yaml_key(text: str) -> str:
    """A mapping key as YAML reads it back: plain when it can be, else double-quoted."""
    if PLAIN_KEY.fullmatch(text) and text.lower() not in ("true", "false", "null", "yes", "no"):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(rule: Any) -> str:
    """A rule in YAML flow style, as people write them: ``{fake: email, unique: true}``."""
    if isinstance(rule, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in rule.items()) + "}"
    if isinstance(rule, bool):
        return "true" if rule else "false"
    if isinstance(rule, str) and (rule.startswith("!") or " " in rule):
        return f'"{rule}"'
    return str(rule)
