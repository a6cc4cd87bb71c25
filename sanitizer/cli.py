"""The ``sanitize`` command line: a thin click layer over the run, with named exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import sanitizer
from sanitizer import logs
from sanitizer.errors import ExitCode, SanitizerError

DEFAULT_CONFIG = "sanitize.yaml"


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print a SanitizerError as its message and exit with its code — never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SanitizerError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("interrupted: staging was left as it was.", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: say so without echoing data-bearing messages
            if os.environ.get("SANITIZE_DEBUG"):
                raise
            click.echo(
                f"error: internal error ({type(exc).__name__}); staging was left as it was. "
                "Run again with SANITIZE_DEBUG=1 for the traceback and report it.",
                err=True,
            )
            sys.exit(int(ExitCode.INTERNAL))

    return wrapper


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_CONFIG,
    show_default=True,
    help="The pipeline config file.",
)
log_option = click.option(
    "--log-format",
    type=click.Choice(["auto", "text", "json"]),
    default="auto",
    show_default=True,
    help="auto: text on a terminal, JSON lines otherwise.",
)


@click.group()
@click.version_option(sanitizer.__version__, prog_name="sanitize")
def main() -> None:
    """Build safe staging data from production: extract, mask, load, verify."""


@main.command()
@config_option
@log_option
@click.option("--dry-run", is_flag=True, help="Check config, rules and sources; write nothing.")
@click.option(
    "--init",
    is_flag=True,
    help="Adopt an existing, empty staging database sanitizer has not written to yet.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default=None,
    help="Where masking runs: this machine, or the Ray cluster of ray.address "
    "(default: sanitize.yaml's engine).",
)
@handle_errors
def snapshot(
    config_path: Path, log_format: str, dry_run: bool, init: bool, engine: str | None
) -> None:
    """Mask production into staging: the whole run, atomically."""
    import dataclasses

    from sanitizer.config.settings import load_settings
    from sanitizer.mask.workers import detection_ahead, start_warm, warm_model
    from sanitizer.run.heap import fix_mmap_threshold

    fix_mmap_threshold()  # flat memory at any table size (docs/design.md, "Bounded memory")
    logs.configure(log_format)
    settings = load_settings(config_path)
    if engine is not None:
        chosen = dataclasses.replace(settings.engine, kind=engine)
        settings = dataclasses.replace(settings, engine=chosen)
    local = settings.engine.kind == "local"  # on a cluster the actors load detection
    if local and not dry_run and detection_ahead(settings.workers, settings.rules_dir):
        # loads detection while the rest is imported and planned, and the model when the
        # workers will embed: a run of agent memories only (docs/operations.md, "Vector runs")
        start_warm(settings.nlp, warm_model(settings))
    from sanitizer.report import ProgressBar, print_summary
    from sanitizer.run.snapshot import run_snapshot

    with ProgressBar(enabled=sys.stderr.isatty()) as progress:
        receipt = run_snapshot(settings, dry_run=dry_run, init=init, progress=progress.advance)
    print_summary(receipt, settings.receipts_dir)


@main.group()
def rules() -> None:
    """Validate and review rule files."""


@rules.command("check")
@config_option
@click.option(
    "--live",
    is_flag=True,
    help="Check against the live sources (read-only) and report drift from the snapshot.",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The schema snapshot to check against (default: RULES_DIR/_schema.yaml).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations.",
)
@handle_errors
def rules_check(config_path: Path, live: bool, schema_path: Path | None, fmt: str) -> None:
    """Validate the rules: syntax, coverage, keys and constraints, and schema drift.

    Without --live it needs no production access: it checks against the committed snapshot.
    Exit codes: 0 all good, 2 rule problems, 6 only drift.
    """
    from sanitizer.config.settings import load_settings
    from sanitizer.review import schema_file
    from sanitizer.review.check import check, check_stores, drift, render, schema_objects

    settings = load_settings(config_path, offline=not live)
    path = schema_path or schema_file.default_path(settings)
    stores = ""
    if live:
        schemas = schema_file.live_schemas(settings)
        problems = check(settings, schemas) + schema_objects(settings)
        if path.exists():
            problems += drift(schema_file.load(path), schemas)
        if not problems:
            stores = check_stores(settings)  # objects and vectors: the run's own dry plan
    else:
        schemas = schema_file.load(path)
        problems = check(settings, schemas, schema_file.load_stores(path))
    tables = sum(len(tables) for tables in schemas.values())
    columns = sum(len(t.columns) for tables in schemas.values() for t in tables)
    against = "the live sources" if live else str(_shown(path))
    summary = (
        f"{'ok' if not problems else f'{len(problems)} problem(s)'}: {tables} tables, "
        f"{columns} columns{stores} checked against {against}."
    )
    click.echo(render(problems, fmt, summary))
    if any(p.kind == "rule" for p in problems):
        sys.exit(int(ExitCode.CONFIG))
    if problems:
        sys.exit(int(ExitCode.DRIFT))


@rules.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@config_option
@click.option(
    "--fail-on-loosening", is_flag=True, help="Exit 7 when any change masks less than before."
)
@click.option("--no-examples", is_flag=True, help="Leave out the synthetic before → after table.")
@click.option(
    "--fidelity",
    "fidelity_runs",
    multiple=True,
    metavar="RUN_ID",
    help="Attach the changed fields' fidelity scores from this run's receipt; given twice "
    "(a run with the base rules, then one with the head rules), the change between them.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the Markdown report here instead of standard output.",
)
@handle_errors
def rules_diff(
    base: str,
    head: str | None,
    config_path: Path,
    fail_on_loosening: bool,
    no_examples: bool,
    fidelity_runs: tuple[str, ...],
    output: Path | None,
) -> None:
    """Markdown report of what changes between the rules at git revision BASE and HEAD
    (default: the working tree), with loosening flagged on lines starting with LOOSENED."""
    from sanitizer.config.settings import load_settings
    from sanitizer.review.diff import LOOSENED, compare, read_revision, render
    from sanitizer.review.examples import examples

    settings = load_settings(config_path, offline=True)
    changes = compare(read_revision(settings, base), read_revision(settings, head), settings.nlp)
    rows = [] if no_examples else examples(changes, settings.nlp)
    report = render(changes, base, head or "working tree", rows)
    if fidelity_runs:
        from sanitizer.errors import ConfigError
        from sanitizer.review import fidelity_diff
        from sanitizer.verify.fidelity.publish import read_receipt, receipt_path

        if len(fidelity_runs) > 2:
            raise ConfigError(
                f"--fidelity was given {len(fidelity_runs)} times.",
                hint="give one run, or two: a run with the base rules, then one with the head "
                "rules.",
            )
        runs = [read_receipt(receipt_path(settings.receipts_dir, r)) for r in fidelity_runs]
        report += "\n" + fidelity_diff.render(changes, runs) if changes else ""
    if output is None:
        click.echo(report, nl=False)
    else:
        output.write_text(report, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    if fail_on_loosening and any(c.verdict == LOOSENED for c in changes):
        click.echo("error: the rules change loosens masking (see LOOSENED lines).", err=True)
        sys.exit(int(ExitCode.LOOSENED))


@main.command()
@click.argument("source")
@config_option
@click.option(
    "--rows",
    default=100,
    type=click.IntRange(min=1),
    show_default=True,
    help="Rows sampled per table; records per collection; lines or rows per object.",
)
@click.option(
    "--objects",
    "per_shape",
    default=5,
    type=click.IntRange(min=1),
    show_default=True,
    help="Objects read per key shape (tickets/**/*.json) of an object source.",
)
@click.option(
    "--write",
    is_flag=True,
    help="Add the proposals for fields without a rule to the rule files (existing rules stay).",
)
@handle_errors
def scan(source: str, config_path: Path, rows: int, per_shape: int, write: bool) -> None:
    """Sample SOURCE — tables, vector collections or objects — find likely PII fields and
    propose rules (evidence as counts only)."""
    from sanitizer.config.settings import load_settings
    from sanitizer.plan.rules import load_rules
    from sanitizer.review.merge import merge
    from sanitizer.review.proposals import render
    from sanitizer.review.scan import scan as scan_source

    settings = load_settings(config_path, offline=True)
    proposals = scan_source(settings, source, rows, per_shape)
    if not (proposals.tables or proposals.collections or proposals.objects):
        click.echo(f"source {source!r} holds nothing to sample; nothing proposed.", err=True)
        return
    if not write:
        click.echo(render(proposals), nl=False)
        return
    rules = load_rules(settings.rules_dir, list(settings.sources)).get(source)
    path, added = merge(settings.rules_dir, rules, proposals)
    click.echo(f"{_shown(path)}: added {added} proposed rule(s); review them before committing.")


@main.command()
@config_option
@handle_errors
def verify(config_path: Path) -> None:
    """Look for production values of masked fields, live credentials and production hosts
    anywhere in staging (read-only), and check staging holds every schema object of
    production.

    Exit 5 (leak) names each place as field and row key, never the value; exit 4 names the
    schema objects staging lacks (or holds beyond production's).
    """
    from sanitizer.config.settings import load_settings
    from sanitizer.errors import LeakError
    from sanitizer.verify.staging import verify_schemas, verify_staging

    settings = load_settings(config_path)
    index, report, sweep = verify_staging(settings)
    if sweep.total:
        leaks = f" Also, {report.describe()}." if report.total else ""
        raise LeakError(
            sweep.describe() + "." + leaks,
            hint="change the rules named above (a public test value may instead go on "
            "`secrets.allow` in sanitize.yaml, exactly) and run sanitize snapshot again.",
        )
    if report.total:
        raise LeakError(
            report.describe() + ".",
            hint="tighten the rules for those fields and run sanitize snapshot again.",
        )
    objects = verify_schemas(settings)  # a staging without production's tables is not "ok"
    click.echo(
        f"ok: {len(index)} production values of masked fields looked for in "
        f"{report.scanned} staging text values; none found. No live credential and none of "
        f"{len(sweep.hosts)} production hosts in staging. {objects} schema objects of "
        "production are in staging."
    )


@main.command()
@click.argument("run_id", required=False)
@config_option
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser too.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the page here (default: RUN_ID.html beside the run's receipt).",
)
@handle_errors
def report(run_id: str | None, config_path: Path, open_page: bool, output: Path | None) -> None:
    """Write the fidelity report of run RUN_ID (default: the latest): one self-contained HTML
    page, production vs staging per store, table and field, largest drift first."""
    from sanitizer.config.settings import load_settings
    from sanitizer.verify.fidelity.publish import receipt_path, write_report

    settings = load_settings(config_path, offline=True)
    path = write_report(receipt_path(settings.receipts_dir, run_id), output)
    click.echo(str(_shown(path)))
    if open_page:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


@main.command()
@config_option
@click.option("--limit", default=20, show_default=True, help="How many runs to list.")
@handle_errors
def runs(config_path: Path, limit: int) -> None:
    """List recent runs from the run history kept in each staging database."""
    from sanitizer.config.settings import load_settings
    from sanitizer.load.sql import open_target

    settings = load_settings(config_path, offline=True)
    for name, endpoint in settings.targets.items():
        if endpoint.kind != "sql":
            continue
        target = open_target(name, endpoint.url)
        try:
            with target.errors("reading the run history"):
                history = [] if target.fresh() else target.history.recent(limit)
        finally:
            target.close()
        click.echo(f"{name} ({target.describe()}): {len(history)} run(s)")
        for run in history:
            line = f"  {run['run_id']}  {run['status']:<9} {run['started_at']} → "
            line += f"{run['finished_at'] or '…'}"
            if run["error"]:
                line += f"  {run['error']}"
            click.echo(line)


@main.group()
def schema() -> None:
    """The committed schema snapshot rules are checked against."""


@schema.command("snapshot")
@config_option
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write it (default: RULES_DIR/_schema.yaml).",
)
@handle_errors
def schema_snapshot(config_path: Path, output: Path | None) -> None:
    """Write every source's structure (tables, columns, types, keys; never data) to a file."""
    from sanitizer.config.settings import load_settings
    from sanitizer.review import schema_file

    settings = load_settings(config_path)
    path = output or schema_file.default_path(settings)
    schemas = schema_file.live_schemas(settings)
    stores = schema_file.live_stores(settings)
    kinds = {name: endpoint.kind for name, endpoint in settings.sources.items()}
    schema_file.write(path, schemas, kinds, stores)
    tables = sum(len(tables) for tables in schemas.values())
    click.echo(f"wrote {_shown(path)}: {len(schemas) + len(stores)} source(s), {tables} tables.")


def _shown(path: Path) -> Path:
    """A path relative to the working directory when it is inside it (as users typed it)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


@main.command()
@click.argument("payload_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--rule",
    "target",
    required=True,
    metavar="SOURCE.TABLE.COLUMN",
    help="Whose rule masks the document, e.g. app.agent_runs.input_payload.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the fixture here instead of standard output.",
)
@config_option
@handle_errors
def payload(payload_file: Path, target: str, output: Path | None, config_path: Path) -> None:
    """Sanitize one JSON payload into a replay fixture, with the same pseudonyms as staging."""
    from sanitizer.config.settings import load_settings
    from sanitizer.errors import ConfigError
    from sanitizer.run.payload import sanitize_payload

    settings = load_settings(config_path)
    try:
        text = payload_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{payload_file}: cannot be read ({type(exc).__name__}).",
            hint="pass a UTF-8 JSON file.",
        ) from None
    result = sanitize_payload(settings, text, target, str(payload_file))
    if output is None:
        click.echo(result, nl=not result.endswith("\n"))
    else:
        output.write_text(result, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
def operators() -> None:
    """List the masking operators with an example each (from their own definitions)."""
    from sanitizer.mask.operators import OPERATORS

    for name, cls in OPERATORS.items():
        unique = " (can be unique)" if cls.unique_capable else ""
        click.echo(f"{name}{unique}\n    {cls.summary}\n    e.g. {cls.example}\n")


if __name__ == "__main__":
    main()
