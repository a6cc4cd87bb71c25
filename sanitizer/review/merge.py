"""``sanitize scan --write``: add proposals to the rule files without touching existing rules.

Rule files are edited as text, not re-dumped, so their comments, order and layout — what
reviewers read — stay exactly as written: a proposal for a column with no rule is inserted at
the end of its table's block; a table with no rules at all is added at the end of ``tables:``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sanitizer.config.rules import SourceRules
from sanitizer.config.yamlfile import load_yaml
from sanitizer.errors import ConfigError
from sanitizer.review.scan import Proposal, render_yaml, rule_line


def merge(
    rules_dir: Path, source: str, rules: SourceRules | None, proposals: list[Proposal]
) -> tuple[Path, int]:
    """Write the proposals that have no rule yet; returns (a file written, how many)."""
    if rules is None or not rules.files:
        path = rules_dir / f"{source}.yaml"
        if path.exists():
            raise ConfigError(
                f"{path} exists but has no rules for source {source!r}.",
                hint="set source: in it, or move it aside and scan again.",
            )
        _write(path, render_yaml(source, proposals))
        return path, len(proposals)
    inserts: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
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
            lines = _lines(written.where.file)
            end, indent = _block(lines, written.where.line - 1, written.where.file)
            inserts[written.where.file].append((end, [f"{indent}{rule_line(p)}" for p in missing]))
            added += len(missing)
    if new_tables:
        first = rules.files[0]
        lines = _lines(first)
        doc = load_yaml(Path(first))
        if "tables" in doc:
            end, indent = _block(lines, doc.at("tables").line - 1, first)
            body = []
        else:
            end, indent, body = len(lines), "  ", ["tables:"]
        for table, group in new_tables.items():
            body.append(f"{indent}{table}:")
            body += [f"{indent}  {rule_line(p)}" for p in group]
        inserts[first].append((end, body))
    for file, edits in inserts.items():
        lines = _lines(file)
        for index, new in sorted(edits, reverse=True):  # bottom up: indexes stay valid
            lines[index:index] = new
        _write(Path(file), "\n".join(lines) + "\n")
    written_to = Path(next(iter(inserts), rules.files[0]))
    return written_to, added


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
    if head.rstrip().endswith("}") or head.rstrip().endswith("]"):
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
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep the blank lines that separate blocks after the insertion
    return end, " " * (child if child is not None else own + 2)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
