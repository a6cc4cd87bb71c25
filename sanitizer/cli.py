"""The ``sanitize`` command line: a thin click layer over the pipeline, with named exit codes."""

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
@click.option("--only", multiple=True, help="Refresh only SOURCE.TABLE (repeatable).")
@click.option("--dry-run", is_flag=True, help="Check config, rules and sources; write nothing.")
@handle_errors
def snapshot(config_path: Path, log_format: str, only: tuple[str, ...], dry_run: bool) -> None:
    """Mask production into staging: the whole run, atomically."""
    from sanitizer.config.settings import load_settings
    from sanitizer.pipeline import run_snapshot
    from sanitizer.report import Progress, print_summary

    logs.configure(log_format)
    settings = load_settings(config_path)
    with Progress(enabled=sys.stderr.isatty()) as progress:
        receipt = run_snapshot(settings, only=only, dry_run=dry_run, progress=progress.advance)
    print_summary(receipt, settings.receipts_dir)


@main.group()
def rules() -> None:
    """Validate and review rule files."""


@rules.command("check")
@config_option
@handle_errors
def rules_check(config_path: Path) -> None:
    """Validate rule files and their coverage against the live source schemas (read-only)."""
    from sanitizer.config.settings import load_settings
    from sanitizer.pipeline import run_snapshot

    settings = load_settings(config_path)
    receipt = run_snapshot(settings, dry_run=True)
    fields = sum(len(t.fields) for t in [*receipt.tables.values(), *receipt.collections.values()])
    collections = f", {len(receipt.collections)} collections" if receipt.collections else ""
    click.echo(
        f"ok: {len(receipt.tables)} tables{collections}, {fields} fields, every field has a rule."
    )


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
    from sanitizer.payload import sanitize_payload

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
