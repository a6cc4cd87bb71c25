"""``sanitize report``: find a run's receipt and write its HTML page next to it."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sanitizer.errors import ConfigError
from sanitizer.verify.fidelity.html import render


def receipt_path(folder: Path, run_id: str | None) -> Path:
    """The receipt of ``run_id`` in ``folder``, or the newest one (run ids start with the
    time, so the newest sorts last)."""
    receipts = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
    if not receipts:
        raise ConfigError(
            f"{folder}: no run receipts here, so there is no report to write.",
            hint="run sanitize snapshot first (or pass --config for the project whose runs "
            "you want).",
        )
    if run_id is None:
        return receipts[-1]
    path = folder / f"{run_id}.json"
    if path not in receipts:
        recent = ", ".join(p.stem for p in receipts[-3:])
        raise ConfigError(
            f"{folder}: no receipt for run {run_id!r}.",
            hint=f"pass one of the run ids in that folder, e.g. {recent} (`sanitize runs` lists "
            "them).",
        )
    return path


def read_receipt(path: Path) -> dict[str, Any]:
    try:
        receipt = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path}: cannot be read as a run receipt ({type(exc).__name__}).",
            hint="pass the id of another run; receipts are written by sanitize snapshot.",
        ) from None
    if not isinstance(receipt, dict) or "run_id" not in receipt:
        raise ConfigError(f"{path}: is not a run receipt.", hint="pass another run's id.")
    return receipt


def write_report(receipt_file: Path, output: Path | None = None) -> Path:
    """Render the receipt's page to ``output`` (default: beside it, ``<run_id>.html``),
    atomically, and return where it went."""
    receipt = read_receipt(receipt_file)
    target = output or receipt_file.with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".report-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(receipt))
    os.replace(tmp, target)
    return target
