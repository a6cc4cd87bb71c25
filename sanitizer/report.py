"""What a person sees: a progress bar on a terminal and a short summary after the run."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import click
from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from sanitizer.config.settings import VECTOR_KINDS
from sanitizer.receipt import Receipt


class ProgressBar:
    """Rows loaded per table; silent when stderr is not a terminal (logs take over)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: RichProgress | None = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._bar = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed:,} rows"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)

    def advance(self, table: str, rows: int) -> None:
        if self._bar is None:
            return
        if table not in self._tasks:
            self._tasks[table] = self._bar.add_task(table, total=None)
        self._bar.advance(self._tasks[table], rows)


def print_subset(receipt: Receipt) -> None:
    """Each subset table: production rows → kept rows, and the edges that pulled them in."""
    for source, subset in receipt.subset.items():
        tables = subset["tables"]
        kept = sum(t["subset_rows"] for t in tables.values())
        total = sum(t["production_rows"] for t in tables.values())
        click.echo(f"  subset of {source}: {kept:,} of {total:,} production rows")
        for name, table in tables.items():
            click.echo(
                f"    {name:38} {table['production_rows']:>9,} → {table['subset_rows']:>9,}"
                f"  ← {table['path']}"
            )
        for note in subset["notes"]:
            click.echo(f"    note: {note}")


def _print_follow(receipt: Receipt) -> None:
    """Files and memories that follow the SQL subset: kept of production, per source or
    collection (docs/subsetting_follow.md)."""
    for name, source in receipt.sources.items():
        subset = source.get("subset")
        if not subset:
            continue
        if source.get("kind") == "objects":
            click.echo(
                f"  {name}: the subset keeps {subset['kept']:,} of {subset['production']:,} objects"
            )
            continue
        if source.get("kind") not in VECTOR_KINDS:
            continue  # a SQL source's subset is listed with its tables
        for collection, counts in subset.items():
            click.echo(
                f"  {name}.{collection}: the subset keeps {counts['kept']:,} of "
                f"{counts['production']:,} records"
            )


def print_summary(receipt: Receipt, receipts_dir: Path) -> None:
    """Tables, rows in/out and the verification result, in a few lines."""
    rows = sum(t.rows_in for t in receipt.tables.values())
    masked = sum(
        1
        for t in receipt.tables.values()
        for f in t.fields.values()
        if not f.operator.startswith("keep")
    )
    kind = "dry run" if receipt.dry_run else "snapshot"
    click.echo(f"{kind} {receipt.run_id}: {receipt.status}")
    for name, table in receipt.tables.items():
        click.echo(f"  {name:40} {table.rows_in:>9,} rows in  {table.rows_out:>9,} out")
    click.echo(
        f"  {len(receipt.tables)} tables, {rows:,} rows, {masked} masked fields, "
        f"{receipt.duration_seconds}s"
    )
    print_subset(receipt)
    for name, source in receipt.sources.items():
        if source.get("grants"):
            click.echo(f"  {name}: {source['grants']}")
    if receipt.objects:
        counts = list(receipt.objects.values())
        quarantined = sum(len(o.quarantined) for o in counts)
        click.echo(
            f"  {sum(o.objects_in for o in counts):,} objects in, "
            f"{sum(o.objects_out for o in counts):,} out, {sum(o.dropped for o in counts):,} "
            f"dropped by rule, {quarantined:,} quarantined (listed in the receipt)"
        )
    for name, collection in receipt.collections.items():
        if collection.dropped:
            click.echo(f"  {name:40} {collection.rows_in:>9,} records dropped (rule: drop)")
            continue
        model = f"  re-embedded: {collection.embedding_model} ({collection.dimension}d)"
        click.echo(
            f"  {name:40} {collection.rows_in:>9,} recs in  {collection.rows_out:>9,} out"
            f"{model if collection.embedding_model else ''}"
        )
    _print_follow(receipt)
    if receipt.entities:
        found = ", ".join(f"{k} {v}" for k, v in sorted(receipt.entities.items()))
        click.echo(f"  detected: {found}")
    if not receipt.dry_run:
        click.echo(
            f"  verification: {'passed' if receipt.verification.get('passed') else 'n/a'}"
            f"; receipt: {receipts_dir / (receipt.run_id + '.json')}"
        )
