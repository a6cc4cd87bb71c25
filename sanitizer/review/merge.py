"""``sanitize scan --write``: add proposals to the rule files without touching existing rules.

Rule files are edited as text, not re-dumped, so their comments, order and layout — what
reviewers read — stay exactly as written. A proposal for a field with no rule is inserted at
the end of its block (a table, a collection, its ``metadata:``); a table or collection with no
rules at all is added at the end of ``tables:`` / ``vectors:``; an object shape whose keys no
glob matches gets a rule at the end of ``objects:``, after the existing ones, so the globs
already written keep winning. A source without a rule file gets ``rules/<source>.yaml``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sanitizer.config.rules import SourceRules
from sanitizer.config.yamlfile import LocatedDict, load_yaml
from sanitizer.errors import ConfigError
from sanitizer.review.proposals import (
    CollectionProposal,
    ObjectProposal,
    Proposal,
    Scan,
    collection_lines,
    entry_lines,
    object_lines,
    render,
    rule_line,
)

Edits = dict[str, dict[int, list[str]]]  # file → line index → lines to insert there


def merge(rules_dir: Path, rules: SourceRules | None, scan: Scan) -> tuple[Path, int]:
    """Write the proposals that have no rule yet; returns (a file written, how many)."""
    if rules is None or not rules.files:
        path = rules_dir / f"{scan.source}.yaml"
        if path.exists():
            raise ConfigError(
                f"{path} exists but has no rules for source {scan.source!r}.",
                hint="set source: in it, or move it aside and scan again.",
            )
        _write(path, render(scan))
        return path, _count(scan)
    edits: Edits = defaultdict(lambda: defaultdict(list))
    added = _merge_tables(rules, scan.tables, edits)
    added += _merge_collections(rules, scan.collections, edits)
    added += _merge_objects(rules, scan.objects, edits)
    for file, inserts in edits.items():
        lines = _lines(file)
        for index in sorted(inserts, reverse=True):  # bottom up: indexes stay valid
            lines[index:index] = inserts[index]
        _write(Path(file), "\n".join(lines) + "\n")
    return Path(next(iter(edits), rules.files[0])), added


def _count(scan: Scan) -> int:
    fields = sum(
        int(c.drop) + int(c.document is not None) + len(c.metadata) for c in scan.collections
    )
    return len(scan.tables) + fields + len(scan.objects)


def _merge_tables(rules: SourceRules, proposals: list[Proposal], edits: Edits) -> int:
    new_tables: dict[str, list[Proposal]] = defaultdict(list)
    added = 0
    for table, group in _by_table(proposals).items():
        written = _written_table(rules, table)
        if written is None:
            new_tables[table] = group
            added += len(group)
            continue
        missing = [p for p in group if p.column not in written.columns]
        if missing:
            end, indent = _block(_lines(written.where.file), written.where.line - 1,
                                 written.where.file)  # fmt: skip
            edits[written.where.file][end] += [f"{indent}{rule_line(p)}" for p in missing]
            added += len(missing)
    if new_tables:
        body = []
        file, end, indent, head = _section(rules.files[0], "tables")
        for table, group in new_tables.items():
            body.append(f"{indent}{table}:")
            body += [f"{indent}  {rule_line(p)}" for p in group]
        edits[file][end] += head + body
    return added


def _merge_collections(
    rules: SourceRules, proposals: list[CollectionProposal], edits: Edits
) -> int:
    added = 0
    new: list[CollectionProposal] = []
    for proposal in proposals:
        written = rules.vectors.get(proposal.name)
        if written is None:
            new.append(proposal)
            added += int(proposal.drop) + int(proposal.document is not None)
            added += len(proposal.metadata)
        elif not written.drop:
            added += _fill_collection(written.where.file, proposal, written.metadata, edits)
    if new:
        files = [c.where.file for c in rules.vectors.values()] or rules.files
        file, end, indent, head = _section(files[0], "vectors")
        edits[file][end] += head + [line for c in new for line in collection_lines(c, indent)]
    return added


def _fill_collection(file: str, proposal: CollectionProposal, written: dict, edits: Edits) -> int:
    """The document rule and metadata keys a written collection lacks."""
    vectors = load_yaml(Path(file))["vectors"]
    spec = vectors[proposal.name]
    if not isinstance(spec, LocatedDict):
        return 0  # read as a rule error elsewhere; nothing sensible to add to
    lines = _lines(file)
    end, indent = _block(lines, vectors.at(proposal.name).line - 1, file)
    added = 0
    if "document" not in spec and proposal.document is not None:
        edits[file][end] += entry_lines(proposal.document, indent)
        added += 1
    missing = [p for p in proposal.metadata if p.column not in written]
    if missing and "metadata" in spec:
        meta_end, meta_indent = _block(lines, spec.at("metadata").line - 1, file)
        edits[file][meta_end] += [line for p in missing for line in entry_lines(p, meta_indent)]
    elif missing:
        edits[file][end] += [f"{indent}metadata:"] + [
            line for p in missing for line in entry_lines(p, indent + "  ")
        ]
    return added + len(missing)


def _merge_objects(rules: SourceRules, proposals: list[ObjectProposal], edits: Edits) -> int:
    """A rule per shape with keys no written glob matches, after the written globs."""
    uncovered = [
        p
        for p in proposals
        if not all(any(rule.matches(key) for rule in rules.objects) for key in p.listed)
    ]
    if not uncovered:
        return 0
    file = rules.objects[-1].where.file if rules.objects else rules.files[0]
    file, end, indent, head = _section(file, "objects")
    edits[file][end] += head + [line for p in uncovered for line in object_lines(p, indent)]
    return len(uncovered)


def _section(file: str, key: str) -> tuple[str, int, str, list[str]]:
    """(file, where new entries of a top-level section go, their indent, lines to open it)."""
    lines = _lines(file)
    doc = load_yaml(Path(file))
    if isinstance(doc, LocatedDict) and key in doc:
        end, indent = _block(lines, doc.at(key).line - 1, file)
        return file, end, indent, []
    while lines and not lines[-1].strip():
        lines.pop()
    return file, len(lines), "  ", ["", f"{key}:"]


def _by_table(proposals: list[Proposal]) -> dict[str, list[Proposal]]:
    groups: dict[str, list[Proposal]] = defaultdict(list)
    for p in proposals:
        groups[p.table].append(p)
    return groups


def _written_table(rules: SourceRules, table: str):
    """The rules written for ``table``, also when written schema-qualified (``public.x``)."""
    for name, written in rules.tables.items():
        if name == table or name.split(".", 1)[-1] == table:
            return written
    return None


def _lines(file: str) -> list[str]:
    return Path(file).read_text(encoding="utf-8").splitlines()


def _block(lines: list[str], start: int, file: str) -> tuple[int, str]:
    """Where a mapping key's block ends (index after its last entry) and its entries' indent."""
    head = lines[start]
    if head.split("#", 1)[0].rstrip().endswith(("}", "]")):
        raise ConfigError(
            f"{file}:{start + 1}: this block is written in flow style ({{...}}), so scan "
            "cannot add lines to it.",
            hint="write its entries one per line, or add the printed proposals by hand.",
        )
    own = _indent(head)
    end, child = start + 1, None
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#"):
            if _indent(text) <= own:
                break
            child = child if child is not None else _indent(text)
        end += 1
    while end > start + 1 and _trailing(lines[end - 1], own):
        end -= 1  # blank lines, and comments on what follows, stay after the insertion
    return end, " " * (child if child is not None else own + 2)


def _trailing(line: str, own: int) -> bool:
    return not line.strip() or (line.lstrip().startswith("#") and _indent(line) <= own)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
